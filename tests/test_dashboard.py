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


# Names for the 500-node network: organisations made up for the test, two of them hostile markup
# (a canvas label must draw them as text, the list and the SVG export must keep them text).
REGIONS = ["Eastern", "Western", "Northern", "Southern", "Central", "Coastal", "Highland", "River", "Island",
           "Desert", "Valley", "Border", "Mountain", "Delta", "Lake", "Forest"]
BODIES = ["Liberation Front", "Farmers Union", "Peace Council", "Relief Agency", "Trade Bloc", "Militia",
          "Students League", "Workers Party", "Water Commission", "Border Guard", "Press Guild", "Fishing Alliance",
          "Rail Authority", "Health Mission", "Energy Board", "Refugee Network", "Youth Congress",
          "Election Monitors", "Ports Authority", "Customs Union"]
HOSTILE_NAMES = ["<img src=x onerror=\"window.__pwned = 'label'\">", "</text><script>window.__pwned = 'svg'</script>"]
QUAD_OF = {"AGREE": ("verbal cooperation", 4.0), "AID": ("material cooperation", 7.0),
           "CONSULT": ("verbal cooperation", 1.0), "ACCUSE": ("verbal conflict", -3.0),
           "THREATEN": ("verbal conflict", -6.0), "ASSAULT": ("material conflict", -9.5)}


def busy_store(path: str, n_states: int = 180, seed: int = 12) -> dict[str, str]:
    """A store whose state-level network has exactly ``n_states + 320`` nodes (180 + 320 = 500): states and
    made-up organisations, a few busy and most quiet, as in real news. Returns {node id: name} of the
    two hostile-named organisations, which are among the busiest."""
    import random

    from dyads.gazetteer import base

    rng = random.Random(seed)
    countries = sorted(base().countries)[:n_states]
    orgs = [f"{r} {b}" for r in REGIONS for b in BODIES]
    orgs[3], orgs[7] = HOSTILE_NAMES
    actors = [(c, "state", c) for c in countries] + [(o, "organization", None) for o in orgs]
    order = list(range(len(actors)))
    rng.shuffle(order)
    order.remove(len(countries) + 3), order.remove(len(countries) + 7)
    order[2:2] = [len(countries) + 3, len(countries) + 7]  # the hostile names: third and fourth busiest
    weight = {a: 1 / (rank + 1) ** 1.1 for rank, a in enumerate(order)}
    ids, w = list(weight), list(weight.values())
    pairs = [(a, rng.choices(ids, w)[0]) for a in ids]  # every node in at least one event
    pairs += [tuple(rng.choices(ids, w, k=2)) for _ in range(6000)]
    types = list(QUAD_OF)
    with open_store(path) as s, s.transaction():
        s.executemany("INSERT INTO actors (pk, key, name, kind, country, sector, mentions, articles) "
                      "VALUES (?, ?, ?, ?, ?, NULL, 1, 1)",
                      [(i + 1, f"{kind}|{name}||", name, kind, country) for i, (name, kind, country) in enumerate(actors)])
        pk = 0
        for a, r in pairs:
            if a == r:
                continue
            pk += 1
            typ = rng.choice(types[:3] if rng.random() < 0.5 else types[3:])
            quad, inten = QUAD_OF[typ]
            day = f"2024-{1 + pk % 12:02d}-{1 + pk % 28:02d}"
            ca, cr = actors[a][2] or "", actors[r][2] or ""
            s.execute("INSERT INTO events (pk, type, status, date, date_precision, day, actor_countries, "
                      "recipient_countries, actor_ids, recipient_ids, intensity, quad, cameo, trigger, lemma, evidence, "
                      "mentions, sources, articles, first_seen, last_seen) VALUES (?, ?, 'asserted', ?, 'day', ?, ?, ?, "
                      "?, ?, ?, ?, '', 'said', 'say', ?, 1, 1, 1, ?, ?)",
                      (pk, typ, day, day, json.dumps([ca] if ca else []), json.dumps([cr] if cr else []),
                       json.dumps([a + 1]), json.dumps([r + 1]), inten, quad,
                       f"{actors[a][0]} and {actors[r][0]}: generated event {pk}.", day, day))
            s.executemany("INSERT INTO event_actors (event_pk, actor_pk, role) VALUES (?, ?, ?)",
                          [(pk, a + 1, "actor"), (pk, r + 1, "recipient")])
            if ca and cr:
                s.execute("INSERT INTO event_dyads (event_pk, actor_country, recipient_country, day, type) "
                          "VALUES (?, ?, ?, ?, ?)", (pk, ca, cr, day, typ))
    return {str(len(countries) + 4): HOSTILE_NAMES[0], str(len(countries) + 8): HOSTILE_NAMES[1]}


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


