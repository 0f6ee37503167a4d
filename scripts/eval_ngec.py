#!/usr/bin/env python3
"""Story-level event types on the NGEC synthetic stories (local evaluation only).

    .venv/bin/python scripts/eval_ngec.py [PATH.jsonl] [--limit N] [--every K] [--workers 2] [--errors N]

PATH defaults to ``../shared/eval/data/ngec_synthetic_events.jsonl``: machine-generated news
stories, each with the PLOVER type (and mode) its generator was asked for. The label is a
pseudo-label of the whole story, not of a sentence, and the stories mention other events too, so:

- **recall**: stories where dyads emits at least one asserted or future event of the gold type;
- **first-type accuracy**: the type of dyads' first such event in the story (stories lead with
  their news) equals the gold type;
- **mode agreement**: among recalled stories with a gold mode, an event of the gold type carries
  that mode;
- **no event**: stories where dyads emits nothing countable.

Per gold type: stories, recall, first-type accuracy, and the types dyads emitted instead when it
missed. ``--errors N`` prints N missed stories' first sentences with what was emitted.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT.parent / "shared" / "eval" / "data" / "ngec_synthetic_events.jsonl"
COUNTED = ("asserted", "future")


def _one(rec: dict) -> dict:
    from dyads import extract
    from dyads.errors import DyadsError

    try:
        res = extract(rec["text"], published=rec.get("date") or None)
    except DyadsError as exc:
        return {"id": rec["id"], "error": str(exc), "events": []}
    evs = [{"type": e.type, "mode": e.mode, "status": e.status, "sentence": e.sentence,
            "evidence": e.evidence.text[:200]} for e in res.events]
    return {"id": rec["id"], "events": evs}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0, help="first N stories after --every (0 = all)")
    ap.add_argument("--every", type=int, default=1, help="take every K-th story (a spread sample)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--errors", type=int, default=0, help="print N missed stories")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"{args.path} not found (../shared is only on developer and CI machines)", file=sys.stderr)
        return 2
    recs = [json.loads(line) for line in open(args.path, encoding="utf-8") if line.strip()][::max(1, args.every)]
    if args.limit:
        recs = recs[:args.limit]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        outs = list(pool.map(_one, recs, chunksize=8))
    secs = time.perf_counter() - t0
    per = collections.defaultdict(lambda: collections.Counter())
    instead = collections.defaultdict(collections.Counter)
    misses = []
    tot = collections.Counter()
    for rec, out in zip(recs, outs):
        gold = rec["events"][0]
        gtype, gmode = gold["code"], (gold.get("mode") or "").lower()
        evs = [e for e in out["events"] if e["status"] in COUNTED]
        types = [e["type"] for e in evs]
        c = per[gtype]
        c["n"] += 1
        tot["n"] += 1
        if not evs:
            c["none"] += 1
            tot["none"] += 1
        if gtype in types:
            c["hit"] += 1
            tot["hit"] += 1
            if gmode:
                c["mode_n"] += 1
                tot["mode_n"] += 1
                if any(e["type"] == gtype and (e["mode"] or "").lower() == gmode for e in evs):
                    c["mode_ok"] += 1
                    tot["mode_ok"] += 1
        else:
            instead[gtype].update(set(types) or {"(none)"})
            misses.append((rec, evs))
        if types and types[0] == gtype:
            c["first"] += 1
            tot["first"] += 1
    figures = {"stories": tot["n"], "seconds": round(secs, 1),
               "recall": round(tot["hit"] / tot["n"], 3), "first_type_accuracy": round(tot["first"] / tot["n"], 3),
               "mode_agreement": round(tot["mode_ok"] / tot["mode_n"], 3) if tot["mode_n"] else None,
               "no_event": round(tot["none"] / tot["n"], 3),
               "per_type": {t: {"stories": c["n"], "recall": round(c["hit"] / c["n"], 3),
                                "first": round(c["first"] / c["n"], 3)} for t, c in sorted(per.items())}}
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{tot['n']} stories in {secs:.0f} s: recall {figures['recall']:.3f}, first-type accuracy "
          f"{figures['first_type_accuracy']:.3f}, mode agreement {figures['mode_agreement']}, "
          f"no event {figures['no_event']:.3f}")
    print(f"{'type':<11} {'n':>5} {'recall':>7} {'first':>6}  emitted instead when missed")
    for t, c in sorted(per.items(), key=lambda kv: kv[1]["hit"] / kv[1]["n"]):
        top = ", ".join(f"{k} {v}" for k, v in instead[t].most_common(5))
        print(f"{t:<11} {c['n']:>5} {c['hit'] / c['n']:>7.3f} {c['first'] / c['n']:>6.3f}  {top}")
    for rec, evs in misses[:args.errors]:
        g = rec["events"][0]
        print(f"\n--- {rec['id']} gold {g['code']}/{g.get('mode')}: {rec['text'][:300]!r}")
        for e in evs[:5]:
            print(f"    got {e['type']}/{e['mode']} [{e['status']}] {e['evidence'][:150]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
