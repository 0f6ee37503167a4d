"""Event trigger lexicon: which words (verbs, light-verb + noun pairs) can report which
PLOVER event types. Candidates are ordered by preference; where a word allows several
types, the relation classifier picks among them (see ``events``).

Each entry is ``lemma -> [(type, condition), ...]``. A condition narrows a candidate:
``"obj:a|b"`` the direct object (or prepositional object) lemma must be one of a|b;
``"prep:x"`` the verb must govern preposition x; ``"prt:x"`` it must have particle x;
``"!obj:a|b"`` the object must not be one of them. No condition: always a candidate.
"""
from __future__ import annotations

import re

VERBS: dict[str, list[tuple[str, str]]] = {
    # AGREE
    "agree": [("AGREE", "")], "promise": [("AGREE", "")], "pledge": [("AGREE", "")],
    "offer": [("AGREE", "")], "commit": [("AGREE", "prep:to")], "propose": [("AGREE", "")],
    "invite": [("AGREE", "")], "accept": [("AGREE", "obj:invitation|offer|proposal|plan|deal|terms")],
    "vow": [("THREATEN", "obj:retaliation|revenge|response"), ("AGREE", "")],
    # CONSULT
    "meet": [("CONSULT", "")], "talk": [("CONSULT", "prep:with|to")], "discuss": [("CONSULT", "")],
    "negotiate": [("CONSULT", "")], "confer": [("CONSULT", "")], "consult": [("CONSULT", "")],
    "visit": [("CONSULT", "")], "host": [("CONSULT", "obj:talk|talks|meeting|summit|conference|leader|president|minister|delegation|counterpart|visit|envoy|negotiation|round|forum|dialogue|premier|king|chancellor")], "arrive": [("AID", "subj:convoy|shipment|aid|supply|consignment|airlift|cargo"), ("CONSULT", "prep:in|at")],
    "travel": [("CONSULT", "prep:to")], "fly": [("CONSULT", "prep:to")], "phone": [("CONSULT", "")],
    "telephone": [("CONSULT", "")],
    "speak": [("CONSULT", "prep:with|to")], "receive": [("CONSULT", "obj:delegation|minister|president|envoy|counterpart|leader|ambassador|visitor")],
    # SUPPORT
    "praise": [("SUPPORT", "")], "commend": [("SUPPORT", "")], "welcome": [("SUPPORT", "")],
    "endorse": [("SUPPORT", "")], "back": [("CONCEDE", "prt:down"), ("SUPPORT", "!prt:down|out|away|off")], "support": [("SUPPORT", "")],
    "thank": [("SUPPORT", "")], "congratulate": [("SUPPORT", "")], "recognize": [("SUPPORT", "")],
    "recognise": [("SUPPORT", "")], "sign": [("SUPPORT", "")], "ratify": [("SUPPORT", "")],
    "approve": [("AID", "obj:aid|loan|grant|relief|bailout|assistance|tranche|disbursement|credit"), ("SUPPORT", "")], "applaud": [("SUPPORT", "")], "hail": [("SUPPORT", "")],
    "laud": [("SUPPORT", "")], "stand": [("SUPPORT", "prep:with|behind|by"), ("SUPPORT", "text:stood with|stands with|stand with|shoulder to shoulder|stood by|stand by")], "restore": [("SUPPORT", "obj:tie|relation|relations")],
    # CONCEDE
    "apologize": [("CONCEDE", "")], "apologise": [("CONCEDE", "")], "concede": [("CONCEDE", "")],
    "pardon": [("CONCEDE", "")], "ease": [("CONCEDE", "obj:restriction|curfew|sanction|ban|rule|control|measure|blockade|lockdown|embargo")], "lift": [("CONCEDE", "obj:sanction|curfew|ban|restriction|blockade|embargo")],
    "relent": [("CONCEDE", "")], "yield": [("CONCEDE", "")], "compromise": [("CONCEDE", "")],
    # giving in, easing restrictions, acquittals, suspending protests (manual: CONCEDE)
    "relax": [("CONCEDE", "obj:restriction|curfew|sanction|ban|rule|control|measure|blockade|lockdown|embargo|requirement|law")],
    "loosen": [("CONCEDE", "obj:restriction|curfew|sanction|ban|rule|control|measure|blockade|lockdown|embargo|grip")],
    "scrap": [("CONCEDE", "obj:restriction|curfew|ban|tax|tariff|levy|hike|decree|requirement|reform|bill|law")],
    "repeal": [("CONCEDE", "obj:restriction|curfew|ban|tax|tariff|levy|decree|law|bill|sanction|measure")],
    "rescind": [("CONCEDE", "obj:restriction|curfew|ban|tax|tariff|decree|order|law|sanction|measure|decision|expulsion")],
    "revoke": [("CONCEDE", "obj:restriction|curfew|ban|tax|tariff|decree|law|sanction|measure|emergency")],
    "remove": [("CONCEDE", "obj:restriction|curfew|ban|sanction|tariff|blockade|embargo|checkpoint|barrier|roadblock")],
    "drop": [("ASSAULT", "obj:bomb|munition|explosive|grenade"), ("CONCEDE", "obj:charge|demand|objection|opposition|claim|lawsuit|case|precondition|condition|tariff|sanction|veto|investigation|probe|inquiry|prosecution|indictment")],
    "reverse": [("CONCEDE", "obj:decision|ban|policy|order|decree|course|move")],
    "backtrack": [("CONCEDE", "")], "acquiesce": [("CONCEDE", "")], "cave": [("CONCEDE", "")],
    "climb": [("CONCEDE", "prt:down")], "acquit": [("CONCEDE", "")], "exonerate": [("CONCEDE", "")],
    "bow": [("CONCEDE", "prep:to&obj:pressure|demand|protest|call|criticism")],
    "soften": [("CONCEDE", "obj:stance|position|rule|restriction|law|demand|line")],
    "call": [("REQUEST", "prep:for|on"), ("CONCEDE", "prt:off&obj:strike|protest|demonstration|boycott|march|rally|walkout|blockade|sit-in"),
             ("REJECT", "prt:off&obj:talk|talks|visit|meeting|summit|negotiation|trip"), ("CONSULT", "phonecall"),
             ("MOBILIZE", "prt:up&obj:reservist|reserve|conscript|recruit|troop|soldier|guardsman|guard|volunteer")],
    # COOPERATE
    "cooperate": [("COOPERATE", "")], "collaborate": [("COOPERATE", "")], "extradite": [("COOPERATE", "")],
    "partner": [("COOPERATE", "")],
    # sharing intelligence, judicial handovers, coordinated policy (manual: COOPERATE)
    "share": [("COOPERATE", "obj:intelligence|information|data|technology|expertise|evidence|know-how|indicator|finding|sample|record")],
    "exchange": [("RETREAT", "obj:prisoner|captive|detainee|hostage|pow|body|remains"),
                 ("COOPERATE", "obj:intelligence|information|data|evidence|technology|expertise"), ("ASSAULT", "obj:fire|gunfire")],
    "coordinate": [("COOPERATE", "obj:effort|position|policy|response|patrol|strategy")],
    "team": [("COOPERATE", "prt:up&prep:with")],
    # AID
    "aid": [("AID", "")], "assist": [("AID", "")], "help": [("AID", "")], "provide": [("AID", "")],
    "supply": [("AID", "")], "deliver": [("AID", "obj:aid|food|supply|weapon|arm|missile|shell|ammunition|medicine|assistance|tent|water|vaccine|fuel|equipment|drone|tank")],
    "donate": [("AID", "")], "grant": [("AID", "obj:asylum|aid|loan|assistance|fund|visa")],
    "give": [("CONCEDE", "prt:in"), ("RETREAT", "prt:up&obj:weapon|arm|territory|control|position|town|city|hostage|prisoner"),
             ("CONCEDE", "prt:up&obj:claim|demand|opposition|bid"),
             ("AID", "obj:aid|money|weapon|arm|asylum|loan|assistance|fund|support&!prt:up|in|back|away|out|off")],
    "fund": [("AID", "")], "finance": [("AID", "")], "ship": [("AID", "")], "lend": [("AID", "")],
    "rescue": [("AID", "")], "evacuate": [("RETREAT", "obj:troop|soldier|force|garrison|personnel"), ("AID", "")], "transfer": [("AID", "obj:weapon|arm|missile|shell|fund|money|ammunition")],
    "send": [("MOBILIZE", "obj:troop|soldier|warship|force|jet|battalion|unit|police|patrol|reinforcement|tank|vehicle|frigate|carrier|submarine|marine|destroyer|warplane|bomber|fighter|gunboat|paratrooper|commando|artillery|armour|armor|missile|brigade|division|regiment|platoon|contingent|detachment|peacekeeper"),
             ("AID", "obj:aid|food|supply|supplies|weapon|arm|missile|shell|ammunition|medicine|assistance|team|doctor|tent|rescuer|money|fund|equipment|kit|generator|vaccine|water|fuel|plane|aircraft|ship|engineer|expert|medic")],
    "airlift": [("AID", "")],
    # AID: loans and grants approved or paid out, debt forgiven, aid convoys arriving (manual: AID
    # "monetary aid ... grants, gifts and credit", "debt forgiveness and loan cancellations")
    "disburse": [("AID", "obj:million|billion|fund|funding|money|aid|grant|tranche|loan|assistance|payment")],
    "forgive": [("AID", "obj:debt|loan")], "write": [("AID", "prt:off&obj:debt|loan")],
    "reach": [("AID", "subj:convoy|shipment|aid|supply|consignment|airlift|cargo&objplace")],
    # RETREAT
    "retreat": [("RETREAT", "")], "pull": [("RETREAT", "prt:back|out")], "retaliate": [("ASSAULT", "")],
    "respond": [("ASSAULT", "modal")], "move": [("MOBILIZE", "subj:troop|soldier|force|tank|unit|warship|army|battalion"), ("MOBILIZE", "obj:troop|soldier|force|tank|unit|warship|battalion|battery|missile|artillery|brigade|division|jet|bomber|carrier|submarine|destroyer|frigate|reinforcement")], "withdraw": [("RETREAT", "obj:troop|force|soldier|unit|army|personnel|fighter|tank|warship"),
                 ("SANCTION", "noobj&prep:from&obj:treaty|agreement|deal|accord|pact|talk|talks|negotiation|organization|organisation|alliance|bloc|convention|mission|court|council|process|initiative|framework"),
                 ("RETREAT", "noobj&!obj:race|election|contest|competition|tournament|bid|candidacy|championship|market|sale|offer"),
                 ("SANCTION", "obj:ambassador|envoy|support|aid|funding|recognition|diplomat|peacekeeper|observer|monitor|inspector|mission"), ("CONCEDE", "obj:bill|decree|law|plan|demand|proposal|charge|lawsuit|complaint|measure|reform|tax")],
    "release": [("AID", "obj:million|billion|fund|funding|money|aid|grant|tranche|loan"),
                ("RETREAT", "!obj:statement|report|video|footage|figure|data|result|detail|album|film|book|image|photo|name|list|document|record|song|product|version|update|guideline|plan|budget|forecast|study|information")],
    "free": [("RETREAT", "")], "disarm": [("RETREAT", "noobj")],
    "return": [("RETREAT", "obj:territory|land|property|asset|vessel|ship|boat|prisoner|detainee|hostage|captive|fisherman|crew|body|remains")],
    "participate": [("AID", "text:peacekeeping|peace-keeping|peacekeepers")],
    "surrender": [("RETREAT", "")], "resign": [("RETREAT", "")], "evacuate_forces": [("RETREAT", "")],
    "demobilize": [("RETREAT", "")], "demobilise": [("RETREAT", "")], "repatriate": [("RETREAT", "")],
    # withdrawing, ceding, disarming, observing a ceasefire, releasing, resigning (manual: RETREAT)
    "cede": [("RETREAT", "obj:territory|control|land|town|city|area|region|island|village|ground|province")],
    "hand": [("RETREAT", "prt:over|back&obj:territory|town|city|village|control|area|region|base|weapon|arm|prisoner|hostage|captive|detainee|body|remains|land|island"),
             ("COOPERATE", "prt:over&obj:suspect|fugitive")],
    "lay": [("RETREAT", "prt:down&obj:arm|weapon")],
    "disband": [("RETREAT", "obj:militia|brigade|battalion|wing|unit&!subj:government|authority|court|parliament")],
    "step": [("RETREAT", "prt:down|aside&finite"),
             ("MOBILIZE", "prt:up&obj:patrol|presence|deployment|surveillance|troop|force"),
             ("ASSAULT", "prt:up&obj:attack|strike|airstrike|bombing|shelling|offensive|raid|bombardment")], "quit": [("RETREAT", "obj:post|office|job|presidency|premiership|role|seat|cabinet")],
    "observe": [("RETREAT", "obj:ceasefire|cease-fire|truce")], "respect": [("RETREAT", "obj:ceasefire|cease-fire|truce")],
    "halt": [("RETREAT", "obj:fighting|attack|offensive|hostility|hostilities|bombing|shelling|airstrike|advance|assault|incursion"),
             ("SANCTION", "obj:aid|export|import|shipment|delivery|trade|flight|funding|assistance|cooperation|supply")],
    "cease": [("RETREAT", "obj:fighting|attack|offensive|hostility|hostilities|bombing|shelling|airstrike|fire")],
    "stop": [("RETREAT", "obj:fighting|attack|offensive|hostility|hostilities|bombing|shelling|airstrike|advance")],
    # REQUEST
    "ask": [("REQUEST", "")], "request": [("REQUEST", "")], "urge": [("REQUEST", "")],
    "demand": [("REQUEST", "")], "appeal": [("REQUEST", "")], "seek": [("REQUEST", "obj:help|aid|assistance|support|talks|extradition|release|loan|asylum|clarification|explanation|meeting|ceasefire")],
    "plead": [("REQUEST", "")], "petition": [("REQUEST", "")], "press": [("REQUEST", "obj:*person")],
    "implore": [("REQUEST", "")], "order": [("SANCTION", "xcomp:leave|depart|quit"),
              ("COERCE", "xcomp:suspend|close|shut|halt|stop|cease&text:publication|newspaper|broadcast|station|channel|outlet|website"),
              ("REQUEST", "")], "turn": [("REQUEST", "text:for assistance|for help|for aid|for support|for weapons|for funding|for money")],
    # ACCUSE
    "accuse": [("ACCUSE", "")], "blame": [("ACCUSE", "")], "condemn": [("ACCUSE", "")],
    "criticize": [("ACCUSE", "")], "criticise": [("ACCUSE", "")], "denounce": [("ACCUSE", "")],
    "decry": [("ACCUSE", "")], "slam": [("ACCUSE", "")], "charge": [("ACCUSE", "")],
    "allege": [("ACCUSE", "")], "sue": [("ACCUSE", "")], "investigate": [("ACCUSE", "")],
    "probe": [("ACCUSE", "")], "summon": [("ACCUSE", "")], "rebuke": [("ACCUSE", "")],
    "complain": [("ACCUSE", "")], "indict": [("ACCUSE", "")], "castigate": [("ACCUSE", "")],
    "lambast": [("ACCUSE", "")], "lambaste": [("ACCUSE", "")], "deplore": [("ACCUSE", "")],
    "chide": [("ACCUSE", "")], "scold": [("ACCUSE", "")], "fault": [("ACCUSE", "")],
    "protest": [("PROTEST", ""), ("ACCUSE", "")], "hold": [("ACCUSE", "comp:responsible|accountable|liable|culpable&mainverb")], "object": [("ACCUSE", "prep:to")],
    # REJECT
    "reject": [("REJECT", "")], "deny": [("REJECT", "")], "refuse": [("REJECT", "!xcomp:confirm|comment|say|discuss|disclose|elaborate|speculate|answer|give|identify|name|reveal")],
    "dismiss": [("REJECT", "")], "rebuff": [("REJECT", "")], "veto": [("REJECT", "")],
    "decline": [("REJECT", "!xcomp:confirm|comment|say|discuss|disclose|elaborate|speculate|answer|give|identify|name|reveal")], "oppose": [("REJECT", "")], "refute": [("REJECT", "")],
    "repudiate": [("REJECT", "")], "spurn": [("REJECT", "")], "cancel": [("AID", "obj:debt"), ("REJECT", "")],
    "boycott": [("PROTEST", "")],
    # THREATEN
    "threaten": [("THREATEN", "")], "warn": [("THREATEN", ""), ("ACCUSE", "")],
    "menace": [("THREATEN", "")], "declare": [("SANCTION", "text:persona non grata")],
    # PROTEST
    "demonstrate": [("PROTEST", "")], "rally": [("PROTEST", "")], "march": [("PROTEST", "")],
    "riot": [("PROTEST", "")], "picket": [("PROTEST", "")], "strike": [("ASSAULT", "")],
    "blockade": [("PROTEST", "subj:protester|demonstrator|farmer|worker|driver|trucker|miner|activist|student|villager|resident|union|teacher|fisherman|fishermen|taxi|crowd|people"),
                 ("COERCE", "!subj:protester|demonstrator|farmer|worker|driver|trucker|miner|activist|student|villager|resident|union|teacher|fisherman|fishermen|taxi|crowd|people")],
    # SANCTION
    "sanction": [("SANCTION", "")], "isolate": [("SANCTION", "")], "embargo": [("SANCTION", "")],
    "expel": [("SANCTION", "obj:diplomat|ambassador|envoy|attache|consul|staff|inspector|peacekeeper|observer|monitor|mission"),
              ("SANCTION", "obj:worker|workers|agency|agencies|group|groups|organisation|organization|ngo|ngos&text:aid|humanitarian|relief|charity|charities|ngo"),
              ("COERCE", "")],
    "blacklist": [("SANCTION", "")], "recall": [("SANCTION", "obj:ambassador|envoy|diplomat")],
    "convict": [("SANCTION", "")], "sentence": [("SANCTION", "")], "fine": [("SANCTION", "")],
    "suspend": [("SANCTION", "obj:aid|tie|relation|relations|trade|talks|flight|cooperation|membership|export|import|funding|agreement|fund|assistance|program|programme|visa|shipment|delivery|loan|grant|payment|accreditation|license|licence"),
                ("CONCEDE", "obj:protest|strike|demonstration|boycott|march|sit-in|walkout|blockade|attack|offensive|hostility|hostilities|execution|curfew|tax|tariff|hike|deportation|eviction|demolition"),
                ("CONCEDE", "obj:project|construction|plan|law|decree|reform|bill|policy|work&text:protest|criticism|outcry|opposition|pressure|backlash|demonstration|complaint"),
                ("SANCTION", "prep:from")],  # "suspended Guinea-Bissau from the bloc": membership
    "end": [("CONCEDE", "obj:curfew|lockdown|emergency|blockade|boycott"),
            ("CONCEDE", "obj:strike|protest|sit-in|walkout|march&subj:union|worker|teacher|doctor|nurse|protester|demonstrator|student|miner|driver|employee|activist|farmer|opposition")],
    "freeze": [("SANCTION", "obj:asset|account|fund|tie|relation|aid|reserve|holding|property|funding|talks|cooperation")],
    "sever": [("SANCTION", "")], "downgrade": [("SANCTION", "obj:tie|relation|relations")],
    "cut": [("COERCE", "prt:off&obj:internet|power|electricity|water|access|communication|phone|network|service|supply"),
            ("SANCTION", "obj:tie|relation|relations|aid|funding|export|import|supply")],
    "reduce": [("SANCTION", "obj:tie|relation|relations|aid|funding|assistance|export|import|supply|presence|staff")],
    "slash": [("SANCTION", "obj:aid|funding|assistance|export|import|supply")],
    # MOBILIZE
    "deploy": [("MOBILIZE", "")], "dispatch": [("MOBILIZE", "obj:troop|soldier|warship|force|jet|battalion|unit|police|patrol|reinforcement|tank|vehicle|frigate|missile|ship|aircraft"), ("AID", "")], "mobilize": [("MOBILIZE", "")], "mobilise": [("MOBILIZE", "")],
    "mass": [("MOBILIZE", "")], "station": [("MOBILIZE", "")], "reinforce": [("MOBILIZE", "obj:troop|force|position|presence|border|frontier|defence|defense|garrison|unit|patrol|security|line|base|contingent|military|army|deployment|outpost")],
    "scramble": [("MOBILIZE", "")], "cross": [("MOBILIZE", "obj:line|border|boundary|frontier")],
    "patrol": [("MOBILIZE", "")], "launch": [("ASSAULT", "obj:attack|strike|offensive|raid|assault|airstrike|bombardment|invasion|missile|rocket|drone"),
                                              ("MOBILIZE", "obj:exercise|drill|patrol")],
    "conduct": [("ASSAULT", "obj:strike|airstrike|raid|attack|bombardment"), ("MOBILIZE", "obj:exercise|drill|patrol|test")],
    "test": [("MOBILIZE", "obj:missile|rocket|weapon")], "test-fire": [("MOBILIZE", "")],
    # COERCE
    "arrest": [("COERCE", "")], "detain": [("COERCE", "")], "seize": [("COERCE", "")],
    "raid": [("COERCE", "")], "confiscate": [("COERCE", "")], "deport": [("COERCE", "")],
    "jail": [("COERCE", "")], "imprison": [("COERCE", "")], "censor": [("COERCE", "")],
    "ban": [("SANCTION", "obj:import|export|flight|shipment|trade"), ("COERCE", "")], "block": [("COERCE", "")], "restrict": [("COERCE", "")],
    "hack": [("COERCE", "")], "demolish": [("COERCE", "")], "evict": [("COERCE", "")],
    "impound": [("COERCE", "")], "intercept": [("COERCE", "")], "blockade_state": [("COERCE", "")],
    "disperse": [("COERCE", "")], "outlaw": [("COERCE", "")], "shut": [("COERCE", "prt:down")],
    "crack": [("COERCE", "prt:down")], "round": [("COERCE", "prt:up")],
    # ASSAULT
    "attack": [("ASSAULT", "")], "bomb": [("ASSAULT", "")], "shell": [("ASSAULT", "")],
    "kill": [("ASSAULT", "")], "shoot": [("ASSAULT", "")], "fire": [("ASSAULT", "obj:shot|missile|rocket|shell|round|bullet|gun|gunfire|salvo|mortar|gas|canister|grenade|artillery|projectile|volley|cannon|torpedo|drone|weapon|pellet|barrage|flare|munition|live|ammunition|tear"),
             ("ASSAULT", "fireprep"), ("ASSAULT", "noobj&nopass")],
    "hit": [("ASSAULT", "")], "invade": [("ASSAULT", "")], "assault": [("ASSAULT", "")],
    "ambush": [("ASSAULT", "")], "assassinate": [("ASSAULT", "")], "execute": [("ASSAULT", "obj:*person")],
    "kidnap": [("ASSAULT", "")], "abduct": [("ASSAULT", "")], "torture": [("ASSAULT", "")],
    "clash": [("ASSAULT", "")], "wound": [("ASSAULT", "")], "injure": [("ASSAULT", "")],
    "massacre": [("ASSAULT", "")], "storm": [("ASSAULT", "")], "pound": [("ASSAULT", "")],
    "bombard": [("ASSAULT", "")], "target": [("ASSAULT", "")], "beat": [("ASSAULT", "")],
    "torch": [("ASSAULT", "")], "rape": [("ASSAULT", "")], "destroy": [("ASSAULT", "")],
    "capture": [("ASSAULT", "")], "fight": [("ASSAULT", "prep:against|with")], "behead": [("ASSAULT", "")],
    "shoot down": [("ASSAULT", "")], "occupy": [("ASSAULT", "")], "ram": [("ASSAULT", "")],
    "harass": [("COERCE", "")],
    # MOBILIZE: moving or readying forces short of force (manual MOBILIZE troops/weapons/police)
    "amass": [("MOBILIZE", "")], "redeploy": [("MOBILIZE", "obj:troop|soldier|force|unit|warship|jet|battalion|tank|missile|police")],
    "position": [("MOBILIZE", "obj:troop|soldier|force|unit|warship|jet|battalion|tank|missile|artillery|launcher|vessel")],
    "bolster": [("MOBILIZE", "obj:presence|force|troop|deployment|garrison|defence|defense|patrol")],
    "beef": [("MOBILIZE", "prt:up&obj:presence|force|troop|deployment|garrison|defence|defense|patrol|security")],
    # ASSAULT: mounting or unleashing attacks (manual ASSAULT)
    "mount": [("ASSAULT", "obj:attack|offensive|assault|raid|ambush|airstrike|strike|incursion|counteroffensive|counterattack")],
    "unleash": [("ASSAULT", "obj:attack|barrage|strike|airstrike|offensive|violence|assault|bombardment|missile|rocket|drone")],
    "gun": [("ASSAULT", "prt:down")], "stab": [("ASSAULT", "")], "murder": [("ASSAULT", "")],
    # COERCE: prohibiting, barring and house arrest (manual COERCE restrict, arrest, censor)
    "prohibit": [("COERCE", "")],
    "bar": [("REJECT", "text:from entering|entry into|from entry|barred entry&mainverb"), ("COERCE", "mainverb")],
}

