#!/usr/bin/env python3
"""Who ends up as an event's actor or recipient: an audit for things that are not actors.

    .venv/bin/python scripts/audit_actors.py [--ngec N] [--json] [--list K]

Ingests the bundled example stories (all four sets) and the first N (default 400) NGEC
synthetic stories (``../shared/eval/data``; skipped when absent) into a temporary store, as a
user would, and reads back what the corpus commands show by default (``query.events``, which
feeds the dyad series, the graph and the exports). Counts the parties of those events that fall
in a class of non-actors:

- ``natural``: a named storm, cyclone, hurricane, typhoon, earthquake, flood or fire;
- ``news``: a news agency or outlet (the outlet list below is the audit's own, kept apart from
  the extractor's so that the audit does not grade itself);
- ``place``: a capitalised name (not an acronym, not a titled person) that the offline place
  resolver knows as a city or landmark and no actor table knows, coded as an organisation or a
  person (some are people or bodies that share a town's name: read the list);
- ``background``: a listed event whose date (its latest possible day: "2023" counts as
  2023-12-31) is more than a year before the publication of every article that reported it (it
  should have been flagged ``background`` and left out).

Also reports how many background clusters the store keeps (listed only with
``include_background``) and the earliest day in the default listing.

``--list K`` prints the K most frequent party names per actor kind for a reader to look over:
the classes above are what the issue names, not everything that can go wrong.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGEC = ROOT.parent / "shared" / "eval" / "data" / "ngec_synthetic_events.jsonl"

NATURAL = re.compile(r"\b(?:cyclone|hurricane|typhoon|storm|tornado|earthquake|quake|tsunami|flood|floods|"
                     r"wildfire|wildfires|fire|drought|monsoon|eruption|volcano|landslide|el ni[nñ]o)\b", re.I)
OUTLETS = {
    "reuters", "associated press", "ap", "afp", "agence france-presse", "agence france presse", "bbc",
    "cnn", "al jazeera", "xinhua", "tass", "ria novosti", "interfax", "anadolu", "anadolu agency", "yonhap",
    "kyodo", "kyodo news", "bloomberg", "dow jones", "efe", "ansa", "dpa", "pti", "press trust of india",
    "irna", "fars", "tasnim", "wafa", "sana", "kcna", "new york times", "washington post", "guardian",
    "financial times", "wall street journal", "radio free europe", "voice of america", "voa", "npr",
    "sky news", "france 24", "deutsche welle", "dw", "nhk", "abc news", "cbs news", "nbc news", "fox news",
}


def _stories(n_ngec: int) -> list[dict]:
    out = []
    for d in sorted((ROOT / "examples").iterdir()):
        man = d / "manifest.jsonl"
        if not man.is_file():
            continue
        for line in man.open(encoding="utf-8"):
            m = json.loads(line)
            out.append({"id": f"{d.name}/{m['file']}", "text": (d / m["file"]).read_text(encoding="utf-8"),
                        "published": m.get("published")})
    if n_ngec and NGEC.is_file():
        with NGEC.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= n_ngec:
                    break
                r = json.loads(line)
                out.append({"id": r["id"], "text": r["text"], "published": r.get("date")})
    return out


def audit(stories: list[dict]) -> dict:
    import tempfile

    from dyads import query
    from dyads.dates import latest_day
    from dyads.gazetteer import base, tokenize
    from dyads.ingest import ingest
    from dyads.places import known_place
    from dyads.store import open_store

    gz = base()
    found: dict[str, list] = {"natural": [], "news": [], "place": [], "background": []}
    names: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stories.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for s in stories:
                fh.write(json.dumps({"id": s["id"], "text": s["text"], "published": s.get("published")}) + "\n")
        store = open_store(Path(tmp) / "audit.db")
        ingest([src], store, workers=1, progress=False)
        kinds = {pk: (kind, title) for pk, kind, title in
                 store.query("SELECT a.pk, a.kind, (SELECT MAX(title) FROM actor_mentions m WHERE m.actor_pk = a.pk) "
                             "FROM actors a")}
        listed = query.events(store, limit=None)
        everything = query.events(store, limit=None, include_background=True)
        for ev in listed:
            if ev.status not in ("asserted", "future"):
                continue
            for role, pks, nms in (("actor", ev.actors, ev.actor_names), ("recipient", ev.recipients, ev.recipient_names)):
                for pk, name in zip(pks, nms):
                    kind, title = kinds.get(pk, ("?", None))
                    names[kind][name] += 1
                    rec = {"event": ev.pk, "type": ev.type, "role": role, "name": name, "kind": kind,
                           "evidence": ev.evidence[:160]}
                    low = name.lower().removeprefix("the ")
                    if kind != "state" and NATURAL.search(name):
                        found["natural"].append(rec)
                    elif low in OUTLETS or any(low.startswith(o + " ") for o in OUTLETS):
                        found["news"].append(rec)
                    elif kind in ("organization", "person") and name[:1].isupper() and not name.isupper() \
                            and not title and known_place(low, gz) and not gz.lookup(tokenize(name)):
                        found["place"].append(rec)
            pubs = [r[0] for r in store.query(
                "SELECT a.published FROM event_mentions m JOIN articles a ON a.pk = m.article_pk "
                "WHERE m.event_pk = ?", (ev.pk,)) if r[0]]
            last = latest_day(ev.date, ev.date_precision)
            if last and pubs and all(_days(last.isoformat(), p) > 365 for p in pubs):
                found["background"].append({"event": ev.pk, "type": ev.type, "day": ev.day,
                                            "evidence": ev.evidence[:160]})
        days = sorted(e.day for e in listed if e.day)
        out = {"stories": len(stories), "articles": store.count("articles"), "events_listed": len(listed),
               "background_kept": len(everything) - len(listed), "earliest_listed_day": days[0] if days else None,
               "counts": {k: len(v) for k, v in found.items()}, "found": found,
               "names": {k: c.most_common() for k, c in names.items()}}
        store.close()
    return out


def _days(day: str, published: str) -> int:
    return (date.fromisoformat(published[:10]) - date.fromisoformat(day[:10])).days


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ngec", type=int, default=400, help="NGEC synthetic stories to add (default 400)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", type=int, default=0, metavar="K", help="print the K most frequent parties per kind")
    a = ap.parse_args(argv)
    res = audit(_stories(a.ngec))
    if a.json:
        print(json.dumps(res, indent=1))
        return 0
    print(f"{res['stories']} stories ({res['articles']} stored), {res['events_listed']} events listed by default; "
          f"{res['background_kept']} background events kept in the store but not listed; "
          f"earliest listed day {res['earliest_listed_day']}")
    for k, v in res["counts"].items():
        print(f"  {k:<11} {v}")
        for r in res["found"][k][:15]:
            print(f"      {r}")
    if a.list:
        for kind, items in res["names"].items():
            print(f"\n{kind}: " + ", ".join(f"{n} ({c})" for n, c in items[:a.list]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
