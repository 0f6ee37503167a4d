"""Stage 3 — actors: who is named in the story, with country, sector, title and mentions.

Rules, in the order they run (one pass over the sentences, then a resolution pass):

1. Table matches (``gazetteer``): state names and abbreviations, demonyms, capitals,
   seats of government ("the Kremlin" -> RUS/GOV, "the Pentagon" -> USA/MIL),
   international organisations, groups ("the West") and the user's actor file.
   A capital under a locative preposition ("arrived in Pyongyang") is a place, not an actor.
2. A state name or demonym heading a role noun makes a collective actor:
   "North Korean troops" -> PRK/MIL, "U.S. officials" -> USA/GOV, "Russian state media" -> RUS/MED.
   Followed by a person title it is a description of a person ("the Russian leader").
3. spaCy PERSON entities are people, and so is a name of the people table (``data/people.csv``)
   whatever the NER took it for ("Lula", "Erdogan", "Scholz"). Their title comes from the words
   before the name ("Russian President Vladimir Putin") or an appositive ("John Kirby, U.S.
   National Security Council spokesman,"; "Kenya's foreign minister, Ana Duarte,"). The title's
   state, seat or possessor ("Putin's aide") gives the country; the seat or title the sector.
   What the text does not say, a table person's row gives: country, sector and, when the role
   was held at the story's date, the role as title. Surnames and partial names ("Kirby") link to
   the full name seen before, and two names of one table person ("Zelenskiy", "Volodymyr
   Zelensky") to each other.
4. spaCy ORG entities not in the table are organisations; their country comes from a
   state word inside the name, their sector from keywords ("Joint Chiefs" -> MIL).
   An all-capital acronym links to an earlier organisation with those initials ("JCS").
5. Resolution: descriptions ("The Russian leader", "the Kremlin spokesman") link to the
   matching person; person pronouns (he/she/his/her) to the nearest compatible person;
   plural references ("both countries", "the two leaders") to the last two states or leaders.
   A titled official still without a country takes the only unclaimed state of his sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon
from .gazetteer import Entry, Gazetteer, tokenize
from .records import Actor, Mention

LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "around", "across", "into", "through",
                  "within", "via", "throughout", "over", "onto", "toward", "towards", "outside"}
MOTION_VERBS = {"arrive", "travel", "fly", "go", "come", "return", "head", "move", "flee", "leave",
                "land", "trip", "visit", "journey", "sail", "drive", "walk", "relocate", "evacuate"}
_TOKEN_RX = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|\w+(?:-\w+)*|[^\w\s]")
_ABBREV_END = re.compile(r"(?:^|[^A-Za-z])(?:[A-Z]\.)+$|\b(?:Jr|Sr|St|Inc|Co|Ltd|Corp)\.$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass
class MentionRef:
    """A span that refers to one or more actors (plural references name several)."""

    start: int
    end: int
    actor_ids: list[str]
    how: str
    sent: int
    token: int = -1  # index of the head token in the sentence's doc


@dataclass
class SentInfo:
    start: int
    end: int
    paragraph: int
    span: object      # spacy Span
    offset: int       # doc char 0 -> article char offset


@dataclass
class _State:
    text: str
    gz: Gazetteer
    actors: dict[str, Actor] = field(default_factory=dict)       # key -> actor
    refs: list[MentionRef] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)             # keys of person actors
    gender: dict[str, str] = field(default_factory=dict)
    consumed: list[tuple[int, int]] = field(default_factory=list)  # char ranges of title phrases
    pending_poss: list[tuple[str, int, int]] = field(default_factory=list)
    leader: set[str] = field(default_factory=set)
    place_hints: list[tuple[int, int, str]] = field(default_factory=list)  # (sentence, char, country)
    table_person: dict[str, str] = field(default_factory=dict)  # person key -> people-table id
    by_id: dict[str, Actor] = field(default_factory=dict)   # actor id -> actor (ids before renumbering)
    counter: int = 0


def _table_matches(text: str, start: int, end: int, gz: Gazetteer) -> list[tuple[int, int, list[Entry]]]:
    """Greedy longest table matches in text[start:end], as article character ranges."""
    toks = [(m.start() + start, m.end() + start, m.group(0)) for m in _TOKEN_RX.finditer(text[start:end])]
    out = []
    i = 0
    while i < len(toks):
        hit = None
        longest = gz.max_len(toks[i][2].lower().replace("’", "'"))
        for n in range(min(longest, len(toks) - i), 0, -1):
            words = [t[2].replace("’", "'") for t in toks[i:i + n]]
            entries = gz.lookup(words)
            if not entries:
                continue
            surface = text[toks[i][0]:toks[i + n - 1][1]]
            key = tuple(w.lower() for w in words)
            if key in gz.exact_case:
                if not any(surface.replace("’", "'") == e.surface for e in entries):
                    continue
            elif not surface[0].isupper() and not any(e.surface[0].islower() for e in entries):
                continue
            hit = (toks[i][0], toks[i + n - 1][1], entries, n)
            break
        if hit is None and toks[i][2].lower().endswith("-led"):
            # "a Saudi-led strike", "the US-led coalition": the state that leads is a party; the
            # word is one token to the table matcher, so its first part is looked up on its own
            word = toks[i][2][:-4].replace("’", "'")
            states = [e for e in gz.lookup([word]) or () if e.kind == "state"] \
                if "-" not in word and word[:1].isupper() else []
            if states:
                hit = (toks[i][0], toks[i][0] + len(word), states, 1)
        if hit and i > 0 and toks[i][2] in _AMERICAS and toks[i - 1][2] in _CONTINENT_PARTS:
            hit = None  # "South America", "Latin American leaders": a continent, not the United States
        if hit:
            out.append(hit[:3])
            i += hit[3]
        else:
            i += 1
    return out


_QUANTITY_WORDS = {"dozens", "hundreds", "thousands", "tens", "scores", "millions", "several", "many", "some",
                   "most", "both", "all", "few", "numerous", "handful"}

_AMERICAS = {"America", "American", "Americans", "America's", "America’s"}
_CONTINENT_PARTS = {"South", "Latin", "Central", "North", "Middle", "Meso", "Ibero", "Hispanic"}


def _choose(entries: list[Entry]) -> Entry:
    order = {"user": 0, "name": 1, "seat": 2, "org": 3, "capital": 4, "demonym": 5}
    return sorted(entries, key=lambda e: order.get(e.role, 9))[0]


def is_dateline(first, last) -> bool:
    """Whether the tokens ``first`` .. ``last`` are an upper-case place opening a line and followed by
    a bracket, comma or dash ("KABUL (Pajhwok): ...", "NEW DELHI, March 2 -"): where the story was
    filed, never a party to it."""
    doc = first.doc
    words = doc[first.i:last.i + 1]
    if len(words.text) < 3 or not all(t.is_upper and t.is_alpha for t in words):
        return False
    opens_line = first.i == 0 or first.is_sent_start or "\n" in doc[first.i - 1].text_with_ws
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return opens_line and after is not None and after.text[:1] in "(,-–—"


def _tok_at(sent: SentInfo, char: int):
    doc = sent.span.doc
    local = char - sent.offset
    for t in sent.span:
        if t.idx <= local < t.idx + len(t.text):
            return t
    return doc[sent.span.start]


def _tok_end(sent: SentInfo, char_end: int):
    local = char_end - sent.offset
    last = None
    for t in sent.span:
        if t.idx < local:
            last = t
    return last


def _np_head_phrase(tok) -> tuple[str, int, int] | None:
    """For a modifier token, the lower-cased head noun phrase it modifies (with compounds)."""
    head = tok.head
    if tok.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod") or head.i <= tok.i:
        return None
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [t for t in head.lefts if t.i > tok.i and t.dep_ in ("compound", "amod")] + [head]
    return " ".join(w.lower_ for w in words), words[0].i, head.i


def _best_suffix(phrase: str, table: dict[str, str]) -> tuple[str, str] | None:
    words = phrase.split()
    for k in range(len(words)):
        cand = " ".join(words[k:])
        if cand in table:
            return cand, table[cand]
    return None


class ActorResolver:
    """Runs the rules in the module docstring over one article."""

    def __init__(self, text: str, sents: list[SentInfo], gz: Gazetteer, published: str | None = None):
        self.s = _State(text=text, gz=gz)
        self.sents = sents
        self.year = int(published[:4]) if published and published[:4].isdigit() else None
        self._matches: list[tuple[int, int, list[Entry]]] | None = None

    # -- actor bookkeeping -------------------------------------------------
    def _actor(self, key: str, name: str, kind: str, country: str | None, sector: str | None,
               title: str | None = None) -> Actor:
        a = self.s.actors.get(key)
        if a is None:
            self.s.counter += 1
            a = Actor(id=f"A{self.s.counter}", name=name, kind=kind, country=country,
                      sector=sector, title=title, _key=key)
            self.s.actors[key] = a
            self.s.by_id[a.id] = a
            if kind == "person":
                self.s.persons.append(key)
        return a

    def _mention(self, actor: Actor, start: int, end: int, how: str, sent: int, token: int = -1):
        text = self.s.text
        # trim possessive endings and surrounding spaces
        seg = text[start:end]
        m = _POSSESSIVE.search(seg)
        if m and m.start() > 0 and how not in ("pronoun",):
            end = start + m.start()
        while end > start and (text[end - 1] in " ,;:" or text[end - 1] == "." and not _ABBREV_END.search(text[start:end])):
            end -= 1
        if end <= start:
            return
        for r in self.s.refs:
            if r.start == start and r.end == end:
                if actor.id not in r.actor_ids:
                    r.actor_ids.append(actor.id)
                    actor.mentions.append(Mention(start, end, text[start:end], how))
                return
        actor.mentions.append(Mention(start, end, text[start:end], how))
        self.s.refs.append(MentionRef(start, end, [actor.id], how, sent, token))

    def _consumed(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.s.consumed)

    # -- titles --------------------------------------------------------------
    def _title_info(self, sent: SentInfo, tokens) -> dict:
        """Country, sector, title text and possessor of a title phrase (list of tokens)."""
        if not tokens:
            return {}
        first, last = tokens[0], tokens[-1]
        a = sent.offset + first.idx
        b = sent.offset + last.idx + len(last.text)
        phrase = self.s.text[a:b]
        info: dict = {"title": None, "country": None, "sector": None, "poss": None,
                      "range": (a, b), "seat_sector": None}
        words = [t for t in tokens if t.lower_ not in ("the", "a", "an", ",", "’s", "'s")]
        if not words:
            return info
        low = " ".join(t.lower_ for t in words)
        sector = lexicon.title_sector(low)
        for ms, me, entries in _table_matches(self.s.text, a, b, self.s.gz):
            e = _choose(entries)
            if e.country and not info["country"]:
                info["country"] = e.country
            if e.role in ("seat", "org", "user") and e.sector:
                info["seat_sector"] = e.sector
        org_sec = None
        for t in words:
            if t.ent_type_ == "ORG":
                org_sec = lexicon.org_sector(phrase)
                break
        for t in tokens:
            if t.dep_ == "poss" and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN" and not self.s.gz.lookup([t.text])):
                info["poss"] = (sent.offset + t.idx, t.text)
        if sector or info["seat_sector"]:
            title = phrase
            title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.I).strip(" ,")
            info["title"] = title
            info["sector"] = info["seat_sector"] if info["seat_sector"] in ("MIL", "COP", "JUD", "LEG", "MED") else (
                sector if sector not in (None, "GOV") else (org_sec if org_sec in ("MIL", "COP", "JUD", "LEG") else sector))
            if info["sector"] is None:
                info["sector"] = info["seat_sector"] or org_sec or "GOV"
            info["leader"] = any(f" {w} " in f" {low} " for w in lexicon.LEADER_TITLES) and "deputy" not in low \
                and "party" not in low and "opposition" not in low and "rebel" not in low
        return info

    def _pre_title_tokens(self, ent):
        root = ent.root
        left = []
        for child in root.lefts:
            if child.i < ent.start and child.dep_ in ("compound", "amod", "nmod", "poss", "nn", "npadvmod"):
                left.extend(t for t in child.subtree if t.i < ent.start)
        if not left:
            # title glued by the NER into the entity span or parsed flat: contiguous title words before it
            i = ent.start - 1
            doc = ent.doc
            while i >= 0 and (doc[i].lower_ in lexicon.PERSON_TITLES or doc[i].pos_ in ("PROPN", "ADJ")
                              and doc[i].ent_type_ in ("NORP", "GPE", "ORG", "")) and doc[i].dep_ != "punct":
                if doc[i].ent_type_ == "PERSON":
                    break
                left.append(doc[i])
                i -= 1
                if ent.start - i > 6:
                    break
            if not any(lexicon.title_sector(t.lower_) for t in left):
                left = []
        left = sorted({t.i: t for t in left}.values(), key=lambda t: t.i)
        while left and left[0].lower_ in ("the", "a", "an", ","):
            left = left[1:]
        return left

    def _appos_tokens(self, ent):
        root = ent.root
        for child in root.rights:
            if child.dep_ == "appos" and child.ent_type_ != "PERSON":
                toks = [t for t in child.subtree if t.dep_ != "punct" or t.text in ("’s", "'s")]
                toks = [t for t in toks if t.ent_type_ != "DATE"]
                return sorted(toks, key=lambda t: t.i)
        if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ in ("NOUN", "PROPN"):
            head = root.head
            toks = [t for t in head.subtree if not (ent.start <= t.i < ent.end) and t.dep_ != "punct"
                    and t.i < ent.start and t.ent_type_ != "DATE"]
            if head.pos_ == "NOUN" or lexicon.title_sector(" ".join(t.lower_ for t in toks)):
                return sorted(toks, key=lambda t: t.i)
        # flat fallback: "Name, <title words>," right after the name
        doc = ent.doc
        if ent.end < len(doc) and doc[ent.end].text == ",":
            toks = []
            for t in doc[ent.end + 1: ent.end + 10]:
                if t.text in (",", ".", ";") or t.pos_ == "VERB":
                    break
                toks.append(t)
            if toks and any(lexicon.title_sector(t.lower_) for t in toks):
                return toks
        return []

    # -- pass 1 --------------------------------------------------------------
    def run(self) -> tuple[list[Actor], list[MentionRef]]:
        for si, sent in enumerate(self.sents):
            self._sentence(si, sent)
        self._bare_groups()
        self._resolve_possessors()
        self._resolve_pronouns_and_plurals()
        self._fill_missing_countries()
        self._fill_org_countries()
        return self._finish()

    def _sentence(self, si: int, sent: SentInfo) -> None:
        span = sent.span
        ents = _with_pseudo_entities(span, self.s.gz)
        # persons first: their title phrases are consumed so "U.S." inside a title is not an actor
        for ent in ents:
            if ent.label_ == "PERSON":
                self._person(si, sent, ent)
        self._surnames(si, sent)
        for ms, me, entries in self._matches_in(sent.start, sent.end):
            if self._consumed(ms, me):
                continue
            if any(r.start <= ms < r.end for r in self.s.refs if r.sent == si):
                continue
            self._table_mention(si, sent, ms, me, _choose(entries))
        for ent in ents:
            if ent.label_ == "ORG" and len(ent) >= 2 and all(t.text[:1].isupper() for t in ent if t.text not in lexicon.HYPHENS) \
                    and not self.s.gz.lookup(tokenize(ent.text)) and not lexicon.org_sector(ent.text):
                app = self._appos_tokens(ent)
                if app and lexicon.title_sector(" ".join(t.lower_ for t in app)):
                    self._person(si, sent, ent)  # "Sadia Rahman, the Foreign Office spokeswoman"
                    continue
            if ent.label_ in ("ORG", "NORP") and not is_dateline(ent[0], ent[-1]):
                self._org(si, sent, ent)  # (an upper-case dateline city the model takes for an ORG is none)
        self._unknown_names(si, sent)

    # an unknown proper name in one of these roles is probably a party to the clause
    _ROLE_DEPS = ("nsubj", "nsubjpass", "dobj")
    _ROLE_PREPS = ("with", "against", "on", "to", "from")
    _NOT_ACTOR_ENTS = ("PERSON", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "LOC",
                       "FAC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT")

    def _unknown_names(self, si: int, sent: SentInfo) -> None:
        """Proper names the tables do not know, as subject, object or object of "with/against/on..."
        of a verb ("Ruritania accused Freedonia", "talks with Freedonia"): organisation actors without a
        country, so a party no table lists still gets its events. Known places are not actors."""
        from . import places

        for t in sent.span:
            named_org = t.pos_ == "NOUN" and lexicon.org_sector(t.lower_) and any(
                c.dep_ == "compound" and c.pos_ == "PROPN" and c.text[:1].isupper() and c.i < t.i for c in t.children)
            if not named_org and (t.pos_ != "PROPN" or not t.text[:1].isupper() or len(t.text) < 3
                                  or t.ent_type_ in self._NOT_ACTOR_ENTS):
                continue
            if t.dep_ in ("compound", "flat"):
                continue
            if t.i == sent.span.start and (t.lower_ in lexicon.GROUP_HEADS or t.lemma_.lower() in lexicon.GROUP_HEADS
                                           or t.lower_ in lexicon.TARGET_HEADS or t.lower_ in lexicon.PLATFORMS):
                continue  # "Warplanes struck ...": a description, left to the event stage
            head, dep = t, t.dep_
            while dep == "conj" and head.head.i != head.i:
                head = head.head
                dep = head.dep_
            if dep == "pobj":
                prep = head.head
                if prep.lower_ not in self._ROLE_PREPS or prep.head.pos_ not in ("VERB", "NOUN"):
                    continue
            elif dep not in self._ROLE_DEPS or head.head.pos_ not in ("VERB", "AUX"):
                continue
            first = t
            while first.i > sent.span.start and t.doc[first.i - 1].dep_ in ("compound", "flat") \
                    and t.doc[first.i - 1].pos_ == "PROPN" and t.doc[first.i - 1].head.i in (t.i, first.i):
                first = t.doc[first.i - 1]
            if named_org and first is t:
                continue  # "the PAIGC party": the name must reach the head noun
            name = t.doc[first.i:t.i + 1].text
            a = sent.offset + first.idx
            b = a + len(name)
            if self._consumed(a, b) or any(r.start < b and a < r.end for r in self.s.refs):
                continue
            low = name.lower()
            if self.s.gz.lookup(tokenize(name)) or self.s.gz.knows_person(name) or low in lexicon.PERSON_TITLES or places.known_place(low, self.s.gz) \
                    or lexicon.natural_event_name(name) or low in _QUANTITY_WORDS:
                continue  # ("Dozens of students ...": a number opening the sentence, not a name)
            actor = self._actor(f"UNK:{name}", name, "organization", None, lexicon.org_sector(name))
            self._mention(actor, a, b, "name", si, t.i)

    def _person(self, si: int, sent: SentInfo, ent) -> None:
        text = ent.text
        m = _POSSESSIVE.search(text)
        if m and m.start() > 0:
            text = text[:m.start()]
        # titles the NER swallowed: "President Putin"
        words = text.split()
        lead = 0
        while len(words) > 1 and (words[0].lower().rstrip(".") in lexicon.PERSON_TITLES):
            lead += len(words[0]) + 1
            words = words[1:]
        name = " ".join(words)
        if not name or not name[0].isupper() or len(name) < 2:
            return
        if all(w.lower().strip(".,") in _TITLE_WORDS for w in words):
            return  # "Foreign" left over from "Deputy Foreign Minister": a title, not a name
        a = sent.offset + ent.start_char + lead
        b = a + len(name)
        row = self.s.gz.person(name)
        if self.s.gz.lookup(tokenize(name)) and row is None:
            return  # a table name tagged PERSON ("Chad", "Georgia"); handled by the table
        if lexicon.natural_event_name(name):
            self.s.consumed.append((a, b))  # "Cyclone Tamsin": nature, not a person
            return
        if _place_named(name, ent.root, self.s.gz) and not self._link_person(name):
            self.s.consumed.append((a, b))  # "shelled Aleppo", "in Novi Pazar": a place the NER took for a name
            return
        person = self._link_person(name)
        if person is None and row is not None:
            # another name of the same table person ("Zelenskiy" after "Volodymyr Zelensky")
            person = next((self.s.actors[k] for k in reversed(self.s.persons)
                           if self.s.table_person.get(k) == row.id), None)
        if person is None:
            # the title words before the name, and those the NER swallowed ("Imam Suliman Gani")
            pre = self._pre_title_tokens(ent) + [t for t in ent if sent.offset + t.idx < a]
            app = self._appos_tokens(ent)
            info_pre = self._title_info(sent, pre) if pre else {}
            info_app = self._title_info(sent, app) if app else {}
            info = {k: info_app.get(k) or info_pre.get(k) for k in set(info_pre) | set(info_app)}
            if info_pre.get("title") and info_app.get("title"):
                info["title"] = f"{info_pre['title']}; {info_app['title']}"
            key = f"PER:{name}"
            if row is None:
                # an ambiguous alias ("May", "Johnson") counts only when the text's title is the row's role
                amb = self.s.gz.person(name, ambiguous_ok=True)
                if amb is not None and amb.role and info.get("title") and \
                        re.search(r"\b" + re.escape(amb.role.lower()) + r"\b", info["title"].lower()):
                    row = amb
            if row is not None:
                self._from_table(key, info, row)
            person = self._actor(key, name, "person", info.get("country"), info.get("sector"), info.get("title"))
            for inf in (info_pre, info_app):
                if inf.get("range"):
                    self.s.consumed.append(inf["range"])
                if inf.get("poss") and not person.country:
                    self.s.pending_poss.append((key, *inf["poss"]))
                if inf.get("leader"):
                    self.s.leader.add(key)
            low = " ".join([t.lower_ for t in pre] + [t.lower_ for t in app])
            if any(w in lexicon.FEMALE_WORDS for w in low.split()):
                self.s.gender[key] = "f"
            elif any(w in lexicon.MALE_WORDS for w in low.split()):
                self.s.gender[key] = "m"
        self._mention(person, a, b, "name", si, ent.root.i)

    def _from_table(self, key: str, info: dict, row) -> None:
        """Fill what the text did not say about a table person: country, sector and (when the role was
        held at the story's date) the role as title. A title or nationality in the text wins."""
        self.s.table_person[key] = row.id
        text_title = info.get("title")
        if not info.get("country"):
            info["country"] = row.country
        if not text_title:
            if row.sector:
                info["sector"] = row.sector
            if row.role and row.in_office(self.year):
                info["title"] = row.role
                low = f" {row.role.lower()} "
                if any(f" {w} " in low for w in lexicon.LEADER_TITLES) and "deputy" not in low:
                    self.s.leader.add(key)
        elif not info.get("sector"):
            info["sector"] = row.sector
        elif info.get("sector") == "GOV" and row.sector and row.sector != "GOV" and info.get("seat_sector") == row.sector:
            # "Hamas leader Yahya Sinwar": the organisation in the title and the row agree he is no official
            info["sector"] = row.sector

    def _surnames(self, si: int, sent: SentInfo) -> None:
        """Name tokens of known persons that the NER missed ("Rojas said")."""
        if not self.s.persons:
            return
        parts: dict[str, Actor] = {}
        for key in self.s.persons:
            a = self.s.actors[key]
            if a.kind == "person" and " " in a.name:
                parts.setdefault(a.name.split()[-1], a)
        for t in sent.span:
            if t.text in parts and t.pos_ == "PROPN" and t.ent_type_ in ("", "ORG", "GPE", "NORP"):
                a = sent.offset + t.idx
                if any(r.start <= a < r.end for r in self.s.refs):
                    continue
                self._mention(parts[t.text], a, a + len(t.text), "name", si, t.i)
        # hyphenated surnames are several tokens to the parser ("Fils-Aime" is Fils, -, Aime)
        body = sent.span.text
        for part, act in parts.items():
            if not any(h in part for h in lexicon.HYPHENS):
                continue
            for m in re.finditer(r"(?<![\w-])" + re.escape(part) + r"(?![\w-])", body):
                a = sent.offset + sent.span.start_char + m.start()
                if any(r.start <= a < r.end for r in self.s.refs):
                    continue
                last = sent.span.char_span(m.start(), m.end(), alignment_mode="expand")
                self._mention(act, a, a + len(part), "name", si, last[-1].i if last is not None else -1)

    def _link_person(self, name: str) -> Actor | None:
        toks = name.split()
        for key in reversed(self.s.persons):
            a = self.s.actors[key]
            full = a.name.split()
            if name == a.name or (len(toks) < len(full) and all(t in full for t in toks)):
                return a
            if len(toks) > len(full) and all(t in toks for t in full) and toks[-1] == full[-1]:
                return a
        return None

    def _table_mention(self, si: int, sent: SentInfo, ms: int, me: int, e: Entry) -> None:
        tok = _tok_end(sent, me)
        if tok is None:
            return
        if e.role == "capital" and self.s.text[ms:me].lower() == "brussels" and _EU_WORDS.search(self.s.text):
            # in a story about the EU, "Brussels" is the Union ("a day after Brussels slapped duties")
            eu = next((x for x in self.s.gz.lookup(["eu"]) if x.role == "org"), None)
            if eu is not None:
                e = eu
        if e.kind == "state" and is_dateline(_tok_at(sent, ms), tok):
            # "KABUL (Pajhwok): ...", "LUSAKA, March 2 -": where the story was filed, not a party
            self.s.place_hints.append((si, ms, e.country))
            return
        if e.role == "capital" and e.kind == "state":
            head = tok.head
            if tok.dep_ == "pobj" and (head.lower_ in LOCATIVE_PREPS or
                                       head.lower_ in ("to", "from") and head.head.lemma_ in MOTION_VERBS):
                self.s.place_hints.append((si, ms, e.country))
                return  # a place, not an actor
            if tok.dep_ in ("dobj",) and tok.head.lemma_ in MOTION_VERBS and tok.head.lemma_ != "visit":
                self.s.place_hints.append((si, ms, e.country))
                return
        if e.kind == "state" or (e.role in ("seat", "org", "user") and e.kind != "person"):
            np = _np_head_phrase(tok)
            if np and e.kind == "state":
                phrase, h0, hi = np
                grp = _best_suffix(phrase, lexicon.GROUP_NOUNS)
                ttl = _best_suffix(phrase, lexicon.PERSON_TITLES)
                doc = tok.doc
                head = doc[hi]
                next_is_name = any(t.ent_type_ == "PERSON" for t in doc[hi:hi + 1]) or (
                    hi + 1 < len(doc) and doc[hi + 1].ent_type_ == "PERSON")
                if grp and (not ttl or len(grp[0]) >= len(ttl[0])) and head.ent_type_ != "PERSON":
                    self._group(si, sent, e, grp[1], ms, doc[hi])
                    return
                if ttl and not next_is_name and head.ent_type_ != "PERSON":
                    self._description(si, sent, e.country, ttl[0], ttl[1], ms, doc[hi])
                    return
            if np and e.role == "seat":
                phrase, h0, hi = np
                ttl = _best_suffix(phrase, lexicon.PERSON_TITLES)
                doc = tok.doc
                if ttl and doc[hi].ent_type_ != "PERSON" and not (
                        hi + 1 < len(doc) and doc[hi + 1].ent_type_ == "PERSON"):
                    sector = e.sector if e.sector in ("MIL", "COP", "JUD", "LEG") else ttl[1]
                    self._description(si, sent, e.country, f"{e.name} {ttl[0]}", sector, ms, doc[hi])
                    return
            if e.kind == "state":
                if e.role == "demonym" and tok.tag_ in ("NNPS", "NNS") and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj"):
                    actor = self._actor(f"GRP:{e.country}:CVL", self.s.text[ms:me], "group", e.country, "CVL")
                else:
                    actor = self._actor(e.key, e.name, "state", e.country, None)
            else:
                actor = self._actor(e.key, e.name, e.kind, e.country, e.sector)
            self._mention(actor, ms, me, e.role if e.role != "user" else "name", si, tok.i)

    def _group(self, si, sent, e: Entry, sector: str, ms: int, head) -> None:
        me = sent.offset + head.idx + len(head.text)
        name = self.s.text[ms:me]
        # "Hungarian and Romanian officials", "U.S., British and French troops": one group per state,
        # all named by the whole phrase
        states = [(e.country, ms)]
        for a, b, entries in self._matches_in(ms + 1, me):
            ch = _choose(entries)
            if a > ms and ch.kind == "state" and ch.country and ch.country not in [c for c, _ in states] \
                    and _tok_at(sent, a) is not None and _tok_at(sent, a).dep_ in ("conj", "amod", "compound"):
                states.append((ch.country, a))
        if len(states) == 1:
            actor = self._actor(f"GRP:{e.country}:{sector}", name, "group", e.country, sector)
            self._mention(actor, ms, me, "group", si, head.i)
            return
        for i, (country, a) in enumerate(states):
            end = states[i + 1][1] if i + 1 < len(states) else head.idx + sent.offset
            word = self.s.text[a:end].strip(" ,").removesuffix(" and").removesuffix(" or").strip(" ,")
            actor = self._actor(f"GRP:{country}:{sector}", f"{word} {head.text}", "group", country, sector)
            self._mention(actor, ms, me, "group", si, head.i)

    def _description(self, si, sent, country, title, sector, ms, head) -> None:
        me = sent.offset + head.idx + len(head.text)
        # link to a known person of that country with a compatible title
        target = None
        for key in reversed(self.s.persons):
            a = self.s.actors[key]
            if a.country != country or not a.title:
                continue
            t = a.title.lower()
            tw = title.lower().split()[-1]
            if tw in t or (tw in ("leader",) and key in self.s.leader):
                target = a
                break
        start = ms
        doc = head.doc
        first = doc[_tok_at(sent, ms).i]
        if first.i > 0 and doc[first.i - 1].lower_ == "the":
            start = sent.offset + doc[first.i - 1].idx
        if target is None:
            key = f"DESC:{country}:{title.lower()}"
            target = self._actor(key, self.s.text[ms:me], "person", country, sector, title)
            if title.split()[-1] in lexicon.LEADER_TITLES:
                self.s.leader.add(key)
        self._mention(target, start, me, "description", si, head.i)

    def _org(self, si: int, sent: SentInfo, ent) -> None:
        a = sent.offset + ent.start_char
        text = ent.text
        m = _POSSESSIVE.search(text)
        if m and m.start() > 0:
            text = text[:m.start()]
        if text.lower().startswith("the "):
            a += 4
            text = text[4:]
        b = a + len(text)
        if not text or self._consumed(a, b):
            return
        if any(r.start < b and a < r.end for r in self.s.refs):
            # a table match inside: covered already unless the ORG is longer (e.g. "South Korean Joint Chiefs of Staff")
            inner = [r for r in self.s.refs if a <= r.start and r.end <= b]
            if not inner or all(r.start == a and r.end == b for r in inner):
                return
            if ent.label_ == "NORP":
                return
            for r in inner:
                self._drop_ref(r)
        if ent.label_ == "NORP":
            return
        if not any(ch.isupper() for ch in text):
            return
        if lexicon.natural_event_name(text):
            self.s.consumed.append((a, b))
            return
        low = text.lower()
        if " " not in low and (low in lexicon.GROUP_HEADS or low in lexicon.TARGET_HEADS or low in lexicon.PLATFORMS):
            return  # "Warplanes struck ..." tagged ORG at the start of a sentence: a description
        if _place_named(text, ent.root, self.s.gz):
            self.s.consumed.append((a, b))  # "Aleppo", "Novi Pazar" tagged ORG: places, left to the places stage
            return
        country = None
        for ms, me, entries in _table_matches(self.s.text, a, b, self.s.gz):
            country = _choose(entries).country
            if country:
                break
        sector = lexicon.org_sector(text) or ("GOV" if country else None)
        # acronym of an earlier organisation ("JCS" for "Joint Chiefs of Staff")
        if text.isupper() and 2 <= len(text) <= 6:
            for act in self.s.actors.values():
                if act.kind == "organization" and _initials(act.name).endswith(text):
                    self._mention(act, a, b, "acronym", si, ent.root.i)
                    return
        key = f"ORG:{text}"
        actor = self._actor(key, text, "organization", country, sector)
        self._mention(actor, a, b, "name", si, ent.root.i)

    def _all_matches(self) -> list[tuple[int, int, list[Entry]]]:
        """Table matches over the whole text, computed once."""
        if self._matches is None:
            self._matches = _table_matches(self.s.text, 0, len(self.s.text), self.s.gz)
        return self._matches

    def _matches_in(self, start: int, end: int) -> list[tuple[int, int, list[Entry]]]:
        return [m for m in self._all_matches() if start <= m[0] and m[1] <= end]

    def _home_country(self) -> str | None:
        if getattr(self, "_home", False) is not False:
            return self._home
        self._home = self._count_home()
        return self._home

    def _count_home(self) -> str | None:
        """The story's home state: every state word in the text (titles and organisation names
        included), the lead sentence and a dateline city counting triple."""
        counts: dict[str, float] = {}
        text = self.s.text
        lead_end = self.sents[0].end if self.sents else 0
        first_start = self.sents[0].start if self.sents else 0
        first_lead = True
        for ms, me, entries in self._all_matches():
            e = _choose(entries)
            if e.kind != "state" or not e.country:
                continue
            status = self.s.gz.countries.get(e.country, {}).get("status", "un_member")
            w = 1.0
            if first_start <= ms < lead_end:
                w = 5.0 if first_lead else 1.5  # the lead's first state is what the story is about
                first_lead = False
            elif ms < first_start and text[ms:me].isupper():
                w = 1.5  # dateline city ("JUBA, Nov 20 (Wire) -"): where it was filed
            if status == "territory":
                w *= 0.3
            counts[e.country] = counts.get(e.country, 0) + w
        if counts:
            return max(counts, key=counts.get)
        return self._count_home_mentions()

    @property
    def _dateline_country(self) -> str | None:
        """The state of an upper-case dateline city at the start of one of the first paragraphs
        ("HANOI, March 11 (Wire) -"), if any."""
        if getattr(self, "_dateline", False) is not False:
            return self._dateline
        self._dateline = None
        from . import places

        for m in _DATELINE.finditer(self.s.text[:1500]):
            name = m.group(1).strip().title()
            for e in self.s.gz.lookup(tokenize(name)):
                if e.kind == "state" and e.country:
                    self._dateline = e.country
                    return self._dateline
            self._dateline = places.city_country(name, self.s.gz)
            if self._dateline:
                return self._dateline
        return None

    def _count_home_mentions(self) -> str | None:
        counts: dict[str, int] = {}
        for a in self.s.actors.values():
            if a.country and a.kind != "organization" or a.kind == "organization" and a.sector not in ("IGO", "NGO", "MED") and a.country:
                counts[a.country] = counts.get(a.country, 0) + len(a.mentions)
        return max(counts, key=counts.get) if counts else None

    def _bare_groups(self) -> None:
        """"Police fired tear gas", "the rebels denied": collective nouns with no state word."""
        home = self._home_country()
        covered = {(r.start, r.end) for r in self.s.refs}
        for si, sent in enumerate(self.sents):
            for t in sent.span:
                if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("compound",) and t.head.lower_ not in ("post", "base", "unit", "camp", "convoy", "positions", "position", "patrol"):
                    continue
                phrase = t.lower_
                prev = t.doc[t.i - 1] if t.i > 0 else None
                if prev is not None and prev.dep_ in ("compound", "amod") and f"{prev.lower_} {phrase}" in lexicon.BARE_GROUPS:
                    phrase = f"{prev.lower_} {phrase}"
                sector = lexicon.BARE_GROUPS.get(phrase)
                if sector is None:
                    continue
                a = sent.offset + t.idx
                b = a + len(t.text)
                if any(r.start <= a < r.end or (r.sent == si and r.token == t.i) for r in self.s.refs):
                    continue
                if self._consumed(a, b):
                    continue
                if self._armed_modifier(sent, t):
                    continue  # "Boko Haram fighters", "Taliban militants": the named group, not a new one
                # a state word inside the phrase already made it a group; possessors name the country
                country = None
                for c in t.children:
                    if c.dep_ == "poss":
                        for r in self.s.refs:
                            if r.start <= sent.offset + c.idx < r.end:
                                act = self.s.by_id[r.actor_ids[0]]
                                country = act.country
                        if c.lower_ in ("its", "their") and country is None:
                            # "Pakistan's military denied that its troops ...": the nearest actor before
                            prior = [r for r in self.s.refs if r.sent == si and r.end <= sent.offset + c.idx]
                            for r in sorted(prior, key=lambda r: -r.start):
                                act = self.s.by_id[r.actor_ids[0]]
                                if act.country and act.kind != "person":
                                    country = act.country
                                    break
                if country is None and any(w.lower_ in ("foreign", "international", "western") for w in t.lefts):
                    continue  # "foreign troops": not the home state's
                country = country or self._town_of(t) or home
                key = f"GRP:{country or '-'}:{sector}:{phrase}"
                actor = self._actor(key, phrase, "group", country, sector)
                self._mention(actor, a, b, "group", si, t.i)
                covered.add((a, b))

    def _armed_modifier(self, sent: SentInfo, t) -> bool:
        """Whether ``t`` names the members of an armed group or party named just before it."""
        if t.lower_ not in lexicon.MEMBER_NOUNS:
            return False
        for c in t.lefts:
            if c.dep_ not in ("compound", "amod", "nmod", "poss"):
                continue
            pos = sent.offset + c.idx
            for r in self.s.refs:
                if r.start <= pos < r.end:
                    act = self.s.by_id.get(r.actor_ids[0])
                    if act is not None and act.kind == "organization" and act.sector in lexicon.ARMED_SECTORS:
                        return True
        return False

    def _town_of(self, t) -> str | None:
        """The state of a town the group is placed in ("police in Novi Pazar", "protesters from
        Aleppo"), when the town is known to the place tables and is no actor's name."""
        from . import places

        for prep in t.rights:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "from", "of", "at"):
                continue
            for o in prep.children:
                if o.dep_ != "pobj" or o.pos_ != "PROPN":
                    continue
                name = o.doc[places.name_start(o).i:o.i + 1].text
                if self.s.gz.lookup(tokenize(name)):
                    return None  # a state or organisation: the table path gives the country
                cc = places.town_country(name, self.s.gz)
                if cc:
                    return cc
        return None

    def _drop_ref(self, r: MentionRef) -> None:
        self.s.refs.remove(r)
        for act in self.s.actors.values():
            act.mentions = [m for m in act.mentions if not (m.start == r.start and m.end == r.end)]

    # -- pass 2 --------------------------------------------------------------
    def _resolve_possessors(self) -> None:
        for key, start, name in self.s.pending_poss:
            person = self.s.actors[key]
            owner = self._link_person(re.sub(r"['’]s?$", "", name))
            if owner and owner.country and not person.country:
                person.country = owner.country

    def _resolve_pronouns_and_plurals(self) -> None:
        by_id = {a.id: a for a in self.s.actors.values()}
        key_of = {a.id: k for k, a in self.s.actors.items()}
        for si, sent in enumerate(self.sents):
            span = sent.span
            for t in span:
                low = t.lower_
                if low in lexicon.PERSON_PRONOUNS and t.pos_ == "PRON" or low in ("his", "her") and t.tag_ == "PRP$":
                    a = sent.offset + t.idx
                    gender = "m" if low in ("he", "him", "his") else "f"
                    cand = None
                    if t.dep_ in ("nsubj", "nsubjpass") and not any(
                            r.sent == si and r.start < a and any(by_id[i].kind == "person" for i in r.actor_ids)
                            for r in self.s.refs):
                        # a subject pronoun with no person before it in its sentence continues the
                        # previous sentence's subject ("Spokesman X insisted that A and B ... . He denied ...")
                        cand = self._previous_subject(si, gender, by_id, key_of)
                    cand = cand or self._recent_person(a, si, gender, by_id, key_of)
                    if cand:
                        self._mention(cand, a, a + len(t.text), "pronoun", si, t.i)
                        self.s.gender.setdefault(key_of[cand.id], gender)
            sent_low = span.text.lower()
            for phrase in lexicon.PLURAL_STATE_REFS | lexicon.PLURAL_PERSON_REFS | {"the two"}:
                rx = r"\b" + re.escape(phrase) + (r"\b(?= (?:agreed|said|signed|met|discussed|spoke|leaders|men|women|sides|countries|also|will|would|have|had|are|were|pledged|vowed))" if phrase == "the two" else r"\b")
                for m in re.finditer(rx, sent_low):
                    if phrase == "the two" and re.match(r"the two (?:leaders|men|women|sides|countries)", sent_low[m.start():]):
                        continue
                    a = sent.start + m.start()
                    b = a + len(phrase)
                    if phrase in lexicon.PLURAL_STATE_REFS:
                        pair = self._recent_states(a, si)
                    elif phrase in ("the two", "both"):
                        pair = self._recent_leaders(a, si, by_id, key_of, any_person=True)
                        if len(pair) < 2:
                            pair = self._recent_states(a, si)
                    else:
                        pair = self._recent_leaders(a, si, by_id, key_of)
                        if len(pair) < 2:
                            pair = self._recent_leaders(a, si, by_id, key_of, any_person=True)
                    if len(pair) == 2:
                        tok = _tok_end(sent, b)
                        ref = MentionRef(a, b, [p.id for p in pair], "plural", si, tok.i if tok else -1)
                        self.s.refs.append(ref)
                        for p in pair:
                            p.mentions.append(Mention(a, b, self.s.text[a:b], "plural"))

    def _previous_subject(self, si: int, gender: str, by_id, key_of) -> Actor | None:
        """The person who is the subject of the previous sentence's main verb, if any."""
        if si == 0:
            return None
        prev = self.sents[si - 1]
        root = prev.span.root
        for r in self.s.refs:
            if r.sent != si - 1 or len(r.actor_ids) != 1 or r.token < 0:
                continue
            tok = prev.span.doc[r.token]
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.i != root.i:
                continue
            a = by_id[r.actor_ids[0]]
            g = self.s.gender.get(key_of[a.id])
            if a.kind == "person" and (not g or g == gender):
                return a
        return None

    def _recent_person(self, pos: int, si: int, gender: str, by_id, key_of) -> Actor | None:
        best = None
        for r in sorted(self.s.refs, key=lambda r: r.start, reverse=True):
            if r.start >= pos or r.sent < si - 3 or len(r.actor_ids) != 1:
                continue
            a = by_id[r.actor_ids[0]]
            if a.kind != "person":
                continue
            g = self.s.gender.get(key_of[a.id])
            if g and g != gender:
                continue
            best = a
            break
        return best

    def _recent_states(self, pos: int, si: int) -> list[Actor]:
        seen: list[str] = []
        countries = {}
        for r in sorted(self.s.refs, key=lambda r: r.start, reverse=True):
            if r.start >= pos or r.sent < si - 4:
                continue
            for aid in r.actor_ids:
                act = self.s.by_id[aid]
                c = act.country
                if act.kind == "group" and act.name.islower():
                    continue  # "officials": its country is a guess from the story, no evidence of a state
                if c and c not in seen:
                    seen.append(c)
                    countries[c] = act
            if len(seen) >= 2:
                break
        # also states named only inside title phrases (Russian President ...): via persons' countries
        out = []
        for c in seen[:2]:
            st = self.s.actors.get(c)
            if st is None:
                name = self.s.gz.country_name(c) or c
                st = self._actor(c, name, "state", c, None)
            out.append(st)
        return out

    def _recent_leaders(self, pos: int, si: int, by_id, key_of, any_person: bool = False) -> list[Actor]:
        out: list[Actor] = []
        for r in sorted(self.s.refs, key=lambda r: r.start, reverse=True):
            if r.start >= pos or r.sent < si - 6 or len(r.actor_ids) != 1:
                continue
            a = by_id[r.actor_ids[0]]
            if a.kind == "person" and (any_person or key_of[a.id] in self.s.leader) and a not in out:
                out.append(a)
            if len(out) == 2:
                break
        return out

    def _fill_missing_countries(self) -> None:
        """Officials without a country in their own words: the organisation in their title
        ("COB executive secretary", "the EU's policy chief"); else the nearest state or capital
        of their sentence, then of the two sentences before, that no other person there holds;
        else, for officials, the story's home state."""
        by_id = {a.id: a for a in self.s.actors.values()}
        home = self._home_country()
        for key in self.s.persons:
            a = self.s.actors[key]
            if a.country or not a.mentions:
                continue
            if a.title:
                org = self._org_in_title(a.title)
                if org is not None:
                    a.country = org.country or (org._key.split(":", 1)[1] if org.sector == "IGO" and org._key.startswith("ORG:") else None)
                    if org.sector == "IGO" and a.sector in (None, "GOV"):
                        a.sector = "IGO"
                    if a.country:
                        continue
            desc = self._description_country(a) or self._its_country(a)
            if desc:
                a.country = desc
                continue
            first = min(a.mentions, key=lambda m: m.start)
            sref = next((r for r in self.s.refs if r.start == first.start), None)
            if sref is None:
                continue
            partner = self._conj_partner_country(sref, by_id)
            if partner:  # "Katrin Vogt, an archaeologist, and Matthias Brenner": one group, one country
                a.country = partner
                continue
            si = sref.sent
            other_persons = {aid for r in self.s.refs if r.sent == si for aid in r.actor_ids
                             if aid != a.id and by_id[aid].kind == "person"}
            claimed = {by_id[i].country for i in other_persons}
            is_leader = key in self.s.leader
            dateline = self._dateline_country
            leaders_home = any(self.s.actors[k].country == home for k in self.s.persons if k != key and k in self.s.leader)
            for back in range(0, 3):
                if back and is_leader and home and not leaders_home:
                    break  # an unqualified "Prime Minister X" in a story about one state leads that state
                cands = []
                for r in self.s.refs:
                    if r.sent != si - back:
                        continue
                    tok = next((t for t in self.sents[r.sent].span
                                if self.sents[r.sent].offset + t.idx == r.start), None)
                    subj = 0 if tok is not None and (tok.dep_ in ("nsubj", "nsubjpass") or
                                                     tok.dep_ in ("poss", "compound") and tok.head.dep_ in ("nsubj", "nsubjpass")) else 1
                    for aid in r.actor_ids:
                        act = by_id[aid]
                        if act.kind in ("state", "group") and act.country and act.country not in claimed:
                            cands.append((subj, abs(r.start - first.start), act.country))
                for s_i, pos, c in self.s.place_hints:
                    if s_i == si - back and c not in claimed:
                        cands.append((1, abs(pos - first.start), c))
                if back:
                    cands = [x for x in cands
                             if self.s.gz.countries.get(x[2], {}).get("status", "un_member") != "territory"]
                if back and dateline and a.title and a.sector in ("GOV", "MIL") and dateline not in claimed \
                        and not any(x[0] == 0 for x in cands):
                    # nothing in its own sentence and no state as subject just before: an official of
                    # the state the story is filed from ("HANOI ... Deputy Foreign Minister X told ...")
                    a.country = dateline
                    break
                if cands:
                    a.country = min(cands)[2]
                    break
            if not a.country and a.title and home and (a.sector in ("GOV", "MIL", "LEG", "JUD", "COP", "OPP", "PTY")):
                a.country = home

    def _fill_org_countries(self) -> None:
        """A state institution named without its state ("the Department of Education", "Federal
        Police", "the Saket District Court in New Delhi") belongs to the nearest state or capital of its
        sentence, else to the story's home state. International bodies and NGOs keep none."""
        home = self._home_country()
        by_id = {a.id: a for a in self.s.actors.values()}
        for a in self.s.actors.values():
            if a.kind != "organization" or a.country or not a.mentions or a.sector in ("IGO", "NGO", "MED", "BUS"):
                continue
            low = f" {a.name.lower()} "
            if not any(f" {w}" in low for w in _DOMESTIC_BODIES) or any(w in low for w in _INTERNATIONAL_WORDS):
                continue
            first = min(a.mentions, key=lambda m: m.start)
            sref = next((r for r in self.s.refs if r.start == first.start), None)
            if sref is None:
                continue
            # its own phrase ("the court in New Delhi", "the country's Supreme Court") or what comes
            # before it; a state named after it is mostly the one acted on ("provided aid to Yemen")
            sent = self.sents[sref.sent]
            tok = _tok_at(sent, first.start)
            end = first.end
            if tok is not None:
                head = tok
                while head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.i != head.i:
                    head = head.head
                end = max(end, sent.offset + max(t.idx + len(t.text) for t in head.subtree))
            cands = [(abs(r.start - first.start), by_id[i].country) for r in self.s.refs if r.sent == sref.sent
                     and r.start < end for i in r.actor_ids if by_id[i].kind == "state" and by_id[i].country]
            cands += [(abs(pos - first.start), c) for s_i, pos, c in self.s.place_hints if s_i == sref.sent and pos < end]
            if cands:
                a.country = min(cands)[1]
            elif home and len(self.sents) > 1:
                a.country = home  # a story's own institutions

    def _its_country(self, person: Actor) -> str | None:
        """"its spokesman, Colonel X": the actor the previous sentence was about."""
        if not person.title or not re.search(r"\b(?:its|their)\b", person.title.lower()):
            return None
        first = min(person.mentions, key=lambda m: m.start)
        sref = next((r for r in self.s.refs if r.start == first.start), None)
        if sref is None or sref.sent == 0:
            return None
        prev = self.sents[sref.sent - 1]
        for r in sorted((r for r in self.s.refs if r.sent == sref.sent - 1), key=lambda r: r.start):
            tok = next((t for t in prev.span if prev.offset + t.idx >= r.start), None)
            while tok is not None and tok.dep_ in ("compound", "poss", "amod") and tok.head.i != tok.i:
                tok = tok.head
            if tok is not None and tok.dep_ in ("nsubj", "nsubjpass"):
                for aid in r.actor_ids:
                    act = self.s.by_id[aid]
                    if act.country and act.kind != "person":
                        return act.country
        return None

    def _conj_partner_country(self, ref: MentionRef, by_id: dict) -> str | None:
        """The country of a person coordinated with this mention ("X and Y", "X, Y and Z")."""
        sent = self.sents[ref.sent]
        toks = {sent.offset + t.idx: t for t in sent.span}
        tok = next((t for off, t in toks.items() if ref.start <= off < ref.end and t.head.i != t.i
                    and not (ref.start <= sent.offset + t.head.idx < ref.end)), None)
        if tok is None:
            return None
        linked = set()
        head = tok
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        linked.add(head.i)
        stack = [head]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ == "conj":
                    linked.add(c.i)
                    stack.append(c)
        linked.discard(tok.i)
        for r in self.s.refs:
            if r.sent != ref.sent or r is ref:
                continue
            if any(sent.offset + t.idx >= r.start and sent.offset + t.idx < r.end for t in sent.span if t.i in linked):
                for aid in r.actor_ids:
                    act = by_id.get(aid)
                    if act is not None and act.kind == "person" and act.country:
                        return act.country
        return None

    def _description_country(self, person: Actor) -> str | None:
        """"the ambassador, Lorena Fuentes" after "Mexico's ambassador": the description's country."""
        if not person.title:
            return None
        word = person.title.lower().split()[-1]
        first = min(m.start for m in person.mentions)
        for key, act in self.s.actors.items():
            if key.startswith("DESC:") and act.country and act.title and act.mentions \
                    and act.title.lower().split()[-1] == word and min(m.start for m in act.mentions) < first:
                return act.country
        return None

    def _org_in_title(self, title: str) -> Actor | None:
        low = title.lower()
        for act in self.s.actors.values():
            if act.kind not in ("organization",) or not act.mentions:
                continue
            names = {act.name.lower()} | {m.text.lower() for m in act.mentions if m.how in ("name", "org", "acronym")}
            init = _initials(act.name)
            if len(init) >= 2:
                names.add(init.lower())
            if any(re.search(r"\b" + re.escape(n) + r"\b", low) for n in names if len(n) >= 2):
                return act
        for ms, me, entries in _table_matches(title, 0, len(title), self.s.gz):
            e = _choose(entries)
            if e.role == "org":
                return self._actor(e.key, e.name, e.kind, e.country, e.sector)
        return None

    def _finish(self) -> tuple[list[Actor], list[MentionRef]]:
        actors = [a for a in self.s.actors.values() if a.mentions]
        if sports_text(self.s.text):
            # a match report: "captain Lachlan Pryce" leads a team, not a company of soldiers
            for a in actors:
                if a.kind == "person" and a.sector == "MIL" and a.title and \
                        set(a.title.lower().split()) & {"captain", "skipper", "vice-captain"}:
                    a.sector = None
        actors.sort(key=lambda a: min(m.start for m in a.mentions))
        # renumber in order of first mention
        remap = {}
        for i, a in enumerate(actors, 1):
            remap[a.id] = f"A{i}"
        for a in actors:
            a.id = remap[a.id]
            a.mentions.sort(key=lambda m: m.start)
            if a.kind == "state" and not a.sector:
                a.sector = None
        refs = []
        for r in sorted(self.s.refs, key=lambda r: r.start):
            ids = [remap[i] for i in r.actor_ids if i in remap]
            if ids:
                r.actor_ids = ids
                refs.append(r)
        return actors, refs


