"""Role words: which nouns name officials, forces and groups, and their sector codes.

Sector codes follow the CAMEO/PLOVER tradition (see ``records.SECTORS``). These are the
project's own lists; users add actors with ``--actors FILE``.
"""
from __future__ import annotations

import re

# Person titles (lower case, possibly multi-word) -> sector. Longest match wins.
PERSON_TITLES: dict[str, str] = {
    # government / executive
    "president": "GOV", "vice president": "GOV", "prime minister": "GOV", "premier": "GOV",
    "chancellor": "GOV", "minister": "GOV", "foreign minister": "GOV", "interior minister": "GOV",
    "finance minister": "GOV", "trade minister": "GOV", "deputy minister": "GOV",
    "secretary": "GOV", "secretary of state": "GOV", "secretary-general": "IGO",
    "secretary general": "IGO", "spokesman": "GOV", "spokeswoman": "GOV", "spokesperson": "GOV",
    "press secretary": "GOV", "ambassador": "GOV", "envoy": "GOV", "diplomat": "GOV",
    "consul": "GOV", "official": "GOV", "aide": "GOV", "adviser": "GOV", "advisor": "GOV",
    "national security adviser": "GOV", "leader": "GOV", "supreme leader": "GOV", "king": "GOV",
    "queen": "GOV", "crown prince": "GOV", "prince": "GOV", "emir": "GOV", "sultan": "GOV",
    "monarch": "GOV", "governor": "GOV", "mayor": "GOV", "head of state": "GOV",
    "dictator": "GOV", "negotiator": "GOV", "chief negotiator": "GOV", "cabinet secretary": "GOV",
    "attorney general": "JUD", "commissioner": "GOV", "director": "GOV", "deputy": "GOV",
    # military
    "general": "MIL", "gen.": "MIL", "lieutenant general": "MIL", "major general": "MIL",
    "brigadier general": "MIL", "admiral": "MIL", "adm.": "MIL", "colonel": "MIL", "col.": "MIL",
    "commander": "MIL", "commander-in-chief": "MIL", "chief of staff": "MIL", "army chief": "MIL",
    "military spokesman": "MIL", "military spokeswoman": "MIL", "defense minister": "GOV",
    "defence minister": "GOV", "defense secretary": "GOV", "defence secretary": "GOV",
    "soldier": "MIL", "captain": "MIL", "lieutenant": "MIL", "major": "MIL", "sergeant": "MIL",
    # legislature
    "senator": "LEG", "sen.": "LEG", "lawmaker": "LEG", "legislator": "LEG", "congressman": "LEG",
    "congresswoman": "LEG", "representative": "LEG", "rep.": "LEG", "mp": "LEG",
    "member of parliament": "LEG", "parliamentarian": "LEG", "speaker": "LEG", "deputy speaker": "LEG",
    # judiciary / police
    "judge": "JUD", "justice": "JUD", "chief justice": "JUD", "prosecutor": "JUD",
    "public prosecutor": "JUD", "magistrate": "JUD", "police chief": "COP",
    "police commissioner": "COP", "inspector general": "COP", "police spokesman": "COP",
    "police spokeswoman": "COP", "officer": "COP",
    # others
    "rebel leader": "REB", "rebel commander": "REB", "militant": "REB", "insurgent": "REB",
    "warlord": "REB", "opposition leader": "OPP", "opposition figure": "OPP", "dissident": "OPP",
    "activist": "CVL", "protester": "CVL", "journalist": "MED", "reporter": "MED",
    "editor": "MED", "correspondent": "MED", "analyst": "CVL", "professor": "EDU",
    "researcher": "EDU", "chief executive": "BUS", "ceo": "BUS", "executive": "BUS",
    "businessman": "BUS", "businesswoman": "BUS", "chairman": "GOV", "chairwoman": "GOV",
    "party leader": "PTY", "party chairman": "PTY", "candidate": "PTY", "union leader": "LAB",
    "bishop": "REL", "cleric": "REL", "imam": "REL", "pope": "REL", "archbishop": "REL",
    "doctor": "HLH", "charge d'affaires": "GOV", "chargé d'affaires": "GOV", "high commissioner": "GOV",
    "foreign secretary": "GOV", "chief": "GOV", "policy chief": "GOV", "head": "GOV", "commissioner": "GOV",
    "major general": "MIL", "general secretary": "PTY", "executive secretary": "GOV", "executive director": "GOV", "mayor": "GOV",
    "regional governor": "GOV", "counterpart": "GOV", "minister of state": "GOV", "undersecretary": "GOV", "under-secretary": "GOV",
}

