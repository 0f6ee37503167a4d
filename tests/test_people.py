"""The people table (data/people.csv) and how the actors stage uses it: leaders named by name
alone get the state they act for. Sentences written for these tests."""
import json
from pathlib import Path

import pytest

import dyads
from dyads.gazetteer import base, people_rows, person_key
from dyads.records import SECTORS

DATA = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data"


# ---------------------------------------------------------------------------- the table
def test_people_table_is_complete_and_consistent():
    rows = people_rows()
    assert len(rows) >= 800
    isos = {c["iso3"] for c in json.loads((DATA / "countries.json").read_text(encoding="utf-8"))}
    ids, owner = set(), {}
    for r in rows:
        assert r["id"] and r["id"] not in ids, r["id"]
        ids.add(r["id"])
        assert r["sector"] in SECTORS, r
        assert not r["country"] or r["country"] in isos, r
        assert r["country"] or r["sector"] in ("IGO", "JUD"), f"{r['id']}: no country only for international officials"
        assert r["source"].strip(), f"{r['id']}: every row names its source"
        assert r["role"].strip(), r["id"]
        start, end = r["start_year"], r["end_year"]
        for y in (start, end):
            assert y == "" or (y.isdigit() and 1940 <= int(y) <= 2026), (r["id"], y)
        if start and end:
            assert int(start) <= int(end), r["id"]
        assert set(r["ambiguous_aliases"]) <= set(r["aliases"]), r["id"]
        for n in {person_key(x) for x in [r["name"], *r["aliases"]]}:
            other = owner.setdefault(n, r)
            assert other is r, f"{n!r} names {other['id']} ({other['country']}) and {r['id']} ({r['country']})"


def test_people_table_covers_the_leaders_news_names_by_name_alone():
    gz = base()
    for name, country in [("Putin", "RUS"), ("Xi Jinping", "CHN"), ("Erdogan", "TUR"), ("Erdoğan", "TUR"),
                          ("Zelenskiy", "UKR"), ("Zelenskyy", "UKR"), ("Lula", "BRA"), ("Mattarella", "ITA"),
                          ("Qaddafi", "LBY"), ("Kadhafi", "LBY"), ("Netanyahu", "ISR"), ("Sinwar", None),
                          ("Hemedti", "SDN"), ("Suu Kyi", "MMR"), ("Navalny", "RUS"), ("Guaidó", "VEN"),
                          ("Shekau", "NGA"), ("Nasrallah", "LBN"), ("Mandela", "ZAF"), ("Saddam Hussein", "IRQ")]:
        p = gz.person(name)
        if country is None:  # "Sinwar" alone was two Hamas leaders (brothers): no alias, the full name decides
            assert p is None and gz.person("Yahya Sinwar").country == "PSE"
            continue
        assert p is not None and p.country == country, (name, p)
    guterres = gz.person("Guterres")
    assert guterres.country is None and guterres.sector == "IGO" and "Secretary-General" in guterres.role
    assert gz.person("Johnson") is None and gz.person("Johnson", ambiguous_ok=True).country == "GBR"


# ---------------------------------------------------------------------------- extraction
def _run(text, published="2024-05-01", **kw):
    res = dyads.extract(text, published=published, **kw)
    by = {a.id: a for a in res.actors}
    return res, by, {a.name: a for a in res.actors}


def test_a_leader_named_by_surname_gets_the_state_he_acts_for():
    res, by, names = _run("Erdogan met Italian President Sergio Mattarella in Rome.")
    erdogan, mattarella = names["Erdogan"], names["Sergio Mattarella"]
    assert (erdogan.kind, erdogan.country, erdogan.sector, erdogan.title) == ("person", "TUR", "GOV", "President")
    assert mattarella.title == "Italian President"  # the text's own title is kept
    consult = [e for e in res.events if e.type == "CONSULT"]
    assert consult, res.events
    assert [by[i].country for i in consult[0].actor] == ["TUR"]
    assert [by[i].country for i in consult[0].recipient] == ["ITA"]


