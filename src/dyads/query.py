"""Queries and exports over a corpus store (:mod:`dyads.store`), on SQLite or PostgreSQL alike.

Filters of :func:`events`:

* ``actor`` / ``recipient``: a three-letter upper-case code (``RUS``) matches any actor on that
  side with that country (through the indexed ``event_dyads`` table); a number matches a
  stored actor id; anything else matches stored actor names case-insensitively as a substring.
* ``type`` (PLOVER type), ``status``; ``since``/``until`` (``YYYY-MM-DD``, inclusive) compare with
  the cluster's ``day``: its event date (first day of the month or year for coarser dates), else
  the published date of its first article; ``text``: every word must occur in the evidence of
  one of the cluster's mentions.
* Results are ordered by day (unknown days last), then id; ``limit``/``offset`` page them.
* Background events (clusters dated more than a year before every article that reported them:
  history a story recalls, see :func:`dyads.dates.is_background`) are left out unless
  ``include_background=True``. The same holds for :func:`event_page`, :func:`dyads`, every
  :func:`export` format and the API's graph and timeline; the store keeps them.

:func:`dyads` aggregates, per directed country pair (actor country -> recipient country, both
known) and period (``day``: ``YYYY-MM-DD``; ``week``: ISO week ``YYYY-Www``; ``month``:
``YYYY-MM``), the number of events per quad class and their mean intensity.

:func:`export` writes every event cluster as ``csv``, ``jsonl`` or ``parquet``; ``graphml``
writes the actor network (nodes: stored actors that take part in an event; directed edges
actor -> recipient with event count and mean intensity) for Gephi; ``gdelt`` writes a
tab-separated GDELT 2.0-style event table with a header of GDELT column names (see
:data:`GDELT_COLUMNS`; country codes are ISO 3166-1 alpha-3, which the CAMEO country codes
follow; geography country codes are alpha-3 too, not FIPS; unfilled GDELT columns are blank).
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from .errors import ConfigError, check_date
from .store import EventCluster, Store, StoredActor, StoredQuote

QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
_COUNTRY = re.compile(r"^[A-Z]{3}$")

_EVENT_COLS = ("e.pk, e.type, e.mode, e.status, e.date, e.date_precision, e.day, e.actor_countries, "
               "e.recipient_countries, e.actor_ids, e.recipient_ids, e.intensity, e.quad, e.cameo, e.evidence, "
               "e.trigger, e.location, e.mentions, e.sources, e.articles, e.first_seen, e.last_seen, e.source_url, "
               "e.background")
_ORDER = " ORDER BY CASE WHEN e.day IS NULL THEN 1 ELSE 0 END, e.day, e.pk"


def _check_date(name: str, value: str | None) -> str | None:
    return check_date(value, f"--{name}")


def _actor_subquery(role: str, value: str, where: list[str], params: list[Any]) -> None:
    if value.isdigit():
        where.append("e.pk IN (SELECT event_pk FROM event_actors WHERE role = ? AND actor_pk = ?)")
        params += [role, int(value)]
    else:
        where.append("e.pk IN (SELECT ea.event_pk FROM event_actors ea JOIN actors a ON a.pk = ea.actor_pk "
                     "WHERE ea.role = ? AND LOWER(a.name) LIKE ?)")
        params += [role, "%" + value.lower() + "%"]


def _dyad_condition(a_cc: str | None, r_cc: str | None, since: str | None, until: str | None,
                    prefix: str = "", include_background: bool = False,
                    type: str | None = None) -> tuple[str, list[Any]]:  # noqa: A002 - the filter's name
    """The ``event_dyads`` condition for country codes on either side, a day range, an event type and
    (unless ``include_background``) no background event: every column is in the covering indexes
    (the type in the one-side ones)."""
    cond: list[str] = []
    params: list[Any] = []
    for col, val in (("actor_country = ?", a_cc), ("recipient_country = ?", r_cc),
                     ("type = ?", type.upper() if type else None), ("day >= ?", since), ("day <= ?", until)):
        if val:
            cond.append(prefix + col)
            params.append(val)
    if not include_background:
        cond.append(prefix + "background = 0")
    return " AND ".join(cond), params


def _event_where(actor=None, recipient=None, type=None, status=None, since=None, until=None,
                 text=None, include_background=False) -> tuple[str, list[Any]]:
    since, until = _check_date("since", since), _check_date("until", until)
    where: list[str] = []
    params: list[Any] = []
    a_cc = actor if actor and _COUNTRY.match(actor) else None
    r_cc = recipient if recipient and _COUNTRY.match(recipient) else None
    if not include_background:
        where.append("e.background = 0")
    if a_cc or r_cc:
        sub, sp = _dyad_condition(a_cc, r_cc, since, until, include_background=include_background)
        where.append(f"e.pk IN (SELECT event_pk FROM event_dyads WHERE {sub})")
        params += sp
    if actor and not a_cc and recipient and not r_cc and actor.isdigit() and recipient.isdigit():
        # both sides by stored id: one join on event_actors' primary key (event_pk, actor_pk, role) from
        # the actor's events, not two event lists of a busy actor intersected through the events table
        where.append("e.pk IN (SELECT a.event_pk FROM event_actors a JOIN event_actors r ON r.event_pk = "
                     "a.event_pk AND r.actor_pk = ? AND r.role = ? WHERE a.role = ? AND a.actor_pk = ?)")
        params += [int(recipient), "recipient", "actor", int(actor)]
    else:
        if actor and not a_cc:
            _actor_subquery("actor", actor, where, params)
        if recipient and not r_cc:
            _actor_subquery("recipient", recipient, where, params)
    if type:
        where.append("e.type = ?")
        params.append(type.upper())
    if status:
        where.append("e.status = ?")
        params.append(status.lower())
    if since:
        where.append("e.day >= ?")
        params.append(since)
    if until:
        where.append("e.day <= ?")
        params.append(until)
    if text:
        words = [w.lower() for w in text.split() if w.strip()]
        if words:
            where.append("e.pk IN (SELECT event_pk FROM event_mentions WHERE "
                         + " AND ".join("LOWER(evidence) LIKE ?" for _ in words) + ")")
            params += ["%" + w + "%" for w in words]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _actor_names(store: Store, pks: set[int]) -> dict[int, str]:
    """Names of stored actors by id, through the store's :meth:`~dyads.store.Store.known_actor_names`
    (a stored actor's name never changes): only ids not seen before on this connection are read."""
    known = store.known_actor_names
    names = {pk: known[pk] for pk in pks if pk in known}
    ids = sorted(pks - names.keys())
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ", ".join("?" for _ in part)
        names.update((int(pk), name) for pk, name in store.query(
            f"SELECT pk, name FROM actors WHERE pk IN ({marks})", part))
    if ids and not store.in_transaction and len(known) < store.KNOWN_ACTOR_NAMES_MAX:
        known.update((pk, names[pk]) for pk in ids if pk in names)  # committed rows only
    return names


@lru_cache(maxsize=8192)
def _json_list(raw: str) -> tuple:
    return tuple(json.loads(raw))


def _list(raw: str) -> list:
    """A stored JSON list of country codes or actor ids (few distinct values: parsed once each)."""
    return list(_json_list(raw))


def _clusters(store: Store, rows: list[tuple], names: dict[int, str] | None = None) -> list[EventCluster]:
    parsed = []
    need: set[int] = set()
    for r in rows:
        a_ids, r_ids = _list(r[9]), _list(r[10])
        need.update(a_ids)
        need.update(r_ids)
        parsed.append((r, a_ids, r_ids))
    if names is None:
        names = _actor_names(store, need)
    out = []
    for r, a_ids, r_ids in parsed:
        out.append(EventCluster(
            pk=int(r[0]), type=r[1], mode=r[2], status=r[3], date=r[4], date_precision=r[5], day=r[6],
            actor_countries=_list(r[7]), recipient_countries=_list(r[8]), actors=a_ids,
            recipients=r_ids, actor_names=[names.get(i, "?") for i in a_ids],
            recipient_names=[names.get(i, "?") for i in r_ids], intensity=r[11], quad=r[12], cameo=r[13],
            evidence=r[14], trigger=r[15], location=json.loads(r[16]) if r[16] else None, mentions=r[17],
            sources=r[18], articles=r[19], first_seen=r[20], last_seen=r[21], source_url=r[22],
            background=bool(r[23])))
    return out


def events(store: Store, actor: str | None = None, recipient: str | None = None, type: str | None = None,
           status: str | None = None, since: str | None = None, until: str | None = None,
           text: str | None = None, limit: int | None = 100, offset: int = 0,
           include_background: bool = False) -> list[EventCluster]:
    """Event clusters matching every given filter (see the module docstring)."""
    where, params = _event_where(actor, recipient, type, status, since, until, text, include_background)
    sql = f"SELECT {_EVENT_COLS} FROM events e{where}{_ORDER}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return _clusters(store, store.query(sql, params))


def event_page(store: Store, limit: int, offset: int = 0, **filters) -> tuple[list[EventCluster], int]:
    """One page of :func:`events` (same filters, ``include_background`` among them, rows and order)
    and the number of all matches, computed the index-friendly way: filters whose sides are only
    country codes, or only stored actors (ids or name words), with days and a type, are answered
    from the link table that holds the cluster's day, type and flag (``event_dyads``,
    ``event_actors``, ``event_actor_pairs``: the page's events are read, not every matching one);
    otherwise known days come first through ``ORDER BY day, pk`` (the ``ix_events_bg_day_pk`` /
    ``ix_events_type_bg_day_pk`` indexes by default, ``ix_events_day`` / ``ix_events_type_day`` with
    background events) and the unknown ones after, by id, instead of :data:`_ORDER`'s unindexable
    CASE. Totals of days, a type or one country side are sums of the count tables
    (:func:`_counted_total`)."""
    total = _counted_total(store, filters)
    links = _dyad_only(filters) or _links_only(store, filters)
    if links is not None:
        return _link_page(store, links, limit, offset, total)
    where, wp = _event_where(**filters)
    if total is None:
        total = _count(store, where, wp, filters)
    return _event_page(store, where, wp, limit, offset), total


def _counted_total(store: Store, f: dict[str, Any]) -> int | None:
    """How many clusters match filters ``f``, summed from the count tables that :mod:`dyads.aggregate`
    keeps (migration ``0009_day_counts``), when they answer it: no status or text, and besides days
    either a type or one side given as a country code (``event_type_day_counts``,
    ``event_country_day_counts``) or neither (``event_day_counts``); else None. A date range sums
    at most one row per day (a cluster of unknown day is in the ``''`` rows: only in totals without
    dates), so a broad range or an unfiltered page costs a few thousand rows, not a count of every
    matching index entry."""
    if f.get("status") or f.get("text"):
        return None
    typ = f.get("type")
    sides = [(role, f[role]) for role in ("actor", "recipient") if f.get(role)]
    cond: list[str] = []
    params: list[Any] = []
    if sides:
        if len(sides) > 1 or typ or not _COUNTRY.match(sides[0][1]):
            return None
        table = "event_country_day_counts"
        cond += ["side = ?", "country = ?"]
        params += list(sides[0])
    elif typ:
        table = "event_type_day_counts"
        cond.append("type = ?")
        params.append(typ.upper())
    else:
        table = "event_day_counts"
    cond.append("background IN (0, 1)" if f.get("include_background") else "background = 0")
    since, until = _check_date("since", f.get("since")), _check_date("until", f.get("until"))
    if since:
        cond.append("day >= ?")
        params.append(since)
    if until:
        cond.append("day <= ?")
        params.append(until)
        if not since:
            cond.append("day > ''")  # not the unknown days
    # table names from the fixed choice above
    return int(store.scalar(f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE {' AND '.join(cond)}", params))


def _count(store: Store, where: str, wp: list[Any], filters: dict[str, Any]) -> int:
    """How many clusters match ``filters`` (``where``, ``wp``: their condition). Filters of type and
    days alone are counted from index entries, and then the default (no background) is all matches
    less the background ones: the first count reads the same entries as before the flag existed, the
    second starts at ``background = 1`` in ``ix_events_bg_day_pk`` / ``ix_events_type_bg_day_pk``, where
    there are few; comparing every entry's flag instead is 2-3x slower for a broad date range. Other
    filters read the events rows anyway, which hold the flag: one count."""
    if filters.get("include_background") or any(filters.get(k) for k in ("actor", "recipient", "status", "text")):
        return int(store.scalar(f"SELECT COUNT(*) FROM events e{where}", wp))
    where, wp = _event_where(**{**filters, "include_background": True})
    total = int(store.scalar(f"SELECT COUNT(*) FROM events e{where}", wp))
    glue = " AND " if where else " WHERE "
    return total - int(store.scalar(f"SELECT COUNT(*) FROM events e{where}{glue}e.background = 1", wp))


# name words matching more actors than this are matched in SQL (a subquery), not as a list of ids
_NAME_IDS_MAX = 500


def _side_term(store: Store, col: str, value: str, cond: list[str], params: list[Any]) -> bool:
    """``col`` (an actor pk column) matching ``value``: an actor id, or name words as in
    :func:`_actor_subquery`, looked up first (the planners then use the link indexes: PostgreSQL
    otherwise scans every link row against the subquery's result). True when it is one actor (one
    link row per cluster at most)."""
    if value.isdigit():
        cond.append(f"{col} = ?")
        params.append(int(value))
        return True
    like = "%" + value.lower() + "%"
    pks = [int(r[0]) for r in store.query("SELECT pk FROM actors WHERE LOWER(name) LIKE ? ORDER BY pk LIMIT ?",
                                          (like, _NAME_IDS_MAX + 1))]
    if len(pks) > _NAME_IDS_MAX:
        cond.append(f"{col} IN (SELECT pk FROM actors WHERE LOWER(name) LIKE ?)")
        params.append(like)
    elif len(pks) == 1:
        cond.append(f"{col} = ?")
        params.append(pks[0])
    else:  # none: the condition matches nothing ("IN ()" is not SQL)
        cond.append(f"{col} IN ({', '.join('?' for _ in pks) or 'NULL'})")
        params += pks
    return len(pks) <= 1


def _links_only(store: Store, f: dict[str, Any]) -> tuple[str, str, list[Any], bool] | None:
    """For filters whose sides are only stored actors (ids or name words, no country code), with days
    and a type: (link table, its condition on alias ``d``, parameters, one row per cluster at most),
    else None. One side reads ``event_actors``, both ``event_actor_pairs``."""
    if f.get("status") or f.get("text"):
        return None
    actor, recipient = f.get("actor"), f.get("recipient")
    if not (actor or recipient) or any(v and _COUNTRY.match(v) for v in (actor, recipient)):
        return None
    cond: list[str] = []
    params: list[Any] = []
    if actor and recipient:
        table = "event_actor_pairs"
        unique = _side_term(store, "d.actor_pk", actor, cond, params)
        unique = _side_term(store, "d.recipient_pk", recipient, cond, params) and unique
    else:
        table = "event_actors"
        role, value = ("actor", actor) if actor else ("recipient", recipient)
        cond.append("d.role = ?")
        params.append(role)
        unique = _side_term(store, "d.actor_pk", value, cond, params)
    typ, since, until = f.get("type"), _check_date("since", f.get("since")), _check_date("until", f.get("until"))
    for term, val in (("d.type = ?", typ.upper() if typ else None), ("d.day >= ?", since), ("d.day <= ?", until)):
        if val:
            cond.append(term)
            params.append(val)
    if not f.get("include_background"):
        cond.append("d.background = 0")
    return table, " AND ".join(cond), params, unique


def background_count(store: Store) -> int:
    """How many event clusters are background."""
    return int(store.scalar("SELECT COUNT(*) FROM events WHERE background = 1"))


def _event_page(store: Store, where: str, wp: list[Any], limit: int, offset: int) -> list[EventCluster]:
    glue = " AND " if where else " WHERE "
    if store.backend == "postgresql":
        # the page's ids first, from the (day, pk) index entries, then only its rows: PostgreSQL otherwise
        # reads every row the offset skips (SQLite's index entries hold the pk: it skips them there)
        pks = [int(r[0]) for r in store.query(
            f"SELECT e.pk FROM events e{where}{glue}e.day IS NOT NULL ORDER BY e.day, e.pk LIMIT ? OFFSET ?",
            [*wp, limit, offset])]
        rows = _rows_in_order(store, pks)
    else:
        rows = store.query(f"SELECT {_EVENT_COLS} FROM events e{where}{glue}e.day IS NOT NULL ORDER BY e.day, e.pk "
                           "LIMIT ? OFFSET ?", [*wp, limit, offset])
    if len(rows) < limit:
        known = int(store.scalar(f"SELECT COUNT(*) FROM events e{where}{glue}e.day IS NOT NULL", wp))
        rows += store.query(f"SELECT {_EVENT_COLS} FROM events e{where}{glue}e.day IS NULL ORDER BY e.pk "
                            "LIMIT ? OFFSET ?", [*wp, limit - len(rows), max(0, offset - known)])
    return _clusters(store, rows)


def _dyad_only(f: dict[str, Any]) -> tuple[str, str, list[Any], bool] | None:
    """For filters that are only country codes (one side or both), days and a type: (``event_dyads``,
    its condition on alias ``d``, parameters, one row per cluster at most), else None. The
    dashboard's clicks on states and pairs are such queries."""
    if f.get("status") or f.get("text"):
        return None
    sides = [f[k] for k in ("actor", "recipient") if f.get(k)]
    if not sides or not all(_COUNTRY.match(v) for v in sides):
        return None
    cond, params = _dyad_condition(f.get("actor"), f.get("recipient"), f.get("since"), f.get("until"), prefix="d.",
                                   include_background=bool(f.get("include_background")), type=f.get("type"))
    return "event_dyads", cond, params, len(sides) == 2


def _link_count(store: Store, table: str, cond: str, params: list[Any], unique: bool) -> int:
    """How many clusters have a row of link ``table`` (alias ``d``) matching ``cond``. Rows of one
    cluster share its day, so where a cluster may have several (a country with two recipient
    countries, name words matching two actors) they are grouped by (day, event_pk), the order of
    the covering indexes: no sort, unlike ``COUNT(DISTINCT event_pk)`` (a busy country on
    1,000,000 events in SQLite: 26 -> 9 ms)."""
    if unique:
        return int(store.scalar(f"SELECT COUNT(*) FROM {table} d WHERE {cond}", params))
    return int(store.scalar(f"SELECT COUNT(*) FROM (SELECT d.day FROM {table} d WHERE {cond} "
                            "GROUP BY d.day, d.event_pk) g", params))


def _link_page(store: Store, links: tuple[str, str, list[Any], bool], limit: int, offset: int,
               total: int | None = None):
    """A page and the total of :func:`event_page` from a link table (see :func:`_dyad_only`,
    :func:`_links_only`): the page's cluster ids in (day, id) order from the index entries, the
    unknown days after, by id; then those clusters' rows. ``total``: the number of matches when
    known already (:func:`_counted_total`), else counted on the link table."""
    table, cond, params, unique = links  # table names from a fixed list
    if total is None:
        total = _link_count(store, table, cond, params, unique)
    pick = "d.day, d.event_pk" if unique else "DISTINCT d.day, d.event_pk"
    pks = [int(r[1]) for r in store.query(
        f"SELECT {pick} FROM {table} d WHERE {cond} AND d.day IS NOT NULL "
        "ORDER BY d.day, d.event_pk LIMIT ? OFFSET ?", [*params, limit, offset])]
    if len(pks) < limit:
        known = _link_count(store, table, cond + " AND d.day IS NOT NULL", params, unique)
        pick = "d.event_pk" if unique else "DISTINCT d.event_pk"
        pks += [int(r[0]) for r in store.query(
            f"SELECT {pick} FROM {table} d WHERE {cond} AND d.day IS NULL ORDER BY d.event_pk "
            "LIMIT ? OFFSET ?", [*params, limit - len(pks), max(0, offset - known)])]
    return _clusters(store, _rows_in_order(store, pks)), total


def _rows_in_order(store: Store, pks: list[int]) -> list[tuple]:
    """The events rows (:data:`_EVENT_COLS`) of clusters ``pks``, in that order."""
    if not pks:
        return []
    rank = {pk: i for i, pk in enumerate(pks)}
    rows = store.query(f"SELECT {_EVENT_COLS} FROM events e WHERE e.pk IN ({', '.join('?' for _ in pks)})", pks)
    rows.sort(key=lambda r: rank[int(r[0])])
    return rows


def mentions(store: Store, event_id: int):
    """Every article sentence that reported event cluster ``event_id``."""
    return store.event_mentions(event_id)


def actors(store: Store, name: str | None = None, country: str | None = None, kind: str | None = None,
           sector: str | None = None, limit: int | None = 100, offset: int = 0) -> list[StoredActor]:
    """Stored actors, most mentioned first; ``name`` is a case-insensitive substring."""
    where, params = [], []
    if name:
        where.append("LOWER(name) LIKE ?")
        params.append("%" + name.lower() + "%")
    for col, val in (("country", country and country.upper()), ("kind", kind and kind.lower()),
                     ("sector", sector and sector.upper())):
        if val:
            where.append(f"{col} = ?")  # column names from a fixed list
            params.append(val)
    sql = "SELECT pk, key, name, kind, country, sector, mentions, articles FROM actors"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY mentions DESC, pk"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return [StoredActor(int(r[0]), *r[1:6], mentions=int(r[6]), articles=int(r[7])) for r in store.query(sql, params)]


def actor_event_counts(store: Store, actor_ids: list[int],
                       include_background: bool = False) -> dict[int, tuple[int, int, int]]:
    """For stored actor ids: (events, as actor, as recipient), counting event clusters (background
    ones only with ``include_background``); an actor in no event is left out."""
    bg = "" if include_background else " AND e.background = 0"
    out: dict[int, list[int]] = {}
    ids = sorted(set(actor_ids))
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ", ".join("?" for _ in part)
        base = (f"FROM event_actors ea JOIN events e ON e.pk = ea.event_pk WHERE ea.actor_pk IN ({marks}){bg} "
                "GROUP BY ea.actor_pk")
        for pk, n in store.query(f"SELECT ea.actor_pk, COUNT(DISTINCT ea.event_pk) {base}", part):
            out.setdefault(int(pk), [0, 0, 0])[0] = int(n)
        for pk, role, n in store.query(f"SELECT ea.actor_pk, ea.role, COUNT(*) {base}, ea.role", part):
            out[int(pk)][1 if role == "actor" else 2] = int(n)
    return {pk: (n, a, r) for pk, (n, a, r) in out.items()}


def quotes(store: Store, speaker: str | None = None, limit: int | None = 100, offset: int = 0) -> list[StoredQuote]:
    """Stored quotes; ``speaker`` matches the speaker actor's name or the quoted speaker words."""
    sql = ("SELECT q.pk, ar.id, q.text, q.kind, q.speaker_pk, a.name, q.speaker_text, q.cue, ar.source, "
           "ar.published FROM quotes q JOIN articles ar ON ar.pk = q.article_pk "
           "LEFT JOIN actors a ON a.pk = q.speaker_pk")
    params: list[Any] = []
    if speaker:
        sql += " WHERE LOWER(a.name) LIKE ? OR LOWER(q.speaker_text) LIKE ?"
        params += ["%" + speaker.lower() + "%"] * 2
    sql += " ORDER BY q.pk"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return [StoredQuote(*r) for r in store.query(sql, params)]


def _period(day: str, by: str) -> str:
    if by == "day":
        return day
    if by == "month":
        return day[:7]
    y, w, _ = date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"


QUAD_KEYS = tuple(q.replace(" ", "_") for q in QUADS)


def tally(count_key: str = "events", **fields) -> dict[str, Any]:
    """An empty tally: ``fields``, a count, a count per quad class and (private) the intensity sum."""
    return {**fields, count_key: 0, **dict.fromkeys(QUAD_KEYS, 0), "_sum": 0.0, "_n": 0}


def tally_add(row: dict[str, Any], quad: str | None, n, intensity_sum, intensity_n, count_key: str = "events") -> None:
    """Add one ``GROUP BY ... quad`` row: ``n`` events, their intensity sum and how many had one."""
    row[count_key] += int(n)
    if quad in QUADS:
        row[quad.replace(" ", "_")] += int(n)
    row["_sum"] += float(intensity_sum or 0.0)
    row["_n"] += int(intensity_n)


def tally_mean(row: dict[str, Any]) -> float | None:
    """Remove the private sums; the mean intensity (None when no event had one)."""
    s, n = row.pop("_sum"), row.pop("_n")
    return round(s / n, 3) if n else None


def dyads(store: Store, by: str = "month", actor: str | None = None, recipient: str | None = None,
          since: str | None = None, until: str | None = None,
          include_background: bool = False) -> list[dict[str, Any]]:
    """Per directed country pair and period: event counts by quad class and mean intensity
    (background events only with ``include_background``)."""
    if by not in ("day", "week", "month"):
        raise ConfigError(f"--by {by!r}: use day, week or month")
    since, until = _check_date("since", since), _check_date("until", until)
    where = ["d.actor_country <> ''", "d.recipient_country <> ''", "d.day IS NOT NULL"]
    if not include_background:
        where.append("d.background = 0")
    params: list[Any] = []
    for col, val in (("d.actor_country", actor), ("d.recipient_country", recipient)):
        if val:
            where.append(f"{col} = ?")
            params.append(val.upper())
    if since:
        where.append("d.day >= ?")
        params.append(since)
    if until:
        where.append("d.day <= ?")
        params.append(until)
    sql = ("SELECT d.day, d.actor_country, d.recipient_country, e.quad, COUNT(*), SUM(e.intensity), "
           "COUNT(e.intensity) FROM event_dyads d JOIN events e ON e.pk = d.event_pk WHERE "
           + " AND ".join(where) + " GROUP BY d.day, d.actor_country, d.recipient_country, e.quad")
    agg: dict[tuple[str, str, str], dict[str, Any]] = {}
    for day, a, r, quad, n, s, ni in store.query(sql, params):
        key = (_period(day, by), a, r)
        if key not in agg:
            agg[key] = tally(period=key[0], actor=a, recipient=r)
        tally_add(agg[key], quad, n, s, ni)
    out = []
    for key in sorted(agg):
        row = agg[key]
        row["mean_intensity"] = tally_mean(row)
        out.append(row)
    return out


def stats(store: Store) -> dict[str, int]:
    """Counts: articles, events (clusters, background ones included), background events (of those,
    the ones queries leave out by default), actors, quotes, and more."""
    return {"articles": store.count("articles"), "events": store.count("events"),
            "background_events": background_count(store),
            "actors": store.count("actors"), "quotes": store.count("quotes"),
            "event_mentions": store.count("event_mentions"), "places": store.count("places"),
            "failures": store.count("failures")}


# --------------------------------------------------------------------------- exports

FLAT_COLUMNS = ("id", "type", "mode", "status", "date", "date_precision", "day", "background", "actor_countries",
                "recipient_countries", "actors", "recipients", "actor_names", "recipient_names", "intensity",
                "quad", "cameo", "trigger", "evidence", "location", "mentions", "sources", "articles",
                "first_seen", "last_seen", "source_url")

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{i}{c}" for i in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"{p}Geo_{c}" for p in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)


def iter_events(store: Store, batch: int = 5000, include_background: bool = False) -> Iterator[EventCluster]:
    """Every event cluster (background ones only with ``include_background``) in id order, in pages
    (for exports of large stores)."""
    names = {int(pk): name for pk, name in store.query("SELECT pk, name FROM actors")}
    bg = "" if include_background else " AND e.background = 0"
    last = 0
    while True:
        rows = store.query(f"SELECT {_EVENT_COLS} FROM events e WHERE e.pk > ?{bg} ORDER BY e.pk LIMIT ?",
                           (last, batch))
        if not rows:
            return
        yield from _clusters(store, rows, names)
        last = int(rows[-1][0])


def _flat(ev: EventCluster) -> dict[str, Any]:
    d = ev.to_dict()
    for k in ("actor_countries", "recipient_countries", "actors", "recipients", "actor_names", "recipient_names"):
        d[k] = ";".join(str(x) for x in d[k])
    d["location"] = ev.location["name"] if ev.location else None
    return d


def _open_text(out: str | Path | IO[str] | None):
    if out is None or out == "-":
        return sys.stdout, False
    if isinstance(out, (str, Path)):
        return open(out, "w", encoding="utf-8", newline=""), True
    return out, False


def export(store: Store, format: str, out: str | Path | IO | None = None, include_background: bool = False) -> int:
    """Write the store as ``format`` (csv, jsonl, parquet, graphml, gdelt) to ``out``; return rows written.
    Background events are left out (of the graph's edges and nodes too) unless ``include_background``."""
    fmt = format.lower()
    if fmt == "parquet":
        return _export_parquet(store, out, include_background)
    writers = {"csv": _export_csv, "jsonl": _export_jsonl, "graphml": _export_graphml, "gdelt": _export_gdelt}
    if fmt not in writers:
        raise ConfigError(f"export format {format!r}: use csv, jsonl, parquet, graphml or gdelt")
    fh, close = _open_text(out)
    try:
        return writers[fmt](store, fh, include_background)
    finally:
        if close:
            fh.close()


def _export_csv(store: Store, fh: IO[str], include_background: bool = False) -> int:
    w = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
    w.writeheader()
    n = 0
    for ev in iter_events(store, include_background=include_background):
        w.writerow(_flat(ev))
        n += 1
    return n


def _export_jsonl(store: Store, fh: IO[str], include_background: bool = False) -> int:
    n = 0
    for ev in iter_events(store, include_background=include_background):
        d = ev.to_dict()
        d["mentions_in"] = [{"article": m.article_id, "source": m.source, "url": m.url, "event": m.local_id,
                             "sentence": m.sentence, "trigger": m.trigger, "evidence": m.evidence}
                            for m in store.event_mentions(ev.pk)]
        fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    return n


def _export_parquet(store: Store, out: str | Path | IO | None, include_background: bool = False) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if out is None or out == "-":
        raise ConfigError("parquet is binary: give an output file with --out FILE")
    cols: dict[str, list[Any]] = {c: [] for c in FLAT_COLUMNS}
    for ev in iter_events(store, include_background=include_background):
        for k, v in _flat(ev).items():
            if k in cols:
                cols[k].append(v)
    schema = pa.schema([(c, pa.int64() if c in ("id", "mentions", "sources", "articles")
                         else pa.float64() if c == "intensity" else pa.bool_() if c == "background"
                         else pa.string()) for c in FLAT_COLUMNS])
    table = pa.table(cols, schema=schema)
    pq.write_table(table, out)
    return table.num_rows


def _export_graphml(store: Store, fh: IO[str], include_background: bool = False) -> int:
    """Actor network: nodes are actors in events, edges actor -> recipient (count, mean intensity)."""
    edges: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    bg = "" if include_background else " AND e.background = 0"
    rows = store.query("SELECT a.actor_pk, r.actor_pk, e.intensity FROM event_actors a "
                       "JOIN event_actors r ON r.event_pk = a.event_pk AND r.role = 'recipient' "
                       "JOIN events e ON e.pk = a.event_pk WHERE a.role = 'actor' AND a.actor_pk <> r.actor_pk" + bg)
    for a, r, inten in rows:
        e = edges[(int(a), int(r))]
        e[0] += 1
        if inten is not None:
            e[1] += float(inten)
            e[2] += 1
    node_ids = {n for pair in edges for n in pair}
    node_ids |= {int(r[0]) for r in store.query("SELECT DISTINCT ea.actor_pk FROM event_actors ea "
                                                "JOIN events e ON e.pk = ea.event_pk WHERE 1 = 1" + bg)}
    nodes = {int(r[0]): r for r in store.query("SELECT pk, name, kind, country, sector, mentions FROM actors")
             if int(r[0]) in node_ids}
    w = fh.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n'
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for key, dom, name, typ in (("label", "node", "label", "string"), ("kind", "node", "kind", "string"),
                                ("country", "node", "country", "string"), ("sector", "node", "sector", "string"),
                                ("mentions", "node", "mentions", "int"), ("weight", "edge", "weight", "int"),
                                ("events", "edge", "events", "int"),
                                ("mean_intensity", "edge", "mean_intensity", "double")):
        w(f'  <key id="{key}" for="{dom}" attr.name="{name}" attr.type="{typ}"/>\n')
    w('  <graph id="dyads" edgedefault="directed">\n')

    def data(k: str, v: Any) -> str:
        return "" if v is None else f'<data key="{k}">{escape(str(v))}</data>'

    for pk in sorted(nodes):
        _, name, kind, country, sector, mentions_n = nodes[pk]
        w(f'    <node id={quoteattr("a" + str(pk))}>{data("label", name)}{data("kind", kind)}'
          f'{data("country", country)}{data("sector", sector)}{data("mentions", mentions_n)}</node>\n')
    n = 0
    for (a, r), (count, s, ni) in sorted(edges.items()):
        if a not in nodes or r not in nodes:
            continue
        mean = round(s / ni, 3) if ni else None
        w(f'    <edge id="e{n}" source="a{a}" target="a{r}">{data("weight", count)}{data("events", count)}'
          f'{data("mean_intensity", mean)}</edge>\n')
        n += 1
    w("  </graph>\n</graphml>\n")
    return n


_QUAD_CLASS = {q: i + 1 for i, q in enumerate(QUADS)}


def _gdelt_row(ev: EventCluster, actors_by_pk: dict[int, tuple], root: bool) -> dict[str, Any]:
    row: dict[str, Any] = {c: "" for c in GDELT_COLUMNS}
    day = ev.day
    row["GLOBALEVENTID"] = ev.pk
    if day:
        d = date.fromisoformat(day)
        row.update(SQLDATE=d.strftime("%Y%m%d"), MonthYear=d.strftime("%Y%m"), Year=d.year,
                   FractionDate=f"{d.year + (d.month * 30 + d.day) / 365:.4f}")
    for i, ids in ((1, ev.actors), (2, ev.recipients)):
        if not ids:
            continue
        _, name, _kind, country, sector = actors_by_pk.get(ids[0], (None, "", None, None, None))
        p = f"Actor{i}"
        row[p + "Code"] = (country or "") + (sector or "")
        row[p + "Name"] = (name or "").upper()
        row[p + "CountryCode"] = country or ""
        if sector:
            row[p + "Type1Code"] = sector
        if sector in ("IGO", "NGO") and not country:
            row[p + "KnownGroupCode"] = sector
    code = ev.cameo or ""
    row.update(IsRootEvent=1 if root else 0, EventCode=code, EventBaseCode=code, EventRootCode=code[:2],
               QuadClass=_QUAD_CLASS.get(ev.quad or "", ""),
               GoldsteinScale="" if ev.intensity is None else ev.intensity,
               NumMentions=ev.mentions, NumSources=ev.sources, NumArticles=ev.articles, SOURCEURL=ev.source_url or "")
    if ev.location:
        loc = ev.location
        row.update(ActionGeo_Type=4 if loc.get("lat") is not None else 1, ActionGeo_FullName=loc.get("name") or "",
                   ActionGeo_CountryCode=loc.get("country") or "",
                   ActionGeo_Lat="" if loc.get("lat") is None else loc["lat"],
                   ActionGeo_Long="" if loc.get("lon") is None else loc["lon"])
    if ev.first_seen:
        row["DATEADDED"] = ev.first_seen.replace("-", "")[:8] + "000000"
    return row


def _export_gdelt(store: Store, fh: IO[str], include_background: bool = False) -> int:
    actors_by_pk = {int(r[0]): r for r in store.query("SELECT pk, name, kind, country, sector FROM actors")}
    roots = {int(pk) for pk, s in store.query("SELECT event_pk, MIN(sentence) FROM event_mentions "
                                              "GROUP BY event_pk") if s is not None and int(s) == 0}
    w = csv.DictWriter(fh, fieldnames=GDELT_COLUMNS, delimiter="\t", lineterminator="\n")
    w.writeheader()
    n = 0
    for ev in iter_events(store, include_background=include_background):
        w.writerow(_gdelt_row(ev, actors_by_pk, ev.pk in roots))
        n += 1
    return n


def to_dataframe(rows: list[Any]):
    """A pandas DataFrame of query results (needs pandas, which dyads does not install)."""
    import pandas as pd

    return pd.DataFrame([r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in rows])


def format_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> str:
    """Rows as an aligned text table, CSV or JSON (used by the CLI)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(r.get(k)) for k in columns})
        return buf.getvalue()
    cells = [[_cell(r.get(c), 60) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(columns)).rstrip()]
    lines += ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _cell(v: Any, width: int | None = None) -> str:
    if v is None:
        s = ""
    elif isinstance(v, (list, tuple)):
        s = ";".join(str(x) for x in v)
    elif isinstance(v, dict):
        s = v.get("name") or json.dumps(v)
    else:
        s = str(v)
    s = s.replace("\n", " ")
    if width and len(s) > width:
        s = s[: width - 1] + "…"
    return s
