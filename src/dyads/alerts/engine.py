"""Evaluating alert rules over a store: which events are new, which rules they match, which alerts fire.

What is evaluated
-----------------
Every stored event mention has an increasing id (``event_mentions.pk``), and a mention is written
whenever an event cluster is created or grows (a new article reports it). Each rule keeps a cursor in
``alert_rules.last_mention``; :func:`run_rules` takes the mentions after it (up to the newest at the
start of the run), re-evaluates the clusters they belong to, then moves the cursor. A rule seen for
the first time starts at the beginning of the store (``backfill=True``, the default) or after a given
mention (``start_after``; :class:`dyads.alerts.AlertHook` starts new rules at the articles it was
called for). ``rescan=True`` evaluates everything again: safe, because alerts are unique (next point).

Once
----
An alert is stored under ``(rule, key, level)``, unique in the store, before it is sent anywhere:

* ``event`` rules: key ``event:<cluster id>``; level 0 the first time the cluster matches, level *n*
  once its number of distinct sources has reached the rule's *n*-th ``again_at_sources`` threshold. A
  cluster that already has enough sources when it first matches fires once, at its highest level.
* ``spike`` rules, per country pair and ISO week (key ``spike:RUS>UKR:2024-W23``; ``RUS-UKR`` when
  not ``directed``): *count* is the number of event clusters of that pair whose day falls in the week
  and that match the rule's filters and ``direction`` (conflict: verbal and material conflict quads;
  cooperation: both cooperation quads). The *baseline* is the mean weekly count over the
  ``baseline_weeks`` weeks just before it (weeks without events count as 0). The rule fires when
  count >= ``min_count`` and count > ``factor`` x baseline, once per pair and week; its evidence is
  the most recently stored of the week's clusters.
* ``first_pair`` rules (key ``first:RUS-UKR``, or ``RUS>UKR`` when ``directed``): a cluster whose
  actor and recipient countries form a pair (two different known countries) fires when no cluster
  stored before it (a lower id) has that pair and matches the rule's filters. Once per pair.

Background events (history a story recalls, see :mod:`dyads.query`) are neither matched nor counted
unless the rule says ``include_background: true``.

Each alert carries the rule's name, the event's day, type, parties, the evidence sentence and the
article URL of the cluster's first report (and the URLs of every report), and why it fired.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from ..store import EventCluster, Store, now_iso
from .records import Alert
from .rules import Rule, RuleSet, load_rules

CHUNK = 500


# --------------------------------------------------------------------------- reading clusters


@dataclass
class Report:
    """One article sentence that reported a cluster (for evidence, claims and denials)."""

    article_id: str
    source: str | None
    url: str | None
    published: str | None
    title: str | None
    evidence: str
    status: str
    attributed_to: list[str]  # names of the parties whose statement is the only source of the event
    denied_by: list[str]  # names of the parties that deny it


def clusters(store: Store, pks: Sequence[int]) -> dict[int, EventCluster]:
    """The event clusters with these ids (background ones included), by id."""
    from ..query import _EVENT_COLS, _clusters

    out: dict[int, EventCluster] = {}
    ids = sorted(set(int(p) for p in pks))
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        rows = store.query(f"SELECT {_EVENT_COLS} FROM events e WHERE e.pk IN ({', '.join('?' for _ in part)})",
                           part)
        out.update((c.pk, c) for c in _clusters(store, rows))
    return out


def reports(store: Store, pks: Sequence[int]) -> dict[int, list[Report]]:
    """Every report (event mention, in stored order) of these clusters, with the names of the parties
    that the mention says claimed or denied the event."""
    out: dict[int, list[Report]] = {}
    ids = sorted(set(int(p) for p in pks))
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        marks = ", ".join("?" for _ in part)
        rows = store.query(
            "SELECT m.event_pk, m.article_pk, m.data, m.evidence, m.status, a.id, a.source, a.url, a.published, "
            f"a.title FROM event_mentions m JOIN articles a ON a.pk = m.article_pk WHERE m.event_pk IN ({marks}) "
            "ORDER BY m.pk", part)
        wanted: dict[int, set[str]] = {}
        parsed = []
        for ev_pk, art_pk, data, evidence, status, aid, source, url, published, title in rows:
            d = json.loads(data) if data else {}
            att, den = list(d.get("attributed_to") or []), list(d.get("denied_by") or [])
            wanted.setdefault(int(art_pk), set()).update(att + den)
            parsed.append((int(ev_pk), int(art_pk), att, den, evidence, status, aid, source, url, published, title))
        names = _local_names(store, wanted)
        for ev_pk, art_pk, att, den, evidence, status, aid, source, url, published, title in parsed:
            nm = names.get(art_pk, {})
            out.setdefault(ev_pk, []).append(Report(
                aid, source, url, published, title, evidence, status,
                [nm.get(x, x) for x in att], [nm.get(x, x) for x in den]))
    return out


def _local_names(store: Store, wanted: dict[int, set[str]]) -> dict[int, dict[str, str]]:
    """Article-local actor ids (A1 ...) to the names their articles gave them."""
    arts = [a for a, ids in wanted.items() if ids]
    out: dict[int, dict[str, str]] = {}
    for i in range(0, len(arts), CHUNK):
        part = arts[i:i + CHUNK]
        for art_pk, local_id, name in store.query(
                f"SELECT article_pk, local_id, name FROM actor_mentions WHERE article_pk IN "
                f"({', '.join('?' for _ in part)})", part):
            out.setdefault(int(art_pk), {})[local_id] = name
    return out


# --------------------------------------------------------------------------- matching


def needs_reports(rule: Rule) -> bool:
    """Whether the rule's filters look at the reports (claimed / denied), not only the cluster."""
    return bool({"claimed", "denied"} & set(rule.status))


