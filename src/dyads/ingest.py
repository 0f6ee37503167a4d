"""Corpus ingest: many articles into a store, safely, on local processes or a Dask cluster.

Inputs (``paths``; directories are searched recursively, files in sorted order):

* ``.txt`` — one article per file; ``.html``/``.htm`` — one web page per file (main text is
  extracted). Metadata for these comes from a ``manifest.jsonl`` in the same folder (lines
  ``{"file", "title", "source", "url", "published"}``), which is itself not an input.
* ``.jsonl`` — one article per line: ``{"id", "text", "title", "published" (or "date"),
  "source", "url"}``, only ``text`` required.
* ``.csv`` — a header row with the same columns (``text`` required).
* ``-`` — standard input: JSON lines when it starts with ``{``, otherwise one article.

Rules:

* **Content hash.** Each article is identified by the SHA-256 of its text (of the file's bytes
  for ``.txt``/``.html``). An article whose hash is already stored, or that appeared earlier
  in the same run, is a *duplicate*: it is skipped before extraction.
* **Pure extraction, single writer.** :func:`extract_item` is a pure function (payload dict in,
  result dict out) that runs in worker processes — a local ``multiprocessing`` pool
  (``workers``) or Dask workers (``dask="local"`` starts a ``LocalCluster(n_workers=2,
  threads_per_worker=1)``, any other value is a scheduler address). Only the calling process
  writes, one transaction per article (:meth:`dyads.store.Store.add_result`), in input order
  (Dask results are streamed back with ``as_completed`` and re-ordered), so event clusters do
  not depend on the engine and a run killed at any moment (SIGKILL included) and re-run stores
  every article exactly once.
* **Watching.** ``dyads watch`` (:mod:`dyads.watch`) stores the pages it fetches through the same
  two steps, :func:`extract_item` then :meth:`Store.add_result` with the content hash of the page's
  main text, so a page is stored once whichever command brought it.
* **Failures** (unreadable files, bad JSON lines, rows without text, extraction errors) are
  written to the ``failures`` table with their reason; the batch goes on. The
  :class:`IngestSummary` counts new, duplicate and failed articles.
* **Progress**: a tqdm bar with rate and ETA on standard error, only when it is a terminal.

This is the library; the command is ``dyads ingest`` (or ``python -m dyads.cli_store ingest``) in
:mod:`dyads.cli_store`, a thin layer over :func:`ingest`. Nothing here imports the CLI.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, DyadsError
from .records import ArticleResult
from .store import Store, content_hash

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
MANIFEST = "manifest.jsonl"
CHUNK = 128


@dataclass
class IngestSummary:
    """What one ingest run did."""

    seen: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int = 0  # event mentions stored by this run
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (item, reason), first 20

    @property
    def rate(self) -> float:
        """New articles stored per second."""
        return self.new / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "new": self.new, "duplicate": self.duplicate, "failed": self.failed,
                "events": self.events, "seconds": round(self.seconds, 2), "rate": round(self.rate, 2)}

    def line(self) -> str:
        return (f"dyads: {self.seen} articles: {self.new} new, {self.duplicate} duplicate, {self.failed} failed "
                f"({self.events} event mentions, {self.seconds:.1f} s, {self.rate:.1f} articles/s)")


@dataclass
class Item:
    """One input article (or one unreadable input, when ``error`` is set)."""

    where: str  # file path, "file:line" or "file:row"
    payload: dict[str, Any] | None = None
    hash: str | None = None
    error: str | None = None


# --------------------------------------------------------------------------- reading


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    p = folder / MANIFEST
    out: dict[str, dict[str, Any]] = {}
    if p.is_file():
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and rec.get("file"):
                out[str(rec["file"])] = rec
    return out


def _record_item(rec: Any, where: str, default_id: str) -> Item:
    if not isinstance(rec, dict):
        return Item(where, error="not a JSON object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return Item(where, error="no 'text'")
    payload = {
        "id": str(rec.get("id") or default_id), "text": text,
        "published": (rec.get("published") or rec.get("date") or None),
        "title": rec.get("title") or None, "source": rec.get("source") or None, "url": rec.get("url") or None,
    }
    return Item(where, payload, content_hash(text))


def _jsonl_items(lines: Iterable[str], label: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{label}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(where, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _record_item(rec, where, f"{Path(label).stem}-{n}")


def _csv_items(fh: io.TextIOBase, label: str) -> Iterator[Item]:
    reader = csv.DictReader(fh)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield Item(label, error="CSV needs a header row with a 'text' column (and id,title,published,source,url)")
        return
    for n, row in enumerate(reader, 2):
        yield _record_item(row, f"{label}:{n}", f"{Path(label).stem}-{n}")


def _file_items(p: Path, meta: dict[str, Any] | None) -> Iterator[Item]:
    label = str(p)
    suffix = p.suffix.lower()
    try:
        if suffix == ".jsonl":
            with open(p, encoding="utf-8", errors="replace") as fh:
                yield from _jsonl_items(fh, label)
            return
        if suffix == ".csv":
            csv.field_size_limit(1 << 30)
            with open(p, encoding="utf-8", errors="replace", newline="") as fh:
                yield from _csv_items(fh, label)
            return
        raw = p.read_bytes()
    except OSError as exc:
        yield Item(label, error=f"cannot read: {exc.strerror or exc}")
        return
    meta = meta or {}
    payload = {"id": str(meta.get("id") or p.stem), "text": raw, "published": meta.get("published"),
               "title": meta.get("title"), "source": meta.get("source"), "url": meta.get("url"),
               "html": suffix in (".html", ".htm") or None}
    yield Item(label, payload, content_hash(raw))


def iter_items(paths: Iterable[str | Path], stdin: io.TextIOBase | None = None) -> Iterator[Item]:
    """Every input article under ``paths`` in a stable order (see the module docstring)."""
    for path in paths:
        if str(path) == "-":
            data = (stdin or sys.stdin).read()
            if data.lstrip().startswith("{"):
                yield from _jsonl_items(data.splitlines(), "stdin")
            elif data.strip():
                yield Item("stdin", {"id": None, "text": data}, content_hash(data))
            continue
        p = Path(path)
        if p.is_dir():
            manifests: dict[Path, dict[str, dict[str, Any]]] = {}
            for f in sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES):
                if f.name == MANIFEST:
                    continue
                if f.parent not in manifests:
                    manifests[f.parent] = _manifest(f.parent)
                yield from _file_items(f, manifests[f.parent].get(f.name))
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                yield Item(str(p), error=f"unsupported file type {p.suffix or '(none)'}: use {', '.join(SUFFIXES)}")
                continue
            yield from _file_items(p, _manifest(p.parent).get(p.name))
        else:
            yield Item(str(p), error="no such file or directory")


# --------------------------------------------------------------------------- extraction


def extract_item(payload: dict[str, Any]) -> dict[str, Any]:
    """Pure per-article function: payload -> ``{"ok": True, "result": ...}`` or ``{"ok": False, "error": ...,
    "error_type": ...}`` (the exception's class name, e.g. ``EmptyInputError``, for callers that retry some).

    Safe to run in any process (local pool or Dask worker); never raises.
    """
    from .pipeline import extract

    try:
        res = extract(payload["text"], published=payload.get("published"), source=payload.get("source"),
                      url=payload.get("url"), title=payload.get("title"), id=payload.get("id"),
                      actors_file=payload.get("actors_file"), html=payload.get("html"))
        return {"ok": True, "result": res.to_dict()}
    except DyadsError as exc:
        return {"ok": False, "error": str(exc), "error_type": type(exc).__name__}
    except Exception as exc:  # noqa: BLE001 - one bad article never stops a batch
        return {"ok": False, "error": f"internal error: {type(exc).__name__}: {exc}", "error_type": "internal"}


def _init_worker(actors_file: str | None) -> None:
    from . import gazetteer, nlp

    nlp.load()
    gazetteer.with_user_actors(actors_file)


class _LocalRunner:
    def __init__(self, workers: int, actors_file: str | None):
        self.workers = max(1, workers)
        self.actors_file = actors_file
        self.pool = None
        if self.workers > 1:
            ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
            self.pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(actors_file,))

    def map(self, payloads: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        if self.pool is None:
            for p in payloads:
                yield extract_item(p)
        else:
            yield from self.pool.imap(extract_item, payloads, chunksize=1)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


class _DaskRunner:
    def __init__(self, address: str):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise ConfigError("--dask needs the 'distributed' package: pip install distributed") from exc
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout="20s")
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from exc
        self.window = max(4, 4 * len(self.client.scheduler_info().get("workers", {})))

    def map(self, payloads: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Results in input order, streamed with ``as_completed`` and a re-order buffer."""
        from distributed import as_completed

        it = iter(enumerate(payloads))
        index: dict[str, int] = {}
        ready: dict[int, dict[str, Any]] = {}
        ac = as_completed()
        nxt = 0

        def submit(k: int) -> None:
            for _ in range(k):
                try:
                    i, p = next(it)
                except StopIteration:
                    return
                fut = self.client.submit(extract_item, p, pure=False)
                index[fut.key] = i
                ac.add(fut)

        submit(self.window)
        for fut in ac:
            i = index.pop(fut.key)
            try:
                ready[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker died or the task could not run
                ready[i] = {"ok": False, "error": f"dask task failed: {type(exc).__name__}: {exc}"}
            fut.release()
            submit(1)
            while nxt in ready:
                yield ready.pop(nxt)
                nxt += 1

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# --------------------------------------------------------------------------- driver


def _chunks(items: Iterable[Item], n: int) -> Iterator[list[Item]]:
    buf: list[Item] = []
    for it in items:
        buf.append(it)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def _stored_hashes(store: Store, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 200):
        part = hashes[i:i + 200]
        marks = ", ".join("?" for _ in part)
        found.update(r[0] for r in store.query(f"SELECT hash FROM articles WHERE hash IN ({marks})", part))
    return found


def ingest(paths: Iterable[str | Path], store: Store, workers: int = 2, dask: str | None = None,
           progress: bool = True, actors_file: str | None = None,
           stdin: io.TextIOBase | None = None) -> IngestSummary:
    """Ingest every article under ``paths`` into ``store``; see the module docstring for the rules."""
    t0 = time.perf_counter()
    items = list(iter_items(paths, stdin=stdin))
    summary = IngestSummary(seen=len(items))
    bar = None
    if progress and sys.stderr.isatty():
        from tqdm import tqdm

        sized = shutil.get_terminal_size((0, 0)).columns > 0  # a terminal of unknown width gets 80 columns
        bar = tqdm(total=len(items), unit="article", file=sys.stderr, dynamic_ncols=sized,
                   ncols=None if sized else 80, nrows=None if sized else 24, desc="ingest")

    def fail(item: Item, reason: str) -> None:
        summary.failed += 1
        if len(summary.failures) < 20:
            summary.failures.append((item.where, reason))
        store.add_failure(item.where, (item.payload or {}).get("id"), reason)

    runner: _LocalRunner | _DaskRunner | None = None
    seen_hashes: set[str] = set()
    try:
        for chunk in _chunks(items, CHUNK):
            stored = _stored_hashes(store, [i.hash for i in chunk if i.hash])
            todo: list[Item] = []
            for item in chunk:
                if item.error:
                    fail(item, item.error)
                elif item.hash in stored or item.hash in seen_hashes:
                    summary.duplicate += 1
                else:
                    seen_hashes.add(item.hash)
                    todo.append(item)
                    continue
                if bar:
                    bar.update(1)
            if not todo:
                continue
            if runner is None:
                runner = _DaskRunner(dask) if dask else _LocalRunner(workers, actors_file)
            payloads = [dict(i.payload, actors_file=actors_file) for i in todo]
            for item, out in zip(todo, runner.map(payloads), strict=True):
                if out.get("ok"):
                    result = ArticleResult.from_dict(out["result"])
                    if store.add_result(result, item.hash):
                        summary.new += 1
                        summary.events += len(result.events)
                    else:
                        summary.duplicate += 1
                else:
                    fail(item, out.get("error") or "unknown error")
                if bar:
                    bar.update(1)
    finally:
        if runner is not None:
            runner.close()
        if bar:
            bar.close()
    summary.seconds = time.perf_counter() - t0
    return summary


if __name__ == "__main__":  # pragma: no cover - say where the command is instead of doing nothing
    sys.exit("dyads: dyads.ingest is the library; the command is `dyads ingest ...` "
             "(or `python -m dyads.cli_store ingest ...`)")
