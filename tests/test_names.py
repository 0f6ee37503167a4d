"""Names across sentences: hyphenated surnames keep their quotes, and names found in a later
sentence of a paragraph point at the right characters. Stories written for these tests."""
from dyads import extract

STORY = ("PORT-AU-PRINCE, March 3 (Caribbean Wire) - Haiti's prime minister, Alix Didier Fils-Aime, said on "
         "Monday that the police would retake the capital's main port.\n"
         "\"We will not let the gangs hold the city hostage,\" Fils-Aime told reporters.\n"
         "Jean-Baptiste Saint-Cyr, a senator, said the plan came too late. \"It is a promise we have heard "
         "before,\" Saint-Cyr said.")


def test_hyphenated_surnames_keep_their_quotes():
    res = extract(STORY, published="2026-03-04")
    by = {a.id: a for a in res.actors}
    fils = next(a for a in res.actors if a.name == "Alix Didier Fils-Aime")
    cyr = next(a for a in res.actors if a.name == "Jean-Baptiste Saint-Cyr")
    assert cyr.kind == "person" and cyr.title == "senator"
    q1 = next(q for q in res.quotes if q.text.startswith("We will not"))
    q2 = next(q for q in res.quotes if q.text.startswith("It is a promise"))
    assert q1.speaker == fils.id and q1.speaker_text == "Fils-Aime"
    assert q2.speaker == cyr.id and by[q2.speaker].name == "Jean-Baptiste Saint-Cyr"
    for a in res.actors:
        for m in a.mentions:
            assert res.text[m.start:m.end] == m.text and m.text.strip() == m.text


def test_unknown_names_in_a_later_sentence_point_at_themselves():
    res = extract("The talks opened on Monday. Later that day Freedonia accused Ruritania of shelling border villages.",
                  published="2026-03-04")
    names = {a.name: a for a in res.actors}
    for n in ("Freedonia", "Ruritania"):
        m = names[n].mentions[0]
        assert res.text[m.start:m.end] == n
    ev = [e for e in res.events if e.type == "ACCUSE"]
    assert ev and ev[0].actor == [names["Freedonia"].id] and ev[0].recipient == [names["Ruritania"].id]
