#!/usr/bin/env python3
"""End-to-end figures on open sentence sets (see ``dyads.e2e`` for the sets and the rules).

    .venv/bin/python scripts/eval_e2e.py                        # shipped models: petrarch, ngec, plv (seen)
    .venv/bin/python scripts/eval_e2e.py --cv train/cache/cv    # plv and corpus with fold models (held out)
    .venv/bin/python scripts/eval_e2e.py --sets plv --cv DIR --json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv=None) -> int:
    from dyads import e2e
    from dyads.evaluate import shared_dir

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=None, help="comma-separated: plv, petrarch, ngec, corpus")
    ap.add_argument("--cv", type=Path, default=None, help="folder with detector-f0..4 and relclf-f0..4")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared not found (it is only on developer and CI machines)", file=sys.stderr)
        return 2
    sets = a.sets.split(",") if a.sets else (["plv", "corpus", "petrarch", "ngec"] if a.cv else ["plv", "petrarch", "ngec"])
    rep = e2e.run(shared, sets, a.cv)
    if a.json:
        print(json.dumps(rep, indent=1))
        return 0
    for name, r in rep.items():
        if not isinstance(r, dict):
            continue
        print(f"{name:<9} n={r['n']:<5} type recall {r['type_recall']}  type+actor+recipient {r['type_actor_recipient_recall']}"
              f"  actor {r['actor_recall']}  recipient {r['recipient_recall']}"
              f"  type precision {r['type_precision']}  no event {r['no_event']}")
        if "conflict_protest_found" in r:
            print(f"          conflict/protest sentences: type found {r['conflict_protest_found']} (n={r['conflict_protest_n']}); "
                  f"disaster sentences with an invented conflict event {r['disaster_invented']} (n={r['disaster_n']})")
    print(f"({rep['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
