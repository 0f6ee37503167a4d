"""Reported content that is no that-clause (``dyads.quotes`` rule 3b): the object of a speech
or stance verb ("condemned the attack"), a prepositional object ("warned of a crisis"), a
to-infinitive ("urged its citizens to leave") or a wh-clause ("did not say when ...").
"""
from dyads import quotes
from dyads.quotes import speaker_of_offset

from test_quotes import find, name, run


def texts(qs):
    return [q.text for q in qs]


def test_object_of_stance_verbs():
    body, by_id, qs = run(
        "Russian President Vladimir Putin condemned the sanctions imposed by the European Union.\n\n"
        "German Chancellor Olaf Scholz cited rising energy prices as the main reason for the delay.\n\n"
        "Putin also criticized NATO's expansion as a threat to Russia."
    )
    q = find(qs, "the sanctions imposed by the European Union")
    assert q.kind == "indirect" and name(by_id, q) == "Vladimir Putin" and "condemned" in q.cue
    q = find(qs, "rising energy prices as the main reason")
    assert name(by_id, q) == "Olaf Scholz"
    q = find(qs, "NATO's expansion as a threat to Russia")
    assert name(by_id, q) == "Vladimir Putin"


def test_prepositional_content_and_to_infinitive():
    body, by_id, qs = run(
        "French President Emmanuel Macron warned of a humanitarian crisis in Gaza.\n\n"
        "Macron also spoke of the need for a ceasefire.\n\n"
        "The United States urged its citizens to leave Lebanon immediately."
    )
    assert name(by_id, find(qs, "a humanitarian crisis in Gaza")) == "Emmanuel Macron"
    assert name(by_id, find(qs, "the need for a ceasefire")) == "Emmanuel Macron"
    q = find(qs, "to leave Lebanon")
    assert q.speaker is not None and by_id[q.speaker].country == "USA"


def test_wh_clause_after_negated_say():
    body, by_id, qs = run(
        "Israeli Prime Minister Benjamin Netanyahu did not say when the troops would withdraw."
    )
    q = find(qs, "when the troops would withdraw")
    assert name(by_id, q) == "Benjamin Netanyahu"


def test_no_content_from_pronouns_dates_things_or_generic_verbs():
    body, by_id, qs = run(
        "Chinese President Xi Jinping rejected it.\n\n"
        "Xi spoke on Monday with Brazilian President Luiz Inacio Lula da Silva.\n\n"
        "Xi's decision raised questions about the talks.\n\n"
        "Lula had a meeting with the delegation and made several visits to the region."
    )
    assert not any(q.text in ("it", "Monday") for q in qs), texts(qs)
    assert not any("questions about the talks" in q.text for q in qs), texts(qs)
    assert not any("meeting" in q.text or "visits" in q.text for q in qs), texts(qs)


def test_that_clause_and_direct_quote_are_not_repeated():
    body, by_id, qs = run(
        "Ukrainian President Volodymyr Zelensky said that Russia had attacked the power grid.\n\n"
        "Zelensky condemned “the barbaric shelling of Kharkiv,” officials said."
    )
    grid = [q for q in qs if "power grid" in q.text]
    assert len(grid) == 1
    shelling = [q for q in qs if "shelling of Kharkiv" in q.text]
    assert len(shelling) == 1


def test_object_content_does_not_attribute_events():
    body, by_id, qs = run("Japanese Prime Minister Fumio Kishida condemned the missile launch by North Korea.")
    q = find(qs, "the missile launch by North Korea")
    a = body.index("launch")
    # the launch is reported by the story, not only by Kishida
    assert speaker_of_offset(qs, a, a + len("launch")) is None
    assert q.speaker is not None


def test_switch_off():
    text = "Japanese Prime Minister Fumio Kishida condemned the missile launch by North Korea."
    old = quotes.NP_CONTENT
    try:
        quotes.NP_CONTENT = False
        _, _, qs = run(text)
        assert not any("missile launch" in q.text for q in qs)
    finally:
        quotes.NP_CONTENT = old



def _quote(text, words):
    from dyads import extract

    r = extract(text)
    return r, next(q for q in r.quotes if q.text == words)


def test_a_note_handed_over_is_its_authors_words():
    r, q = _quote('Baghdad summoned the ambassador on Monday and handed him a protest note calling the strikes '
                  '"a flagrant violation of Iraqi sovereignty."', "a flagrant violation of Iraqi sovereignty.")
    assert r.actor(q.speaker).name == "Iraq"


def test_whoever_urges_speaks_not_the_one_urged():
    r, q = _quote('China\'s commerce ministry said it "hoped both sides would talk" and urged the EU not to '
                  '"politicise normal trade."', "politicise normal trade.")
    assert q.speaker_text != "the EU" and (q.speaker is None or r.actor(q.speaker).name != "European Union")


def test_one_word_a_speaker_called_something_is_their_word():
    r, q = _quote('Foreign ministry spokesman Nasser Hosseinpour called the Dutch findings "fabricated".', "fabricated")
    assert r.actor(q.speaker).name == "Nasser Hosseinpour"


def test_a_scare_quoted_word_is_still_no_quote():
    from dyads import extract

    assert [q for q in extract('The so-called "mediators" arrived in Doha on Monday.').quotes if q.kind != "indirect"] == []
