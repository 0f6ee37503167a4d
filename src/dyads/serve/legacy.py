"""DEPRECATED: the ``http.server`` implementation of ``dyads serve``, kept only to be measured
beside its replacement and slated for removal.

``dyads serve`` runs on uvicorn (:mod:`dyads.serve.server`, :mod:`dyads.serve.app`). This module
is the server it replaced (a ``ThreadingHTTPServer`` with a hand-written router and pre-fork loop),
kept importable for one purpose: ``bench/serve_bench.py`` runs the same load against both in
the same run (``python -m dyads.serve --legacy-http``), so "no figure worse than the old server"
is checked, not remembered. Do not use it to serve anything; it will be deleted once the
benchmark has no use for it.

Same endpoints, rules and answers: it shares :class:`dyads.serve.runtime.Runtime` (store pool,
answer cache, locks) with the new server and serves the OpenAPI document generated from the
new server's models.
"""
from __future__ import annotations

import hmac
import json
import os
import re
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import ConfigError, DyadsError, InputTooLargeError, StoreError
from .api import (
    ApiError,
    _article_body,
    article_detail,
    event_detail,
    graph,
    list_actors,
    list_dyads,
    list_events,
    list_quotes,
    timeline,
)
from .app import openapi
from .openapi import docs_html
from .runtime import SECURITY_HEADERS, Runtime, encode, static_body

_EVENT_ID = re.compile(r"^/api/events/(\d{1,18})$")
_ARTICLE_ID = re.compile(r"^/api/articles/([^/]{1,200})$")


