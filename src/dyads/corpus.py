"""A store as tables for analysis: :class:`Corpus` and its :class:`Records`.

>>> import dyads
>>> with dyads.Corpus("corpus.db") as corpus:
...     df = corpus.events(actor="RUS", since="2024-01-01").to_pandas()
...     pairs = corpus.dyads(by="month").to_arrow()

:class:`Corpus` is a thin layer over :mod:`dyads.query`: each method takes the filters of the query
function it calls, with the same names and meanings, and returns its rows as :class:`Records`
(typed dataclasses: :class:`~dyads.store.EventCluster`, :class:`DyadPeriod`, :class:`ActorEvents`,
:class:`~dyads.store.StoredQuote`). Unlike the CLI, ``limit`` defaults to ``None``: every match.
Background events (history a story recalls, see :mod:`dyads.query`) are left out unless
``include_background=True``, as everywhere else.

:meth:`Records.to_arrow` and :meth:`Records.to_pandas` give one row per record with stable column
names and types, the same for an empty result: ids and counts are integers, days (``day``,
``first_seen``, ``last_seen``, ``published``, a dyad period's ``start``) are dates (arrow
``date32``, pandas ``datetime64``), country codes, actor ids and names are list columns. An event's
``date`` stays text because its precision varies (``2026``, ``2026-05``, ``2026-05-04``; ``day`` is
its first day). pyarrow is a dependency of dyads; pandas is the extra ``pip install 'dyads[pandas]'``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from . import query
from .errors import ConfigError, StoreError
from .store import EventCluster, Store, StoredActor, StoredQuote, _redact, open_store

T = TypeVar("T")

PANDAS_HINT = "pip install 'dyads[pandas]'"


@dataclass
class DyadPeriod:
    """One directed country pair in one period (:func:`dyads.query.dyads`): events per quad class."""

    period: str  # YYYY-MM-DD, YYYY-Www or YYYY-MM, by the series' ``by``
    start: str  # the period's first day, YYYY-MM-DD
    actor: str
    recipient: str
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    mean_intensity: float | None


@dataclass
class ActorEvents(StoredActor):
    """A stored actor and the event clusters it takes part in (:func:`dyads.query.actor_event_counts`)."""

    events: int = 0
    as_actor: int = 0
    as_recipient: int = 0


# --------------------------------------------------------------------------- columns

# Column kinds: int, int? (may be missing), float, str, bool, date (from YYYY-MM-DD text),
# list[str], list[int]. One table per record type gives both the arrow and the pandas columns.
Columns = tuple[tuple[str, str], ...]

EVENT_COLUMNS: Columns = (
    ("id", "int"), ("type", "str"), ("mode", "str"), ("status", "str"), ("date", "str"),
    ("date_precision", "str"), ("day", "date"), ("background", "bool"), ("actor_countries", "list[str]"),
    ("recipient_countries", "list[str]"), ("actors", "list[int]"), ("recipients", "list[int]"),
    ("actor_names", "list[str]"), ("recipient_names", "list[str]"), ("intensity", "float"), ("quad", "str"),
    ("cameo", "str"), ("trigger", "str"), ("evidence", "str"), ("location", "str"),
    ("location_country", "str"), ("location_lat", "float"), ("location_lon", "float"), ("mentions", "int"),
    ("sources", "int"), ("articles", "int"), ("first_seen", "date"), ("last_seen", "date"),
    ("source_url", "str"))

DYAD_COLUMNS: Columns = (
    ("period", "str"), ("start", "date"), ("actor", "str"), ("recipient", "str"), ("events", "int"),
    *((k, "int") for k in query.QUAD_KEYS), ("mean_intensity", "float"))

ACTOR_COLUMNS: Columns = (
    ("id", "int"), ("key", "str"), ("name", "str"), ("kind", "str"), ("country", "str"), ("sector", "str"),
    ("mentions", "int"), ("articles", "int"), ("events", "int"), ("as_actor", "int"), ("as_recipient", "int"))

QUOTE_COLUMNS: Columns = (
    ("id", "int"), ("article", "str"), ("text", "str"), ("kind", "str"), ("speaker", "int?"),
    ("speaker_name", "str"), ("speaker_text", "str"), ("cue", "str"), ("source", "str"), ("published", "date"))


def _event_row(ev: EventCluster) -> dict[str, Any]:
    row = ev.to_dict()
    loc = ev.location or {}
    row.update(location=loc.get("name"), location_country=loc.get("country"), location_lat=loc.get("lat"),
               location_lon=loc.get("lon"))
    return row


def _actor_row(a: ActorEvents) -> dict[str, Any]:
    return {**a.to_dict(), "events": a.events, "as_actor": a.as_actor, "as_recipient": a.as_recipient}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def require_pandas():
    """The pandas module, or a :class:`~dyads.errors.ConfigError` that says how to install it."""
    try:
        import pandas
    except ImportError:
        raise ConfigError(f"to_pandas() needs pandas, which dyads does not install by default: {PANDAS_HINT} "
                          "(or use to_arrow(), which needs nothing more)") from None
    return pandas


class Records(Sequence[T], Generic[T]):
    """Query results: a sequence of typed records (index, slice, iterate, ``len``) that also converts
    to a table with :meth:`to_arrow` or :meth:`to_pandas` (columns: :attr:`columns`)."""

    def __init__(self, items: Sequence[T], columns: Columns, row: Callable[[T], dict[str, Any]]):
        self._items = list(items)
        self._columns = columns
        self._row = row

    @property
    def columns(self) -> list[str]:
        """The table's column names, in order."""
        return [name for name, _ in self._columns]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> Records[T]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Records(self._items[i], self._columns, self._row)
        return self._items[i]

    def __repr__(self) -> str:
        kind = type(self._items[0]).__name__ if self._items else "rows"
        return f"<Records: {len(self)} {kind}>"

    def _values(self) -> dict[str, list[Any]]:
        rows = [self._row(r) for r in self._items]
        out: dict[str, list[Any]] = {}
        for name, kind in self._columns:
            vals = [r.get(name) for r in rows]
            if kind == "date":
                vals = [_day(v) for v in vals]
            elif kind.startswith("list"):
                vals = [list(v or ()) for v in vals]
            out[name] = vals
        return out

    def to_arrow(self):
        """A ``pyarrow.Table``: int64, float64, bool, string, date32 and list columns."""
        import pyarrow as pa

        types = {"int": pa.int64(), "int?": pa.int64(), "float": pa.float64(), "str": pa.string(),
                 "bool": pa.bool_(), "date": pa.date32(), "list[str]": pa.list_(pa.string()),
                 "list[int]": pa.list_(pa.int64())}
        schema = pa.schema([pa.field(name, types[kind], nullable=kind in ("int?", "float", "str", "date"))
                            for name, kind in self._columns])
        return pa.table(self._values(), schema=schema)

    def to_pandas(self):
        """A ``pandas.DataFrame`` (needs the extra ``dyads[pandas]``): int64 (``Int64`` where a value
        may be missing), float64, bool, nullable ``string``, ``datetime64[s]`` for days and object
        columns of Python lists."""
        pd = require_pandas()
        import numpy as np

        values = self._values()
        data = {}
        for name, kind in self._columns:
            vals = values[name]
            if kind == "date":
                data[name] = pd.Series(np.array(vals, dtype="datetime64[s]"))  # any year, NaT for None
            elif kind.startswith("list"):
                data[name] = pd.Series(vals, dtype=object)
            else:
                dtype = {"int": "int64", "int?": "Int64", "float": "float64", "str": "string", "bool": "bool"}[kind]
                data[name] = pd.Series(vals, dtype=dtype)
        return pd.DataFrame(data, columns=self.columns)


