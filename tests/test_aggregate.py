"""One event per real happening: the merge rules of dyads.aggregate on real extractions."""
from __future__ import annotations

import pytest

import dyads
from dyads import query
from dyads.aggregate import dates_compatible, jaccard, lemma, ref_date, tokens
from dyads.store import content_hash, open_store

# One short story, paraphrased by three invented outlets (written for this test) ...
STORY = [
    ("Lakeside Herald", "2025-09-03",
     "Kenya sent food aid to Somalia on Monday after floods destroyed crops along the Juba river, officials said."),
    ("Rift Valley Post", "2025-09-03",
     ("On Monday, Kenya delivered food aid to Somalia, where floods along the Juba river had destroyed crops, "
     "officials said.")),
    ("Horn Observer", "2025-09-04",
     ("After floods destroyed crops along the Juba river, Kenya shipped food aid to Somalia on Monday, the foreign "
     "ministry in Nairobi said.")),
]
# ... and a different happening between the same states two months later.
LATER = ("Lakeside Herald", "2025-11-12",
         "Kenya sent medical aid to Somalia on Tuesday to fight a cholera outbreak in Mogadishu, officials said.")


@pytest.fixture(scope="module")
def clustered(tmp_path_factory):
    s = open_store(str(tmp_path_factory.mktemp("agg") / "agg.db"))
    for src, pub, text in [*STORY, LATER]:
        assert s.add_result(dyads.extract(text, published=pub, source=src), content_hash(text))
    yield s
    s.close()


def test_three_sources_one_cluster(clustered):
    aid = query.events(clustered, actor="KEN", recipient="SOM", type="AID", limit=None)
    assert len(aid) == 2, [(e.day, e.evidence) for e in aid]
    first, later = aid
    assert (first.mentions, first.sources, first.articles) == (3, 3, 3)
    assert first.day == "2025-09-01" and first.first_seen == "2025-09-03" and first.last_seen == "2025-09-04"
    links = clustered.event_mentions(first.pk)
    assert sorted(m.source for m in links) == sorted(s for s, _, _ in STORY)
    assert all("aid" in m.evidence for m in links) and len({m.article_id for m in links}) == 3
    # the later, different happening stays its own cluster
    assert (later.sources, later.mentions) == (1, 1) and later.day == "2025-11-11"


def test_rules_dates():
    d = ref_date
    assert dates_compatible(d("2025-03-10", "day"), d("2025-03-13", "day"))
    assert not dates_compatible(d("2025-03-10", "day"), d("2025-03-14", "day"))
    assert dates_compatible(d("2025-03", "month"), d("2025-03-28", "day"))
    assert not dates_compatible(d("2025-03", "month"), d("2025-04-01", "day"))
    assert dates_compatible(d("2025", "year"), d("2025-12", "month"))
    assert dates_compatible(None, d("2025-03-10", "day"))
    assert ref_date("2025-02-30", "day") is None  # not a date -> unknown


def test_rules_evidence():
    a = tokens("Chile accused Peru of blocking ships in its ports.")
    b = tokens("Chilean officials accused Peru of blocking vessels in its ports.")
    assert jaccard(a, b) >= 0.2
    assert jaccard(a, tokens("Floods destroyed crops along the river.")) < 0.2
    assert lemma("accused") == lemma("accuses") == lemma("accusing") == "accus"
    assert lemma("stopped") == lemma("stops") == "stop"


def test_mutual_act_told_in_either_order_is_one_cluster(tmp_path):
    """'A and B signed' makes A the actor and B the recipient; 'B and A signed' the reverse. For acts
    two parties do with each other the crossed sides are the same happening; for an attack they
    are not (a strike and the reply)."""
    s = open_store(str(tmp_path / "m.db"))
    texts = [("Coast Wire", "2025-05-07", "Ghana and Togo signed a border agreement in Lome on Tuesday."),
             ("Gulf Post", "2025-05-07", "Togo and Ghana on Tuesday signed an agreement on their border in Lome."),
             ("Coast Wire", "2025-05-07", "Ghanaian troops shelled Togolese positions near Aflao on Tuesday."),
             ("Gulf Post", "2025-05-07", "Togolese troops shelled Ghanaian positions near Aflao on Tuesday.")]
    for src, pub, text in texts:
        res = dyads.extract(text, published=pub, source=src)
        assert s.add_result(res, content_hash(text))
    signed = [e for e in query.events(s, limit=None) if e.type in ("SUPPORT", "AGREE")]
    assert len(signed) == 1 and signed[0].sources == 2, [(e.type, e.actor_countries, e.recipient_countries) for e in signed]
    assert set(signed[0].actor_countries) | set(signed[0].recipient_countries) == {"GHA", "TGO"}
    attacks = [e for e in query.events(s, limit=None) if e.type == "ASSAULT"]
    assert len(attacks) == 2 and {tuple(e.actor_countries) for e in attacks} == {("GHA",), ("TGO",)}
    s.close()