# Light verb + object noun (lemmas) -> type. Checked before VERBS.
LIGHT: dict[tuple[str, str], str] = {
    ("hold", "talk"): "CONSULT", ("hold", "talks"): "CONSULT", ("hold", "meeting"): "CONSULT",
    ("hold", "call"): "CONSULT", ("have", "call"): "CONSULT", ("hold", "discussion"): "CONSULT",
    ("hold", "summit"): "CONSULT", ("pay", "visit"): "CONSULT", ("make", "visit"): "CONSULT",
    ("make", "call"): "CONSULT", ("hold", "negotiation"): "CONSULT", ("make", "trip"): "CONSULT",
    ("express", "gratitude"): "SUPPORT", ("express", "support"): "SUPPORT", ("express", "solidarity"): "SUPPORT",
    ("express", "condolence"): "SUPPORT", ("express", "appreciation"): "SUPPORT", ("voice", "support"): "SUPPORT",
    ("extend", "congratulation"): "SUPPORT", ("offer", "condolence"): "SUPPORT", ("pledge", "support"): "SUPPORT",
    ("express", "concern"): "ACCUSE", ("voice", "concern"): "ACCUSE", ("raise", "concern"): "ACCUSE",
    ("express", "regret"): "CONCEDE", ("lodge", "protest"): "ACCUSE", ("file", "complaint"): "ACCUSE",
    ("file", "lawsuit"): "ACCUSE", ("bring", "charge"): "ACCUSE", ("file", "charge"): "ACCUSE",
    ("launch", "mediation"): "CONSULT", ("begin", "mediation"): "CONSULT", ("start", "mediation"): "CONSULT",
    ("end", "mediation"): "SANCTION", ("suspend", "mediation"): "SANCTION", ("halt", "mediation"): "SANCTION",
    ("abandon", "mediation"): "SANCTION",
    ("open", "talk"): "CONSULT", ("open", "talks"): "CONSULT", ("open", "negotiation"): "CONSULT",
    ("open", "dialogue"): "CONSULT", ("launch", "talks"): "CONSULT", ("launch", "dialogue"): "CONSULT",
    ("launch", "investigation"): "ACCUSE", ("open", "investigation"): "ACCUSE", ("launch", "probe"): "ACCUSE",
    ("open", "probe"): "ACCUSE", ("issue", "warning"): "THREATEN", ("issue", "ultimatum"): "THREATEN",
    ("issue", "threat"): "THREATEN", ("make", "threat"): "THREATEN",
    ("impose", "sanction"): "SANCTION", ("impose", "sanctions"): "SANCTION", ("impose", "tariff"): "SANCTION",
    ("impose", "embargo"): "SANCTION", ("announce", "sanction"): "SANCTION", ("slap", "sanction"): "SANCTION",
    ("impose", "ban"): "COERCE", ("impose", "curfew"): "COERCE", ("declare", "emergency"): "COERCE",
    ("impose", "restriction"): "COERCE", ("impose", "blockade"): "COERCE",
    ("stage", "protest"): "PROTEST", ("stage", "rally"): "PROTEST", ("stage", "demonstration"): "PROTEST",
    ("stage", "strike"): "PROTEST", ("hold", "protest"): "PROTEST", ("hold", "rally"): "PROTEST",
    ("hold", "demonstration"): "PROTEST", ("go", "strike"): "PROTEST", ("take", "street"): "PROTEST",
    ("launch", "strike"): "PROTEST_OR_ASSAULT", ("call", "strike"): "PROTEST",
    ("carry", "attack"): "ASSAULT", ("carry", "strike"): "ASSAULT", ("carry", "raid"): "ASSAULT",
    ("open", "fire"): "ASSAULT", ("fire", "shot"): "ASSAULT", ("fire", "missile"): "ASSAULT",
    ("fire", "rocket"): "ASSAULT", ("fire", "shell"): "ASSAULT", ("fire", "round"): "ASSAULT",
    ("provide", "support"): "AID", ("sign", "agreement"): "SUPPORT", ("sign", "deal"): "SUPPORT",
    ("sign", "treaty"): "SUPPORT", ("reach", "agreement"): "SUPPORT", ("reach", "deal"): "SUPPORT",
    ("strike", "deal"): "SUPPORT", ("seal", "deal"): "SUPPORT", ("clinch", "deal"): "SUPPORT",
    ("seal", "agreement"): "SUPPORT", ("clinch", "agreement"): "SUPPORT", ("conclude", "agreement"): "SUPPORT",
    ("conclude", "deal"): "SUPPORT", ("conclude", "treaty"): "SUPPORT", ("finalize", "deal"): "SUPPORT",
    ("finalise", "deal"): "SUPPORT", ("finalize", "agreement"): "SUPPORT", ("finalise", "agreement"): "SUPPORT",
    ("agree", "deal"): "SUPPORT", ("agree", "agreement"): "SUPPORT", ("agree", "accord"): "SUPPORT",
    ("agree", "pact"): "SUPPORT", ("agree", "treaty"): "SUPPORT", ("reach", "accord"): "SUPPORT", ("reach", "ceasefire"): "AGREE", ("declare", "ceasefire"): "CONCEDE",
    ("announce", "ceasefire"): "CONCEDE", ("hold", "exercise"): "MOBILIZE", ("hold", "drill"): "MOBILIZE",
    ("stage", "exercise"): "MOBILIZE", ("stage", "drill"): "MOBILIZE", ("conduct", "exercise"): "MOBILIZE",
    ("put", "alert"): "MOBILIZE", ("cut", "tie"): "SANCTION", ("sever", "tie"): "SANCTION",
    ("close", "embassy"): "SANCTION", ("close", "border"): "COERCE", ("turn", "street"): "PROTEST",
    ("make", "concession"): "CONCEDE", ("grant", "amnesty"): "CONCEDE",
    ("reserve", "right"): "THREATEN",  # "Iran reserved the right to respond": the diplomatic threat
    ("begin", "exercise"): "MOBILIZE", ("start", "exercise"): "MOBILIZE", ("launch", "exercise"): "MOBILIZE",
    ("begin", "drill"): "MOBILIZE", ("start", "drill"): "MOBILIZE", ("launch", "drill"): "MOBILIZE",
    ("take", "position"): "MOBILIZE", ("order", "detention"): "COERCE", ("order", "arrest"): "COERCE", ("order", "release"): "CONCEDE",
    ("issue", "warrant"): "THREATEN", ("impose", "travel ban"): "SANCTION", ("deliver", "warning"): "THREATEN",
    ("give", "hour"): "THREATEN", ("give", "day"): "THREATEN", ("give", "deadline"): "THREATEN",
    ("set", "deadline"): "THREATEN", ("issue", "deadline"): "THREATEN", ("hold", "talks"): "CONSULT",
    ("block", "highway"): "PROTEST", ("block", "road"): "PROTEST", ("block", "street"): "PROTEST",
    ("hand", "protest"): "ACCUSE", ("deliver", "protest"): "ACCUSE", ("send", "troop"): "MOBILIZE",
    # CONCEDE: apologies, pardons, promised concessions, announced (not yet carried out) truces and withdrawals
    ("offer", "concession"): "CONCEDE", ("promise", "concession"): "CONCEDE", ("grant", "concession"): "CONCEDE",
    ("issue", "pardon"): "CONCEDE", ("grant", "pardon"): "CONCEDE", ("issue", "apology"): "CONCEDE",
    ("offer", "apology"): "CONCEDE", ("make", "apology"): "CONCEDE", ("express", "remorse"): "CONCEDE",
    ("declare", "truce"): "CONCEDE", ("announce", "truce"): "CONCEDE", ("announce", "withdrawal"): "CONCEDE",
    # RETREAT: withdrawals under way, access for observers and aid workers, resignations, holding fire
    ("begin", "withdrawal"): "RETREAT", ("start", "withdrawal"): "RETREAT", ("complete", "withdrawal"): "RETREAT",
    ("grant", "access"): "RETREAT", ("allow", "access"): "RETREAT", ("give", "access"): "RETREAT",
    ("lift", "siege"): "RETREAT", ("hold", "fire"): "RETREAT", ("announce", "resignation"): "RETREAT",
    ("tender", "resignation"): "RETREAT", ("submit", "resignation"): "RETREAT", ("hand", "resignation"): "RETREAT",
    # COOPERATE: joint ventures, joining forces; MOBILIZE: exercises and manoeuvres (joint ones become COOPERATE)
    ("join", "force"): "COOPERATE", ("form", "venture"): "COOPERATE", ("set", "venture"): "COOPERATE",
    ("launch", "venture"): "COOPERATE", ("establish", "venture"): "COOPERATE",
    ("carry", "exercise"): "MOBILIZE", ("carry", "drill"): "MOBILIZE", ("begin", "patrol"): "MOBILIZE",
    ("start", "patrol"): "MOBILIZE", ("hold", "manoeuvre"): "MOBILIZE", ("hold", "maneuver"): "MOBILIZE",
    ("stage", "manoeuvre"): "MOBILIZE", ("stage", "maneuver"): "MOBILIZE", ("conduct", "maneuver"): "MOBILIZE",
    ("conduct", "manoeuvre"): "MOBILIZE",
    # PROTEST: strikes begun or joined, roads and traffic blocked (manual: PROTEST strike, obstruct)
    ("join", "strike"): "PROTEST", ("begin", "strike"): "PROTEST_OR_ASSAULT", ("start", "strike"): "PROTEST_OR_ASSAULT",
    ("announce", "strike"): "PROTEST_OR_ASSAULT", ("take", "road"): "PROTEST", ("block", "traffic"): "PROTEST",
    ("order", "attack"): "ASSAULT", ("order", "strike"): "ASSAULT", ("order", "airstrike"): "ASSAULT",
    ("order", "offensive"): "ASSAULT", ("order", "raid"): "ASSAULT", ("order", "bombing"): "ASSAULT",
    ("order", "sanction"): "SANCTION", ("close", "crossing"): "COERCE", ("suspend", "publication"): "COERCE",
    ("host", "dinner"): "CONSULT", ("host", "banquet"): "CONSULT", ("host", "lunch"): "CONSULT",
    ("launch", "operation"): "OPERATION_NOMINAL", ("begin", "operation"): "OPERATION_NOMINAL",
    ("start", "operation"): "OPERATION_NOMINAL", ("conduct", "operation"): "OPERATION_NOMINAL",
    ("open", "border"): "BORDER_NOMINAL", ("accept", "refugee"): "AID", ("admit", "refugee"): "AID",
    ("resettle", "refugee"): "AID", ("accept", "migrant"): "AID", ("accept", "asylum-seeker"): "AID",
    ("down", "tool"): "PROTEST", ("stage", "walkout"): "PROTEST", ("stage", "sit-in"): "PROTEST",
    ("hold", "sit-in"): "PROTEST", ("stage", "march"): "PROTEST",
    # SANCTION: punitive trade measures and sanctions adopted or announced, relations broken off
    # (manual SANCTION discontinue: "International (political or economic) sanctions")
    ("impose", "levy"): "SANCTION", ("impose", "duty"): "SANCTION", ("impose", "tariffs"): "SANCTION",
    ("slap", "tariff"): "SANCTION", ("slap", "duty"): "SANCTION", ("slap", "levy"): "SANCTION",
    ("raise", "tariff"): "SANCTION", ("hike", "tariff"): "SANCTION", ("levy", "tariff"): "SANCTION",
    ("approve", "sanction"): "SANCTION", ("adopt", "sanction"): "SANCTION", ("agree", "sanction"): "SANCTION",
    ("unveil", "sanction"): "SANCTION", ("introduce", "sanction"): "SANCTION", ("extend", "sanction"): "SANCTION",
    ("tighten", "sanction"): "SANCTION", ("expand", "sanction"): "SANCTION", ("impose", "penalty"): "SANCTION",
    ("break", "tie"): "SANCTION", ("break", "relation"): "SANCTION", ("impose", "freeze"): "SANCTION",
    ("take", "countermeasure"): "SANCTION", ("announce", "countermeasure"): "SANCTION",
    ("announce", "suspension"): "SANCTION_NOMINAL", ("order", "suspension"): "SANCTION_NOMINAL",
    ("announce", "expulsion"): "EXPEL_NOMINAL", ("order", "expulsion"): "EXPEL_NOMINAL",
    # MOBILIZE: deployments ordered or announced, forces readied (manual MOBILIZE)
    ("order", "deployment"): "MOBILIZE", ("announce", "deployment"): "MOBILIZE", ("approve", "deployment"): "MOBILIZE",
    ("authorize", "deployment"): "MOBILIZE", ("authorise", "deployment"): "MOBILIZE", ("begin", "deployment"): "MOBILIZE",
    ("place", "alert"): "MOBILIZE", ("put", "readiness"): "MOBILIZE", ("place", "readiness"): "MOBILIZE",
    ("raise", "alert"): "MOBILIZE", ("increase", "presence"): "MOBILIZE", ("boost", "presence"): "MOBILIZE",
    ("order", "mobilization"): "MOBILIZE", ("order", "mobilisation"): "MOBILIZE", ("announce", "mobilization"): "MOBILIZE",
    ("announce", "mobilisation"): "MOBILIZE",
    # COERCE: house arrest, custody, curfews, martial law, blackouts (manual COERCE arrest, curfew, martial-law, censor)
    ("place", "arrest"): "COERCE", ("put", "arrest"): "COERCE", ("take", "custody"): "COERCE",
    ("enforce", "curfew"): "COERCE", ("declare", "curfew"): "COERCE", ("impose", "lockdown"): "COERCE",
    ("impose", "blackout"): "COERCE", ("declare", "martial law"): "COERCE", ("impose", "martial law"): "COERCE", ("extend", "martial law"): "COERCE",
    ("extend", "curfew"): "COERCE", ("impose", "emergency"): "COERCE", ("extend", "emergency"): "COERCE",
    ("carry", "arrest"): "COERCE", ("make", "arrest"): "COERCE", ("carry", "search"): "COERCE",
    # ASSAULT: attacks carried out, mounted or staged (manual ASSAULT)
    ("carry", "airstrike"): "ASSAULT", ("carry", "bombing"): "ASSAULT", ("carry", "assault"): "ASSAULT",
    ("carry", "ambush"): "ASSAULT", ("carry", "shelling"): "ASSAULT", ("carry", "bombardment"): "ASSAULT",
    ("stage", "attack"): "ASSAULT", ("stage", "raid"): "ASSAULT", ("stage", "ambush"): "ASSAULT",
    ("launch", "airstrike"): "ASSAULT", ("fire", "salvo"): "ASSAULT", ("fire", "gas"): "ASSAULT",
    # ACCUSE: inquiries opened, suits filed (manual ACCUSE investigate, allege)
    ("launch", "inquiry"): "ACCUSE", ("open", "inquiry"): "ACCUSE", ("order", "inquiry"): "ACCUSE",
    ("order", "investigation"): "ACCUSE", ("begin", "investigation"): "ACCUSE", ("start", "investigation"): "ACCUSE",
    ("file", "suit"): "ACCUSE", ("bring", "suit"): "ACCUSE", ("bring", "lawsuit"): "ACCUSE", ("bring", "case"): "ACCUSE",
    ("file", "case"): "ACCUSE", ("lodge", "complaint"): "ACCUSE", ("issue", "condemnation"): "ACCUSE",
    ("lodge", "case"): "ACCUSE",
    # THREATEN: warnings and threats delivered (manual THREATEN)
    ("make", "threats"): "THREATEN", ("issue", "threats"): "THREATEN", ("send", "warning"): "THREATEN",
    ("give", "warning"): "THREATEN",
    # AID: aid provided, delivered or approved
    ("deliver", "assistance"): "AID", ("provide", "assistance"): "AID", ("extend", "loan"): "AID",
    ("extend", "credit"): "AID", ("grant", "relief"): "AID", ("approve", "relief"): "AID",
}