class LegacyServer(ThreadingHTTPServer):
    """DEPRECATED (see the module docstring). The HTTP server; holds a :class:`Runtime`."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections under bursts (1 s SYN retry)

    def __init__(self, addr, handler, db: str, token: str | None, cors_origin: str | None, max_body: int):
        self.rt = Runtime(db, token=token, cors_origin=cors_origin, max_body=max_body)
        self.quiet = False
        self.spec = openapi()
        self.docs = docs_html(self.spec).encode("utf-8")
        try:
            super().__init__(addr, handler)
        except BaseException:
            self.rt.close()
            raise

    def server_close(self) -> None:
        super().server_close()
        self.rt.close()


class Handler(BaseHTTPRequestHandler):
    # TCP_NODELAY: headers and body go out in two writes; with Nagle's algorithm a keep-alive client
    # would wait for the delayed ACK (about 40 ms) on every response
    disable_nagle_algorithm = True
    server: LegacyServer
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
        if self.server.rt.cors_origin:
            self.send_header("Access-Control-Allow-Origin", self.server.rt.cors_origin)
            self.send_header("Vary", "Origin")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        body = obj if isinstance(obj, bytes) else encode(obj)
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _read_endpoint(self, name: str, params: dict[str, str], fn) -> None:
        """Answer a read endpoint from the cache (encoded JSON), computing it on a miss."""
        self._json(200, self.server.rt.read(name, params, fn))

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
                if self.server.rt.cors_origin:
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
        left = min(int(raw_len), 4 * self.server.rt.max_body + (1 << 20))
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
        if n > self.server.rt.max_body:
            self.close_connection = True
            raise ApiError(413, f"request body of {n} bytes is over the limit of {self.server.rt.max_body} bytes")
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
        token = self.server.rt.token
        if token is None:
            raise ApiError(403, "this server is read-only: start it with DYADS_TOKEN set to allow POST /api/articles")
        auth = self.headers.get("Authorization") or ""
        scheme, _, given = auth.partition(" ")
        given_b = given.strip().encode("utf-8", "surrogateescape")
        ok = hmac.compare_digest(given_b, token)  # constant time, whatever the scheme
        if scheme.lower() != "bearer" or not ok:
            raise ApiError(401, "missing or wrong bearer token: send Authorization: Bearer <token>",
                           {"WWW-Authenticate": 'Bearer realm="dyads"'})

    # -- endpoints --------------------------------------------------------------------
    def _ep_events(self, params):
        self._read_endpoint("events", params, list_events)

    def _ep_event(self, params, pk):
        with self.server.rt.pool.store() as s:
            self._json(200, event_detail(s, int(pk)))

    def _ep_article(self, params, article_id):
        with self.server.rt.pool.store() as s:
            self._json(200, article_detail(s, article_id))

    def _ep_actors(self, params):
        self._read_endpoint("actors", params, list_actors)

    def _ep_quotes(self, params):
        self._read_endpoint("quotes", params, list_quotes)

    def _ep_dyads(self, params):
        self._read_endpoint("dyads", params, list_dyads)

    def _ep_stats(self, params):
        from ..query import stats

        with self.server.rt.pool.store() as s:
            self._json(200, stats(s))

    def _ep_graph(self, params):
        self._read_endpoint("graph", params, graph)

    def _ep_timeline(self, params):
        self._read_endpoint("timeline", params, timeline)

    def _ep_dashboard(self, params):
        self._ep_static(params, "index.html")

    def _ep_static(self, params, name):
        asset = static_body(name)
        if asset is None:
            raise ApiError(404, f"no such file {name[:100]!r}")
        self._send(200, *asset)

    def _ep_openapi(self, params):
        self._json(200, self.server.spec)

    def _ep_docs(self, params):
        self._send(200, self.server.docs, "text/html; charset=utf-8")

    def _ep_extract(self, params):
        body = _article_body(self._read_json())
        self._json(200, self.server.rt.extract(body).to_dict())

    def _ep_ingest(self, params):
        self._check_token()
        body = _article_body(self._read_json())
        self._json(*self.server.rt.ingest(body))


# --------------------------------------------------------------------------- entry points


def make_legacy_server(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
                       cors_origin: str | None = None, max_body: int = 2_000_000) -> LegacyServer:
    """DEPRECATED. A ready (bound, not yet serving) ``http.server`` API server over ``db``."""
    if not 0 <= int(port) <= 65535:
        raise ConfigError(f"port {port} is out of range: use 0..65535")
    if max_body < 1:
        raise ConfigError(f"max_body {max_body} must be positive")
    try:
        return LegacyServer((host, int(port)), Handler, db, token or None, cors_origin or None, max_body)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve_legacy(db: str, host: str, port: int, token: str | None, cors_origin: str | None, max_body: int,
                 workers: int) -> int:
    """DEPRECATED. ``dyads serve --legacy-http``: the old server, in the foreground, until Ctrl-C or SIGTERM."""
    if workers > 1 and not hasattr(os, "fork"):
        raise ConfigError("--workers above 1 needs os.fork (Linux, macOS): use --workers 1 here")
    srv = make_legacy_server(db, host=host, port=port, token=token, cors_origin=cors_origin, max_body=max_body)
    host, port = srv.server_address[:2]
    print(f"dyads: DEPRECATED --legacy-http: serving {db} on http://{host}:{port}/ with the old http.server "
          f"implementation ({workers} worker process{'es' if workers > 1 else ''}); for comparison only",
          file=sys.stderr)
    # many handler threads share one interpreter: switch between them more often than every 5 ms so
    # a quick request is not stuck behind a slow one (lower tail latency under concurrent load)
    sys.setswitchinterval(0.0005)
    if workers > 1:
        from .runtime import SharedAnswers, shared_answers_file

        with shared_answers_file() as shared:  # the workers share their aggregates, as the new server's do
            srv.rt.cache.shared = SharedAnswers(shared)
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


def serve_workers(srv: LegacyServer, workers: int) -> int:
    """Serve ``srv``'s socket from ``workers`` forked processes (pre-fork, as gunicorn does).

    One Python process runs its handler threads on one core; forked workers share the listening
    socket and each accepts connections itself, so reads use every core. No store connection
    crosses the fork (each worker opens its own pool); each keeps its own result cache. The parent
    only waits: Ctrl-C or SIGTERM stops every worker; a worker that dies stops the server.
    """
    import signal

    from .runtime import StorePool

    srv.rt.pool.close()
    srv.socket.setblocking(False)  # a worker that loses the race for a connection must not block in accept()
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                srv.rt.pool = StorePool(srv.rt.db, size=srv.rt.pool.size)
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
