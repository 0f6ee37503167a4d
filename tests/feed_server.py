"""A news site on loopback for the ``dyads watch`` tests and bench: feeds, pages, and broken things.

:class:`FeedServer` is a threaded ``http.server`` on 127.0.0.1 (a free port) whose routes the
test sets: static responses (with optional ETag/Last-Modified, answered with 304 when the
request's validators match), delays, redirects and streaming bodies. Every request is logged
with its headers, so a test can say what the watcher asked for and how often.

The stories are short news-style articles written for these tests (no text from elsewhere).
"""
from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (slug, headline, date, paragraphs): political events the extractor finds actors and events in
STORIES = [
    ("russia-north-korea-pact", "Russia and North Korea sign defence pact", "2024-06-19", [
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a mutual defence "
        "agreement on Wednesday at a summit in Pyongyang, both governments said.",
        "The pact commits each country to help the other if it is attacked, Putin told reporters after "
        "talks that lasted more than two hours.",
        "South Korea condemned the agreement on Thursday and summoned the Russian ambassador in Seoul to "
        "protest, the foreign ministry said in a statement.",
    ]),
    ("japan-protests-china-patrol", "Japan protests Chinese coast guard patrol near disputed islands",
     "2024-06-21", [
        "Japan lodged a formal protest with China on Friday after four Chinese coast guard ships sailed "
        "into waters near the Senkaku Islands, the foreign ministry in Tokyo said.",
        "Chief Cabinet Secretary Yoshimasa Hayashi told a news conference that the incursion was "
        "unacceptable and that Tokyo had demanded the ships leave at once.",
        "Beijing rejected the protest and said its vessels were patrolling Chinese waters.",
    ]),
    ("kenya-ethiopia-border", "Kenya and Ethiopia agree to reopen border crossing", "2024-06-18", [
        "Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed agreed on Tuesday to reopen "
        "the Moyale border crossing, closed since clashes in the area last year.",
        "The two leaders met in Nairobi and signed a memorandum on trade and security, Ruto's office said.",
        "Ethiopia will also send a delegation to Kenya next month to discuss a new road link, Abiy said.",
    ]),
    ("dhaka-student-protest", "Police fire tear gas at student protesters in Dhaka", "2024-07-15", [
        "Police in Bangladesh fired tear gas and rubber bullets at thousands of students who marched "
        "through Dhaka on Monday to demand an end to quotas for government jobs.",
        "The protesters blocked roads near the university and threw stones at officers, witnesses said.",
        "Prime Minister Sheikh Hasina appealed for calm and said the government would meet student leaders.",
    ]),
    ("brazil-expels-diplomat", "Brazil expels Venezuelan diplomat", "2024-08-03", [
        "Brazil expelled a senior Venezuelan diplomat on Saturday after Caracas ordered Brazilian "
        "officials to leave its capital, the foreign ministry in Brasilia said.",
        "President Luiz Inacio Lula da Silva criticised the Venezuelan government for refusing to publish "
        "the detailed results of last week's election.",
        "Venezuela accused Brazil of interfering in its internal affairs.",
    ]),
    ("poland-belarus-envoy", "Poland summons Belarus envoy over border incident", "2024-06-25", [
        "Poland summoned the Belarusian charge d'affaires in Warsaw on Tuesday after a Polish soldier was "
        "wounded on the border with Belarus, the foreign ministry said.",
        "Prime Minister Donald Tusk said Poland would send more troops to the border and accused Minsk of "
        "helping migrants to cross it.",
        "Belarus denied any role in the incident and said Poland was stoking tension.",
    ]),
    ("turkey-greece-talks", "Turkey and Greece hold talks on maritime dispute", "2024-09-02", [
        "Turkish Foreign Minister Hakan Fidan met his Greek counterpart Giorgos Gerapetritis in Athens on "
        "Monday for talks on their dispute over maritime borders in the Aegean Sea.",
        "The two ministers agreed to keep talking and to hold a meeting of their leaders later this year, "
        "the Greek government said.",
        "Greece and Turkey, both NATO members, came close to armed conflict over the dispute in 1996.",
    ]),
]

# written in Latin-1 and served without a charset (the wrong-encoding case)
LATIN1_STORY = ("france-colombia-aid", "France pledges flood aid to Colombia", "2024-06-27", [
    "French Foreign Minister Stéphane Séjourné arrived in Bogotá on Thursday and pledged 40 million "
    "euros in aid to Colombia after floods left thousands homeless, the Élysée said.",
    "Séjourné met President Gustavo Petro and signed an agreement on reconstruction, officials in Bogotá "
    "said.",
    "Colombia thanked France and said the money would go to the worst-hit provinces.",
])

