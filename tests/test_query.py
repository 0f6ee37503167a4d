"""Queries, exports and the corpus CLI over a store of the example articles (SQLite)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dyads import query
from dyads.cli_store import COMMANDS
from dyads.cli_store import main as cli_main
from dyads.errors import ConfigError
from dyads.ingest import ingest
from dyads.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
GML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("q") / "q.db")
    with open_store(path) as s:
        assert ingest([EXAMPLES], s, workers=1, progress=False).new == 12
    return path


@pytest.fixture
def store(db):
    with open_store(db) as s:
        yield s


def test_event_filters(store):
    everything = query.events(store, limit=None)
    s = query.stats(store)
    # the Essequibo story recalls the court's 2023 order: stored, but history, so not listed by default
    assert s["background_events"] == 1
    assert len(everything) == s["events"] - s["background_events"]
    assert not any(e.background for e in everything)
    assert len(query.events(store, limit=None, include_background=True)) == s["events"]
    days = [e.day for e in everything if e.day]
    assert days == sorted(days)
    pak = query.events(store, actor="PAK", recipient="IND", limit=None)
    assert pak and all("PAK" in e.actor_countries and "IND" in e.recipient_countries for e in pak)
    assert any(e.type == "ASSAULT" and e.day == "2026-05-04" for e in pak)
    assert {e.type for e in query.events(store, type="aid", limit=None)} == {"AID"}
    assert all(e.status == "negated" for e in query.events(store, status="negated", limit=None))
    window = query.events(store, since="2026-03-01", until="2026-03-31", limit=None)
    assert window and all("2026-03-01" <= e.day <= "2026-03-31" for e in window)
    words = query.events(store, text="drone strike", limit=None)
    assert words and all(any("drone" in m.evidence.lower() and "strike" in m.evidence.lower()
                             for m in query.mentions(store, e.pk)) for e in words)
    by_name = query.events(store, actor="pakistan", limit=None)
    assert by_name and all(any("pakistan" in n.lower() for n in e.actor_names) for e in by_name)
    to_state = query.events(store, recipient=str(pak[0].recipients[0]), limit=None)
    assert pak[0].pk in {e.pk for e in to_state}
    assert [e.pk for e in query.events(store, limit=3, offset=2)] == [e.pk for e in everything[2:5]]
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        query.events(store, since="March")


def test_dyad_query_uses_the_pair_and_day_index(store):
    sql = ("SELECT event_pk FROM event_dyads WHERE actor_country = ? AND recipient_country = ? "
           "AND day >= ? AND day <= ?")
    rows = store.query("EXPLAIN QUERY PLAN " + sql, ("RUS", "PRK", "2024-01-01", "2024-12-31"))
    plan = " ".join(str(r) for r in rows)
    assert "ix_dyads_pair_day" in plan
    # the default filter leaves background events out on the index entries (no table row is read)
    where, _ = query._event_where(actor="RUS", recipient="PRK", since="2024-01-01", until="2024-12-31")
    cond, params = query._dyad_condition("RUS", "PRK", "2024-01-01", "2024-12-31")
    assert f"SELECT event_pk FROM event_dyads WHERE {cond})" in where and "background = 0" in cond
    plan = " ".join(str(r) for r in store.query(f"EXPLAIN QUERY PLAN SELECT event_pk FROM event_dyads WHERE {cond}",
                                                params))
    assert "COVERING INDEX ix_dyads_pair_day_event_bg" in plan
    table, cond, params, unique = query._dyad_only({"actor": "RUS"})
    assert table == "event_dyads" and not unique
    plan = " ".join(str(r) for r in store.query(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT d.day FROM event_dyads d WHERE {cond} "
        "GROUP BY d.day, d.event_pk) g", params))
    assert "COVERING INDEX ix_dyads_actor_day_event_bg" in plan and "TEMP B-TREE" not in plan
    # stored actors: one side from event_actors, a pair of ids from event_actor_pairs, in index order
    for f, index in (({"actor": "1"}, "ix_event_actors_day_event_bg"),
                     ({"recipient": "2", "type": "accuse"}, "ix_event_actors_type_day_event_bg"),
                     ({"actor": "1", "recipient": "2", "since": "2024-01-01"}, "ix_actor_pairs_day_event_bg")):
        table, cond, params, unique = query._links_only(store, f)
        assert unique
        plan = " ".join(str(r) for r in store.query(
            f"EXPLAIN QUERY PLAN SELECT d.day, d.event_pk FROM {table} d WHERE {cond} AND d.day IS NOT NULL "
            "ORDER BY d.day, d.event_pk LIMIT 50", params))
        assert f"COVERING INDEX {index}" in plan and "TEMP B-TREE" not in plan, (f, plan)
    plan = " ".join(str(r) for r in store.query(
        "EXPLAIN QUERY PLAN SELECT pk FROM events e WHERE e.background = 0 AND e.day IS NOT NULL "
        "ORDER BY e.day, e.pk LIMIT 50"))
    assert "ix_events_bg_day" in plan and "TEMP B-TREE" not in plan  # still paged in index order


def test_actors_quotes_dyads_stats(store):
    top = query.actors(store, limit=5)
    assert len(top) == 5 and top[0].mentions >= top[-1].mentions
    assert all(a.country == "CHN" for a in query.actors(store, country="chn"))
    assert all(a.kind == "state" for a in query.actors(store, kind="state", limit=None))
    assert isinstance(query.quotes(store, speaker="minister"), list)
    for by, pattern in (("day", 10), ("week", 8), ("month", 7)):
        rows = query.dyads(store, by=by)
        assert rows and all(len(r["period"]) == pattern for r in rows)
        for r in rows:
            quads = sum(r[q.replace(" ", "_")] for q in query.QUADS)
            assert quads == r["events"] and r["actor"] and r["recipient"]
    monthly = query.dyads(store, by="month", actor="PAK", recipient="IND")
    assert monthly and {(r["actor"], r["recipient"]) for r in monthly} == {("PAK", "IND")}
    assert monthly[0]["mean_intensity"] < 0
    s = query.stats(store)
    assert {"articles", "events", "actors", "quotes"} <= s.keys() and s["articles"] == 12


def test_exports(store, tmp_path):
    s = query.stats(store)
    n = s["events"] - s["background_events"]  # background events only on request (test_background.py)
    buf = io.StringIO()
    assert query.export(store, "csv", buf) == n
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == n and set(query.FLAT_COLUMNS) == set(rows[0])
    buf = io.StringIO()
    query.export(store, "jsonl", buf)
    docs = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert len(docs) == n and all(len(d["mentions_in"]) == d["mentions"] for d in docs)
    import pyarrow.parquet as pq

    assert query.export(store, "parquet", tmp_path / "e.parquet") == n
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n and table.schema.field("intensity").type == "double"
    buf = io.StringIO()
    edges = query.export(store, "graphml", buf)
    root = ET.fromstring(buf.getvalue())
    graph = root.find(GML + "graph")
    assert graph.get("edgedefault") == "directed" and len(graph.findall(GML + "edge")) == edges > 0
    node_ids = {nd.get("id") for nd in graph.findall(GML + "node")}
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in graph.findall(GML + "edge"))
    buf = io.StringIO()
    assert query.export(store, "gdelt", buf) == n
    table = list(csv.DictReader(io.StringIO(buf.getvalue()), delimiter="\t"))
    assert list(table[0]) == list(query.GDELT_COLUMNS) and len(query.GDELT_COLUMNS) == 61
    assert {r["QuadClass"] for r in table} <= {"1", "2", "3", "4"}
    pak = [r for r in table if r["Actor1CountryCode"] == "PAK" and r["Actor2CountryCode"] == "IND"]
    assert pak and all(r["SQLDATE"].startswith("2026") and r["SOURCEURL"].startswith("https://") for r in pak)
    with pytest.raises(ConfigError):
        query.export(store, "xlsx", io.StringIO())


def test_cli_commands(db, capsys, tmp_path):
    assert len(COMMANDS) == 7
    assert cli_main(["stats", "--db", db, "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 12
    assert cli_main(["events", "--db", db, "--actor", "PAK", "--recipient", "IND", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("id,day,type") and len(out) > 1
    assert cli_main(["events", "--db", db, "--type", "AID", "--format", "json", "--limit", "2"]) == 0
    assert len(json.loads(capsys.readouterr().out)) <= 2
    for cmd in (["actors", "--country", "IND"], ["quotes"], ["dyads", "--by", "week"]):
        assert cli_main([*cmd, "--db", db]) == 0
    capsys.readouterr()
    assert cli_main(["export", "--db", db, "--format", "graphml", "--out", str(tmp_path / "g.graphml")]) == 0
    assert (tmp_path / "g.graphml").read_text().startswith("<?xml")
    assert cli_main(["events", "--db", db, "--since", "yesterday"]) == 3  # ConfigError exit code
    assert "not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["ingest", "--help"])
    assert "dyads ingest articles/" in capsys.readouterr().out


def test_commands_register_beside_the_other_cli_commands():
    import argparse

    from dyads import cli, cli_more

    parser = argparse.ArgumentParser(prog="dyads")
    sub = parser.add_subparsers(dest="command")
    for reg in [*cli_more.COMMANDS, *COMMANDS]:
        reg(sub, cli._Formatter)
    args = parser.parse_args(["events", "--actor", "RUS", "--recipient", "PRK", "--since", "2024-01-01",
                              "--format", "json"])
    assert (args.command, args.actor, args.recipient, args.format) == ("events", "RUS", "PRK", "json")
    args = parser.parse_args(["ingest", "a/", "b.jsonl", "--workers", "4", "--dask", "local"])
    assert (args.paths, args.workers, args.dask) == (["a/", "b.jsonl"], 4, "local")
