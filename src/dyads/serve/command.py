"""``dyads serve``: the command that starts the server (a thin layer over :mod:`dyads.serve.server`).

``register_serve`` adds it to the ``dyads`` parser (:func:`dyads.cli._extra_commands` finds
``COMMANDS`` on :mod:`dyads.serve`); ``python -m dyads.serve`` runs :func:`main`.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from ..errors import ConfigError
from .server import Limits, Settings, bind_workers, default_workers, make_server, serve_workers, tune_interpreter


def _stop(signum, frame):
    raise KeyboardInterrupt


def cmd_serve(args) -> int:
    token = os.environ.get("DYADS_TOKEN") or None
    db = args.db or os.environ.get("DYADS_DB") or "dyads.db"
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1 or workers > 64:
        raise ConfigError(f"--workers {workers}: use 1..64")
    if args.max_body < 1:
        raise ConfigError(f"--max-body {args.max_body} must be positive")
    if args.legacy_http:
        from .legacy import serve_legacy

        return serve_legacy(db, args.host, args.port, token, args.cors, args.max_body, workers)
    for name in ("timeout_keep_alive", "graceful_timeout", "limit_concurrency"):
        v = getattr(args, name)
        if v is not None and v < 1:
            raise ConfigError(f"--{name.replace('_', '-')} {v} must be positive")
    limits = Limits(timeout_keep_alive=args.timeout_keep_alive, graceful_timeout=args.graceful_timeout,
                    limit_concurrency=args.limit_concurrency or None, proxy_headers=args.proxy_headers,
                    forwarded_allow_ips=args.forwarded_allow_ips, access_log=not args.no_access_log)
    if args.threads is not None and not 1 <= args.threads <= 256:
        raise ConfigError(f"--threads {args.threads}: use 1..256")
    settings = Settings(db=db, cors_origin=args.cors or None, max_body=args.max_body, threads=args.threads)
    mode = "POST /api/articles allowed with the bearer token" if token else "read-only (DYADS_TOKEN not set)"
    note = (f"dyads: serving {db} on http://{{host}}:{{port}}/ ({mode}, {workers} worker process"
            f"{'es' if workers > 1 else ''}); dashboard at /, docs at /docs; Ctrl-C stops")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"dyads: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    # SIGTERM stops the server as Ctrl-C does: requests in flight finish, then exit status 0
    signal.signal(signal.SIGTERM, _stop)
    if workers == 1:
        srv = make_server(db, host=args.host, port=args.port, token=token, cors_origin=settings.cors_origin,
                          max_body=settings.max_body, limits=limits, logging=True, threads=settings.threads)
        tune_interpreter()
        host, port = srv.server_address[:2]
        print(note.format(host=host, port=port), file=sys.stderr, flush=True)
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            srv.server_close()
        print("dyads: stopped", file=sys.stderr)
        return 0
    from ..store import open_store

    open_store(db).close()  # a bad --db fails here, once, not in every worker
    sock = bind_workers(args.host, args.port, limits.backlog)
    host, port = sock.getsockname()[:2]
    print(note.format(host=host, port=port), file=sys.stderr, flush=True)
    code = serve_workers(settings, sock, workers, limits)
    print("dyads: stopped", file=sys.stderr)
    return code


SERVE_EXAMPLES = """examples:
  dyads serve --db corpus.db                          # http://127.0.0.1:8000/docs
  DYADS_TOKEN=s3cret dyads serve --db corpus.db --port 8080
  dyads serve --db postgresql://user@host/events --workers 4 --host 0.0.0.0   # a shared server
  dyads serve --db corpus.db --proxy-headers          # behind nginx on this machine (docs/serving.md)
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
                   help="worker processes sharing the port (default: one per CPU, at most 4)")
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help="per worker, threads that read the store (default 4 on SQLite, 16 on PostgreSQL): "
                        "requests beyond that wait their turn")
    g = p.add_argument_group("uvicorn limits and proxies")
    g.add_argument("--timeout-keep-alive", type=int, default=5, metavar="S",
                   help="close an idle keep-alive connection after S seconds (default 5)")
    g.add_argument("--graceful-timeout", type=int, default=30, metavar="S",
                   help="on Ctrl-C or SIGTERM, give requests in flight S seconds to finish (default 30)")
    g.add_argument("--limit-concurrency", type=int, default=1000, metavar="N",
                   help="per worker, connections and requests at once before answering 503 (default 1000)")
    g.add_argument("--proxy-headers", action="store_true",
                   help="behind a reverse proxy: take the client address and scheme from X-Forwarded-For/-Proto "
                        "sent by --forwarded-allow-ips")
    g.add_argument("--forwarded-allow-ips", default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                   metavar="IPS", help="comma-separated proxy addresses (or *) trusted with --proxy-headers "
                                       "(default: $FORWARDED_ALLOW_IPS or 127.0.0.1)")
    g.add_argument("--no-access-log", action="store_true", help="no line per request on stderr")
    p.add_argument("--legacy-http", action="store_true",
                   help="DEPRECATED, slated for removal: run the old http.server implementation instead of "
                        "uvicorn, only so bench/serve_bench.py can compare the two in one run")
    p.set_defaults(func=cmd_serve)


def register_serve(sub, fmt):
    p = sub.add_parser("serve", help="JSON API over a corpus store (read-only unless DYADS_TOKEN is set)",
                       formatter_class=fmt, epilog=SERVE_EXAMPLES,
                       description="Serve the store over HTTP (uvicorn): /api/events, /api/actors, /api/quotes, "
                                   "/api/dyads, /api/stats, /api/graph, /api/timeline, POST /api/extract and (with "
                                   "the bearer token $DYADS_TOKEN) POST /api/articles. Docs at /docs, OpenAPI at "
                                   "/api/openapi.json.")
    _add_serve_args(p)


COMMANDS = [register_serve]


def main(argv: list[str] | None = None) -> int:
    """``python -m dyads.serve [--db ...] [--host ...] [--port ...] [--cors ORIGIN] [--workers N]``."""
    from ..cli import _Formatter, run

    parser = argparse.ArgumentParser(prog="dyads serve", formatter_class=_Formatter, epilog=SERVE_EXAMPLES,
                                     description="Serve a corpus store as a JSON API (uvicorn).")
    _add_serve_args(parser)
    return run(parser, argv)
