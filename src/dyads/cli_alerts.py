"""Monitoring commands: ``dyads alerts run|list|check`` and ``dyads brief``.

Thin layers over :mod:`dyads.alerts` and :mod:`dyads.brief`; the store is ``--db`` as for the
other corpus commands (:mod:`dyads.cli_store`).
"""
from __future__ import annotations

import sys

from .cli_store import DB_HELP, _open

RULES_EXAMPLE = """\
a rules file (YAML):
  sinks:                                  # default: JSON lines on standard output
    - file: alerts.jsonl
    - webhook: https://hooks.example.org/dyads
      secret_env: DYADS_WEBHOOK_SECRET    # HMAC-SHA256 key; header X-Dyads-Signature: sha256=<hex>
  rules:
    - name: rus-prk-material-conflict
      actor: RUS                          # country codes of the actor side (a list: any of them)
      recipient: PRK
      quad: material conflict             # or conflict / cooperation; type: [ASSAULT, COERCE]
      status: [asserted, claimed]         # also future, hypothetical, negated, denied
      max_intensity: -5                   # min_intensity, max_intensity on PLOVER's -10..+10
      min_sources: 2                      # distinct sources reporting the event
      again_at_sources: 5                 # fire once more when 5 sources report it
    - name: rus-ukr-conflict-spike
      kind: spike                         # weekly count > factor x mean of the baseline weeks before
      actor: RUS
      recipient: UKR
      direction: conflict
      factor: 3
      baseline_weeks: 8
      min_count: 3
    - name: new-pairs
      kind: first_pair                    # the first event ever stored between two countries
"""

ALERTS_EXAMPLES = """examples:
  dyads alerts run --rules rules.yaml --db corpus.db           # evaluate what is new since the last run
  dyads alerts run --rules rules.yaml --db corpus.db --jsonl alerts.jsonl --quiet
  DYADS_WEBHOOK_SECRET=s3cret dyads alerts run --rules rules.yaml --webhook https://hooks.example.org/x
  dyads alerts run --rules rules.yaml --rescan                  # everything again (no alert fires twice)
  dyads alerts list --db corpus.db --rule rus-prk-material-conflict --format json
  dyads alerts check --rules rules.yaml                         # validate the file only

""" + RULES_EXAMPLE + """
Each alert fires once per event cluster (one real happening, however many articles report it),
and once more when the cluster reaches each again_at_sources threshold; spikes once per pair and
week, first_pair once per pair. Alerts are stored before they are sent; a failed delivery is
retried at the next run. `dyads watch` runs the same rules after each poll.
"""

RUN_EXAMPLES = """examples:
  dyads alerts run --rules rules.yaml --db corpus.db
  dyads alerts run --rules rules.yaml --db corpus.db --no-backfill    # new rules: only events from now on
  dyads alerts run --rules rules.yaml --jsonl alerts.jsonl --no-stdout
"""

LIST_EXAMPLES = """examples:
  dyads alerts list --db corpus.db
  dyads alerts list --db corpus.db --rule new-pairs --since 2024-06-01 --format csv
"""

BRIEF_EXAMPLES = """examples:
  dyads brief --actor RUS --recipient PRK --since 2024-06-01 --db corpus.db > brief.md
  dyads brief --actor RUS --recipient PRK --both-directions --format html -o brief.html
  dyads brief --rule rus-prk-material-conflict --since 2024-06-01 --format html -o brief.html
  dyads brief --rule rus-ukr-conflict-spike --rules rules.yaml         # the rule as written in the file
  dyads brief --actor "Kim Jong Un" --until 2024-12-31                  # names work as in `dyads events`
  dyads brief --actor RUS --format json | jq '.key_events[0]'

The brief counts the events in scope by quad class, charts them over time (weeks, months or
years, by span), lists the key events ranked by |intensity| x log2(1 + sources) with their
evidence and every article that reported them, sets claims beside the denials that answer them,
and quotes who said what. Markdown renders on any forge; HTML is one self-contained file.
"""

LIST_COLUMNS = ["id", "fired_at", "rule", "kind", "date", "type", "actor_names", "recipient_names", "sources",
                "evidence", "url"]


