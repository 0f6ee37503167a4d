"""The API's wire types: query parameters, request bodies and answers, as pydantic models.

The OpenAPI description (``/api/openapi.json``) is generated from these by FastAPI; nothing of it
is written by hand. The query models are what the app validates each request with; their values
(normalised: blank parameters dropped, dates as YYYY-MM-DD, flags as 1/0) are what the endpoint
functions of :mod:`dyads.serve.api` receive. The answer models describe the JSON those functions
return (serialisations of the records in :mod:`dyads.records` and :mod:`dyads.store`); the app
sends that JSON as it is, and ``tests/test_serve_models.py`` checks every endpoint's answers
against these models with unknown fields forbidden, so the description cannot drift from the data.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..errors import ConfigError, check_date
from ..records import ACTOR_KINDS
from .api import DEFAULT_LIMIT, MAX_GRAPH_EDGES, MAX_GRAPH_NODES, MAX_LIMIT

# --------------------------------------------------------------------------- query parameters


def _flag(v: Any) -> Any:
    """A 0/1 flag as the API has always taken it: 1, 0, true or false (any case)."""
    if isinstance(v, str):
        low = v.strip().lower()
        if low not in ("0", "1", "true", "false"):
            raise ValueError("use 1 or 0")
        return low in ("1", "true")
    return v


Flag = Annotated[bool, BeforeValidator(_flag)]
Period = Literal["day", "week", "month"]
Status = Literal["asserted", "future", "hypothetical", "negated"]


class QueryModel(BaseModel):
    """Query parameters: unknown ones are ignored, blank ones count as absent."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            out = {}
            for k, v in data.items():
                if isinstance(v, str):
                    v = v.strip()
                    if not v:
                        continue
                    if k == "status":
                        v = v.lower()
                out[k] = v
            return out
        return data

    def params(self) -> dict[str, str]:
        """The given values as the endpoint functions take them (strings; None left out)."""
        out: dict[str, str] = {}
        for k, v in self.model_dump(exclude_none=True).items():
            out[k] = ("1" if v else "0") if isinstance(v, bool) else v.isoformat() if isinstance(v, date) else str(v)
        return out


class Page(QueryModel):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT,
                       description=f"page size (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=10**9, description="rows to skip")


class EventFilters(QueryModel):
    actor: str | None = Field(None, max_length=200,
                              description="actor side: country code (RUS), actor id, or words of an actor name")
    recipient: str | None = Field(None, max_length=200,
                                  description="recipient side: country code (PRK), actor id, or words of an actor name")
    type: str | None = Field(None, pattern=r"^[A-Za-z_]{1,40}$", description="PLOVER event type, e.g. AID, ASSAULT")
    status: Status | None = Field(None, description="event status")
    since: date | None = Field(None, description="events on or after this day (YYYY-MM-DD)")
    until: date | None = Field(None, description="events on or before this day (YYYY-MM-DD)")
    text: str | None = Field(None, max_length=500, description="words that must all occur in the evidence")
    include_background: Flag = Field(False, description="1: also background events (dated more than a year before "
                                                        "every article that reported them); by default left out")


class EventsQuery(EventFilters, Page):
    pass


class ActorsQuery(Page):
    name: str | None = Field(None, max_length=200, description="name contains")
    country: str | None = Field(None, max_length=3, description="country code")
    kind: Literal[ACTOR_KINDS] | None = Field(None, description="actor kind")  # type: ignore[valid-type]
    sector: str | None = Field(None, max_length=10, description="sector code, e.g. GOV, MIL")


class QuotesQuery(Page):
    speaker: str | None = Field(None, max_length=200, description="speaker name contains")


class DyadsQuery(QueryModel):
    by: Period = Field("month", description="period")
    actor: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="actor country code")
    recipient: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="recipient country code")
    since: date | None = Field(None, description="periods of events on or after this day (YYYY-MM-DD)")
    until: date | None = Field(None, description="periods of events on or before this day (YYYY-MM-DD)")
    include_background: Flag = Field(False, description="1: also background events")


