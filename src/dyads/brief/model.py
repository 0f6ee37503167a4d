"""What a brief says: :func:`build_brief` reads the store and returns a typed :class:`Brief`.

Scope
-----
The events of a brief are the event clusters (one per real happening, :mod:`dyads.aggregate`) that

* match ``actor`` / ``recipient`` as :func:`dyads.query.events` reads them (a country code such as
  ``RUS``, a stored actor id, or words of an actor's name), in that direction, or either way round
  with ``both_directions``; or
* match an alert rule's filters (``rule``; for ``spike`` and ``first_pair`` rules, the events of a
  country pair those rules look at, with a spike's direction);

and whose day lies in ``since`` .. ``until`` (inclusive). Background events (history a story recalls)
are left out unless ``include_background``.

Sections
--------
* **Counts** per quad class and per status, and a **series** per period: ISO weeks when the events
  span at most 26 weeks, months up to 60 months, else years; periods without events count 0.
* **Key events**: the events that happened or were announced (status ``asserted`` or ``future``;
  negated and hypothetical ones are only counted), ranked by *score* = \\|intensity\\| x log2(1 +
  sources), so an event reported by three sources weighs twice as much as one reported by one,
  then by day (latest first). Each has its day, evidence sentence (from its first report) and every
  article that reported it.
* **Claims and denials**: a *claim* is a report of an event as having happened on someone's word
  (``attributed_to``, status asserted, no denial in the sentence); a *denial* is a report whose
  event a party denies (``denied_by``) or a REJECT event whose trigger is a form of "deny". A
  denial is set beside the claim it answers: one of the same type (any type for a REJECT "deny")
  with a country or a party name in common, dated at most :data:`PAIR_DAYS` days apart; among
  several, the same type first, then the same actor and recipient countries, then the most similar
  evidence sentence (content-word overlap, :func:`dyads.aggregate.jaccard`), then the nearest date.
  Each claim answers at most one denial; the rest stand alone.
* **Who said what**: quotes (with a known speaker) from the articles that reported the brief's
  events: quotations (direct, then partial) before reported speech (indirect), within each the
  speakers who are parties to those events first, then the latest.
* **Sources**: every article the brief cites.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..alerts.engine import Report, is_claim, is_denial, matches, needs_reports, pairs, reports, stored_rule
from ..alerts.rules import QUADS, Rule, RuleSet
from ..aggregate import jaccard, tokens
from ..errors import ConfigError, check_date
from ..store import EventCluster, Store, now_iso

PAIR_DAYS = 7
_DENY = re.compile(r"den(y|ies|ied|ying|ials?)\b")
KEY_STATUSES = ("asserted", "future")


@dataclass
class Source:
    """An article the brief cites."""

    article_id: str
    source: str | None
    title: str | None
    url: str | None
    published: str | None


@dataclass
class KeyEvent:
    id: int
    date: str | None
    type: str
    quad: str | None
    status: str
    intensity: float | None
    actors: list[str]
    recipients: list[str]
    actor_countries: list[str]
    recipient_countries: list[str]
    evidence: str
    sources: int
    score: float
    reports: list[Source] = field(default_factory=list)


@dataclass
class Statement:
    """One side of a claim and its denial: who says so, in which sentence, where."""

    event_id: int
    date: str | None
    type: str
    who: list[str]
    evidence: str
    source: Source


@dataclass
class ClaimDenial:
    claim: Statement | None
    denial: Statement | None


@dataclass
class QuoteLine:
    speaker: str
    country: str | None
    text: str
    kind: str
    party: bool  # the speaker is an actor or recipient of one of the brief's events
    source: Source


@dataclass
class PeriodCount:
    period: str  # 2024-W23, 2024-06 or 2024
    start: str  # its first day
    verbal_cooperation: int = 0
    material_cooperation: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0
    other: int = 0  # no quad class

    @property
    def total(self) -> int:
        return (self.verbal_cooperation + self.material_cooperation + self.verbal_conflict
                + self.material_conflict + self.other)


@dataclass
class BriefAlert:
    fired_at: str
    date: str | None
    reason: str
    event_id: int | None
    url: str | None


@dataclass
class Brief:
    title: str
    scope: dict[str, Any]
    generated_at: str
    events: int
    first_day: str | None
    last_day: str | None
    by_quad: dict[str, int]
    by_status: dict[str, int]
    by: str  # week | month | year
    series: list[PeriodCount]
    key_events: list[KeyEvent]
    claims: list[ClaimDenial]
    quotes: list[QuoteLine]
    sources: list[Source]
    alerts: list[BriefAlert] = field(default_factory=list)  # with a rule: the latest it fired

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for row, p in zip(d["series"], self.series, strict=True):
            row["total"] = p.total
        return d


# --------------------------------------------------------------------------- building


def build_brief(store: Store, actor: str | None = None, recipient: str | None = None, since: str | None = None,
                until: str | None = None, rule: str | Rule | None = None, rules: RuleSet | None = None,
                both_directions: bool = False, include_background: bool = False, top: int = 10,
                quotes: int = 12, title: str | None = None) -> Brief:
    """The brief of the events in scope (see the module docstring). ``rule``: a :class:`Rule`, or the
    name of one in ``rules`` or, without ``rules``, as it last ran on this store."""
    from .. import query

    since, until = check_date(since, "--since"), check_date(until, "--until")
    if since and until and since > until:
        raise ConfigError(f"--since {since} is after --until {until}; swap them")
    if top < 1 or quotes < 0:
        raise ConfigError("--top must be at least 1 and --quotes at least 0")
    the_rule: Rule | None = None
    if rule is not None:
        if actor or recipient:
            raise ConfigError("give either a rule (--rule) or --actor/--recipient, not both: the rule says whom")
        the_rule = rule if isinstance(rule, Rule) else (rules.get(rule) if rules else stored_rule(store, rule))
        include_background = include_background or the_rule.include_background
        rows = query.events(store, since=since, until=until, limit=None, include_background=include_background)
        evs = [e for e in rows if _in_rule(the_rule, e)]
        if needs_reports(the_rule):
            reps = reports(store, [e.pk for e in evs])
            evs = [e for e in evs if matches(the_rule, e, reps.get(e.pk))]
    else:
        evs = query.events(store, actor=actor, recipient=recipient, since=since, until=until, limit=None,
                           include_background=include_background)
        if both_directions and (actor or recipient):
            seen = {e.pk for e in evs}
            evs += [e for e in query.events(store, actor=recipient, recipient=actor, since=since, until=until,
                                            limit=None, include_background=include_background) if e.pk not in seen]
    evs.sort(key=lambda e: (e.day is None, e.day or "", e.pk))
    reps = reports(store, [e.pk for e in evs])
    scope = {"actor": actor, "recipient": recipient, "since": since, "until": until,
             "rule": the_rule.name if the_rule else None, "both_directions": both_directions,
             "include_background": include_background}
    days = [e.day for e in evs if e.day]
    by_quad = {q: 0 for q in QUADS}
    by_status: dict[str, int] = {}
    for e in evs:
        if e.quad in by_quad:
            by_quad[e.quad] += 1
        by_status[e.status] = by_status.get(e.status, 0) + 1
    by, series = _series(evs, since, until)
    key = _key_events(evs, reps, top)
    claims = _claims(evs, reps, top)
    cited: dict[str, Source] = {}
    for k in key:
        for s in k.reports:
            cited.setdefault(s.article_id, s)
    for c in claims:
        for st in (c.claim, c.denial):
            if st:
                cited.setdefault(st.source.article_id, st.source)
    quote_lines = _quotes(store, evs, reps, quotes)
    for q in quote_lines:
        cited.setdefault(q.source.article_id, q.source)
    alerts = []
    if the_rule is not None:
        from ..alerts.engine import list_alerts

        for a in list_alerts(store, rule=the_rule.name, limit=20)[0]:
            alerts.append(BriefAlert(a.fired_at, a.date, a.reason, a.event_id, a.url))
    return Brief(
        title=title or _title(actor, recipient, the_rule, both_directions, since, until),
        scope=scope, generated_at=now_iso(), events=len(evs), first_day=min(days) if days else None,
        last_day=max(days) if days else None, by_quad=by_quad, by_status=dict(sorted(by_status.items())), by=by,
        series=series, key_events=key, claims=claims, quotes=quote_lines,
        sources=sorted(cited.values(), key=lambda s: (s.published or "", s.source or "", s.article_id)),
        alerts=alerts)


def _in_rule(rule: Rule, e: EventCluster) -> bool:
    """A rule's filters, without the claimed/denied statuses (those need the reports: checked after)."""
    from dataclasses import replace

    loose = replace(rule, status=()) if {"claimed", "denied"} & set(rule.status) else rule
    if not matches(loose, e):
        return False
    return rule.kind == "event" or bool(pairs(rule, e))


