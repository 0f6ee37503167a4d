"""``dyads watch``: the thin command over :mod:`dyads.watch` (registered by :mod:`dyads.cli`).

``python -m dyads.cli_watch watch ...`` runs it on its own.
"""
from __future__ import annotations

import argparse
import re
import signal
import sys
import threading

from .cli_store import _add_db, _open, _print
from .errors import ConfigError

WATCH_EXAMPLES = """examples:
  dyads watch feeds.yaml --db corpus.db                  # poll every 15 minutes until stopped
  dyads watch feeds.txt --db corpus.db --every 5m
  dyads watch feeds.yaml --db corpus.db --once --quiet   # one poll, for cron
  dyads watch feeds.yaml --db postgresql://me@dbhost/events --rules alerts.yaml
  dyads watch --failures --db corpus.db                  # what failed, and why
  dyads watch --feeds --db corpus.db --format json       # each feed's last poll and validators

FEEDS is YAML:
  feeds:
    - https://news.example.org/world/rss.xml             # RSS or Atom (kind detected)
    - url: https://news.example.org/sitemap-news.xml
      kind: sitemap
      name: Example News                                 # the articles' source
    - url: watchlist.txt                                 # page URLs, one a line
      kind: urls
or plain text, one 'URL' or 'KIND URL' a line (KIND: feed, sitemap, urls).

Each page is fetched once and stored once (even across restarts and kill -9); failures are
kept with their reason and never stop the loop; robots.txt is honoured. One line per poll on
standard error (none with --quiet). SIGTERM or Ctrl-C stops between two items. Exit code 0,
or 1 when a --once poll could read none of its feeds. Run it under systemd or cron: see
docs/monitoring.md.
"""

_UNITS = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_SIZES = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 10**6, "mb": 10**6, "mib": 2**20,
          "g": 10**9, "gb": 10**9, "gib": 2**30}


def parse_duration(value: str, what: str = "duration") -> float:
    """``'15m'``, ``'30s'``, ``'1h30m'``, ``'0.5s'``, ``'90'`` (seconds) -> seconds."""
    text = str(value).strip().lower()
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h|d)?", text)
    if not text or not parts or re.sub(r"(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h|d)?", "", text).strip():
        raise ConfigError(f"{what} {value!r} is not a duration: use e.g. 30s, 15m, 1h or 1h30m")
    return sum(float(n) * _UNITS[u or "s"] for n, u in parts)


