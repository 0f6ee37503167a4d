"""Stage 6 — PLOVER event coding.

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

from dataclasses import dataclass, field

from . import places, plover, triggers
from .quotes import speaker_of_offset
from .actors import MentionRef, SentInfo
from .records import ArticleResult, Event, Span

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
_CACHED_CLF = None


@dataclass
class _Draft:
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


def _classifier():
    global _CACHED_CLF
    if _CACHED_CLF is None:
        try:
            from .relclf import RelationClassifier

            _CACHED_CLF = RelationClassifier.load()
        except Exception:  # no artefact: the lexicon decides alone
            _CACHED_CLF = False
    return _CACHED_CLF or None


class _Sentence:
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


def _lemma(t) -> str:
    return t.lemma_.lower()


_STATEMENT_NOUNS = {"statement", "communique", "communiqué", "letter", "declaration", "resolution", "note", "message"}


def _subject(tok):
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
        if t.dep_ == "acl" and t.tag_ == "VBG" and _lemma(t.head) in _STATEMENT_NOUNS and t.head.dep_ in ("dobj", "nsubjpass") \
                and t.head.head is not t.head and _lemma(t.head.head) in ("issue", "release", "publish", "send", "deliver", "adopt", "pass", "sign"):
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


def _objects(tok, ptype: str) -> list:
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


def _obj_lemmas(tok) -> set[str]:
    out = set()
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr"):
            out.add(_lemma(c))
            out.update(_lemma(x) for x in c.children if x.dep_ in ("compound", "conj"))
            out.update(_lemma(x) for x in c.conjuncts)
            # "40 tonnes of food aid", "a shipment of weapons": the thing inside the measure
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for g in p.children:
                        if g.dep_ == "pobj":
                            out.add(_lemma(g))
                            out.update(_lemma(x) for x in g.children if x.dep_ == "compound")
        if c.dep_ in ("prep", "prt", "agent"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.add(_lemma(g))
    return out


_PARTICLES = {"out", "back", "down", "up", "off", "over", "in", "away"}


def _particles(tok) -> set[str]:
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
        return any(c.dep_ in ("prep", "dative") and c.lower_ in options for c in tok.children)
    if kind in ("xcomp", "!xcomp"):
        hit = any(c.dep_ in ("xcomp", "ccomp") and _lemma(c) in options for c in tok.children)
        return hit if kind == "xcomp" else not hit
    if kind == "phonecall":
        # "X called Y" is a phone call; "called it a violation", "what he called", "called for" are not
        if any(c.dep_ in ("oprd", "xcomp", "ccomp", "prep", "attr") for c in tok.children):
            return False
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        return bool(objs) and all(o.lower_ not in ("what", "it", "this", "that") and (o.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or o.pos_ == "PROPN" or o.lower_ in ("counterpart", "president", "minister", "leader"))
                                  for o in objs)
    if kind == "modal":
        return any(c.dep_ == "aux" and c.lower_ in ("would", "will", "could", "might", "shall", "'ll", "’ll") for c in tok.children)
    if kind in ("subj", "!subj"):
        subj = _subject(tok)
        hit = subj is not None and (_lemma(subj) in options or _lemma(subj).rstrip("s") in options)
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
        return any(c.dep_ == "dobj" and (c.ent_type_ in ("GPE", "LOC", "FAC", "NORP") or _lemma(c) in _AID_PLACES)
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
        hit = bool(_particles(tok) & options)
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
                    out.add(_lemma(g))
                    out.update(_lemma(x) for x in g.children if x.dep_ in ("compound", "amod"))
                    out.update(_lemma(x) for x in g.conjuncts)
    return out


def _light_nominal(t: str, noun) -> list[str]:
    """Light verb + nominalised act whose type depends on what it is of: "announced the suspension
    of talks" (SANCTION), "ordered the expulsion of three diplomats" (SANCTION; of individuals COERCE)."""
    of = _of_lemmas(noun)
    if t == "SANCTION_NOMINAL":
        return ["SANCTION"] if of & _SUSPENDED or {o.rstrip("s") for o in of} & _SUSPENDED else []
    if t == "EXPEL_NOMINAL":
        return ["SANCTION"] if {o.rstrip("s") for o in of} & _DIPLOMATS else ["COERCE"]
    return [t]


