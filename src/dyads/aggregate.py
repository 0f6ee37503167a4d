"""One event per real happening: merging event mentions across articles into clusters.

Every event that :func:`dyads.extract` finds is an *event mention* (an article sentence). When a
mention is stored it joins an existing *event cluster* (a row of ``events``) if all of these hold,
and starts a new cluster otherwise:

1. **Same type** (PLOVER ``type``) and **same status** (``asserted``, ``future``,
   ``hypothetical``, ``negated``: "talks will take place" is not the same happening as
   "talks took place").
2. **Overlapping actor** and **overlapping recipient**: each side overlaps when the two share a
   country (ISO alpha-3 of any actor on that side) or a stored actor (canonical identity, see
   :func:`dyads.store.actor_key`), or when both sides are empty. For acts two parties do with
   each other (AGREE, CONSULT, COOPERATE, SUPPORT) the sides may also be crossed: "Argentina and
   Chile signed" joins "Chile and Argentina signed", whose first-named party is the actor.
3. **Compatible dates.** A mention's reference date is its event ``date`` (with
   ``date_precision``), or, when it has none, its article's ``published`` date (day
   precision). A cluster's reference date is its best known event date, else the published
   date of its first article. Two reference dates are compatible when either is unknown,
   when they are equal, when both are day-precise and at most 3 days apart, and otherwise
   when they agree at the coarser precision (same month for ``month``, same year for ``year``).
4. **Similar evidence**: the token Jaccard similarity of the evidence sentences (lower-cased
   words of 3+ letters, common function words removed) is at least 0.2 against any mention
   already in the cluster, **or** the triggers have the same lemma (lower-cased trigger with a
   small English suffix stemmer: "accused"/"accuses"/"accusing" -> "accus").

Candidates are looked up by type and status within 40 days of the mention's reference date
(the whole year for a year-precise one), so that the check stays cheap on a large store.
Among several matching clusters the one with the most similar evidence wins (then the
oldest). The cluster then keeps: ``mentions`` (number of event mentions), ``articles``
(distinct articles), ``sources`` (distinct ``source`` names; an article without one counts
as its own source via its URL host, else its id), ``first_seen``/``last_seen`` (earliest and
latest published date of its articles, the ingest day when unknown), and one
``event_mentions`` row per article sentence. Its actors and recipients become the union of its
mentions'; its date is refined when a mention brings a finer compatible one; type, status,
intensity, quad and CAMEO code come from its first mention.

A mention whose event is ``background`` (dated more than a year before its article, see
:func:`dyads.dates.is_background`) clusters by the same rules. A cluster is background while all
its mentions are: the first mention that reports it as news (a 2022 article on a 2022 invasion)
clears the flag for good, on the cluster and its ``event_dyads`` rows.

**Counts.** ``event_day_counts``, ``event_type_day_counts`` and ``event_country_day_counts`` hold
how many clusters there are per (background flag, day), per (type, flag, day) and per (side,
country, flag, day) (``''`` for an unknown day; a cluster counts once for each country on a side):
what :mod:`dyads.query` sums for the totals of date-range, type and one-side country filters.
Every new cluster, and every join that changes a cluster's day, flag or countries, adds its
changes to a :class:`_Counts`; :func:`add_events` writes them once, at its end, in sorted key
order (table by table), so two PostgreSQL transactions storing articles at once lock count rows
in the same order and cannot deadlock on them; nothing the ingest transaction does after it
(quotes, places) locks a row another one needs.

The rules are deterministic given the order in which articles are stored; ``dyads ingest``
stores them in input order (also with Dask), so a re-run after a crash gives the same clusters.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlparse

from .records import ArticleResult, Event


class StoreLike(Protocol):
    """What the clustering needs of a store: parameterised SQL inside the caller's transaction.

    :class:`dyads.store.Store` is one; this module never imports it, so the store can call
    :func:`add_events` without an import cycle.
    """

    def query(self, stmt: str, params: Sequence[Any] = ()) -> list[tuple]: ...

    def execute(self, stmt: str, params: Sequence[Any] = ()) -> Any: ...

    def executemany(self, stmt: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def insert(self, stmt: str, params: Sequence[Any]) -> int: ...

JACCARD_MIN = 0.2
DAY_WINDOW = 3
CANDIDATE_LIMIT = 500
EVIDENCE_LIMIT = 50

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset([
    "the", "and", "for", "with", "that", "this", "from", "was", "were", "are", "has", "have", "had",
    "its", "his", "her", "their", "they", "them", "said", "says", "not", "but", "also", "been", "will",
    "would", "could", "should", "into", "over", "after", "before", "about", "than", "then", "there",
    "which", "who", "whom", "what", "when", "where", "while", "our", "out", "one", "two", "who's",
    "it's", "per", "via", "on", "at", "by", "of", "to", "in", "a", "an",
])


def tokens(text: str) -> set[str]:
    """Content words of a sentence for the Jaccard test."""
    return {w for w in _WORD.findall((text or "").lower()) if w not in _STOP}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s", "e")


def lemma(trigger: str) -> str:
    """A crude, deterministic lemma of a trigger word or phrase (first word, suffix-stripped)."""
    w = (trigger or "").lower().strip().split(" ")[0]
    w = re.sub(r"[^a-z]", "", w)
    for suf in _SUFFIXES:
        if len(w) - len(suf) >= 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":  # "stopped" -> "stopp" -> "stop"
        w = w[:-1]
    return w


# --------------------------------------------------------------------------- dates

_PREC_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class RefDate:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day | month | year

    def as_day(self) -> date:
        v = self.value
        if self.precision == "day":
            return date.fromisoformat(v[:10])
        if self.precision == "month":
            return date.fromisoformat(v[:7] + "-01")
        return date.fromisoformat(v[:4] + "-01-01")


def ref_date(value: str | None, precision: str | None) -> RefDate | None:
    if not value:
        return None
    prec = precision if precision in _PREC_RANK else {10: "day", 7: "month", 4: "year"}.get(len(value))
    if prec is None:
        return None
    try:
        r = RefDate(value, prec)
        r.as_day()
    except ValueError:
        return None
    return r


def dates_compatible(a: RefDate | None, b: RefDate | None) -> bool:
    """Rule 3: unknown, equal, <= 3 days apart (day precision) or same month/year (coarser)."""
    if a is None or b is None or a.value == b.value:
        return True
    if a.precision == "day" and b.precision == "day":
        return abs((a.as_day() - b.as_day()).days) <= DAY_WINDOW
    coarse = max(a.precision, b.precision, key=lambda p: _PREC_RANK[p])
    n = 7 if coarse == "month" else 4
    return a.value[:n] == b.value[:n]


def day_of(ref: RefDate | None) -> str | None:
    """The ``day`` column: the reference date as YYYY-MM-DD (first day of a month or year)."""
    return ref.as_day().isoformat() if ref else None


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    event: Event
    actor_pks: set[int]
    recipient_pks: set[int]
    actor_countries: set[str]
    recipient_countries: set[str]
    ref: RefDate | None
    event_date: RefDate | None
    tokens: set[str]
    lemma: str
    background: bool = False


@dataclass
class _Cluster:
    pk: int
    actor_pks: frozenset[int]
    recipient_pks: frozenset[int]
    actor_countries: frozenset[str]
    recipient_countries: frozenset[str]
    date: RefDate | None
    day: str | None
    lemma: str
    background: bool = False


def _side_overlaps(pks_a: AbstractSet[int], cc_a: AbstractSet[str], pks_b: AbstractSet[int],
                   cc_b: AbstractSet[str]) -> bool:
    if not pks_a and not pks_b:
        return True
    return bool(pks_a & pks_b) or bool(cc_a & cc_b)


# Acts two parties do with each other: "Chile and Argentina signed" and "Argentina and Chile signed"
# are one happening though the first-named party is the actor (events.rules.joint_dyad).
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE", "SUPPORT"})


def _sides_match(m: "_Mention", c: "_Cluster", mutual: bool) -> bool:
    if (_side_overlaps(m.actor_pks, m.actor_countries, c.actor_pks, c.actor_countries)
            and _side_overlaps(m.recipient_pks, m.recipient_countries, c.recipient_pks, c.recipient_countries)):
        return True
    return mutual and bool(m.recipient_pks or m.recipient_countries) and bool(c.recipient_pks or c.recipient_countries) \
        and _side_overlaps(m.actor_pks, m.actor_countries, c.recipient_pks, c.recipient_countries) \
        and _side_overlaps(m.recipient_pks, m.recipient_countries, c.actor_pks, c.actor_countries)


def source_key(result: ArticleResult) -> str:
    art = result.article
    if art.source:
        return art.source.strip().lower()
    if art.url:
        host = urlparse(art.url).netloc.lower()
        if host:
            return "host:" + host
    return "article:" + art.id


@lru_cache(maxsize=1 << 16)
def _loads(s: str | None) -> frozenset:
    """A stored JSON id/country list as a set (cached: the same short lists recur in every lookup)."""
    return frozenset(json.loads(s)) if s else frozenset()


def add_events(store: StoreLike, art_pk: int, result: ArticleResult, actor_pks: dict[str, int]) -> list[int]:
    """Store every event of ``result`` as a mention of a (new or existing) cluster.

    Runs inside the caller's transaction; returns the cluster pk of each event in order.
    """
    countries = {a.id: a.country for a in result.actors}
    published = ref_date(result.article.published, "day")
    seen = result.article.published or _today()
    skey = source_key(result)
    counts = _Counts()
    out = []
    for ev in result.events:
        a_pks = {actor_pks[i] for i in ev.actor if i in actor_pks}
        r_pks = {actor_pks[i] for i in ev.recipient if i in actor_pks}
        evd = ref_date(ev.date, ev.date_precision)
        m = _Mention(ev, a_pks, r_pks, {countries[i] for i in ev.actor if countries.get(i)},
                     {countries[i] for i in ev.recipient if countries.get(i)},
                     evd or published, evd, tokens(ev.evidence.text), lemma(ev.trigger.text), bool(ev.background))
        cluster = _find_cluster(store, m)
        if cluster is None:
            pk = _new_cluster(store, m, seen, result.article.url, counts)
        else:
            pk = cluster.pk
            _join_cluster(store, cluster, m, seen, counts)
        store.execute(
            "INSERT INTO event_mentions (event_pk, article_pk, local_id, sentence, trigger, evidence, status, "
            "date, date_precision, source_key, confidence, data, background) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (pk, art_pk, ev.id, ev.sentence, ev.trigger.text, ev.evidence.text, ev.status, ev.date,
             ev.date_precision, skey, ev.confidence, json.dumps(ev.to_dict(), ensure_ascii=False), int(m.background)))
        _recount(store, pk)
        out.append(pk)
    counts.write(store)
    return out


# the count tables, their key columns, in the order their rows are written (see the module docstring)
COUNT_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event_day_counts", ("background", "day")),
    ("event_type_day_counts", ("type", "background", "day")),
    ("event_country_day_counts", ("side", "country", "background", "day")),
)


class _Counts:
    """Changes to the count tables made by one ingest transaction, written by :meth:`write`."""

    def __init__(self) -> None:
        self.delta: dict[str, Counter] = {name: Counter() for name, _ in COUNT_TABLES}

    def add(self, type_: str, day: str | None, background: bool, actor_countries: AbstractSet[str],
            recipient_countries: AbstractSet[str], n: int) -> None:
        """``n`` (+1 or -1) clusters of this type, day, flag and countries."""
        bg, d = int(background), day or ""
        self.delta["event_day_counts"][(bg, d)] += n
        self.delta["event_type_day_counts"][(type_, bg, d)] += n
        by_country = self.delta["event_country_day_counts"]
        for side, ccs in (("actor", actor_countries), ("recipient", recipient_countries)):
            for cc in ccs:
                if cc:
                    by_country[(side, cc, bg, d)] += n

    def write(self, store: StoreLike) -> None:
        for name, keys in COUNT_TABLES:  # table and column names from the fixed list above
            rows = sorted((*k, n) for k, n in self.delta[name].items() if n)
            if rows:
                cols = ", ".join(keys)
                store.executemany(
                    f"INSERT INTO {name} ({cols}, n) VALUES ({', '.join('?' for _ in keys)}, ?) "
                    f"ON CONFLICT ({cols}) DO UPDATE SET n = {name}.n + excluded.n", rows)
            self.delta[name].clear()


def _today() -> str:
    return date.today().isoformat()


def _find_cluster(store: StoreLike, m: _Mention) -> _Cluster | None:
    ev = m.event
    sql = ("SELECT pk, actor_ids, recipient_ids, actor_countries, recipient_countries, date, date_precision, "
           "day, lemma, background FROM events WHERE type = ? AND status = ?")
    params: list[Any] = [ev.type, ev.status]
    if m.ref is not None:
        lo, hi = _window(m.ref)
        sql += " AND (day IS NULL OR (day >= ? AND day <= ?))"
        params += [lo, hi]
    sql += f" ORDER BY pk DESC LIMIT {CANDIDATE_LIMIT}"
    survivors: list[_Cluster] = []
    for row in store.query(sql, params):
        c = _Cluster(int(row[0]), _loads(row[1]), _loads(row[2]), _loads(row[3]), _loads(row[4]),
                     ref_date(row[5], row[6]), row[7], row[8], bool(row[9]))
        if not _sides_match(m, c, ev.type in MUTUAL_TYPES):
            continue
        if not dates_compatible(m.ref, c.date or ref_date(c.day, "day")):
            continue
        survivors.append(c)
    if not survivors:
        return None
    evidence = _cluster_evidence(store, [c.pk for c in survivors])
    best: tuple[float, int, _Cluster] | None = None
    for c in survivors:
        score = _evidence_score(c, m, evidence.get(c.pk, []))
        if score is None:
            continue
        if best is None or (score, -c.pk) > (best[0], -best[1]):
            best = (score, c.pk, c)
    return best[2] if best else None


def _window(ref: RefDate) -> tuple[str, str]:
    d = ref.as_day()
    if ref.precision == "year":
        return (d - timedelta(days=DAY_WINDOW)).isoformat(), date(d.year, 12, 31).isoformat()
    return (d - timedelta(days=40)).isoformat(), (d + timedelta(days=40)).isoformat()


def _cluster_evidence(store: StoreLike, pks: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(evidence, trigger) of the latest mentions (at most EVIDENCE_LIMIT) of each cluster, in one pass."""
    out: dict[int, list[tuple[str, str]]] = {}
    for i in range(0, len(pks), 500):
        part = pks[i:i + 500]
        marks = ", ".join("?" for _ in part)
        for pk, evidence, trigger in store.query(
                f"SELECT event_pk, evidence, trigger FROM event_mentions WHERE event_pk IN ({marks}) "
                "ORDER BY pk DESC", part):
            rows = out.setdefault(int(pk), [])
            if len(rows) < EVIDENCE_LIMIT:
                rows.append((evidence, trigger))
    return out


