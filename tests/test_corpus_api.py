"""dyads.Corpus: the store's queries as Records, arrow tables and DataFrames; the analysis notebook."""
from __future__ import annotations

import math
import os
import sqlite3
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

import dyads
from dyads import query
from dyads.corpus import ACTOR_COLUMNS, DYAD_COLUMNS, EVENT_COLUMNS, QUOTE_COLUMNS, ActorEvents, DyadPeriod
from dyads.errors import ConfigError, DyadsError, StoreError
from dyads.store import EventCluster, StoredQuote, open_store

from conftest import example_store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "analysis.ipynb"
# India/Pakistan (a busy directed pair), Iran/Iraq, Venezuela/Guyana (recalls a 2023 court order:
# a background event)
ARTICLES = ("04_india_pakistan_diplomats.txt", "07_iran_iraq_strikes.txt", "09_venezuela_guyana_ultimatum.txt")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return example_store(str(tmp_path_factory.mktemp("corpus") / "c.db"), ARTICLES)


@pytest.fixture
def corpus(db):
    with dyads.Corpus(db) as c:
        yield c


def _ids(rows) -> list[int]:
    return [r.pk for r in rows]


def test_events_are_the_query_rows_for_every_filter(corpus):
    store = corpus.store
    filters = [{}, {"actor": "PAK"}, {"actor": "PAK", "recipient": "IND"}, {"recipient": "pakistan"},
               {"type": "assault"}, {"status": "negated"}, {"since": "2026-05-05", "until": "2026-05-31"},
               {"text": "diplomat"}, {"include_background": True}, {"actor": "IND", "limit": 2}]
    for f in filters:
        expected = query.events(store, **{"limit": None, **f})
        got = corpus.events(**f)
        assert list(got) == expected, f  # the same EventCluster records, in the same order
        assert all(isinstance(e, EventCluster) for e in got)
    # the filters filter (and mean what query's do)
    everything = corpus.events()
    pak = corpus.events(actor="PAK", recipient="IND")
    assert 0 < len(pak) < len(everything)
    assert all("PAK" in e.actor_countries and "IND" in e.recipient_countries for e in pak)
    assert {e.type for e in corpus.events(type="assault")} == {"ASSAULT"}
    may = corpus.events(since="2026-05-05", until="2026-05-31")
    assert may and all("2026-05-05" <= e.day <= "2026-05-31" for e in may)
    assert len(corpus.events(actor="IND", limit=2)) == 2
    # limit defaults to every match (the query function's default is a page of 100)
    assert len(everything) == corpus.stats()["events"] - corpus.stats()["background_events"]


def test_background_events_only_on_request(corpus):
    st = corpus.stats()
    assert st["background_events"] >= 1  # the Essequibo story recalls the court's 2023 order
    default, with_bg = corpus.events(), corpus.events(include_background=True)
    assert not any(e.background for e in default)
    assert len(with_bg) - len(default) == st["background_events"]
    assert corpus.events(include_background=True).to_pandas()["background"].sum() == st["background_events"]


def test_dyads_are_the_query_series_with_a_start_day(corpus):
    store = corpus.store
    for kw in ({}, {"by": "week"}, {"by": "day"}, {"actor": "pak"}, {"actor": "PAK", "recipient": "IND"},
               {"since": "2026-01-01", "until": "2026-06-30"}, {"include_background": True}):
        expected = query.dyads(store, **kw)
        got = corpus.dyads(**kw)
        assert [{k: v for k, v in asdict(r).items() if k != "start"} for r in got] == expected, kw
        assert all(isinstance(r, DyadPeriod) for r in got)
    pair = corpus.dyads(actor="PAK", recipient="IND")
    assert pair and {(r.actor, r.recipient) for r in pair} == {("PAK", "IND")}
    assert sum(r.events for r in pair) == len({e.pk for e in corpus.events(actor="PAK", recipient="IND")
                                               if e.day})
    assert pair[0].start == pair[0].period + "-01"
    for r in corpus.dyads(by="week"):
        d = date.fromisoformat(r.start)
        assert d.weekday() == 0 and f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" == r.period
    with pytest.raises(ConfigError, match="day, week or month"):
        corpus.dyads(by="year")