# Titles that mark heads of state or government ("both leaders" refers to these).
LEADER_TITLES = {"president", "prime minister", "premier", "chancellor", "leader", "supreme leader",
                 "king", "queen", "emir", "sultan", "monarch", "head of state", "crown prince", "dictator"}

# Nouns naming collective actors after a demonym or country ("North Korean troops").
GROUP_NOUNS: dict[str, str] = {
    "troops": "MIL", "troop": "MIL", "soldiers": "MIL", "forces": "MIL", "force": "MIL",
    "military": "MIL", "army": "MIL", "navy": "MIL", "air force": "MIL", "marines": "MIL",
    "warships": "MIL", "warship": "MIL", "jets": "MIL", "fighter jets": "MIL", "coast guard": "MIL",
    "armed forces": "MIL", "militaries": "MIL", "units": "MIL", "artillery": "MIL",
    "commandos": "MIL", "drones": "MIL", "defense ministry": "MIL", "defence ministry": "MIL",
    "military officials": "MIL", "defense officials": "MIL", "defence officials": "MIL",
    "officials": "GOV", "official": "GOV", "authorities": "GOV", "government": "GOV",
    "administration": "GOV", "leaders": "GOV", "leadership": "GOV", "diplomats": "GOV",
    "ministry": "GOV", "foreign ministry": "GOV", "embassy": "GOV", "envoys": "GOV",
    "negotiators": "GOV", "cabinet": "GOV", "regime": "GOV", "delegation": "GOV",
    "intelligence": "GOV", "spy agency": "GOV", "lawmakers": "LEG", "parliament": "LEG",
    "legislators": "LEG", "legislature": "LEG", "senators": "LEG", "congress": "LEG",
    "courts": "JUD", "court": "JUD", "judges": "JUD", "prosecutors": "JUD", "police": "COP",
    "policemen": "COP", "police officers": "COP", "security forces": "COP", "riot police": "COP",
    "border guards": "COP", "border police": "COP", "rebels": "REB", "militants": "REB",
    "insurgents": "REB", "separatists": "REB", "fighters": "REB", "militia": "REB", "militias": "REB",
    "guerrillas": "REB", "opposition": "OPP", "dissidents": "OPP", "protesters": "CVL",
    "demonstrators": "CVL", "protestors": "CVL", "civilians": "CVL", "people": "CVL",
    "citizens": "CVL", "residents": "CVL", "villagers": "CVL", "workers": "LAB", "unions": "LAB",
    "union": "LAB", "farmers": "CVL", "students": "EDU", "teachers": "EDU", "doctors": "HLH",
    "nurses": "HLH", "refugees": "REF", "migrants": "REF", "fishermen": "CVL",
    "media": "MED", "state media": "MED", "press": "MED", "journalists": "MED", "news agency": "MED",
    "state news agency": "MED", "television": "MED", "state television": "MED", "state tv": "MED",
    "newspaper": "MED", "broadcaster": "MED", "companies": "BUS", "company": "BUS", "firms": "BUS",
    "businesses": "BUS", "banks": "BUS", "investors": "BUS", "exporters": "BUS",
    "party": "PTY", "ruling party": "PTY", "parties": "PTY", "activists": "CVL", "clerics": "REL",
}

