"""Where events come from: trigger words and light-verb phrases (the ``triggers`` lexicon over the
dependency parse, with lexical conditions on objects, particles and prepositions), the learned
detector's proposals (``dyads.detector``), and the relation classifier that picks one type when a
trigger allows several."""
from __future__ import annotations

from .. import triggers
from ..actors import SentInfo
from ..records import ArticleResult
from .base import Draft, SentenceView, lemma, particles
from .roles import FORCES, subject_of
from .status import has_negation


_CACHED_CLF = None


def _classifier():
    global _CACHED_CLF
    if _CACHED_CLF is None:
        try:
            import os

            from ..relclf import RelationClassifier

            _CACHED_CLF = RelationClassifier.load(os.environ.get("DYADS_RELCLF_PATH") or None)
        except Exception:  # no artefact: the lexicon decides alone
            _CACHED_CLF = False
    return _CACHED_CLF or None


def _obj_lemmas(tok) -> set[str]:
    out = set()
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr"):
            out.add(lemma(c))
            out.update(lemma(x) for x in c.children if x.dep_ in ("compound", "conj"))
            out.update(lemma(x) for x in c.conjuncts)
            # "40 tonnes of food aid", "a shipment of weapons": the thing inside the measure
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for g in p.children:
                        if g.dep_ == "pobj":
                            out.add(lemma(g))
                            out.update(lemma(x) for x in g.children if x.dep_ == "compound")
        if c.dep_ in ("prep", "prt", "agent"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.add(lemma(g))
    return out


def _temporal(prep) -> bool:
    """A time phrase ("on Saturday", "in March"), which says nothing about what the verb means."""
    return prep.dep_ == "prep" and any(o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in prep.children)


def _cond_ok(cond: str, tok) -> bool:
    if not cond:
        return True
    if "&" in cond:
        # "prt:over&obj:town|city": every part must hold
        return all(_cond_ok(part, tok) for part in cond.split("&"))
    kind, _, val = cond.partition(":")
    options = set(val.split("|"))
    if kind in ("obj", "!obj"):
        objs = _obj_lemmas(tok)
        if "*person" in options:
            hit = any(c.ent_type_ == "PERSON" or c.lower_ in ("him", "her", "them") or c.pos_ == "PROPN"
                      for c in tok.children if c.dep_ in ("dobj",))
        else:
            hit = bool(objs & options) or any(o.rstrip("s") in options for o in objs)
        return hit if kind == "obj" else not hit
    if kind == "prep":
        return any(c.dep_ in ("prep", "dative") and c.lower_ in options and not _temporal(c) for c in tok.children)
    if kind in ("xcomp", "!xcomp"):
        hit = any(c.dep_ in ("xcomp", "ccomp") and lemma(c) in options for c in tok.children)
        return hit if kind == "xcomp" else not hit
    if kind == "phonecall":
        # "X called Y" is a phone call; "called it a violation", "what he called", "called for" are not
        if any(c.dep_ in ("oprd", "xcomp", "ccomp", "prep", "attr") and not _temporal(c)
               and not (c.dep_ in ("xcomp", "advcl") and lemma(c) in _CALL_TOPICS) for c in tok.children):
            return False  # ... but "called Lavrov to discuss Syria" is the call
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        return bool(objs) and all(o.lower_ not in ("what", "it", "this", "that") and (o.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or o.pos_ == "PROPN" or o.lower_ in ("counterpart", "president", "minister", "leader"))
                                  for o in objs)
    if kind == "modal":
        return any(c.dep_ == "aux" and c.lower_ in ("would", "will", "could", "might", "shall", "'ll", "’ll") for c in tok.children)
    if kind in ("subj", "!subj"):
        subj = subject_of(tok)
        hit = subj is not None and (lemma(subj) in options or lemma(subj).rstrip("s") in options)
        return hit if kind == "subj" else not hit
    if kind == "finite":
        # not an infinitive: "X stepped down", but not "calls for X to step down"
        return not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if kind == "noobj":
        return not any(c.dep_ in ("dobj",) for c in tok.children)
    if kind == "mainverb":
        # a clause of its own, not a participle or relative clause elaborating another act
        # ("added them to its list, barring them from ...", "officials it holds responsible")
        return tok.dep_ != "relcl" and not (tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl", "xcomp", "conj"))
    if kind == "objplace":
        # "the aid convoy reached Gaza / the stricken villages" -- not "aid reached a record high"
        return any(c.dep_ == "dobj" and (c.ent_type_ in ("GPE", "LOC", "FAC", "NORP") or lemma(c) in _AID_PLACES)
                   for c in tok.children)
    if kind == "nopass":
        return not any(c.dep_ == "nsubjpass" for c in tok.children)
    if kind == "fireprep":
        # "fired on protesters", "fired at the convoy" -- not "fired its coach on Monday"
        if any(c.dep_ == "dobj" or c.dep_ == "nsubjpass" and (c.ent_type_ == "PERSON" or c.lower_ in _DISMISSED)
               for c in tok.children):
            return False
        return any(c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "into", "toward", "towards", "across")
                   and any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in c.children)
                   for c in tok.children)
    if kind == "comp":
        # "held Iran responsible for the attack"
        return any(c.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "dobj") and c.lower_ in options
                   or c.dep_ in ("ccomp", "xcomp", "oprd", "dobj") and any(g.lower_ in options and g.dep_ in ("acomp", "amod", "oprd") for g in c.children)
                   for c in tok.children)
    if kind == "text":
        low = tok.sent.text.lower()
        return any(o in low for o in options)
    if kind in ("prt", "!prt"):
        hit = bool(particles(tok) & options)
        return hit if kind == "prt" else not hit
    return True