def _sinks(args, ruleset):
    from .alerts.rules import webhook_spec
    from .alerts.sinks import FileSink, StdoutSink, sinks_from_specs

    from .alerts.rules import SinkSpec

    specs = list(ruleset.sinks) or [SinkSpec("stdout")]  # the file's sinks, else standard output
    if args.webhook:
        specs.append(webhook_spec(args.webhook, secret_env=args.secret_env, label="--webhook"))
    sinks = sinks_from_specs(specs)
    if args.jsonl:
        sinks.append(FileSink(args.jsonl))
    if args.no_stdout:
        sinks = [s for s in sinks if not isinstance(s, StdoutSink)]
    return sinks


def cmd_alerts_run(args) -> int:
    import time

    from .alerts import load_rules, run_rules

    ruleset = load_rules(args.rules)
    sinks = _sinks(args, ruleset)
    failures: list[str] = []

    def on_error(msg: str) -> None:
        failures.append(msg)
        print(f"dyads: alerts: {msg}", file=sys.stderr)

    t0 = time.perf_counter()
    with _open(args) as store:
        alerts = run_rules(store, ruleset, sinks=sinks, backfill=not args.no_backfill, rescan=args.rescan,
                           on_error=on_error)
    for s in sinks:
        if hasattr(s, "close"):
            s.close()
    if not args.quiet:
        by_rule: dict[str, int] = {}
        for a in alerts:
            by_rule[a.rule] = by_rule.get(a.rule, 0) + 1
        detail = ", ".join(f"{r} {n}" for r, n in sorted(by_rule.items()))
        print(f"dyads: alerts: {len(ruleset.rules)} rule(s), {len(alerts)} new alert(s)"
              + (f" ({detail})" if detail else "") + f" in {time.perf_counter() - t0:.2f} s"
              + (f"; {len(failures)} delivery failure(s), retried at the next run" if failures else ""),
              file=sys.stderr)
    return 1 if failures else 0


def cmd_alerts_list(args) -> int:
    import json

    from .alerts import list_alerts
    from .query import format_rows

    with _open(args) as store:
        alerts, total = list_alerts(store, rule=args.rule, kind=args.kind, since=args.since, until=args.until,
                                    limit=None if args.limit == 0 else args.limit, offset=args.offset)
    rows = [a.to_dict() for a in alerts]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif not rows and args.format == "table":
        print("(no alerts)", file=sys.stderr)
    else:
        sys.stdout.write(format_rows(rows, args.format, LIST_COLUMNS))
    if args.format == "table" and total > len(rows):
        print(f"({len(rows)} of {total} alerts shown; --limit 0 for all)", file=sys.stderr)
    return 0


def cmd_alerts_check(args) -> int:
    from .alerts import load_rules
    from .alerts.sinks import sinks_from_specs

    ruleset = load_rules(args.rules)
    sinks_from_specs(ruleset.sinks)  # a webhook's secret variable must be set, a file's folder exist
    for r in ruleset.rules:
        print(f"{r.name}: {r.kind}" + (f" — {r.description}" if r.description else ""))
    print(f"dyads: {args.rules}: {len(ruleset.rules)} rule(s), {len(ruleset.sinks)} sink(s): OK", file=sys.stderr)
    return 0


