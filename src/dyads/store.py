"""The corpus store: one storage interface over SQLite (default) and PostgreSQL.

``open_store(url_or_path)`` returns a :class:`Store`:

* a path (``dyads.db``) or ``sqlite:///path`` opens an SQLite file in WAL mode with a
  ``busy_timeout``, so one process can ingest while others read;
* ``postgresql://user@host:port/db`` (or ``postgres://``) opens a PostgreSQL database through
  psycopg 3.

Rules
-----
* **Migrations.** The schema is a list of *named* migrations (:data:`MIGRATIONS`). Each is
  portable SQL with ``{pk}``/``{real}``/``{text}`` placeholders that the dialect fills in; the
  names already applied live in the ``migrations`` table and the rest are applied, in order,
  when a store is opened. Never edit an applied migration: append a new one. A migration that
  must compute values (``0004_background`` flags rows already stored) also has a Python step in
  :data:`MIGRATION_STEPS`, run in the same transaction.
* **Parameterised SQL only.** Statements are written with ``?`` placeholders; the PostgreSQL
  dialect turns them into ``%s``. No value is ever formatted into SQL text.
* **One transaction per article.** :meth:`Store.add_result` writes the article, its actors,
  events (through :mod:`dyads.aggregate`), quotes and places in one transaction, and does
  nothing (returns ``False``) when the article's content hash is already stored. A process
  killed at any moment therefore leaves every article either fully stored or absent.
* **Actor identity across articles.** An extracted actor becomes one row of ``actors`` per
  canonical identity ``kind|country|sector|normalised name`` (:func:`actor_key`); the
  normalised name is lower-cased, accents stripped, punctuation dropped, a leading "the"
  removed and whitespace collapsed. States are keyed by country alone (``state|RUS||``), so
  "Russia" and "the Russian Federation" are one actor. ``actor_mentions`` links each article's
  local actor (``A1`` ...) to its global row with the article's name, title and spans.
* **Articles** keep their text and their full contract JSON (``articles.result``;
  :meth:`Store.article_result` gives it back as an ``ArticleResult``).
* **Events** are clusters, one per real happening; every extracted event is an
  ``event_mentions`` row (article, sentence, trigger, evidence) linked to its cluster. The
  clustering rules are in :mod:`dyads.aggregate`. ``event_dyads`` holds one row per directed
  country pair (actor country x recipient country, ``''`` for none) with the cluster's day and
  type, indexed for dyad + date-range (+ type) queries; ``event_actors`` links clusters to actors
  and ``event_actor_pairs`` holds one row per (actor, recipient) of a cluster, both with the
  cluster's day, type and background flag, indexed for actor and actor-pair pages.
  ``event_day_counts``, ``event_type_day_counts`` and ``event_country_day_counts`` count the
  clusters per day (and type, or country side) and flag, kept exact at ingest, for the totals of
  date-range, type and one-side country pages.
* **Background events.** A mention whose event is ``background`` (dated more than a year before
  its article, :func:`dyads.dates.is_background`) is stored with ``background = 1``; a cluster
  (and its ``event_dyads``, ``event_actors`` and ``event_actor_pairs`` rows) is background while
  every one of its mentions is. The store
  keeps them; :mod:`dyads.query` leaves them out unless asked (``include_background``).
* **Failures** (``failures``: path or ``file:line``, item id, reason, time) are kept once per
  item and reason; a re-run that fails the same way only updates the time.
* **Watching.** ``watch_feeds`` and ``watch_pages`` hold what :mod:`dyads.watch` knows of each
  feed (validators, last status) and each page it listed (state, attempts, reason); a page turns
  ``stored`` in its article's own transaction.
* **Alerts** (``alert_rules``, ``alerts``, ``alert_deliveries``) are written by :mod:`dyads.alerts`:
  each rule's last definition and cursor, every alert fired (once per rule, key and level) and its
  delivery state per sink.
* **Single writer.** One process writes at a time (``dyads ingest`` writes from its parent
  process only; workers, local or Dask, only extract).
"""
from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from . import aggregate
from .errors import ConfigError, StoreError
from .records import Actor, ArticleResult

# --------------------------------------------------------------------------- rows


@dataclass
class StoredArticle:
    pk: int
    id: str
    hash: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    ingested_at: str


@dataclass
class StoredActor:
    """An actor merged across articles (one canonical identity)."""

    pk: int
    key: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    mentions: int = 0
    articles: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.pk, "key": self.key, "name": self.name, "kind": self.kind,
                "country": self.country, "sector": self.sector, "mentions": self.mentions,
                "articles": self.articles}


