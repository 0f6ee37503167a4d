"""`make demo`: extract every bundled example article and print a readable summary."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from .errors import DyadsError
from .pipeline import extract


def _manifest(folder: Path) -> dict[str, dict]:
    mf = folder / "manifest.jsonl"
    if not mf.exists():
        return {}
    out = {}
    for line in mf.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["file"]] = rec
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0] if argv else "examples/articles")
    files = sorted(p for p in folder.glob("*.txt"))
    if not files:
        print(f"dyads demo: no .txt articles in {folder}", file=sys.stderr)
        return 1
    meta = _manifest(folder)
    t0 = time.perf_counter()
    totals: Counter = Counter()
    types: Counter = Counter()
    for p in files:
        m = meta.get(p.name, {})
        try:
            r = extract(p.read_bytes(), published=m.get("published"), source=m.get("source"),
                        url=m.get("url"), title=m.get("title"), id=p.stem)
        except DyadsError as exc:
            print(f"{p.name}: error: {exc}")
            totals["failed"] += 1
            continue
        names = {a.id: a.name for a in r.actors}
        print(f"\n== {p.name}  ({m.get('published', 'no date')}, {m.get('source', 'unknown source')})")
        print(f"   {len(r.actors)} actors, {len(r.events)} events, {len(r.quotes)} quotes, "
              f"{len(r.removed)} boilerplate spans removed")
        people = [f"{a.name} ({a.country or '?'}/{a.sector or '?'})" for a in r.actors if a.kind == "person"]
        if people:
            print("   people: " + "; ".join(people[:8]))
        for e in r.events[:8]:
            who = "+".join(names.get(i, i) for i in e.actor)
            whom = "+".join(names.get(i, i) for i in e.recipient) or "-"
            flag = "" if e.status == "asserted" else f" [{e.status}]"
            print(f"   {e.type:<10} {who} -> {whom}{flag}  {e.date or ''}")
        if len(r.events) > 8:
            print(f"   ... {len(r.events) - 8} more events")
        totals["articles"] += 1
        totals["actors"] += len(r.actors)
        totals["events"] += len(r.events)
        totals["quotes"] += len(r.quotes)
        types.update(e.type for e in r.events)
    dt = time.perf_counter() - t0
    print(f"\nSummary: {totals['articles']} articles, {totals['actors']} actors, {totals['events']} events, "
          f"{totals['quotes']} quotes in {dt:.1f}s; failed: {totals['failed']}")
    if types:
        print("Event types: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    corpus_summary(folder)
    return 1 if totals["failed"] else 0


def corpus_summary(folder: Path) -> None:
    """Ingest the same articles into a throwaway SQLite store and show the corpus view."""
    import tempfile

    from . import query
    from .ingest import ingest
    from .store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "demo.db"))
        try:
            summary = ingest([str(folder)], store, workers=2, progress=False)
            st = query.stats(store)
            print(f"\nCorpus store (SQLite): {st['articles']} articles, {st['events']} events "
                  f"(one per happening), {st['actors']} actors, {st['quotes']} quotes; "
                  f"ingest failures: {summary.failed}")
            rows = query.dyads(store, by="month")
            rows.sort(key=lambda r: -r["events"])
            if rows:
                print("Busiest directed pairs (month, events, mean intensity):")
                for r in rows[:8]:
                    print(f"   {r['actor']} -> {r['recipient']}  {r['period']}  {r['events']:>3}  "
                          f"{r['mean_intensity'] if r['mean_intensity'] is not None else '-'}")
        finally:
            store.close()
    print("\nExplore them in the browser (network, pair timelines, evidence):\n"
          f"   .venv/bin/dyads ingest {folder} --db corpus.db && .venv/bin/dyads serve --db corpus.db\n"
          "   then open http://127.0.0.1:8000/")


if __name__ == "__main__":
    sys.exit(main())
