"""``dyads serve``: a JSON API and dashboard over the corpus store (standard library only).

The code is in :mod:`dyads.serve.server`; the dashboard's files are in ``web/``.
"""
from .server import (
    COMMANDS,
    CONFLICT,
    COOPERATION,
    DEFAULT_LIMIT,
    MAX_GRAPH_EDGES,
    MAX_LIMIT,
    SECURITY_HEADERS,
    SERVE_EXAMPLES,
    STATIC,
    STATUSES,
    ApiError,
    DyadsServer,
    Handler,
    _event_filters,  # noqa: F401 - not public; the tests compare it with dyads.query
    article_detail,
    cmd_serve,
    default_workers,
    docs_html,
    event_detail,
    graph,
    list_actors,
    list_dyads,
    list_events,
    list_quotes,
    main,
    make_server,
    openapi,
    register_serve,
    serve_workers,
    state_graph,
    timeline,
)

__all__ = [
    "COMMANDS", "CONFLICT", "COOPERATION", "DEFAULT_LIMIT", "MAX_GRAPH_EDGES", "MAX_LIMIT", "SECURITY_HEADERS",
    "SERVE_EXAMPLES", "STATIC", "STATUSES", "ApiError", "DyadsServer", "Handler", "article_detail", "cmd_serve",
    "default_workers", "docs_html", "event_detail", "graph", "list_actors", "list_dyads", "list_events",
    "list_quotes", "main", "make_server", "openapi", "register_serve", "serve_workers", "state_graph", "timeline",
]