def wait_graph(pg, nodes: int | None = None) -> None:
    """Until the network is drawn and its layout has stopped (with ``nodes`` nodes, if given)."""
    pg.wait_for_selector("#graph[data-ready][data-layout=done]" if nodes != 0 else "#graph[data-ready]",
                         timeout=60_000)
    if nodes is not None:
        pg.wait_for_function(f"() => document.querySelector('#graph').getAttribute('data-nodes') === '{nodes}'")


def settle(pg) -> dict:
    """Until the camera has stopped (zoom and fit are animated); its state."""
    last = None
    for _ in range(50):
        now = pg.evaluate("() => window.dyadsNetwork.camera()")
        if now == last:
            return now
        last = now
        pg.wait_for_timeout(150)
    raise AssertionError("the camera never stopped moving")


def fit(pg) -> None:
    pg.click("#graph-fit")
    pg.wait_for_function("() => Math.abs(window.dyadsNetwork.camera().ratio - 1) < 1e-6")
    settle(pg)


def node_at(pg, node: str) -> dict:
    return pg.evaluate("id => window.dyadsNetwork.position(id)", node)


def inside_graph(pg, point: dict, margin: float = 12) -> bool:
    box = pg.locator("#graph").bounding_box()
    return (box["x"] + margin < point["x"] < box["x"] + box["width"] - margin
            and box["y"] + margin < point["y"] < box["y"] + box["height"] - margin)


def lit(pg) -> set[str]:
    return set(pg.evaluate("() => window.dyadsNetwork.lit()"))


def neighbours(graph: dict, node: str) -> set[str]:
    return {node} | {str(e["target"]) for e in graph["edges"] if str(e["source"]) == node} | {
        str(e["source"]) for e in graph["edges"] if str(e["target"]) == node}


def assert_labels_apart(pg) -> list[dict]:
    """The names drawn on the canvas: none overlaps another or a circle bigger than its own node's,
    each inside the canvas (the hovered or selected node's name excepted: it is always drawn)."""
    labels = pg.evaluate("() => window.dyadsNetwork.labels()")
    circles = pg.evaluate("() => window.dyadsNetwork.nodes().map(id => [id, window.dyadsNetwork.position(id)])")
    box = pg.locator("#graph").bounding_box()
    radius = {k: p["r"] for k, p in circles}
    must = {pg.get_attribute("#graph", "data-hovered"), pg.get_attribute("#graph", "data-selected")}
    for i, a in enumerate(labels):
        if a["key"] in must:
            continue
        assert a["x"] >= 0 and a["y"] >= 0 and a["x"] + a["w"] <= box["width"] + 0.5, a
        for b in labels[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] + a["h"] <= b["y"] \
                or b["y"] + b["h"] <= a["y"]
            assert apart or b["key"] in must, (a, b)
        for k, p in circles:
            if p["r"] >= 6 and p["r"] > radius[a["key"]] + 0.5:
                cx, cy = p["x"] - box["x"], p["y"] - box["y"]
                clear = cx + p["r"] <= a["x"] or cx - p["r"] >= a["x"] + a["w"] or cy + p["r"] <= a["y"] \
                    or cy - p["r"] >= a["y"] + a["h"]
                assert clear, (a, k, p)
    return labels


