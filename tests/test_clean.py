import pytest

from dyads import clean
from dyads.errors import BinaryInputError, EmptyInputError, InputTooLargeError, NotEnglishError

STORY = ("Officials in the capital said the talks would continue next week after a long day of "
         "meetings between the two delegations, according to the foreign ministry.")


@pytest.mark.parametrize("line,reason", [
    ("CLICK HERE TO READ MORE FROM THE HARBOUR WIRE", "promo"),
    ("Read more: Parliament votes on budget", "promo"),
    ("Share this article", "promo"),
    ("Subscribe to our newsletter for daily updates", "promo"),
    ("Advertisement", "advertisement"),
    ("Photo: Jane Doe / Harbour Wire", "photo credit"),
    ("(Reporting by Jane Roe; Editing by Tom Poe)", "credits"),
    ("By Staff Writer", "byline"),
    ("By Maria Lopez and Ken Ito", "byline"),
    ("June 24, 2025", "date line"),
])
def test_boilerplate_lines(line, reason):
    text = f"{line}\n{STORY}\n"
    removed = clean.find_boilerplate(text)
    assert [(r.text, r.reason) for r in removed] == [(line, reason)]
    segs = clean.story_segments(text, removed)
    assert [text[a:b] for a, b, _ in segs] == [STORY]


def test_dateline_keeps_story_after_it():
    text = f"MANILA, March 4 (Wire) - {STORY}"
    removed = clean.find_boilerplate(text)
    assert [(r.text, r.reason) for r in removed] == [("MANILA, March 4 (Wire) -", "dateline")]
    (a, b, _), = clean.story_segments(text, removed)
    assert text[a:b] == STORY


def test_trailing_credits_cut_from_paragraph():
    text = f"{STORY} (Reporting by Jane Roe; Editing by Tom Poe)"
    removed = clean.find_boilerplate(text)
    assert removed[0].reason == "credits"
    (a, b, _), = clean.story_segments(text, removed)
    assert text[a:b] == STORY


def test_story_lines_are_not_boilerplate():
    lines = ["By the end of the week, the army had withdrawn from the town.",
             "Read the full statement, the minister told reporters, and you will see the truth.",
             "The president said on June 24, 2025 that the deal was done."]
    for line in lines:
        assert clean.find_boilerplate(line) == [], line


def test_paragraphs_never_merge():
    text = "Share this article\nThe minister resigned on Monday."
    segs = clean.story_segments(text, clean.find_boilerplate(text))
    assert [text[a:b] for a, b, _ in segs] == ["The minister resigned on Monday."]


def test_doubled_words_flagged():
    text = "If if it comes to fruition, the treaty would replace the old one."
    warnings = clean.doubled_words(text, [(0, len(text), 0)])
    assert len(warnings) == 1 and "If if" in warnings[0]
    assert clean.doubled_words("He said that that was all.", [(0, 26, 0)]) == []


def test_decode_rejects_binary_and_accepts_cp1252():
    with pytest.raises(BinaryInputError):
        clean.decode(bytes(range(256)) * 10)
    text, warnings = clean.decode("Caf\xe9 talks resumed".encode("cp1252"))
    assert text == "Café talks resumed" and warnings


def test_prepare_errors():
    with pytest.raises(EmptyInputError):
        clean.prepare("   \n ")
    with pytest.raises(InputTooLargeError):
        clean.prepare("word " * (clean.MAX_CHARS // 4))
    with pytest.raises(NotEnglishError):
        clean.prepare("Le gouvernement a annoncé mardi que les négociations avec les syndicats "
                      "reprendront la semaine prochaine dans la capitale selon le ministre du travail.")
    with pytest.raises(NotEnglishError):
        clean.prepare("Правительство объявило во вторник, что переговоры возобновятся на следующей неделе.")


def test_html_main_text_extracted():
    html = ("<html><head><title>x</title><script>alert(1)</script></head><body><nav>Home | World</nav>"
            f"<article><h1>Talks</h1><p>{STORY}</p><p>The ministers met again on Tuesday in the capital "
            "and agreed to keep talking about the border.</p></article><footer>Copyright 2025</footer></body></html>")
    prepared = clean.prepare(html)
    assert prepared.is_html
    assert "agreed to keep talking" in prepared.text
    assert "alert(1)" not in prepared.text


def test_malformed_html_falls_back():
    html = "<html><body><div><p>" + STORY + "<p>The ministers met on Tuesday.<div></span>"
    prepared = clean.prepare(html)
    assert "ministers met on Tuesday" in prepared.text


def test_dateline_with_accented_city():
    text = "BOGOTÁ, Sept 10 (Andes Press Agency) - Thousands of teachers marched through the capital on Tuesday."
    removed = clean.find_boilerplate(text)
    assert [r.text for r in removed] == ["BOGOTÁ, Sept 10 (Andes Press Agency) -"]
