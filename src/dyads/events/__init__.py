"""Stage 6 — PLOVER event coding. One module per step, in the order they run:

* ``detection``   candidate events: trigger lexicon and the learned detector; type choice
* ``roles``       actor and recipient of each candidate
* ``status``      asserted / future / hypothetical / negated
* ``attribution`` who reports or denies it; stated and conditional threats
* ``rules``       PLOVER tie-breaks, what not to code, one event per happening
* ``output``      the Event record: spans, mode, date, place, intensity

For every sentence of story text:

1. **Triggers.** Verbs (and light-verb + noun pairs such as "impose sanctions", "hold talks")
   from ``triggers`` propose candidate types; lexical conditions on objects, particles and
   prepositions narrow them.
2. **Arguments.** The actor is the trigger's subject (inherited through xcomp, conj,
   "by"/"including" + gerund and relative clauses; the agent for passives); the recipient
   is its object or the object of a type-specific preposition (meet *with*, arrive *in*,
   sanctions *on*, provide *to*). Both map to actor mentions; conjunctions and "including
   X, Y and Z" expand to lists.
3. **Type.** When a trigger allows several types, the relation classifier (``relclf``)
   chooses among them; PLOVER rules then apply: future cooperation is AGREE, a future
   retreat is CONCEDE, signing is SUPPORT but a promise to sign is AGREE.
4. **Status.** ``negated`` (not/never, "failed to", "refused to", "had not been able to"),
   ``hypothetical`` (inside or governed by an if/unless clause), ``future`` (will, would,
   plans to, is expected to ...), else ``asserted``.
5. **Attribution.** An event inside the content of a speech verb ("Kirby said ...",
   "according to ...") gets the speaker in ``attributed_to``; inside a denial ("both
   countries denied that ...") the deniers go to ``denied_by`` and the denial itself is a
   REJECT event.
6. **Dedup.** One event per happening: within a sentence, events of one type with
   overlapping actors merge; an embedded claim or denial that repeats an event reported in
   the two sentences before merges into it.
"""

from __future__ import annotations

from .. import lexicon, triggers
from ..actors import MentionRef, SentInfo
from ..records import ArticleResult, Event
from .attribution import conditional_threat, eval_is_about_others, speech_context, stated_threat
from .base import Draft, SentenceView, lemma, own_states
from .detection import (candidates, choose_types, conditional_consequent, demanded, eval_statement, head_token, is_refusal,
                        learned_proposals, learned_setting, trigger_tokens)
from .output import narrative_dates, to_event
from .roles import FORCES, agent_of, group_actor, pp_objects, attack_owner, passive_agent, content_subjects, described_recipients, embedded_recipients, held_recipients, located_recipients, place_recipients, first_person, home_state, host_from_place, if_subjects, objects_of, pronoun_state, recipients, span_actors, speaker_as_agent, subject_of
from .rules import apply_plover_rules, dedupe, is_background, is_purpose_or_topic, joint_dyad, plausible, relief_purpose
from .status import clause_status, scheduled


def extract(result: ArticleResult, sents_info: list[SentInfo], refs: list[MentionRef], gz=None,
            quotes=None, place_at=None) -> list[Event]:
    """PLOVER events of one article (see the module docstring for the rules)."""
    by_sent: dict[int, list[MentionRef]] = {}
    for r in refs:
        by_sent.setdefault(r.sent, []).append(r)
    sents = [SentenceView(i, s, by_sent.get(i, [])) for i, s in enumerate(sents_info)]
    drafts: list[Draft] = []
    proposals = learned_proposals(sents, result.text)
    for sent, props in zip(sents, proposals):
        drafts.extend(_sentence_events(sent, sents, result, place_at or {}, quotes or [], props))
    choose_types(drafts, sents, result)
    for d in drafts:
        apply_plover_rules(d)
    drafts = dedupe(drafts, result)
    # an event without a named doer is the story's only telling of its kind ("a roadside bomb
    # struck a convoy"); where the story names who did such a thing, a doerless one is mostly the
    # same happening told again ("three soldiers were killed", "the expulsions come at a ...")
    drafts = [d for d in drafts if d.actor or not any(o.actor and (o.type == d.type or o.sent == d.sent) for o in drafts)]
    for d in drafts:
        if not d.recipient:
            d.recipient = (embedded_recipients(d.trigger, d.type, sents[d.sent], result, d.actor)
                           or held_recipients(d.trigger, d.type, sents[d.sent], result, place_at or {}, d.actor)
                           or place_recipients(d.trigger, d.type, sents[d.sent], result, place_at or {}, d.actor)
                           or described_recipients(d.trigger, d.type, sents[d.sent], result, place_at or {}, d.actor)
                           or located_recipients(d.trigger, d.type, sents[d.sent], result, place_at or {}, d.actor))
        joint_dyad(d, result, sents[d.sent])
    events = []
    for n, d in enumerate(drafts, 1):
        events.append(to_event(n, d, sents, result, quotes, place_at or {}))
    narrative_dates(events, sents, {e.id for e, d in zip(events, drafts) if d.period})
    return events


