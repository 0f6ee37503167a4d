"""The OpenAPI 3.0 description of the API (``/api/openapi.json``) and the plain docs page (``/docs``)."""
from __future__ import annotations

import html
from http import HTTPStatus
from typing import Any

from .. import __version__
from .api import DEFAULT_LIMIT, MAX_GRAPH_EDGES, MAX_GRAPH_NODES, MAX_LIMIT, STATUSES


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
                                      "/api/events?actor={source}&recipient={target}; truncated, total_nodes and "
                                      "total_edges say what top, min_events and limit left out", _FILTERS + [
                                          _param("level", "actor: one node per actor; state: states and "
                                                          "organisations (an official counts as his state)",
                                                 {"type": "string", "enum": ["actor", "state"],
                                                  "default": "actor"}),
                                          _param("limit", "at most this many edges, largest first (default 1000)",
                                                 {"type": "integer", "minimum": 1, "maximum": MAX_GRAPH_EDGES}),
                                          _param("top", "at most this many nodes: those in most events, with the "
                                                        "edges between them (default: no limit)",
                                                 {"type": "integer", "minimum": 1, "maximum": MAX_GRAPH_NODES}),
                                          _param("min_events", "only nodes in at least this many events (default 1)",
                                                 {"type": "integer", "minimum": 1, "default": 1})])},
            "/api/timeline": {"get": _op("Events matching the filters per period: counts by quad class and mean "
                                         "intensity (the dashboard's pair timeline)", _FILTERS + [
                                             _param("by", "period", {"type": "string",
                                                                     "enum": ["day", "week", "month"],
                                                                     "default": "month"})])},
            "/api/alerts": {"get": _op("Alerts fired by the rules of `dyads alerts run` / `dyads watch`, newest "
                                       "first: items (rule, date, type, parties, evidence, url, event_id ...), "
                                       "limit, offset, count, total, and rules (every rule run on the store with "
                                       "its number of alerts)", [
                                           _param("rule", "rule name"),
                                           _param("kind", "rule kind", {"type": "string",
                                                                        "enum": ["event", "spike", "first_pair"]}),
                                           _param("since", "fired on or after this day (UTC, YYYY-MM-DD)",
                                                  {"type": "string", "format": "date"}),
                                           _param("until", "fired on or before this day (UTC, YYYY-MM-DD)",
                                                  {"type": "string", "format": "date"}), *_PAGE])},
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
