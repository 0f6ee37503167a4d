"""The JSON API (dyads serve) in-process: a real server on a free loopback port over a small store."""
from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dyads.serve import COMMANDS, make_server
from dyads.store import open_store

from conftest import example_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
FILES = ["04_india_pakistan_diplomats.txt", "10_vanuatu_cyclone_aid.txt", "02_mali_drone_strike.txt"]
TOKEN = "test-token-0123456789"
EXTRA = EXAMPLES / "07_iran_iraq_strikes.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return example_store(str(tmp_path_factory.mktemp("serve") / "serve.db"), FILES)


def _start(**kw):
    srv = make_server(**kw, port=0)
    srv.quiet = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture(scope="module")
def api(db):
    """A read-only server (no token configured)."""
    srv, base = _start(db=db)
    yield base
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def api_rw(db):
    """A server that accepts POST /api/articles with TOKEN, CORS on, a small body limit."""
    srv, base = _start(db=db, token=TOKEN, cors_origin="http://localhost:5173", max_body=200_000)
    yield base
    srv.shutdown()
    srv.server_close()


def call(base, path, method=None, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # headers: names case-insensitive, as in HTTP
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(base, path, **kw):
    status, headers, body = call(base, path, **kw)
    return status, headers, json.loads(body)


def assert_error(status, body, code):
    assert status == code
    assert set(body) == {"error"} and body["error"]["status"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in body["error"]["message"]


def assert_strict_csp(headers):
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["object-src"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]  # no inline script or style, no eval


def test_events_list_and_filters(api):
    status, headers, body = get_json(api, "/api/events")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert_strict_csp(headers)
    assert "Access-Control-Allow-Origin" not in headers  # CORS off unless configured
    assert body["limit"] == 50 and body["offset"] == 0 and body["count"] == len(body["items"]) > 0
    types = {e["type"] for e in body["items"]}
    typ = sorted(types)[0]
    _, _, only = get_json(api, f"/api/events?type={typ}&limit=500")
    assert only["items"] and {e["type"] for e in only["items"]} == {typ}
    assert only["total"] == len(only["items"]) < body["total"]
    _, _, pak = get_json(api, "/api/events?actor=PAK&recipient=IND")
    assert pak["items"] and all("PAK" in e["actor_countries"] and "IND" in e["recipient_countries"]
                                for e in pak["items"])
    _, _, page = get_json(api, "/api/events?limit=2&offset=1")
    assert page["limit"] == 2 and [e["id"] for e in page["items"]] == [e["id"] for e in body["items"][1:3]]
    _, _, window = get_json(api, "/api/events?since=2026-02-01&until=2026-02-28")
    assert all("2026-02-01" <= e["day"] <= "2026-02-28" for e in window["items"])
    _, _, none = get_json(api, "/api/events?text=zzzqqqnotaword")
    assert none["items"] == [] and none["total"] == 0


def test_event_detail_with_evidence(api):
    _, _, lst = get_json(api, "/api/events?actor=PAK&recipient=IND")
    ev = lst["items"][0]
    status, _, body = get_json(api, f"/api/events/{ev['id']}")
    assert status == 200 and body["event"]["id"] == ev["id"] and body["event"]["evidence"]
    assert body["mentions"] and all(m["evidence"] and m["article"] for m in body["mentions"])
    art = body["articles"][0]
    assert art["title"] and art["source"] and art["url"].startswith("https://") and art["published"]
    # the stored article (for the event page): its text contains the evidence sentence
    status, _, doc = get_json(api, "/api/articles/" + body["mentions"][0]["article"])
    assert status == 200 and body["mentions"][0]["evidence"] in doc["text"]


def test_actors_quotes_dyads_stats(api):
    _, _, actors = get_json(api, "/api/actors?country=PAK")
    assert actors["items"] and all(a["country"] == "PAK" for a in actors["items"])
    _, _, quotes = get_json(api, "/api/quotes")
    assert quotes["items"] and all(q["text"] for q in quotes["items"])
    speaker = next(q["speaker_name"] for q in quotes["items"] if q["speaker_name"])
    _, _, by = get_json(api, "/api/quotes?speaker=" + urllib.request.quote(speaker))
    assert by["items"] and len(by["items"]) <= len(quotes["items"])
    _, _, dy = get_json(api, "/api/dyads?by=month&actor=PAK")
    assert dy["items"] and all(r["actor"] == "PAK" and re.fullmatch(r"\d{4}-\d{2}", r["period"])
                               for r in dy["items"])
    _, _, st = get_json(api, "/api/stats")
    assert st["articles"] >= len(FILES) and st["events"] > 0


def test_graph(api):
    status, _, g = get_json(api, "/api/graph")
    assert status == 200 and g["nodes"] and g["edges"]
    ids = {n["id"] for n in g["nodes"]}
    for e in g["edges"]:
        assert e["source"] in ids and e["target"] in ids and e["count"] >= 1
        if e["cooperation"] is not None:
            assert abs(e["cooperation"] + e["conflict"] - 1) < 0.01
    assert all(n["count"] >= 1 and n["name"] for n in g["nodes"])
    # an edge's events are reachable through /api/events with actor/recipient ids
    e = g["edges"][0]
    _, _, evs = get_json(api, f"/api/events?actor={e['source']}&recipient={e['target']}")
    assert evs["total"] >= e["count"] >= 1
    _, _, future = get_json(api, "/api/graph?since=2099-01-01")
    assert future["nodes"] == [] and future["edges"] == []


def test_errors(api):
    assert_error(*get_json(api, "/api/events/999999")[::2], 404)
    assert_error(*get_json(api, "/api/nothing")[::2], 404)
    assert_error(*get_json(api, "/api/events?since=March")[::2], 400)
    s, _, b = get_json(api, "/api/events?since=2026-02-30")
    assert_error(s, b, 400)
    assert "since" in b["error"]["message"]
    assert_error(*get_json(api, "/api/events?limit=5000")[::2], 400)
    assert_error(*get_json(api, "/api/events?limit=abc")[::2], 400)
    assert_error(*get_json(api, "/api/events?status=maybe")[::2], 400)
    assert_error(*get_json(api, "/api/dyads?by=year")[::2], 400)
    assert_error(*get_json(api, "/api/events?" + "&".join(f"p{i}=1" for i in range(150)))[::2], 400)
    s, h, b = get_json(api, "/api/events", method="DELETE")
    assert_error(s, b, 405)
    assert "GET" in h["Allow"]
    assert_error(*get_json(api, "/api/extract")[::2], 405)
    assert_error(*get_json(api, "/api/extract", raw=b"{not json")[::2], 400)
    assert_error(*get_json(api, "/api/extract", body=["a list"])[::2], 400)
    assert_error(*get_json(api, "/api/extract", body={"text": "   "})[::2], 400)
    s, _, b = get_json(api, "/api/extract", body={"text": "Some text.", "published": "yesterday"})
    assert_error(s, b, 400)
    assert "YYYY-MM-DD" in b["error"]["message"]


def test_body_limit(api_rw):
    big = {"text": "word " * 60_000}  # ~300 kB > 200 kB limit
    assert_error(*get_json(api_rw, "/api/extract", body=big)[::2], 413)
    # the server still answers afterwards
    assert call(api_rw, "/api/stats")[0] == 200


def test_raw_bad_requests(api):
    host, port = api.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("POST", "/api/extract", body=b'{"text": "x"}', headers={"Transfer-Encoding": "chunked"})
    r = conn.getresponse()
    body = json.loads(r.read())
    assert r.status in (400, 411) and body["error"]["status"] == r.status
    conn.close()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("BREW", "/api/events")
    conn.endheaders()
    r = conn.getresponse()
    assert r.status in (405, 501) and json.loads(r.read())["error"]["status"] == r.status
    conn.close()


def test_extract_stores_nothing(api):
    text = (EXAMPLES / "05_philippines_china_shoal.txt").read_text()
    before = get_json(api, "/api/stats")[2]
    status, _, doc = get_json(api, "/api/extract", body={"text": text, "published": "2026-04-10",
                                                        "source": "Test Wire"})
    assert status == 200 and doc["actors"] and doc["text"]
    assert doc["article"]["source"] == "Test Wire" and doc["article"]["published"] == "2026-04-10"
    assert {"PHL", "CHN"} <= {a.get("country") for a in doc["actors"]}
    assert get_json(api, "/api/stats")[2] == before


def test_post_articles_auth(api, api_rw):
    text = EXTRA.read_text()
    body = {"text": text, "published": "2026-01-16", "title": "Iran strikes"}
    s, _, b = get_json(api, "/api/articles", body=body)  # no token configured: read-only
    assert_error(s, b, 403)
    s, h, b = get_json(api_rw, "/api/articles", body=body)  # token configured, none sent
    assert_error(s, b, 401)
    assert h["WWW-Authenticate"].startswith("Bearer")
    s, _, b = get_json(api_rw, "/api/articles", body=body, headers={"Authorization": "Bearer wrong"})
    assert_error(s, b, 401)
    s, _, b = get_json(api_rw, "/api/articles", body=body, headers={"Authorization": "Basic " + TOKEN})
    assert_error(s, b, 401)
    before = get_json(api_rw, "/api/stats")[2]
    iran_before = get_json(api, "/api/events?actor=IRN&limit=500")[2]["total"]  # cached until the store changes
    graph_before = get_json(api, "/api/graph")[2]
    auth = {"Authorization": "Bearer " + TOKEN}
    s, h, b = get_json(api_rw, "/api/articles", body=body, headers=auth)
    assert s == 201 and b["stored"] and b["events"] > 0
    assert h["Access-Control-Allow-Origin"] == "http://localhost:5173"
    after = get_json(api_rw, "/api/stats")[2]
    assert after["articles"] == before["articles"] + 1 and after["events"] > before["events"]
    s, _, b = get_json(api_rw, "/api/articles", body=body, headers=auth)  # the same article again
    assert s == 200 and b["duplicate"] and get_json(api_rw, "/api/stats")[2] == after
    _, _, evs = get_json(api, "/api/events?actor=IRN&limit=500")  # visible to the other server too
    assert evs["items"] and evs["total"] > iran_before
    assert get_json(api, "/api/graph")[2] != graph_before


def test_cors_preflight(api_rw, api):
    s, h, _ = call(api_rw, "/api/articles", method="OPTIONS")
    assert s == 204 and "Authorization" in h["Access-Control-Allow-Headers"]
    s, h, _ = call(api, "/api/events", method="OPTIONS")
    assert s == 204 and "Access-Control-Allow-Origin" not in h


def test_openapi_and_docs(api):
    status, _, spec = get_json(api, "/api/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    for path in ("/api/events", "/api/events/{id}", "/api/actors", "/api/quotes", "/api/dyads", "/api/stats",
                 "/api/graph", "/api/extract", "/api/articles"):
        assert path in spec["paths"], path
    status, headers, page = call(api, "/docs")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = page.decode()
    assert "<html" in html and "/api/graph" in html and "POST /api/articles" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<script" not in html.lower()
    assert_strict_csp(headers)


def test_register_serve():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    for reg in COMMANDS:
        reg(sub, argparse.HelpFormatter)
    args = parser.parse_args(["serve", "--port", "0", "--cors", "http://x.test"])
    assert args.host == "127.0.0.1" and args.port == 0 and args.cors == "http://x.test" and args.func


def test_internal_error_is_generic(api, monkeypatch, capsys):
    from dyads import query

    def boom(store):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(query, "stats", boom)
    s, _, b = get_json(api, "/api/stats")
    assert_error(s, b, 500)
    assert "secret" not in b["error"]["message"]
    monkeypatch.undo()
    assert call(api, "/api/stats")[0] == 200


def test_internal_error_on_a_cached_read_endpoint_is_generic(api, monkeypatch, capsys):
    """The read endpoints answered by the Guard itself answer an unexpected error as the routes do."""
    from dyads.serve import api as serve_api

    def boom(store, params):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(serve_api, "list_quotes", boom)
    s, h, b = get_json(api, "/api/quotes?speaker=nobody-asked-this-before")
    assert_error(s, b, 500)
    assert "secret" not in b["error"]["message"]
    assert_strict_csp(h)
    monkeypatch.undo()
    assert call(api, "/api/quotes?speaker=nobody-asked-this-before")[0] == 200


def test_state_graph(api):
    """level=state: states and organisations as nodes; node ids are /api/events filters."""
    status, _, g = get_json(api, "/api/graph?level=state")
    assert status == 200 and g["level"] == "state" and g["nodes"] and g["edges"]
    ids = {n["id"] for n in g["nodes"]}
    assert {"PAK", "IND"} <= ids
    assert all(n["kind"] == "state" and n["country"] == n["id"] for n in g["nodes"] if not n["id"].isdigit())
    for e in g["edges"]:
        assert e["source"] in ids and e["target"] in ids and e["source"] != e["target"]
        _, _, evs = get_json(api, f"/api/events?actor={e['source']}&recipient={e['target']}&limit=1")
        assert evs["total"] >= e["count"], e
    # the actor-level graph merges into it: officials count for their state
    actor_level = get_json(api, "/api/graph")[2]
    assert len(g["nodes"]) < len(actor_level["nodes"])
    assert_error(*get_json(api, "/api/graph?level=planet")[::2], 400)


def test_graph_top_and_min_events(api):
    """top keeps the busiest nodes, min_events drops the quiet ones; edges only between nodes that stay."""
    for level in ("state", "actor"):
        full = get_json(api, f"/api/graph?level={level}&limit=5000")[2]
        count = {n["id"]: n["count"] for n in full["nodes"]}
        assert len(count) >= 5 and full["total_nodes"] == len(count) and full["total_edges"] == len(full["edges"])
        for n in (3, 8):  # the n busiest nodes (3 may have no edge between them at actor level)
            busiest = set(sorted(count, key=lambda k: (-count[k], k))[:n])
            status, _, g = get_json(api, f"/api/graph?level={level}&top={n}")
            assert status == 200 and g["filters"]["top"] == n and g["total_nodes"] == len(count)
            ids = {x["id"] for x in g["nodes"]}
            assert ids <= busiest and {x["id"]: x["count"] for x in g["nodes"]} == {k: count[k] for k in ids}
            expected = {e["id"] for e in full["edges"] if {e["source"], e["target"]} <= busiest}
            assert {e["id"] for e in g["edges"]} == expected
            assert ids == {x for e in g["edges"] for x in (e["source"], e["target"])}
        assert expected, f"no edge among the 8 busiest {level} nodes: the test store is too sparse"
        # a threshold between the quietest and the busiest node: every edge between two nodes above it
        k = sorted(set(count.values()))[len(set(count.values())) // 2]
        g = get_json(api, f"/api/graph?level={level}&min_events={k}")[2]
        assert g["filters"]["min_events"] == k and all(n["count"] >= k for n in g["nodes"])
        loud = {i for i, c in count.items() if c >= k}
        assert {e["id"] for e in g["edges"]} == {e["id"] for e in full["edges"] if {e["source"], e["target"]} <= loud}
        # both at once, and a limit on edges after them
        g = get_json(api, f"/api/graph?level={level}&top=4&min_events={k}&limit=1")[2]
        assert len(g["edges"]) <= 1 and all(n["count"] >= k for n in g["nodes"]) and len(g["nodes"]) <= 2
    for bad in ("top=0", "top=abc", "min_events=0", "min_events=-2", "top=999999"):
        assert_error(*get_json(api, f"/api/graph?level=state&{bad}")[::2], 400)


def test_timeline(api):
    status, _, t = get_json(api, "/api/timeline?actor=PAK&recipient=IND")
    assert status == 200 and t["by"] == "month" and t["items"]
    total = get_json(api, "/api/events?actor=PAK&recipient=IND&limit=500")[2]
    dated = [e for e in total["items"] if e["day"]]
    assert sum(r["events"] for r in t["items"]) == len(dated)
    for r in t["items"]:
        assert re.fullmatch(r"\d{4}-\d{2}", r["period"])
        assert sum(r[q] for q in ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                                  "material_conflict")) <= r["events"]
        assert r["mean_intensity"] is None or -10 <= r["mean_intensity"] <= 10
    weeks = get_json(api, "/api/timeline?actor=PAK&by=week")[2]
    assert weeks["items"] and all(re.fullmatch(r"\d{4}-W\d{2}", r["period"]) for r in weeks["items"])
    assert_error(*get_json(api, "/api/timeline?by=year")[::2], 400)


def test_dashboard_assets_are_local(api):
    status, headers, page = call(api, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert_strict_csp(headers)
    html = page.decode()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html, re.I)
    assert "/static/app.js" in refs and "/static/app.css" in refs
    assert all(r.startswith(("/", "#")) and not r.startswith("//") for r in refs), refs
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I)  # no inline script
    assert not re.search(r"\son[a-z]+\s*=", html, re.I) and "style=" not in html  # no inline handler or style
    for name, ctype in (("app.js", "text/javascript"), ("app.css", "text/css"), ("favicon.svg", "image/svg+xml")):
        s, h, body = call(api, "/static/" + name)
        assert s == 200 and h["Content-Type"].startswith(ctype) and body
        assert not re.search(rb"https?://(?!www\.w3\.org/2000/svg)", body), name  # no remote asset
    # the vendored graph libraries and their layout worker: served from here too, same rules
    for name in ("vendor/graph.js", "vendor/fa2-worker.js"):
        s, h, body = call(api, "/static/" + name)
        assert s == 200 and h["Content-Type"].startswith("text/javascript") and len(body) > 1000
        assert not re.search(rb"https?://", body), name  # nothing fetched from elsewhere, not even a link
        for sink in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"document.write", b"eval(", b"new Function"):
            assert sink not in body, (name, sink)
    s, h, body = call(api, "/static/vendor/THIRD_PARTY_LICENSES.txt")
    assert s == 200 and h["Content-Type"].startswith("text/plain") and b"Permission is hereby granted" in body
    js = call(api, "/static/app.js")[2].decode()
    js = re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", js, flags=re.S), flags=re.M)  # code, not comments
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink  # untrusted text only ever becomes text nodes
    # server.py and __init__.py sit beside web/ in dyads.serve: no path from a request reaches them
    for bad in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/../__init__.py", "/static/nothing.js",
                "/static/"):
        s, _, b = call(api, bad)
        assert_error(s, json.loads(b), 404)