def cmd_brief(args) -> int:
    from pathlib import Path

    from .alerts import load_rules
    from .brief import build_brief, render
    from .errors import ConfigError

    if args.rules and not args.rule:
        raise ConfigError("--rules FILE goes with --rule NAME (the rule whose events the brief covers)")
    rules = load_rules(args.rules) if args.rules else None
    with _open(args) as store:
        brief = build_brief(store, actor=args.actor, recipient=args.recipient, since=args.since, until=args.until,
                            rule=args.rule, rules=rules, both_directions=args.both_directions,
                            include_background=args.include_background, top=args.top, title=args.title)
    text = render(brief, args.format)
    if args.output and args.output != "-":
        out = Path(args.output)
        if out.is_dir():
            raise ConfigError(f"-o {args.output!r} is a directory; give a file such as {out}/brief.{args.format}")
        if not out.parent.exists():
            raise ConfigError(f"-o {args.output!r}: folder {str(out.parent)!r} does not exist")
        out.write_text(text, encoding="utf-8")
        print(f"dyads: brief of {brief.events} event(s), {len(brief.key_events)} key event(s), "
              f"{len(brief.sources)} source article(s) written to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# --------------------------------------------------------------------------- registration


def register_alerts(sub, fmt):
    p = sub.add_parser("alerts", help="alert rules over the store: run them, list what fired",
                       formatter_class=fmt, epilog=ALERTS_EXAMPLES,
                       description="Rules (YAML) that fire, once per event, with the evidence sentence and the "
                                   "article link,\nto standard output, a file or a signed webhook.")
    asub = p.add_subparsers(dest="alerts_command", metavar="ACTION")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    r = asub.add_parser("run", help="evaluate the rules over events not yet evaluated", formatter_class=fmt,
                        epilog=RUN_EXAMPLES + "\n" + RULES_EXAMPLE,
                        description="Evaluate every rule over the events stored since it last ran (a rule new to "
                                    "the store:\nits whole history, unless --no-backfill), store the alerts that fire "
                                    "and send them.")
    r.add_argument("--rules", required=True, metavar="FILE", help="rules file (YAML)")
    r.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    r.add_argument("--jsonl", metavar="FILE", help="also append the alerts to FILE as JSON lines")
    r.add_argument("--webhook", metavar="URL", help="also POST each alert to URL, signed with --secret-env")
    r.add_argument("--secret-env", metavar="VAR", default="DYADS_WEBHOOK_SECRET",
                   help="environment variable holding the webhook's HMAC key (default DYADS_WEBHOOK_SECRET)")
    r.add_argument("--no-stdout", action="store_true",
                   help="do not print the alerts on standard output (printed unless the rules file lists its own "
                        "sinks without stdout)")
    r.add_argument("--no-backfill", action="store_true",
                   help="rules new to this store start with the events stored from now on")
    r.add_argument("--rescan", action="store_true", help="evaluate every event again (alerts never fire twice)")
    r.add_argument("--quiet", action="store_true", help="no summary line on standard error")
    r.set_defaults(func=cmd_alerts_run)

    ls = asub.add_parser("list", help="list the alerts fired, newest first", formatter_class=fmt,
                         epilog=LIST_EXAMPLES, description="Alerts stored in the store, newest first.")
    ls.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    ls.add_argument("--rule", metavar="NAME", help="only this rule's alerts")
    ls.add_argument("--kind", choices=["event", "spike", "first_pair"], help="only this kind of rule")
    ls.add_argument("--since", metavar="YYYY-MM-DD", help="fired on or after this day (UTC)")
    ls.add_argument("--until", metavar="YYYY-MM-DD", help="fired on or before this day (UTC)")
    ls.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    ls.add_argument("--limit", type=int, default=100, metavar="N", help="at most N alerts (default 100; 0 = all)")
    ls.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N")
    ls.set_defaults(func=cmd_alerts_list)

    c = asub.add_parser("check", help="validate a rules file", formatter_class=fmt,
                        epilog="examples:\n  dyads alerts check --rules rules.yaml\n\n" + RULES_EXAMPLE,
                        description="Read and validate a rules file; print its rules.")
    c.add_argument("--rules", required=True, metavar="FILE", help="rules file (YAML)")
    c.set_defaults(func=cmd_alerts_check)


def register_brief(sub, fmt):
    p = sub.add_parser("brief", help="a sourced brief on a pair or a rule, in Markdown or HTML",
                       formatter_class=fmt, epilog=BRIEF_EXAMPLES,
                       description="Write a brief a person can paste into a report: counts, a chart over time, "
                                   "key events\nwith evidence and sources, claims and denials, and who said what.")
    p.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    p.add_argument("--actor", metavar="WHO", help="actor: country code (RUS), actor id or name words")
    p.add_argument("--recipient", metavar="WHO", help="recipient: country code (PRK), actor id or name words")
    p.add_argument("--both-directions", action="store_true", help="also events from the recipient to the actor")
    p.add_argument("--rule", metavar="NAME", help="the events an alert rule matches (as it last ran on the store, "
                                                  "or from --rules)")
    p.add_argument("--rules", metavar="FILE", help="rules file to read --rule from")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this day")
    p.add_argument("--include-background", action="store_true",
                   help="also background events (dated more than a year before their articles)")
    p.add_argument("--format", choices=["md", "html", "json"], default="md",
                   help="Markdown (default), HTML (one self-contained file) or JSON (the Brief record)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="key events listed (default 10)")
    p.add_argument("--title", metavar="TEXT", help="the brief's title (default: from the scope)")
    p.set_defaults(func=cmd_brief)


COMMANDS = [register_alerts, register_brief]
