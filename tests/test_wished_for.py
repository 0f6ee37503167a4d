"""What is only wanted, asked for or ordered has not happened: never an asserted event."""
import pytest

from dyads import extract


def _status(text, typ):
    return [e.status for e in extract(text, published="2024-05-01").events if e.type == typ]


@pytest.mark.parametrize("text,typ", [
    ("Protesters want the government to repeal the law.", "CONCEDE"),
    ("The opposition wants Russia to withdraw its troops.", "RETREAT"),
    ("The union demanded that the ministry rescind its ban.", "CONCEDE"),
])
def test_wanted_or_demanded_content_is_not_asserted(text, typ):
    assert "asserted" not in _status(text, typ)


def test_the_demand_itself_and_real_events_stay_asserted():
    assert _status("The union demanded that the ministry rescind its ban.", "REQUEST") == ["asserted"]
    assert _status("Officials insisted that troops had withdrawn from the town.", "RETREAT") == ["asserted"]
    assert _status("The army withdrew its troops from the border.", "RETREAT") == ["asserted"]
    # an attempt is an act: "sought to isolate" stays asserted
    assert _status("The Western world has sought to isolate Russia for its invasion of Ukraine.",
                   "SANCTION") == ["asserted"]


def test_ruled_out_is_negated():
    assert _status("Diplomats said Nigeria had ruled out sending troops to Bissau.", "MOBILIZE") == ["negated"]


def test_suspension_from_a_body_is_a_sanction():
    assert _status("ECOWAS suspended Guinea-Bissau from all of its decision-making bodies.",
                   "SANCTION") == ["asserted"]
    assert _status("The league suspended the striker from three matches.", "SANCTION") == []