def test_vendored_graph_bundle_matches_the_lock():
    """The committed bundle is what `make web` builds from web-src/package-lock.json: every package it
    names is locked at that version, and every one has its licence text in THIRD_PARTY_LICENSES.txt.
    (A lock changed without `make web` fails here.)"""
    lock = json.loads((ROOT / "web-src" / "package-lock.json").read_text())["packages"]
    vendor = ROOT / "src" / "dyads" / "serve" / "web" / "vendor"
    notice = (vendor / "THIRD_PARTY_LICENSES.txt").read_text()
    seen = set()
    for name in ("graph.js", "fa2-worker.js"):
        head = (vendor / name).read_text()[:2000]
        contains = re.search(r"Contains: (.*?)\.\n", head).group(1)
        for pkg, version, licence in re.findall(r"(\S+) (\d[\w.+-]*) \(([^)]+)\)", contains):
            assert lock[f"node_modules/{pkg}"]["version"] == version, (name, pkg)
            assert not lock[f"node_modules/{pkg}"].get("dev"), pkg  # a build tool never ships
            assert f"{pkg} {version} - {licence}" in notice, pkg
            seen.add(pkg)
    assert {"sigma", "graphology", "graphology-layout-forceatlas2"} <= seen


def test_country_fast_path_matches_general_query(db):
    """/api/events answers filters of country codes, days and a type from event_dyads; same rows,
    order and total as the general query."""
    from dyads import query, serve

    with open_store(db) as s:
        countries = [r[0] for r in s.query("SELECT DISTINCT actor_country FROM event_dyads WHERE actor_country <> ''")]
        pairs = s.query("SELECT DISTINCT actor_country, recipient_country FROM event_dyads "
                        "WHERE actor_country <> '' AND recipient_country <> ''")
        assert countries and pairs
        cases = [{"actor": c} for c in countries] + [{"recipient": r} for _, r in pairs]
        cases += [{"actor": a, "recipient": r} for a, r in pairs]
        cases += [{"actor": c, "since": "2026-02-01"} for c in countries[:3]]
        types = [r[0] for r in s.query("SELECT DISTINCT type FROM events")]
        cases += [{side: c, "type": t.lower() if i % 2 else t} for i, (side, c, t) in
                  enumerate((side, c, t) for side in ("actor", "recipient") for c in countries for t in types)]
        cases += [{"actor": a, "recipient": r, "type": t} for a, r in pairs[:3] for t in types]
        for case in cases:
            for limit, offset in ((50, 0), (2, 1), (3, 4)):
                params = {**case, "limit": str(limit), "offset": str(offset)}
                f = serve._event_filters(params)
                assert query._dyad_only(f) is not None
                fast = serve.list_events(s, params)
                where, wp = query._event_where(**f)
                slow = [e.to_dict() for e in query._event_page(s, where, wp, limit, offset)]
                assert fast["items"] == slow, case
                assert fast["total"] == int(s.scalar(f"SELECT COUNT(*) FROM events e{where}", wp)), case
        assert query._dyad_only(serve._event_filters({"actor": "PAK", "status": "asserted"})) is None
        assert query._dyad_only(serve._event_filters({"actor": "pakistan", "type": "ACCUSE"})) is None