def test_network_node_edge_event_evidence(page, site):
    pg = page
    pg.goto(site + "/")
    graph = get_json(site + "/api/graph?level=state&limit=5000&top=300")
    wait_graph(pg, len(graph["nodes"]))
    assert len(graph["nodes"]) >= 4 and len(graph["edges"]) >= 3
    assert pg.get_attribute("#graph", "data-edges") == str(len(graph["edges"]))
    assert set(pg.evaluate("() => window.dyadsNetwork.nodes()")) == {str(n["id"]) for n in graph["nodes"]}
    # the accessible list holds every node; the canvas shows names where they fit
    names = set(pg.locator("#graph-nodes [data-node]").all_text_contents())
    assert {"India", "Pakistan"} <= names and len(names) == len(graph["nodes"])
    labels = assert_labels_apart(pg)
    assert len(labels) >= 2 and int(pg.get_attribute("#graph", "data-labels")) == len(labels)
    shot(pg, "01-network")

    # scroll zooms in, a drag on the background pans; neither selects anything
    before = pg.evaluate("() => window.dyadsNetwork.camera()")
    box = pg.locator("#graph").bounding_box()
    pg.mouse.move(box["x"] + 8, box["y"] + 8)
    pg.mouse.wheel(0, -400)
    pg.wait_for_function(f"() => window.dyadsNetwork.camera().ratio < {before['ratio']} * 0.9")
    zoomed = settle(pg)
    pg.mouse.move(box["x"] + 8, box["y"] + 8)
    pg.mouse.down()
    pg.mouse.move(box["x"] + 90, box["y"] + 70, steps=6)
    pg.mouse.up()
    panned = settle(pg)
    assert abs(panned["ratio"] - zoomed["ratio"]) < 1e-6 and (panned["x"], panned["y"]) != (zoomed["x"], zoomed["y"])
    assert "node=" not in pg.evaluate("location.hash") and "edge=" not in pg.evaluate("location.hash")
    fit(pg)

    # click a state's circle on the canvas: its events appear in the side panel
    ranked = [str(n["id"]) for n in graph["nodes"]]
    node = next(n for n in ranked if inside_graph(pg, node_at(pg, n)))
    at = node_at(pg, node)
    pg.mouse.click(at["x"], at["y"])
    pg.wait_for_function(f"() => location.hash.includes('node={node}')")
    pg.wait_for_selector("#side .side-events tbody tr[data-event]")
    title = pg.locator("#side h2").text_content()
    assert title == next(n["name"] for n in graph["nodes"] if str(n["id"]) == node)
    assert pg.get_attribute("#graph", "data-selected") == node
    assert pg.locator(f'#graph-nodes [data-node="{node}"].selected').count() == 1
    assert lit(pg) == neighbours(graph, node) != set(ranked)  # its neighbourhood lit, the rest dimmed
    shot(pg, "02-node-selected")

    # click a line (straight or curved) in the middle: the pair's timeline and events
    fit(pg)
    pg.mouse.move(box["x"] + 2, box["y"] + 2)
    edge = None
    for e in sorted(graph["edges"], key=lambda e: -e["count"]):
        mid = pg.evaluate("id => window.dyadsNetwork.edgePoint(id)", e["id"])
        if not inside_graph(pg, mid):
            continue
        pg.mouse.move(mid["x"], mid["y"])
        try:
            pg.wait_for_function(f"() => document.querySelector('#graph').getAttribute('data-hovered-edge') === "
                                 f"{json.dumps(e['id'])}", timeout=1500)
        except Exception:
            continue  # a circle or another line lies on top there
        edge = e["id"]
        pg.mouse.click(mid["x"], mid["y"])
        break
    assert edge, "no line could be pointed at in its middle"
    pg.wait_for_selector(f'#side h2[data-pair="{edge}"]')
    pg.wait_for_selector("#side .side-events tbody tr[data-event]")
    info = next(e for e in graph["edges"] if e["id"] == edge)
    assert pg.locator("#side .timeline svg rect").count() >= 1
    assert lit(pg) == {str(info["source"]), str(info["target"])}
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

    # back to the network: the same graph, drawn again in its box
    pg.go_back()
    pg.wait_for_selector(f'#side h2[data-pair="{edge}"]')
    assert pg.locator("#graph canvas").first.bounding_box()["width"] > 300

    # nothing was fetched from outside this server, and nothing went wrong in the page
    assert all(u.startswith(site + "/") for u in pg.requests), [u for u in pg.requests if not u.startswith(site)]
    assert any(u.endswith("/static/vendor/fa2-worker.js") for u in pg.requests)  # the layout ran in the worker
    assert not pg.problems and not pg.dialogs


