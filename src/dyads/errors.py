"""The one exception tree of dyads.

Every error a user can cause is a :class:`DyadsError`. Its message names the bad value
and says how to fix it; the CLI prints it on one line and exits non-zero.
"""
from __future__ import annotations


class DyadsError(Exception):
    """Base class of every error dyads raises on purpose."""

    exit_code = 1


class InputError(DyadsError):
    """The article (or batch line) cannot be processed as given."""

    exit_code = 2


class EmptyInputError(InputError):
    """No text at all, or only whitespace / boilerplate."""


class BinaryInputError(InputError):
    """Bytes that are not text in any encoding we accept."""


class InputTooLargeError(InputError):
    """More characters than the documented limit."""


class NotEnglishError(InputError):
    """Text that is not (mostly) English."""


class ConfigError(DyadsError):
    """A bad option, actor file, model name or database URL."""

    exit_code = 3


class ModelError(DyadsError):
    """A model the pipeline needs is missing or broken."""

    exit_code = 4


class StoreError(DyadsError):
    """The event store cannot be opened, migrated or written."""

    exit_code = 5


class FetchError(DyadsError):
    """A feed or page could not be fetched (``dyads watch``). ``transient`` errors (time-outs,
    refused connections, HTTP 5xx/429) are worth retrying later; the others are not. ``status``
    is the HTTP status when there was a response; ``retry_after`` the seconds a server asked for."""

    exit_code = 6

    def __init__(self, message: str, *, transient: bool = False, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


def check_date(value, what: str) -> str | None:
    """``value`` as a YYYY-MM-DD string (None for empty); ConfigError naming ``what`` otherwise."""
    import datetime
    import re

    if value in (None, ""):
        return None
    value = str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ConfigError(f"{what} {value!r} is not a date: use YYYY-MM-DD (e.g. 2024-06-18)")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{what} {value!r} is not a real calendar date; use YYYY-MM-DD") from None
    return value
