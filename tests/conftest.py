import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
EXAMPLES = ROOT / "examples" / "articles"
GOLDEN = ROOT / "tests" / "golden"


def shared_or_skip(*parts: str) -> Path:
    p = EVAL.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (../shared is only on developer and CI machines)")
    return p


@pytest.fixture(scope="session")
def seed_result():
    import dyads

    path = shared_or_skip("articles", "seed.txt")
    gold = json.loads(shared_or_skip("articles", "seed.gold.json").read_text())
    return dyads.extract(path.read_bytes(), published=gold["published"], source=gold["source"]), gold


def check_spans(doc: dict) -> int:
    """Assert every {start,end,text} in a result indexes into its text; return how many were checked."""
    text = doc["text"]
    n = 0

    def walk(x):
        nonlocal n
        if isinstance(x, dict):
            if {"start", "end", "text"} <= x.keys() and isinstance(x["start"], int):
                assert text[x["start"]:x["end"]] == x["text"], x
                n += 1
            for k, v in x.items():
                if k != "text":
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for key in ("removed", "actors", "events", "quotes", "places"):
        walk(doc.get(key, []))
    for s in doc["sentences"]:
        assert 0 <= s["start"] < s["end"] <= len(text)
    return n


def example_store(path: str, names) -> str:
    """A SQLite store at ``path`` holding the named bundled example articles (each ingested once)."""
    from dyads.ingest import ingest
    from dyads.store import open_store

    with open_store(path) as s:
        assert ingest([EXAMPLES / n for n in names], s, workers=1, progress=False).new == len(names)
    return path