_PLACE_NOUNS = {"town", "city", "village", "province", "region", "district", "county", "port", "capital",
                "suburb", "municipality", "state", "island", "settlement", "camp", "area", "enclave"}
_PLACE_PREPS = LOCATIVE_PREPS | {"from", "to", "on"}


# Words naming a state's own institutions, and words of bodies that belong to no one state.
_DOMESTIC_BODIES = ("ministry", "department", "police", "court", "tribunal", "prosecutor", "parliament", "senate",
                    "congress", "assembly", "government", "office", "bureau", "committee", "cabinet", "presidency",
                    "gendarmerie", "army", "navy", "air force", "armed forces", "coast guard")
_INTERNATIONAL_WORDS = ("united nations", "european", "african union", "africa union", "international", "world ",
                        "islamic", "arab ", "nato", "atlantic", "commonwealth", "asean", "regional", "global")


def _place_named(name: str, root, gz: Gazetteer) -> bool:
    """A name that the place resolver knows as a town or landmark, no actor table knows, and that
    stands where a place stands: after a locative preposition or as the object of a verb
    ("shelled Aleppo", "visited Novi Pazar", "withdraw from Goma and Bukavu"). Acronyms are
    left alone ("GAO" is an office before it is a town in Mali)."""
    from . import places

    if name.isupper() or not places.known_place(name, gz) or gz.lookup(tokenize(name)) or gz.knows_person(name):
        return False
    while root.dep_ in ("conj", "appos") and root.head.i != root.i:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _PLACE_NOUNS:
        return True  # "the hill town of Novi Pazar"
    return root.dep_ == "dobj" and root.head.pos_ == "VERB"


