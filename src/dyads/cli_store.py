"""Corpus commands: ingest, events, actors, quotes, dyads, stats, export.

Each ``register_x(sub, fmt)`` adds one subcommand to the ``dyads`` parser (see
:func:`dyads.cli._extra_commands`); each command is a thin layer over :mod:`dyads.ingest`,
:mod:`dyads.query` and :mod:`dyads.store`. The store is ``--db`` (default ``$DYADS_DB`` or
``dyads.db``): a SQLite file path, ``sqlite:///path`` or ``postgresql://user@host:port/db``.
``python -m dyads.cli_store COMMAND ...`` runs these commands on their own.
"""
from __future__ import annotations

import argparse
import os
import sys

DB_HELP = "store: SQLite file, sqlite:///path or postgresql://user@host/db (default: $DYADS_DB or dyads.db)"

INGEST_EXAMPLES = """examples:
  dyads ingest articles/                          # .txt/.html (+ manifest.jsonl), .jsonl, .csv, recursively
  dyads ingest stories.jsonl --db corpus.db --workers 4
  cat story.txt | dyads ingest - --db corpus.db
  dyads ingest stories.jsonl --db postgresql://me@dbhost/events --dask local
  dyads ingest stories.jsonl --db postgresql://me@dbhost/events --dask tcp://scheduler:8786

Re-running is safe: articles already stored (same content hash) are skipped, and a run killed
at any moment leaves each article stored once or not at all. Exit code 0: nothing failed;
1: some articles failed (see `failures` in the store). On a real Dask cluster, start
`dask scheduler` and `dask worker tcp://scheduler:8786` on machines with dyads installed and
point --dask at the scheduler; results stream back to this process, which writes the store.
"""

EVENTS_EXAMPLES = """examples:
  dyads events --actor RUS --recipient PRK --since 2024-01-01 --until 2024-06-30
  dyads events --type AID --status asserted --format csv > aid.csv
  dyads events --actor "Kim Jong Un" --text "missile launch" --format json
  dyads events --actor JPN --include-background   # also history the stories recall (e.g. a 1945 event)
"""

ACTORS_EXAMPLES = """examples:
  dyads actors --country RUS
  dyads actors --name putin --format json
"""

QUOTES_EXAMPLES = """examples:
  dyads quotes --speaker Lavrov
  dyads quotes --format csv > quotes.csv
"""

DYADS_EXAMPLES = """examples:
  dyads dyads --by month
  dyads dyads --by week --actor USA --recipient CHN --format csv
  dyads dyads --by month --include-background     # count background events too
"""

STATS_EXAMPLES = """examples:
  dyads stats
  dyads stats --format json
"""

EXPORT_EXAMPLES = """examples:
  dyads export --format csv --out events.csv
  dyads export --format parquet --out events.parquet
  dyads export --format graphml --out actors.graphml      # open in Gephi
  dyads export --format gdelt --out events.gdelt.tsv       # GDELT 2.0 column names
  dyads export --format jsonl --include-background --out all.jsonl   # with background events

Background events (dated more than a year before every article that reported them: history a
story recalls, not news) stay in the store but are left out unless --include-background.
"""


def _db_default() -> str:
    return os.environ.get("DYADS_DB") or "dyads.db"


def _add_db(p) -> None:
    p.add_argument("--db", default=None, metavar="DB", help=DB_HELP)


def _add_format(p) -> None:
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default: table)")


def _add_background(p) -> None:
    p.add_argument("--include-background", action="store_true",
                   help="also background events: dated more than a year before every article that reported "
                        "them (left out by default)")


def _add_page(p) -> None:
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N rows (default 100; 0 = all)")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N rows")


def _open(args):
    from .store import open_store

    return open_store(args.db or _db_default())


def _limit(args) -> int | None:
    return None if args.limit == 0 else args.limit


def _print(rows, fmt: str, columns=None) -> None:
    from .query import format_rows

    if not rows and fmt == "table":
        print("(no rows)", file=sys.stderr)
        return
    sys.stdout.write(format_rows(rows, fmt, columns))


