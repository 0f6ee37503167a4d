#!/usr/bin/env python3
"""Held-out figures of the relation classifier from the fold models of `make cv`.

    .venv/bin/python train/eval_relclf_folds.py train/cache/cv [--fit-calibration]

Each ``relclf-f{k}`` was trained without plv_train's fold k (``dyads.e2e.fold_of``) and is
scored on fold k only. Fold 0 is the tuning fold (choices were made on it); folds 1-4 were not
looked at while choosing, so their pooled figure is the honest one.

Calibration: the ensemble's probabilities are sharpened or flattened by one power
``p ** (1 / T)`` (temperature on log-probabilities). ``--fit-calibration`` fits T on fold 0 by
negative log-likelihood, reports the expected calibration error (ECE, 10 bins) on folds 1-4
before and after, and prints the value to put in the shipped model's ``labels.json``
(``"calibration_temperature"``).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from dyads.e2e import N_FOLDS, fold_of  # noqa: E402
from dyads.relclf import RAW_LABELS, RelationClassifier  # noqa: E402

DATA = HERE.parent.parent / "shared" / "eval" / "data" / "plv_train.jsonl"


def metrics(P: np.ndarray, y: np.ndarray) -> dict:
    pred = P.argmax(1)
    f1s = []
    for k in range(len(RAW_LABELS)):
        if (y == k).sum() == 0:
            continue
        tp = ((pred == k) & (y == k)).sum()
        fp = ((pred == k) & (y != k)).sum()
        fn = ((pred != k) & (y == k)).sum()
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {"n": int(len(y)), "accuracy": round(float((pred == y).mean()), 3),
            "macro_f1": round(float(np.mean(f1s)), 3), "nll": round(float(-np.log(P[np.arange(len(y)), y] + 1e-9).mean()), 3),
            "ece": round(ece(P, y), 3)}


def ece(P: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    conf = P.max(1)
    pred = P.argmax(1)
    out = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for a, b in zip(edges[:-1], edges[1:]):
        m = (conf > a) & (conf <= b)
        if m.any():
            out += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return float(out)


def temper(P: np.ndarray, t: float) -> np.ndarray:
    L = np.log(P + 1e-9) / t
    L -= L.max(1, keepdims=True)
    E = np.exp(L)
    return E / E.sum(1, keepdims=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cv_dir", type=Path)
    ap.add_argument("--fit-calibration", action="store_true")
    a = ap.parse_args(argv)
    rows = [json.loads(line) for line in DATA.open() if line.strip()]
    per = {}
    probs, ys, folds = [], [], []
    for k in range(N_FOLDS):
        path = a.cv_dir / f"relclf-f{k}"
        if not path.is_dir():
            print(f"{path} missing: run `make cv`", file=sys.stderr)
            return 2
        clf = RelationClassifier.load(path, threads=2)
        clf.calibration = 1.0  # raw ensemble probabilities: the calibration is fitted here
        fr = [r for r in rows if fold_of(r["id"]) == k]
        P = clf.predict_proba(fr)
        y = np.array([RAW_LABELS.index(r["label"]) for r in fr])
        per[k] = metrics(P, y)
        probs.append(P)
        ys.append(y)
        folds.append(np.full(len(y), k))
    P, y, f = np.concatenate(probs), np.concatenate(ys), np.concatenate(folds)
    out = {"per_fold": per, "fold0_tuning": per[0], "folds1_4_heldout": metrics(P[f > 0], y[f > 0]),
           "all_folds": metrics(P, y)}
    if a.fit_calibration:
        grid = np.exp(np.linspace(np.log(0.3), np.log(3.0), 121))
        nll = [metrics(temper(P[f == 0], t), y[f == 0])["nll"] for t in grid]
        t = float(grid[int(np.argmin(nll))])
        out["calibration"] = {"temperature": round(t, 3),
                              "folds1_4_ece_before": round(ece(P[f > 0], y[f > 0]), 3),
                              "folds1_4_ece_after": round(ece(temper(P[f > 0], t), y[f > 0]), 3),
                              "folds1_4_nll_before": metrics(P[f > 0], y[f > 0])["nll"],
                              "folds1_4_nll_after": metrics(temper(P[f > 0], t), y[f > 0])["nll"]}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
