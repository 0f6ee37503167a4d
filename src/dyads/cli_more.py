"""More CLI commands: classify, eval. Each is a thin layer over a library function."""
from __future__ import annotations

import json
from pathlib import Path
import sys

from .errors import ConfigError

CLASSIFY_EXAMPLES = """examples:
  dyads classify --jsonl pairs.jsonl > labels.jsonl
  echo '{"id": "1", "sentence": "Chad expelled the French ambassador.", "source": "Chad", "target": "the French ambassador"}' | dyads classify --jsonl -
"""

EVAL_EXAMPLES = """examples:
  dyads eval                     # seed article + own golden stories, checked against eval_floors.json
  dyads eval --cv                # also 5-fold CV of the relation classifier (needs `make train` tools)
  dyads eval --json > report.json
  dyads eval --e2e-cv train/cache/cv   # plv_train and the corpus scored with models trained without each fold
  dyads eval --pin-floors --reason "new trigger rules raise recall"
"""


def cmd_classify(args) -> int:
    from .relclf import RelationClassifier

    clf = RelationClassifier.load(args.model)
    fh = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    batch, ids, failed = [], [], 0

    def flush():
        if not batch:
            return
        for rid, (label, conf, probs) in zip(ids, clf.predict(batch)):
            rec = {"id": rid, "type": label, "confidence": round(float(conf), 4)}
            if "YIELD" in probs and label in ("CONCEDE", "RETREAT"):
                rec["plv_label"] = "YIELD"
            sys.stdout.write(json.dumps(rec) + "\n")
        batch.clear()
        ids.clear()

    try:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict) or not isinstance(rec.get("sentence"), str):
                    raise ValueError("needs a 'sentence' string")
            except ValueError as exc:
                failed += 1
                flush()
                sys.stdout.write(json.dumps({"id": f"line-{n}", "error": f"line {n}: {exc}"}) + "\n")
                continue
            batch.append({k: rec.get(k) or "" for k in ("sentence", "source", "target", "marked_sentence")})
            ids.append(rec.get("id", f"line-{n}"))
            if len(batch) >= 64:
                flush()
        flush()
    finally:
        if fh is not sys.stdin:
            fh.close()
    return 1 if failed else 0


def cmd_eval(args) -> int:
    from . import evaluate

    shared = evaluate.shared_dir()
    if shared is None:
        raise ConfigError("evaluation data not found: put the shared folder beside the repository "
                          "(../shared/eval) or set DYADS_SHARED")
    report = evaluate.score_extraction(shared)
    if not args.no_e2e:
        report["e2e"] = evaluate.score_e2e(shared, args.e2e_cv)
    cv = evaluate.classifier_cv(shared, k=args.folds) if args.cv else None
    figs = evaluate.figures(report)
    if args.json:
        json.dump({"figures": figs, "report": report, "cv": cv}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(evaluate.format_report(report, cv))
    if args.pin_floors:
        evaluate.write_floors(figs, args.reason, allow_lower=args.lower_floors)
        print(f"floors pinned in {evaluate.FLOORS_FILE}", file=sys.stderr)
        return 0
    bad = evaluate.check_floors(figs)
    for b in bad:
        print(f"dyads: quality gate: {b}", file=sys.stderr)
    return 1 if bad else 0


def register_classify(sub, fmt):
    c = sub.add_parser("classify", help="PLOVER type of what a source does to a target in a sentence",
                       formatter_class=fmt, epilog=CLASSIFY_EXAMPLES,
                       description='Read JSON lines {"id","sentence","source","target"} (optionally "marked_sentence" '
                                   'with <s>..</s> and <t>..</t>) and write {"id","type","confidence"} per line.')
    c.add_argument("--jsonl", required=True, metavar="FILE", help="input JSON lines, or - for standard input")
    c.add_argument("--model", metavar="DIR", help="classifier artefact folder (default: the packaged model)")
    c.set_defaults(func=cmd_classify)


def register_eval(sub, fmt):
    e = sub.add_parser("eval", help="score extraction on gold articles and check the quality floors",
                       formatter_class=fmt, epilog=EVAL_EXAMPLES,
                       description="Scores the seed article and the project's golden stories with the shared scorer; "
                                   "prints precision/recall/F1 per type, and fails below the floors in eval_floors.json.")
    e.add_argument("--cv", action="store_true", help="also run k-fold CV of the relation classifier (slow)")
    e.add_argument("--folds", type=int, default=5, help="folds for --cv (default 5)")
    e.add_argument("--no-e2e", action="store_true", help="skip the end-to-end sentence sets (about a minute)")
    e.add_argument("--e2e-cv", type=Path, metavar="DIR",
                   help="fold models from `make cv` (train/cache/cv): score plv_train and the project's corpus "
                        "held out, fold by fold")
    e.add_argument("--json", action="store_true", help="machine-readable report")
    e.add_argument("--pin-floors", action="store_true", help="write the current figures as floors")
    e.add_argument("--reason", default="", help="why the floors change (required with --pin-floors)")
    e.add_argument("--lower-floors", action="store_true", help="allow --pin-floors to lower a floor (say why in the commit)")
    e.set_defaults(func=cmd_eval)


COMMANDS = [register_classify, register_eval]