def matches(rule: Rule, ev: EventCluster, reps: list[Report] | None = None) -> bool:
    """Whether the cluster passes every filter of the rule (``reps``: its reports, needed only when
    :func:`needs_reports`)."""
    if ev.background and not rule.include_background:
        return False
    if rule.type and ev.type not in rule.type:
        return False
    if (rule.quad or rule.kind == "spike") and ev.quad not in rule.quads():
        return False
    a_cc, r_cc = set(ev.actor_countries), set(ev.recipient_countries)
    if rule.actor and not a_cc & set(rule.actor):
        return False
    if rule.recipient and not r_cc & set(rule.recipient):
        return False
    if rule.country and not (a_cc | r_cc) & set(rule.country):
        return False
    if rule.actor_name and not _name_hit(rule.actor_name, ev.actor_names):
        return False
    if rule.recipient_name and not _name_hit(rule.recipient_name, ev.recipient_names):
        return False
    if rule.min_intensity is not None and (ev.intensity is None or ev.intensity < rule.min_intensity):
        return False
    if rule.max_intensity is not None and (ev.intensity is None or ev.intensity > rule.max_intensity):
        return False
    if (ev.sources or 0) < rule.min_sources:
        return False
    if rule.status and ev.status not in rule.status:
        reps = reps or []
        claimed = "claimed" in rule.status and any(is_claim(r) for r in reps)
        denied = "denied" in rule.status and any(is_denial(r) for r in reps)
        if not (claimed or denied):
            return False
    return True


def is_claim(r: Report) -> bool:
    """A report of an event as having happened, only on someone's word (``attributed_to``), that no
    party in the same sentence denies."""
    return bool(r.attributed_to) and r.status == "asserted" and not r.denied_by


def is_denial(r: Report) -> bool:
    """A report that a party denies the event (``denied_by``)."""
    return bool(r.denied_by)


def _name_hit(words: Iterable[str], names: Iterable[str]) -> bool:
    lowered = [n.lower() for n in names]
    return any(w in n for w in words for n in lowered)


def pairs(rule: Rule, ev: EventCluster) -> set[tuple[str, str]]:
    """The country pairs of a cluster that a spike or first_pair rule looks at: actor country x
    recipient country, two different known countries, passing the rule's actor/recipient/country
    codes (either way round unless ``directed``); undirected pairs are sorted."""
    out: set[tuple[str, str]] = set()
    for a in ev.actor_countries:
        for r in ev.recipient_countries:
            if not a or not r or a == r:
                continue
            for x, y in ((a, r),) if rule.directed else ((a, r), (r, a)):
                if rule.actor and x not in rule.actor:
                    continue
                if rule.recipient and y not in rule.recipient:
                    continue
                if rule.country and not {x, y} & set(rule.country):
                    continue
                out.add((x, y) if rule.directed else tuple(sorted((x, y))))
                break
    return out