def _country_label(code: str | None) -> str | None:
    if not code:
        return None
    if len(code) == 3 and code.isalpha() and code.isupper():
        from ..gazetteer import base

        return base().country_name(code) or code
    return code


def _title(actor, recipient, rule, both, since, until) -> str:
    if rule is not None:
        head = f"Brief: rule {rule.name}"
    else:
        a = _country_label(actor) or "anyone"
        r = _country_label(recipient) or "anyone"
        head = f"Brief: {a} {'and' if both else '→'} {r}" if (actor or recipient) else "Brief: all events"
    if since or until:
        head += f", {since or 'start'} – {until or 'now'}"
    return head


def _score(e: EventCluster) -> float:
    return round(abs(e.intensity or 0.0) * math.log2(1 + max(1, e.sources or 1)), 3)


def _source(r: Report) -> Source:
    return Source(r.article_id, r.source, r.title, r.url, r.published)


def _key_events(evs: list[EventCluster], reps: dict[int, list[Report]], top: int) -> list[KeyEvent]:
    cand = [e for e in evs if e.status in KEY_STATUSES]
    cand.sort(key=lambda e: (-_score(e), -(e.sources or 0), -(date.fromisoformat(e.day).toordinal() if e.day else 0),
                             e.pk))
    out = []
    for e in cand[:top]:
        rs = reps.get(e.pk, [])
        arts: dict[str, Source] = {}
        for r in rs:
            arts.setdefault(r.article_id, _source(r))
        out.append(KeyEvent(e.pk, e.day, e.type, e.quad, e.status, e.intensity, list(e.actor_names),
                            list(e.recipient_names), list(e.actor_countries), list(e.recipient_countries),
                            rs[0].evidence if rs else e.evidence, e.sources, _score(e), list(arts.values())))
    return out


