"""Stores built from hand-made records, without the NLP pipeline: exact control over each event's type,
parties, day, status and source, for the alert and brief tests. The sentences are written for these
tests. Each article goes through :meth:`dyads.store.Store.add_result`, the path ``dyads ingest``
takes, so events are clustered across articles by :mod:`dyads.aggregate` as in real use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from dyads.gazetteer import base
from dyads.plover import QUAD, cameo_root, intensity
from dyads.records import Actor, Article, ArticleResult, Event, Quote, Sentence, Span
from dyads.store import Store, content_hash


@dataclass
class Ev:
    type: str
    actor: str  # country code of the actor (a state)
    recipient: str | None
    sentence: str
    date: str  # YYYY-MM-DD
    trigger: str | None = None  # a word of the sentence; default its second word
    status: str = "asserted"
    claimed_by: str | None = None  # country code of the party whose word the event rests on
    denied_by: str | None = None  # country code of the party that denies it
    background: bool = False


@dataclass
class Said:
    speaker: str  # country code of the speaking state
    text: str  # the words quoted (they become a sentence of their own, in quotation marks)
    kind: str = "direct"


@dataclass
class Story:
    id: str
    source: str
    published: str
    events: list[Ev]
    url: str | None = None
    title: str | None = None
    quotes: list[Said] = field(default_factory=list)


def build(story: Story) -> ArticleResult:
    gaz = base()
    codes: list[str] = []
    for ev in story.events:
        for c in (ev.actor, ev.recipient, ev.claimed_by, ev.denied_by):
            if c and c not in codes:
                codes.append(c)
    for q in story.quotes:
        if q.speaker not in codes:
            codes.append(q.speaker)
    actors = [Actor(id=f"A{i}", name=gaz.country_name(c) or c, kind="state", country=c)
              for i, c in enumerate(codes, 1)]
    aid = {a.country: a.id for a in actors}
    text, sentences, events, quotes = "", [], [], []
    for i, ev in enumerate(story.events):
        start = len(text)
        text += ev.sentence
        sentences.append(Sentence(start, len(text)))
        trig = ev.trigger or ev.sentence.split()[1]
        t0 = start + ev.sentence.index(trig)
        events.append(Event(
            id=f"E{i + 1}", type=ev.type, actor=[aid[ev.actor]], recipient=[aid[ev.recipient]] if ev.recipient else [],
            sentence=i, trigger=Span(t0, t0 + len(trig), trig), evidence=Span(start, len(text), ev.sentence),
            status=ev.status, attributed_to=[aid[ev.claimed_by]] if ev.claimed_by else [],
            denied_by=[aid[ev.denied_by]] if ev.denied_by else [], date=ev.date, date_precision="day",
            background=ev.background, intensity=intensity(ev.type, None), quad=QUAD[ev.type],
            cameo=cameo_root(ev.type, None), confidence=0.9))
        text += " "
    for j, q in enumerate(story.quotes):
        start = len(text)
        body = f"“{q.text}”"
        text += body + f" said the government of {gaz.country_name(q.speaker) or q.speaker}."
        sentences.append(Sentence(start, len(text)))
        quotes.append(Quote(id=f"Q{j + 1}", text=q.text, start=start + 1, end=start + 1 + len(q.text), kind=q.kind,
                            speaker=aid[q.speaker], speaker_text=gaz.country_name(q.speaker), cue="said"))
        text += " "
    art = Article(id=story.id, title=story.title, source=story.source, url=story.url, published=story.published)
    return ArticleResult(article=art, text=text.strip(), sentences=sentences, actors=actors, events=events,
                         quotes=quotes)


def add(store: Store, *stories: Story) -> None:
    """Store each story (a new article each time)."""
    for s in stories:
        res = build(s)
        assert store.add_result(res, content_hash(s.id + "\n" + res.text)), s.id
