"""Polite, bounded HTTP fetching for ``dyads watch`` (feeds, sitemaps, URL lists and pages).

:class:`Fetcher` wraps one ``httpx.Client`` and applies, to every request:

* **Time limits**: ``timeout`` seconds to connect and between two reads, and ``total_timeout``
  for the whole response (a server that trickles bytes is cut off too).
* **Retries** of *transient* failures (time-outs, connection errors, HTTP 5xx, 408 and 429)
  with exponential backoff: ``backoff``, ``2 x backoff``, ``4 x backoff`` ... (capped at
  ``max_backoff``; a ``Retry-After`` header lengthens the wait up to that cap). Other failures
  (HTTP 4xx, too large, not allowed ...) are raised at once.
* **Conditional GET**: the caller passes the ``ETag`` / ``Last-Modified`` it stored; they go
  out as ``If-None-Match`` / ``If-Modified-Since`` and a ``304`` comes back as a
  :class:`Response` with ``not_modified=True`` and no body.
* **Per-host rate limit**: at least ``host_delay`` seconds from the end of one response to the
  next request to the same host (or the host's robots.txt ``Crawl-delay``, if longer, up to a
  minute).
* **robots.txt** (``urllib.robotparser``), fetched once per origin and kept ``robots_ttl``
  seconds. As RFC 9309 says: a robots.txt that does not exist (4xx) allows everything, one that
  cannot be fetched (5xx, time-out) allows nothing *for now* (a transient failure).
* **Size cap**: a response larger than ``max_bytes`` (declared or, after decompression, read)
  is abandoned.
* **Redirects** are followed by hand, each hop checked against robots.txt and the rate limit,
  at most ``max_redirects`` of them; a loop is reported as a loop.

Failures are :class:`dyads.errors.FetchError` with a reason a person can act on and a
``transient`` flag. A :class:`threading.Event` passed as ``stop`` cuts every wait short.
"""
from __future__ import annotations

import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from . import __version__
from .errors import FetchError

ROBOTS_AGENT = "dyads"  # the token robots.txt rules name
USER_AGENT = f"dyads/{__version__} (news event coder; robots.txt token 'dyads')"
REDIRECTS = (301, 302, 303, 307, 308)
TRANSIENT_STATUS = (408, 425, 429, 500, 502, 503, 504)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass
class FetchPolicy:
    """How politely and how far :class:`Fetcher` goes. Defaults suit news sites."""

    timeout: float = 20.0  # seconds to connect, and between two reads
    total_timeout: float = 60.0  # seconds for a whole response
    retries: int = 2  # extra attempts after a transient failure
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_backoff: float = 30.0
    max_bytes: int = 5_000_000  # larger responses are abandoned
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between two requests to one host
    robots: bool = True
    robots_ttl: float = 3600.0
    user_agent: str = USER_AGENT

    def check(self) -> FetchPolicy:
        from .errors import ConfigError

        for name in ("timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be above 0 seconds")
        for name in ("retries", "backoff", "max_backoff", "host_delay", "max_redirects", "robots_ttl"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} {getattr(self, name)!r} must not be negative")
        if self.max_bytes < 1024:
            raise ConfigError(f"max_bytes {self.max_bytes!r} is too small: give at least 1024 bytes (e.g. 5MB)")
        return self