def _is_deny_reject(e: EventCluster) -> bool:
    return e.type == "REJECT" and bool(_DENY.match((e.trigger or "").strip().lower()))


def _claims(evs: list[EventCluster], reps: dict[int, list[Report]], top: int) -> list[ClaimDenial]:
    claims: list[tuple[EventCluster, Statement]] = []
    denials: list[tuple[EventCluster, Statement]] = []
    for e in evs:
        rs = reps.get(e.pk, [])
        c = next((r for r in rs if is_claim(r)), None)
        if c is not None:
            claims.append((e, Statement(e.pk, e.day, e.type, c.attributed_to, c.evidence, _source(c))))
        d = next((r for r in rs if is_denial(r)), None)
        if d is not None:
            denials.append((e, Statement(e.pk, e.day, e.type, d.denied_by, d.evidence, _source(d))))
        elif _is_deny_reject(e) and rs:
            denials.append((e, Statement(e.pk, e.day, e.type, list(e.actor_names), rs[0].evidence, _source(rs[0]))))
    used: set[int] = set()
    rows: list[ClaimDenial] = []
    for de, ds in denials:
        best = None
        for i, (ce, cs) in enumerate(claims):
            if i in used or ce.pk == de.pk or not _related(ce, de):
                continue
            if ce.type != de.type and not _is_deny_reject(de):
                continue  # "X denied the attack" answers a claimed attack, not a claimed expulsion
            gap = _gap(ce.day, de.day)
            if gap is not None and gap > PAIR_DAYS:
                continue
            same_pair = bool(set(ce.actor_countries) & set(de.actor_countries)) \
                and bool(set(ce.recipient_countries) & set(de.recipient_countries))
            rank = (0 if ce.type == de.type else 1, 0 if same_pair else 1,
                    -jaccard(tokens(cs.evidence), tokens(ds.evidence)),
                    gap if gap is not None else PAIR_DAYS + 1, ce.pk)
            if best is None or rank < best[0]:
                best = (rank, i)
        if best is not None:
            used.add(best[1])
            rows.append(ClaimDenial(claims[best[1]][1], ds))
        else:
            rows.append(ClaimDenial(None, ds))
    rows += [ClaimDenial(cs, None) for i, (_, cs) in enumerate(claims) if i not in used]

    def order(row: ClaimDenial):
        st = row.claim or row.denial
        both = 0 if row.claim and row.denial else 1
        return (both, st.date or "9999", st.event_id)

    rows.sort(key=order)
    return rows[:max(top, sum(1 for r in rows if r.claim and r.denial))]