def pair_key(rule: Rule, pair: tuple[str, str]) -> str:
    return f"{pair[0]}>{pair[1]}" if rule.directed else f"{pair[0]}-{pair[1]}"


def _pair_condition(rule: Rule, pair: tuple[str, str]) -> tuple[str, list[Any]]:
    a, r = pair
    if rule.directed:
        return "(d.actor_country = ? AND d.recipient_country = ?)", [a, r]
    return ("((d.actor_country = ? AND d.recipient_country = ?) OR (d.actor_country = ? AND "
            "d.recipient_country = ?))", [a, r, r, a])


def week_of(day: str) -> date:
    """The Monday of the ISO week holding ``day``."""
    d = date.fromisoformat(day[:10])
    return d - timedelta(days=d.weekday())


def week_label(monday: date) -> str:
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"


# --------------------------------------------------------------------------- running


@dataclass
class _Candidate:
    rule: Rule
    key: str
    level: int
    event: EventCluster
    reason: str
    detail: dict[str, Any]


class _Reader:
    """Clusters and their reports, read once per run however many rules look at them."""

    def __init__(self, store: Store):
        self.store = store
        self._clusters: dict[int, EventCluster] = {}
        self._reports: dict[int, list[Report]] = {}

    def clusters(self, pks: Sequence[int]) -> list[EventCluster]:
        missing = [p for p in pks if p not in self._clusters]
        if missing:
            self._clusters.update(clusters(self.store, missing))
        return [self._clusters[p] for p in pks if p in self._clusters]

    def reports(self, pks: Sequence[int]) -> dict[int, list[Report]]:
        missing = [p for p in pks if p not in self._reports]
        if missing:
            got = reports(self.store, missing)
            for p in missing:
                self._reports[p] = got.get(p, [])
        return {p: self._reports[p] for p in pks}

    def matching(self, rule: Rule, pks: Sequence[int]) -> list[EventCluster]:
        evs = self.clusters(pks)
        reps = self.reports([e.pk for e in evs]) if needs_reports(rule) else {}
        return [e for e in evs if matches(rule, e, reps.get(e.pk))]


def _changed(store: Store, after: int, head: int) -> list[int]:
    """Clusters with a mention stored after ``after`` (up to ``head``), in id order."""
    return sorted(int(r[0]) for r in store.query(
        "SELECT DISTINCT event_pk FROM event_mentions WHERE pk > ? AND pk <= ?", (after, head)))


def _fired(store: Store, rule: str, keys: Iterable[str]) -> dict[str, int]:
    """The highest level already fired for each of these keys of a rule."""
    ks = sorted(set(keys))
    out: dict[str, int] = {}
    for i in range(0, len(ks), CHUNK):
        part = ks[i:i + CHUNK]
        for key, level in store.query(f"SELECT key, MAX(level) FROM alerts WHERE rule = ? AND key IN "
                                      f"({', '.join('?' for _ in part)}) GROUP BY key", [rule, *part]):
            out[key] = int(level)
    return out


def _eval_event(rule: Rule, reader: _Reader, changed: list[int]) -> list[_Candidate]:
    out = []
    for i in range(0, len(changed), CHUNK):
        evs = reader.matching(rule, changed[i:i + CHUNK])
        fired = _fired(reader.store, rule.name, [f"event:{e.pk}" for e in evs])
        for e in evs:
            level = sum(1 for t in rule.again_at_sources if (e.sources or 0) >= t)
            key = f"event:{e.pk}"
            if key in fired and fired[key] >= level:
                continue
            if level:
                reason = (f"{_what(e)}: now reported by {e.sources} sources (threshold "
                          f"{rule.again_at_sources[level - 1]})")
            else:
                reason = f"{_what(e)}: matches rule {rule.name!r}"
            out.append(_Candidate(rule, key, level, e, reason, {"sources": e.sources}))
    return out