def test_network_search_hover_and_filters(page, site):
    pg = page
    pg.goto(site + "/#/network")
    graph = get_json(site + "/api/graph?level=state&limit=5000&top=300")
    wait_graph(pg, len(graph["nodes"]))
    # the search box: part of a name finds the node, zooms onto it and opens its events
    pg.fill("#graph-search", "pakis")
    pg.press("#graph-search", "Enter")
    pg.wait_for_function("() => location.hash.includes('node=PAK')")
    pg.wait_for_selector("#side .side-events tbody tr[data-event]")
    assert pg.locator("#side h2").text_content() == "Pakistan"
    pg.wait_for_function("() => window.dyadsNetwork.camera().ratio <= 0.35 + 1e-6")
    settle(pg)
    at = node_at(pg, "PAK")
    box = pg.locator("#graph").bounding_box()
    assert abs(at["x"] - (box["x"] + box["width"] / 2)) < 30 and abs(at["y"] - (box["y"] + box["height"] / 2)) < 30
    assert lit(pg) == neighbours(graph, "PAK")
    assert "PAK" in {b["key"] for b in assert_labels_apart(pg)}
    # a country code finds it too; a name that is not there says so and moves nothing
    pg.fill("#graph-search", "IND")
    pg.click("#graph-find button[type=submit]")
    pg.wait_for_function("() => location.hash.includes('node=IND')")
    pg.fill("#graph-search", "Atlantis")
    pg.press("#graph-search", "Enter")
    pg.wait_for_selector("#message:not([hidden])")
    assert "No actor matching “Atlantis”" in pg.locator("#message").text_content()
    assert "node=IND" in pg.evaluate("location.hash")

    # hover: the node under the pointer and its neighbours light up, the rest dims; leaving restores
    fit(pg)
    target = next(str(n["id"]) for n in graph["nodes"]
                  if str(n["id"]) != "IND" and inside_graph(pg, node_at(pg, str(n["id"]))))
    at = node_at(pg, target)
    pg.mouse.move(at["x"], at["y"])
    pg.wait_for_function(f"() => document.querySelector('#graph').getAttribute('data-hovered') === '{target}'")
    assert lit(pg) == neighbours(graph, target) and len(lit(pg)) < len(graph["nodes"])
    assert target in {b["key"] for b in assert_labels_apart(pg)}
    shot(pg, "08-network-hover")
    pg.mouse.move(box["x"] + 3, box["y"] + 3)
    pg.wait_for_function("() => !document.querySelector('#graph').hasAttribute('data-hovered')")
    assert lit(pg) == neighbours(graph, "IND")  # back to the selected node's neighbourhood

    # min events: quieter states and organisations leave the drawing; the choice lives in the address
    counts = sorted({n["count"] for n in graph["nodes"]})
    k = counts[len(counts) // 2]
    want = get_json(f"{site}/api/graph?level=state&limit=5000&top=300&min_events={k}")
    assert 2 <= len(want["nodes"]) < len(graph["nodes"])
    pg.fill("#filters input[name=min_events]", str(k))
    pg.click("#filters button[type=submit]")
    pg.wait_for_function(f"() => location.hash.includes('min_events={k}')")
    wait_graph(pg, len(want["nodes"]))
    assert set(pg.evaluate("() => window.dyadsNetwork.nodes()")) == {str(n["id"]) for n in want["nodes"]}
    assert pg.locator("#graph-nodes [data-node]").count() == len(want["nodes"])
    assert pg.locator("#graph-info").text_content().startswith(f"{len(want['nodes'])} of {len(graph['nodes'])} actors")
    assert any(f"min_events={k}" in u and "/api/graph" in u for u in pg.requests)
    pg.reload()
    wait_graph(pg, len(want["nodes"]))
    assert pg.input_value("#filters input[name=min_events]") == str(k)
    # top keeps the busiest; its default (300) stays out of the address
    pg.fill("#filters input[name=min_events]", "")
    pg.select_option("#filters select[name=top]", "50")
    pg.click("#filters button[type=submit]")
    pg.wait_for_function("() => location.hash.includes('top=50') && !location.hash.includes('min_events')")
    wait_graph(pg, len(graph["nodes"]))
    pg.select_option("#filters select[name=top]", "300")
    pg.click("#filters button[type=submit]")
    pg.wait_for_function("() => !location.hash.includes('top=')")
    # the events view neither shows nor sends the network's controls
    pg.goto(site + "/#/events?top=50&min_events=3")
    pg.wait_for_selector("#events-table tbody tr[data-event]")
    assert not pg.is_visible("#filters select[name=top]") and pg.is_visible("#filters input[name=actor]")
    assert not any("/api/events" in u and ("top=" in u or "min_events" in u) for u in pg.requests)
    assert not pg.problems and not pg.dialogs


def _png_pixels(data: bytes):
    from io import BytesIO

    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(BytesIO(data)).convert("RGB")
    return img, img.getcolors(maxcolors=1 << 24)


def _near(colours, rgb, tol=12) -> int:
    return sum(n for n, c in colours if all(abs(a - b) <= tol for a, b in zip(c, rgb)))


def test_network_exports_png_and_svg(page, site, tmp_path):
    import xml.etree.ElementTree as ET

    pg = page
    pg.goto(site + "/#/network")
    graph = get_json(site + "/api/graph?level=state&limit=5000&top=300")
    wait_graph(pg, len(graph["nodes"]))
    labels = assert_labels_apart(pg)
    box = pg.locator("#graph").bounding_box()

    with pg.expect_download() as dl:
        pg.click("#export-png")
    assert dl.value.suggested_filename == "dyads-network.png"
    data = Path(dl.value.path()).read_bytes()
    img, colours = _png_pixels(data)
    assert abs(img.width - box["width"]) <= 2 and abs(img.height - box["height"]) <= 2
    assert _near(colours, (255, 255, 255)) > 0.5 * img.width * img.height  # a white background ...
    assert _near(colours, (0x4f, 0x6d, 0x8f)) > 30 * len(graph["nodes"]) // 2  # ... with the states' circles
    assert _near(colours, (0x1f, 0x23, 0x28), tol=40) > 20 * len(labels)  # ... and dark names
    (tmp_path / "network.png").write_bytes(data)

    with pg.expect_download() as dl:
        pg.click("#export-svg")
    assert dl.value.suggested_filename == "dyads-network.svg"
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg" and float(root.get("width")) == pytest.approx(box["width"], abs=2)
    circles = root.findall(f".//{ns}circle[@data-node]")
    assert {c.get("data-node") for c in circles} == {str(n["id"]) for n in graph["nodes"]}
    assert all(float(c.get("r")) > 0 and c.get("fill") for c in circles)
    assert len(root.findall(f".//{ns}g[@data-edge]")) == len(graph["edges"])
    drawn = {t.get("data-node"): t.text for t in root.findall(f".//{ns}text")}
    assert drawn == {b["key"]: b["label"] for b in labels}
    titles = {c.get("data-node"): c.find(ns + "title").text for c in circles}
    assert titles["IND"] == f"India: {next(n['count'] for n in graph['nodes'] if n['id'] == 'IND')} events"
    assert not root.findall(f".//{ns}script") and "<script" not in text
    assert not pg.problems and not pg.dialogs


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("busy") / "busy.db")
    hostile = busy_store(db)
    srv = make_server(db, port=0)
    srv.quiet = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hostile
    srv.shutdown()
    srv.server_close()


