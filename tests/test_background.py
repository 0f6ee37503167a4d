"""Background events (issue 11): history a story recalls is flagged, stored, and left out of queries,
exports, the CLI and the API unless asked for. Every story here is invented for these tests."""
from __future__ import annotations

import json

import dyads
from dyads.records import ArticleResult, Event

ISLANDS = ("TOKYO, March 4 (Test Wire) - Chinese officials accused Japan on Tuesday of sending warships near the "
           "disputed islands. Japan occupied the islands from 1895 until 1945, and both countries claim them today.")
NARRATIVE = ("Chinese officials condemned Japan on Monday. Japan occupied the islands from 1895 until 1945. "
             "China then protested to Japan.")


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