_AID_PLACES = {"city", "town", "area", "region", "village", "camp", "people", "civilian", "family", "refugee",
               "survivor", "victim", "community", "hospital", "port", "border", "strip", "enclave", "district",
               "province", "island", "capital", "population", "resident"}


_DISMISSED = {"coach", "manager", "minister", "chief", "director", "head", "official", "employee", "worker", "staff",
              "secretary", "commander", "adviser", "advisor", "executive", "ceo", "editor", "he", "she", "i", "governor"}


# Nominalised conflict acts that a threat can be about ("raised the possibility of a ban").
_THREAT_CONTENT = {"ban", "sanction", "strike", "airstrike", "attack", "action", "force", "expulsion", "arrest",
                   "retaliation", "closure", "suspension", "embargo", "blockade", "invasion", "war", "tariff",
                   "intervention", "prosecution", "boycott", "annexation", "countermeasure", "reprisal"}


_SUSPENDED = {"aid", "tie", "relation", "talks", "talk", "trade", "cooperation", "membership", "funding", "flight",
              "export", "import", "agreement", "assistance", "program", "programme", "visa", "loan", "payment"}


_DIPLOMATS = {"diplomat", "ambassador", "envoy", "attache", "consul", "staff", "charge"}


def _of_lemmas(noun) -> set[str]:
    out = set()
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for g in p.children:
                if g.dep_ in ("pobj", "pcomp"):
                    out.add(lemma(g))
                    out.update(lemma(x) for x in g.children if x.dep_ in ("compound", "amod"))
                    out.update(lemma(x) for x in g.conjuncts)
    return out


def _light_nominal(t: str, noun) -> list[str]:
    """Light verb + nominalised act whose type depends on what it is of: "announced the suspension
    of talks" (SANCTION), "ordered the expulsion of three diplomats" (SANCTION; of individuals COERCE)."""
    of = _of_lemmas(noun)
    if t == "SANCTION_NOMINAL":
        return ["SANCTION"] if of & _SUSPENDED or {o.rstrip("s") for o in of} & _SUSPENDED else []
    if t == "EXPEL_NOMINAL":
        return ["SANCTION"] if {o.rstrip("s") for o in of} & _DIPLOMATS else ["COERCE"]
    if t == "BORDER_NOMINAL":
        # "opened its borders to Syrian refugees": shelter given, AID; a border reopened for trade is not
        verb = noun.head
        to = [g for h in (noun, verb) for p in h.children if p.dep_ == "prep" and p.lower_ == "to"
              for g in p.children if g.dep_ == "pobj"]
        people = any(lemma(x) in _SHELTERED or x.lower_ in _SHELTERED or x.ent_type_ == "NORP" and x.tag_ == "NNPS"
                     for g in to for x in g.subtree)
        return ["AID"] if people else []
    if t == "OPERATION_NOMINAL":
        # "launched a military operation against the rebels": an attack; a rescue, search or
        # relief operation is not
        mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
        return [] if mods & _RELIEF_MODS else ["ASSAULT"]
    return [t]