# Promise verbs whose content, when it is a retreat or concession by the promiser, makes the
# promise itself a CONCEDE ("agreed to withdraw", "pledged to lift the curfew").
COMMISSIVE = {"agree", "promise", "pledge", "vow", "offer"}

# Governors whose content has not happened: "urged X to release", "threatened to impose",
# "pledged to disarm", "offered to help". The governor is the event; its content is not.
CONTENT_GOVERNORS = {"urge", "ask", "call", "demand", "appeal", "request", "press", "plead", "implore",
                     "order", "threaten", "vow", "pledge", "promise", "offer", "agree", "propose", "invite",
                     "seek", "want", "hope", "plan", "intend", "aim", "try", "attempt", "refuse", "decline",
                     "encourage", "push", "warn", "advise", "tell", "allow", "permit", "expect"}
# Words of sport. Matched as whole words ("striker" is not "hunger strikers", "scored" not
# "underscored", "batter" not "battery"); "league" is not one of them (the Arab League, the Awami
# League). SPORTS_SENTENCE_WORDS are the ones that mark a single sentence as sport play on their
# own; the rest only count towards a match report (three different words in a story).
SPORTS_SENTENCE_WORDS = ("wicket", "innings", "batsman", "bowler", "goalkeeper", "striker", "midfielder",
                         "referee", "semifinal", "semi-final", "quarterfinal", "final whistle", "touchdown",
                         "test match", "playoff", "grand slam", "premier league", "champions league",
                         "linesman", "offside", "transfer window", "qualifier", "penalty shootout", "club world cup")
