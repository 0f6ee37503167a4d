"""The API's endpoints as functions: a store and the query parameters in, a JSON-ready dict out.

No HTTP here: the app (:mod:`dyads.serve.app`) validates the request against its models, borrows
a store from its pool and calls these with the validated parameters (as strings, checked again
here: these functions take any ``dict[str, str]``); an :class:`ApiError` becomes the
``{"error": {"status", "message"}}`` answer. The SQL is :mod:`dyads.query`'s (parameterised) or written here with ``?`` placeholders.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import check_date

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_GRAPH_EDGES = 5000
MAX_GRAPH_NODES = 5000
STATUSES = ("asserted", "future", "hypothetical", "negated")
COOPERATION = ("verbal cooperation", "material cooperation")
CONFLICT = ("verbal conflict", "material conflict")


class ApiError(Exception):
    """An error answered to the client as ``{"error": {"status", "message"}}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.headers = headers or {}


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


def _graph_shape(params: dict[str, str]) -> tuple[int, int | None, int]:
    """``limit`` (edges), ``top`` (nodes) and ``min_events`` (per node) of a graph request."""
    limit = _int(params, "limit", 1000, 1, MAX_GRAPH_EDGES)
    top = _int(params, "top", 0, 1, MAX_GRAPH_NODES) if _one(params, "top") is not None else None
    min_events = _int(params, "min_events", 1, 1, 10**9)
    return limit, top, min_events


def _select(ranked: list, limit: int, top: int | None, min_events: int,
            count_nodes) -> tuple[list, dict[Any, int], dict[str, Any]]:
    """The edges and node counts a graph answers with, from every edge ``ranked`` largest first.

    Without ``top`` or ``min_events``: the ``limit`` largest edges and their end points (only their
    events are counted). With them: every node is counted, the nodes with fewer than ``min_events``
    events go, the ``top`` busiest of the rest stay, and the ``limit`` largest edges between two
    staying nodes are kept. ``count_nodes(keys)`` returns {node key: events involving it}.
    """
    every = sorted({x for (a, r), _ in ranked for x in (a, r)})
    if top is None and min_events <= 1:
        kept = ranked[:limit]
        counts = count_nodes(sorted({x for (a, r), _ in kept for x in (a, r)}))
        wanted = len(ranked)
    else:
        counts = count_nodes(every)
        staying = sorted((k for k in every if counts.get(k, 0) >= min_events), key=lambda k: (-counts.get(k, 0), k))
        keep = set(staying[:top] if top is not None else staying)
        between = [kv for kv in ranked if kv[0][0] in keep and kv[0][1] in keep]
        kept = between[:limit]
        wanted = len(between)
    return kept, counts, {"truncated": wanted > limit, "total_nodes": len(every), "total_edges": len(ranked)}


def _graph_answer(level: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], info: dict[str, Any],
                  f: dict[str, Any], top: int | None, min_events: int) -> dict[str, Any]:
    nodes.sort(key=lambda n: (-n["count"], n["id"]))
    shape = {"top": top, "min_events": min_events if min_events > 1 else None}
    return {"level": level, "nodes": nodes, "edges": edges, **info,
            "filters": {**_echo(f), **{k: v for k, v in shape.items() if v is not None}}}


