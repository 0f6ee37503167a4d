"""What a serving process holds, whatever speaks HTTP for it: store connections, the answer cache,
the dashboard's files and the headers every response carries.

:class:`Runtime` is one per process (one per worker): a :class:`StorePool` of connections to the
store, an :class:`AnswerCache` of encoded JSON answers, and the two locks (one writer, one
extraction at a time). The ASGI app (:mod:`dyads.serve.app`) and the deprecated ``http.server``
one (:mod:`dyads.serve.legacy`) both use it, so the side-by-side benchmark compares HTTP layers,
not caches.
"""
from __future__ import annotations

import json
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

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

# The dashboard: every file it loads, by name (a fixed list, so no path from a request reaches the disk).
STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml",
          # the graph libraries and the ForceAtlas2 worker, vendored by `make web`, with their licences
          "vendor/graph.js": "text/javascript; charset=utf-8", "vendor/fa2-worker.js": "text/javascript; charset=utf-8",
          "vendor/THIRD_PARTY_LICENSES.txt": "text/plain; charset=utf-8"}
_STATIC_CACHE: dict[str, bytes] = {}

JSON_TYPE = "application/json; charset=utf-8"


def static_body(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of the dashboard file ``name`` (one of :data:`STATIC`), else None."""
    ctype = STATIC.get(name)
    if ctype is None:
        return None
    body = _STATIC_CACHE.get(name)
    if body is None:
        from importlib.resources import files

        body = files("dyads.serve").joinpath("web", name).read_bytes()
        _STATIC_CACHE[name] = body
    return body, ctype


def default_threads(db: str) -> int:
    """Store-reading threads per worker when not given: 16 on PostgreSQL (a query waits on the
    network and the server's processes), 4 on SQLite (a query is this process's own CPU work: more
    threads than that only take turns at the interpreter lock with the event loop). Measured on
    1,000,000 events, 2 workers, 20 connections of event pages: 16 threads 1.32-1.38 ms of server
    CPU per page, 1,190-1,260 pages/s, p95 33-39 ms; 4 threads 1.05-1.08 ms, 1,650 pages/s, p95
    27 ms; 2 threads about the same as 4 (the old server: 1.09-1.31 ms, 1,280-1,600 pages/s)."""
    return 16 if str(db).startswith(("postgresql://", "postgres://")) else 4


def encode(obj: Any) -> bytes:
    """JSON as the API answers it: UTF-8, no ASCII escapes, no NaN."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False).encode("utf-8")


class StorePool:
    """Store connections shared by the request threads (one connection per concurrent request)."""

    # SQLite reads through a memory map of up to this many bytes of the file: the pages are the OS's
    # page cache, shared by every connection and worker, instead of a copy in each connection's own
    # 2 MB cache. Measured on 1,000,000 events: event pages 10-13% less time (p50 2.5 -> 1.7 ms)
    SQLITE_MMAP_BYTES = 1 << 30

    def __init__(self, db: str, size: int = 16):
        self.db = db
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self.size = size
        first = self._open(db)  # fail fast on a bad --db, and migrate once
        self.backend = first.backend
        self._idle.put(first)

    def _open(self, db: str) -> Any:
        from ..store import open_store

        s = open_store(db)
        if s.backend == "sqlite":
            s.conn.execute(f"PRAGMA mmap_size = {int(self.SQLITE_MMAP_BYTES)}")
        else:
            # a page's queries are short and many run at once: no parallel workers (measured on
            # 1,000,000 events: they take other requests' cores, and alone save little: the bench
            # queries' sum 3.4 -> 3.1 s without them) and no JIT compilation
            s.execute("SET max_parallel_workers_per_gather = 0")
            s.execute("SET jit = off")
            s.conn.commit()  # a SET in a transaction rolled back later would be undone
        return s

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


SHARED_ENDPOINTS = frozenset({"graph", "dyads", "timeline"})  # the aggregates: the same few, each costly


class SharedAnswers:
    """Encoded answers shared by the worker processes of one server, in an SQLite file of a private
    directory the serving parent makes (and removes): an aggregate one worker has computed is not
    computed again by the others (measured: a 1,000,000-event store's ``/api/graph`` takes 0.1-4 s;
    with two workers each computed every one itself, taking a core from the event pages meanwhile).

    Best effort: a busy or broken file means an answer is computed here, never an error. Entries of
    another store version (see :class:`AnswerCache`) are dropped as new ones arrive; at most
    ``max_rows`` are kept. Connections are per thread and per process (none crosses a fork)."""

    def __init__(self, path: str, max_rows: int = 512):
        self.path, self.max_rows = path, max_rows
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None or self._local.pid != os.getpid():
            c = sqlite3.connect(self.path, timeout=0.2, isolation_level=None, check_same_thread=False)
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=OFF")  # a cache: losing it on a crash loses nothing
            c.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, version TEXT NOT NULL, "
                      "body BLOB NOT NULL)")
            self._local.conn, self._local.pid = c, os.getpid()
        return c

    def get(self, key: str) -> bytes | None:
        try:
            row = self._conn().execute("SELECT body FROM answers WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return bytes(row[0]) if row else None

    def put(self, key: str, version: str, body: bytes) -> None:
        try:
            c = self._conn()
            with c:  # one transaction (isolation_level None: BEGIN and COMMIT by hand)
                c.execute("BEGIN IMMEDIATE")
                c.execute("DELETE FROM answers WHERE version <> ?", (version,))
                c.execute("INSERT OR REPLACE INTO answers (key, version, body) VALUES (?, ?, ?)", (key, version, body))
                c.execute("DELETE FROM answers WHERE rowid NOT IN (SELECT rowid FROM answers ORDER BY rowid DESC "
                          "LIMIT ?)", (self.max_rows,))
        except sqlite3.Error:
            pass


@contextmanager
def shared_answers_file() -> Iterator[str]:
    """The path of a :class:`SharedAnswers` file for the workers of one server, in a directory only
    this user can read (``mkdtemp``: mode 0700), removed with what is in it when the server stops."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="dyads-serve-")
    try:
        yield os.path.join(folder, "answers.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class AnswerCache:
    """Encoded answers of the list and aggregate endpoints, per endpoint an LRU of ``size`` entries.

    The key holds the query parameters and the store's highest event, event-mention and article
    ids, so an ingest by this server or by any other process (``dyads ingest`` into the same store,
    another worker, another machine on the same PostgreSQL) makes every entry stale. One
    computation per key runs at a time; concurrent callers of the same key wait for it. With
    ``shared`` (a server of several worker processes), the aggregates (:data:`SHARED_ENDPOINTS`)
    are looked up there on a miss, and what is computed here is put there for the other workers.
    """

    def __init__(self, size: int = 256, shared: SharedAnswers | None = None):
        self.size = size  # per endpoint: a stream of one-off event pages never evicts the graphs
        self.shared = shared
        self._caches: dict[str, dict[tuple, Any]] = {}
        self._lock = threading.Lock()
        self._flights: dict[tuple, threading.Lock] = {}
        self._epoch = 0

    def _shared_get(self, key: tuple) -> Any:
        if self.shared is None or key[0] not in SHARED_ENDPOINTS:
            return None
        value = self.shared.get(json.dumps(key))
        if value is not None:
            self._remember(key, value)
        return value

    def _remember(self, key: tuple, value: Any) -> None:
        with self._lock:
            cache = self._caches.setdefault(key[0], {})
            cache[key] = value
            while len(cache) > self.size:
                cache.pop(next(iter(cache)))

    def forget_versions(self) -> None:
        """After a write through one of this process's own connections (see :meth:`version`)."""
        self._epoch += 1

    def version(self, store) -> tuple:
        """The store's highest event, event-mention and article ids. On SQLite they are read again
        only when ``PRAGMA data_version`` says another connection has committed since (it costs no
        table read; the three maxima about 5% of a worker's CPU under load when read every time);
        a commit through this same connection does not move it, so the writer calls
        :meth:`forget_versions`."""
        sqlite = store.backend == "sqlite"
        if sqlite:
            mark = (store.conn.execute("PRAGMA data_version").fetchone()[0], self._epoch)
            seen = getattr(store, "_answer_version", None)
            if seen is not None and seen[0] == mark:
                return seen[1]
        version = tuple(store.query("SELECT (SELECT MAX(pk) FROM events), (SELECT MAX(pk) FROM event_mentions), "
                                    "(SELECT MAX(pk) FROM articles)")[0])
        if sqlite:
            store._answer_version = (mark, version)
        return version

    def _key(self, store, name: str, params: dict[str, str]) -> tuple:
        return (name, tuple(sorted(params.items())), self.version(store))

    def peek(self, store, name: str, params: dict[str, str]) -> Any:
        """The remembered answer for the store as it is now, or None (nothing is computed)."""
        key = self._key(store, name, params)
        with self._lock:
            cache = self._caches.get(name, {})
            if key in cache:
                cache[key] = cache.pop(key)
                return cache[key]
        return self._shared_get(key)

    def get(self, store, name: str, params: dict[str, str], fn: Callable[[Any, dict[str, str]], Any]) -> Any:
        """``fn(store, params)``, remembered until the store's events change."""
        key = self._key(store, name, params)
        with self._lock:
            cache = self._caches.setdefault(name, {})
            if key in cache:
                cache[key] = cache.pop(key)  # most recently used last
                return cache[key]
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in cache:
                    return cache[key]
            try:
                value = self._shared_get(key)
                if value is not None:
                    return value
                value = fn(store, params)
            finally:
                with self._lock:
                    self._flights.pop(key, None)
            self._remember(key, value)
            if self.shared is not None and name in SHARED_ENDPOINTS and isinstance(value, bytes):
                self.shared.put(json.dumps(key), json.dumps(key[2]), value)
        return value


class Runtime:
    """One serving process's state: configuration, store pool, answer cache and locks."""

    def __init__(self, db: str, token: str | None = None, cors_origin: str | None = None,
                 max_body: int = 2_000_000, threads: int | None = None, cache_size: int = 256,
                 shared_cache: str | None = None):
        self.db = db
        self.token = token.encode("utf-8") if token else None
        self.cors_origin = cors_origin or None
        self.max_body = int(max_body)
        self.threads = int(threads) if threads else default_threads(db)
        self.pool = StorePool(db, size=self.threads + 2)  # a connection per read thread, two for writes
        self.cache = AnswerCache(cache_size, SharedAnswers(shared_cache) if shared_cache else None)
        self.write_lock = threading.Lock()
        self.extract_lock = threading.Lock()
        self._executors: dict[str, Any] = {}
        self._computing: dict[tuple, Any] = {}  # (endpoint, params) -> asyncio future; event loop only

    def executor(self, kind: str = "read") -> Threads:
        """The threads that run blocking work: ``read`` (store reads, ``threads`` threads),
        ``peek`` (cache lookups, two threads: an answer already computed never waits behind a slow
        computation) or ``write`` (extraction and ingestion, two threads: a slow extraction never
        holds up a read). Made on first use, so a process that forks or spawns workers holds none."""
        ex = self._executors.get(kind)
        if ex is None:
            ex = self._executors[kind] = Threads(self.threads if kind == "read" else 2, f"dyads-{kind}")
        return ex

    def submit(self, fn: Callable[..., Any], *args: Any, kind: str = "read"):
        """``fn(*args)`` in a thread of the ``kind`` pool: an asyncio future of the running loop
        with its result or exception."""
        import asyncio

        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self.executor(kind).submit(_job, loop, fut, fn, args)
        return fut

    async def run(self, fn: Callable[..., Any], *args: Any, kind: str = "read") -> Any:
        """``fn(*args)`` in a thread of the ``kind`` pool, awaited from the event loop.

        Not anyio's ``to_thread`` nor ``loop.run_in_executor``: the event loop is the one thread
        every request needs, and the hand-off costs it less the leaner it is. Measured per call,
        one at a time on uvloop: ``run_in_executor`` 50 us of CPU, :class:`Threads` with the
        result set through ``call_soon_threadsafe`` 22-28 us (anyio's was 83 against 14 us of a
        ``concurrent.futures`` pool with 8 requests in flight)."""
        return await self.submit(fn, *args, kind=kind)

    def read(self, name: str, params: dict[str, str], fn: Callable[[Any, dict[str, str]], Any]) -> bytes:
        """The encoded answer of a read endpoint, from the cache or computed on a miss (blocking)."""
        with self.pool.store() as s:
            return self.cache.get(s, name, params, lambda st, p: encode(fn(st, p)))

    def peek(self, name: str, params: dict[str, str]) -> bytes | None:
        """The cached encoded answer of a read endpoint for the store as it is now, or None (blocking)."""
        with self.pool.store() as s:
            return self.cache.peek(s, name, params)

    async def read_async(self, name: str, params: dict[str, str], fn: Callable[[Any, dict[str, str]], Any],
                         peek: bool = True) -> bytes:
        """:meth:`read` from the event loop. ``peek``: look in the cache first (on SQLite in the event
        loop, else on the ``peek`` threads), so a cached answer is not queued behind computations
        (for the aggregates, which repeat; not
        worth the extra hop for event pages, which mostly do not). A request for an answer that is
        being computed for the same parameters waits for that computation without holding a thread."""
        import asyncio

        if peek:
            # on SQLite the look-up is a few microseconds (a PRAGMA and a dict; see AnswerCache.version)
            # and is done here, on the event loop: a cached aggregate then needs no thread at all
            hit = (self.peek(name, params) if self.pool.backend == "sqlite"
                   else await self.run(self.peek, name, params, kind="peek"))
            if hit is not None:
                return hit
        key = (name, tuple(sorted(params.items())))
        fut = self._computing.get(key)
        if fut is None:
            fut = self.submit(self.read, name, params, fn)
            self._computing[key] = fut
            fut.add_done_callback(lambda _f: self._computing.pop(key, None))
        return await asyncio.shield(fut)

    def with_store(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(store, *args)`` with a store borrowed from the pool (blocking)."""
        with self.pool.store() as s:
            return fn(s, *args)

    def extract(self, body: dict[str, Any]):
        """Extraction of one article body (see :func:`dyads.serve.api._article_body`), one at a time."""
        from ..pipeline import extract

        with self.extract_lock:
            return extract(body["text"], published=body.get("published"), source=body.get("source"),
                           url=body.get("url"), title=body.get("title"), id=body.get("id"))

    def ingest(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Store one article body: (201, summary) when new, (200, summary) when already stored."""
        from ..store import content_hash

        raw_hash = content_hash(body["text"])
        with self.pool.store() as s:
            if s.has_hash(raw_hash):
                return 200, {"stored": False, "duplicate": True, "hash": raw_hash}
        result = self.extract(body)
        with self.write_lock, self.pool.store() as s:
            try:
                stored = s.add_result(result, raw_hash)
            finally:
                self.cache.forget_versions()  # this connection's own commit does not move its data_version
        return (201 if stored else 200), {
            "stored": stored, "duplicate": not stored, "hash": raw_hash, "article": result.article.id,
            "actors": len(result.actors), "events": len(result.events), "quotes": len(result.quotes)}

    def close(self) -> None:
        for ex in self._executors.values():
            ex.shutdown()
        self._executors.clear()
        self.pool.close()


def _job(loop, fut, fn: Callable[..., Any], args: tuple) -> None:
    """Run ``fn(*args)`` (in a pool thread) and hand its result or exception to ``fut`` on ``loop``."""
    try:
        result = fn(*args)
    except BaseException as exc:  # noqa: BLE001 - handed to the awaiting request, which answers or re-raises it
        _call_soon(loop, _fail, fut, exc)
    else:
        _call_soon(loop, _resolve, fut, result)


def _call_soon(loop, fn: Callable[..., Any], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:  # the loop has closed (the worker is stopping): nobody waits for this answer
        pass


def _resolve(fut, result: Any) -> None:
    if not fut.done():  # not cancelled meanwhile (a client that went away)
        fut.set_result(result)


def _fail(fut, exc: BaseException) -> None:
    if not fut.done():
        fut.set_exception(exc)


class Threads:
    """A fixed number of threads running jobs from one C queue (``queue.SimpleQueue``), started on the
    first job; less per job than ``concurrent.futures``' pool (no future, work item or idle
    semaphore per job: the result goes back through :func:`_job`). :meth:`shutdown` drops the
    jobs not started and lets each thread end after its current one."""

    def __init__(self, size: int, name: str):
        self.size, self.name = int(size), name
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        if self._closed:
            raise RuntimeError(f"thread pool {self.name} is shut down")
        if len(self._threads) < self.size:
            with self._lock:
                while len(self._threads) < self.size:
                    t = threading.Thread(target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True)
                    t.start()
                    self._threads.append(t)
        self._jobs.put((fn, args))

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, args = job
            try:
                fn(*args)
            except Exception:  # a job hands its own errors on (_job); a thread never dies of one
                import logging

                logging.getLogger("dyads.serve").exception("error in %s", threading.current_thread().name)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            try:
                while True:
                    self._jobs.get_nowait()
            except queue.Empty:
                pass
            for _ in self._threads:
                self._jobs.put(None)
