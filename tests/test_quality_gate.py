"""CI quality gate: extraction scores may not fall below eval_floors.json.

Skipped when ../shared is absent (the scorer and the seed gold live there). Lowering a floor
is an explicit edit of eval_floors.json (dyads eval --pin-floors --lower-floors --reason ...).
"""
import json

import pytest

from dyads import evaluate


@pytest.fixture(scope="module")
def report():
    shared = evaluate.shared_dir()
    if shared is None:
        pytest.skip("../shared/eval not present")
    report = evaluate.score_extraction(shared)
    report["e2e"] = evaluate.score_e2e(shared)
    return report


def test_floors_file_is_complete():
    floors = evaluate.read_floors()
    for key in ("seed.event_precision", "seed.event_recall", "own.event_f1", "own.must_not_violations_max"):
        assert key in floors
    assert json.loads(evaluate.FLOORS_FILE.read_text())["reason"]


def test_no_figure_below_its_floor(report):
    figs = evaluate.figures(report)
    assert set(evaluate.read_floors()) <= set(figs), "a floor names a figure the harness no longer computes"
    assert evaluate.check_floors(figs) == []


def test_gate_detects_a_drop(report):
    figs = dict(evaluate.figures(report))
    figs["own.event_f1"] = figs["own.event_f1"] - 0.2
    figs["seed.boilerplate_leaks_max"] = 3
    bad = evaluate.check_floors(figs)
    assert any("own.event_f1" in b for b in bad) and any("boilerplate" in b for b in bad)


def test_pinning_refuses_to_lower_without_flag(tmp_path, monkeypatch):
    monkeypatch.setattr(evaluate, "FLOORS_FILE", tmp_path / "floors.json")
    evaluate.write_floors({"own.event_f1": 0.7}, reason="test")
    with pytest.raises(Exception):
        evaluate.write_floors({"own.event_f1": 0.5}, reason="test")
    evaluate.write_floors({"own.event_f1": 0.5}, reason="test", allow_lower=True)
    assert evaluate.read_floors()["own.event_f1"] == 0.5