def _what(e: EventCluster) -> str:
    a = ", ".join(e.actor_names) or "unknown actor"
    r = ", ".join(e.recipient_names) or "no recipient"
    return f"{e.type} {a} -> {r}" + ("" if e.status == "asserted" else f" ({e.status})")


def _eval_spike(rule: Rule, reader: _Reader, changed: list[int]) -> list[_Candidate]:
    weeks: set[tuple[tuple[str, str], date]] = set()
    for i in range(0, len(changed), CHUNK):
        for e in reader.matching(rule, changed[i:i + CHUNK]):
            if e.day:
                weeks.update((p, week_of(e.day)) for p in pairs(rule, e))
    out = []
    fired = _fired(reader.store, rule.name,
                   [f"spike:{pair_key(rule, p)}:{week_label(w)}" for p, w in weeks])
    for pair, monday in sorted(weeks):
        key = f"spike:{pair_key(rule, pair)}:{week_label(monday)}"
        if key in fired:
            continue
        start = monday - timedelta(days=7 * rule.baseline_weeks)
        end = monday + timedelta(days=6)
        cond, params = _pair_condition(rule, pair)
        bg = "" if rule.include_background else " AND d.background = 0"
        pks = [int(r[0]) for r in reader.store.query(
            f"SELECT DISTINCT d.event_pk FROM event_dyads d WHERE {cond} AND d.day >= ? AND d.day <= ?{bg}",
            [*params, start.isoformat(), end.isoformat()])]
        this_week: list[EventCluster] = []
        before = 0
        for e in reader.matching(rule, sorted(pks)):
            if not e.day or pair not in pairs(rule, e):
                continue
            if week_of(e.day) == monday:
                this_week.append(e)
            else:
                before += 1
        count = len(this_week)
        baseline = before / rule.baseline_weeks
        if count >= rule.min_count and count > rule.factor * baseline:
            newest = max(this_week, key=lambda e: e.pk)
            label = f"{pair[0]} -> {pair[1]}" if rule.directed else f"{pair[0]} <-> {pair[1]}"
            reason = (f"{label}: {count} {rule.direction} events in week {week_label(monday)}, above "
                      f"{rule.factor:g} x the trailing {rule.baseline_weeks}-week baseline of {baseline:.2f} a week")
            detail = {"pair": list(pair), "directed": rule.directed, "week": week_label(monday),
                      "week_start": monday.isoformat(), "count": count, "baseline": round(baseline, 4),
                      "baseline_weeks": rule.baseline_weeks, "factor": rule.factor, "direction": rule.direction,
                      "events": sorted(e.pk for e in this_week)}
            out.append(_Candidate(rule, key, 0, newest, reason, detail))
    return out


def _eval_first_pair(rule: Rule, reader: _Reader, changed: list[int], seen: set[str]) -> list[_Candidate]:
    out = []
    for i in range(0, len(changed), CHUNK):
        evs = reader.matching(rule, changed[i:i + CHUNK])
        keyed = [(e, p, f"first:{pair_key(rule, p)}") for e in evs for p in sorted(pairs(rule, e))]
        fired = _fired(reader.store, rule.name, [k for _, _, k in keyed])
        for e, pair, key in keyed:
            if key in fired or key in seen:
                continue
            if _earlier_pair_event(rule, reader, pair, e.pk):
                continue
            seen.add(key)
            a, b = pair
            reason = f"first event between {a} and {b}" + (f" ({a} -> {b})" if rule.directed else "") \
                + f" in the store: {_what(e)}"
            out.append(_Candidate(rule, key, 0, e, reason, {"pair": list(pair), "directed": rule.directed}))
    return out


def _earlier_pair_event(rule: Rule, reader: _Reader, pair: tuple[str, str], pk: int) -> bool:
    cond, params = _pair_condition(rule, pair)
    bg = "" if rule.include_background else " AND d.background = 0"
    last = 0
    while True:
        pks = [int(r[0]) for r in reader.store.query(
            f"SELECT DISTINCT d.event_pk FROM event_dyads d WHERE {cond} AND d.event_pk > ? AND d.event_pk < ?{bg} "
            "ORDER BY d.event_pk LIMIT 200", [*params, last, pk])]
        if not pks:
            return False
        if any(pair in pairs(rule, e) for e in reader.matching(rule, pks)):
            return True
        last = pks[-1]