@dataclass
class EventCluster:
    """One real happening, merged from every event mention that reports it."""

    pk: int
    type: str
    mode: str | None
    status: str
    date: str | None
    date_precision: str | None
    day: str | None  # the date used for ordering and date filters (see aggregate)
    actor_countries: list[str]
    recipient_countries: list[str]
    actors: list[int]
    recipients: list[int]
    actor_names: list[str]
    recipient_names: list[str]
    intensity: float | None
    quad: str | None
    cameo: str | None
    evidence: str
    trigger: str
    location: dict[str, Any] | None
    mentions: int
    sources: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    source_url: str | None = None
    background: bool = False  # every mention is dated more than a year before its article

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk, "type": self.type, "mode": self.mode, "status": self.status,
            "date": self.date, "date_precision": self.date_precision, "day": self.day,
            "background": self.background,
            "actor_countries": self.actor_countries, "recipient_countries": self.recipient_countries,
            "actors": self.actors, "recipients": self.recipients, "actor_names": self.actor_names,
            "recipient_names": self.recipient_names, "intensity": self.intensity, "quad": self.quad,
            "cameo": self.cameo, "trigger": self.trigger, "evidence": self.evidence,
            "location": self.location, "mentions": self.mentions, "sources": self.sources,
            "articles": self.articles, "first_seen": self.first_seen, "last_seen": self.last_seen,
            "source_url": self.source_url,
        }


@dataclass
class EventMentionRow:
    """Where an event cluster was reported: one article sentence."""

    event_pk: int
    article_id: str
    source: str | None
    url: str | None
    local_id: str
    sentence: int
    trigger: str
    evidence: str
    status: str
    date: str | None


@dataclass
class StoredQuote:
    pk: int
    article_id: str
    text: str
    kind: str
    speaker: int | None  # actor pk
    speaker_name: str | None
    speaker_text: str | None
    cue: str | None
    source: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.pk, "article": self.article_id, "text": self.text, "kind": self.kind,
                "speaker": self.speaker, "speaker_name": self.speaker_name,
                "speaker_text": self.speaker_text, "cue": self.cue, "source": self.source,
                "published": self.published}


@dataclass
class Failure:
    path: str
    item_id: str | None
    reason: str
    at: str = field(default="")


# --------------------------------------------------------------------------- identity

_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Lower-case, strip accents and punctuation, drop a leading 'the', collapse spaces."""
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _SPACE.sub(" ", _PUNCT.sub(" ", s)).strip()
    s = s.removeprefix("the ")
    return s


def actor_key(actor: Actor) -> str:
    """Canonical identity of an actor across articles: ``kind|country|sector|name``."""
    if actor.kind == "state" and actor.country:
        return f"state|{actor.country}||"
    return f"{actor.kind}|{actor.country or ''}|{actor.sector or ''}|{normalise_name(actor.name)}"


def content_hash(text: str | bytes) -> str:
    """SHA-256 hex digest of an article's text (bytes as given, str as UTF-8)."""
    import hashlib

    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- schema