# Keywords inside organisation names -> sector (first hit in this order wins).
ORG_SECTOR_KEYWORDS: list[tuple[str, str]] = [
    ("human rights", "NGO"), ("joint chiefs", "MIL"), ("armed forces", "MIL"), ("army", "MIL"), ("navy", "MIL"),
    ("air force", "MIL"), ("military", "MIL"), ("defense forces", "MIL"), ("defence forces", "MIL"),
    ("marine", "MIL"), ("coast guard", "MIL"), ("command", "MIL"), ("guard corps", "MIL"),
    ("police", "COP"), ("gendarmerie", "COP"), ("security service", "COP"),
    ("supreme court", "JUD"), ("court", "JUD"), ("tribunal", "JUD"), ("prosecutor", "JUD"),
    ("parliament", "LEG"), ("congress", "LEG"), ("senate", "LEG"), ("assembly", "LEG"),
    ("duma", "LEG"), ("knesset", "LEG"), ("legislature", "LEG"),
    ("party", "PTY"), ("front", "PTY"), ("movement", "PTY"),
    ("news", "MED"), ("times", "MED"), ("post", "MED"), ("journal", "MED"), ("tv", "MED"),
    ("television", "MED"), ("radio", "MED"), ("broadcasting", "MED"), ("press", "MED"),
    ("media", "MED"), ("agency", "GOV"), ("ministry", "GOV"), ("department", "GOV"),
    ("council", "GOV"), ("government", "GOV"), ("commission", "GOV"), ("office", "GOV"),
    ("bank", "BUS"), ("inc", "BUS"), ("corp", "BUS"), ("ltd", "BUS"), ("company", "BUS"),
    ("group", "BUS"), ("airlines", "BUS"), ("energy", "BUS"), ("oil", "BUS"),
    ("university", "EDU"), ("union", "LAB"), ("church", "REL"),
    ("foundation", "NGO"), ("watch", "NGO"), ("international", "NGO"),
]

# The keywords that make a run of capitalised words an institution's name (up to "agency"; not
# the company, university and NGO words, which also end ordinary phrases).
INSTITUTION_KEYWORDS = [kw for kw, _ in ORG_SECTOR_KEYWORDS[:ORG_SECTOR_KEYWORDS.index(("agency", "GOV")) + 1]]

# Bare collective nouns that are actors even without a state word ("Police fired tear gas").
# Their country is the story's home state (the most-mentioned state) unless the phrase names one.
BARE_GROUPS: dict[str, str] = {
    "police": "COP", "policemen": "COP", "riot police": "COP", "security forces": "COP",
    "army": "MIL", "military": "MIL", "troops": "MIL", "soldiers": "MIL", "navy": "MIL", "forces": "MIL",
    "marines": "MIL", "paratroopers": "MIL", "special forces": "MIL",
    "air force": "MIL", "coast guard": "MIL", "armed forces": "MIL", "junta": "MIL",
    "government": "GOV", "authorities": "GOV", "officials": "GOV", "ministry": "GOV", "cabinet": "GOV",
    "president": "GOV", "parliament": "LEG", "lawmakers": "LEG", "legislators": "LEG", "senate": "LEG",
    "court": "JUD", "judges": "JUD", "prosecutors": "JUD",
    "protesters": "CVL", "protestors": "CVL", "demonstrators": "CVL", "marchers": "CVL",
    "strikers": "LAB", "miners": "LAB", "workers": "LAB", "unions": "LAB", "union": "LAB",
    "growers": "CVL", "farmers": "CVL", "students": "EDU", "teachers": "EDU", "doctors": "HLH",
    "nurses": "HLH", "civilians": "CVL", "villagers": "CVL", "residents": "CVL", "people": "CVL",
    "rebels": "REB", "militants": "REB", "insurgents": "REB", "fighters": "REB", "gunmen": "REB",
    "separatists": "REB", "militia": "REB", "militiamen": "REB", "jihadists": "REB",
    "opposition": "OPP", "activists": "CVL", "refugees": "REF", "migrants": "REF",
    "officers": "COP", "riot officers": "COP", "police officers": "COP", "guards": "COP",
    "border guards": "COP", "agents": "COP", "investigators": "COP", "prosecutors'": "JUD",
    "youths": "CVL", "settlers": "CVL", "herders": "CVL",
    "mourners": "CVL", "rioters": "CVL", "mobs": "CVL", "journalists": "MED", "lawyers": "CVL",
    "inmates": "CVL", "prisoners": "CVL", "detainees": "CVL", "dockworkers": "LAB", "truckers": "LAB",
    "drivers": "LAB", "employees": "LAB",
}

