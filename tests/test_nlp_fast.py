"""The compiled attribute-ruler matcher (dyads.nlp) gives exactly the stock pipeline's tokens."""
from pathlib import Path

import pytest
import spacy

from dyads import nlp

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipelines():
    return nlp.load(), spacy.load(nlp.DEFAULT_MODEL)


def _texts() -> list[str]:
    files = sorted((ROOT / "examples").glob("*/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    # the ruler's word exceptions and two-token rules (contractions, gonna, ain't), spaces, odd case
    texts.append("They ain't gonna sign it, and he didn't say whether we'll wanna go.\n\n  It's 'cause "
                 "y'all can't  wait: I'm sure she'd've known. Ca n't WON'T Gon na lemme gimme.")
    return texts


def test_compiled_matcher_is_installed(pipelines):
    fast, stock = pipelines
    assert fast.get_pipe("attribute_ruler").match is not stock.get_pipe("attribute_ruler").match
    assert "match" in vars(fast.get_pipe("attribute_ruler"))


def test_same_annotations_as_the_stock_ruler(pipelines):
    fast, stock = pipelines
    texts = _texts()
    assert len(texts) > 20
    n = 0
    for a, b in zip(fast.pipe(texts), stock.pipe(texts)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            n += 1
            assert (x.tag_, x.pos_, str(x.morph), x.lemma_, x.dep_, x.head.i, x.ent_type_) == \
                   (y.tag_, y.pos_, str(y.morph), y.lemma_, y.dep_, y.head.i, y.ent_type_), (x.text, x.i)
    assert n > 10000


def test_same_matches_as_the_stock_matcher(pipelines):
    fast, stock = pipelines
    doc = stock("He ain't gonna wait, and they can't say we didn't warn them about it.")
    ours = [(i, s, e) for i, _, s, e in fast.get_pipe("attribute_ruler").match(doc)]
    theirs = sorted({(i, s, e) for i, _, s, e in stock.get_pipe("attribute_ruler").match(doc)})
    assert ours == theirs
    assert any(e - s == 2 for _, s, e in ours)  # a two-token rule fired


def test_unsupported_pattern_keeps_the_stock_matcher():
    pipe = spacy.load(nlp.DEFAULT_MODEL)
    ruler = pipe.get_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": 3}]], {"LEMMA": "three"})
    assert nlp._fast_attribute_ruler(ruler) is False
    assert "match" not in vars(ruler)