_UNDER = {"fire", "attack", "attacks", "shelling", "bombardment", "assault", "gunfire", "mortar", "rocket"}


def under_fire(tok):
    """"A checkpoint came under fire (from the Afghan side)": the pobj of "under" when ``tok`` is
    "come" or "be" and it names an attack; else None."""
    if lemma(tok) not in ("come", "be") or tok.pos_ not in ("VERB", "AUX"):
        return None
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ == "under":
            for g in p.children:
                if g.dep_ == "pobj" and (g.lower_ in _UNDER or lemma(g) in _UNDER):
                    return g
    return None


def _under_fire_draft(tok, noun, sent: SentenceView, result: ArticleResult, place_at: dict) -> Draft | None:
    """An attack told from the side of the one attacked: the subject is the recipient, the
    "from" phrase (if any) the actor."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    recipient = sent.actors_in(subj)
    if not recipient:
        toks = [t for t in subj.subtree if t.i <= subj.i]
        gid = group_actor(sent, toks, subj, result, place_at, people=True, sites=True)
        recipient = [gid] if gid else []
    actor: list[str] = []
    for src in pp_objects(tok, ("from",)) + pp_objects(noun, ("from",)):
        actor = sent.actors_in(src)
        if not actor:
            gid = group_actor(sent, [t for t in src.subtree if t.i <= src.i], src, result, place_at)
            actor = [gid] if gid else []
        if actor:
            break
    if not recipient and not actor:
        return None
    status, _ = clause_status(tok)
    attributed, denied, gov = speech_context(tok, sent)
    return Draft(type="ASSAULT", cands=["ASSAULT"], trigger=noun, sent=sent.si, actor=actor,
                 recipient=[i for i in recipient if i not in actor], status=status,
                 attributed_to=attributed, denied_by=denied, embedded=gov is not None)


def _sentence_events(sent: SentenceView, sents: list[SentenceView], result: ArticleResult, place_at=None,
                     quotes=(), props=()) -> list[Draft]:
    out: list[Draft] = []
    for tok in sent.info.span:
        cands = candidates(tok)
        lem = lemma(tok)
        speech_eval = None
        refusal = is_refusal(tok)
        if refusal:
            cands = ["REJECT"]
        elif not cands and lem in triggers.THREAT_CONSEQUENTS and conditional_consequent(tok) and not any(
                c.dep_ in ("xcomp", "dobj") and set(candidates(c)) & (triggers.COOPERATIVE | {"CONCEDE", "RETREAT", "AGREE"})
                for c in tok.children):
            cands = ["THREATEN"]  # not "would consider lifting sanctions if ...": an offer, not a threat
        demand = demanded(tok) if not cands else None
        if demand is not None:
            cands = ["REQUEST"]
        elif tok.dep_ == "ccomp" and getattr(demanded(tok.head), "i", None) == tok.i:
            continue  # what the speaker says another must do has not happened: the demand is the event
        if not cands and lem in ("say", "tell", "add", "write", "state", "describe", "call") and tok.pos_ == "VERB":
            speech_eval = eval_statement(tok, sent)
            if speech_eval:
                cands = [speech_eval]
        fired_on = under_fire(tok)
        if fired_on is not None:
            d = _under_fire_draft(tok, fired_on, sent, result, place_at or {})
            if d is not None:
                out.append(d)
            continue
        if not cands:
            continue
        subj = subject_of(tok)
        actor = sent.actors_in(subj) if subj is not None else []
        if not actor:
            actor = speaker_as_agent(tok, subj, sent, result)
        if not actor and subj is not None and subj.lower_ in ("we", "i", "us"):
            actor = first_person(subj, sent, result, quotes)
        if subj is not None and not actor and subj.lower_ in ("it", "they", "them") :
            actor = pronoun_state(subj, sent.si, sents, [], result)
        forces_moved = False
        passive_noagent = any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
        if not actor and passive_noagent and cands[0] == "ASSAULT":
            # "four people were killed in a coalition air strike": whose strike it was
            actor = attack_owner(tok, sent)
        if not actor and passive_noagent and cands[0] == "MOBILIZE":
            # "Russian troops were deployed to the border": the forces moved are the actor
            ps = [c for c in tok.children if c.dep_ == "nsubjpass"][0]
            if lemma(ps) in FORCES or any(lemma(x) in FORCES for x in ps.conjuncts):
                actor = sent.actors_in(ps)
                forces_moved = bool(actor)
        if not actor and any(c.dep_ == "nsubjpass" for c in tok.children) and cands[0] in ("COERCE", "ACCUSE", "SANCTION") \
                and not any(c.dep_ == "agent" for c in tok.children):
            # "four people were detained": the authorities of the story's home state did it
            actor = home_state(result)
        if not actor:
            continue
        ptype = cands[0]
        recipient = recipients(tok, ptype, sent, actor)
        if demand is not None:
            held = next(x for x in demand.children if x.dep_ in ("nsubj", "nsubjpass"))
            recipient = [i for i in sent.actors_in(held) if i not in actor]
            if own_states(recipient, actor, result):
                # no party must act ("the guns must fall silent"), or the speaker's own side ("Kenya
                # must defend its borders"): an appeal or intent, not a demand made of someone
                continue
        if not recipient:
            for o in objects_of(tok, ptype):
                if o.lower_ in ("it", "them"):
                    recipient = pronoun_state(o, sent.si, sents, actor, result)
        if not recipient and passive_agent(tok) is not None and tok.head.i != tok.i:
            # "the activist died after being beaten by police": the one the clause is about
            head = tok.head.head if tok.dep_ == "pcomp" else tok.head
            held = subject_of(head) if head is not tok else None
            recipient = [i for i in (sent.actors_in(held) if held is not None else []) if i not in actor]
        # passive: "X was attacked by Y" -> the subject is the recipient
        if any(c.dep_ == "nsubjpass" for c in tok.children) and not forces_moved:
            passive_subj = [c for c in tok.children if c.dep_ == "nsubjpass"][0]
            pr = sent.actors_in(passive_subj)
            if pr and pr == actor:
                agent = agent_of(tok)
                actor = sent.actors_in(agent) if agent is not None else []
                recipient = pr
                if not actor:
                    continue
        # a visit without a named host: the host is the state of the place visited ("arrived in Tokyo")
        if ptype == "CONSULT" and not recipient and lem in ("arrive", "travel", "fly", "visit", "land", "tour"):
            recipient = host_from_place(tok, sent, result, place_at, actor)
        # meetings: the subject is the actor and the one met the recipient (PLOVER's source and
        # target); with no object ("the two leaders met") the parties stay together as actors
        if ptype == "CONSULT" and lem == "host" and not any(
                c.dep_ == "dobj" and lemma(c) in _GATHERINGS for c in tok.children):
            actor, recipient = recipient or actor, actor if recipient else []
        status, chain = clause_status(tok)
        if status == "asserted" and scheduled(tok):
            status = "future"
        if refusal:
            status = "asserted"  # the refusal itself is what happened
        elif cands == ["THREATEN"] and lem in triggers.THREAT_CONSEQUENTS and not triggers.VERBS.get(lem):
            status = "asserted"
            recipient = recipient or if_subjects(tok, sent, actor)
        # B: the content of a request, threat or promise has not happened; the governor is the event
        if any(lemma(g) in triggers.CONTENT_GOVERNORS and candidates(g) for g in chain[1:]):
            continue
        if speech_eval and not eval_is_about_others(tok, sent, actor):
            continue
        if is_purpose_or_topic(tok, ptype) or is_background(tok):
            continue
        if ptype == "MOBILIZE" and relief_purpose(tok):
            ptype = "AID"
            cands = ["AID"]
        if not recipient and ptype == "ACCUSE" or speech_eval:
            recipient = recipient or content_subjects(tok, sent, actor)
        attributed, denied, gov = speech_context(tok, sent)
        d = Draft(type=ptype, cands=cands, trigger=tok, sent=sent.si, actor=actor, recipient=recipient,
                   status=status, attributed_to=[a for a in attributed if a not in actor] or attributed,
                   denied_by=denied, embedded=gov is not None)
        if speech_eval:
            d.confidence = 0.45
        out.append(d)
        stated = stated_threat(tok, d, subj, gov)
        if stated is not None:
            out.append(stated)
        threat = conditional_threat(tok, d, sent, status, result)
        if threat is not None:
            out.append(threat)
    out = _with_proposals(out, props, sent, sents, result, place_at or {}, quotes)
    if any(not d.embedded and d.confidence != 0.45 for d in out):
        out = [d for d in out if d.confidence != 0.45]
    return [d for d in out if plausible(d, sent, result)]


# Words that never carry an event of their own when the lexicon does not know them: copulas,
# auxiliaries and light verbs.
_EMPTY_HEADS = {"be", "have", "do", "go", "become", "seem", "remain", "prove", "make", "get", "come", "appear",
                "continue", "begin", "start"}
# A nominal event inside one of these prepositional phrases is presupposed, not reported:
# "in the war", "over the course of the conflict", "despite the curfew", "since the coup".
_PRESUPPOSING_PREPS = {"in", "of", "during", "over", "since", "after", "before", "despite", "amid", "for",
                       "throughout", "following", "under", "from", "into"}


# A nominal event in a phrase that sets the scene of the sentence's act ("after talks in Brussels",
# "at a meeting in Bunia", "in a joint operation", "during his visit") is an event of its own when
# the detector is sure of it: the guide codes it, and at 0.9 it raised held-out recall on fold 4
# (plv type 0.786 -> 0.791, corpus 0.637 -> 0.648) at a small cost in plv type precision (0.756 ->
# 0.749), with every golden figure unchanged. Other prepositions ("despite the curfew", "of the
# war", "since the coup") stay presupposed.
_SETTING_PREPS = {"at", "in", "after", "during", "following", "amid", "with"}
_SETTING_MIN_SCORE = 0.9

_FUNCTION_POS = {"AUX", "PART", "ADP", "DET", "ADV", "SCONJ", "CCONJ", "PRON", "PUNCT"}


def _in_direct_quote(pos: int, quotes) -> bool:
    """Quoted speech is rhetoric as often as report: inside it only the lexicon codes events."""
    return any(q.kind in ("direct", "partial") and q.start <= pos < q.end for q in quotes or ())


def _proposal_stands(head, p, light: bool = False) -> bool:
    """A detector proposal with no lexicon trigger under it must rest on an event word. With
    ``light``, the noun is the object of a light verb's preposition inside the trigger itself
    ("has gone on hunger strike"): the phrase is the event, not a presupposed one."""
    if head.pos_ not in ("VERB", "NOUN", "PROPN"):
        return False  # adjectives and what the parse could not attach ("joint", "afraid", "silent")
    if lemma(head) in _EMPTY_HEADS:
        return False
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj" and not light \
            and not (p.score >= _SETTING_MIN_SCORE and head.head.lower_ in _SETTING_PREPS):
        return False  # "in the war", "the right to self-defence", "despite the curfew": presupposed
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("compound", "poss", "npadvmod"):
        return False
    if head.dep_ == "pcomp" and head.head.lower_ in _PRESUPPOSING_PREPS:
        return False  # "aided Russia in evading sanctions": how the act was done, not an act of its own
    if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.dep_ == "pcomp" \
            and head.head.head.lower_ in _PRESUPPOSING_PREPS:
        return False  # ... nor the thing that manner clause is about ("sanctions" there)
    if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in head.children):
        return False  # "since the army began flying drones": the time frame, told as background
    if is_purpose_or_topic(head, p.type):
        return False  # the lexicon's rule: "sent aid to support ...", "rallied, demanding ..."
    return True


def _with_proposals(out: list[Draft], props, sent: SentenceView, sents: list[SentenceView], result: ArticleResult,
                    place_at: dict, quotes) -> list[Draft]:
    """Merge the learned detector's proposals into the lexicon's drafts for one sentence.

    Choices below were each measured on the golden stories and held-out folds of the training
    sets (docs/detection.md):

    * a proposal on a lexicon trigger (the same word, or the noun of its light-verb phrase)
      confirms that draft; its type decides when the lexicon allowed it, and its recipient
      fills a missing one (not from the content of a denial or warning);
    * any other proposal becomes a draft of its own when it is confident enough (the model's
      ``min_score``), rests on an event word, is not inside quoted speech, and has an actor:
      from the span the detector marked (names, pronouns, described groups) or from the parse;
      its status is the detector's, its attribution the rules'.
    """
    min_score = float(learned_setting("min_score", 0.5))
    base = sent.info.start
    new: list[Draft] = []
    for p in props:
        toks = trigger_tokens(sent, base + p.trigger[0], base + p.trigger[1])
        if not toks:
            continue
        head = head_token(toks)
        ids = {t.i for t in toks} | {head.head.i}
        hit = [d for d in out if d.trigger.i in ids]
        if hit:
            for d in hit:
                d.origin, d.model_type, d.model_score = "both", p.type, p.score
                if p.type in d.cands:
                    d.type, d.cands = p.type, [p.type]
                if not d.recipient and p.recipient:
                    # the parse found no recipient; the detector marked one
                    for a, b in p.recipient:
                        if d.type in ("REJECT", "THREATEN") and _in_content_clause(sent, base + a, base + b, d.trigger):
                            continue  # "denied that Russian services had any link": no recipient of the denial
                        d.recipient += span_actors(sent, base + a, base + b, sents, result, place_at, quotes,
                                                   d.actor + d.recipient, sites=d.type in _SITE_TYPES)
            continue
        for _ in range(3):  # "will", "to", "out" marked alone: the verb they belong to
            if head.pos_ in _FUNCTION_POS and head.head.i != head.i:
                head = head.head
        light = False
        if lemma(head) in _EMPTY_HEADS:
            # "have begun their assault", "has gone on hunger strike": the event word, not the light verb
            words = [t for t in toks if t.pos_ in ("NOUN", "VERB") and lemma(t) not in _EMPTY_HEADS]
            if words:
                verb, head = head, words[-1]
                light = head.dep_ == "pobj" and head.head.head.i == verb.i
        if p.score < min_score or not _proposal_stands(head, p, light) \
                or _in_direct_quote(sent.info.offset + head.idx, quotes):
            continue
        actor: list[str] = []
        for a, b in p.actor:
            actor += [i for i in span_actors(sent, base + a, base + b, sents, result, place_at, quotes, actor)
                      if i not in actor]
        if not actor and not p.actor:
            subj = subject_of(head)
            actor = sent.actors_in(subj) if subj is not None else []
            if not actor:
                actor = speaker_as_agent(head, subj, sent, result)
        if not actor and (p.type not in ACTORLESS_TYPES or not _doerless_ok(sent, base, p)):
            continue
        recipient: list[str] = []
        for a, b in p.recipient:
            recipient += span_actors(sent, base + a, base + b, sents, result, place_at, quotes, actor + recipient,
                                     sites=p.type in _SITE_TYPES)
        if not recipient and not p.recipient:
            recipient = recipients(head, p.type, sent, actor)
        status = p.status
        if status == "asserted":
            rule_status, _ = clause_status(head)
            if rule_status == "asserted" and head.pos_ == "NOUN":
                # a nominal event takes the status of the verb it hangs from ("neither side has
                # announced a suspension of flights", "could face sanctions")
                gov = next((a for a in head.ancestors if a.pos_ in ("VERB", "AUX")), None)
                if gov is not None:
                    rule_status, _ = clause_status(gov)
            if rule_status == "future" or rule_status == "asserted" and scheduled(head):
                status = "future"
        attributed, denied, gov = speech_context(head, sent)
        new.append(Draft(type=p.type, cands=[p.type], trigger=head, sent=sent.si, actor=actor, recipient=recipient,
                         status=status, attributed_to=[a for a in attributed if a not in actor] or attributed,
                         denied_by=denied, embedded=gov is not None, confidence=round(0.5 + 0.5 * p.score, 3),
                         origin="model", model_type=p.type, model_score=p.score))
    # the content of an accusation, demand or threat is not an event of its own (guide, section 3):
    # "urged Chile to suspend deportations" is one REQUEST, "accused Kyiv of shelling" one ACCUSE
    both = out + new
    new = [d for d in new if not any(o.type in _CONTENT_TYPES and o.trigger.i != d.trigger.i
                                     and _within_content(d.trigger, o.trigger) for o in both)]
    # a statement whose content is itself the event ("X said both leaders would sign a treaty")
    # is reported through the content event, which carries the attribution
    both = out + new
    both = [d for d in both if not (d.origin == "model" and lemma(d.trigger) in triggers.SPEECH_VERBS and any(
        o is not d and o.type == d.type and _inside_content(o.trigger, d.trigger) for o in both))]
    # one happening, one event: a participle telling what the act did ("imposed sanctions,
    # freezing the assets of ...", "ambushed a convoy, killing nine soldiers")
    trig = {d.trigger.i for d in both}
    both = [d for d in both if not (d.origin == "model" and d.trigger.tag_ == "VBG"
                                    and d.trigger.dep_ in ("advcl", "acl", "xcomp") and d.trigger.head.i in trig)]
    # an attempt or start is told through the act attempted: "sought to isolate Russia" is the
    # isolating, "began to withdraw" the withdrawal
    trig = {d.trigger.i: d for d in both}
    return [d for d in both if not (d.origin == "model" and any(
        c.dep_ == "xcomp" and c.i in trig and trig[c.i] is not d for c in d.trigger.children))]


_CONTENT_TYPES = {"ACCUSE", "REQUEST", "THREATEN"}
_SITE_TYPES = {"ASSAULT", "COERCE"}  # a site or vehicle struck or seized is a recipient (roles.SITES)

# What a host holds rather than receives: "hosted a UN climate summit" is the host's act; only a
# visitor hosted ("hosted King Salman") becomes the actor (PLOVER: the visitor acts).
_GATHERINGS = {"summit", "meeting", "conference", "talk", "talks", "forum", "round", "session", "negotiation",
               "dialogue", "gathering", "ceremony", "congress", "convention", "assembly", "consultation"}

# Types whose news so often leaves the doer unnamed ("a roadside bomb struck a convoy", "a protest
# took place", "two journalists were detained", "he was sentenced to ten years") that a confident
# proposal is an event without an actor: in the project's corpus 16-22 % of these types' events
# have none, against under 8 % for every other type
ACTORLESS_TYPES = {"ASSAULT", "COERCE", "PROTEST", "SANCTION"}

# Nature and accidents: a doerless proposal whose subject (or marked doer) is one of these has no
# political doer at all ("the storm killed 12 people", "the fire destroyed the market")
NATURAL_SUBJECTS = lexicon.NATURAL_HEADS | {
    "fire", "heat", "lightning", "crash", "accident", "collapse", "disease", "stampede", "derailment", "leak",
    "snow", "wind", "winds", "wave", "surge"}


def _doerless_ok(sent: SentenceView, base: int, p) -> bool:
    """May a proposal stand without an actor? Not when its subject, or the doer the detector
    marked, is nature or an accident."""
    toks = trigger_tokens(sent, base + p.trigger[0], base + p.trigger[1])
    subj = subject_of(head_token(toks)) if toks else None
    if subj is not None and lemma(subj) in NATURAL_SUBJECTS:
        return False
    for a, b in p.actor:
        toks = trigger_tokens(sent, base + a, base + b)
        if toks and lemma(head_token(toks)) in NATURAL_SUBJECTS:
            return False
    return True


def _path_to(tok, verb, hops: int):
    """The tokens from ``tok`` up to the child of ``verb`` it hangs under (at most ``hops``), or None."""
    path, t = [], tok
    for _ in range(hops):
        if t.head.i == t.i:
            return None
        path.append(t)
        if t.head.i == verb.i:
            return path
        t = t.head
    return None


def _within_content(tok, verb) -> bool:
    """Is ``tok`` anywhere inside a complement, purpose or "of"-clause of ``verb``?"""
    path = _path_to(tok, verb, 12)
    if path is None:
        return False
    top = path[-1]
    if len(path) > 1 and top.dep_ == "dobj" and path[-2].dep_ == "prep" and path[-2].lower_ in ("of", "for"):
        return True  # the parse hangs "of shelling" on the accused: "accused the police of beating"
    if top.dep_ in ("ccomp", "xcomp", "parataxis"):
        return True
    if top.dep_ == "advcl":  # "warned ..., saying it would retaliate", not "... after troops fired"
        return not any(c.dep_ == "mark" for c in top.children)
    # "accused X of shelling", "called for the release of": the prepositional content
    return top.dep_ == "prep" and top.lower_ in ("of", "for") and top.i > verb.i


def _in_content_clause(sent: SentenceView, start: int, end: int, verb) -> bool:
    """Is the span inside a clause (that-clause, infinitive, conditional) governed by ``verb``?"""
    toks = trigger_tokens(sent, start, end)
    path = _path_to(head_token(toks), verb, 10) if toks else None
    return path is not None and path[-1].dep_ in ("ccomp", "xcomp", "advcl", "parataxis")


def _inside_content(tok, verb) -> bool:
    path = _path_to(tok, verb, 8)
    return path is not None and path[-1].dep_ in ("ccomp", "xcomp", "parataxis", "dobj", "advcl")
