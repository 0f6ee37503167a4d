"""The ASGI application of ``dyads serve``: FastAPI routes over :mod:`dyads.serve.api`.

:func:`create_app` builds it around a :class:`~dyads.serve.runtime.Runtime` (store pool, answer
cache, locks). Each route declares its query parameters, body and answer as models of
:mod:`dyads.serve.models`, from which FastAPI generates ``/api/openapi.json``; the route validates
the request with them, then calls the endpoint function of :mod:`dyads.serve.api` with the
validated values and sends its JSON (encoded once, cached for the list and aggregate endpoints).
The endpoints are coroutines: what blocks (the store, extraction) runs in the runtime's thread
pools (:meth:`~dyads.serve.runtime.Runtime.run`); the event loop only parses, validates and moves
bytes. The six cached read endpoints (:data:`FAST_READS`) are answered by :class:`Guard` itself,
with their routes' query models, cache, endpoint functions and error answers but without FastAPI's
middleware, router and dependency solving; their routes declare them in the OpenAPI description.

:class:`Guard` wraps the app (outermost, so it sees every answer, errors and 500s included): the
security headers and ``Cache-Control: no-store`` on every response, CORS headers only when an
origin is configured, OPTIONS and HEAD, at most 100 query parameters, and the body rules -
``Content-Length`` required, bodies over ``max_body`` refused with 413 before they are read (the
bytes are drained, bounded, so the client sees the answer and not a reset), chunked bodies refused
with 411, a body that takes over ``body_timeout`` seconds to arrive answered with 408.

Every error is ``{"error": {"status", "message"}}``: :class:`~dyads.serve.api.ApiError`, the
library's :class:`~dyads.errors.DyadsError` (400; 413 for too long an input; 503 when the store
fails, logged), FastAPI's validation errors (400, naming the parameter, the value and the fix),
Starlette's 404 and 405, and anything unexpected (500, logged on the server, nothing of it sent).
"""
from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .. import __version__
from ..errors import DyadsError, InputTooLargeError, StoreError
from . import api
from .models import (
    ActorPage,
    AlertPage,
    AlertsQuery,
    ActorsQuery,
    ArticleIn,
    ArticleResultOut,
    DyadsOut,
    DyadsQuery,
    ErrorOut,
    EventDetail,
    EventPage,
    EventsQuery,
    GraphOut,
    GraphQuery,
    IngestOut,
    QuotePage,
    QueryModel,
    QuotesQuery,
    StatsOut,
    TimelineOut,
    TimelineQuery,
)
from .runtime import JSON_TYPE, SECURITY_HEADERS, Runtime, encode, static_body

log = logging.getLogger("dyads.serve")
QueryModelT = TypeVar("QueryModelT", bound=QueryModel)

DESCRIPTION = ("Sourced political event data from news articles: events, actors, quotes, dyad time series and "
               "the actor network. Every error is {\"error\": {\"status\": int, \"message\": str}}.")
MAX_QUERY_FIELDS = 100
_BODY_FIELDS = ("text", "published", "source", "url", "title", "id")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    from http import HTTPStatus

    return {code: {"model": ErrorOut, "description": HTTPStatus(code).phrase} for code in codes}


