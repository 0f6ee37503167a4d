"""Shared pieces of the event stage: the draft event and a sentence's token -> actor lookup."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..actors import MentionRef, SentInfo


SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")


RECIPIENT_PREPS = {
    "CONSULT": ("with", "in", "at", "to"),
    "AID": ("to", "for"),
    "SANCTION": ("on", "against", "from", "to"),
    "ASSAULT": ("on", "against", "at", "in", "into"),
    "ACCUSE": ("of", "for", "against", "over", "to"),
    "PROTEST": ("against", "outside", "at"),
    "REQUEST": ("to", "from", "on"),
    "REJECT": ("from", "of"),
    "THREATEN": ("against", "with"),
    "COOPERATE": ("with",),
    "AGREE": ("with",),
    "SUPPORT": ("for", "with", "to"),
    "MOBILIZE": ("against", "toward", "towards", "near", "with", "along"),
    "COERCE": ("from",),
    "RETREAT": ("from",),
    "CONCEDE": ("to",),
}


EXCLUDE_ARG_DEPS = {"relcl", "acl", "advcl", "ccomp", "punct", "parataxis"}


@dataclass
class Draft:
    type: str
    cands: list[str]
    trigger: object          # spaCy token
    sent: int
    actor: list[str]
    recipient: list[str]
    status: str = "asserted"
    attributed_to: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    confidence: float = 0.6
    embedded: bool = False
    origin: str = "lexicon"      # lexicon | model | both
    model_type: str | None = None
    model_score: float = 0.0
    period: bool = False         # dated by the end of a closed period ("from 1895 until 1945")


class SentenceView:
    """Token -> actor lookups for one sentence."""

    def __init__(self, si: int, info: SentInfo, refs: list[MentionRef]):
        self.si = si
        self.info = info
        self.refs = refs  # this sentence's mentions
        self.by_token: dict[int, MentionRef] = {}
        for r in self.refs:
            for t in info.span:
                a = info.offset + t.idx
                if r.start <= a < r.end:
                    self.by_token.setdefault(t.i, r)

    def actors_in(self, tok) -> list[str]:
        """Actor ids named by the phrase headed by ``tok`` (not descending into clauses)."""
        out: list[str] = []

        def add(ids):
            for i in ids:
                if i not in out:
                    out.append(i)

        def walk(t, depth):
            r = self.by_token.get(t.i)
            if r is not None:
                add(r.actor_ids)
            for c in t.children:
                if c.dep_ in EXCLUDE_ARG_DEPS:
                    continue
                if c.dep_ == "appos" and c.ent_type_ == "PERSON" and t.ent_type_ in ("GPE", "LOC", "FAC"):
                    continue  # "... from Syria, Defence Minister Sergei Shoigu said": the parse's slip, not Syria
                if c.dep_ == "prep" and c.lower_ not in ("of", "including", "like", "among") and depth > 0 \
                        and not (c.lower_ == "from" and t.dep_ == "prep"):
                    continue
                if c.dep_ == "prep" and c.lower_ == "from" and depth == 0 and t.pos_ == "NOUN":
                    walk(c, depth + 1)
                    continue
                if c.dep_ == "prep" and c.lower_ in ("for", "in", "at", "on", "by", "with", "from", "over", "against",
                                                     "to", "during", "after", "before", "despite", "since"):
                    continue
                walk(c, depth + 1)

        walk(tok, 0)
        return out


def lemma(t) -> str:
    return t.lemma_.lower()


def countries_of(ids, result) -> set[str]:
    """The countries of the actors ``ids`` (those that have one)."""
    out = set()
    for i in ids:
        a = result.actor(i) if result is not None else None
        if a is not None and a.country:
            out.add(a.country)
    return out


def own_states(ids, actor: list[str], result) -> bool:
    """Every actor of ``ids`` is a state of the ``actor`` side's own countries (true of none):
    "Kenya must defend its borders", said by Kenya's president."""
    own = countries_of(actor, result)
    return all(result.actor(i) is not None and result.actor(i).kind == "state" and result.actor(i).country in own
               for i in ids)


_PARTICLES = {"out", "back", "down", "up", "off", "over", "in", "away"}


def particles(tok) -> set[str]:
    """Verb particles, including ones the parser attaches as adverbs or bare prepositions
    ("stepped down", "pulled its troops out of the region")."""
    out = set()
    for c in tok.children:
        if c.dep_ == "prt":
            out.add(c.lower_)
        elif c.dep_ in ("advmod", "prep") and c.i > tok.i and c.lower_ in _PARTICLES \
                and not any(g.dep_ == "pobj" for g in c.children):
            out.add(c.lower_)
    return out