class GraphQuery(EventFilters):
    level: Literal["actor", "state"] = Field("actor", description="actor: one node per actor; state: states and "
                                                                  "organisations (an official counts as his state)")
    limit: int = Field(1000, ge=1, le=MAX_GRAPH_EDGES, description="at most this many edges, largest first")
    top: int | None = Field(None, ge=1, le=MAX_GRAPH_NODES,
                            description="at most this many nodes, those in most events (edges only between them)")
    min_events: int = Field(1, ge=1, le=10**9, description="only nodes in at least this many events")


class AlertsQuery(Page):
    rule: str | None = Field(None, max_length=200, description="the rule's name")
    kind: Literal["event", "spike", "first_pair"] | None = Field(None, description="the rule's kind")
    since: date | None = Field(None, description="alerts fired on or after this day (YYYY-MM-DD)")
    until: date | None = Field(None, description="alerts fired on or before this day (YYYY-MM-DD)")


class TimelineQuery(EventFilters):
    by: Period = Field("month", description="period")


# --------------------------------------------------------------------------- request bodies


def _day_prefix(v: str | None) -> str | None:
    """The pipeline's rule for ``published``: a YYYY-MM-DD day, or a timestamp that starts with one."""
    if v:
        try:
            check_date(v[:10], "published date")
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
    return v


def _text(v: str) -> str:
    if not v.strip():
        raise ValueError("'text' is required: the article as a non-empty string")
    return v


class ArticleIn(BaseModel):
    """One article to extract (``POST /api/extract``) or store (``POST /api/articles``)."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, AfterValidator(_text)] = Field(description="article text (plain text or HTML)")
    published: Annotated[str | None, AfterValidator(_day_prefix)] = Field(
        None, description="publication day, YYYY-MM-DD (of a timestamp, its first ten characters); dates in the "
                          "text are resolved against it")
    source: str | None = Field(None, description="outlet name")
    url: str | None = None
    title: str | None = None
    id: str | None = Field(None, description="article id (default: derived from the text)")

    def body(self) -> dict[str, Any]:
        """As :func:`dyads.serve.api._article_body` returns it (empty strings count as absent)."""
        return {k: (v or None) if k != "text" else v for k, v in self.model_dump().items()}


# --------------------------------------------------------------------------- answers


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Answer):
    status: int
    message: str


class ErrorOut(Answer):
    """Every error: ``{"error": {"status", "message"}}``."""

    error: ErrorDetail


class EventOut(Answer):
    """An event cluster (:class:`dyads.store.EventCluster`): one happening, merged from its mentions."""

    id: int
    type: str
    mode: str | None
    status: str
    date: str | None
    date_precision: str | None
    day: str | None
    background: bool
    actor_countries: list[str]
    recipient_countries: list[str]
    actors: list[int]
    recipients: list[int]
    actor_names: list[str]
    recipient_names: list[str]
    intensity: float | None
    quad: str | None
    cameo: str | None
    trigger: str
    evidence: str
    location: dict[str, Any] | None
    mentions: int
    sources: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    source_url: str | None


class EventPage(Answer):
    items: list[EventOut]
    limit: int
    offset: int
    count: int = Field(description="items in this page")
    total: int = Field(description="all matches")


class MentionOut(Answer):
    article: str
    source: str | None
    url: str | None
    event: str = Field(description="the event's id within its article")
    sentence: int
    trigger: str
    evidence: str
    status: str
    date: str | None
    article_title: str | None
    published: str | None


class ArticleRef(Answer):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None


class EventDetail(Answer):
    event: EventOut
    mentions: list[MentionOut]
    articles: list[ArticleRef]


# The contract JSON of one article (docs/contract.md, dyads.records.ArticleResult.to_dict)


class SpanOut(Answer):
    start: int
    end: int
    text: str


class MentionSpan(SpanOut):
    how: str


class RemovedOut(SpanOut):
    reason: str


class SentenceOut(Answer):
    start: int
    end: int
    paragraph: int


class ArticleMeta(Answer):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None


class ActorInArticle(Answer):
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    title: str | None
    mentions: list[MentionSpan]


class EventInArticle(Answer):
    id: str
    type: str
    actor: list[str]
    recipient: list[str]
    sentence: int
    trigger: SpanOut
    evidence: SpanOut
    mode: str | None
    context: list[str]
    status: str
    attributed_to: list[str]
    denied_by: list[str]
    date: str | None
    date_precision: str | None
    background: bool
    location: dict[str, Any] | None
    intensity: float | None
    quad: str | None
    cameo: str | None
    confidence: float


class QuoteInArticle(Answer):
    id: str
    text: str
    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None


class PlaceOut(Answer):
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    mentions: list[SpanOut]


class ArticleResultOut(Answer):
    """One article's extraction: the output contract (``docs/contract.md``)."""

    version: str
    article: ArticleMeta
    text: str
    removed: list[RemovedOut]
    warnings: list[str]
    sentences: list[SentenceOut]
    actors: list[ActorInArticle]
    events: list[EventInArticle]
    quotes: list[QuoteInArticle]
    places: list[PlaceOut]


