"""When did each event happen: time expressions and event dates.

Self-contained (stdlib + spaCy objects).  Nothing here searches free text for
dates: time expressions come from spaCy ``DATE`` entities (plus resolvable
``TIME`` entities such as "this morning"/"last night") and from a few token
rules for what the small model misses (a bare weekday "warned Monday",
"today"/"yesterday", a capitalised month name, "in 2019", ISO dates).  Each
expression is then resolved by :func:`resolve_expression`, which only accepts
whole-expression patterns, so words like "we" or "may" never become dates.

Resolution is relative to the publication date ``published`` (a
``datetime.date``); with ``published=None`` only absolute dates (with a year)
resolve.  Precision is always one of ``day``, ``month`` or ``year``.

Choices made for ambiguous cases
--------------------------------
* Bare weekday ("Monday", "on Monday", "Monday night", "early Monday"): the
  most recent such day on or before publication (a Tuesday article's "Tuesday"
  is the publication day).  In a future-tense clause: the first such day
  strictly after publication.
* "last <weekday>": that weekday in the previous calendar (ISO, Monday-first)
  week.  Published Tue 2024-06-18: "last Monday" -> 2024-06-10, "last Tuesday"
  -> 2024-06-11, "last Sunday" -> 2024-06-16.
* "next <weekday>": the first such day strictly after publication ("next
  Monday" from Tue 2024-06-18 -> 2024-06-24).  "this <weekday>" behaves like
  the bare weekday.
* "last week" / "this week" / "next week": a week is not a precision, so these
  give the month (precision ``month``) of the Monday of that week.
* "the weekend", "over the weekend", "last weekend": the most recent Saturday
  on or before publication (``day``); "this/next weekend" in a future clause
  -> the next Saturday after publication.
* "N days ago" -> ``day``; "N weeks ago" -> month of that day; "N months ago"
  -> ``month``; "N years ago" -> ``year``.
* Month name without a year: the most recent such month not after the
  publication month (future clause: the next such month not before it).
  "last March" -> most recent March strictly before the publication month;
  "next March" -> first March strictly after it.
* "would" without "have" ("said it would hold talks on Monday") counts as
  future for resolving the expression (future-in-the-past), but a "would"
  clause with no expression still gets no default date.
* Day and month without a year ("March 4", "4 March"): the year that puts the
  date nearest on or before publication (future clause: on or after).
  Ambiguous numeric forms ("4/3") are not resolved.
* Durations, spans, decades and lists ("two-day", "for three days", "over two
  decades", "the last couple of weeks", "the past two weeks", "the 1990s",
  "1961, 2000, and 2001") resolve to ``(None, None)``.  They are still
  returned by :func:`time_expressions` (with ``date=None``) but never date an
  event.  Expressions governed by "since", "for", "until", "through", ... mark
  the edge of a period, not the event itself, and are skipped by
  :func:`event_date`.

Event dates (:func:`event_date`)
--------------------------------
Only time expressions in the trigger's own clause count: from the trigger walk
up through non-clausal links (xcomp, aux, prep, pcomp, pobj, dobj, ...) to the
clause head; the clause is the head's subtree minus embedded clauses (ccomp,
relcl, advcl, acl, parataxis, csubj, conj).  Among the clause's resolved
expressions, those attached to the trigger adverbially win, then those below
the trigger, then the one nearest to it in the tree.  An expression that
modifies another noun ("the 1951 treaty", "the treaties of 1961", a dateline
"QUITO, March 4 -") never dates a verb; a temporal PP on another noun ("the
attack on Tuesday killed ...") does, as a last resort, unless the verb is in
the present tense.
Expressions governed by "since", "for", "until", ... are skipped.

A past-tense verb with no point in time of its own that spans a closed period
("occupied the islands from 1895 until 1945", "ruled between 1841 and 1997",
"from 1910 to 1945") takes the period's end (``1945``, ``year``): the last time
the happening held, so an old happening keeps an old date (and
:func:`is_background` can tell history from news).  A period still open
("since 2019", "from 1895" alone, "until 1945" alone) or ending after
publication dates nothing.

Background events (:func:`mark_background`)
-------------------------------------------
After dating, an event whose date lies more than a year (365 days) before
publication is ``background``: history the story recalls, not news.  The date
counts from the latest day it can mean (``2023`` is 2023-12-31, ``2023-05`` is
2023-05-31), so only clearly old events qualify; an event without a date, or in
an article without a publication date, is never background.

A conjoined verb with no expression of its own shares an expression fronted
before the first conjunct ("On Tuesday, troops crossed ... and others
responded by firing" -> all three on Tuesday).

With no expression, a verb in the simple present, present progressive or
present perfect takes the publication date (``day``), unless it is future or
modal, its clause holds a duration or period bound ("for two decades", "since
2019"), or it is reported under a non-present verb ("X said that the move
represents ...": the reported clause inherits nothing).  Everything else -
past tense, past perfect, infinitives, noun triggers - gets
``(None, None, None)``.  Lists of dates ("1961, 2000, and 2001") resolve to
nothing.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

__all__ = ["TimeExpr", "resolve_expression", "time_expressions", "event_date", "latest_day", "is_background",
           "mark_background", "BACKGROUND_DAYS"]


@dataclass
class TimeExpr:
    start: int  # character offsets within the spaCy Doc (token.idx based)
    end: int
    text: str
    date: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    precision: str | None  # "day" | "month" | "year"
    period: bool = False  # the end of a closed period ("from 1895 until 1945"), see event_date


# ---------------------------------------------------------------- vocabulary

WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                "fri": 4, "sat": 5, "sun": 6}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
              "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "a couple of": 2, "couple of": 2, "a few": 3, "several": None}

_MONTH_RE = "|".join(sorted(list(MONTHS) + list(MONTH_ABBR), key=len, reverse=True))
_WDAY_RE = "|".join(sorted(list(WEEKDAYS) + list(WEEKDAY_ABBR), key=len, reverse=True))
_YEAR_RE = r"(1[89]\d\d|2[01]\d\d)"
_DAYNUM_RE = r"([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|overnight))?"
_NUM_RE = r"(\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + ")"

# Leading words that do not change the resolved date.
_PREFIX_RE = re.compile(
    r"^(?:on|in|at|during|around|about|by|from|of|as early as|as late as|"
    r"earlier|later|early|late|mid-|mid|"
    r"the (?:end|beginning|start|middle|first half|second half|first week|second week|"
    r"third week|last week|final week|first days|last days|final days) of)\s*",
)
# Prepositions that make an expression a bound of a period rather than the event time.
_BOUND_PREPS = {"since", "for", "until", "till", "til", "through", "throughout", "within",
                "after", "before", "between", "from"}

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
_MODAL_AUX = {"would", "could", "might", "may", "should", "must", "can", "ca", "ought", "'d"}
_FUTURE_HEADS = {"due", "set", "schedule", "scheduled", "plan", "plans", "planned", "planning",
                 "expect", "expected", "go", "going", "intend", "intends", "poised", "slate",
                 "slated"}

# Dependency labels that start a clause of its own.
_CLAUSE_DEPS = {"ccomp", "relcl", "advcl", "acl", "parataxis", "csubj", "csubjpass", "conj",
                "ROOT"}


def _norm(text: str) -> str:
    t = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = t.lower().strip()
    t = re.sub(r"'s$", "", t)
    t = re.sub(r"[.,;:]+$", "", t).strip()
    t = re.sub(r"\s+", " ", t)
    return t


def _num(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _weekday(word: str) -> int | None:
    word = word.rstrip(".")
    return WEEKDAYS.get(word, WEEKDAY_ABBR.get(word))


def _month(word: str) -> int | None:
    word = word.rstrip(".")
    return MONTHS.get(word, MONTH_ABBR.get(word))


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _day(d: datetime.date):
    return d.isoformat(), "day"


def _monthof(d: datetime.date):
    return _ym(d.year, d.month), "month"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _monday(d: datetime.date) -> datetime.date:
    return d - datetime.timedelta(days=d.weekday())


def _safe_date(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


# ---------------------------------------------------------------- resolution

def resolve_expression(text: str, published: datetime.date | None, *,
                       future: bool = False) -> tuple[str | None, str | None]:
    """One time expression (e.g. "on Tuesday", "last week", "early January",
    "March 3, 2024", "2019") -> (date, precision).

    ``future=True`` when the expression belongs to a future-tense clause
    ("will meet on Monday"): relative weekday and month names then resolve to
    the next occurrence after publication.  Unrecognised expressions and
    durations give ``(None, None)``.
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    if re.search(r"\b(?:may|march)\b", text):
        return None, None  # lowercase "may"/"march" are a modal and a verb, never months
    t = _norm(text)
    prev = None
    while t != prev:  # strip leading words that do not move the date
        prev = t
        t = _PREFIX_RE.sub("", t, count=1).strip()
    if not t:
        return None, None
    r = _absolute(t)
    if r is not None:
        return r
    if published is None:
        return None, None
    r = _relative(t, published, future)
    return r if r is not None else (None, None)