@dataclass
class Response:
    """One successful fetch (after redirects), or a ``304 Not Modified`` (``not_modified``)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content: bytes = b""
    content_type: str = ""  # media type, lower case, without parameters
    charset: str | None = None  # as declared in Content-Type
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)

    def text(self) -> tuple[str, str | None]:
        """The body as text, and a warning when the declared encoding was wrong or missing.

        Tries the charset of the Content-Type header, then of a ``<meta>`` tag, then UTF-8,
        then Windows-1252 (which decodes any byte: Latin-1 pages come out right).
        """
        declared = self.charset
        meta = _META_CHARSET.search(self.content[:4096])
        candidates = [c for c in (declared, meta.group(1).decode("ascii", "ignore") if meta else None) if c]
        for enc in [*candidates, "utf-8"]:
            try:
                return self.content.decode(enc), None
            except (UnicodeDecodeError, LookupError):
                continue
        what = (f"declared as {candidates[0]!r} but not valid in it (nor in UTF-8)" if candidates
                else "no encoding declared and not valid UTF-8")
        return self.content.decode("cp1252", errors="replace"), f"{what}: decoded as Windows-1252"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _human_bytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


class Fetcher:
    """One HTTP client with the rules of the module docstring. Use as a context manager."""

    def __init__(self, policy: FetchPolicy | None = None, stop: threading.Event | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.policy = (policy or FetchPolicy()).check()
        self.stop = stop or threading.Event()
        p = self.policy
        self.client = httpx.Client(
            timeout=httpx.Timeout(p.timeout), follow_redirects=False, transport=transport,
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self._delay: dict[str, float] = {}  # host -> Crawl-delay from its robots.txt
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None, FetchError | None]] = {}
        self.requests = 0  # HTTP requests sent (robots.txt included)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:  # noqa: PYI034
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- public --------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None, max_bytes: int | None = None) -> Response:
        """GET ``url`` with retries; raise :class:`FetchError` when it cannot be had."""
        p = self.policy
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers, max_bytes or p.max_bytes, robots=p.robots)
            except FetchError as exc:
                if not exc.transient or attempt >= p.retries or self.stop.is_set():
                    raise
                wait = min(p.max_backoff, p.backoff * (2 ** attempt))
                hint = exc.retry_after
                if hint is not None:
                    if hint > p.max_backoff:
                        raise  # the server asks for a longer pause than we wait here: next poll
                    wait = max(wait, hint)
                attempt += 1
                if self.stop.wait(wait):
                    raise

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (raises a transient FetchError when it cannot be read)."""
        if not self.policy.robots:
            return True
        rp = self._robots_for(url)
        return rp is None or rp.can_fetch(ROBOTS_AGENT, url)

    # -- internals -----------------------------------------------------------------------
    def _wait_host(self, host: str) -> None:
        delay = max(self.policy.host_delay, self._delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            remaining = last + delay - time.monotonic()
            if remaining > 0 and self.stop.wait(remaining):
                raise FetchError("stopped before the request", transient=True)
        self._last[host] = time.monotonic()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        now = time.monotonic()
        cached = self._robots.get(origin)
        ttl = self.policy.robots_ttl if cached is None or cached[2] is None else min(60.0, self.policy.robots_ttl)
        if cached and now - cached[0] < ttl:  # an unreadable robots.txt is asked for again within a minute
            if cached[2] is not None:
                raise cached[2]
            return cached[1]
        rp: urllib.robotparser.RobotFileParser | None = None
        err: FetchError | None = None
        try:
            resp = self._get_once(origin + "/robots.txt", {}, 512_000, robots=False)
            rp = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            rp.parse(resp.content.decode("utf-8", errors="replace").splitlines())
            delay = rp.crawl_delay(ROBOTS_AGENT)
            if delay:
                self._delay[parts.hostname or ""] = min(60.0, float(delay))
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status not in TRANSIENT_STATUS:
                rp = None  # no robots.txt: everything is allowed
            else:
                err = FetchError(f"robots.txt of {origin} could not be read ({exc}); nothing there is fetched "
                                 "until it can be", transient=True)
        self._robots[origin] = (now, rp, err)
        if err is not None:
            raise err
        return rp

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int, *, robots: bool) -> Response:
        p = self.policy
        chain = [url]
        current = url
        while True:
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"cannot fetch {current!r}: only http:// and https:// URLs are supported")
            if robots and not self.allowed(current):
                raise FetchError(f"robots.txt of {parts.scheme}://{parts.netloc} disallows {parts.path or '/'} "
                                 f"for {ROBOTS_AGENT!r}")
            if self.stop.is_set():
                raise FetchError("stopped before the request", transient=True)
            self._wait_host(parts.hostname)
            self.requests += 1
            deadline = time.monotonic() + p.total_timeout
            try:
                with self.client.stream("GET", current, headers=headers) as r:
                    if r.status_code in REDIRECTS:
                        loc = r.headers.get("location")
                        if not loc:
                            raise FetchError(f"HTTP {r.status_code} redirect without a Location header at {current}",
                                             status=r.status_code)
                        nxt = urldefrag(urljoin(str(r.url), loc.strip())).url
                        if nxt in chain:
                            raise FetchError("redirect loop: " + " -> ".join([*chain, nxt]), status=r.status_code)
                        if len(chain) > p.max_redirects:
                            raise FetchError(f"more than {p.max_redirects} redirects from {url}", status=r.status_code)
                        chain.append(nxt)
                        current = nxt
                        continue
                    return self._read(url, chain, r, max_bytes, deadline)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {p.timeout:g} s ({type(exc).__name__}) at {current}",
                                 transient=True) from None
            except httpx.TransportError as exc:
                raise FetchError(f"connection failed at {current}: {type(exc).__name__}: {exc}",
                                 transient=True) from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL {current!r}: {exc}") from None
            finally:  # the pause runs from the end of this response, not its start
                self._last[parts.hostname] = time.monotonic()

    def _read(self, url: str, chain: list[str], r: httpx.Response, max_bytes: int, deadline: float) -> Response:
        final = chain[-1]
        ctype = r.headers.get("content-type", "")
        media = ctype.split(";")[0].strip().lower()
        m = re.search(r"charset\s*=\s*\"?([^\";\s]+)", ctype, re.I)
        resp = Response(url=url, final_url=final, status=r.status_code, content_type=media,
                        charset=m.group(1) if m else None, etag=r.headers.get("etag"),
                        last_modified=r.headers.get("last-modified"), redirects=chain[1:])
        if r.status_code == 304:
            resp.not_modified = True
            return resp
        if r.status_code >= 400 or r.status_code < 200:
            raise FetchError(f"HTTP {r.status_code} {r.reason_phrase or ''}".rstrip() + f" at {final}",
                             transient=r.status_code in TRANSIENT_STATUS, status=r.status_code,
                             retry_after=_retry_after(r.headers.get("retry-after")))
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"too large: {final} declares {_human_bytes(int(declared))}, the cap is "
                             f"{_human_bytes(max_bytes)} (raise --max-size to accept it)", status=r.status_code)
        buf = bytearray()
        for chunk in r.iter_bytes():
            buf += chunk
            if len(buf) > max_bytes:
                raise FetchError(f"too large: {final} sent more than the cap of {_human_bytes(max_bytes)} "
                                 "(raise --max-size to accept it)", status=r.status_code)
            if time.monotonic() > deadline:
                raise FetchError(f"too slow: {final} did not finish within {self.policy.total_timeout:g} s",
                                 transient=True, status=r.status_code)
            if self.stop.is_set():
                raise FetchError("stopped during the download", transient=True)
        resp.content = bytes(buf)
        return resp
