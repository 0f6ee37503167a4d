"""Evaluation harness behind ``dyads eval`` and the CI quality gate.

Scores extraction against gold files in the format of ``../shared/eval/articles/*.gold.json``
with the shared scorer (``../shared/eval/score.py``, loaded from disk, never copied), on
(1) the seed article and (2) the project's own golden stories in ``tests/golden``; and
reports the relation classifier's k-fold cross-validation on ``plv_train.jsonl`` when asked.

Floors live in ``eval_floors.json`` at the repository root. ``check_floors`` fails when a
figure drops below its floor; lowering a floor is a deliberate edit of that file with a
reason in the commit message (``dyads eval --update-floors --reason TEXT`` writes it).
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
from collections import Counter
from pathlib import Path

from .errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
FLOORS_FILE = REPO / "eval_floors.json"


def shared_dir() -> Path | None:
    env = os.environ.get("DYADS_SHARED")
    for p in ([Path(env)] if env else []) + [REPO.parent / "shared", Path.cwd().parent / "shared"]:
        if (p / "eval" / "score.py").exists():
            return p
    return None


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("dyads_shared_score", shared / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Story groups: (figure prefix, gold folder under tests/, story folder under examples/, name prefix, label).
# "own" was written with the code; each holdout set by someone who had not seen the code. A holdout
# set that has been measured and then used to fix the coder is a development set from then on.
GROUPS = (("own", "golden", "articles", "", "own golden stories"),
          ("holdout", "golden_holdout", "holdout", "holdout/", "holdout stories"),
          ("holdout2", "golden_holdout2", "holdout2", "holdout2/", "holdout2 stories"),
          ("holdout3", "golden_holdout3", "holdout3", "holdout3/", "holdout3 stories"))


def _group_of(name: str) -> str:
    for group, _, _, prefix, _ in reversed(GROUPS):
        if prefix and name.startswith(prefix):
            return group
    return "seed" if name == "seed" else "own"


def golden_sets(shared: Path | None) -> list[tuple[str, Path, dict]]:
    """(name, article path, gold) for the seed article and every project golden story."""
    out = []
    if shared is not None:
        seed = shared / "eval" / "articles" / "seed.txt"
        out.append(("seed", seed, json.loads((shared / "eval" / "articles" / "seed.gold.json").read_text())))
    for _, gold_dir, art_dir, prefix, _ in GROUPS:
        for g in sorted((REPO / "tests" / gold_dir).glob("*.gold.json")):
            name = g.name[: -len(".gold.json")]
            art = REPO / "examples" / art_dir / f"{name}.txt"
            if art.exists():
                out.append((prefix + name, art, json.loads(g.read_text())))
    return out


def score_extraction(shared: Path, names: set[str] | None = None) -> dict:
    """Run the pipeline on the gold articles and score them; returns per-article and totals."""
    from .pipeline import extract

    scorer = load_scorer(shared)
    per, pairs = {}, []
    type_tp: Counter = Counter()
    type_fp: Counter = Counter()
    type_fn: Counter = Counter()
    for name, path, gold in golden_sets(shared):
        if names and name not in names:
            continue
        res = extract(path.read_bytes(), published=gold.get("published"), source=gold.get("source"), id=name)
        doc = res.to_dict()
        rep = scorer.score(doc, gold)
        rep["actors"] = dict(actor_countries(doc, gold))
        per[name] = rep
        pairs.append((rep, gold))
        _type_counts(scorer, doc, gold, type_tp, type_fp, type_fn)
    out = {"seed": per.get("seed")}
    for group, *_ in GROUPS:
        members = [(r, g) for (r, g), n in zip(pairs, per) if _group_of(n) == group]
        out[group] = scorer.totals(members) if members else None
        if members:
            ac = sum((Counter(r["actors"]) for r, _ in members), Counter())
            out[group]["actors_gold"] = ac["gold"]
            for key in ("found", "country", "sector"):
                out[group][f"actor_{key}_share"] = round(ac[key] / ac["gold"], 3) if ac["gold"] else 1.0
    out.update({"all": scorer.totals(pairs) if pairs else None, "per_article": per,
                "per_type": _per_type(type_tp, type_fp, type_fn)})
    return out


def _type_counts(scorer, doc, gold, tp, fp, fn):
    res = scorer.Result(doc)
    events = [e for e in doc.get("events", []) if e.get("status") not in scorer.NOT_ASSERTED]
    for e in events:
        hit = [g for g in gold.get("events", []) if scorer.event_matches(res, e, g)]
        (tp if hit else fp)[e["type"]] += 1
    for g in gold.get("events", []):
        if g.get("optional"):
            continue
        if not any(scorer.event_matches(res, e, g) for e in events):
            fn[g["types"][0]] += 1


def _per_type(tp, fp, fn) -> dict:
    out = {}
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        out[t] = {"tp": tp[t], "fp": fp[t], "fn": fn[t], "precision": round(p, 3), "recall": round(r, 3),
                  "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return out


def classifier_cv(shared: Path, k: int = 5, seed: int = 0) -> dict | None:
    """k-fold CV of the relation classifier's training recipe (slow: trains k models)."""
    try:
        import sys

        sys.path.insert(0, str(REPO / "train"))
        from cv_relclf import cross_validate  # type: ignore
    except Exception as exc:  # training tools not installed
        return {"error": f"cross-validation needs the training environment (make train): {exc}"}
    rows = [json.loads(line) for line in (shared / "eval" / "data" / "plv_train.jsonl").read_text().splitlines() if line.strip()]
    return cross_validate(rows, k=k, seed=seed)


