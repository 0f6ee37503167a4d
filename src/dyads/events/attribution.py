"""According to whom: an event inside what someone says gets the speaker in ``attributed_to``;
inside a denial the deniers go to ``denied_by``. Statements that announce one's own punitive act
or make it conditional on the other side are threats in their own right."""
from __future__ import annotations

from .. import triggers
from .base import Draft, SentenceView, countries_of, lemma
from .roles import subject_of


def speech_context(tok, sent: SentenceView):
    """(attributed_to, denied_by, governing verb) for an event inside reported speech."""
    t = tok
    for _ in range(10):
        if t.dep_ in ("ccomp", "parataxis"):
            gov = t.head
            lem = lemma(gov)
            subj = subject_of(gov)
            ids = sent.actors_in(subj) if subj is not None else []
            if lem in triggers.DENIAL_VERBS:
                return [], ids, gov
            if lem in triggers.SPEECH_VERBS:
                return ids, [], gov
        if t.head.i == t.i:
            break
        t = t.head
    # "according to X"
    for tok2 in sent.info.span:
        if tok2.lower_ == "according" and tok2.i + 1 < len(tok2.doc) and tok2.doc[tok2.i + 1].lower_ == "to":
            for g in tok2.doc[tok2.i + 1].children:
                if g.dep_ == "pobj":
                    return sent.actors_in(g), [], None
    return [], [], None


def eval_is_about_others(tok, sent: SentenceView, speaker: list[str]) -> bool:
    """An evaluative statement counts only when its judging words sit in its content and the
    content is about someone other than the speaker."""
    content = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis", "dobj", "oprd", "xcomp")]
    if not content:
        return False
    words = " ".join(t.lower_ for c in content for t in c.subtree)
    if not any(w in words for w in triggers.NEGATIVE_EVAL + triggers.POSITIVE_EVAL):
        return False
    about = []
    for c in content:
        for t in c.subtree:
            r = sent.by_token.get(t.i)
            if r:
                about.extend(i for i in r.actor_ids if i not in speaker)
    return bool(about)


_STATING = {"say", "announce", "state", "declare", "tell", "add", "insist", "stress", "confirm", "vow", "pledge",
            "promise", "reiterate", "signal", "make"}


def stated_threat(tok, d: Draft, subj, gov) -> Draft | None:
    """"Beijing said it would impose sanctions on the firms", "the militia says it would cut ties with
    him": an actor announcing its own future punitive act against someone is a threat (THREATEN;
    manual: "coercive or forceful warnings with serious potential repercussions"). The future act
    itself stays a future event."""
    if d.status != "future" or d.type not in ("SANCTION", "COERCE", "ASSAULT") or gov is None:
        return None
    if lemma(gov) not in _STATING:
        return None
    if subj is None or subj.lower_ not in ("it", "we", "they", "he", "she", "i"):
        return None  # "X said Y would ..." reports someone else's plans
    if any(c.dep_ == "neg" for c in tok.children):
        return None
    return Draft(type="THREATEN", cands=["THREATEN"], trigger=gov, sent=d.sent, actor=list(d.actor),
                  recipient=list(d.recipient), status="asserted", attributed_to=[], confidence=0.55)


def conditional_threat(tok, d: Draft, sent: SentenceView, status: str, result) -> Draft | None:
    """"If X crosses the river, we will respond": the speaker's side threatens X."""
    if status != "hypothetical" or d.type in ("AGREE", "SUPPORT", "CONSULT", "AID", "COOPERATE", "CONCEDE", "RETREAT"):
        return None
    heads = [tok]
    while heads[-1].dep_ == "conj" and heads[-1].head.i != heads[-1].i and len(heads) < 4:
        heads.append(heads[-1].head)
    if not any(a.dep_ == "aux" and a.lower_ in ("will", "would", "'ll", "’ll", "shall", "wo")
               for h in heads for a in h.children):
        return None  # "Ethiopia might move troops if ...": a guess, not a warning
    if d.attributed_to and not set(d.attributed_to) & set(d.actor) and not (
            countries_of(d.attributed_to, result) & countries_of(d.actor, result)):
        return None  # analysts saying what a state would do if ...: their reading, not its threat
    for c in (c for h in heads for c in h.children):
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            subj = subject_of(c)
            targets = [i for i in (sent.actors_in(subj) if subj is not None else []) if i not in d.actor]
            if not targets:
                return None
            return Draft(type="THREATEN", cands=["THREATEN"], trigger=tok, sent=d.sent, actor=list(d.actor),
                          recipient=targets, status="asserted", attributed_to=list(d.attributed_to),
                          confidence=0.55)
    return None