def test_actors_are_the_query_rows_with_their_event_counts(corpus):
    store = corpus.store
    expected = query.actors(store, limit=None)
    got = corpus.actors()
    assert [a.pk for a in got] == [a.pk for a in expected]
    assert all(isinstance(a, ActorEvents) for a in got)
    assert all(asdict(e).items() <= asdict(a).items() for a, e in zip(got, expected, strict=True))
    # event counts agree with the event filters by stored actor id
    busy = [a for a in got if a.events]
    assert busy
    for a in busy[:8]:
        as_actor = {e.pk for e in query.events(store, actor=str(a.pk), limit=None)}
        as_recipient = {e.pk for e in query.events(store, recipient=str(a.pk), limit=None)}
        assert (a.events, a.as_actor, a.as_recipient) == (len(as_actor | as_recipient), len(as_actor),
                                                          len(as_recipient)), a.name
    idle = [a for a in got if not a.events]
    assert idle and all(not query.events(store, actor=str(a.pk), limit=None) for a in idle[:5])
    # filters are query.actors' own
    assert {a.country for a in corpus.actors(country="ind")} == {"IND"}
    named = corpus.actors(name="Pakistan")
    assert named and all("pakistan" in a.name.lower() for a in named)
    assert [a.pk for a in corpus.actors(kind="state", limit=3)] == [a.pk for a in query.actors(store, kind="state",
                                                                                               limit=3)]


def test_background_counts_only_with_include_background(corpus):
    store = corpus.store
    bg = [e for e in corpus.events(include_background=True) if e.background]
    party = next(pk for e in bg for pk in (*e.actors, *e.recipients))
    before = next(a for a in corpus.actors() if a.pk == party)
    after = next(a for a in corpus.actors(include_background=True) if a.pk == party)
    assert after.events == before.events + sum(party in (*e.actors, *e.recipients) for e in bg)
    assert query.actor_event_counts(store, [party], include_background=True)[party][0] == after.events


def test_quotes_are_the_query_rows_with_speakers(corpus):
    store = corpus.store
    assert list(corpus.quotes()) == query.quotes(store, limit=None)
    assert all(isinstance(q, StoredQuote) for q in corpus.quotes())
    named = corpus.quotes(speaker="rahman")
    assert named and list(named) == query.quotes(store, speaker="rahman", limit=None)
    assert all("rahman" in ((q.speaker_name or "") + (q.speaker_text or "")).lower() for q in named)
    assert len(corpus.quotes(limit=3)) == 3


def test_records_are_a_sequence(corpus):
    ev = corpus.events()
    items = list(ev)
    assert len(ev) == len(items) > 3
    assert ev[0] is items[0] and ev[-1] is items[-1]
    part = ev[1:3]
    assert isinstance(part, dyads.Records) and list(part) == items[1:3]
    assert part.columns == ev.columns == [c for c, _ in EVENT_COLUMNS]
    assert part.to_arrow().num_rows == 2
    assert f"{len(ev)} EventCluster" in repr(ev)
    with pytest.raises(IndexError):
        ev[len(ev)]


@pytest.mark.parametrize("method, columns", [("events", EVENT_COLUMNS), ("dyads", DYAD_COLUMNS),
                                             ("actors", ACTOR_COLUMNS), ("quotes", QUOTE_COLUMNS)])
def test_arrow_and_pandas_tables_have_stable_columns(corpus, method, columns):
    rows = getattr(corpus, method)()
    table = rows.to_arrow()
    df = rows.to_pandas()
    names = [c for c, _ in columns]
    assert isinstance(table, pa.Table) and table.column_names == names == list(df.columns)
    assert table.num_rows == len(df) == len(rows) > 0
    assert table.schema.field("id" if method != "dyads" else "events").type == pa.int64()
    assert str(df["id" if method != "dyads" else "events"].dtype) == "int64"
    # an empty result has the same columns and types
    empty = rows[:0]
    assert empty.to_arrow().schema == table.schema and empty.to_arrow().num_rows == 0
    assert list(empty.to_pandas().dtypes) == list(df.dtypes)


