"""What ``dyads watch`` watches: the FEEDS file, and the items of RSS/Atom feeds, sitemaps and URL lists.

The FEEDS file is YAML or plain text.

YAML (``.yaml``/``.yml``, or any file whose text is a YAML mapping with ``feeds:``)::

    feeds:
      - https://news.example.org/world/rss.xml        # kind detected from what the URL serves
      - url: https://news.example.org/sitemap-news.xml
        kind: sitemap                                 # feed | sitemap | urls | auto (default)
        name: Example News                            # the articles' source (default: the feed's title)
      - url: watchlist.txt                            # a local file: page URLs, one a line
        kind: urls

Plain text: one source a line, ``URL`` or ``KIND URL``; blank lines and ``#`` comments are skipped.

Kinds: ``feed`` (RSS 0.9x/1.0/2.0 or Atom, parsed by feedparser, which reads malformed XML and
wrong encodings as far as they can be read), ``sitemap`` (``<urlset>``, Google News sitemaps
included, or a ``<sitemapindex>`` whose child sitemaps are polled in turn; parsed by lxml with
entities and network access off) and ``urls`` (a text file of page URLs). ``auto`` sniffs the
content. Local paths are relative to the FEEDS file.
"""
from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

from .errors import ConfigError, InputError

KINDS = ("auto", "feed", "sitemap", "urls")
_KIND_ALIASES = {"rss": "feed", "atom": "feed", "feed": "feed", "sitemap": "sitemap", "urls": "urls",
                 "list": "urls", "auto": "auto"}
_TRACKING = re.compile(r"^(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$", re.I)
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
MAX_CHILD_SITEMAPS = 50


@dataclass
class Source:
    """One entry of the FEEDS file."""

    url: str  # http(s) URL, or a local file path (absolute after loading)
    kind: str = "auto"
    name: str | None = None  # the source (outlet) name given to its articles

    @property
    def is_local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


@dataclass
class FeedItem:
    """One page a feed lists."""

    url: str  # canonical (see :func:`canonical_url`)
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    guid: str | None = None


@dataclass
class ParsedFeed:
    """What one fetch of a source gave."""

    kind: str  # feed | sitemap | sitemapindex | urls
    title: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    warning: str | None = None  # read, but not cleanly (malformed XML, wrong encoding ...)


# --------------------------------------------------------------------------- FEEDS file


def _kind(value: object, where: str) -> str:
    k = _KIND_ALIASES.get(str(value or "auto").strip().lower())
    if k is None:
        raise ConfigError(f"{where}: unknown kind {value!r}; use one of {', '.join(KINDS)}")
    return k


def _resolve(url: str, base: Path, where: str) -> str:
    url = url.strip()
    if not url:
        raise ConfigError(f"{where}: empty URL")
    if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        if not url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where}: {url!r} is not an http(s) URL or a local file path")
        return url
    p = Path(url).expanduser()
    if not p.is_absolute():
        p = base / p
    return str(p)


def load_sources(path: str | Path) -> list[Source]:
    """The sources listed in a FEEDS file (YAML or plain text; see the module docstring)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"FEEDS file {str(p)!r} does not exist: give a YAML or text file listing feed URLs") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read FEEDS file {str(p)!r}: {exc}") from None
    base = p.resolve().parent
    sources: list[Source] = []
    if p.suffix.lower() in (".yaml", ".yml") or re.search(r"^feeds\s*:", text, re.M):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"FEEDS file {str(p)!r} is not valid YAML: {exc}") from None
        entries = doc.get("feeds") if isinstance(doc, dict) else doc
        if not isinstance(entries, list):
            raise ConfigError(f"FEEDS file {str(p)!r}: expected a list under 'feeds:' "
                              "(each a URL, or a mapping with url, kind and name)")
        for n, e in enumerate(entries, 1):
            where = f"{p}: feeds entry {n}"
            if isinstance(e, str):
                sources.append(Source(_resolve(e, base, where)))
            elif isinstance(e, dict) and isinstance(e.get("url"), str):
                unknown = set(e) - {"url", "kind", "name"}
                if unknown:
                    raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; use url, kind, name")
                name = e.get("name")
                sources.append(Source(_resolve(e["url"], base, where), _kind(e.get("kind"), where),
                                      str(name) if name else None))
            else:
                raise ConfigError(f"{where}: {e!r} is neither a URL nor a mapping with 'url'")
    else:
        for n, line in enumerate(text.splitlines(), 1):
            line = line.split(" #")[0].strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            where = f"{p}:{n}"
            if len(parts) == 1:
                sources.append(Source(_resolve(parts[0], base, where)))
            elif len(parts) == 2:
                sources.append(Source(_resolve(parts[1], base, where), _kind(parts[0], where)))
            else:
                raise ConfigError(f"{where}: expected 'URL' or 'KIND URL', got {line!r}")
    seen: set[str] = set()
    unique = []
    for s in sources:
        if s.url not in seen:
            seen.add(s.url)
            unique.append(s)
    if not unique:
        raise ConfigError(f"FEEDS file {str(p)!r} lists no feeds: add one URL per line (or a YAML 'feeds:' list)")
    return unique


# --------------------------------------------------------------------------- URLs


def canonical_url(url: str) -> str:
    """The key a page is remembered by: no fragment, lower-case scheme and host, no tracking parameters."""
    url = urldefrag(url.strip()).url
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    return canonical_url(value) if value.lower().startswith(("http://", "https://")) else None


def _day(value: object) -> str | None:
    if isinstance(value, time.struct_time):
        try:
            return time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(value)))
        except (OverflowError, ValueError):
            return None
    m = _DATE.match(str(value or ""))
    if not m:
        return None
    import datetime

    try:
        return datetime.date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------- parsing


def sniff(content: bytes, content_type: str = "") -> str:
    """``feed``, ``sitemap`` or ``urls`` from the first bytes (and the media type); ``''`` if none fits."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head or b"<channel" in head:
        return "feed"
    if head.startswith(b"<") or "xml" in content_type or "rss" in content_type or "atom" in content_type:
        return "feed" if b"<html" not in head and b"<!doctype html" not in head else ""
    lines = [ln.strip() for ln in head.decode("utf-8", "replace").splitlines()[:20]
             if ln.strip() and not ln.strip().startswith("#")]
    urls = sum(1 for ln in lines if ln.startswith(("http://", "https://")))
    if urls and urls * 2 >= len(lines):  # mostly URLs: a URL list (the odd other line is reported)
        return "urls"
    return ""