# --------------------------------------------------------------------------- commands


def cmd_ingest(args) -> int:
    from .ingest import ingest

    with _open(args) as store:
        summary = ingest(args.paths, store, workers=args.workers, dask=args.dask, progress=not args.quiet,
                         actors_file=args.actors)
    for where, reason in summary.failures:
        print(f"dyads: failed: {where}: {reason}", file=sys.stderr)
    if summary.failed > len(summary.failures):
        print(f"dyads: ... and {summary.failed - len(summary.failures)} more failures (table 'failures')",
              file=sys.stderr)
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


EVENT_COLUMNS = ["id", "day", "type", "status", "actor_names", "recipient_names", "actor_countries",
                 "recipient_countries", "intensity", "mentions", "sources", "evidence"]


def cmd_events(args) -> int:
    from .query import events

    with _open(args) as store:
        rows = events(store, actor=args.actor, recipient=args.recipient, type=args.type, status=args.status,
                      since=args.since, until=args.until, text=args.text, limit=_limit(args), offset=args.offset,
                      include_background=args.include_background)
    columns = EVENT_COLUMNS + ["background"] if args.include_background else EVENT_COLUMNS
    _print([e.to_dict() for e in rows], args.format, None if args.format == "json" else columns)
    return 0


def cmd_actors(args) -> int:
    from .query import actors

    with _open(args) as store:
        rows = actors(store, name=args.name, country=args.country, kind=args.kind, sector=args.sector,
                      limit=_limit(args), offset=args.offset)
    _print([a.to_dict() for a in rows], args.format,
           None if args.format == "json" else ["id", "name", "kind", "country", "sector", "mentions", "articles"])
    return 0


def cmd_quotes(args) -> int:
    from .query import quotes

    with _open(args) as store:
        rows = quotes(store, speaker=args.speaker, limit=_limit(args), offset=args.offset)
    _print([q.to_dict() for q in rows], args.format,
           None if args.format == "json" else ["id", "article", "speaker_name", "speaker_text", "kind", "text"])
    return 0


def cmd_dyads(args) -> int:
    from .query import dyads

    with _open(args) as store:
        rows = dyads(store, by=args.by, actor=args.actor, recipient=args.recipient, since=args.since,
                     until=args.until, include_background=args.include_background)
    _print(rows, args.format)
    return 0


def cmd_stats(args) -> int:
    import json

    from .query import stats

    with _open(args) as store:
        s = stats(store)
    if args.format == "json":
        sys.stdout.write(json.dumps(s) + "\n")
    else:
        _print([{"what": k, "count": v} for k, v in s.items()], args.format)
    return 0