def _absolute(t: str):
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _day(d) if d else (None, None)
    m = re.fullmatch(r"(\d{4})-(\d{2})", t)
    if m and 1 <= int(m[2]) <= 12:
        return _ym(int(m[1]), int(m[2])), "month"
    # optional leading weekday: "Tuesday, June 11, 2024"
    t2 = re.sub(rf"^(?:{_WDAY_RE})\.?,?\s+(?=\S)", "", t)
    # "March 4, 2024" / "March 4th 2024"
    m = re.fullmatch(rf"({_MONTH_RE})\.? {_DAYNUM_RE},? {_YEAR_RE}", t2)
    if m:
        d = _safe_date(int(m[3]), _month(m[1]), int(m[2]))
        return _day(d) if d else (None, None)
    # "4 March 2024" / "the 4th of March, 2024"
    m = re.fullmatch(rf"(?:the )?{_DAYNUM_RE} (?:of )?({_MONTH_RE})\.?,? {_YEAR_RE}", t2)
    if m:
        d = _safe_date(int(m[3]), _month(m[2]), int(m[1]))
        return _day(d) if d else (None, None)
    # "March 2023", "March of 2023", "March, 2023"
    m = re.fullmatch(rf"({_MONTH_RE})\.?,? (?:of )?{_YEAR_RE}", t2)
    if m:
        return _ym(int(m[2]), _month(m[1])), "month"
    # "2019", "the year 2019", "summer 2019", "the summer of 2019"
    m = re.fullmatch(rf"(?:the )?(?:(?:year|spring|summer|autumn|fall|winter)(?: of)? )?{_YEAR_RE}", t2)
    if m:
        return m[1], "year"
    return None


