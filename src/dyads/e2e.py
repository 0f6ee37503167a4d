"""End-to-end evaluation on open sentence sets: the whole extractor, one sentence per article.

Sets (read from ``../shared/eval/data``, never copied into the project):

* ``plv``: plv_train sentences, each with one marked (source, target) pair and its PLOVER type
  (``YIELD`` = CONCEDE or RETREAT). The shipped models were trained on these rows, so the honest
  figure needs models trained without the scored fold: pass ``cv_dir`` holding
  ``detector-f{k}`` and ``relclf-f{k}`` for k = 0..4 (``make cv``); without it the figure is a
  regression check only (``plv_seen``).
* ``petrarch``: PETRARCH2's unit-test sentences (fictional states), types through the
  CAMEO-to-PLOVER mapping. Never used in training.
* ``ngec``: the lead sentence of every tenth NGEC synthetic story with the type its generator
  was asked for (a noisy story-level label). Never used in training.
* ``corpus``: the project's own annotated sentences (train/data/events), only with ``cv_dir``.
* ``blind``: sentences written for the project by an annotator who never saw the code
  (train/data/blind), measured and never trained or tuned on; the detector's training reads only
  train/data/events.

Figures per set: **type recall** (an asserted or future event of the gold type in the
sentence), **type + actor + recipient recall** (that event's actor is the gold source and its
recipient the gold target: an actor mention overlaps the span, or the names contain each
other), **actor recall** and **recipient recall** (each side alone: an event of the gold type
whose actor, or recipient, matches the gold span; pairs without a target are left out of the
recipient figure), **type precision** (countable events whose type is a gold type of their
sentence) and **no event** (sentences with nothing countable).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

COUNTED = ("asserted", "future")
N_FOLDS = 5
REPO = Path(__file__).resolve().parents[2]


def fold_of(key: str) -> int:
    """The cross-validation fold of an example id (the same hash as train/detector_data.py)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % N_FOLDS


_TAG = re.compile(r"</?[st]>")


def unmark(marked: str):
    out, src, tgt = [], [], []
    pos, i, open_s, open_t = 0, 0, None, None
    for m in _TAG.finditer(marked):
        out.append(marked[i:m.start()])
        pos += m.start() - i
        i = m.end()
        tag = m.group()
        if tag == "<s>":
            open_s = pos
        elif tag == "</s>" and open_s is not None:
            src.append((open_s, pos))
            open_s = None
        elif tag == "<t>":
            open_t = pos
        elif tag == "</t>" and open_t is not None:
            tgt.append((open_t, pos))
            open_t = None
    out.append(marked[i:])
    return "".join(out), src, tgt


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def plv_rows(data: Path) -> list[dict]:
    rows = []
    for r in _jsonl(data / "plv_train.jsonl"):
        text, src, tgt = unmark(r["marked_sentence"])
        types = {"CONCEDE", "RETREAT"} if r["label"] == "YIELD" else {r["label"]}
        rows.append({"id": r["id"], "text": text, "fold": fold_of(r["id"]),
                     "gold": [{"types": types, "actor": src, "recipient": tgt}]})
    return rows


def _cameo_table(data: Path) -> dict[str, str]:
    out = {}
    for r in _jsonl(data / "cameo2plover_2021.jsonl"):
        if r.get("plover_event"):
            out[r["cameo"]] = r["plover_event"].upper()
    return out


def _plover_of(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def petrarch_rows(data: Path) -> list[dict]:
    table = _cameo_table(data)
    rows = []
    for r in _jsonl(data / "petrarch2_unittest.jsonl"):
        if not r.get("included", True):
            continue
        gold = []
        for e in r["events"]:
            t = _plover_of(e["code"], table)
            if t:
                gold.append({"types": {t}, "actor_code": e.get("source"), "recipient_code": e.get("target")})
        if not gold and not r.get("noevents"):
            continue
        rows.append({"id": r["id"], "text": r["text"], "published": r.get("date"), "gold": gold})
    return rows


def ngec_rows(data: Path, every: int = 10) -> list[dict]:
    rows = []
    for r in _jsonl(data / "ngec_synthetic_events.jsonl")[::every]:
        lead = r["text"].strip().split("\n")[0]
        m = re.match(r"(.+?[.!?])(\s+[A-Z\"“]|$)", lead)
        lead = m.group(1) if m else lead
        rows.append({"id": r["id"], "text": lead, "gold": [{"types": {e["code"]}} for e in r["events"]]})
    return rows


def corpus_rows(directory: Path | None = None) -> list[dict]:
    directory = directory or REPO / "train" / "data" / "events"
    rows = []
    for f in sorted(directory.glob("*.jsonl")):
        for r in _jsonl(f):
            gold = []
            for e in r["events"]:
                if e["status"] not in COUNTED or e.get("background"):
                    continue
                gold.append({"types": {e["type"]}, "actor": _spans(r["text"], e["actor"]),
                             "recipient": _spans(r["text"], e["recipient"])})
            rows.append({"id": r["id"], "text": r["text"], "fold": fold_of(r["id"]), "gold": gold,
                         "tags": r.get("tags", [])})
    return rows


CONFLICT_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "SANCTION", "THREATEN"}


