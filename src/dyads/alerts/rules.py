"""Alert rules: what matters to the analyst, written in YAML, parsed into typed :class:`Rule` records.

A rules file::

    sinks:                              # where alerts go (default: standard output, JSON lines)
      - stdout
      - file: alerts.jsonl              # appended, one JSON object per line
      - webhook: https://hooks.example.org/dyads
        secret_env: DYADS_WEBHOOK_SECRET   # HMAC-SHA256 key, read from this environment variable
    rules:
      - name: rus-prk-material-conflict
        actor: RUS                      # actor side: ISO 3166-1 alpha-3 code(s)
        recipient: [PRK, KOR]           # recipient side
        quad: material conflict         # or conflict / cooperation (both quads of a side)
        status: [asserted, claimed]
        max_intensity: -5               # at most -5 (PLOVER scale -10 .. +10)
        min_sources: 2                  # reported by at least two sources ...
        again_at_sources: 5             # ... and once more when five sources report it
      - name: rus-ukr-conflict-spike
        kind: spike
        actor: RUS
        recipient: UKR
        direction: conflict
        factor: 3                       # this week's count > 3 x the trailing baseline
        baseline_weeks: 8
        min_count: 3
      - name: first-contact
        kind: first_pair

Kinds
-----
``event`` (the default) fires once per event cluster (one real happening, see
:mod:`dyads.aggregate`) that matches every filter, and once more each time the cluster reaches one of
``again_at_sources`` sources. ``spike`` and ``first_pair`` are rules over time, evaluated per
country pair (see :mod:`dyads.alerts.engine` for the exact definitions).

Filters (all optional; a list means any of its values; every given filter must hold)
------------------------------------------------------------------------------------
``actor``, ``recipient``: country codes of that side; ``country``: a code on either side;
``actor_name``, ``recipient_name``: words contained (case-insensitive) in the name of an actor on that
side; ``type``: PLOVER types; ``quad``: quad classes (``verbal cooperation``, ``material cooperation``,
``verbal conflict``, ``material conflict``, or ``cooperation`` / ``conflict`` for both of a side);
``status``: ``asserted``, ``future``, ``hypothetical``, ``negated`` (the cluster's status),
``claimed`` (some report gives the event as asserted only on a party's word, ``attributed_to``,
with no denial in the same sentence) and ``denied`` (some report says a party denies it,
``denied_by``; such events are usually ``negated`` too); ``min_intensity`` / ``max_intensity``: bounds on
the PLOVER intensity; ``min_sources``: distinct sources that reported it; ``include_background``:
also events dated more than a year before their articles (history; left out by default).

Every mistake is a :class:`~dyads.errors.ConfigError` naming the file, the rule, the key and the bad
value, and saying what to write instead.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import PLOVER_TYPES

KINDS = ("event", "spike", "first_pair")
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
QUAD_GROUPS = {"cooperation": QUADS[:2], "conflict": QUADS[2:]}
STATUSES = ("asserted", "future", "hypothetical", "negated", "claimed", "denied")
DIRECTIONS = ("conflict", "cooperation")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")
_CODE = re.compile(r"^[A-Za-z]{3}$")

FILTER_KEYS = ("actor", "recipient", "country", "actor_name", "recipient_name", "type", "quad", "status",
               "min_intensity", "max_intensity", "min_sources", "include_background")
KIND_KEYS = {"event": ("again_at_sources",),
             "spike": ("direction", "factor", "baseline_weeks", "min_count", "directed"),
             "first_pair": ("directed",)}
COMMON_KEYS = ("name", "kind", "description")


@dataclass(frozen=True)
class Rule:
    """One alert rule (see the module docstring for the meaning of each field)."""

    name: str
    kind: str = "event"
    description: str | None = None
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    actor_name: tuple[str, ...] = ()
    recipient_name: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    quad: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    min_intensity: float | None = None
    max_intensity: float | None = None
    min_sources: int = 1
    include_background: bool = False
    again_at_sources: tuple[int, ...] = ()  # event: fire again when the cluster reaches each of these
    direction: str = "conflict"  # spike: which quads are counted
    factor: float = 3.0  # spike: count > factor x baseline
    baseline_weeks: int = 8  # spike: trailing weeks averaged into the baseline
    min_count: int = 3  # spike: at least this many events in the week
    directed: bool = False  # spike, first_pair: actor -> recipient only (False: either way round)

    def to_dict(self) -> dict[str, Any]:
        """The rule as it would be written in YAML: name, kind, the filters it sets and every setting of
        its kind (lists for tuples); :meth:`from_dict` reads it back."""
        defaults = Rule(name=self.name)
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.description is not None:
            out["description"] = self.description
        for key in (*FILTER_KEYS, *KIND_KEYS[self.kind]):
            v = getattr(self, key)
            if key in FILTER_KEYS and v == getattr(defaults, key):
                continue
            if isinstance(v, tuple):
                if not v:
                    continue
                v = list(v)
            out[key] = v
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "rule") -> Rule:
        """Validate a mapping (a rule from YAML, or :meth:`to_dict` output) into a Rule."""
        return _parse_rule(d, where)

    def quads(self) -> frozenset[str]:
        """The quad classes a cluster may have: ``quad`` (and for a spike its ``direction``)."""
        wanted = set(self.quad) or set(QUADS)
        if self.kind == "spike":
            wanted &= set(QUAD_GROUPS[self.direction])
        return frozenset(wanted)


@dataclass(frozen=True)
class SinkSpec:
    """Where alerts go: ``stdout``, ``file`` (path) or ``webhook`` (URL, secret, retries, timeout)."""

    kind: str
    target: str | None = None
    secret: str | None = field(default=None, repr=False)
    secret_env: str | None = None
    retries: int = 4
    timeout: float = 10.0


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    sinks: tuple[SinkSpec, ...] = ()
    origin: str = "rules"

    def get(self, name: str) -> Rule:
        for r in self.rules:
            if r.name == name:
                return r
        raise ConfigError(f"{self.origin}: no rule named {name!r}; rules here: "
                          + ", ".join(r.name for r in self.rules))


# --------------------------------------------------------------------------- parsing


def load_rules(path: str | Path) -> RuleSet:
    """Read and validate a YAML rules file (see the module docstring)."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"rules file {str(p)!r} does not exist; write one (see `dyads alerts --help`)")
    if p.is_dir():
        raise ConfigError(f"rules file {str(p)!r} is a directory; give the YAML file itself")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"rules file {str(p)!r} is not UTF-8 text; save it as UTF-8") from None
    return parse_rules(text, origin=str(p))