# --------------------------------------------------------------------------- the corpus


class Corpus:
    """A store opened for analysis: ``Corpus("corpus.db")`` or ``Corpus("postgresql://user@host/db")``
    (``None``: ``$DYADS_DB`` or ``dyads.db``, as :func:`dyads.store.open_store`). Use it in a
    ``with`` block, or call :meth:`close`."""

    def __init__(self, db: str | Path | None = None):
        self._store: Store | None = open_store(db)

    @property
    def store(self) -> Store:
        """The open :class:`~dyads.store.Store` (for :mod:`dyads.query` functions not wrapped here)."""
        if self._store is None:
            raise StoreError("this Corpus is closed: open a new one with dyads.Corpus(db)")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Corpus:  # noqa: PYI034
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({_redact(self._store.url)!r})" if self._store else "Corpus(closed)"

    def events(self, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               status: str | None = None, since: str | None = None, until: str | None = None,
               text: str | None = None, include_background: bool = False,
               limit: int | None = None) -> Records[EventCluster]:
        """Event clusters (:func:`dyads.query.events`): ``actor``/``recipient`` a country code
        (``RUS``), a stored actor id or part of a name; ``type`` PLOVER, ``status``, ``since``/``until``
        (YYYY-MM-DD, inclusive, on ``day``), ``text`` words of the evidence; ordered by day."""
        rows = query.events(self.store, actor=actor, recipient=recipient, type=type, status=status, since=since,
                            until=until, text=text, limit=limit, include_background=include_background)
        return Records(rows, EVENT_COLUMNS, _event_row)

    def dyads(self, actor: str | None = None, recipient: str | None = None, since: str | None = None,
              until: str | None = None, by: str = "month", include_background: bool = False) -> Records[DyadPeriod]:
        """The dyad time series (:func:`dyads.query.dyads`): per directed country pair (``actor``,
        ``recipient``: country codes) and ``by`` period (day, week, month), events per quad class and
        mean intensity; ordered by period, then pair."""
        rows = query.dyads(self.store, by=by, actor=actor, recipient=recipient, since=since, until=until,
                           include_background=include_background)
        out = [DyadPeriod(start=_period_start(r["period"]), **r) for r in rows]
        return Records(out, DYAD_COLUMNS, asdict)

    def actors(self, name: str | None = None, country: str | None = None, kind: str | None = None,
               sector: str | None = None, include_background: bool = False,
               limit: int | None = None) -> Records[ActorEvents]:
        """Stored actors, most mentioned first (:func:`dyads.query.actors`; ``name`` part of the name),
        with the number of event clusters each takes part in, as actor and as recipient
        (:func:`dyads.query.actor_event_counts`; background events only with ``include_background``)."""
        rows = query.actors(self.store, name=name, country=country, kind=kind, sector=sector, limit=limit)
        counts = query.actor_event_counts(self.store, [a.pk for a in rows], include_background=include_background)
        out = [ActorEvents(**asdict(a), **dict(zip(("events", "as_actor", "as_recipient"),
                                                   counts.get(a.pk, (0, 0, 0)), strict=True)))
               for a in rows]
        return Records(out, ACTOR_COLUMNS, _actor_row)

    def quotes(self, speaker: str | None = None, limit: int | None = None) -> Records[StoredQuote]:
        """Stored quotes with their speaker (:func:`dyads.query.quotes`; ``speaker`` part of the
        speaker actor's name or of the words that name the speaker), in stored order."""
        return Records(query.quotes(self.store, speaker=speaker, limit=limit), QUOTE_COLUMNS,
                       lambda q: q.to_dict())

    def stats(self) -> dict[str, int]:
        """Counts of articles, events, background events, actors, quotes ... (:func:`dyads.query.stats`)."""
        return query.stats(self.store)


def _period_start(period: str) -> str:
    """The first day of a :func:`dyads.query.dyads` period (YYYY-MM-DD, YYYY-Www or YYYY-MM)."""
    if "-W" in period:
        year, week = period.split("-W")
        return date.fromisocalendar(int(year), int(week), 1).isoformat()
    return period if len(period) == 10 else period + "-01"