def _relative(t: str, pub: datetime.date, future: bool):
    one = datetime.timedelta(days=1)
    pod = _PART_OF_DAY
    if re.fullmatch(rf"(?:today|tonight|this (?:morning|afternoon|evening)|(?:today|tonight){pod}|overnight|now)", t):
        return _day(pub)
    if re.fullmatch(rf"(?:yesterday{pod}|last night|last evening|overnight yesterday)", t):
        return _day(pub - one)
    if re.fullmatch(rf"tomorrow{pod}", t):
        return _day(pub + one)
    if re.fullmatch(r"(?:the )?day before yesterday", t):
        return _day(pub - 2 * one)
    if re.fullmatch(r"(?:the )?day after tomorrow", t):
        return _day(pub + 2 * one)

    # weekdays
    m = re.fullmatch(rf"(?:(last|next|this|this past|this coming|past|coming) )?({_WDAY_RE})\.?{pod}", t)
    if m:
        mod, wd = m[1], _weekday(m[2])
        if mod == "last":
            return _day(_monday(pub) - 7 * one + wd * one)
        if mod in ("next", "this coming", "coming") or (future and mod in (None, "this")):
            delta = (wd - pub.weekday()) % 7 or 7
            return _day(pub + delta * one)
        delta = (pub.weekday() - wd) % 7
        return _day(pub - delta * one)

    # weekends
    m = re.fullmatch(r"(?:(?:over|during|at) )?(the|this|last|next|this past|this coming|past) weekend", t)
    if m:
        mod = m[1]
        if mod in ("next", "this coming") or (future and mod in ("the", "this")):
            delta = (5 - pub.weekday()) % 7 or 7
            return _day(pub + delta * one)
        delta = (pub.weekday() - 5) % 7
        return _day(pub - delta * one)

    # weeks
    m = re.fullmatch(r"(last|this|next|this past|past) week", t)
    if m and m[1] != "past":
        k = {"last": -1, "this past": -1, "this": 0, "next": 1}[m[1]]
        return _monthof(_monday(pub) + datetime.timedelta(weeks=k))

    # months / years relative
    m = re.fullmatch(r"(last|this|next|this past) (month|year)", t)
    if m:
        k = {"last": -1, "this past": -1, "this": 0, "next": 1}[m[1]]
        if m[2] == "month":
            y, mo = _shift_month(pub.year, pub.month, k)
            return _ym(y, mo), "month"
        return str(pub.year + k), "year"

    # "three days ago", "a week ago", "two months ago", "a year ago"
    m = re.fullmatch(rf"{_NUM_RE} (day|week|month|year)s? ago", t)
    if m:
        n = _num(m[1])
        if n is None:
            return None
        if m[2] == "day":
            return _day(pub - n * one)
        if m[2] == "week":
            return _monthof(pub - datetime.timedelta(weeks=n))
        if m[2] == "month":
            y, mo = _shift_month(pub.year, pub.month, -n)
            return _ym(y, mo), "month"
        return str(pub.year - n), "year"

    t2 = re.sub(rf"^(?:{_WDAY_RE})\.?,?\s+(?=\S)", "", t)
    # "March 4", "March 4th", "4 March", "the 4th of March"
    m = re.fullmatch(rf"({_MONTH_RE})\.? {_DAYNUM_RE}", t2)
    dm = (int(m[2]), _month(m[1])) if m else None
    if dm is None:
        m = re.fullmatch(rf"(?:the )?{_DAYNUM_RE} (?:of )?({_MONTH_RE})\.?", t2)
        dm = (int(m[1]), _month(m[2])) if m else None
    if dm is not None:
        d, mo = dm
        cand = [c for c in (_safe_date(pub.year + k, mo, d) for k in (-1, 0, 1)) if c]
        if future:
            cand = [c for c in cand if c >= pub]
            best = min(cand) if cand else None
        else:
            cand = [c for c in cand if c <= pub]
            best = max(cand) if cand else None
        return _day(best) if best else None

    # month name: "March", "last March", "next March"
    m = re.fullmatch(rf"(?:(last|next|this|this past|this coming|past|coming) )?({_MONTH_RE})\.?", t)
    if m:
        mod, mo = m[1], _month(m[2])
        if mod in ("last", "this past", "past"):
            y = pub.year if mo < pub.month else pub.year - 1
        elif mod in ("next", "this coming", "coming"):
            y = pub.year if mo > pub.month else pub.year + 1
        elif future:
            y = pub.year if mo >= pub.month else pub.year + 1
        else:
            y = pub.year if mo <= pub.month else pub.year - 1
        return _ym(y, mo), "month"
    return None


