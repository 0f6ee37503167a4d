"""Typed records of dyads: the output contract.

Every JSON document and database row dyads writes is a serialisation of these
dataclasses (``to_dict`` / ``from_dict``); see ``docs/contract.md``. All ``start``/``end``
offsets index into :attr:`ArticleResult.text` and every span satisfies
``text[start:end] == span.text``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

CONTRACT_VERSION = "1.0"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ACTOR_KINDS = ("person", "organization", "state", "group")
STATUSES = ("asserted", "future", "hypothetical", "negated")
SECTORS = {
    "GOV": "government: executives, ministries, diplomats, officials",
    "MIL": "military: armed forces, defence ministries' forces, soldiers",
    "LEG": "legislature: parliaments, lawmakers",
    "JUD": "judiciary: courts, judges, prosecutors",
    "COP": "police and internal security forces",
    "REB": "rebels, armed non-state groups and militias",
    "INS": "insurgent jihadist and designated-terrorist armed groups",
    "SEP": "separatist movements",
    "OPP": "political opposition",
    "PTY": "political parties",
    "CVL": "civilians, protesters, the public",
    "MED": "media: outlets, journalists, state media",
    "BUS": "business: companies, executives",
    "IGO": "intergovernmental organisations",
    "NGO": "non-governmental organisations",
    "EDU": "education: schools, universities, teachers, students",
    "LAB": "labour: unions, workers",
    "REL": "religious bodies and leaders",
    "HLH": "health: hospitals, doctors",
    "REF": "refugees and displaced people",
}


def _drop_private(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if not k.startswith("_")}


@dataclass
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        return None if d is None else cls(d["start"], d["end"], d["text"])


@dataclass
class Article:
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        return cls(**{f.name: d.get(f.name) for f in dataclasses.fields(cls)})


@dataclass
class Removed:
    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "paragraph": self.paragraph}


@dataclass
class Mention(Span):
    """A span that refers to an actor. ``how`` says which rule linked it."""

    how: str = "name"

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "how": self.how}


@dataclass
class Actor:
    id: str
    name: str
    kind: str  # person | organization | state | group
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None
    title: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    # Internal keys used for merging within and across articles; not serialised.
    _key: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
            "sector": self.sector, "title": self.title,
            "mentions": [m.to_dict() for m in sorted(self.mentions, key=lambda m: m.start)],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Actor":
        return cls(
            id=d["id"], name=d["name"], kind=d["kind"], country=d.get("country"),
            sector=d.get("sector"), title=d.get("title"),
            mentions=[Mention(m["start"], m["end"], m["text"], m.get("how", "name"))
                      for m in d.get("mentions", [])],
        )


@dataclass
class Event:
    id: str
    type: str
    actor: list[str]
    recipient: list[str]
    sentence: int
    trigger: Span
    evidence: Span
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    status: str = "asserted"
    attributed_to: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    # dated more than a year before the article's publication: history the story recalls, not news
    # (set by the pipeline, see dyads.dates.mark_background)
    background: bool = False
    location: dict[str, Any] | None = None
    intensity: float | None = None
    quad: str | None = None
    cameo: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["trigger"] = self.trigger.to_dict()
        d["evidence"] = self.evidence.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        kw = {f.name: d.get(f.name) for f in dataclasses.fields(cls) if f.name in d}
        kw["trigger"] = Span.from_dict(d["trigger"])
        kw["evidence"] = Span.from_dict(d["evidence"])
        return cls(**kw)


@dataclass
class Quote:
    id: str
    text: str
    start: int
    end: int
    kind: str  # direct | partial | indirect
    speaker: str | None = None  # actor id
    speaker_text: str | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        return cls(**{f.name: d.get(f.name) for f in dataclasses.fields(cls)})


@dataclass
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str = "place"
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "kind": self.kind, "mentions": [m.to_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Place":
        return cls(d["name"], d.get("country"), d.get("lat"), d.get("lon"), d.get("kind", "place"),
                   [Span.from_dict(m) for m in d.get("mentions", [])])


@dataclass
class ArticleResult:
    article: Article
    text: str
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    version: str = CONTRACT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "article": self.article.to_dict(),
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
            "warnings": list(self.warnings),
            "sentences": [s.to_dict() for s in self.sentences],
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "places": [p.to_dict() for p in self.places],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ArticleResult":
        return cls(
            article=Article.from_dict(d["article"]), text=d["text"],
            removed=[Removed(**r) for r in d.get("removed", [])],
            warnings=list(d.get("warnings", [])),
            sentences=[Sentence(s["start"], s["end"], s.get("paragraph", 0)) for s in d.get("sentences", [])],
            actors=[Actor.from_dict(a) for a in d.get("actors", [])],
            events=[Event.from_dict(e) for e in d.get("events", [])],
            quotes=[Quote.from_dict(q) for q in d.get("quotes", [])],
            places=[Place.from_dict(p) for p in d.get("places", [])],
            version=d.get("version", CONTRACT_VERSION),
        )

    def actor(self, actor_id: str) -> Actor | None:
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None
