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

from .. import triggers
from ..actors import MentionRef, SentInfo
from ..records import ArticleResult, Event
from .attribution import conditional_threat, eval_is_about_others, speech_context, stated_threat
from .base import Draft, SentenceView, lemma
from .detection import candidates, choose_types, conditional_consequent, eval_statement, is_refusal
from .output import narrative_dates, to_event
from .roles import FORCES, attack_owner, content_subjects, first_person, home_state, host_from_place, if_subjects, objects_of, pronoun_state, recipients, speaker_as_agent, subject_of
from .rules import apply_plover_rules, dedupe, is_background, is_purpose_or_topic, plausible, relief_purpose
from .status import clause_status


def extract(result: ArticleResult, sents_info: list[SentInfo], refs: list[MentionRef], gz=None,
            quotes=None, place_at=None) -> list[Event]:
    """PLOVER events of one article (see the module docstring for the rules)."""
    by_sent: dict[int, list[MentionRef]] = {}
    for r in refs:
        by_sent.setdefault(r.sent, []).append(r)
    sents = [SentenceView(i, s, by_sent.get(i, [])) for i, s in enumerate(sents_info)]
    drafts: list[Draft] = []
    for sent in sents:
        drafts.extend(_sentence_events(sent, sents, result, place_at or {}, quotes or []))
    choose_types(drafts, sents, result)
    for d in drafts:
        apply_plover_rules(d)
    drafts = dedupe(drafts)
    events = []
    for n, d in enumerate(drafts, 1):
        events.append(to_event(n, d, sents, result, quotes, place_at or {}))
    narrative_dates(events, sents)
    return events


def _sentence_events(sent: SentenceView, sents: list[SentenceView], result: ArticleResult, place_at=None,
                     quotes=()) -> list[Draft]:
    out: list[Draft] = []
    for tok in sent.info.span:
        cands = candidates(tok)
        lem = lemma(tok)
        speech_eval = None
        refusal = is_refusal(tok)
        if refusal:
            cands = ["REJECT"]
        elif not cands and lem in triggers.THREAT_CONSEQUENTS and conditional_consequent(tok):
            cands = ["THREATEN"]
        if not cands and lem in ("say", "tell", "add", "write", "state", "describe", "call") and tok.pos_ == "VERB":
            speech_eval = eval_statement(tok, sent)
            if speech_eval:
                cands = [speech_eval]
        if not cands:
            continue
        subj = subject_of(tok)
        actor = sent.actors_in(subj) if subj is not None else []
        if not actor:
            actor = speaker_as_agent(tok, subj, sent)
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
        if not recipient:
            for o in objects_of(tok, ptype):
                if o.lower_ in ("it", "them"):
                    recipient = pronoun_state(o, sent.si, sents, actor, result)
        # passive: "X was attacked by Y" -> the subject is the recipient
        if any(c.dep_ == "nsubjpass" for c in tok.children) and not forces_moved:
            passive_subj = [c for c in tok.children if c.dep_ == "nsubjpass"][0]
            pr = sent.actors_in(passive_subj)
            if pr and pr == actor:
                agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                actor = sent.actors_in(agent[0]) if agent else []
                recipient = pr
                if not actor:
                    continue
        # a visit without a named host: the host is the state of the place visited ("arrived in Tokyo")
        if ptype == "CONSULT" and not recipient and lem in ("arrive", "travel", "fly", "visit", "land", "tour"):
            recipient = host_from_place(tok, sent, result, place_at, actor)
        # reciprocal meetings: the other party joins the actor list
        if ptype == "CONSULT" and lem in ("meet", "talk", "negotiate", "confer", "discuss", "speak", "consult"):
            actor = actor + [r for r in recipient if r not in actor]
            recipient = []
        if ptype == "CONSULT" and lem == "host":
            actor, recipient = recipient or actor, actor if recipient else []
        status, chain = clause_status(tok)
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
        threat = conditional_threat(tok, d, sent, status)
        if threat is not None:
            out.append(threat)
    if any(not d.embedded and d.confidence != 0.45 for d in out):
        out = [d for d in out if d.confidence != 0.45]
    return [d for d in out if plausible(d, sent, result)]

