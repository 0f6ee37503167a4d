"""The extraction pipeline: one article in, one :class:`ArticleResult` out.

Stages, in order (each a module with a function over typed records):

1. ``clean.prepare``        decode bytes, HTML -> main text, reject bad input
2. ``clean.find_boilerplate`` promos, bylines, datelines, credits -> ``removed``
3. ``clean.story_segments`` paragraph pieces of story text (boilerplate never merges)
4. ``nlp.parse``            spaCy sentences, tokens, entities, dependencies
5. ``actors.resolve``       actors with country/sector/title and every mention
6. ``quotes.extract``       direct, partial and indirect quotes with their speakers
7. ``places.extract``       place names geocoded offline, resolved by the article's states
8. ``events.extract``       PLOVER events with status, attribution, dates (``dates``) and location
9. ``dates.mark_background`` events dated more than a year before ``published`` -> ``background``
"""
from __future__ import annotations

import hashlib

from . import actors as actors_mod
from . import clean, dates, gazetteer, nlp
from . import events as events_mod
from . import places as places_mod
from . import quotes as quotes_mod
from .errors import check_date
from .records import Article, ArticleResult, Sentence



def _check_date(published: str | None) -> str | None:
    return check_date(str(published)[:10] if published else None, "published date")


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def split_sentences(body: str, parsed: list[nlp.Segment]) -> list[actors_mod.SentInfo]:
    """Sentences of the parsed segments, with tight article offsets."""
    sents: list[actors_mod.SentInfo] = []
    for seg in parsed:
        for s in seg.doc.sents:
            a, b = seg.offset + s.start_char, seg.offset + s.end_char
            while a < b and body[a].isspace():
                a += 1
            while b > a and body[b - 1].isspace():
                b -= 1
            if a < b:
                sents.append(actors_mod.SentInfo(a, b, seg.paragraph, s, seg.offset))
    return sents


def extract(text: str | bytes, *, published: str | None = None, source: str | None = None,
            url: str | None = None, title: str | None = None, id: str | None = None,
            actors_file: str | None = None, model: str | None = None,
            html: bool | None = None) -> ArticleResult:
    """Extract actors, events, quotes and places from one English news article.

    ``text`` is plain text or HTML (detected, or forced with ``html=``); bytes are decoded.
    Raises a :class:`dyads.errors.InputError` subclass for empty, binary, oversized or
    non-English input and :class:`dyads.errors.ConfigError` for bad options.
    """
    published = _check_date(published)
    prepared = clean.prepare(text, html=html)
    body = prepared.text
    removed = clean.find_boilerplate(body)
    segments = clean.story_segments(body, removed)
    clean.ensure_story(body, segments)
    warnings = prepared.warnings + clean.doubled_words(body, segments)

    sents = split_sentences(body, nlp.parse(body, segments, model))
    gz = gazetteer.with_user_actors(actors_file)
    actor_list, refs = actors_mod.resolve(body, sents, gz, published)

    result = ArticleResult(
        article=Article(id=id or article_id(body), title=title, source=source, url=url, published=published),
        text=body, removed=removed, warnings=warnings,
        sentences=[Sentence(s.start, s.end, s.paragraph) for s in sents],
        actors=actor_list,
    )
    result.quotes = quotes_mod.extract(body, sents, refs, actor_list, removed)
    result.places, place_at = places_mod.extract(body, sents, gz, actor_list)
    result.events = events_mod.extract(result, sents, refs, gz, quotes=result.quotes, place_at=place_at)
    dates.mark_background(result.events, published, body)
    return result
