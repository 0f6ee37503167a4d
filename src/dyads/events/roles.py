"""Who did it to whom: the actor is the trigger's subject (through xcomp, conj, "by"/"including"
+ gerund and relative clauses; the agent of a passive), the recipient its object or the object of
a type-specific preposition; pronouns, first person inside quotes, speakers of reported acts,
places visited and whose air strike a casualty report names fill the gaps."""
from __future__ import annotations

from .. import lexicon, triggers
from ..actors import is_dateline
from ..records import ArticleResult
from .base import RECIPIENT_PREPS, SentenceView, countries_of, lemma


_STATEMENT_NOUNS = {"statement", "communique", "communiqué", "letter", "declaration", "resolution", "note", "message"}


def agent_of(tok):
    """The object of ``tok``'s "by" agent phrase ("was attacked by rebels": rebels), or None."""
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def passive_agent(tok):
    """The agent of a subjectless passive ("after being beaten by police"), or None."""
    kids = list(tok.children)
    if not any(c.dep_ == "auxpass" for c in kids) or any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in kids):
        return None
    return agent_of(tok)


def subject_of(tok):
    """The grammatical subject of ``tok``'s clause, following xcomp, conj and gerund links."""
    agent = passive_agent(tok)
    if agent is not None:
        return agent  # "died after being tortured by guards": the guards
    seen = 0
    t = tok
    while t is not None and seen < 6:
        seen += 1
        kids = list(t.children)
        kids += [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children]  # parse slips
        if sum(c.dep_ in ("nsubj", "csubj") for c in kids) > 1:
            # a dateline taken for a second subject ("KABUL (Pajhwok): The OIC and Iran condemned
            # ...") is not the subject
            kids = [c for c in kids if not is_dateline(c, c)]
        for c in kids:
            if c.dep_ in ("nsubj", "csubj"):
                if c.lower_ in ("who", "which", "that") and t.dep_ == "relcl":
                    return t.head
                return c
            if c.dep_ == "nsubjpass":
                agent = agent_of(t)
                if agent is not None:
                    return agent
                return None if t is tok else c
        if t.dep_ == "xcomp" and t.head.i != t.i:
            # object control: "prompting Bogota to accuse ...", "urged Iran to release ..."
            objs = [c for c in t.head.children if c.dep_ in ("dobj",) and c.i < t.i]
            if objs:
                return objs[0]
        if t.dep_ in ("xcomp", "conj", "advcl", "acomp") and t.head.i != t.i:
            t = t.head
            continue
        if t.dep_ in ("pcomp", "pobj") and t.head.dep_ == "prep" and t.head.lower_ in ("by", "including", "after", "before", "while", "in"):
            t = t.head.head
            continue
        if t.dep_ == "relcl":
            return t.head
        if t.dep_ == "acl" and t.tag_ == "VBG" and lemma(t.head) in _STATEMENT_NOUNS and t.head.dep_ in ("dobj", "nsubjpass") \
                and t.head.head.i != t.head.i and lemma(t.head.head) in ("issue", "release", "publish", "send", "deliver", "adopt", "pass", "sign"):
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


def pp_objects(tok, preps) -> list:
    """The objects of ``tok``'s prepositional phrases headed by one of ``preps`` ("on X", "to X")."""
    return [g for p in tok.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children if g.dep_ == "pobj"]


def _forces_moved(o) -> bool:
    """The object of a deployment or withdrawal is the actor's own forces ("pulled its soldiers out
    of", "called up the reserves"), not whom the move is aimed at."""
    words = [o] + pp_objects(o, ("of",))
    return any(lemma(w) in FORCES or w.lower_ in FORCES or w.lower_ in ("military", "forces", "reserves") for w in words)


def recipients(tok, ptype: str, sent: SentenceView, actor_ids: list[str]) -> list[str]:
    out: list[str] = []
    for o in objects_of(tok, ptype):
        if ptype in ("MOBILIZE", "RETREAT") and o.dep_ == "dobj" and _forces_moved(o):
            continue
        ids = sent.actors_in(o)
        if not ids:
            ids = _expand_including(o, sent)
        for i in ids:
            if i not in out and i not in actor_ids:
                out.append(i)
    # noun-headed light verbs: "impose sanctions on X", "launched strikes against X"
    for c in tok.children:
        if c.dep_ == "dobj":
            for g in pp_objects(c, ("on", "against", "to", "with", "for")):
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
    for c in tok.children:
        objs = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in ("in", "to", "at") else []
        for o in objs:
            for t in sorted([o] + [x for x in o.children if x.dep_ == "compound"], key=lambda x: x.i):
                host = place_state(sent.info.offset + t.idx, result, place_at)
                if host is None:
                    continue
                if host.id in actor:
                    return []
                return [host.id]
    return []


