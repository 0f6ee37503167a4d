"""Serving the ASGI app (:mod:`dyads.serve.app`) with uvicorn: in this process, or from workers.

* :func:`make_server` binds a socket and returns a :class:`DyadsServer`: one uvicorn server in
  this process (``serve_forever()`` in any thread, ``shutdown()`` from another). The tests and
  ``dyads serve --workers 1`` use it.
* :func:`serve_workers` serves a port from N worker processes with uvicorn's own supervisor
  (``uvicorn.supervisors.Multiprocess``: spawned workers, each with its own store connections and
  answer cache, the aggregates shared between them (:class:`~dyads.serve.runtime.SharedAnswers`);
  a worker that dies is replaced; SIGINT/SIGTERM stop them all, each finishing the requests in
  flight first, up to ``graceful_timeout`` seconds). On Linux each worker listens on
  its own SO_REUSEPORT socket as well as the shared one (:class:`WorkerSocket`).

The settings cross into spawned workers as JSON in one environment variable (the app is built
there by :func:`app_from_env`, uvicorn's ``factory``); the write token is read there from
``DYADS_TOKEN``, as the command reads it, and is never written anywhere else.

The HTTP protocol is uvicorn's httptools one (C parser) on uvloop (:func:`event_loop`), with
changes of its own (:class:`Protocol`): TCP_NODELAY on every connection, a limit on the request
line and headers, and a request the parser rejects is answered in the API's error shape, not as
plain text (501 for a well-formed request with a method the parser does not know).
"""
from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from ..errors import ConfigError
from .runtime import JSON_TYPE, SECURITY_HEADERS, Runtime, encode, shared_answers_file

SETTINGS_ENV = "DYADS_SERVE_SETTINGS"


@dataclass
class Settings:
    """What a worker needs to build its app (everything but the token, which stays in DYADS_TOKEN)."""

    db: str
    cors_origin: str | None = None
    max_body: int = 2_000_000
    body_timeout: float = 30.0
    threads: int | None = None  # store-reading threads per worker (None: runtime.default_threads)
    shared_cache: str | None = None  # the workers' SharedAnswers file (serve_workers makes it)


@dataclass
class Limits:
    """uvicorn's limits and timeouts (per worker process)."""

    timeout_keep_alive: int = 5  # seconds an idle keep-alive connection stays open
    graceful_timeout: int = 30  # seconds the requests in flight get to finish on SIGINT/SIGTERM
    limit_concurrency: int | None = 1000  # connections + requests at once; over it: 503
    backlog: int = 2048  # connections waiting to be accepted
    max_header_bytes: int = 65536  # request line and headers together
    proxy_headers: bool = False  # trust X-Forwarded-For/-Proto from forwarded_allow_ips
    forwarded_allow_ips: str = "127.0.0.1"
    access_log: bool = True


_REQUEST_LINE = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+ [^ \r\n]+ HTTP/\d\.\d\r?\n")


class Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (the llhttp parser, in C), with three changes: TCP_NODELAY on every
    connection, a request line and headers over ``max_header_bytes`` refused (httptools has no such
    limit of its own; h11's was this one), and a request the HTTP parser rejects gets the API's JSON
    error. Measured against uvicorn's pure-Python h11 protocol, one request at a time: 0.2 ms less
    CPU per request (0.72 -> 0.51 ms for a cached answer); uvloop takes another 0.04 ms off.
    Response header names go out in lower case (as HTTP/2 writes them; HTTP/1.1 names are
    case-insensitive)."""

    max_header_bytes = 65536  # request line and headers together (Limits.max_header_bytes)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0  # bytes received since the current request began, until its headers end
        self._head_size = 0  # the current request's URL and headers, as parsed
        self._in_body = False
        self._too_big: str | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        # headers and body go out in two writes: with Nagle's algorithm on, a keep-alive client waits
        # for the delayed ACK (about 40 ms) on every response
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()  # a request under way is not an idle connection (as uvicorn's)
        if not self._in_body:
            self._head_bytes += len(data)
        if self.parser is None:
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserInvalidMethodError:  # llhttp knows the methods; h11 left them to the router
            if _REQUEST_LINE.match(data):  # a well-formed request with a method nobody here knows
                self._send_error(501, "Not Implemented", "method not implemented: use GET, POST, HEAD or OPTIONS")
            else:
                self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserError:
            self.send_400_response(self._too_big or "Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:  # no WebSocket here: answered as uvicorn does
            super().data_received(b"")
        # still in the headers after this chunk (a chunk that completes them may carry the body too)
        if not self._in_body and self._head_bytes > self.max_header_bytes:
            self.send_400_response(self._limit_message())

    def _limit_message(self) -> str:
        return f"request line and headers are over {self.max_header_bytes} bytes"

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._head_size > self.max_header_bytes:  # complete, but too big: the app never sees it
            self._too_big = self._limit_message()
            raise ValueError(self._too_big)  # httptools stops parsing: HttpParserCallbackError
        self._in_body = True
        super().on_headers_complete()
        if type(self.cycle) is RequestResponseCycle:  # its task has not run yet: it sends as _OneWriteCycle
            self.cycle.__class__ = _OneWriteCycle

    def on_message_complete(self) -> None:
        self._in_body, self._head_bytes, self._head_size = False, 0, 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._send_error(400, "Bad Request", f"bad HTTP request: {msg.rstrip('.')}")

    def _send_error(self, status: int, phrase: str, message: str) -> None:
        """Answer in the API's error shape and close: the request could not be parsed."""
        if self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        body = encode({"error": {"status": status, "message": message}})
        head = [b"HTTP/1.1 %d %s" % (status, phrase.encode()), b"Content-Type: " + JSON_TYPE.encode(),
                b"Content-Length: " + str(len(body)).encode(), b"Connection: close", b"Cache-Control: no-store",
                *(k.encode() + b": " + v.encode() for k, v in SECURITY_HEADERS)]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()


class _Held:
    """A stand-in transport that keeps what is written (the status line and headers)."""

    def __init__(self) -> None:
        self.data: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data.append(data)


class _Prefixed:
    """The transport, with ``head`` sent before the first write (in the same ``writelines``) or
    before closing."""

    def __init__(self, transport: Any, head: list[bytes]):
        self.transport, self.head = transport, head

    def flush(self) -> None:
        if self.head:
            self.transport.writelines(self.head)
            self.head = []

    def write(self, data: bytes) -> None:
        if self.head:
            self.transport.writelines([*self.head, data])
            self.head = []
        else:
            self.transport.write(data)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class _OneWriteCycle(RequestResponseCycle):
    """uvicorn's response cycle, sending a response's status line and headers in the same write as
    its body (one ``writev``) instead of one write each: with TCP_NODELAY every write is a segment
    and a send call through the loopback or network stack. Measured one request at a time on
    1,000,000 events: see docs/serving.md. The head is held from ``http.response.start`` to the
    first ``http.response.body`` (our app sends them together); it goes out at the latest when that
    message is sent, even with an empty body (HEAD)."""

    _head: list[bytes] | None = None

    async def send(self, message: Any) -> None:
        if message["type"] == "http.response.start" and not self.response_started:
            real, held = self.transport, _Held()
            self.transport = held
            try:
                await super().send(message)
            finally:
                self.transport = real
            self._head = held.data
            return
        head, self._head = self._head, None
        if not head:
            await super().send(message)
            return
        real = self.transport
        prefixed = self.transport = _Prefixed(real, head)
        try:
            await super().send(message)
        finally:
            self.transport = real
            if not real.is_closing():
                prefixed.flush()


def log_config(prefix: str = "dyads serve") -> dict[str, Any]:
    """Logging for uvicorn and the app: one line per record on stderr, no colours."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": f"{prefix}: %(message)s"},
            "access": {"()": "uvicorn.logging.AccessFormatter", "use_colors": False,
                       "fmt": f'{prefix}: %(client_addr)s "%(request_line)s" %(status_code)s'},
        },
        "handlers": {
            "plain": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["plain"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "dyads.serve": {"handlers": ["plain"], "level": "INFO", "propagate": False},
        },
    }


def event_loop() -> str:
    """uvicorn's ``loop``: uvloop where it is installed (not on Windows), else asyncio's. Measured one
    request at a time: 0.25 ms less CPU per uncomputed event page (1.75 against 2.0 ms), mostly in
    the hand-offs between the event loop and the store threads."""
    import importlib.util

    return "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"


def _protocol(max_header_bytes: int) -> type[Protocol]:
    """:class:`Protocol` with its header limit (the class uvicorn instantiates per connection)."""
    if max_header_bytes == Protocol.max_header_bytes:
        return Protocol
    return type("Protocol", (Protocol,), {"max_header_bytes": max_header_bytes})


def _uvicorn_config(app: Any, limits: Limits, workers: int = 1, factory: bool = False, logging: bool = True):
    import uvicorn

    return uvicorn.Config(
        app, factory=factory, workers=workers, http=_protocol(limits.max_header_bytes), loop=event_loop(),
        lifespan="on", interface="asgi3", ws="none", server_header=False, date_header=True,
        timeout_keep_alive=limits.timeout_keep_alive, timeout_graceful_shutdown=limits.graceful_timeout,
        limit_concurrency=limits.limit_concurrency, backlog=limits.backlog,
        proxy_headers=limits.proxy_headers, forwarded_allow_ips=limits.forwarded_allow_ips,
        access_log=limits.access_log, log_config=log_config() if logging else None,
    )


def bind(host: str, port: int, backlog: int = 2048, reuse_port: bool = False) -> socket.socket:
    """A TCP socket bound to ``host:port`` (port 0: any free one), listening with ``backlog`` (0: bound
    only); ConfigError when it cannot be had. ``reuse_port``: SO_REUSEPORT, so that other sockets of
    this user can bind the same port (see :class:`WorkerSocket`)."""
    if not 0 <= int(port) <= 65535:
        raise ConfigError(f"port {port} is out of range: use 0..65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off only on sockets that say they are TCP
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, int(port)))
        if backlog:
            sock.listen(backlog)  # listening now: connections wait in the backlog until a worker is up
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def reuse_port_balances() -> bool:
    """Whether the kernel spreads new connections over sockets that share a port (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


class WorkerSocket:
    """A worker's own listening socket, as it travels to the worker.

    uvicorn's supervisor hands every worker the same socket list. With one shared socket, the worker
    whose event loop is awake takes most new connections (measured: 16 to 20 of the benchmark's 20
    keep-alive connections on one of two workers, the other nearly idle). This object goes in that
    list instead: pickled to each spawned (or restarted) worker, it arrives there as a new socket
    bound to the same port with SO_REUSEPORT, and the kernel spreads connections over the workers'
    queues. The shared socket stays in the list too (it is in the same SO_REUSEPORT group): a client
    that connects before any worker is up waits there instead of being refused, and afterwards it
    takes its share of new connections (one in N+1), which the workers accept as before."""

    def __init__(self, host: str, port: int, backlog: int):
        self.host, self.port, self.backlog = host, port, backlog

    def __reduce__(self):
        return bind, (self.host, self.port, self.backlog, True)


class DyadsServer:
    """One uvicorn server in this process, on a socket bound at construction.

    ``server_address`` is known at once (port 0 picks a free one); ``serve_forever()`` runs until
    ``shutdown()`` (from another thread) or, in the main thread, SIGINT/SIGTERM; requests in flight
    finish first. ``server_close()`` releases the socket and the store connections. ``quiet``
    (set before ``serve_forever``) turns the access log off.
    """

    def __init__(self, settings: Settings, token: str | None, limits: Limits | None = None,
                 logging: bool = False):
        if settings.max_body < 1:
            raise ConfigError(f"max_body {settings.max_body} must be positive")
        self.settings, self.limits, self.logging = settings, limits or Limits(), logging
        self.quiet = False
        self.rt = Runtime(settings.db, token=token, cors_origin=settings.cors_origin, max_body=settings.max_body,
                          threads=settings.threads)
        self._server = None
        self._done = threading.Event()
        self._done.set()
        self._lock = threading.Lock()
        self._stop_requested = False
        self.socket: socket.socket | None = None

    def bind(self, host: str, port: int) -> DyadsServer:
        try:
            self.socket = bind(host, port, self.limits.backlog)
        except BaseException:
            self.rt.close()
            raise
        return self

    @property
    def server_address(self) -> tuple[str, int]:
        assert self.socket is not None, "bind() first"
        return self.socket.getsockname()[:2]

    def serve_forever(self) -> None:
        import uvicorn

        from .app import asgi_app

        if self.socket is None:
            raise ConfigError("the server is not bound: call bind(host, port) first")
        limits = Limits(**{**asdict(self.limits), "access_log": self.limits.access_log and not self.quiet})
        config = _uvicorn_config(asgi_app(self.rt, self.settings.body_timeout), limits, logging=self.logging)
        with self._lock:
            if self._stop_requested:
                return
            self._server = uvicorn.Server(config)
            self._done.clear()
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._done.set()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop serving (requests in flight finish) and wait until ``serve_forever`` has returned."""
        with self._lock:
            self._stop_requested = True
            if self._server is not None:
                self._server.should_exit = True
        self._done.wait(timeout)

    def server_close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        self.rt.close()


def make_server(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
                cors_origin: str | None = None, max_body: int = 2_000_000, limits: Limits | None = None,
                body_timeout: float = 30.0, logging: bool = False, threads: int | None = None) -> DyadsServer:
    """A ready (bound, not yet serving) API server over the store ``db``; call ``serve_forever()``.

    The store is opened (and migrated) here, so a bad ``db`` fails now, not on the first request.
    """
    settings = Settings(db=db, cors_origin=cors_origin or None, max_body=int(max_body), body_timeout=body_timeout,
                        threads=threads)
    return DyadsServer(settings, token or None, limits, logging=logging).bind(host, port)


def tune_interpreter() -> None:
    """In a serving process: let the event loop take the GIL back from the store threads sooner.

    Every request passes through the loop thread (parse, validate, write); with the default 5 ms
    switch interval it can wait that long behind a thread that is building an answer, several times
    per request. 0.5 ms (as the old server used for its handler threads) keeps that wait short."""
    import sys

    sys.setswitchinterval(0.0005)


def default_workers() -> int:
    """Worker processes when ``--workers`` is not given: one per CPU, at most 4."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, n))


def app_from_env():
    """uvicorn's factory in each worker: the app over the settings in ``$DYADS_SERVE_SETTINGS``."""
    from .app import asgi_app

    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise ConfigError(f"{SETTINGS_ENV} is not set: start workers with `dyads serve --workers N`")
    settings = Settings(**json.loads(raw))
    rt = Runtime(settings.db, token=os.environ.get("DYADS_TOKEN") or None, cors_origin=settings.cors_origin,
                 max_body=settings.max_body, threads=settings.threads, shared_cache=settings.shared_cache)
    tune_interpreter()
    return asgi_app(rt, settings.body_timeout)


def bind_workers(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The parent's listening socket for :func:`serve_workers`, with SO_REUSEPORT where the kernel
    balances over a port's sockets (each worker then listens on its own as well: :class:`WorkerSocket`)."""
    return bind(host, port, backlog, reuse_port=reuse_port_balances())


def serve_workers(settings: Settings, sock: socket.socket, workers: int, limits: Limits | None = None) -> int:
    """Serve the port of ``sock`` (from :func:`bind_workers`) from ``workers`` uvicorn worker processes
    until SIGINT or SIGTERM; 0 when stopped so."""
    from uvicorn.supervisors import Multiprocess

    limits = limits or Limits()
    config = _uvicorn_config(f"{__name__}:app_from_env", limits, workers=workers, factory=True)
    own = reuse_port_balances() and sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    host, port = sock.getsockname()[:2]
    listeners: list[Any] = [sock, WorkerSocket(host, port, limits.backlog)] if own else [sock]
    try:
        with shared_answers_file() as shared:  # the workers share their aggregates (SharedAnswers)
            os.environ[SETTINGS_ENV] = json.dumps({**asdict(settings), "shared_cache": shared})
            Multiprocess(config, sockets=listeners).run()
    finally:
        sock.close()
    return 0


__all__ = ["DyadsServer", "Limits", "Protocol", "Settings", "WorkerSocket", "app_from_env", "bind", "bind_workers",
           "default_workers", "reuse_port_balances",
           "log_config", "make_server", "serve_workers", "tune_interpreter"]
