"""API server load test: ``dyads serve`` under a bounded load on loopback.

1. **Store**: a fresh temporary SQLite store with N synthetic event clusters (default
   100,000), filled by ``fill()`` of ``bench/store_bench.py`` (60 states as ``actors`` rows,
   ``events`` + ``event_dyads`` + ``event_actors`` with roles ``actor``/``recipient``; 16 PLOVER
   types; days over 2019-2025). The build time is printed.
2. **Server**: the real server as a subprocess, ``python -m dyads.serve --db PATH --port 0``
   (``--workers N`` if given, else the server's default: one worker process per CPU, at most
   4); the bound port and worker count are read from its start-up line on stderr; ready once
   ``/api/stats`` answers.
3. **Cold pass**: every distinct ``/api/graph`` query of the load, once each, one at a time,
   on an empty result cache (the uncached cost of the aggregate the dashboard asks for). With
   several workers this warms only the worker that answered; the others compute their own copy
   during the load, which shows in the graph p99/max.
4. **Load**: R requests (default 5,000) over C concurrent keep-alive HTTP/1.1 connections
   (default 20), driven by one asyncio loop (``--client threads``: one thread per connection,
   which adds the client's own GIL waits to every latency), mixed over realistic query strings:
   ``/api/events`` (share ``--graph-share`` goes to ``/api/graph``) with random filters -
   actor/recipient country codes, actor ids and name words, PLOVER types, since/until ranges of
   1 week to 2 years, ``limit=50`` and offsets 0..500, plus plain unfiltered pages - and
   ``/api/graph`` over a small fixed set of date ranges/types (the dashboard asks the same few).
   The server caches up to 256 answers per endpoint and worker: the distinct ``/api/events``
   queries mostly miss it; the number of distinct query strings per endpoint is printed.

Per endpoint and phase: requests, errors (non-2xx, bad body or exception), p50/p95/p99/max in
ms and requests/s. Verdict: PASS when there is no error at all and ``/api/events`` p95 under
load is below 100 ms (``--target-ms``); exit status 1 on FAIL.

Usage: ``python bench/serve_bench.py [--events 100000] [--requests 5000] [--concurrency 20]
[--graph-share 0.2] [--workers N] [--client async|threads] [--seed 13] [--json]``
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _store_bench():
    spec = importlib.util.spec_from_file_location("dyads_store_bench", HERE / "store_bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


sb = _store_bench()
COUNTRIES, QUADS, START, DAYS = sb.COUNTRIES, sb.QUADS, sb.START, sb.DAYS
TYPES = list(QUADS)


# --------------------------------------------------------------------------- store


def build_store(path: Path, n: int) -> dict:
    """Fill a fresh store with ``n`` synthetic clusters and check it looks as the API needs it."""
    from dyads.store import open_store

    t0 = time.perf_counter()
    with open_store(str(path)) as store:
        fill_s = sb.fill(store, n)
        counts = dict(store.query(
            "SELECT 'events', COUNT(*) FROM events UNION ALL SELECT 'actors', COUNT(*) FROM actors UNION ALL "
            "SELECT 'actor_links', COUNT(*) FROM event_actors WHERE role = 'actor' UNION ALL "
            "SELECT 'recipient_links', COUNT(*) FROM event_actors WHERE role = 'recipient' UNION ALL "
            "SELECT 'dyads', COUNT(*) FROM event_dyads UNION ALL "
            "SELECT 'no_day', COUNT(*) FROM events WHERE day IS NULL"))
        span = store.query("SELECT MIN(day), MAX(day) FROM events")[0]
    problems = [f"{k} {counts[k]} != {n}" for k in ("events", "actor_links", "recipient_links", "dyads")
                if counts[k] != n]
    if counts["actors"] != len(COUNTRIES):
        problems.append(f"actors {counts['actors']} != {len(COUNTRIES)}")
    if problems:
        raise SystemExit("synthetic store is not as expected: " + "; ".join(problems))
    return {"events": n, "fill_seconds": round(fill_s, 1), "seconds": round(time.perf_counter() - t0, 1),
            "actors": counts["actors"], "first_day": span[0], "last_day": span[1],
            "bytes": path.stat().st_size}


# --------------------------------------------------------------------------- server


class Server:
    """``python -m dyads.serve`` on a free loopback port; its stderr is drained in a thread."""

    def __init__(self, db: Path, workers: int | None = None):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        cmd = [sys.executable, "-m", "dyads.serve", "--db", str(db), "--port", "0"]
        if workers:
            cmd += ["--workers", str(workers)]
        self.workers = None
        self.proc = subprocess.Popen(cmd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, text=True, encoding="utf-8", errors="replace")
        self.log_lines = 0
        self.bug_lines: list[str] = []
        deadline = time.monotonic() + 60
        first: list[str] = []
        self.host, self.port = None, None
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            first.append(line.rstrip())
            m = re.search(r"serving .* on http://([^/\s]+):(\d+)/", line)
            if m:
                self.host, self.port = m.group(1), int(m.group(2))
                w = re.search(r"(\d+) worker process", line)
                self.workers = int(w.group(1)) if w else 1
                break
        if self.port is None:
            self.stop()
            raise SystemExit("dyads serve did not start:\n" + "\n".join(first[-20:]))
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()
        self.wait_ready()

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:  # the server logs every request: keep the pipe flowing
            self.log_lines += 1
            if "error on" in line or "Traceback" in line:
                self.bug_lines.append(line.rstrip())

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=5)
                c.request("GET", "/api/stats")
                r = c.getresponse()
                body = r.read()
                c.close()
                if r.status == 200 and json.loads(body).get("events") is not None:
                    return
            except (OSError, http.client.HTTPException, ValueError):
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"dyads serve exited with status {self.proc.returncode}")
            time.sleep(0.1)
        raise SystemExit("dyads serve did not answer /api/stats in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --------------------------------------------------------------------------- queries


def _day(d: date) -> str:
    return d.isoformat()


def _range(rng: random.Random) -> tuple[str, str]:
    length = rng.choice([7, 30, 30, 90, 90, 180, 365, 730])
    since = START + timedelta(days=rng.randrange(DAYS - length))
    return _day(since), _day(since + timedelta(days=length))


def _busy(rng: random.Random) -> str:
    # the first 8 countries carry ~30% of the synthetic events (as busy pairs do in real news)
    return rng.choice(COUNTRIES[:8]) if rng.random() < 0.5 else rng.choice(COUNTRIES)


def events_query(rng: random.Random) -> str:
    """One /api/events query string as a dashboard or API user sends it."""
    p: dict[str, str | int] = {}
    kind = rng.random()
    if kind < 0.15:  # plain unfiltered page
        pass
    elif kind < 0.35:  # one side, country code (the dashboard's country filter)
        p[rng.choice(["actor", "recipient"])] = _busy(rng)
    elif kind < 0.50:  # a directed dyad (an edge of the graph clicked)
        a, r = _busy(rng), _busy(rng)
        while r == a:
            r = rng.choice(COUNTRIES)
        p["actor"], p["recipient"] = a, r
    elif kind < 0.58:  # actor by stored id (graph node ids)
        a = rng.randrange(1, len(COUNTRIES) + 1)
        p["actor"] = str(a)
        if rng.random() < 0.5:
            r = rng.randrange(1, len(COUNTRIES) + 1)
            p["recipient"] = str(r if r != a else a % len(COUNTRIES) + 1)
    elif kind < 0.63:  # actor name words (free text box)
        p["actor"] = rng.choice(COUNTRIES).lower()
    elif kind < 0.80:  # one event type
        p["type"] = rng.choice(TYPES)
    # else: only a date range
    if kind >= 0.80 or rng.random() < 0.5:
        since, until = _range(rng)
        if rng.random() < 0.85:
            p["since"] = since
        p["until"] = until
    if "type" not in p and rng.random() < 0.15:
        p["type"] = rng.choice(TYPES)
    p["limit"] = 50
    if rng.random() < 0.6:
        p["offset"] = rng.choice(range(0, 501, 50))
    return "/api/events?" + urlencode(p)


def graph_queries() -> list[str]:
    """The few /api/graph queries a dashboard asks: whole store, per year, recent windows, a type or two."""
    end = START + timedelta(days=DAYS - 1)
    qs: list[dict[str, str]] = [{}]
    for y in (2023, 2024, 2025):
        qs.append({"since": f"{y}-01-01", "until": f"{y}-12-31"})
    for days in (30, 90, 365):
        qs.append({"since": _day(end - timedelta(days=days)), "until": _day(end)})
    for t in ("ASSAULT", "AID", "PROTEST"):
        qs.append({"type": t})
    qs.append({"type": "ASSAULT", "since": "2025-01-01", "until": "2025-12-31"})
    qs.append({"since": "2024-01-01", "until": "2024-12-31", "limit": "200"})
    return ["/api/graph" + ("?" + urlencode(q) if q else "") for q in qs]


def plan(n: int, graph_share: float, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    graphs = graph_queries()
    out = []
    for _ in range(n):
        if rng.random() < graph_share:
            out.append(("graph", rng.choice(graphs)))
        else:
            out.append(("events", events_query(rng)))
    return out


# --------------------------------------------------------------------------- client


def _check(endpoint: str, status: int, body: bytes) -> str | None:
    """None when the answer is a good one, else what is wrong (a cheap check, no JSON parse)."""
    if not 200 <= status < 300:
        return f"HTTP {status}: {body[:200]!r}"
    key = {"events": b'"items": [', "graph": b'"nodes": ['}.get(endpoint)
    if not body.startswith(b"{") or not body.endswith(b"}") or (key and key not in body):
        return f"unexpected body {body[:80]!r}"
    return None


def run_requests(host: str, port: int, reqs: list[tuple[str, str]], concurrency: int,
                 timeout: float = 60.0) -> tuple[list[tuple[str, float, str | None]], float]:
    """Send ``reqs`` from ``concurrency`` threads (keep-alive each); (endpoint, ms, error) per request."""
    results: list[tuple[str, float, str | None] | None] = [None] * len(reqs)
    counter = itertools.count()
    start = threading.Barrier(concurrency + 1)

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        start.wait()
        while True:
            i = next(counter)
            if i >= len(reqs):
                break
            endpoint, path = reqs[i]
            t0 = time.perf_counter()
            err = None
            try:
                conn.request("GET", path, headers={"Accept": "application/json"})
                resp = conn.getresponse()
                body = resp.read()
                err = _check(endpoint, resp.status, body)
                if resp.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                err = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
            results[i] = (endpoint, (time.perf_counter() - t0) * 1000, err)
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return [r for r in results if r is not None], wall


def run_requests_async(host: str, port: int, reqs: list[tuple[str, str]], concurrency: int,
                       timeout: float = 60.0) -> tuple[list[tuple[str, float, str | None]], float]:
    """As :func:`run_requests`, from one asyncio loop with ``concurrency`` keep-alive connections.

    Twenty client *threads* in one Python process measure their own GIL waits as well as the
    server's latency (a response that has arrived waits until its thread runs again); one event loop
    reading small responses adds far less. Minimal HTTP/1.1: Content-Length bodies, keep-alive.
    """
    import asyncio

    results: list[tuple[str, float, str | None] | None] = [None] * len(reqs)
    counter = itertools.count()

    async def connect():
        return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)

    async def one(reader, writer, path: str) -> tuple[int, bytes, bool]:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", "0"))), timeout)
        return status, body, headers.get("connection", "").lower() == "close"

    async def worker() -> None:
        reader, writer = await connect()
        while True:
            i = next(counter)
            if i >= len(reqs):
                break
            endpoint, path = reqs[i]
            t0 = time.perf_counter()
            err = None
            try:
                status, body, close = await one(reader, writer, path)
                err = _check(endpoint, status, body)
                if close:
                    writer.close()
                    reader, writer = await connect()
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                    ValueError, IndexError) as exc:
                err = f"{type(exc).__name__}: {exc}"
                writer.close()
                reader, writer = await connect()
            results[i] = (endpoint, (time.perf_counter() - t0) * 1000, err)
        writer.close()

    async def main() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0

    wall = asyncio.run(main())
    return [r for r in results if r is not None], wall


def _pct(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, int(-(-p * len(sorted_ms) // 100)) - 1))
    return sorted_ms[k]


def summarise(results: list[tuple[str, float, str | None]], wall: float, distinct: dict[str, int]) -> dict:
    out = {}
    for endpoint in sorted({r[0] for r in results}):
        ms = sorted(r[1] for r in results if r[0] == endpoint)
        errs = [r[2] for r in results if r[0] == endpoint and r[2]]
        out[endpoint] = {"requests": len(ms), "errors": len(errs), "distinct_queries": distinct.get(endpoint),
                         "p50_ms": round(_pct(ms, 50), 1), "p95_ms": round(_pct(ms, 95), 1),
                         "p99_ms": round(_pct(ms, 99), 1), "max_ms": round(ms[-1], 1),
                         "req_per_s": round(len(ms) / wall, 1) if wall else None,
                         "error_samples": sorted(set(errs))[:3]}
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="synthetic event clusters (default 100000)")
    ap.add_argument("--requests", type=int, default=5000, help="requests of the load phase (default 5000)")
    ap.add_argument("--concurrency", type=int, default=20, help="client threads (default 20)")
    ap.add_argument("--graph-share", type=float, default=0.2,
                    help="share of the load that goes to /api/graph (default 0.2)")
    ap.add_argument("--target-ms", type=float, default=100.0, help="/api/events p95 target (default 100)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the request mix (default 13)")
    ap.add_argument("--workers", type=int, default=None,
                    help="dyads serve --workers (default: the server's own default, one per CPU up to 4)")
    ap.add_argument("--client", choices=("async", "threads"), default="async",
                    help="load generator: one asyncio loop (default) or one thread per connection")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if args.events < 1 or args.requests < 1 or args.concurrency < 1 or not 0 <= args.graph_share <= 1:
        ap.error("--events, --requests and --concurrency must be positive; --graph-share in 0..1")
    sys.path.insert(0, str(ROOT / "src"))
    t_all = time.perf_counter()
    reqs = plan(args.requests, args.graph_share, args.seed)
    distinct = {ep: len({p for e, p in reqs if e == ep}) for ep in ("events", "graph")}
    graphs = sorted({p for e, p in reqs if e == "graph"})
    with tempfile.TemporaryDirectory(prefix="dyads-serve-bench-") as tmp:
        db = Path(tmp) / "serve_bench.db"
        if not args.json:
            print(f"building a store of {args.events:,} synthetic events ...", file=sys.stderr, flush=True)
        store = build_store(db, args.events)
        server = Server(db, args.workers)
        try:
            cold_res, cold_wall = run_requests(server.host, server.port, [("graph", p) for p in graphs], 1)
            cold = summarise(cold_res, cold_wall, {"graph": len(graphs)})
            client = run_requests if args.client == "threads" else run_requests_async
            load_res, load_wall = client(server.host, server.port, reqs, args.concurrency)
            load = summarise(load_res, load_wall, distinct)
            server.wait_ready(5)  # still alive and answering after the load
        finally:
            server.stop()
            bugs = server.bug_lines
    ev = load.get("events", {})
    errors = sum(s["errors"] for s in (*cold.values(), *load.values()))
    ok = errors == 0 and bool(ev) and ev["p95_ms"] < args.target_ms
    report = {
        "store": store, "server": {"host": server.host, "port": server.port, "workers": server.workers,
                                   "logged_bugs": len(bugs)},
        "requests": args.requests, "concurrency": args.concurrency, "graph_share": args.graph_share,
        "cold_graph": cold.get("graph"), "load": load, "load_seconds": round(load_wall, 2),
        "load_req_per_s": round(len(load_res) / load_wall, 1) if load_wall else None,
        "total_seconds": round(time.perf_counter() - t_all, 1),
        "target": f"no errors and /api/events p95 < {args.target_ms:g} ms", "pass": ok,
    }
    if args.json:
        print(json.dumps(report))
        return 0 if ok else 1
    print(f"store: {store['events']:,} events, {store['actors']} actors, days {store['first_day']}..{store['last_day']}, "
          f"built in {store['seconds']} s (fill {store['fill_seconds']} s), {store['bytes'] / 1e6:.0f} MB")
    print(f"server: dyads serve on {server.host}:{server.port}, {server.workers} worker process(es), result "
          "cache of 256 answers per endpoint and process")

    def line(label: str, s: dict) -> str:
        return (f"  {label:<22} {s['requests']:>5} req {s['errors']:>3} err  p50 {s['p50_ms']:>7.1f}  "
                f"p95 {s['p95_ms']:>7.1f}  p99 {s['p99_ms']:>7.1f}  max {s['max_ms']:>7.1f} ms  "
                f"{s['req_per_s']:>7.1f} req/s  ({s['distinct_queries']} distinct)")

    print(f"cold pass: each distinct graph query once, sequential, empty cache ({cold_wall:.1f} s):")
    if "graph" in cold:
        print(line("/api/graph (cold)", cold["graph"]))
    print(f"load: {len(load_res):,} requests, {args.concurrency} concurrent keep-alive clients, "
          f"{load_wall:.1f} s = {report['load_req_per_s']} req/s:")
    for ep in ("events", "graph"):
        if ep in load:
            print(line(f"/api/{ep}", load[ep]))
            for sample in load[ep]["error_samples"]:
                print(f"    error: {sample}")
    for b in bugs[:5]:
        print(f"  server log: {b}")
    print(f"total {report['total_seconds']} s")
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: {errors} errors, /api/events p95 {ev.get('p95_ms', float('nan'))} ms "
          f"(target: no errors and p95 < {args.target_ms:g} ms on {store['events']:,} events)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
