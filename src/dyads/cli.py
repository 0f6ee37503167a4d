"""Command-line interface: a thin layer over the library.

Every command turns :class:`dyads.errors.DyadsError` into a one-line message on stderr
and a non-zero exit code; no traceback reaches the user.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import ConfigError, DyadsError, InputError

EXTRACT_EXAMPLES = """examples:
  dyads extract story.txt --published 2024-06-18
  dyads extract story.txt --published 2026-03-04 --format table   # "background" marks history it recalls
  dyads extract page.html --format table
  cat story.txt | dyads extract - --source "Harbour Wire" --url https://example.org/a
  dyads extract story.txt --actors my_actors.yaml --format json > result.json
  dyads extract --jsonl articles.jsonl --workers 2 > results.jsonl
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"file {path!r} does not exist")
    if p.is_dir():
        raise InputError(f"{path!r} is a directory; give one article file (or use `dyads ingest` for folders)")
    return p.read_bytes()


def _print_table(result, out) -> None:
    from .render import table

    out.write(table(result))


def cmd_extract(args) -> int:
    from .pipeline import extract

    if args.jsonl:
        from .batch import run_jsonl

        return run_jsonl(args.jsonl, workers=args.workers, actors_file=args.actors, out=sys.stdout,
                         progress=not args.quiet)
    if not args.file:
        raise ConfigError("give an article FILE, '-' for standard input, or --jsonl FILE")
    raw = _read_input(args.file)
    result = extract(raw, published=args.published, source=args.source, url=args.url,
                     title=args.title, actors_file=args.actors,
                     html=True if args.html else None)
    if args.format == "table":
        _print_table(result, sys.stdout)
    else:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
        sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dyads", formatter_class=_Formatter,
        description="Turn English news articles into sourced political event data:\n"
                    "who did what to whom, when, where, and according to whom.",
        epilog="examples:\n  dyads extract story.txt --format table\n  dyads extract --help\n",
    )
    p.add_argument("--version", action="version", version=f"dyads {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    e = sub.add_parser("extract", help="extract actors, events and quotes from one article",
                       formatter_class=_Formatter, epilog=EXTRACT_EXAMPLES,
                       description="Read one article (plain text or HTML) and print its extraction.\n"
                                   "An event dated more than a year before --published gets \"background\": true\n"
                                   "(history the story recalls; corpus queries leave it out by default).")
    e.add_argument("file", nargs="?", help="article file (.txt or .html), or - for standard input")
    e.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (resolves 'Tuesday', 'last week' ...)")
    e.add_argument("--source", metavar="NAME", help="outlet name")
    e.add_argument("--url", metavar="URL", help="article URL")
    e.add_argument("--title", metavar="T", help="article title")
    e.add_argument("--format", choices=["json", "table"], default="json", help="output format (default: json)")
    e.add_argument("--compact", action="store_true", help="one-line JSON")
    e.add_argument("--html", action="store_true", help="treat the input as HTML even if it does not look like it")
    e.add_argument("--actors", metavar="FILE", default=os.environ.get("DYADS_ACTORS"),
                   help="extra actors, YAML or CSV with name, aliases, country, sector, kind (kind person: also role, start_year, end_year) (env DYADS_ACTORS)")
    e.add_argument("--jsonl", metavar="FILE",
                   help='batch mode: lines {"id","text","published","title","source","url"}; one result per line')
    e.add_argument("--workers", type=int, default=2, metavar="N", help="batch worker processes (default: 2)")
    e.add_argument("--quiet", action="store_true", help="no progress bar in batch mode")
    e.set_defaults(func=cmd_extract)

    for extra in _extra_commands():
        extra(sub, _Formatter)
    return p


def _extra_commands():
    """Commands contributed by other modules (classify, eval, ingest ...), when present."""
    cmds = []
    for mod_name in ("dyads.cli_more", "dyads.cli_store", "dyads.cli_watch", "dyads.cli_alerts", "dyads.serve"):
        try:
            mod = __import__(mod_name, fromlist=["register"])
        except ImportError:
            continue
        cmds.extend(mod.COMMANDS)
    return cmds


def main(argv: list[str] | None = None) -> int:
    return run(build_parser(), argv)


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse and run a command; user errors and bugs become one line on stderr."""
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except DyadsError as exc:
        print(f"dyads: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dyads: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not a user error: one line, the traceback only on request
        if os.environ.get("DYADS_DEBUG"):
            raise
        print(f"dyads: internal error: {type(exc).__name__}: {exc} "
              "(a bug in dyads; rerun with DYADS_DEBUG=1 for the traceback and please report it)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
