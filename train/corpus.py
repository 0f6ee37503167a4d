#!/usr/bin/env python3
"""The project's own event-annotated sentences (train/data/events/*.jsonl): load, check, count.

    python train/corpus.py check train/data/events/part-01.jsonl   # every span and field
    python train/corpus.py stats                                   # counts by type, tag, form

Records follow train/data/GUIDE.md. ``load()`` resolves every span (a string, or
``[string, n]`` for its n-th occurrence) to character offsets, so training code never
searches strings itself. Standard library only: it runs in any venv.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "data" / "events"

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
STATUSES = ("asserted", "future", "hypothetical", "negated")
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}
TAGS = {"verbal", "nominal", "passive", "headline", "quoted", "group-actor", "multi", "negative",
        "disaster", "accident", "sport", "market", "crime", "background", "negated", "hypothetical",
        "future", "attributed", "denied", "acled"}
EVENT_KEYS = {"type", "mode", "trigger", "actor", "recipient", "status", "source", "denied_by", "background"}


class CorpusError(ValueError):
    pass


@dataclass
class SpanRef:
    start: int
    end: int
    text: str


@dataclass
class GoldEvent:
    type: str
    mode: str | None
    trigger: SpanRef
    actor: list[SpanRef]
    recipient: list[SpanRef]
    status: str
    source: list[SpanRef] = field(default_factory=list)
    denied_by: list[SpanRef] = field(default_factory=list)
    background: bool = False


@dataclass
class Record:
    id: str
    text: str
    events: list[GoldEvent]
    tags: list[str]
    file: str = ""


def _find(text: str, spec, what: str) -> SpanRef:
    if isinstance(spec, list) and len(spec) == 2 and isinstance(spec[0], str) and isinstance(spec[1], int):
        words, n = spec
    elif isinstance(spec, str):
        words, n = spec, 1
    else:
        raise CorpusError(f"{what}: expected a string or [string, n], got {spec!r}")
    if not words or words != words.strip():
        raise CorpusError(f"{what}: {words!r} is empty or has surrounding spaces")
    pos = -1
    for _ in range(n):
        pos = text.find(words, pos + 1)
        if pos < 0:
            raise CorpusError(f"{what}: {words!r} (occurrence {n}) is not in the text")
    # a span must not cut a word in two
    if pos > 0 and text[pos - 1].isalnum() and words[0].isalnum():
        raise CorpusError(f"{what}: {words!r} starts inside a word")
    end = pos + len(words)
    if end < len(text) and text[end].isalnum() and words[-1].isalnum():
        raise CorpusError(f"{what}: {words!r} ends inside a word")
    return SpanRef(pos, end, words)


def _spans(text: str, spec, what: str) -> list[SpanRef]:
    if spec is None:
        return []
    if isinstance(spec, list) and not (len(spec) == 2 and isinstance(spec[1], int)):
        return [_find(text, s, what) for s in spec]
    return [_find(text, spec, what)]


def parse(d: dict, where: str = "") -> Record:
    for k in ("id", "text", "events", "tags"):
        if k not in d:
            raise CorpusError(f"{where}: missing field {k!r}")
    text = d["text"]
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: empty text")
    n_words = len(text.split())
    if not 4 <= n_words <= 80:
        raise CorpusError(f"{where}: {n_words} words (4-80 allowed)")
    bad_tags = set(d["tags"]) - TAGS
    if bad_tags:
        raise CorpusError(f"{where}: unknown tags {sorted(bad_tags)}")
    events = []
    for i, e in enumerate(d["events"]):
        w = f"{where} event {i + 1}"
        extra = set(e) - EVENT_KEYS
        if extra:
            raise CorpusError(f"{w}: unknown keys {sorted(extra)}")
        if e.get("type") not in TYPES:
            raise CorpusError(f"{w}: type {e.get('type')!r} is not a PLOVER type")
        mode = e.get("mode")
        if mode is not None and mode not in MODES.get(e["type"], set()):
            raise CorpusError(f"{w}: mode {mode!r} is not a mode of {e['type']}")
        if e.get("status") not in STATUSES:
            raise CorpusError(f"{w}: status {e.get('status')!r} not in {STATUSES}")
        for k in ("trigger", "actor", "recipient", "status"):
            if k not in e:
                raise CorpusError(f"{w}: missing {k!r}")
        trig = _spans(text, e["trigger"], f"{w} trigger")
        if len(trig) != 1:
            raise CorpusError(f"{w}: exactly one trigger span")
        events.append(GoldEvent(
            type=e["type"], mode=mode, trigger=trig[0],
            actor=_spans(text, e["actor"], f"{w} actor"),
            recipient=_spans(text, e["recipient"], f"{w} recipient"),
            status=e["status"],
            source=_spans(text, e.get("source"), f"{w} source"),
            denied_by=_spans(text, e.get("denied_by"), f"{w} denied_by"),
            background=bool(e.get("background", False)),
        ))
    return Record(id=str(d["id"]), text=text, events=events, tags=list(d["tags"]))


def read(path: Path) -> tuple[list[Record], list[str]]:
    recs, errors = [], []
    for n, line in enumerate(Path(path).open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        where = f"{Path(path).name}:{n}"
        try:
            r = parse(json.loads(line), where)
            r.file = Path(path).name
            recs.append(r)
        except (CorpusError, json.JSONDecodeError) as exc:
            errors.append(f"{where}: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc))
    return recs, errors


def load(directory: Path = CORPUS_DIR, strict: bool = True) -> list[Record]:
    """Every record of the corpus; raises on the first invalid file when ``strict``."""
    out: list[Record] = []
    seen: set[str] = set()
    for f in sorted(Path(directory).glob("*.jsonl")):
        recs, errors = read(f)
        if errors and strict:
            raise CorpusError(f"{len(errors)} bad records, first: {errors[0]}")
        for r in recs:
            if r.id in seen:
                if strict:
                    raise CorpusError(f"duplicate id {r.id}")
                continue
            seen.add(r.id)
            out.append(r)
    return out


def is_negative(r: Record) -> bool:
    """No asserted or future event outside background history."""
    return not any(e.status in ("asserted", "future") and not e.background for e in r.events)


def stats(records: list[Record]) -> dict:
    types, forms, statuses = Counter(), Counter(), Counter()
    for r in records:
        for e in r.events:
            types[e.type] += 1
            statuses[e.status] += 1
        for t in r.tags:
            forms[t] += 1
    return {"sentences": len(records), "events": sum(types.values()),
            "negative_sentences": sum(is_negative(r) for r in records),
            "multi_event_sentences": sum(len(r.events) >= 2 for r in records),
            "types": dict(types.most_common()), "status": dict(statuses), "tags": dict(forms.most_common())}


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "check":
        files = [Path(a) for a in argv[1:]] or sorted(CORPUS_DIR.glob("*.jsonl"))
        total, bad = 0, 0
        ids: Counter = Counter()
        texts: Counter = Counter()
        for f in files:
            recs, errors = read(f)
            total += len(recs) + len(errors)
            bad += len(errors)
            for e in errors:
                print(e)
            for r in recs:
                ids[r.id] += 1
                texts[r.text.strip().lower()] += 1
        for i, c in ids.items():
            if c > 1:
                print(f"duplicate id {i} ({c} times)")
                bad += 1
        dup_texts = sum(c - 1 for c in texts.values() if c > 1)
        if dup_texts:
            print(f"{dup_texts} repeated sentence texts")
        print(f"{total} records, {bad} problems")
        return 1 if bad else 0
    if len(argv) >= 1 and argv[0] == "stats":
        d = Path(argv[1]) if len(argv) > 1 else CORPUS_DIR
        print(json.dumps(stats(load(d, strict=False)), indent=1))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
