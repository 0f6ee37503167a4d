"""The project's own training corpus (train/data/events) and its quality-control sample."""
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "train"))

import corpus  # noqa: E402
import qc_agreement  # noqa: E402


@pytest.fixture(scope="module")
def records():
    return corpus.load()  # strict: raises on any invalid span, type, mode, status or duplicate id


def test_corpus_size_and_negatives(records):
    assert len(records) >= 3000
    negatives = sum(corpus.is_negative(r) for r in records)
    assert negatives / len(records) >= 0.25
    assert sum(len(r.events) >= 2 for r in records) >= 500


def test_every_type_in_every_form(records):
    forms = Counter()
    for r in records:
        for e in r.events:
            for tag in ("nominal", "passive", "headline", "quoted", "verbal"):
                if tag in r.tags:
                    forms[(e.type, tag)] += 1
    for t in corpus.TYPES:
        for tag in ("verbal", "nominal", "passive", "headline", "quoted"):
            assert forms[(t, tag)] >= 3, (t, tag)


def test_spans_index_the_text(records):
    n = 0
    for r in records:
        for e in r.events:
            for s in [e.trigger] + e.actor + e.recipient:
                assert r.text[s.start:s.end] == s.text
                n += 1
    assert n > 10000


def test_described_actors_are_covered(records):
    heads = Counter()
    for r in records:
        for e in r.events:
            for a in e.actor:
                heads[a.text.split()[-1].lower()] += 1
    for word in ("gunmen", "protesters", "police", "troops", "rebels", "militants", "forces"):
        assert heads[word] >= 5, word


def test_checker_rejects_bad_spans():
    with pytest.raises(corpus.CorpusError, match="not in the text"):
        corpus.parse({"id": "x", "text": "Police arrested ten men in Lagos.", "tags": [],
                      "events": [{"type": "COERCE", "trigger": "detained", "actor": "Police",
                                  "recipient": "ten men", "status": "asserted"}]})
    with pytest.raises(corpus.CorpusError, match="inside a word"):
        corpus.parse({"id": "x", "text": "Police arrested ten men in Lagos.", "tags": [],
                      "events": [{"type": "COERCE", "trigger": "arrest", "actor": "Police",
                                  "recipient": "ten men", "status": "asserted"}]})
    with pytest.raises(corpus.CorpusError, match="not a mode"):
        corpus.parse({"id": "x", "text": "Police arrested ten men in Lagos.", "tags": [],
                      "events": [{"type": "COERCE", "mode": "aerial", "trigger": "arrested", "actor": "Police",
                                  "recipient": "ten men", "status": "asserted"}]})


def test_second_occurrence_spans():
    r = corpus.parse({"id": "x", "text": "Police said police arrested ten men.", "tags": [],
                      "events": [{"type": "COERCE", "trigger": "arrested", "actor": ["police", 1],
                                  "recipient": "ten men", "status": "asserted"}]})
    assert r.events[0].actor[0].start == 12


def test_blind_sample_agreement(records):
    second, errors = corpus.read(ROOT / "train" / "data" / "qc" / "blind300.second.jsonl")
    assert not errors and len(second) == 300
    rep = qc_agreement.compare(records, second)
    assert rep["sentences"] == 300
    # the figures reported in train/data/qc/README.md
    assert rep["events"]["type_kappa"] >= 0.95
    assert min(v["kappa"] for v in rep["per_type"].values()) >= 0.8


def test_kappa():
    assert qc_agreement.kappa([(1, 1), (0, 0), (1, 1), (0, 0)]) == 1.0
    assert abs(qc_agreement.kappa([(1, 0), (0, 1), (1, 0), (0, 1)]) + 1.0) < 1e-9
    assert qc_agreement.kappa([]) is None
