"""Alerts and briefs benchmark: how long rules and briefs take on a store of a realistic size.

A fresh SQLite store gets N synthetic articles (default 20,000; two events each, between 60 states,
16 PLOVER types, over 2023-2024, from 25 outlets; a third of the articles report an event already
reported by another outlet, so clusters grow), stored through ``Store.add_result`` like
``dyads ingest`` (no NLP: the records are made here). Then:

1. **Backfill**: :func:`dyads.alerts.run_rules` with five rules (two event rules, one with a
   source threshold; a conflict spike rule; a first_pair rule; a claimed/denied status rule) over
   the whole store, as the first ``dyads alerts run`` on an existing corpus does.
2. **After one article** (the watcher's path): store one more article, run the rules again;
   repeated R times (default 50): p50/p95/max milliseconds. This is the cost the alert step adds
   to each poll of ``dyads watch``, beyond extraction.
3. **Brief**: :func:`dyads.brief.build_brief` for the busiest directed pair over the whole period,
   both directions, and its Markdown and HTML rendering.

Usage: ``python bench/alerts_bench.py [-n 20000] [--repeat 50] [--json]``
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
sys.path.insert(0, str(ROOT / "tests"))

TYPES = {"AGREE": "agreed with", "CONSULT": "held talks with", "SUPPORT": "backed", "CONCEDE": "conceded to",
         "COOPERATE": "cooperated with", "AID": "sent aid to", "RETREAT": "withdrew from", "REQUEST": "asked",
         "ACCUSE": "accused", "REJECT": "rejected", "THREATEN": "threatened", "PROTEST": "protested to",
         "SANCTION": "sanctioned", "MOBILIZE": "massed troops near", "COERCE": "seized ships of",
         "ASSAULT": "shelled"}
COUNTRIES = ["AFG", "ARG", "AUS", "BGD", "BLR", "BOL", "BRA", "CAN", "CHL", "CHN", "COL", "CUB", "DEU", "EGY",
             "ESP", "ETH", "FRA", "GBR", "GHA", "GRC", "IDN", "IND", "IRN", "IRQ", "ISR", "ITA", "JPN", "KEN",
             "KOR", "LBN", "LBY", "MEX", "MLI", "MMR", "NGA", "NLD", "PAK", "PER", "PHL", "POL", "PRK", "QAT",
             "RUS", "SAU", "SDN", "SOM", "SRB", "SSD", "SYR", "THA", "TUR", "TWN", "UKR", "USA", "VEN", "VNM",
             "XKX", "YEM", "ZAF", "ZWE"]
OUTLETS = [f"Outlet {i}" for i in range(25)]
START = date(2023, 1, 1)
RULES = """
rules:
  - name: assaults
    type: ASSAULT
    again_at_sources: 3
  - name: rus-ukr
    actor: RUS
    recipient: UKR
    quad: conflict
  - name: spikes
    kind: spike
    direction: conflict
    factor: 3
    min_count: 3
  - name: new-pairs
    kind: first_pair
  - name: claims
    status: [claimed, denied]
"""


def _event(rng: random.Random, k: int):
    from records_store import Ev

    # a few busy pairs, many quiet ones
    if rng.random() < 0.3:
        a, r = rng.choice([("RUS", "UKR"), ("CHN", "PHL"), ("IND", "PAK"), ("ISR", "LBN")])
    else:
        a, r = rng.sample(COUNTRIES, 2)
    ptype = rng.choice(list(TYPES))
    day = (START + timedelta(days=rng.randrange(730))).isoformat()
    verb = TYPES[ptype]
    text = f"{a} {verb} {r} over matter{k} in incident{k} on day{k}."
    return Ev(ptype, a, r, text, day, trigger=verb.split()[0], claimed_by=a if rng.random() < 0.1 else None)


def build(store, n: int, rng: random.Random) -> float:
    from records_store import Story, add

    told = []
    t0 = time.perf_counter()
    for i in range(n):
        events = []
        for j in range(2):
            if told and rng.random() < 0.33:
                events.append(rng.choice(told))  # another outlet reports an event already told
            else:
                ev = _event(rng, 2 * i + j)
                told.append(ev)
                events.append(ev)
        day = max(e.date for e in events)
        add(store, Story(f"a{i}", rng.choice(OUTLETS), day, events, url=f"https://example.org/a{i}"))
        if (i + 1) % 5000 == 0:
            print(f"  stored {i + 1} articles", file=sys.stderr)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20000, help="articles in the store (default 20,000)")
    ap.add_argument("--repeat", type=int, default=50, help="single-article runs timed (default 50)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from dyads.alerts import parse_rules, run_rules
    from dyads.brief import build_brief, to_html, to_markdown
    from dyads.store import open_store

    rng = random.Random(13)
    rules = parse_rules(RULES)
    out: dict = {"articles": args.n}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "alerts.db"))
        out["store_s"] = round(build(store, args.n, rng), 1)
        out["clusters"] = store.count("events")
        out["mentions"] = store.count("event_mentions")
        t0 = time.perf_counter()
        fired = run_rules(store, rules, sinks=[])
        out["backfill_s"] = round(time.perf_counter() - t0, 2)
        out["backfill_alerts"] = len(fired)
        by_rule: dict[str, int] = {}
        for a in fired:
            by_rule[a.rule] = by_rule.get(a.rule, 0) + 1
        out["backfill_by_rule"] = by_rule
        from records_store import Story, add

        times = []
        for i in range(args.repeat):
            ev = _event(rng, 10_000_000 + i)
            add(store, Story(f"new{i}", rng.choice(OUTLETS), ev.date, [ev, _event(rng, 20_000_000 + i)]))
            t0 = time.perf_counter()
            run_rules(store, rules, sinks=[])
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out["one_article_ms"] = {"p50": round(statistics.median(times), 1),
                                 "p95": round(times[int(0.95 * (len(times) - 1))], 1), "max": round(times[-1], 1)}
        t0 = time.perf_counter()
        brief = build_brief(store, actor="RUS", recipient="UKR", both_directions=True)
        out["brief_events"] = brief.events
        out["brief_build_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        md, html = to_markdown(brief), to_html(brief)
        out["brief_render_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        out["brief_sizes_kb"] = {"md": round(len(md.encode()) / 1024, 1), "html": round(len(html.encode()) / 1024, 1)}
        store.close()
    if args.json:
        print(json.dumps(out))
    else:
        print(f"alerts: {out['articles']} articles ({out['clusters']} clusters, {out['mentions']} mentions) "
              f"stored in {out['store_s']} s")
        print(f"alerts: backfill of 5 rules: {out['backfill_s']} s, {out['backfill_alerts']} alerts "
              f"{out['backfill_by_rule']}")
        o = out["one_article_ms"]
        print(f"alerts: rules after one more article: p50 {o['p50']} ms, p95 {o['p95']} ms, max {o['max']} ms "
              f"({args.repeat} runs)")
        print(f"brief: RUS<->UKR, {out['brief_events']} events: built in {out['brief_build_s']} s, rendered "
              f"in {out['brief_render_ms']} ms (md {out['brief_sizes_kb']['md']} KB, html "
              f"{out['brief_sizes_kb']['html']} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
