"""Alert rules (dyads.alerts): the rules file, once-per-cluster firing, the rules over time, the sinks.

Stores are built from hand-made records (tests/records_store.py: every sentence written for these
tests) so each event's day, parties and source are exact; the clustering across articles is the
store's own. The webhook receiver is a real HTTP server on 127.0.0.1.
"""
from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from records_store import Ev, Story, add
from test_store import pg_server, pg_url  # noqa: F401 - the PostgreSQL fixtures

from dyads.alerts import (AlertHook, Rule, StdoutSink, WebhookSink, list_alerts, load_rules, parse_rules, run_rules,
                          sign, verify_signature)
from dyads.alerts.sinks import FileSink, deliveries, sinks_from_specs
from dyads.cli import main
from dyads.errors import ConfigError
from dyads.store import MIGRATIONS, open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = str(tmp_path / "a.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = open_store(url)
    yield s
    s.close()


@pytest.fixture
def lite(tmp_path):
    s = open_store(str(tmp_path / "lite.db"))
    yield s
    s.close()


# --------------------------------------------------------------------------- the rules file

GOOD = """
sinks:
  - stdout
  - file: {tmp}/alerts.jsonl
  - webhook: https://hooks.example.org/dyads?token=abc
    secret_env: TEST_DYADS_SECRET
    retries: 2
rules:
  - name: rus-prk-material-conflict
    description: Russian pressure on North Korea
    actor: rus
    recipient: [PRK, KOR]
    quad: material_conflict
    status: [asserted, claimed]
    max_intensity: -5
    min_sources: 2
    again_at_sources: [5, 3]
  - name: conflict-spike
    kind: spike
    country: UKR
    direction: conflict
    factor: 2.5
    baseline_weeks: 4
    min_count: 2
  - name: new-pairs
    kind: first_pair
    directed: true
    type: [assault, coerce]
"""


def test_a_good_rules_file_parses_into_typed_rules(tmp_path):
    rs = parse_rules(GOOD.format(tmp=tmp_path), origin="rules.yaml")
    r, spike, first = rs.rules
    assert isinstance(r, Rule) and r.kind == "event" and r.actor == ("RUS",) and r.recipient == ("PRK", "KOR")
    assert r.quad == ("material conflict",) and r.status == ("asserted", "claimed")
    assert r.max_intensity == -5.0 and r.min_sources == 2 and r.again_at_sources == (3, 5)
    assert spike.kind == "spike" and spike.country == ("UKR",) and spike.factor == 2.5 and spike.baseline_weeks == 4
    assert spike.quads() == {"verbal conflict", "material conflict"}
    assert first.directed and first.type == ("ASSAULT", "COERCE")
    assert [s.kind for s in rs.sinks] == ["stdout", "file", "webhook"] and rs.sinks[2].retries == 2
    for rule in rs.rules:  # what the store keeps (alert_rules.definition) reads back to the same rule
        assert Rule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    assert rs.get("new-pairs") is first
    with pytest.raises(ConfigError, match="no rule named 'nope'.*rus-prk-material-conflict"):
        rs.get("nope")


@pytest.mark.parametrize("text, message", [
    ("rules:\n  - name: a\n    recipent: PRK\n", r"rule 1 \('a'\): unknown key 'recipent' \(did you mean 'recipient'\?\)"),
    ("rules:\n  - name: a\n    type: ASSALT\n", r"'type' value 'ASSALT' is not a PLOVER type \(did you mean 'ASSAULT'\?\)"),
    ("rules:\n  - name: a\n    actor: Russia\n", r"'actor' value 'Russia' is not a three-letter country code.*actor_name"),
    ("rules:\n  - name: a\n    country: ZZZ\n", r"'country' value 'ZZZ' is not a known ISO 3166-1 alpha-3"),
    ("rules:\n  - name: a\n    factor: 3\n", r"'factor' belongs to rules of kind spike, not 'event'.*kind: spike"),
    ("rules:\n  - name: a\n    kind: spiek\n", r"kind 'spiek' is not a rule kind \(did you mean 'spike'\?\)"),
    ("rules:\n  - name: a\n    quad: conflicts\n", r"'quad' value 'conflicts' is not a quad class \(did you mean 'conflict'\?\)"),
    ("rules:\n  - name: a\n    status: claimd\n", r"'status' value 'claimd' is not a status \(did you mean 'claimed'\?\)"),
    ("rules:\n  - name: a\n    min_intensity: 2\n    max_intensity: -2\n", r"min_intensity 2.0 is above max_intensity"),
    ("rules:\n  - name: a\n    min_intensity: -12\n", r"'min_intensity' value -12 is out of range: use -10 \.\. 10"),
    ("rules:\n  - name: a\n    min_sources: two\n", r"'min_sources' must be a whole number from 1 to 1000, found the text 'two'"),
    ("rules:\n  - name: a\n    min_sources: 3\n    again_at_sources: 2\n", r"again_at_sources 2 must be above min_sources \(3\)"),
    ("rules:\n  - name: a\n  - name: a\n", r"rule 2 \('a'\): the name 'a' is already used by rule 1"),
    ("rules:\n  - name: 'bad name!'\n", r"'name' must be a short identifier"),
    ("rules:\n  - actor: RUS\n", r"rule 1: 'name' must be a short identifier .* found nothing"),
    ("rules:\n  - name: a\n    actor: [RUS\n", r"not valid YAML at line \d+, column \d+"),
    ("", r"no rules: write 'rules:'"),
    ("rulez: []\n", r"unknown top-level key 'rulez' \(did you mean 'rules'\?\)"),
    ("rules: []\n", r"'rules' must be a non-empty list"),
    ("rules:\n  - name: a\n    kind: spike\n    quad: verbal cooperation\n", r"no conflict class, so a conflict spike"),
    ("sinks:\n  - webhook: ftp://x\nrules:\n  - name: a\n", r"sink 1: webhook 'ftp://x' is not an http\(s\) URL"),
    ("sinks:\n  - webhook: https://x.org/h\nrules:\n  - name: a\n", r"sink 1: a webhook needs a signing key: secret_env"),
    ("sinks:\n  - file: a.jsonl\n    retries: 3\nrules:\n  - name: a\n", r"unknown key 'retries' for a file sink"),
])
def test_bad_rules_fail_with_a_message_that_names_the_key_value_and_fix(text, message):
    with pytest.raises(ConfigError, match=message) as info:
        parse_rules(text, origin="rules.yaml")
    assert str(info.value).startswith("rules.yaml")


def test_rules_files_and_sink_secrets_fail_clearly(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="rules file .*nope.yaml' does not exist"):
        load_rules(tmp_path / "nope.yaml")
    (tmp_path / "latin1.yaml").write_bytes("rules:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_rules(tmp_path / "latin1.yaml")
    rs = parse_rules(GOOD.format(tmp=tmp_path))
    monkeypatch.delenv("TEST_DYADS_SECRET", raising=False)
    with pytest.raises(ConfigError, match="environment variable TEST_DYADS_SECRET .* is not set") as info:
        sinks_from_specs(rs.sinks)
    assert "token=abc" not in str(info.value)  # a webhook URL may hold a token: never printed
    monkeypatch.setenv("TEST_DYADS_SECRET", "k")
    sinks = sinks_from_specs(rs.sinks)
    assert [type(s).__name__ for s in sinks] == ["StdoutSink", "FileSink", "WebhookSink"]
    assert "token" not in sinks[2].id and sinks[2].id.startswith("webhook:https://hooks.example.org#")
    with pytest.raises(ConfigError, match="folder .* does not exist"):
        FileSink(tmp_path / "no" / "alerts.jsonl")


# --------------------------------------------------------------------------- once per cluster

SHELLING = [  # one happening, told by four outlets
    ("Harbour Wire", "Russian forces shelled the port of Kherson on Monday, killing four civilians, officials said."),
    ("Steppe Daily", "On Monday Russian artillery shelled Kherson's port, where four civilians were killed."),
    ("Black Sea Times", "Four civilians died when Russian guns shelled the Kherson port on Monday."),
    ("Dnipro Post", "Kherson's port was shelled by Russian forces on Monday; four civilians were killed."),
]
GRAIN = "Russia shipped grain to Syria on Monday under a bilateral aid deal, the ministry said."

RULES = """
rules:
  - name: rus-assault
    actor: RUS
    type: ASSAULT
    again_at_sources: 3
  - name: aid-to-syria
    type: AID
    recipient: SYR
    min_sources: 2
"""


def _shelling(i: int, extra: list[Ev] | None = None, day: str = "2024-06-03") -> Story:
    source, sentence = SHELLING[i % 4]
    return Story(f"shelling-{i}-{day}", source, "2024-06-04",
                 [Ev("ASSAULT", "RUS", "UKR", sentence, day, trigger="shelled"), *(extra or [])],
                 url=f"https://example.org/{source.lower().replace(' ', '-')}/{i}")


def _fired(store) -> list[tuple[str, str, int]]:
    alerts, total = list_alerts(store, limit=None)
    assert total == len(alerts)
    return sorted((a.rule, a.key, a.level) for a in alerts)


def test_an_alert_fires_once_per_matching_cluster_and_again_past_the_source_threshold(store):
    rules = parse_rules(RULES)
    out = io.StringIO()
    sink = StdoutSink(out)
    add(store, _shelling(0, [Ev("AID", "RUS", "SYR", GRAIN, "2024-06-03", trigger="shipped")]))
    first = run_rules(store, rules, sinks=[sink])
    assert [(a.rule, a.level, a.type) for a in first] == [("rus-assault", 0, "ASSAULT")]
    a = first[0]
    assert a.evidence == SHELLING[0][1] and a.url == "https://example.org/harbour-wire/0"
    assert a.date == "2024-06-03" and a.source == "Harbour Wire" and a.sources == 1 and a.id is not None
    assert a.actor_countries == ["RUS"] and a.recipient_countries == ["UKR"] and "rus-assault" in a.reason
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [a.to_dict()]
    assert run_rules(store, rules, sinks=[sink]) == []  # nothing new: nothing fires

    add(store, _shelling(1))  # the same happening from a second source: same cluster, below the threshold
    assert run_rules(store, rules, sinks=[sink]) == []
    add(store, _shelling(2))  # a third source: fires again, once
    again = run_rules(store, rules, sinks=[sink])
    assert [(x.rule, x.key, x.level, x.sources) for x in again] == [("rus-assault", a.key, 1, 3)]
    assert "3 sources" in again[0].reason and len(again[0].urls) == 3
    add(store, _shelling(3))  # a fourth source: no threshold left
    assert run_rules(store, rules, sinks=[sink]) == []

    # the aid needs two sources: a second outlet reporting it makes it fire, once
    add(store, Story("grain-2", "Levant Observer", "2024-06-05",
                     [Ev("AID", "RUS", "SYR", "Russia shipped grain to Syria on Monday as aid.", "2024-06-03",
                         trigger="shipped")]))
    aid = run_rules(store, rules, sinks=[sink])
    assert [(x.rule, x.level, x.sources) for x in aid] == [("aid-to-syria", 0, 2)]

    # a different shelling two weeks later is another cluster: one more alert
    add(store, _shelling(0, day="2024-06-17"))
    later = run_rules(store, rules, sinks=[sink])
    assert [(x.rule, x.level, x.date) for x in later] == [("rus-assault", 0, "2024-06-17")]
    assert later[0].event_id != a.event_id

    fired = _fired(store)
    assert fired == sorted([("rus-assault", a.key, 0), ("rus-assault", a.key, 1), ("aid-to-syria", aid[0].key, 0),
                            ("rus-assault", later[0].key, 0)])
    assert len(out.getvalue().splitlines()) == 4  # each delivered once
    assert run_rules(store, rules, sinks=[sink], rescan=True) == []  # evaluating everything again fires nothing
    assert _fired(store) == fired

    # a rule new to the store looks at the history: a cluster that already has 4 sources fires once, at its
    # highest level, not once per threshold; with --no-backfill a new rule waits for new events
    late = parse_rules("rules:\n  - name: late\n    type: ASSAULT\n    min_sources: 2\n    again_at_sources: [3, 4]\n"
                       "  - name: waits\n    type: ASSAULT\n")
    assert run_rules(store, late.rules[1:], sinks=[], backfill=False) == []
    got = run_rules(store, late.rules[:1], sinks=[])
    assert [(x.rule, x.level, x.sources) for x in got] == [("late", 2, 4)]
    add(store, _shelling(1, day="2024-06-17"))
    got = run_rules(store, late, sinks=[])
    assert sorted((x.rule, x.date) for x in got) == [("late", "2024-06-17"), ("waits", "2024-06-17")]


def test_status_filters_read_claims_and_denials(lite):
    add(lite, Story("claims", "Border Herald", "2024-03-05", [
        Ev("ASSAULT", "ARM", "AZE", "Armenia shelled Azerbaijani posts near Lachin, Baku said on Monday.",
           "2024-03-04", trigger="shelled", claimed_by="AZE"),
        Ev("ASSAULT", "ARM", "AZE", "Yerevan denied that its troops had fired on the posts.", "2024-03-04",
           trigger="fired", status="negated", claimed_by="ARM", denied_by="ARM"),
        Ev("COERCE", "AZE", "ARM", "Azerbaijan detained two Armenian soldiers near Lachin on Monday.", "2024-03-04",
           trigger="detained")]))
    rules = parse_rules("rules:\n  - name: claimed\n    status: claimed\n  - name: denied\n    status: denied\n"
                        "  - name: plain\n    status: asserted\n    type: COERCE\n")
    got = sorted((a.rule, a.status, a.type) for a in run_rules(lite, rules, sinks=[]))
    assert got == [("claimed", "asserted", "ASSAULT"), ("denied", "negated", "ASSAULT"),
                   ("plain", "asserted", "COERCE")]


# --------------------------------------------------------------------------- rules over time

SPIKE_RULES = """
rules:
  - name: conflict-spike
    kind: spike
    direction: conflict
    factor: 3
    baseline_weeks: 8
    min_count: 3
    directed: true
"""
WEEK = ["2024-06-03", "2024-06-04", "2024-06-05", "2024-06-06", "2024-06-07"]  # ISO week 2024-W23
SURGE = [("ASSAULT", "shelled", "Russian artillery shelled Kharkiv's northern districts on {d}."),
         ("COERCE", "seized", "Russian troops seized a grain terminal near Odesa on {d}."),
         ("THREATEN", "threatened", "Moscow threatened to strike Ukrainian energy plants on {d}."),
         ("SANCTION", "banned", "Russia banned Ukrainian shipping from the Kerch Strait on {d}."),
         ("MOBILIZE", "massed", "Russia massed armoured columns along the Ukrainian border on {d}.")]


def _monday(weeks_before: int, day: int = 0) -> str:
    from datetime import date, timedelta

    return (date(2024, 6, 3) - timedelta(days=7 * weeks_before - day)).isoformat()


def test_a_weekly_spike_over_the_trailing_baseline_fires_once_per_pair_and_week(store):
    rules = parse_rules(SPIKE_RULES)
    # eight quiet weeks: one Russian accusation against Ukraine a week (baseline 1.0), and two Chinese
    # warnings to the Philippines a week (baseline 2.0); cooperation does not count towards conflict
    base = []
    for k in range(1, 9):
        base.append(Story(f"quiet-{k}", "Harbour Wire", _monday(k), [
            Ev("ACCUSE", "RUS", "UKR", f"Russia accused Ukraine of provocations in week {k}.", _monday(k),
               trigger="accused"),
            Ev("THREATEN", "CHN", "PHL", f"China warned the Philippines over the shoal, bulletin {k}.", _monday(k),
               trigger="warned"),
            Ev("THREATEN", "CHN", "PHL", f"China warned Manila again about the reef, note {k}.", _monday(k, 4),
               trigger="warned"),
            Ev("AGREE", "RUS", "UKR", f"Russia and Ukraine agreed a prisoner exchange, round {k}.", _monday(k),
               trigger="agreed")]))
    add(store, *base)
    assert run_rules(store, rules, sinks=[]) == []  # no week reaches three events
    fired = []
    for i, (ptype, trig, text) in enumerate(SURGE):
        add(store, Story(f"surge-{i}", "Steppe Daily", WEEK[i],
                         [Ev(ptype, "RUS", "UKR", text.format(d=WEEK[i]), WEEK[i], trigger=trig),
                          Ev("AGREE", "UKR", "RUS", f"Kyiv and Moscow agreed on a corridor, item {i}.", WEEK[i],
                             trigger="agreed")]))
        fired.append(run_rules(store, rules, sinks=[]))
    # counts 1, 2, 3 are not above 3 x 1.0; the fourth is; the fifth is the same pair and week
    assert [len(f) for f in fired] == [0, 0, 0, 1, 0]
    a = fired[3][0]
    assert a.kind == "spike" and a.key == "spike:RUS>UKR:2024-W23"
    assert a.detail["count"] == 4 and a.detail["baseline"] == 1.0 and a.detail["week_start"] == "2024-06-03"
    assert a.evidence == SURGE[3][2].format(d=WEEK[3]) and a.date == WEEK[3]  # the event that tipped it
    # China: five warnings in week 23 against a baseline of 2.0 a week: 5 is not above 3 x 2.0
    add(store, *[Story(f"reef-{i}", "Manila Bulletin Test", WEEK[i], [
        Ev("THREATEN", "CHN", "PHL", f"Beijing warned Manila over a supply mission, statement {i}.", WEEK[i],
           trigger="warned")]) for i in range(5)])
    assert run_rules(store, rules, sinks=[]) == []
    assert _fired(store) == [("conflict-spike", "spike:RUS>UKR:2024-W23", 0)]


def test_the_first_event_ever_between_a_pair_fires_once(store):
    add(store,
        Story("hist", "Harbour Wire", "2024-02-01", [
            Ev("ASSAULT", "GBR", "ARG", "In 1982 British forces attacked Argentine positions on the islands.",
               "1982-06-01", trigger="attacked", background=True)]),
        Story("p1", "Harbour Wire", "2024-02-05", [
            Ev("ASSAULT", "RUS", "UKR", "Russian drones struck Odesa on Sunday.", "2024-02-04", trigger="struck"),
            Ev("COERCE", "RUS", "RUS", "Russian police detained protesters in Moscow on Sunday.", "2024-02-04",
               trigger="detained")]),
        Story("p2", "Steppe Daily", "2024-02-10", [
            Ev("ACCUSE", "UKR", "RUS", "Ukraine accused Russia of targeting the port on Friday.", "2024-02-09",
               trigger="accused"),
            Ev("CONSULT", "FRA", "DEU", "France and Germany held talks in Berlin on Friday.", "2024-02-09",
               trigger="held")]),
        Story("p3", "Harbour Wire", "2024-02-12", [
            Ev("PROTEST", "GBR", "ARG", "Britain protested to Argentina over fishing licences on Monday.",
               "2024-02-12", trigger="protested")]))
    rules = parse_rules("rules:\n  - name: first\n    kind: first_pair\n"
                        "  - name: first-directed\n    kind: first_pair\n    directed: true\n")
    got = sorted((a.rule, a.key, a.type) for a in run_rules(store, rules, sinks=[]))
    assert got == [
        ("first", "first:ARG-GBR", "PROTEST"),  # the 1982 event is background: not news, not counted
        ("first", "first:DEU-FRA", "CONSULT"),
        ("first", "first:RUS-UKR", "ASSAULT"),  # Ukraine's accusation is the same pair, either way round
        ("first-directed", "first:FRA>DEU", "CONSULT"),
        ("first-directed", "first:GBR>ARG", "PROTEST"),
        ("first-directed", "first:RUS>UKR", "ASSAULT"),
        ("first-directed", "first:UKR>RUS", "ACCUSE"),  # directed: the reverse is a pair of its own
    ]  # the Moscow arrests are domestic: no pair
    add(store, Story("p4", "Steppe Daily", "2024-03-01", [
        Ev("ASSAULT", "UKR", "RUS", "Ukrainian drones hit a Russian refinery on Thursday.", "2024-02-29",
           trigger="hit"),
        Ev("AID", "JPN", "UKR", "Japan sent generators to Ukraine on Thursday.", "2024-02-29", trigger="sent")]))
    got = sorted((a.rule, a.key) for a in run_rules(store, rules, sinks=[]))
    assert got == [("first", "first:JPN-UKR"), ("first-directed", "first:JPN>UKR")]


# --------------------------------------------------------------------------- webhook on loopback


class _Receiver:
    """An HTTP server on 127.0.0.1 that checks each POST's signature and answers from a script."""

    def __init__(self, secret: str, script: list[int]):
        self.secret, self.script, self.requests = secret, list(script), []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                sig = self.headers.get("X-Dyads-Signature")
                outer.requests.append({"body": body, "signature": sig,
                                       "valid": verify_signature(outer.secret, body, sig),
                                       "delivery": self.headers.get("X-Dyads-Delivery"),
                                       "rule": self.headers.get("X-Dyads-Rule"),
                                       "type": self.headers.get("Content-Type")})
                status = outer.script.pop(0) if outer.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}/hook"
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(secret: str, script: list[int]):
        r = _Receiver(secret, script)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def test_the_webhook_is_signed_and_retried_after_a_500(lite, receiver):
    rcv = receiver("s3cret", [500])
    add(lite, _shelling(0))
    hook = WebhookSink(rcv.url, "s3cret", retries=3, backoff=0.01)
    got = run_rules(lite, parse_rules(RULES), sinks=[hook])
    hook.close()
    assert len(got) == 1 and len(rcv.requests) == 2  # the 500, then the retry
    first, second = rcv.requests
    assert first["valid"] and second["valid"] and first["body"] == second["body"]
    assert first["signature"] == sign("s3cret", first["body"]) and first["signature"].startswith("sha256=")
    assert not verify_signature("wrong", first["body"], first["signature"])
    assert not verify_signature("s3cret", first["body"] + b" ", first["signature"])
    assert json.loads(second["body"]) == got[0].to_dict()
    assert second["delivery"] == str(got[0].id) and second["rule"] == "rus-assault"
    assert second["type"] == "application/json"
    assert deliveries(lite, got[0].id) == [{"sink": hook.id, "state": "ok", "attempts": 1, "error": None,
                                             "at": deliveries(lite, got[0].id)[0]["at"]}]


def test_a_failed_delivery_is_recorded_and_sent_at_the_next_run(lite, receiver):
    rcv = receiver("k", [503, 503, 400])
    add(lite, _shelling(0))
    hook = WebhookSink(rcv.url, "k", retries=1, backoff=0.01)
    errors: list[str] = []
    got = run_rules(lite, parse_rules(RULES), sinks=[hook], on_error=errors.append)
    assert len(got) == 1 and len(rcv.requests) == 2  # 503, retry, 503: given up for this run
    state = deliveries(lite, got[0].id)[0]
    assert state["state"] == "failed" and state["attempts"] == 1 and "HTTP 503" in state["error"]
    assert len(errors) == 1 and "will retry at the next run" in errors[0] and "/hook" not in errors[0]
    # the next run (nothing new to evaluate) sends it again: a 400 is not retried within the run
    assert run_rules(lite, parse_rules(RULES), sinks=[hook], on_error=errors.append) == []
    assert len(rcv.requests) == 3 and deliveries(lite, got[0].id)[0]["state"] == "failed"
    assert run_rules(lite, parse_rules(RULES), sinks=[hook], on_error=errors.append) == []
    hook.close()
    assert len(rcv.requests) == 4 and deliveries(lite, got[0].id)[0]["state"] == "ok"
    assert all(r["valid"] for r in rcv.requests) and len({r["body"] for r in rcv.requests}) == 1


def test_an_unreachable_webhook_does_not_stop_the_run_or_lose_the_alert(lite, tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    add(lite, _shelling(0))
    dead = WebhookSink(f"http://127.0.0.1:{port}/x", "k", retries=1, backoff=0.01, timeout=2)
    jsonl = FileSink(tmp_path / "alerts.jsonl")
    errors: list[str] = []
    got = run_rules(lite, parse_rules(RULES), sinks=[dead, jsonl], on_error=errors.append)
    dead.close()
    assert len(got) == 1 and len(errors) == 1 and "ConnectError" in errors[0]
    lines = (tmp_path / "alerts.jsonl").read_text().splitlines()
    assert [json.loads(x)["key"] for x in lines] == [got[0].key]  # the file sink got it all the same
    assert {d["state"] for d in deliveries(lite, got[0].id)} == {"ok", "failed"}


# --------------------------------------------------------------------------- the hook and the CLI


def test_the_hook_of_a_watcher_starts_new_rules_at_the_articles_it_is_called_for(lite):
    add(lite, _shelling(0))  # history before the watcher started
    out = io.StringIO()
    hook = AlertHook(parse_rules(RULES), sinks=[StdoutSink(out)])
    add(lite, _shelling(0, day="2024-06-17"))
    got = hook(lite, ["shelling-0-2024-06-17"])
    assert [(a.rule, a.date) for a in got] == [("rus-assault", "2024-06-17")]
    assert hook(lite, []) == [] and len(out.getvalue().splitlines()) == 1
    add(lite, _shelling(1, day="2024-06-17"), _shelling(2, day="2024-06-17"))  # the new shelling reaches 3 sources
    got = hook(lite, ["shelling-1-2024-06-17", "shelling-2-2024-06-17"])
    assert [(a.rule, a.level, a.sources) for a in got] == [("rus-assault", 1, 3)]
    with pytest.raises(ConfigError, match="does not exist"):
        AlertHook("/nonexistent/rules.yaml")


def test_alerts_cli_run_list_check(tmp_path, capsys):
    db = str(tmp_path / "c.db")
    with open_store(db) as s:
        add(s, _shelling(0, [Ev("AID", "RUS", "SYR", GRAIN, "2024-06-03", trigger="shipped")]))
        assert "0006_alerts" in s.migrations() and s.migrations() == [n for n, _ in MIGRATIONS]
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    jsonl = tmp_path / "out.jsonl"
    assert main(["alerts", "run", "--rules", str(rules), "--db", db, "--jsonl", str(jsonl)]) == 0
    cap = capsys.readouterr()
    assert [json.loads(x)["rule"] for x in cap.out.splitlines()] == ["rus-assault"]
    assert "1 new alert(s) (rus-assault 1)" in cap.err
    assert [json.loads(x)["rule"] for x in jsonl.read_text().splitlines()] == ["rus-assault"]
    assert main(["alerts", "run", "--rules", str(rules), "--db", db, "--no-stdout", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["alerts", "list", "--db", db, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["rule"], a["evidence"], a["url"]) for a in listed] == [
        ("rus-assault", SHELLING[0][1], "https://example.org/harbour-wire/0")]
    assert main(["alerts", "list", "--db", db]) == 0
    assert "rus-assault" in capsys.readouterr().out
    assert main(["alerts", "check", "--rules", str(rules)]) == 0
    assert "rus-assault: event" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - name: x\n    typ: AID\n")
    assert main(["alerts", "run", "--rules", str(bad), "--db", db]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown key 'typ' (did you mean 'type'?)" in err and "Traceback" not in err
    for cmd in (["alerts", "--help"], ["alerts", "run", "--help"], ["brief", "--help"]):
        with pytest.raises(SystemExit):
            main(cmd)
        assert "examples:" in capsys.readouterr().out
