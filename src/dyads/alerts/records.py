"""The alert record: what an alert says, as stored (``alerts.data``), sent to sinks and listed by the API."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Alert:
    """One alert: a rule that fired, with the evidence that made it fire."""

    rule: str
    kind: str  # event | spike | first_pair
    key: str  # what it fired for: event:<id>, spike:<pair>:<week>, first:<pair>
    level: int  # 0: first firing; n: the cluster reached the rule's n-th again_at_sources threshold
    fired_at: str  # UTC, YYYY-MM-DDTHH:MM:SSZ
    reason: str
    event_id: int | None = None
    date: str | None = None  # the event's day (YYYY-MM-DD)
    type: str | None = None
    quad: str | None = None
    status: str | None = None
    intensity: float | None = None
    actor_names: list[str] = field(default_factory=list)
    recipient_names: list[str] = field(default_factory=list)
    actor_countries: list[str] = field(default_factory=list)
    recipient_countries: list[str] = field(default_factory=list)
    evidence: str = ""
    url: str | None = None  # the article that first reported the event
    source: str | None = None
    article_id: str | None = None
    published: str | None = None
    sources: int = 0
    urls: list[str] = field(default_factory=list)  # every article that reported it
    detail: dict[str, Any] = field(default_factory=dict)  # spike: pair, week, count, baseline ...
    id: int | None = None  # in the store

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Alert:
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})
