"""Trigger lexicon coverage for conflict events and aid (PLOVER manual: THREATEN, SANCTION,
MOBILIZE, COERCE, ASSAULT, ACCUSE, AID), with the false-positive contexts each addition must stay
out of. Sentences written for the test."""
import pytest

import dyads

PUB = "2025-03-05"


def events(text):
    r = dyads.extract(text, published=PUB)
    return [(e.type, e.status) for e in r.events]


def counted(text):
    return {t for t, s in events(text) if s in ("asserted", "future")}


@pytest.mark.parametrize("text,ptype", [
    # THREATEN: threats floated, and an actor announcing its own punitive act
    ("The European Union raised the possibility of a ban on Russian gas imports.", "THREATEN"),
    ("China said it will impose sanctions on American defence firms.", "THREATEN"),
    # SANCTION: trade measures, passive sanctions, sanctions adopted, suspensions and expulsions ordered
    ("Canada imposed levies on American goods.", "SANCTION"),
    ("India imposed duties on Chinese solar panels.", "SANCTION"),
    ("Sanctions were imposed on Russia by the European Union.", "SANCTION"),
    ("The European Union approved sanctions against Belarus.", "SANCTION"),
    ("Russia announced the suspension of talks with Tajikistan.", "SANCTION"),
    ("Poland ordered the expulsion of three Russian diplomats.", "SANCTION"),
    # MOBILIZE: reservists called up, deployments ordered, passive deployments, patrols stepped up
    ("Israel called up 300,000 reservists.", "MOBILIZE"),
    ("The United States ordered the deployment of 1,200 troops to the border.", "MOBILIZE"),
    ("Russian troops were deployed to the Belarusian border on Monday.", "MOBILIZE"),
    ("Nigeria's army stepped up its patrols along the border with Niger.", "MOBILIZE"),
    ("The Burmese government has sent marines to help protect its fishermen from pirates.", "MOBILIZE"),
    # COERCE: house arrest, custody, blockades by states, blackouts, curfews, prohibitions
    ("The junta placed the former president under house arrest.", "COERCE"),
    ("Turkish police took three journalists into custody.", "COERCE"),
    ("Israel blockaded the Gaza Strip.", "COERCE"),
    ("The government imposed a media blackout in the region.", "COERCE"),
    ("The Swiss government prohibited journalists from accessing the recordings.", "COERCE"),
    ("The authorities cut off the internet in Kashmir.", "COERCE"),
    # ASSAULT: casualties of a named side's strike, offensives mounted, weapons fired at targets
    ("Four Somali civilians were killed in a US air strike on the village.", "ASSAULT"),
    ("The rebels mounted a major offensive in the region.", "ASSAULT"),
    ("Police fired tear gas at protesters in Nairobi.", "ASSAULT"),
    ("Militants gunned down two policemen in Peshawar.", "ASSAULT"),
    # ACCUSE: statements condemning, holding responsible, inquiries opened
    ("The Foreign Ministry issued a statement condemning the Israeli raid.", "ACCUSE"),
    ("Israel held Hamas responsible for the attack.", "ACCUSE"),
    ("The Spanish police have launched an inquiry into the abuse.", "ACCUSE"),
    # AID: loans approved, debt forgiven (manual example), aid convoys arriving
    ("The IMF approved a $3 billion loan for Pakistan.", "AID"),
    ("The Paris Club agreed to forgive Nigeria's debt.", "AID"),
    ("An aid convoy from Egypt reached Gaza on Sunday.", "AID"),
])
def test_conflict_wordings_are_coded(text, ptype):
    assert ptype in counted(text)


@pytest.mark.parametrize("text,wrong", [
    ("Armenia's president fired the army chief of staff on Sunday.", "ASSAULT"),
    ("The Nigerian minister was fired on Tuesday.", "ASSAULT"),
    ("Farmers blockaded the highway to protest fuel prices.", "COERCE"),
    ("New Zealand sent soldiers to help clear roads after the cyclone.", "MOBILIZE"),
    ("Russia held talks with China on Monday.", "ACCUSE"),
    ("The government raised the possibility of talks with the rebels.", "THREATEN"),
    ("Japan pledged aid to Turkey after the earthquake.", "AID"),
    ("Kenya and Uganda reached an agreement on the border.", "AID"),
    ("Russia said it would hold talks with Ukraine.", "THREATEN"),
])
def test_false_positive_contexts_stay_out(text, wrong):
    assert wrong not in counted(text)


