"""From draft to :class:`~dyads.records.Event`: trigger and evidence spans, mode, contexts,
intensity, CAMEO root, location, and the event's own date (or the narrative's)."""
from __future__ import annotations

from .. import places, plover
from ..quotes import speaker_of_offset
from ..records import ArticleResult, Event, Span
from .rules import apply_plover_rules
from .base import Draft, SentenceView, lemma


def _published(result: ArticleResult):
    import datetime as _dt

    p = result.article.published
    return _dt.date.fromisoformat(p) if p else None


def _date_of(tok, result: ArticleResult) -> tuple[str | None, str | None, bool]:
    """The trigger's own clause date; else the governing clause's, for relative, adverbial and
    participle clauses ("a letter Tuesday ..., in which he expressed", "..., accusing him of").
    The third value says the date is the end of a closed period ("from 1895 until 1945")."""
    from .. import dates

    pub = _published(result)
    date, precision, te = dates.event_date(tok, pub)
    t = tok
    hops = 0
    while date is None and hops < 6 and t.dep_ in ("relcl", "advcl", "acl", "xcomp", "pcomp", "pobj", "prep", "conj", "appos") \
            and t.head.i != t.i and tok.tag_ in ("VBD", "VBG", "VBN"):
        t = t.head
        hops += 1
        if t.pos_ in ("VERB", "AUX"):
            date, precision, te = dates.event_date(t, pub)
    return date, precision, bool(te is not None and te.period)


def narrative_dates(events: list[Event], sents: list[SentenceView], periods: set[str] = frozenset()) -> None:
    """A past-tense event with no time of its own continues the narrative of the event just
    before it in the same paragraph ("Venezuela gave Guyana 72 hours on Wednesday. Georgetown
    rejected the demand within hours."). An event dated by a closed period (ids in ``periods``:
    "occupied the islands from 1895 until 1945") is history, not a point of the narrative: the
    events after it do not take its date."""


    last: tuple[int, str, str | None, int] | None = None
    for e in events:
        info = sents[e.sentence].info
        tok = None
        for t in info.span:
            if info.offset + t.idx == e.trigger.start:
                tok = t
                break
        if e.date is None and last and tok is not None and tok.tag_ == "VBD" and e.status == "asserted" \
                and not e.attributed_to and (last[0] == info.paragraph or e.sentence - last[3] <= 2):
            e.date, e.date_precision = last[1], last[2]
        if e.date and e.status == "asserted" and e.id not in periods:
            last = (info.paragraph, e.date, e.date_precision, e.sentence)


def _after_publication(date: str | None, published: str | None) -> bool:
    if not date or not published:
        return False
    return date > published[:len(date)]


def to_event(n: int, d: Draft, sents: list[SentenceView], result: ArticleResult, quotes, place_at) -> Event:
    sent = sents[d.sent].info
    text = result.text
    tok = d.trigger
    ts = sent.offset + tok.idx
    te = ts + len(tok.text)
    date, precision, d.period = _date_of(tok, result)
    if d.status == "asserted" and _after_publication(date, result.article.published):
        # "have called a national strike for next Tuesday": dated after the story, so not yet
        d.status = "future"
        apply_plover_rules(d)
    mode = plover.pick_mode(d.type, sent.span.text)
    if d.type == "CONSULT" and mode is None and lemma(tok) in ("arrive", "visit", "travel", "fly"):
        mode = "visit"
    attributed = list(d.attributed_to)
    if quotes:
        spk = speaker_of_offset(quotes, ts, te)
        if spk and spk not in attributed and spk not in d.actor:
            attributed.append(spk)
    return Event(
        id=f"E{n}", type=d.type, actor=d.actor, recipient=d.recipient, sentence=d.sent,
        trigger=Span(ts, te, text[ts:te]), evidence=Span(sent.start, sent.end, text[sent.start:sent.end]),
        mode=mode, context=plover.contexts(sent.span.text), status=d.status,
        attributed_to=attributed, denied_by=d.denied_by, date=date, date_precision=precision,
        location=places.event_location(tok, sent, place_at), intensity=plover.intensity(d.type, mode), quad=plover.QUAD[d.type],
        cameo=plover.cameo_root(d.type, mode), confidence=d.confidence,
    )