def _raised_threat(tok) -> bool:
    """"raised the possibility of a ban", "floated the prospect of sanctions": a threat (THREATEN)."""
    if _lemma(tok) not in ("raise", "float", "hint", "mention", "broach"):
        return False
    for c in tok.children:
        nouns = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "at" else []
        for n in nouns:
            if _lemma(n) not in ("possibility", "prospect", "threat", "spectre", "specter", "option"):
                continue
            for p in n.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for g in p.children:
                        words = {_lemma(g)} | {_lemma(x) for x in g.children if x.dep_ in ("compound", "amod")}
                        if g.tag_ == "VBG" and triggers.VERBS.get(_lemma(g)) and \
                                any(t in ("SANCTION", "COERCE", "ASSAULT", "MOBILIZE") for t, _ in triggers.VERBS[_lemma(g)]):
                            return True
                        if words & _THREAT_CONTENT or {w.rstrip("s") for w in words} & _THREAT_CONTENT:
                            return True
    return False


def _candidates(tok) -> list[str]:
    """Candidate PLOVER types for a token, or []."""
    lem = _lemma(tok)
    if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ in ("ROOT",)):
        # nouns only through light verbs (handled by the caller)
        if tok.pos_ != "VERB":
            return []
    called_off = "off" in _particles(tok)  # "called off the strike" is not "called a strike"
    for c in tok.children:
        if called_off:
            break
        # "imposed sanctions", "sanctions were imposed on", "placed under house arrest", "took into custody"
        if c.dep_ in ("dobj", "attr", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in ("on", "to", "under", "into")):
            nouns = [c] if c.dep_ != "prep" else [g for g in c.children if g.dep_ == "pobj"]
            for n in nouns:
                key = (lem, _lemma(n))
                if key not in triggers.LIGHT and n.tag_ in ("NNS", "NNPS"):
                    key = (lem, n.lower_)
                if _lemma(n) == "law" and any(x.lower_ == "martial" for x in n.children):
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
                    return _joint(tok, [t])
    if _raised_threat(tok):
        return ["THREATEN"]
    if lem in ("strike",):
        subj = _subject(tok)
        if subj is not None and _lemma(subj) in ("worker", "teacher", "union", "doctor", "nurse", "miner", "driver", "employee", "staff"):
            return ["PROTEST"]
    if lem in ("be", "remain", "stay") and any(
            c.dep_ == "prep" and c.lower_ == "on" and any(g.dep_ == "pobj" and _lemma(g) == "strike"
                                                          and not any(d.lower_ in ("a", "an", "the") for d in g.children)
                                                          for g in c.children) for c in tok.children):
        return ["PROTEST"]  # "teachers are on strike" (but not "the focus is on the strike")
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
            c.dep_ == "xcomp" and _lemma(c) in ("forgive", "cancel", "write") and _candidates(c) == ["AID"] and not _neg(c)
            for c in tok.children):
        return ["AID"]  # "agreed to forgive $200 million of Nigeria's loans" (manual, AID)
    if out == ["AGREE"] and lem in triggers.COMMISSIVE and _promised_concession(tok):
        # "agreed to withdraw its troops", "pledged to lift the curfew": an announced future
        # retreat or concession is CONCEDE, not AGREE (PLOVER manual, CONCEDE and RETREAT)
        return ["CONCEDE"]
    return _joint(tok, out)


def _promised_concession(tok) -> bool:
    """The infinitive content of a promise is a concession or a retreat by the promiser."""
    for c in tok.children:
        if c.dep_ != "xcomp" or c.pos_ != "VERB" or _lemma(c) in triggers.NOT_CONCESSION_CONTENT:
            continue
        if not any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children):
            continue
        if _neg(c):
            return False
        cands = _candidates(c)
        if cands and cands[0] in ("CONCEDE", "RETREAT"):
            return True
    return False


