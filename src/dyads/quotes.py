"""Stage 4 — quotes: who said what, with the words said and the cue that reports them.

Rules, in the order they run:

1. Direct and partial quotes: quotation marks are paired paragraph by paragraph (curly
   “…”, straight "…", doubled ``''…''`` and ````…''``, guillemets «…»; single quotes nest
   inside double ones, and British ‘…’ count only in paragraphs without double marks).
   A paragraph whose opening mark is never closed runs to the paragraph's end (wire
   style: the next paragraph opens again). Transcript and headline labels ("PENCE: …",
   "Sanders: …") naming a known person make a direct quote too.
   A quote is *direct* when it holds a whole utterance (it starts its sentence, follows a
   cue and a colon or comma, or is closed by ``,”`` before a cue), else *partial*
   ("called it “a significant escalation”"); partial quotes of one word, titles
   ("“Shark Tank”") and partial quotes nobody is said to have said are dropped.
2. The speaker of a quote is the subject of its cue verb, looked for in this order:
   after the closing mark ("“…,” said X" / "“…,” X said" / "“…,” according to X" /
   "“…” ― X"; right after ",”" any verb will do: "the judge exclaimed"),
   the cue verb governing the quote ("X said both leaders would sign “…”"), a cue before
   the opening mark ("X said: “…”", "X added, “…”"), the governing verb's subject for
   partial quotes ("Kirby called it “…”"); a quote with no cue takes the speaker of the
   quote before it in the same paragraph or of the last attribution in the previous one
   (failing that, the person the previous paragraph is about).
3. Indirect speech: a cue verb (say, tell, warn, write, …, and belief verbs: think,
   believe …) with a content clause (its ``ccomp`` subtree from its "that"; the two sides of
   a parenthetical "A, X said, B"; "called it X"), "according to X" (the rest of the
   sentence) and cue nouns ("the minister's claim that …"). Content mostly inside a direct quote
   is not repeated. Speech and stance verbs (a curated list) without a that-clause report
   their object ("cited derogatory comments", "criticized the plan as …"), prepositional
   object ("warned of a crisis", "spoke of Y's health"), to-infinitive ("urged his
   supporters to vote", "called on Congress to act") or wh-clause ("did not say when …"),
   and stance adjectives their object ("was critical of …"); kind ``indirect``, only when
   the subject resolves to an actor, never for a bare pronoun, a date or someone else's
   claim; these stances do not make what they are about hearsay (``speaker_of_offset``
   skips them, so event attribution is unchanged).
4. Speakers map to actors through the mention spans of the actors stage (names,
   surnames, titles, descriptions, pronouns); then a person named in apposition
   ("spokesperson Mao Ning"), the nearest mention inside the speaker's noun phrase, an
   actor whose name holds the speaker's capitalised words, and for "it"/"they" the last
   organisation/group mentioned. Documents ("the letter said", "the statement said")
   resolve to whoever published, wrote or issued them earlier in the story.

Text inside ``removed`` (boilerplate) spans never yields a quote.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import HYPHENS
from .records import Actor, Quote, Removed

# Lemmas of verbs that report speech (and the content of documents).
SPEECH_CUES = {
    "say", "tell", "add", "state", "warn", "write", "announce", "claim", "insist", "note",
    "explain", "ask", "reply", "respond", "argue", "stress", "declare", "tweet", "post",
    "report", "acknowledge", "admit", "allege", "assert", "caution", "complain", "concede",
    "confirm", "contend", "deny", "emphasize", "emphasise", "estimate", "indicate", "maintain",
    "mention", "observe", "predict", "promise", "recall", "remark", "repeat", "reveal",
    "suggest", "testify", "vow", "pledge", "charge", "counter", "comment", "continue",
    "conclude", "point", "boast", "joke", "quip", "lament", "scoff", "shout", "chant", "yell",
    "urge", "agree", "acknowledge", "disclose", "speculate", "predict", "threaten", "hint",
    "reiterate", "underscore", "highlight", "describe", "call", "show", "find", "learn",
    "recount", "retort", "proclaim", "affirm", "clarify", "forecast", "signal", "opine",
    "muse", "wonder", "demand", "accuse", "criticize", "criticise", "blast", "slam",
    "rule", "question", "query", "brief", "pronounce", "certify", "acknowledge", "grumble", "protest",
}
# Verbs of belief and knowledge: attribution of a stance rather than of words.
COGNITIVE_CUES = {"believe", "think", "feel", "expect", "hope", "fear", "know", "worry",
                  "doubt", "suspect", "assume", "realize", "realise", "recognize", "recognise",
                  "understand", "acknowledge", "see", "consider", "want"}
# Cues accepted before or after a direct quote even without a content clause.
QUOTE_CUES = SPEECH_CUES | {"quote", "cite", "conclude", "begin", "go", "sum", "put", "chime",
                            "interject", "read", "write", "tweet", "post", "text", "email"}
# Nouns naming a statement made by someone (possibly published earlier in the story).
DOCUMENT_NOUNS = {"letter", "statement", "report", "document", "communique", "communiqué",
                  "memo", "memorandum", "post", "tweet", "message", "article", "editorial",
                  "declaration", "release", "note", "email", "e-mail", "op-ed", "essay",
                  "speech", "address", "filing", "complaint", "lawsuit", "ruling", "order",
                  "decree", "resolution", "notice", "bulletin", "commentary", "column", "book",
                  "study", "survey", "poll", "analysis", "review", "indictment", "transcript"}
PUBLISH_VERBS = {"publish", "write", "issue", "release", "send", "sign", "post", "pen",
                 "deliver", "give", "put", "distribute", "circulate", "file", "submit",
                 "author", "draft", "unveil", "present", "read", "tweet", "share", "produce",
                 "commission", "conduct", "carry", "run"}

_OPEN = {"“": "”", "«": "»", "„": "”"}
_CLOSE = {"”", "»"}


@dataclass
class _Tok:
    start: int
    end: int
    si: int
    tok: object  # spacy Token


@dataclass
class _Q:
    """A quote being built (direct/partial from marks, or indirect)."""

    start: int            # inner text start
    end: int              # inner text end
    mark_start: int       # opening mark position (== start for indirect)
    mark_end: int         # after the closing mark (== end for indirect / unclosed)
    para: int
    kind: str = "direct"
    closed: bool = True
    continues: bool = False   # continues the previous paragraph's open quote (wire style)
    speaker_ids: list[str] = field(default_factory=list)
    speaker_text: str | None = None
    cue: str | None = None
    inherited: bool = False
    np: bool = False          # content is an object, not a clause ("criticized the plan")


class _Article:
    def __init__(self, text, sents, refs, actors, removed):
        self.text = text
        self.sents = sents
        self.refs = sorted(refs, key=lambda r: (r.start, r.end))
        self.ref_starts = [r.start for r in self.refs]
        self.actors = {a.id: a for a in actors}
        self.removed = sorted((r.start, r.end) for r in removed)
        self.toks: list[_Tok] = []
        self.tok_of = {}  # (si, token.i) -> index in self.toks
        self.sent_first: list[int] = []
        for si, s in enumerate(sents):
            self.sent_first.append(len(self.toks))
            for t in s.span:
                a = s.offset + t.idx
                self.tok_of[(si, t.i)] = len(self.toks)
                self.toks.append(_Tok(a, a + len(t.text), si, t))
        self.tok_starts = [t.start for t in self.toks]
        self.sent_starts = [s.start for s in sents]
        # paragraphs: article char ranges covering their sentences
        self.paras: dict[int, list[int]] = {}
        for si, s in enumerate(sents):
            self.paras.setdefault(s.paragraph, []).append(si)

    # -- lookups -------------------------------------------------------------
    def tok_at(self, char: int) -> _Tok | None:
        i = bisect.bisect_right(self.tok_starts, char) - 1
        if i >= 0 and self.toks[i].start <= char < self.toks[i].end:
            return self.toks[i]
        return None

    def tok_index_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.tok_starts, char)

    def atok(self, si: int, tok) -> _Tok:
        return self.toks[self.tok_of[(si, tok.i)]]

    def sent_of(self, char: int) -> int:
        i = bisect.bisect_right(self.sent_starts, char) - 1
        return max(i, 0)

    def in_removed(self, a: int, b: int) -> bool:
        return any(s < b and a < e for s, e in self.removed)

    def refs_in(self, a: int, b: int):
        i = bisect.bisect_left(self.ref_starts, a)
        out = []
        while i < len(self.refs) and self.refs[i].start < b:
            if self.refs[i].end <= b:
                out.append(self.refs[i])
            i += 1
        return out

    def ref_covering(self, a: int, b: int):
        best = None
        i = bisect.bisect_right(self.ref_starts, a)
        for r in self.refs[max(0, i - 30):i]:
            if r.start <= a and b <= r.end:
                if best is None or (r.end - r.start) < (best.end - best.start):
                    best = r
        return best


# ---------------------------------------------------------------------------
# 1. quotation marks


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _scan_paragraph(art: _Article, a: int, b: int, para: int) -> list[_Q]:
    """Pair the quotation marks of one paragraph text[a:b]; nested quotes stay inside."""
    text = art.text
    out: list[_Q] = []
    stack: list[str] = []      # expected closers, outermost first
    open_at = open_len = 0
    i = a
    while i < b:
        ch = text[i]
        two = text[i:i + 2]
        prev = text[i - 1] if i > a else " "
        nxt = text[i + 1] if i + 1 < b else " "
        top = stack[-1] if stack else None
        step = 1
        closing = False
        if top == "''" and two == "''":
            closing, step = True, 2
        elif top == '"' and (ch == '"' or ch == "”" and "“" not in stack):
            closing = True
        elif top == "”" and ch in ("”", "»"):
            closing = True
        elif top == "»" and ch == "»":
            closing = True
        elif top == "”" and ch == '"' and not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?)—–-" or i + 1 >= b):
            closing = True     # a straight mark closing a curly quote
        elif top == "”" and ch == "“" and not prev.isspace() and (nxt.isspace() or i + 1 >= b):
            closing = True     # a typo: an opening mark used to close
        if closing:
            stack.pop()
            if not stack:
                out.append(_mk(open_at, open_len, i, step, para))
            i += step
            continue
        opener = None
        if ch in _OPEN:
            opener, step = _OPEN[ch], 1
        elif two in ("``", "''") and not _is_word(prev) and i + 2 < b and not text[i + 2].isspace():
            opener, step = "''", 2
        elif ch == '"' and not _is_word(prev) and not nxt.isspace():
            opener, step = '"', 1
        elif ch == "”" and not stack and (i == a or prev.isspace()) and nxt.isalnum() and \
                "”" in text[i + 1:b]:
            opener, step = "”", 1   # a closing mark typed for the opening one
        if opener is not None:
            if not stack:
                open_at, open_len = i, step
            stack.append(opener)
        i += step
    if stack:
        q = _mk(open_at, open_len, b, 0, para)
        q.closed = False
        out.append(q)
    return out


def _scan_single(art: _Article, a: int, b: int, para: int) -> list[_Q]:
    """British style ‘…’ in a paragraph without double marks; ’ inside words is an apostrophe."""
    text = art.text
    out: list[_Q] = []
    i = a
    while i < b:
        if text[i] == "‘" and (i == a or not text[i - 1].isalnum()) and i + 1 < b and not text[i + 1].isspace():
            j = i + 1
            cands = []
            while j < b:
                if text[j] == "’" and not text[j - 1].isspace() and (j + 1 >= b or not text[j + 1].isalnum()):
                    cands.append(j)
                if text[j] == "‘" and not text[j - 1].isalnum():
                    break
                j += 1
            # "The allies’ resolve is strong,’": prefer a mark after punctuation, else the last one
            punct = [c for c in cands if text[c - 1] in ",.?!…—;:"]
            close = punct[0] if punct else (cands[-1] if cands else None)
            if close is not None:
                out.append(_mk(i, 1, close, 1, para))
                i = close + 1
                continue
        i += 1
    return out


def _mk(open_at, open_len, close_at, close_len, para) -> _Q:
    return _Q(start=open_at + open_len, end=close_at, mark_start=open_at,
              mark_end=close_at + close_len, para=para)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _find_marked(art: _Article) -> list[_Q]:
    quotes: list[_Q] = []
    prev_open = False
    for para in sorted(art.paras):
        sis = art.paras[para]
        # contiguous story pieces of the paragraph (boilerplate never inside a piece)
        pieces: list[tuple[int, int]] = []
        for si in sis:
            s = art.sents[si]
            if pieces and not art.in_removed(pieces[-1][1], s.start) and \
                    art.text[pieces[-1][1]:s.start].strip() == "":
                pieces[-1] = (pieces[-1][0], s.end)
            else:
                pieces.append((s.start, s.end))
        found: list[_Q] = []
        for a, b in pieces:
            got = _scan_paragraph(art, a, b, para)
            if not got and not any(ch in art.text[a:b] for ch in '"“”«»'):
                got = _scan_single(art, a, b, para)
            found.extend(got)
        for q in found:
            q.start, q.end = _trim(art.text, q.start, q.end)
        found = [q for q in found if q.end > q.start and not art.in_removed(q.start, q.end)]
        if found and prev_open and found[0].mark_start == pieces[0][0]:
            found[0].continues = True
        prev_open = bool(found) and not found[-1].closed
        quotes.extend(found)
    return quotes


# ---------------------------------------------------------------------------
# 2. speakers


def _core_np(head):
    """Tokens of the noun phrase headed by ``head`` without appositives, clauses and PPs
    (except "of" phrases of titles: "Secretary of State")."""
    toks = [head]
    for c in head.lefts:
        if c.dep_ in ("punct", "cc", "prep", "relcl", "acl", "appos") or c.text in ("“", '"', "”"):
            continue
        toks.extend(c.subtree)
    for c in head.rights:
        if c.dep_ in ("compound", "flat", "nummod") or (
                c.dep_ == "prep" and c.lower_ == "of" and head.pos_ in ("NOUN", "PROPN")
                and len(list(c.subtree)) <= 4):
            toks.extend(c.subtree)
    toks = sorted({t.i: t for t in toks}.values(), key=lambda t: t.i)
    # keep the contiguous run around the head
    run = [head]
    idx = {t.i for t in toks}
    j = head.i - 1
    while j in idx:
        run.insert(0, head.doc[j])
        j -= 1
    j = head.i + 1
    while j in idx:
        run.append(head.doc[j])
        j += 1
    # a hyphenated name is several tokens ("Fils-Aime": Fils, -, Aime): keep it whole
    doc = head.doc
    while run[0].i >= 2 and doc[run[0].i - 1].text in HYPHENS and not doc[run[0].i - 1].whitespace_ \
            and not doc[run[0].i - 2].whitespace_ and doc[run[0].i - 2].is_alpha:
        run = [doc[run[0].i - 2], doc[run[0].i - 1]] + run
    while run[-1].i + 2 < len(doc) and doc[run[-1].i + 1].text in HYPHENS and not run[-1].whitespace_ \
            and not doc[run[-1].i + 1].whitespace_ and doc[run[-1].i + 2].is_alpha:
        run = run + [doc[run[-1].i + 1], doc[run[-1].i + 2]]
    while run and run[0].dep_ == "punct":
        run = run[1:]
    return run or [head]



def _document_author(art: _Article, si: int, head, depth: int = 0) -> tuple[list[str], str | None]:
    """Actor ids of whoever issued the document noun ``head`` ("the letter")."""
    if depth > 2:
        return [], None
    # a possessor: "Putin's letter", "his statement"
    for c in head.lefts:
        if c.dep_ == "poss":
            ids = _ids_for_token(art, si, c)
            if ids:
                return ids, None
    # "the letter from X"/"a statement by X"
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for p in c.children:
                if p.dep_ == "pobj":
                    ids, _ = _resolve_np(art, si, p, depth + 1)
                    if ids:
                        return ids, None
    lemma = head.lemma_.lower()
    here = art.atok(si, head).start
    # the latest earlier publication of such a document
    lo = art.sent_first[max(0, si - 12)]
    hi = art.tok_index_at_or_after(here)
    for k in range(hi - 1, lo - 1, -1):
        t = art.toks[k]
        tok = t.tok
        if tok.lemma_.lower() != lemma or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        gov = tok.head
        if tok.dep_ in ("dobj", "nsubjpass", "attr") and gov.lemma_.lower() in PUBLISH_VERBS | SPEECH_CUES:
            subj = _subject(gov)
            if subj is None and tok.dep_ == "nsubjpass":
                subj = _agent(gov)
            if subj is not None:
                ids, txt = _resolve_np(art, t.si, subj, depth + 1)
                if ids:
                    return ids, txt
        # "X, in a letter published Tuesday, said"/"in which he said"
        for c in tok.lefts:
            if c.dep_ == "poss":
                ids = _ids_for_token(art, t.si, c)
                if ids:
                    return ids, None
    return [], None


def _agent(verb):
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _ids_for_token(art: _Article, si: int, tok) -> list[str]:
    t = art.atok(si, tok)
    r = art.ref_covering(t.start, t.end)
    return list(r.actor_ids) if r else []


def _resolve_np(art: _Article, si: int, head, depth: int = 0) -> tuple[list[str], str]:
    """Actor ids and literal words of the noun phrase headed by ``head``."""
    core = _core_np(head)
    a = art.atok(si, core[0]).start
    b = art.atok(si, core[-1]).end
    words = art.text[a:b]
    t = art.atok(si, head)
    r = art.ref_covering(t.start, t.end)
    if r:
        return list(r.actor_ids), words
    # a title with the name in apposition: "spokesperson Mao Ning", "his aide, Jake Sullivan,"
    for c in head.rights:
        if c.dep_ == "appos":
            ct = art.atok(si, c)
            cr = art.ref_covering(ct.start, ct.end)
            if cr and all(art.actors[x].kind == "person" for x in cr.actor_ids if x in art.actors):
                if art.text[b:cr.start].strip() == "":
                    words = art.text[a:cr.end]
                return list(cr.actor_ids), words
    inside = art.refs_in(a, b)
    if head.lower_ in ("it", "they") and head.pos_ == "PRON":
        ids = _collective_antecedent(art, si, t.start, head.lower_ == "they")
        return ids, words
    if head.lemma_.lower() in DOCUMENT_NOUNS and head.pos_ in ("NOUN",):
        ids, _ = _document_author(art, si, head, depth)
        if ids:
            return ids, words
    if inside:
        best = min(inside, key=lambda r: abs(r.start - t.start))
        return list(best.actor_ids), words
    # a surname the actors stage did not link ("Odhiambo said")
    ids = _by_name(art, [x for x in core if x.pos_ == "PROPN" or x.text[:1].isupper() and x.i > core[0].i
                         or x.i == head.i and x.text[:1].isupper()], t.start)
    if ids:
        return ids, words
    # the whole phrase with appositives ("a spokesman for the Pentagon")
    sub = list(head.subtree)
    a2 = art.atok(si, sub[0]).start
    b2 = art.atok(si, sub[-1]).end
    inside = [r for r in art.refs_in(a2, b2)]
    if inside and len(sub) <= 14:
        best = min(inside, key=lambda r: abs(r.start - t.start))
        return list(best.actor_ids), words
    return [], words


def _by_name(art: _Article, toks, before: int) -> list[str]:
    """The actor mentioned last before ``before`` whose name holds the capitalised words ``toks``."""
    # words as written: tokens joined by a hyphen without spaces are one word ("Fils-Aime")
    toks = list(toks)
    joined: list[str] = []
    for k, x in enumerate(toks):
        glue = k > 0 and x.i == toks[k - 1].i + 1 and not toks[k - 1].whitespace_ and (
            x.text in HYPHENS or toks[k - 1].text in HYPHENS)
        if glue and joined:
            joined[-1] += x.text
        else:
            joined.append(x.text)
    words = [w.replace("’s", "").replace("'s", "") for w in joined if w[:1].isupper() and len(w) > 1]
    words = [w for w in words if w.lower() not in ("the", "mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.")]
    if not words:
        return []
    best, best_pos = None, -1
    for act in art.actors.values():
        names = act.name.split()
        if not all(w in names for w in words):
            continue
        pos = max((m.start for m in act.mentions if m.start < before), default=-1)
        if pos > best_pos:
            best, best_pos = act, pos
    return [best.id] if best is not None else []


def _collective_antecedent(art: _Article, si: int, pos: int, plural: bool) -> list[str]:
    """"it said" / "they said": the last organisation (or, for "they", group) mentioned in
    this or the previous sentence."""
    lo = art.sents[max(0, si - 1)].start
    i = bisect.bisect_left(art.ref_starts, pos) - 1
    while i >= 0 and art.refs[i].start >= lo:
        r = art.refs[i]
        kinds = {art.actors[x].kind for x in r.actor_ids if x in art.actors}
        if plural and (kinds == {"group"} or len(r.actor_ids) > 1):
            return list(r.actor_ids)
        if not plural and kinds and kinds <= {"organization"}:
            return list(r.actor_ids)
        i -= 1
    return []


# Cue verbs that put their subject after them ("said Sabrina Singh", "added the minister").
_INVERTING = {"say", "add", "write", "continue", "insist", "explain", "ask", "reply", "note", "conclude",
              "tell", "declare", "announce", "state", "warn", "respond", "recall", "remark", "observe",
              "argue", "exclaim", "quip", "shout", "acknowledge", "admit", "claim", "counter", "complain"}


def _subject(verb, skip=None):
    """The speaker token of a cue verb (following conj/xcomp/relcl/advcl chains).

    ``skip(token)`` rejects candidates (words inside the quote itself)."""
    skip = skip or (lambda t: False)
    seen = 0
    v = verb
    while v is not None and seen < 4:
        seen += 1
        for c in v.children:
            if c.dep_ == "nsubj" and not skip(c):
                if c.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
                    return v.head
                return c
        # "was quoted by X as saying"
        if v.dep_ in ("pcomp",) and v.head.dep_ == "prep" and v.head.head.lemma_ == "quote":
            q = v.head.head
            for c in q.children:
                if c.dep_ == "nsubjpass" and not skip(c):
                    return c
            ag = _agent(q)
            if ag is not None:
                return ag
        ag = _agent(v)
        if ag is not None and not skip(ag):
            return ag
        if v.dep_ == "relcl":
            return v.head
        # inverted: "said Sabrina Singh" parsed as an object (not "urged the EU not to ...")
        for c in v.rights if v.lemma_ in _INVERTING else ():
            if c.dep_ in ("dobj", "npadvmod", "attr", "nsubj") and c.pos_ == "PROPN" and not skip(c):
                return c
        if v.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acl") and v.head.i != v.i:
            v = v.head
            continue
        if v.pos_ == "NOUN" and v.lemma_ in DOCUMENT_NOUNS and v.dep_ in ("dobj", "pobj") and v.head.i != v.i:
            # "handed him a protest note calling the strikes “…”": whoever handed, issued or sent it
            v = v.head.head if v.dep_ == "pobj" else v.head
            continue
        break
    return None


def _speaker_of_cue(art: _Article, si: int, verb, q: _Q | None = None) -> tuple[list[str], str | None, object] | None:
    if verb.lower_ == "according":
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "to":
                for p in c.children:
                    if p.dep_ == "pobj":
                        ids, words = _resolve_np(art, si, p)
                        return ids, words, p
        return None
    def skip(t, _si=si, _q=q):
        return _q is not None and _q.mark_start <= art.atok(_si, t).start < _q.mark_end
    subj = _subject(verb, skip)
    if subj is None:
        return _nearest_left_mention(art, si, verb, skip)
    ids, words = _resolve_np(art, si, subj)
    return ids, words, subj


def _nearest_left_mention(art: _Article, si: int, verb, skip=None):
    """A cue the parser left without a subject: the actor mention just before it
    ("…, her senior policy adviser, Jake Sullivan, said:")."""
    doc = verb.doc
    sent = art.sents[si].span
    for j in range(verb.i - 1, max(sent.start - 1, verb.i - 9), -1):
        t = doc[j]
        if t.pos_ in ("VERB",) or t.text in ("“", "”", '"') or skip and skip(t):
            return None
        if t.dep_ in ("dative", "dobj", "pobj"):
            continue  # "handed him a note": the one it was handed to did not say it
        at = art.atok(si, t)
        r = art.ref_covering(at.start, at.end)
        if r is not None:
            return list(r.actor_ids), art.text[r.start:r.end], t
    return None


def _cue_text(art: _Article, si: int, verb) -> str:
    """The cue: the verb with its particle/indirect object ("told reporters", "according to")."""
    if verb.lower_ == "according":
        a = art.atok(si, verb)
        for c in verb.children:
            if c.lower_ == "to":
                return art.text[a.start:art.atok(si, c).end]
        return verb.text
    toks = [verb]
    for c in verb.children:
        if c.dep_ in ("prt", "neg") and c.i > verb.i:
            toks.append(c)
        elif c.dep_ in ("dative", "dobj") and verb.lemma_ == "tell" and c.i > verb.i and c.i - verb.i <= 3:
            toks.append(c)
    for c in verb.lefts:
        if c.dep_ in ("aux", "auxpass", "neg") and verb.i - c.i <= 2:
            toks.append(c)
    toks.sort(key=lambda t: t.i)
    a = art.atok(si, toks[0]).start
    b = art.atok(si, toks[-1]).end
    txt = art.text[a:b]
    if len(txt) > 40:
        return verb.text
    return txt


def _is_cue(tok, cues) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in cues or (
        tok.lemma_.lower() in ("say", "tell", "add", "write", "tweet") and tok.pos_ in ("NOUN", "PROPN", "ADJ")
        and tok.dep_ in ("ROOT", "conj", "ccomp", "relcl"))


def _quote_toks(art: _Article, q: _Q) -> tuple[int, int]:
    """Index range [i, j) of article tokens inside the marks of q."""
    return art.tok_index_at_or_after(q.mark_start), art.tok_index_at_or_after(q.mark_end)


_DASH_RX = re.compile(r"[^\S\n]*(?:―|—|–|--|-)[^\S\n]*")
_LABEL_RX = re.compile(r"([A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){0,3})[ \t]*:[ \t]+(?=\S)")


def _dash_speaker(art: _Article, q: _Q) -> tuple | None:
    """"“…” ― Karen Bobadilla": a name after a dash following the closing mark."""
    m = _DASH_RX.match(art.text, q.mark_end)
    if not m or m.end() == q.mark_end:
        return None
    t = art.tok_at(m.end())
    if t is None or not t.tok.text[:1].isupper():
        return None
    r = art.ref_covering(t.start, t.end)
    if r is not None and r.start >= m.end() - 1:
        return list(r.actor_ids), art.text[r.start:r.end], None, t.si, art.text[q.mark_end:m.end()].strip()
    if t.tok.ent_type_ == "PERSON":
        toks = [x for x in t.tok.sent if x.i >= t.tok.i and x.ent_iob_ != "O" and x.ent_type_ == "PERSON"]
        run = []
        for x in toks:
            if run and x.i != run[-1].i + 1:
                break
            run.append(x)
        a0, b0 = art.atok(t.si, run[0]).start, art.atok(t.si, run[-1]).end
        return [], art.text[a0:b0], None, t.si, art.text[q.mark_end:m.end()].strip()
    return None


def _label_speaker(art: _Article, pos: int) -> tuple[list[str], str, int] | None:
    """"MORALES: Well, look ..." / "Okafor: The ministry needs to ...": a speaker label at ``pos``."""
    m = _LABEL_RX.match(art.text, pos)
    if not m:
        return None
    la, lb = m.start(1), m.end(1)
    label = m.group(1)
    refs = art.refs_in(la, lb)
    if label.isupper() and len(label) >= 3:
        for act in art.actors.values():
            if act.kind == "person" and len(act.name.split()) > 1 and \
                    act.name.split()[-1].upper() == label.split()[-1]:
                return [act.id], label, m.end()
    for r in refs:
        acts = [art.actors[i] for i in r.actor_ids if i in art.actors]
        if acts and all(x.kind in ("person", "organization") for x in acts):
            return list(r.actor_ids), label, m.end()
    if label.isupper() and len(label) >= 3:
        for act in art.actors.values():
            if act.kind == "person" and act.name.split()[-1].upper() == label.split()[-1]:
                return [act.id], label, m.end()
    return None


def _cue_after(art: _Article, q: _Q, quotes: list[_Q]) -> tuple | None:
    """"“…,” said X" / "“…,” X said" / "“…,” according to X"."""
    text = art.text
    inner_last = text[q.end - 1] if q.end > q.start else ""
    after = text[q.mark_end:q.mark_end + 3]
    if not q.closed:
        return None
    dash = _dash_speaker(art, q)
    if dash is not None:
        return dash
    tail = text[q.mark_end:q.mark_end + 80].split("\n")[0]
    short_tail = re.match(r"\s*[^.!?“”\"]{1,50}[.!?](?:\s|$)", tail) is not None
    if not (inner_last in ",?!—–-…" or after.lstrip().startswith((",", "—", "–")) or
            inner_last == "." and after[:1] in (" ",) and (tail.lstrip()[:1].islower() or short_tail)):
        return None
    # the next opening mark bounds the search
    nxt = next((o.mark_start for o in quotes if o.mark_start >= q.mark_end), len(text))
    j = art.tok_index_at_or_after(q.mark_end)
    k = j
    para = q.para
    limit = 12
    while k < len(art.toks) and k - j < limit and art.toks[k].start < nxt:
        t = art.toks[k]
        if art.sents[t.si].paragraph != para:
            break
        if t.tok.text in (".", ";") and t.tok.i > 0:
            break
        # right after ",”" any verb with a subject reports the quote ("the judge exclaimed")
        if _is_cue(t.tok, QUOTE_CUES | COGNITIVE_CUES) or t.tok.pos_ == "VERB" and k - j <= 4:
            res = _speaker_of_cue(art, t.si, t.tok, q)
            if res:
                return res + (t.si, t.tok)
        k += 1
    return None


def _governing_cue(art: _Article, q: _Q) -> tuple | None:
    """A cue verb among the ancestors of the quote's first words (X said … “…”)."""
    i, j = _quote_toks(art, q)
    inner = [t for t in art.toks[i:j] if t.tok.dep_ != "punct"]
    if not inner:
        return None
    t0 = inner[0]
    si = t0.si
    # the quote's head: the token whose head lies outside the quote
    span_is = {t.tok.i for t in inner if t.si == si}
    heads = [t.tok for t in inner if t.si == si and t.tok.head.i not in span_is]
    start = heads[0] if heads else t0.tok
    anc = start.head if start.head.i != start.i else None
    steps = 0
    while anc is not None and steps < 6:
        at = art.atok(si, anc)
        if not (q.mark_start <= at.start < q.mark_end) and _is_cue(anc, SPEECH_CUES | COGNITIVE_CUES):
            res = _speaker_of_cue(art, si, anc, q)
            if res:
                return res + (si, anc)
        if anc.head.i == anc.i:
            break
        anc = anc.head
        steps += 1
    return None


