"""``dyads serve``: a JSON API and a dashboard over the corpus store, on FastAPI and uvicorn.

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
* ``POST /api/extract`` — ``{"text", "published"?, "source"?, "url"?, "title"?, "id"?}`` ->
  contract JSON; nothing stored.
* ``POST /api/articles`` — ingest one article (same body). Only with ``Authorization: Bearer
  <token>`` equal (constant-time) to the configured token (``$DYADS_TOKEN``); with no token
  configured the server is read-only (403); a missing or wrong token is 401.
* ``GET /api/timeline`` — events matching the filters per period (quad counts, mean intensity).
* Background events (dated more than a year before every article that reported them) are left
  out of ``/api/events``, ``/api/dyads``, ``/api/graph`` and ``/api/timeline`` unless
  ``include_background=1``; ``/api/events/{id}`` shows any event.
* ``GET /api/openapi.json`` (OpenAPI 3.1, generated from the typed models) and ``GET /docs``
  (plain HTML rendered from it, no script, no external asset).
* ``GET /`` — the dashboard (``web/`` in this package: one HTML page, one script, one stylesheet,
  all served from here, no CDN): network, pair timeline, event table, event page, paste-an-article.

Safety: binds 127.0.0.1 by default; request bodies need ``Content-Length`` and above ``max_body``
bytes are refused (413) before they are read; SQL is parameterised (through :mod:`dyads.query`);
CORS headers only when an origin is configured; ``nosniff`` and a Content-Security-Policy with
``default-src 'self'`` and no inline script or style on every response; unexpected errors are
logged to stderr and answered with a generic 500.

Concurrency: uvicorn runs the app in one or more worker processes (``--workers``, uvicorn's own
supervisor); in each, the endpoints run in a thread pool and borrow store connections from a
small pool; writes (``POST /api/articles``) are serialised by a lock (one writer per worker, the
store serialises the rest) and extraction by another. The list and aggregate endpoints keep
their encoded answers in a small LRU cache per worker keyed by the validated query parameters and
the store's highest event, event-mention and article ids, so any ingest (here, by another worker
or another process or machine on the same store) invalidates it.

Layout: :mod:`dyads.serve.api` (the endpoints as functions of a store and the query parameters),
:mod:`dyads.serve.models` (the typed parameters, bodies and answers), :mod:`dyads.serve.app` (the
FastAPI app and its guard: headers, limits, errors), :mod:`dyads.serve.runtime` (store pool,
answer cache, dashboard files), :mod:`dyads.serve.server` (uvicorn: in-process server, workers),
:mod:`dyads.serve.openapi` (the generated description and the docs page),
:mod:`dyads.serve.command` (the ``dyads serve`` command) and ``web/`` (the dashboard's files).
:mod:`dyads.serve.legacy` is the deprecated ``http.server`` implementation, kept only for the
side-by-side benchmark. This package re-exports the public names.
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
from .openapi import docs_html  # noqa: I001 - before .app: the function openapi, not the module, is this name
from .app import asgi_app, create_app, openapi
from .runtime import SECURITY_HEADERS, STATIC, Runtime
from .server import DyadsServer, Limits, Settings, default_workers, make_server, serve_workers

__all__ = [
    "COMMANDS", "CONFLICT", "COOPERATION", "DEFAULT_LIMIT", "MAX_GRAPH_EDGES", "MAX_LIMIT", "SECURITY_HEADERS",
    "SERVE_EXAMPLES", "STATIC", "STATUSES", "ApiError", "DyadsServer", "Limits", "Runtime", "Settings",
    "article_detail", "asgi_app", "cmd_serve", "create_app", "default_workers", "docs_html", "event_detail", "graph",
    "list_actors", "list_dyads", "list_events", "list_quotes", "main", "make_server", "openapi", "register_serve",
    "serve_workers", "state_graph", "timeline",
]
