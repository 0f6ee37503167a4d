#!/usr/bin/env python3
"""Agreement between the corpus labels and a blind second annotation of a sample.

    python train/qc_agreement.py train/data/qc/blind300.second.jsonl [--json]

The second file holds the sample's sentences labelled by someone who saw only the text and the
guide (ids are the corpus ids). Figures:

* **per type, Cohen's kappa** over the sample's sentences: does the sentence contain an event of
  that type (any status)? One 2x2 table per type.
* **events**: the two annotators' events matched on overlapping triggers; the share of each
  side's events the other has (trigger found), type agreement on matched triggers with Cohen's
  kappa over the 16 types, and on matched events of the same type: actor and recipient
  agreement (overlapping spans, or both empty) and status kappa.
* **event-free sentences**: kappa on "the sentence has an asserted event".
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def kappa(pairs: list[tuple]) -> float | None:
    """Cohen's kappa for a list of (label_a, label_b)."""
    n = len(pairs)
    if not n:
        return None
    po = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if pe >= 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def overlap(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def spans_agree(x, y) -> bool:
    if not x and not y:
        return True
    return any(overlap(a, b) for a in x for b in y)


def compare(first: list[corpus.Record], second: list[corpus.Record]) -> dict:
    by_id = {r.id: r for r in first}
    pairs = [(by_id[r.id], r) for r in second if r.id in by_id]
    out: dict = {"sentences": len(pairs)}
    per_type = {}
    for t in corpus.TYPES:
        ps = [(any(e.type == t for e in a.events), any(e.type == t for e in b.events)) for a, b in pairs]
        k = kappa(ps)
        per_type[t] = {"first": sum(x for x, _ in ps), "second": sum(y for _, y in ps),
                       "both": sum(x and y for x, y in ps), "kappa": None if k is None else round(k, 3)}
    out["per_type"] = per_type
    asserted = [(not corpus.is_negative(a), not corpus.is_negative(b)) for a, b in pairs]
    out["has_asserted_event_kappa"] = round(kappa(asserted), 3)
    n1 = n2 = m = 0
    type_pairs, status_pairs = [], []
    actor_ok = recip_ok = same_type = 0
    confusions = Counter()
    for a, b in pairs:
        n1 += len(a.events)
        n2 += len(b.events)
        used = set()
        for e in a.events:
            j = next((i for i, f in enumerate(b.events) if i not in used and overlap(e.trigger, f.trigger)), None)
            if j is None:
                continue
            used.add(j)
            f = b.events[j]
            m += 1
            type_pairs.append((e.type, f.type))
            if e.type != f.type:
                confusions[(e.type, f.type)] += 1
                continue
            same_type += 1
            status_pairs.append((e.status, f.status))
            actor_ok += spans_agree(e.actor, f.actor)
            recip_ok += spans_agree(e.recipient, f.recipient)
    out["events"] = {
        "first": n1, "second": n2, "matched_triggers": m,
        "first_found_by_second": round(m / n1, 3) if n1 else None,
        "second_found_by_first": round(m / n2, 3) if n2 else None,
        "type_agreement": round(sum(x == y for x, y in type_pairs) / len(type_pairs), 3) if type_pairs else None,
        "type_kappa": round(kappa(type_pairs), 3) if type_pairs else None,
        "actor_agreement": round(actor_ok / same_type, 3) if same_type else None,
        "recipient_agreement": round(recip_ok / same_type, 3) if same_type else None,
        "status_kappa": round(kappa(status_pairs), 3) if status_pairs else None,
        "top_type_confusions": [f"{x}/{y}: {c}" for (x, y), c in confusions.most_common(12)],
    }
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    second, errors = corpus.read(Path(argv[0]))
    if errors:
        print(f"{len(errors)} invalid records in {argv[0]}, first: {errors[0]}")
        return 1
    rep = compare(corpus.load(), second)
    if "--json" in argv:
        print(json.dumps(rep, indent=1))
        return 0
    print(f"{rep['sentences']} sentences; 'has an asserted event' kappa {rep['has_asserted_event_kappa']}")
    print(f"{'type':<10} {'first':>5} {'second':>6} {'both':>5} {'kappa':>6}")
    for t, v in rep["per_type"].items():
        print(f"{t:<10} {v['first']:>5} {v['second']:>6} {v['both']:>5} {v['kappa'] if v['kappa'] is not None else '-':>6}")
    ev = rep["events"]
    print(json.dumps(ev, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
