#!/usr/bin/env python
"""Stratified k-fold cross-validation of the relation classifier on plv_train.

    .venv-train/bin/python train/cv_relclf.py [--data-dir ../shared/eval/data] [--k 5] [--seed 0]
        [--method finetune|lexical] [--onnx] [--json out.json]

Importable: ``cross_validate(rows, k=5, seed=0) -> dict`` (accuracy / macro-F1 mean±std over
folds, pooled per-class P/R/F1, top confusion pairs, out-of-fold predictions).
``metrics(y_true, y_pred, labels)`` only needs numpy.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_relclf as T  # noqa: E402
from train_relclf import RAW_LABELS  # noqa: E402


def stratified_folds(labels: list[str], k: int = 5, seed: int = 0) -> list[np.ndarray]:
    """Deterministic stratified split (numpy only): each class shuffled and dealt round-robin."""
    rng = np.random.RandomState(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for lab in sorted(set(labels)):
        idx = np.array([i for i, l in enumerate(labels) if l == lab])
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[(j + offset) % k].append(int(i))
        offset += len(idx)
    return [np.array(sorted(f)) for f in folds]


def metrics(y_true: list[str], y_pred: list[str], labels: list[str] | None = None) -> dict:
    labels = labels or sorted(set(y_true) | set(y_pred))
    yt, yp = np.array(y_true), np.array(y_pred)
    per = {}
    for l in labels:
        tp = int(((yt == l) & (yp == l)).sum())
        fp = int(((yt != l) & (yp == l)).sum())
        fn = int(((yt == l) & (yp != l)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[l] = {"precision": p, "recall": r, "f1": f, "support": int((yt == l).sum())}
    present = [l for l in labels if per[l]["support"] > 0]
    return {
        "accuracy": float((yt == yp).mean()) if len(yt) else 0.0,
        "macro_f1": float(np.mean([per[l]["f1"] for l in present])) if present else 0.0,
        "per_class": per,
    }


def _fit_predict(method: str, train: list[dict], test: list[dict], seed: int, onnx: bool, log):
    marked = [r["marked_sentence"] for r in test]
    lex = T.lexical_fit(train)
    out = {"lexical": T.lexical_predict(lex, marked)}
    if method == "finetune":
        model, tok = T.fit(train, seed=seed, log=log)
        out["torch"] = T.predict_torch(model, tok, marked)
        w = T.HP["lexical_weight"]
        if w > 0:
            out["torch+lexical"] = (1 - w) * out["torch"] + w * out["lexical"]
        if onnx:
            import tempfile

            from dyads.relclf import RelationClassifier

            with tempfile.TemporaryDirectory() as d:
                T.write_artefact(model, Path(d), {}, lex)
                clf = RelationClassifier.load(d)
                out[f"onnx_{T.HP['weights']}" + ("+lexical" if w > 0 else "")] = clf.predict_proba(test)
                RelationClassifier._cache.clear()
    for name, P in out.items():
        m = metrics([r["label"] for r in test], [RAW_LABELS[j] for j in P.argmax(1)], RAW_LABELS)
        log(f"{name}: acc {m['accuracy']:.4f} macro-F1 {m['macro_f1']:.4f}")
    return out


def _run_fold(args):
    f, k, method, train, test, seed, onnx, threads = args
    import os

    os.environ["RELCLF_THREADS"] = str(threads)
    t0 = time.time()
    log = lambda m: print(f"[fold {f + 1}/{k}] {m}", flush=True)  # noqa: E731
    log(f"train {len(train)} test {len(test)}")
    preds = _fit_predict(method, train, test, seed, onnx, log)
    return f, preds, time.time() - t0


def cross_validate(rows: list[dict], k: int = 5, seed: int = 0, method: str = "finetune",
                   onnx: bool = False, extra: list[dict] | None = None, log=print,
                   jobs: int = 1) -> dict:
    """Stratified k-fold CV. Returns a dict with, per model variant ("torch", "onnx_int8",
    "lexical"): accuracy/macro-F1 per fold, mean, std, pooled per-class P/R/F1 and confusions.
    ``jobs`` > 1 trains folds in parallel processes (one torch thread each)."""
    labels = [r["label"] for r in rows]
    folds = stratified_folds(labels, k, seed)
    oof: dict[str, np.ndarray] = {}
    fold_scores: dict[str, dict[int, dict]] = {}
    t0 = time.time()
    tasks = []
    for f, te_idx in enumerate(folds):
        te_set = set(te_idx.tolist())
        train = [rows[i] for i in range(len(rows)) if i not in te_set] + list(extra or [])
        test = [rows[i] for i in te_idx]
        threads = 1 if jobs > 1 else int(__import__("os").environ.get("RELCLF_THREADS", "2"))
        tasks.append((f, k, method, train, test, seed, onnx, threads))
    if jobs > 1:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(jobs) as pool:
            results = list(pool.imap_unordered(_run_fold, tasks))
    else:
        results = [_run_fold(t) for t in tasks]
    for f, preds, secs in sorted(results, key=lambda x: x[0]):
        te_idx = folds[f]
        test = [rows[i] for i in te_idx]
        for name, P in preds.items():
            oof.setdefault(name, np.zeros((len(rows), len(RAW_LABELS)), dtype=np.float32))[te_idx] = P
            m = metrics([r["label"] for r in test], [RAW_LABELS[j] for j in P.argmax(1)], RAW_LABELS)
            fold_scores.setdefault(name, {})[f] = m
            log(f"fold {f + 1}: {name}: acc {m['accuracy']:.4f} macro-F1 {m['macro_f1']:.4f} ({secs:.0f}s)")
    fold_scores = {n: [d[f] for f in sorted(d)] for n, d in fold_scores.items()}
    result = {"k": k, "seed": seed, "method": method, "n": len(rows), "seconds": time.time() - t0, "variants": {}}
    for name, P in oof.items():
        pred = [RAW_LABELS[j] for j in P.argmax(1)]
        pooled = metrics(labels, pred, RAW_LABELS)
        accs = [m["accuracy"] for m in fold_scores[name]]
        f1s = [m["macro_f1"] for m in fold_scores[name]]
        conf = Counter((t, p) for t, p in zip(labels, pred) if t != p)
        result["variants"][name] = {
            "accuracy_mean": float(np.mean(accs)), "accuracy_std": float(np.std(accs)),
            "macro_f1_mean": float(np.mean(f1s)), "macro_f1_std": float(np.std(f1s)),
            "fold_accuracy": accs, "fold_macro_f1": f1s,
            "pooled": pooled,
            "confusions": [{"gold": t, "pred": p, "count": c} for (t, p), c in conf.most_common(15)],
            "oof_pred": pred,
            "oof_proba": P.tolist(),
        }
    return result


def format_report(res: dict) -> str:
    lines = [f"{res['k']}-fold stratified CV (seed {res['seed']}, n={res['n']}, method {res['method']}, "
             f"{res['seconds']:.0f}s)"]
    for name, v in res["variants"].items():
        lines.append(f"\n== {name}: accuracy {v['accuracy_mean']:.4f} ± {v['accuracy_std']:.4f}   "
                     f"macro-F1 {v['macro_f1_mean']:.4f} ± {v['macro_f1_std']:.4f}")
        lines.append("   folds acc: " + " ".join(f"{a:.3f}" for a in v["fold_accuracy"]))
        lines.append(f"   {'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
        for l, m in sorted(v["pooled"]["per_class"].items(), key=lambda x: x[1]["f1"]):
            lines.append(f"   {l:<10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}")
        lines.append("   top confusions (gold -> predicted):")
        for c in v["confusions"][:10]:
            lines.append(f"     {c['gold']:<10} -> {c['pred']:<10} {c['count']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=T.DEFAULT_DATA)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--method", choices=["finetune", "lexical"], default="finetune")
    ap.add_argument("--onnx", action="store_true", help="also evaluate each fold's int8 ONNX export")
    ap.add_argument("--no-extra", action="store_true", help="do not add train/data/*.jsonl to each training fold")
    ap.add_argument("--jobs", type=int, default=1, help="folds trained in parallel (1 torch thread each)")
    ap.add_argument("--json", type=Path, help="write the full result (incl. out-of-fold probabilities) here")
    a = ap.parse_args(argv)
    rows = T.load_rows(a.data_dir)
    extra = [] if a.no_extra else T.load_extra()
    res = cross_validate(rows, a.k, a.seed, a.method, a.onnx, extra, jobs=a.jobs)
    print(format_report(res))
    if a.json:
        a.json.write_text(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