def state_graph(store, f: dict[str, Any], limit: int, top: int | None = None, min_events: int = 1) -> dict[str, Any]:
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

    def count_nodes(keys: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            marks = ", ".join("?" for _ in part)
            ncond = (where + " AND " if where else " WHERE ") + f"{_node_key('ac')} IN ({marks})"
            for k, n in store.query(f"SELECT {_node_key('ac')}, COUNT(DISTINCT e.pk) FROM events e JOIN "
                                    "event_actors ea ON ea.event_pk = e.pk JOIN actors ac ON ac.pk = ea.actor_pk"
                                    + ncond + f" GROUP BY {_node_key('ac')}", [*wp, *part]):
                counts[str(k)] = int(n)
        return counts

    kept, counts, info = _select(ranked, limit, top, min_events, count_nodes)
    edges = [_edge_record(a, r, e) for (a, r), e in kept]
    keys = sorted({x for e in edges for x in (e["source"], e["target"])})
    names: dict[str, tuple[str, str]] = {}
    for i in range(0, len(keys), 500):
        pks = [int(k) for k in keys[i:i + 500] if k.isdigit()]
        if pks:
            for pk, name, kind in store.query(f"SELECT pk, name, kind FROM actors WHERE pk IN "
                                              f"({', '.join('?' for _ in pks)})", pks):
                names[str(pk)] = (name, kind)
    gaz = base()
    nodes = []
    for k in keys:
        if k in names:
            name, kind = names[k]
            nodes.append({"id": k, "name": name, "kind": kind, "country": None})
        else:
            nodes.append({"id": k, "name": gaz.country_name(k) or k, "kind": "state", "country": k})
        nodes[-1]["count"] = counts.get(k, 0)
    return _graph_answer("state", nodes, edges, info, f, top, min_events)


def graph(store, params: dict[str, str]) -> dict[str, Any]:
    """Actor network of the events matching the filters (see the module docstring).

    ``level=actor`` (default): one node per merged actor; ``level=state``: see :func:`state_graph`.
    ``limit``: at most this many edges, largest first; ``top``: at most this many nodes, those in
    most events; ``min_events``: only nodes in at least this many events (see :func:`_select`).
    """
    from .. import query

    f = _event_filters(params)
    limit, top, min_events = _graph_shape(params)
    level = _one(params, "level") or "actor"
    if level not in ("actor", "state"):
        raise ApiError(400, f"level {level!r}: use actor (one node per actor) or state (states and organisations)")
    if level == "state":
        return state_graph(store, f, limit, top, min_events)
    where, wp = query._event_where(**f)
    cond = (where + " AND " if where else " WHERE ") + "a.actor_pk <> r.actor_pk"
    rows = store.query(
        "SELECT a.actor_pk, r.actor_pk, e.quad, COUNT(*), SUM(e.intensity), COUNT(e.intensity) FROM events e "
        "JOIN event_actors a ON a.event_pk = e.pk AND a.role = 'actor' "
        "JOIN event_actors r ON r.event_pk = e.pk AND r.role = 'recipient'" + cond
        + " GROUP BY a.actor_pk, r.actor_pk, e.quad", wp)
    agg = _aggregate_edges((int(a), int(r), quad, n, s, ni) for a, r, quad, n, s, ni in rows)
    ranked = sorted(agg.items(), key=lambda kv: (-kv[1]["count"], kv[0]))

    def count_nodes(keys: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            ncond = (where + " AND " if where else " WHERE ") + f"ea.actor_pk IN ({', '.join('?' for _ in part)})"
            for pk, n in store.query("SELECT ea.actor_pk, COUNT(DISTINCT e.pk) FROM events e JOIN event_actors ea "
                                     "ON ea.event_pk = e.pk" + ncond + " GROUP BY ea.actor_pk", [*wp, *part]):
                counts[int(pk)] = int(n)
        return counts

    kept, counts, info = _select(ranked, limit, top, min_events, count_nodes)
    edges = [_edge_record(a, r, e) for (a, r), e in kept]
    node_ids = sorted({x for e in edges for x in (e["source"], e["target"])})
    nodes = []
    for i in range(0, len(node_ids), 500):
        part = node_ids[i:i + 500]
        for pk, name, kind, country, sector in store.query(
                f"SELECT pk, name, kind, country, sector FROM actors WHERE pk IN ({', '.join('?' for _ in part)})",
                part):
            nodes.append({"id": int(pk), "name": name, "kind": kind, "country": country, "sector": sector,
                          "count": counts.get(int(pk), 0)})
    return _graph_answer("actor", nodes, edges, info, f, top, min_events)


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


ALERT_KINDS = ("event", "spike", "first_pair")


def list_alerts(store, params: dict[str, str]) -> dict[str, Any]:
    """Alerts fired (:func:`dyads.alerts.list_alerts`), newest first: ``rule``, ``kind``, the day they
    fired (``since``/``until``), a page; and every rule that has run on the store with its count."""
    from ..alerts import alert_rule_names
    from ..alerts import list_alerts as alerts_page

    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10**9)
    kind = _one(params, "kind")
    if kind and kind not in ALERT_KINDS:
        raise ApiError(400, f"kind {kind!r}: use one of {', '.join(ALERT_KINDS)}")
    rule = _one(params, "rule")
    if rule and len(rule) > 200:
        raise ApiError(400, "rule name is too long (at most 200 characters)")
    items, total = alerts_page(store, rule=rule, kind=kind, since=_date(params, "since"),
                               until=_date(params, "until"), limit=limit, offset=offset)
    rules = [{"name": n, "kind": k, "alerts": c} for n, k, c in alert_rule_names(store)]
    return {"items": [a.to_dict() for a in items], "limit": limit, "offset": offset, "count": len(items),
            "total": total, "rules": rules}


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
