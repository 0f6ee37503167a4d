"""Readable terminal views of results (``--format table``)."""
from __future__ import annotations

import shutil

from .records import ArticleResult


def _clip(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: max(0, n - 1)] + "…"


def _rows(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)),
           "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(_clip(c, w).ljust(w) for c, w in zip(r, widths)))
    return out


def table(result: ArticleResult) -> str:
    width = max(80, min(160, shutil.get_terminal_size((120, 20)).columns))
    names = {a.id: a.name for a in result.actors}
    a = result.article
    lines = [f"Article {a.id}" + (f" — {a.title}" if a.title else ""),
             "  ".join(x for x in (a.source or "", a.published or "", a.url or "") if x),
             f"{len(result.sentences)} sentences, {len(result.actors)} actors, "
             f"{len(result.events)} events, {len(result.quotes)} quotes, {len(result.removed)} removed", ""]
    lines.append("ACTORS")
    lines += _rows(["id", "name", "kind", "ctry", "sector", "title", "mentions"],
                   [[x.id, x.name, x.kind, x.country or "-", x.sector or "-", x.title or "-",
                     str(len(x.mentions))] for x in result.actors],
                   [4, 28, 12, 4, 6, max(10, width - 74), 8])
    lines.append("")
    lines.append("EVENTS")
    ev_rows = []
    for e in result.events:
        who = "+".join(names.get(i, i) for i in e.actor) or "?"
        whom = "+".join(names.get(i, i) for i in e.recipient) or "-"
        extra = []
        if e.attributed_to:
            extra.append("per " + "+".join(names.get(i, i) for i in e.attributed_to))
        if e.denied_by:
            extra.append("denied by " + "+".join(names.get(i, i) for i in e.denied_by))
        ev_rows.append([e.type + (f"/{e.mode}" if e.mode else ""), who, whom, e.status, e.date or "-",
                        ("[background] " if e.background else "") + ("; ".join(extra) or _clip(e.evidence.text, 60))])
    lines += _rows(["type", "actor", "recipient", "status", "date", "evidence / source"], ev_rows,
                   [18, 22, 22, 12, 10, max(20, width - 94)])
    lines.append("")
    lines.append("QUOTES")
    lines += _rows(["speaker", "kind", "quote"],
                   [[names.get(q.speaker, q.speaker_text or "?") if q.speaker else (q.speaker_text or "?"),
                     q.kind, q.text] for q in result.quotes],
                   [22, 8, max(30, width - 34)])
    if result.removed:
        lines.append("")
        lines.append("REMOVED")
        lines += [f"  [{r.reason}] {_clip(r.text, width - 20)}" for r in result.removed]
    if result.warnings:
        lines.append("")
        lines.append("WARNINGS")
        lines += [f"  {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"
