"""The dashboard in a real headless browser: Debian's Chromium driven by Playwright for Python.

`make test` installs both (apt `chromium`, pip `playwright` from requirements.lock; Playwright's own
browser download is never used). Without them these tests fail with the command that installs
them, rather than skipping: a skipped browser test would hide a broken install.

Screenshots of each step are written to ``artifacts/screenshots/`` (not committed).
"""
from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from dyads.ingest import ingest
from dyads.serve import make_server
from dyads.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
FILES = ["04_india_pakistan_diplomats.txt", "10_vanuatu_cyclone_aid.txt", "07_iran_iraq_strikes.txt"]

# A story written for this test: its text carries markup that must be shown, never run.
HOSTILE = (
    "Kenya accuses Somalia of border raid\n\n"
    "NAIROBI, March 3 (Test Wire) - Kenya accused Somalia on Tuesday of sending troops across the border "
    "near Mandera, a charge the Somali government rejected.\n\n"
    "Protesters in Nairobi carried a banner reading <script>window.__pwned = 'script'; alert(1)</script> "
    "and chanted slogans, police said.\n\n"
    "A leaflet handed to reporters showed <img src=x onerror=\"window.__pwned = 'img'; alert(2)\"> beside "
    "a map of the frontier.\n\n"
    "Kenyan Interior Minister Joseph Omondi said Nairobi would lodge a formal protest with Mogadishu.\n"
)

# A story written for this test with one event told as history (2009 in a 2025 story): background.
HISTORY = ("Ghana recalls envoy over border row\n\nACCRA, March 3 - Ghana recalled its ambassador to Togo on Monday "
           "after a dispute over fishing grounds near Aflao.\n\nIn 2009, Togolese troops attacked a Ghanaian border "
           "post near Aflao, killing two guards.\n")