def _cue_before(art: _Article, q: _Q, quotes: list[_Q]) -> tuple | None:
    """"X said: “…”", "X added, “…”" — the cue right before the opening mark."""
    text = art.text
    k = art.tok_index_at_or_after(q.mark_start) - 1
    prev_end = max([o.mark_end for o in quotes if o.mark_end <= q.mark_start] + [0])
    lead = text[max(0, q.mark_start - 3):q.mark_start].rstrip()
    steps = 0
    first = True
    # after "X verb:" or "X verb," any verb with a subject introduces the quote ("the senator boomed:")
    any_verb = lead.endswith((":", ","))
    while k >= 0 and steps < 14:
        t = art.toks[k]
        if t.start < prev_end or art.sents[t.si].paragraph != q.para and not (
                first and lead.endswith(":")):
            break
        first = False
        if t.tok.text in (".", ";", "?", "!") or t.tok.text.endswith((".", "?", "!")) and t.tok.is_punct:
            break
        if _is_cue(t.tok, QUOTE_CUES | COGNITIVE_CUES) or any_verb and t.tok.pos_ == "VERB" and steps <= 10:
            res = _speaker_of_cue(art, t.si, t.tok, q)
            if res:
                return res + (t.si, t.tok)
        k -= 1
        steps += 1
    # a previous paragraph ending in a colon: "Smith said:" / "He told reporters:"
    if lead == "" or q.mark_start == art.sents[art.sent_of(q.mark_start)].start:
        k = art.tok_index_at_or_after(q.mark_start) - 1
        if k >= 0:
            t = art.toks[k]
            if t.tok.text == ":" and art.sents[t.si].paragraph in (q.para, q.para - 1):
                for m in range(k - 1, max(-1, k - 15), -1):
                    u = art.toks[m]
                    if u.si != t.si:
                        break
                    if _is_cue(u.tok, QUOTE_CUES) or u.tok.pos_ == "VERB":
                        res = _speaker_of_cue(art, u.si, u.tok, q)
                        if res:
                            return res + (u.si, u.tok)
    return None


