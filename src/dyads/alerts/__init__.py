"""Alerts: rules over the event store that fire, once per happening, with the sentence and the link.

>>> from dyads.alerts import load_rules, run_rules
>>> from dyads.store import open_store
>>> with open_store("corpus.db") as store:
...     for alert in run_rules(store, load_rules("rules.yaml")):   # events not yet evaluated
...         print(alert.rule, alert.date, alert.evidence, alert.url)

* :mod:`dyads.alerts.rules`: the YAML rules file, validated into :class:`Rule` records;
* :mod:`dyads.alerts.engine`: what is evaluated, when an alert fires (once per event cluster, again at
  source thresholds; weekly spikes over a trailing baseline; the first event of a pair) and
  :func:`list_alerts`;
* :mod:`dyads.alerts.records`: the :class:`Alert` record;
* :mod:`dyads.alerts.sinks`: standard output, a file, a signed and retried webhook.

A process that stores articles (``dyads watch``) calls an :class:`AlertHook` after each batch::

    on_ingested = AlertHook("rules.yaml")          # rules and sinks checked now
    ...
    alerts = on_ingested(store, article_ids)       # after storing those articles
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .engine import alert_rule_names, list_alerts, matches, run_rules, stored_rule
from .records import Alert
from .rules import Rule, RuleSet, SinkSpec, load_rules, parse_rules
from .sinks import FileSink, StdoutSink, WebhookSink, sign, sinks_from_specs, verify_signature

__all__ = ["Alert", "AlertHook", "FileSink", "Rule", "RuleSet", "SinkSpec", "StdoutSink", "WebhookSink",
           "alert_rule_names", "list_alerts", "load_rules", "matches", "parse_rules", "run_rules", "sign",
           "sinks_from_specs", "stored_rule", "verify_signature"]


class AlertHook:
    """``on_ingested(store, article_ids)`` for a process that stores articles as they come.

    Rules and sinks are loaded and checked when the hook is made (a bad rules file fails at start,
    not at the first article). Each call runs :func:`run_rules` over the events not yet evaluated;
    a rule new to the store starts at the first event of ``article_ids`` (not at the store's
    history) unless ``backfill``. Returns the alerts fired. Delivery failures go to ``on_error``
    (default: a line on standard error) and are retried at the next call.
    """

    def __init__(self, rules: RuleSet | Sequence[Rule] | str | Path, sinks: Sequence[Any] | None = None,
                 backfill: bool = False, on_error: Callable[[str], None] | None = None):
        from .engine import _as_ruleset

        self.rules = _as_ruleset(rules)
        self.sinks = list(sinks) if sinks is not None else sinks_from_specs(self.rules.sinks)
        if not self.sinks and sinks is None:
            self.sinks = [StdoutSink()]
        self.backfill = backfill
        self.on_error = on_error or _stderr

    def __call__(self, store, article_ids: Sequence[str] = ()) -> list[Alert]:
        start_after = None
        ids = list(article_ids or ())
        if ids:
            first = None
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                marks = ", ".join("?" for _ in part)
                low = store.scalar(f"SELECT MIN(m.pk) FROM event_mentions m JOIN articles a ON a.pk = m.article_pk "
                                   f"WHERE a.id IN ({marks})", part)
                if low is not None:
                    first = int(low) if first is None else min(first, int(low))
            if first is not None:
                start_after = first - 1
        return run_rules(store, self.rules, sinks=self.sinks, backfill=self.backfill, start_after=start_after,
                         on_error=self.on_error)

    def close(self) -> None:
        for s in self.sinks:
            if hasattr(s, "close"):
                s.close()


def _stderr(message: str) -> None:
    import sys

    print(f"dyads: alerts: {message}", file=sys.stderr)
