"""PLOVER facts used by the coder: quad classes, scores, CAMEO roots, modes and contexts.

Scores follow the PLOVER manual's conflict–cooperation table (type and mode). One
deliberate correction: the manual's table prints ACCUSE as +3, which contradicts its own
verbal-conflict quad and every ACCUSE mode (-2 to -3.5); dyads uses -3.
"""
from __future__ import annotations

QUAD = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation", "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict",
    "REJECT": "verbal conflict", "THREATEN": "verbal conflict", "PROTEST": "material conflict",
    "SANCTION": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}
QUAD_CLASS = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}

SCORE = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10.0,
    "RETREAT": 6.5, "REQUEST": 0.0, "ACCUSE": -3.0, "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0,
    "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}
MODE_SCORE = {
    ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0, ("CONSULT", "multilateral"): 4.0,
    ("CONSULT", "phone"): 1.5,
    ("RETREAT", "withdraw"): 8.0, ("RETREAT", "release"): 6.5, ("RETREAT", "disarm"): 10.0,
    ("RETREAT", "ceasefire"): 7.5, ("RETREAT", "access"): 6.5, ("RETREAT", "resign"): 4.5,
    ("REQUEST", "assist"): 0.5, ("REQUEST", "change"): -1.0, ("REQUEST", "yield"): -1.0, ("REQUEST", "meet"): 0.0,
    ("ACCUSE", "disapprove"): -2.0, ("ACCUSE", "investigate"): -3.5, ("ACCUSE", "allege"): -3.5,
    ("REJECT", "assist"): -1.5, ("REJECT", "change"): -2.0, ("REJECT", "yield"): -2.0, ("REJECT", "meet"): -2.0,
    ("THREATEN", "restrict"): -3.0, ("THREATEN", "arrest"): -3.5, ("THREATEN", "relations"): -3.5,
    ("THREATEN", "expel"): -3.5, ("THREATEN", "territory"): -4.0, ("THREATEN", "violence"): -3.5,
    ("PROTEST", "demo"): -5.0, ("PROTEST", "riot"): -7.0, ("PROTEST", "strike"): -5.0,
    ("PROTEST", "hunger"): -4.5, ("PROTEST", "boycott"): -4.5, ("PROTEST", "obstruct"): -4.5,
    ("SANCTION", "convict"): -6.0, ("SANCTION", "expel"): -5.5, ("SANCTION", "withdraw"): -6.0,
    ("SANCTION", "discontinue"): -6.0,
    ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5, ("MOBILIZE", "police"): -5.5,
    ("MOBILIZE", "militia"): -6.0,
    ("COERCE", "seize"): -7.0, ("COERCE", "restrict"): -7.0, ("COERCE", "censor"): -6.5,
    ("COERCE", "curfew"): -6.5, ("COERCE", "martial-law"): -7.5, ("COERCE", "arrest"): -7.0,
    ("COERCE", "deport"): -7.0, ("COERCE", "withhold"): -7.0, ("COERCE", "misinformation"): -6.5,
    ("COERCE", "cyber"): -7.0,
    ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5, ("ASSAULT", "torture"): -8.5,
    ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5, ("ASSAULT", "destroy"): -8.5,
    ("ASSAULT", "primitive"): -8.0, ("ASSAULT", "firearms"): -9.0, ("ASSAULT", "explosives"): -9.0,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "aerial"): -9.5, ("ASSAULT", "drone"): -9.5,
    ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "crowd-control"): -7.5, ("ASSAULT", "unconventional"): -10.0,
}

# CAMEO root codes (two digits) closest to each PLOVER type, for GDELT users.
CAMEO_ROOT = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07", "CONCEDE": "08",
    "RETREAT": "08", "REQUEST": "02", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
    "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17", "ASSAULT": "18",
}

MODES = {
    "CONSULT": ["visit", "third-party", "multilateral", "phone"],
    "RETREAT": ["withdraw", "release", "disarm", "ceasefire", "access", "resign"],
    "REQUEST": ["assist", "change", "yield", "meet"],
    "REJECT": ["assist", "change", "yield", "meet"],
    "ACCUSE": ["disapprove", "investigate", "allege"],
    "THREATEN": ["restrict", "arrest", "relations", "expel", "territory", "violence"],
    "PROTEST": ["demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"],
    "SANCTION": ["convict", "expel", "withdraw", "discontinue"],
    "MOBILIZE": ["troops", "weapons", "police", "militia"],
    "COERCE": ["seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"],
    "ASSAULT": ["abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"],
}

