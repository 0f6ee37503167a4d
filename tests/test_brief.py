"""``dyads brief``: on the demo store (the bundled example articles) and on a store of hostile text.

The Markdown is rendered with markdown-it (CommonMark with raw HTML on, plus GFM tables, as forges
do) and the HTML is parsed, so the checks are on what a reader would get, not on substrings alone.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import example_store
from records_store import Ev, Said, Story, add
from test_dashboard import browser  # noqa: F401 - Debian's Chromium through Playwright

from dyads.brief import build_brief, render, to_html, to_markdown
from dyads.brief.render import sparkline
from dyads.cli import main
from dyads.errors import ConfigError
from dyads.store import open_store

INDIA_PAKISTAN = "https://example.org/subcontinent-daily/2026/05/08/india-pakistan-expel-diplomats"
CLAIM = "The Indian army said Pakistani troops had opened fire on Indian posts in the Poonch sector"
DENIAL = "Pakistan's military denied that its troops had fired first"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    names = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "examples" / "articles").glob("*.txt"))
    return example_store(str(tmp_path_factory.mktemp("brief") / "demo.db"), names)


def markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def test_brief_on_the_demo_store_in_markdown_and_html(demo_db, tmp_path, capsys):
    md_file, html_file = tmp_path / "b.md", tmp_path / "b.html"
    args = ["brief", "--db", demo_db, "--actor", "PAK", "--recipient", "IND", "--both-directions"]
    assert main([*args, "-o", str(md_file)]) == 0
    assert main([*args, "--format", "html", "-o", str(html_file)]) == 0
    assert "written to" in capsys.readouterr().err
    md, html = md_file.read_text(), html_file.read_text()

    assert md.startswith("# Brief: Pakistan and India\n")
    for section in ("## Summary", "## Over time", "## Key events", "## Claims and denials", "## Who said what",
                    "## Sources"):
        assert section in md
    assert re.search(r"Events per week: `[·▁▂▃▄▅▆▇█]+`", md)
    rendered = markdown_html(md)
    assert rendered.count("<table>") == 3  # summary, series, claims and denials
    assert f'<a href="{INDIA_PAKISTAN}">' in rendered and CLAIM in rendered and DENIAL in rendered
    # the claim and the denial that answers it sit on one row of the claims table
    claims = rendered.split("<h2>Claims and denials</h2>")[1].split("<h2>")[0]
    row = next(r for r in claims.split("<tr>") if CLAIM in r)
    assert DENIAL in row and row.count("<td>") == 2
    # key events: numbered, each with its evidence and its article
    key = md.split("## Key events")[1].split("## Claims")[0]
    assert re.search(r"^1\. \*\*2026-05-0\d · ASSAULT\*\*", key, re.M) and key.count(INDIA_PAKISTAN) >= 5

    tags = parse(html)
    names = {t for t, _ in tags.tags}
    assert "svg" in names and "rect" in names and not names & {"script", "img", "iframe", "link", "object", "embed"}
    assert all(a["href"].startswith("https://example.org/") for t, a in tags.tags if t == "a")
    assert any(a.get("href") == INDIA_PAKISTAN for t, a in tags.tags if t == "a")
    text = " ".join(tags.text)
    assert CLAIM in text and DENIAL in text and "Sadia Rahman" in text
    refs = re.findall(r"""\b(?:src|href|srcset|action|data)\s*=\s*["']?([^"'\s>]*)""", html)
    assert refs and all(r.startswith("https://example.org/") for r in refs)  # no other asset or link
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(tags.style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp and "script-src" not in csp


def test_the_brief_record_ranks_and_counts(demo_db):
    with open_store(demo_db) as s:
        b = build_brief(s, actor="PAK", recipient="IND", both_directions=True)
        one_way = build_brief(s, actor="IND", recipient="PAK")
    assert b.events == sum(b.by_status.values()) == sum(p.total for p in b.series)
    assert b.events > one_way.events > 0
    assert sum(b.by_quad.values()) == b.events and b.by == "week"
    scores = [k.score for k in b.key_events]
    assert scores == sorted(scores, reverse=True) and all(k.status in ("asserted", "future") for k in b.key_events)
    assert all(k.reports and k.reports[0].url == INDIA_PAKISTAN and k.evidence for k in b.key_events)
    pair = next(c for c in b.claims if c.claim and c.denial)
    assert CLAIM in pair.claim.evidence and DENIAL in pair.denial.evidence and pair.claim.who == ["Indian army"]
    assert b.quotes and all(q.speaker and q.text for q in b.quotes)
    assert [q.kind for q in b.quotes] == sorted((q.kind for q in b.quotes), key=lambda k: k == "indirect")
    assert [s.url for s in b.sources] == [INDIA_PAKISTAN]
    d = b.to_dict()
    assert d["series"][0]["total"] == b.series[0].total and d["key_events"][0]["reports"][0]["url"] == INDIA_PAKISTAN
    assert json.loads(render(b, "json")) == json.loads(json.dumps(d))


def test_brief_of_an_alert_rule(demo_db, tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: pak-ind\n    actor: PAK\n    recipient: IND\n    quad: conflict\n"
                     "  - name: spike\n    kind: spike\n    min_count: 2\n    factor: 2\n")
    db = str(tmp_path / "copy.db")
    Path(db).write_bytes(Path(demo_db).read_bytes())
    assert main(["alerts", "run", "--rules", str(rules), "--db", db, "--no-stdout", "--quiet"]) == 0
    assert main(["brief", "--db", db, "--rule", "pak-ind"]) == 0  # the rule as it last ran on the store
    md = capsys.readouterr().out
    assert md.startswith("# Brief: rule pak-ind\n")
    assert "## Alerts fired by rule pak" in md and CLAIM in md and INDIA_PAKISTAN in md
    with open_store(db) as s:
        b = build_brief(s, rule="pak-ind")
        assert b.events and all("PAK" in k.actor_countries and "IND" in k.recipient_countries for k in b.key_events)
        assert len(b.alerts) == min(20, b.events) and b.scope["rule"] == "pak-ind"
        spike = build_brief(s, rule="spike", since="2026-05-01", until="2026-05-31")
        assert spike.events and all(k.quad.endswith("conflict") for k in spike.key_events)
        with pytest.raises(ConfigError, match="no rule named 'nope' has run on this store; known: pak-ind, spike"):
            build_brief(s, rule="nope")
        with pytest.raises(ConfigError, match="either a rule .* or --actor/--recipient"):
            build_brief(s, rule="pak-ind", actor="PAK")
        with pytest.raises(ConfigError, match="--since 2026-06-01 is after --until 2026-05-01"):
            build_brief(s, actor="PAK", since="2026-06-01", until="2026-05-01")
    assert main(["brief", "--db", db, "--rule", "spike", "--rules", str(rules), "--since", "2026-13-01"]) == 3
    assert "--since '2026-13-01' is not a real calendar date" in capsys.readouterr().err


# --------------------------------------------------------------------------- hostile text

HOSTILE_CLAIM = ('Kenya accused Somalia of a raid <script>window.__pwned=1</script> | near '
                 '[Mandera](javascript:alert(1)) *at once* & `now`.')
HOSTILE_DENIAL = 'Somalia denied the <img src=x onerror="window.__pwned=2"> charge ]] on Tuesday.'
HOSTILE_QUOTE = 'We will never accept <script>alert(4)</script> | this </td></tr> border'
ODD_URL = 'https://example.org/a?q=1&x=<b>"x")]'


@pytest.fixture
def hostile_store(tmp_path):
    s = open_store(str(tmp_path / "h.db"))
    add(s,
        Story("hostile-1", "<i>Test Wire</i>", "2025-03-04", [
            Ev("ACCUSE", "KEN", "SOM", HOSTILE_CLAIM, "2025-03-03", trigger="accused", claimed_by="KEN")],
            url="javascript:alert(3)", title='<b onmouseover="window.__pwned=3">Border</b> row',
            quotes=[Said("KEN", HOSTILE_QUOTE)]),
        Story("hostile-2", "Horn [Observer](javascript:x)", "2025-03-05", [
            Ev("REJECT", "SOM", "KEN", HOSTILE_DENIAL, "2025-03-04", trigger="denied")], url=ODD_URL,
            title="A title with | pipes and <em>tags</em>"))
    yield s
    s.close()


def test_hostile_text_stays_text_in_markdown_and_html(hostile_store):
    b = build_brief(hostile_store, actor="KEN", recipient="SOM", both_directions=True)
    assert b.events == 2 and len(b.claims) == 1 and b.claims[0].claim and b.claims[0].denial
    md, html = to_markdown(b), render(b, "html")
    assert html == to_html(b) and md == render(b, "md")

    rendered = markdown_html(md)
    seen = parse(rendered)
    allowed = {"h1", "h2", "p", "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "ol", "ul", "li", "a",
               "blockquote", "code"}
    assert {t for t, _ in seen.tags} <= allowed  # no tag from the stored text became markup
    assert all(set(attrs) <= {"href", "style"} for _, attrs in seen.tags)
    md_text = "".join(seen.text)
    for literal in ("<script>window.__pwned=1</script>", "[Mandera](javascript:alert(1)) *at once* & `now`",
                    '<img src=x onerror="window.__pwned=2"> charge ]]', HOSTILE_QUOTE, "<i>Test Wire</i>",
                    "Horn [Observer](javascript:x)", "A title with | pipes and <em>tags</em>"):
        assert literal in md_text, literal  # shown as written
    claims = rendered.split("<h2>Claims and denials</h2>")[1].split("<h2>")[0]
    row = next(r for r in claims.split("<tr>") if "Kenya accused Somalia" in r)
    assert row.count("<td>") == 2 and "Somalia denied the &lt;img" in row  # a | in the text does not split the row
    links = [a["href"] for t, a in seen.tags if t == "a"]
    assert links and set(links) == {"https://example.org/a?q=1&x=%3Cb%3E%22x%22%29%5D"}  # only the http(s) one

    tags = parse(html)
    assert not {t for t, _ in tags.tags} & {"script", "img", "b", "i", "em", "iframe"}
    assert all(not k.startswith("on") for _, attrs in tags.tags for k in attrs)
    hrefs = [a["href"] for t, a in tags.tags if t == "a"]
    assert hrefs and all(h.startswith("https://example.org/a?q=1&x=%3Cb%3E") for h in hrefs)
    text = " ".join(tags.text)
    assert "<script>window.__pwned=1</script>" in text and HOSTILE_QUOTE in text  # readable, as text


def test_hostile_brief_html_is_inert_in_chromium(hostile_store, browser, tmp_path):  # noqa: F811
    out = tmp_path / "hostile.html"
    out.write_text(to_html(build_brief(hostile_store, actor="KEN", both_directions=True)), encoding="utf-8")
    ctx = browser.new_context()
    pg = ctx.new_page()
    problems, requests, dialogs = [], [], []
    pg.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(out.as_uri())
    pg.wait_for_load_state("load")
    assert pg.evaluate("window.__pwned") is None and dialogs == []
    assert requests == [out.as_uri()]  # nothing else loaded
    assert problems == []  # no CSP violation: the stylesheet's hash matches
    assert pg.evaluate("getComputedStyle(document.querySelector('h2')).borderBottomStyle") == "solid"
    assert "<script>window.__pwned=1</script>" in pg.inner_text("body")
    assert pg.locator("svg rect").count() >= 1
    ctx.close()


def test_sparkline_scales_to_the_busiest_period():
    assert sparkline([0, 1, 2, 4, 8]) == "·▁▂▄█" and sparkline([0, 0]) == "··" and sparkline([]) == ""
    assert sparkline([3]) == "█"