# fills the count tables of migration 0009 from the stored clusters (also run by bench/store_bench.py
# after its bulk load); dyads.aggregate keeps them from then on
COUNTS_FILL = """
INSERT INTO event_day_counts (background, day, n)
  SELECT background, COALESCE(day, ''), COUNT(*) FROM events GROUP BY background, COALESCE(day, '');
INSERT INTO event_type_day_counts (type, background, day, n)
  SELECT type, background, COALESCE(day, ''), COUNT(*) FROM events GROUP BY type, background, COALESCE(day, '');
INSERT INTO event_country_day_counts (side, country, background, day, n)
  SELECT 'actor', actor_country, background, COALESCE(day, ''), COUNT(DISTINCT event_pk) FROM event_dyads
  WHERE actor_country <> '' GROUP BY actor_country, background, COALESCE(day, '');
INSERT INTO event_country_day_counts (side, country, background, day, n)
  SELECT 'recipient', recipient_country, background, COALESCE(day, ''), COUNT(DISTINCT event_pk) FROM event_dyads
  WHERE recipient_country <> '' GROUP BY recipient_country, background, COALESCE(day, '');
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_core", """
CREATE TABLE articles (
  pk {pk}, id {text} NOT NULL, hash {text} NOT NULL UNIQUE, title {text}, source {text},
  url {text}, published {text}, text {text} NOT NULL, ingested_at {text} NOT NULL,
  result {text}
);
CREATE TABLE actors (
  pk {pk}, key {text} NOT NULL UNIQUE, name {text} NOT NULL, kind {text} NOT NULL,
  country {text}, sector {text}, mentions INTEGER NOT NULL DEFAULT 0,
  articles INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE actor_mentions (
  pk {pk}, article_pk BIGINT NOT NULL REFERENCES articles(pk), actor_pk BIGINT NOT NULL REFERENCES actors(pk),
  local_id {text} NOT NULL, name {text} NOT NULL, title {text}, spans {text} NOT NULL
);
CREATE TABLE events (
  pk {pk}, type {text} NOT NULL, mode {text}, status {text} NOT NULL, date {text},
  date_precision {text}, day {text}, actor_countries {text} NOT NULL, recipient_countries {text} NOT NULL,
  actor_ids {text} NOT NULL, recipient_ids {text} NOT NULL, intensity {real}, quad {text}, cameo {text},
  trigger {text} NOT NULL, lemma {text} NOT NULL, evidence {text} NOT NULL, location {text},
  mentions INTEGER NOT NULL DEFAULT 0, sources INTEGER NOT NULL DEFAULT 0,
  articles INTEGER NOT NULL DEFAULT 0, first_seen {text}, last_seen {text}, source_url {text}
);
CREATE TABLE event_mentions (
  pk {pk}, event_pk BIGINT NOT NULL REFERENCES events(pk), article_pk BIGINT NOT NULL REFERENCES articles(pk),
  local_id {text} NOT NULL, sentence INTEGER NOT NULL, trigger {text} NOT NULL, evidence {text} NOT NULL,
  status {text} NOT NULL, date {text}, date_precision {text}, source_key {text} NOT NULL,
  confidence {real}, data {text} NOT NULL
);
CREATE TABLE event_actors (
  event_pk BIGINT NOT NULL REFERENCES events(pk), actor_pk BIGINT NOT NULL REFERENCES actors(pk),
  role {text} NOT NULL, PRIMARY KEY (event_pk, actor_pk, role)
);
CREATE TABLE event_dyads (
  event_pk BIGINT NOT NULL REFERENCES events(pk), actor_country {text} NOT NULL,
  recipient_country {text} NOT NULL, day {text}, PRIMARY KEY (event_pk, actor_country, recipient_country)
);
CREATE TABLE quotes (
  pk {pk}, article_pk BIGINT NOT NULL REFERENCES articles(pk), local_id {text} NOT NULL,
  text {text} NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, kind {text} NOT NULL,
  speaker_pk BIGINT REFERENCES actors(pk), speaker_text {text}, cue {text}
);
CREATE TABLE places (
  pk {pk}, article_pk BIGINT NOT NULL REFERENCES articles(pk), name {text} NOT NULL, country {text},
  lat {real}, lon {real}, kind {text}, mentions INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE failures (
  pk {pk}, path {text} NOT NULL, item_id {text}, reason {text} NOT NULL, at {text} NOT NULL
);
"""),
    ("0002_indexes", """
CREATE INDEX ix_dyads_pair_day ON event_dyads (actor_country, recipient_country, day);
CREATE INDEX ix_dyads_recipient_day ON event_dyads (recipient_country, day);
CREATE INDEX ix_events_type_day ON events (type, day);
CREATE INDEX ix_events_day ON events (day);
CREATE INDEX ix_event_mentions_event ON event_mentions (event_pk);
CREATE INDEX ix_event_mentions_article ON event_mentions (article_pk);
CREATE INDEX ix_event_actors_actor ON event_actors (actor_pk, role);
CREATE INDEX ix_actor_mentions_article ON actor_mentions (article_pk);
CREATE INDEX ix_actor_mentions_actor ON actor_mentions (actor_pk);
CREATE INDEX ix_quotes_speaker ON quotes (speaker_pk);
CREATE INDEX ix_quotes_article ON quotes (article_pk);
CREATE INDEX ix_places_article ON places (article_pk);
"""),
    # the dyad and actor filters of dyads.query are "e.pk IN (SELECT event_pk FROM ...)": with event_pk in
    # the index they read no table row (the 0002 indexes, now prefixes of these, are dropped); the side
    # filter alone (actor country, any recipient) gets its own day-ordered index
    ("0003_covering_filter_indexes", """
DROP INDEX ix_dyads_pair_day;
DROP INDEX ix_dyads_recipient_day;
DROP INDEX ix_event_actors_actor;
CREATE INDEX ix_dyads_pair_day_event ON event_dyads (actor_country, recipient_country, day, event_pk);
CREATE INDEX ix_dyads_actor_day_event ON event_dyads (actor_country, day, event_pk);
CREATE INDEX ix_dyads_recipient_day_event ON event_dyads (recipient_country, day, event_pk);
CREATE INDEX ix_event_actors_actor_event ON event_actors (actor_pk, role, event_pk);
"""),
    # background events (dated more than a year before their article: history, not news) are stored but
    # left out of queries by default. The flag is on the clusters, their mentions and event_dyads. The
    # event_dyads indexes take it last: they keep their (day, event_pk) order and stay covering, and
    # "background = 0" is checked on the index entry (no table row read). On events, the new indexes
    # start with it (after type), so a default page is one range in (day, pk) order and the background
    # clusters are few entries to count; the 0002 ones still serve include_background and clustering.
    # Rows already stored are flagged from their mentions' dates by _backfill_background.
    ("0004_background", """
ALTER TABLE events ADD COLUMN background INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_mentions ADD COLUMN background INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_dyads ADD COLUMN background INTEGER NOT NULL DEFAULT 0;
DROP INDEX ix_dyads_pair_day_event;
DROP INDEX ix_dyads_actor_day_event;
DROP INDEX ix_dyads_recipient_day_event;
CREATE INDEX ix_dyads_pair_day_event_bg ON event_dyads (actor_country, recipient_country, day, event_pk, background);
CREATE INDEX ix_dyads_actor_day_event_bg ON event_dyads (actor_country, day, event_pk, background);
CREATE INDEX ix_dyads_recipient_day_event_bg ON event_dyads (recipient_country, day, event_pk, background);
CREATE INDEX ix_events_bg_day ON events (background, day);
CREATE INDEX ix_events_type_bg_day ON events (type, background, day);
"""),
    # dyads watch (dyads.watch): what each watched feed last said (its validators for conditional GET,
    # last status and error) and every page a feed listed, by canonical URL, with its state
    # (pending | retry | stored | duplicate | failed), attempts, reason, validators, the article it
    # became, and whether the on_ingested hook has seen it. A page row turns 'stored' in the same
    # transaction as its article (Store.add_result), so a killed watcher never stores a page twice.
    ("0005_watch", """
CREATE TABLE watch_feeds (
  url {text} PRIMARY KEY, kind {text}, name {text}, title {text}, parent {text}, etag {text},
  last_modified {text}, last_polled {text}, last_ok {text}, last_status {text}, last_error {text},
  items INTEGER NOT NULL DEFAULT 0, polls INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE watch_pages (
  url {text} PRIMARY KEY, feed {text}, state {text} NOT NULL, title {text}, published {text}, source {text},
  first_seen {text} NOT NULL, fetched_at {text}, done_at {text}, attempts INTEGER NOT NULL DEFAULT 0,
  next_try {text}, reason {text}, etag {text}, last_modified {text}, final_url {text}, article_id {text},
  article_hash {text}, notified INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_watch_pages_due ON watch_pages (state, next_try);
CREATE INDEX ix_watch_pages_notified ON watch_pages (notified, state);
"""),
    # alert rules (dyads.alerts): each rule's definition as last run and how far through event_mentions it has
    # evaluated (last_mention); every alert fired (unique per rule, key and level: an event cluster, a pair's
    # week or a pair, and how many source thresholds it had passed), and its delivery to each sink
    ("0006_alerts", """
CREATE TABLE alert_rules (
  name {text} PRIMARY KEY, kind {text} NOT NULL, definition {text} NOT NULL,
  last_mention BIGINT NOT NULL DEFAULT 0, updated_at {text} NOT NULL
);
CREATE TABLE alerts (
  pk {pk}, rule {text} NOT NULL, kind {text} NOT NULL, key {text} NOT NULL, level INTEGER NOT NULL,
  event_pk BIGINT REFERENCES events(pk), day {text}, fired_at {text} NOT NULL, data {text} NOT NULL,
  UNIQUE (rule, key, level)
);
CREATE INDEX ix_alerts_event ON alerts (event_pk);
CREATE INDEX ix_alerts_fired ON alerts (fired_at);
CREATE TABLE alert_deliveries (
  alert_pk BIGINT NOT NULL REFERENCES alerts(pk), sink {text} NOT NULL, state {text} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, error {text}, at {text} NOT NULL, PRIMARY KEY (alert_pk, sink)
);
CREATE INDEX ix_alert_deliveries_state ON alert_deliveries (state, sink);
"""),
    # the event type on event_dyads (a cluster's type never changes: mentions join clusters of their own
    # type), so a country filter with a type - the dashboard's country and type selects, a state's
    # events of one kind - is answered from event_dyads' index entries like a country alone, instead of
    # intersecting the country's events with the type's through the events rows (on 1,000,000 events
    # 20-80 ms on SQLite, 300-400 ms on PostgreSQL). The pair indexes stay without it: a pair has few
    # rows, and the type is then checked on them.
    ("0007_dyad_types", """
ALTER TABLE event_dyads ADD COLUMN type {text};
UPDATE event_dyads SET type = (SELECT e.type FROM events e WHERE e.pk = event_dyads.event_pk);
CREATE INDEX ix_dyads_actor_type_day_event_bg ON event_dyads (actor_country, type, day, event_pk, background);
CREATE INDEX ix_dyads_recipient_type_day_event_bg ON event_dyads (recipient_country, type, day, event_pk, background);
"""),
    # what event_dyads is to country codes, for stored actors: the cluster's day, type and background flag
    # on its event_actors links, and event_actor_pairs, one row per (actor, recipient) of a cluster, so an
    # /api/events page of one actor (an id or name words, the dashboard's node and actor search) or a pair of
    # actor ids (an edge of the actor graph clicked), with days and a type, is read in (day, event_pk) order
    # from covering index entries and counted on them, not found by reading every one of the actor's events
    # rows (on 1,000,000 events: a busy actor 20-90 ms on SQLite, 100-500 ms on PostgreSQL). The copies
    # follow the cluster's day and flag (dyads.aggregate); a cluster's type never changes.
    ("0008_actor_link_days", """
ALTER TABLE event_actors ADD COLUMN day {text};
ALTER TABLE event_actors ADD COLUMN type {text};
ALTER TABLE event_actors ADD COLUMN background INTEGER NOT NULL DEFAULT 0;
UPDATE event_actors SET day = (SELECT e.day FROM events e WHERE e.pk = event_actors.event_pk),
  type = (SELECT e.type FROM events e WHERE e.pk = event_actors.event_pk),
  background = (SELECT e.background FROM events e WHERE e.pk = event_actors.event_pk);
CREATE INDEX ix_event_actors_day_event_bg ON event_actors (actor_pk, role, day, event_pk, background);
CREATE INDEX ix_event_actors_type_day_event_bg ON event_actors (actor_pk, role, type, day, event_pk, background);
CREATE TABLE event_actor_pairs (
  event_pk BIGINT NOT NULL REFERENCES events(pk), actor_pk BIGINT NOT NULL REFERENCES actors(pk),
  recipient_pk BIGINT NOT NULL REFERENCES actors(pk), day {text}, type {text},
  background INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (event_pk, actor_pk, recipient_pk)
);
INSERT INTO event_actor_pairs (event_pk, actor_pk, recipient_pk, day, type, background)
  SELECT a.event_pk, a.actor_pk, r.actor_pk, a.day, a.type, a.background FROM event_actors a
  JOIN event_actors r ON r.event_pk = a.event_pk AND r.role = 'recipient' WHERE a.role = 'actor';
CREATE INDEX ix_actor_pairs_day_event_bg ON event_actor_pairs (actor_pk, recipient_pk, day, event_pk, background, type);
"""),
    # how many clusters there are per (background flag, day), per (type, flag, day) and per (side, country,
    # flag, day), '' for an unknown day, kept by dyads.aggregate at ingest: the totals of /api/events pages
    # filtered by days, a type or one country side, summed from at most a few thousand rows instead of
    # counted on up to every event's index entry (on 1,000,000 events: broad date ranges and unfiltered
    # pages 4-25 ms on SQLite and 30-40 ms on PostgreSQL, a busy country 8-14 ms). Keyed in the order of
    # the sums (a date range of one flag is one range of the key), the count in the key's index (SQLite:
    # a table without rowid is its key's b-tree; PostgreSQL: INCLUDE, for index-only sums); filled from
    # the rows already stored.
    ("0009_day_counts", """
CREATE TABLE event_day_counts (
  background INTEGER NOT NULL, day {text} NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (background, day){include_n}
){without_rowid};
CREATE TABLE event_type_day_counts (
  type {text} NOT NULL, background INTEGER NOT NULL, day {text} NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (type, background, day){include_n}
){without_rowid};
CREATE TABLE event_country_day_counts (
  side {text} NOT NULL, country {text} NOT NULL, background INTEGER NOT NULL, day {text} NOT NULL,
  n BIGINT NOT NULL, PRIMARY KEY (side, country, background, day){include_n}
){without_rowid};
""" + COUNTS_FILL),
    # event pages in (day, pk) order from index entries alone: the default page indexes end with pk, so
    # PostgreSQL (whose indexes hold row addresses, not the key SQLite's hold) finds a page's ids without
    # reading the rows it skips and without sorting each day's rows by id (a type's page at offset 450 on
    # 1,000,000 events: 17 -> 1 ms; dyads.query reads the page's ids first, then its 50 rows); and the
    # pair index takes the type, so a country pair of one type is counted and paged on index entries
    # (it read every one of the pair's rows for their type: up to 20 ms for a busy pair)
    ("0010_page_order_indexes", """
DROP INDEX ix_events_bg_day;
DROP INDEX ix_events_type_bg_day;
CREATE INDEX ix_events_bg_day_pk ON events (background, day, pk);
CREATE INDEX ix_events_type_bg_day_pk ON events (type, background, day, pk);
DROP INDEX ix_dyads_pair_day_event_bg;
CREATE INDEX ix_dyads_pair_day_event_bg_type ON event_dyads (actor_country, recipient_country, day, event_pk,
  background, type);
"""),
]


def _backfill_background(store: Store) -> None:
    """Part of migration 0004: flag the mentions already stored whose date lies more than a year
    before their article's publication (:func:`dyads.dates.is_background`), then the clusters all
    of whose mentions are flagged, their ``event_dyads`` rows, and the stored JSON (each mention's
    ``data`` and its article's ``result``) of what was flagged. Dates stay as they were extracted."""
    from .dates import is_background

    rows = store.query("SELECT m.pk, m.article_pk, m.local_id, m.date, m.date_precision, a.published "
                       "FROM event_mentions m JOIN articles a ON a.pk = m.article_pk WHERE m.date IS NOT NULL "
                       "AND a.published IS NOT NULL AND m.date < a.published")  # a cheap superset, then exact
    flagged = [r for r in rows if is_background(r[3], r[4], r[5])]
    if not flagged:
        return
    by_article: dict[int, set[str]] = {}
    for pk, art, local, *_ in flagged:
        by_article.setdefault(int(art), set()).add(local)
        data = store.scalar("SELECT data FROM event_mentions WHERE pk = ?", (pk,))
        doc = json.loads(data) if data else {}
        doc["background"] = True
        store.execute("UPDATE event_mentions SET background = 1, data = ? WHERE pk = ?",
                      (json.dumps(doc, ensure_ascii=False), pk))
    for art, local_ids in by_article.items():
        raw = store.scalar("SELECT result FROM articles WHERE pk = ?", (art,))
        if not raw:
            continue
        doc = json.loads(raw)
        for ev in doc.get("events", []):
            ev["background"] = ev.get("id") in local_ids
        store.execute("UPDATE articles SET result = ? WHERE pk = ?", (json.dumps(doc, ensure_ascii=False), art))
    store.execute("UPDATE events SET background = 1 WHERE pk IN (SELECT event_pk FROM event_mentions WHERE "
                  "background = 1) AND NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.event_pk = events.pk "
                  "AND m.background = 0)")
    store.execute("UPDATE event_dyads SET background = 1 WHERE event_pk IN (SELECT pk FROM events WHERE "
                  "background = 1)")


def _analyze_new_indexes(store: Store) -> None:
    """Part of migration 0010: on an SQLite store that has planner statistics (``ANALYZE`` was run),
    gather them for the tables whose indexes changed. Left with statistics for the old indexes only,
    SQLite preferred an unmeasured new index for a type and date range page (0.7 -> 43 ms on 1,000,000
    events). A store never analysed is left so; PostgreSQL keeps its statistics per column."""
    if store.backend != "sqlite" or not store.query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"):
        return
    store.execute("ANALYZE events")
    store.execute("ANALYZE event_dyads")


# Python steps that complete a migration, run right after its SQL in the same transaction.
MIGRATION_STEPS = {"0004_background": _backfill_background, "0010_page_order_indexes": _analyze_new_indexes}


class _Dialect:
    name = "sqlite"
    types: ClassVar[dict[str, str]] = {"pk": "INTEGER PRIMARY KEY", "real": "REAL", "text": "TEXT",
                                       "without_rowid": " WITHOUT ROWID", "include_n": ""}

    def sql(self, stmt: str) -> str:
        return stmt


class _PgDialect(_Dialect):
    name = "postgresql"
    types: ClassVar[dict[str, str]] = {"pk": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                                       "real": "DOUBLE PRECISION", "text": "TEXT", "without_rowid": "",
                                       "include_n": " INCLUDE (n)"}

    def sql(self, stmt: str) -> str:
        return stmt.replace("?", "%s")


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


# --------------------------------------------------------------------------- store


class Store:
    """Storage interface shared by both backends. Use :func:`open_store` to get one."""

    def __init__(self, conn: Any, dialect: _Dialect, url: str):
        self.conn = conn
        self.dialect = dialect
        self.url = url
        self._in_tx = False
        # names of stored actors read through this connection: a stored actor is only ever added (its
        # counts updated), never renamed or deleted, so a name once read stays true (query._actor_names)
        self.known_actor_names: dict[int, str] = {}
        self.migrate()

    # how many actor names a connection remembers (query._actor_names) at most
    KNOWN_ACTOR_NAMES_MAX = 200_000

    # -- low level -------------------------------------------------------------------
    @property
    def backend(self) -> str:
        return self.dialect.name

    @property
    def in_transaction(self) -> bool:
        """Inside :meth:`transaction` (what is read may not be committed)."""
        return self._in_tx

    def execute(self, stmt: str, params: Sequence[Any] = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self.dialect.sql(stmt), tuple(params))
        return cur

    def executemany(self, stmt: str, rows: Iterable[Sequence[Any]]) -> None:
        cur = self.conn.cursor()
        cur.executemany(self.dialect.sql(stmt), [tuple(r) for r in rows])

    def query(self, stmt: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self.execute(stmt, params)
        rows = cur.fetchall()
        if not self._in_tx and self.backend == "postgresql":
            self.conn.commit()  # end the implicit read transaction (no idle-in-transaction)
        return rows

    def scalar(self, stmt: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(stmt, params)
        return rows[0][0] if rows else None

    def insert(self, stmt: str, params: Sequence[Any]) -> int:
        """Run an INSERT ... RETURNING pk and give the new primary key."""
        cur = self.execute(stmt + " RETURNING pk", params)
        return int(cur.fetchone()[0])

    def transaction(self) -> _Tx:
        return _Tx(self)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing twice or a broken connection is harmless
            self.conn.close()

    def __enter__(self) -> Store:  # noqa: PYI034
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply every migration not yet recorded in ``migrations``; return their names."""
        try:  # the usual case, an up-to-date store: a read, no write transaction (the server opens many)
            if {r[0] for r in self.query("SELECT name FROM migrations")} >= {n for n, _ in MIGRATIONS}:
                return []
        except (sqlite3.Error, self._pg_error()):
            self.conn.rollback()  # no migrations table yet (PostgreSQL: leave the failed transaction)
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in self.query("SELECT name FROM migrations")}
        done = []
        for name, script in MIGRATIONS:
            if name in applied:
                continue
            with self.transaction():
                if self.scalar("SELECT COUNT(*) FROM migrations WHERE name = ?", (name,)):
                    continue  # another process applied it meanwhile
                for stmt in _split_sql(script.format(**self.dialect.types)):
                    self.execute(stmt)
                if name in MIGRATION_STEPS:
                    MIGRATION_STEPS[name](self)
                self.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now_iso()))
            done.append(name)
        return done

    def migrations(self) -> list[str]:
        return [r[0] for r in self.query("SELECT name FROM migrations ORDER BY name")]

    # -- writing -------------------------------------------------------------------
    def has_hash(self, raw_hash: str) -> bool:
        return bool(self.query("SELECT 1 FROM articles WHERE hash = ?", (raw_hash,)))

    def add_result(self, result: ArticleResult, raw_hash: str) -> bool:
        """Store one article and everything extracted from it in one transaction.

        Returns ``False`` (and writes nothing) when ``raw_hash`` is already stored.
        """
        try:
            with self.transaction():
                if self.query("SELECT 1 FROM articles WHERE hash = ?", (raw_hash,)):
                    return False
                art = result.article
                art_pk = self.insert(
                    "INSERT INTO articles (id, hash, title, source, url, published, text, ingested_at, result) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (art.id, raw_hash, art.title, art.source, art.url, art.published, result.text, now_iso(),
                     json.dumps(result.to_dict(), ensure_ascii=False)))
                actor_pks = self._add_actors(art_pk, result)
                aggregate.add_events(self, art_pk, result, actor_pks)
                self._add_quotes(art_pk, result, actor_pks)
                self._add_places(art_pk, result)
            return True
        except StoreError:
            raise
        except (sqlite3.Error, self._pg_error()) as exc:
            raise StoreError(f"could not store article {result.article.id!r}: {exc}") from exc

    def _pg_error(self) -> type[BaseException]:
        if self.backend == "postgresql":
            import psycopg

            return psycopg.Error
        return sqlite3.Error

    def _add_actors(self, art_pk: int, result: ArticleResult) -> dict[str, int]:
        pks: dict[str, int] = {}
        seen: set[int] = set()
        for a in result.actors:
            key = actor_key(a)
            row = self.query("SELECT pk FROM actors WHERE key = ?", (key,))
            if row:
                pk = int(row[0][0])
            else:
                pk = self.insert("INSERT INTO actors (key, name, kind, country, sector) VALUES (?, ?, ?, ?, ?)",
                                 (key, a.name, a.kind, a.country, a.sector))
            new_article = pk not in seen
            seen.add(pk)
            self.execute("UPDATE actors SET mentions = mentions + ?, articles = articles + ? WHERE pk = ?",
                         (max(1, len(a.mentions)), 1 if new_article else 0, pk))
            spans = json.dumps([m.to_dict() for m in a.mentions], ensure_ascii=False)
            self.execute("INSERT INTO actor_mentions (article_pk, actor_pk, local_id, name, title, spans) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (art_pk, pk, a.id, a.name, a.title, spans))
            pks[a.id] = pk
        return pks

    def _add_quotes(self, art_pk: int, result: ArticleResult, actor_pks: dict[str, int]) -> None:
        rows = [(art_pk, q.id, q.text, q.start, q.end, q.kind, actor_pks.get(q.speaker or ""),
                 q.speaker_text, q.cue) for q in result.quotes]
        if rows:
            self.executemany("INSERT INTO quotes (article_pk, local_id, text, start_char, end_char, kind, "
                             "speaker_pk, speaker_text, cue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _add_places(self, art_pk: int, result: ArticleResult) -> None:
        rows = [(art_pk, p.name, p.country, p.lat, p.lon, p.kind, len(p.mentions)) for p in result.places]
        if rows:
            self.executemany("INSERT INTO places (article_pk, name, country, lat, lon, kind, mentions) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def add_failure(self, path: str, item_id: str | None, reason: str) -> None:
        """Record that one input item could not be ingested (its own transaction).

        The same item failing again for the same reason (a re-run) updates the time of the
        existing row instead of adding one, so re-ingesting changes no count.
        """
        with self.transaction():
            known = self.query("SELECT pk FROM failures WHERE path = ? AND COALESCE(item_id, '') = ? AND reason = ?",
                               (path, item_id or "", reason))
            if known:
                self.execute("UPDATE failures SET at = ? WHERE pk = ?", (now_iso(), known[0][0]))
            else:
                self.execute("INSERT INTO failures (path, item_id, reason, at) VALUES (?, ?, ?, ?)",
                             (path, item_id, reason, now_iso()))

    # -- reading -------------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in _TABLES:
            raise ConfigError(f"unknown table {table!r}")
        return int(self.scalar(f"SELECT COUNT(*) FROM {table}"))  # table name from a fixed list

    def articles(self) -> Iterator[StoredArticle]:
        for r in self.query("SELECT pk, id, hash, title, source, url, published, ingested_at FROM articles "
                            "ORDER BY pk"):
            yield StoredArticle(*r)

    def article_result(self, article_id: str) -> ArticleResult | None:
        """The stored :class:`ArticleResult` of an article (by its id), as ``extract`` returned it."""
        rows = self.query("SELECT result FROM articles WHERE id = ? ORDER BY pk LIMIT 1", (article_id,))
        return ArticleResult.from_dict(json.loads(rows[0][0])) if rows and rows[0][0] else None

    def failures(self) -> list[Failure]:
        return [Failure(*r) for r in self.query("SELECT path, item_id, reason, at FROM failures ORDER BY pk")]

    def event_mentions(self, event_pk: int) -> list[EventMentionRow]:
        rows = self.query(
            "SELECT m.event_pk, a.id, a.source, a.url, m.local_id, m.sentence, m.trigger, m.evidence, m.status, "
            "m.date FROM event_mentions m JOIN articles a ON a.pk = m.article_pk WHERE m.event_pk = ? "
            "ORDER BY m.pk", (event_pk,))
        return [EventMentionRow(*r) for r in rows]


_TABLES = ("articles", "actors", "actor_mentions", "events", "event_mentions", "event_actors",
           "event_dyads", "event_actor_pairs", "event_day_counts", "event_type_day_counts",
           "event_country_day_counts", "quotes", "places", "failures", "migrations", "watch_feeds", "watch_pages",
           "alert_rules", "alerts", "alert_deliveries")


class _Tx:
    """A transaction on either backend (not re-entrant across nesting: inner ones join)."""

    def __init__(self, store: Store):
        self.store = store
        self.outer = False

    def __enter__(self) -> _Tx:  # noqa: PYI034
        s = self.store
        if s._in_tx:
            return self
        self.outer = True
        s._in_tx = True
        if s.backend == "sqlite":
            s.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        s = self.store
        s._in_tx = False
        if exc_type is None:
            s.conn.commit()
        else:
            s.conn.rollback()


# --------------------------------------------------------------------------- opening


def _open_sqlite(path: str, url: str) -> Store:
    p = Path(path)
    if p.is_dir():
        raise ConfigError(f"database path {path!r} is a directory; give a file such as {path}/dyads.db")
    if p.parent and not p.parent.exists():
        raise ConfigError(f"folder {str(p.parent)!r} for database {path!r} does not exist")
    try:
        conn = sqlite3.connect(str(p), timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        # read through a shared memory map instead of copying pages into each connection's small
        # (2 MB) page cache: the server keeps a pool of connections over one file
        conn.execute("PRAGMA mmap_size=268435456")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open SQLite database {path!r}: {exc}") from exc
    return Store(conn, _Dialect(), url)


def _open_pg(url: str) -> Store:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        raise ConfigError("PostgreSQL needs psycopg 3: pip install 'psycopg[binary]'") from exc
    try:
        conn = psycopg.connect(url, autocommit=False)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL at {_redact(url)}: {str(exc).strip()}") from exc
    return Store(conn, _PgDialect(), url)


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def open_store(url_or_path: str | Path | None = None) -> Store:
    """Open (creating and migrating if needed) the store at a path or database URL.

    ``None`` means ``$DYADS_DB`` or ``dyads.db``. Paths and ``sqlite:///path`` open SQLite;
    ``postgresql://...`` / ``postgres://...`` open PostgreSQL.
    """
    import os

    target = str(url_or_path if url_or_path is not None else os.environ.get("DYADS_DB") or "dyads.db")
    if target.startswith(("postgresql://", "postgres://")):
        return _open_pg(target)
    if target.startswith("sqlite:///"):
        return _open_sqlite(target[len("sqlite:///"):] or "dyads.db", target)
    if target.startswith("sqlite://"):
        raise ConfigError(f"SQLite URL {target!r} needs three slashes: sqlite:///path/to/dyads.db")
    if re.match(r"^[a-z][a-z0-9+.-]*://", target):
        raise ConfigError(f"unsupported database URL {_redact(target)!r}: use a file path, sqlite:///path "
                          "or postgresql://user@host/db")
    return _open_sqlite(target, target)
