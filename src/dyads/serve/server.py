"""``dyads serve``: a JSON API over the corpus store (standard library only).

Endpoints (all JSON; every error is ``{"error": {"status": int, "message": str}}``):

* ``GET /api/events`` — the CLI's filters (actor, recipient, type, status, since, until, text)
  plus ``limit`` (default 50, at most 500) and ``offset``; ``{"items", "limit", "offset", "count",
  "total"}`` where ``count`` is the number of items in this page and ``total`` all matches.
* ``GET /api/events/{id}`` — ``{"event", "mentions", "articles"}``: the cluster, every sentence
  that reported it (with its article) and those articles (title, source, url, published).
* ``GET /api/articles/{id}`` — the stored contract JSON of one article (text, spans ...).
* ``GET /api/actors``, ``GET /api/quotes``, ``GET /api/dyads``, ``GET /api/stats``.
* ``GET /api/graph`` — actor network for the event filters: nodes (actors with event counts) and
  directed edges actor -> recipient with count, mean intensity and cooperation/conflict shares.
* ``POST /api/extract`` — ``{"text", "published"?, "source"?, "url"?, "title"?}`` -> contract
  JSON; nothing stored.
* ``POST /api/articles`` — ingest one article (same body). Only with ``Authorization: Bearer
  <token>`` equal (constant-time) to the configured token (``$DYADS_TOKEN``); with no token
  configured the server is read-only (403); a missing or wrong token is 401.
* ``GET /api/timeline`` — events matching the filters per period (quad counts, mean intensity).
* Background events (dated more than a year before every article that reported them) are left
  out of ``/api/events``, ``/api/dyads``, ``/api/graph`` and ``/api/timeline`` unless
  ``include_background=1``; ``/api/events/{id}`` shows any event.
* ``GET /api/openapi.json`` (OpenAPI 3.0) and ``GET /docs`` (plain HTML, no external asset).
* ``GET /`` — the dashboard (``src/dyads/serve/web``: one HTML page, one script, one stylesheet, all
  served from here, no CDN): network, pair timeline, event table, event page, paste-an-article.

Safety: binds 127.0.0.1 by default; request bodies above ``max_body`` bytes are refused (413)
unread; SQL is parameterised (through :mod:`dyads.query`); CORS headers only when an origin
is configured; ``nosniff`` and ``Content-Security-Policy: default-src 'self'`` on every
response; unexpected errors are logged to stderr and answered with a generic 500.

Concurrency: a ``ThreadingHTTPServer``; each request borrows a store connection from a small
pool; writes (``POST /api/articles``) are serialised by a lock (one writer) and extraction by
another (the spaCy pipeline is shared). The list and aggregate endpoints (events, actors, quotes,
dyads, graph) keep their encoded answers in a small LRU cache keyed by the query parameters and
the store's highest event, event-mention and article ids, so any ingest (here or by another
process) invalidates it; one computation per key runs at a time.
"""
from __future__ import annotations

import argparse
import hmac
import html
import json
import os
import queue
import re
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import __version__
from ..errors import ConfigError, DyadsError, InputTooLargeError, StoreError, check_date

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_GRAPH_EDGES = 5000
STATUSES = ("asserted", "future", "hypothetical", "negated")
COOPERATION = ("verbal cooperation", "material cooperation")
CONFLICT = ("verbal conflict", "material conflict")
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    # the dashboard loads only its own script and stylesheet; no inline script or style, no plugin,
    # no framing, no form posting elsewhere: hostile text in an article has nothing to run with
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
_EVENT_ID = re.compile(r"^/api/events/(\d{1,18})$")
_ARTICLE_ID = re.compile(r"^/api/articles/([^/]{1,200})$")


