#!/usr/bin/env python3
"""Score a detector artefact on held-out folds of the training examples (model only, no pipeline).

    .venv/bin/python train/eval_detector.py --model /tmp/det-f0 --fold 0

PLV rows (one gold pair each): type found among the proposals, and type + actor + recipient
(the proposal's actor span overlaps the gold source, its recipient the gold target). Corpus
rows: trigger precision / recall / F1 (same type, overlapping trigger), actor and recipient
agreement on matched triggers, and how many event-free sentences get a proposal.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from dyads.detector import Detector  # noqa: E402

EXAMPLES = HERE / "cache" / "detector_examples.jsonl"


def overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def any_overlap(spans, gold) -> bool:
    return any(overlap(s, g) for s in spans for g in gold)


def type_ok(pred: str, gold: str, raw: str | None) -> bool:
    if raw == "YIELD":
        return pred in ("CONCEDE", "RETREAT")
    return pred == gold


def score(det: Detector, examples: list[dict], threshold: float | None = None, countable=("asserted", "future")) -> dict:
    props = det.detect([e["text"] for e in examples], threshold=threshold)
    plv = {"n": 0, "type": 0, "full": 0, "none": 0}
    per_type = Counter()
    per_type_hit = Counter()
    cor = {"tp": 0, "fp": 0, "fn": 0, "actor_ok": 0, "recip_ok": 0, "matched": 0, "neg": 0, "neg_fp": 0,
           "status_ok": 0}
    conf = Counter()
    for ex, ps in zip(examples, props):
        if ex["partial"]:
            g = ex["events"][0]
            ps_c = [p for p in ps if p.status not in ("negated", "hypothetical")]
            plv["n"] += 1
            per_type[g["type"] if ex.get("raw_label") != "YIELD" else "YIELD"] += 1
            if not ps_c:
                plv["none"] += 1
            ok = [p for p in ps_c if type_ok(p.type, g["type"], ex.get("raw_label"))]
            if ok:
                plv["type"] += 1
                per_type_hit[g["type"] if ex.get("raw_label") != "YIELD" else "YIELD"] += 1
            full = [p for p in ok if any_overlap(p.actor, g["actor"])
                    and (not g["recipient"] or any_overlap(p.recipient, g["recipient"]))]
            if full:
                plv["full"] += 1
            if not ok and ps_c:
                conf[(g["type"], ps_c[0].type)] += 1
            continue
        gold = ex["events"]
        used = set()
        if not any(e["status"] in countable and not e.get("background") for e in gold):
            cor["neg"] += 1
            if any(p.status in countable for p in ps):
                cor["neg_fp"] += 1
        for p in ps:
            m = next((i for i, e in enumerate(gold) if i not in used and e["type"] == p.type
                      and overlap(p.trigger, e["trigger"])), None)
            if m is None:
                cor["fp"] += 1
                continue
            used.add(m)
            cor["tp"] += 1
            e = gold[m]
            cor["matched"] += 1
            cor["actor_ok"] += (any_overlap(p.actor, e["actor"]) if e["actor"] else not p.actor)
            cor["recip_ok"] += (any_overlap(p.recipient, e["recipient"]) if e["recipient"] else not p.recipient)
            cor["status_ok"] += p.status == e["status"]
        cor["fn"] += len(gold) - len(used)
    out = {}
    if plv["n"]:
        out["plv"] = {"n": plv["n"], "type_found": round(plv["type"] / plv["n"], 3),
                      "type_actor_recipient": round(plv["full"] / plv["n"], 3),
                      "no_event": round(plv["none"] / plv["n"], 3),
                      "per_type": {k: f"{per_type_hit[k]}/{v}" for k, v in sorted(per_type.items())},
                      "top_confusions": [f"{a}->{b} {c}" for (a, b), c in conf.most_common(8)]}
    if cor["tp"] + cor["fn"]:
        p = cor["tp"] / max(1, cor["tp"] + cor["fp"])
        r = cor["tp"] / max(1, cor["tp"] + cor["fn"])
        out["corpus"] = {"trigger_p": round(p, 3), "trigger_r": round(r, 3),
                         "trigger_f1": round(2 * p * r / max(1e-9, p + r), 3),
                         "actor_ok": round(cor["actor_ok"] / max(1, cor["matched"]), 3),
                         "recipient_ok": round(cor["recip_ok"] / max(1, cor["matched"]), 3),
                         "status_ok": round(cor["status_ok"] / max(1, cor["matched"]), 3),
                         "negative_sentences": cor["neg"],
                         "negatives_with_event": round(cor["neg_fp"] / max(1, cor["neg"]), 3)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--fold", type=int, action="append", required=True)
    ap.add_argument("--examples", type=Path, default=EXAMPLES)
    ap.add_argument("--threshold", type=float, action="append")
    a = ap.parse_args(argv)
    ex = [json.loads(l) for l in a.examples.open() if l.strip()]
    ex = [e for e in ex if e["fold"] in a.fold]
    det = Detector.load(a.model, threads=2)
    for th in a.threshold or [None]:
        print(json.dumps({"threshold": th or det.threshold, **score(det, ex, th)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