def test_a_reported_future_sanction_is_the_sanctioners_threat_not_the_speakers():
    from dyads import extract

    r = extract("The United States said Russia would impose sanctions on the firms.")
    (ev,) = [e for e in r.events if e.type == "THREATEN"]
    assert [r.actor(i).name for i in ev.actor] == ["Russia"]
    assert [r.actor(i).name for i in ev.attributed_to] == ["United States"]


def test_negated_and_conditional_stay_uncounted():
    assert "MOBILIZE" not in counted("Russian troops had not been deployed to the border.")
    assert "SANCTION" not in counted("Poland has not ordered the expulsion of any Russian diplomats.")
    assert "THREATEN" not in counted("China said it will not impose sanctions on American firms.")
    got = events("If Canada imposed levies on American goods, the talks would collapse.")
    assert ("SANCTION", "asserted") not in got


def test_reserving_the_right_to_respond_is_a_threat():
    from dyads import extract

    evs = extract("Iran reserved the right to respond to the expulsions.", published="2026-06-10").events
    assert [(e.type, e.status) for e in evs] == [("THREATEN", "asserted")]
    assert extract("The club reserved the right to refuse entry.").events == []


def test_hosting_needs_a_meeting_or_a_guest():
    from dyads import extract

    evs = extract("Senegal, which hosts thousands of traders, shut its border on Monday.", published="2026-02-17").events
    assert all(e.type != "CONSULT" for e in evs)
    assert [e.type for e in extract("Qatar hosted talks between Israel and Hamas.").events] == ["CONSULT"]


@pytest.mark.parametrize("text,ptype", [
    ("Protesters stormed the provincial council building in Basra on Friday.", "PROTEST"),
    ("Hundreds of angry residents blocked the provincial governor's convoy outside Jamshoro.", "PROTEST"),
    ("Russian troops stormed the town of Bakhmut.", "ASSAULT"),
])
def test_a_crowd_storming_or_blocking_is_a_riot_or_protest(text, ptype):
    assert ptype in counted(text)
    assert not ({"PROTEST", "ASSAULT"} - {ptype}) & counted(text)


def test_coming_under_fire_is_an_attack_on_the_subject():
    from dyads import extract

    r = extract("A Pakistani checkpoint came under fire from the Afghan side on Tuesday.")
    (ev,) = [e for e in r.events if e.type == "ASSAULT"]
    assert [r.actor(i).country for i in ev.actor] == ["AFG"]
    assert [r.actor(i).country for i in ev.recipient] == ["PAK"]
    assert "ASSAULT" not in counted("The Syrian army came under pressure from Russia to accept the deal.")


@pytest.mark.parametrize("text", [
    "Military analysts said Ethiopia might move troops toward the Eritrean border if Asmara refuses to talk.",
    "Washington would consider lifting some sanctions on Caracas if the government allowed opposition candidates to run.",
    "Were the court to reject any challenge to the results, the opposition might take to the streets, analysts said.",
])
def test_guesses_offers_and_inverted_conditions_are_no_threat_or_act(text):
    assert not counted(text)


def test_a_state_warning_what_it_will_do_if_is_still_a_threat():
    assert "THREATEN" in counted("Russia will strike Kyiv if Ukraine attacks Crimea again, Medvedev said.")


@pytest.mark.parametrize("text,ptype", [
    ("The Nigerian president vowed to crush the rebels in the north.", "THREATEN"),
    ("Israel pledged to retaliate against Iran.", "THREATEN"),
    ("'Whoever fired that rocket at the base will be hunted down,' the Iraqi prime minister vowed.", "THREATEN"),
    ("Japan pledged to send aid to Turkey.", "AGREE"),
])
def test_a_vow_of_force_is_a_threat_a_vow_of_help_an_agreement(text, ptype):
    assert ptype in counted(text)
