"""Golden tests on the project's own example stories (examples/articles + tests/golden).

These need no ../shared: they check what the gold files say about actors, boilerplate and
non-events directly. Event scores with the shared scorer are in test_quality_gate.py.
"""
import json
import re
from pathlib import Path

import pytest

import dyads
from conftest import EXAMPLES, GOLDEN, check_spans

CASES = sorted(p.name[: -len(".gold.json")] for p in GOLDEN.glob("*.gold.json"))


@pytest.fixture(scope="module")
def results():
    out = {}
    for name in CASES:
        gold = json.loads((GOLDEN / f"{name}.gold.json").read_text())
        out[name] = (dyads.extract((EXAMPLES / f"{name}.txt").read_bytes(), published=gold["published"]), gold)
    return out


def test_every_story_has_gold():
    assert len(CASES) >= 12
    for name in CASES:
        assert (EXAMPLES / f"{name}.txt").exists()


@pytest.mark.parametrize("name", CASES)
def test_spans_and_boilerplate(results, name):
    result, gold = results[name]
    doc = result.to_dict()
    check_spans(doc)
    removed = " ".join(r["text"] for r in doc["removed"])
    for b in gold.get("boilerplate", []):
        assert b.strip() in removed, f"{name}: boilerplate not removed: {b!r}"
    cuts = [(r.start, r.end) for r in result.removed]
    for e in result.events:
        assert not any(s <= e.trigger.start < t for s, t in cuts)


def test_officials_country_share(results):
    """At least 85% of the gold officials (non-sports stories) get the right country."""
    ok = total = 0
    for name, (result, gold) in results.items():
        if not gold.get("events"):
            continue  # the sports story: people there are not officials
        for g in gold.get("actors", []):
            if not re.fullmatch(r"[A-Z]{3}", g["country"]):
                continue  # officials of international organisations
            total += 1
            last = g["name"].split()[-1]
            match = [a for a in result.actors if a.kind == "person" and last in a.name]
            ok += bool(match) and match[0].country == g["country"]
    assert total >= 25
    assert ok / total >= 0.85, f"{ok}/{total}"


def test_non_political_story_has_no_asserted_events(results):
    for name, (result, gold) in results.items():
        if gold.get("events") == []:
            assert [e for e in result.events if e.status == "asserted"] == [], name


def test_typos_flagged(results):
    for name, (result, gold) in results.items():
        for typo in gold.get("typos", []):
            assert any(typo.lower() in w.lower() for w in result.warnings), (name, typo)


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "examples" / "html").glob("*.html")),
                         ids=lambda p: p.name)
def test_html_examples(path):
    result = dyads.extract(path.read_bytes())
    assert len(result.sentences) >= 5
    assert "<" not in result.text[:2000] or "</" not in result.text
    assert result.actors
    assert "cookie" not in result.text.lower()[:300]