def _governing_subject(art: _Article, q: _Q) -> tuple | None:
    """Partial quotes: the subject of the verb that governs the quoted words."""
    i, j = _quote_toks(art, q)
    inner = [t for t in art.toks[i:j] if t.tok.dep_ != "punct"]
    if not inner:
        return None
    si = inner[0].si
    span_is = {t.tok.i for t in inner if t.si == si}
    heads = [t.tok for t in inner if t.si == si and t.tok.head.i not in span_is]
    anc = heads[0].head if heads else inner[0].tok.head
    steps = 0
    while steps < 5:
        if anc.pos_ in ("VERB", "AUX") and not (q.mark_start <= art.atok(si, anc).start < q.mark_end):
            subj = _subject(anc)
            if subj is not None and not (q.mark_start <= art.atok(si, subj).start < q.mark_end):
                ids, words = _resolve_np(art, si, subj)
                if ids:
                    return ids, words, subj, si, anc
        if anc.head.i == anc.i:
            break
        anc = anc.head
        steps += 1
    return None


def _kind(art: _Article, q: _Q, sent_start: int) -> str:
    text = art.text
    inner = text[q.start:q.end]
    before = text[sent_start:q.mark_start].strip()
    words = inner.split()
    if q.continues or not q.closed:
        return "direct"
    if before == "" or before.endswith((":",)) or before in ("(", "-", "—"):
        return "direct"
    if before.endswith(",") and inner[:1].isupper() and len(words) >= 4:
        return "direct"
    if inner[:1].isupper() and inner.rstrip()[-1:] in ".?!" and len(words) >= 6:
        return "direct"
    return "partial"


