"""Background events (issue 11): history a story recalls is flagged, stored, and left out of queries,
exports, the CLI and the API unless asked for. Every story here is invented for these tests."""
from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

import dyads
from dyads import query, serve
from dyads.cli_store import main as cli_main
from dyads.records import ArticleResult, Event
from dyads.store import content_hash, open_store

ISLANDS = ("TOKYO, March 4 (Test Wire) - Chinese officials accused Japan on Tuesday of sending warships near the "
           "disputed islands. Japan occupied the islands from 1895 until 1945, and both countries claim them today.")
NARRATIVE = ("Chinese officials condemned Japan on Monday. Japan occupied the islands from 1895 until 1945. "
             "China then protested to Japan.")
# a store of two 2026 stories, each with one piece of news and one background event between two states
STORIES = [
    ("Han River Daily", "South Korea protested to Japan on Monday over a new school textbook. Japan occupied "
                        "South Korea from 1910 until 1945."),
    ("Gulf Wire", "KUWAIT CITY, March 4 (Test Wire) - Kuwait accused Iraq on Monday of letting smugglers cross "
                  "the border. Iraq invaded Kuwait in August 1990 and occupied it for seven months."),
]
GML = "{http://graphml.graphdrawing.org/xmlns}"


def _by_trigger(result, word):
    return next(e for e in result.events if e.trigger.text == word)


# --------------------------------------------------------------------------- extraction


def test_pipeline_marks_a_recalled_occupation_as_background():
    r = dyads.extract(ISLANDS, published="2026-03-04")
    occupied, accused = _by_trigger(r, "occupied"), _by_trigger(r, "accused")
    assert (occupied.date, occupied.date_precision, occupied.background) == ("1945", "year", True)
    assert (accused.date, accused.background) == ("2026-03-03", False)  # same week: news
    doc = r.to_dict()
    assert doc["events"][r.events.index(occupied)]["background"] is True
    assert doc["events"][r.events.index(accused)]["background"] is False


def test_the_narrative_does_not_continue_from_history():
    r = dyads.extract(NARRATIVE, published="2026-03-04")
    assert _by_trigger(r, "occupied").background
    protested = _by_trigger(r, "protested")  # undated: continues Monday's story, not 1945
    assert (protested.date, protested.background) == ("2026-03-02", False)


def test_without_publication_date_or_a_later_dated_event_nothing_is_background():
    r = dyads.extract(ISLANDS)
    assert r.events and not any(e.background for e in r.events)
    assert _by_trigger(r, "occupied").date == "1945"


def test_without_publication_date_the_latest_dated_event_is_the_present():
    r = dyads.extract("Chinese officials accused Japan in March 2024 of sending warships near the disputed "
                      "islands. Japan occupied the islands from 1895 until 1945.")
    assert _by_trigger(r, "occupied").background
    assert not _by_trigger(r, "accused").background


def test_contract_field_round_trips_and_old_documents_still_load():
    doc = dyads.extract(ISLANDS, published="2026-03-04").to_dict()
    assert ArticleResult.from_dict(json.loads(json.dumps(doc))).to_dict() == doc
    for ev in doc["events"]:
        del ev["background"]  # a document written before the field existed
    old = ArticleResult.from_dict(doc)
    assert [e.background for e in old.events] == [False] * len(doc["events"])
    assert "background" in Event.__dataclass_fields__