HOSTILE_TITLE = "Border row <b onmouseover=\"window.__pwned = 'title'\">deepens</b>"
HOSTILE_URL = "javascript:window.__pwned = 'url'"


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Playwright for Python is missing: run `make test` (it installs requirements.lock)")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium), as `make test` does")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dash")
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "hostile_story", "text": HOSTILE, "title": HOSTILE_TITLE,
                                   "source": "<i>Test Wire</i>", "url": HOSTILE_URL}) + "\n"
                       + json.dumps({"id": "history_story", "text": HISTORY, "published": "2025-03-04"}) + "\n",
                       encoding="utf-8")
    db = str(tmp / "dash.db")
    with open_store(db) as s:
        report = ingest([*(EXAMPLES / f for f in FILES), hostile], s, workers=1, progress=False)
        assert report.new == len(FILES) + 2
    srv = make_server(db, port=0)
    srv.quiet = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    """A fresh page that records every request, console error, page error and dialog."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = ctx.new_page()
    pg.requests, pg.problems, pg.dialogs = [], [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.set_default_timeout(15_000)
    yield pg
    ctx.close()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def clickable(pg, selector: str) -> str:
    """The data value of the first element matching ``selector`` whose centre is not covered."""
    found = pg.evaluate("""sel => {
        for (const node of document.querySelectorAll(sel)) {
            const r = node.getBoundingClientRect();
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            if (top && (top === node || node.contains(top))) return node.closest('[data-node],[data-handle]')
                .getAttribute(node.closest('[data-node]') ? 'data-node' : 'data-handle');
        }
        return null;
    }""", selector)
    assert found, f"nothing clickable matches {selector}"
    return found


def test_network_node_edge_event_evidence(page, site):
    pg = page
    pg.goto(site + "/")
    pg.wait_for_selector("#graph[data-ready]")
    nodes, edges = pg.locator("#graph .node").count(), pg.locator("#graph path").count()
    graph = get_json(site + "/api/graph?level=state&limit=400")
    assert nodes == len(graph["nodes"]) >= 4 and edges == len(graph["edges"]) >= 3
    names = set(pg.locator("#graph .node text").all_text_contents())
    assert {"India", "Pakistan"} <= names
    shot(pg, "01-network")

    # scroll zooms in around the pointer, a drag on the background pans; neither selects anything
    before = [float(x) for x in pg.get_attribute("#graph", "viewBox").split()]
    box = pg.locator("#graph").bounding_box()
    pg.mouse.move(box["x"] + 5, box["y"] + 5)
    pg.mouse.wheel(0, -400)
    pg.wait_for_function(f"() => document.querySelector('#graph').getAttribute('viewBox').split(' ')[2] < {before[2]}")
    zoomed = [float(x) for x in pg.get_attribute("#graph", "viewBox").split()]
    pg.mouse.down()
    pg.mouse.move(box["x"] + 60, box["y"] + 45, steps=5)
    pg.mouse.up()
    panned = [float(x) for x in pg.get_attribute("#graph", "viewBox").split()]
    assert panned[2:] == zoomed[2:] and panned[:2] != zoomed[:2]
    assert "node=" not in pg.evaluate("location.hash") and "edge=" not in pg.evaluate("location.hash")
    pg.evaluate("document.querySelector('#graph').setAttribute('viewBox', arguments[0])".replace(
        "arguments[0]", repr(" ".join(map(str, before)))))

    # click a state: its events appear in the side panel
    node = clickable(pg, "#graph .node circle")
    pg.locator(f'#graph .node[data-node="{node}"] circle').click()
    pg.wait_for_selector("#side .side-events tbody tr[data-event]")
    title = pg.locator("#side h2").text_content()
    assert title == next(n["name"] for n in graph["nodes"] if n["id"] == node)
    assert pg.locator(f'#graph .node.selected[data-node="{node}"]').count() == 1
    shot(pg, "02-node-selected")

    # click an edge's dot: the pair's timeline and events
    edge = clickable(pg, "#graph [data-handle] circle")
    pg.locator(f'#graph [data-handle="{edge}"] circle').click()
    pg.wait_for_selector(f'#side h2[data-pair="{edge}"]')
    pg.wait_for_selector("#side .side-events tbody tr[data-event]")
    info = next(e for e in graph["edges"] if e["id"] == edge)
    assert pg.locator("#side .timeline svg rect").count() >= 1
    listed = get_json(f"{site}/api/events?actor={info['source']}&recipient={info['target']}")
    rows = pg.locator("#side .side-events tbody tr[data-event]")
    assert rows.count() == min(listed["total"], 50) and listed["total"] >= info["count"]
    shot(pg, "03-pair-timeline")

    # open the first event: the article with its evidence sentence highlighted
    event_id = rows.first.get_attribute("data-event")
    rows.first.click()
    pg.wait_for_selector("#event-head[data-ready]")
    pg.wait_for_selector("#event-mentions [data-evidence]")
    detail = get_json(f"{site}/api/events/{event_id}")
    evidence = "".join(pg.locator(".mention").first.locator("[data-evidence]").all_text_contents())
    assert evidence.strip() == detail["mentions"][0]["evidence"].strip()
    assert pg.locator(".mention").first.locator(".hl-evidence.hl-trigger").count() >= 1
    assert pg.locator(".mention").first.locator(".hl-evidence").first.is_visible()
    facts = pg.locator("#event-head").text_content()
    assert detail["event"]["type"] in facts and not {"undefined", "null", "[object"} & set(facts.split())
    shot(pg, "04-event-evidence")

    # nothing was fetched from outside this server, and nothing went wrong in the page
    assert all(u.startswith(site + "/") for u in pg.requests), [u for u in pg.requests if not u.startswith(site)]
    assert not pg.problems and not pg.dialogs


def test_event_table_filters_and_paging(page, site):
    pg = page
    pg.goto(site + "/#/events?type=ASSAULT")
    pg.wait_for_selector("#events-table tbody tr[data-event]")
    expected = get_json(site + "/api/events?type=ASSAULT")
    rows = pg.locator("#events-table tbody tr[data-event]")
    assert rows.count() == min(50, expected["total"]) >= 1
    assert set(pg.locator("#events-table tbody td:nth-child(2) .tag").all_text_contents()) == {"ASSAULT"}
    assert pg.locator("#page-info").text_content().endswith(f"of {expected['total']}")
    # the filter form drives the same query
    pg.select_option("#filters select[name=type]", "")
    pg.fill("#filters input[name=actor]", "IND")
    pg.click("#filters button[type=submit]")
    pg.wait_for_function("() => location.hash.includes('actor=IND')")
    pg.wait_for_selector("#events-table tbody tr[data-event]")
    total = get_json(site + "/api/events?actor=IND")["total"]
    pg.wait_for_function(f"() => document.querySelector('#page-info').textContent.endsWith('of {total}')")
    shot(pg, "05-event-table")
    assert not pg.problems


def test_background_events_only_when_asked(page, site):
    """History told in a story (dated over a year before it) stays out of the table, the network and
    the timelines until the 'background too' box is ticked; the choice lives in the address."""
    pg = page
    shown = get_json(site + "/api/events")["total"]
    everything = get_json(site + "/api/events?include_background=1")["total"]
    assert everything > shown
    pg.goto(site + "/#/events")
    pg.wait_for_selector("#events-table tbody tr[data-event]")
    pg.wait_for_function(f"() => document.querySelector('#page-info').textContent.endsWith('of {shown}')")
    assert not pg.is_checked("#filters input[name=include_background]")
    pg.check("#filters input[name=include_background]")
    pg.click("#filters button[type=submit]")
    pg.wait_for_function("() => location.hash.includes('include_background=1')")
    pg.wait_for_function(f"() => document.querySelector('#page-info').textContent.endsWith('of {everything}')")
    assert "2009" in " ".join(pg.locator("#events-table tbody tr[data-event]").all_text_contents())
    shot(pg, "07-background-events")
    # a reload keeps the box ticked; the network view asks the API for background events too
    pg.reload()
    pg.wait_for_selector("#events-table tbody tr[data-event]")
    assert pg.is_checked("#filters input[name=include_background]")
    pg.goto(site + "/#/network?include_background=1")
    pg.wait_for_selector("#graph[data-ready]")
    assert any("include_background=1" in u and "/api/graph" in u for u in pg.requests)
    pg.uncheck("#filters input[name=include_background]")
    pg.click("#filters button[type=submit]")
    pg.wait_for_function("() => !location.hash.includes('include_background')")
    assert not pg.problems


def test_hostile_article_markup_never_runs(page, site):
    pg = page
    hits = get_json(site + "/api/events?text=Somalia&limit=50")["items"] or get_json(
        site + "/api/events?actor=KEN&limit=50")["items"]
    assert hits, "the hostile story produced no event to open"
    pg.goto(f"{site}/#/event/{hits[0]['id']}")
    pg.wait_for_selector("#event-mentions .article-text [data-evidence]")
    text = pg.locator("#event-mentions .article-text").first.text_content()
    assert "<script>window.__pwned = 'script'; alert(1)</script>" in text
    assert "<img src=x onerror=\"window.__pwned = 'img'; alert(2)\">" in text
    assert pg.evaluate("() => window.__pwned") is None
    assert pg.locator("#event-mentions img, #event-mentions script, #event-mentions b").count() == 0
    # title, source and URL are shown as text; a javascript: URL is never a link
    head = pg.locator("#event-mentions .mention header").first
    assert head.locator("h3").text_content() == HOSTILE_TITLE
    assert "<i>Test Wire</i>" in head.text_content() and HOSTILE_URL in head.text_content()
    assert pg.locator("#event-mentions a").count() == 0
    pg.locator("#event-mentions .mention header h3").first.hover()
    assert pg.evaluate("() => window.__pwned") is None
    assert pg.evaluate("() => document.scripts.length") == 1  # only /static/app.js
    shot(pg, "06-hostile-article")

    # the same text pasted into the extraction box
    pg.goto(site + "/#/extract")
    pg.fill("#extract-text", HOSTILE)
    pg.click("#extract-form button[type=submit]")
    pg.wait_for_selector("#extract-result[data-ready]", timeout=60_000)
    shown = pg.locator("#extract-text-view").text_content()
    assert "<script>window.__pwned" in shown and "onerror=" in shown
    assert pg.locator("#extract-events tbody tr[data-local-event]").count() >= 1
    assert not {"undefined", "null", "[object"} & set(pg.locator("#extract-result").text_content().split())
    pg.locator("#extract-events tbody tr[data-local-event]").first.click()
    assert pg.locator("#extract-text-view [data-evidence]").count() >= 1
    assert pg.evaluate("() => window.__pwned") is None
    assert pg.locator("#extract-result img, #extract-result script").count() == 0
    shot(pg, "07-extract-hostile")
    assert not pg.dialogs and not pg.problems
