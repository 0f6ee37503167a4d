import json

import dyads
from dyads.records import ArticleResult
from conftest import check_spans

STORY = ("KAMPALA, May 2 (Test Wire) - Ugandan police arrested 40 opposition supporters on Friday, "
         "a spokesman said.\nShare this article\nThe opposition leader, Sam Kato, condemned the arrests.\n")


def test_roundtrip_and_spans():
    r = dyads.extract(STORY, published="2025-05-03", title="Arrests", url="https://example.org/x")
    doc = r.to_dict()
    assert check_spans(doc) >= 3
    again = ArticleResult.from_dict(json.loads(json.dumps(doc))).to_dict()
    assert again == doc
    assert doc["text"] == STORY
    reasons = {x["reason"] for x in doc["removed"]}
    assert {"dateline", "promo"} <= reasons


def test_background_field_and_older_documents():
    doc = dyads.extract(STORY, published="2025-05-03").to_dict()
    assert all(e["background"] is False for e in doc["events"])  # Friday's arrests are news
    for e in doc["events"]:
        del e["background"]  # as written before contract field "background" existed
    assert all(e.background is False for e in ArticleResult.from_dict(doc).events)
