"""``dyads brief``: a sourced brief on a pair, an actor or an alert rule, to paste into a report.

>>> from dyads.brief import build_brief, to_markdown, to_html
>>> from dyads.store import open_store
>>> with open_store("corpus.db") as store:
...     brief = build_brief(store, actor="RUS", recipient="PRK", since="2024-06-01")
>>> open("brief.md", "w").write(to_markdown(brief))

:mod:`dyads.brief.model` decides what the brief says (a typed :class:`Brief`);
:mod:`dyads.brief.render` writes it as Markdown or as one self-contained HTML file.
"""
from .model import Brief, BriefAlert, ClaimDenial, KeyEvent, PeriodCount, QuoteLine, Source, Statement, build_brief
from .render import render, to_html, to_markdown

__all__ = ["Brief", "BriefAlert", "ClaimDenial", "KeyEvent", "PeriodCount", "QuoteLine", "Source", "Statement",
           "build_brief", "render", "to_html", "to_markdown"]