def _title_like(inner: str) -> bool:
    """Titles and names in quotation marks ("Shark Tank", “The Apprentice”)."""
    ws = re.findall(r"[A-Za-z][\w'’\-]*", inner)
    if not ws or len(ws) > 8:
        return False
    long = [w for w in ws if len(w) > 3]
    return bool(long) and all(w[0].isupper() for w in long) and ws[0][0].isupper()


def _last_speaker_before(art: _Article, para: int, marked: list[_Q], upto: int) -> tuple | None:
    """The last cue verb with a speaker in paragraph ``para`` (outside quotes, before ``upto``)."""
    sis = art.paras.get(para)
    if not sis:
        return None
    lo = art.sent_first[sis[0]]
    hi = art.sent_first[sis[-1] + 1] if sis[-1] + 1 < len(art.sents) else len(art.toks)
    for k in range(hi - 1, lo - 1, -1):
        t = art.toks[k]
        if t.start >= upto or any(m.mark_start <= t.start < m.mark_end for m in marked):
            continue
        if _is_cue(t.tok, SPEECH_CUES):
            res = _speaker_of_cue(art, t.si, t.tok)
            if res and (res[0] or res[1]):
                return res + (t.si, t.tok), t.start
    return None


def _topic_person(art: _Article, para: int) -> tuple | None:
    """The person subject of the last sentence of paragraph ``para`` that has one."""
    for si in reversed(art.paras.get(para, [])):
        root = art.sents[si].span.root
        subj = _subject(root)
        if subj is None:
            continue
        ids, words = _resolve_np(art, si, subj)
        if ids and all(i in art.actors and art.actors[i].kind == "person" for i in ids):
            return ids, words, subj, si, None
        return None
    return None