def _alert(c: _Candidate, reps: list[Report], fired_at: str) -> Alert:
    e = c.event
    first = reps[0] if reps else None
    urls = list(dict.fromkeys(r.url for r in reps if r.url))
    return Alert(
        rule=c.rule.name, kind=c.rule.kind, key=c.key, level=c.level, fired_at=fired_at, reason=c.reason,
        event_id=e.pk, date=e.day, type=e.type, quad=e.quad, status=e.status, intensity=e.intensity,
        actor_names=list(e.actor_names), recipient_names=list(e.recipient_names),
        actor_countries=list(e.actor_countries), recipient_countries=list(e.recipient_countries),
        evidence=first.evidence if first else e.evidence, url=first.url if first else e.source_url,
        source=first.source if first else None, article_id=first.article_id if first else None,
        published=first.published if first else None, sources=e.sources, urls=urls, detail=c.detail)


def _as_ruleset(rules: RuleSet | Sequence[Rule] | str | Path) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, (str, Path)):
        return load_rules(rules)
    rules = tuple(rules)
    if not all(isinstance(r, Rule) for r in rules):
        raise ConfigError("rules must be a RuleSet, a list of Rule records or the path of a YAML rules file")
    names = [r.name for r in rules]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise ConfigError(f"two rules are named {dup!r}: give every rule its own name")
    return RuleSet(rules)


def run_rules(store: Store, rules: RuleSet | Sequence[Rule] | str | Path, *, sinks: Sequence[Any] | None = None,
              backfill: bool = True, start_after: int | None = None, rescan: bool = False,
              on_error: Callable[[str], None] | None = None) -> list[Alert]:
    """Evaluate ``rules`` over the events not yet evaluated, store the alerts that fire, send them.

    ``rules``: a :class:`RuleSet`, a list of :class:`Rule` or a YAML file. ``sinks``: objects with
    ``id`` and ``send(alert)`` (see :mod:`dyads.alerts.sinks`); ``None`` means the rules file's
    ``sinks`` (none if it has none: the alerts are only stored and returned). A rule not seen
    before starts at the beginning of the store when ``backfill``, else after mention
    ``start_after`` (default: the newest mention, so only what is stored from now on); ``rescan``
    evaluates every rule from the beginning (alerts already fired do not fire again).

    Alerts are stored (with a pending delivery per sink) in one transaction with the rules' cursors,
    then sent. A sink that fails does not stop the run: the failure is recorded in
    ``alert_deliveries``, reported through ``on_error`` and retried at the next run (at most
    :data:`dyads.alerts.sinks.MAX_ROUNDS` runs). Returns the alerts fired by this run, in order.
    """
    from .sinks import deliver_pending, sinks_from_specs

    ruleset = _as_ruleset(rules)
    if sinks is None:
        sinks = sinks_from_specs(ruleset.sinks)
    head = int(store.scalar("SELECT COALESCE(MAX(pk), 0) FROM event_mentions"))
    known = {name: int(cur) for name, cur in store.query("SELECT name, last_mention FROM alert_rules")}
    reader = _Reader(store)
    changed_by_cursor: dict[int, list[int]] = {}
    candidates: list[_Candidate] = []
    cursors: dict[str, int] = {}
    for rule in ruleset.rules:
        if rescan:
            cursor = 0
        elif rule.name in known:
            cursor = known[rule.name]
        elif backfill:
            cursor = 0
        else:
            cursor = head if start_after is None else max(0, min(int(start_after), head))
        cursors[rule.name] = cursor
        if cursor not in changed_by_cursor:
            changed_by_cursor[cursor] = _changed(store, cursor, head) if cursor < head else []
        changed = changed_by_cursor[cursor]
        if not changed:
            continue
        if rule.kind == "event":
            candidates += _eval_event(rule, reader, changed)
        elif rule.kind == "spike":
            candidates += _eval_spike(rule, reader, changed)
        else:
            candidates += _eval_first_pair(rule, reader, changed, set())
    reps = reader.reports(sorted({c.event.pk for c in candidates})) if candidates else {}
    fired_at = now_iso()
    new: list[Alert] = []
    sink_ids = [s.id for s in sinks]
    with store.transaction():
        for c in candidates:
            alert = _alert(c, reps.get(c.event.pk, []), fired_at)
            pk = _insert_alert(store, alert)
            if pk is None:
                continue  # another run fired it meanwhile
            alert.id = pk
            new.append(alert)
            for sid in sink_ids:
                store.execute("INSERT INTO alert_deliveries (alert_pk, sink, state, attempts, at) VALUES "
                              "(?, ?, 'pending', 0, ?)", (pk, sid, fired_at))
        for rule in ruleset.rules:
            definition = json.dumps(rule.to_dict(), ensure_ascii=False, sort_keys=True)
            if rule.name in known:
                store.execute("UPDATE alert_rules SET kind = ?, definition = ?, last_mention = ?, updated_at = ? "
                              "WHERE name = ?", (rule.kind, definition, max(head, cursors[rule.name]), fired_at,
                                                 rule.name))
            else:
                store.execute("INSERT INTO alert_rules (name, kind, definition, last_mention, updated_at) VALUES "
                              "(?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, definition = "
                              "excluded.definition, last_mention = excluded.last_mention, updated_at = "
                              "excluded.updated_at", (rule.name, rule.kind, definition, head, fired_at))
    deliver_pending(store, sinks, on_error=on_error)
    return new