SPORTS_WORDS = SPORTS_SENTENCE_WORDS + ("batter", "tournament", "championship", "scored", "boundaries",
                                        "the match", "series win", "world cup", "olympic", "olympics")
_SPORTS_RE = {ws: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ws) + r")\b")
              for ws in (SPORTS_SENTENCE_WORDS, SPORTS_WORDS)}


_SCORE_RE = re.compile(r"\b\d{1,2}-\d{1,2}\b")


def match_result(text: str) -> bool:
    """A sentence that reports a game's score ("Brazil beat Argentina 1-0 in a World Cup
    qualifier"): sport even when its teams are named after states."""
    return bool(_SCORE_RE.search(text)) and bool(sports_words(text) | sports_words(text, sentence=True)
                                                 or re.search(r"\b(?:match|cup|league|final|derby|game|friendly)\b", text.lower()))


def sports_words(text: str, sentence: bool = False) -> set[str]:
    """The different sports words in ``text`` (lower-cased, whole words)."""
    words = SPORTS_SENTENCE_WORDS if sentence else SPORTS_WORDS
    return set(_SPORTS_RE[words].findall(text.lower()))


# Words that make a "said ..." statement an accusation or an expression of support.
NEGATIVE_EVAL = ("concerning", "escalation", "violation", "unacceptable", "illegal", "provocation",
                 "aggression", "destabiliz", "destabilis", "reckless", "threat to", "dangerous", "war crime",
                 "irresponsible", "condemn", "deplorable", "outrageous", "hostile", "interference")
