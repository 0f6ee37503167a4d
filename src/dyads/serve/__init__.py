"""``dyads serve``: a JSON API and a dashboard over the corpus store (standard library only).

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
* ``GET /`` — the dashboard (``web/`` in this package: one HTML page, one script, one stylesheet,
  all served from here, no CDN): network, pair timeline, event table, event page, paste-an-article.

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

Layout: :mod:`dyads.serve.api` (the endpoints as functions of a store and the query parameters),
:mod:`dyads.serve.openapi` (the OpenAPI description and the docs page), :mod:`dyads.serve.server`
(HTTP: routing, headers, bodies, token, cache, store pool, worker processes),
:mod:`dyads.serve.command` (the ``dyads serve`` command) and ``web/`` (the dashboard's files).
This package re-exports their public names.
"""
from .api import (
    CONFLICT,
    COOPERATION,
    DEFAULT_LIMIT,
    MAX_GRAPH_EDGES,
    MAX_LIMIT,
    STATUSES,
    ApiError,
    _event_filters,  # noqa: F401 - not public; the tests compare it with dyads.query
    article_detail,
    event_detail,
    graph,
    list_actors,
    list_dyads,
    list_events,
    list_quotes,
    state_graph,
    timeline,
)
from .command import COMMANDS, SERVE_EXAMPLES, cmd_serve, main, register_serve
from .openapi import docs_html, openapi
from .server import SECURITY_HEADERS, STATIC, DyadsServer, Handler, default_workers, make_server, serve_workers

__all__ = [
    "COMMANDS", "CONFLICT", "COOPERATION", "DEFAULT_LIMIT", "MAX_GRAPH_EDGES", "MAX_LIMIT", "SECURITY_HEADERS",
    "SERVE_EXAMPLES", "STATIC", "STATUSES", "ApiError", "DyadsServer", "Handler", "article_detail", "cmd_serve",
    "default_workers", "docs_html", "event_detail", "graph", "list_actors", "list_dyads", "list_events",
    "list_quotes", "main", "make_server", "openapi", "register_serve", "serve_workers", "state_graph", "timeline",
]
