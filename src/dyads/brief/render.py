"""A :class:`~dyads.brief.model.Brief` as Markdown or as one self-contained HTML file.

Markdown: GitHub-flavoured tables and plain lists, the series as a table and a text sparkline in a code
span, so it renders the same on any forge. Every piece of stored text (names, evidence, quotes,
titles) is escaped: Markdown's punctuation gets a backslash, ``&`` and newlines are neutralised, and
only ``http(s)`` URLs become links (percent-encoded so that they cannot end the link early).

HTML: one file with no external asset (inline stylesheet, inline SVG chart, no script at all), every
text escaped, only ``http(s)`` links (``rel="noopener noreferrer"``), and a Content-Security-Policy
that allows nothing but that one stylesheet (by its hash) and data: images, so even a mistake in the
escaping could not run anything or load anything.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from urllib.parse import quote

from .. import __version__
from .model import Brief, KeyEvent, PeriodCount, QuoteLine, Source, Statement

QUAD_KEYS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
QUAD_LABEL = {"verbal_cooperation": "Verbal cooperation", "material_cooperation": "Material cooperation",
              "verbal_conflict": "Verbal conflict", "material_conflict": "Material conflict", "other": "No class"}
QUAD_COLOUR = {"verbal_cooperation": "#7fbf7b", "material_cooperation": "#1b7837", "verbal_conflict": "#f4a582",
               "material_conflict": "#b2182b", "other": "#9a9a9a"}
SPARK = "▁▂▃▄▅▆▇█"
PERIOD_NAME = {"week": "Week", "month": "Month", "year": "Year"}


def _safe_url(url: str | None) -> str | None:
    """An http(s) URL with every character that could end a Markdown link or an HTML attribute
    percent-encoded; None for anything else (javascript:, data:, relative ...)."""
    if not url or not re.match(r"^https?://[^\s]+$", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%-._~")


def _intensity(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.1f}".replace("-", "−")


def sparkline(values: list[int]) -> str:
    """One character per value: · for none, else ▁ .. █ scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return "·" * len(values)
    return "".join("·" if v <= 0 else SPARK[min(len(SPARK) - 1, (v * len(SPARK) - 1) // top)] for v in values)


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")


def md(text: object) -> str:
    """Stored text as inert Markdown inline text (one line, punctuation escaped)."""
    s = " ".join(str(text if text is not None else "").split())
    s = s.replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def _md_link(label: str, url: str | None) -> str:
    u = _safe_url(url)
    return f"[{md(label)}]({u})" if u else md(label)


def _md_source(s: Source) -> str:
    label = ", ".join(x for x in (s.source or s.article_id, s.published) if x)
    return _md_link(label, s.url)


def _md_statement(st: Statement | None) -> str:
    if st is None:
        return "—"
    who = md(", ".join(st.who) or "unknown")
    return f"{md(st.date or 'undated')} · **{who}** ({md(st.type)}): “{md(st.evidence)}” {_md_source(st.source)}"


def to_markdown(brief: Brief) -> str:
    """The brief as GitHub-flavoured Markdown."""
    out: list[str] = [f"# {md(brief.title)}", ""]
    out.append(f"_{brief.events} event(s)"
               + (f" from {brief.first_day} to {brief.last_day}" if brief.first_day else "")
               + f"; generated {md(brief.generated_at)} by dyads {__version__} from the event store. Every event"
               " below links to the articles that reported it._")
    out.append("")
    out.append("## Summary")
    out.append("")
    out.append("| Quad class | Events |")
    out.append("|---|---:|")
    for k in QUAD_KEYS:
        out.append(f"| {QUAD_LABEL[k]} | {brief.by_quad.get(k.replace('_', ' '), 0)} |")
    out.append(f"| **All events** | **{brief.events}** |")
    out.append("")
    if brief.by_status:
        out.append("By status: " + ", ".join(f"{n} {md(s)}" for s, n in brief.by_status.items()) + ".")
        out.append("")
    if brief.series:
        out.append("## Over time")
        out.append("")
        totals = [p.total for p in brief.series]
        out.append(f"Events per {brief.by}: `{sparkline(totals)}` ({brief.series[0].period} … "
                   f"{brief.series[-1].period}; busiest {max(totals)})")
        out.append("")
        out.append(f"| {PERIOD_NAME[brief.by]} | V. coop. | M. coop. | V. conflict | M. conflict | All |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for p in brief.series:
            if p.total:
                out.append(f"| {p.period} | " + " | ".join(str(getattr(p, k)) for k in QUAD_KEYS)
                           + f" | {p.total} |")
        if any(not p.total for p in brief.series):
            out.append("")
            out.append(f"_{brief.by.capitalize()}s without events are left out of the table (· in the line above)._")
        out.append("")
    out.append("## Key events")
    out.append("")
    if not brief.key_events:
        out.append("_No event that happened or was announced in this scope._")
    for i, k in enumerate(brief.key_events, 1):
        out.append(_md_key_event(i, k))
    out.append("")
    out.append("## Claims and denials")
    out.append("")
    if not brief.claims:
        out.append("_No claim attributed to a party and no denial in this scope._")
    else:
        out.append("| Claimed | Denied |")
        out.append("|---|---|")
        for row in brief.claims:
            out.append(f"| {_md_statement(row.claim)} | {_md_statement(row.denial)} |")
    out.append("")
    out.append("## Who said what")
    out.append("")
    if not brief.quotes:
        out.append("_No quote with a known speaker in these articles._")
    for q in brief.quotes:
        out.append(_md_quote(q))
    out.append("")
    if brief.alerts:
        out.append(f"## Alerts fired by rule {md(brief.scope.get('rule'))}")
        out.append("")
        for a in brief.alerts:
            out.append(f"- {md(a.date or 'undated')} ({md(a.fired_at)}): {md(a.reason)} "
                       + (_md_link("article", a.url) if a.url else ""))
        out.append("")
    out.append("## Sources")
    out.append("")
    for i, s in enumerate(brief.sources, 1):
        title = s.title or s.article_id
        out.append(f"{i}. {_md_link(title, s.url)} — {md(s.source or 'unknown source')}, "
                   f"{md(s.published or 'undated')}")
    if not brief.sources:
        out.append("_None._")
    out.append("")
    return "\n".join(out)


def _md_key_event(i: int, k: KeyEvent) -> str:
    who = md(", ".join(k.actors) or "unknown actor")
    whom = md(", ".join(k.recipients) or "no recipient")
    status = "" if k.status == "asserted" else f" · {md(k.status)}"
    lines = [f"{i}. **{md(k.date or 'undated')} · {md(k.type)}** · {who} → {whom}{status} · intensity "
             f"{_intensity(k.intensity)} · {k.sources} source(s)",
             f"    > {md(k.evidence)}",
             "",
             "    Reported by: " + "; ".join(_md_source(s) for s in k.reports)]
    return "\n".join(lines) + "\n"


def _md_quote(q: QuoteLine) -> str:
    who = md(q.speaker) + (f" ({md(q.country)})" if q.country else "")
    kind = "" if q.kind == "direct" else f" _({md(q.kind)})_"
    return f"- **{who}**: “{md(q.text)}”{kind} — {_md_source(q.source)}"


# --------------------------------------------------------------------------- HTML

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2129;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde1e6}
.muted{color:#5f6670}.num{text-align:right}table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #dde1e6;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f4f6f8}
blockquote{margin:.3rem 0 .3rem 0;padding:.2rem .8rem;border-left:3px solid #b9c0c8;color:#333}
ol.events>li{margin-bottom:1rem}.tag{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-weight:600}
.verbal_cooperation{background:#7fbf7b}.material_cooperation{background:#1b7837}.verbal_conflict{background:#e08060}
.material_conflict{background:#b2182b}.other{background:#9a9a9a}.legend span{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
svg{max-width:100%;height:auto}footer{margin-top:2rem;font-size:.85rem}
"""


def e(text: object) -> str:
    """Stored text escaped for HTML text and attribute values."""
    return html.escape(str(text if text is not None else ""), quote=True)


def _a(label: str, url: str | None) -> str:
    u = _safe_url(url)
    if not u:
        return e(label)
    return f'<a href="{e(u)}" rel="noopener noreferrer">{e(label)}</a>'


def _h_source(s: Source) -> str:
    return _a(", ".join(x for x in (s.source or s.article_id, s.published) if x), s.url)


def _h_statement(st: Statement | None) -> str:
    if st is None:
        return '<span class="muted">—</span>'
    return (f'{e(st.date or "undated")} · <strong>{e(", ".join(st.who) or "unknown")}</strong> ({e(st.type)})'
            f"<blockquote>{e(st.evidence)}</blockquote>{_h_source(st.source)}")


def chart_svg(series: list[PeriodCount], by: str) -> str:
    """Stacked bars per period, one colour per quad class, with a tooltip per bar."""
    if not series:
        return ""
    width, height, left, bottom, top_m, right = 760, 230, 40, 46, 12, 8
    plot_w, plot_h = width - left - right, height - bottom - top_m
    n = len(series)
    top = max(1, max(p.total for p in series))
    step = min(plot_w / n, 64.0)  # a few periods stay bars, not walls
    bar = max(1.0, step * 0.8)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="events per {e(by)} by quad class">']
    parts.append(f'<line x1="{left}" y1="{top_m + plot_h}" x2="{width - right}" y2="{top_m + plot_h}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" y1="{top_m}" x2="{left}" y2="{top_m + plot_h}" stroke="#888"/>')
    for v in sorted({0, top, top // 2} if top >= 2 else {0, top}):
        y = top_m + plot_h - plot_h * v / top
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#444">{v}</text>')
        if v:
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e6ea"/>')
    every = max(1, -(-n // 12))
    for i, p in enumerate(series):
        x = left + i * step + (step - bar) / 2
        y = top_m + plot_h
        tip = f"{p.period}: {p.total} event(s)" + "".join(
            f", {getattr(p, k)} {QUAD_LABEL[k].lower()}" for k in (*QUAD_KEYS, "other") if getattr(p, k))
        parts.append(f"<g><title>{e(tip)}</title>")
        for k in (*QUAD_KEYS, "other"):
            v = getattr(p, k)
            if not v:
                continue
            h = plot_h * v / top
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{QUAD_COLOUR[k]}"/>')
        parts.append("</g>")
        if i % every == 0 or i == n - 1:
            cx = left + i * step + step / 2
            parts.append(f'<text x="{cx:.1f}" y="{top_m + plot_h + 16}" font-size="10" text-anchor="end" fill="#444" '
                         f'transform="rotate(-35 {cx:.1f} {top_m + plot_h + 16})">{e(p.period)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(brief: Brief) -> str:
    """The brief as one self-contained HTML file (see the module docstring)."""
    css_hash = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; style-src 'sha256-{css_hash}'; img-src data:; base-uri 'none'; "
           "form-action 'none'")
    h: list[str] = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                    f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
                    '<meta name="viewport" content="width=device-width, initial-scale=1">',
                    '<meta name="referrer" content="no-referrer">',
                    f"<title>{e(brief.title)}</title><style>{CSS}</style></head><body>"]
    h.append(f"<h1>{e(brief.title)}</h1>")
    span = f" from {e(brief.first_day)} to {e(brief.last_day)}" if brief.first_day else ""
    h.append(f'<p class="muted">{brief.events} event(s){span}; generated {e(brief.generated_at)} by dyads '
             f"{e(__version__)} from the event store. Every event below links to the articles that reported it.</p>")
    h.append("<h2>Summary</h2><table><thead><tr><th>Quad class</th><th class=\"num\">Events</th></tr></thead><tbody>")
    for k in QUAD_KEYS:
        h.append(f'<tr><td><span class="swatch {k}"></span>{QUAD_LABEL[k]}</td>'
                 f'<td class="num">{brief.by_quad.get(k.replace("_", " "), 0)}</td></tr>')
    h.append(f'<tr><th>All events</th><th class="num">{brief.events}</th></tr></tbody></table>')
    if brief.by_status:
        h.append("<p>By status: " + ", ".join(f"{n} {e(s)}" for s, n in brief.by_status.items()) + ".</p>")
    if brief.series:
        h.append(f"<h2>Over time</h2><p class=\"muted\">Events per {e(brief.by)}, stacked by quad class "
                 "(hover a bar for its counts).</p>")
        h.append(chart_svg(brief.series, brief.by))
        h.append('<p class="legend">' + "".join(f'<span><span class="swatch {k}"></span>{QUAD_LABEL[k]}</span>'
                                               for k in QUAD_KEYS) + "</p>")
    h.append("<h2>Key events</h2>")
    if not brief.key_events:
        h.append('<p class="muted">No event that happened or was announced in this scope.</p>')
    else:
        h.append('<ol class="events">')
        for k in brief.key_events:
            quad = (k.quad or "other").replace(" ", "_")
            status = "" if k.status == "asserted" else f" · {e(k.status)}"
            h.append(f'<li><strong>{e(k.date or "undated")}</strong> <span class="tag {e(quad)}">{e(k.type)}</span> '
                     f'{e(", ".join(k.actors) or "unknown actor")} → {e(", ".join(k.recipients) or "no recipient")}'
                     f'{status} · intensity {_intensity(k.intensity)} · {k.sources} source(s)'
                     f"<blockquote>{e(k.evidence)}</blockquote>Reported by: "
                     + "; ".join(_h_source(s) for s in k.reports) + "</li>")
        h.append("</ol>")
    h.append("<h2>Claims and denials</h2>")
    if not brief.claims:
        h.append('<p class="muted">No claim attributed to a party and no denial in this scope.</p>')
    else:
        h.append("<table><thead><tr><th>Claimed</th><th>Denied</th></tr></thead><tbody>")
        for row in brief.claims:
            h.append(f"<tr><td>{_h_statement(row.claim)}</td><td>{_h_statement(row.denial)}</td></tr>")
        h.append("</tbody></table>")
    h.append("<h2>Who said what</h2>")
    if not brief.quotes:
        h.append('<p class="muted">No quote with a known speaker in these articles.</p>')
    else:
        h.append("<ul>")
        for q in brief.quotes:
            who = e(q.speaker) + (f" ({e(q.country)})" if q.country else "")
            kind = "" if q.kind == "direct" else f' <span class="muted">({e(q.kind)})</span>'
            h.append(f"<li><strong>{who}</strong>: “{e(q.text)}”{kind} — {_h_source(q.source)}</li>")
        h.append("</ul>")
    if brief.alerts:
        h.append(f"<h2>Alerts fired by rule {e(brief.scope.get('rule'))}</h2><ul>")
        for a in brief.alerts:
            h.append(f"<li>{e(a.date or 'undated')} ({e(a.fired_at)}): {e(a.reason)} "
                     + (_a("article", a.url) if a.url else "") + "</li>")
        h.append("</ul>")
    h.append("<h2>Sources</h2><ol>")
    for s in brief.sources:
        h.append(f"<li>{_a(s.title or s.article_id, s.url)} — {e(s.source or 'unknown source')}, "
                 f"{e(s.published or 'undated')}</li>")
    h.append("</ol>")
    h.append(f'<footer class="muted">Scope: {e(_scope_text(brief))}</footer></body></html>')
    return "\n".join(h) + "\n"


def _scope_text(brief: Brief) -> str:
    s = brief.scope
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in s.items() if v not in (None, False, "")]
    return "; ".join(parts) or "every event in the store"


def render(brief: Brief, fmt: str) -> str:
    """``md`` (Markdown), ``html`` or ``json`` (:meth:`Brief.to_dict`, for other tools)."""
    from ..errors import ConfigError

    if fmt in ("md", "markdown"):
        return to_markdown(brief)
    if fmt == "html":
        return to_html(brief)
    if fmt == "json":
        import json

        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=1) + "\n"
    raise ConfigError(f"brief format {fmt!r}: use md, html or json")


__all__ = ["chart_svg", "md", "render", "sparkline", "to_html", "to_markdown"]