def _attribute_marked(art: _Article, quotes: list[_Q]) -> list[_Q]:
    out = []
    for n, q in enumerate(quotes):
        inner = art.text[q.start:q.end]
        words = inner.split()
        si = art.sent_of(q.mark_start)
        sstart = art.sents[si].start
        q.kind = _kind(art, q, sstart)
        between = art.text[out[-1].mark_end:q.mark_start] if out and out[-1].para == q.para else ""
        if q.kind == "partial" and out and out[-1].para == q.para and out[-1].kind == "direct" and \
                art.text[out[-1].end - 1] == "," and len(between) <= 60 and between.rstrip().endswith(","):
            q.kind = "direct"  # "“We are ready,” she said, “to talk.”": the same utterance goes on
        if q.kind == "partial" and (len(words) < 2 and not _called_word(art, q) or _title_like(inner)):
            continue  # a scare-quoted word or a title is not a quote
        res = None
        label = _label_speaker(art, q.start)
        if label is not None:
            ids, words_, cstart = label
            q.start = cstart
            res = (ids, words_, None, si, ":")
            q.kind = "direct"
        elif q.continues and out and out[-1].para == q.para - 1 and not out[-1].closed and \
                (out[-1].speaker_ids or out[-1].speaker_text):
            res = None  # inherit below
        else:
            res = _cue_after(art, q, quotes)
            if res is None:
                res = _governing_cue(art, q)
            if res is None:
                res = _cue_before(art, q, quotes)
            if res is None and q.kind == "partial":
                res = _governing_subject(art, q)
        if res is not None:
            _set_speaker(art, q, res)
            if q.continues:
                # the cue comes at the end of a quote running over several paragraphs
                k = len(out) - 1
                while k >= 0 and not out[k].closed and not out[k].speaker_ids and not out[k].speaker_text \
                        and out[k].para == (out[k + 1].para if k + 1 < len(out) else q.para) - 1:
                    _inherit(out[k], q)
                    if not out[k].continues:
                        break
                    k -= 1
        elif q.kind == "direct":
            prev = out[-1] if out else None
            starts_para = q.mark_start == art.sents[art.paras[q.para][0]].start
            if prev is not None and prev.para == q.para:
                _inherit(q, prev)
            elif prev is not None and prev.para == q.para - 1 and not prev.closed:
                _inherit(q, prev)
            elif starts_para or q.mark_start == sstart:
                # a quote paragraph without a cue: the last speaker of the previous paragraph
                cand = _last_speaker_before(art, q.para - 1, quotes, q.mark_start)
                if prev is not None and prev.para == q.para - 1 and (cand is None or prev.mark_end > cand[1]):
                    _inherit(q, prev)
                elif cand is not None:
                    _set_speaker(art, q, cand[0])
                    q.inherited = True
                else:
                    # no speech verb at all: the person the previous paragraph is about
                    topic = _topic_person(art, q.para - 1)
                    if topic is not None:
                        _set_speaker(art, q, topic)
                        q.inherited = True
        if q.kind == "partial" and not q.speaker_ids and not q.speaker_text:
            continue  # quoted words nobody is said to have said: scare quotes, names
        out.append(q)
    return out


_NAMING_VERBS = {"call", "describe", "label", "brand", "term", "dub", "dismiss", "denounce", "condemn"}


def _called_word(art: _Article, q: _Q) -> bool:
    """One quoted word that a speaker called something ("called the findings “fabricated”",
    "dismissed the report as “propaganda”"): the speaker's word, not scare quotes."""
    i, j = _quote_toks(art, q)
    inner = [t.tok for t in art.toks[i:j] if t.tok.dep_ != "punct"]
    if len(inner) != 1:
        return False
    t = inner[0]
    if t.dep_ == "pobj" and t.head.lower_ == "as":
        return t.head.head.lemma_ in _NAMING_VERBS  # "dismissed the report as “propaganda”"
    if t.dep_ in ("acl", "amod") and t.head.dep_ == "dobj":
        return t.head.head.lemma_ in _NAMING_VERBS  # "called the findings “fabricated”" parsed as a modifier
    return t.head.lemma_ in _NAMING_VERBS and t.dep_ in ("oprd", "acomp", "xcomp", "ccomp")


def _set_speaker(art: _Article, q: _Q, res) -> None:
    ids, words_, subj, csi, verb = res
    q.speaker_ids = list(ids)
    q.speaker_text = words_
    q.cue = verb if isinstance(verb, str) or verb is None else _cue_text(art, csi, verb)


def _inherit(q: _Q, prev: _Q) -> None:
    q.speaker_ids, q.speaker_text, q.cue = list(prev.speaker_ids), prev.speaker_text, prev.cue
    q.inherited = True


def _labelled_paragraphs(art: _Article, marked: list[_Q]) -> list[_Q]:
    """Transcript and headline paragraphs "NAME: words" outside quotation marks."""
    out = []
    for para, sis in art.paras.items():
        a = art.sents[sis[0]].start
        b = art.sents[sis[-1]].end
        if any(m.mark_start <= a < m.mark_end for m in marked) or art.in_removed(a, b):
            continue
        label = _label_speaker(art, a)
        if label is None:
            continue
        ids, words_, cstart = label
        q = _Q(start=cstart, end=b, mark_start=cstart, mark_end=b, para=para, kind="direct")
        q.speaker_ids, q.speaker_text, q.cue = ids, words_, ":"
        out.append(q)
    return out


# ---------------------------------------------------------------------------
# 3. indirect speech


def _span_of(art: _Article, si: int, toks) -> tuple[int, int]:
    toks = sorted(toks, key=lambda t: t.i)
    return art.atok(si, toks[0]).start, art.atok(si, toks[-1]).end