def test_network_of_500_stays_legible(browser, busy_site):
    """500 states and organisations (some of them named with markup): drawn without errors, names only
    where they fit, more of them on zooming in, hostile names inert in the canvas, the list and the SVG."""
    import xml.etree.ElementTree as ET

    site, hostile = busy_site
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    pg = ctx.new_page()
    problems, requests = [], []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("request", lambda r: requests.append(r.url))
    pg.set_default_timeout(30_000)
    graph = get_json(site + "/api/graph?level=state&limit=5000&top=500")
    assert len(graph["nodes"]) == 500 and not graph["truncated"]
    pg.goto(site + "/#/network?top=500")
    wait_graph(pg, 500)
    assert pg.get_attribute("#graph", "data-edges") == str(len(graph["edges"]))
    labels = assert_labels_apart(pg)
    assert 15 <= len(labels) <= 125, len(labels)  # names where they fit, not 500 piled on each other
    on_screen = [n for n in pg.evaluate("() => window.dyadsNetwork.nodes()") if inside_graph(pg, node_at(pg, n), 0)]
    assert len(on_screen) == 500  # the whole network in view after the layout
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "10-network-500.png"))

    # zooming in makes room: names that did not fit appear, still apart
    box = pg.locator("#graph").bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.wheel(0, -600)
    pg.wait_for_function("() => window.dyadsNetwork.camera().ratio < 0.8")
    settle(pg)
    zoomed = assert_labels_apart(pg)
    assert {b["key"] for b in zoomed} - {b["key"] for b in labels}
    pg.screenshot(path=str(SHOTS / "11-network-500-zoomed.png"))
    fit(pg)

    # hostile names: drawn as text on the canvas, text in the list and in the exported SVG
    for node, name in hostile.items():
        at = node_at(pg, node)
        assert inside_graph(pg, at, 0)
        pg.mouse.move(at["x"], at["y"])
        pg.wait_for_function(f"() => document.querySelector('#graph').getAttribute('data-hovered') === '{node}'")
        assert node in {b["key"] for b in assert_labels_apart(pg)}
        assert pg.locator(f'#graph-nodes [data-node="{node}"]').text_content() == name
    pg.click("#graph-list summary")
    assert pg.locator("#graph-nodes img, #graph-nodes script, #graph img").count() == 0
    assert pg.evaluate("() => document.scripts.length") == 2  # /static/vendor/graph.js and /static/app.js
    with pg.expect_download() as dl:
        pg.click("#export-svg")
    root = ET.fromstring(Path(dl.value.path()).read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    titles = {c.get("data-node"): c.find(ns + "title").text for c in root.findall(f".//{ns}circle[@data-node]")}
    assert len(titles) == 500 and not root.findall(f".//{ns}script")
    for node, name in hostile.items():
        assert titles[node].startswith(name + ":")
    assert pg.evaluate("() => window.__pwned") is None

    # top 100 from the form: the hundred busiest
    pg.select_option("#filters select[name=top]", "100")
    pg.click("#filters button[type=submit]")
    want = get_json(site + "/api/graph?level=state&limit=5000&top=100")
    wait_graph(pg, len(want["nodes"]))
    assert 50 < len(want["nodes"]) <= 100
    assert_labels_apart(pg)
    assert all(u.startswith(site + "/") for u in requests)
    assert not problems
    ctx.close()


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
    wait_graph(pg)
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
    assert pg.evaluate("() => document.scripts.length") == 2  # /static/vendor/graph.js and /static/app.js
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