class ApiError(Exception):
    """An error answered to the client as ``{"error": {"status", "message"}}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.headers = headers or {}


# --------------------------------------------------------------------------- store pool


class _StorePool:
    """Store connections shared by the handler threads (one connection per concurrent request)."""

    def __init__(self, db: str, size: int = 16):
        from ..store import open_store

        self.db = db
        self._open = open_store
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self.size = size
        self._idle.put(open_store(db))  # fail fast on a bad --db, and migrate once

    @contextmanager
    def store(self) -> Iterator[Any]:
        try:
            s = self._idle.get_nowait()
        except queue.Empty:
            s = self._open(self.db)
        ok = False
        try:
            yield s
            ok = True
        finally:
            if ok and self._idle.qsize() < self.size:
                self._idle.put(s)
            else:  # after an error the connection may be in a bad state: drop it
                s.close()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


# --------------------------------------------------------------------------- parameters


def _one(params: dict[str, str], name: str) -> str | None:
    v = params.get(name)
    if v is None:
        return None
    v = v.strip()
    return v or None


def _int(params: dict[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = _one(params, name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ApiError(400, f"{name} {raw!r} is not a whole number: use {lo}..{hi}")
    n = int(raw)
    if not lo <= n <= hi:
        raise ApiError(400, f"{name} {n} is out of range: use {lo}..{hi}")
    return n


def _date(params: dict[str, str], name: str) -> str | None:
    return check_date(_one(params, name), name)


def _flag(params: dict[str, str], name: str) -> bool:
    raw = (_one(params, name) or "0").lower()
    if raw not in ("0", "1", "true", "false"):
        raise ApiError(400, f"{name} {raw[:40]!r}: use 1 or 0")
    return raw in ("1", "true")


def _event_filters(params: dict[str, str]) -> dict[str, Any]:
    status = _one(params, "status")
    if status and status.lower() not in STATUSES:
        raise ApiError(400, f"status {status!r}: use one of {', '.join(STATUSES)}")
    typ = _one(params, "type")
    if typ and not re.fullmatch(r"[A-Za-z_]{1,40}", typ):
        raise ApiError(400, f"type {typ!r} is not a PLOVER type name (e.g. AID, ASSAULT)")
    return {"actor": _one(params, "actor"), "recipient": _one(params, "recipient"), "type": typ,
            "status": status, "since": _date(params, "since"), "until": _date(params, "until"),
            "text": _one(params, "text"), "include_background": _flag(params, "include_background")}


def _echo(f: dict[str, Any]) -> dict[str, Any]:
    """The filters given (not the defaults), as answered back in ``filters``."""
    return {k: v for k, v in f.items() if v is not None and v is not False}


# --------------------------------------------------------------------------- endpoint logic


def list_events(store, params: dict[str, str]) -> dict[str, Any]:
    from .. import query

    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    items, total = query.event_page(store, limit, offset, **_event_filters(params))
    return {"items": [e.to_dict() for e in items], "limit": limit, "offset": offset, "count": len(items),
            "total": total}


def _articles_by_id(store, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for aid in ids:
        if aid in out:
            continue
        rows = store.query("SELECT id, title, source, url, published FROM articles WHERE id = ? ORDER BY pk "
                           "LIMIT 1", (aid,))
        if rows:
            r = rows[0]
            out[aid] = {"id": r[0], "title": r[1], "source": r[2], "url": r[3], "published": r[4]}
    return out


def event_detail(store, pk: int) -> dict[str, Any]:
    from .. import query

    rows = store.query(f"SELECT {query._EVENT_COLS} FROM events e WHERE e.pk = ?", (pk,))
    if not rows:
        raise ApiError(404, f"no event with id {pk}")
    ev = query._clusters(store, rows)[0]
    ms = query.mentions(store, pk)
    arts = _articles_by_id(store, [m.article_id for m in ms])
    mentions = [{"article": m.article_id, "source": m.source, "url": m.url, "event": m.local_id,
                 "sentence": m.sentence, "trigger": m.trigger, "evidence": m.evidence, "status": m.status,
                 "date": m.date, "article_title": (arts.get(m.article_id) or {}).get("title"),
                 "published": (arts.get(m.article_id) or {}).get("published")} for m in ms]
    return {"event": ev.to_dict(), "mentions": mentions, "articles": list(arts.values())}


def article_detail(store, article_id: str) -> dict[str, Any]:
    res = store.article_result(article_id)
    if res is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    return res.to_dict()


def list_actors(store, params: dict[str, str]) -> dict[str, Any]:
    from .. import query

    kind = _one(params, "kind")
    if kind and kind.lower() not in ("person", "organization", "state", "group"):
        raise ApiError(400, f"kind {kind!r}: use person, organization, state or group")
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    items = query.actors(store, name=_one(params, "name"), country=_one(params, "country"), kind=kind,
                         sector=_one(params, "sector"), limit=limit, offset=offset)
    return {"items": [a.to_dict() for a in items], "limit": limit, "offset": offset, "count": len(items)}


def list_quotes(store, params: dict[str, str]) -> dict[str, Any]:
    from .. import query

    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    items = query.quotes(store, speaker=_one(params, "speaker"), limit=limit, offset=offset)
    return {"items": [q.to_dict() for q in items], "limit": limit, "offset": offset, "count": len(items)}


def list_dyads(store, params: dict[str, str]) -> dict[str, Any]:
    from .. import query

    by = _one(params, "by") or "month"
    if by not in ("day", "week", "month"):
        raise ApiError(400, f"by {by!r}: use day, week or month")
    actor, recipient = _one(params, "actor"), _one(params, "recipient")
    for name, v in (("actor", actor), ("recipient", recipient)):
        if v and not re.fullmatch(r"[A-Za-z]{3}", v):
            raise ApiError(400, f"{name} {v!r} is not a three-letter country code (e.g. RUS)")
    items = query.dyads(store, by=by, actor=actor, recipient=recipient, since=_date(params, "since"),
                        until=_date(params, "until"), include_background=_flag(params, "include_background"))
    return {"items": items, "by": by, "count": len(items)}


def _node_key(alias: str) -> str:
    """SQL for an actor's node in the state-level graph: its country, else the actor's own id."""
    return (f"CASE WHEN COALESCE({alias}.country, '') <> '' THEN {alias}.country "
            f"ELSE CAST({alias}.pk AS TEXT) END")


def _edge_record(source: Any, target: Any, e: dict[str, Any]) -> dict[str, Any]:
    from .. import query

    mean = query.tally_mean(e)
    coop = sum(e[q.replace(" ", "_")] for q in COOPERATION)
    conf = sum(e[q.replace(" ", "_")] for q in CONFLICT)
    classified = coop + conf
    return {"id": f"{source}-{target}", "source": source, "target": target, **e,
            "mean_intensity": mean,
            "cooperation": round(coop / classified, 3) if classified else None,
            "conflict": round(conf / classified, 3) if classified else None}


def _aggregate_edges(rows) -> dict[tuple[Any, Any], dict[str, Any]]:
    from .. import query

    agg: dict[tuple[Any, Any], dict[str, Any]] = {}
    for a, r, quad, n, s, ni in rows:
        if (a, r) not in agg:
            agg[(a, r)] = query.tally("count")
        query.tally_add(agg[(a, r)], quad, n, s, ni, count_key="count")
    return agg


def state_graph(store, f: dict[str, Any], limit: int) -> dict[str, Any]:
    """The network of states and organisations: an actor with a country counts as its state (a minister
    is his government, a crowd its country); an actor without one (the UN, a rebel group) is its own
    node. Node ids are what ``/api/events`` takes as ``actor``/``recipient``: a country code or an
    actor id; an edge counts each event once however many of its actors share the pair.
    """
    from .. import query
    from ..gazetteer import base

    where, wp = query._event_where(**f)
    rows = store.query(
        f"SELECT s, t, quad, COUNT(*), SUM(intensity), COUNT(intensity) FROM (SELECT DISTINCT e.pk, e.quad, "
        f"e.intensity, {_node_key('aa')} AS s, {_node_key('ra')} AS t FROM events e "
        "JOIN event_actors a ON a.event_pk = e.pk AND a.role = 'actor' JOIN actors aa ON aa.pk = a.actor_pk "
        "JOIN event_actors r ON r.event_pk = e.pk AND r.role = 'recipient' JOIN actors ra ON ra.pk = r.actor_pk"
        + where + ") x WHERE s <> t GROUP BY s, t, quad", wp)
    ranked = sorted(_aggregate_edges(rows).items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    edges = [_edge_record(a, r, e) for (a, r), e in ranked[:limit]]
    keys = sorted({x for e in edges for x in (e["source"], e["target"])})
    counts: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}
    gaz = base()
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        marks = ", ".join("?" for _ in part)
        ncond = (where + " AND " if where else " WHERE ") + f"{_node_key('ac')} IN ({marks})"
        for k, n in store.query(f"SELECT {_node_key('ac')}, COUNT(DISTINCT e.pk) FROM events e JOIN event_actors "
                                "ea ON ea.event_pk = e.pk JOIN actors ac ON ac.pk = ea.actor_pk" + ncond
                                + f" GROUP BY {_node_key('ac')}", [*wp, *part]):
            counts[str(k)] = int(n)
        pks = [int(k) for k in part if k.isdigit()]
        if pks:
            for pk, name, kind in store.query(f"SELECT pk, name, kind FROM actors WHERE pk IN "
                                              f"({', '.join('?' for _ in pks)})", pks):
                names[str(pk)] = (name, kind)
    nodes = []
    for k in keys:
        if k in names:
            name, kind = names[k]
            nodes.append({"id": k, "name": name, "kind": kind, "country": None})
        else:
            nodes.append({"id": k, "name": gaz.country_name(k) or k, "kind": "state", "country": k})
        nodes[-1]["count"] = counts.get(k, 0)
    nodes.sort(key=lambda n: (-n["count"], n["id"]))
    return {"level": "state", "nodes": nodes, "edges": edges, "truncated": len(ranked) > limit,
            "filters": _echo(f)}


def graph(store, params: dict[str, str]) -> dict[str, Any]:
    """Actor network of the events matching the filters (see the module docstring).

    ``level=actor`` (default): one node per merged actor; ``level=state``: see :func:`state_graph`.
    """
    from .. import query

    f = _event_filters(params)
    limit = _int(params, "limit", 1000, 1, MAX_GRAPH_EDGES)
    level = _one(params, "level") or "actor"
    if level not in ("actor", "state"):
        raise ApiError(400, f"level {level!r}: use actor (one node per actor) or state (states and organisations)")
    if level == "state":
        return state_graph(store, f, limit)
    where, wp = query._event_where(**f)
    cond = (where + " AND " if where else " WHERE ") + "a.actor_pk <> r.actor_pk"
    rows = store.query(
        "SELECT a.actor_pk, r.actor_pk, e.quad, COUNT(*), SUM(e.intensity), COUNT(e.intensity) FROM events e "
        "JOIN event_actors a ON a.event_pk = e.pk AND a.role = 'actor' "
        "JOIN event_actors r ON r.event_pk = e.pk AND r.role = 'recipient'" + cond
        + " GROUP BY a.actor_pk, r.actor_pk, e.quad", wp)
    agg = _aggregate_edges((int(a), int(r), quad, n, s, ni) for a, r, quad, n, s, ni in rows)
    ranked = sorted(agg.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    truncated = len(ranked) > limit
    edges = [_edge_record(a, r, e) for (a, r), e in ranked[:limit]]
    node_ids = sorted({x for e in edges for x in (e["source"], e["target"])})
    counts: dict[int, int] = {}
    nodes = []
    for i in range(0, len(node_ids), 500):
        part = node_ids[i:i + 500]
        marks = ", ".join("?" for _ in part)
        ncond = (where + " AND " if where else " WHERE ") + f"ea.actor_pk IN ({marks})"
        for pk, n in store.query("SELECT ea.actor_pk, COUNT(DISTINCT e.pk) FROM events e JOIN event_actors ea "
                                 "ON ea.event_pk = e.pk" + ncond + " GROUP BY ea.actor_pk", [*wp, *part]):
            counts[int(pk)] = int(n)
        for pk, name, kind, country, sector in store.query(
                f"SELECT pk, name, kind, country, sector FROM actors WHERE pk IN ({marks})", part):
            nodes.append({"id": int(pk), "name": name, "kind": kind, "country": country, "sector": sector})
    for n in nodes:
        n["count"] = counts.get(n["id"], 0)
    nodes.sort(key=lambda n: (-n["count"], n["id"]))
    return {"level": "actor", "nodes": nodes, "edges": edges, "truncated": truncated,
            "filters": _echo(f)}


def timeline(store, params: dict[str, str]) -> dict[str, Any]:
    """Events matching the filters per period: counts by quad class and mean intensity (any actor
    filter, so a pair with an organisation has a timeline too). Periods without events are omitted."""
    from .. import query

    f = _event_filters(params)
    by = _one(params, "by") or "month"
    if by not in ("day", "week", "month"):
        raise ApiError(400, f"by {by!r}: use day, week or month")
    where, wp = query._event_where(**f)
    cond = (where + " AND " if where else " WHERE ") + "e.day IS NOT NULL"
    agg: dict[str, dict[str, Any]] = {}
    for day, quad, n, s, ni in store.query("SELECT e.day, e.quad, COUNT(*), SUM(e.intensity), COUNT(e.intensity) "
                                           f"FROM events e{cond} GROUP BY e.day, e.quad", wp):
        period = query._period(str(day), by)
        if period not in agg:
            agg[period] = query.tally(period=period)
        query.tally_add(agg[period], quad, n, s, ni)
    items = []
    for period in sorted(agg):
        row = agg[period]
        row["mean_intensity"] = query.tally_mean(row)
        items.append(row)
    return {"items": items, "by": by, "count": len(items), "filters": _echo(f)}


def _article_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, 'body must be a JSON object such as {"text": "...", "published": "2024-06-18"}')
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "'text' is required: the article as a non-empty string")
    out: dict[str, Any] = {"text": text}
    for k in ("published", "source", "url", "title", "id"):
        v = body.get(k)
        if v is not None and not isinstance(v, str):
            raise ApiError(400, f"'{k}' must be a string")
        out[k] = v or None
    unknown = sorted(set(body) - {"text", "published", "source", "url", "title", "id"})
    if unknown:
        raise ApiError(400, f"unknown field(s) {', '.join(map(repr, unknown))}: "
                            "use text, published, source, url, title, id")
    return out


# --------------------------------------------------------------------------- OpenAPI


def _param(name: str, desc: str, schema: dict[str, Any] | None = None, where: str = "query",
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": desc,
            "schema": schema or {"type": "string"}}


_FILTERS = [
    _param("actor", "actor side: country code (RUS), actor id, or words of an actor name"),
    _param("recipient", "recipient side: country code (PRK), actor id, or words of an actor name"),
    _param("type", "PLOVER event type, e.g. AID, ASSAULT"),
    _param("status", "event status", {"type": "string", "enum": list(STATUSES)}),
    _param("since", "events on or after this day (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _param("until", "events on or before this day (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _param("text", "words that must all occur in the evidence"),
    _param("include_background", "1: also background events (dated more than a year before every article "
                                 "that reported them); by default they are left out",
           {"type": "integer", "enum": [0, 1], "default": 0}),
]
_PAGE = [
    _param("limit", f"page size (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})",
           {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    _param("offset", "rows to skip", {"type": "integer", "minimum": 0, "default": 0}),
]
_ARTICLE_SCHEMA = {
    "type": "object", "required": ["text"],
    "properties": {"text": {"type": "string", "description": "article text (plain text or HTML)"},
                   "published": {"type": "string", "format": "date"}, "source": {"type": "string"},
                   "url": {"type": "string"}, "title": {"type": "string"}, "id": {"type": "string"}},
}


def _op(summary: str, params: list[dict[str, Any]] | None = None, body: bool = False, secure: bool = False,
        errors: tuple[int, ...] = (400,), ok: int = 200) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "parameters": params or [],
                          "responses": {str(ok): {"description": "OK", "content": {"application/json": {
                              "schema": {"type": "object"}}}}}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for code in errors:
        op["responses"][str(code)] = {"description": HTTPStatus(code).phrase, "content": error}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ARTICLE_SCHEMA}}}
    if secure:
        op["security"] = [{"bearer": []}]
    return op


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.0 description of the API (served at ``/api/openapi.json``)."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "dyads API", "version": __version__,
                 "description": "Sourced political event data from news articles: events, actors, quotes, "
                                "dyad time series and the actor network. Every error is "
                                '{"error": {"status": int, "message": str}}.'},
        "paths": {
            "/api/events": {"get": _op("Event clusters matching the filters, ordered by day then id; "
                                       "items, limit, offset, count (this page) and total (all matches)",
                                       _FILTERS + _PAGE)},
            "/api/events/{id}": {"get": _op("One event with every sentence that reported it and its articles",
                                            [_param("id", "event id", {"type": "integer"}, "path", True)],
                                            errors=(404,))},
            "/api/articles/{id}": {"get": _op("The stored extraction (contract JSON) of one article",
                                              [_param("id", "article id", where="path", required=True)],
                                              errors=(404,))},
            "/api/actors": {"get": _op("Actors merged across articles, most mentioned first", [
                _param("name", "name contains"), _param("country", "country code"),
                _param("kind", "actor kind", {"type": "string",
                                              "enum": ["person", "organization", "state", "group"]}),
                _param("sector", "sector code, e.g. GOV, MIL"), *_PAGE])},
            "/api/quotes": {"get": _op("Quotes with their speakers", [_param("speaker", "speaker name contains"),
                                                                      *_PAGE])},
            "/api/dyads": {"get": _op("Per directed country pair and period: events by quad class and mean "
                                      "intensity", [
                                          _param("by", "period", {"type": "string", "enum": ["day", "week", "month"],
                                                                  "default": "month"}),
                                          _param("actor", "actor country code"),
                                          _param("recipient", "recipient country code"),
                                          _FILTERS[4], _FILTERS[5], _FILTERS[7]])},
            "/api/stats": {"get": _op("Counts of articles, events, actors, quotes ...", errors=())},
            "/api/graph": {"get": _op("Actor network for the filters: nodes (actors with event counts) and "
                                      "directed edges actor -> recipient with count, mean intensity and "
                                      "cooperation/conflict shares; the events of an edge are "
                                      "/api/events?actor={source}&recipient={target}", _FILTERS + [
                                          _param("level", "actor: one node per actor; state: states and "
                                                          "organisations (an official counts as his state)",
                                                 {"type": "string", "enum": ["actor", "state"],
                                                  "default": "actor"}),
                                          _param("limit", "at most this many edges, largest first (default 1000)",
                                                 {"type": "integer", "minimum": 1, "maximum": MAX_GRAPH_EDGES})])},
            "/api/timeline": {"get": _op("Events matching the filters per period: counts by quad class and mean "
                                         "intensity (the dashboard's pair timeline)", _FILTERS + [
                                             _param("by", "period", {"type": "string",
                                                                     "enum": ["day", "week", "month"],
                                                                     "default": "month"})])},
            "/api/extract": {"post": _op("Extract one article (nothing is stored); returns the contract JSON",
                                         body=True, errors=(400, 413))},
            "/api/articles": {"post": _op("Extract and store one article (needs the bearer token)", body=True,
                                          secure=True, errors=(400, 401, 403, 413), ok=201)},
            "/api/openapi.json": {"get": _op("This description", errors=())},
        },
        "components": {
            "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["status", "message"],
                "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "the server's DYADS_TOKEN"}},
        },
    }


def docs_html(spec: dict[str, Any]) -> str:
    """A plain HTML page listing the endpoints of ``spec`` (no script, no style, no external asset)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(spec['info']['title'])}</title></head><body>",
           f"<h1>{e(spec['info']['title'])} {e(spec['info']['version'])}</h1>",
           f"<p>{e(spec['info']['description'])}</p>",
           '<p>Machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a></p>']
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op['summary'])}</p>")
            if op.get("security"):
                out.append("<p>Requires <code>Authorization: Bearer &lt;token&gt;</code>.</p>")
            if op.get("parameters"):
                out.append("<table><tr><th>parameter</th><th>in</th><th>description</th></tr>")
                for p in op["parameters"]:
                    enum = p["schema"].get("enum")
                    extra = f" ({', '.join(map(str, enum))})" if enum else ""
                    out.append(f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}</td>"
                               f"<td>{e(p['description'] + extra)}</td></tr>")
                out.append("</table>")
            if op.get("requestBody"):
                props = ", ".join(op["requestBody"]["content"]["application/json"]["schema"]["properties"])
                out.append(f"<p>JSON body with: <code>{e(props)}</code> (text required).</p>")
            codes = ", ".join(op["responses"])
            out.append(f"<p>Responses: {e(codes)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTTP


# The dashboard: every file it loads, by name (a fixed list, so no path from a request reaches the disk).
STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"}
_STATIC_CACHE: dict[str, bytes] = {}


def _static_body(name: str, ctype: str) -> tuple[bytes, str]:
    body = _STATIC_CACHE.get(name)
    if body is None:
        from importlib.resources import files

        body = files("dyads.serve").joinpath("web", name).read_bytes()
        _STATIC_CACHE[name] = body
    return body, ctype


def _encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False).encode("utf-8")