def _joint(tok, out: list[str]) -> list[str]:
    """Joint exercises and patrols are COOPERATE, single-country ones MOBILIZE."""
    if "MOBILIZE" in out:
        for c in tok.children:
            if c.dep_ == "dobj" and any(x.lower_ in ("joint", "combined", "bilateral", "trilateral") for x in c.children):
                return ["COOPERATE" if t == "MOBILIZE" else t for t in out]
    return out


def _neg(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or c.lower_ in ("never",) and c.dep_ == "advmod":
            return True
        # "No shots were fired", "fired no shots", "nobody was arrested"
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (c.lower_ in ("nobody", "nothing", "none", "no-one")
                                                        or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
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


def _status(tok) -> tuple[str, list]:
    chain = _clause_chain(tok)
    # negation anywhere in the chain, or a negating governor ("failed to", "refused to")
    for i, t in enumerate(chain):
        if _neg(t):
            return "negated", chain
        if i > 0 and _lemma(t) in triggers.NEGATING_GOVERNORS:
            return "negated", chain
        if i > 0 and _lemma(t) == "rule" and "out" in _particles(t):
            return "negated", chain  # "Nigeria had ruled out sending troops"
        if t.lower_ == "able" and any(_neg(x) for x in (t, t.head)):
            return "negated", chain
    if _wished_for(tok):
        return "hypothetical", chain
    # conditional: inside an if/unless clause, or the consequent of one
    t = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return "hypothetical", chain
        if t.dep_ in ("ROOT",) or t.head is t:
            break
        if t.dep_ in ("ccomp",):
            break
        t = t.head
    root = chain[-1]
    auxes = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")}
    heads = [root]
    while heads[-1].dep_ == "conj" and heads[-1].head is not heads[-1] and len(heads) < 4:
        heads.append(heads[-1].head)
    has_if = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                 for h in heads for c in h.children)
    auxes |= {c.lower_ for h in heads[1:] for c in h.children if c.dep_ in ("aux", "auxpass")}
    # unconfirmed reports: "refused to confirm reports that the navy had sent ..."
    t = tok
    for _ in range(8):
        if t.head is t:
            break
        if t.dep_ in ("acl", "ccomp") and _lemma(t.head) in ("report", "claim", "allegation", "rumour", "rumor", "speculation"):
            gov = t.head.head
            if _lemma(gov) in ("confirm", "verify") and (_neg(gov) or _lemma(gov.head) in ("refuse", "decline", "fail")) \
                    or _lemma(gov) in ("deny", "dismiss", "reject"):
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
        lem = _lemma(t)
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
        if t.head is t or t.dep_ not in ("xcomp", "ccomp"):
            return False
        gov = t.head
        lem = _lemma(gov)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        if lem in triggers.DIRECTIVE_GOVERNORS and infinitive and t.dep_ == "ccomp":
            return True  # "want X to V", "urged X to V": X is the subject of the infinitive
        if lem in ("want", "wish") and infinitive and gov.head is not gov and not _neg(gov):
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


def _speech_context(tok, sent: _Sentence):
    """(attributed_to, denied_by, governing verb) for an event inside reported speech."""
    t = tok
    for _ in range(10):
        if t.dep_ in ("ccomp", "parataxis"):
            gov = t.head
            lem = _lemma(gov)
            subj = _subject(gov)
            ids = sent.actors_in(subj) if subj is not None else []
            if lem in triggers.DENIAL_VERBS:
                return [], ids, gov
            if lem in triggers.SPEECH_VERBS:
                return ids, [], gov
        if t.head is t:
            break
        t = t.head
    # "according to X"
    for tok2 in sent.info.span:
        if tok2.lower_ == "according" and tok2.i + 1 < len(tok2.doc) and tok2.doc[tok2.i + 1].lower_ == "to":
            for g in tok2.doc[tok2.i + 1].children:
                if g.dep_ == "pobj":
                    return sent.actors_in(g), [], None
    return [], [], None


def _expand_including(tok, sent: _Sentence) -> list[str]:
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


def _recipients(tok, ptype: str, sent: _Sentence, actor_ids: list[str]) -> list[str]:
    out: list[str] = []
    for o in _objects(tok, ptype):
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


def _pronoun_state(tok, sent_idx: int, sents: list[_Sentence], exclude: list[str], result: ArticleResult) -> list[str]:
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


def _eval_statement(tok, sent: _Sentence) -> str | None:
    """A speech verb whose content judges: ACCUSE (negative) or SUPPORT (positive)."""
    text = sent.info.span.text.lower()
    if any(w in text for w in triggers.NEGATIVE_EVAL):
        return "ACCUSE"
    if any(w in text for w in triggers.POSITIVE_EVAL):
        return "SUPPORT"
    return None


def _apply_plover_rules(d: _Draft) -> None:
    lem = _lemma(d.trigger)
    if d.status == "future":
        if d.type in triggers.COOPERATIVE:
            d.type = "AGREE"
        elif d.type == "RETREAT":
            d.type = "CONCEDE"
    if d.type == "SUPPORT" and lem == "sign" and d.status == "future":
        d.type = "AGREE"


def extract(result: ArticleResult, sents_info: list[SentInfo], refs: list[MentionRef], gz=None,
            quotes=None, place_at=None) -> list[Event]:
    """PLOVER events of one article (see the module docstring for the rules)."""
    by_sent: dict[int, list[MentionRef]] = {}
    for r in refs:
        by_sent.setdefault(r.sent, []).append(r)
    sents = [_Sentence(i, s, by_sent.get(i, [])) for i, s in enumerate(sents_info)]
    drafts: list[_Draft] = []
    for sent in sents:
        drafts.extend(_sentence_events(sent, sents, result, place_at or {}, quotes or []))
    _choose_types(drafts, sents, result)
    for d in drafts:
        _apply_plover_rules(d)
    drafts = _dedupe(drafts)
    events = []
    for n, d in enumerate(drafts, 1):
        events.append(_finish(n, d, sents, result, quotes, place_at or {}))
    _narrative_dates(events, sents)
    return events


def _host_from_place(tok, sent: _Sentence, result: ArticleResult, place_at, actor: list[str]) -> list[str]:
    from .records import Actor, Mention

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
    from .gazetteer import base

    return base().country_name(iso3) or iso3


def _sentence_events(sent: _Sentence, sents: list[_Sentence], result: ArticleResult, place_at=None,
                     quotes=()) -> list[_Draft]:
    out: list[_Draft] = []
    for tok in sent.info.span:
        cands = _candidates(tok)
        lem = _lemma(tok)
        speech_eval = None
        refusal = _is_refusal(tok)
        if refusal:
            cands = ["REJECT"]
        elif not cands and lem in triggers.THREAT_CONSEQUENTS and _conditional_consequent(tok):
            cands = ["THREATEN"]
        if not cands and lem in ("say", "tell", "add", "write", "state", "describe", "call") and tok.pos_ == "VERB":
            speech_eval = _eval_statement(tok, sent)
            if speech_eval:
                cands = [speech_eval]
        if not cands:
            continue
        subj = _subject(tok)
        actor = sent.actors_in(subj) if subj is not None else []
        if not actor:
            actor = _speaker_as_agent(tok, subj, sent)
        if not actor and subj is not None and subj.lower_ in ("we", "i", "us"):
            actor = _first_person(subj, sent, result, quotes)
        if subj is not None and not actor and subj.lower_ in ("it", "they", "them") :
            actor = _pronoun_state(subj, sent.si, sents, [], result)
        forces_moved = False
        passive_noagent = any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
        if not actor and passive_noagent and cands[0] == "ASSAULT":
            # "four people were killed in a coalition air strike": whose strike it was
            actor = _attack_owner(tok, sent)
        if not actor and passive_noagent and cands[0] == "MOBILIZE":
            # "Russian troops were deployed to the border": the forces moved are the actor
            ps = [c for c in tok.children if c.dep_ == "nsubjpass"][0]
            if _lemma(ps) in _FORCES or any(_lemma(x) in _FORCES for x in ps.conjuncts):
                actor = sent.actors_in(ps)
                forces_moved = bool(actor)
        if not actor and any(c.dep_ == "nsubjpass" for c in tok.children) and cands[0] in ("COERCE", "ACCUSE", "SANCTION") \
                and not any(c.dep_ == "agent" for c in tok.children):
            # "four people were detained": the authorities of the story's home state did it
            actor = _home_state(result)
        if not actor:
            continue
        ptype = cands[0]
        recipient = _recipients(tok, ptype, sent, actor)
        if not recipient:
            for o in _objects(tok, ptype):
                if o.lower_ in ("it", "them"):
                    recipient = _pronoun_state(o, sent.si, sents, actor, result)
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
            recipient = _host_from_place(tok, sent, result, place_at, actor)
        # reciprocal meetings: the other party joins the actor list
        if ptype == "CONSULT" and lem in ("meet", "talk", "negotiate", "confer", "discuss", "speak", "consult"):
            actor = actor + [r for r in recipient if r not in actor]
            recipient = []
        if ptype == "CONSULT" and lem == "host":
            actor, recipient = recipient or actor, actor if recipient else []
        status, chain = _status(tok)
        if refusal:
            status = "asserted"  # the refusal itself is what happened
        elif cands == ["THREATEN"] and lem in triggers.THREAT_CONSEQUENTS and not triggers.VERBS.get(lem):
            status = "asserted"
            recipient = recipient or _if_subjects(tok, sent, actor)
        # B: the content of a request, threat or promise has not happened; the governor is the event
        if any(_lemma(g) in triggers.CONTENT_GOVERNORS and _candidates(g) for g in chain[1:]):
            continue
        if speech_eval and not _eval_is_about_others(tok, sent, actor):
            continue
        if _is_purpose_or_topic(tok, ptype) or _is_background(tok):
            continue
        if ptype == "MOBILIZE" and _relief_purpose(tok):
            ptype = "AID"
            cands = ["AID"]
        if not recipient and ptype == "ACCUSE" or speech_eval:
            recipient = recipient or _content_subjects(tok, sent, actor)
        attributed, denied, gov = _speech_context(tok, sent)
        d = _Draft(type=ptype, cands=cands, trigger=tok, sent=sent.si, actor=actor, recipient=recipient,
                   status=status, attributed_to=[a for a in attributed if a not in actor] or attributed,
                   denied_by=denied, embedded=gov is not None)
        if speech_eval:
            d.confidence = 0.45
        out.append(d)
        stated = _stated_threat(tok, d, subj, gov)
        if stated is not None:
            out.append(stated)
        threat = _conditional_threat(tok, d, sent, status)
        if threat is not None:
            out.append(threat)
    if any(not d.embedded and d.confidence != 0.45 for d in out):
        out = [d for d in out if d.confidence != 0.45]
    return [d for d in out if _plausible(d, sent, result)]


_FORCES = {"troop", "soldier", "force", "unit", "warship", "jet", "battalion", "tank", "police", "policeman", "officer",
           "reservist", "marine", "paratrooper", "brigade", "division", "army", "navy", "vessel", "ship", "aircraft",
           "missile", "reinforcement", "personnel", "guard", "militia", "militiaman", "fighter", "commando"}
_ATTACK_NOUNS = {"strike", "airstrike", "attack", "raid", "bombing", "shelling", "ambush", "assault", "offensive",
                 "bombardment", "fire", "gunfire", "operation", "barrage", "clash", "crossfire"}


def _attack_owner(tok, sent: _Sentence) -> list[str]:
    """Whose attack a passive casualty report names: "killed in an Israeli air strike"."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "during"):
            for g in c.children:
                if g.dep_ == "pobj" and (_lemma(g) in _ATTACK_NOUNS or any(_lemma(x) in _ATTACK_NOUNS for x in g.children if x.dep_ == "compound")):
                    # only the attacker named on the noun itself ("Israeli", "coalition", "Russia's")
                    ids = []
                    for x in g.children:
                        if x.dep_ in ("amod", "compound", "poss", "nmod"):
                            ids += [i for i in sent.actors_in(x) if i not in ids]
                    if ids:
                        return ids
    return []


def _first_person(tok, sent: _Sentence, result: ArticleResult, quotes) -> list[str]:
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


def _speaker_as_agent(tok, subj, sent: _Sentence) -> list[str]:
    """Inside what someone says, "they"/"we" and agentless passives are the speaker's own acts
    ("police said they had arrested 14 men"; "two citizens were arrested, the security service
    said"); a verb conjoined into the content by a parse slip belongs to the speaker too
    ("X said ... and accused Y")."""
    pron = subj is not None and subj.lower_ in ("they", "we", "it")
    passive = subj is None and any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
    slip = tok.dep_ == "conj" and _lemma(tok) in ("accuse", "blame", "condemn", "warn", "urge", "call", "deny", "reject")
    if not (pron or passive or slip):
        return []
    t = tok
    for _ in range(8):
        if t.head is t:
            break
        if t.dep_ in ("ccomp", "parataxis") or (slip and t.dep_ == "conj"):
            gov = t.head
            while gov.dep_ in ("ccomp", "conj") and _lemma(gov) not in triggers.SPEECH_VERBS and gov.head is not gov:
                gov = gov.head
            if _lemma(gov) in triggers.SPEECH_VERBS:
                s = _subject(gov)
                if s is not None:
                    ids = sent.actors_in(s)
                    if ids:
                        return ids
        t = t.head
    return []


def _home_state(result: ArticleResult) -> list[str]:
    counts: dict[str, int] = {}
    for a in result.actors:
        if a.kind == "state":
            counts[a.id] = len(a.mentions)
    if not counts:
        return []
    return [max(counts, key=counts.get)]


def _is_refusal(tok) -> bool:
    """"X will not attend", "would not accept": a refusal by X."""
    if tok.pos_ != "VERB" or _lemma(tok) not in triggers.REFUSABLE:
        return False
    kids = {c.lower_ for c in tok.children if c.dep_ in ("aux", "neg")}
    return bool(kids & {"not", "n't", "never"}) and bool(kids & {"will", "would", "wo", "shall"}) \
        and not any(c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children) for c in tok.children)


def _conditional_consequent(tok) -> bool:
    kids = list(tok.children)
    has_modal = any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "’ll", "shall") for c in kids)
    has_if = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "should") for m in c.children)
                 for c in kids)
    return has_modal and has_if


def _if_subjects(tok, sent: _Sentence, exclude: list[str]) -> list[str]:
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            subj = _subject(c)
            if subj is not None:
                return [i for i in sent.actors_in(subj) if i not in exclude]
    return []


def _is_background(tok) -> bool:
    """A non-restrictive relative clause about a named actor ("China, which funded ...") is
    background, not the news."""
    if tok.dep_ != "relcl" or tok.tag_ not in ("VBD", "VBN", "VBZ"):
        return False
    head = tok.head
    if head.ent_type_ not in ("GPE", "ORG", "NORP") or any(c.lower_ == "who" for c in tok.children):
        return False  # "Lula, who offered to mediate, ..." is news; "China, which funded ..." background
    left = [t for t in head.subtree if t.i < tok.i and t.i > head.i]
    return any(t.text == "," for t in left) or (head.i + 1 < len(head.doc) and head.doc[head.i + 1].text == ",")


_RELIEF = {"help", "assist", "clear", "restore", "deliver", "rescue", "rebuild", "distribute", "evacuate", "repair", "support"}
# Helping with these is security work, not relief: "to help protect fishermen", "to help guard the border".
_SECURITY = {"protect", "guard", "secure", "fight", "defend", "patrol", "combat", "police", "deter", "counter",
             "crush", "quell", "suppress", "enforce", "border", "security", "offensive", "operation", "insurgent",
             "rebel", "militant", "pirate", "terrorist", "insurgency", "crackdown", "patrols"}


def _relief_purpose(tok) -> bool:
    """Troops sent "to help clear roads": disaster relief is AID, not MOBILIZE."""
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp") and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children):
            if any(_lemma(x) in _SECURITY for x in c.subtree):
                return False
            if _lemma(c) in _RELIEF or any(_lemma(x) in _RELIEF for x in c.children if x.dep_ == "xcomp"):
                return True
    return False


def _is_purpose_or_topic(tok, ptype: str) -> bool:
    """An infinitive of purpose under another event ("sent aid to support ...") and the topic
    of a protest ("rallied, demanding the release ...") are not events of their own."""
    head = tok.head
    if head is tok:
        return False
    if tok.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
            and _candidates(head) and _lemma(head) not in triggers.CONTENT_GOVERNORS:
        return True
    if tok.dep_ in ("advcl", "conj", "xcomp") and tok.tag_ == "VBG" and ptype == "REQUEST" \
            and "PROTEST" in _candidates(head):
        return True
    return False


def _plausible(d: _Draft, sent: _Sentence, result: ArticleResult) -> bool:
    """Drop what a political coder would not code: sports play, untitled people of no known state."""
    low = sent.info.span.text.lower()
    if any(w in low for w in triggers.SPORTS_WORDS):
        return False
    actors = [result.actor(i) for i in d.actor]
    if all(a is not None and a.kind == "person" and not a.country and not a.title for a in actors):
        return False
    return True


def _content_subjects(tok, sent: _Sentence, exclude: list[str]) -> list[str]:
    """Whom a statement is about: the subject of its content clause ("said Baghdad has not ...")."""
    heads = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    if tok.dep_ == "advcl" and any(m.lower_ == "as" for m in tok.children if m.dep_ == "mark"):
        heads += [c for c in tok.head.children if c.dep_ == "ccomp"]
    out: list[str] = []
    for h in heads:
        subj = _subject(h)
        if subj is None:
            for c in h.children:
                if c.dep_ in ("nsubjpass",):
                    subj = c
        if subj is not None:
            for i in sent.actors_in(subj):
                if i not in exclude and i not in out:
                    out.append(i)
    return out


def _eval_is_about_others(tok, sent: _Sentence, speaker: list[str]) -> bool:
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


def _stated_threat(tok, d: _Draft, subj, gov) -> _Draft | None:
    """"Beijing said it would impose sanctions on the firms", "the militia says it would cut ties with
    him": an actor announcing its own future punitive act against someone is a threat (THREATEN;
    manual: "coercive or forceful warnings with serious potential repercussions"). The future act
    itself stays a future event."""
    if d.status != "future" or d.type not in ("SANCTION", "COERCE", "ASSAULT") or gov is None:
        return None
    if _lemma(gov) not in _STATING:
        return None
    if subj is None or subj.lower_ not in ("it", "we", "they", "he", "she", "i"):
        return None  # "X said Y would ..." reports someone else's plans
    if any(c.dep_ == "neg" for c in tok.children):
        return None
    return _Draft(type="THREATEN", cands=["THREATEN"], trigger=gov, sent=d.sent, actor=list(d.actor),
                  recipient=list(d.recipient), status="asserted", attributed_to=[], confidence=0.55)


def _conditional_threat(tok, d: _Draft, sent: _Sentence, status: str) -> _Draft | None:
    """"If X crosses the river, we will respond": the speaker's side threatens X."""
    if status != "hypothetical" or d.type in ("AGREE", "SUPPORT", "CONSULT", "AID", "COOPERATE", "CONCEDE", "RETREAT"):
        return None
    heads = [tok]
    while heads[-1].dep_ == "conj" and heads[-1].head is not heads[-1] and len(heads) < 4:
        heads.append(heads[-1].head)
    for c in (c for h in heads for c in h.children):
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            subj = _subject(c)
            targets = [i for i in (sent.actors_in(subj) if subj is not None else []) if i not in d.actor]
            if not targets:
                return None
            return _Draft(type="THREATEN", cands=["THREATEN"], trigger=tok, sent=d.sent, actor=list(d.actor),
                          recipient=targets, status="asserted", attributed_to=list(d.attributed_to),
                          confidence=0.55)
    return None


def _choose_types(drafts: list[_Draft], sents: list[_Sentence], result: ArticleResult) -> None:
    multi = [d for d in drafts if len(d.cands) > 1]
    clf = _classifier() if multi else None
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


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    kept: list[_Draft] = []
    for d in drafts:
        merged = False
        for k in kept:
            same_actor = set(d.actor) & set(k.actor)
            if k.type == d.type and same_actor and k.sent == d.sent:
                for r in d.recipient:
                    if r not in k.recipient and r not in k.actor:
                        k.recipient.append(r)
                k.denied_by = list(dict.fromkeys(k.denied_by + d.denied_by))
                merged = True
                break
            # an embedded claim/denial repeating an event of the last two sentences
            if (k.type == d.type and d.embedded and d.sent - k.sent <= 2 and d.sent != k.sent
                    and set(d.actor) == set(k.actor) and set(d.recipient) <= set(k.recipient) | set(k.actor)):
                k.denied_by = list(dict.fromkeys(k.denied_by + d.denied_by))
                merged = True
                break
        if not merged:
            if d.denied_by and d.status == "asserted":
                # known only through a denial ("X denied that its troops had fired first"):
                # reported as not having happened, and who denies it is kept
                d.status = "negated"
            kept.append(d)
    return kept


def _published(result: ArticleResult):
    import datetime as _dt

    p = result.article.published
    return _dt.date.fromisoformat(p) if p else None


def _date_of(tok, result: ArticleResult) -> tuple[str | None, str | None]:
    """The trigger's own clause date; else the governing clause's, for relative, adverbial and
    participle clauses ("a letter Tuesday ..., in which he expressed", "..., accusing him of")."""
    from . import dates

    pub = _published(result)
    date, precision, _ = dates.event_date(tok, pub)
    t = tok
    hops = 0
    while date is None and hops < 6 and t.dep_ in ("relcl", "advcl", "acl", "xcomp", "pcomp", "pobj", "prep", "conj", "appos") \
            and t.head is not t and tok.tag_ in ("VBD", "VBG", "VBN"):
        t = t.head
        hops += 1
        if t.pos_ in ("VERB", "AUX"):
            date, precision, _ = dates.event_date(t, pub)
    return date, precision


def _narrative_dates(events: list[Event], sents: list[_Sentence]) -> None:
    """A past-tense event with no time of its own continues the narrative of the event just
    before it in the same paragraph ("Venezuela gave Guyana 72 hours on Wednesday. Georgetown
    rejected the demand within hours.")."""
    last: tuple[int, str, str | None, int] | None = None
    for e in events:
        info = sents[e.sentence].info
        tok = None
        for t in info.span:
            if info.offset + t.idx == e.trigger.start:
                tok = t
                break
        if e.date is None and last and tok is not None and tok.tag_ == "VBD" and e.status == "asserted" \
                and not e.attributed_to and (last[0] == info.paragraph or e.sentence - last[3] <= 2):
            e.date, e.date_precision = last[1], last[2]
        if e.date and e.status == "asserted":
            last = (info.paragraph, e.date, e.date_precision, e.sentence)


def _finish(n: int, d: _Draft, sents: list[_Sentence], result: ArticleResult, quotes, place_at) -> Event:
    sent = sents[d.sent].info
    text = result.text
    tok = d.trigger
    ts = sent.offset + tok.idx
    te = ts + len(tok.text)
    mode = plover.pick_mode(d.type, sent.span.text)
    if d.type == "CONSULT" and mode is None and _lemma(tok) in ("arrive", "visit", "travel", "fly"):
        mode = "visit"
    date, precision = _date_of(tok, result)
    attributed = list(d.attributed_to)
    if quotes:
        spk = speaker_of_offset(quotes, ts, te)
        if spk and spk not in attributed and spk not in d.actor:
            attributed.append(spk)
    return Event(
        id=f"E{n}", type=d.type, actor=d.actor, recipient=d.recipient, sentence=d.sent,
        trigger=Span(ts, te, text[ts:te]), evidence=Span(sent.start, sent.end, text[sent.start:sent.end]),
        mode=mode, context=plover.contexts(sent.span.text), status=d.status,
        attributed_to=attributed, denied_by=d.denied_by, date=date, date_precision=precision,
        location=places.event_location(tok, sent, place_at), intensity=plover.intensity(d.type, mode), quad=plover.QUAD[d.type],
        cameo=plover.cameo_root(d.type, mode), confidence=d.confidence,
    )
