"""Is it real? ``negated`` (not/never, "failed to", "refused to", "ruled out"), ``hypothetical``
(inside or governed by an if/unless clause, wished for, demanded, an unconfirmed report),
``future`` (will, would, plans to, is expected to ...), else ``asserted``."""
from __future__ import annotations

from .. import triggers
from .base import lemma, particles


def has_negation(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or c.lower_ in ("never",) and c.dep_ == "advmod":
            return True
        # "No shots were fired", "fired no shots", "nobody was arrested"
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (c.lower_ in ("nobody", "nothing", "none", "no-one")
                                                        or any(d.dep_ in ("det", "preconj") and d.lower_ in ("no", "neither") for d in c.children)):
            return True
    return False


def _clause_chain(tok, limit=4):
    """The trigger and the heads it hangs from within its own clause (xcomp, aux, acomp)."""
    chain = [tok]
    t = tok
    for _ in range(limit):
        if t.dep_ in ("xcomp", "acomp", "pcomp") or (t.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)):
            t = t.head
            chain.append(t)
            if t.dep_ == "prep":
                t = t.head
                chain.append(t)
        else:
            break
    return chain


def inverted_if(t) -> bool:
    """A condition told by inversion at the head of its sentence: "Were the court to reject ...",
    "Had the army not pulled back ...", "Should Iran close the strait, ..."."""
    first = t.sent[0] if t.sent is not None else None
    if first is None or first.lower_ not in ("were", "had", "should"):
        return False
    if first.i == t.i:
        return any(c.dep_ == "nsubj" for c in t.children)
    return first.head.i == t.i and first.dep_ in ("aux", "auxpass") and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i > first.i for c in t.children)


def clause_status(tok) -> tuple[str, list]:
    chain = _clause_chain(tok)
    # negation anywhere in the chain, or a negating governor ("failed to", "refused to")
    for i, t in enumerate(chain):
        if has_negation(t):
            return "negated", chain
        if i > 0 and lemma(t) in triggers.NEGATING_GOVERNORS:
            return "negated", chain
        if i > 0 and lemma(t) == "rule" and "out" in particles(t):
            return "negated", chain  # "Nigeria had ruled out sending troops"
        if t.lower_ == "able" and any(has_negation(x) for x in (t, t.head)):
            return "negated", chain
    if _wished_for(tok):
        return "hypothetical", chain
    # conditional: inside an if/unless clause, or the consequent of one
    t = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children) or inverted_if(t):
            return "hypothetical", chain
        if t.dep_ in ("ROOT",) or t.head.i == t.i:
            break
        if t.dep_ in ("ccomp",):
            break
        t = t.head
    root = chain[-1]
    auxes = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")}
    heads = [root]
    while heads[-1].dep_ == "conj" and heads[-1].head.i != heads[-1].i and len(heads) < 4:
        heads.append(heads[-1].head)
    has_if = any(c.dep_ in ("advcl", "ccomp") and (any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                                                   or inverted_if(c))
                 for h in heads for c in h.children)
    auxes |= {c.lower_ for h in heads[1:] for c in h.children if c.dep_ in ("aux", "auxpass")}
    # unconfirmed reports: "refused to confirm reports that the navy had sent ..."
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            break
        if t.dep_ in ("acl", "ccomp") and lemma(t.head) in ("report", "claim", "allegation", "rumour", "rumor", "speculation"):
            gov = t.head.head
            if lemma(gov) in ("confirm", "verify") and (has_negation(gov) or lemma(gov.head) in ("refuse", "decline", "fail")) \
                    or lemma(gov) in ("deny", "dismiss", "reject"):
                return "hypothetical", chain
        t = t.head
    if has_if and auxes & {"would", "could", "might", "will"}:
        return "hypothetical", chain
    if auxes & {"will", "shall", "'ll", "’ll", "wo"}:
        return "future", chain
    if "would" in auxes:
        return "future", chain
    if auxes & {"could", "might", "may"}:
        return "hypothetical", chain
    for t in chain[1:]:
        lem = lemma(t)
        if lem in triggers.FUTURE_GOVERNORS or t.lower_ in ("expected", "scheduled", "due", "set", "likely", "poised", "going"):
            return "future", chain
    # "is to visit", "are set to"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and chain[-1] is tok:
        head = tok.head
        if head.lemma_ == "be":
            return "future", chain
    return "asserted", chain


def _wished_for(tok) -> bool:
    """The event is only wanted, asked for or ordered: "protesters want the government to repeal
    the law", "the union demanded that the ministry rescind its ban", "ordered the troops to
    withdraw". The asking is an event of its own (REQUEST, COERCE ...); what is asked for has not
    happened."""
    t = tok
    for _ in range(3):
        if t.head.i == t.i or t.dep_ not in ("xcomp", "ccomp"):
            return False
        gov = t.head
        lem = lemma(gov)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        if lem in triggers.DIRECTIVE_GOVERNORS and infinitive and t.dep_ == "ccomp":
            return True  # "want X to V", "urged X to V": X is the subject of the infinitive
        if lem in ("want", "wish") and infinitive and not has_negation(gov):
            return True  # "wants to annex": still only wanted
        if lem in triggers.MANDATIVE_GOVERNORS and t.dep_ == "ccomp":
            auxes = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
            # mandative subjunctive: "demanded that the ministry rescind its ban" (tagged as a
            # base or present form); after insist/suggest only the base form or "should" (else a report)
            base = t.tag_ == "VB" or (t.tag_ == "VBP" and lem not in ("insist", "suggest"))
            if "should" in auxes or base and not auxes & {"will", "would", "has", "have", "had", "did", "does", "do"}:
                return True
        t = gov
    return False


def scheduled(tok) -> bool:
    """Set for a date: "called a national strike for next Tuesday", "talks scheduled for May"."""
    nouns = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.i != tok.i:
        nouns.append(tok.head)  # "called a strike for next Tuesday": the date hangs off the verb
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(g.lower_ in _POINTS_AHEAD for g in c.subtree)
               and not any(g.like_num for g in c.subtree)  # "for three days" is a duration
               for n in nouns for c in n.children)


_POINTS_AHEAD = {"next", "tomorrow", "later", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                 "sunday", "weekend", "upcoming", "coming"}
