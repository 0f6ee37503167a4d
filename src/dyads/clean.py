"""Stage 1 — input decoding, HTML extraction and boilerplate detection.

``prepare(raw)`` turns bytes or a string into the text every offset indexes into, and
``find_boilerplate(text)`` lists the spans that are not the story (promos, bylines,
datelines, photo credits ...) with a reason. Plain text is never rewritten: boilerplate is
listed in ``removed`` and skipped by later stages, not cut out. ``story_segments`` gives
the paragraph pieces the NLP stage parses, so a boilerplate line can never merge into the
sentence after it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import BinaryInputError, EmptyInputError, InputError, InputTooLargeError, NotEnglishError
from .records import Removed

#: Largest article accepted, in characters (after decoding / HTML extraction).
MAX_CHARS = 400_000
#: Largest raw input accepted, in bytes (HTML pages carry markup, so more is allowed).
MAX_BYTES = 8_000_000

_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?)"
_DASH = r"(?:-{1,2}|–|—)"

# Whole lines that are not the story, with the reason reported in ``removed``.
_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("promo", re.compile(r"^\s*(?:CLICK|TAP) HERE\b", re.I)),
    ("promo", re.compile(r"^\s*(?:read more|related|also read|see also|more from|watch|listen|recommended|most read|trending|don't miss|more on this story)\b\s*(?:[:|»>\-–—]|$)", re.I)),
    ("promo", re.compile(r"^\s*(?:share this (?:article|story|page)|share on (?:facebook|twitter|x)|follow us on|download (?:our|the) app|get the app)\b", re.I)),
    ("promo", re.compile(r"^\s*(?:subscribe|sign up)\b.{0,80}\b(?:newsletter|updates|alerts|subscription|inbox)\b", re.I)),
    ("promo", re.compile(r"^\s*(?:this (?:article|story) (?:was )?(?:originally )?(?:appeared|published)|listen to this (?:article|story))\b", re.I)),
    ("advertisement", re.compile(r"^\s*(?:advertisement|advert|sponsored(?: content)?|ad|story continues below(?: advertisement)?|scroll to continue)\s*$", re.I)),
    ("photo credit", re.compile(r"^\s*(?:\(?(?:photo|photograph|image|picture|file photo|credit|video)s?(?: by| credit)?\s*[:/|]|\(photo by\b)", re.I)),
    ("photo credit", re.compile(r"(?:/\s*(?:AP|AFP|Reuters|Getty Images|EPA|Xinhua)(?: Photo)?\)?\s*$)|^\s*\(?(?:AP|AFP|Getty Images|Reuters|EPA) Photo", re.I)),
    ("credits", re.compile(r"^\s*\(?\s*(?:reporting|additional reporting|writing|editing|compiled) by\b", re.I)),
    ("byline", re.compile(r"^\s*By\s+(?:[A-Z][\w.'\-]*\s*){1,4}(?:(?:and|&|,)\s+(?:[A-Z][\w.'\-]*\s*){1,4})*(?:[,|]\s*[\w .]{0,40})?\s*$")),
    ("byline", re.compile(r"^\s*(?:staff writer|staff reporter|correspondent|wire staff)\s*$", re.I)),
    ("date line", re.compile(rf"^\s*(?:(?:published|updated|posted|last updated)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?{_DATE}(?:\s*(?:,|at)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?\s*$", re.I)),
    ("date line", re.compile(r"^\s*(?:published|updated|posted)\s*:?\s*\d{4}-\d{2}-\d{2}.{0,20}$", re.I)),
    ("copyright", re.compile(r"^\s*(?:©|\(c\)|copyright\b|all rights reserved)", re.I)),
]

# A dateline at the start of a paragraph: only the prefix is removed.
_DATELINE = re.compile(
    rf"^(?P<dl>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'\- ]{{1,40}}(?:,\s*[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÿ.' ]{{1,30}})?"
    rf"(?:,\s*{_DATE})?\s*(?:\([A-Za-z .&\-]{{1,40}}\))?\s*{_DASH}\s*)"
)
# A credit line glued to the end of the last paragraph: "... said. (Reporting by X; Editing by Y)"
_TRAILING_CREDITS = re.compile(r"\s*\((?:reporting|additional reporting|writing|editing) by [^)]*\)\s*$", re.I)

_DOUBLED = re.compile(r"\b([A-Za-z]+)(\s+)(\1)\b", re.I)
_DOUBLE_OK = {"had", "that", "is", "bye", "no", "very", "ha", "so"}

_EN_WORDS = set(
    "the of and to a in is was for on that with as by at from said it has have are be were "
    "this an not will but or its their his her they he she which who after over had been "
    "would also more than new two one about into president government minister people".split()
)


@dataclass
class Prepared:
    text: str
    is_html: bool
    warnings: list[str]


def decode(raw: bytes | str) -> tuple[str, list[str]]:
    """Bytes -> str. UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 with a warning.

    Raises :class:`BinaryInputError` for bytes that are not text.
    """
    warnings: list[str] = []
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > MAX_BYTES:
            raise InputTooLargeError(
                f"input is {len(raw):,} bytes; the limit is {MAX_BYTES:,}: split the file into articles")
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            if b"\x00" in raw[:65536]:
                raise BinaryInputError("input contains NUL bytes: it looks binary, not text; give a .txt or .html article")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                try:
                    text = raw.decode("cp1252")
                except UnicodeDecodeError:
                    raise BinaryInputError(
                        f"input is not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8") from None
                warnings.append("input was not valid UTF-8; decoded as Windows-1252")
    if text:
        control = sum(1 for ch in text[:20000] if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
                      and ch not in "\n\r\t\f")
        if control / min(len(text), 20000) > 0.02:
            raise BinaryInputError(
                f"input has {control} control or unassigned characters in its first 20,000: it looks binary, not text")
    return text, warnings


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|head|body|article|div|p|span|section|main|h[1-6]|br|a\s)\b", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(_HTML_HINT.search(head)) and head.lstrip().startswith("<") or len(_HTML_HINT.findall(head)) >= 3


def _paragraph_text(html: str) -> str:
    """Text of the page's <p> elements, from lxml's forgiving parser (repairs unclosed tags)."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:  # unparseable even for lxml
        return ""
    for bad in root.xpath("//script|//style|//nav|//footer|//header|//aside|//form"):
        bad.drop_tree()
    paras = []
    for p in root.iter("p"):
        t = " ".join(p.text_content().split())
        if len(t) >= 40:
            paras.append(t)
    return "\n".join(paras)


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura). Broken pages where trafilatura loses
    paragraphs fall back to the <p> text of a repaired parse, then to tag stripping."""
    text = None
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_recall=True, deduplicate=False)
    except Exception:  # trafilatura rejects some broken markup; fall back below
        text = None
    paras = _paragraph_text(html)
    if paras and (not text or len(paras) > 1.3 * len(text)):
        text = paras
    if not text or not text.strip():
        stripped = re.sub(r"(?is)<(script|style|nav|footer|header|aside)\b.*?</\1\s*>", " ", html)
        stripped = re.sub(r"(?i)<\s*(?:br|/p|/div|/h[1-6]|/li)\s*/?>", "\n", stripped)
        stripped = re.sub(r"<[^>]*>", " ", stripped)
        import html as _html

        text = _html.unescape(stripped)
        text = "\n".join(" ".join(line.split()) for line in text.splitlines())
        text = re.sub(r"\n{2,}", "\n", text).strip()
    return text


def check_english(text: str) -> None:
    """Raise :class:`NotEnglishError` for text that is clearly not English."""
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters:
        raise EmptyInputError("input has no letters: nothing to extract")
    latin = sum(1 for ch in letters if ch < "\u0250")
    words = re.findall(r"[A-Za-z]+", text[:20000].lower())
    if latin / len(letters) < 0.6:
        raise NotEnglishError("input is mostly non-Latin script; dyads reads English articles only")
    if len(words) >= 20:
        share = sum(1 for w in words if w in _EN_WORDS) / len(words)
        if share < 0.08:
            raise NotEnglishError(
                f"input does not look like English (only {share:.0%} common English words); "
                "dyads reads English articles only")


def prepare(raw: bytes | str, *, html: bool | None = None) -> Prepared:
    """Decode, extract HTML main text when needed, and validate the article text."""
    text, warnings = decode(raw)
    if not text.strip():
        raise EmptyInputError("input is empty: give an article's text or HTML")
    is_html = looks_like_html(text) if html is None else html
    if is_html:
        text = html_to_text(text)
        if not text.strip():
            raise EmptyInputError("the HTML page has no main text to extract")
    if len(text) > MAX_CHARS:
        raise InputTooLargeError(
            f"article is {len(text):,} characters; the limit is {MAX_CHARS:,}: split it or pass one article at a time")
    check_english(text)
    return Prepared(text=text, is_html=is_html, warnings=warnings)


def _lines(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield pos, body
        pos += len(line)


def find_boilerplate(text: str) -> list[Removed]:
    """Spans of ``text`` that are not the story, each with a reason."""
    removed: list[Removed] = []
    for pos, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        start, end = pos + lead, pos + lead + len(stripped)
        for reason, rx in _LINE_RULES:
            if rx.search(stripped) and len(stripped) < 300:
                removed.append(Removed(start, end, text[start:end], reason))
                break
        else:
            m = _DATELINE.match(stripped)
            if m and (re.search(_MONTHS, m.group("dl")) or "(" in m.group("dl")) and len(stripped) > len(m.group("dl")) + 20:
                dl_end = start + len(m.group("dl").rstrip())
                removed.append(Removed(start, dl_end, text[start:dl_end], "dateline"))
            t = _TRAILING_CREDITS.search(stripped)
            if t:
                s = start + t.start() + (len(t.group(0)) - len(t.group(0).lstrip()))
                removed.append(Removed(s, end, text[s:end], "credits"))
    return removed


def story_segments(text: str, removed: list[Removed]) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of each stretch of story text, paragraph by paragraph."""
    cuts = sorted((r.start, r.end) for r in removed)
    segs: list[tuple[int, int, int]] = []
    para = 0
    for pos, line in _lines(text):
        if not line.strip():
            continue
        lo, hi = pos, pos + len(line)
        pieces = [(lo, hi)]
        for cs, ce in cuts:
            nxt = []
            for a, b in pieces:
                if ce <= a or cs >= b:
                    nxt.append((a, b))
                    continue
                if cs > a:
                    nxt.append((a, cs))
                if ce < b:
                    nxt.append((ce, b))
            pieces = nxt
        emitted = False
        for a, b in pieces:
            seg = text[a:b]
            if seg.strip():
                a += len(seg) - len(seg.lstrip())
                b -= len(seg) - len(seg.rstrip())
                segs.append((a, b, para))
                emitted = True
        if emitted:
            para += 1
    return segs


def doubled_words(text: str, segments: list[tuple[int, int, int]]) -> list[str]:
    """Warnings for doubled words such as "If if" inside story text."""
    out = []
    for a, b, _ in segments:
        for m in _DOUBLED.finditer(text, a, b):
            if m.group(1).lower() in _DOUBLE_OK:
                continue
            out.append(f"doubled word {m.group(0)!r} at offset {m.start()}")
    return out


def ensure_story(text: str, segments) -> None:
    if not segments:
        raise EmptyInputError("input has no story text: every line is boilerplate or blank")


__all__ = ["MAX_CHARS", "Prepared", "prepare", "decode", "find_boilerplate", "story_segments",
           "doubled_words", "looks_like_html", "html_to_text", "check_english", "InputError"]