def corpus_slices(rows: list[dict], predicted: dict[str, set[str]]) -> dict:
    """Two slices of the corpus like two sealed sets: conflict and protest sentences (gold
    ASSAULT, COERCE, PROTEST or AGREE: is one of their types found?) and disaster sentences
    without a political event (is a conflict or protest event invented?)."""
    hit = n = dis = dis_bad = 0
    for r in rows:
        if r["id"] not in predicted:
            continue  # a fold not scored
        gold = set().union(*[g["types"] for g in r["gold"]]) if r["gold"] else set()
        got = predicted[r["id"]]
        if gold & {"ASSAULT", "COERCE", "PROTEST", "AGREE"}:
            n += 1
            hit += bool(gold & got & {"ASSAULT", "COERCE", "PROTEST", "AGREE"})
        if "disaster" in r.get("tags", []) and not gold:
            dis += 1
            dis_bad += bool(got & CONFLICT_TYPES)
    return {"conflict_protest_n": n, "conflict_protest_found": round(hit / n, 3) if n else None,
            "disaster_n": dis, "disaster_invented": round(dis_bad / dis, 3) if dis else None}


def _spans(text: str, spec) -> list[tuple[int, int]]:
    if spec is None:
        return []
    items = spec if isinstance(spec, list) and not (len(spec) == 2 and isinstance(spec[1], int)) else [spec]
    out = []
    for it in items:
        words, n = (it, 1) if isinstance(it, str) else it
        pos = -1
        for _ in range(n):
            pos = text.find(words, pos + 1)
        if pos >= 0:
            out.append((pos, pos + len(words)))
    return out


# ----------------------------------------------------------------------------- scoring
def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (s or "").lower()).split())


def _party_match(res, ids: list[str], spans: list[tuple[int, int]], text: str) -> bool:
    if not spans:
        return True
    gold_txt = [_norm(text[a:b]) for a, b in spans]
    for i in ids:
        a = res.actor(i)
        if a is None:
            continue
        if any(m.start < b and a0 < m.end for m in a.mentions for a0, b in spans):
            return True
        name = _norm(a.name)
        if name and any(name in g or (g and g in name) for g in gold_txt):
            return True
    return False


def _code_match(res, ids: list[str], code: str | None) -> bool:
    """PETRARCH's fictional codes are the first letters of the state's name (ARN = Arnor)."""
    if not code:
        return True
    code = code[:3].upper()
    for i in ids:
        a = res.actor(i)
        if a is not None and (a.name[:3].upper() == code or (a.country or "") == code):
            return True
    return False


def score_rows(rows: list[dict], extract_fn, progress=None, predicted: dict | None = None) -> dict:
    n = type_hit = full_hit = no_event = 0
    actor_hit = recip_hit = n_recip = 0
    pred = pred_ok = 0
    per_type: dict[str, Counter] = {}
    for k, row in enumerate(rows):
        if progress:
            progress(k, len(rows))
        try:
            res = extract_fn(row["text"], published=row.get("published"))
        except Exception:  # a bad row counts as no event
            res = None
        evs = [e for e in (res.events if res else []) if e.status in COUNTED]
        if predicted is not None:
            predicted[row["id"]] = {e.type for e in evs}
        gold_types = set().union(*[g["types"] for g in row["gold"]]) if row["gold"] else set()
        pred += len(evs)
        pred_ok += sum(e.type in gold_types for e in evs)
        if not row["gold"]:
            continue
        for g in row["gold"]:
            n += 1
            key = "/".join(sorted(g["types"]))
            c = per_type.setdefault(key, Counter())
            c["n"] += 1
            if not evs:
                no_event += 1
            ok = [e for e in evs if e.type in g["types"]]
            if ok:
                type_hit += 1
                c["type"] += 1
            if "actor_code" in g:
                full = [e for e in ok if _code_match(res, e.actor, g.get("actor_code"))
                        and _code_match(res, e.recipient, g.get("recipient_code"))]
            elif "actor" in g:
                a_ok = [e for e in ok if e.actor and _party_match(res, e.actor, g["actor"], res.text)]
                r_ok = [e for e in ok if g["recipient"] and e.recipient
                        and _party_match(res, e.recipient, g["recipient"], res.text)]
                actor_hit += bool(a_ok)
                if g["recipient"]:
                    n_recip += 1
                    recip_hit += bool(r_ok)
                full = [e for e in a_ok if not g["recipient"] or e in r_ok]
            else:
                full = []
            if full:
                full_hit += 1
                c["full"] += 1
    out = {"n": n, "type_recall": round(type_hit / n, 3) if n else None,
           "type_actor_recipient_recall": round(full_hit / n, 3) if n else None,
           "actor_recall": round(actor_hit / n, 3) if n else None,
           "recipient_recall": round(recip_hit / n_recip, 3) if n_recip else None, "n_recipient": n_recip,
           "type_precision": round(pred_ok / pred, 3) if pred else None,
           "no_event": round(no_event / n, 3) if n else None, "predicted": pred, "predicted_right": pred_ok,
           "per_type": {k: {"n": c["n"], "type": round(c["type"] / c["n"], 3), "full": round(c["full"] / c["n"], 3)}
                        for k, c in sorted(per_type.items())}}
    return out


