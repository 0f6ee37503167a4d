"""Parties no table lists: a proper name as subject or object of a verb is an actor without a country."""
from dyads import extract


def _names(res, ids):
    by = {a.id: a for a in res.actors}
    return [by[i].name for i in ids]


def test_unknown_states_get_their_event():
    res = extract("Ruritania accused Freedonia of shelling border villages on Monday.")
    ev = [e for e in res.events if e.type == "ACCUSE"]
    assert ev and _names(res, ev[0].actor) == ["Ruritania"] and _names(res, ev[0].recipient) == ["Freedonia"]
    assert all(a.country is None and a.kind == "organization" for a in res.actors if a.name in ("Ruritania", "Freedonia"))


def test_unknown_name_after_with():
    res = extract("Ruritania held talks with Freedonia in Geneva on Tuesday.")
    assert {"Ruritania", "Freedonia"} <= {a.name for a in res.actors}
    assert "Geneva" not in {a.name for a in res.actors}  # a known city is a place, not a party


def test_known_places_and_known_actors_are_not_duplicated():
    res = extract("Russian forces shelled Kharkiv on Tuesday, Ukraine's military said.")
    names = {a.name for a in res.actors}
    assert "Kharkiv" not in names and "Tuesday" not in names
    assert not any(a._key.startswith("UNK:") for a in res.actors)  # Ukraine, Russia are known, Kharkiv a place


def test_coordinated_people_share_their_nationality():
    res = extract("Oman's foreign ministry said the swap was a success. The Germans, identified by Berlin as "
                  "Katrin Vogt, an archaeologist, and Matthias Brenner, a consultant, were met by Omani officials.")
    country = {a.name: a.country for a in res.actors}
    assert country["Katrin Vogt"] == country["Matthias Brenner"] == "DEU"


def test_title_words_are_not_a_person():
    res = extract("Deputy Foreign Minister Tran Quoc Hiep told the ambassador that the incident was grave.")
    names = {a.name for a in res.actors if a.kind == "person"}
    assert "Tran Quoc Hiep" in names and "Foreign" not in names


def test_named_party_as_subject():
    res = extract("The opposition PAIGC party said it opposed the takeover but urged the bloc not to punish "
                  "ordinary citizens.")
    party = [a for a in res.actors if a.name == "PAIGC party"]
    assert party and party[0].sector == "PTY"
    assert any(e.type == "REQUEST" and e.actor == [party[0].id] for e in res.events)