# Heads of descriptive actor phrases the event stage may meet as an actor or recipient
# ("two suicide bombers", "warplanes", "riot police"): sector of the people (or of whoever operates
# the platform). Singular and plural forms; BARE_GROUPS entries count too.
GROUP_HEADS: dict[str, str] = {
    **{k: v for k, v in BARE_GROUPS.items() if " " not in k},
    "bomber": "REB", "bombers": "REB", "attacker": "REB", "attackers": "REB", "assailant": "REB",
    "assailants": "REB", "gunman": "REB", "militant": "REB", "insurgent": "REB", "rebel": "REB",
    "jihadist": "REB", "kidnapper": "REB", "kidnappers": "REB", "abductors": "REB", "raiders": "REB",
    "fighter": "REB", "combatants": "REB", "guerrillas": "REB", "guerrilla": "REB", "extremists": "REB",
    "terrorists": "REB", "terrorist": "REB", "pirates": "REB", "bandits": "REB", "gangs": "REB",
    "gang": "REB", "mob": "CVL", "crowd": "CVL", "crowds": "CVL", "rioters": "CVL", "looters": "CVL",
    "soldier": "MIL", "troop": "MIL", "warplanes": "MIL", "warplane": "MIL", "jets": "MIL", "jet": "MIL",
    "aircraft": "MIL", "helicopters": "MIL", "helicopter": "MIL", "drones": "MIL", "drone": "MIL",
    "warships": "MIL", "warship": "MIL", "destroyer": "MIL", "frigate": "MIL", "tanks": "MIL",
    "artillery": "MIL", "navy": "MIL", "battalion": "MIL", "brigade": "MIL", "commandos": "MIL",
    "sailors": "MIL", "peacekeepers": "MIL", "reservists": "MIL", "militiamen": "REB",
    "officer": "COP", "policeman": "COP", "policemen": "COP", "gendarmes": "COP", "guard": "COP",
    "agents": "COP", "detectives": "COP", "authorities": "GOV", "official": "GOV", "ministers": "GOV",
    "diplomats": "GOV", "diplomat": "GOV", "envoys": "GOV", "negotiators": "GOV", "delegation": "GOV",
    "regime": "GOV", "administration": "GOV", "junta": "MIL", "lawmaker": "LEG", "legislators": "LEG",
    "mps": "LEG", "senators": "LEG", "deputies": "LEG", "judge": "JUD", "prosecutor": "JUD",
    "protester": "CVL", "demonstrator": "CVL", "activist": "CVL", "student": "EDU", "teacher": "EDU",
    "worker": "LAB", "employees": "LAB", "dockworkers": "LAB", "drivers": "LAB", "truckers": "LAB",
    "farmer": "CVL", "fishermen": "CVL", "civilian": "CVL", "villager": "CVL", "resident": "CVL",
    "journalists": "MED", "journalist": "MED", "reporters": "MED", "doctor": "HLH", "medics": "HLH",
    "nurses": "HLH", "patients": "HLH", "refugee": "REF", "migrant": "REF", "asylum-seekers": "REF",
    "prisoners": "CVL", "detainees": "CVL", "hostages": "CVL", "captives": "CVL", "inmates": "CVL",
    "prisoner": "CVL", "detainee": "CVL", "hostage": "CVL", "captive": "CVL", "inmate": "CVL",
    "supporters": "CVL", "voters": "CVL", "residents": "CVL", "families": "CVL", "children": "CVL",
    "women": "CVL", "men": "CVL", "worshippers": "REL", "clerics": "REL", "monks": "REL", "pilgrims": "REL",
    "opposition": "OPP", "dissidents": "OPP", "critics": "OPP", "donors": "GOV", "allies": "GOV",
    "countries": "GOV", "nations": "GOV", "states": "GOV", "governments": "GOV", "powers": "GOV",
    "leaders": "GOV", "members": None, "staff": None, "personnel": "MIL", "units": "MIL", "forces": "MIL",
}
# Places and things that stand for their occupants or operators when attacked, raided or closed
# ("a police station", "the embassy", "a convoy"): actor kind organization, sector of the operator.
TARGET_HEADS: dict[str, str | None] = {
    "embassy": "GOV", "consulate": "GOV", "ministry": "GOV", "parliament": "LEG", "checkpoint": "COP",
    "station": "COP", "base": "MIL", "outpost": "MIL", "barracks": "MIL", "convoy": "MIL", "patrol": "MIL",
    "positions": "MIL", "position": "MIL", "camp": None, "hideouts": "REB", "hideout": "REB",
    "headquarters": None, "office": None, "offices": None, "hospital": "HLH", "clinic": "HLH",
    "school": "EDU", "university": "EDU", "mosque": "REL", "church": "REL", "temple": "REL",
    "newspaper": "MED", "broadcaster": "MED", "court": "JUD", "prison": "COP", "jail": "COP",
    "vessel": None, "ship": None, "tanker": "BUS", "trawler": "BUS", "company": "BUS", "firm": "BUS",
    "companies": "BUS", "firms": "BUS", "bank": "BUS", "banks": "BUS",
    "plane": None, "aircraft": None, "flight": None, "flights": None, "airline": "BUS", "airlines": "BUS",
    "organization": None, "organisation": None, "group": None, "body": None, "agency": None,
    "committee": None, "commission": None, "council": None, "board": None, "institution": None,
    "party": "PTY", "movement": None, "network": None, "association": None, "federation": None,
}
# Endings of plural nouns that name people by what they do ("lecturers", "traders", "activists",
# "residents", "homeguards"): a description the event stage may take as a group.
PEOPLE_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "guards", "men", "ites", "ics")