def place_state(offset: int, result: ArticleResult, place_at: dict):
    """The state a geocoded place at ``offset`` belongs to (made an actor if the story has none),
    or None when no place starts there: a town that is hit stands for its state."""
    from ..records import Actor, Mention

    p = place_at.get(offset)
    if p is None or not p.country:
        return None
    host = next((a for a in result.actors if a.kind == "state" and a.country == p.country), None)
    m = next((m for m in p.mentions if m.start == offset), None)
    if host is None:
        if m is None:
            return None
        host = Actor(id=f"A{len(result.actors) + 1}", name=p.name if p.kind == "country" else
                     (result.actors and _country_name(p.country)) or p.country,
                     kind="state", country=p.country,
                     mentions=[Mention(m.start, m.end, m.text, "name" if p.kind == "country" else "place")])
        result.actors.append(host)
    elif m is not None:
        _place_mention(host, Mention(m.start, m.end, m.text, "place"))
    return host


def _town_state(h, toks, sent: SentenceView, result: ArticleResult):
    """The state of a town the places stage did not geocode (the NER took it for no place):
    a proper name the place resolver knows and no actor table does."""
    from ..gazetteer import base
    from ..places import name_start, town_country
    from ..records import Actor, Mention

    if h.pos_ != "PROPN":
        return None
    words = h.doc[name_start(h).i:h.i + 1]
    name = " ".join(t.text for t in words)
    cc = town_country(name, base())
    if cc is None:
        return None
    host = next((a for a in result.actors if a.kind == "state" and a.country == cc), None)
    off = sent.info.offset + words[0].idx
    if host is None:
        host = Actor(id=f"A{len(result.actors) + 1}", name=_country_name(cc), kind="state", country=cc, mentions=[])
        result.actors.append(host)
    _place_mention(host, Mention(off, off + len(name), name, "place"))
    return host


def _place_mention(host, m) -> None:
    """The span that makes a state a party is where the reader finds it ("shelled Kharkiv")."""
    if not any(x.start < m.end and m.start < x.end for x in host.mentions):
        host.mentions.append(m)
        host.mentions.sort(key=lambda x: x.start)


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


_AUTHORITY_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "IGO", "REB", "INS", "SEP"}


def speaker_as_agent(tok, subj, sent: SentenceView, result: ArticleResult | None = None) -> list[str]:
    """Inside what someone says, "they"/"we" and agentless passives are the speaker's own acts
    ("police said they had arrested 14 men"; "two citizens were arrested, the security service
    said"); a verb conjoined into the content by a parse slip belongs to the speaker too
    ("X said ... and accused Y"). A passive told by a private person is a witness's account,
    not the witness's act."""
    pron = subj is not None and subj.lower_ in ("they", "we", "it")
    passive = subj is None and any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
    slip = tok.dep_ == "conj" and lemma(tok) in ("accuse", "blame", "condemn", "warn", "urge", "call", "deny", "reject")
    if not (pron or passive or slip):
        return []
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            break
        if t.dep_ in ("ccomp", "parataxis") or (slip and t.dep_ == "conj"):
            gov = t.head
            while gov.dep_ in ("ccomp", "conj") and lemma(gov) not in triggers.SPEECH_VERBS and gov.head.i != gov.i:
                gov = gov.head
            if lemma(gov) in triggers.SPEECH_VERBS:
                s = subject_of(gov)
                if s is not None:
                    ids = sent.actors_in(s)
                    if ids and passive and not (pron or slip) and result is not None and all(
                            (result.actor(i) is None or result.actor(i).kind in ("person", "group")
                             and result.actor(i).sector not in _AUTHORITY_SECTORS | {"MED"}) for i in ids):
                        # "armed men were posted at the gate, said a trader", "... was detained,
                        # residents said": a witness, not the agent
                        return []
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