PAIRS = [("Chile", "Argentina", "Santiago"), ("Norway", "Sweden", "Oslo"), ("Egypt", "Sudan", "Cairo"),
         ("Vietnam", "Laos", "Hanoi"), ("Peru", "Ecuador", "Lima"), ("Ghana", "Togo", "Accra"),
         ("Canada", "Mexico", "Ottawa"), ("Spain", "Morocco", "Madrid"), ("Nepal", "India", "Kathmandu"),
         ("Kazakhstan", "Uzbekistan", "Astana"), ("Senegal", "Mali", "Dakar"), ("Austria", "Hungary", "Vienna")]


def pair_story(i: int) -> tuple[str, str, str, list[str]]:
    """A short distinct trade-agreement story for country pair ``i`` (the kill test needs many)."""
    a, b, city = PAIRS[i % len(PAIRS)]
    n = i // len(PAIRS)
    return (f"{a.lower()}-{b.lower()}-trade-{i}", f"{a} and {b} sign trade agreement", "2024-06-20", [
        f"{a} and {b} signed a trade agreement in {city} on Thursday, the foreign ministry of {a} said, "
        f"after {3 + i} rounds of talks.",
        f"The foreign minister of {a} said the deal would cut tariffs on {10 + n} goods and that {b} had "
        "agreed to open its ports to more ships.",
        f"Officials from {b} welcomed the agreement and invited a delegation from {a} to visit next month.",
    ])


def page_html(story, charset: str | None = "utf-8") -> str:
    slug, title, date, paras = story
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)} | Loopback News</title>"
            f'<meta name="date" content="{date}"></head><body>'
            '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
            f"<article><h1>{html.escape(title)}</h1>\n{body}\n</article>"
            "<footer><p>Copyright Loopback News. All rights reserved.</p></footer></body></html>")


def rss(items: list[tuple[str, str]], title: str = "Loopback News: World") -> bytes:
    """An RSS 2.0 feed of (url, title) items."""
    entries = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
                      f"<guid>{html.escape(u)}</guid><pubDate>Wed, 19 Jun 2024 08:00:00 GMT</pubDate></item>"
                      for u, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>'
            f"<link>http://127.0.0.1/</link><description>test feed</description>{entries}</channel></rss>").encode()


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the response
    etag: str | None = None
    last_modified: str | None = None
    chunks: int = 0  # >0: stream body that many times with no Content-Length
    fail_first: int = 0  # answer the first N requests with HTTP 503
    served: int = 0


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float
    status: int = 0


class FeedServer:
    """The loopback site. ``with FeedServer() as srv: srv.url('/feed.xml')``."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                server._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    # -- content ---------------------------------------------------------------------------
    def set(self, path: str, **kw) -> Route:
        with self.lock:
            r = Route(**kw)
            self.routes[path] = r
            return r

    def set_page(self, path: str, story, **kw) -> Route:
        return self.set(path, body=page_html(story).encode("utf-8"), **kw)

    def set_feed(self, path: str, items: list[tuple[str, str]], **kw) -> Route:
        """An RSS feed with validators that change when its content does."""
        body = rss(items)
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        with self.lock:
            old = self.routes.get(path)
            if old is not None and old.etag == tag:
                return old
            lm = formatdate(time.time() + len(self.routes) * 0.001, usegmt=True)
        return self.set(path, body=body, content_type="application/rss+xml; charset=utf-8", etag=tag,
                        last_modified=lm, **kw)

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h.path == path)

    def requests(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    # -- serving ---------------------------------------------------------------------------
    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        hit = Hit(path, {k.lower(): v for k, v in h.headers.items()}, time.monotonic())
        with self.lock:
            self.hits.append(hit)
            route = self.routes.get(path)
            if route is not None:
                route.served += 1
                served = route.served
        if route is None:
            hit.status = 404
            self._send(h, 404, b"<html><body><h1>Not found</h1></body></html>", "text/html")
            return
        if route.delay:
            time.sleep(route.delay)
        if served <= route.fail_first:
            hit.status = 503
            self._send(h, 503, b"busy", "text/plain", {"Retry-After": "0"})
            return
        extra = dict(route.headers)
        if route.etag:
            extra["ETag"] = route.etag
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
        inm, ims = hit.headers.get("if-none-match"), hit.headers.get("if-modified-since")
        if route.status == 200 and ((route.etag and inm == route.etag) or
                                    (not route.etag and route.last_modified and ims == route.last_modified)):
            hit.status = 304
            self._send(h, 304, b"", None, extra)
            return
        hit.status = route.status
        if route.chunks:
            h.send_response(route.status)
            h.send_header("Content-Type", route.content_type)
            h.end_headers()
            try:
                for _ in range(route.chunks):
                    h.wfile.write(route.body)
            except OSError:  # the client gave up (the size cap): fine
                pass
            return
        self._send(h, route.status, route.body, route.content_type, extra)

    @staticmethod
    def _send(h, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        try:
            h.send_response(status)
            if ctype:
                h.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            if status != 304:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if status != 304:
                h.wfile.write(body)
        except OSError:  # the client timed out and left
            pass