def parse_size(value: str, what: str = "size") -> int:
    """``'5MB'``, ``'500kB'``, ``'1048576'`` -> bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", str(value).lower())
    if not m or m.group(2) not in _SIZES:
        raise ConfigError(f"{what} {value!r} is not a size: use e.g. 5MB, 500kB or a number of bytes")
    return int(float(m.group(1)) * _SIZES[m.group(2)])


def _alert_hook(path: str):
    """``on_ingested`` from the alert rules in ``path`` (dyads.alerts, issue 13 part 2)."""
    try:
        from . import alerts
    except ImportError:
        raise ConfigError(f"--rules {path}: this dyads has no alert rules (dyads.alerts); "
                          "watch without --rules, or install a dyads that has them") from None
    if hasattr(alerts, "AlertHook"):
        return alerts.AlertHook(path)
    rules = alerts.load_rules(path)
    return lambda store, article_ids: alerts.run_rules(store, rules)


def _stop_on_signals(stop: threading.Event, quiet: bool):
    """SIGTERM/SIGINT set ``stop`` (the run ends between two items); a second SIGINT interrupts at once."""
    def handler(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        if not quiet:
            print(f"dyads watch: {signal.Signals(signum).name}: stopping after the current item", file=sys.stderr)

    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach the main thread only (a caller's thread runs without them)
    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore():
        for sig, h in old.items():
            signal.signal(sig, h)
    return restore


def cmd_watch(args) -> int:
    from .feeds import load_sources
    from .fetch import FetchPolicy
    from .watch import Ledger, WatchOptions, watch

    if args.failures or args.feeds:
        with _open(args) as store:
            ledger = Ledger(store)
            if args.failures:
                rows = [r.to_dict() for r in ledger.failures()]
                for r in rows:  # one shape for pages and feeds
                    r.setdefault("state", "feed failed")
                    r.setdefault("reason", r.get("last_error"))
                    r.setdefault("attempts", r.get("errors"))
                    r.setdefault("done_at", r.get("last_polled"))
                cols = ["state", "url", "attempts", "done_at", "next_try", "reason"]
            else:
                rows = [f.to_dict() for f in ledger.feeds()]
                cols = ["url", "kind", "last_polled", "last_status", "items", "polls", "errors", "etag",
                        "last_modified", "last_error"]
        _print(rows, args.format, None if args.format == "json" else cols)
        return 0
    if not args.feeds_file:
        raise ConfigError("give a FEEDS file (YAML or text listing feed URLs), or --failures / --feeds to list "
                          "what a store's watch recorded")
    sources = load_sources(args.feeds_file)
    policy = FetchPolicy(timeout=parse_duration(args.timeout, "--timeout"), retries=args.retries,
                         backoff=parse_duration(args.backoff, "--backoff"),
                         host_delay=parse_duration(args.host_delay, "--host-delay"),
                         max_bytes=parse_size(args.max_size, "--max-size"), max_redirects=args.max_redirects)
    if args.user_agent:
        policy.user_agent = args.user_agent
    policy.total_timeout = max(policy.total_timeout, 3 * policy.timeout)
    options = WatchOptions(every=parse_duration(args.every, "--every"), max_items=args.max_items,
                           retry_base=parse_duration(args.retry_after, "--retry-after"),
                           max_attempts=args.max_attempts, actors_file=args.actors, fetch=policy).check()
    hook = _alert_hook(args.rules) if args.rules else None
    stop = threading.Event()
    restore = _stop_on_signals(stop, args.quiet)

    def progress(s) -> None:
        if args.quiet:
            return
        for url, reason in s.failures:
            print(f"dyads watch: failed: {url}: {reason}", file=sys.stderr)
        for w in s.warnings:
            print(f"dyads watch: warning: {w}", file=sys.stderr)
        if s.hook_error:
            print(f"dyads watch: alert rules failed (retried next poll): {s.hook_error}", file=sys.stderr)
        print(s.line(), file=sys.stderr, flush=True)

    try:
        with _open(args) as store:
            if not args.quiet and not args.once:
                print(f"dyads watch: {len(sources)} feeds into {args.db or 'dyads.db'}, every {args.every}; "
                      "Ctrl-C stops", file=sys.stderr, flush=True)
            run = watch(store, sources, options, once=args.once, stop=stop, on_ingested=hook, progress=progress)
    finally:
        restore()
        if hook is not None and hasattr(hook, "close"):
            hook.close()
    if run.stopped and not args.quiet:
        print(f"dyads watch: stopped after {run.polls} polls ({run.ingested} articles ingested)", file=sys.stderr)
    last = run.last
    if args.once and last is not None and last.feeds and last.feeds_failed == last.feeds:
        return 1
    return 0


def register_watch(sub, fmt):
    p = sub.add_parser("watch", help="poll RSS/Atom feeds, sitemaps and URL lists; store each new article once",
                       formatter_class=fmt, epilog=WATCH_EXAMPLES,
                       description="Poll feeds on an interval, fetch each new page politely (timeouts, retries, "
                                   "conditional GET,\nper-host rate limit, robots.txt, size cap), take its main text "
                                   "and store it\nthrough the same idempotent path as `dyads ingest`.")
    p.add_argument("feeds_file", nargs="?", metavar="FEEDS", help="YAML or text file listing feeds, sitemaps and "
                                                                  "URL lists")
    _add_db(p)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--every", default="15m", metavar="DURATION", help="time between polls (default 15m; "
                                                                         "e.g. 30s, 5m, 1h)")
    when.add_argument("--once", action="store_true", help="one poll, then exit (for cron)")
    p.add_argument("--quiet", action="store_true", help="no progress or failure lines (for services)")
    p.add_argument("--rules", metavar="FILE", help="alert rules (YAML) run after each poll over the new articles")
    p.add_argument("--actors", metavar="FILE", help="extra actors (YAML or CSV), as for `dyads ingest`")
    net = p.add_argument_group("fetching")
    net.add_argument("--timeout", default="20s", metavar="DURATION",
                     help="to connect, and between two reads (default 20s; a whole response gets 3x, at least 60s)")
    net.add_argument("--retries", type=int, default=2, metavar="N", help="retries of a time-out or HTTP 5xx/429 "
                                                                         "within a poll (default 2)")
    net.add_argument("--backoff", default="1s", metavar="DURATION", help="wait before the first retry, doubled for "
                                                                         "each next one (default 1s)")
    net.add_argument("--host-delay", default="1s", metavar="DURATION",
                     help="at least this long between two requests to one host (default 1s; a longer robots.txt "
                          "Crawl-delay wins)")
    net.add_argument("--max-size", default="5MB", metavar="SIZE", help="largest response accepted (default 5MB)")
    net.add_argument("--max-redirects", type=int, default=5, metavar="N", help="redirects followed (default 5)")
    net.add_argument("--max-items", type=int, default=200, metavar="N", help="pages fetched per poll at most; the "
                                                                             "rest wait (default 200)")
    net.add_argument("--retry-after", default="10m", metavar="DURATION",
                     help="a failed page is tried again after this, doubled per attempt (default 10m)")
    net.add_argument("--max-attempts", type=int, default=5, metavar="N", help="tries of one page before it fails "
                                                                              "for good (default 5)")
    net.add_argument("--user-agent", metavar="UA", help="User-Agent header (robots.txt rules are read for 'dyads')")
    look = p.add_argument_group("listing (no polling)")
    look.add_argument("--failures", action="store_true", help="list pages and feeds that failed, with the reason")
    look.add_argument("--feeds", action="store_true", help="list watched feeds: last poll, status, validators")
    look.add_argument("--format", choices=["table", "csv", "json"], default="table",
                      help="format of --failures / --feeds (default: table)")
    p.set_defaults(func=cmd_watch)


COMMANDS = [register_watch]


def main(argv: list[str] | None = None) -> int:
    """Run ``dyads watch`` without the rest of the ``dyads`` CLI."""
    from .cli import _Formatter, run

    parser = argparse.ArgumentParser(prog="dyads", formatter_class=_Formatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_watch(sub, _Formatter)
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
