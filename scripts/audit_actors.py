#!/usr/bin/env python3
"""Who ends up as an event's actor or recipient: an audit for things that are not actors.

    .venv/bin/python scripts/audit_actors.py [--ngec N] [--json] [--list K]

Runs the extractor over the bundled example stories (all four sets) and the first N (default 400)
NGEC synthetic stories (``../shared/eval/data``; skipped when absent) and counts the parties of
asserted events that fall in a class of non-actors:

- ``natural``: a named storm, cyclone, hurricane, typhoon, earthquake, flood or fire;
- ``news``: a news agency or outlet (the outlet list below is the audit's own, kept apart from
  the extractor's so that the audit does not grade itself);
- ``place``: a capitalised name (not an acronym, not a titled person) that the offline place
  resolver knows as a city or landmark and no actor table knows, coded as an organisation or a
  person (some are people or bodies that share a town's name: read the list);
- ``background``: an event dated more than a year before the article's publication that is not
  flagged ``background`` (only for stories with a publication date).

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


def _days_before(event_date: str | None, published: str | None) -> int | None:
    if not event_date or not published:
        return None
    parts = event_date.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 12
        d = int(parts[2]) if len(parts) > 2 else 28
        return (date.fromisoformat(published[:10]) - date(y, m, d)).days
    except ValueError:
        return None


def audit(stories: list[dict]) -> dict:
    from dyads import pipeline
    from dyads.errors import DyadsError
    from dyads.gazetteer import base, tokenize
    from dyads.places import known_place

    gz = base()
    found: dict[str, list] = {"natural": [], "news": [], "place": [], "background": []}
    names: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    n_events = 0
    for s in stories:
        try:
            res = pipeline.extract(s["text"], published=s.get("published"))
        except DyadsError:
            continue
        by_id = {a.id: a for a in res.actors}
        for ev in res.events:
            if ev.status not in ("asserted", "future"):
                continue
            n_events += 1
            for role, ids in (("actor", ev.actor), ("recipient", ev.recipient)):
                for aid in ids:
                    a = by_id.get(aid)
                    if a is None:
                        continue
                    names[a.kind][a.name] += 1
                    rec = {"story": s["id"], "type": ev.type, "role": role, "name": a.name, "kind": a.kind,
                           "evidence": ev.evidence.text[:160]}
                    low = a.name.lower().removeprefix("the ")
                    if a.kind != "state" and NATURAL.search(a.name):
                        found["natural"].append(rec)
                    elif low in OUTLETS or any(low == o or low.startswith(o + " ") for o in OUTLETS):
                        found["news"].append(rec)
                    elif a.kind in ("organization", "person") and a.name[:1].isupper() and not a.name.isupper() \
                            and not a.title and known_place(low, gz) and not gz.lookup(tokenize(a.name)):
                        found["place"].append(rec)
            days = _days_before(ev.date, s.get("published"))
            if days is not None and days > 365 and not getattr(ev, "background", False):
                found["background"].append({"story": s["id"], "type": ev.type, "date": ev.date,
                                            "evidence": ev.evidence.text[:160]})
    return {"stories": len(stories), "events": n_events, "counts": {k: len(v) for k, v in found.items()},
            "found": found, "names": {k: c.most_common() for k, c in names.items()}}


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
    print(f"{res['stories']} stories, {res['events']} asserted or future events")
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
