"""The end-to-end scorer (dyads.e2e): folds, marked sentences and the matching rules.

The sentences are written for these tests."""
from types import SimpleNamespace

import dyads
from dyads import e2e
from dyads.records import Actor, Mention


def test_folds_are_stable_and_spread():
    assert e2e.fold_of("plv-17") == e2e.fold_of("plv-17")
    folds = {e2e.fold_of(f"plv-{i}") for i in range(200)}
    assert folds == set(range(e2e.N_FOLDS))


def test_unmark_keeps_offsets():
    text, src, tgt = e2e.unmark("<s>Chad</s> expelled <t>the French ambassador</t> on Monday.")
    assert text == "Chad expelled the French ambassador on Monday."
    assert [text[a:b] for a, b in src] == ["Chad"]
    assert [text[a:b] for a, b in tgt] == ["the French ambassador"]


def _result(text, events, actors):
    return SimpleNamespace(text=text, events=events, actor=lambda i: actors.get(i))


def _event(type_, actor, recipient, status="asserted"):
    return SimpleNamespace(type=type_, actor=actor, recipient=recipient, status=status)


def test_score_rows_counts_type_and_roles():
    text = "Chad expelled the French ambassador on Monday."
    actors = {"A1": Actor("A1", "Chad", "state", "TCD", mentions=[Mention(0, 4, "Chad")]),
              "A2": Actor("A2", "French ambassador", "person", "FRA", mentions=[Mention(18, 35, "French ambassador")])}
    rows = [{"id": "r1", "text": text, "gold": [{"types": {"SANCTION"}, "actor": [(0, 4)], "recipient": [(14, 35)]}]},
            {"id": "r2", "text": text, "gold": [{"types": {"COERCE"}, "actor": [(0, 4)], "recipient": [(14, 35)]}]},
            {"id": "r3", "text": text, "gold": [{"types": {"SANCTION"}, "actor": [(14, 35)], "recipient": [(0, 4)]}]}]
    res = _result(text, [_event("SANCTION", ["A1"], ["A2"]), _event("ASSAULT", ["A1"], [], status="negated")], actors)
    out = e2e.score_rows(rows, lambda t, published=None: res)
    assert out["n"] == 3
    assert out["type_recall"] == round(2 / 3, 3)              # r2's COERCE is missing
    assert out["type_actor_recipient_recall"] == round(1 / 3, 3)  # r3 has the roles reversed
    assert out["type_precision"] == round(2 / 3, 3)           # negated events are not counted
    assert out["no_event"] == 0.0
    # each side alone, among events of a gold type: r1 both sides, r3 neither (reversed)
    assert out["actor_recall"] == round(1 / 3, 3)
    assert out["recipient_recall"] == round(1 / 3, 3) and out["n_recipient"] == 3


def test_actor_and_recipient_recall_are_counted_apart():
    text = "Chad expelled the French ambassador on Monday."
    actors = {"A1": Actor("A1", "Chad", "state", "TCD", mentions=[Mention(0, 4, "Chad")]),
              "A3": Actor("A3", "Niger", "state", "NER", mentions=[])}
    rows = [{"id": "r1", "text": text, "gold": [{"types": {"SANCTION"}, "actor": [(0, 4)], "recipient": [(14, 35)]}]},
            {"id": "r2", "text": text, "gold": [{"types": {"SANCTION"}, "actor": [(0, 4)], "recipient": []}]}]
    res = _result(text, [_event("SANCTION", ["A1"], ["A3"])], actors)  # right actor, wrong recipient
    out = e2e.score_rows(rows, lambda t, published=None: res)
    assert out["actor_recall"] == 1.0
    assert out["recipient_recall"] == 0.0 and out["n_recipient"] == 1  # r2 has no gold recipient
    assert out["type_actor_recipient_recall"] == 0.5  # r2 needs no recipient


def test_a_bad_row_counts_as_no_event():
    def boom(text, published=None):
        raise dyads.InputError("empty")

    out = e2e.score_rows([{"id": "x", "text": "", "gold": [{"types": {"AID"}}]}], boom)
    assert out["type_recall"] == 0.0 and out["no_event"] == 1.0


def test_petrarch_codes_match_fictional_names():
    res = SimpleNamespace(actor=lambda i: {"A1": Actor("A1", "Arnor", "organization")}.get(i))
    assert e2e._code_match(res, ["A1"], "ARN")
    assert not e2e._code_match(res, ["A1"], "GON")
    assert e2e._code_match(res, [], None)


def test_pooling_folds():
    a = {"n": 10, "type_recall": 0.5, "type_actor_recipient_recall": 0.2, "actor_recall": 0.3, "no_event": 0.1,
         "recipient_recall": 0.5, "n_recipient": 4,
         "predicted": 8, "predicted_right": 4, "per_type": {"AID": {"n": 10, "type": 0.5, "full": 0.2}}}
    b = {"n": 30, "type_recall": 0.9, "type_actor_recipient_recall": 0.6, "actor_recall": 0.7, "no_event": 0.0,
         "recipient_recall": 1.0, "n_recipient": 4,
         "predicted": 32, "predicted_right": 28, "per_type": {"AID": {"n": 30, "type": 0.9, "full": 0.6}}}
    out = e2e._pool([a, b])
    assert out["n"] == 40 and out["folds"] == 2
    assert out["type_recall"] == 0.8
    assert out["actor_recall"] == 0.6 and out["recipient_recall"] == 0.75 and out["n_recipient"] == 8
    assert out["type_precision"] == 0.8
    assert out["per_type"]["AID"]["type"] == 0.8