POSITIVE_EVAL = ("welcome", "grateful", "gratitude", "commend", "praise", "appreciat", "solidarity",
                 "stands with", "stand with", "support for")

SPEECH_VERBS = {"say", "tell", "state", "claim", "allege", "report", "announce", "add", "note", "insist",
                "declare", "write", "argue", "suggest", "confirm", "assert", "believe", "think", "know",
                "maintain", "explain", "stress", "emphasize", "emphasise", "acknowledge", "admit",
                "warn", "accuse", "tweet", "post", "reiterate", "predict", "estimate", "indicate", "show",
                "reveal", "disclose", "testify", "contend", "charge", "complain", "concede", "recall"}
DENIAL_VERBS = {"deny", "dismiss", "refute", "reject", "disput", "dispute"}
FUTURE_GOVERNORS = {"plan", "intend", "expect", "aim", "prepare", "promise", "pledge", "vow", "hope",
                    "want", "wish", "schedule", "set", "due", "propose", "offer", "agree", "decide",
                    "threaten", "consider", "mull", "resolve", "commit", "seek_future", "likely", "ready",
                    "willing", "poised", "going", "prepared"}
# Verbs whose "X to V" content is only wanted or asked for (the event itself has not happened).
DIRECTIVE_GOVERNORS = {"want", "wish", "urge", "ask", "call", "appeal", "request", "press", "plead", "implore",
                       "order", "instruct", "direct", "encourage", "advise", "push", "invite", "tell",
                       "pressure", "pressurise", "pressurize", "lobby", "beg", "exhort", "require", "demand"}
