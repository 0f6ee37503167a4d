"""A place that makes its state a party: the state is the recipient and its mention is the place."""
import pytest

from dyads import extract


def _recipients(text, ptype):
    res = extract(text)
    ev = next(e for e in res.events if e.type == ptype)
    return [res.actor(i) for i in ev.recipient], res


@pytest.mark.parametrize("text,ptype,country,place", [
    ("Kenyan authorities imposed a curfew in Mombasa on Friday.", "COERCE", "KEN", "Mombasa"),
    ("The Bolivian government declared a state of siege in Cochabamba.", "COERCE", "BOL", "Cochabamba"),
])
def test_curfew_or_siege_in_a_place_falls_on_its_state(text, ptype, country, place):
    recips, res = _recipients(text, ptype)
    assert [a.country for a in recips] == [country]
    spans = [(m.text, m.how) for m in recips[0].mentions]
    assert (place, "place") in spans  # traceable to the words that made it a party
    m = next(m for m in recips[0].mentions if m.how == "place")
    assert res.text[m.start:m.end] == place


def test_troops_moved_about_their_own_country_have_no_recipient():
    recips, _ = _recipients("Thai troops were moved to Surin province as a precaution.", "MOBILIZE")
    assert recips == []


def test_a_person_acted_on_beats_the_place():
    recips, _ = _recipients("On 6 February, police picked up a student union leader from his hostel in Rajshahi.",
                            "COERCE")
    assert [a.name for a in recips] == ["student union leader"]


def test_a_site_struck_stands_for_whoever_holds_it():
    recips, _ = _recipients("A drone struck a fuel depot in Russia's Belgorod region overnight.", "ASSAULT")
    assert [(a.name, a.kind, a.country) for a in recips] == [("fuel depot", "organization", "RUS")]


def test_a_vehicle_is_never_a_doer():
    from dyads import extract

    r = extract("The boat was carrying food and fuel to a detachment of marines on the shoal.")
    assert not any(r.actor(i).name == "boat" for e in r.events for i in e.actor)


def test_two_verbs_share_their_object():
    recips, _ = _recipients("On 4 April, Israeli soldiers shot and wounded a 15-year-old boy during a raid in Jenin.",
                            "ASSAULT")
    assert [a.name for a in recips] == ["15-year-old boy"]


def test_land_held_by_rebels_makes_the_rebels_the_ones_attacked():
    r = extract("Government troops shelled the rebel-held northern district of Aleppo on Monday.")
    assault = [e for e in r.events if e.type == "ASSAULT"]
    assert assault
    held = [r.actor(i) for i in assault[0].recipient]
    assert [(a.kind, a.sector) for a in held] == [("group", "REB")]
