"""Who did it to whom: the actor is the trigger's subject (through xcomp, conj, "by"/"including"
+ gerund and relative clauses; the agent of a passive), the recipient its object or the object of
a type-specific preposition; pronouns, first person inside quotes, speakers of reported acts,
places visited and whose air strike a casualty report names fill the gaps."""
from __future__ import annotations

from .. import triggers
from ..records import ArticleResult
from .base import RECIPIENT_PREPS, SentenceView, lemma


_STATEMENT_NOUNS = {"statement", "communique", "communiqué", "letter", "declaration", "resolution", "note", "message"}


def subject_of(tok):
    """The grammatical subject of ``tok``'s clause, following xcomp, conj and gerund links."""
    seen = 0
    t = tok
    while t is not None and seen < 6:
        seen += 1
        kids = list(t.children)
        kids += [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children]  # parse slips
        for c in kids:
            if c.dep_ in ("nsubj", "csubj"):
                if c.lower_ in ("who", "which", "that") and t.dep_ == "relcl":
                    return t.head
                return c
            if c.dep_ == "nsubjpass":
                for c2 in t.children:
                    if c2.dep_ == "agent":
                        for c3 in c2.children:
                            if c3.dep_ == "pobj":
                                return c3
                return None if t is tok else c
        if t.dep_ == "xcomp" and t.head is not t:
            # object control: "prompting Bogota to accuse ...", "urged Iran to release ..."
            objs = [c for c in t.head.children if c.dep_ in ("dobj",) and c.i < t.i]
            if objs:
                return objs[0]
        if t.dep_ in ("xcomp", "conj", "advcl", "acomp") and t.head is not t:
            t = t.head
            continue
        if t.dep_ in ("pcomp", "pobj") and t.head.dep_ == "prep" and t.head.lower_ in ("by", "including", "after", "before", "while", "in"):
            t = t.head.head
            continue
        if t.dep_ == "relcl":
            return t.head
        if t.dep_ == "acl" and t.tag_ == "VBG" and lemma(t.head) in _STATEMENT_NOUNS and t.head.dep_ in ("dobj", "nsubjpass") \
                and t.head.head is not t.head and lemma(t.head.head) in ("issue", "release", "publish", "send", "deliver", "adopt", "pass", "sign"):
            # "the ministry issued a statement condemning ...": who issued it
            t = t.head.head
            continue
        if t.dep_ == "acl" and t.head.pos_ == "NOUN":
            # "North Korea's decision to provide ..." -> the possessor of the noun
            for c in t.head.children:
                if c.dep_ == "poss":
                    return c
            return None
        return None
    return None


def objects_of(tok, ptype: str) -> list:
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "dative", "attr", "oprd"):
            out.append(c)
        elif c.dep_ == "nsubjpass":
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS.get(ptype, ()):
            out.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prt":
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append(g)
    # "turned to X for assistance": the "to" object is the recipient of the request
    if ptype == "REQUEST":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "to":
                out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _expand_including(tok, sent: SentenceView) -> list[str]:
    """Recipients named after "including"/"such as" under a generic noun ("other countries ... including X, Y")."""
    out = []
    for c in tok.subtree:
        if c.dep_ == "prep" and c.lower_ in ("including", "like", "as") and c.head.i in [x.i for x in tok.subtree]:
            for g in c.children:
                if g.dep_ == "pobj":
                    for i in sent.actors_in(g):
                        if i not in out:
                            out.append(i)
    return out


def recipients(tok, ptype: str, sent: SentenceView, actor_ids: list[str]) -> list[str]:
    out: list[str] = []
    for o in objects_of(tok, ptype):
        ids = sent.actors_in(o)
        if not ids:
            ids = _expand_including(o, sent)
        for i in ids:
            if i not in out and i not in actor_ids:
                out.append(i)
    # noun-headed light verbs: "impose sanctions on X", "launched strikes against X"
    for c in tok.children:
        if c.dep_ in ("dobj",):
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("on", "against", "to", "with", "for"):
                    for g in p.children:
                        if g.dep_ == "pobj":
                            for i in sent.actors_in(g):
                                if i not in out and i not in actor_ids:
                                    out.append(i)
    return out


def pronoun_state(tok, sent_idx: int, sents: list[SentenceView], exclude: list[str], result: ArticleResult) -> list[str]:
    """'it'/'them' as an object: the most recent state or organisation mentioned before it."""
    pos = sents[sent_idx].info.offset + tok.idx
    best, best_key = None, None
    for s in sents[max(0, sent_idx - 2): sent_idx + 1]:
        subj_tokens = {t.i for t in s.info.span if t.dep_ in ("nsubj", "nsubjpass")}
        for r in s.refs:
            if r.start < pos and len(r.actor_ids) == 1 and r.actor_ids[0] not in exclude:
                a = result.actor(r.actor_ids[0])
                if not a or a.kind not in ("state", "organization"):
                    continue
                toks = [i for i, rr in s.by_token.items() if rr is r]
                is_subj = any(i in subj_tokens or s.info.span.doc[i].head.i in subj_tokens and s.info.span.doc[i].dep_ in ("poss", "compound") for i in toks)
                key = (s.si == sent_idx, r.how != "demonym", is_subj, r.start)
                if best_key is None or key > best_key:
                    best, best_key = r, key
    return list(best.actor_ids) if best else []


