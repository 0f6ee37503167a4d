"""``dyads watch``: poll your own feeds, fetch each new page once, store its article once.

:func:`watch` runs polls on an interval (or one, ``once=True``); :func:`poll` is one poll:

1. **Feeds.** Every source of the FEEDS file (:mod:`dyads.feeds`: RSS/Atom, sitemaps, URL lists)
   is fetched with a conditional GET (:mod:`dyads.fetch`); a ``304`` lists nothing. The pages it
   lists that the store has never seen become ``pending`` rows of ``watch_pages``, **in the same
   transaction** as the feed's new ``ETag``/``Last-Modified``: a kill can never leave validators
   saying "seen" for items that were not recorded.
2. **Pages.** Every due page (``pending``, or ``retry`` whose time has come; at most
   ``max_items`` a poll, oldest first) is fetched, its main text taken with trafilatura
   (:func:`dyads.clean.html_to_text`), and stored through the same path as ``dyads ingest``:
   :func:`dyads.ingest.extract_item`, then :meth:`dyads.store.Store.add_result` keyed by the
   SHA-256 of the main text. The page row turns ``stored`` (or ``duplicate``: the same text is
   already stored, from another URL or an ``ingest``) **in the article's own transaction**, so a
   SIGKILL leaves a page either stored and marked, or neither (then it is fetched again on restart
   and stored once). Nothing stored is ever fetched again.
3. **Failures** never stop the loop. Each is kept on the page row (``reason``, ``attempts``) and
   in the store's ``failures`` table. Worth another try later (``retry``, after ``retry_base`` x
   2^(attempts-1) seconds, at most ``max_attempts`` tries): time-outs, refused connections,
   HTTP 5xx/429, HTTP 404 (a feed often lists a story before its page is live) and a page with no
   story text yet (under ``min_chars`` of main text; that retry is a conditional GET: a ``304``
   means "still the same"). Final
   (``failed``): robots.txt says no, too large, not HTML, a redirect loop, other 4xx, text that is
   not English. A feed that fails is retried at the next poll.
4. **Hook.** After each poll, ``on_ingested(store, article_ids)`` gets the ids of the articles
   stored since it last returned normally (those of a poll killed before the hook ran included:
   ``watch_pages.notified``), e.g. ``dyads.alerts.AlertHook``. An exception in the hook is
   reported and the same ids are offered again at the next poll.

One watcher writes to a store at a time (a lock file beside an SQLite store, an advisory lock on
PostgreSQL). No feed or page stops the loop; a store that cannot be written does (StoreError, exit 5
from the command), as there is nowhere left to record anything. ``stop`` (a
:class:`threading.Event`, set by the CLI on SIGTERM/SIGINT) ends the run between two items.
The command is ``dyads watch`` (:mod:`dyads.cli_watch`).
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from . import feeds as feeds_mod
from .errors import ConfigError, FetchError, InputError, StoreError
from .feeds import FeedItem, Source
from .fetch import Fetcher, FetchPolicy, Response
from .records import ArticleResult
from .store import Store, content_hash

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
FEED_ACCEPT = ("application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
               "text/plain;q=0.5,*/*;q=0.1")
RETRY_STATUS = (404,)  # besides FetchError.transient: a page listed before it is live
SOFT_ERRORS = ("EmptyInputError",)  # extraction errors of a page that may get its story later
STATES = ("pending", "retry", "stored", "duplicate", "failed")
Hook = Callable[[Store, list[str]], Any]


@dataclass
class WatchOptions:
    """How often and how far :func:`watch` goes; ``fetch`` is the HTTP politeness policy."""

    every: float = 900.0  # seconds from the start of one poll to the start of the next
    max_items: int = 200  # pages fetched per poll at most; the rest wait for the next poll
    retry_base: float = 600.0  # first wait before a failed page is tried again; doubles per attempt
    max_attempts: int = 5  # tries of one page before it is 'failed' for good
    actors_file: str | None = None  # extra actors for extraction (as `dyads ingest --actors`)
    min_chars: int = 200  # main text shorter than this is not a story (yet): a placeholder, a paywall stub
    fetch: FetchPolicy = field(default_factory=FetchPolicy)

    def check(self) -> WatchOptions:
        if self.every <= 0:
            raise ConfigError(f"--every {self.every!r} must be above 0 seconds (e.g. 15m)")
        if self.max_items < 1:
            raise ConfigError(f"--max-items {self.max_items!r} must be at least 1")
        if self.max_attempts < 1:
            raise ConfigError(f"--max-attempts {self.max_attempts!r} must be at least 1")
        if self.retry_base < 0:
            raise ConfigError(f"--retry-after {self.retry_base!r} must not be negative")
        self.fetch.check()
        return self


@dataclass
class PollSummary:
    """What one poll did."""

    poll: int
    started: str
    feeds: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    seen: int = 0  # items the feeds listed
    new: int = 0  # of those, never seen before
    ingested: int = 0  # articles stored
    duplicate: int = 0  # pages whose text was already stored
    failed: int = 0  # pages that failed this poll (to retry or for good)
    waiting: int = 0  # pages left for a later poll (over max_items, or retry not yet due)
    seconds: float = 0.0
    article_ids: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), feeds and pages
    warnings: list[str] = field(default_factory=list)
    hook_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"poll": self.poll, "started": self.started, "feeds": self.feeds, "feeds_failed": self.feeds_failed,
                "not_modified": self.not_modified, "seen": self.seen, "new": self.new, "ingested": self.ingested,
                "duplicate": self.duplicate, "failed": self.failed, "waiting": self.waiting,
                "seconds": round(self.seconds, 2), "article_ids": self.article_ids,
                "failures": [{"url": u, "reason": r} for u, r in self.failures], "warnings": self.warnings,
                "hook_error": self.hook_error}

    def line(self) -> str:
        at = self.started[11:19]
        feeds = f"{self.feeds} feeds"
        extra = [f"{self.not_modified} not modified"] if self.not_modified else []
        if self.feeds_failed:
            extra.append(f"{self.feeds_failed} failed")
        if extra:
            feeds += f" ({', '.join(extra)})"
        return (f"dyads watch: poll {self.poll} at {at}Z: {feeds}; items {self.seen} seen, {self.new} new, "
                f"{self.ingested} ingested, {self.duplicate} duplicate, {self.failed} failed, "
                f"{self.waiting} waiting ({self.seconds:.1f} s)")


@dataclass
class WatchRun:
    """Totals of a :func:`watch` run."""

    polls: int = 0
    ingested: int = 0
    failed: int = 0
    last: PollSummary | None = None
    stopped: bool = False  # ended by ``stop``, not by ``once``


@dataclass
class FeedState:
    """A row of ``watch_feeds``."""

    url: str
    kind: str | None = None
    name: str | None = None
    title: str | None = None
    parent: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    last_ok: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    items: int = 0
    polls: int = 0
    errors: int = 0

    COLUMNS = ("url", "kind", "name", "title", "parent", "etag", "last_modified", "last_polled", "last_ok",
               "last_status", "last_error", "items", "polls", "errors")

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in self.COLUMNS}


@dataclass
class PageState:
    """A row of ``watch_pages``."""

    url: str
    feed: str | None
    state: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    first_seen: str = ""
    fetched_at: str | None = None
    done_at: str | None = None
    attempts: int = 0
    next_try: str | None = None
    reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    article_id: str | None = None
    article_hash: str | None = None
    notified: int = 1

    COLUMNS = ("url", "feed", "state", "title", "published", "source", "first_seen", "fetched_at", "done_at",
               "attempts", "next_try", "reason", "etag", "last_modified", "final_url", "article_id",
               "article_hash", "notified")

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in self.COLUMNS}


def now_ms() -> str:
    """UTC time with milliseconds; the watch tables' timestamps (they sort as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def page_id(url: str) -> str:
    """The article id of a watched page: stable per canonical URL."""
    return "w-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- ledger


