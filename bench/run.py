"""`make bench`: batch extraction throughput next to bare spaCy on the same texts.

Measures `dyads extract --jsonl` (library path: batch.map_lines on 2 processes) and bare
spaCy `nlp.pipe(texts, n_process=2)` with the same model, loaded as its package ships it
(`spacy.load`, not dyads' own loader), on the same ~600-word articles,
and prints articles/s, words/s, the ratio and peak memory per process. Texts: the project's
example articles, repeated to N articles (default 120). Timed in the same run.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def articles(n: int) -> list[dict]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    out = []
    i = 0
    while len(out) < n:
        # pair stories to reach ~600 words, like a typical wire article
        t = texts[i % len(texts)]
        if len(t.split()) < 450:
            t = t + "\n" + texts[(i + 5) % len(texts)]
        out.append({"id": f"bench-{len(out)}", "text": t, "published": "2026-03-04"})
        i += 1
    return out


def peak_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


def stock_spacy():
    """The spaCy model exactly as its package ships it: the baseline "bare spaCy" (dyads.nlp.load
    compiles the attribute ruler's matcher, which is part of what dyads does faster, not the baseline)."""
    import spacy

    from dyads import nlp

    return spacy.load(nlp.model_name())


def bench_spacy(texts: list[str], workers: int) -> float:
    model = stock_spacy()
    t0 = time.perf_counter()
    for _ in model.pipe(texts, n_process=workers, batch_size=8):
        pass
    return time.perf_counter() - t0


def bench_dyads(recs: list[dict], workers: int) -> tuple[float, int]:
    from dyads.batch import map_lines

    lines = [(i + 1, json.dumps(r)) for i, r in enumerate(recs)]
    t0 = time.perf_counter()
    failed = sum(1 for _, _, ok in map_lines(iter(lines), workers=workers) if not ok)
    return time.perf_counter() - t0, failed


def bench_detector(texts: list[str]) -> dict | None:
    """The learned detector alone, one process, one thread: ms per article and memory it adds."""
    import os

    from dyads import nlp
    from dyads.detector import Detector, DetectorModelMissing

    model = stock_spacy()
    sents = [[s.text.strip() for s in model(t).sents if s.text.strip()] for t in texts[:30]]
    rss0 = _rss_mb()
    try:
        det = Detector.load(os.environ.get("DYADS_DETECTOR_PATH") or None, threads=1)
    except DetectorModelMissing:
        return None
    det.detect(sents[0])
    t0 = time.perf_counter()
    for ss in sents:
        det.detect(ss)
    secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts[:30]:
        model(t)
    secs_spacy = time.perf_counter() - t0
    return {"detector_ms_per_article": round(1000 * secs / len(sents), 1),
            "spacy_ms_per_article_1proc": round(1000 * secs_spacy / len(sents), 1),
            "detector_sentences": sum(map(len, sents)), "detector_added_rss_mb": round(_rss_mb() - rss0)}


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=120, help="articles (default 120)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    recs = articles(args.n)
    texts = [r["text"] for r in recs]
    words = sum(len(t.split()) for t in texts)
    # warm up model loading outside the timings
    from dyads import nlp

    nlp.load()
    t_spacy = bench_spacy(texts, args.workers)
    t_dyads, failed = bench_dyads(recs, args.workers)
    res = {
        "articles": len(recs), "words": words, "mean_words": round(words / len(recs)), "workers": args.workers,
        "spacy_articles_per_s": round(len(recs) / t_spacy, 2), "spacy_words_per_s": round(words / t_spacy),
        "dyads_articles_per_s": round(len(recs) / t_dyads, 2), "dyads_words_per_s": round(words / t_dyads),
        "ratio_dyads_to_spacy": round(t_spacy / t_dyads, 3), "failed": failed,
        "peak_rss_mb_main": round(peak_mb(resource.RUSAGE_SELF)),
        "peak_rss_mb_worker": round(peak_mb(resource.RUSAGE_CHILDREN)),
    }
    det = bench_detector(texts)
    if det:
        res.update(det)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{res['articles']} articles, {res['mean_words']} words on average, {args.workers} workers")
        print(f"bare spaCy (n_process={args.workers}): {res['spacy_articles_per_s']} articles/s, {res['spacy_words_per_s']} words/s")
        print(f"dyads extract --jsonl:        {res['dyads_articles_per_s']} articles/s, {res['dyads_words_per_s']} words/s")
        print(f"ratio dyads / spaCy: {res['ratio_dyads_to_spacy']}   failed: {failed}")
        print(f"peak memory: main {res['peak_rss_mb_main']} MB, largest worker {res['peak_rss_mb_worker']} MB")
        if det:
            print(f"learned detector alone (1 process, 1 thread): {det['detector_ms_per_article']} ms/article "
                  f"({det['detector_sentences'] / 30:.0f} sentences) vs spaCy {det['spacy_ms_per_article_1proc']} ms; "
                  f"memory added {det['detector_added_rss_mb']} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