def _insert_alert(store: Store, alert: Alert) -> int | None:
    data = json.dumps(alert.to_dict(), ensure_ascii=False)
    cur = store.execute("INSERT INTO alerts (rule, kind, key, level, event_pk, day, fired_at, data) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule, key, level) DO NOTHING RETURNING pk",
                        (alert.rule, alert.kind, alert.key, alert.level, alert.event_id, alert.date, alert.fired_at,
                         data))
    row = cur.fetchone()
    return int(row[0]) if row else None


# --------------------------------------------------------------------------- reading alerts


def list_alerts(store: Store, rule: str | None = None, kind: str | None = None, since: str | None = None,
                until: str | None = None, limit: int | None = 100, offset: int = 0) -> tuple[list[Alert], int]:
    """Alerts fired, newest first, and how many match: by ``rule`` name, ``kind``, and the day they
    fired (``since``/``until``, YYYY-MM-DD inclusive, UTC)."""
    from ..errors import check_date

    since, until = check_date(since, "--since"), check_date(until, "--until")
    where, params = [], []
    if rule:
        where.append("rule = ?")
        params.append(rule)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if since:
        where.append("SUBSTR(fired_at, 1, 10) >= ?")
        params.append(since)
    if until:
        where.append("SUBSTR(fired_at, 1, 10) <= ?")
        params.append(until)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.scalar(f"SELECT COUNT(*) FROM alerts{cond}", params))
    sql = f"SELECT pk, data FROM alerts{cond} ORDER BY pk DESC"
    qp = list(params)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        qp += [int(limit), int(offset)]
    out = []
    for pk, data in store.query(sql, qp):
        a = Alert.from_dict(json.loads(data))
        a.id = int(pk)
        out.append(a)
    return out, total


def alert_rule_names(store: Store) -> list[tuple[str, str, int]]:
    """Every rule that has run on this store: (name, kind, alerts fired), by name."""
    counts = {r: int(n) for r, n in store.query("SELECT rule, COUNT(*) FROM alerts GROUP BY rule")}
    return [(name, kind, counts.get(name, 0))
            for name, kind in store.query("SELECT name, kind FROM alert_rules ORDER BY name")]


def stored_rule(store: Store, name: str) -> Rule:
    """The definition a rule had when it last ran on this store."""
    rows = store.query("SELECT definition FROM alert_rules WHERE name = ?", (name,))
    if not rows:
        known = [n for n, _, _ in alert_rule_names(store)]
        raise ConfigError(f"no rule named {name!r} has run on this store"
                          + (f"; known: {', '.join(known)}" if known else "; run `dyads alerts run` first")
                          + ", or give the rules file with --rules FILE")
    try:
        return Rule.from_dict(json.loads(rows[0][0]), f"stored rule {name!r}")
    except (ValueError, TypeError) as exc:
        raise StoreError(f"stored rule {name!r} is unreadable ({exc}); run `dyads alerts run` again") from None
