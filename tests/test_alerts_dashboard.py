"""The dashboard's Alerts view and its API (GET /api/alerts), in Debian's Chromium through Playwright.

The store is built from hand-made records (tests/records_store.py) and holds alerts whose evidence,
source and URL carry markup that must be shown, never run. Fixtures and helpers are the dashboard
tests' own.
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from records_store import Ev, Story, add
from test_dashboard import browser, get_json, page, shot  # noqa: F401 - Chromium, a recording page

from dyads.alerts import parse_rules, run_rules
from dyads.serve import make_server
from dyads.store import open_store

HOSTILE = 'Kenya accused Somalia of a border raid <script>window.__pwned = "alert"</script> near <b>Mandera</b>.'
RULES = """
rules:
  - name: border-accusations
    type: ACCUSE
  - name: shelling
    type: ASSAULT
  - name: first
    kind: first_pair
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("alerts-dash") / "alerts.db")
    with open_store(db) as s:
        add(s,
            Story("ken-som", '<img src=x onerror="window.__pwned = \'source\'">Wire', "2025-03-04", [
                Ev("ACCUSE", "KEN", "SOM", HOSTILE, "2025-03-03", trigger="accused")],
                url="javascript:window.__pwned = 'url'", title="<b>row</b>"),
            Story("rus-ukr", "Harbour Wire", "2025-03-05", [
                Ev("ASSAULT", "RUS", "UKR", "Russian forces shelled the port of Kherson on Tuesday.", "2025-03-04",
                   trigger="shelled")], url="https://example.org/harbour-wire/kherson"))
        assert len(run_rules(s, parse_rules(RULES), sinks=[])) == 4
    srv = make_server(db, port=0)
    srv.quiet = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_alerts_api(site):
    res = get_json(site + "/api/alerts")
    assert res["total"] == res["count"] == 4 and res["offset"] == 0
    assert [(r["name"], r["kind"], r["alerts"]) for r in res["rules"]] == [
        ("border-accusations", "event", 1), ("first", "first_pair", 2), ("shelling", "event", 1)]
    assert [a["id"] for a in res["items"]] == sorted((a["id"] for a in res["items"]), reverse=True)  # newest first
    shelling = get_json(site + "/api/alerts?rule=shelling")["items"]
    assert [(a["rule"], a["type"], a["url"]) for a in shelling] == [
        ("shelling", "ASSAULT", "https://example.org/harbour-wire/kherson")]
    assert get_json(site + "/api/alerts?kind=first_pair&limit=1")["count"] == 1
    for bad, message in (("kind=spiek", "kind 'spiek'"), ("limit=0", "limit '0'"),
                         ("since=2025-02-30", "not a real calendar date")):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(site + "/api/alerts?" + bad, timeout=30)
        assert info.value.code == 400 and message in json.loads(info.value.read())["error"]["message"]
    assert "/api/alerts" in get_json(site + "/api/openapi.json")["paths"]


def test_alerts_view_lists_alerts_links_events_and_keeps_hostile_text_inert(page, site):  # noqa: F811
    page.goto(site + "/#/alerts")
    page.wait_for_selector("#view-alerts[data-ready='1']")
    assert page.locator("nav a[data-nav='alerts']").get_attribute("class") == "active"
    assert page.locator("#filters").is_hidden() and page.locator("#alerts-filter").is_visible()
    rows = page.locator("#alerts-table tbody tr[data-alert]")
    assert rows.count() == 4
    assert page.locator("#alerts-page-info").inner_text() == "1–4 of 4"
    options = page.locator("#alerts-filter select[name='rule'] option").all_inner_texts()
    assert options == ["all rules", "border-accusations (event, 1)", "first (first_pair, 2)", "shelling (event, 1)"]
    table = page.locator("#alerts-table").inner_text()
    assert HOSTILE in table  # the markup is shown as text
    assert "Russian forces shelled the port of Kherson on Tuesday." in table
    assert page.locator("#alerts-table script, #alerts-table img, #alerts-table b").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0  # the hostile URL is not a link
    assert page.locator("#alerts-table a[href='https://example.org/harbour-wire/kherson']").count() == 2
    shot(page, "alerts-view")

    # filter by rule: only its alerts, and the hash keeps the filter
    page.select_option("#alerts-filter select[name='rule']", "shelling")
    page.click("#alerts-filter button[type='submit']")
    page.wait_for_function("() => location.hash.includes('rule=shelling')")
    page.wait_for_function("() => document.querySelectorAll('#alerts-table tbody tr[data-alert]').length === 1")
    row = page.locator("#alerts-table tbody tr[data-alert]").first
    assert "shelling" in row.inner_text() and "ASSAULT" in row.inner_text()

    # the event link opens the event page
    event_id = row.locator("a[data-alert-event]").get_attribute("data-alert-event")
    row.locator("a[data-alert-event]").click()
    page.wait_for_selector("#event-head[data-ready='1']")
    assert page.evaluate("location.hash") == f"#/event/{event_id}"
    assert "ASSAULT" in page.locator("#event-head").inner_text()
    shot(page, "alerts-event")

    assert page.evaluate("window.__pwned") is None and page.dialogs == [] and page.problems == []
    assert all(u.startswith(site) for u in page.requests), [u for u in page.requests if not u.startswith(site)]