def _evidence_score(c: _Cluster, m: _Mention, rows: list[tuple[str, str]]) -> float | None:
    """Best Jaccard against the cluster's mentions (+1 when a trigger lemma matches), or None."""
    best = 0.0
    same_lemma = bool(m.lemma) and m.lemma == c.lemma
    for evidence, trigger in rows:
        best = max(best, jaccard(m.tokens, tokens(evidence)))
        same_lemma = same_lemma or (bool(m.lemma) and lemma(trigger) == m.lemma)
    if best < JACCARD_MIN and not same_lemma:
        return None
    return best + (1.0 if same_lemma else 0.0)


def _dyad_pairs(actor_cc: AbstractSet[str], recipient_cc: AbstractSet[str]) -> list[tuple[str, str]]:
    return [(a, r) for a in sorted(actor_cc) or [""] for r in sorted(recipient_cc) or [""]]


def _new_cluster(store: StoreLike, m: _Mention, seen: str, url: str | None, counts: _Counts) -> int:
    ev = m.event
    day = day_of(m.ref)
    loc = json.dumps(ev.location, ensure_ascii=False) if ev.location else None
    pk = store.insert(
        "INSERT INTO events (type, mode, status, date, date_precision, day, actor_countries, recipient_countries, "
        "actor_ids, recipient_ids, intensity, quad, cameo, trigger, lemma, evidence, location, mentions, sources, "
        "articles, first_seen, last_seen, source_url, background) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?)",
        (ev.type, ev.mode, ev.status, ev.date, ev.date_precision, day, json.dumps(sorted(m.actor_countries)),
         json.dumps(sorted(m.recipient_countries)), json.dumps(sorted(m.actor_pks)),
         json.dumps(sorted(m.recipient_pks)), ev.intensity, ev.quad, ev.cameo, ev.trigger.text, m.lemma,
         ev.evidence.text, loc, seen, seen, url, int(m.background)))
    _link_parties(store, pk, m.actor_pks, m.recipient_pks, day, ev.type, m.background)
    store.executemany("INSERT INTO event_dyads (event_pk, actor_country, recipient_country, day, background, type) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      [(pk, a, r, day, int(m.background), ev.type)
                       for a, r in _dyad_pairs(m.actor_countries, m.recipient_countries)])
    counts.add(ev.type, day, m.background, m.actor_countries, m.recipient_countries, 1)
    return pk


