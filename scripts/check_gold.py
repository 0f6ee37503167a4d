#!/usr/bin/env python3
"""Check the project's own gold annotations (tests/golden/*.gold.json) against
their articles (examples/articles/*.txt) and the manifest.

    python3 scripts/check_gold.py [--root DIR]

Checks, for every gold file:
- the JSON parses and has the required keys;
- the article exists; every event/must_not `sentence` fragment occurs verbatim in
  ONE sentence of the article, and every quote text and boilerplate line occurs in
  the article (after normalising curly quotes, case and whitespace);
- event types are PLOVER types; participants are ISO3-looking codes or names;
- `published` and event dates are well formed; `weekday` agrees with `published`;
- sectors come from the project's sector list; statuses are known;
- the manifest lists the article with the same published date.
Exits 1 and prints one line per problem when anything is wrong.
"""
import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "REB", "OPP", "CVL", "MED", "BUS", "IGO", "NGO", "PTY"}
NOT_ASSERTED = {"negated", "hypothetical"}
STATUSES = {"asserted", "negated", "hypothetical", "future", "uncertain", "reported", "historical"}
EVENT_KEYS = {"types", "actor", "recipient", "sentence", "date", "status", "optional",
              "recipient_optional", "actor_optional", "mode", "unless_status"}
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
ABBREV = ("Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Col.", "Lt.", "Sgt.", "St.", "U.S.", "U.N.",
          "U.K.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "No.")


def norm(s):
    """Same normalisation as the evaluation scorer: NFKC, straight quotes, lower case,
    collapsed whitespace."""
    s = unicodedata.normalize("NFKC", s or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return " ".join(s.lower().split())


def rough_sentences(text):
    """A deliberately simple splitter: paragraphs, then '. ' / '? ' / '! ' followed by a
    capital or an opening quote, not after a known abbreviation or an initial."""
    out = []
    for para in text.split("\n"):
        start = 0
        for m in re.finditer(r'[.!?]["\u201d\u2019]?\s+(?=["\u201c\u2018]?[A-Z0-9])', para):
            before = para[start:m.start() + 1]
            last = before.split()[-1] if before.split() else ""
            if last in ABBREV or re.fullmatch(r"[A-Z]\.", last):
                continue
            out.append(para[start:m.end()].strip())
            start = m.end()
        if para[start:].strip():
            out.append(para[start:].strip())
    return out


def as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def check_participants(where, vals, problems):
    for v in as_list(vals):
        if not isinstance(v, str) or not v.strip():
            problems.append(f"{where}: empty or non-string participant {v!r}")
        elif v == "*" or ISO3_RE.match(v):
            continue
        elif v.isupper() and len(v) <= 2 and v not in {"EU", "UN"}:
            problems.append(f"{where}: participant {v!r} looks like a code but is not ISO3")
        elif not re.search(r"[A-Za-z]", v):
            problems.append(f"{where}: participant {v!r} is not a code or a name")


def check_event(where, ev, sentences, problems, must_not=False):
    extra = set(ev) - EVENT_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    types = ev.get("types")
    if not isinstance(types, list) or not types:
        problems.append(f"{where}: `types` must be a non-empty list")
    else:
        bad = [t for t in types if t not in TYPES]
        if bad:
            problems.append(f"{where}: not PLOVER types {bad}")
    if "actor" not in ev:
        problems.append(f"{where}: no actor")
    check_participants(where + " actor", ev.get("actor"), problems)
    check_participants(where + " recipient", ev.get("recipient"), problems)
    frag = ev.get("sentence")
    if not isinstance(frag, str) or not frag.strip():
        problems.append(f"{where}: no sentence fragment")
    else:
        nf = norm(frag)
        if not any(nf in norm(s) for s in sentences):
            problems.append(f"{where}: fragment not found inside one sentence: {frag!r}")
    if "date" in ev and not (isinstance(ev["date"], str) and DATE_RE.match(ev["date"])):
        problems.append(f"{where}: bad date {ev.get('date')!r}")
    if ev.get("date"):
        try:
            dt.date.fromisoformat(ev["date"]) if len(ev["date"]) == 10 else None
        except ValueError:
            problems.append(f"{where}: impossible date {ev['date']!r}")
    if "status" in ev and ev["status"] not in STATUSES:
        problems.append(f"{where}: unknown status {ev['status']!r}")
    for s in as_list(ev.get("unless_status")):
        if s not in STATUSES:
            problems.append(f"{where}: unknown unless_status {s!r}")
    if "unless_status" in ev and not must_not:
        problems.append(f"{where}: unless_status only belongs in must_not")
    for k in ("optional", "recipient_optional", "actor_optional"):
        if k in ev and not isinstance(ev[k], bool):
            problems.append(f"{where}: {k} must be true/false")


def _overlap(a, b):
    a, b = {norm(x) for x in as_list(a)}, {norm(x) for x in as_list(b)}
    return "*" in a or "*" in b or bool(a & b)


def conflicts(name, gold, sentences):
    """A must_not rule that would also fire on a correct prediction of a gold event
    (same sentence, shared type, overlapping actors, status not excused)."""
    out = []
    for i, m in enumerate(gold.get("must_not", [])):
        ok = set(as_list(m.get("unless_status"))) | NOT_ASSERTED
        for j, g in enumerate(gold.get("events", [])):
            if not set(m.get("types", [])) & set(g.get("types", [])):
                continue
            if g.get("status") in ok:
                continue
            if not _overlap(m.get("actor"), g.get("actor")):
                continue
            if m.get("recipient") and g.get("recipient") and not _overlap(m["recipient"], g["recipient"]):
                continue
            same = any(norm(m["sentence"]) in norm(s) and norm(g["sentence"]) in norm(s)
                       for s in sentences)
            if same:
                out.append(f"{name}: must_not[{i}] would also fire on events[{j}] ({g['sentence']!r})")
    return out


def check_gold(path, articles_dir, manifest):
    problems = []
    name = path.name[: -len(".gold.json")]
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"{path.name}: invalid JSON: {exc}"]
    art = articles_dir / f"{name}.txt"
    if not art.exists():
        return [f"{path.name}: no article {art.name}"]
    text = art.read_text(encoding="utf-8")
    ntext = norm(text)
    sentences = rough_sentences(text)

    for key in ("published", "weekday", "source", "boilerplate", "events", "quotes", "actors", "must_not"):
        if key not in gold:
            problems.append(f"{path.name}: missing key {key!r}")
    pub = gold.get("published", "")
    try:
        pdate = dt.date.fromisoformat(pub)
        if gold.get("weekday") != pdate.strftime("%A"):
            problems.append(f"{path.name}: weekday {gold.get('weekday')!r} but {pub} is a {pdate:%A}")
    except (TypeError, ValueError):
        problems.append(f"{path.name}: bad published date {pub!r}")
        pdate = None

    for i, ev in enumerate(gold.get("events", [])):
        check_event(f"{path.name} events[{i}]", ev, sentences, problems)
        if pdate and ev.get("date") and ev["date"][:7] > pub[:7] and ev.get("status") != "future":
            problems.append(f"{path.name} events[{i}]: date {ev['date']} after publication")
    for i, ev in enumerate(gold.get("must_not", [])):
        check_event(f"{path.name} must_not[{i}]", ev, sentences, problems, must_not=True)
    problems += conflicts(path.name, gold, sentences)
    for i, q in enumerate(gold.get("quotes", [])):
        if not q.get("text") or norm(q["text"]) not in ntext:
            problems.append(f"{path.name} quotes[{i}]: text not in article: {q.get('text')!r}")
        if not as_list(q.get("speaker")):
            problems.append(f"{path.name} quotes[{i}]: no speaker")
    for b in gold.get("boilerplate", []):
        if norm(b) not in ntext:
            problems.append(f"{path.name}: boilerplate not in article: {b!r}")
    for t in gold.get("typos", []):
        if norm(t) not in ntext:
            problems.append(f"{path.name}: typo not in article: {t!r}")
    for i, a in enumerate(gold.get("actors", [])):
        if not a.get("name") or norm(a["name"].split()[-1]) not in ntext:
            problems.append(f"{path.name} actors[{i}]: name not in article: {a.get('name')!r}")
        c = a.get("country", "")
        if not (ISO3_RE.match(c) or c in {"EU", "UN", "NATO"}):
            problems.append(f"{path.name} actors[{i}]: country {c!r} is not ISO3")
        bad = [s for s in as_list(a.get("sector")) if s not in SECTORS]
        if bad or not as_list(a.get("sector")):
            problems.append(f"{path.name} actors[{i}]: bad sector {a.get('sector')!r}")

    entry = manifest.get(art.name)
    if manifest and entry is None:
        problems.append(f"{path.name}: {art.name} missing from manifest.jsonl")
    elif entry:
        if entry.get("published") != pub:
            problems.append(f"{path.name}: manifest date {entry.get('published')} != {pub}")
        if entry.get("source") != gold.get("source"):
            problems.append(f"{path.name}: manifest source {entry.get('source')!r} != {gold.get('source')!r}")
    words = len(text.split())
    if gold.get("events") and not 250 <= words <= 600:
        problems.append(f"{art.name}: {words} words (want 250-600)")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = ap.parse_args(argv)
    root = Path(args.root)
    articles_dir = root / "examples" / "articles"
    manifest = {}
    mpath = articles_dir / "manifest.jsonl"
    problems = []
    if mpath.exists():
        for n, line in enumerate(mpath.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    entry = json.loads(line)
                    manifest[entry["file"]] = entry
                except (ValueError, KeyError) as exc:
                    problems.append(f"manifest.jsonl line {n}: {exc}")
    else:
        problems.append("examples/articles/manifest.jsonl missing")
    golds = sorted((root / "tests" / "golden").glob("*.gold.json"))
    for g in golds:
        problems += check_gold(g, articles_dir, manifest)
    for fname in manifest:
        if not (articles_dir / fname).exists():
            problems.append(f"manifest.jsonl: {fname} does not exist")
    n_events = 0
    for g in golds:
        try:
            n_events += len(json.loads(g.read_text(encoding="utf-8")).get("events", []))
        except ValueError:
            pass
    for p in problems:
        print(p)
    print(f"{len(golds)} gold files, {n_events} events, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
