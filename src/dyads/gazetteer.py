"""The offline actor table: states, their names, demonyms, capitals and seats of
government, international organisations and groups, plus the user's own actor file.

Data: ``data/countries.json`` and ``data/organizations.json`` (built by
``scripts/build_gazetteer.py``) and the hand-written non-state actor table
``data/nonstate_actors.csv`` (see :func:`nonstate_rows`). Matching is by token sequence, case-insensitive except
for short all-capital aliases ("US", "UN", "WHO"), which must match exactly.

People (heads of state and government, ministers, officials of international bodies, opposition,
rebel and militant leaders) are in ``data/people.csv`` (see :func:`people_rows`). They are kept
apart from the name index: a person is found by the actors stage where a name stands, never by
scanning the text for table words, and matches by exact name ("Lula", "Erdogan", "Sergio Mattarella").
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError

DATA = Path(__file__).parent / "data"
MAX_TOKENS = 8
# Institution names that many states use; they never decide a country on their own.
GENERIC_SEATS = {"foreign office", "home office", "treasury", "congress", "state council", "foreign ministry",
                 "interior ministry", "defence ministry", "defense ministry", "parliament", "supreme court",
                 "national assembly", "senate", "cabinet office", "ministry of foreign affairs", "war office"}
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class Entry:
    """One name of one actor in the table."""

    key: str            # stable identity: ISO3 for states, "ORG:ID", "SEAT:ISO3:NAME", "USER:NAME"
    name: str           # canonical display name
    kind: str           # state | organization | group | person
    role: str           # name | demonym | capital | seat | org | user
    country: str | None
    sector: str | None
    surface: str        # the alias as written in the table


@dataclass(frozen=True)
class Person:
    """One row of the people table (or a person of the user's actor file)."""

    id: str
    name: str
    country: str | None
    sector: str | None
    role: str | None          # "President", "Foreign Minister" ...
    start_year: int | None
    end_year: int | None      # None: in office (or no dates known)

    def in_office(self, year: int | None) -> bool:
        """Whether the role was held in ``year``; True when the year or the row's dates are unknown."""
        if year is None:
            return True
        return (self.start_year is None or self.start_year <= year) and (self.end_year is None or year <= self.end_year)


def person_key(name: str) -> str:
    """How a person's name is looked up: apostrophes unified, spaces collapsed, case kept."""
    return " ".join(name.translate(_APOS).split())


@dataclass
class Gazetteer:
    index: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    countries: dict[str, dict] = field(default_factory=dict)  # iso3 -> record
    exact_case: set[tuple[str, ...]] = field(default_factory=set)
    # person name or alias (see person_key) -> [(person, ambiguous alias?)]
    people: dict[str, list[tuple[Person, bool]]] = field(default_factory=dict)
    _first: dict[str, int] | None = field(default=None, repr=False)

    def add_person(self, surface: str, person: Person, ambiguous: bool = False) -> None:
        key = person_key(surface)
        if not key:
            return
        bucket = self.people.setdefault(key, [])
        if all(p.id != person.id for p, _ in bucket):
            bucket.append((person, ambiguous))

    def person(self, name: str, ambiguous_ok: bool = False) -> Person | None:
        """The table person named ``name`` (full name or alias, exact case; an all-capital or
        all-lower-case full name of two or more words also matches). An ambiguous alias ("May",
        "Johnson", "Kim") gives nothing unless ``ambiguous_ok``; a name that two people share gives
        nothing."""
        key = person_key(name)
        hits = self.people.get(key)
        if hits is None and " " in key and (key.isupper() or key.islower()):
            hits = self.people.get(key.title())
        if hits is None and key[:1].isupper() and " " in key:
            hits = self.people.get(key[0].lower() + key[1:])  # "Von der Leyen" opening a sentence
        if not hits:
            return None
        hits = [p for p, amb in hits if ambiguous_ok or not amb]
        return hits[0] if len(hits) == 1 else None

    def knows_person(self, name: str) -> bool:
        """Whether ``name`` is a person of the table by a name that is not ambiguous."""
        return self.person(name) is not None

    def add(self, surface: str, entry: Entry, exact: bool = False) -> None:
        """Index ``surface`` for ``entry``; ``exact``: match only as written (ambiguous aliases)."""
        surface = surface.strip()
        if not surface:
            return
        if surface.lower().startswith("the "):
            surface = surface[4:]
        toks = tokenize(surface)
        if not toks or len(toks) > MAX_TOKENS:
            return
        key = tuple(t.lower() for t in toks)
        self._first = None
        bucket = self.index.setdefault(key, [])
        if all(e.key != entry.key or e.role != entry.role for e in bucket):
            bucket.append(Entry(entry.key, entry.name, entry.kind, entry.role, entry.country,
                                entry.sector, surface))
        if exact or len(surface) <= 4 and surface.isupper():
            self.exact_case.add(key)

    def lookup(self, tokens: list[str]) -> list[Entry]:
        return self.index.get(tuple(t.lower().translate(_APOS) for t in tokens), [])

    def max_len(self, first: str) -> int:
        """Longest alias (in tokens) that starts with ``first`` (lower case); 0 when none does."""
        if self._first is None:
            self._first = {}
            for key in self.index:
                self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
        return self._first.get(first, 0)

    def country_name(self, iso3: str | None) -> str | None:
        rec = self.countries.get(iso3 or "")
        return rec["name"] if rec else None


_TOKEN_RX = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|\w+(?:[-'’]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Token split used for table aliases and for matching (keeps "U.S." and "al-Qaeda" whole)."""
    return [t.translate(_APOS) for t in _TOKEN_RX.findall(text)]


def _plural(word: str) -> list[str]:
    if word.endswith(("s", "ese", "sh", "ch", "Swiss")):
        return []
    return [word + "s"]


def _load_json(name: str):
    path = DATA / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _build_base() -> Gazetteer:
    gz = Gazetteer()
    countries = _load_json("countries.json")
    ambiguous = {a for c in countries for a in c.get("ambiguous_aliases", [])}
    for c in countries:
        iso3 = c["iso3"]
        gz.countries[iso3] = c
        name = c["name"]
        for alias in [name, *c.get("aliases", [])]:
            gz.add(alias, Entry(iso3, name, "state", "name", iso3, None, alias))
        for dem in c.get("demonyms", []):
            for form in [dem, *_plural(dem)]:
                gz.add(form, Entry(iso3, name, "state", "demonym", iso3, None, form))
        for cap in [c.get("capital"), *c.get("capital_aliases", [])]:
            if cap:
                gz.add(cap, Entry(iso3, name, "state", "capital", iso3, None, cap))
        for seat in c.get("seats", []):
            sname = seat["name"]
            if sname in ambiguous or sname.lower().removeprefix("the ") in GENERIC_SEATS:
                continue  # "Foreign Office", "Congress": every state has one; context decides
            clean = sname[4:] if sname.lower().startswith("the ") else sname
            ent = Entry(f"SEAT:{iso3}:{clean}", clean, "organization", "seat", iso3,
                        seat.get("sector"), sname)
            gz.add(sname, ent)
            for alias in seat.get("aliases", []):
                gz.add(alias, ent)
    nonstate = nonstate_rows()
    own = {r["id"] for r in nonstate}
    for o in _load_json("organizations.json"):
        if o["id"] in own:
            continue  # the non-state table's row wins
        _add_org(gz, o)
    for r in nonstate:
        _add_org(gz, r)
    for r in people_rows():
        _add_person(gz, r)
    return gz


def _year(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _add_person(gz: Gazetteer, r: dict) -> None:
    person = Person(r["id"], r["name"], r.get("country") or None, r.get("sector") or None,
                    r.get("role") or None, _year(r.get("start_year")), _year(r.get("end_year")))
    amb = set(r.get("ambiguous_aliases") or [])
    for alias in [r["name"], *r.get("aliases", [])]:
        gz.add_person(alias, person, ambiguous=alias in amb)


def _table_rows(name: str) -> list[dict]:
    """Rows of a hand-written CSV table in ``data/``, its ``|``-separated alias columns as lists."""
    path = DATA / name
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["aliases"] = [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()]
        r["ambiguous_aliases"] = [a.strip() for a in (r.get("ambiguous_aliases") or "").split("|") if a.strip()]
    return rows


def people_rows() -> list[dict]:
    """``data/people.csv``: heads of state and government, ministers, heads of international bodies,
    opposition, rebel and militant leaders, one row each: id, name, aliases (``|``-separated
    surname forms and spellings), the aliases that are common words or common surnames (matched
    only where the text makes them unambiguous), country (ISO3; empty for officials of
    international bodies), sector, role, start_year and end_year of the role (end empty: in office)
    and the source of the row's facts."""
    return _table_rows("people.csv")


def _add_org(gz: Gazetteer, o: dict) -> None:
    ent = Entry(f"ORG:{o['id']}", o["name"], o.get("kind") or "organization", "org",
                o.get("country") or None, o.get("sector") or None, o["name"])
    amb = set(o.get("ambiguous_aliases") or [])
    for alias in [o["name"], *o.get("aliases", [])]:
        gz.add(alias, ent, exact=alias in amb)


def nonstate_rows() -> list[dict]:
    """``data/nonstate_actors.csv``: armed groups, insurgents, separatists, militias, parties,
    movements, unions and NGOs, one row each with aliases (``|``-separated), the aliases that
    often mean something else (matched only as written), country (ISO3, empty when
    transnational), sector, kind and the source of the row's facts."""
    return _table_rows("nonstate_actors.csv")


@lru_cache(maxsize=1)
def base() -> Gazetteer:
    """The shipped table (cached per process)."""
    return _build_base()


def _split_aliases(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [a.strip() for a in re.split(r"[|;]", str(value)) if a.strip()]


def read_actor_file(path: str | Path) -> list[dict]:
    """Rows of a user actor file (YAML list or CSV) with name, aliases, country, sector, kind."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"actor file {str(p)!r} does not exist: pass a YAML or CSV file with name,aliases,country,sector")
    try:
        if p.suffix.lower() in (".yaml", ".yml", ".json"):
            import yaml

            rows = yaml.safe_load(p.read_text(encoding="utf-8")) or []
            if isinstance(rows, dict):
                rows = rows.get("actors", [])
        elif p.suffix.lower() in (".csv", ".tsv"):
            with open(p, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh, delimiter="\t" if p.suffix.lower() == ".tsv" else ","))
        else:
            raise ConfigError(f"actor file {str(p)!r}: use a .yaml, .yml, .json, .csv or .tsv file")
    except ConfigError:
        raise
    except Exception as exc:  # yaml / csv parse errors
        raise ConfigError(f"actor file {str(p)!r} could not be read ({exc}); fix its syntax") from None
    out = []
    for i, r in enumerate(rows, 1):
        if not isinstance(r, dict) or not r.get("name"):
            raise ConfigError(f"actor file {str(p)!r}, entry {i}: every entry needs a 'name'")
        country = (r.get("country") or "").strip().upper() or None
        if country and not re.fullmatch(r"[A-Z]{3}", country):
            raise ConfigError(f"actor file {str(p)!r}, entry {i}: country {country!r} is not an ISO 3166-1 alpha-3 code (e.g. KEN)")
        kind = (r.get("kind") or "").strip().lower() or ("organization")
        if kind not in ("person", "organization", "state", "group"):
            raise ConfigError(f"actor file {str(p)!r}, entry {i}: kind {kind!r} must be person, organization, state or group")
        out.append({"name": str(r["name"]).strip(), "aliases": _split_aliases(r.get("aliases")),
                    "country": country, "sector": (r.get("sector") or "").strip().upper() or None,
                    "kind": kind, "role": str(r.get("role") or r.get("title") or "").strip() or None,
                    "start_year": _year(r.get("start_year")), "end_year": _year(r.get("end_year"))})
    return out


def with_user_actors(path: str | Path | None) -> Gazetteer:
    """The shipped table, extended by a user actor file (its entries win on equal names)."""
    gz = base()
    if not path:
        return gz
    ext = Gazetteer(index={k: list(v) for k, v in gz.index.items()}, countries=gz.countries,
                    exact_case=set(gz.exact_case), people={k: list(v) for k, v in gz.people.items()})
    for r in read_actor_file(path):
        if r["country"] and r["country"] not in gz.countries:
            raise ConfigError(f"actor file {str(path)!r}: {r['name']!r} has country {r['country']!r}, "
                              "which is not an ISO 3166-1 alpha-3 code in the country table (e.g. KEN, COL)")
        if r["kind"] == "person":
            # a person: found where a name stands, like the people table's rows (whose equal names it replaces)
            person = Person(f"USER:{r['name']}", r["name"], r["country"], r["sector"], r["role"],
                            r["start_year"], r["end_year"])
            for alias in [r["name"], *r["aliases"]]:
                ext.people[person_key(alias)] = [(person, False)]
            continue
        ent = Entry(f"USER:{r['name']}", r["name"], r["kind"], "user", r["country"], r["sector"], r["name"])
        for alias in [r["name"], *r["aliases"]]:
            toks = tokenize(alias[4:] if alias.lower().startswith("the ") else alias)
            ext.index.pop(tuple(t.lower() for t in toks), None)
            ext.add(alias, ent)
    return ext