def _link_parties(store: StoreLike, pk: int, actors: AbstractSet[int], recipients: AbstractSet[int],
                  day: str | None, type_: str, background: bool, old_actors: AbstractSet[int] = frozenset(),
                  old_recipients: AbstractSet[int] = frozenset()) -> None:
    """Link cluster ``pk`` to its ``actors`` and ``recipients`` (all of them; those of ``old_actors`` /
    ``old_recipients`` are linked already): ``event_actors`` rows and ``event_actor_pairs`` rows for
    every new (actor, recipient), with the cluster's day, type and background flag."""
    bg = int(background)
    rows = ([(pk, a, "actor", day, type_, bg) for a in sorted(set(actors) - set(old_actors))]
            + [(pk, r, "recipient", day, type_, bg) for r in sorted(set(recipients) - set(old_recipients))])
    if rows:
        store.executemany("INSERT INTO event_actors (event_pk, actor_pk, role, day, type, background) "
                          "VALUES (?, ?, ?, ?, ?, ?)", rows)
    pairs = [(pk, a, r, day, type_, bg) for a in sorted(actors) for r in sorted(recipients)
             if a not in old_actors or r not in old_recipients]
    if pairs:
        store.executemany("INSERT INTO event_actor_pairs (event_pk, actor_pk, recipient_pk, day, type, background) "
                          "VALUES (?, ?, ?, ?, ?, ?)", pairs)


