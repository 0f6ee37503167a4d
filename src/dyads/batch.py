"""Batch extraction: JSON lines in, one result per line out, in input order, on N processes.

Input lines: ``{"id", "text", "published", "title", "source", "url"}`` (only ``text`` is
required). A line that fails becomes ``{"id": ..., "error": "..."}``; the batch goes on and
the exit code is 1 when any line failed.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import DyadsError, InputError

_ACTORS_FILE: str | None = None


def _init(actors_file: str | None) -> None:
    global _ACTORS_FILE
    _ACTORS_FILE = actors_file
    from . import gazetteer, nlp

    nlp.load()
    gazetteer.with_user_actors(actors_file)


def process_line(args: tuple[int, str]) -> tuple[int, str, bool]:
    """(line number, raw line) -> (line number, output JSON line, ok)."""
    from .pipeline import extract

    n, line = args
    rec_id = f"line-{n}"
    try:
        rec = json.loads(line)
        if not isinstance(rec, dict):
            raise InputError("line is not a JSON object")
        rec_id = str(rec.get("id") or rec_id)
        if not isinstance(rec.get("text"), str):
            raise InputError("line has no 'text' string")
        res = extract(rec["text"], published=rec.get("published") or rec.get("date"), source=rec.get("source"),
                      url=rec.get("url"), title=rec.get("title"), id=rec_id, actors_file=_ACTORS_FILE)
        return n, json.dumps(res.to_dict(), ensure_ascii=False), True
    except json.JSONDecodeError as exc:
        err = f"line {n} is not valid JSON ({exc.msg} at column {exc.colno})"
    except DyadsError as exc:
        err = str(exc)
    except Exception as exc:  # one bad document never kills a batch
        err = f"internal error: {type(exc).__name__}: {exc}"
    return n, json.dumps({"id": rec_id, "error": err}, ensure_ascii=False), False


def _lines(path: str) -> Iterator[tuple[int, str]]:
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
    try:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield n, line
    finally:
        if fh is not sys.stdin:
            fh.close()


def map_lines(lines: Iterable[tuple[int, str]], workers: int = 2, actors_file: str | None = None):
    """Ordered results of :func:`process_line` over ``lines`` on ``workers`` processes."""
    if workers <= 1:
        _init(actors_file)
        for item in lines:
            yield process_line(item)
        return
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(actors_file,)) as pool:
        yield from pool.imap(process_line, lines, chunksize=4)


def run_jsonl(path: str, *, workers: int = 2, actors_file: str | None = None, out=sys.stdout,
              progress: bool = True) -> int:
    if path != "-" and not Path(path).exists():
        raise InputError(f"file {path!r} does not exist")
    total = None
    if path != "-":
        with open(path, "rb") as fh:
            total = sum(1 for line in fh if line.strip())
    bar = None
    if progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=sys.stderr, dynamic_ncols=True)
    failed = 0
    done = 0
    for n, line, ok in map_lines(_lines(path), workers=max(1, workers), actors_file=actors_file):
        out.write(line + "\n")
        done += 1
        if not ok:
            failed += 1
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    print(f"dyads: {done} articles, {failed} failed", file=sys.stderr)
    return 1 if failed else 0
