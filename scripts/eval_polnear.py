#!/usr/bin/env python3
"""Evaluate ``dyads.quotes`` on PolNeAR attributions (local evaluation only).

    .venv/bin/python scripts/eval_polnear.py [PATH.jsonl] [--limit N] [--errors N] [--no-cognitive]

PATH defaults to ``../shared/eval/data/polnear_dev.jsonl`` (one JSON document per line:
``text`` and ``quotes`` with ``speaker_spans``/``cue_spans``/``quote_spans`` character
offsets, ``no_source`` and ``direct_heuristic`` flags). Articles annotated by several
annotators are scored once, with the first annotation. The corpus is copyrighted news text:
it is read in place and never copied into the repository.

Figures printed:

- direct-quote recall: gold attributions whose content is in quotation marks
  (``direct_heuristic``) found with the right speaker;
- all attributions P/R/F1: a gold content is found when predicted quotes with the right
  speaker cover at least half of its characters; a predicted quote is correct when at least
  half of it lies in (or it covers at least half of) one gold content whose speaker it got
  right. Gold attributions without a source (``no_source``) are left out of recall, and
  predictions overlapping only them are left out of precision;
- the same figures ignoring the speaker, to tell span errors from speaker errors.

The speaker is right when a mention of the predicted actor overlaps the gold source span,
or the predicted speaker words (or actor name) share a content word with the gold source.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dyads import actors as actors_mod  # noqa: E402
from dyads import clean, gazetteer, nlp, pipeline, quotes  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "eval" / "data" / "polnear_dev.jsonl"
_STOP = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "his", "her", "their", "its",
         "'s", "s", "to", "in", "for", "on", "at", "by", "who", "with", "said"}


def run_stages(text: str, cognitive: bool = True):
    """The pipeline's steps up to ``actors.resolve``, then ``quotes.extract``."""
    prepared = clean.prepare(text, html=False)
    body = prepared.text
    removed = clean.find_boilerplate(body)
    segments = clean.story_segments(body, removed)
    sents = pipeline.split_sentences(body, nlp.parse(body, segments, None))
    actor_list, refs = actors_mod.resolve(body, sents, gazetteer.with_user_actors(None))
    qs = quotes.extract(body, sents, refs, actor_list, removed, cognitive=cognitive)
    return body, actor_list, qs


def words(s: str) -> set[str]:
    s = s.lower().replace("’", "'")
    return {w for w in re.findall(r"[a-z0-9]+", s) if w not in _STOP and len(w) > 1} | (
        {w for w in re.findall(r"[a-z]+", s) if w in ("he", "she", "it", "they", "we", "i")})


def chars(spans) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out.update(range(a, b))
    return out


def content_chars(text: str, spans) -> set[int]:
    """Characters of the gold content without whitespace and quotation marks."""
    return {i for i in chars(spans) if i < len(text) and not text[i].isspace() and text[i] not in "\"“”'‘’"}


def speaker_ok(q, gold, actors_by_id, text) -> bool:
    gspans = gold.get("speaker_spans") or []
    gtext = gold.get("speaker") or " ".join(text[a:b] for a, b in gspans)
    act = actors_by_id.get(q.speaker) if q.speaker else None
    if act is not None:
        for m in act.mentions:
            if any(m.start < b and a < m.end for a, b in gspans):
                return True
    mine = words(q.speaker_text or "")
    if act is not None:
        mine |= words(act.name)
    if gtext.strip().lower() in ("who", "which", "that") and gspans:
        # a relative pronoun source stands for its antecedent, just before it
        a = gspans[0][0]
        gtext = text[max(0, a - 80):a]
        if q.speaker_text and q.speaker_text in gtext:
            return True
        return False
    return bool(mine & words(gtext))