def _clean_edges(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim spaces, commas, dashes, a dangling conjunction and the sentence's final period."""
    for _ in range(3):
        while a < b and text[a] in " ,;:—–-)":
            a += 1
        while b > a and text[b - 1] in " ,;:—–-(":
            b -= 1
        m = re.search(r"[\s,]+(?:and|but|or|while|as)$", text[a:b])
        if m and m.start() > 0:
            b = a + m.start()
            continue
        break
    # a sentence's final period is not part of the reported content (but "U.S." keeps its dot)
    if b - a > 2 and text[b - 1] == "." and not re.search(r"(?:\b[A-Z]|\.[a-z]|\b(?:Jr|Sr|Inc|Co|Ltd|Corp|St))\.$", text[a:b]):
        b -= 1
    return a, b


_XCOMP_CUES = {"urge", "call", "ask", "demand", "promise", "vow", "pledge", "threaten", "want",
               "expect", "agree", "warn", "tell"}
_PARENTHETICAL_CUES = {"say", "tell", "add", "write", "note", "warn", "insist", "argue", "claim",
                       "explain", "report", "stress", "think", "believe", "acknowledge", "tweet",
                       "suggest", "contend", "predict", "recall", "emphasize", "observe", "admit"}
_NAMING_CUES = {"call", "describe", "dub", "label", "brand", "term", "deem", "characterize"}
# Nouns that report what someone said or holds ("the minister's claim that ...").
NOUN_CUES = {"claim", "statement", "assertion", "allegation", "argument", "warning", "promise",
             "suggestion", "belief", "view", "remark", "comment", "announcement", "insistence",
             "contention", "accusation", "prediction", "pledge", "vow", "admission", "denial",
             "assurance", "charge", "threat", "demand", "proposal", "message", "conclusion",
             "suspicion", "fear", "hope", "concern", "complaint", "position", "assessment"}
_NOUN_CUE_VERBS = {"make", "repeat", "issue", "reiterate", "offer", "voice", "express", "deliver",
                   "renew", "level", "float", "advance", "push"}


def _content_clause(art: _Article, si: int, tok) -> list[tuple[int, int]]:
    """Article spans of what the cue verb ``tok`` reports (two around a parenthetical cue)."""
    lemma = tok.lemma_.lower()
    comp = [c for c in tok.children if c.dep_ == "ccomp"]
    if not comp:
        comp = [c for c in tok.children if c.dep_ == "xcomp" and lemma in _XCOMP_CUES]
    if not comp:
        # "told a briefing that Beijing opposed the move" misparsed as a relative clause
        for o in tok.children:
            if o.dep_ in ("dobj", "dative") and o.i > tok.i:
                for rc in o.children:
                    first = next(iter(rc.subtree))
                    if rc.dep_ == "relcl" and first.lower_ == "that" and first.dep_ != "nsubj" and \
                            any(c.dep_ == "nsubj" and c.lower_ != "that" for c in rc.children) and \
                            sum(1 for c in rc.children if c.dep_ == "dobj") >= 2:
                        return [_span_of(art, si, list(rc.subtree))]
    if comp:
        sub = list(comp[0].subtree)
        # "warned Monday, as they have before, that ...": the clause starts at its "that"
        mark = [c for c in comp[0].children if c.dep_ == "mark" and c.lower_ == "that"]
        if mark and mark[0].i > sub[0].i:
            sub = [t for t in sub if t.i >= mark[0].i]
        return [_span_of(art, si, sub)]
    if lemma in _NAMING_CUES:
        # "called it a significant escalation", "described him as ..."
        obj = [c for c in tok.children if c.dep_ == "dobj"]
        pred = [c for c in tok.children if c.dep_ in ("oprd", "xcomp", "attr", "acomp", "ccomp")
                or c.dep_ == "prep" and c.lower_ == "as"]
        if obj and pred:
            toks = list(obj[0].subtree) + [t for p in pred for t in p.subtree]
            return [_span_of(art, si, toks)]
    # "... , X said, ..." parsed with the cue hanging off the content verb
    if lemma in _PARENTHETICAL_CUES and tok.dep_ in ("parataxis", "advcl", "ccomp") and \
            tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
        head = tok.head
        mine = {t.i for t in tok.subtree}
        lo, hi = min(mine), max(mine)
        doc = tok.doc
        # the cue must be set off by commas (or end the sentence): "A, X said, B" / "A, X said."
        core = [t for t in tok.subtree if t.dep_ != "punct"]
        c_lo, c_hi = min(t.i for t in core), max(t.i for t in core)
        before = doc[c_lo - 1].text if c_lo > 0 else ""
        after = doc[c_hi + 1].text if c_hi + 1 < len(doc) else "."
        if before not in (",", "—", "–", "--") or after not in (",", ".", "—", "–", "--", "!", "?", ";"):
            return []
        keys = {head.i} | {c.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass")}
        left = [t for t in head.subtree if t.i < lo]
        right = [t for t in head.subtree if t.i > hi and t.i not in mine]
        out = []
        has_left = bool(left) and any(t.i in keys for t in left)
        if has_left:
            out.append(_span_of(art, si, left))
        if right and after == "," and (has_left or any(t.i in keys for t in right)):
            out.append(_span_of(art, si, right))
        return out
    # prepositional content: "called for X", "asked about X"
    if lemma in ("call", "ask", "urge", "warn"):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("for", "on", "about", "of", "against"):
                sub = list(c.subtree)[1:]
                if sub:
                    return [_span_of(art, si, sub)]
    return []


def _noun_cue(art: _Article, si: int, tok):
    """("the minister's claim that ..." / "X made the claim that ..."): content spans and speaker."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOUN_CUES:
        return None
    clause = None
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            clause = c
            break
    if clause is None:
        return None
    speaker = None
    for c in tok.lefts:
        if c.dep_ == "poss" and c.lower_ not in ("its", "their") or c.dep_ == "poss" and _ids_for_token(art, si, c):
            speaker = c
    if speaker is None:
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i < clause.i:
                speaker = next((p for p in c.children if p.dep_ == "pobj"), None)
    if speaker is None and tok.dep_ in ("dobj",) and tok.head.lemma_.lower() in _NOUN_CUE_VERBS:
        speaker = _subject(tok.head)
    if speaker is None:
        return None
    ids, words = _resolve_np(art, si, speaker)
    return [_span_of(art, si, list(clause.subtree))], ids, words


# Speech and stance verbs whose reported content is a noun phrase, a prepositional object,
# a to-infinitive or a wh-clause rather than a that-clause ("cited derogatory comments",
# "warned of a crisis", "encouraged his supporters to vote", "did not say when ..."). A
# curated list: generic verbs (have, make, get, give, show, offer, issue) never qualify.
NP_OBJECT_CUES = {
    "cite", "mention", "discuss", "criticize", "criticise", "praise", "blast", "slam", "endorse",
    "reject", "defend", "condemn", "denounce", "decry", "question", "dispute", "challenge",
    "deny", "acknowledge", "admit", "concede", "confirm", "announce", "reveal",
    "propose", "recommend", "demand", "request", "reference", "highlight", "stress",
    "emphasize", "emphasise", "underscore", "note", "describe", "detail", "outline", "tout",
    "promote", "advocate", "champion", "applaud", "hail", "laud", "commend", "mock", "ridicule",
    "dismiss", "downplay", "lambaste", "blame", "fault", "accuse", "oppose",
    "predict", "forecast", "express", "voice", "repeat", "reiterate", "echo", "promise",
    "pledge", "vow", "threaten", "claim", "allege", "explain", "recount", "deplore", "lament",
    "bemoan", "protest", "deride", "disparage", "insult", "belittle", "rebuke", "chide",
    "scold", "castigate", "assail", "berate", "excoriate", "skewer", "attack", "urge", "tweet",
    "invoke", "say", "raise", "criticise", "reaffirm", "denigrate", "trumpet", "float",
}
# Light verbs that report a stance only with a stance noun: "showed support for",
# "offered no proof that ...", "lodged a protest".
_LIGHT_VERBS = {"show", "offer", "lodge", "extend", "register", "signal"}
_STANCE_NOUNS = {"support", "opposition", "concern", "praise", "criticism", "condolence", "sympathy",
                 "solidarity", "proof", "evidence", "assurance", "apology", "warning", "objection",
                 "protest", "complaint", "endorsement", "backing", "approval", "disapproval",
                 "skepticism", "scepticism", "doubt", "willingness", "reluctance",
                 "enthusiasm", "gratitude", "regret", "explanation", "defense", "defence",
                 "justification", "argument", "proposal", "suggestion", "recommendation", "advice",
                 "opinion", "view", "congratulation", "thanks", "criticism", "guarantee"}
# Adjectives of stance after a copula: "weren't too concerned about this shift".
ADJ_CUES = {"concerned": {"about", "over", "with"}, "critical": {"of"}, "supportive": {"of"},
            "skeptical": {"of", "about"}, "sceptical": {"of", "about"}, "worried": {"about", "over"},
            "wary": {"of"}, "opposed": {"to"}, "confident": {"about", "of", "in"},
            "optimistic": {"about"}, "pessimistic": {"about"}, "hopeful": {"about", "of"},
            "doubtful": {"about", "of"}, "unsure": {"about", "of"}, "uncertain": {"about", "of"},
            "adamant": {"about"}, "vocal": {"about"}, "angry": {"about", "over", "at"},
            "upset": {"about", "over", "with"}, "furious": {"about", "over", "at", "with"},
            "outraged": {"by", "over", "at"}, "pleased": {"with", "by", "about"},
            "disappointed": {"with", "by", "in"}, "proud": {"of"}, "coy": {"about"},
            "silent": {"on", "about"}, "clear": {"about", "on"}, "firm": {"on"},
            "sure": {"about", "of"}, "dismissive": {"of"}, "contemptuous": {"of"},
            "complimentary": {"of", "about"}, "appreciative": {"of"}, "fearful": {"of"},
            "convinced": {"of"}, "certain": {"about", "of"}}
# "raised questions about ...": raise reports only these objects.
_RAISE_OBJECTS = {"question", "concern", "doubt", "issue", "possibility", "prospect", "objection",
                  "alarm", "specter", "spectre", "idea", "suspicion", "matter", "point"}
# Verbs whose object may be a bare actor ("attacked the governor", "endorses Okafor"); for the
# others ("questioned the suspect", "dismissed the minister") it is no reported content.
_ACTOR_OBJECT_OK = {
    "criticize", "criticise", "praise", "blast", "slam", "endorse", "defend", "condemn",
    "denounce", "mock", "ridicule", "lambaste", "blame", "fault", "accuse", "oppose", "back",
    "support", "deride", "disparage", "insult", "belittle", "rebuke", "chide", "scold",
    "castigate", "assail", "berate", "excoriate", "skewer", "attack", "commend", "laud", "hail",
    "applaud", "champion", "promote", "tout", "mention", "cite", "denigrate",
}
# Verbs attacking someone only in words when their subject is a person.
_PERSON_SUBJECT_ONLY = {"attack", "back", "support", "oppose", "defend", "champion", "promote",
                        "challenge", "dismiss"}
# Prepositional content: "spoke of the governor's health", "complained about the delays".
PREP_CUES = {
    "speak": {"of", "about", "on"}, "talk": {"about", "of"},
    "complain": {"about", "of"}, "warn": {"of", "about", "against"},
    "comment": {"on", "about"}, "argue": {"for", "against", "about", "over"},
    "push": {"for"}, "press": {"for"}, "lobby": {"for", "against"}, "rail": {"against"},
    "joke": {"about"}, "boast": {"about", "of"}, "brag": {"about"},
    "testify": {"about", "on"}, "write": {"about", "of"}, "tweet": {"about"},
    "insist": {"on"}, "respond": {"to"}, "reply": {"to"}, "point": {"to"},
    "allude": {"to"}, "hint": {"at"}, "elaborate": {"on"}, "weigh": {"on", "about", "in"},
    "reflect": {"on"}, "speculate": {"about", "on"}, "worry": {"about"}, "agree": {"on"},
    "disagree": {"on", "about", "over"}, "spar": {"over"},
    "advocate": {"for"}, "plead": {"for"}, "appeal": {"for"}, "apologize": {"for"},
    "apologise": {"for"}, "vouch": {"for"}, "ask": {"about", "for"}, "call": {"for"},
    "inquire": {"about", "into"}, "enquire": {"about", "into"}, "caution": {"against", "about"},
    "protest": {"against"}, "fret": {"about", "over"}, "rant": {"about"}, "muse": {"about"},
    "wonder": {"about"}, "lash": {"at"}, "hit": {"at"}, "rally": {"behind"},
    "stand": {"by"}, "side": {"with"}, "quarrel": {"over", "about"}, "bicker": {"over", "about"},
}
_REQUESTS = {"request", "message", "call", "email", "e-mail", "inquiry", "query", "question", "letter"}
# Verbs whose content is a to-infinitive, with the person told first ("encouraged his
# supporters to visit polling places", "called on Congress to act", "declined to comment").
TO_CUES = {"encourage", "urge", "ask", "invite", "implore", "press", "beg",
           "advise", "instruct", "remind", "challenge", "dare", "appeal", "call",
           "decline", "vow", "pledge", "promise", "threaten", "offer", "propose", "demand",
           "agree", "tell", "warn", "insist", "urge", "plead", "persuade", "exhort", "hope",
           "want"}
_WH_WORDS = {"whether", "how", "why", "what", "when", "where", "who", "whom", "which", "if"}
# Cue verbs reporting a wh-clause ("did not say when ...", "explained how ...").
WH_CUES = {"say", "explain", "ask", "tell", "detail", "discuss", "reveal", "disclose", "specify",
           "indicate", "describe", "question", "wonder", "know", "clarify", "address", "outline",
           "disclose", "decide", "debate", "consider", "announce", "confirm", "predict",
           "speculate", "understand", "recall", "note"}
_ASKING = {"ask", "wonder", "know", "question", "decide", "explain", "clarify", "specify", "detail",
           "disclose", "reveal", "debate", "consider", "understand"}
_PRONOUN_OBJECTS = {"it", "this", "that", "them", "him", "her", "these", "those", "everything",
                    "something", "nothing", "anything", "one", "so", "us", "me", "you", "himself",
                    "herself", "themselves", "itself", "which", "what", "who", "all", "both",
                    "some", "others", "much", "more", "little", "lot", "same", "otherwise", "such"}
# Children that end the content after the object: conjoined verbs, adverbial clauses, asides.
_STOP_DEPS = {"cc", "conj", "advcl", "parataxis", "mark", "nsubj", "nsubjpass", "punct", "dep",
              "relcl", "appos"}
_CONTENT_DEPS = {"dobj", "dative", "prep", "oprd", "xcomp", "ccomp", "acomp", "attr", "pcomp",
                 "npadvmod", "advmod", "prt", "agent", "pobj", "obj"}


def _rest_from(tok, first, start_toks):
    """``start_toks`` and every later complement of ``tok`` up to a conjunction, clause or comma."""
    toks = list(start_toks)
    rights = [c for c in tok.rights if c.i > first.i]
    for k, c in enumerate(rights):
        if c.text == "," and k + 1 < len(rights) and rights[k + 1].dep_ == "prep":
            continue  # "spoke of his flights on Marine One across the Mall, past the spire ..."
        if c.dep_ in _STOP_DEPS or c.dep_ not in _CONTENT_DEPS:
            break
        toks.extend(c.subtree)
    return toks


def _np_content(art: _Article, si: int, tok) -> list[tuple[int, int]]:
    """Spans of what the speech/stance verb ``tok`` reports when it is no that-clause:
    its object with what follows ("criticized the plan as ..."), its prepositional object
    ("warned of a crisis"), a to-infinitive ("urged his supporters to vote") or a wh-clause
    ("did not say when ...")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "ADJ" or tok.lower_ in ADJ_CUES and tok.dep_ == "acomp":
        return _adj_content(art, si, tok)
    if tok.pos_ != "VERB":
        return []
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or tok.tag_ == "VBN" and \
            tok.dep_ in ("amod", "acl") or tok.dep_ == "amod":
        return []  # passives and participles: "is supported by", "the backed rebels"
    if sum(1 for c in tok.children if c.dep_ == "nsubj") > 1:
        return []  # a garbled parse: "a company that the EU says organised flights"
    rights = list(tok.rights)
    # wh-clauses: "have not said when they would take up ...", "explained how ..."
    if lemma in WH_CUES:
        for c in rights:
            if c.dep_ in ("advcl", "ccomp", "xcomp", "dobj", "pcomp"):
                sub = list(c.subtree)
                gap = tok.doc[tok.i + 1:sub[0].i]
                wh = sub[0].lower_
                if wh in ("when", "where", "if") and lemma not in _ASKING and \
                        not any(x.dep_ == "neg" for x in tok.children):
                    break  # "said when she resigned ..., that ...": a time, not the content
                if wh in _WH_WORDS and len(gap) <= 3 and not any(t.is_punct for t in gap) \
                        and len(sub) >= 3:
                    return [_span_of(art, si, sub)]
                break
    # to-infinitives: "encouraged his supporters to visit ...", "called on Congress to act"
    if lemma in TO_CUES:
        for c in rights:
            if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                objs = [o for o in rights if o.dep_ in ("dobj", "dative") and o.i < c.i]
                if lemma == "call":
                    objs = [p for o in rights if o.dep_ == "prep" and o.lower_ == "on" and o.i < c.i
                            for p in o.children if p.dep_ == "pobj"]
                    if not objs:
                        break
                sub = [t for o in objs for t in o.subtree] + list(c.subtree)
                return [_span_of(art, si, sub)]
        if lemma == "call":
            # "called on Congress to act": the infinitive hangs off the object
            for o in rights:
                if o.dep_ == "prep" and o.lower_ == "on":
                    for p in o.children:
                        if p.dep_ == "pobj" and any(a.dep_ in ("acl", "relcl", "xcomp") and a.i > p.i and any(
                                x.dep_ == "aux" and x.lower_ == "to" for x in a.children) for a in p.children):
                            return [_span_of(art, si, list(p.subtree))]
    # prepositional objects: "spoke of Y's health", "complained about his microphone"
    if lemma in PREP_CUES:
        preps = PREP_CUES[lemma]
        for c in rights:
            if c.dep_ == "prep" and c.lower_ in preps:
                if lemma == "weigh" and c.lower_ == "in":
                    continue
                objs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                if any(p.ent_type_ in ("DATE", "TIME") for p in objs):
                    continue  # "spoke on Monday", "weighed in on Wednesday"
                if lemma in ("respond", "reply") and any(p.lemma_.lower() in _REQUESTS for p in objs):
                    return []  # "did not respond to requests for comment"
                if objs:
                    sub = [t for p in objs for t in p.subtree]
                    return [_span_of(art, si, _rest_from(tok, c, sub))]
            if c.dep_ in _STOP_DEPS and c.dep_ != "punct" or c.dep_ == "dobj":
                break
    # objects: "cited derogatory comments ...", "criticized the ACA as a “crazy system”"
    if lemma in NP_OBJECT_CUES or lemma in _LIGHT_VERBS:
        obj = next((c for c in rights if c.dep_ == "dobj"), None)
        if obj is None:
            return []
        if any(c.dep_ in ("ccomp",) and c.i < obj.i for c in rights):
            return []
        if lemma == "raise" and obj.lemma_.lower() not in _RAISE_OBJECTS or \
                lemma in _LIGHT_VERBS and obj.lemma_.lower() not in _STANCE_NOUNS:
            return []
        core = [t for t in obj.subtree if not t.is_punct]
        if obj.lower_ in _PRONOUN_OBJECTS or len(core) == 1 and obj.pos_ == "PRON":
            return []
        if obj.lemma_.lower() in NOUN_CUES | DOCUMENT_NOUNS and any(
                c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                for c in obj.children):
            return []  # "denied claims that its troops attacked": the claim is someone else's
        if lemma == "say" and len(core) < 4:
            return []  # "said nothing", "said so"
        toks = _rest_from(tok, obj, list(obj.subtree))
        if lemma not in _ACTOR_OBJECT_OK and len([t for t in toks if not t.is_punct]) == len(core):
            t = art.atok(si, obj)
            r = art.ref_covering(t.start, t.end)
            if r is not None and art.text[r.start:r.end] and len(core) <= len(art.text[r.start:r.end].split()) + 1:
                return []  # "questioned the suspect", "dismissed the minister"
        return [_span_of(art, si, toks)]
    return []


# Things of an actor that cannot take a stance themselves ("the ministry's decision raises ...").
_NON_AGENTS = {"decision", "plan", "proposal", "policy", "move", "action", "refusal", "presence",
               "position", "record", "victory", "defeat", "loss", "win", "failure", "success",
               "behavior", "behaviour", "conduct", "approach", "strategy", "agenda", "budget",
               "bill", "law", "program", "programme", "idea", "exit", "departure", "election",
               "finding", "result", "death", "health", "absence", "silence", "stance"}


def _adj_content(art: _Article, si: int, tok) -> list[tuple[int, int]]:
    """"X was critical of the plan", "weren't sure whether ...": the object of a stance adjective."""
    preps = ADJ_CUES.get(tok.lower_)
    if preps is None or tok.dep_ != "acomp" or \
            tok.head.lemma_.lower() not in ("be", "become", "seem", "remain", "appear", "grow", "sound"):
        return []
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in preps:
            objs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
            if objs:
                return [_span_of(art, si, [t for p in objs for t in p.subtree])]
        if c.dep_ in ("ccomp", "advcl") and tok.lower_ in ("sure", "unsure", "uncertain", "confident",
                                                           "clear", "adamant", "hopeful", "doubtful",
                                                           "optimistic", "pessimistic", "concerned",
                                                           "worried", "convinced", "certain"):
            sub = list(c.subtree)
            if sub[0].lower_ in ("that", "whether", "if", "how", "what", "why", "when") or c.dep_ == "ccomp":
                return [_span_of(art, si, sub)]
    return []


def _agentive(art: _Article, si: int, subj) -> bool:
    """The subject can hold a view: not a thing of an actor's ("the ministry's decision raises ...")."""
    if subj is None or subj.pos_ in ("PRON", "PROPN"):
        return True
    return subj.lemma_.lower() not in _NON_AGENTS


def _person_subject(art: _Article, ids: list[str]) -> bool:
    return bool(ids) and all(art.actors[i].kind == "person" for i in ids if i in art.actors) and \
        any(i in art.actors for i in ids)


# Off: only that-clauses, quotes and "according to" (the behaviour before object content).
NP_CONTENT = True
_NP_NEED_IDS = True
_NP_VERBS = NP_OBJECT_CUES | set(PREP_CUES) | TO_CUES | WH_CUES | _LIGHT_VERBS


def _indirect(art: _Article, marked: list[_Q], cues: set[str], np_content: bool = True) -> list[_Q]:
    out: list[_Q] = []
    text = art.text
    for si, s in enumerate(art.sents):
        for tok in s.span:
            noun = None
            np_verb = np_content and (tok.pos_ == "VERB" and tok.lemma_.lower() in _NP_VERBS or
                                      tok.dep_ == "acomp" and tok.lower_ in ADJ_CUES)
            if _is_cue(tok, cues) or np_verb:
                pass
            else:
                noun = _noun_cue(art, si, tok)
                if noun is None:
                    continue
            if noun is not None:
                spans, ids, words = noun
                cue = tok.text
                subj = None
            elif tok.lower_ == "according":
                head = tok.head
                if head.i == tok.i:
                    continue
                # the clause "according to X" modifies: the sentence minus the phrase
                sub = list(tok.subtree)
                pa, pb = _span_of(art, si, sub)
                left = _clean_edges(text, s.start, pa)
                right = _clean_edges(text, pb, s.end)
                if right[1] > right[0] and text[right[1] - 1] == ".":
                    right = (right[0], right[1] - 1)
                if left[1] > left[0] and text[left[1] - 1] == ".":
                    left = (left[0], left[1] - 1)
                spans = [left if (left[1] - left[0]) >= (right[1] - right[0]) else right]
            else:
                spans = _content_clause(art, si, tok)
            # content of a verb that was no cue before: kept out of event attribution
            is_np = np_verb and noun is None and not _is_cue(tok, cues)
            if not spans and np_verb:
                spans = _np_content(art, si, tok)
                is_np = bool(spans)
            if not spans:
                continue
            if noun is None:
                # "X was critical of ...": the copula's subject holds the stance
                res = _speaker_of_cue(art, si, tok.head if tok.dep_ == "acomp" else tok)
                if res is None:
                    continue
                ids, words, subj = res
                cue = _cue_text(art, si, tok)
                if is_np and (_NP_NEED_IDS and not ids or not _agentive(art, si, subj) or
                              tok.lemma_.lower() in _PERSON_SUBJECT_ONLY and not _person_subject(art, ids)):
                    continue  # "the findings raised questions": only actors take a stance
            for content in spans:
                ca, cb = _clean_edges(text, *content)
                if art.in_removed(ca, cb):
                    continue
                if is_np:
                    if cb - ca < 3 or text[ca:cb].lower() in _PRONOUN_OBJECTS:
                        continue
                elif cb - ca < 8 or len(text[ca:cb].split()) < 2:
                    continue
                # direct quotes already carry it
                cov = sum(max(0, min(cb, m.mark_end) - max(ca, m.mark_start)) for m in marked)
                if cov >= 0.6 * (cb - ca):
                    continue
                if subj is not None and ca <= art.atok(si, subj).start < cb:
                    continue
                q = _Q(start=ca, end=cb, mark_start=ca, mark_end=cb, para=s.paragraph, kind="indirect")
                q.speaker_ids, q.speaker_text, q.cue = ids, words, cue
                q.np = is_np
                out.append(q)
    return out


# ---------------------------------------------------------------------------
# API

def extract(text: str, sents, refs, actors: list[Actor], removed: list[Removed],
            cognitive: bool = True, np_content: bool | None = None) -> list[Quote]:
    """Direct, partial and indirect quotes of one article, each with its speaker.

    ``np_content`` (default ``NP_CONTENT``) adds reported content that is an object, a
    prepositional object, a to-infinitive or a wh-clause ("criticized the plan")."""
    if not sents:
        return []
    art = _Article(text, sents, refs, actors, removed)
    marked = _find_marked(art)
    marked = _attribute_marked(art, marked)
    marked += _labelled_paragraphs(art, marked)
    cues = SPEECH_CUES | (COGNITIVE_CUES if cognitive else set())
    indirect = _indirect(art, marked, cues, NP_CONTENT if np_content is None else np_content)
    allq = marked + indirect
    seen = set()
    quotes: list[Quote] = []
    for q in sorted(allq, key=lambda q: (q.start, q.end)):
        key = (q.start, q.end)
        if key in seen:
            continue
        seen.add(key)
        speaker = _pick_speaker(art, q.speaker_ids)
        rec = Quote(id="", text=text[q.start:q.end], start=q.start, end=q.end, kind=q.kind,
                            speaker=speaker, speaker_text=q.speaker_text, cue=q.cue)
        if q.np:
            # a stance on something ("condemned the attack") does not make it hearsay
            rec._np_content = True
        quotes.append(rec)
    for i, q in enumerate(quotes, 1):
        q.id = f"Q{i}"
    return quotes


def _pick_speaker(art: _Article, ids: list[str]) -> str | None:
    if not ids:
        return None
    order = {"person": 0, "organization": 1, "group": 2, "state": 3}
    known = [i for i in ids if i in art.actors]
    if not known:
        return ids[0]
    return known[0] if len(known) == 1 else sorted(known, key=lambda i: order.get(art.actors[i].kind, 9))[0]


def speaker_of_offset(quotes: list[Quote], start: int, end: int) -> str | None:
    """Actor id of the innermost quote or reported statement that covers text[start:end]."""
    covering = [q for q in quotes if q.start <= start and end <= q.end and not getattr(q, "_np_content", False)]
    covering.sort(key=lambda q: q.end - q.start)
    for q in covering:
        if q.speaker:
            return q.speaker
    return None