# Verbs taking a mandative "that" clause: "demanded that the ministry rescind its ban".
MANDATIVE_GOVERNORS = {"demand", "insist", "ask", "request", "urge", "propose", "recommend", "require",
                       "order", "suggest", "call"}
NEGATING_GOVERNORS = {"fail", "refuse", "decline", "unable", "neglect", "avoid", "stop", "cease", "deny"}
COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
# Consequents of a conditional that make it a threat: "if X ..., we will respond / take measures".
THREAT_CONSEQUENTS = {"respond", "retaliate", "act", "take", "defend", "strike", "use", "close", "cut", "sever",
                      "expel", "impose", "suspend", "review", "reconsider", "shoot", "destroy", "face", "pay",
                      "answer", "react", "hit", "target", "block", "punish", "order", "consider", "exercise", "go"}
# Verbs whose "will not" / "would not" by an actor is a refusal (REJECT).
REFUSABLE = {"attend", "accept", "withdraw", "issue", "allow", "negotiate", "talk", "recognize", "recognise",
             "sign", "meet", "join", "participate", "return", "release", "lift", "extradite", "hand", "comply",
             "back", "support", "pay", "tolerate", "give", "grant", "change", "reverse", "resume", "approve",
             "cooperate", "engage", "send", "stop", "end", "let", "permit", "budge", "yield", "bow", "retreat"}
