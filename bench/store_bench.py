"""Corpus store benchmark: ingest rate and dyad + date-range query latency.

1. **Ingest rate**: ``dyads.ingest.ingest`` of the first N stories (default 1,000) of
   ``../shared/eval/data/ngec_synthetic_events.jsonl`` into a fresh SQLite store with
   ``--workers`` processes (default 2); prints stories/s including worker start-up. Skipped
   when the file is absent (``../shared`` is only on developer and CI machines).
2. **Query latency**: a fresh SQLite store filled with M synthetic event clusters (default
   1,000,000; bulk-inserted directly into ``events``/``event_dyads``/``event_actors``/
   ``event_actor_pairs``, the count tables filled from them, not through extraction: 60 states, 16 PLOVER types, days over 2019-2025), then Q (default 200)
   calls of ``dyads.query.events(actor=A, recipient=B, since=D, until=D+90 days, limit=100)``
   for random directed pairs; prints p50/p95/max in milliseconds. Target: p95 < 200 ms.

``--db postgresql://...`` runs the query test on an empty PostgreSQL database instead.

Usage: ``python bench/store_bench.py [-n 1000] [--events 1000000] [--queries 200] [--db URL] [--json]``
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "eval" / "data" / "ngec_synthetic_events.jsonl"

QUADS = {"AGREE": ("verbal cooperation", 4.0), "CONSULT": ("verbal cooperation", 1.0),
         "SUPPORT": ("verbal cooperation", 3.5), "CONCEDE": ("material cooperation", 5.0),
         "COOPERATE": ("material cooperation", 6.0), "AID": ("material cooperation", 7.0),
         "RETREAT": ("material cooperation", 6.5), "REQUEST": ("verbal cooperation", 2.0),
         "ACCUSE": ("verbal conflict", -3.0), "REJECT": ("verbal conflict", -4.0),
         "THREATEN": ("verbal conflict", -6.0), "PROTEST": ("material conflict", -6.5),
         "SANCTION": ("material conflict", -7.0), "MOBILIZE": ("material conflict", -7.5),
         "COERCE": ("material conflict", -8.0), "ASSAULT": ("material conflict", -9.5)}
COUNTRIES = ["AFG", "ARG", "AUS", "BGD", "BLR", "BOL", "BRA", "CAN", "CHL", "CHN", "COL", "CUB", "DEU", "EGY",
             "ESP", "ETH", "FRA", "GBR", "GHA", "GRC", "IDN", "IND", "IRN", "IRQ", "ISR", "ITA", "JPN", "KEN",
             "KOR", "LBN", "LBY", "MEX", "MLI", "MMR", "NGA", "NLD", "PAK", "PER", "PHL", "POL", "PRK", "QAT",
             "RUS", "SAU", "SDN", "SOM", "SRB", "SSD", "SYR", "THA", "TUR", "TWN", "UKR", "USA", "VEN", "VNM",
             "XKX", "YEM", "ZAF", "ZWE"]
START = date(2019, 1, 1)
DAYS = 7 * 365


def bench_ingest(n: int, workers: int) -> dict | None:
    from dyads.ingest import ingest
    from dyads.store import open_store

    if not STORIES.exists():
        print(f"ingest: skipped ({STORIES} not present)", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stories.jsonl"
        with open(STORIES, encoding="utf-8") as fh, open(src, "w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= n:
                    break
                out.write(line)
        with open_store(str(Path(tmp) / "ingest.db")) as store:
            t0 = time.perf_counter()
            summary = ingest([src], store, workers=workers, progress=sys.stderr.isatty())
            secs = time.perf_counter() - t0
            stats = dict(store.query("SELECT 'events', COUNT(*) FROM events UNION ALL "
                                     "SELECT 'mentions', COUNT(*) FROM event_mentions"))
    return {"stories": summary.seen, "new": summary.new, "failed": summary.failed, "seconds": round(secs, 2),
            "stories_per_s": round(summary.seen / secs, 2), "workers": workers, "events": stats["events"],
            "event_mentions": stats["mentions"]}


def fill(store, m: int, seed: int = 7) -> float:
    """Bulk-insert ``m`` synthetic event clusters; return seconds taken."""
    from dyads.store import COUNTS_FILL, MIGRATIONS

    rng = random.Random(seed)
    t0 = time.perf_counter()
    if store.backend == "sqlite":  # a throw-away benchmark store: trade durability for speed
        store.execute("PRAGMA synchronous=OFF")
        store.execute("PRAGMA cache_size=-262144")
    with store.transaction():
        store.executemany("INSERT INTO actors (pk, key, name, kind, country, sector, mentions, articles) "
                          "VALUES (?, ?, ?, 'state', ?, NULL, 0, 0)",
                          [(i + 1, f"state|{c}||", c, c) for i, c in enumerate(COUNTRIES)])
    # build the secondary indexes after the bulk load, not row by row: those the migrations leave in
    # place (each CREATE INDEX of a migration, less those a later migration drops)
    indexes: dict[str, str] = {}
    for _, script in MIGRATIONS:
        for stmt in (s.strip() for s in script.split(";")):
            words = stmt.split()
            if words[:2] == ["CREATE", "INDEX"]:
                indexes[words[2]] = stmt
            elif words[:2] == ["DROP", "INDEX"]:
                indexes.pop(words[-1], None)
    index_sql = list(indexes.values())
    for name in indexes:
        store.execute("DROP INDEX IF EXISTS " + name)  # index names from our own migrations
    types = list(QUADS)
    batch = 100_000
    pk = 0
    while pk < m:
        ev_rows, dyad_rows, actor_rows, pair_rows = [], [], [], []
        for _ in range(min(batch, m - pk)):
            pk += 1
            a, r = rng.sample(range(len(COUNTRIES)), 2)
            # skewed so some pairs are busy, as in real news
            if rng.random() < 0.3:
                a, r = a % 8, (r % 8 + 1 + a % 8) % 8 if r % 8 == a % 8 else r % 8
            ca, cr = COUNTRIES[a], COUNTRIES[r]
            day = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
            typ = rng.choice(types)
            quad, inten = QUADS[typ]
            n_m = 1 + int(rng.expovariate(1.0))
            ev_rows.append((pk, typ, "asserted", day, "day", day, json.dumps([ca]), json.dumps([cr]),
                            json.dumps([a + 1]), json.dumps([r + 1]), inten, quad, typ[:2], "said", "said",
                            f"{ca} and {cr}: synthetic event {pk}.", n_m, min(n_m, 3), n_m, day, day))
            dyad_rows.append((pk, ca, cr, day, typ))
            actor_rows += [(pk, a + 1, "actor", day, typ), (pk, r + 1, "recipient", day, typ)]
            pair_rows.append((pk, a + 1, r + 1, day, typ))
        with store.transaction():
            _bulk(store, "events", ("pk", "type", "status", "date", "date_precision", "day", "actor_countries",
                                    "recipient_countries", "actor_ids", "recipient_ids", "intensity", "quad", "cameo",
                                    "trigger", "lemma", "evidence", "mentions", "sources", "articles", "first_seen",
                                    "last_seen"), ev_rows)
            _bulk(store, "event_dyads", ("event_pk", "actor_country", "recipient_country", "day", "type"), dyad_rows)
            _bulk(store, "event_actors", ("event_pk", "actor_pk", "role", "day", "type"), actor_rows)
            _bulk(store, "event_actor_pairs", ("event_pk", "actor_pk", "recipient_pk", "day", "type"), pair_rows)
    with store.transaction():
        for stmt in index_sql:
            store.execute(stmt)
        # the per-day count tables (migration 0009), as dyads.aggregate would have kept them
        for table in ("event_day_counts", "event_type_day_counts", "event_country_day_counts"):
            store.execute("DELETE FROM " + table)  # names from this fixed list
        for stmt in (s.strip() for s in COUNTS_FILL.split(";")):
            if stmt:
                store.execute(stmt)
    if store.backend == "postgresql":
        # statistics and the visibility map (index-only scans) as autovacuum leaves a loaded table,
        # now rather than at some point during the benchmark
        store.conn.commit()
        store.conn.autocommit = True
        try:
            store.execute("VACUUM ANALYZE")
        finally:
            store.conn.autocommit = False
    else:
        store.execute("ANALYZE")  # planner statistics for the fresh tables
    return time.perf_counter() - t0


def _bulk(store, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` into ``table`` (names from this file): PostgreSQL's COPY, else executemany."""
    if store.backend == "postgresql":  # COPY: a million rows in seconds, not minutes
        with store.conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in cols)
    store.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