def _json(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = obj if isinstance(obj, bytes) else encode(obj)
    return Response(body, status_code=status, media_type=JSON_TYPE, headers=headers)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return _json({"error": {"status": status, "message": message}}, status, headers)


def _params(model: type[QueryModel]) -> dict[str, Any]:
    return {"parameters": query_parameters(model)}


def _rt(request: Request) -> Runtime:
    return request.app.state.rt


def query_parameters(model: type[QueryModel]) -> list[dict[str, Any]]:
    """The OpenAPI ``parameters`` of a query model: one per field, its JSON schema from pydantic."""
    props = model.model_json_schema().get("properties", {})
    out = []
    for name, field in model.model_fields.items():
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": props[name]}
        if field.description:
            param["description"] = field.description
        out.append(param)
    return out


def _query(request: Request, model: type[QueryModelT]) -> QueryModelT:
    """The request's query parameters validated by ``model``; 400 naming each bad one.

    Done here, not by FastAPI from a ``Query()`` model parameter: FastAPI's per-request extraction of
    parameter models re-inspects every field's type on every request (measured 0.26 ms of the event
    loop's time per request, more than the rest of the HTTP handling); one ``model_validate`` is
    about 20 us. The OpenAPI parameters are generated from the same model (:func:`query_parameters`)."""
    return _validated(dict(request.query_params), model)


def _validated(params: dict[str, str], model: type[QueryModelT]) -> QueryModelT:
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from None


async def _read(request: Request, name: str, q, fn) -> bytes:
    """A cached read endpoint: its encoded answer for the validated parameters ``q``, looked up and
    computed in the runtime's threads (the store blocks; the event loop never does)."""
    rt = _rt(request)
    # a cached answer is looked up before the computation is queued: for the aggregates, which repeat;
    # for event pages (mostly one-off queries) only where the look-up costs no thread (SQLite)
    return await rt.read_async(name, q.params(), fn, peek=name != "events" or rt.pool.backend == "sqlite")


# --------------------------------------------------------------------------- validation errors


def _validation_message(errors: list[dict[str, Any]]) -> str:
    """One line naming each bad parameter or body field, its value and what to send instead."""
    out: list[str] = []
    for e in errors[:5]:
        loc = [str(x) for x in e.get("loc", ())]
        where, name = (loc[0] if loc else ""), ".".join(loc[1:])
        typ, given = e.get("type", ""), e.get("input")
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if where == "body":
            if typ == "json_invalid":
                at = f" at character {loc[1]}" if len(loc) > 1 else ""
                out.append(f"request body is not valid JSON: {e.get('ctx', {}).get('error', msg)}{at}")
            elif typ == "missing" and not name:
                out.append('a JSON body is required, such as {"text": "...", "published": "2024-06-18"}')
            elif not name or typ in ("model_attributes_type", "dict_type", "model_type"):
                out.append('body must be a JSON object such as {"text": "...", "published": "2024-06-18"}')
            elif typ == "extra_forbidden":
                out.append(f"unknown field {name!r}: use {', '.join(_BODY_FIELDS)}")
            elif typ == "missing":
                out.append(f"{name!r} is required" + (": the article as a non-empty string" if name == "text" else ""))
            elif typ == "string_type":
                out.append(f"{name!r} must be a string")
            else:
                out.append(msg if msg.startswith(("'", name)) else f"{name!r}: {msg}")
        else:
            shown = repr(given)[:80] if isinstance(given, str) else given
            if typ.startswith("date"):
                msg = "not a real calendar date: use YYYY-MM-DD (e.g. 2024-06-18)"
            elif typ == "string_pattern_mismatch" and name in ("actor", "recipient"):
                msg = "not a three-letter country code (e.g. RUS)"
            elif typ == "string_pattern_mismatch" and name == "type":
                msg = "not a PLOVER type name (e.g. AID, ASSAULT)"
            elif typ in ("int_parsing", "int_from_float"):
                msg = "not a whole number"
            out.append(f"{name} {shown}: {msg[0].lower() + msg[1:] if msg else msg}")
    return "; ".join(out) or "invalid request"


_bearer = HTTPBearer(auto_error=False, scheme_name="bearer", description="the server's DYADS_TOKEN")


async def require_token(request: Request,
                        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """The write rule: a token is configured, and the request's bearer token equals it (constant time)."""
    token = _rt(request).token
    if token is None:
        raise api.ApiError(403, "this server is read-only: start it with DYADS_TOKEN set to allow POST /api/articles")
    given = (creds.credentials.strip() if creds else "").encode("utf-8", "surrogateescape")
    ok = hmac.compare_digest(given, token)
    if creds is None or not ok:
        raise api.ApiError(401, "missing or wrong bearer token: send Authorization: Bearer <token>",
                           {"WWW-Authenticate": 'Bearer realm="dyads"'})


# --------------------------------------------------------------------------- the app


def create_app(rt: Runtime | None) -> FastAPI:
    """The API and dashboard over ``rt`` (``None``: only to generate the OpenAPI description)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if rt is not None:
            rt.close()  # the worker's store connections, on a clean stop

    app = FastAPI(
        title="dyads API", version=__version__, description=DESCRIPTION, lifespan=lifespan,
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
        generate_unique_id_function=lambda route: route.name,
        # FastAPI's built-in OpenTelemetry hooks: off (no exporter, no per-request spans)
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                   "auto_configure": False},
    )
    app.state.rt = rt
    # -- reads ---------------------------------------------------------------------------
    @app.get("/api/events", openapi_extra=_params(EventsQuery), response_model=EventPage, responses=_errors(400),
             summary="Event clusters matching the filters, ordered by day then id; items, limit, offset, "
                     "count (this page) and total (all matches)")
    async def events(request: Request) -> Response:
        return _json(await _read(request, "events", _query(request, EventsQuery), api.list_events))

    @app.get("/api/events/{id}", response_model=EventDetail, responses=_errors(400, 404),
             summary="One event with every sentence that reported it and its articles")
    async def event(request: Request, id: Annotated[int, Path(ge=0, le=10**18 - 1, description="event id")]) -> Response:  # noqa: A002
        rt = _rt(request)
        return _json(await rt.run(rt.with_store, api.event_detail, id))

    @app.get("/api/articles/{id}", response_model=ArticleResultOut, responses=_errors(400, 404),
             summary="The stored extraction (contract JSON) of one article")
    async def article(request: Request, id: Annotated[str, Path(max_length=200, description="article id")]) -> Response:  # noqa: A002
        rt = _rt(request)
        return _json(await rt.run(rt.with_store, api.article_detail, id))

    @app.get("/api/actors", openapi_extra=_params(ActorsQuery), response_model=ActorPage, responses=_errors(400),
             summary="Actors merged across articles, most mentioned first")
    async def actors(request: Request) -> Response:
        return _json(await _read(request, "actors", _query(request, ActorsQuery), api.list_actors))

    @app.get("/api/quotes", openapi_extra=_params(QuotesQuery), response_model=QuotePage, responses=_errors(400), summary="Quotes with their speakers")
    async def quotes(request: Request) -> Response:
        return _json(await _read(request, "quotes", _query(request, QuotesQuery), api.list_quotes))

    @app.get("/api/dyads", openapi_extra=_params(DyadsQuery), response_model=DyadsOut, responses=_errors(400),
             summary="Per directed country pair and period: events by quad class and mean intensity")
    async def dyads(request: Request) -> Response:
        return _json(await _read(request, "dyads", _query(request, DyadsQuery), api.list_dyads))

    @app.get("/api/stats", response_model=StatsOut, summary="Counts of articles, events, actors, quotes ...")
    async def stats(request: Request) -> Response:
        from .. import query

        rt = _rt(request)
        return _json(await rt.run(rt.with_store, lambda s: query.stats(s)))

    @app.get("/api/graph", openapi_extra=_params(GraphQuery), response_model=GraphOut, responses=_errors(400),
             summary="Actor network for the filters: nodes (actors with event counts) and directed edges actor -> "
                     "recipient with count, mean intensity and cooperation/conflict shares; the events of an edge "
                     "are /api/events?actor={source}&recipient={target}")
    async def graph(request: Request) -> Response:
        return _json(await _read(request, "graph", _query(request, GraphQuery), api.graph))

    @app.get("/api/alerts", openapi_extra=_params(AlertsQuery), response_model=AlertPage, responses=_errors(400),
             summary="Alerts fired by the store's rules (dyads alerts / dyads watch --rules), newest first, "
                     "and every rule that has run with its count")
    async def alerts(request: Request) -> Response:
        # not cached: alerts change without new events (a rule run over old ones)
        rt = _rt(request)
        return _json(await rt.run(rt.with_store, api.list_alerts, _query(request, AlertsQuery).params()))

    @app.get("/api/timeline", openapi_extra=_params(TimelineQuery), response_model=TimelineOut, responses=_errors(400),
             summary="Events matching the filters per period: counts by quad class and mean intensity (the "
                     "dashboard's pair timeline)")
    async def timeline(request: Request) -> Response:
        return _json(await _read(request, "timeline", _query(request, TimelineQuery), api.timeline))

    # -- writes ----------------------------------------------------------------------------
    @app.post("/api/extract", response_model=ArticleResultOut, responses=_errors(400, 411, 413),
              summary="Extract one article (nothing is stored); returns the contract JSON")
    async def extract(request: Request, body: ArticleIn) -> Response:
        rt = _rt(request)
        result = await rt.run(rt.extract, body.body(), kind="write")
        return _json(result.to_dict())

    @app.post("/api/articles", response_model=IngestOut, status_code=201, responses=_errors(400, 401, 403, 411, 413),
              summary="Extract and store one article (needs the bearer token); 200 when it is stored already")
    async def ingest(request: Request, body: ArticleIn, _auth: Annotated[None, Depends(require_token)]) -> Response:
        rt = _rt(request)
        status, out = await rt.run(rt.ingest, body.body(), kind="write")
        return _json(out, status)

    # -- the dashboard and the docs ----------------------------------------------------------
    @app.get("/", include_in_schema=False)
    @app.get("/index.html", include_in_schema=False)
    async def dashboard() -> Response:
        return _static("index.html")

    @app.get("/static/{name:path}", include_in_schema=False)
    async def static(name: str) -> Response:
        return _static(name)

    docs_page: list[bytes] = []

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        if not docs_page:
            from .openapi import docs_html

            docs_page.append(docs_html(app.openapi()).encode("utf-8"))
        return Response(docs_page[0], media_type="text/html; charset=utf-8")

    # -- the generated description: only the answers the API gives ---------------------------
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = FastAPI.openapi(app)
            for ops in spec["paths"].values():
                for op in ops.values():
                    op.get("responses", {}).pop("422", None)  # validation errors are answered as 400
            for name in ("HTTPValidationError", "ValidationError"):
                spec.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    _add_error_handlers(app)
    return app


# The cached read endpoints (path -> cache name, query model, endpoint function of dyads.serve.api),
# answered by the Guard itself (:meth:`Guard._read`) with the same validation, cache, answer and errors
# as their routes above, whose declarations give the OpenAPI description.
FAST_READS: dict[str, tuple[str, type[QueryModel], str]] = {
    "/api/events": ("events", EventsQuery, "list_events"), "/api/actors": ("actors", ActorsQuery, "list_actors"),
    "/api/quotes": ("quotes", QuotesQuery, "list_quotes"), "/api/dyads": ("dyads", DyadsQuery, "list_dyads"),
    "/api/graph": ("graph", GraphQuery, "graph"), "/api/timeline": ("timeline", TimelineQuery, "timeline"),
}
_JSON_HEADER = (b"content-type", JSON_TYPE.encode("latin-1"))


def _static(name: str) -> Response:
    asset = static_body(name)
    if asset is None:
        raise api.ApiError(404, f"no such file {name[:100]!r}")
    body, ctype = asset
    return Response(body, media_type=ctype)


def _api_error_response(exc: api.ApiError) -> Response:
    return error_response(exc.status, exc.message, exc.headers)


def _validation_response(exc: RequestValidationError) -> Response:
    return error_response(400, _validation_message(list(exc.errors())))


def _dyads_error_response(exc: DyadsError, method: str, path: str) -> Response:
    if isinstance(exc, InputTooLargeError):
        return error_response(413, str(exc))
    if isinstance(exc, StoreError):
        log.error("store error on %s %s", method, path[:300], exc_info=exc)
        return error_response(503, "the event store is not available; see the server log")
    return error_response(400, str(exc))


def _bug_response() -> Response:
    return error_response(500, "internal server error (logged on the server)")


def _add_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: api.ApiError) -> Response:
        return _api_error_response(exc)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        return _validation_response(exc)

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code == 404:
            return error_response(404, f"no such endpoint {path[:200]!r}; see /docs")
        if exc.status_code == 405:
            allow = [m for m in (exc.headers or {}).get("Allow", "").split(", ") if m and m != "HEAD"]
            allow_h = ", ".join([*allow, "OPTIONS"])
            return error_response(405, f"{request.method} is not allowed on {path[:200]}: use {', '.join(allow)}",
                                  {"Allow": allow_h})
        return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    async def on_dyads_error(request: Request, exc: DyadsError) -> Response:
        return _dyads_error_response(exc, request.method, request.url.path)

    async def on_bug(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after this answer, and uvicorn logs the traceback: never sent to the client
        return _bug_response()

    app.add_exception_handler(api.ApiError, on_api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(DyadsError, on_dyads_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_bug)


# --------------------------------------------------------------------------- the guard


class _Reply(Exception):
    """Answer the request with ``response`` without calling the app."""

    def __init__(self, response: Response, close: bool = False):
        self.response, self.close = response, close


class Guard:
    """Pure ASGI middleware around the app: headers, CORS, OPTIONS, HEAD, query and body limits."""

    def __init__(self, app: FastAPI, rt: Runtime, body_timeout: float = 30.0):
        self.app, self.rt, self.body_timeout = app, rt, body_timeout
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]
        headers.append((b"cache-control", b"no-store"))
        if rt.cors_origin:
            headers += [(b"access-control-allow-origin", rt.cors_origin.encode("latin-1")), (b"vary", b"Origin")]
        self.headers = headers

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        close = False

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k.lower(), v) for k, v in message.get("headers", ())]
                have = {k for k, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in have]
                if close and b"connection" not in have:
                    headers.append((b"connection", b"close"))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        method = scope["method"]
        head = method == "HEAD"
        try:
            qs = scope.get("query_string", b"")
            if qs and qs.count(b"&") + 1 > MAX_QUERY_FIELDS:
                raise _Reply(error_response(400, f"too many query parameters (at most {MAX_QUERY_FIELDS})"))
            if method == "OPTIONS":
                raise _Reply(self._options(scope))
            receive, scope = await self._body(scope, receive)
        except _Reply as r:
            close = r.close
            await r.response(scope, receive, send_with_headers)
            return
        if head:
            scope = {**scope, "method": "GET"}
        fast = FAST_READS.get(scope["path"]) if scope["method"] == "GET" else None
        if fast is not None:
            await self._read(scope, receive, send_with_headers, *fast)
            return
        await self.app(scope, receive, send_with_headers)

    async def _read(self, scope, receive, send, name: str, model: type[QueryModel], fn_name: str) -> None:
        """A cached read endpoint (:data:`FAST_READS`), without FastAPI's router, middleware and
        dependency solving: measured one request at a time on 1,000,000 events, they were about a
        third of the Python the server ran per event page beyond the page itself (see
        docs/serving.md). Same parameters, validation, answer and error answers as the route."""
        from urllib.parse import parse_qsl

        try:
            # as Starlette's QueryParams: latin-1, blank values kept, the last of a repeated name wins
            params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
            q = _validated(params, model)
            body = await self.rt.read_async(name, q.params(), getattr(api, fn_name),
                                            peek=name != "events" or self.rt.pool.backend == "sqlite")
        except api.ApiError as exc:
            response = _api_error_response(exc)
        except RequestValidationError as exc:
            response = _validation_response(exc)
        except DyadsError as exc:
            response = _dyads_error_response(exc, scope["method"], scope["path"])
        except Exception:
            log.exception("unexpected error on %s %s", scope["method"], scope["path"][:300])
            response = _bug_response()
        else:
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-length", str(len(body)).encode("latin-1")), _JSON_HEADER]})
            await send({"type": "http.response.body", "body": body})
            return
        await response(scope, receive, send)

    def _options(self, scope) -> Response:
        methods: set[str] = set()
        for route in self.app.router.routes:
            match, _ = route.matches(scope)
            if match != Match.NONE:
                methods |= set(getattr(route, "methods", None) or ())
        if not methods:
            return error_response(404, f"no such endpoint {scope['path'][:200]!r}; see /docs")
        allow = ", ".join([*sorted(methods - {"HEAD"}), "OPTIONS"])
        headers = {"Allow": allow}
        if self.rt.cors_origin:
            headers.update({"Access-Control-Allow-Methods": allow,
                            "Access-Control-Allow-Headers": "Authorization, Content-Type",
                            "Access-Control-Max-Age": "600"})
        return Response(b"", status_code=204, headers=headers)

    async def _body(self, scope, receive):
        """Read the request body (bounded in size and time) before the app runs; (receive, scope) to use."""
        import anyio

        headers = dict(scope.get("headers", ()))
        raw_len = headers.get(b"content-length")
        chunked = b"transfer-encoding" in headers
        if not chunked and raw_len is None and scope["method"] not in ("POST", "PUT", "PATCH"):
            return receive, scope  # no body
        if chunked:  # refused unread, as before (its framing may be broken: draining could wait for nothing)
            raise _Reply(error_response(411, "chunked bodies are not accepted: send Content-Length"), close=True)
        if raw_len is None or not raw_len.strip().isdigit():
            raise _Reply(error_response(411, "a JSON body with a Content-Length header is required"), close=True)
        n = int(raw_len)
        if n > self.rt.max_body:
            await self._drain(receive)  # the client sees our answer, not a reset
            raise _Reply(error_response(413, f"request body of {n} bytes is over the limit of "
                                             f"{self.rt.max_body} bytes"), close=True)
        chunks: list[bytes] = []
        try:
            with anyio.fail_after(self.body_timeout):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _Reply(error_response(400, "the client went away before its body arrived"), close=True)
                    chunks.append(message.get("body", b""))
                    more = message.get("more_body", False)
        except TimeoutError:
            raise _Reply(error_response(408, f"request body not received within {self.body_timeout:g} s"),
                         close=True) from None
        body = b"".join(chunks)
        if len(body) < n:
            raise _Reply(error_response(400, "request body ended early"), close=True)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        # the API reads every body as JSON, whatever Content-Type says (curl -d sends a form type)
        if scope["method"] in ("POST", "PUT", "PATCH"):
            hs = [(k, v) for k, v in scope.get("headers", ()) if k != b"content-type"]
            scope = {**scope, "headers": [*hs, (b"content-type", b"application/json")]}
        return replay, scope

    async def _drain(self, receive) -> None:
        """Read and drop an unwanted body: at most 4 x max_body + 1 MiB, for at most 10 s."""
        import anyio

        left = 4 * self.rt.max_body + (1 << 20)
        with anyio.move_on_after(10):
            while left > 0:
                message = await receive()
                if message["type"] != "http.request":
                    return
                left -= len(message.get("body", b""))
                if not message.get("more_body", False):
                    return


def asgi_app(rt: Runtime, body_timeout: float = 30.0) -> Guard:
    """The whole ASGI application over ``rt``: :func:`create_app` inside its :class:`Guard`."""
    return Guard(create_app(rt), rt, body_timeout)


_SPEC: list[dict[str, Any]] = []


def openapi() -> dict[str, Any]:
    """The OpenAPI description generated from the app's routes and models (served at /api/openapi.json)."""
    if not _SPEC:
        _SPEC.append(create_app(None).openapi())
    return _SPEC[0]