def score_e2e(shared: Path, cv_dir: Path | None = None) -> dict:
    """End-to-end figures on open sentence sets (``dyads.e2e``): PETRARCH2 unit sentences, NGEC
    leads, plv_train (seen in training unless ``cv_dir`` holds the fold models) and the project's
    blind sentences (``train/data/blind``: written to be measured, never trained or tuned on)."""
    from . import e2e

    sets = ("plv", "petrarch", "ngec", "blind") + (("corpus",) if cv_dir else ())
    return e2e.run(shared, sets, cv_dir)


E2E_FIGURES = ("type_recall", "type_actor_recipient_recall", "actor_recall", "recipient_recall", "type_precision")


def _surname(name: str) -> str:
    words = [w for w in re.split(r"[\s,]+", name) if w]
    return words[-1].lower() if words else ""


def actor_countries(doc: dict, gold: dict) -> Counter:
    """The gold story's named people and officials against the extracted actors: ``gold`` people,
    ``found`` (an extracted actor whose name ends with the gold surname, or the gold name contains
    it), ``country`` (found with the gold country) and ``sector`` (found with one of the gold sectors)."""
    c: Counter = Counter()
    preds = doc.get("actors", [])
    for g in gold.get("actors", []):
        c["gold"] += 1
        sn = _surname(g["name"])
        hits = [a for a in preds if a.get("name") and (_surname(a["name"]) == sn or a["name"].lower() == g["name"].lower())]
        if not hits:
            continue
        c["found"] += 1
        if any(a.get("country") == g.get("country") for a in hits):
            c["country"] += 1
        sectors = g.get("sector") or []
        sectors = [sectors] if isinstance(sectors, str) else sectors
        if any(a.get("sector") in sectors for a in hits):
            c["sector"] += 1
    return c


def figures(report: dict) -> dict[str, float]:
    """The flat figures the gate checks."""
    out = {}
    for name, r in (report.get("e2e") or {}).items():
        if isinstance(r, dict):
            for key in E2E_FIGURES:
                if r.get(key) is not None:
                    out[f"e2e_{name}.{key}"] = r[key]
    if report.get("seed"):
        ev = report["seed"]["events"]
        out["seed.event_precision"] = ev["precision"]
        out["seed.event_recall"] = ev["recall"]
        out["seed.quote_recall"] = report["seed"]["quotes"]["recall"]
        d = report["seed"]["dates"]
        out["seed.dates_correct_share"] = round(d["correct"] / d["checked"], 3) if d["checked"] else 1.0
        out["seed.boilerplate_leaks_max"] = len(report["seed"]["boilerplate"])
        ac = report["seed"].get("actors") or {}
        if ac.get("gold"):
            out["seed.actor_country_share"] = round(ac.get("country", 0) / ac["gold"], 3)
    for group, *_ in GROUPS:
        t = report.get(group)
        if not t:
            continue
        out[f"{group}.event_precision"] = t["event_precision"]
        out[f"{group}.event_recall"] = t["event_recall"]
        out[f"{group}.event_f1"] = t["event_f1"]
        out[f"{group}.quote_recall"] = t["quote_recall"]
        out[f"{group}.dates_correct_share"] = round(t["dates_ok"] / t["dates_checked"], 3) if t["dates_checked"] else 1.0
        out[f"{group}.must_not_violations_max"] = t["must_not_violations"]
        out[f"{group}.boilerplate_leaks_max"] = t["boilerplate_leaks"]
        if t.get("actors_gold"):
            out[f"{group}.actor_country_share"] = t["actor_country_share"]
    return out