class StoredActorOut(Answer):
    """An actor merged across articles (:class:`dyads.store.StoredActor`)."""

    id: int
    key: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    mentions: int
    articles: int


class ActorPage(Answer):
    items: list[StoredActorOut]
    limit: int
    offset: int
    count: int


class StoredQuoteOut(Answer):
    """A quote with its speaker (:class:`dyads.store.StoredQuote`)."""

    id: int
    article: str
    text: str
    kind: str
    speaker: int | None
    speaker_name: str | None
    speaker_text: str | None
    cue: str | None
    source: str | None
    published: str | None


class QuotePage(Answer):
    items: list[StoredQuoteOut]
    limit: int
    offset: int
    count: int


class QuadCounts(Answer):
    """Events by quad class and their mean intensity (None when no event had one)."""

    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    mean_intensity: float | None


class DyadRow(QuadCounts):
    period: str = Field(description="YYYY-MM-DD, YYYY-Www or YYYY-MM")
    actor: str
    recipient: str
    events: int


class DyadsOut(Answer):
    items: list[DyadRow]
    by: Period
    count: int


class StatsOut(Answer):
    articles: int
    events: int
    background_events: int
    actors: int
    quotes: int
    event_mentions: int
    places: int
    failures: int


class FiltersEcho(Answer):
    """The event filters given (not the defaults)."""

    actor: str | None = None
    recipient: str | None = None
    type: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    include_background: bool | None = None
    top: int | None = Field(None, description="graph: the nodes kept, those in most events")
    min_events: int | None = Field(None, description="graph: the fewest events a kept node has")


class GraphNode(Answer):
    id: int | str = Field(description="what /api/events takes as actor or recipient: an actor id or a country code")
    name: str
    kind: str
    country: str | None
    sector: str | None = Field(None, description="level=actor only")
    count: int = Field(description="events of this node among the filtered ones")


class GraphEdge(QuadCounts):
    id: str
    source: int | str
    target: int | str
    count: int
    cooperation: float | None = Field(description="share of the classified events that are cooperation")
    conflict: float | None


class GraphOut(Answer):
    level: Literal["actor", "state"]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="more edges matched than the limit")
    total_nodes: int | None = Field(None, description="nodes before top / min_events")
    total_edges: int | None = Field(None, description="edges before top / min_events / limit")
    filters: FiltersEcho


class AlertOut(BaseModel):
    """An alert fired (:class:`dyads.alerts.Alert`)."""

    model_config = ConfigDict(extra="allow")
    rule: str
    kind: str
    key: str
    fired_at: str
    evidence: str = ""
    url: str | None = None
    date: str | None = None
    event_id: int | None = None


class AlertRuleOut(Answer):
    name: str
    kind: str
    alerts: int


class AlertPage(Answer):
    items: list[AlertOut]
    limit: int
    offset: int
    count: int
    total: int
    rules: list[AlertRuleOut]


class TimelineRow(QuadCounts):
    period: str
    events: int


class TimelineOut(Answer):
    items: list[TimelineRow]
    by: Period
    count: int
    filters: FiltersEcho


class IngestOut(Answer):
    """``stored`` (201) or ``duplicate`` (200, the same text is in the store already)."""

    stored: bool
    duplicate: bool
    hash: str
    article: str | None = None
    actors: int | None = None
    events: int | None = None
    quotes: int | None = None
