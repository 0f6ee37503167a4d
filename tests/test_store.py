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