# Plurals with a people-like ending that name things, not people ("signed 15 agreements", "closed
# the borders", "fired on the sites"): never a group actor by their ending alone.
NOT_PEOPLE_PLURALS = frozenset("""
agreements documents payments shipments statements settlements investments elements comments arguments
developments departments instruments components amendments segments events incidents accidents contents
treatments judgments commitments requirements improvements assessments measurements arrangements
appointments tournaments monuments experiments environments apartments fragments supplements sentiments
ailments moments rents percents cents patents talents garments shipments
orders borders powers waters papers numbers letters centers centres matters layers barriers quarters
headquarters towers rivers corners offers answers transfers containers computers chambers charters
disorders shelters powers filters markers remainders reminders registers thrillers leftovers
doors floors sectors corridors errors factors reactors motors colors colours vectors mirrors horrors
grants plants restaurants pants
politics economics tactics statistics electronics clinics graphics topics ethics logistics dynamics
fees trees degrees decrees
sites websites satellites
lists twists
""".split())

# Descriptions that point back to a known person ("the Russian leader", "the spokesman").
PLURAL_STATE_REFS = {"both countries", "the two countries", "both nations", "the two nations",
                     "both sides", "the two sides", "both governments", "the two governments",
                     "both states", "the two states", "the two neighbours", "the two neighbors",
                     "both neighbours", "both neighbors", "the two allies", "both allies"}
PLURAL_PERSON_REFS = {"both leaders", "the two leaders", "both men", "the two men",
                      "both presidents", "the two presidents", "the pair", "both women",
                      "the two women", "both ministers", "the two ministers"}

MALE_WORDS = {"he", "him", "his", "himself", "spokesman", "king", "prince", "congressman",
              "businessman", "chairman", "emir", "sultan", "mr", "mr."}
FEMALE_WORDS = {"she", "her", "hers", "herself", "spokeswoman", "queen", "princess",
                "congresswoman", "businesswoman", "chairwoman", "mrs", "mrs.", "ms", "ms."}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}


# Weapons and platforms: a description headed by one stands for its operator ("warplanes").
PLATFORMS = {"jet", "jets", "warplane", "warplanes", "aircraft", "helicopter", "helicopters", "drone", "drones",
             "warship", "warships", "destroyer", "frigate", "tank", "tanks", "artillery", "missile", "missiles",
             "rocket", "rockets", "plane", "planes", "vessel", "vessels", "ship", "ships", "boat", "boats"}

# The members of an armed group, party or movement, who act as the group ("Boko Haram fighters").
MEMBER_NOUNS = {"fighter", "fighters", "militant", "militants", "rebel", "rebels", "insurgent", "insurgents",
                "gunman", "gunmen", "jihadist", "jihadists", "militiaman", "militiamen", "guerrilla", "guerrillas",
                "mercenary", "mercenaries", "combatant", "combatants", "member", "members", "operative",
                "operatives", "forces", "troops", "unit", "units", "commando", "commandos", "cadre", "cadres",
                "commanders"}