def _join_cluster(store: StoreLike, c: _Cluster, m: _Mention, seen: str, counts: _Counts) -> None:
    a_pks, r_pks = c.actor_pks | m.actor_pks, c.recipient_pks | m.recipient_pks
    a_cc, r_cc = c.actor_countries | m.actor_countries, c.recipient_countries | m.recipient_countries
    new_date = c.date
    if m.event_date and (c.date is None or _PREC_RANK[m.event_date.precision] < _PREC_RANK[c.date.precision]):
        new_date = m.event_date
    day = day_of(new_date) if new_date else c.day
    background = c.background and m.background  # one mention that is news makes the cluster news
    store.execute(
        "UPDATE events SET actor_ids = ?, recipient_ids = ?, actor_countries = ?, recipient_countries = ?, "
        "date = ?, date_precision = ?, day = ?, background = ? WHERE pk = ?",
        (json.dumps(sorted(a_pks)), json.dumps(sorted(r_pks)), json.dumps(sorted(a_cc)), json.dumps(sorted(r_cc)),
         new_date.value if new_date else None, new_date.precision if new_date else None, day, int(background), c.pk))
    if day != c.day or background != c.background:  # the links' copies follow the cluster
        for table in ("event_actors", "event_actor_pairs"):  # table names from a fixed list
            store.execute(f"UPDATE {table} SET day = ?, background = ? WHERE event_pk = ?",
                          (day, int(background), c.pk))
    _link_parties(store, c.pk, a_pks, r_pks, day, m.event.type, background, c.actor_pks, c.recipient_pks)
    old_pairs = set(_dyad_pairs(c.actor_countries, c.recipient_countries))
    new_pairs = set(_dyad_pairs(a_cc, r_cc))
    if old_pairs != new_pairs:
        store.execute("DELETE FROM event_dyads WHERE event_pk = ?", (c.pk,))
        store.executemany("INSERT INTO event_dyads (event_pk, actor_country, recipient_country, day, background, "
                          "type) VALUES (?, ?, ?, ?, ?, ?)",  # the cluster's type is the mention's (_find_cluster)
                          [(c.pk, a, r, day, int(background), m.event.type) for a, r in sorted(new_pairs)])
    elif day != c.day or background != c.background:
        store.execute("UPDATE event_dyads SET day = ?, background = ? WHERE event_pk = ?", (day, int(background), c.pk))
    if day != c.day or background != c.background or a_cc != c.actor_countries or r_cc != c.recipient_countries:
        # the cluster moves in the counts
        counts.add(m.event.type, c.day, c.background, c.actor_countries, c.recipient_countries, -1)
        counts.add(m.event.type, day, background, a_cc, r_cc, 1)
    store.execute("UPDATE events SET first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? "
                  "ELSE first_seen END, last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? "
                  "ELSE last_seen END WHERE pk = ?", (seen, seen, seen, seen, c.pk))


def _recount(store: StoreLike, pk: int) -> None:
    store.execute(
        "UPDATE events SET mentions = (SELECT COUNT(*) FROM event_mentions WHERE event_pk = ?), "
        "articles = (SELECT COUNT(DISTINCT article_pk) FROM event_mentions WHERE event_pk = ?), "
        "sources = (SELECT COUNT(DISTINCT source_key) FROM event_mentions WHERE event_pk = ?) WHERE pk = ?",
        (pk, pk, pk, pk))
