"""Watch latency: from a story appearing in a feed to its article being in the store, and to its
alert, on loopback.

A ``dyads watch FEEDS --every E --host-delay 0`` subprocess (the real command, SQLite store) polls
the loopback news site of the tests (``tests/feed_server.py``). After its first article is stored
(the language model is loaded by then), N stories (default 10) are published one at a time, each
at a random moment of the poll cycle: the page goes up and the feed gets the item at ``t0``; the
bench reads the store every 10 ms until the article is there (``t1``). The watcher's own
timestamps split each latency into *waiting* (``t0`` to the poll that saw the item:
``watch_pages.first_seen``) and *work* (fetching, extracting, storing: ``first_seen`` to
``done_at``).

The watcher runs with ``--rules`` (one rule that matches every event, alerts to a file), so the
bench also reads how long each story took to become an alert line carrying its URL (``t2``).

Expected: about E/2 of waiting on average (E at most) plus well under a second of work per story.
Target: p95 of the total below E + 2 s.

Usage: ``python bench/watch_bench.py [--every 1s] [-n 10] [--json]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from feed_server import FeedServer, pair_story  # noqa: E402 - the tests' loopback site


def _ts(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _row(db: str, url: str):
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT p.first_seen, p.done_at FROM watch_pages p JOIN articles a ON a.url = p.url "
                           "WHERE p.url = ? AND p.state = 'stored'", (url,)).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def run(every: float, n: int, seed: int = 7) -> dict:
    from dyads.cli_watch import parse_duration  # noqa: F401 - fail early if dyads is not importable

    rng = random.Random(seed)
    totals, waits, works, alerted = [], [], [], []
    with FeedServer() as srv, tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "w.db")
        feeds = Path(tmp) / "feeds.txt"
        feeds.write_text(srv.url("/feed.xml") + "\n")
        alerts_file = Path(tmp) / "alerts.jsonl"
        rules = Path(tmp) / "rules.yaml"
        rules.write_text(f"sinks:\n  - file: {alerts_file}\nrules:\n  - name: every-event\n")

        def alert_for(url: str) -> bool:
            try:
                return any(json.loads(x).get("url") == url for x in alerts_file.read_text().splitlines() if x.strip())
            except (OSError, ValueError):
                return False

        items = []

        def publish(i: int) -> str:
            story = pair_story(i)
            path = f"/news/{story[0]}"
            srv.set_page(path, story)
            items.insert(0, (srv.url(path), story[1]))
            srv.set_feed("/feed.xml", items[:20])
            return srv.url(path)

        first = publish(0)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        proc = subprocess.Popen([sys.executable, "-m", "dyads.cli", "watch", str(feeds), "--db", db, "--every",
                                 f"{every}s", "--host-delay", "0", "--quiet", "--rules", str(rules)], env=env)
        try:
            end = time.time() + 300
            while _row(db, first) is None:
                if time.time() > end or proc.poll() is not None:
                    raise SystemExit("the watcher did not store its first article")
                time.sleep(0.05)
            for i in range(1, n + 1):
                time.sleep(rng.uniform(0, every))  # a random moment of the poll cycle
                t0 = time.time()
                url = publish(i)
                while (row := _row(db, url)) is None:
                    if time.time() - t0 > 120:
                        raise SystemExit(f"{url} was not stored within 120 s")
                    time.sleep(0.01)
                t1 = time.time()
                while not alert_for(url) and time.time() - t1 < 10:  # the hook runs after the poll
                    time.sleep(0.01)
                if alert_for(url):
                    alerted.append(time.time() - t0)
                totals.append(t1 - t0)
                waits.append(max(0.0, _ts(row[0]) - t0))
                works.append(_ts(row[1]) - _ts(row[0]))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"every_s": every, "stories": n,
            "total_s": {"p50": round(statistics.median(totals), 3), "p95": round(pct(totals, 0.95), 3),
                        "max": round(max(totals), 3), "mean": round(statistics.mean(totals), 3)},
            "waiting_s": {"p50": round(statistics.median(waits), 3), "max": round(max(waits), 3)},
            "work_s": {"p50": round(statistics.median(works), 3), "max": round(max(works), 3)},
            "alert_s": ({"n": len(alerted), "p50": round(statistics.median(alerted), 3),
                         "p95": round(pct(alerted, 0.95), 3), "max": round(max(alerted), 3)} if alerted else {"n": 0}),
            "target_p95_s": every + 2.0}


def main() -> int:
    from dyads.cli_watch import parse_duration

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", default="1s", help="the watcher's poll interval (default 1s)")
    ap.add_argument("-n", type=int, default=10, help="stories published (default 10)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    report = run(parse_duration(args.every), args.n)
    if args.json:
        print(json.dumps(report))
    else:
        t, w, k = report["total_s"], report["waiting_s"], report["work_s"]
        print(f"watch latency, --every {report['every_s']:g}s, {report['stories']} stories on loopback: "
              f"feed item to stored article p50 {t['p50']:.2f} s, p95 {t['p95']:.2f} s, max {t['max']:.2f} s "
              f"(waiting for the poll p50 {w['p50']:.2f} s; fetch + extract + store p50 {k['p50']:.2f} s, "
              f"max {k['max']:.2f} s); target p95 < {report['target_p95_s']:g} s")
        a = report["alert_s"]
        if a["n"]:
            print(f"feed item to alert (--rules, file sink): {a['n']} of {report['stories']} stories alerted, "
                  f"p50 {a['p50']:.2f} s, p95 {a['p95']:.2f} s, max {a['max']:.2f} s")
        else:
            print("feed item to alert: no story fired an alert")
    return 0 if report["total_s"]["p95"] < report["target_p95_s"] else 1


if __name__ == "__main__":
    sys.exit(main())
