"""The corpus store on SQLite and on a real PostgreSQL 15 server (started here, no mocks).

The PostgreSQL server is started once per test session from ``/usr/lib/postgresql/15/bin``
(``initdb`` + ``pg_ctl``) in a temporary folder, listening only on a Unix socket in that
folder on a free port; as root it runs as the ``postgres`` system user (else ``nobody``).
Each test gets a fresh database. The fixture skips only when the binaries are absent.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

import dyads
from dyads import query
from dyads.errors import ConfigError, StoreError
from dyads.records import Quote
from dyads.store import MIGRATIONS, actor_key, content_hash, normalise_name, open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
PG_BIN = Path(os.environ.get("DYADS_PG_BIN", "/usr/lib/postgresql/15/bin"))

# Three paraphrases of one short story from three invented outlets (written for these tests).
PARAPHRASES = [
    ("Harbour Wire", "2025-03-12",
     ("Chile and Argentina signed a fishing agreement in Santiago on Tuesday, ending a two-year dispute over "
     "catches in the Beagle Channel. Chile also accused Peru of blocking ships in its ports.")),
    ("Andes Daily", "2025-03-12",
     ("Argentina and Chile on Tuesday signed an agreement on fishing in Santiago that ends a dispute of two "
     "years over Beagle Channel catches. Separately, Chile accused Peru of blocking ships in its ports.")),
    ("Southern Cone Times", "2025-03-13",
     ("An agreement on fishing was signed by Chile and Argentina in Santiago on Tuesday, closing a two-year "
     "row over catches in the Beagle Channel. Chilean officials accused Peru of blocking vessels in its ports.")),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_user() -> str | None:
    """The unprivileged user that runs the server when the tests run as root (initdb refuses root)."""
    for name in ("postgres", "nobody"):
        if not _no_user(name):
            return name
    return None


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", _pg_user(), "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server():
    """(socket dir, port) of a PostgreSQL 15 server private to this test session."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (install postgresql-15 to run the PG suite)")
    if os.geteuid() == 0 and (shutil.which("runuser") is None or _pg_user() is None):
        pytest.skip("running as root needs runuser and a 'postgres' or 'nobody' user to start PostgreSQL")
    tmp = tempfile.mkdtemp(prefix="dyads-pg-")
    if os.geteuid() == 0:
        shutil.chown(tmp, user=_pg_user())
    data, port = os.path.join(tmp, "data"), _free_port()
    subprocess.run(_as_pg_user([str(PG_BIN / "initdb"), "-D", data, "-U", "dyads", "--auth=trust", "-E", "UTF8",
                                "--no-sync"]), check=True, capture_output=True, cwd="/")
    opts = f"-p {port} -k {tmp} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", data, "-o", opts, "-l", os.path.join(tmp, "log"),
                                "-w", "-t", "60", "start"]), check=True, capture_output=True, cwd="/")
    try:
        yield tmp, port
    finally:
        subprocess.run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]),
                       check=False, capture_output=True, cwd="/")
        shutil.rmtree(tmp, ignore_errors=True)


def _no_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return False
    except KeyError:
        return True


_DB_N = iter(range(1, 10_000))


def _pg_url(server, db: str) -> str:
    host, port = server
    return f"postgresql:///{db}?host={host}&port={port}&user=dyads"