def _related(a: EventCluster, b: EventCluster) -> bool:
    ca = set(a.actor_countries) | set(a.recipient_countries)
    cb = set(b.actor_countries) | set(b.recipient_countries)
    if ca & cb:
        return True
    na = {n.lower() for n in (*a.actor_names, *a.recipient_names)}
    nb = {n.lower() for n in (*b.actor_names, *b.recipient_names)}
    return bool(na & nb)


def _gap(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _quotes(store: Store, evs: list[EventCluster], reps: dict[int, list[Report]], limit: int) -> list[QuoteLine]:
    if not limit or not evs:
        return []
    art_ids = sorted({r.article_id for e in evs for r in reps.get(e.pk, [])})
    parties = {pk for e in evs for pk in (*e.actors, *e.recipients)}
    rows = []
    for i in range(0, len(art_ids), 500):
        part = art_ids[i:i + 500]
        marks = ", ".join("?" for _ in part)
        rows += store.query(
            "SELECT q.pk, q.text, q.kind, q.speaker_pk, ac.name, ac.country, q.speaker_text, ar.id, ar.source, "
            "ar.title, ar.url, ar.published FROM quotes q JOIN articles ar ON ar.pk = q.article_pk "
            f"LEFT JOIN actors ac ON ac.pk = q.speaker_pk WHERE ar.id IN ({marks})", part)
    kinds = {"direct": 0, "partial": 1, "indirect": 2}
    lines = []
    seen: set[tuple[str, str]] = set()
    for pk, text, kind, spk, name, country, spk_text, aid, source, title, url, published in rows:
        speaker = name or spk_text
        if not speaker or not (text or "").strip():
            continue
        k = (speaker.lower(), " ".join(text.split()).lower())
        if k in seen:
            continue
        seen.add(k)
        party = spk is not None and int(spk) in parties
        lines.append(((kind == "indirect", not party, kinds.get(kind, 3),
                       -(date.fromisoformat(published).toordinal() if published else 0), int(pk)),
                      QuoteLine(speaker, country, " ".join(text.split()), kind, party,
                                Source(aid, source, title, url, published))))
    lines.sort(key=lambda x: x[0])
    return [q for _, q in lines[:limit]]


# --------------------------------------------------------------------------- the series


def _period_start(d: date, by: str) -> date:
    if by == "week":
        return d - timedelta(days=d.weekday())
    if by == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def _next(d: date, by: str) -> date:
    if by == "week":
        return d + timedelta(days=7)
    if by == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def _label(d: date, by: str) -> str:
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if by == "month":
        return d.strftime("%Y-%m")
    return str(d.year)


def _series(evs: list[EventCluster], since: str | None, until: str | None) -> tuple[str, list[PeriodCount]]:
    days = sorted(date.fromisoformat(e.day) for e in evs if e.day)
    if not days:
        return "week", []
    lo = max(days[0], date.fromisoformat(since)) if since else days[0]
    hi = min(days[-1], date.fromisoformat(until)) if until else days[-1]
    span = (hi - lo).days
    by = "week" if span <= 26 * 7 else "month" if span <= 60 * 31 else "year"
    periods: dict[date, PeriodCount] = {}
    d = _period_start(lo, by)
    while d <= hi:
        periods[d] = PeriodCount(_label(d, by), d.isoformat())
        d = _next(d, by)
    for e in evs:
        if not e.day:
            continue
        p = periods.get(_period_start(date.fromisoformat(e.day), by))
        if p is None:
            continue
        key = (e.quad or "").replace(" ", "_")
        if key in ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"):
            setattr(p, key, getattr(p, key) + 1)
        else:
            p.other += 1
    return by, list(periods.values())