def host_from_place(tok, sent: SentenceView, result: ArticleResult, place_at, actor: list[str]) -> list[str]:
    from ..records import Actor, Mention

    for c in tok.children:
        objs = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in ("in", "to", "at") else []
        for o in objs:
            for t in sorted([o] + [x for x in o.children if x.dep_ == "compound"], key=lambda x: x.i):
                p = place_at.get(sent.info.offset + t.idx)
                if p is None or not p.country:
                    continue
                host = next((a for a in result.actors if a.kind == "state" and a.country == p.country), None)
                if host is None:
                    m = next((m for m in p.mentions if m.start == sent.info.offset + t.idx), None)
                    if m is None:
                        continue
                    host = Actor(id=f"A{len(result.actors) + 1}", name=p.name if p.kind == "country" else
                                 (result.actors and _country_name(p.country)) or p.country,
                                 kind="state", country=p.country,
                                 mentions=[Mention(m.start, m.end, m.text, "capital" if p.kind == "city" else "name")])
                    result.actors.append(host)
                if host.id in actor:
                    return []
                return [host.id]
    return []


def _country_name(iso3: str) -> str:
    from ..gazetteer import base

    return base().country_name(iso3) or iso3


FORCES = {"troop", "soldier", "force", "unit", "warship", "jet", "battalion", "tank", "police", "policeman", "officer",
           "reservist", "marine", "paratrooper", "brigade", "division", "army", "navy", "vessel", "ship", "aircraft",
           "missile", "reinforcement", "personnel", "guard", "militia", "militiaman", "fighter", "commando"}


_ATTACK_NOUNS = {"strike", "airstrike", "attack", "raid", "bombing", "shelling", "ambush", "assault", "offensive",
                 "bombardment", "fire", "gunfire", "operation", "barrage", "clash", "crossfire"}


def attack_owner(tok, sent: SentenceView) -> list[str]:
    """Whose attack a passive casualty report names: "killed in an Israeli air strike"."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "during"):
            for g in c.children:
                if g.dep_ == "pobj" and (lemma(g) in _ATTACK_NOUNS or any(lemma(x) in _ATTACK_NOUNS for x in g.children if x.dep_ == "compound")):
                    # only the attacker named on the noun itself ("Israeli", "coalition", "Russia's")
                    ids = []
                    for x in g.children:
                        if x.dep_ in ("amod", "compound", "poss", "nmod"):
                            ids += [i for i in sent.actors_in(x) if i not in ids]
                    if ids:
                        return ids
    return []


def first_person(tok, sent: SentenceView, result: ArticleResult, quotes) -> list[str]:
    """"we"/"I" inside a quote: the speaker, or for an official speaking for a state, the state."""
    pos = sent.info.offset + tok.idx
    for q in quotes:
        if q.kind in ("direct", "partial") and q.start <= pos < q.end and q.speaker:
            spk = result.actor(q.speaker)
            if spk is None:
                return []
            if tok.lower_ == "i" or spk.kind != "person":
                return [spk.id]
            if spk.country and spk.sector in ("GOV", "MIL", "COP", "LEG", None):
                state = next((a for a in result.actors if a.kind == "state" and a.country == spk.country), None)
                return [state.id] if state else [spk.id]
            return [spk.id]
    return []


def speaker_as_agent(tok, subj, sent: SentenceView) -> list[str]:
    """Inside what someone says, "they"/"we" and agentless passives are the speaker's own acts
    ("police said they had arrested 14 men"; "two citizens were arrested, the security service
    said"); a verb conjoined into the content by a parse slip belongs to the speaker too
    ("X said ... and accused Y")."""
    pron = subj is not None and subj.lower_ in ("they", "we", "it")
    passive = subj is None and any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
    slip = tok.dep_ == "conj" and lemma(tok) in ("accuse", "blame", "condemn", "warn", "urge", "call", "deny", "reject")
    if not (pron or passive or slip):
        return []
    t = tok
    for _ in range(8):
        if t.head is t:
            break
        if t.dep_ in ("ccomp", "parataxis") or (slip and t.dep_ == "conj"):
            gov = t.head
            while gov.dep_ in ("ccomp", "conj") and lemma(gov) not in triggers.SPEECH_VERBS and gov.head is not gov:
                gov = gov.head
            if lemma(gov) in triggers.SPEECH_VERBS:
                s = subject_of(gov)
                if s is not None:
                    ids = sent.actors_in(s)
                    if ids:
                        return ids
        t = t.head
    return []


def home_state(result: ArticleResult) -> list[str]:
    counts: dict[str, int] = {}
    for a in result.actors:
        if a.kind == "state":
            counts[a.id] = len(a.mentions)
    if not counts:
        return []
    return [max(counts, key=counts.get)]


def if_subjects(tok, sent: SentenceView, exclude: list[str]) -> list[str]:
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            subj = subject_of(c)
            if subj is not None:
                return [i for i in sent.actors_in(subj) if i not in exclude]
    return []


def content_subjects(tok, sent: SentenceView, exclude: list[str]) -> list[str]:
    """Whom a statement is about: the subject of its content clause ("said Baghdad has not ...")."""
    heads = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    if tok.dep_ == "advcl" and any(m.lower_ == "as" for m in tok.children if m.dep_ == "mark"):
        heads += [c for c in tok.head.children if c.dep_ == "ccomp"]
    out: list[str] = []
    for h in heads:
        subj = subject_of(h)
        if subj is None:
            for c in h.children:
                if c.dep_ in ("nsubjpass",):
                    subj = c
        if subj is not None:
            for i in sent.actors_in(subj):
                if i not in exclude and i not in out:
                    out.append(i)
    return out