def parse_rules(text: str, origin: str = "rules") -> RuleSet:
    """Validate rules given as YAML text: a mapping with ``rules`` (and optionally ``sinks``), or a
    bare list of rules."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{origin}: not valid YAML{at}: {problem}; check the indentation and quoting there") \
            from None
    if doc is None:
        raise ConfigError(f"{origin}: no rules: write 'rules:' followed by a list of rules (each with a name)")
    if isinstance(doc, list):
        doc = {"rules": doc}
    if not isinstance(doc, dict):
        raise ConfigError(f"{origin}: expected a mapping with 'rules:' (and optionally 'sinks:'), "
                          f"found {_kind_of(doc)}")
    unknown = sorted(set(map(str, doc)) - {"rules", "sinks"})
    if unknown:
        raise ConfigError(f"{origin}: unknown top-level key {unknown[0]!r}{_suggest(unknown[0], ('rules', 'sinks'))}; "
                          "use 'rules' and 'sinks'")
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ConfigError(f"{origin}: 'rules' must be a non-empty list of rules, each starting with '- name: ...'")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_rules, 1):
        label = f"{origin}: rule {i}"
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            label += f" ({raw['name']!r})"
        rule = _parse_rule(raw, label)
        if rule.name in seen:
            raise ConfigError(f"{label}: the name {rule.name!r} is already used by rule {seen[rule.name]}; "
                              "give every rule its own name")
        seen[rule.name] = i
        rules.append(rule)
    sinks = _parse_sinks(doc.get("sinks"), origin)
    return RuleSet(tuple(rules), sinks, origin)


def _kind_of(v: Any) -> str:
    if isinstance(v, bool):
        return f"the boolean {v}"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"the text {v[:60]!r}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _suggest(word: str, choices) -> str:
    by_lower = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def _parse_rule(raw: Any, label: str) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: a rule is a mapping such as 'name: my-rule' plus filters, found {_kind_of(raw)}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{label}: 'name' must be a short identifier (letters, digits, - _ . :, at most 80), "
                          f"found {_kind_of(name) if name is not None else 'nothing'}; e.g. name: rus-prk-conflict")
    kind = raw.get("kind", "event")
    if kind not in KINDS:
        raise ConfigError(f"{label}: kind {kind!r} is not a rule kind{_suggest(kind, KINDS)}; "
                          f"use one of {', '.join(KINDS)}")
    allowed = (*COMMON_KEYS, *FILTER_KEYS, *KIND_KEYS[kind])
    for key in raw:
        if key not in allowed:
            other = [k for k, keys in KIND_KEYS.items() if key in keys]
            if other:
                raise ConfigError(f"{label}: {key!r} belongs to rules of kind {' or '.join(other)}, "
                                  f"not {kind!r}; remove it or set 'kind: {other[0]}'")
            raise ConfigError(f"{label}: unknown key {key!r}{_suggest(key, allowed)}; allowed keys: "
                              + ", ".join(allowed))
    kw: dict[str, Any] = {"name": name, "kind": kind}
    desc = raw.get("description")
    if desc is not None:
        if not isinstance(desc, str):
            raise ConfigError(f"{label}: 'description' must be text, found {_kind_of(desc)}")
        kw["description"] = desc
    for key in ("actor", "recipient", "country"):
        if key in raw:
            kw[key] = tuple(_code(v, key, label) for v in _strings(raw[key], key, label, "RUS"))
    for key in ("actor_name", "recipient_name"):
        if key in raw:
            kw[key] = tuple(v.strip().lower() for v in _strings(raw[key], key, label, "Putin"))
    if "type" in raw:
        kw["type"] = tuple(_choice(v.upper(), PLOVER_TYPES, "type", label, "a PLOVER type")
                           for v in _strings(raw["type"], "type", label, "ASSAULT"))
    if "quad" in raw:
        quads: list[str] = []
        for v in _strings(raw["quad"], "quad", label, "material conflict"):
            v2 = v.strip().lower().replace("_", " ")
            if v2 in QUAD_GROUPS:
                quads += QUAD_GROUPS[v2]
            else:
                quads.append(_choice(v2, (*QUADS, *QUAD_GROUPS), "quad", label, "a quad class"))
        kw["quad"] = tuple(dict.fromkeys(quads))
    if "status" in raw:
        kw["status"] = tuple(_choice(v.lower(), STATUSES, "status", label, "a status")
                             for v in _strings(raw["status"], "status", label, "asserted"))
    for key in ("min_intensity", "max_intensity"):
        if key in raw:
            kw[key] = _number(raw[key], key, label, -10, 10, "-5")
    if kw.get("min_intensity") is not None and kw.get("max_intensity") is not None \
            and kw["min_intensity"] > kw["max_intensity"]:
        raise ConfigError(f"{label}: min_intensity {kw['min_intensity']} is above max_intensity "
                          f"{kw['max_intensity']}: no event can match; swap them")
    if "min_sources" in raw:
        kw["min_sources"] = _whole(raw["min_sources"], "min_sources", label, 1, 1000)
    if "include_background" in raw:
        kw["include_background"] = _bool(raw["include_background"], "include_background", label)
    if "again_at_sources" in raw:
        vals = raw["again_at_sources"]
        vals = vals if isinstance(vals, list) else [vals]
        levels = sorted({_whole(v, "again_at_sources", label, 2, 1000) for v in vals})
        low = kw.get("min_sources", 1)
        if levels and levels[0] <= low:
            raise ConfigError(f"{label}: again_at_sources {levels[0]} must be above min_sources ({low}): the "
                              "first alert already needs that many sources; use a larger number")
        kw["again_at_sources"] = tuple(levels)
    if "direction" in raw:
        d = raw["direction"]
        kw["direction"] = _choice(str(d).lower(), DIRECTIONS, "direction", label, "a direction")
    if "factor" in raw:
        kw["factor"] = _number(raw["factor"], "factor", label, 1.0, 1000.0, "3")
    if "baseline_weeks" in raw:
        kw["baseline_weeks"] = _whole(raw["baseline_weeks"], "baseline_weeks", label, 1, 260)
    if "min_count" in raw:
        kw["min_count"] = _whole(raw["min_count"], "min_count", label, 1, 100000)
    if "directed" in raw:
        kw["directed"] = _bool(raw["directed"], "directed", label)
    rule = Rule(**kw)
    if rule.kind == "spike" and rule.quad and not rule.quads():
        raise ConfigError(f"{label}: quad {', '.join(rule.quad)} has no {rule.direction} class, so a "
                          f"{rule.direction} spike can never be counted; drop 'quad' or change 'direction'")
    return rule


def _strings(v: Any, key: str, label: str, example: str) -> list[str]:
    vals = v if isinstance(v, list) else [v]
    if not vals:
        raise ConfigError(f"{label}: {key!r} is an empty list; remove the key or give values, e.g. {key}: {example}")
    out = []
    for x in vals:
        if not isinstance(x, str) or not x.strip():
            raise ConfigError(f"{label}: {key!r} value {_kind_of(x)} is not text; write e.g. {key}: {example} "
                              f"or {key}: [{example}, ...]")
        out.append(x.strip())
    return out


def _code(v: str, key: str, label: str) -> str:
    from ..gazetteer import base

    if not _CODE.match(v):
        raise ConfigError(f"{label}: {key!r} value {v!r} is not a three-letter country code; write e.g. "
                          f"{key}: RUS (ISO 3166-1 alpha-3)"
                          + (f", or use {key}_name: {v} to match actor names" if key != "country" else ""))
    code = v.upper()
    if base().country_name(code) is None:
        raise ConfigError(f"{label}: {key!r} value {v!r} is not a known ISO 3166-1 alpha-3 country code "
                          "(e.g. RUS, PRK, XKX for Kosovo)")
    return code


def _choice(v: str, choices, key: str, label: str, what: str) -> str:
    if v in choices:
        return v
    raise ConfigError(f"{label}: {key!r} value {v!r} is not {what}{_suggest(v, choices)}; use one of "
                      + ", ".join(choices))


def _number(v: Any, key: str, label: str, lo: float, hi: float, example: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError(f"{label}: {key!r} must be a number from {lo:g} to {hi:g}, found {_kind_of(v)}; "
                          f"e.g. {key}: {example}")
    if not lo <= v <= hi:
        raise ConfigError(f"{label}: {key!r} value {v} is out of range: use {lo:g} .. {hi:g}")
    return float(v)


def _whole(v: Any, key: str, label: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ConfigError(f"{label}: {key!r} must be a whole number from {lo} to {hi}, found {_kind_of(v)}")
    if not lo <= v <= hi:
        raise ConfigError(f"{label}: {key!r} value {v} is out of range: use {lo} .. {hi}")
    return v


def _bool(v: Any, key: str, label: str) -> bool:
    if not isinstance(v, bool):
        raise ConfigError(f"{label}: {key!r} must be true or false, found {_kind_of(v)}")
    return v


# --------------------------------------------------------------------------- sinks

_SINK_KEYS = {"stdout": ("stdout",), "file": ("file",),
              "webhook": ("webhook", "secret", "secret_env", "retries", "timeout")}


def _parse_sinks(raw: Any, origin: str) -> tuple[SinkSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: 'sinks' must be a list, e.g. sinks: [stdout, {{file: alerts.jsonl}}]")
    out = []
    for i, item in enumerate(raw, 1):
        label = f"{origin}: sink {i}"
        if item == "stdout":
            out.append(SinkSpec("stdout"))
            continue
        if not isinstance(item, dict):
            raise ConfigError(f"{label}: write 'stdout', 'file: PATH' or 'webhook: URL', found {_kind_of(item)}")
        kinds = [k for k in _SINK_KEYS if k in item]
        if len(kinds) != 1:
            raise ConfigError(f"{label}: give exactly one of stdout, file, webhook (found "
                              f"{', '.join(kinds) or 'none'})")
        kind = kinds[0]
        for key in item:
            if key not in _SINK_KEYS[kind]:
                raise ConfigError(f"{label}: unknown key {key!r} for a {kind} sink{_suggest(key, _SINK_KEYS[kind])}; "
                                  f"allowed: {', '.join(_SINK_KEYS[kind])}")
        if kind == "stdout":
            out.append(SinkSpec("stdout"))
        elif kind == "file":
            path = item["file"]
            if not isinstance(path, str) or not path.strip():
                raise ConfigError(f"{label}: 'file' must be a path, e.g. file: alerts.jsonl")
            out.append(SinkSpec("file", path))
        else:
            out.append(webhook_spec(item.get("webhook"), secret=item.get("secret"),
                                    secret_env=item.get("secret_env"),
                                    retries=item.get("retries", 4), timeout=item.get("timeout", 10.0), label=label))
    return tuple(out)


def webhook_spec(url: Any, secret: Any = None, secret_env: Any = None, retries: Any = 4, timeout: Any = 10.0,
                 label: str = "webhook") -> SinkSpec:
    """A validated webhook sink (URL http(s), a secret or the name of the variable that holds it)."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise ConfigError(f"{label}: webhook {url!r} is not an http(s) URL, e.g. webhook: https://hooks.example.org/x")
    if secret is not None and not isinstance(secret, str):
        raise ConfigError(f"{label}: 'secret' must be text (better: secret_env: NAME_OF_VARIABLE)")
    if secret_env is not None and (not isinstance(secret_env, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$",
                                                                                       secret_env)):
        raise ConfigError(f"{label}: 'secret_env' must name an environment variable, e.g. DYADS_WEBHOOK_SECRET")
    if secret is None and secret_env is None:
        raise ConfigError(f"{label}: a webhook needs a signing key: secret_env: NAME (an environment variable "
                          "holding the key) or secret: KEY")
    return SinkSpec("webhook", url, secret=secret, secret_env=secret_env,
                    retries=_whole(retries, "retries", label, 0, 20),
                    timeout=_number(timeout, "timeout", label, 0.1, 300.0, "10"))