# ---------------------------------------------------------------- tense

def _low(tok) -> str:
    return tok.text.lower().replace("\u2019", "'")


def _auxes(tok):
    return [c for c in tok.children if c.dep_ in ("aux", "auxpass")]


def _tense(tok, _depth: int = 0) -> str:
    """future | modal | present | perfect | pastperfect | past | nonfinite."""
    auxes = _auxes(tok)
    words = {_low(a) for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if words & _MODAL_AUX:
        return "modal"
    # "is due to / set to / plans to / is going to" + infinitive
    if tok.dep_ == "xcomp" and any(_low(a) == "to" for a in auxes):
        head = tok.head
        if head.lemma_.lower() in _FUTURE_HEADS or _low(head) in _FUTURE_HEADS:
            ht = _tense(head, _depth + 1) if _depth < 5 else "nonfinite"
            return "modal" if ht in ("modal", "past", "pastperfect") else "future"
        if _depth < 5 and _tense(head, _depth + 1) == "future":
            return "future"
        return "nonfinite"
    # shared auxiliaries in VP coordination: "has condemned and promised"
    if tok.dep_ == "conj" and not auxes and tok.tag_ in ("VBN", "VB", "VBG") and _depth < 5:
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return _tense(tok.head, _depth + 1)
    # gerund complements: "responded by firing"
    if tok.tag_ == "VBG" and not auxes and tok.dep_ in ("pcomp", "xcomp", "advcl") and _depth < 5:
        head = tok.head.head if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" else tok.head
        if head.pos_ in ("VERB", "AUX"):
            return _tense(head, _depth + 1)
        return "nonfinite"
    have = [a for a in auxes if a.lemma_.lower() == "have" or _low(a) in ("has", "have", "had", "'ve")]
    if have:
        if any(_low(a) == "had" or a.tag_ == "VBD" for a in have):
            return "pastperfect"
        return "perfect"
    finite = auxes[0] if auxes else tok
    if any(_low(a) == "to" for a in auxes):
        return "nonfinite"
    if finite.tag_ in ("VBZ", "VBP"):
        return "present"
    if finite.tag_ == "VBD":
        return "past"
    if finite.tag_ == "MD":
        return "modal"
    return "nonfinite"


def _governing_verb(tok):
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass"):
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _is_future_at(tok) -> bool:
    """Resolve ``tok``'s expression forwards: future tense, or future-in-the-past
    "would" without "have" ("said it would hold talks on Monday")."""
    v = _governing_verb(tok)
    if v is None:
        return False
    t = _tense(v)
    if t == "future":
        return True
    if t == "modal":
        words = {_low(a) for a in _auxes(v)}
        return bool(words & {"would", "'d"}) and not words & {"have", "'ve"}
    return False


# ---------------------------------------------------------------- finding expressions

def _is_month_token(tok) -> bool:
    if _month(tok.text.lower()) is None or not tok.text[:1].isupper():
        return False
    if tok.tag_ == "MD" or tok.pos_ in ("AUX", "VERB"):
        return False
    low = tok.text.lower().rstrip(".")
    if low in MONTH_ABBR and not tok.text.endswith(".") and tok.text.lower() not in MONTHS:
        return False  # "Jan" alone is too ambiguous
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    prv = tok.nbor(-1) if tok.i > 0 else None
    nxt_num = nxt is not None and re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?", nxt.text) is not None
    prv_cue = prv is not None and prv.lower_ in ("in", "early", "late", "mid", "since", "until",
                                                    "by", "of", "last", "next", "this", "during")
    prv_num = prv is not None and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", prv.text) is not None
    if low in ("may", "march") and not (nxt_num or prv_cue or prv_num):
        return False
    return tok.tag_ in ("NNP", "NNPS") or nxt_num or prv_cue or prv_num


def _extend(doc, a: int, b: int, lo: int, hi: int) -> tuple[int, int]:
    """Grow token range [a, b) over date modifiers (last/next/this/early/late, part of day)."""
    while a > lo and doc[a - 1].lower_ in ("last", "next", "this", "early", "late", "mid", "past", "coming"):
        a -= 1
    if b < hi and doc[b].lower_ in ("morning", "afternoon", "evening", "night"):
        b += 1
    return a, b


_NAMED_DAY_WORDS = {"good", "black", "bloody", "holy", "super", "ash", "cyber", "palm", "easter",
                    "maundy", "shrove", "giving"}


def _named_day(doc, i: int) -> bool:
    """ "Good Friday", "Black Monday", "Bloody Sunday": a name, not a date."""
    return (i > 0 and doc[i - 1].lower_ in _NAMED_DAY_WORDS and doc[i - 1].text[:1].isupper()
            and _weekday(doc[i].lower_) is not None)


def _token_rules(span, covered: set[int]):
    """Token ranges (start, end) for time words the small model misses."""
    doc = span.doc
    lo, hi = span.start, span.end
    out = []
    i = lo
    while i < hi:
        tok = doc[i]
        if i in covered:
            i += 1
            continue
        low = _low(tok)
        rng = None
        if tok.ent_type_ and tok.ent_type_ not in ("DATE", "TIME"):
            i += 1  # "the Sunday Times", "the Good Friday Agreement", "Bloody Sunday"
            continue
        if low in ("today", "yesterday", "tomorrow", "tonight"):
            rng = _extend(doc, i, i + 1, lo, hi)
        elif (low in ("last", "this", "next") and i + 1 < hi
              and doc[i + 1].lower_ in ("night", "morning", "afternoon", "evening", "week",
                                         "weekend", "month", "year")
              and not (i > lo and doc[i - 1].lower_ in ("the", "over", "past", "for", "within"))):
            rng = (i, i + 2)  # "last night" etc. missed by the model; "the last week" is a span
        elif low in WEEKDAYS and tok.text[:1].isupper() and not _named_day(doc, i):
            rng = _extend(doc, i, i + 1, lo, hi)
        elif _is_month_token(tok):
            a, b = i, i + 1
            if a > lo and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", doc[a - 1].text):
                a -= 1
            if b < hi and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", doc[b].text):
                b += 1
            if b + 1 < hi and doc[b].text == "," and re.fullmatch(_YEAR_RE, doc[b + 1].text):
                b += 2
            elif b < hi and re.fullmatch(_YEAR_RE, doc[b].text):
                b += 1
            elif b + 1 < hi and doc[b].lower_ == "of" and re.fullmatch(_YEAR_RE, doc[b + 1].text):
                b += 2
            rng = _extend(doc, a, b, lo, hi)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", tok.text):
            rng = (i, i + 1)
        elif (re.fullmatch(_YEAR_RE, tok.text) and tok.dep_ == "pobj"
              and tok.head.lower_ in ("in", "during", "of")):
            rng = (i, i + 1)
        if rng and not any(j in covered for j in range(*rng)):
            out.append(rng)
            covered.update(range(*rng))
            i = rng[1]
        else:
            i += 1
    return out


def _expressions(span, published):
    """[(TimeExpr, root token)] for a sentence span, in text order."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    doc = span.doc
    found = []
    covered: set[int] = set()
    ents = list(span.ents)
    merged = []
    for i, ent in enumerate(ents):
        # "Tuesday" + "evening": one expression, attached where "evening" is
        if merged and ent.label_ == "TIME" and merged[-1].label_ == "DATE" and merged[-1].end == ent.start \
                and ent.text.lower() in ("morning", "afternoon", "evening", "night", "tonight"):
            merged[-1] = doc[merged[-1].start:ent.end]
            merged[-1].label_ = "DATE"
            continue
        merged.append(ent)
    for ent in merged:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        a, b = ent.start, ent.end
        if b - a == 1 and _low(doc[a]) in ("may", "we"):
            continue
        if _named_day(doc, a):
            covered.update(range(a, b))
            continue
        date, prec = resolve_expression(ent.text, published, future=_is_future_at(ent.root))
        if ent.label_ == "TIME" and date is None:
            continue  # "two hours", "noon": not a date
        found.append((a, b))
        covered.update(range(a, b))
    found.extend(_token_rules(span, covered))
    found.sort()
    # lists of dates ("1961, 2000, and 2001", "2019 and 2023") name no single event time
    # (chains of resolvable expressions joined by commas with at least one "and"/"or";
    #  "on Tuesday, the second day of ..." is an apposition, not a list)
    resolved = [resolve_expression(doc[a:b].text, published)[0] is not None for a, b in found]
    in_list: set[int] = set()
    k = 0
    while k < len(found):
        chain, has_cc = [k], False
        while chain[-1] + 1 < len(found):
            j = chain[-1] + 1
            gap = doc[found[j - 1][1]:found[j][0]]
            if not (resolved[j - 1] and resolved[j] and len(gap)
                    and all(t.lower_ in (",", "and", "or", "&", "as", "well") for t in gap)):
                break
            has_cc = has_cc or any(t.lower_ in ("and", "or", "&") for t in gap)
            chain.append(j)
        if len(chain) > 1 and has_cc:
            in_list.update(chain)
        k = chain[-1] + 1
    out = []
    for k, (a, b) in enumerate(found):
        sp = doc[a:b]
        # trim a trailing possessive/punctuation so offsets stay on the words
        end_char = sp.end_char
        text = doc.text[sp.start_char:end_char]
        if text.endswith(("'s", "\u2019s")):
            end_char -= 2
        text = doc.text[sp.start_char:end_char].rstrip(" ,.")
        end_char = sp.start_char + len(text)
        date, prec = resolve_expression(text, published, future=_is_future_at(sp.root))
        if k in in_list:
            date = prec = None
        out.append((TimeExpr(sp.start_char, end_char, text, date, prec), sp.root))
    return out


def time_expressions(span, published) -> list[TimeExpr]:
    """All time expressions in a spaCy sentence Span, each resolved.

    Durations and other unresolvable expressions are included with
    ``date=None``; they never date an event.
    """
    return [te for te, _ in _expressions(span, published)]


# ---------------------------------------------------------------- event dates

def _clause_head(tok):
    cur = tok
    for _ in range(50):
        if cur.dep_ in _CLAUSE_DEPS or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _clause_tokens(head) -> set[int]:
    keep: set[int] = set()
    stack = [head]
    while stack:
        t = stack.pop()
        keep.add(t.i)
        for c in t.children:
            if c.dep_ in _CLAUSE_DEPS:
                continue
            stack.append(c)
    return keep


def _tree_distance(a, b) -> int:
    up = {}
    cur, d = a, 0
    while True:
        up[cur.i] = d
        if cur.head.i == cur.i:
            break
        cur, d = cur.head, d + 1
    cur, d = b, 0
    while cur.i not in up:
        if cur.head.i == cur.i:
            return 10_000
        cur, d = cur.head, d + 1
    return d + up[cur.i]


def _descends(tok, anc) -> bool:
    cur = tok
    for _ in range(50):
        if cur.i == anc.i:
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _is_bound(root) -> bool:
    """The expression hangs off "since", "for", "until", ... (a period edge)."""
    cur = root
    for _ in range(3):
        if cur.dep_ == "prep" or cur.lower_ in _BOUND_PREPS:
            return cur.lower_ in _BOUND_PREPS
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.dep_ == "prep" or cur.pos_ == "ADP":
            return cur.lower_ in _BOUND_PREPS
    return False


_TEMPORAL_PREPS = {"on", "in", "at", "during", "over", "early", "late"}


def _noun_link(root, trigger) -> str | None:
    """How the expression at ``root`` reaches the trigger: None (adverbially, or
    it modifies the trigger itself), "pp" (a temporal PP on another noun, "the
    attack on Tuesday"), "obj_pp" (the same on the trigger's object - usually a
    misattached adverbial: "summoned the ambassador on Tuesday") or "other"
    (a modifier of another noun: "the 1951 treaty", "the treaties of 1961",
    "the third summons this year")."""
    prep = None
    cur = root
    for _ in range(8):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ == "pobj" and cur.head.pos_ == "ADP":
            prep = cur.head
        cur = cur.head
        if cur.i == trigger.i or cur.pos_ in ("VERB", "AUX"):
            return None
        if cur.pos_ in ("NOUN", "PROPN", "PRON"):
            if prep is not None and prep.lower_ in _TEMPORAL_PREPS and prep.head.i == cur.i:
                if cur.dep_ in ("dobj", "nsubj", "nsubjpass") and cur.head.i == trigger.i:
                    return "obj_pp"
                return "pp"
            return "other"
    return None


def _candidates(exprs, tokens: set[int], trigger=None):
    out = []
    is_verb = trigger is not None and trigger.pos_ in ("VERB", "AUX")
    for te, root in exprs:
        if te.date is None or root.i not in tokens or _is_bound(root):
            continue
        link = _noun_link(root, trigger) if is_verb else None
        if link == "other":
            continue  # dates another thing: "the 1951 treaty would be invoked"
        if link == "pp" and trigger.tag_ in ("VBZ", "VBP"):
            continue  # "the treaties of 1961 remain" - a present state keeps its own time
        out.append((te, root, 0 if link in (None, "obj_pp") else 1))
    return out


def event_date(trigger, published):
    """The date of the event whose trigger is spaCy Token ``trigger``.

    Returns ``(date, precision, TimeExpr | None)``.
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    sent = trigger.sent
    # one sentence's time expressions serve all its events (cached on the parse)
    cache = trigger.doc.user_data.setdefault("dyads_time_exprs", {})
    key = (sent.start, sent.end, published)
    exprs = cache.get(key)
    if exprs is None:
        exprs = cache[key] = _expressions(sent, published)
    head = _clause_head(trigger)
    shift = _offset_clause(head)
    if shift is not None:
        # "two days after officers detained the president": the main event's day minus two
        main, days = shift
        d, precision, _ = event_date(main, published)
        if d and precision == "day":
            return (datetime.date.fromisoformat(d) + datetime.timedelta(days=days)).isoformat(), "day", None
    clause = _clause_tokens(head)
    cands = _candidates(exprs, clause, trigger)
    if not cands and head.dep_ == "conj":
        first = head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        fronted = [(te, r) for te, r, _ in _candidates(exprs, _clause_tokens(first), first)
                   if r.i < first.i and te.end <= first.idx]
        if fronted:
            te = fronted[-1][0]
            return te.date, te.precision, te
    if cands:
        # expressions hanging off the trigger itself first, then the nearest in the tree
        te = min(cands, key=lambda c: (c[2], not _descends(c[1], trigger),
                                       _tree_distance(trigger, c[1]), c[0].start))[0]
        return te.date, te.precision, te
    if trigger.pos_ in ("VERB", "AUX") and _tense(trigger) in ("past", "pastperfect"):
        period = _closed_period(exprs, clause, trigger, published)
        if period is not None:
            return period.date, period.precision, period
    if published is None or trigger.pos_ not in ("VERB", "AUX"):
        return None, None, None
    # a duration or period bound in the clause ("for two decades", "since 2019") implies another time
    other_time = any(root.i in clause and (te.date is None or _is_bound(root)) for te, root in exprs)
    if _tense(trigger) in ("present", "perfect") and not other_time and not _reported_in_past(head):
        return published.isoformat(), "day", None
    return None, None, None


_PERIOD_END_PREPS = {"until", "till", "til", "to", "through"}
_PERIOD_SPAN = re.compile(r"^(?:(from|between)\s+)?(.+?)\s*(?:\s(to|until|till|through|and)\s|-|\u2013)\s*(.+)$",
                          re.IGNORECASE)


def _governing_prep(root) -> str | None:
    """The preposition an expression hangs off ("until" for "until 1945"), within three links."""
    cur = root
    for _ in range(3):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.dep_ == "prep" or cur.pos_ == "ADP":
            return cur.lower_
    return None


def _closed_period(exprs, clause: set[int], trigger, published) -> TimeExpr | None:
    """The end of a closed period the trigger's clause spans ("occupied the islands from 1895 until
    1945", "ruled between 1841 and 1997", "from 1910 to 1945"), as a :class:`TimeExpr` with
    ``period=True``; None without one, or when it would end after publication."""
    starts, ends = [], []
    for te, root in exprs:
        if root.i not in clause or _noun_link(root, trigger) is not None:
            continue
        if te.date is not None:
            prep = _governing_prep(root)
            if prep == "from":
                starts.append(te)
            elif prep in _PERIOD_END_PREPS:
                ends.append(te)
            continue
        m = _PERIOD_SPAN.match(te.text)  # one entity for the whole span: "1910 to 1945"
        if m is None or (m[3] or "").lower() == "and" and (m[1] or "").lower() != "between":
            continue
        a = resolve_expression(m[2], published)
        b = resolve_expression(m[4], published)
        if a[0] is not None and b[0] is not None:
            starts.append(TimeExpr(te.start, te.end, te.text, *a))
            ends.append(TimeExpr(te.start, te.end, te.text, *b))
    if not starts or not ends:
        return None
    start = min(starts, key=lambda t: latest_day(t.date, t.precision) or datetime.date.max)
    end = max(ends, key=lambda t: latest_day(t.date, t.precision) or datetime.date.min)
    first, last = latest_day(start.date, start.precision), latest_day(end.date, end.precision)
    if first is None or last is None or last < first:
        return None
    if published is not None and end.date > published.isoformat()[:len(end.date)]:
        return None
    return replace(end, period=True)


_UNIT_DAYS = {"day": 1, "week": 7, "hour": 0}


def _offset_clause(head):
    """(main verb, days) when ``head`` heads "N days/weeks/hours after|before ..." hanging off a
    main verb: the clause happened N days before (after) the main event."""
    if head.dep_ not in ("advcl", "relcl") or head.head.i == head.i:
        return None
    mark = next((c for c in head.children if c.dep_ == "mark" and c.lower_ in ("after", "before")), None)
    if mark is None:
        return None
    if head.dep_ == "relcl":  # parsed as "a day [after Brussels slapped ...]" hanging off the duration
        unit_tok = head.head
        if unit_tok.dep_ != "npadvmod" or unit_tok.head.i == unit_tok.i:
            return None
        head = unit_tok  # its head is the main verb
        pool = (unit_tok,)
    else:
        pool = (*head.children, *head.head.children)
    for t in pool:
        if t.dep_ != "npadvmod" or not 0 < mark.i - t.i <= 2:
            continue
        unit = _UNIT_DAYS.get(t.lemma_.lower())
        if unit is None:
            continue
        n = None
        for c in t.children:
            if c.dep_ == "nummod":
                n = _num(c.lower_)
            elif c.dep_ == "det" and c.lower_ in ("a", "an", "one"):
                n = 1
        if n is None:
            continue
        return head.head, (-n if mark.lower_ == "after" else n) * unit
    return None


def _reported_in_past(head) -> bool:
    """The clause is reported (ccomp) under a verb that is not itself present:
    "Kirby said ... that the decision represents ..." - the present tense is
    relative to the saying, so the clause gets no date of its own."""
    cur = head
    for _ in range(10):
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.i != cur.i:
            verb = cur.head
            if _tense(verb) not in ("present", "perfect"):
                return True
            cur = _clause_head(verb)
        elif cur.dep_ == "conj" and cur.head.i != cur.i:
            cur = _clause_head(cur.head)
        else:
            return False
    return False


# ---------------------------------------------------------------- the latest day of a date

def latest_day(date: str | None, precision: str | None = None) -> datetime.date | None:
    """The last day a date can mean: the day itself, the last day of its month or of its year
    (``precision`` from the value's length when not given); None for no or a malformed date."""
    if not date:
        return None
    precision = precision or {10: "day", 7: "month", 4: "year"}.get(len(date))
    try:
        if precision == "day":
            return datetime.date.fromisoformat(date[:10])
        if precision == "month":
            first = datetime.date(int(date[:4]), int(date[5:7]), 1)
            return (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        if precision == "year":
            return datetime.date(int(date[:4]), 12, 31)
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------- background events

BACKGROUND_DAYS = 365


def is_background(date: str | None, precision: str | None, published) -> bool:
    """An event dated more than :data:`BACKGROUND_DAYS` days before publication, counting from
    the latest day its date can mean ("2023" is 2023-12-31): history the story recalls, not
    news. No date or no publication date: not background."""
    if not published:
        return False
    if isinstance(published, str):
        try:
            published = datetime.date.fromisoformat(published[:10])
        except ValueError:
            return False
    elif isinstance(published, datetime.datetime):
        published = published.date()
    last = latest_day(date, precision)
    return last is not None and (published - last).days > BACKGROUND_DAYS


_YEAR_IN_TEXT = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def mark_background(events, published, text: str | None = None) -> None:
    """Set ``background`` on every event (records.Event) by :func:`is_background`.

    Without a publication date the story's present is at least the latest day any of its
    events is dated to, and at least the start of the latest year the text writes (an undated
    archive story that tells of 2011 and of 1844 is not written before 2011; one that tells of
    an 1844 seizure and an 1848 takeover not before 1848), so events more than a year before
    that are background."""
    if not published:
        days = [d for d in (latest_day(e.date, e.date_precision) for e in events) if d is not None]
        years = [int(y) for y in _YEAR_IN_TEXT.findall(text or "")]
        if years:
            days.append(datetime.date(max(years), 1, 1))
        published = max(days) if days else None
    for e in events:
        e.background = is_background(e.date, e.date_precision, published)
