"""``dyads serve``: the command that starts the server (a thin layer over :func:`make_server`).

``register_serve`` adds it to the ``dyads`` parser (:func:`dyads.cli._extra_commands` finds
``COMMANDS`` on :mod:`dyads.serve`); ``python -m dyads.serve`` runs :func:`main`.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import ConfigError
from .server import default_workers, make_server, serve_workers


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
