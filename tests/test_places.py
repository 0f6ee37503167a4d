import dyads


def test_places_geocoded_and_disambiguated_by_context():
    r = dyads.extract("Russian President Vladimir Putin met officials in Moscow on Monday, the Kremlin said. "
                      "Police in Lagos arrested 12 protesters near the Korean Peninsula embassy row.")
    by = {p.name: p for p in r.places}
    assert by["Moscow"].country == "RUS" and abs(by["Moscow"].lat - 55.75) < 0.5
    assert by["Lagos"].country == "NGA"
    for p in r.places:
        for m in p.mentions:
            assert r.text[m.start:m.end] == m.text


def test_event_location_from_its_own_clause():
    r = dyads.extract("Kenyan police arrested 40 protesters in Mombasa on Friday, officials in Nairobi said.",
                      published="2025-03-08")
    ev = [e for e in r.events if e.type == "COERCE"]
    assert ev and ev[0].location and ev[0].location["name"] == "Mombasa"
    assert ev[0].location["country"] == "KEN"


def test_country_is_a_place_at_its_capital():
    r = dyads.extract("Chilean President Marta Rojas arrived in Peru on Tuesday for talks.", published="2025-03-04")
    peru = [p for p in r.places if p.name == "Peru"][0]
    assert peru.kind == "country" and abs(peru.lat - (-12.04)) < 0.5
    visit = [e for e in r.events if e.type == "CONSULT"][0]
    assert visit.location["country"] == "PER"