def test_event_tables_have_dates_lists_and_numbers(corpus):
    ev = corpus.events(include_background=True)
    table, df = ev.to_arrow(), ev.to_pandas()
    s = table.schema
    assert s.field("day").type == pa.date32() and s.field("first_seen").type == pa.date32()
    assert s.field("actor_countries").type == pa.list_(pa.string())
    assert s.field("actors").type == pa.list_(pa.int64())
    assert s.field("intensity").type == pa.float64() and s.field("background").type == pa.bool_()
    assert str(df["day"].dtype).startswith("datetime64") and str(df["last_seen"].dtype).startswith("datetime64")
    assert str(df["intensity"].dtype) == "float64" and str(df["background"].dtype) == "bool"
    assert str(df["type"].dtype) == "string"
    by_id = {e.pk: e for e in ev}
    for rec, row in zip(table.to_pylist(), df.itertuples(index=False), strict=True):
        e = by_id[rec["id"]]
        assert rec["day"] == (date.fromisoformat(e.day) if e.day else None)
        assert (row.day.date() if e.day else None) == rec["day"]
        assert rec["actor_countries"] == row.actor_countries == e.actor_countries
        assert isinstance(row.actor_countries, list) and row.actor_names == e.actor_names
        assert rec["recipients"] == e.recipients
        assert rec["location"] == (e.location or {}).get("name")
        assert rec["location_lat"] == (e.location or {}).get("lat")
        assert (e.intensity is None and math.isnan(row.intensity)) or row.intensity == e.intensity
    assert any(e.location for e in ev) and any(not e.location for e in ev)
    assert df.loc[df["id"] == ev[0].pk, "evidence"].item() == ev[0].evidence


def test_dyad_actor_and_quote_tables(corpus):
    dy = corpus.dyads().to_pandas()
    assert str(dy["start"].dtype).startswith("datetime64") and str(dy["mean_intensity"].dtype) == "float64"
    assert (dy["start"].dt.strftime("%Y-%m") == dy["period"]).all()
    assert dy[[k for k in query.QUAD_KEYS]].sum(axis=1).le(dy["events"]).all()
    assert corpus.dyads().to_arrow().schema.field("start").type == pa.date32()
    ac = corpus.actors().to_pandas()
    assert {"events", "as_actor", "as_recipient", "mentions"} <= set(ac.columns)
    assert all(str(ac[c].dtype) == "int64" for c in ("events", "as_actor", "as_recipient"))
    assert ac["events"].sum() > 0 and ac["country"].isna().any()
    qs = corpus.quotes()
    qdf = qs.to_pandas()
    # a quote without a resolved speaker keeps an integer column (pandas' nullable Int64), not floats
    assert str(qdf["speaker"].dtype) == "Int64" and qdf["speaker"].isna().any() and qdf["speaker"].notna().any()
    assert qdf["speaker"].dropna().tolist() == [q.speaker for q in qs if q.speaker is not None]
    assert str(qdf["published"].dtype).startswith("datetime64")
    assert qs.to_arrow().schema.field("published").type == pa.date32()


def test_to_pandas_without_pandas_names_the_extra(corpus, monkeypatch):
    ev = corpus.events(limit=3)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'dyads\[pandas\]'") as info:
        ev.to_pandas()
    assert isinstance(info.value, DyadsError) and "to_pandas() needs pandas" in str(info.value)
    assert ev.to_arrow().num_rows == 3  # arrow needs only pyarrow, a dependency


def test_corpus_opens_paths_and_urls_and_closes(db, tmp_path):
    with dyads.Corpus(f"sqlite:///{db}") as by_url, dyads.Corpus(Path(db)) as by_path:
        assert _ids(by_url.events()) == _ids(by_path.events())
        assert by_url.store.backend == "sqlite"
        conn = by_url.store.conn
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")  # the store's connection was closed
    with pytest.raises(StoreError, match="closed"):
        by_url.events()
    assert repr(by_url) == "Corpus(closed)"
    c = dyads.Corpus(db)
    assert db in repr(c)
    c.close()
    c.close()  # twice is harmless
    with pytest.raises(ConfigError, match="unsupported database URL"):
        dyads.Corpus("mysql://host/db")
    with dyads.Corpus(db) as c, pytest.raises(ConfigError, match="not a date"):
        c.events(since="May 2026")


def test_analysis_notebook_runs(tmp_path, monkeypatch):
    """examples/analysis.ipynb, executed on a fresh kernel from this Python, builds its store from the
    example articles (none exists at DYADS_DB) and draws its figures without an error."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code), "commit it with outputs cleared"
    db = tmp_path / "notebook.db"
    monkeypatch.setenv("DYADS_DB", str(db))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT / "examples")}})
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]  # no warnings
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    figures = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert len(figures) >= 2  # the dyad's months and the busiest pairs
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "actor_countries" in html  # the events DataFrame was shown
    with open_store(str(db)) as s:
        assert query.stats(s)["articles"] == 12  # the store it built from examples/articles