def bench_queries(m: int, q: int, db: str | None = None) -> dict:
    from dyads import query
    from dyads.store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(db or str(Path(tmp) / "big.db")) as store:
        if store.count("events"):
            raise SystemExit(f"--db {db} already holds events: give an empty database")
        fill_s = fill(store, m)
        rng = random.Random(11)
        times, hits = [], []
        for i in range(q):
            if i % 2 == 0:  # a busy pair
                a, r = rng.sample(COUNTRIES[:8], 2)
            else:
                a, r = rng.sample(COUNTRIES, 2)
            since = START + timedelta(days=rng.randrange(DAYS - 90))
            t0 = time.perf_counter()
            rows = query.events(store, actor=a, recipient=r, since=since.isoformat(),
                                until=(since + timedelta(days=90)).isoformat(), limit=100)
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(len(rows))
        times.sort()
        return {"backend": store.backend, "events": m, "fill_seconds": round(fill_s, 1), "queries": q,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
                "max_ms": round(times[-1], 2), "mean_rows": round(statistics.mean(hits), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="stories to ingest (default 1000; 0 skips)")
    ap.add_argument("--workers", type=int, default=2, help="ingest worker processes (default 2)")
    ap.add_argument("--events", type=int, default=1_000_000, help="synthetic events for the query test")
    ap.add_argument("--queries", type=int, default=200, help="dyad + date-range queries to time")
    ap.add_argument("--db", metavar="URL", help="empty store for the query test (default: a temporary SQLite "
                                                "file), e.g. postgresql://me@host/emptydb")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    report = {"ingest": bench_ingest(args.n, args.workers) if args.n else None,
              "query": bench_queries(args.events, args.queries, args.db) if args.events else None}
    if args.json:
        print(json.dumps(report))
        return 0
    ing, qr = report["ingest"], report["query"]
    if ing:
        print(f"ingest: {ing['stories']} stories in {ing['seconds']} s = {ing['stories_per_s']} stories/s "
              f"on {ing['workers']} workers ({ing['new']} new, {ing['failed']} failed, {ing['events']} events "
              f"from {ing['event_mentions']} mentions)")
    if qr:
        ok = "OK" if qr["p95_ms"] < 200 else "SLOW"
        print(f"query ({qr['backend']}): dyad + 90-day range on {qr['events']:,} events "
              f"(filled in {qr['fill_seconds']} s): "
              f"p50 {qr['p50_ms']} ms, p95 {qr['p95_ms']} ms, max {qr['max_ms']} ms over {qr['queries']} queries, "
              f"{qr['mean_rows']} rows on average [{ok}: p95 < 200 ms]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