# Keywords in a sentence that suggest a mode (checked in order; first hit wins).
MODE_KEYWORDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "ASSAULT": [
        ("suicide-attack", ("suicide",)),
        ("drone", ("drone", "uav", "unmanned")),
        ("aerial", ("air strike", "airstrike", "air raid", "warplane", "fighter jet", "jets", "bombing raid",
                    "helicopter", "aircraft", "bombed", "bombers")),
        ("unconventional", ("chemical", "nerve agent", "nuclear", "biological")),
        ("heavy-weapons", ("shell", "artillery", "rocket", "missile", "mortar", "tank", "howitzer")),
        ("explosives", ("bomb", "explosive", "ied", "landmine", "mine ", "grenade", "blast")),
        ("crowd-control", ("tear gas", "water cannon", "rubber bullet", "warning shot", "baton")),
        ("targeted", ("assassinat", "execut", "killed the", "massacre")),
        ("abduct", ("abduct", "kidnap", "hijack", "hostage", "captured")),
        ("firearms", ("gunmen", "gunfire", "shot ", "shots", "rifle", "opened fire", "shooting", "gun")),
        ("torture", ("tortur",)),
        ("sexual", ("rape", "sexual")),
        ("primitive", ("machete", "knife", "knives", "stones", "rocks", "arson", "set fire", "torched")),
        ("beat", ("beat", "beaten", "punch", "clubbed")),
        ("destroy", ("destroy", "demolish", "razed")),
    ],
    "CONSULT": [
        ("phone", ("phone", "telephone", "call", "video link", "videoconference", "video conference", "by video")),
        ("multilateral", ("summit", "g7", "g20", "general assembly", "multilateral", "conference of")),
        ("visit", ("visit", "arrive", "travel", "trip", "landed in", "hosted", "host", "flew to", "welcomed")),
    ],
    "PROTEST": [
        ("hunger", ("hunger strike",)),
        ("strike", ("strike", "walkout", "walked out", "stoppage")),
        ("riot", ("riot", "looted", "torched", "clashed with police")),
        ("boycott", ("boycott",)),
        ("obstruct", ("block", "blockade", "barricade", "sit-in", "occupied")),
        ("demo", ("protest", "rally", "march", "demonstrat", "took to the streets", "gathered")),
    ],
    "SANCTION": [
        ("convict", ("convict", "sentenced", "found guilty", "jailed for", "fined")),
        ("expel", ("expel", "persona non grata", "kicked out", "suspended from")),
        ("withdraw", ("recall", "withdr", "pulled out of", "closed its embassy", "closes its embassy")),
        ("discontinue", ("sanction", "embargo", "tariff", "cut ties", "severed", "suspend", "halt", "freeze",
                         "froze", "ban", "isolate", "blacklist")),
    ],
    "COERCE": [
        ("cyber", ("hack", "cyber")),
        ("martial-law", ("martial law", "state of emergency")),
        ("curfew", ("curfew",)),
        ("censor", ("censor", "blocked access", "banned the newspaper", "shut down the newspaper", "media outlet")),
        ("withhold", ("shut off", "cut off power", "internet shutdown", "cut off water", "cut off the internet",
                      "withheld")),
        ("deport", ("deport", "expel")),
        ("arrest", ("arrest", "detain", "jail", "imprison", "custody", "round up", "rounded up")),
        ("seize", ("seize", "seized", "raid", "confiscat", "impound", "searched", "demolish")),
        ("restrict", ("ban", "restrict", "cordon", "barred", "outlaw", "dissolved")),
    ],
    "RETREAT": [
        ("resign", ("resign", "stepped down", "step down", "quit")),
        ("release", ("release", "freed", "free ", "handed over", "swap", "exchange of prisoners")),
        ("disarm", ("disarm", "laid down", "lay down their arms", "surrendered weapons")),
        ("ceasefire", ("ceasefire", "cease-fire", "truce", "halted fire")),
        ("access", ("allowed access", "granted access", "let in", "allowed inspectors", "allow aid")),
        ("withdraw", ("withdr", "pull", "retreat", "left the", "evacuat", "surrender")),
    ],
    "MOBILIZE": [
        ("police", ("police", "riot squad", "gendarm")),
        ("militia", ("militia", "fighters", "rebel")),
        ("weapons", ("missile", "warship", "ship", "jets", "aircraft", "carrier", "weapons", "launcher",
                     "submarine", "drones", "tanks")),
        ("troops", ("troop", "soldier", "forces", "reservist", "battalion", "army", "units")),
    ],
    "THREATEN": [
        ("relations", ("cut ties", "sever", "relations", "talks", "walk away")),
        ("expel", ("expel",)),
        ("arrest", ("arrest", "detain", "jail", "prosecute")),
        ("territory", ("annex", "seize control", "take control", "territory", "occupy")),
        ("restrict", ("sanction", "blockade", "tariff", "ban", "embargo", "restrict", "boycott")),
        ("violence", ("attack", "strike", "retaliat", "force", "military", "war", "respond", "destroy", "kill")),
    ],
    "REQUEST": [
        ("meet", ("talks", "meeting", "negotiat", "dialogue", "meet")),
        ("yield", ("release", "ceasefire", "cease-fire", "lift", "withdraw", "free ", "end the", "stop")),
        ("assist", ("aid", "help", "assistance", "support", "supplies", "weapons", "funding", "loan")),
        ("change", ("resign", "reform", "change", "investigat", "step down", "policy")),
    ],
    "REJECT": [
        ("meet", ("talks", "meeting", "negotiat", "dialogue", "invitation")),
        ("yield", ("release", "ceasefire", "cease-fire", "withdraw", "demand", "ultimatum")),
        ("assist", ("aid", "help", "assistance", "offer", "request")),
        ("change", ("reform", "change", "proposal", "plan", "resolution", "bill", "policy")),
    ],
    "ACCUSE": [
        ("investigate", ("investigat", "probe", "inquiry", "inquest", "examine")),
        ("allege", ("accus", "alleg", "charg", "sue", "sued", "lawsuit", "indict", "blame")),
        ("disapprove", ("condemn", "critic", "denounc", "decr", "protest", "summon", "slam", "deplor",
                        "concern", "complain", "rebuk", "regret")),
    ],
}

