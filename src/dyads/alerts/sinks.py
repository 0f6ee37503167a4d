"""Where alerts go: standard output, a file, a webhook. Each alert is one JSON object (:meth:`Alert.to_dict`).

* :class:`StdoutSink`: one JSON object per line on standard output (or any text stream).
* :class:`FileSink`: appended to a file, one JSON object per line, flushed and fsynced per batch.
* :class:`WebhookSink`: one ``POST`` per alert with the JSON object as body and these headers:
  ``Content-Type: application/json``, ``X-Dyads-Signature: sha256=<hex>`` (HMAC-SHA256 of the exact
  body bytes with the shared secret; check it with :func:`verify_signature`), ``X-Dyads-Delivery``
  (the alert's id in the store: deliveries are at least once, so a receiver can drop repeats) and
  ``X-Dyads-Rule``. A 2xx answer is success. A connection error, a timeout, a 429 or a 5xx answer is
  retried ``retries`` times with exponential backoff (0.5 s, 1 s, 2 s ... capped at 30 s; a
  ``Retry-After`` of up to 60 s is honoured); any other answer fails at once. Redirects are not
  followed (the body is signed for one URL).

Delivery state lives in ``alert_deliveries`` (``pending``, ``ok``, ``failed``), written before and
after each attempt, so an alert whose delivery failed, or whose run was killed before sending, is
sent again by the next run (at most :data:`MAX_ROUNDS` runs; after that it stays ``failed``).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from .. import __version__
from ..errors import ConfigError
from ..store import Store, now_iso
from .records import Alert
from .rules import SinkSpec

MAX_ROUNDS = 5  # runs that try one delivery before it is given up
SIGNATURE_HEADER = "X-Dyads-Signature"


class DeliveryError(Exception):
    """A sink could not deliver an alert (the message says why); recorded, never raised to callers."""


class Sink(Protocol):
    id: str  # stable across runs: which deliveries are this sink's

    def send(self, alerts: Sequence[Alert]) -> list[str | None]:
        """Deliver alerts in order; for each, None (delivered) or the reason it failed."""
        ...


def alert_json(alert: Alert) -> str:
    return json.dumps(alert.to_dict(), ensure_ascii=False, sort_keys=True)


class StdoutSink:
    """JSON lines on standard output (``stream``: another text stream)."""

    def __init__(self, stream: IO[str] | None = None):
        self.id = "stdout"
        self._stream = stream

    def send(self, alerts: Sequence[Alert]) -> list[str | None]:
        out = self._stream or sys.stdout
        results: list[str | None] = []
        for a in alerts:
            try:
                out.write(alert_json(a) + "\n")
                out.flush()
            except (OSError, ValueError) as exc:  # a closed pipe or stream: this one and the rest wait
                reason = f"standard output closed ({type(exc).__name__})"
                return results + [reason] * (len(alerts) - len(results))
            results.append(None)
        return results


class FileSink:
    """JSON lines appended to ``path`` (created if missing; its folder must exist)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.parent.exists():
            raise ConfigError(f"alerts file {str(self.path)!r}: folder {str(self.path.parent)!r} does not exist")
        if self.path.is_dir():
            raise ConfigError(f"alerts file {str(self.path)!r} is a directory; give a file such as "
                              f"{self.path}/alerts.jsonl")
        self.id = f"file:{self.path.resolve()}"

    def send(self, alerts: Sequence[Alert]) -> list[str | None]:
        try:
            with open(self.path, "a", encoding="utf-8") as fh:
                for a in alerts:
                    fh.write(alert_json(a) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            return [f"cannot write {self.path}: {exc.strerror or exc}"] * len(alerts)
        return [None] * len(alerts)


def sign(secret: str | bytes, body: bytes) -> str:
    """The ``X-Dyads-Signature`` value of a body: ``sha256=`` and the hex HMAC-SHA256."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify_signature(secret: str | bytes, body: bytes, header: str | None) -> bool:
    """Whether ``header`` (the received ``X-Dyads-Signature``) signs ``body`` with ``secret``
    (constant-time comparison). For receivers: check the raw body bytes before parsing them."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.strip().encode("utf-8", "replace"))


def webhook_id(url: str) -> str:
    """A webhook's sink id: its scheme and host and a digest of the whole URL. Webhook URLs often hold
    a token in their path or query, so the URL itself is never stored or printed."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"webhook:{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}" \
           f"#{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"


class WebhookSink:
    """POST each alert, signed, to ``url``; retried with exponential backoff (see the module docstring)."""

    def __init__(self, url: str, secret: str, retries: int = 4, timeout: float = 10.0, backoff: float = 0.5,
                 max_backoff: float = 30.0, client: Any = None):
        if not secret:
            raise ConfigError(f"{webhook_id(url)}: the signing secret is empty; set it (secret_env: VARIABLE)")
        self.url = url
        self.id = webhook_id(url)
        self._secret = secret.encode("utf-8")
        self.retries = int(retries)
        self.timeout = float(timeout)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self._client = client
        self.sleep: Callable[[float], None] = time.sleep

    def _http(self):
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self.timeout, follow_redirects=False,
                                        headers={"User-Agent": f"dyads/{__version__}"})
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(self, alerts: Sequence[Alert]) -> list[str | None]:
        return [self.post(a) for a in alerts]

    def post(self, alert: Alert) -> str | None:
        """Deliver one alert: None on success, else why it failed after every retry."""
        import httpx

        body = alert_json(alert).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(self._secret, body),
                   "X-Dyads-Delivery": str(alert.id if alert.id is not None else alert.key),
                   "X-Dyads-Rule": alert.rule}
        error = "not sent"
        for attempt in range(self.retries + 1):
            wait = min(self.max_backoff, self.backoff * (2 ** attempt))
            try:
                resp = self._http().post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            else:
                if 200 <= resp.status_code < 300:
                    return None
                error = f"HTTP {resp.status_code}"
                if resp.status_code != 429 and resp.status_code < 500:
                    return error  # the receiver refuses it: retrying will not help
                retry_after = resp.headers.get("Retry-After", "").strip()
                if retry_after.isdigit():
                    wait = min(60.0, float(retry_after))
            if attempt < self.retries:
                self.sleep(wait)
        return f"{error} (after {self.retries + 1} attempts)"


def sinks_from_specs(specs: Sequence[SinkSpec], stream: IO[str] | None = None) -> list[Any]:
    """Sink objects for the ``sinks`` of a rules file (a webhook's secret read from its variable now)."""
    out: list[Any] = []
    for s in specs:
        if s.kind == "stdout":
            out.append(StdoutSink(stream))
        elif s.kind == "file":
            out.append(FileSink(s.target or ""))
        else:
            secret = s.secret
            if s.secret_env is not None:
                secret = os.environ.get(s.secret_env)
                if not secret:
                    raise ConfigError(f"{webhook_id(s.target or '')}: environment variable {s.secret_env} (its signing "
                                      f"secret) is not set; export {s.secret_env}=... before running")
            out.append(WebhookSink(s.target or "", secret or "", retries=s.retries, timeout=s.timeout))
    ids = [s.id for s in out]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup:
        raise ConfigError(f"sink {dup} is given twice; list each destination once")
    return out


def deliver_pending(store: Store, sinks: Sequence[Any], on_error: Callable[[str], None] | None = None) -> int:
    """Send every alert whose delivery to one of ``sinks`` is pending or failed (fewer than
    :data:`MAX_ROUNDS` attempts), oldest first; record each outcome. Returns how many were delivered."""
    done = 0
    for sink in sinks:
        rows = store.query("SELECT d.alert_pk, d.attempts, a.data FROM alert_deliveries d JOIN alerts a ON "
                           "a.pk = d.alert_pk WHERE d.sink = ? AND d.state <> 'ok' AND d.attempts < ? "
                           "ORDER BY d.alert_pk", (sink.id, MAX_ROUNDS))
        if not rows:
            continue
        alerts = []
        for pk, _, data in rows:
            a = Alert.from_dict(json.loads(data))
            a.id = int(pk)
            alerts.append(a)
        try:
            results = sink.send(alerts)
        except Exception as exc:  # noqa: BLE001 - a sink's bug must not lose the alerts: recorded, retried
            results = [f"{type(exc).__name__}: {exc}"[:300]] * len(alerts)
        at = now_iso()
        with store.transaction():
            for (pk, attempts, _), err in zip(rows, results, strict=True):
                store.execute("UPDATE alert_deliveries SET state = ?, attempts = ?, error = ?, at = ? "
                              "WHERE alert_pk = ? AND sink = ?",
                              ("ok" if err is None else "failed", int(attempts) + 1, err, at, pk, sink.id))
        failed: dict[tuple[str, bool], list[int]] = {}
        for (pk, attempts, _), err in zip(rows, results, strict=True):
            if err is None:
                done += 1
            else:
                failed.setdefault((err, int(attempts) + 1 >= MAX_ROUNDS), []).append(int(pk))
        if on_error is not None:
            for (err, final), pks in failed.items():
                which = f"alert {pks[0]}" if len(pks) == 1 else f"{len(pks)} alerts (ids {pks[0]}..{pks[-1]})"
                on_error(f"{which} not delivered to {sink.id}: {err}"
                         + (" (given up)" if final else " (will retry at the next run)"))
    return done


def deliveries(store: Store, alert_pk: int) -> list[dict[str, Any]]:
    """The delivery state of one alert per sink."""
    return [{"sink": s, "state": st, "attempts": int(n), "error": e, "at": at} for s, st, n, e, at in store.query(
        "SELECT sink, state, attempts, error, at FROM alert_deliveries WHERE alert_pk = ? ORDER BY sink",
        (alert_pk,))]