def test_extract_cli_shows_the_field(tmp_path, capsys):
    from dyads.cli import main

    f = tmp_path / "islands.txt"
    f.write_text(ISLANDS)
    assert main(["extract", str(f), "--published", "2026-03-04"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert sorted((e["trigger"]["text"], e["background"]) for e in events) == [("accused", False),
                                                                               ("occupied", True)]
    assert main(["extract", str(f), "--published", "2026-03-04", "--format", "table"]) == 0
    assert "[background]" in capsys.readouterr().out


# --------------------------------------------------------------------------- store, queries, exports


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("bg") / "bg.db")
    with open_store(path) as s:
        for source, text in STORIES:
            assert s.add_result(dyads.extract(text, published="2026-03-04", source=source), content_hash(text))
    return path


@pytest.fixture
def store(db):
    with open_store(db) as s:
        yield s


NEWS_PAIRS = {("KOR", "JPN"), ("KWT", "IRQ")}
HISTORY_PAIRS = {("JPN", "KOR"), ("IRQ", "KWT")}


def test_the_store_keeps_background_events(store):
    assert query.stats(store)["events"] == 4 and query.stats(store)["background_events"] == 2
    flags = dict(store.query("SELECT date, background FROM events"))
    assert flags["1945"] == 1 and flags["1990-08"] == 1


def test_event_queries_exclude_background_by_default(store):
    news = query.events(store, limit=None)
    assert {(e.actor_countries[0], e.recipient_countries[0]) for e in news} == NEWS_PAIRS
    everything = query.events(store, limit=None, include_background=True)
    assert {(e.actor_countries[0], e.recipient_countries[0]) for e in everything} == NEWS_PAIRS | HISTORY_PAIRS
    assert {e.date for e in everything if e.background} == {"1945", "1990-08"}
    assert query.events(store, actor="JPN", recipient="KOR") == []
    assert query.events(store, actor="JPN") == [] and query.events(store, type="ASSAULT") == []
    # event_page: the event_dyads fast path (country codes only) and the general one
    assert query.event_page(store, 10, actor="JPN") == ([], 0)
    page, total = query.event_page(store, 10, actor="JPN", include_background=True)
    assert total == 1 and page[0].background and page[0].to_dict()["background"] is True
    assert query.event_page(store, 10, type="ASSAULT")[1] == 0
    assert query.event_page(store, 10, type="ASSAULT", include_background=True)[1] == 2
    assert query.event_page(store, 10)[1] == 2 and query.event_page(store, 10, include_background=True)[1] == 4


def test_dyad_series_exclude_background_by_default(store):
    assert {(r["actor"], r["recipient"]) for r in query.dyads(store)} == NEWS_PAIRS
    rows = query.dyads(store, include_background=True)
    assert {(r["period"], r["actor"], r["recipient"]) for r in rows} >= {("1945-01", "JPN", "KOR"),
                                                                         ("1990-08", "IRQ", "KWT")}
    assert query.dyads(store, actor="IRQ", recipient="KWT") == []


def test_graph_and_timeline_exclude_background_by_default(store):
    for level in ("state", "actor"):
        g = serve.graph(store, {"level": level})
        g_all = serve.graph(store, {"level": level, "include_background": "1"})
        assert len(g["edges"]) == 2 and len(g_all["edges"]) == 4, level
        assert g["filters"] == {} and g_all["filters"] == {"include_background": True}
    state_edges = {(e["source"], e["target"]) for e in serve.graph(store, {"level": "state"})["edges"]}
    assert state_edges == NEWS_PAIRS
    assert serve.timeline(store, {"actor": "JPN"})["items"] == []
    items = serve.timeline(store, {"actor": "JPN", "include_background": "1"})["items"]
    assert [(r["period"], r["events"]) for r in items] == [("1945-01", 1)]


def test_every_export_excludes_background_by_default(store, tmp_path):
    import pyarrow.parquet as pq

    for fmt in ("csv", "jsonl", "gdelt"):
        buf, buf_all = io.StringIO(), io.StringIO()
        assert query.export(store, fmt, buf) == 2 and query.export(store, fmt, buf_all, include_background=True) == 4
        assert "1945" not in buf.getvalue() and "1945" in buf_all.getvalue(), fmt
    rows = list(csv.DictReader(io.StringIO(_csv(store, include_background=True))))
    assert sorted(r["background"] for r in rows) == ["False", "False", "True", "True"]
    assert query.export(store, "parquet", tmp_path / "n.parquet") == 2
    assert query.export(store, "parquet", tmp_path / "a.parquet", include_background=True) == 4
    table = pq.read_table(tmp_path / "a.parquet")
    assert sorted(table.column("background").to_pylist()) == [False, False, True, True]
    edges = {}
    for flag in (False, True):
        buf = io.StringIO()
        n = query.export(store, "graphml", buf, include_background=flag)
        graph = ET.fromstring(buf.getvalue()).find(GML + "graph")
        edges[flag] = n
        assert len(graph.findall(GML + "edge")) == n
    assert (edges[False], edges[True]) == (2, 4)


def _csv(store, include_background: bool) -> str:
    buf = io.StringIO()
    query.export(store, "csv", buf, include_background=include_background)
    return buf.getvalue()


def test_cli_include_background(db, capsys, tmp_path):
    assert cli_main(["events", "--db", db, "--actor", "JPN", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out or "[]") == []
    assert cli_main(["events", "--db", db, "--actor", "JPN", "--format", "json", "--include-background"]) == 0
    [ev] = json.loads(capsys.readouterr().out)
    assert ev["background"] is True and ev["date"] == "1945"
    assert cli_main(["events", "--db", db, "--include-background", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(",background") and len(out) == 5
    assert cli_main(["dyads", "--db", db, "--format", "json"]) == 0
    assert {(r["actor"], r["recipient"]) for r in json.loads(capsys.readouterr().out)} == NEWS_PAIRS
    assert cli_main(["dyads", "--db", db, "--format", "json", "--include-background"]) == 0
    pairs = {(r["actor"], r["recipient"]) for r in json.loads(capsys.readouterr().out)}
    assert pairs == NEWS_PAIRS | HISTORY_PAIRS
    for flag, n in (([], 2), (["--include-background"], 4)):
        out = tmp_path / f"e{n}.csv"
        assert cli_main(["export", "--db", db, "--format", "csv", "--out", str(out), *flag]) == 0
        assert len(list(csv.DictReader(out.open()))) == n
        assert f"exported {n} events" in capsys.readouterr().err
    assert cli_main(["stats", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["background_events"] == 2
    with pytest.raises(SystemExit):
        cli_main(["export", "--help"])
    assert "--include-background" in capsys.readouterr().out


# --------------------------------------------------------------------------- HTTP API


@pytest.fixture(scope="module")
def api(db):
    srv = serve.make_server(db=db, port=0)
    srv.quiet = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_api_include_background_parameter(api):
    assert _get(api, "/api/events?actor=JPN")[1]["total"] == 0
    status, body = _get(api, "/api/events?actor=JPN&include_background=1")
    assert status == 200 and body["total"] == 1 and body["items"][0]["background"] is True
    assert _get(api, "/api/events")[1]["total"] == 2
    assert _get(api, "/api/events?include_background=true")[1]["total"] == 4
    assert {(r["actor"], r["recipient"]) for r in _get(api, "/api/dyads")[1]["items"]} == NEWS_PAIRS
    items = _get(api, "/api/dyads?include_background=1")[1]["items"]
    assert {(r["actor"], r["recipient"]) for r in items} == NEWS_PAIRS | HISTORY_PAIRS
    assert len(_get(api, "/api/graph?level=state")[1]["edges"]) == 2
    assert len(_get(api, "/api/graph?level=state&include_background=1")[1]["edges"]) == 4
    assert _get(api, "/api/timeline?actor=IRQ")[1]["items"] == []
    assert _get(api, "/api/timeline?actor=IRQ&include_background=1")[1]["items"][0]["period"] == "1990-08"
    # an event's own page shows it whatever its flag
    pk = _get(api, "/api/events?actor=IRQ&recipient=KWT&include_background=1")[1]["items"][0]["id"]
    assert _get(api, f"/api/events/{pk}")[1]["event"]["background"] is True
    status, body = _get(api, "/api/events?include_background=maybe")
    assert status == 400 and "include_background" in body["error"]["message"]


def test_openapi_documents_the_parameter(api):
    spec = _get(api, "/api/openapi.json")[1]
    for path in ("/api/events", "/api/dyads", "/api/graph", "/api/timeline"):
        names = [p["name"] for p in spec["paths"][path]["get"]["parameters"]]
        assert "include_background" in names, path


def test_an_undated_story_is_not_written_before_the_latest_year_it_names():
    # no publication date: the present is at least the start of the latest year in the text
    r = dyads.extract("In 1844, British forces seized the islands as war indemnities. "
                      "The islands were handed to Spain in 1848.")
    dated = [e for e in r.events if e.date == "1844"]
    assert dated and all(e.background for e in dated)
    r = dyads.extract("Russian troops shelled Kharkiv in 2019.")
    assert r.events and not any(e.background for e in r.events)  # nothing later to measure it by
