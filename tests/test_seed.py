"""The motivating article (skipped when ../shared is absent)."""
from conftest import check_spans


def test_seed_officials_country_and_sector(seed_result):
    result, gold = seed_result
    doc = result.to_dict()
    persons = {a["name"]: a for a in doc["actors"] if a["kind"] == "person"}
    for g in gold["actors"]:
        match = [a for n, a in persons.items() if g["name"].split()[-1] in n]
        assert match, f"{g['name']} not found among {list(persons)}"
        a = match[0]
        assert a["country"] == g["country"], (g["name"], a["country"])
        assert a["sector"] in g["sector"], (g["name"], a["sector"])


def test_seed_boilerplate_removed_and_spans_consistent(seed_result):
    result, gold = seed_result
    doc = result.to_dict()
    removed = [r["text"] for r in doc["removed"]]
    for b in gold["boilerplate"]:
        assert b in removed
    assert check_spans(doc) > 50
    assert doc["text"] == (result.text)
    assert any("If if" in w for w in doc["warnings"])


def test_seed_no_actor_from_boilerplate(seed_result):
    result, gold = seed_result
    cuts = [(r.start, r.end) for r in result.removed]
    for a in result.actors:
        for m in a.mentions:
            assert not any(s <= m.start < e for s, e in cuts), (a.name, m)