# ------------------------------------------------------- spans the learned detector marks
_PRONOUNS = {"he", "she", "it", "they", "them", "we", "us", "i", "him", "her", "its", "their", "our", "you"}
_DROP_WORDS = {"a", "an", "the", "some", "several", "many", "dozens", "hundreds", "thousands", "of", "at", "least",
               "about", "around", "nearly", "more", "than", "two", "three", "four", "five", "six", "seven", "eight",
               "nine", "ten", "other", "these", "those", "this", "that", "its", "their", "his", "her"}


def span_actors(sent: SentenceView, start: int, end: int, sents: list[SentenceView], result: ArticleResult,
                place_at: dict, quotes, exclude: list[str], named_only: bool = False, sites: bool = False) -> list[str]:
    """Actor ids for an argument span the detector marked (article offsets).

    Known actors whose mentions fall in the span (the head's first, then its modifiers'); a
    pronoun resolved as the rules resolve subjects; a description of people acting together
    ("two suicide bombers", "riot police", "warplanes") becomes a group actor; a place or thing
    that stands for its occupants ("a police station") an organisation; anything else none."""
    from .detection import head_token, trigger_tokens

    toks = trigger_tokens(sent, start, end)
    if not toks:
        return []
    head = head_token(toks)
    inside = {t.i for t in toks}
    if lexicon.natural_event_name(" ".join(t.text for t in toks if t.i <= head.i)):
        return []  # "Cyclone Tamsin", "the floods": nature is no party
    out: list[str] = []

    def add(ids):
        for i in ids:
            if i not in out and i not in exclude:
                out.append(i)

    heads = [head] + [c for c in head.conjuncts if c.i in inside]
    for h in heads:
        if sent.by_token.get(h.i) is None:
            # "a group of detained migrants", "hundreds of students": the people in the "of" part
            h = next((g for g in _quantity_inner(h) if g.i in inside), h)
        if is_dateline(h, h):
            continue  # "LUSAKA (Wire): ...": where the story was filed
        r = sent.by_token.get(h.i)
        if r is not None:
            if not (named_only and r.how in ("pronoun", "plural")):
                add(r.actor_ids)
            continue
        if named_only:
            continue
        got = [i for i in sent.actors_in(h) if any(
            m.start < end and m.end > start for m in (result.actor(i).mentions if result.actor(i) else []))]
        armed = [i for i in got if _armed_group(result.actor(i))]
        if armed and (lemma(h) in lexicon.MEMBER_NOUNS or h.lower_ in lexicon.MEMBER_NOUNS):
            add(armed)  # "Taliban fighters", "al-Shabaab militants": the named group acts
            continue
        if got and _people_noun(h) and not _platform(h):
            # "Mr Erdogan's critics", "the Assad regime": the people named by the head act, not
            # the person or state that qualifies them (which gives the group its country)
            gid = group_actor(sent, toks, h, result, place_at, sites=sites)
            if gid:
                add([gid])
                continue
        if got:
            add(got)
            continue
        low = h.lower_
        if low in ("we", "us", "i"):
            add(first_person(h, sent, result, quotes))
        elif low in ("it", "they", "them"):
            add(pronoun_state(h, sent.si, sents, exclude, result))
        elif low in ("he", "she", "him", "her"):
            pass  # left to the actors stage's pronoun links (found above when it made one)
        elif h.pos_ in ("NOUN", "PROPN") or h.is_upper and len(h.text) > 1:
            host = next((x for x in (place_state(sent.info.offset + t.idx, result, place_at) for t in sorted(
                [h] + [c for c in h.children if c.dep_ == "compound"], key=lambda t: t.i)) if x is not None), None)
            if host is None:
                host = _town_state(h, toks, sent, result)
            if host is not None:  # "shelled Kharkiv": the place is not a party, its state is
                add([host.id])
                continue
            # one described person ("a rebel commander") is a party too, but not a title that
            # belongs to a named person beside it ("spokeswoman Yelena Zorina")
            titled = any(a is not None and a.kind == "person"
                         for x in (h.head, *h.children) for r in [sent.by_token.get(x.i)] if r is not None
                         for a in map(result.actor, r.actor_ids))
            gid = group_actor(sent, toks, h, result, place_at, people=not titled, sites=sites)
            if gid:
                add([gid])
    if not out:
        # any known actor inside the span ("a U.S. Supreme Court decision")
        for t in toks:
            r = sent.by_token.get(t.i)
            if r is not None:
                add(r.actor_ids)
                break
    return out


def _armed_group(actor) -> bool:
    return actor is not None and actor.kind == "organization" and actor.sector in lexicon.ARMED_SECTORS