def read_floors() -> dict[str, float]:
    if not FLOORS_FILE.exists():
        return {}
    return json.loads(FLOORS_FILE.read_text())["floors"]


def check_floors(figs: dict[str, float], floors: dict[str, float] | None = None) -> list[str]:
    """Failures: figures below their floor (or above, for keys ending in _max)."""
    floors = read_floors() if floors is None else floors
    bad = []
    for key, floor in floors.items():
        if key not in figs:
            continue
        val = figs[key]
        if key.endswith("_max"):
            if val > floor:
                bad.append(f"{key} = {val} is above its ceiling {floor}")
        elif val + 1e-9 < floor:
            bad.append(f"{key} = {val} is below its floor {floor}")
    return bad


def write_floors(figs: dict[str, float], reason: str, allow_lower: bool = False) -> dict[str, float]:
    """Pin the current figures as floors. Refuses to lower a floor unless ``allow_lower``."""
    if not reason:
        raise ConfigError("pinning floors needs --reason TEXT (it goes into eval_floors.json and your commit)")
    old = read_floors()
    new = dict(old)
    lowered = []
    for k, v in figs.items():
        if k.endswith("_max"):
            if k in old and v > old[k] and not allow_lower:
                lowered.append(k)
                continue
            new[k] = v
        else:
            if k in old and v < old[k] and not allow_lower:
                lowered.append(k)
                continue
            new[k] = v
    if lowered:
        raise ConfigError("these figures are worse than their pinned floors: " + ", ".join(lowered)
                          + "; fix the regression, or pass --lower-floors with a reason if it is deliberate")
    FLOORS_FILE.write_text(json.dumps({"reason": reason, "floors": dict(sorted(new.items()))}, indent=1) + "\n")
    return new


def format_report(report: dict, cv: dict | None = None) -> str:
    lines = []
    if report.get("seed"):
        s = report["seed"]
        ev = s["events"]
        lines.append(f"seed article: events P={ev['precision']:.3f} R={ev['recall']:.3f} F1={ev['f1']:.3f} "
                     f"({ev['predicted']} predicted); dates {s['dates']['correct']}/{s['dates']['checked']}; "
                     f"quotes R={s['quotes']['recall']:.3f}; boilerplate leaks {len(s['boilerplate'])}")
        for m in ev["missed"]:
            lines.append(f"   missed: {m}")
    for group, *_, label in GROUPS:
        t = report.get(group)
        if not t:
            continue
        lines.append(f"{label}: events P={t['event_precision']:.3f} R={t['event_recall']:.3f} "
                     f"F1={t['event_f1']:.3f}; dates {t['dates_ok']}/{t['dates_checked']}; quotes R={t['quote_recall']:.3f}; "
                     f"must-not violations {t['must_not_violations']}; boilerplate leaks {t['boilerplate_leaks']}")
        if t.get("actors_gold"):
            lines.append(f"   named people ({t['actors_gold']}): found {t['actor_found_share']:.3f}, right country "
                         f"{t['actor_country_share']:.3f}, right sector {t['actor_sector_share']:.3f}")
    if report.get("per_article"):
        lines.append("per article (P / R / predicted):")
        for name, rep in report["per_article"].items():
            ev = rep["events"]
            lines.append(f"   {name:<34} {ev['precision']:.2f} / {ev['recall']:.2f} / {ev['predicted']}"
                         + (f"   must-not: {len(rep['must_not'])}" if rep["must_not"] else ""))
    if report.get("per_type"):
        lines.append("per type (extraction):   P      R      F1    tp fp fn")
        for t, v in report["per_type"].items():
            lines.append(f"   {t:<20} {v['precision']:.3f}  {v['recall']:.3f}  {v['f1']:.3f}  {v['tp']:>2} {v['fp']:>2} {v['fn']:>2}")
    if report.get("e2e"):
        lines.append("end to end, one sentence per article (type recall / type+actor+recipient / actor / recipient "
                     "/ type precision / no event):")
        for name, r in report["e2e"].items():
            if isinstance(r, dict):
                held = "held out" if r.get("folds") else ("seen in training" if name == "plv_seen" else "never trained on")
                lines.append(f"   {name:<10} n={r['n']:<5} {r['type_recall']} / {r['type_actor_recipient_recall']} / "
                             f"{r.get('actor_recall')} / {r.get('recipient_recall')} / "
                             f"{r['type_precision']} / {r['no_event']}   ({held})")
    if cv:
        if "error" in cv:
            lines.append(f"classifier CV: {cv['error']}")
        else:
            lines.append(json.dumps(cv, indent=1)[:6000])
    return "\n".join(lines) + "\n"
