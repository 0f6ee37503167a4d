#!/usr/bin/env python3
"""PLOVER types on PETRARCH2's unit-test sentences (local evaluation only).

    .venv/bin/python scripts/eval_petrarch.py [--errors N] [--json]

Reads ``../shared/eval/data/petrarch2_unittest.jsonl`` (sentences about fictional states such
as Arnor and Gondor, each with the CAMEO codes PETRARCH2 should produce) and
``cameo2plover_2021.jsonl`` (CAMEO code -> PLOVER type; the longest listed prefix of a code
decides). dyads codes each sentence as a one-sentence article. Actor codes are fictional and
dyads has no dictionary for them, so only types are scored:

- **recall**: gold (sentence, PLOVER type) pairs for which dyads emits an asserted or future
  event of that type;
- **precision**: dyads' (sentence, type) pairs that are gold, over sentences that have gold
  events or are marked ``noevents`` (those count every emitted type as wrong);
- **dyad found**: recalled pairs where dyads' event has both an actor and a recipient.

Records marked ``included: false`` are skipped. ``--errors N`` prints N misses.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "eval" / "data"
COUNTED = ("asserted", "future")


def cameo_map() -> dict[str, str]:
    out = {}
    for line in open(DATA / "cameo2plover_2021.jsonl", encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            if r.get("plover_event"):
                out[r["cameo"]] = r["plover_event"].upper()
    return out


def plover(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def main(argv=None) -> int:
    from dyads import extract
    from dyads.errors import DyadsError

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    path = DATA / "petrarch2_unittest.jsonl"
    if not path.exists():
        print(f"{path} not found (../shared is only on developer and CI machines)", file=sys.stderr)
        return 2
    table = cameo_map()
    recs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    tp = fp = fn = dyad = 0
    per = collections.defaultdict(collections.Counter)
    misses = []
    for r in recs:
        if not r.get("included", True):
            continue
        gold = {plover(e["code"], table) for e in r["events"]} - {None}
        if not gold and not r.get("noevents"):
            continue
        try:
            res = extract(r["text"], published=r.get("date"))
        except DyadsError:
            evs = []
        else:
            evs = [e for e in res.events if e.status in COUNTED]
        got = {e.type for e in evs}
        for t in gold:
            per[t]["gold"] += 1
            if t in got:
                tp += 1
                per[t]["tp"] += 1
                if any(e.type == t and e.actor and e.recipient for e in evs):
                    dyad += 1
            else:
                fn += 1
                misses.append((r, t, sorted(got)))
        for t in got - gold:
            fp += 1
            per[t]["fp"] += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    figures = {"precision": round(p, 3), "recall": round(rc, 3), "f1": round(f1, 3), "tp": tp, "fp": fp, "fn": fn,
               "dyad_found": round(dyad / tp, 3) if tp else None}
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"PETRARCH2 unit sentences: P {p:.3f} R {rc:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn}); "
          f"recalled with actor and recipient: {figures['dyad_found']}")
    for t, c in sorted(per.items()):
        print(f"  {t:<10} gold {c['gold']:>3}  found {c['tp']:>3}  wrong {c['fp']:>3}")
    for r, t, got in misses[:args.errors]:
        print(f"\n--- {r['id']} gold {t} got {got}: {r['text'][:220]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
