"""The ASGI server's own promises: answers match the typed models the OpenAPI description is generated
from, the description holds only what the API does, the HTTP edges (HEAD, OPTIONS, slow or broken
requests, shutdown) answer in the API's shape, and the deprecated http.server implementation kept
for the benchmark answers the same JSON."""
from __future__ import annotations

import http.client
import json
import pickle
import re
import shutil
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from pydantic import BaseModel

from dyads.serve import api as serve_api
from dyads.serve import make_server, models, openapi
from dyads.serve.legacy import make_legacy_server

from conftest import example_store
from test_serve import EXAMPLES, FILES, TOKEN, assert_error, call, get_json

SHORT = ("Chile and Argentina signed a fishing agreement in Santiago on Tuesday, ending a two-year dispute over "
         "catches in the Beagle Channel, officials said.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return example_store(str(tmp_path_factory.mktemp("models") / "models.db"), FILES)


def _start(server):
    server.quiet = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def api(db):
    srv = make_server(db, port=0)
    yield _start(srv)
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def legacy(db):
    srv = make_legacy_server(db, port=0)
    yield _start(srv)
    srv.shutdown()
    srv.server_close()


def strict(model: type[BaseModel], body) -> None:
    """``body`` is an answer of ``model``: every field present with its type, no field the model lacks."""
    model.model_validate(body, strict=False)
    assert set(body) <= set(model.model_fields), set(body) - set(model.model_fields)


# --------------------------------------------------------------------------- answers and models


def test_every_read_answer_matches_its_model(api):
    ev = get_json(api, "/api/events?actor=PAK")[2]
    strict(models.EventPage, ev)
    assert ev["items"]
    for item in ev["items"]:
        strict(models.EventOut, item)
    detail = get_json(api, f"/api/events/{ev['items'][0]['id']}")[2]
    strict(models.EventDetail, detail)
    art = get_json(api, "/api/articles/" + detail["mentions"][0]["article"])[2]
    strict(models.ArticleResultOut, art)
    assert art["events"] and art["actors"]
    for path, model in (("/api/actors", models.ActorPage), ("/api/quotes", models.QuotePage),
                        ("/api/dyads", models.DyadsOut), ("/api/stats", models.StatsOut),
                        ("/api/graph", models.GraphOut), ("/api/graph?level=state", models.GraphOut),
                        ("/api/graph?top=3&min_events=2", models.GraphOut), ("/api/alerts", models.AlertPage),
                        ("/api/timeline?actor=PAK", models.TimelineOut)):
        status, _, body = get_json(api, path)
        assert status == 200, path
        strict(model, body)
    # the answers' rows have no field the row models lack either
    g = get_json(api, "/api/graph")[2]
    assert g["nodes"] and g["edges"]
    for n in g["nodes"]:
        strict(models.GraphNode, n)
    for e in g["edges"]:
        strict(models.GraphEdge, e)
    for row in get_json(api, "/api/dyads")[2]["items"]:
        strict(models.DyadRow, row)


def test_error_answers_match_the_error_model(api):
    for path in ("/api/events?limit=0", "/api/events/12345678", "/api/nothing", "/api/graph?level=x"):
        status, _, body = get_json(api, path)
        assert status in (400, 404)
        strict(models.ErrorOut, body)


def test_write_answers_match_their_models(db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    srv = make_server(str(copy), port=0, token=TOKEN)
    base = _start(srv)
    try:
        status, _, doc = get_json(base, "/api/extract", body={"text": SHORT, "published": "2026-03-10T08:00:00Z"})
        assert status == 200
        strict(models.ArticleResultOut, doc)
        assert doc["article"]["published"] == "2026-03-10"  # a timestamp's day, as the pipeline always took it
        auth = {"Authorization": "Bearer " + TOKEN}
        status, _, out = get_json(base, "/api/articles", body={"text": SHORT}, headers=auth)
        assert status == 201
        strict(models.IngestOut, out)
        status, _, again = get_json(base, "/api/articles", body={"text": SHORT}, headers=auth)
        assert status == 200 and again["duplicate"]
        strict(models.IngestOut, again)
    finally:
        srv.shutdown()
        srv.server_close()


# --------------------------------------------------------------------------- the generated description


def test_openapi_is_generated_and_tells_only_what_the_api_does(api):
    spec = get_json(api, "/api/openapi.json")[2]
    assert spec == json.loads(json.dumps(openapi()))  # the served one is the generated one
    schemas = spec["components"]["schemas"]
    assert {"EventPage", "EventOut", "GraphOut", "ArticleIn", "ErrorOut"} <= set(schemas)
    assert "HTTPValidationError" not in schemas  # validation errors are answered as 400 in our shape
    ops = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    assert len(ops) == 12  # 10 reads (alerts among them), extract and ingest
    for path, method, op in ops:
        assert "422" not in op["responses"], (path, method)
        ok = op["responses"].get("200") or op["responses"].get("201")
        assert ok["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/"), path
        for code, resp in op["responses"].items():
            if code.startswith("4"):
                assert resp["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), (path, code)
    # each documented query parameter is one the endpoint takes: its default value is accepted
    for path, method, op in ops:
        if method != "get" or "{" in path:
            continue
        params = {p["name"]: p["schema"]["default"] for p in op.get("parameters", ())
                  if p["in"] == "query" and p["schema"].get("default") not in (None, False)}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        assert get_json(api, path + ("?" + query if query else ""))[0] == 200, (path, query)
    ingest = spec["paths"]["/api/articles"]["post"]
    assert ingest["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    body = schemas[ingest["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert body["required"] == ["text"] and body["additionalProperties"] is False


def test_docs_page_lists_every_operation_of_the_description(api):
    spec = get_json(api, "/api/openapi.json")[2]
    page = call(api, "/docs")[2].decode()
    for path, item in spec["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert "limit" in page and "at most 500" in page  # parameters with their bounds, from the schema


# --------------------------------------------------------------------------- HTTP edges


def test_head_and_options(api):
    s, h_get, body = call(api, "/api/stats")
    s, h, head = call(api, "/api/stats", method="HEAD")
    assert s == 200 and head == b"" and h["Content-Length"] == h_get["Content-Length"] == str(len(body))
    s, h, _ = call(api, "/api/articles/x", method="OPTIONS")
    assert s == 204 and h["Allow"] == "GET, OPTIONS"
    s, _, b = call(api, "/api/nowhere", method="OPTIONS")
    assert_error(s, json.loads(b), 404)


def _raw(base: str, data: bytes, timeout: float = 10) -> tuple[int, dict]:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sk:
        sk.sendall(data)
        buf = b""
        while True:
            chunk = sk.recv(65536)
            if not chunk:
                break
            buf += chunk
            head, sep, rest = buf.partition(b"\r\n\r\n")
            m = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if sep and m and len(rest) >= int(m.group(1)):
                break
    head, _, rest = buf.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(rest)


def test_broken_requests_are_answered_in_the_api_shape(api):
    status, body = _raw(api, b"NOT AN HTTP REQUEST\r\n\r\n")
    assert_error(status, body, 400)
    status, body = _raw(api, b"POST /api/extract HTTP/1.1\r\nHost: x\r\n\r\n")  # no Content-Length
    assert_error(status, body, 411)
    status, body = _raw(api, b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"text\"")
    assert_error(status, body, 400)  # a body that is not JSON
    # curl -d sends a form content type: the body is read as JSON all the same
    req = urllib.request.Request(api + "/api/articles", data=json.dumps({"text": SHORT}).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert_error(err.value.code, json.loads(err.value.read()), 403)  # read-only: the token rule, not a type error
    req = urllib.request.Request(api + "/api/extract", data=json.dumps({"text": 5}).encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    body = json.loads(err.value.read())
    assert_error(err.value.code, body, 400)
    assert "'text' must be a string" in body["error"]["message"]  # parsed as JSON, then checked


def test_oversized_headers_are_refused_in_the_api_shape(api):
    """The request line and headers together are bounded (Limits.max_header_bytes, 64 KiB): past it,
    400 in the API's shape before the request reaches the app, and the server answers the next one."""
    status, body = _raw(api, b"GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 70_000 + b"\r\n\r\n")
    assert_error(status, body, 400)
    assert "headers are over 65536 bytes" in body["error"]["message"]
    status, body = _raw(api, b"GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 60_000 + b"\r\n\r\n")
    assert status == 200 and body["events"] > 0


def test_a_slow_answer_outlasts_the_keep_alive_timeout(db, monkeypatch):
    """The keep-alive timeout closes idle connections only: a request that arrives on a kept-alive
    connection and takes longer than the timeout to answer still gets its answer on it."""
    from dyads.serve.server import Limits

    real = serve_api.list_quotes

    def slow(store, params):
        time.sleep(1.6)
        return real(store, params)

    monkeypatch.setattr(serve_api, "list_quotes", slow)
    srv = make_server(db, port=0, limits=Limits(timeout_keep_alive=1))
    base = _start(srv)
    try:
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/api/stats")
        first = conn.getresponse()
        assert first.status == 200 and json.loads(first.read())["events"] > 0
        conn.request("GET", "/api/quotes?limit=2")  # at once, on the same connection: 1.6 s to answer
        second = conn.getresponse()
        assert second.status == 200 and len(json.loads(second.read())["items"]) == 2
        conn.close()
    finally:
        srv.shutdown()
        srv.server_close()


def test_slow_body_gets_408(db):
    srv = make_server(db, port=0, body_timeout=0.5)
    base = _start(srv)
    try:
        t0 = time.monotonic()
        status, body = _raw(base, b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"te")
        assert_error(status, body, 408)
        assert time.monotonic() - t0 < 5
        assert get_json(base, "/api/stats")[0] == 200
    finally:
        srv.shutdown()
        srv.server_close()


def test_shutdown_lets_requests_in_flight_finish(db, monkeypatch):
    """uvicorn's graceful shutdown: a request under way when the stop comes still gets its answer."""
    srv = make_server(db, port=0)
    base = _start(srv)
    real = serve_api.list_quotes

    def slow(store, params):
        time.sleep(1.5)
        return real(store, params)

    monkeypatch.setattr(serve_api, "list_quotes", slow)
    got = {}
    t = threading.Thread(target=lambda: got.update(r=get_json(base, "/api/quotes?limit=3")))
    t.start()
    time.sleep(0.5)
    srv.shutdown()
    t.join(10)
    srv.server_close()
    assert got["r"][0] == 200 and len(got["r"][2]["items"]) == 3
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/api/stats", timeout=5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT balancing is Linux's")
def test_worker_socket_arrives_as_a_listener_on_the_shared_port():
    from dyads.serve.server import WorkerSocket, bind_workers

    parent = bind_workers("127.0.0.1", 0)
    port = parent.getsockname()[1]
    mine = pickle.loads(pickle.dumps(WorkerSocket("127.0.0.1", port, 16)))  # as a spawned worker gets it
    try:
        assert mine.getsockname()[1] == port and mine.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        assert mine.proto == socket.IPPROTO_TCP  # so asyncio turns Nagle's algorithm off
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        mine.close()
        parent.close()


# --------------------------------------------------------------------------- the old server, side by side


QUERIES = ["/api/events", "/api/events?actor=PAK&recipient=IND", "/api/events?limit=2&offset=1&type=ACCUSE",
           "/api/events?since=2026-02-01&until=2026-02-28", "/api/actors?country=PAK", "/api/quotes",
           "/api/dyads?by=week", "/api/graph", "/api/graph?level=state", "/api/timeline?actor=PAK",
           "/api/stats", "/api/events?include_background=1", "/api/events?status=ASSERTED"]


def test_legacy_server_answers_the_same(api, legacy):
    """The deprecated --legacy-http server, kept for the benchmark: same answers, same error statuses."""
    for path in QUERIES:
        a, b = get_json(api, path), get_json(legacy, path)
        assert a[0] == b[0] == 200, path
        assert a[2] == b[2], path
    ev = get_json(api, "/api/events")[2]["items"][0]["id"]
    assert get_json(api, f"/api/events/{ev}")[2] == get_json(legacy, f"/api/events/{ev}")[2]
    for path in ("/api/events?limit=5000", "/api/events?since=2026-02-30", "/api/events/999999", "/api/nothing",
                 "/api/dyads?by=year", "/api/events?include_background=maybe"):
        a, b = get_json(api, path), get_json(legacy, path)
        assert a[0] == b[0], path
        assert_error(a[0], a[2], a[0])
        assert_error(b[0], b[2], b[0])


def test_legacy_flag_is_marked_deprecated(capsys):
    from dyads.serve import legacy as legacy_module
    from dyads.serve.command import main

    assert legacy_module.__doc__.startswith("DEPRECATED")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--legacy-http DEPRECATED" in out and "slated for removal" in out
