"""Background events (issue 11): history a story recalls is flagged, stored, and left out of queries,
exports, the CLI and the API unless asked for. Every story here is invented for these tests."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

import dyads
from dyads import query
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


def test_without_publication_date_nothing_is_background():
    r = dyads.extract(ISLANDS)
    assert r.events and not any(e.background for e in r.events)
    assert _by_trigger(r, "occupied").date == "1945"


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
