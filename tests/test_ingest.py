"""dyads ingest: inputs, failures, idempotency, SIGKILL safety and Dask (no mocks)."""
from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dyads import query
from dyads.cli_store import main as cli_main
from dyads.ingest import ingest, iter_items
from dyads.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"

COUNTRIES = ["Chile", "Peru", "Bolivia", "Ecuador", "Colombia", "Uruguay", "Paraguay", "Brazil"]
TEMPLATES = [
    "{a} accused {b} of violating their border agreement on Monday, officials said.",
    "{a} sent food aid to {b} on Tuesday after floods destroyed crops, officials said.",
    "The president of {a} met the foreign minister of {b} in the capital on Wednesday to discuss trade.",
    "{a} threatened to impose sanctions on {b} on Thursday unless it released detained fishermen.",
]
HTML = ("<html><head><title>Port talks</title></head><body><nav>Home | World</nav><article><h1>Port talks</h1>"
        "<p>Chile and Peru agreed on Friday to reopen talks on the shared port of Arica, the two foreign "
        "ministries said in a joint statement.</p><p>The talks had been suspended in March after Peru accused "
        "Chile of blocking its ships.</p></article><footer>Copyright 2025</footer></body></html>")


def short_stories(n: int) -> list[dict]:
    """``n`` distinct short stories written for these tests (country pairs x templates)."""
    out = []
    for tpl in TEMPLATES:
        for a in COUNTRIES:
            for b in COUNTRIES:
                if a != b:
                    k = len(out)
                    out.append({"id": f"s{k}", "text": tpl.format(a=a, b=b), "source": f"Wire {k % 5}",
                                "published": f"2025-04-{1 + (k % 28):02d}"})
    return out[:n]


