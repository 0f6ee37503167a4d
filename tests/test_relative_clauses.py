"""'N days after X': X happened N days before the main event; 'Brussels' in an EU story is the EU."""
from dyads import extract


def _dates(text, pub):
    return {e.trigger.text: e.date for e in extract(text, published=pub).events}


def test_days_after_and_before():
    d = _dates("The regional bloc suspended the country on Tuesday, two days after army officers detained "
               "President Armando Sanha.", "2026-02-17")
    assert d["detained"] == "2026-02-15"
    d = _dates("Indonesia will stop issuing export permits on Wednesday, a day after Brussels slapped duties of "
               "up to 31 percent on Indonesian steel.", "2026-02-17")
    assert d["slapped"] == "2026-02-17"  # main event 2026-02-18, one day earlier
    d = _dates("The talks began on Monday, a week before the troops withdrew.", "2026-02-17")
    assert d["withdrew"] == "2026-02-23"


def test_brussels_is_the_eu_only_in_an_eu_story():
    res = extract("The European Commission imposed duties on Indonesian steel. A day later, Brussels slapped new "
                  "duties on Indonesian nickel, Indonesia said.", published="2026-04-22")
    eu = [a for a in res.actors if a.name == "European Union"]
    assert eu and any(m.text == "Brussels" for m in eu[0].mentions)
    res = extract("Belgian police said the Belgian government in Brussels rejected the claim.")
    assert not any(a.name == "European Union" for a in res.actors)