CONTEXT_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("military", ("military", "troops", "soldier", "army", "navy", "missile", "weapon", "shells", "drone",
                  "artillery", "defense", "defence", "armed forces", "warship", "air force", "border guards")),
    ("diplomatic", ("diplomat", "ambassador", "embassy", "summit", "treaty", "foreign minister", "talks",
                    "bilateral", "envoy", "visit", "relations", "consul")),
    ("economic", ("trade", "tariff", "econom", "sanction", "investment", "export", "import", "currency",
                  "inflation", "loan", "debt", "budget", "oil", "gas", "wages", "pay", "prices")),
    ("legal", ("court", "judge", "law", "legal", "lawsuit", "prosecut", "tribunal", "verdict", "ruling")),
    ("human_rights", ("human rights", "rights group")),
    ("rights_freedoms", ("freedom", "press freedom", "civil liberties", "censorship")),
    ("repression", ("crackdown", "repress", "detained activists", "riot police")),
    ("territory", ("border", "territor", "shoal", "island", "annex", "demarcation", "disputed")),
    ("migration", ("refugee", "migrant", "asylum", "displaced")),
    ("health", ("health", "disease", "epidemic", "vaccine", "hospital", "outbreak")),
    ("environment", ("climate", "pollution", "environment", "emissions")),
    ("disasters", ("earthquake", "flood", "cyclone", "hurricane", "disaster", "wildfire")),
    ("terrorism", ("terror", "jihadist", "islamic state", "al-qaeda", "al qaeda", "al-shabaab")),
    ("cbrn", ("nuclear", "chemical weapon", "biological weapon", "uranium", "enrichment")),
    ("cyber", ("cyber", "hack")),
    ("election", ("election", "vote", "ballot", "campaign", "polls")),
    ("corruption", ("corrupt", "bribe", "embezzl")),
    ("crime", ("crime", "criminal", "gang", "smuggl")),
    ("natural_resource", ("mining", "miners", "mine ", "lithium", "oil field", "fisher", "fishing")),
]


def intensity(ptype: str, mode: str | None) -> float:
    return MODE_SCORE.get((ptype, mode), SCORE[ptype])


def cameo_root(ptype: str, mode: str | None) -> str:
    if ptype == "ASSAULT" and mode in ("aerial", "drone", "heavy-weapons", "firearms"):
        return "19"
    if ptype == "ASSAULT" and mode == "unconventional":
        return "20"
    return CAMEO_ROOT[ptype]


def pick_mode(ptype: str, text: str) -> str | None:
    low = " " + text.lower() + " "
    for mode, words in MODE_KEYWORDS.get(ptype, []):
        if any(w in low for w in words):
            return mode
    return None


def contexts(text: str, limit: int = 3) -> list[str]:
    low = " " + text.lower() + " "
    out = [name for name, words in CONTEXT_KEYWORDS if any(w in low for w in words)]
    return out[:limit]