class DyadsServer(ThreadingHTTPServer):
    """The HTTP server; holds the configuration and the store pool."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections under bursts (1 s SYN retry)

    def __init__(self, addr, handler, db: str, token: str | None, cors_origin: str | None, max_body: int):
        self.pool = _StorePool(db, size=32)  # more than the usual number of concurrent clients
        self.token = token.encode("utf-8") if token else None
        self.cors_origin = cors_origin
        self.max_body = int(max_body)
        self.write_lock = threading.Lock()
        self.extract_lock = threading.Lock()
        self.quiet = False
        self.cache_size = 256  # per endpoint: a stream of one-off event pages never evicts the graphs
        self._caches: dict[str, dict[tuple, Any]] = {}
        self._cache_lock = threading.Lock()
        self._flights: dict[tuple, threading.Lock] = {}
        self.spec = openapi()
        self.docs = docs_html(self.spec).encode("utf-8")
        try:
            super().__init__(addr, handler)
        except BaseException:
            self.pool.close()
            raise

    def cached(self, store, name: str, params: dict[str, str], fn) -> Any:
        """``fn(store, params)``, remembered until the store's events change (aggregates are slow).

        The key holds the highest event, event-mention and article ids, so an ingest by this server
        or by any other process (``dyads ingest`` into the same store) makes every entry stale.
        """
        version = tuple(store.query("SELECT (SELECT MAX(pk) FROM events), (SELECT MAX(pk) FROM event_mentions), "
                                    "(SELECT MAX(pk) FROM articles)")[0])
        key = (name, tuple(sorted(params.items())), version)
        with self._cache_lock:
            cache = self._caches.setdefault(name, {})
            if key in cache:
                cache[key] = cache.pop(key)  # most recently used last
                return cache[key]
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:  # one computation per key; concurrent callers wait for it
            with self._cache_lock:
                if key in cache:
                    return cache[key]
            try:
                value = fn(store, params)
            finally:
                with self._cache_lock:
                    self._flights.pop(key, None)
            with self._cache_lock:
                cache[key] = value
                while len(cache) > self.cache_size:
                    cache.pop(next(iter(cache)))
        return value

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    # TCP_NODELAY: headers and body go out in two writes; with Nagle's algorithm a keep-alive client
    # would wait for the delayed ACK (about 40 ms) on every response
    disable_nagle_algorithm = True
    server: DyadsServer
    server_version = "dyads"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may take to send its request
    _body_read = False

    def version_string(self) -> str:
        return "dyads"

    # -- plumbing ---------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.server.quiet:
            sys.stderr.write(f"dyads serve: {self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in SECURITY_HEADERS:
            self.send_header(k, v)
        if self.server.cors_origin:
            self.send_header("Access-Control-Allow-Origin", self.server.cors_origin)
            self.send_header("Vary", "Origin")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        body = obj if isinstance(obj, bytes) else _encode(obj)
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _read_endpoint(self, name: str, params: dict[str, str], fn) -> None:
        """Answer a read endpoint from the cache (encoded JSON), computing it on a miss."""
        with self.server.pool.store() as s:
            body = self.server.cached(s, name, params, lambda st, p: _encode(fn(st, p)))
        self._json(200, body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"error": {"status": status, "message": message}}, headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors raised by the stdlib parser (bad request line, too long headers ...) in our shape."""
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        self.close_connection = True
        if self.command is None:  # request line not parsed
            self.command = "GET"
        if self.request_version == "HTTP/0.9":  # answer with a status line and headers anyway
            self.request_version = "HTTP/1.0"
        self._error(code, message or phrase)

    # -- dispatch ---------------------------------------------------------------------
    ROUTES: dict[str, dict[str, str]] = {
        "/api/events": {"GET": "events"}, "/api/actors": {"GET": "actors"}, "/api/quotes": {"GET": "quotes"},
        "/api/dyads": {"GET": "dyads"}, "/api/stats": {"GET": "stats"}, "/api/graph": {"GET": "graph"},
        "/api/extract": {"POST": "extract"}, "/api/articles": {"POST": "ingest"},
        "/api/openapi.json": {"GET": "openapi"}, "/docs": {"GET": "docs"}, "/api/timeline": {"GET": "timeline"},
        "/": {"GET": "dashboard"}, "/index.html": {"GET": "dashboard"},
    }

    def _route(self, path: str) -> tuple[dict[str, str], tuple[str, ...]] | None:
        if path in self.ROUTES:
            return self.ROUTES[path], ()
        m = _EVENT_ID.match(path)
        if m:
            return {"GET": "event"}, (m.group(1),)
        m = _ARTICLE_ID.match(path)
        if m:
            return {"GET": "article"}, (unquote(m.group(1)),)
        if path.startswith("/static/"):
            return {"GET": "static"}, (path[len("/static/"):],)
        return None

    def _dispatch(self) -> None:
        self._body_read = False
        try:
            url = urlsplit(self.path)
            route = self._route(url.path)
            if route is None:
                raise ApiError(404, f"no such endpoint {url.path[:200]!r}; see /docs")
            methods, args = route
            if self.command == "OPTIONS":
                allow = ", ".join([*methods, "OPTIONS"])
                headers = {"Allow": allow}
                if self.server.cors_origin:
                    headers.update({"Access-Control-Allow-Methods": allow,
                                    "Access-Control-Allow-Headers": "Authorization, Content-Type",
                                    "Access-Control-Max-Age": "600"})
                self._send(204, b"", "text/plain", headers)
                return
            method = "GET" if self.command == "HEAD" and "GET" in methods else self.command
            if method not in methods:
                raise ApiError(405, f"{self.command} is not allowed on {url.path}: use {', '.join(methods)}",
                               {"Allow": ", ".join([*methods, "OPTIONS"])})
            try:
                params = dict(parse_qsl(url.query, keep_blank_values=True, max_num_fields=100))
            except ValueError:
                raise ApiError(400, "too many query parameters (at most 100)") from None
            getattr(self, "_ep_" + methods[method])(params, *args)
        except ApiError as exc:
            if self.command in ("POST", "PUT", "PATCH", "DELETE") and not self._body_read:
                self._drain()  # the body was not read: drop it so the client sees our answer, not a reset
            self._error(exc.status, exc.message, exc.headers)
        except InputTooLargeError as exc:
            self._error(413, str(exc))
        except StoreError as exc:
            self._log_bug(exc)
            self._error(503, "the event store is not available; see the server log")
        except DyadsError as exc:
            self._error(400, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - a bug: never a traceback to the client
            self._log_bug(exc)
            try:
                self._error(500, "internal server error (logged on the server)")
            except OSError:
                self.close_connection = True

    def _log_bug(self, exc: BaseException) -> None:
        sys.stderr.write(f"dyads serve: error on {self.command} {self.path[:300]}:\n")
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch  # noqa: N815

    # -- bodies and auth --------------------------------------------------------------
    def _drain(self) -> None:
        """Read and discard an unread request body (bounded), then close the connection."""
        self.close_connection = True
        raw_len = (self.headers.get("Content-Length") or "").strip()
        if self.headers.get("Transfer-Encoding") or not raw_len.isdigit():
            return
        left = min(int(raw_len), 4 * self.server.max_body + (1 << 20))
        try:
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    return
                left -= len(chunk)
        except OSError:
            return

    def _read_json(self) -> Any:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ApiError(411, "chunked bodies are not accepted: send Content-Length")
        raw_len = self.headers.get("Content-Length")
        if raw_len is None or not raw_len.strip().isdigit():
            self.close_connection = True
            raise ApiError(411, "a JSON body with a Content-Length header is required")
        n = int(raw_len)
        if n > self.server.max_body:
            self.close_connection = True
            raise ApiError(413, f"request body of {n} bytes is over the limit of {self.server.max_body} bytes")
        self._body_read = True
        raw = self.rfile.read(n)
        if len(raw) < n:
            self.close_connection = True
            raise ApiError(400, "request body ended early")
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ApiError(400, "request body is not UTF-8") from None
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ApiError(400, f"request body is not valid JSON: {getattr(exc, 'msg', 'too deeply nested')}"
                                + (f" at line {exc.lineno} column {exc.colno}"
                                   if isinstance(exc, json.JSONDecodeError) else "")) from None

    def _check_token(self) -> None:
        token = self.server.token
        if token is None:
            raise ApiError(403, "this server is read-only: start it with DYADS_TOKEN set to allow POST /api/articles")
        auth = self.headers.get("Authorization") or ""
        scheme, _, given = auth.partition(" ")
        given_b = given.strip().encode("utf-8", "surrogateescape")
        ok = hmac.compare_digest(given_b, token)  # constant time, whatever the scheme
        if scheme.lower() != "bearer" or not ok:
            raise ApiError(401, "missing or wrong bearer token: send Authorization: Bearer <token>",
                           {"WWW-Authenticate": 'Bearer realm="dyads"'})

    def _extract(self, body: dict[str, Any]):
        from ..pipeline import extract

        with self.server.extract_lock:
            return extract(body["text"], published=body["published"], source=body["source"], url=body["url"],
                           title=body["title"], id=body["id"])

    # -- endpoints --------------------------------------------------------------------
    def _ep_events(self, params):
        self._read_endpoint("events", params, list_events)

    def _ep_event(self, params, pk):
        with self.server.pool.store() as s:
            self._json(200, event_detail(s, int(pk)))

    def _ep_article(self, params, article_id):
        with self.server.pool.store() as s:
            self._json(200, article_detail(s, article_id))

    def _ep_actors(self, params):
        self._read_endpoint("actors", params, list_actors)

    def _ep_quotes(self, params):
        self._read_endpoint("quotes", params, list_quotes)

    def _ep_dyads(self, params):
        self._read_endpoint("dyads", params, list_dyads)

    def _ep_stats(self, params):
        from ..query import stats

        with self.server.pool.store() as s:
            self._json(200, stats(s))

    def _ep_graph(self, params):
        self._read_endpoint("graph", params, graph)

    def _ep_timeline(self, params):
        self._read_endpoint("timeline", params, timeline)

    def _ep_dashboard(self, params):
        self._ep_static(params, "index.html")

    def _ep_static(self, params, name):
        asset = STATIC.get(name)
        if asset is None:
            raise ApiError(404, f"no such file {name[:100]!r}")
        body, ctype = _static_body(name, asset)
        self._send(200, body, ctype)

    def _ep_openapi(self, params):
        self._json(200, self.server.spec)

    def _ep_docs(self, params):
        self._send(200, self.server.docs, "text/html; charset=utf-8")

    def _ep_extract(self, params):
        body = _article_body(self._read_json())
        self._json(200, self._extract(body).to_dict())

    def _ep_ingest(self, params):
        from ..store import content_hash

        self._check_token()
        body = _article_body(self._read_json())
        raw_hash = content_hash(body["text"])
        with self.server.pool.store() as s:
            if s.has_hash(raw_hash):
                self._json(200, {"stored": False, "duplicate": True, "hash": raw_hash})
                return
        result = self._extract(body)
        with self.server.write_lock, self.server.pool.store() as s:
            stored = s.add_result(result, raw_hash)
        self._json(201 if stored else 200, {
            "stored": stored, "duplicate": not stored, "hash": raw_hash, "article": result.article.id,
            "actors": len(result.actors), "events": len(result.events), "quotes": len(result.quotes)})


# --------------------------------------------------------------------------- entry points


def make_server(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
                cors_origin: str | None = None, max_body: int = 2_000_000) -> ThreadingHTTPServer:
    """A ready (bound, not yet serving) API server over the store ``db``; call ``serve_forever()``."""
    if not 0 <= int(port) <= 65535:
        raise ConfigError(f"port {port} is out of range: use 0..65535")
    if max_body < 1:
        raise ConfigError(f"max_body {max_body} must be positive")
    try:
        return DyadsServer((host, int(port)), Handler, db, token or None, cors_origin or None, max_body)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def default_workers() -> int:
    """Worker processes when ``--workers`` is not given: one per CPU (at most 4) where processes
    can fork, else 1."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def serve_workers(srv: DyadsServer, workers: int) -> int:
    """Serve ``srv``'s socket from ``workers`` forked processes (pre-fork, as gunicorn does).

    One Python process runs its handler threads on one core; forked workers share the listening
    socket and each accepts connections itself, so reads use every core. No store connection
    crosses the fork (each worker opens its own pool); each keeps its own result cache. The parent
    only waits: Ctrl-C or SIGTERM stops every worker; a worker that dies stops the server.
    """
    import signal

    srv.pool.close()
    srv.socket.setblocking(False)  # a worker that loses the race for a connection must not block in accept()
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                srv.pool = _StorePool(srv.pool.db, size=srv.pool.size)
                srv.serve_forever()
            except KeyboardInterrupt:
                pass
            except BaseException:  # noqa: BLE001 - report, then leave without running the parent's code
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        children.append(pid)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        pid, status = os.wait()  # returns when a worker ends: that is an error while serving
        children.remove(pid)
        print(f"dyads: worker {pid} ended unexpectedly (status {status}); stopping", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        srv.socket.close()
    return code


def cmd_serve(args) -> int:
    token = os.environ.get("DYADS_TOKEN") or None
    db = args.db or os.environ.get("DYADS_DB") or "dyads.db"
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1 or workers > 64:
        raise ConfigError(f"--workers {workers}: use 1..64")
    if workers > 1 and not hasattr(os, "fork"):
        raise ConfigError("--workers above 1 needs os.fork (Linux, macOS): use --workers 1 here")
    srv = make_server(db, host=args.host, port=args.port, token=token, cors_origin=args.cors,
                      max_body=args.max_body)
    host, port = srv.server_address[:2]
    mode = "POST /api/articles allowed with the bearer token" if token else "read-only (DYADS_TOKEN not set)"
    print(f"dyads: serving {db} on http://{host}:{port}/ ({mode}, {workers} worker process"
          f"{'es' if workers > 1 else ''}); dashboard at /, docs at /docs; Ctrl-C stops", file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"dyads: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    # many handler threads share one interpreter: switch between them more often than every 5 ms so
    # a quick request is not stuck behind a slow one (lower tail latency under concurrent load)
    sys.setswitchinterval(0.0005)
    if workers > 1:
        code = serve_workers(srv, workers)
        print("dyads: stopped", file=sys.stderr)
        return code
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        print("dyads: stopped", file=sys.stderr)
    finally:
        srv.server_close()
    return 0


SERVE_EXAMPLES = """examples:
  dyads serve --db corpus.db                          # http://127.0.0.1:8000/docs
  DYADS_TOKEN=s3cret dyads serve --db corpus.db --port 8080
  dyads serve --db postgresql://user@host/events --workers 4 --host 0.0.0.0   # a shared server
  curl -s 'http://127.0.0.1:8000/api/events?type=ASSAULT&since=2026-01-01&limit=10'
  curl -s -X POST -H 'Authorization: Bearer s3cret' -d '{"text": "..."}' http://127.0.0.1:8080/api/articles
"""


def _add_serve_args(p) -> None:
    p.add_argument("--db", default=None, metavar="DB",
                   help="store: SQLite file, sqlite:///path or postgresql://... (default: $DYADS_DB or dyads.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 = any free port)")
    p.add_argument("--cors", metavar="ORIGIN", default=None,
                   help="allow this browser origin (e.g. http://localhost:3000); default: no CORS headers")
    p.add_argument("--max-body", type=int, default=2_000_000, metavar="BYTES",
                   help="largest accepted request body (default 2000000)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes sharing the port (default: one per CPU, at most 4; 1 where "
                        "processes cannot fork)")
    p.set_defaults(func=cmd_serve)


def register_serve(sub, fmt):
    p = sub.add_parser("serve", help="JSON API over a corpus store (read-only unless DYADS_TOKEN is set)",
                       formatter_class=fmt, epilog=SERVE_EXAMPLES,
                       description="Serve the store over HTTP: /api/events, /api/actors, /api/quotes, /api/dyads, "
                                   "/api/stats, /api/graph, POST /api/extract and (with the bearer token "
                                   "$DYADS_TOKEN) POST /api/articles. Docs at /docs.")
    _add_serve_args(p)


COMMANDS = [register_serve]


def main(argv: list[str] | None = None) -> int:
    """``python -m dyads.serve [--db ...] [--host ...] [--port ...] [--cors ORIGIN]``."""
    from ..cli import _Formatter, run

    parser = argparse.ArgumentParser(prog="dyads serve", formatter_class=_Formatter, epilog=SERVE_EXAMPLES,
                                     description="Serve a corpus store as a JSON API.")
    _add_serve_args(parser)
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
