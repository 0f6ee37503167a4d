"""Tests of the relation classifier (src/dyads/relclf.py) against the shipped artefact."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dyads.relclf import RAW_LABELS, RelationClassifier, mark, model_text, yield_to_plover

SHARED = Path(__file__).resolve().parents[2] / "shared"
PLV = SHARED / "eval" / "data" / "plv_train.jsonl"


@pytest.fixture(scope="module")
def clf() -> RelationClassifier:
    return RelationClassifier.load()


# ------------------------------------------------------------------------- mark()
def test_mark_basic():
    s = "Russian troops shelled the city of Kharkiv on Monday."
    assert mark(s, "Russian troops", "Kharkiv") == (
        "<s>Russian troops</s> shelled the city of <t>Kharkiv</t> on Monday."
    )


def test_mark_target_before_source_and_first_occurrence():
    s = "Iraq was criticised by Iran, and Iran later met Iraq."
    assert mark(s, "Iran", "Iraq") == "<t>Iraq</t> was criticised by <s>Iran</s>, and Iran later met Iraq."


def test_mark_empty_target_and_case_insensitive():
    assert mark("Protesters marched in Paris.", "protesters", "") == "<s>Protesters</s> marched in Paris."


def test_mark_target_inside_source_is_searched_elsewhere():
    s = "The Iran government accused Iran hawks in Washington."
    out = mark(s, "The Iran government", "Iran")
    assert out == "<s>The Iran government</s> accused <t>Iran</t> hawks in Washington."


def test_mark_missing_span_is_still_visible():
    out = mark("They signed a deal.", "France", "Germany")
    assert "<s>France</s>" in out and "<t>Germany</t>" in out


def test_model_text_markers():
    assert model_text("<s>A</s> hit <t>B</t>.") == "@ A @ hit # B # ."


# ---------------------------------------------------------------- YIELD mapping
@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The army withdrew its troops from the northern province.", "RETREAT"),
        ("Rebels released 12 hostages on Sunday.", "RETREAT"),
        ("The minister resigned after the scandal.", "RETREAT"),
        ("The government said it will withdraw troops next year.", "CONCEDE"),
        ("The government lifted the curfew and apologised to the families.", "CONCEDE"),
        ("The court pardoned the opposition leader.", "CONCEDE"),
    ],
)
def test_yield_to_plover(sentence, expected):
    assert yield_to_plover(sentence) == expected


# ------------------------------------------------------------------ the model
def test_labels_and_probabilities(clf):
    assert clf.labels == RAW_LABELS
    out = clf.predict([{"sentence": "Israeli jets bombed a Hamas compound in Gaza.",
                        "source": "Israeli jets", "target": "a Hamas compound"}])
    label, conf, probs = out[0]
    assert set(probs) == set(RAW_LABELS)
    assert abs(sum(probs.values()) - 1.0) < 1e-3
    assert 0.0 < conf <= 1.0 and conf == pytest.approx(max(probs.values()))


CASES = [
    ("ASSAULT", "Government troops opened fire on villagers in the north, killing at least twenty people.",
     "Government troops", "villagers"),
    ("ASSAULT", "Militants detonated a car bomb outside the police headquarters in Kabul.",
     "Militants", "the police headquarters"),
    ("AGREE", "Ethiopia agreed to reopen its border with Eritrea and to restore flights between the two capitals.",
     "Ethiopia", "Eritrea"),
    ("CONSULT", "The German chancellor met the French president in Paris on Tuesday to discuss energy policy.",
     "The German chancellor", "the French president"),
    ("AID", "Japan sent 50 tonnes of emergency food and medical supplies to flood victims in Bangladesh.",
     "Japan", "flood victims"),
    ("REJECT", "The opposition rejected the government's offer of talks.",
     "The opposition", "the government"),
    ("ACCUSE", "The foreign ministry accused the neighbouring country of sponsoring terrorism.",
     "The foreign ministry", "the neighbouring country"),
    ("THREATEN", "North Korea threatened to strike American bases if the military drills continued.",
     "North Korea", "American bases"),
    ("SANCTION", "Poland expelled three Belarusian diplomats and suspended cross-border trade with Belarus.",
     "Poland", "Belarus"),
    ("REQUEST", "The UN secretary-general urged both sides to allow aid convoys into the besieged city.",
     "The UN secretary-general", "both sides"),
]


@pytest.mark.parametrize("gold,sentence,source,target", CASES, ids=[c[0] for c in CASES])
def test_obvious_sentences(clf, gold, sentence, source, target):
    label, conf, probs = clf.predict([{"sentence": sentence, "source": source, "target": target}])[0]
    assert max(probs, key=probs.get) == gold, (label, probs)


def test_batch_equals_single_and_marked_sentence_used(clf):
    items = [{"sentence": s, "source": a, "target": b} for _, s, a, b in CASES]
    batch = clf.predict(items)
    single = [clf.predict([it])[0] for it in items]
    # dynamic int8 quantisation scales activations per batch, so scores move a little
    for (l1, c1, _), (l2, c2, _) in zip(batch, single):
        assert l1 == l2 and abs(c1 - c2) < 0.05
    marked = dict(items[0], marked_sentence=mark(items[0]["sentence"], items[0]["source"], items[0]["target"]))
    assert clf.predict([marked])[0][0] == batch[0][0]


def test_yield_is_mapped(clf):
    items = [
        {"sentence": "Russian forces withdrew from the city of Kherson after months of fighting.",
         "source": "Russian forces", "target": "the city of Kherson"},
    ]
    label, _, probs = clf.predict(items)[0]
    assert "YIELD" in probs and "RETREAT" not in probs
    if max(probs, key=probs.get) == "YIELD":
        assert label == "RETREAT"
    assert label not in ("YIELD",)


def test_missing_artefact_error(tmp_path):
    with pytest.raises(Exception) as ei:
        RelationClassifier.load(tmp_path / "nowhere")
    msg = str(ei.value)
    assert "nowhere" in msg and "make train" in msg


def test_load_is_cached():
    assert RelationClassifier.load() is RelationClassifier.load()


# ------------------------------------------------------- held-out accuracy floor
@pytest.mark.skipif(not PLV.is_file(), reason="shared eval data not present")
def test_accuracy_floor_on_fixed_slice(clf):
    """Every 5th row of plv_train (210 rows, fixed). NB: the shipped model was trained on all
    of plv_train, so this slice is NOT held out: it is a regression guard for the artefact
    and the inference code (measured 1.000 on it, 0.999 on all of plv_train). The
    generalisation estimate is the 5-fold CV in src/dyads/models/relclf/README.md; the
    hand-written sentences above are genuinely unseen."""
    rows = [json.loads(l) for l in PLV.open()][::5]
    preds = clf.predict(rows)
    raw = [max(p, key=p.get) for _, _, p in preds]
    acc = float(np.mean([r == row["label"] for r, row in zip(raw, rows)]))
    assert acc >= relclf_floor(), acc


def relclf_floor() -> float:
    return 0.97
