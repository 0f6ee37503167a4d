"""The HTTP machinery of ``dyads serve``: routing, headers, bodies, the token, caching, workers.

:class:`DyadsServer` (a ``ThreadingHTTPServer``) holds the configuration, a pool of store
connections and the answer cache; :class:`Handler` routes each request to an endpoint function
of :mod:`dyads.serve.api` or to a dashboard file in ``web/``. :func:`make_server` builds one;
:func:`serve_workers` serves its socket from forked processes. The rules are in :mod:`dyads.serve`.
"""
from __future__ import annotations

import hmac
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

from ..errors import ConfigError, DyadsError, InputTooLargeError, StoreError
from .api import (
    ApiError,
    _article_body,
    article_detail,
    event_detail,
    graph,
    list_actors,
    list_alerts,
    list_dyads,
    list_events,
    list_quotes,
    timeline,
)
from .openapi import docs_html, openapi

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


# --------------------------------------------------------------------------- HTTP


# The dashboard: every file it loads, by name (a fixed list, so no path from a request reaches the disk).
STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml",
          # the graph libraries and the ForceAtlas2 worker, vendored by `make web`, with their licences
          "vendor/graph.js": "text/javascript; charset=utf-8", "vendor/fa2-worker.js": "text/javascript; charset=utf-8",
          "vendor/THIRD_PARTY_LICENSES.txt": "text/plain; charset=utf-8"}
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
        "/api/alerts": {"GET": "alerts"},
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

    def _ep_alerts(self, params):  # not cached: alerts change without new events (a rule run on old ones)
        with self.server.pool.store() as s:
            self._json(200, list_alerts(s, params))

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