def sports_text(text: str) -> bool:
    """Three or more different sports words: a match report (the events stage uses the same test)."""
    from .triggers import sports_words

    return len(sports_words(text)) >= 3


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper())


def resolve(text: str, sents: list[SentInfo], gz: Gazetteer,
            published: str | None = None) -> tuple[list[Actor], list[MentionRef]]:
    """Actors of one article and every span that refers to them; ``published`` (YYYY-MM-DD) dates
    the roles the people table gives."""
    return ActorResolver(text, sents, gz, published).run()


_NAME_STOP = {"of", "for", "and", "the", "on", "in", "de", "al", "bin", "van", "von", "da", "la"}


_EU_WORDS = re.compile(r"\b(?:EU|European Union|European Commission|European Council)\b")
_DATELINE = re.compile(r"(?m)^([A-Z][A-Z.'’\- ]{2,30}[A-Z])(?:,| \(| [-–—] )")
_TITLE_WORDS = {w for title in lexicon.PERSON_TITLES for w in title.split()} | {
    "defence", "defense", "economy", "economic", "health", "education", "energy", "justice", "agriculture",
    "labour", "labor", "culture", "transport", "environment", "home", "external", "affairs"}


_NAME_PARTICLES = {"von", "van", "der", "de", "da", "dos", "du", "di", "al", "el", "bin", "ben", "le", "la"}
_NOT_NAME_ENTS = ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL")


