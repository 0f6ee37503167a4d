"""API server load test: ``dyads serve`` under a bounded load on loopback, new and old server side by side.

1. **Stores**: for each size N (``--events``, default 100,000) and backend (``--backends``,
   default ``sqlite``), a fresh store with N synthetic event clusters, filled by ``fill()`` of
   ``bench/store_bench.py`` (60 states as ``actors`` rows, ``events`` + ``event_dyads`` +
   ``event_actors`` with roles ``actor``/``recipient``; 16 PLOVER types; days over 2019-2025; bulk
   inserts, COPY on PostgreSQL, indexes built after the load). PostgreSQL runs in a throwaway
   cluster under /tmp (``initdb`` + ``pg_ctl`` from ``/usr/lib/postgresql/15/bin`` or
   ``$DYADS_PG_BIN``); when it cannot start, the PostgreSQL rows are skipped with the reason.
2. **Servers** (``--servers``, default both, in this order): ``asgi`` - ``python -m dyads.serve``
   (FastAPI on uvicorn) - and ``legacy`` - ``python -m dyads.serve --legacy-http``, the deprecated
   ``http.server`` implementation it replaced - each as a subprocess on a free loopback port with
   ``--workers 2`` (``--workers``); ready once ``/api/stats`` answers and every worker has started.
   Same store, same request plan, in ``--rounds`` interleaved rounds (default 2: new then old, old
   then new), each server started afresh each round; a server's figures pool its rounds, so the
   machine's other work and the store's warm-up fall on both alike.
3. **Cold pass**: every distinct ``/api/graph`` query of the load, once each, one at a time, on an
   empty result cache (the uncached cost of the aggregate the dashboard asks for).
4. **Load**: R requests per server (default 5,000, split over the rounds; each round draws its own
   mix) over C concurrent keep-alive HTTP/1.1 connections
   (default 20) from one asyncio loop (``--client threads``: one thread per connection), mixed over
   realistic query strings: ``/api/events`` (share ``--graph-share`` goes to ``/api/graph``) with
   random filters - actor/recipient country codes, actor ids and name words, PLOVER types,
   since/until ranges of 1 week to 2 years, ``limit=50`` and offsets 0..500, plus plain unfiltered
   pages - and ``/api/graph`` over a small fixed set of date ranges/types. Each server process
   caches up to 256 answers per endpoint: the distinct ``/api/events`` queries mostly miss it; the
   workers of one server share their aggregates (``dyads.serve.runtime.SharedAnswers``, both
   servers), so a graph computed in the cold pass is not computed again by the other worker.

Per run and endpoint: requests, errors (non-2xx, bad body or exception), p50/p95/p99/max in ms and
requests/s; the machine's load average before each run. Verdict per store: PASS when the new
server has no error, its ``/api/events`` p95 under load is below the target (``--target-ms``;
default 50 ms up to 100,000 events and 100 ms above) and none of its p50/p95/p99 figures (events
and graph under load, graph cold) is worse than the old server's in the same run. Exit status 1
on any FAIL.

``--full`` is the whole matrix, 100,000 and 1,000,000 events on SQLite and PostgreSQL (what
``make bench`` runs; about 10 minutes on 2 cores).

Usage: ``python bench/serve_bench.py [--full] [--events 100000[,1000000]] [--backends sqlite[,postgresql]]
[--servers asgi,legacy] [--requests 5000] [--rounds 2] [--concurrency 20] [--graph-share 0.2] [--workers 2]
[--client async|threads] [--seed 13] [--json]``
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


def build_store(db: str, n: int, size_of: Path | None = None) -> dict:
    """Fill a fresh store ``db`` (a path or URL) with ``n`` synthetic clusters and check it is as the API needs."""
    from dyads.store import open_store

    t0 = time.perf_counter()
    with open_store(db) as store:
        fill_s = sb.fill(store, n)
        counts = dict(store.query(
            "SELECT 'events', COUNT(*) FROM events UNION ALL SELECT 'actors', COUNT(*) FROM actors UNION ALL "
            "SELECT 'actor_links', COUNT(*) FROM event_actors WHERE role = 'actor' UNION ALL "
            "SELECT 'recipient_links', COUNT(*) FROM event_actors WHERE role = 'recipient' UNION ALL "
            "SELECT 'dyads', COUNT(*) FROM event_dyads UNION ALL "
            "SELECT 'no_day', COUNT(*) FROM events WHERE day IS NULL"))
        span = store.query("SELECT MIN(day), MAX(day) FROM events")[0]
        backend = store.backend
        nbytes = (size_of.stat().st_size if size_of else
                  int(store.scalar("SELECT pg_database_size(current_database())")))
    problems = [f"{k} {counts[k]} != {n}" for k in ("events", "actor_links", "recipient_links", "dyads")
                if counts[k] != n]
    if counts["actors"] != len(COUNTRIES):
        problems.append(f"actors {counts['actors']} != {len(COUNTRIES)}")
    if problems:
        raise SystemExit("synthetic store is not as expected: " + "; ".join(problems))
    return {"backend": backend, "events": n, "fill_seconds": round(fill_s, 1),
            "seconds": round(time.perf_counter() - t0, 1), "actors": counts["actors"], "first_day": str(span[0]),
            "last_day": str(span[1]), "bytes": nbytes}


# --------------------------------------------------------------------------- PostgreSQL


class PgCluster:
    """A throwaway PostgreSQL 15 cluster under /tmp, on a Unix socket only (as tests/test_store.py)."""

    def __init__(self, bin_dir: Path):
        import shutil
        import socket

        self.bin = bin_dir
        self.tmp = tempfile.mkdtemp(prefix="dyads-bench-pg-")
        self.data = os.path.join(self.tmp, "data")
        self.user = None
        if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
            import pwd

            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                    self.user = name
                    break
                except KeyError:
                    continue
            if self.user is None or shutil.which("runuser") is None:
                raise RuntimeError("running as root needs runuser and a 'postgres' or 'nobody' user")
            shutil.chown(self.tmp, user=self.user)
        with socket.socket() as sk:
            sk.bind(("127.0.0.1", 0))
            self.port = sk.getsockname()[1]
        self._run([str(self.bin / "initdb"), "-D", self.data, "-U", "dyads", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        # a benchmark cluster: no durability, enough memory for the 1M-event store
        opts = (f"-p {self.port} -k {self.tmp} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c shared_buffers=512MB -c max_connections=200 -c work_mem=16MB")
        self._run([str(self.bin / "pg_ctl"), "-D", self.data, "-o", opts, "-l", os.path.join(self.tmp, "log"),
                   "-w", "-t", "60", "start"])

    def _run(self, cmd: list[str]) -> None:
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
        if r.returncode != 0:
            raise RuntimeError(f"{os.path.basename(cmd[-1] if cmd[-1] != 'start' else 'pg_ctl')} failed: "
                               f"{(r.stderr or r.stdout).strip()[-500:]}")

    def url(self, db: str) -> str:
        return f"postgresql:///{db}?host={self.tmp}&port={self.port}&user=dyads"

    def create(self, db: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}"')  # names made here, not input
            conn.execute(f'CREATE DATABASE "{db}"')
        return self.url(db)

    def drop(self, db: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    def stop(self) -> None:
        import shutil

        try:
            self._run([str(self.bin / "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"])
        except RuntimeError:
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- server


class Server:
    """``python -m dyads.serve`` (``legacy``: with ``--legacy-http``) on a free loopback port; its
    stderr is drained in a thread."""

    def __init__(self, db: str, workers: int | None = None, legacy: bool = False, extra: list[str] | None = None):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        cmd = [sys.executable, "-m", "dyads.serve", "--db", str(db), "--port", "0"]
        if workers:
            cmd += ["--workers", str(workers)]
        if legacy:
            cmd.append("--legacy-http")
        cmd += extra or []
        self.kind = "legacy" if legacy else "asgi"
        self.workers = None
        self.proc = subprocess.Popen(cmd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, text=True, encoding="utf-8", errors="replace")
        self.log_lines = 0
        self.started = 0
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
            if any(w in line for w in ("error on", "Traceback", "Exception in ASGI", "store error")):
                self.bug_lines.append(line.rstrip())
            if "Application startup complete" in line:  # uvicorn, once per worker
                self.started += 1

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=5)
                c.request("GET", "/api/stats")
                r = c.getresponse()
                body = r.read()
                c.close()
                # every worker up (uvicorn spawns them: the first may answer while the others still start)
                if (r.status == 200 and json.loads(body).get("events") is not None
                        and (self.kind == "legacy" or self.started >= (self.workers or 1))):
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


def target_for(n: int) -> float:
    """The /api/events p95 goal: 50 ms up to 100,000 events, 100 ms above (up to 1,000,000)."""
    return 50.0 if n <= 100_000 else 100.0


def run_server(kind: str, db: str, workers: int, reqs, graphs, concurrency: int, client: str) -> dict:
    """One server over one store: start, cold graph pass, load, check it still answers, stop.
    Raw results: (endpoint, ms, error) per request of each phase."""
    load_before = os.getloadavg()[0]
    server = Server(db, workers, legacy=(kind == "legacy"))
    try:
        cold_res, cold_wall = run_requests(server.host, server.port, [("graph", p) for p in graphs], 1)
        run = run_requests if client == "threads" else run_requests_async
        load_res, load_wall = run(server.host, server.port, reqs, concurrency)
        server.wait_ready(5)  # still alive and answering after the load
    finally:
        server.stop()
    return {"cold": cold_res, "cold_wall": cold_wall, "load": load_res, "load_wall": load_wall,
            "workers": server.workers, "loadavg": load_before, "bugs": server.bug_lines}


def run_store(db: str, servers: list[str], rounds: int, args, say) -> list[dict]:
    """Every server over one store, in ``rounds`` interleaved rounds (A B, B A, A B ...: the machine's
    other work and the store's warm-up fall on both alike); each server's figures pool its rounds."""
    per_round = max(1, args.requests // rounds)
    raw: dict[str, list[dict]] = {k: [] for k in servers}
    for r in range(rounds):
        reqs = plan(per_round, args.graph_share, args.seed + r)
        graphs = sorted({p for e, p in reqs if e == "graph"})
        for kind in (servers if r % 2 == 0 else servers[::-1]):
            say(f"  round {r + 1}/{rounds}: {kind} server, {args.workers} workers, {per_round:,} requests ...")
            raw[kind].append(run_server(kind, db, args.workers, reqs, graphs, args.concurrency, args.client))
    runs = []
    for kind in servers:
        rs = raw[kind]
        load_res = [x for run in rs for x in run["load"]]
        load_wall = sum(run["load_wall"] for run in rs)
        cold = summarise([x for run in rs for x in run["cold"]], sum(run["cold_wall"] for run in rs),
                         {"graph": len(rs[0]["cold"])})
        load = summarise(load_res, load_wall, {})
        bugs = [b for run in rs for b in run["bugs"]]
        runs.append({"server": kind, "workers": rs[0]["workers"], "rounds": len(rs),
                     "loadavg_before": [round(run["loadavg"], 2) for run in rs],
                     "cold_graph": cold.get("graph"), "load": load, "load_seconds": round(load_wall, 2),
                     "load_req_per_s": round(len(load_res) / load_wall, 1) if load_wall else None,
                     "errors": sum(x["errors"] for x in (*cold.values(), *load.values())),
                     "logged_bugs": len(bugs), "bug_samples": bugs[:5]})
    return runs


FIGURES = [("events", "load"), ("graph", "load"), ("graph", "cold")]


def _figure(run: dict, endpoint: str, phase: str) -> dict | None:
    return run["cold_graph"] if phase == "cold" else run["load"].get(endpoint)


def verdict(runs: list[dict], target_ms: float) -> dict:
    """PASS/FAIL for one store: the new server's errors, its events p95 against the target, and each
    of its p50/p95/p99 figures against the old server's in the same run."""
    new = next((r for r in runs if r["server"] == "asgi"), None)
    old = next((r for r in runs if r["server"] == "legacy"), None)
    problems: list[str] = []
    if new is None:
        return {"pass": None, "problems": ["the new server was not run"]}
    if new["errors"] or new["logged_bugs"]:
        problems.append(f"{new['errors']} errors, {new['logged_bugs']} logged bugs")
    ev = new["load"].get("events")
    if not ev or not ev["p95_ms"] < target_ms:
        problems.append(f"/api/events p95 {ev and ev['p95_ms']} ms is not below {target_ms:g} ms")
    if old is not None:
        for endpoint, phase in FIGURES:
            a, b = _figure(new, endpoint, phase), _figure(old, endpoint, phase)
            if not a or not b:
                continue
            for q in ("p50_ms", "p95_ms", "p99_ms"):
                if a[q] > b[q]:
                    problems.append(f"{endpoint} {phase} {q[:3]} {a[q]} ms > old server's {b[q]} ms")
    return {"pass": not problems, "problems": problems}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true",
                    help="the whole matrix: --events 100000,1000000 --backends sqlite,postgresql (make bench)")
    ap.add_argument("--events", default=None, help="synthetic event clusters, comma-separated sizes (default 100000)")
    ap.add_argument("--backends", default=None, help="sqlite and/or postgresql, comma-separated (default sqlite)")
    ap.add_argument("--servers", default="asgi,legacy",
                    help="asgi (dyads serve) and/or legacy (the deprecated --legacy-http server), in this order")
    ap.add_argument("--requests", type=int, default=5000,
                    help="requests of the load phase per server and store, over all rounds (default 5000)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="interleaved rounds per store: each server is started once per round (default 2)")
    ap.add_argument("--concurrency", type=int, default=20, help="concurrent connections (default 20)")
    ap.add_argument("--graph-share", type=float, default=0.2,
                    help="share of the load that goes to /api/graph (default 0.2)")
    ap.add_argument("--target-ms", type=float, default=None,
                    help="/api/events p95 target (default 50 up to 100,000 events, 100 above)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the request mix (default 13)")
    ap.add_argument("--workers", type=int, default=2, help="dyads serve --workers (default 2)")
    ap.add_argument("--client", choices=("async", "threads"), default="async",
                    help="load generator: one asyncio loop (default) or one thread per connection")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    try:
        sizes = [int(x) for x in (args.events or ("100000,1000000" if args.full else "100000")).split(",")]
    except ValueError:
        ap.error(f"--events {args.events!r}: give whole numbers, e.g. 100000,1000000")
    backends = (args.backends or ("sqlite,postgresql" if args.full else "sqlite")).split(",")
    servers = args.servers.split(",")
    if (any(n < 1 for n in sizes) or args.requests < 1 or args.concurrency < 1 or args.workers < 1
            or args.rounds < 1 or not 0 <= args.graph_share <= 1):
        ap.error("--events, --requests, --rounds, --concurrency and --workers must be positive; --graph-share in 0..1")
    if set(backends) - {"sqlite", "postgresql"} or set(servers) - {"asgi", "legacy"} or not servers:
        ap.error("--backends: sqlite, postgresql; --servers: asgi, legacy")
    sys.path.insert(0, str(ROOT / "src"))
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped bench still stops its servers and cluster
    say = (lambda *a: None) if args.json else (lambda msg: print(msg, file=sys.stderr, flush=True))
    t_all = time.perf_counter()
    reqs = plan(max(1, args.requests // args.rounds), args.graph_share, args.seed)
    distinct = {ep: len({p for e, p in reqs if e == ep}) for ep in ("events", "graph")}
    results: list[dict] = []
    skipped: list[str] = []
    pg = None
    if "postgresql" in backends:
        pg_bin = Path(os.environ.get("DYADS_PG_BIN", "/usr/lib/postgresql/15/bin"))
        try:
            if not (pg_bin / "initdb").exists():
                raise RuntimeError(f"no initdb in {pg_bin} (install postgresql-15 or set DYADS_PG_BIN)")
            say(f"starting a throwaway PostgreSQL cluster from {pg_bin} ...")
            pg = PgCluster(pg_bin)
        except (RuntimeError, OSError) as exc:
            skipped.append(f"postgresql: skipped, the cluster did not start: {exc}")
            say(skipped[-1])
    try:
        with tempfile.TemporaryDirectory(prefix="dyads-serve-bench-") as tmp:
            for backend in backends:
                if backend == "postgresql" and pg is None:
                    continue
                for n in sizes:
                    name = f"serve_bench_{n}"
                    if backend == "sqlite":
                        path = Path(tmp) / f"{name}.db"
                        db, size_of = str(path), path
                    else:
                        db, size_of = pg.create(name), None
                    say(f"{backend}: building a store of {n:,} synthetic events ...")
                    store = build_store(db, n, size_of)
                    say(f"{backend}: {n:,} events built in {store['seconds']} s")
                    say(f"{backend}, {n:,} events: {', '.join(servers)} in {args.rounds} interleaved rounds")
                    runs = run_store(db, servers, args.rounds, args, say)
                    target = args.target_ms or target_for(n)
                    results.append({"store": store, "target_ms": target, "runs": runs, **verdict(runs, target)})
                    if backend == "sqlite":
                        path.unlink()
                        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                            extra.unlink(missing_ok=True)
                    else:
                        pg.drop(name)
    finally:
        if pg is not None:
            pg.stop()
    ok = all(r["pass"] for r in results) and bool(results)
    report = {"requests": args.requests, "rounds": args.rounds, "concurrency": args.concurrency,
              "graph_share": args.graph_share, "workers": args.workers, "cpus": os.cpu_count(),
              "results": results, "skipped": skipped,
              "total_seconds": round(time.perf_counter() - t_all, 1), "pass": ok}
    if args.json:
        print(json.dumps(report))
        return 0 if ok else 1
    print(f"dyads serve under load: per server and store {args.requests:,} requests in {args.rounds} interleaved "
          f"rounds, {args.concurrency} keep-alive connections ({1 - args.graph_share:.0%} /api/events, about "
          f"{distinct['events']:,} distinct queries per round; {args.graph_share:.0%} /api/graph, "
          f"{distinct['graph']} distinct), {args.workers} workers, {os.cpu_count()} CPUs; "
          "asgi = FastAPI on uvicorn, legacy = the old http.server")
    head = (f"{'store':<22} {'server':<7} {'endpoint':<13} {'req':>5} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} "
            f"{'max':>7}  {'req/s':>6}  load avg")
    print(head)
    for res in results:
        st = res["store"]
        label = f"{st['events']:,} {st['backend']}"
        for run in res["runs"]:
            rows = [("graph cold", run["cold_graph"])] + [(f"{ep}", run["load"].get(ep)) for ep in ("events", "graph")]
            for ep, f in rows:
                if not f:
                    continue
                print(f"{label:<22} {run['server']:<7} {ep:<13} {f['requests']:>5} {f['errors']:>4} "
                      f"{f['p50_ms']:>7.1f} {f['p95_ms']:>7.1f} {f['p99_ms']:>7.1f} {f['max_ms']:>7.1f}  "
                      f"{f['req_per_s']:>6.1f}  {'/'.join(f'{x:.1f}' for x in run['loadavg_before'])}")
                for sample in f.get("error_samples", []):
                    print(f"    error: {sample}")
            for b in run["bug_samples"]:
                print(f"    server log: {b}")
        verdict_s = "PASS" if res["pass"] else "FAIL: " + "; ".join(res["problems"])
        print(f"{label:<22} store {st['bytes'] / 1e6:.0f} MB built in {st['seconds']} s; target /api/events p95 < "
              f"{res['target_ms']:g} ms: {verdict_s}")
    for line in skipped:
        print(line)
    print(f"total {report['total_seconds']} s; {'PASS' if ok else 'FAIL'} (times in ms; load avg = the machine's "
          "1-minute load average before each round's run of that server)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
