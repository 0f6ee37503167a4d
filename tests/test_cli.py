import json
import os
import subprocess
import sys

import pytest

from dyads.cli import main

STORY = ("Chilean President Marta Rojas arrived in Lima on Tuesday to meet Peruvian officials. "
         "Rojas said the two countries would sign a trade agreement next month.\n")


def run(args, stdin=None):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "dyads.cli", *args], input=stdin, capture_output=True, env=env)


def test_extract_json_and_table(tmp_path, capsys):
    f = tmp_path / "story.txt"
    f.write_text(STORY)
    assert main(["extract", str(f), "--published", "2025-03-04", "--source", "Test Wire"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["article"]["published"] == "2025-03-04" and doc["article"]["source"] == "Test Wire"
    assert doc["text"] == STORY
    assert {"actors", "events", "quotes", "places", "removed", "warnings", "sentences"} <= doc.keys()
    assert main(["extract", str(f), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "ACTORS" in out and "Marta Rojas" in out


@pytest.mark.parametrize("payload,needle", [
    (b"", "empty"),
    (os.urandom(4096), "binary"),
    ("Правительство объявило во вторник, что переговоры возобновятся на следующей неделе.".encode(), "English"),
])
def test_bad_input_is_one_line_error(payload, needle):
    p = run(["extract", "-"], stdin=payload)
    assert p.returncode != 0
    err = p.stderr.decode()
    assert "Traceback" not in err
    assert err.startswith("dyads: error:") and needle.lower() in err.lower()
    assert len(err.strip().splitlines()) == 1


def test_bad_date_and_missing_file(tmp_path):
    p = run(["extract", str(tmp_path / "nope.txt")])
    assert p.returncode != 0 and b"does not exist" in p.stderr and b"Traceback" not in p.stderr
    f = tmp_path / "s.txt"
    f.write_text(STORY)
    p = run(["extract", str(f), "--published", "2025-13-45"])
    assert p.returncode != 0 and b"YYYY-MM-DD" in p.stderr


def test_help_has_examples():
    p = run(["extract", "--help"])
    assert p.returncode == 0 and b"examples:" in p.stdout


def test_batch_jsonl_keeps_order_and_survives_bad_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": STORY, "published": "2025-03-04"}), "not json",
             json.dumps({"id": "c", "text": ""}), json.dumps({"id": "d", "text": STORY})]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(lines) + "\n")
    p = run(["extract", "--jsonl", str(f), "--workers", "2", "--quiet"])
    assert p.returncode == 1  # some lines failed
    out = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [o.get("id") or o["article"]["id"] for o in out] == ["a", "line-2", "c", "d"]
    assert "error" in out[1] and "error" in out[2]
    assert out[0]["article"]["id"] == "a" and out[3]["actors"]


def test_internal_errors_are_one_line(monkeypatch, capsys, tmp_path):
    import dyads.pipeline

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(dyads.pipeline, "extract", boom)
    f = tmp_path / "s.txt"
    f.write_text(STORY)
    monkeypatch.delenv("DYADS_DEBUG", raising=False)
    assert main(["extract", str(f)]) == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "simulated bug" in err and "Traceback" not in err