def parse(content: bytes, url: str, kind: str = "auto", content_type: str = "") -> ParsedFeed:
    """Items of a fetched feed, sitemap or URL list; :class:`InputError` when nothing can be read."""
    k = kind if kind != "auto" else sniff(content, content_type)
    if not k:
        what = content_type or "unknown content"
        raise InputError(f"{url} is not an RSS/Atom feed, a sitemap or a list of URLs ({what}); "
                         "check the URL, or give its kind in the FEEDS file")
    if k == "feed":
        return parse_feed(content, url, content_type)
    if k == "sitemap":
        return parse_sitemap(content, url)
    return parse_url_list(content, url)


def parse_feed(content: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """RSS/Atom with feedparser: a malformed feed gives what can be read, and a warning."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # bytes, never a string: feedparser would take a string that looks like a URL and fetch it
    d = feedparser.parse(bytes(content), response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    items: list[FeedItem] = []
    seen: set[str] = set()
    for e in d.entries:
        link = e.get("link")
        if not link:
            for alt in e.get("links", []):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        if not link and str(e.get("id", "")).startswith(("http://", "https://")):
            link = e.get("id")
        if link and not link.lower().startswith(("http://", "https://")):
            from urllib.parse import urljoin

            link = urljoin(url, link)
        page = _http_url(link)
        if not page or page in seen:
            continue
        seen.add(page)
        title = " ".join(str(e.get("title") or "").split()) or None
        items.append(FeedItem(page, title, _day(e.get("published_parsed") or e.get("updated_parsed")),
                              e.get("id") or None))
    warning = None
    exc = d.get("bozo_exception")
    if d.get("bozo") and not isinstance(exc, feedparser.NonXMLContentType):  # a wrong media type is no harm
        what = f"{type(exc).__name__}: {exc}" if exc else "malformed"
        if not items:
            raise InputError(f"malformed feed at {url}: {what}")
        warning = f"feed at {url} is not well-formed ({what}); read {len(items)} items from what could be parsed"
    elif not items and not d.get("version"):
        raise InputError(f"{url} is not an RSS or Atom feed (no channel, no entries)")
    title = " ".join(str(d.feed.get("title") or "").split()) or None
    return ParsedFeed("feed", title, items, warning=warning)


def parse_sitemap(content: bytes, url: str) -> ParsedFeed:
    """A ``<urlset>`` (Google News tags read) or a ``<sitemapindex>``, with a hardened lxml parser."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"malformed sitemap at {url}: {exc}") from None
    if root is None:
        raise InputError(f"malformed sitemap at {url}: no XML element could be read")
    warning = None
    if parser.error_log and len(parser.error_log):
        first = parser.error_log[0]
        warning = f"sitemap at {url} is not well-formed (line {first.line}: {first.message}); read what could be parsed"

    def local(el) -> str:
        return etree.QName(el).localname if isinstance(el.tag, str) else ""

    def child_text(el, name: str) -> str | None:
        for c in el.iter():
            if local(c) == name and c.text and c.text.strip():
                return c.text.strip()
        return None

    if local(root) == "sitemapindex":
        children = []
        for sm in root:
            loc = _http_url(child_text(sm, "loc")) if local(sm) == "sitemap" else None
            if loc and loc not in children:
                children.append(loc)
        if not children:
            raise InputError(f"sitemap index at {url} lists no sitemaps")
        return ParsedFeed("sitemapindex", None, [], children[:MAX_CHILD_SITEMAPS], warning)
    if local(root) != "urlset":
        raise InputError(f"{url} is not a sitemap (root element <{local(root) or '?'}>, expected <urlset> or "
                         "<sitemapindex>)")
    items = []
    seen: set[str] = set()
    for u in root:
        if local(u) != "url":
            continue
        loc = _http_url(child_text(u, "loc"))
        if not loc or loc in seen:
            continue
        seen.add(loc)
        title = child_text(u, "title")  # news:title
        day = _day(child_text(u, "publication_date") or child_text(u, "lastmod"))
        items.append(FeedItem(loc, " ".join(title.split()) if title else None, day))
    if not items and warning:
        raise InputError(f"malformed sitemap at {url}: {warning}")
    return ParsedFeed("sitemap", None, items, warning=warning)


def parse_url_list(content: bytes, url: str) -> ParsedFeed:
    """Page URLs one a line (``#`` comments and blank lines skipped; anything else is reported)."""
    text = content.decode("utf-8", errors="replace")
    items: list[FeedItem] = []
    bad = 0
    seen: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        page = _http_url(line.split()[0])
        if page is None:
            bad += 1
            continue
        if page not in seen:
            seen.add(page)
            items.append(FeedItem(page))
    if not items and bad:
        raise InputError(f"{url} lists no http(s) URLs ({bad} other lines)")
    warning = f"{url}: {bad} lines are not http(s) URLs and were skipped" if bad else None
    return ParsedFeed("urls", None, items, warning=warning)
