"""The learned event detector (models/detector) and how the event stage uses it.

Sentences here are written for these tests; none comes from evaluation material."""
import pytest

import dyads
from dyads.detector import Detector, DetectorModelMissing


@pytest.fixture(scope="module")
def det():
    return Detector.load()


def _types(result):
    return {(e.type, e.status) for e in result.events}


def test_missing_artefact_is_a_clear_error(tmp_path):
    with pytest.raises(DetectorModelMissing, match="make train"):
        Detector.load(tmp_path)


def test_proposals_without_a_lexicon_entry(det):
    text = "Two suicide bombers killed 12 people at a bus station in the north of the country on Sunday."
    (props,) = det.detect([text])
    hits = [p for p in props if p.type == "ASSAULT"]
    assert hits, props
    p = hits[0]
    assert text[p.trigger[0]:p.trigger[1]] == "killed"
    assert any("suicide bombers" in text[a:b] for a, b in p.actor)
    assert any("12 people" in text[a:b] for a, b in p.recipient)
    assert 0.5 <= p.score <= 1.0


def test_spans_are_sentence_offsets(det):
    texts = ["Riot police broke up a sit-in by students outside the parliament in Dhaka.",
             "The bank raised its interest rate by half a point."]
    out = det.detect(texts)
    assert len(out) == 2
    for text, props in zip(texts, out):
        for p in props:
            for a, b in [p.trigger] + p.actor + p.recipient:
                assert 0 <= a < b <= len(text)


def test_no_event_in_a_disaster_or_market_report(det):
    texts = ["Floods swept away hundreds of homes in the delta after three days of heavy rain.",
             "Copper prices fell for a third day as demand from factories weakened."]
    for props in det.detect(texts):
        assert not [p for p in props if p.status == "asserted" and p.score > 0.5], props


def test_described_actor_becomes_a_group_actor():
    r = dyads.extract("Gunmen abducted 14 passengers from a bus near Kaduna on Friday, police in Nigeria said.",
                      published="2026-05-02")
    ev = [e for e in r.events if e.type == "ASSAULT"]
    assert ev, [(e.type, e.trigger.text) for e in r.events]
    actors = [r.actor(i) for i in ev[0].actor]
    assert any(a.kind == "group" and "gunmen" in a.name.lower() for a in actors), actors
    assert all(a.country == "NGA" for a in actors)


def test_learned_detection_finds_wording_the_lexicon_lacks():
    text = "Jets of the Russian air force carried out a wave of strikes on militant hideouts in the hills."
    on = dyads.extract(text, published="2026-05-02")
    assert ("ASSAULT", "asserted") in _types(on)
    e = next(e for e in on.events if e.type == "ASSAULT")
    assert on.actor(e.actor[0]).country == "RUS"


def test_switching_the_detector_off(monkeypatch):
    from dyads.events import detection

    text = "Jets of the Russian air force carried out a wave of strikes on militant hideouts in the hills."
    monkeypatch.setenv("DYADS_DETECTOR", "off")
    monkeypatch.setattr(detection, "_CACHED_DETECTOR", None)
    off = dyads.extract(text)
    monkeypatch.delenv("DYADS_DETECTOR")
    monkeypatch.setattr(detection, "_CACHED_DETECTOR", None)
    on = dyads.extract(text)
    assert len(on.events) >= len(off.events)
    assert "ASSAULT" in {e.type for e in on.events}


def test_negated_and_conditional_proposals_are_not_asserted():
    r = dyads.extract("Police did not fire on the marchers, and the army said it would only deploy troops "
                      "if the protests spread to the capital.", published="2026-05-02")
    assert not [e for e in r.events if e.type in ("ASSAULT", "MOBILIZE") and e.status == "asserted"], \
        [(e.type, e.status, e.trigger.text) for e in r.events]


def _tok(doc, word):
    return next(t for t in doc if t.text == word)


def test_content_of_a_demand_or_accusation_is_inside_its_verb():
    from dyads import nlp
    from dyads.events import _within_content

    doc = nlp.load()("Rights groups urged Kenya to suspend the expulsions of Somali refugees.")
    assert _within_content(_tok(doc, "expulsions"), _tok(doc, "urged"))
    doc = nlp.load()("The opposition accused the police of beating protesters in the capital.")
    assert _within_content(_tok(doc, "beating"), _tok(doc, "accused"))
    # an adverbial clause with its own conjunction is a separate happening
    doc = nlp.load()("The minister demanded an inquiry after soldiers fired on the crowd.")
    assert not _within_content(_tok(doc, "fired"), _tok(doc, "demanded"))


def test_a_since_clause_is_the_time_frame_not_an_event():
    from types import SimpleNamespace

    from dyads import nlp
    from dyads.events import _proposal_stands

    doc = nlp.load()("Tensions have risen since Ankara deployed warships to the disputed waters.")
    assert not _proposal_stands(_tok(doc, "deployed"), SimpleNamespace(type="MOBILIZE"))
    doc = nlp.load()("Ankara deployed warships to the disputed waters on Monday.")
    assert _proposal_stands(_tok(doc, "deployed"), SimpleNamespace(type="MOBILIZE"))


def test_a_town_that_is_hit_stands_for_its_state():
    r = dyads.extract("Russian forces shelled Kharkiv on Tuesday, Ukraine's military said.", published="2026-05-02")
    ev = [e for e in r.events if e.type == "ASSAULT"]
    assert ev, [(e.type, e.trigger.text) for e in r.events]
    recips = [r.actor(i) for i in ev[0].recipient]
    assert [(a.kind, a.country) for a in recips] == [("state", "UKR")], recips
    assert "Kharkiv" not in {a.name for a in r.actors if a.kind != "state"}


def test_a_sentence_is_coded_the_same_alone_or_in_an_article(det):
    """One sentence per encoder call: the int8 model's activation scales never mix sentences."""
    texts = ["Two gunmen killed nine people at a cattle market in Kano.",
             "The ministry accepted the union's demands after a week of talks in Accra, a spokesman said.",
             "Paris handed Niamey armoured vehicles without payment."]
    together = det.detect(texts)
    alone = [det.detect([t])[0] for t in texts]
    assert together == alone