def _people_noun(tok) -> bool:
    low, lem = tok.lower_, lemma(tok)
    return (low in lexicon.GROUP_HEADS or lem in lexicon.GROUP_HEADS
            or tok.tag_ == "NNS" and low.endswith(lexicon.PEOPLE_SUFFIXES) and low not in lexicon.NOT_PEOPLE_PLURALS)


def _platform(tok) -> bool:
    return tok.lower_ in lexicon.PLATFORMS or lemma(tok) in lexicon.PLATFORMS


def group_actor(sent: SentenceView, toks: list, head, result: ArticleResult, place_at: dict,
                people: bool = False, sites: bool = False) -> str | None:
    """A group (or facility) actor for a descriptive phrase; None for words that name no party.
    With ``people``, one described person ("a Danish tourist", "the health minister") is a person
    actor too, and :data:`PERSON_NOUNS` count as people; with ``sites``, a site or vehicle struck
    or seized (:data:`SITES`) is an organisation standing for whoever holds it."""
    from ..records import Actor, Mention

    low = head.lower_
    lem = lemma(head)
    kind = "group"
    if people and head.tag_ != "NNS" and (low in PERSON_NOUNS or low in lexicon.PERSON_TITLES):
        sector = PERSON_NOUNS.get(low) or lexicon.PERSON_TITLES.get(low)
        kind = "person"
    elif low in lexicon.GROUP_HEADS or lem in lexicon.GROUP_HEADS:
        sector = lexicon.GROUP_HEADS.get(low, lexicon.GROUP_HEADS.get(lem))
    elif low in lexicon.TARGET_HEADS or lem in lexicon.TARGET_HEADS:
        sector = lexicon.TARGET_HEADS.get(low, lexicon.TARGET_HEADS.get(lem))
        kind = "organization"
    elif sites and (low in SITES or lem in SITES):
        sector = SITES.get(low, SITES.get(lem))
        kind = "organization"
    elif (head.tag_ == "NNS" and low.endswith(lexicon.PEOPLE_SUFFIXES) and low not in lexicon.NOT_PEOPLE_PLURALS
          and head.ent_type_ not in ("DATE", "TIME", "MONEY")):
        sector = None
    elif people and (low in PERSON_NOUNS or lem in PERSON_NOUNS or lem in lexicon.PERSON_TITLES):
        sector = PERSON_NOUNS.get(low) or PERSON_NOUNS.get(lem) or lexicon.PERSON_TITLES.get(lem)
    elif (head.pos_ == "PROPN" or head.is_upper and len(head.text) > 1 and head.is_alpha) and head.ent_type_ not in ("GPE", "LOC", "DATE", "TIME", "MONEY", "CARDINAL",
                                                            "ORDINAL", "PERCENT", "QUANTITY", "EVENT", "LAW"):
        # a name no table lists, marked as the party by the detector ("USAID provided ...")
        sector, kind = None, "person" if head.ent_type_ == "PERSON" else "organization"
    else:
        return None
    # the phrase's own words: modifiers before the head, without determiners and numbers
    words = [t for t in toks if t.i <= head.i and (t.i == head.i or t.head.i == head.i or t.head.head.i == head.i)
             and t.lower_ not in _DROP_WORDS and t.pos_ not in ("NUM", "DET", "PUNCT") and t.dep_ not in ("poss", "case")]
    words = [t for t in words if t.i >= min(w.i for w in words)]
    first = words[0] if words else head
    doc = head.doc
    while first.i >= 2 and doc[first.i - 1].text in lexicon.HYPHENS and not doc[first.i - 2].whitespace_ \
            and not doc[first.i - 1].whitespace_ and doc[first.i - 2].i >= sent.info.span.start:
        first = doc[first.i - 2]  # "70-year-old man", not "year-old man"
    off = sent.info.offset
    last = head
    if head.i + 2 < len(doc) and doc[head.i + 1].lower_ == "of" and doc[head.i + 2].lower_ in _OF_TITLES:
        last = doc[head.i + 2]  # "heads of state", "chiefs of staff": the title is the whole phrase
    ms, me = off + first.idx, off + last.idx + len(last.text)
    name = result.text[ms:me]
    country = None
    for t in toks:  # a state word in the phrase ("Afghan security forces", "of the Russian air force")
        r = sent.by_token.get(t.i)
        if r is not None:
            a = result.actor(r.actor_ids[0])
            if a is not None and a.country:
                country = a.country
                break
    if country is None:
        cs = {p.country for k, p in place_at.items() if sent.info.start <= k < sent.info.end and p.country}
        if len(cs) == 1:
            country = cs.pop()
    if country is None:
        hs = home_state(result)
        if hs:
            country = result.actor(hs[0]).country
    for a in result.actors:
        if a.kind == kind and a.name.lower() == name.lower() and a.country == country:
            if not any(m.start == ms for m in a.mentions):
                a.mentions.append(Mention(ms, me, name, "description"))
            return a.id
    actor = Actor(id=f"A{len(result.actors) + 1}", name=name, kind=kind, country=country, sector=sector,
                  mentions=[Mention(ms, me, name, "description")])
    result.actors.append(actor)
    return actor.id


