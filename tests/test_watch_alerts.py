"""dyads watch and dyads.alerts together, on loopback: the real alert hook runs after each poll; an
alert fires once per matching event, none for other events, and nothing again on later polls."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from feed_server import STORIES, FeedServer

from dyads.alerts import AlertHook
from dyads.fetch import FetchPolicy
from dyads.feeds import Source
from dyads.store import open_store
from dyads.watch import WatchOptions, watch

ROOT = Path(__file__).resolve().parents[1]
RULES = """
sinks:
  - file: {out}
rules:
  - name: brazil-venezuela
    actor: BRA
    recipient: VEN
  - name: nobody-reports-this
    actor: NZL
    recipient: FJI
"""


def _story(slug):
    return next(s for s in STORIES if s[0] == slug)


def _opts() -> WatchOptions:
    return WatchOptions(every=0.2, retry_base=0.0,
                        fetch=FetchPolicy(timeout=2.0, total_timeout=5.0, retries=1, backoff=0.01, host_delay=0.0))


def test_alert_once_per_matching_event_across_polls(tmp_path):
    out = tmp_path / "alerts.jsonl"
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.format(out=out))
    with FeedServer() as srv:
        srv.set("/robots.txt", body=b"User-agent: *\n", content_type="text/plain")
        for slug in ("kenya-ethiopia-border", "brazil-expels-diplomat"):
            srv.set_page(f"/news/{slug}", _story(slug))
        srv.set_feed("/world.xml", [(srv.url("/news/kenya-ethiopia-border"), "Kenya")])
        with open_store(str(tmp_path / "w.db")) as store:
            hook = AlertHook(rules)
            watch(store, [Source(srv.url("/world.xml"))], _opts(), once=True, on_ingested=hook)
            assert not out.exists() or out.read_text().strip() == ""  # nothing Brazil -> Venezuela yet
            srv.set_feed("/world.xml", [(srv.url("/news/kenya-ethiopia-border"), "Kenya"),
                                        (srv.url("/news/brazil-expels-diplomat"), "Brazil")])
            watch(store, [Source(srv.url("/world.xml"))], _opts(), once=True, on_ingested=hook)
            first = [json.loads(x) for x in out.read_text().splitlines()]
            watch(store, [Source(srv.url("/world.xml"))], _opts(), once=True, on_ingested=hook)
            again = [json.loads(x) for x in out.read_text().splitlines()]
            n_events = store.scalar(
                "SELECT COUNT(DISTINCT d.event_pk) FROM event_dyads d JOIN events e ON e.pk = d.event_pk "
                "WHERE d.actor_country = 'BRA' AND d.recipient_country = 'VEN' AND e.background = 0")
    assert first, "the Brazil -> Venezuela story fired no alert"
    assert {a["rule"] for a in first} == {"brazil-venezuela"}
    assert len(first) == n_events  # one per event cluster
    assert again == first  # a later poll fetches nothing new and fires nothing again
    for a in first:
        assert a["url"].endswith("/news/brazil-expels-diplomat")  # the article's link travels with the alert
        # the evidence is the story's own sentence, naming Brazil or its president (Lula is BRA by the people table)
        assert any(w in a["evidence"] for w in ("Brazil", "Lula")) and a["evidence"] in " ".join([_story("brazil-expels-diplomat")[1], *_story("brazil-expels-diplomat")[3]])
        assert a["date"] and a["rule"] == "brazil-venezuela"


def test_feed_item_to_alert_on_loopback_with_the_cli(tmp_path):
    """`dyads watch --rules`: an item added to a running watcher's feed becomes an alert line."""
    out = tmp_path / "alerts.jsonl"
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.format(out=out))
    with FeedServer() as srv:
        srv.set("/robots.txt", body=b"User-agent: *\n", content_type="text/plain")
        srv.set_page("/news/brazil-expels-diplomat", _story("brazil-expels-diplomat"))
        srv.set_feed("/world.xml", [])
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(srv.url("/world.xml") + "\n")
        proc = subprocess.Popen([sys.executable, "-m", "dyads.cli", "watch", str(feeds), "--db", str(tmp_path / "w.db"),
                                 "--every", "0.5s", "--host-delay", "0s", "--rules", str(rules), "--quiet"],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(1.5)
            srv.set_feed("/world.xml", [(srv.url("/news/brazil-expels-diplomat"), "Brazil")])
            t0 = time.monotonic()
            while time.monotonic() - t0 < 60 and not (out.exists() and out.read_text().strip()):
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    lines = out.read_text().splitlines() if out.exists() else []
    assert lines, proc.stderr.read().decode()[-2000:]
    assert {json.loads(x)["rule"] for x in lines} == {"brazil-venezuela"}