_SHELTERED = {"refugee", "migrant", "asylum-seeker", "evacuee", "displaced", "civilian", "people", "family"}
_RELIEF_MODS = {"rescue", "search", "relief", "evacuation", "humanitarian", "recovery", "peacekeeping"}


def _raised_threat(tok) -> bool:
    """"raised the possibility of a ban", "floated the prospect of sanctions": a threat (THREATEN)."""
    if lemma(tok) not in ("raise", "float", "hint", "mention", "broach"):
        return False
    for c in tok.children:
        nouns = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "at" else []
        for n in nouns:
            if lemma(n) not in ("possibility", "prospect", "threat", "spectre", "specter", "option"):
                continue
            for p in n.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for g in p.children:
                        words = {lemma(g)} | {lemma(x) for x in g.children if x.dep_ in ("compound", "amod")}
                        if g.tag_ == "VBG" and triggers.VERBS.get(lemma(g)) and \
                                any(t in ("SANCTION", "COERCE", "ASSAULT", "MOBILIZE") for t, _ in triggers.VERBS[lemma(g)]):
                            return True
                        if words & _THREAT_CONTENT or {w.rstrip("s") for w in words} & _THREAT_CONTENT:
                            return True
    return False


# Armed subjects "on alert" are mobilised: the forces the roles stage knows, and their services
_ALERT_SUBJECTS = FORCES | {"military", "border", "coastguard", "airforce"}
_CALL_TOPICS = {"discuss", "talk", "review", "confer", "exchange", "brief", "consult", "congratulate", "express", "offer"}
_EFFORTS = {"effort", "initiative", "bid", "mission", "process", "drive", "push"}
_CONTAINERS = {"round", "wave", "series", "spate", "string", "volley", "barrage", "flurry", "salvo", "batch", "package"}