def evaluate(rows, cognitive=True, show_errors=0):
    t = {"direct_gold": 0, "direct_found": 0, "direct_span": 0, "gold": 0, "found": 0, "found_span": 0,
         "pred": 0, "pred_ok": 0, "pred_span": 0, "pred_ignored": 0}
    by_kind = {}
    errors = []
    t0 = time.time()
    for r in rows:
        body, actor_list, qs = run_stages(r["text"], cognitive)
        assert body == r["text"], "the text changed during preparation; offsets would not match"
        by_id = {a.id: a for a in actor_list}
        golds = [g for g in r["quotes"] if g.get("quote_spans")]
        gc = [content_chars(body, g["quote_spans"]) for g in golds]
        pc = [{i for i in range(q.start, q.end) if not body[i].isspace() and body[i] not in "\"“”'‘’"} for q in qs]
        # recall
        for g, c in zip(golds, gc):
            if not c or g.get("no_source"):
                continue
            right = set().union(*[p for q, p in zip(qs, pc) if speaker_ok(q, g, by_id, body)]) if qs else set()
            anyq = set().union(*pc) if qs else set()
            ok = len(c & right) >= 0.5 * len(c)
            ok_span = len(c & anyq) >= 0.5 * len(c)
            t["gold"] += 1
            t["found"] += ok
            t["found_span"] += ok_span
            if g.get("direct_heuristic"):
                t["direct_gold"] += 1
                t["direct_found"] += ok
                t["direct_span"] += ok_span
            if not ok and show_errors:
                errors.append(("MISS", g.get("direct_heuristic"), ok_span, g.get("speaker"), g.get("cue"),
                               " | ".join(body[a:b] for a, b in g["quote_spans"])[:160],
                               [(q.speaker_text, q.text[:60]) for q, p in zip(qs, pc) if len(p & c) >= 0.3 * len(c)][:2]))
        # precision
        for q, p in zip(qs, pc):
            if not p:
                continue
            hits = [(g, c) for g, c in zip(golds, gc) if c and (len(p & c) >= 0.5 * len(p) or len(p & c) >= 0.5 * len(c))]
            if hits and all(g.get("no_source") for g, _ in hits):
                t["pred_ignored"] += 1
                continue
            t["pred"] += 1
            ok = any(speaker_ok(q, g, by_id, body) for g, _ in hits)
            t["pred_ok"] += ok
            t["pred_span"] += bool(hits)
            k = by_kind.setdefault(q.kind, [0, 0])
            k[0] += 1
            k[1] += ok
            if not ok and show_errors:
                errors.append(("FP", q.kind, bool(hits), q.speaker_text, q.cue, q.text[:160],
                               [(g.get("speaker"), body[g["quote_spans"][0][0]:g["quote_spans"][0][1]][:60]) for g, _ in hits][:1]))
    t["seconds"] = round(time.time() - t0, 1)
    return t, by_kind, errors


def prf(ok_p, n_p, ok_r, n_r):
    p = ok_p / n_p if n_p else 0.0
    r = ok_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of each kind")
    ap.add_argument("--no-cognitive", action="store_true", help="leave out belief verbs (think, believe ...)")
    args = ap.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"{path} not found (../shared is only on developer machines)", file=sys.stderr)
        return 2
    rows, seen = [], set()
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        if r["article"] in seen:
            continue
        seen.add(r["article"])
        rows.append(r)
    if args.limit:
        rows = rows[:args.limit]
    t, by_kind, errors = evaluate(rows, cognitive=not args.no_cognitive, show_errors=args.errors)
    p, r, f = prf(t["pred_ok"], t["pred"], t["found"], t["gold"])
    ps, rs, fs = prf(t["pred_span"], t["pred"], t["found_span"], t["gold"])
    dr = t["direct_found"] / t["direct_gold"] if t["direct_gold"] else 0.0
    drs = t["direct_span"] / t["direct_gold"] if t["direct_gold"] else 0.0
    print(f"articles: {len(rows)}  gold attributions (with a source): {t['gold']}  "
          f"direct: {t['direct_gold']}  predicted quotes: {t['pred']} (+{t['pred_ignored']} on sourceless gold)  "
          f"[{t['seconds']}s]")
    print(f"direct-quote recall with right speaker: {dr:.3f}   (span only: {drs:.3f})")
    print(f"all attributions with speaker:  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"all attributions, span only:    P {ps:.3f}  R {rs:.3f}  F1 {fs:.3f}")
    print("precision by kind: " + ", ".join(f"{k} {v[1]}/{v[0]}={v[1] / v[0]:.2f}" for k, v in sorted(by_kind.items())))
    if args.errors:
        for kind in ("MISS", "FP"):
            for e in [e for e in errors if e[0] == kind][:args.errors]:
                print(*e, sep=" | ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