def _table_people(span, ents, gz: Gazetteer):
    """Names of the people table are persons whatever the NER made of them: an ORG or GPE entity
    that is one ("Lula", "Scholz"), a PERSON entity cut short ("Ursula von der" + "Leyen"), words no
    entity covers ("Erdogan met ..."), or a mistaken entity with a verb in it ("Von der Leyen met
    Modi"). A longer name that holds one stays as it is ("Nelson Mandela Foundation", "Hunter Biden")."""
    from spacy.tokens import Span

    if not gz.people:
        return ents
    doc = span.doc
    windows = []
    i = span.start
    while i < span.end:
        t = doc[i]
        if not (t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES):
            i += 1
            continue
        hit = 0
        for n in range(min(6, span.end - i), 0, -1):
            if doc[i + n - 1].text in ("'s", "’s", "'", "’", ",", "."):
                continue
            if gz.knows_person(doc[i:i + n].text):
                hit = n
                break
        if hit:
            windows.append((i, i + hit))
            i += hit
        else:
            i += 1
    if not windows:
        return ents
    out = list(ents)
    for ws, we in windows:
        overlapping = [e for e in out if e.start < we and ws < e.end]
        if any(e.label_ in _NOT_NAME_ENTS for e in overlapping):
            continue
        keep = True
        for e in overlapping:
            end = e.end - 1 if e.end - e.start > 1 and doc[e.end - 1].text in ("'s", "’s", "'", "’") else e.end
            inside = ws <= e.start and end <= we
            if inside:
                continue  # the entity is (part of) the name: replaced below
            if e.label_ not in ("PERSON",) and any(t.pos_ in ("VERB", "AUX") for t in e):
                continue  # "Von der Leyen met Modi" as one organisation: a tagging error, replaced
            keep = False  # a longer name holds the table name ("Nelson Mandela Foundation")
        if not keep:
            continue
        out = [e for e in out if not (e.start < we and ws < e.end)]
        out.append(Span(doc, ws, we, label="PERSON"))
    return sorted(out, key=lambda e: e.start)