ARMED_SECTORS = {"REB", "INS", "SEP", "MIL", "PTY", "OPP"}
HYPHENS = ("-", "‐", "‑")  # a hyphenated name is several tokens to the parser ("Fils-Aime")

# Not actors (issue 11): nature does not act politically, and a news organisation that reports a
# story is its source, not a party to it.
NATURAL_NAME_WORDS = {"cyclone", "hurricane", "typhoon", "storm", "tropical", "super", "winter", "tornado",
                      "wildfire", "bushfire", "earthquake", "volcano", "mount"}
NATURAL_HEADS = {"cyclone", "hurricane", "typhoon", "storm", "storms", "tornado", "tornadoes", "earthquake",
                 "quake", "quakes", "tremor", "tremors", "aftershock", "aftershocks", "tsunami", "flood", "floods",
                 "flooding", "floodwaters", "wildfire", "wildfires", "bushfire", "bushfires", "blaze", "blazes", "drought", "monsoon", "rains", "rain", "downpour", "downpours", "eruption",
                 "volcano", "landslide", "landslides", "mudslide", "mudslides", "avalanche", "heatwave",
                 "blizzard", "snowstorm", "gale", "gales", "epidemic", "pandemic", "outbreak", "virus", "cholera",
                 "locusts", "el nino", "la nina"}
NEWS_OUTLETS = {  # without a leading "the": names are compared without it
    "reuters", "associated press", "ap", "afp", "agence france-presse", "agence france presse", "bbc",
    "bbc news", "cnn", "al jazeera", "al-jazeera", "al arabiya", "xinhua", "xinhua news agency", "tass",
    "ria novosti", "interfax", "anadolu", "anadolu agency", "yonhap", "yonhap news agency", "kyodo",
    "kyodo news", "bloomberg", "bloomberg news", "dow jones", "efe", "ansa", "dpa", "pti",
    "press trust of india", "new york times", "washington post", "guardian", "financial times",
    "wall street journal", "politico", "axios", "nikkei", "voice of america", "voa", "radio free europe",
    "rfe/rl", "radio liberty", "npr", "sky news", "france 24", "deutsche welle", "dw", "nhk", "abc news",
    "cbs news", "nbc news", "fox news", "economist", "le monde", "der spiegel", "el pais", "haaretz",
    "times of israel", "times", "telegraph", "independent", "hindu", "agence france-presse (afp)",
}


def natural_event_name(text: str) -> bool:
    """Whether a phrase names a natural event or hazard ("Cyclone Tamsin", "the floods",
    "Hurricane Lena", "the Bitung earthquake"): never an actor."""
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in ("the", "a", "an")]
    if not words:
        return False
    if len(words) >= 2 and words[0] in NATURAL_NAME_WORDS and words[0] not in ("super", "tropical", "winter",
                                                                                 "mount"):
        return True  # "Cyclone Tamsin", "Hurricane Lena"
    if len(words) >= 3 and words[0] in ("super", "tropical", "winter") and words[1] in NATURAL_NAME_WORDS:
        return True  # "Tropical Storm Ana", "Super Typhoon Kiko"
    return words[-1] in NATURAL_HEADS or " ".join(words[-2:]) in NATURAL_HEADS


def news_outlet(name: str) -> bool:
    """Whether ``name`` is a news agency or outlet ("The Guardian", "Guardian Australia", "Reuters"):
    the source of a report, never a party to an event."""
    low = " ".join(name.lower().replace("’", "'").split()).removeprefix("the ")
    return low in NEWS_OUTLETS or any(low.startswith(o + " ") for o in NEWS_OUTLETS if len(o) >= 3)


def title_sector(title: str) -> str | None:
    """Sector of the longest known title word inside ``title``."""
    t = " " + " ".join(title.lower().replace("’", "'").split()) + " "
    best: tuple[int, str] | None = None
    for word, sector in PERSON_TITLES.items():
        if f" {word} " in t or t.rstrip().endswith(" " + word):
            if best is None or len(word) > best[0]:
                best = (len(word), sector)
    return best[1] if best else None


def org_sector(name: str) -> str | None:
    low = " " + name.lower() + " "
    for kw, sector in ORG_SECTOR_KEYWORDS:
        if f" {kw}" in low:
            return sector
    return None