_OF_TITLES = {"state", "states", "government", "governments", "staff", "mission", "missions"}

_EMBEDDED_PREPS = ("to", "against", "on", "from", "with", "into", "toward", "towards", "at")


def embedded_recipients(tok, ptype: str, sent: SentenceView, result: ArticleResult, actor: list[str]) -> list[str]:
    """Whom the act a refusal, threat, pledge or decision is about is done to, when the trigger
    has no recipient of its own: "refused to deliver the helicopters to Bolivia" (Bolivia),
    "threatened to shell Chadian army posts" (Chad), "is ready to ship vaccines to Laos". The actor's own
    forces are not its recipient. A request's recipient is the one asked, never the object of
    what is asked for; a trigger with an object of its own keeps it."""
    if ptype == "REQUEST" or objects_of(tok, ptype):
        return []  # "called on the international community to protect civilians": the one asked
    own = countries_of(actor, result)
    out: list[str] = []
    frontier = [c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
    for _ in range(2):
        nxt = []
        for v in frontier:
            args = []
            for g in v.children:
                if g.dep_ in ("dobj", "dative"):
                    args += [g, *pp_objects(g, _EMBEDDED_PREPS)]  # "deliver the helicopters to Bolivia": the PP on the object
                elif g.dep_ == "prep" and g.lower_ in _EMBEDDED_PREPS:
                    args += [x for x in g.children if x.dep_ == "pobj"]
                elif g.dep_ == "xcomp" and g.pos_ in ("VERB", "AUX"):
                    nxt.append(g)
            for a in args:
                for i in sent.actors_in(a):
                    x = result.actor(i)
                    if i in actor or i in out or x is None:
                        continue
                    if x.kind == "group" and x.country in own and (lemma(a) in FORCES or a.lower_ in FORCES):
                        continue  # its own troops
                    out.append(i)
        if out:
            break
        frontier = nxt
    return out


# Words for a stretch of land an attack or a curfew can fall on ("torched a village in X").
PLACE_NOUNS = {"village", "town", "city", "area", "district", "region", "enclave", "province", "neighbourhood",
               "neighborhood", "suburb", "territory", "zone", "part", "outskirts", "stronghold", "settlement",
               "county", "state", "municipality", "valley", "border", "frontier", "countryside", "island",
               "capital", "port", "hamlet", "locality", "quarter", "street", "streets", "square"}
_PLACE_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION"}


def place_recipients(tok, ptype: str, sent: SentenceView, result: ArticleResult, place_at: dict,
                     actor: list[str]) -> list[str]:
    """An attack, curfew or deployment whose object is a stretch of land ("shelled a hamlet in Burkina
    Faso's Sahel region", "drone strikes on the outskirts of Tal Afar", "a curfew over parts of the
    province"): the state that land lies in, named in the phrase or
    geocoded there. A place that is only a place is never a party of its own."""
    if ptype not in _PLACE_TYPES:
        return []
    preps = ("on", "against", "in", "into", "at", "across", "over", "along", "near")
    dobjs = [c for c in tok.children if c.dep_ == "dobj"]
    objs = dobjs + pp_objects(tok, preps) + [g for o in dobjs for g in pp_objects(o, preps)]
    for o in objs:
        if lemma(o) not in PLACE_NOUNS and o.lower_ not in PLACE_NOUNS:
            continue
        for t in o.subtree:
            if t.dep_ in ("relcl", "acl") and t is not o:
                break
            host = place_state(sent.info.offset + t.idx, result, place_at)
            if host is None:
                r = sent.by_token.get(t.i)
                ids = [i for i in (r.actor_ids if r else []) if result.actor(i) and result.actor(i).kind == "state"]
                host = result.actor(ids[0]) if ids else None
            if host is not None and host.id not in actor:
                return [host.id]
    return []


def located_recipients(tok, ptype: str, sent: SentenceView, result: ArticleResult, place_at: dict,
                       actor: list[str]) -> list[str]:
    """A curfew or siege in a named place with no other party ("imposed a curfew in parts of
    Srinagar", "declared a state of siege in Cochabamba"), or a deployment into another state's
    place: the state of that place is on the receiving end, its mention the place."""
    if ptype not in ("COERCE", "MOBILIZE"):
        return []
    own = {result.actor(i).country for i in actor if result.actor(i) and result.actor(i).country}
    heads = [tok] + [c for c in tok.children if c.dep_ == "dobj"] + pp_objects(tok, ("on",))  # "on alert in"
    heads += [g for h in heads[1:] for g in pp_objects(h, ("of",))]  # "a state of siege in ..."
    for o in [o for h in heads for o in pp_objects(h, ("in", "into", "to", "across", "throughout"))]:
        for p in [o] + pp_objects(o, ("of",)):  # "in parts of Kashmir"
            for t in sorted([p] + [c for c in p.children if c.dep_ == "compound"], key=lambda x: x.i):
                host = place_state(sent.info.offset + t.idx, result, place_at) or _town_state(t, [t], sent, result)
                if host is None or host.id in actor:
                    continue
                if ptype == "MOBILIZE" and not (own and host.country not in own):
                    return []  # troops moved about their own country are aimed at no one in it
                return [host.id]
    return []


# Sites and vehicles an attack or seizure falls on, beside the target heads a detector span may
# name ("struck a fuel depot", "stormed the compound"): only as recipients, never as doers ("the
# boat was carrying food" is no one's act).
SITES: dict[str, str | None] = {
    "depot": None, "refinery": "BUS", "pipeline": "BUS", "plant": "BUS", "facility": None, "factory": "BUS",
    "warehouse": "BUS", "bus": None, "minibus": None, "car": None, "vehicle": None, "truck": None, "lorry": None,
    "train": None, "market": None, "compound": None, "garrison": "MIL", "post": None, "palace": "GOV",
    "bridge": None, "airport": None, "port": None, "field": None, "mine": "BUS", "building": None, "block": None,
    "hotel": "BUS", "tower": None, "residence": None, "substation": None, "dam": None, "carrier": None,
    "freighter": "BUS", "boat": None, "monastery": "REL"}


# Singular people an act can fall on, beside the titles the actors stage knows ("arrested a
# Danish tourist", "detained a 70-year-old man", "held the skipper's wife").
PERSON_NOUNS = {"man": "CVL", "woman": "CVL", "men": "CVL", "women": "CVL", "boy": "CVL", "girl": "CVL",
                "teenager": "CVL", "teenagers": "CVL", "child": "CVL", "children": "CVL", "suspect": "CVL",
                "suspects": "CVL", "citizen": "CVL", "citizens": "CVL", "national": "CVL", "nationals": "CVL",
                "tourist": "CVL", "tourists": "CVL", "student": "EDU", "worker": "LAB", "farmer": "CVL",
                "migrant": "REF", "refugee": "REF", "prisoner": "CVL", "prisoners": "CVL", "detainee": "CVL",
                "hostage": "CVL", "hostages": "CVL", "blogger": "MED", "servicemen": "MIL", "serviceman": "MIL",
                "crew": "CVL", "sailor": "MIL", "pilot": "MIL", "priest": "REL", "monk": "REL", "nun": "REL"}
# A quantity or a request heads the phrase; the people are in its "of"/"from" part ("a handful
# of bloggers", "an appeal by the finance minister", "a plea from two reporters").
_QUANTITY_HEADS = {"handful", "dozens", "hundreds", "thousands", "scores", "group", "number", "majority", "couple",
                   "team", "delegation"}


def _quantity_inner(tok) -> list:
    """The "of" objects of a quantity head ("a handful of bloggers", "a group of detained migrants"),
    else nothing."""
    if lemma(tok) in _QUANTITY_HEADS or tok.lower_ in _QUANTITY_HEADS:
        return pp_objects(tok, ("of",))
    return []


_DIPLOMATS = {"envoy", "envoys", "ambassador", "ambassadors", "diplomat", "diplomats", "consul", "attache", "attaché"}
_REQUEST_HEADS = {"request", "appeal", "demand", "proposal", "offer", "bid", "call", "plea", "application", "petition"}


def described_recipients(tok, ptype: str, sent: SentenceView, result: ArticleResult, place_at: dict,
                         actor: list[str]) -> list[str]:
    """A recipient the story describes instead of naming: the object of the act when it is a
    person or people ("arrested a Danish tourist", "detained four suspects", "turned down an
    appeal by the finance minister", "an inquiry into Okonjo"): a group (or, for one
    person, a person) actor with the country its words or the sentence give."""
    objs = list(objects_of(tok, ptype))
    for c in tok.children:  # "shot and wounded a 15-year-old boy": the object the two verbs share
        if c.dep_ == "conj" and c.pos_ == "VERB" and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children) \
                and not any(x.dep_ == "dobj" for x in tok.children):
            objs += list(objects_of(c, ptype))
    for c in tok.children:
        if c.dep_ == "dobj":
            objs += pp_objects(c, ("into", "on", "against"))
        elif c.dep_ == "prep" and c.lower_ == "into" and ptype == "ACCUSE":
            objs += [g for g in c.children if g.dep_ == "pobj"]  # "an inquiry into Okonjo"
    for o in objs:
        if ptype in ("MOBILIZE", "RETREAT") and (_forces_moved(o) or _platform(o)):
            continue  # "sent patrol boats": its own forces
        h = o
        for _ in range(2):
            inner = _quantity_inner(h) or (pp_objects(h, ("from", "by", "of")) if lemma(h) in _REQUEST_HEADS else [])
            if inner:
                h = inner[0]
        if sent.actors_in(h):
            continue  # a known party the parse path did not take: leave it
        low, lem = h.lower_, lemma(h)
        if lem in _DIPLOMATS or low in _DIPLOMATS:
            continue  # "withdrew its envoy": whose envoy, and to whom, is not in the word
        people = (low in PERSON_NOUNS or lem in PERSON_NOUNS or low in lexicon.PERSON_TITLES
                  or lem in lexicon.PERSON_TITLES or _people_noun(h) and not low.endswith("ics"))  # not "topics"
        # a site or vehicle struck or seized stands for whoever holds it ("struck a fuel depot",
        # "stormed the compound", "seized a tanker"): an organisation with the country its words or
        # the sentence's place give
        facility = ptype in ("ASSAULT", "COERCE") and (low in lexicon.TARGET_HEADS or lem in lexicon.TARGET_HEADS
                                                        or low in SITES or lem in SITES)
        if not people and not facility and not (h.pos_ == "PROPN" and h.ent_type_ in ("PERSON", "")):
            continue
        toks = [t for t in h.subtree if t.i <= h.i]
        toks += [t for p in h.children if p.dep_ == "prep" and p.lower_ == "of" for t in p.subtree]
        gid = group_actor(sent, toks, h, result, place_at, people=True, sites=facility)
        if gid and gid not in actor:
            return [gid]
    return []


