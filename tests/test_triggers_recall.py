"""Trigger lexicon coverage for concessions, retreats and cooperation (PLOVER manual wording),
with the false-positive contexts each entry must stay out of. Sentences written for the test."""
import pytest

import dyads

PUB = "2025-03-05"


def types(text):
    r = dyads.extract(text, published=PUB)
    return [(e.type, e.status) for e in r.events]


def asserted(text):
    return {t for t, s in types(text) if s in ("asserted", "future")}


@pytest.mark.parametrize("text,ptype", [
    # CONCEDE: giving in, easing restrictions, announced future retreats, acquittals, suspended protests
    ("The Kenyan government gave in to the demands of the teachers' union.", "CONCEDE"),
    ("The Nigerian government backed down on the fuel tax.", "CONCEDE"),
    ("The Egyptian government relaxed restrictions on NGOs.", "CONCEDE"),
    ("Chad announced it would pull its soldiers out of the regional force.", "CONCEDE"),
    ("Peru has decided to ease the curfew in the southern provinces.", "CONCEDE"),
    ("Chile suspended the mining project after weeks of protests.", "CONCEDE"),
    ("Spain gave up its claim to Gibraltar.", "CONCEDE"),
    ("Nurses in Kenya ended their strike on Monday.", "CONCEDE"),
    # RETREAT: withdrawal, ceding, disarming, release or exchange of prisoners, resignation
    ("Russia pulled its troops out of the region on Tuesday.", "RETREAT"),
    ("Mali handed over control of the town to the army.", "RETREAT"),
    ("Colombian rebels laid down their arms on Monday.", "RETREAT"),
    ("Russia and Ukraine exchanged prisoners on Sunday.", "RETREAT"),
    ("Ecuador's president stepped down on Tuesday.", "RETREAT"),
    # COOPERATE: extradition, joint exercises
    ("Colombia extradited the drug lord to the United States.", "COOPERATE"),
    ("Japan and India held joint military exercises in the Bay of Bengal.", "COOPERATE"),
    # SANCTION 'withdraw': leaving an agreement is not a military retreat
    ("The United States withdrew from the Paris climate agreement.", "SANCTION"),
    # PROTEST strike
    ("Over 150 teachers in Gambia are on strike, the union said.", "PROTEST"),
])
def test_new_wordings_are_coded(text, ptype):
    assert ptype in asserted(text)


@pytest.mark.parametrize("text", [
    "Russia agreed to withdraw its troops from the border.",
    "Israel agreed to release 50 Palestinian prisoners.",
    "Malawi's finance minister has agreed to resign.",
    "Armenia is willing to withdraw its troops from the disputed villages.",
    "The junta said it would free 400 detained protesters.",
])
def test_promised_concessions_are_agree(text):
    """A promise of a concession or retreat is AGREE, as plv_train codes it (guide, section 8)."""
    assert asserted(text) == {"AGREE"}


@pytest.mark.parametrize("text,wrong", [
    ("Nigeria released a statement on Monday.", "RETREAT"),
    ("Macedonian Prime Minister Nikola Gruevski vowed to end the protests.", "CONCEDE"),
    ("Iraq pledged to disarm the groups.", "CONCEDE"),
    ("The United States withdrew from the Paris climate agreement.", "RETREAT"),
    ("Egypt and Sudan exchanged fire across the border.", "RETREAT"),
    ("The Kenyan union called off the strike after talks with the government.", "PROTEST"),
    ("The Nigerian government backed down on the fuel tax.", "SUPPORT"),
    ("Under the agreement, South Sudan's troops will withdraw to barracks in Malakal.", "SANCTION"),
])
def test_false_positive_contexts_stay_out(text, wrong):
    assert wrong not in asserted(text)


def test_negated_and_conditional_concessions_are_not_asserted():
    out = types("Russia did not withdraw its troops. If Kenya lifted the curfew, the union would end the strike.")
    assert ("RETREAT", "asserted") not in out and ("CONCEDE", "asserted") not in out


def _parties(text, ptype):
    from dyads import extract

    res = extract(text)
    return [([res.actor(i).name for i in e.actor], [res.actor(i).name for i in e.recipient])
            for e in res.events if e.type == ptype and e.status == "asserted"]


def test_saying_another_must_act_is_a_request():
    """'X says Y must Z' is X's demand of Y; the content has not happened (guide, section 3)."""
    assert _parties("Turkey says Greece must stop arming its Aegean islands.", "REQUEST") == [(["Turkey"], ["Greece"])]
    assert asserted("Japan has said that Pyongyang must first scrap its missile sites before any talks.") == {"REQUEST"}


def test_own_side_or_nobody_must_act_is_no_request():
    assert "REQUEST" not in asserted("The Kenyan president said Kenya must defend its borders.")
    assert "REQUEST" not in asserted("\u201cToday the guns must fall silent,\u201d the Kenyan envoy told the ceremony.")


def test_failing_to_reach_a_deal_is_a_reject_between_the_parties():
    assert _parties("Canada and India failed to reach agreement on a trade deal.",
                    "REJECT") == [(["Canada"], ["India"])]
    assert "SUPPORT" not in asserted("Norway and Iceland failed to reach agreement on the fishing treaty.")


@pytest.mark.parametrize("text,ptype", [
    ("Eritrea expelled 15 humanitarian aid workers from a Norwegian charity.", "SANCTION"),
    ("Kuwait expelled hundreds of Egyptian workers.", "COERCE"),
    ("A Kenyan high court judge ordered the release of the jailed opposition senator.", "CONCEDE"),
    ("The military government ordered the opposition daily La Voz to suspend publication.", "COERCE"),
])
def test_expulsions_and_orders(text, ptype):
    assert asserted(text) == {ptype}


@pytest.mark.parametrize("text", [
    "Zambia's main opposition parties said they would boycott the August by-elections.",
    "The interior minister announced that the government will extend the nightly curfew in Port Moresby.",
    "Germany will move a Patriot missile battery to the Polish border, the defence ministry said.",
])
def test_an_announced_forceful_act_is_a_threat(text):
    """Future PROTEST, COERCE, MOBILIZE, ASSAULT or SANCTION is THREATEN (guide, section 8)."""
    assert "THREATEN" in asserted(text)
    assert not asserted(text) & {"PROTEST", "COERCE", "MOBILIZE"}


def test_prepared_to_talk_is_willingness():
    assert asserted("Ethiopia's prime minister said his government was prepared to talk with Fano leaders.") == {"AGREE"}