def _with_pseudo_entities(span, gz: Gazetteer):
    """spaCy's entities plus names its small model misses: capitalised words after a person
    title ("President Lucas Prado") and capitalised organisation names with an organisation
    keyword ("Joint Chiefs of Staff")."""
    from spacy.tokens import Span

    doc = span.doc
    ents = []
    for e in span.ents:
        # "The Organization of Islamic Cooperation (OIC" (the small model stops before the
        # closing bracket): the name ends before its bracketed abbreviation
        opens = [t.i for t in e if t.text == "("]
        if opens and not any(t.text == ")" for t in doc[opens[-1]:e.end]):
            if opens[-1] == e.start:
                continue
            e = Span(doc, e.start, opens[-1], label=e.label_)
        ents.append(e)
    ents = _table_people(span, ents, gz)
    taken = set()
    for e in ents:
        if e.label_ in ("PERSON", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            taken.update(range(e.start, e.end))
    extra = []
    toks = list(span)
    i = 0
    while i < len(toks):
        t = toks[i]
        # person after a title word
        if t.lower_ in lexicon.PERSON_TITLES and t.i + 1 < span.end:
            j = t.i + 1
            while j < span.end and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and j not in taken \
                    and not gz.lookup([doc[j].text]) and doc[j].lower_ not in lexicon.PERSON_TITLES:
                j += 1
            if j - (t.i + 1) >= 1 and (j - (t.i + 1) >= 2 or doc[t.i].text[:1].isupper()):
                ents = [e for e in ents if e.end <= t.i + 1 or e.start >= j]
                extra.append(Span(doc, t.i + 1, j, label="PERSON"))
                taken.update(range(t.i + 1, j))
                i = j - span.start
                continue
        i += 1
    # capitalised organisation names
    i = span.start
    while i < span.end:
        if doc[i].text[:1].isupper() and doc[i].pos_ in ("PROPN", "ADJ", "NOUN") and i not in taken \
                and not doc[i].ent_type_:
            j = i
            while j < span.end and (doc[j].text[:1].isupper() and doc[j].pos_ in ("PROPN", "ADJ", "NOUN")
                                    and doc[j].ent_type_ in ("", "ORG")
                                    or doc[j].lower_ in ("of", "for", "and") and j + 1 < span.end
                                    and doc[j + 1].text[:1].isupper()) and j not in taken:
                j += 1
            words = " ".join(doc[k].lower_ for k in range(i, j))
            if j - i >= 2 and doc[j - 1].lower_ not in _NAME_STOP and any(
                    f" {kw}" in f" {words}" for kw in lexicon.INSTITUTION_KEYWORDS):
                start = i
                # a state word right before belongs to the name ("South Korean Joint Chiefs of Staff")
                for e in ents:
                    if e.end == i and e.label_ in ("NORP", "GPE"):
                        start = e.start
                ents = [e for e in ents if e.end <= start or e.start >= j]
                extra.append(Span(doc, start, j, label="ORG"))
                taken.update(range(start, j))
            i = max(j, i + 1)
        else:
            i += 1
    if not extra:
        return ents
    return sorted(ents + extra, key=lambda e: e.start)