def test_surnames_the_ner_takes_for_organisations_or_places_are_people():
    res, by, names = _run("Zelensky urged Scholz to send more tanks.")
    assert (names["Zelensky"].country, names["Scholz"].country) == ("UKR", "DEU")
    assert names["Scholz"].kind == "person"
    req = [e for e in res.events if e.type == "REQUEST"]
    assert req and [by[i].country for i in req[0].recipient] == ["DEU"]
    res, by, names = _run("Lula condemned the strike.")
    assert names["Lula"].country == "BRA" and names["Lula"].kind == "person"
    assert "SWE" not in {a.country for a in res.actors} | {p.country for p in res.places}


def test_the_text_beats_the_table():
    # a nationality in the text wins over the row (the row's Mark Carney is Canadian)
    res, by, names = _run("The Kenyan runner Mark Carney won the Nairobi marathon on Sunday.")
    assert names["Mark Carney"].country == "KEN"
    # a title in the text is kept; the row gives only what is missing (the country)
    res, by, names = _run("Former President Bolsonaro criticised the court on Monday.")
    assert names["Bolsonaro"].title == "Former President" and names["Bolsonaro"].country == "BRA"


def test_the_role_is_a_title_only_while_it_was_held():
    _, _, names = _run("Merkel warned against new tariffs.", published="2015-03-02")
    assert (names["Merkel"].country, names["Merkel"].title) == ("DEU", "Chancellor")
    _, _, names = _run("Merkel warned against new tariffs.", published="2024-03-02")
    assert names["Merkel"].country == "DEU" and names["Merkel"].title is None
    _, _, names = _run("Merkel warned against new tariffs.", published=None)
    assert names["Merkel"].title == "Chancellor"  # no date: the row's role


def test_an_ambiguous_alias_alone_is_not_resolved():
    _, _, names = _run("Johnson met Macron in the afternoon.")
    assert names["Macron"].country == "FRA"
    assert "Johnson" not in names or names["Johnson"].country != "GBR"
    # with the row's role in the text, or after the full name, it is
    _, _, names = _run("Prime Minister Johnson met Macron in the afternoon.")
    assert names["Johnson"].country == "GBR"
    res, _, names = _run("Boris Johnson arrived in Paris on Monday. Johnson met Macron in the afternoon.")
    bj = names["Boris Johnson"]
    assert bj.country == "GBR" and len(bj.mentions) == 2 and "Johnson" not in names


def test_two_names_of_one_row_are_one_actor():
    res, _, names = _run("Volodymyr Zelensky spoke to reporters in Kyiv. Zelenskiy said more air defence was needed.")
    zel = [a for a in res.actors if a.kind == "person" and a.country == "UKR"]
    assert len(zel) == 1 and len(zel[0].mentions) == 2, res.actors


def test_user_actor_file_adds_people(tmp_path):
    f = tmp_path / "actors.csv"
    f.write_text("name,aliases,country,sector,kind,role\nAna Ruiz,Ruiz,COL,GOV,person,Mayor of Cali\n", encoding="utf-8")
    res = dyads.extract("Ruiz condemned the attack on the police station.", actors_file=str(f), published="2024-01-01")
    ruiz = next(a for a in res.actors if a.name == "Ruiz")
    assert (ruiz.kind, ruiz.country, ruiz.sector, ruiz.title) == ("person", "COL", "GOV", "Mayor of Cali")
    with pytest.raises(dyads.ConfigError):
        f.write_text("name,aliases,country,sector,kind\nAna Ruiz,Ruiz,XXY,GOV,person\n", encoding="utf-8")
        dyads.extract("Ruiz condemned the attack.", actors_file=str(f))


def test_no_unambiguous_person_alias_is_written_like_a_state_or_organisation_name():
    gz = base()
    clashes = []
    for r in people_rows():
        amb = set(r["ambiguous_aliases"])
        for a in [r["name"], *r["aliases"]]:
            if a in amb:
                continue
            for e in gz.lookup(a.split()):
                if e.surface == a:
                    clashes.append((r["id"], a, e.key))
    assert not clashes, clashes
