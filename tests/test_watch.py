"""dyads watch against a news site on loopback (tests/feed_server.py): good pages stored exactly once
across polls, restarts and a SIGKILL; every broken feed and page recorded with its reason while the
loop goes on; conditional GET; retries; robots.txt; the per-host delay; the alert hook."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from feed_server import LATIN1_STORY, STORIES, FeedServer, page_html, pair_story
from test_store import pg_server, pg_url  # noqa: F401 - fixtures for the PostgreSQL case

from dyads.errors import ConfigError, StoreError
from dyads.feeds import Source, load_sources
from dyads.fetch import FetchPolicy
from dyads.store import open_store
from dyads.watch import Ledger, WatchOptions, page_id, poll, watch

ROOT = Path(__file__).resolve().parents[1]
FAST = dict(timeout=0.5, total_timeout=3.0, retries=1, backoff=0.01, host_delay=0.0, max_bytes=300_000)


def options(**kw) -> WatchOptions:
    fetch = FetchPolicy(**{**FAST, **kw.pop("fetch", {})})
    return WatchOptions(every=0.2, retry_base=0.0, fetch=fetch, **kw)


def by_slug(slug: str):
    return next(s for s in STORIES if s[0] == slug)


GOOD = ["russia-north-korea-pact", "japan-protests-china-patrol", "kenya-ethiopia-border", "dhaka-student-protest"]
# broken page path -> what its recorded reason must say
BROKEN = {
    "/news/missing": "HTTP 404",
    "/news/error": "HTTP 500",
    "/news/slow": "timed out",
    "/news/huge": "too large",
    "/news/endless": "too large",
    "/loop/a": "redirect loop",
    "/files/report.pdf": "not HTML",
    "/files/blob": "not HTML",
    "/private/secret-story": "robots.txt",
}


@pytest.fixture
def site():
    """The loopback site: two good feeds, a sitemap index, a Latin-1 feed, two broken feeds."""
    with FeedServer() as srv:
        srv.set("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        for slug in GOOD:
            srv.set_page(f"/news/{slug}", by_slug(slug))
        srv.set_page("/news/brazil-expels-diplomat", by_slug("brazil-expels-diplomat"))
        srv.set("/go/brazil", status=301, headers={"Location": "/news/brazil-expels-diplomat"})
        srv.set_page("/news/poland-belarus-envoy", by_slug("poland-belarus-envoy"))
        # a Latin-1 page with no charset anywhere
        srv.set("/news/france-colombia-aid", body=page_html(LATIN1_STORY, charset=None).encode("latin-1"),
                content_type="text/html")
        # the broken pages (404 needs no route)
        srv.set("/news/error", status=500, body=b"internal error", content_type="text/plain")
        srv.set_page("/news/slow", by_slug("turkey-greece-talks"), delay=2.0)
        srv.set("/news/huge", body=page_html(by_slug("turkey-greece-talks")).encode() + b"<p>x</p>" * 200_000)
        srv.set("/news/endless", body=b"<p>" + b"padding " * 8000 + b"</p>", chunks=100)
        srv.set("/loop/a", status=302, headers={"Location": "/loop/b"})
        srv.set("/loop/b", status=302, headers={"Location": "/loop/a"})
        srv.set("/files/report.pdf", body=b"%PDF-1.7\n%binary\x00\x01\x02 report", content_type="application/pdf")
        srv.set("/files/blob", body=bytes(range(256)) * 64, content_type="application/octet-stream")
        srv.set_page("/private/secret-story", by_slug("turkey-greece-talks"))
        # feeds: the broken items come first, so every good one is behind a broken one
        broken = [(srv.url(p), f"broken {p}") for p in BROKEN]
        good = [(srv.url(f"/news/{s}"), by_slug(s)[1]) for s in GOOD] + [(srv.url("/go/brazil"), "Brazil")]
        srv.set_feed("/world.xml", broken + good)
        latin = ('<?xml version="1.0"?><rss version="2.0"><channel><title>R\xe9gional</title>'
                 f'<item><title>Bogot\xe1: aid</title><link>{srv.url("/news/france-colombia-aid")}</link></item>'
                 "</channel></rss>").encode("latin-1")
        srv.set("/regional.xml", body=latin, content_type="text/xml", etag='"r1"')
        srv.set("/sitemap-index.xml", content_type="application/xml", body=(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<sitemap><loc>{srv.url("/sitemap-news.xml")}</loc></sitemap></sitemapindex>').encode())
        srv.set("/sitemap-news.xml", content_type="application/xml", last_modified="Mon, 01 Jul 2024 10:00:00 GMT",
                body=('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                      'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                      f'<url><loc>{srv.url("/news/dhaka-student-protest")}</loc></url>'  # also in world.xml
                      f'<url><loc>{srv.url("/news/poland-belarus-envoy")}?utm_source=sitemap</loc><news:news>'
                      "<news:publication_date>2024-06-25T09:00:00Z</news:publication_date>"
                      "<news:title>Poland summons Belarus envoy</news:title></news:news></url></urlset>").encode())
        srv.set("/broken.xml", body=b'<?xml version="1.0"?><rss><channel><title>Oops</title><item><link>',
                content_type="application/rss+xml")
        yield srv


def site_sources(srv) -> list[Source]:
    return [Source(srv.url("/world.xml")), Source(srv.url("/regional.xml")), Source(srv.url("/sitemap-index.xml")),
            Source(srv.url("/broken.xml")), Source(srv.url("/gone.xml"))]


GOOD_PATHS = [f"/news/{s}" for s in GOOD] + ["/news/brazil-expels-diplomat", "/news/poland-belarus-envoy",
                                               "/news/france-colombia-aid"]


def test_each_good_article_stored_once_and_each_broken_item_recorded(site, tmp_path):
    db = str(tmp_path / "w.db")
    with open_store(db) as store:
        first = watch(store, site_sources(site), options(), once=True).last
        for _ in range(2):  # repeated polls: nothing new, nothing stored again
            again = watch(store, site_sources(site), options(), once=True).last
            assert again.ingested == 0 and again.new == 0
        urls = [r[0] for r in store.query("SELECT url FROM articles ORDER BY url")]
        texts = dict(store.query("SELECT url, text FROM articles"))
        ledger = Ledger(store)
        pages = {p.url: p for p in ledger.pages()}
        feed_rows = {f.url: f for f in ledger.feeds()}
        failures = {f.path: f.reason for f in store.failures()}

    assert first.ingested == len(GOOD_PATHS) == 7
    assert sorted(urls) == sorted(site.url(p) for p in GOOD_PATHS)  # each once; the redirect's target URL
    for p in GOOD_PATHS:  # each good page fetched once over three polls
        assert site.count(p) == 1, p
    assert site.count("/go/brazil") == 1
    # the wrong-encoding page and feed came out right
    assert "Bogotá" in texts[site.url("/news/france-colombia-aid")]
    assert "Élysée" in texts[site.url("/news/france-colombia-aid")]
    assert pages[site.url("/news/france-colombia-aid")].state == "stored"
    # the sitemap's tracking parameter is not a new page; dhaka is listed twice and stored once
    assert pages[site.url("/news/poland-belarus-envoy")].published == "2024-06-25"
    # every broken page: a row with the reason, and a failures row
    for path, why in BROKEN.items():
        page = pages[site.url(path)]
        assert page.state in ("failed", "retry"), path
        assert why in page.reason, (path, page.reason)
        assert why in failures[site.url(path)]
    assert pages[site.url("/news/slow")].state == "retry"  # time-outs and 5xx are tried again
    assert pages[site.url("/files/report.pdf")].state == "failed"  # not HTML is final
    assert pages[site.url("/news/error")].attempts == 3  # once a poll, over three polls
    assert site.count("/news/error") == 6  # and within each poll, one retry
    assert site.count("/private/secret-story") == 0  # robots.txt: never asked for
    # the broken feeds: recorded, the others went on
    assert "malformed feed" in feed_rows[site.url("/broken.xml")].last_error
    assert "HTTP 404" in feed_rows[site.url("/gone.xml")].last_error
    assert feed_rows[site.url("/sitemap-news.xml")].parent == site.url("/sitemap-index.xml")
    assert first.feeds == 6 and first.feeds_failed == 2
    assert first.failed == len(BROKEN)


def test_conditional_get_sends_validators_and_304_refetches_nothing(site, tmp_path):
    src = [Source(site.url("/world.xml")), Source(site.url("/sitemap-news.xml"))]
    with open_store(str(tmp_path / "w.db")) as store:
        watch(store, src, options(), once=True)
        pages_before = {p: site.count(p) for p in GOOD_PATHS}
        second = watch(store, src, options(), once=True).last
        feed = Ledger(store).feed(site.url("/world.xml"))
        last = site.requests("/world.xml")[-1]
        assert last.headers.get("if-none-match") == site.routes["/world.xml"].etag == feed.etag
        assert last.headers.get("if-modified-since") == site.routes["/world.xml"].last_modified
        assert last.status == 304
        sm = site.requests("/sitemap-news.xml")[-1]  # Last-Modified alone
        assert sm.headers.get("if-modified-since") == "Mon, 01 Jul 2024 10:00:00 GMT" and sm.status == 304
        assert second.not_modified == 2 and second.seen == 0
        assert {p: site.count(p) for p in GOOD_PATHS} == pages_before

        # a story appears: the feed changes, only the new page is fetched
        story = by_slug("turkey-greece-talks")
        site.set_page("/news/turkey-greece-talks", story)
        items = [(site.url(f"/news/{s}"), s) for s in GOOD] + [(site.url("/news/turkey-greece-talks"), story[1])]
        site.set_feed("/world.xml", items)
        third = watch(store, src, options(), once=True).last
        assert third.new == 1 and third.ingested == 1
        assert site.requests("/world.xml")[-1].status == 200
        assert site.count("/news/turkey-greece-talks") == 1
        assert {p: site.count(p) for p in GOOD_PATHS} == pages_before
        assert store.count("articles") == 7


def test_transient_failure_is_retried_with_backoff_in_the_same_poll(tmp_path):
    with FeedServer() as srv:
        srv.set("/robots.txt", status=404)
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"), fail_first=2)
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        with open_store(str(tmp_path / "w.db")) as store:
            s = poll(store, [Source(srv.url("/feed.xml"))], options(fetch={"retries": 2, "backoff": 0.05}))
            assert s.ingested == 1 and s.failed == 0
        hits = srv.requests("/news/a")
        assert [h.status for h in hits] == [503, 503, 200]
        gaps = [b.at - a.at for a, b in zip(hits, hits[1:], strict=False)]
        assert gaps[0] >= 0.05 and gaps[1] >= 0.1  # exponential backoff: 0.05 s, then 0.1 s


def test_retries_stop_after_max_attempts(tmp_path):
    with FeedServer() as srv:
        srv.set("/news/down", status=503, body=b"down", content_type="text/plain")
        srv.set_feed("/feed.xml", [(srv.url("/news/down"), "down")])
        with open_store(str(tmp_path / "w.db")) as store:
            opts = options(max_attempts=3, fetch={"retries": 0})
            for _ in range(5):
                poll(store, [Source(srv.url("/feed.xml"))], opts)
            page = Ledger(store).page(srv.url("/news/down"))
        assert page.state == "failed" and page.attempts == 3
        assert "gave up after 3 attempts" in page.reason
        assert srv.count("/news/down") == 3


def test_page_without_story_yet_is_retried_by_conditional_get(tmp_path):
    """A feed lists a page before its story is up: retried; a 304 means unchanged; then it is stored."""
    with FeedServer() as srv:
        srv.set("/news/later", body=b"<html><body><nav>Home</nav></body></html>", etag='"v1"')
        srv.set_feed("/feed.xml", [(srv.url("/news/later"), "later")])
        src = [Source(srv.url("/feed.xml"))]
        with open_store(str(tmp_path / "w.db")) as store:
            poll(store, src, options())
            page = Ledger(store).page(srv.url("/news/later"))
            assert page.state == "retry" and "no story text" in page.reason and page.etag == '"v1"'
            s = poll(store, src, options())
            hit = srv.requests("/news/later")[-1]
            assert hit.headers.get("if-none-match") == '"v1"' and hit.status == 304
            assert s.ingested == 0 and "unchanged since the last attempt" in Ledger(store).page(hit_url := srv.url(
                "/news/later")).reason
            srv.set_page("/news/later", by_slug("poland-belarus-envoy"), etag='"v2"')
            s = poll(store, src, options())
            assert s.ingested == 1 and Ledger(store).page(hit_url).state == "stored"
            assert srv.requests("/news/later")[-1].status == 200


def test_per_host_delay_spaces_requests(tmp_path):
    with FeedServer() as srv:
        items = []
        for slug in GOOD[:3]:
            srv.set_page(f"/news/{slug}", by_slug(slug))
            items.append((srv.url(f"/news/{slug}"), slug))
        srv.set_feed("/feed.xml", items)
        with open_store(str(tmp_path / "w.db")) as store:
            poll(store, [Source(srv.url("/feed.xml"))], options(fetch={"host_delay": 0.3}))
        times = [h.at for h in srv.hits]
        assert len(times) == 5  # robots.txt, the feed, three pages
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.29


def test_robots_crawl_delay_and_unreadable_robots(tmp_path):
    with FeedServer() as srv:
        srv.set("/robots.txt", body=b"User-agent: dyads\nCrawl-delay: 1\nDisallow: /x/\n", content_type="text/plain")
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        with open_store(str(tmp_path / "w.db")) as store:
            assert poll(store, [Source(srv.url("/feed.xml"))], options()).ingested == 1
        a, b, c = (h.at for h in srv.hits)
        assert b - a >= 0.99 and c - b >= 0.99  # robots.txt asks for 1 s (whole seconds, as robotparser reads it)
    with FeedServer() as srv:  # robots.txt answers 500: nothing on that host is fetched, for now
        srv.set("/robots.txt", status=500, body=b"oops", content_type="text/plain")
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        with open_store(str(tmp_path / "w2.db")) as store:
            s = poll(store, [Source(srv.url("/feed.xml"))], options(fetch={"retries": 0}))
            row = Ledger(store).feed(srv.url("/feed.xml"))
        assert s.feeds_failed == 1 and "robots.txt" in row.last_error and srv.count("/feed.xml") == 0


def test_url_list_file_and_feeds_file_formats(tmp_path):
    with FeedServer() as srv:
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_page("/news/b", by_slug("japan-protests-china-patrol"))
        srv.set("/list.txt", body=f"# pages\n{srv.url('/news/b')}\nnot a url\n".encode(), content_type="text/plain")
        (tmp_path / "watchlist.txt").write_text(f"{srv.url('/news/a')}\n{srv.url('/news/a')}#top\n")
        (tmp_path / "feeds.yaml").write_text(
            "feeds:\n  - url: watchlist.txt\n    kind: urls\n    name: My list\n"
            f"  - {srv.url('/list.txt')}\n")
        (tmp_path / "feeds.txt").write_text(f"# mine\nurls watchlist.txt\n{srv.url('/list.txt')}  # remote\n")
        y = load_sources(tmp_path / "feeds.yaml")
        t = load_sources(tmp_path / "feeds.txt")
        assert [(s.url, s.kind) for s in y] == [(s.url, s.kind) for s in t] == [
            (str(tmp_path / "watchlist.txt"), "urls"), (srv.url("/list.txt"), "auto")]
        assert y[0].name == "My list"
        with open_store(str(tmp_path / "w.db")) as store:
            s = poll(store, y, options())
            sources = dict(store.query("SELECT url, source FROM articles"))
        assert s.ingested == 2 and s.seen == 2
        assert sources[srv.url("/news/a")] == "My list"
        assert any("not http(s) URLs" in w for w in s.warnings)


@pytest.mark.parametrize("text, message", [
    ("feeds:\n  - url: x.xml\n    kind: podcast\n", "unknown kind 'podcast'"),
    ("feeds:\n  - url: x.xml\n    every: 5m\n", "unknown key(s) every"),
    ("feeds: 3\n", "expected a list"),
    ("ftp://example.org/feed\n", "not an http(s) URL"),
    ("feed one two\n", "expected 'URL' or 'KIND URL'"),
    ("# nothing\n", "lists no feeds"),
])
def test_bad_feeds_file_is_a_clear_error(tmp_path, text, message):
    p = tmp_path / "feeds.txt"
    p.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_sources(p)


def test_hook_gets_new_ids_and_is_offered_them_again_after_an_error(tmp_path):
    with FeedServer() as srv:
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        src = [Source(srv.url("/feed.xml"))]
        calls = []

        def failing(store, ids):
            calls.append(list(ids))
            raise RuntimeError("webhook down")

        with open_store(str(tmp_path / "w.db")) as store:
            s = poll(store, src, options(), on_ingested=failing)
            assert s.ingested == 1 and "webhook down" in s.hook_error
            seen = []
            s = poll(store, src, options(), on_ingested=lambda st, ids: seen.append(list(ids)))
            assert s.hook_error is None and seen == [[page_id(srv.url("/news/a"))]]
            poll(store, src, options(), on_ingested=lambda st, ids: seen.append(list(ids)))
            assert len(seen) == 1  # delivered: not offered again
            ids_in_store = [r[0] for r in store.query("SELECT id FROM articles")]
        assert calls == [ids_in_store]


def test_a_store_that_fails_ends_the_poll_with_a_store_error(tmp_path):
    with FeedServer() as srv:
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        with open_store(str(tmp_path / "w.db")) as store, \
                pytest.raises(StoreError, match="could not be read or written during poll 1"):
            poll(store, [Source(srv.url("/feed.xml"))], options(), on_ingested=lambda st, ids: st.conn.close())


def test_one_watcher_per_store(tmp_path):
    db = str(tmp_path / "w.db")
    from dyads.watch import writer_lock

    with open_store(db) as a, open_store(db) as b, writer_lock(a):
        with pytest.raises(StoreError, match="another dyads watch"), writer_lock(b):
            pass
        assert (tmp_path / "w.db.watch-lock").exists()
    with open_store(db) as b, writer_lock(b):  # released when the first watcher ends
        pass


def test_watch_on_postgresql(pg_url, tmp_path):  # noqa: F811 - the fixture imported above
    with FeedServer() as srv:
        for slug in GOOD[:2]:
            srv.set_page(f"/news/{slug}", by_slug(slug))
        srv.set_feed("/feed.xml", [(srv.url(f"/news/{s}"), s) for s in GOOD[:2]] + [(srv.url("/news/gone"), "x")])
        src = [Source(srv.url("/feed.xml"))]
        with open_store(pg_url) as store:
            first = watch(store, src, options(), once=True).last
            second = watch(store, src, options(), once=True).last
            assert (first.ingested, first.failed) == (2, 1)
            assert second.ingested == 0 and second.not_modified == 1
            assert store.count("articles") == 2
            assert Ledger(store).page(srv.url("/news/gone")).state == "retry"
            assert srv.requests("/feed.xml")[-1].status == 304


# --------------------------------------------------------------------------- the command, in a subprocess


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _articles(db: str) -> list[tuple[str, int]]:
    import sqlite3

    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT url, COUNT(*) FROM articles GROUP BY url").fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        con.close()


def _wait(pred, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_run_then_restart_stores_nothing_twice_and_loses_nothing(tmp_path):
    n = 10
    with FeedServer() as srv:
        items = []
        for i in range(n):
            story = pair_story(i)
            srv.set_page(f"/news/{story[0]}", story, delay=0.15)  # a slow site: the kill lands mid-run
            items.append((srv.url(f"/news/{story[0]}"), story[1]))
        srv.set_feed("/feed.xml", items)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(srv.url("/feed.xml") + "\n")
        db = str(tmp_path / "w.db")
        cmd = [sys.executable, "-m", "dyads.cli", "watch", str(feeds), "--db", db, "--every", "1s",
               "--host-delay", "0", "--timeout", "5s"]
        proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait(lambda: len(_articles(db)) >= 3, 180, "three articles before the kill")
        finally:
            proc.kill()  # SIGKILL: no clean-up of any kind
            proc.wait(30)
        assert proc.returncode == -signal.SIGKILL
        before = dict(_articles(db))
        assert 3 <= len(before) < n, "the kill should land mid-run"
        hits_before = {u: srv.count(u[len(srv.base):]) for u, _ in items}

        restart = [sys.executable, "-m", "dyads.cli", "watch", str(feeds), "--db", db, "--once", "--host-delay", "0"]
        done = subprocess.run(restart, env=_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        after = dict(_articles(db))
        assert sorted(after) == sorted(u for u, _ in items)  # nothing lost
        assert set(after.values()) == {1}  # nothing twice
        for u in before:  # what was stored before the kill was not fetched again
            assert srv.count(u[len(srv.base):]) == hits_before[u] == 1
        refetched = [u for u, _ in items if srv.count(u[len(srv.base):]) > 1]
        assert len(refetched) <= 1  # at most the page that was in flight when the kill came
        assert "poll 1" in done.stderr and f"{n - len(before)} ingested" in done.stderr


def test_sigterm_stops_cleanly_between_items(tmp_path):
    with FeedServer() as srv:
        items = []
        for i in range(12):
            story = pair_story(i)
            srv.set_page(f"/news/{story[0]}", story, delay=0.2)
            items.append((srv.url(f"/news/{story[0]}"), story[1]))
        srv.set_feed("/feed.xml", items)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(srv.url("/feed.xml") + "\n")
        db = str(tmp_path / "w.db")
        proc = subprocess.Popen([sys.executable, "-m", "dyads.cli", "watch", str(feeds), "--db", db, "--every", "1s",
                                 "--host-delay", "0"], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        _wait(lambda: len(_articles(db)) >= 1, 180, "the first article")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "SIGTERM: stopping after the current item" in err and "stopped after 1 polls" in err
        assert "Traceback" not in err
        stored = _articles(db)
        assert 1 <= len(stored) < 12 and {c for _, c in stored} == {1}
        with open_store(db) as store:  # pages not reached stay pending for the next run
            states = {p.state for p in Ledger(store).pages()}
        assert states == {"stored", "pending"}


def test_cli_once_quiet_failures_and_help(tmp_path, capsys):
    from dyads.cli import main

    with FeedServer() as srv:
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a"), (srv.url("/news/none"), "none")])
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"{srv.url('/feed.xml')}\nfeed {srv.url('/nofeed.xml')}\n")
        db = str(tmp_path / "w.db")
        args = ["watch", str(feeds), "--db", db, "--once", "--host-delay", "0", "--retries", "0", "--timeout", "2s"]
        assert main(args) == 0
        err = capsys.readouterr().err
        assert "1 ingested" in err and "1 failed" in err and "2 feeds (1 failed)" in err
        assert f"failed: {srv.url('/news/none')}: HTTP 404" in err
        assert main(args + ["--quiet"]) == 0
        assert capsys.readouterr().err == ""
        assert main(["watch", "--failures", "--db", db, "--format", "json"]) == 0
        import json

        rows = json.loads(capsys.readouterr().out)
        assert {r["url"]: r["state"] for r in rows} == {srv.url("/news/none"): "retry",
                                                        srv.url("/nofeed.xml"): "feed failed"}
        assert all("HTTP 404" in r["reason"] for r in rows)
        assert main(["watch", "--feeds", "--db", db]) == 0
        assert srv.url("/feed.xml") in capsys.readouterr().out
    (tmp_path / "none.txt").write_text(f"{srv.url('/feed.xml')}\n")  # the server is gone now
    assert main(["watch", str(tmp_path / "none.txt"), "--db", db, "--once", "--quiet", "--retries", "0"]) == 1
    assert main(["watch", "--db", db]) == 3
    assert "give a FEEDS file" in capsys.readouterr().err
    assert main(["watch", str(feeds), "--db", db, "--every", "soon"]) == 3
    assert "is not a duration" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["watch", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--once" in out and "docs/monitoring.md" in out


def test_page_encodings():
    from dyads.fetch import Response

    latin = "Bogotá, the Élysée said".encode("latin-1")
    undeclared = Response("u", "u", 200, latin)
    wrong = Response("u", "u", 200, latin, charset="utf-8")
    meta = Response("u", "u", 200, b'<meta charset="iso-8859-1"><p>' + latin)
    right = Response("u", "u", 200, "Bogotá".encode(), charset="UTF-8")
    assert undeclared.text() == ("Bogotá, the Élysée said", "no encoding declared and not valid UTF-8: decoded as "
                                                             "Windows-1252")
    text, warning = wrong.text()
    assert text == "Bogotá, the Élysée said" and "declared as 'utf-8' but not valid in it" in warning
    assert meta.text()[0].endswith("Bogotá, the Élysée said") and meta.text()[1] is None
    assert right.text() == ("Bogotá", None)


def test_rules_option_wires_the_alert_hook(tmp_path, monkeypatch, capsys):
    """--rules makes dyads.alerts' hook the on_ingested callback (a stand-in module here, so this test
    does not depend on the rules engine), and says so clearly when this dyads has no alerts."""
    import types

    from dyads.cli import main

    calls, closed = [], []

    class FakeHook:
        def __init__(self, path):
            self.path = path

        def __call__(self, store, article_ids):
            calls.append((self.path, list(article_ids), store.count("articles")))

        def close(self):
            closed.append(True)

    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    with FeedServer() as srv:
        srv.set_page("/news/a", by_slug("kenya-ethiopia-border"))
        srv.set_feed("/feed.xml", [(srv.url("/news/a"), "a")])
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(srv.url("/feed.xml") + "\n")
        db = str(tmp_path / "w.db")
        args = ["watch", str(feeds), "--db", db, "--once", "--quiet", "--host-delay", "0", "--rules", str(rules)]
        import dyads

        monkeypatch.delattr(dyads, "alerts", raising=False)  # no alerts in this dyads: a clean error
        monkeypatch.setitem(sys.modules, "dyads.alerts", None)
        assert main(args) == 3
        assert "has no alert rules" in capsys.readouterr().err
        fake = types.SimpleNamespace(AlertHook=FakeHook)
        monkeypatch.setitem(sys.modules, "dyads.alerts", fake)
        monkeypatch.setattr(dyads, "alerts", fake, raising=False)
        assert main(args) == 0
    assert calls == [(str(rules), [page_id(srv.url("/news/a"))], 1)] and closed == [True]


def test_durations_and_sizes():
    from dyads.cli_watch import parse_duration, parse_size

    assert parse_duration("15m") == 900 and parse_duration("1h30m") == 5400 and parse_duration("0.5s") == 0.5
    assert parse_duration("90") == 90 and parse_duration("250ms") == 0.25
    assert parse_size("5MB") == 5_000_000 and parse_size("512kib") == 524288 and parse_size("100") == 100
    for bad in ("", "m", "5 parsecs", "-1s"):
        with pytest.raises(ConfigError):
            parse_duration(bad)
    with pytest.raises(ConfigError):
        parse_size("lots")


def test_stop_event_ends_the_loop_between_polls(tmp_path):
    with FeedServer() as srv:
        srv.set_feed("/feed.xml", [])
        stop = threading.Event()
        polls = []

        def progress(s):
            polls.append(s)
            if len(polls) == 2:
                stop.set()

        with open_store(str(tmp_path / "w.db")) as store:
            run = watch(store, [Source(srv.url("/feed.xml"))], options(), stop=stop, progress=progress)
        assert run.polls == 2 and run.stopped and [p.poll for p in polls] == [1, 2]
        assert polls[1].not_modified == 1