def held_recipients(tok, ptype: str, sent: SentenceView, result: ArticleResult, place_at: dict,
                    actor: list[str]) -> list[str]:
    """An attack or seizure on land a named kind of party holds ("shelled the rebel-held enclave",
    "raided militant-controlled villages"): those who hold it are the ones attacked, a group actor,
    before the land's state is taken (:func:`place_recipients`)."""
    if ptype not in ("ASSAULT", "COERCE"):
        return []
    objs = list(objects_of(tok, ptype)) + [g for c in tok.children if c.dep_ == "dobj"
                                          for g in pp_objects(c, ("on", "against"))]
    for o in objs:
        holder = _held_by(o)
        if holder is not None:
            gid = group_actor(sent, [holder], holder, result, place_at)
            if gid and gid not in actor:
                return [gid]
    return []


_HELD = {"held", "controlled", "run", "occupied"}


def _held_by(o):
    """The holder word of a "rebel-held" / "militant-controlled" phrase on ``o``, or None."""
    for c in o.children:
        if c.dep_ in ("amod", "compound") and c.lower_ in _HELD:
            for g in c.children:
                if g.dep_ in ("npadvmod", "compound", "amod") and lexicon.GROUP_HEADS.get(g.lower_) in ("REB", "OPP"):
                    return g
    return None