class Ledger:
    """The watch tables of a store (``watch_feeds``, ``watch_pages``); every write is one transaction."""

    def __init__(self, store: Store):
        self.store = store

    def feed(self, url: str) -> FeedState | None:
        rows = self.store.query(f"SELECT {', '.join(FeedState.COLUMNS)} FROM watch_feeds WHERE url = ?", (url,))
        return FeedState(*rows[0]) if rows else None

    def feeds(self) -> list[FeedState]:
        return [FeedState(*r) for r in self.store.query(
            f"SELECT {', '.join(FeedState.COLUMNS)} FROM watch_feeds ORDER BY url")]

    def page(self, url: str) -> PageState | None:
        rows = self.store.query(f"SELECT {', '.join(PageState.COLUMNS)} FROM watch_pages WHERE url = ?", (url,))
        return PageState(*rows[0]) if rows else None

    def pages(self, state: str | None = None) -> list[PageState]:
        where, params = ("WHERE state = ?", (state,)) if state else ("", ())
        return [PageState(*r) for r in self.store.query(
            f"SELECT {', '.join(PageState.COLUMNS)} FROM watch_pages {where} ORDER BY first_seen, url", params)]

    def failures(self) -> list[PageState | FeedState]:
        """Pages that failed (for good, or waiting for a retry), then feeds whose last poll failed."""
        rows: list[PageState | FeedState] = [PageState(*r) for r in self.store.query(
            f"SELECT {', '.join(PageState.COLUMNS)} FROM watch_pages WHERE state IN ('failed', 'retry') "
            "ORDER BY done_at, url")]
        rows += [f for f in self.feeds() if f.last_error]
        return rows

    def _known(self, urls: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(urls), 200):
            part = urls[i:i + 200]
            marks = ", ".join("?" for _ in part)
            found.update(r[0] for r in self.store.query(f"SELECT url FROM watch_pages WHERE url IN ({marks})", part))
        return found

    def feed_polled(self, src_url: str, *, kind: str, name: str | None, title: str | None, parent: str | None,
                    status: str, etag: str | None, last_modified: str | None, items: list[FeedItem],
                    source: str | None, not_modified: bool = False) -> int:
        """Record a successful poll of a feed and its new items, in one transaction; the number of new items."""
        at = now_ms()
        keep = 1 if not_modified else 0
        with self.store.transaction():
            known = self._known([i.url for i in items])
            new = [i for i in items if i.url not in known]
            for i in new:
                self.store.execute(
                    "INSERT INTO watch_pages (url, feed, state, title, published, source, first_seen) "
                    "VALUES (?, ?, 'pending', ?, ?, ?, ?)", (i.url, src_url, i.title, i.published, source, at))
            if self.store.query("SELECT 1 FROM watch_feeds WHERE url = ?", (src_url,)):
                self.store.execute(
                    # a 304 may leave out the validators (keep the stored ones); a 200 replaces them
                    "UPDATE watch_feeds SET kind = ?, name = ?, title = COALESCE(?, title), parent = ?, "
                    "etag = CASE WHEN ? = 1 THEN COALESCE(?, etag) ELSE ? END, "
                    "last_modified = CASE WHEN ? = 1 THEN COALESCE(?, last_modified) ELSE ? END, last_polled = ?, "
                    "last_ok = ?, last_status = ?, last_error = NULL, items = items + ?, polls = polls + 1 "
                    "WHERE url = ?",
                    (kind, name, title, parent, keep, etag, etag, keep, last_modified, last_modified, at, at, status,
                     len(new), src_url))
            else:
                self.store.execute(
                    "INSERT INTO watch_feeds (url, kind, name, title, parent, etag, last_modified, last_polled, "
                    "last_ok, last_status, items, polls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (src_url, kind, name, title, parent, etag, last_modified, at, at, status, len(new)))
        return len(new)

    def feed_failed(self, src_url: str, reason: str, *, kind: str, name: str | None, parent: str | None) -> None:
        at = now_ms()
        with self.store.transaction():
            if self.store.query("SELECT 1 FROM watch_feeds WHERE url = ?", (src_url,)):
                self.store.execute("UPDATE watch_feeds SET last_polled = ?, last_status = 'failed', last_error = ?, "
                                   "polls = polls + 1, errors = errors + 1 WHERE url = ?", (at, reason, src_url))
            else:
                self.store.execute(
                    "INSERT INTO watch_feeds (url, kind, name, parent, last_polled, last_status, last_error, polls, "
                    "errors) VALUES (?, ?, ?, ?, ?, 'failed', ?, 1, 1)", (src_url, kind, name, parent, at, reason))
            self.store.add_failure(src_url, None, reason)

    def due(self, limit: int) -> list[PageState]:
        return [PageState(*r) for r in self.store.query(
            f"SELECT {', '.join(PageState.COLUMNS)} FROM watch_pages WHERE state = 'pending' OR "
            "(state = 'retry' AND next_try <= ?) ORDER BY first_seen, url LIMIT ?", (now_ms(), limit))]

    def waiting(self) -> int:
        return int(self.store.scalar("SELECT COUNT(*) FROM watch_pages WHERE state IN ('pending', 'retry')"))

    def page_failed(self, page: PageState, reason: str, *, retry: bool, options: WatchOptions,
                    resp: Response | None = None) -> str:
        """Record a failed attempt; the page's new state (``retry`` or ``failed``)."""
        attempts = page.attempts + 1
        state = "retry" if retry and attempts < options.max_attempts else "failed"
        if retry and state == "failed":
            reason = f"{reason} (gave up after {attempts} attempts)"
        next_try = _later(options.retry_base * 2 ** (attempts - 1)) if state == "retry" else None
        at = now_ms()
        with self.store.transaction():
            self.store.execute(
                "UPDATE watch_pages SET state = ?, attempts = ?, next_try = ?, reason = ?, done_at = ?, "
                "fetched_at = COALESCE(?, fetched_at), etag = COALESCE(?, etag), "
                "last_modified = COALESCE(?, last_modified), final_url = COALESCE(?, final_url) WHERE url = ?",
                (state, attempts, next_try, reason, at, at if resp else None, resp.etag if resp else None,
                 resp.last_modified if resp else None, resp.final_url if resp else None, page.url))
            self.store.add_failure(page.url, page_id(page.url), reason)
        return state

    def page_done(self, page: PageState, state: str, *, resp: Response, article_id: str | None,
                  article_hash: str, notify: bool) -> None:
        """Mark a page stored or duplicate. Call inside the article's transaction."""
        at = now_ms()
        self.store.execute(
            "UPDATE watch_pages SET state = ?, attempts = ?, next_try = NULL, reason = NULL, fetched_at = ?, "
            "done_at = ?, etag = ?, last_modified = ?, final_url = ?, article_id = ?, article_hash = ?, "
            "notified = ? WHERE url = ?",
            (state, page.attempts + 1, at, at, resp.etag, resp.last_modified, resp.final_url, article_id,
             article_hash, 0 if notify and state == "stored" else 1, page.url))

    def unnotified(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.store.query(
            "SELECT url, article_id FROM watch_pages WHERE notified = 0 AND state = 'stored' ORDER BY done_at, url")]

    def mark_notified(self, urls: list[str]) -> None:
        with self.store.transaction():
            for i in range(0, len(urls), 200):
                part = urls[i:i + 200]
                self.store.execute(f"UPDATE watch_pages SET notified = 1 WHERE url IN ({', '.join('?' for _ in part)})",
                                   part)


# --------------------------------------------------------------------------- one watcher per store


@contextlib.contextmanager
def writer_lock(store: Store) -> Iterator[None]:
    """Hold the store's watch lock (a lock file beside an SQLite file; an advisory lock on PostgreSQL)."""
    if store.backend == "postgresql":
        key = 0x6479_6164_7377  # "dyadsw"
        if not store.scalar("SELECT pg_try_advisory_lock(?)", (key,)):
            raise StoreError("another dyads watch is writing to this PostgreSQL store: stop it first "
                             "(or, under cron, poll less often than a poll takes)")
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                store.query("SELECT pg_advisory_unlock(?)", (key,))
        return
    import fcntl

    path = store.scalar("SELECT file FROM pragma_database_list WHERE name = 'main'") or ""
    if not path:  # an in-memory database has no other writer
        yield
        return
    lock_path = path + ".watch-lock"
    try:
        fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        raise StoreError(f"cannot create the watch lock file {lock_path!r}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another dyads watch is writing to {path!r} (it holds {lock_path!r}): stop it "
                             "first (or, under cron, poll less often than a poll takes)") from None
        yield
    finally:
        fh.close()


# --------------------------------------------------------------------------- one poll


class _Poller:
    def __init__(self, store: Store, sources: list[Source], options: WatchOptions, fetcher: Fetcher,
                 stop: threading.Event, on_ingested: Hook | None):
        self.store = store
        self.ledger = Ledger(store)
        self.sources = sources
        self.options = options
        self.fetcher = fetcher
        self.stop = stop
        self.on_ingested = on_ingested

    # -- feeds -----------------------------------------------------------------------------
    def poll_source(self, src: Source, s: PollSummary, parent: str | None = None, depth: int = 0) -> None:
        s.feeds += 1
        try:
            if src.is_local:
                try:
                    with open(src.url, "rb") as fh:
                        content = fh.read(self.options.fetch.max_bytes + 1)
                except OSError as exc:
                    raise InputError(f"cannot read {src.url!r}: {exc.strerror or exc}") from None
                if len(content) > self.options.fetch.max_bytes:
                    raise InputError(f"{src.url!r} is larger than the size cap")
                resp = Response(url=src.url, final_url=src.url, status=200, content=content)
            else:
                known = self.ledger.feed(src.url)
                resp = self.fetcher.get(src.url, etag=known.etag if known else None,
                                        last_modified=known.last_modified if known else None, accept=FEED_ACCEPT)
            if resp.not_modified:
                s.not_modified += 1
                self.ledger.feed_polled(src.url, kind=known.kind or src.kind, name=src.name, title=None, parent=parent,
                                        status="304 not modified", etag=resp.etag, last_modified=resp.last_modified,
                                        items=[], source=None, not_modified=True)
                return
            parsed = feeds_mod.parse(resp.content, resp.final_url, src.kind, resp.content_type)
        except (FetchError, InputError) as exc:
            if self.stop.is_set() and isinstance(exc, FetchError) and exc.transient:
                return  # cut short by stop: not the feed's fault
            self._feed_failed(src, str(exc), s, parent)
            return
        except (StoreError, *_db_errors(self.store)):
            raise  # the store, not the feed: see run()
        except Exception as exc:  # noqa: BLE001 - a bug on one feed never stops the loop
            self._feed_failed(src, f"internal error: {type(exc).__name__}: {exc}", s, parent)
            return
        if parsed.warning:
            s.warnings.append(parsed.warning)
        source = src.name or parsed.title or (urlsplit(src.url).hostname if not src.is_local else None)
        s.seen += len(parsed.items)
        s.new += self.ledger.feed_polled(
            src.url, kind=parsed.kind, name=src.name, title=parsed.title, parent=parent, status=f"{resp.status}",
            etag=resp.etag, last_modified=resp.last_modified, items=parsed.items, source=source)
        if parsed.children:
            if depth >= 1:
                s.warnings.append(f"{src.url}: a sitemap index inside a sitemap index is not followed")
                return
            for child in parsed.children:
                if self.stop.is_set():
                    return
                self.poll_source(Source(child, "sitemap", src.name), s, parent=src.url, depth=depth + 1)

    def _feed_failed(self, src: Source, reason: str, s: PollSummary, parent: str | None) -> None:
        s.feeds_failed += 1
        s.failures.append((src.url, reason))
        self.ledger.feed_failed(src.url, reason, kind=src.kind, name=src.name, parent=parent)

    # -- pages -----------------------------------------------------------------------------
    def process_page(self, page: PageState, s: PollSummary) -> None:
        try:
            self._process_page(page, s)
        except (StoreError, *_db_errors(self.store)):
            raise  # the store, not the page: see run()
        except Exception as exc:  # noqa: BLE001 - a bug on one page never stops the loop
            self._page_failed(page, f"internal error: {type(exc).__name__}: {exc}", s, retry=False)

    def _page_failed(self, page: PageState, reason: str, s: PollSummary, *, retry: bool,
                     resp: Response | None = None) -> None:
        s.failed += 1
        state = self.ledger.page_failed(page, reason, retry=retry, options=self.options, resp=resp)
        s.failures.append((page.url, reason + (" (will retry)" if state == "retry" else "")))

    def _process_page(self, page: PageState, s: PollSummary) -> None:
        try:
            resp = self.fetcher.get(page.url, etag=page.etag, last_modified=page.last_modified, accept=HTML_ACCEPT)
        except FetchError as exc:
            if self.stop.is_set() and exc.transient:
                return  # cut short by stop: the page stays as it was
            self._page_failed(page, str(exc), s, retry=exc.transient or exc.status in RETRY_STATUS)
            return
        if resp.not_modified:
            self._page_failed(page, f"unchanged since the last attempt ({page.reason or 'no story text'})", s,
                              retry=True, resp=resp)
            return
        if resp.content_type not in HTML_TYPES or resp.content[:5] == b"%PDF-" or b"\x00" in resp.content[:4096]:
            what = resp.content_type or "binary content"
            self._page_failed(page, f"not HTML: {resp.final_url} is {what}", s, retry=False, resp=resp)
            return
        from . import clean

        text, warning = resp.text()
        if warning:
            s.warnings.append(f"{resp.final_url}: {warning}")
        is_html = resp.content_type != "text/plain"
        main = clean.html_to_text(text) if is_html else text
        size = len(main.strip())
        if size < self.options.min_chars:
            self._page_failed(page, f"no story text on {resp.final_url} ({size} characters of main text, a story has "
                              f"at least {self.options.min_chars}): not up yet, or not a story", s, retry=True,
                              resp=resp)
            return
        digest = content_hash(main)
        existing = self.store.query("SELECT id FROM articles WHERE hash = ?", (digest,))
        if existing:
            with self.store.transaction():
                self.ledger.page_done(page, "duplicate", resp=resp, article_id=existing[0][0], article_hash=digest,
                                      notify=False)
            s.duplicate += 1
            return
        title, published = page.title, page.published
        if is_html and (not title or not published):
            meta_title, meta_date = _metadata(text, resp.final_url)
            title = title or meta_title
            published = published or meta_date
        from .ingest import extract_item

        aid = page_id(page.url)
        out = extract_item({"id": aid, "text": main, "published": published, "title": title,
                            "source": page.source or urlsplit(resp.final_url).hostname, "url": resp.final_url,
                            "html": False, "actors_file": self.options.actors_file})
        if not out.get("ok"):
            self._page_failed(page, f"{out.get('error') or 'extraction failed'} ({resp.final_url})", s,
                              retry=out.get("error_type") in SOFT_ERRORS, resp=resp)
            return
        result = ArticleResult.from_dict(out["result"])
        with self.store.transaction():  # the article and its page's new state: both or neither
            stored = self.store.add_result(result, digest)
            self.ledger.page_done(page, "stored" if stored else "duplicate", resp=resp,
                                  article_id=aid if stored else None, article_hash=digest,
                                  notify=self.on_ingested is not None)
        if stored:
            s.ingested += 1
            s.article_ids.append(aid)
        else:
            s.duplicate += 1

    # -- hook ------------------------------------------------------------------------------
    def notify(self, s: PollSummary) -> None:
        if self.on_ingested is None:
            return
        pending = self.ledger.unnotified()
        if not pending:
            return
        try:
            self.on_ingested(self.store, [aid for _, aid in pending])
        except Exception as exc:  # noqa: BLE001 - reported; the same ids are offered again next poll
            s.hook_error = f"{type(exc).__name__}: {exc}"
            return
        self.ledger.mark_notified([u for u, _ in pending])

    def run(self, number: int) -> PollSummary:
        """One poll. A store that cannot be read or written ends it with a :class:`StoreError`
        (no feed or page is to blame, and nothing could be recorded)."""
        t0 = time.perf_counter()
        s = PollSummary(poll=number, started=now_ms())
        try:
            for src in self.sources:
                if self.stop.is_set():
                    break
                self.poll_source(src, s)
            if not self.stop.is_set():
                for page in self.ledger.due(self.options.max_items):
                    if self.stop.is_set():
                        break
                    self.process_page(page, s)
            self.notify(s)
            s.waiting = self.ledger.waiting()
        except _db_errors(self.store) as exc:
            raise StoreError(f"the store could not be read or written during poll {number}: "
                             f"{type(exc).__name__}: {exc}") from exc
        s.seconds = time.perf_counter() - t0
        return s


def _db_errors(store: Store) -> tuple[type[BaseException], ...]:
    """The database driver's error classes for ``store`` (sqlite3's, and psycopg's on PostgreSQL)."""
    import sqlite3

    if store.backend == "postgresql":
        import psycopg

        return (sqlite3.Error, psycopg.Error)
    return (sqlite3.Error,)


def _metadata(html: str, url: str) -> tuple[str | None, str | None]:
    """Title and publication date (YYYY-MM-DD) from the page's own metadata, when the feed gave none."""
    try:
        import trafilatura

        doc = trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001 - metadata is a nicety; the text is what matters
        return None, None
    if doc is None:
        return None, None
    title = " ".join((doc.title or "").split()) or None
    date = feeds_mod._day(doc.date) if doc.date else None
    return title, date


def poll(store: Store, sources: list[Source], options: WatchOptions | None = None, *, number: int = 1,
         stop: threading.Event | None = None, on_ingested: Hook | None = None, fetcher: Fetcher | None = None
         ) -> PollSummary:
    """One poll of every source, then of every due page (see the module docstring).

    Unlike :func:`watch` it takes no writer lock: the caller makes sure it is the store's only watcher.
    """
    options = (options or WatchOptions()).check()
    stop = stop or threading.Event()
    own = fetcher is None
    fetcher = fetcher or Fetcher(options.fetch, stop=stop)
    try:
        return _Poller(store, sources, options, fetcher, stop, on_ingested).run(number)
    finally:
        if own:
            fetcher.close()


def watch(store: Store, sources: list[Source], options: WatchOptions | None = None, *, once: bool = False,
          stop: threading.Event | None = None, on_ingested: Hook | None = None,
          progress: Callable[[PollSummary], Any] | None = None, max_polls: int | None = None,
          transport: Any = None) -> WatchRun:
    """Poll ``sources`` every ``options.every`` seconds until ``stop`` is set (or once); see the module docstring.

    ``progress`` gets each :class:`PollSummary`; ``transport`` is an ``httpx`` transport for tests.
    """
    options = (options or WatchOptions()).check()
    if not sources:
        raise ConfigError("nothing to watch: give at least one feed")
    stop = stop or threading.Event()
    run = WatchRun()
    with writer_lock(store), Fetcher(options.fetch, stop=stop, transport=transport) as fetcher:
        if not once:  # load the language model now, not when the first story arrives
            from .ingest import _init_worker

            _init_worker(options.actors_file)
        poller = _Poller(store, sources, options, fetcher, stop, on_ingested)
        while True:
            t0 = time.monotonic()
            s = poller.run(run.polls + 1)
            run.polls += 1
            run.ingested += s.ingested
            run.failed += s.failed + s.feeds_failed
            run.last = s
            if progress:
                progress(s)
            if once or (max_polls is not None and run.polls >= max_polls):
                break
            if stop.wait(max(0.0, options.every - (time.monotonic() - t0))):
                break
        run.stopped = stop.is_set()
    return run


__all__ = ["WatchOptions", "PollSummary", "WatchRun", "FeedState", "PageState", "Ledger", "poll", "watch",
           "writer_lock", "page_id"]