def candidates(tok) -> list[str]:
    """Candidate PLOVER types for a token, or []."""
    lem = lemma(tok)
    if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ in ("ROOT",)):
        # nouns only through light verbs (handled by the caller)
        if tok.pos_ != "VERB":
            return []
    called_off = "off" in particles(tok)  # "called off the strike" is not "called a strike"
    for c in tok.children:
        if called_off:
            break
        # "imposed sanctions", "sanctions were imposed on", "placed under house arrest", "took into custody"
        if c.dep_ in ("dobj", "attr", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in ("on", "to", "under", "into")):
            nouns = [c] if c.dep_ != "prep" else [g for g in c.children if g.dep_ == "pobj"]
            # "began a new round of joint exercises", "imposed a fresh wave of sanctions": the
            # light verb's noun is the one the container holds
            nouns += [g for n in nouns if lemma(n) in _CONTAINERS for p in n.children
                      if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
            # "launched a mediation effort", "ended mediation efforts": the noun that names the act
            nouns += [g for n in nouns if lemma(n) in _EFFORTS for g in n.children if g.dep_ == "compound"]
            for n in nouns:
                key = (lem, lemma(n))
                if key not in triggers.LIGHT and n.tag_ in ("NNS", "NNPS"):
                    key = (lem, n.lower_)
                if lemma(n) == "law" and any(x.lower_ == "martial" for x in n.children):
                    key = (lem, "martial law")
                if key in triggers.LIGHT:
                    t = triggers.LIGHT[key]
                    if t == "PROTEST_OR_ASSAULT":
                        return ["ASSAULT", "PROTEST"]
                    if t.endswith("_NOMINAL"):
                        out = _light_nominal(t, n)
                        if not out:
                            continue
                        return out
                    return _joint(tok, [t], n)
    if _raised_threat(tok):
        return ["THREATEN"]
    if lem in ("strike",):
        subj = subject_of(tok)
        if subj is not None and lemma(subj) in ("worker", "teacher", "union", "doctor", "nurse", "miner", "driver", "employee", "staff"):
            return ["PROTEST"]
    if lem in ("be", "remain", "stay") and any(
            c.dep_ == "prep" and c.lower_ == "on" and any(g.dep_ == "pobj" and lemma(g) == "strike"
                                                          and not any(d.lower_ in ("a", "an", "the") for d in g.children)
                                                          for g in c.children) for c in tok.children):
        return ["PROTEST"]  # "teachers are on strike" (but not "the focus is on the strike")
    subj = subject_of(tok) if lem in ("be", "remain", "stay", "go") else None
    if subj is not None and lemma(subj) in _ALERT_SUBJECTS and any(
            c.dep_ == "prep" and c.lower_ == "on" and any(g.dep_ == "pobj" and lemma(g) == "alert" for g in c.children)
            for c in tok.children):
        return ["MOBILIZE"]  # "troops remained on high alert", "the army is on alert"
    if lem in ("have", "be", "do", "make", "take", "get", "go", "come", "say", "tell"):
        return []
    if lem == "warn":
        content = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "advcl")]
        sub = [t for c in content for t in c.subtree]
        if any(t.lower_ in ("would", "will", "if", "unless", "could") for t in sub):
            return ["THREATEN"]
    out = []
    specific = []
    for ptype, cond in triggers.VERBS.get(lem, []):
        if _cond_ok(cond, tok) and ptype not in out:
            out.append(ptype)
            if any(part and not part.startswith("!") and part != "noobj" for part in cond.split("&")):
                specific.append(ptype)
    # a candidate whose specific condition matched ("ordered X to leave") beats the general ones
    if specific and len(specific) < len(out):
        out = specific[:1]
    if out == ["AGREE"] and lem == "agree" and any(
            c.dep_ == "xcomp" and lemma(c) in ("forgive", "cancel", "write") and candidates(c) == ["AID"] and not has_negation(c)
            for c in tok.children):
        return ["AID"]  # "agreed to forgive $200 million of Nigeria's loans" (manual, AID)
    return _joint(tok, out)


def _joint(tok, out: list[str], noun=None) -> list[str]:
    """Joint exercises and patrols are COOPERATE, single-country ones MOBILIZE."""
    if "MOBILIZE" in out:
        nouns = [noun] if noun is not None else [c for c in tok.children if c.dep_ == "dobj"]
        for c in nouns:
            if any(x.lower_ in ("joint", "combined", "bilateral", "trilateral") for x in c.children):
                return ["COOPERATE" if t == "MOBILIZE" else t for t in out]
    return out


def eval_statement(tok, sent: SentenceView) -> str | None:
    """A speech verb whose content judges: ACCUSE (negative) or SUPPORT (positive)."""
    text = sent.info.span.text.lower()
    if any(w in text for w in triggers.NEGATIVE_EVAL):
        return "ACCUSE"
    if any(w in text for w in triggers.POSITIVE_EVAL):
        return "SUPPORT"
    return None


# Speech verbs that can carry a demand in their content ("Turkey says Greece must stop arming the islands").
_DEMAND_SPEECH = {"say", "tell", "add", "state", "insist", "stress", "reiterate", "write", "argue", "declare",
                  "emphasize", "emphasise", "maintain", "repeat"}


def must_clauses(tok):
    """(clause, its subject or None) for each content clause of ``tok`` with "must"."""
    for c in tok.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "must" for a in c.children):
            yield c, next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)


def demanded(tok):
    """The clause a speaker says someone else must carry out ("Turkey says Greece must stop arming
    its islands", "the EU said military intervention must be avoided"): the speech verb is a REQUEST
    (guide, section 3: "X said Y must Z") and the clause its content. None when there is none, or
    when the speaker's own side must act ("we must implement")."""
    if tok.pos_ != "VERB" or lemma(tok) not in _DEMAND_SPEECH:
        return None
    for c, subj in must_clauses(tok):
        if has_negation(c):
            continue
        if subj is None or subj.lower_ in ("we", "i", "us", "it", "he", "she", "they", "this", "that", "there"):
            return None
        return c
    return None