def test_serve_workers_share_the_port_and_stop_together(db):
    """`dyads serve --workers 2`: both processes answer on one port; SIGTERM stops the parent and
    every worker (no orphan keeps the port)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "dyads.serve", "--db", db, "--port", "0", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"on http://([\d.]+):(\d+)/ .*2 worker processes", line)
        assert m, line
        base = f"http://{m.group(1)}:{m.group(2)}"
        workers, children, before = [], {}, None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            out = subprocess.run(["ps", "-ww", "-o", "pid=,args=", "--ppid", str(proc.pid)], capture_output=True,
                                 text=True)
            children = {int(pid): args for pid, _, args in (ln.strip().partition(" ") for ln in out.stdout.splitlines())}
            # uvicorn spawns its workers with multiprocessing, which starts its resource tracker too: not a
            # worker; and a child caught between fork and exec still shows the parent's command: look twice
            workers = [pid for pid, args in children.items() if "resource_tracker" not in args]
            if len(workers) == 2 and children == before:
                break
            before = children
            time.sleep(0.2)
        assert len(workers) == 2, children
        for _ in range(20):  # fresh connections: the workers take turns accepting
            status, _, body = get_json(base, "/api/events?limit=1")
            assert status == 200 and body["total"] > 0
        assert call(base, "/")[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        for pid in children:  # the workers and any helper process
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                pytest.fail(f"worker {pid} outlived the server")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_workers_share_aggregates_until_the_store_changes(tmp_path):
    """Two runtimes over one store and one SharedAnswers file (two workers of one server): an aggregate
    one computed is the other's answer, byte for byte, without computing it; events pages are not
    shared; a new article makes the shared answer stale for both."""
    from dyads.serve import api as serve_api
    from dyads.serve.runtime import Runtime

    db = example_store(str(tmp_path / "shared.db"), FILES[:2])
    shared = str(tmp_path / "answers.db")
    one, two = Runtime(db, shared_cache=shared), Runtime(db, shared_cache=shared)
    calls = []

    def graph(store, params):
        calls.append(params)
        return serve_api.graph(store, params)

    try:
        first = one.read("graph", {"level": "state"}, graph)
        assert two.read("graph", {"level": "state"}, graph) == first and len(calls) == 1
        assert two.peek("graph", {"level": "state"}) == first  # the cached answer, found without computing
        assert two.read("graph", {"level": "actor"}, graph) != first and len(calls) == 2
        one.read("events", {"limit": "1"}, serve_api.list_events)
        assert two.peek("events", {"limit": "1"}) is None  # pages stay with the worker that made them

        from dyads.store import open_store
        from dyads.pipeline import extract

        with open_store(db) as s:  # another process ingests: every cached aggregate is stale
            text = (EXAMPLES / FILES[2]).read_text(encoding="utf-8")
            s.add_result(extract(text, published="2024-06-18"), "hash-of-a-third-article")
        assert two.peek("graph", {"level": "state"}) is None
        after = two.read("graph", {"level": "state"}, graph)
        assert len(calls) == 3 and one.read("graph", {"level": "state"}, graph) == after and len(calls) == 3
        assert json.loads(after)["nodes"] != json.loads(first)["nodes"]
    finally:
        one.close()
        two.close()


def test_an_ingest_through_the_server_makes_its_cached_answers_stale(tmp_path):
    """The answer cache keys on the store's version, which on SQLite is read again only when another
    connection has committed (PRAGMA data_version): an article stored through this runtime's own
    connection must make the cached answers stale all the same, on that very connection too."""
    from dyads.serve import api as serve_api
    from dyads.serve.runtime import Runtime

    db = example_store(str(tmp_path / "own.db"), FILES[:1])
    rt = Runtime(db, threads=1)  # a LIFO pool: the connection that writes is the next one to read
    try:
        before = json.loads(rt.read("events", {"limit": "500"}, serve_api.list_events))["total"]
        assert rt.peek("events", {"limit": "500"}) is not None
        status, out = rt.ingest({"text": EXTRA.read_text(encoding="utf-8"), "published": "2024-06-18"})
        assert status == 201 and out["events"] > 0
        assert rt.peek("events", {"limit": "500"}) is None
        after = json.loads(rt.read("events", {"limit": "500"}, serve_api.list_events))["total"]
        assert after > before
    finally:
        rt.close()


def test_actor_link_pages_match_the_general_query(tmp_path):
    """Filters of stored actors (an id or name words, one side or both, with days and a type) are
    answered from event_actors / event_actor_pairs: the same rows, order and total as the general
    query on the events rows, background clusters and an event with two matching actors included."""
    from dyads import query, serve

    db = example_store(str(tmp_path / "counts.db"), FILES + [EXTRA.name])
    with open_store(db) as s:
        ids = [str(r[0]) for r in s.query("SELECT DISTINCT actor_pk FROM event_actors")]
        words = [r[0].split()[0].lower() for r in s.query("SELECT name FROM actors")][:12] + ["a", "zzz"]
        # one cluster flagged background (the subtraction); words such as "a" match several actors of one
        # event (counted once)
        pk = s.scalar("SELECT MIN(event_pk) FROM event_actors WHERE role = 'actor'")
        for table, col in (("events", "pk"), ("event_dyads", "event_pk"), ("event_actors", "event_pk"),
                           ("event_actor_pairs", "event_pk")):  # as dyads.aggregate flags a cluster
            s.execute(f"UPDATE {table} SET background = 1 WHERE {col} = ?", (pk,))
        s.conn.commit()
        pairs = s.query("SELECT DISTINCT actor_pk, recipient_pk FROM event_actor_pairs")
        types = [r[0] for r in s.query("SELECT DISTINCT type FROM events")]
        days = [r[0] for r in s.query("SELECT DISTINCT day FROM events WHERE day IS NOT NULL ORDER BY day")]
        assert pairs and types and days
        cases = [{role: v} for role in ("actor", "recipient") for v in ids + words]
        cases += [{"actor": str(a), "recipient": str(r)} for a, r in pairs]
        cases += [{"actor": w, "recipient": str(r)} for w in words[:4] for _, r in pairs[:3]]
        cases += [{"actor": w, "recipient": v} for w in words[:3] for v in words[:3]]
        cases += [{"actor": v, "type": t} for v in ids[:4] + words[:2] for t in types]
        cases += [{"recipient": v, "since": days[len(days) // 2], "until": days[-1]} for v in ids + words[:3]]
        cases += [{"actor": str(a), "recipient": str(r), "until": days[len(days) // 2]} for a, r in pairs[:5]]
        cases += [{**c, "include_background": "1"} for c in cases[::7]]
        checked = 0
        for case in cases:
            for limit, offset in ((5, 0), (1, 0), (2, 1)):
                params = {**case, "limit": str(limit), "offset": str(offset)}
                f = serve._event_filters(params)
                assert query._links_only(s, f) is not None, case
                where, wp = query._event_where(**f)
                got = serve.list_events(s, params)
                assert got["total"] == int(s.scalar(f"SELECT COUNT(*) FROM events e{where}", wp)), case
                # the page: the same rows in the same order, however it was found
                assert got["items"] == [e.to_dict() for e in query._event_page(s, where, wp, limit, offset)], case
                checked += got["total"] > 0
        assert checked > 50
        assert s.scalar("SELECT COUNT(*) FROM events WHERE background = 1") == 1
        for f in ({"actor": "PAK"}, {"actor": "1", "recipient": "PAK"}, {"actor": "1", "status": "asserted"},
                  {"actor": "1", "text": "talks"}, {}):
            assert query._links_only(s, f) is None, f


def test_runtime_threads_hand_back_results_and_errors(tmp_path):
    """Runtime.run: the result or the exception of the function run in a pool thread, also with more
    jobs at once than threads; a cancelled waiter leaves the thread free for the next job."""
    import asyncio
    import threading
    import time

    from dyads.serve.runtime import Runtime

    rt = Runtime(str(tmp_path / "threads.db"), threads=2)

    async def main():
        assert await rt.run(lambda a, b: a + b, 2, 3) == 5
        with pytest.raises(ZeroDivisionError):
            await rt.run(lambda: 1 / 0)
        names = await asyncio.gather(*(rt.run(lambda: (time.sleep(0.02), threading.current_thread().name)[1])
                                       for _ in range(6)))
        assert len(set(names)) == 2 and all(n.startswith("dyads-read-") for n in names)
        slow = asyncio.ensure_future(rt.run(time.sleep, 0.05))
        await asyncio.sleep(0.01)
        slow.cancel()
        assert await rt.run(lambda: "after") == "after"
        assert (await rt.run(lambda: threading.current_thread().name, kind="write")).startswith("dyads-write-")

    try:
        asyncio.run(main())
    finally:
        rt.close()