def cmd_export(args) -> int:
    from .query import export

    with _open(args) as store:
        n = export(store, args.format, args.out, include_background=args.include_background)
    print(f"dyads: exported {n} {'edges' if args.format == 'graphml' else 'events'}"
          + (f" to {args.out}" if args.out and args.out != "-" else ""), file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- registration


def register_ingest(sub, fmt):
    p = sub.add_parser("ingest", help="extract articles into a corpus store (SQLite or PostgreSQL)",
                       formatter_class=fmt, epilog=INGEST_EXAMPLES,
                       description="Extract every article under PATH... and store articles, actors, events "
                                   "(one per real happening across articles), quotes and places.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.txt .html .jsonl .csv), - for stdin")
    _add_db(p)
    p.add_argument("--workers", type=int, default=2, metavar="N", help="local extraction processes (default 2)")
    p.add_argument("--dask", metavar="ADDRESS", help="extract on a Dask cluster: scheduler address, or 'local'")
    p.add_argument("--actors", metavar="FILE", default=os.environ.get("DYADS_ACTORS"),
                   help="extra actors file (YAML or CSV; env DYADS_ACTORS)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)


def _add_event_filters(p) -> None:
    p.add_argument("--actor", metavar="WHO", help="actor: country code (RUS), actor id or name words")
    p.add_argument("--recipient", metavar="WHO", help="recipient: country code (PRK), actor id or name words")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this day")


def register_events(sub, fmt):
    p = sub.add_parser("events", help="list stored events (one per real happening)", formatter_class=fmt,
                       epilog=EVENTS_EXAMPLES, description="Query event clusters in the store.")
    _add_db(p)
    _add_event_filters(p)
    p.add_argument("--type", metavar="PLOVER", help="PLOVER type, e.g. AID, ASSAULT")
    p.add_argument("--status", choices=["asserted", "future", "hypothetical", "negated"], help="event status")
    p.add_argument("--text", metavar="WORDS", help="words that must all occur in the evidence")
    _add_background(p)
    _add_format(p)
    _add_page(p)
    p.set_defaults(func=cmd_events)


def register_actors(sub, fmt):
    p = sub.add_parser("actors", help="list stored actors (merged across articles)", formatter_class=fmt,
                       epilog=ACTORS_EXAMPLES, description="Actors by canonical identity, most mentioned first.")
    _add_db(p)
    p.add_argument("--name", metavar="WORDS", help="name contains")
    p.add_argument("--country", metavar="ISO3", help="country code")
    p.add_argument("--kind", choices=["person", "organization", "state", "group"], help="actor kind")
    p.add_argument("--sector", metavar="CODE", help="sector code, e.g. GOV, MIL")
    _add_format(p)
    _add_page(p)
    p.set_defaults(func=cmd_actors)


def register_quotes(sub, fmt):
    p = sub.add_parser("quotes", help="list stored quotes", formatter_class=fmt, epilog=QUOTES_EXAMPLES,
                       description="Quotes with their speakers.")
    _add_db(p)
    p.add_argument("--speaker", metavar="NAME", help="speaker name contains")
    _add_format(p)
    _add_page(p)
    p.set_defaults(func=cmd_quotes)


def register_dyads(sub, fmt):
    p = sub.add_parser("dyads", help="event counts per directed country pair over time", formatter_class=fmt,
                       epilog=DYADS_EXAMPLES,
                       description="Per actor country -> recipient country and period: events by quad class "
                                   "and mean intensity.")
    _add_db(p)
    p.add_argument("--by", choices=["day", "week", "month"], default="month", help="period (default: month)")
    _add_event_filters(p)
    _add_background(p)
    _add_format(p)
    p.set_defaults(func=cmd_dyads)


def register_stats(sub, fmt):
    p = sub.add_parser("stats", help="counts of articles, events, actors and quotes", formatter_class=fmt,
                       epilog=STATS_EXAMPLES, description="What the store holds.")
    _add_db(p)
    _add_format(p)
    p.set_defaults(func=cmd_stats)


def register_export(sub, fmt):
    p = sub.add_parser("export", help="export events (csv, jsonl, parquet, gdelt) or the actor network (graphml)",
                       formatter_class=fmt, epilog=EXPORT_EXAMPLES,
                       description="Write every event cluster, or the actor network as GraphML for Gephi "
                                   "(background events only with --include-background).")
    _add_db(p)
    p.add_argument("--format", choices=["csv", "jsonl", "parquet", "graphml", "gdelt"], required=True,
                   help="export format")
    p.add_argument("--out", metavar="FILE", default="-", help="output file (default: standard output; "
                                                              "parquet needs a file)")
    _add_background(p)
    p.set_defaults(func=cmd_export)


COMMANDS = [register_ingest, register_events, register_actors, register_quotes, register_dyads, register_stats,
            register_export]


def main(argv: list[str] | None = None) -> int:
    """Run one of these commands without the rest of the ``dyads`` CLI."""
    from .cli import _Formatter

    parser = argparse.ArgumentParser(prog="dyads", formatter_class=_Formatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for reg in COMMANDS:
        reg(sub, _Formatter)
    from .cli import run

    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