def write_jsonl(path: Path, recs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path


def counts(db: str) -> dict:
    with open_store(db) as s:
        return query.stats(s)


def test_directory_with_manifest_then_reingest_is_a_noop(tmp_path):
    db = str(tmp_path / "ex.db")
    with open_store(db) as s:
        first = ingest([EXAMPLES], s, workers=2, progress=False)
        assert (first.seen, first.new, first.duplicate, first.failed) == (12, 12, 0, 0)
        before = query.stats(s)
        arts = {a.id: a for a in s.articles()}
        assert arts["02_mali_drone_strike"].source == "Continental Press Service"  # from manifest.jsonl
        assert arts["02_mali_drone_strike"].published == "2026-02-12"
        again = ingest([EXAMPLES, EXAMPLES / "01_bolivia_miners_strike.txt"], s, workers=2, progress=False)
        assert (again.new, again.duplicate, again.failed) == (0, 13, 0)
        assert query.stats(s) == before
    assert before["articles"] == 12 and before["events"] > 50


def test_mixed_inputs_failures_are_recorded_and_the_batch_goes_on(tmp_path, monkeypatch, capsys):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    stories = short_stories(4)
    lines = [json.dumps(stories[0]), "{not json", json.dumps({"id": "x", "title": "no text"}),
             json.dumps(dict(stories[1], published="2025-13-01")), json.dumps(stories[2])]
    (src / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "sub" / "b.csv").write_text(
        "id,title,text,published,source,url\n"
        f"c1,T1,\"{short_stories(10)[7]['text']}\",2025-04-02,Csv Wire,https://example.org/c1\n"
        f"c2,T2,\"{short_stories(12)[11]['text']}\",,Csv Wire,\n", encoding="utf-8")
    (src / "sub" / "c.html").write_text(HTML, encoding="utf-8")
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an input type: ignored inside folders
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    db = str(tmp_path / "m.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO(stories[3]["text"]))
    rc = cli_main(["ingest", str(src), str(pdf), str(tmp_path / "missing"), "-", "--db", db, "--workers", "1",
                   "--quiet"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "6 new, 0 duplicate, 5 failed" in err
    with open_store(db) as s:
        reasons = {f.path.replace(str(tmp_path), ""): f.reason for f in s.failures()}
        assert query.stats(s)["articles"] == 6
        html_art = next(a for a in s.articles() if a.id == "c")
        assert s.scalar("SELECT text FROM articles WHERE pk = ?", (html_art.pk,)).startswith("Port talks")
    assert reasons["/in/a.jsonl:2"].startswith("not valid JSON")
    assert reasons["/in/a.jsonl:3"] == "no 'text'"
    assert "2025-13-01" in reasons["/in/a.jsonl:4"]
    assert reasons["/d.pdf"].startswith("unsupported file type")
    assert reasons["/missing"] == "no such file or directory"
    # re-running fails the same items again, but records no new failure rows
    monkeypatch.setattr(sys, "stdin", io.StringIO(stories[3]["text"]))
    assert cli_main(["ingest", str(src), str(pdf), str(tmp_path / "missing"), "-", "--db", db, "--workers", "1",
                     "--quiet"]) == 1
    assert "0 new, 6 duplicate, 5 failed" in capsys.readouterr().err
    assert counts(db)["failures"] == 5
    # stdin as JSON lines, and a clean run exits 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(short_stories(20)[19]) + "\n"))
    assert cli_main(["ingest", "-", "--db", db, "--workers", "1", "--quiet"]) == 0


def test_items_are_read_in_a_stable_order(tmp_path):
    write_jsonl(tmp_path / "b.jsonl", short_stories(2))
    (tmp_path / "a.txt").write_text("Chile accused Peru of spying on Monday.", encoding="utf-8")
    wheres = [i.where for i in iter_items([tmp_path])]
    assert wheres == [str(tmp_path / "a.txt"), f"{tmp_path / 'b.jsonl'}:1", f"{tmp_path / 'b.jsonl'}:2"]


def test_sigkill_midway_then_rerun_stores_every_article_exactly_once(tmp_path):
    n = 200
    src = write_jsonl(tmp_path / "stories.jsonl", short_stories(n))
    clean_db = str(tmp_path / "clean.db")
    with open_store(clean_db) as s:
        assert ingest([src], s, workers=1, progress=False).new == n
        clean = query.stats(s)
        clean_per_article = dict(s.query("SELECT a.hash, COUNT(m.pk) FROM articles a LEFT JOIN event_mentions m "
                                         "ON m.article_pk = a.pk GROUP BY a.hash"))
    db = str(tmp_path / "crash.db")
    open_store(db).close()  # create the schema so the test can poll it
    proc = subprocess.Popen([sys.executable, "-m", "dyads.cli_store", "ingest", str(src), "--db", db,
                             "--workers", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    stored = 0
    try:
        poll = sqlite3.connect(db, timeout=30)
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            stored = poll.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            if stored >= 10:
                break
            time.sleep(0.01)
        poll.close()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest process and its worker pool, mid-way
        proc.wait()
    assert 10 <= stored < n, f"ingest was not killed mid-way ({stored} of {n} stored)"
    partial = counts(db)["articles"]
    assert stored <= partial < n
    with open_store(db) as s:
        rerun = ingest([src], s, workers=1, progress=False)
        assert (rerun.new, rerun.duplicate) == (n - partial, partial)
        after = query.stats(s)
        per_article = dict(s.query("SELECT a.hash, COUNT(m.pk) FROM articles a LEFT JOIN event_mentions m "
                                   "ON m.article_pk = a.pk GROUP BY a.hash"))
        assert s.scalar("SELECT COUNT(DISTINCT hash) FROM articles") == n
    assert after["articles"] == n
    assert per_article == clean_per_article  # no article half-way
    assert after["event_mentions"] == clean["event_mentions"] and after["events"] == clean["events"]
    assert after["actors"] == clean["actors"]


def test_dask_local_cluster_gives_the_same_counts(tmp_path):
    pytest.importorskip("distributed")
    src = write_jsonl(tmp_path / "s.jsonl", short_stories(24)[::2] + short_stories(60)[40:48])
    local_db, dask_db = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    with open_store(local_db) as s:
        local = ingest([src], s, workers=1, progress=False)
    with open_store(dask_db) as s:
        dist = ingest([src], s, dask="local", progress=False)
    assert (dist.new, dist.failed) == (local.new, local.failed) == (20, 0)
    assert counts(dask_db) == counts(local_db)