def is_refusal(tok) -> bool:
    """"X will not attend", "would not accept": a refusal by X."""
    if tok.pos_ != "VERB" or lemma(tok) not in triggers.REFUSABLE:
        return False
    kids = {c.lower_ for c in tok.children if c.dep_ in ("aux", "neg")}
    return bool(kids & {"not", "n't", "never"}) and bool(kids & {"will", "would", "wo", "shall"}) \
        and not any(c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children) for c in tok.children)


def conditional_consequent(tok) -> bool:
    kids = list(tok.children)
    has_modal = any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "’ll", "shall") for c in kids)
    has_if = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "should") for m in c.children)
                 for c in kids)
    return has_modal and has_if


def choose_types(drafts: list[Draft], sents: list[SentenceView], result: ArticleResult) -> None:
    multi = [d for d in drafts if len(d.cands) > 1]
    # with the learned detector on, a proposal on the trigger already chose among the lexicon's
    # candidates; the relation classifier adds nothing measurable there (dev folds: identical
    # figures), so it only decides for the lexicon alone
    clf = _classifier() if multi and _detector() is None else None
    if not clf:
        return
    items = []
    for d in multi:
        sent = sents[d.sent].info
        a = result.actor(d.actor[0])
        r = result.actor(d.recipient[0]) if d.recipient else None
        items.append({"sentence": sent.span.text, "source": _mention_text(a, sent), "target": _mention_text(r, sent) if r else ""})
    try:
        preds = clf.predict(items)
    except Exception:
        return
    for d, (_, _, probs) in zip(multi, preds):
        scores = {c: probs.get(c, probs.get("YIELD", 0.0) if c in ("CONCEDE", "RETREAT") else 0.0) for c in d.cands}
        best = max(d.cands, key=lambda c: (scores[c], -d.cands.index(c)))
        d.type = best
        d.confidence = round(0.5 + 0.5 * scores[best], 3)


def _mention_text(actor, sent: SentInfo) -> str:
    if actor is None:
        return ""
    for m in actor.mentions:
        if sent.start <= m.start < sent.end:
            return m.text
    return actor.name



# ------------------------------------------------------------------ learned detector
_CACHED_DETECTOR = None


def _detector():
    """The packaged detector, or None when switched off (``DYADS_DETECTOR=off``) or missing."""
    global _CACHED_DETECTOR
    import os

    if os.environ.get("DYADS_DETECTOR", "").lower() in ("off", "0", "no"):
        return None
    if _CACHED_DETECTOR is None:
        try:
            from ..detector import Detector

            path = os.environ.get("DYADS_DETECTOR_PATH") or None
            _CACHED_DETECTOR = Detector.load(path)
        except Exception:  # no artefact: the lexicon decides alone
            _CACHED_DETECTOR = False
    return _CACHED_DETECTOR or None


def learned_setting(key: str, default):
    """A decision threshold shipped with the detector (``labels.json``), else ``default``."""
    det = _detector()
    return det.meta.get(key, default) if det is not None else default


def learned_proposals(sents: list[SentenceView], text: str) -> list[list]:
    """Per sentence, the detector's proposals (spans relative to the sentence start)."""
    det = _detector()
    if det is None or not sents:
        return [[] for _ in sents]
    return det.detect([text[s.info.start:s.info.end] for s in sents])


def trigger_tokens(sent: SentenceView, start: int, end: int) -> list:
    """spaCy tokens of the sentence inside the article span [start, end)."""
    off = sent.info.offset
    return [t for t in sent.info.span if off + t.idx < end and off + t.idx + len(t.text) > start and not t.is_space]


def head_token(toks: list):
    """The syntactic head of a run of tokens (a verb preferred when the parse splits it)."""
    ids = {t.i for t in toks}
    # spaCy hands out a fresh Token object on every access, so the root is found by index
    # (``t.head is t`` is never true)
    tops = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    verbs = [t for t in tops if t.pos_ in ("VERB", "AUX")]
    return (verbs or tops or toks)[0]