@pytest.fixture
def pg_url(pg_server):
    import psycopg

    name = f"dyads_test_{next(_DB_N)}_{int(time.time() * 1000) % 100000}"
    with psycopg.connect(_pg_url(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # name built here, not user input
    return _pg_url(pg_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = str(tmp_path / "t.db")
    else:
        url = request.getfixturevalue("pg_url")
    s = open_store(url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def example_results():
    """Three example articles extracted once: [(result, content hash)]."""
    manifest = {json.loads(line)["file"]: json.loads(line) for line in
                (EXAMPLES / "manifest.jsonl").read_text().splitlines() if line.strip()}
    out = []
    names = ("04_india_pakistan_diplomats.txt", "05_philippines_china_shoal.txt", "08_indonesia_japan_state_visit.txt")
    for name in names:
        raw = (EXAMPLES / name).read_bytes()
        m = manifest[name]
        res = dyads.extract(raw, published=m["published"], source=m["source"], url=m["url"], title=m["title"],
                            id=Path(name).stem)
        out.append((res, content_hash(raw)))
    return out


@pytest.fixture(scope="session")
def paraphrase_results():
    return [(dyads.extract(text, published=pub, source=src), content_hash(text)) for src, pub, text in PARAPHRASES]


# --------------------------------------------------------------------------- tests


def test_migrations_are_named_and_applied_once(store):
    names = [n for n, _ in MIGRATIONS]
    assert store.migrations() == names
    assert store.migrate() == []  # nothing left to apply
    assert store.count("articles") == 0


def test_reopen_keeps_data_and_migrations(tmp_path, example_results):
    path = tmp_path / "re.db"
    with open_store(f"sqlite:///{path}") as s:
        assert s.add_result(*example_results[0])
        assert s.scalar("PRAGMA journal_mode") == "wal"
    with open_store(str(path)) as s:
        assert s.count("articles") == 1
        assert s.migrations() == [n for n, _ in MIGRATIONS]


def test_add_result_once_per_content_hash(store, example_results):
    total_events = 0
    for res, h in example_results:
        assert store.add_result(res, h) is True
        total_events += len(res.events)
    before = query.stats(store)
    for res, h in example_results:
        assert store.add_result(res, h) is False
    assert query.stats(store) == before
    assert before["articles"] == 3
    assert store.count("event_mentions") == total_events
    assert 0 < before["events"] <= total_events
    assert store.count("places") == sum(len(r.places) for r, _ in example_results)
    # every article sentence of every event is linked to its cluster
    n_links = store.scalar("SELECT COUNT(*) FROM event_mentions m JOIN events e ON e.pk = m.event_pk")
    assert n_links == total_events
    back = store.article_result(example_results[1][0].article.id)
    assert back is not None and back.to_dict() == example_results[1][0].to_dict()
    arts = list(store.articles())
    assert [a.id for a in arts] == [r.article.id for r, _ in example_results]
    assert arts[0].source == "Subcontinent Daily" or arts[0].source


def test_actors_merge_across_articles_by_canonical_identity(store, example_results, paraphrase_results):
    for res, h in paraphrase_results:
        store.add_result(res, h)
    chile = query.actors(store, country="CHL", kind="state")
    assert len(chile) == 1 and chile[0].articles == 3
    keys = [r[0] for r in store.query("SELECT key FROM actors")]
    assert len(keys) == len(set(keys))
    links = store.scalar("SELECT COUNT(*) FROM actor_mentions WHERE actor_pk = ?", (chile[0].pk,))
    assert links == 3


def test_actor_key_rules():
    a = dyads.Actor(id="A1", name="Russian Federation", kind="state", country="RUS")
    b = dyads.Actor(id="A9", name="Russia", kind="state", country="RUS")
    assert actor_key(a) == actor_key(b) == "state|RUS||"
    p = dyads.Actor(id="A2", name="The  Ministry of Défense", kind="organization", country="FRA", sector="MIL")
    assert actor_key(p) == "organization|FRA|MIL|ministry of defense"
    assert normalise_name("U.S.  Navy") == "u s navy"


def test_paraphrases_give_one_cluster_per_happening(store, paraphrase_results):
    for res, h in paraphrase_results:
        assert store.add_result(res, h)
    evs = query.events(store, limit=None)
    assert store.count("event_mentions") == sum(len(r.events) for r, _ in paraphrase_results)
    by_type = {e.type: e for e in evs}
    assert len(evs) == len(by_type)  # one cluster per happening
    accuse = by_type["ACCUSE"]
    assert (accuse.sources, accuse.articles, accuse.mentions) == (3, 3, 3)
    assert accuse.actor_countries == ["CHL"] and accuse.recipient_countries == ["PER"]
    assert accuse.first_seen == "2025-03-12" and accuse.last_seen == "2025-03-13"
    assert {m.source for m in store.event_mentions(accuse.pk)} == {s for s, _, _ in PARAPHRASES}
    assert all(e.sources == 3 for e in evs)


def test_one_transaction_per_article_rolls_back_on_error(store, example_results):
    res, h = example_results[0]
    broken = dyads.ArticleResult.from_dict(res.to_dict())
    broken.quotes = [Quote(id="Q1", text=None, start=0, end=1, kind="direct")]  # NOT NULL violation, last step
    with pytest.raises(StoreError):
        store.add_result(broken, h)
    assert query.stats(store)["articles"] == 0
    assert store.count("events") == 0 and store.count("actors") == 0 and store.count("event_mentions") == 0
    assert store.add_result(res, h)  # the store still works after the rollback
    assert store.count("articles") == 1


def test_failures_and_queries_on_both_backends(store, example_results):
    for res, h in example_results:
        store.add_result(res, h)
    store.add_failure("x.jsonl:3", "x-3", "no 'text'")
    assert [(f.path, f.reason) for f in store.failures()] == [("x.jsonl:3", "no 'text'")]
    s = query.stats(store)
    assert {"articles", "events", "actors", "quotes"} <= s.keys() and s["failures"] == 1
    pak_ind = query.events(store, actor="PAK", recipient="IND")
    assert pak_ind and all("PAK" in e.actor_countries and "IND" in e.recipient_countries for e in pak_ind)
    dated = query.events(store, since="2026-01-01", until="2026-12-31", limit=None)
    assert all("2026-01-01" <= e.day <= "2026-12-31" for e in dated)
    rows = query.dyads(store, by="month")
    assert rows and all(r["actor"] and r["recipient"] for r in rows)
    buf = io.StringIO()
    assert query.export(store, "gdelt", buf) == s["events"]
    assert buf.getvalue().split("\n")[0].startswith("GLOBALEVENTID\tSQLDATE")


def test_bad_urls_are_clear_errors(tmp_path):
    with pytest.raises(ConfigError, match="three slashes"):
        open_store("sqlite://x.db")
    with pytest.raises(ConfigError, match="unsupported database URL"):
        open_store("mysql://me@host/db")
    with pytest.raises(ConfigError, match="is a directory"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(f"postgresql:///nope?host={tmp_path}&port=1&connect_timeout=2")


def test_ingest_into_postgresql_is_idempotent(pg_url, tmp_path):
    from dyads.ingest import ingest

    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "text": t, "source": s, "published": p}) + "\n"
                           for i, (s, p, t) in enumerate(PARAPHRASES)), encoding="utf-8")
    with open_store(pg_url) as s:
        first = ingest([src], s, workers=1, progress=False)
        before = query.stats(s)
        again = ingest([src], s, workers=1, progress=False)
        assert (first.new, again.new, again.duplicate) == (3, 0, 3)
        assert query.stats(s) == before
        assert all(e.sources == 3 for e in query.events(s, limit=None))


def test_api_queries_on_both_backends(store, example_results):
    """The dashboard's queries (state graph, timeline, country fast path) run on SQLite and PostgreSQL."""
    from dyads import query, serve

    for res, h in example_results:
        assert store.add_result(res, h)
    g = serve.graph(store, {"level": "state"})
    assert g["nodes"] and g["edges"]
    assert {"PHL", "CHN"} <= {n["id"] for n in g["nodes"]}
    for e in g["edges"]:
        evs = serve.list_events(store, {"actor": e["source"], "recipient": e["target"], "limit": "500"})
        assert evs["total"] >= e["count"] and len(evs["items"]) == evs["total"]
    t = serve.timeline(store, {"actor": "PHL"})
    assert t["items"] and all(r["events"] >= 1 for r in t["items"])
    for params in ({"actor": "PHL"}, {"recipient": "CHN"}, {"actor": "IND", "recipient": "PAK"}):
        f = serve._event_filters(params)
        fast = serve.list_events(store, {**params, "limit": "3", "offset": "1"})
        where, wp = query._event_where(**f)
        slow = [c.to_dict() for c in query._event_page(store, where, wp, 3, 1)]
        assert fast["items"] == slow and fast["total"] == int(store.scalar(f"SELECT COUNT(*) FROM events e{where}", wp))


def test_corpus_api_on_both_backends(store, example_results):
    """dyads.Corpus opens a PostgreSQL URL as it opens a path; its actors' event counts are new SQL."""
    for res, h in example_results:
        assert store.add_result(res, h)
    with dyads.Corpus(store.url) as c:
        assert c.store.backend == store.backend
        assert list(c.events(actor="IND")) == query.events(store, actor="IND", limit=None)
        assert [r.events for r in c.dyads()] == [r["events"] for r in query.dyads(store)]
        assert list(c.quotes()) == query.quotes(store, limit=None)
        actors = c.actors()
        assert [a.pk for a in actors] == [a.pk for a in query.actors(store, limit=None)]
        for a in [a for a in actors if a.events][:5]:
            as_actor = {e.pk for e in query.events(store, actor=str(a.pk), limit=None)}
            as_recipient = {e.pk for e in query.events(store, recipient=str(a.pk), limit=None)}
            assert (a.events, a.as_actor, a.as_recipient) == (len(as_actor | as_recipient), len(as_actor),
                                                              len(as_recipient))
        table = c.events().to_arrow()
        assert table.num_rows == len(query.events(store, limit=None)) > 0
        assert str(table.schema.field("day").type) == "date32[day]"


# --------------------------------------------------------------------------- background events

# Invented stories: a 2026 article that recalls the 1990 invasion, a 1990 article that reports it as news,
# and a 2026 article that recalls an occupation that ended in 1945.
GULF_2026 = ("KUWAIT CITY, March 4 (Test Wire) - Kuwait accused Iraq on Monday of letting smugglers cross the "
             "border. Iraq invaded Kuwait in August 1990 and occupied it for seven months.")
GULF_1990 = "Iraq invaded Kuwait on Thursday, officials said."
KOREA_2026 = ("South Korea protested to Japan on Monday over a new school textbook. Japan occupied South Korea "
              "from 1910 until 1945.")


@pytest.fixture(scope="session")
def background_results():
    """{name: ArticleResult} of the three stories above."""
    return {"gulf_2026": dyads.extract(GULF_2026, published="2026-03-04", source="Gulf Wire"),
            "gulf_1990": dyads.extract(GULF_1990, published="1990-08-03", source="Desert Post"),
            "korea_2026": dyads.extract(KOREA_2026, published="2026-03-04", source="Han River Daily")}


def _event(result, type_):
    return next(e for e in result.events if e.type == type_)


def _assert_links_follow_clusters(store) -> int:
    """event_actors and event_actor_pairs carry each cluster's day, type and background flag, and the
    pairs are every (actor, recipient) of its links; returns how many links were checked."""
    links = store.query("SELECT a.event_pk, a.actor_pk, a.role, a.day, a.type, a.background, e.day, e.type, "
                        "e.background FROM event_actors a JOIN events e ON e.pk = a.event_pk")
    for row in links:
        assert row[3:6] == row[6:9], row
    want = sorted((e, a, r) for e, a, role, *_ in links if role == "actor"
                  for e2, r, role2, *_ in links if e2 == e and role2 == "recipient")
    got = store.query("SELECT p.event_pk, p.actor_pk, p.recipient_pk, p.day, p.type, p.background, e.day, e.type, "
                      "e.background FROM event_actor_pairs p JOIN events e ON e.pk = p.event_pk "
                      "ORDER BY p.event_pk, p.actor_pk, p.recipient_pk")
    assert [tuple(int(x) for x in r[:3]) for r in got] == [tuple(int(x) for x in w) for w in want]
    for row in got:
        assert row[3:6] == row[6:9], row
    return len(links)


def test_actor_links_follow_their_clusters(store, example_results, paraphrase_results, background_results):
    """Clusters made, joined (new actors, a better date), flagged background and then news: the link
    tables' copies of day, type and flag stay those of the cluster."""
    for res, h in [*example_results, *paraphrase_results]:
        store.add_result(res, h)
        _assert_links_follow_clusters(store)
    for name, text in (("gulf_2026", GULF_2026), ("gulf_1990", GULF_1990), ("korea_2026", KOREA_2026)):
        store.add_result(background_results[name], content_hash(text))
        assert _assert_links_follow_clusters(store) > 10
    assert store.scalar("SELECT COUNT(*) FROM event_actor_pairs") > 5
    assert store.scalar("SELECT COUNT(*) FROM events WHERE mentions > 1") > 0  # some clusters were joined


def _assert_counts_follow_clusters(store) -> int:
    """The count tables (migration 0009) hold, per (flag, day), (type, flag, day) and (side, country,
    flag, day), the number of clusters, computed here from the events rows themselves (their
    country lists, not event_dyads); rows at 0 left by clusters that moved away aside. Returns how
    many clusters were checked."""
    want: dict[str, Counter] = {"day": Counter(), "type": Counter(), "country": Counter()}
    rows = store.query("SELECT type, day, background, actor_countries, recipient_countries FROM events")
    for typ, day, bg, acs, rcs in rows:
        d, b = day or "", int(bg)
        want["day"][(b, d)] += 1
        want["type"][(typ, b, d)] += 1
        for side, ccs in (("actor", acs), ("recipient", rcs)):
            for cc in json.loads(ccs):
                want["country"][(side, cc, b, d)] += 1
    for key, table, cols in (("day", "event_day_counts", "background, day"),
                             ("type", "event_type_day_counts", "type, background, day"),
                             ("country", "event_country_day_counts", "side, country, background, day")):
        got = {tuple(int(x) if isinstance(x, int) else x for x in r[:-1]): int(r[-1])
               for r in store.query(f"SELECT {cols}, n FROM {table} WHERE n <> 0")}
        assert got == dict(want[key]), table
    assert store.scalar("SELECT COUNT(*) FROM event_day_counts WHERE n < 0") == 0
    return len(rows)


UNDATED = "Russia accused Ukraine of shelling a power station, officials said."


@pytest.fixture(scope="session")
def undated_result():
    """A story with no publication date and no date in its text: a cluster of unknown day."""
    return dyads.extract(UNDATED, source="No Date Wire")


def test_the_count_tables_follow_their_clusters(store, example_results, paraphrase_results, background_results,
                                                undated_result):
    """New clusters, joins (new countries, a better date), a background cluster made news, and a cluster
    of unknown day: after every article the count tables are exactly the clusters' counts."""
    results = [*example_results, *paraphrase_results,
               *((background_results[k], content_hash(t)) for k, t in (("gulf_1990", GULF_1990),
                                                                         ("gulf_2026", GULF_2026),
                                                                         ("korea_2026", KOREA_2026))),
               (undated_result, content_hash(UNDATED))]
    for res, h in results:
        store.add_result(res, h)
        _assert_counts_follow_clusters(store)
    assert _assert_counts_follow_clusters(store) > 10
    assert store.scalar("SELECT COUNT(*) FROM events WHERE day IS NULL") > 0
    assert store.scalar("SELECT COUNT(*) FROM events WHERE background = 1") > 0
    assert store.scalar("SELECT COUNT(*) FROM events WHERE mentions > 1") > 0  # some clusters were joined
    # a join that moved a cluster (the invasion: 1990 mention first, then the 2026 one as background)
    # leaves no count behind: the tables hold only what the clusters are
    assert store.scalar("SELECT SUM(n) FROM event_day_counts") == store.count("events")


def test_every_counted_total_is_the_count_of_its_matches(store, example_results, paraphrase_results,
                                                         background_results, undated_result):
    """Every total that /api/events serves from the count tables (days, a type, one country side, with
    and without background events) equals a straightforward COUNT of the matching clusters."""
    from dyads.serve import api

    for res, h in [*example_results, *paraphrase_results, (background_results["korea_2026"], content_hash(KOREA_2026)),
                   (background_results["gulf_2026"], content_hash(GULF_2026)), (undated_result, content_hash(UNDATED))]:
        store.add_result(res, h)
    assert store.scalar("SELECT COUNT(*) FROM events WHERE day IS NULL") > 0
    assert store.scalar("SELECT COUNT(*) FROM events WHERE background = 1") > 0
    days = [r[0] for r in store.query("SELECT DISTINCT day FROM events WHERE day IS NOT NULL ORDER BY day")]
    types = [r[0] for r in store.query("SELECT DISTINCT type FROM events ORDER BY type")]
    countries = sorted({cc for r in store.query("SELECT actor_countries, recipient_countries FROM events")
                        for raw in r for cc in json.loads(raw)})
    assert len(days) > 3 and len(types) > 3 and len(countries) > 3
    ranges = [{}, {"since": days[0]}, {"until": days[-1]}, {"since": days[1], "until": days[-2]},
              {"until": days[len(days) // 2]}, {"since": days[len(days) // 2]}, {"since": days[2], "until": days[2]},
              {"since": "1900-01-01", "until": "1900-12-31"}]
    cases = [dict(r) for r in ranges]
    cases += [{"type": t.lower() if i % 2 else t, **r} for i, t in enumerate(types) for r in ranges[:5]]
    cases += [{side: cc, **r} for side in ("actor", "recipient") for cc in countries for r in ranges[:5]]
    cases += [{"type": "NOSUCHTYPE"}, {"actor": "ZZZ"}]
    cases += [{**c, "include_background": True} for c in cases]
    nonzero = 0
    for case in cases:
        f = {"actor": None, "recipient": None, "type": None, "status": None, "since": None, "until": None,
             "text": None, "include_background": False, **case}
        counted = query._counted_total(store, f)
        assert counted is not None, case
        where, wp = query._event_where(**f)
        want = int(store.scalar(f"SELECT COUNT(*) FROM events e{where}", wp))
        assert counted == want, (case, counted, want)
        # and as the API answers it, with its page
        params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in case.items()}
        got = api.list_events(store, {**params, "limit": "3", "offset": "1"})
        assert got["total"] == want and got["count"] == min(3, max(0, want - 1)), case
        # the same rows in the same order as the general query (PostgreSQL reads a page's ids first)
        assert got["items"] == [e.to_dict() for e in query.events(store, limit=3, offset=1, **f)], case
        nonzero += want > 0
    assert nonzero > len(cases) // 2
    # what the tables cannot answer is counted as before
    for case in ({"actor": "RUS", "recipient": "UKR"}, {"actor": "RUS", "type": "ACCUSE"}, {"actor": "1"},
                 {"status": "asserted"}, {"text": "accused"}):
        f = {"actor": None, "recipient": None, "type": None, "status": None, "since": None, "until": None,
             "text": None, "include_background": False, **case}
        assert query._counted_total(store, f) is None, case


def test_an_analysed_sqlite_store_gets_statistics_for_the_new_page_indexes(tmp_path, example_results, monkeypatch):
    """Migration 0010 replaces indexes; an SQLite store with planner statistics gets them for the new
    ones too (with the old ones' only, SQLite chose an unmeasured index: a 60x slower page)."""
    import dyads.store as st

    path = str(tmp_path / "analysed.db")
    names = [n for n, _ in MIGRATIONS]
    monkeypatch.setattr(st, "MIGRATIONS", st.MIGRATIONS[:names.index("0010_page_order_indexes")])
    with open_store(path) as s:
        for res, h in example_results:
            s.add_result(res, h)
        s.execute("ANALYZE")
        assert "ix_events_type_bg_day" in {r[0] for r in s.query("SELECT idx FROM sqlite_stat1")}
    monkeypatch.undo()
    with open_store(path) as s:
        assert s.migrations() == names
        idx = {r[0] for r in s.query("SELECT idx FROM sqlite_stat1")}
        assert {"ix_events_bg_day_pk", "ix_events_type_bg_day_pk", "ix_dyads_pair_day_event_bg_type"} <= idx
        assert "ix_events_type_bg_day" not in idx


def test_actor_names_are_remembered_per_connection_once_committed(store, example_results):
    """Event pages read the names of actor ids not seen before on the connection; names read inside a
    write transaction (maybe never committed) are not remembered."""
    for res, h in example_results:
        store.add_result(res, h)
    store.known_actor_names.clear()
    with store.transaction():
        inside = [(e.actors, e.actor_names) for e in query.events(store, limit=None)]
    assert store.known_actor_names == {}
    evs = query.events(store, limit=None)
    known = dict(store.known_actor_names)
    assert known and known == {int(pk): name for pk, name in store.query("SELECT pk, name FROM actors")
                               if int(pk) in known}
    again = query.events(store, limit=None)  # answered from what is known: the same names
    assert [(e.actors, e.actor_names) for e in again] == [(e.actors, e.actor_names) for e in evs] == inside
    assert any(e.actor_names for e in evs)


def test_a_cluster_is_background_until_a_mention_reports_it_as_news(store, background_results):
    r2026, r1990 = background_results["gulf_2026"], background_results["gulf_1990"]
    assert _event(r2026, "ASSAULT").background and not _event(r1990, "ASSAULT").background
    assert store.add_result(r2026, content_hash(GULF_2026))
    [inv] = [e for e in query.events(store, include_background=True, limit=None) if e.type == "ASSAULT"]
    assert inv.background and inv.date == "1990-08" and inv.mentions == 1
    assert store.query("SELECT background FROM event_dyads WHERE event_pk = ?", (inv.pk,)) == [(1,)]
    assert query.events(store, actor="IRQ", recipient="KWT") == []  # left out by default
    assert [e.type for e in query.events(store)] == ["ACCUSE"]
    assert query.stats(store)["background_events"] == 1
    # the 1990 report of the same invasion joins the cluster: now it was news, on every table
    assert store.add_result(r1990, content_hash(GULF_1990))
    [again] = query.events(store, actor="IRQ", recipient="KWT")
    assert again.pk == inv.pk and again.mentions == 2 and not again.background
    assert store.query("SELECT background FROM event_dyads WHERE event_pk = ?", (inv.pk,)) == [(0,)]
    assert sorted(r[0] for r in store.query("SELECT background FROM event_mentions WHERE event_pk = ?",
                                             (inv.pk,))) == [0, 1]
    assert query.stats(store)["background_events"] == 0


def test_news_first_then_background_mention_stays_news(store, background_results):
    store.add_result(background_results["gulf_1990"], content_hash(GULF_1990))
    store.add_result(background_results["gulf_2026"], content_hash(GULF_2026))
    [inv] = query.events(store, actor="IRQ", recipient="KWT", include_background=True)
    assert inv.mentions == 2 and not inv.background


def _old_store(url: str, results: dict, monkeypatch) -> None:
    """A store as dyads wrote it before migration 0004: the first three migrations, rows written the old
    way (no background column, contract JSON without the key). Clusters: the invasion (2026 and 1990
    mentions), the accusation, the protest, and the occupation (one background mention)."""
    import dyads.store as st
    from dyads.aggregate import day_of, lemma, ref_date, source_key

    monkeypatch.setattr(st, "MIGRATIONS", st.MIGRATIONS[:3])
    clusters = [[("gulf_2026", "ASSAULT"), ("gulf_1990", "ASSAULT")], [("gulf_2026", "ACCUSE")],
                [("korea_2026", "PROTEST")], [("korea_2026", "ASSAULT")]]
    with open_store(url) as s, s.transaction():
        assert s.migrations() == [n for n, _ in MIGRATIONS[:3]]
        art_pk = {}
        for name, res in results.items():
            doc = res.to_dict()
            for ev in doc["events"]:
                del ev["background"]
            a = res.article
            art_pk[name] = s.insert("INSERT INTO articles (id, hash, source, published, text, ingested_at, result) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (a.id, content_hash(res.text), a.source,
                                                                      a.published, res.text, "2026-03-05T00:00:00Z",
                                                                      json.dumps(doc)))
        for members in clusters:
            res = results[members[0][0]]
            first = _event(res, members[0][1])
            cc = {a.id: a.country for a in res.actors}
            ac, rc = sorted({cc[i] for i in first.actor}), sorted({cc[i] for i in first.recipient})
            day = day_of(ref_date(first.date, first.date_precision))
            pk = s.insert("INSERT INTO events (type, status, date, date_precision, day, actor_countries, "
                          "recipient_countries, actor_ids, recipient_ids, trigger, lemma, evidence, mentions, "
                          "sources, articles) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', '[]', ?, ?, ?, ?, ?, ?)",
                          (first.type, first.status, first.date, first.date_precision, day, json.dumps(ac),
                           json.dumps(rc), first.trigger.text, lemma(first.trigger.text), first.evidence.text,
                           len(members), len(members), len(members)))
            s.execute("INSERT INTO event_dyads (event_pk, actor_country, recipient_country, day) VALUES (?, ?, ?, ?)",
                      (pk, ac[0] if ac else "", rc[0] if rc else "", day))
            for name, typ in members:
                ev = results[name].to_dict()["events"][[e.type for e in results[name].events].index(typ)]
                del ev["background"]
                s.execute("INSERT INTO event_mentions (event_pk, article_pk, local_id, sentence, trigger, evidence, "
                          "status, date, date_precision, source_key, confidence, data) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (pk, art_pk[name], ev["id"], ev["sentence"], ev["trigger"]["text"], ev["evidence"]["text"],
                           ev["status"], ev["date"], ev["date_precision"], source_key(results[name]),
                           ev["confidence"], json.dumps(ev)))
    monkeypatch.undo()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    return str(tmp_path / "old.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_an_old_store_migrates_and_flags_its_background_events(store_url, background_results, monkeypatch):
    _old_store(store_url, background_results, monkeypatch)
    with open_store(store_url) as s:  # the current code: applies 0004 and its backfill
        assert s.migrations() == [n for n, _ in MIGRATIONS] and s.migrate() == []
        rows = s.query("SELECT e.type, e.date, e.background, d.background FROM events e "
                       "JOIN event_dyads d ON d.event_pk = e.pk ORDER BY e.pk")
        assert rows == [("ASSAULT", "1990-08", 0, 0), ("ACCUSE", "2026-03-02", 0, 0),
                        ("PROTEST", "2026-03-02", 0, 0), ("ASSAULT", "1945", 1, 1)]
        _assert_links_follow_clusters(s)  # 0008 filled the links' copies
        assert _assert_counts_follow_clusters(s) == 4  # 0009 filled the count tables
        flagged = s.query("SELECT a.id, m.local_id, m.data FROM event_mentions m JOIN articles a "
                          "ON a.pk = m.article_pk WHERE m.background = 1 ORDER BY m.pk")
        assert [(r[0], r[1]) for r in flagged] == [
            (background_results["gulf_2026"].article.id, _event(background_results["gulf_2026"], "ASSAULT").id),
            (background_results["korea_2026"].article.id, _event(background_results["korea_2026"], "ASSAULT").id)]
        assert all(json.loads(r[2])["background"] is True for r in flagged)
        # the stored contract JSON agrees; an article with nothing flagged is left as it was
        back = s.article_result(background_results["korea_2026"].article.id)
        assert [(e.type, e.background) for e in back.events] == [("PROTEST", False), ("ASSAULT", True)]
        raw = s.scalar("SELECT result FROM articles WHERE id = ?", (background_results["gulf_1990"].article.id,))
        assert "background" not in raw
        assert [e.type for e in query.events(s, limit=None)] == ["ASSAULT", "ACCUSE", "PROTEST"]
        assert query.events(s, actor="JPN", recipient="KOR") == []
        assert len(query.events(s, actor="JPN", recipient="KOR", include_background=True)) == 1
        if s.backend == "sqlite":
            names = {r[0] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        else:
            names = {r[0] for r in s.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
        assert {"ix_dyads_pair_day_event_bg_type", "ix_events_bg_day_pk", "ix_events_type_bg_day_pk", "ix_events_day",
                "ix_dyads_actor_type_day_event_bg", "ix_dyads_recipient_type_day_event_bg"} <= names
        # 0007 gave the old event_dyads rows their cluster's type
        assert s.query("SELECT d.type FROM event_dyads d JOIN events e ON e.pk = d.event_pk ORDER BY e.pk") == \
            [("ASSAULT",), ("ACCUSE",), ("PROTEST",), ("ASSAULT",)]
        assert not names & {"ix_dyads_pair_day_event", "ix_dyads_actor_day_event", "ix_dyads_recipient_day_event"}