def _reset_models(detector: str | None, relclf: str | None) -> None:
    from .events import detection

    for key, val in (("DYADS_DETECTOR_PATH", detector), ("DYADS_RELCLF_PATH", relclf)):
        if val:
            os.environ[key] = val
        else:
            os.environ.pop(key, None)
    detection._CACHED_DETECTOR = None
    detection._CACHED_CLF = None


def run(shared: Path, sets=("plv", "petrarch", "ngec"), cv_dir: Path | None = None, progress=None) -> dict:
    """The figures for ``sets``; with ``cv_dir`` the PLV and corpus sets are scored fold by fold
    with models trained without that fold."""
    from . import extract

    data = shared / "eval" / "data"
    report: dict = {}
    t0 = time.perf_counter()
    for name in sets:
        if name in ("plv", "corpus"):
            rows = plv_rows(data) if name == "plv" else corpus_rows()
            if cv_dir is None:
                if name == "corpus":
                    continue
                _reset_models(None, None)
                report["plv_seen"] = score_rows(rows, extract, progress)
                continue
            merged: list[dict] = []
            predicted: dict[str, set[str]] = {}
            folds = [k for k in range(N_FOLDS) if (Path(cv_dir) / f"detector-f{k}").is_dir()]
            if not folds:
                raise FileNotFoundError(f"no detector-f0..4 in {cv_dir}: build the fold models with `make cv`")
            for k in folds:
                det, rel = Path(cv_dir) / f"detector-f{k}", Path(cv_dir) / f"relclf-f{k}"
                _reset_models(str(det), str(rel) if rel.is_dir() else None)
                fold_rows = [r for r in rows if r["fold"] == k]
                merged.append(score_rows(fold_rows, extract, progress, predicted))
            _reset_models(None, None)
            report[name] = _pool(merged)
            report[name]["folds"] = folds  # fewer than five when only some fold models were built
            if name == "corpus":
                report[name].update(corpus_slices(rows, predicted))
        elif name == "blind":
            # sentences written for the project to be measured, never trained or tuned on
            _reset_models(None, None)
            rows = corpus_rows(REPO / "train" / "data" / "blind")
            predicted = {}
            report[name] = score_rows(rows, extract, progress, predicted)
            report[name].update(corpus_slices(rows, predicted))
        elif name == "petrarch":
            _reset_models(None, None)
            report[name] = score_rows(petrarch_rows(data), extract, progress)
        elif name == "ngec":
            _reset_models(None, None)
            report[name] = score_rows(ngec_rows(data), extract, progress)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report


def _pool(parts: list[dict]) -> dict:
    """Fold reports pooled into one (weighted by rows)."""
    n = sum(p["n"] for p in parts)
    out = {"n": n, "folds": len(parts)}
    for key in ("type_recall", "type_actor_recipient_recall", "actor_recall", "no_event"):
        out[key] = round(sum((p[key] or 0) * p["n"] for p in parts) / n, 3) if n else None
    nr = sum(p["n_recipient"] for p in parts)
    out["n_recipient"] = nr
    out["recipient_recall"] = round(sum((p["recipient_recall"] or 0) * p["n_recipient"] for p in parts) / nr, 3) \
        if nr else None
    pred = sum(p["predicted"] for p in parts)
    out["type_precision"] = round(sum(p["predicted_right"] for p in parts) / pred, 3) if pred else None
    per: dict[str, Counter] = {}
    for p in parts:
        for k, v in p["per_type"].items():
            c = per.setdefault(k, Counter())
            c["n"] += v["n"]
            c["type"] += v["type"] * v["n"]
            c["full"] += v["full"] * v["n"]
    out["per_type"] = {k: {"n": c["n"], "type": round(c["type"] / c["n"], 3), "full": round(c["full"] / c["n"], 3)}
                       for k, c in sorted(per.items())}
    return out
