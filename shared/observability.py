"""What both backends share to be observed: request ids, request latency, `/metrics`, and JSON logs.

- **Request ids.** Every HTTP request and WebSocket gets an id: the caller's `X-Request-ID` when it is short and
  made of safe characters (a proxy or a phone can correlate its own logs), else a fresh one. It is echoed in
  the response's `X-Request-ID` and held in a context variable, so every log record written while the request
  runs (in worker threads too: they copy the context) carries it.
- **Latency.** One histogram, `tavolo_http_request_duration_seconds{method, route, status}`, labelled by the
  route *template* (`/api/orders/{order_id}/items`) and the status class (`2xx`): a bounded set of series
  whatever paths clients send. Unmatched paths share one label.
- **Cost.** The middleware is pure ASGI (no Request objects, no extra task) and caches the histogram's child per
  label set: a few microseconds per request, on a path that must carry 1,000 add-items a second.
- **Logs.** `configure_logging("json" | "text", level)`: one JSON object per line (time UTC, level, logger,
  message, request_id, extras), or the classic text line. Both redact what must never reach a log: bearer
  tokens, JWTs, `token=` / `pin=` / `password=` / `key=` values in messages (uvicorn's access log prints the
  WebSocket query string, which carries the access token) and extras whose names say they are secret.
"""

from __future__ import annotations

import hmac
import json
import logging
import logging.config
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CollectorRegistry,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import Unauthorized

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()
# Short and safe to log and echo: a header value with anything else is replaced, never reflected.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,64}")
UNMATCHED_ROUTE = "<unmatched>"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_STATUS_CLASSES = ("0xx", "1xx", "2xx", "3xx", "4xx", "5xx")
# The appliance's targets are in milliseconds (add-items p99 <= 25 ms); the long tail shows slow disks and printers.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# The `_created` series double every counter and histogram for a timestamp no Tavolo dashboard uses.
disable_created_metrics()  # type: ignore[no-untyped-call]

_request_id: ContextVar[str | None] = ContextVar("tavolo_request_id", default=None)

ResponseHook = Callable[[str, int], None]
"""Told (route template, status code) after each HTTP response; must be cheap, it runs on every request."""


def current_request_id() -> str | None:
    """The id of the request being served in this context (None outside a request)."""
    return _request_id.get()


def new_request_id() -> str:
    # 64 random bits: unique enough to find one request in a day of logs, short enough to read aloud.
    return os.urandom(8).hex()


def _incoming_request_id(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == _REQUEST_ID_KEY:
            return value.decode("ascii") if _SAFE_REQUEST_ID.fullmatch(value) else None
    return None


def route_label(scope: Scope) -> str:
    """The template of the route that served `scope` (set by the router), or one label for every unmatched path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return UNMATCHED_ROUTE
    return str(path) or "/"


class HttpMetrics:
    """One app's metrics registry with its request-latency histogram and the process's own figures."""

    def __init__(self) -> None:
        # Per app, not prometheus_client's global registry: tests (and the demo) run several apps in one process.
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "tavolo_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status class.",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        ProcessCollector(namespace="tavolo", registry=self.registry)

    def render(self, extra: Iterable[Metric] = ()) -> bytes:
        """The Prometheus text exposition of this registry followed by `extra` (collected at scrape time)."""
        return generate_latest(_Scrape(self.registry, list(extra)))


class _Scrape:
    """The registry and one scrape's freshly computed families, as one collector for `generate_latest`."""

    def __init__(self, registry: CollectorRegistry, extra: list[Metric]) -> None:
        self.registry = registry
        self.extra = extra

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
        yield from self.extra


class RequestObservability:
    """Pure ASGI middleware: request id (context + response header) and, for HTTP, the latency histogram."""

    def __init__(self, app: ASGIApp, *, latency: Histogram | None = None, on_response: ResponseHook | None = None):
        self.app = app
        self.latency = latency
        self.on_response = on_response
        self._children: dict[tuple[str, str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope["headers"]) or new_request_id()
        token = _request_id.set(request_id)
        try:
            if kind == "websocket":
                await self.app(scope, receive, send)
                return
            await self._http(scope, receive, send, request_id)
        finally:
            _request_id.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering
        echoed = (_REQUEST_ID_KEY, request_id.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A copy: the response object may hold on to (and reuse) its own header list.
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_label(scope)
        if self.latency is not None:
            method = scope["method"]
            key = (
                method if method in _METHODS else "OTHER",
                route,
                _STATUS_CLASSES[status // 100] if 0 <= status < 600 else "5xx",
            )
            child = self._children.get(key)
            if child is None:
                child = self._children.setdefault(key, self.latency.labels(*key))
            child.observe(seconds)
        if self.on_response is not None:
            self.on_response(route, status)


class MetricsTokenRequired(Unauthorized):
    code = "METRICS_TOKEN_REQUIRED"
    default_detail = "This /metrics needs its bearer token (METRICS_TOKEN)"


def metrics_router(
    metrics: HttpMetrics,
    collect: Callable[[Request], Awaitable[Iterable[Metric]]] | None = None,
    *,
    token: str | None = None,
) -> APIRouter:
    """`GET /metrics` in the Prometheus text format: the registry, then what `collect(request)` computes now.

    Without a user token, since Prometheus has none. With `token` (METRICS_TOKEN) it wants
    `Authorization: Bearer <token>`. Left out of the OpenAPI document: it is for Prometheus, not the apps.
    """
    router = APIRouter()
    expected = f"Bearer {token}".encode() if token else None

    @router.get("/metrics", include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                raise MetricsTokenRequired(headers={"WWW-Authenticate": "Bearer"})
        extra = await collect(request) if collect is not None else ()
        # Rendering is a few milliseconds of CPU: off the event loop that serves the waiters.
        body = await run_in_threadpool(metrics.render, extra)
        return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4)

    return router


# --- logging ----------------------------------------------------------------------------------------------------

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
REDACTED = "[redacted]"

# Words that make an extra's name (`pin`, `site_key`, `access_token`, `X-Site-Key`) secret.
_SECRET_WORDS = frozenset({"authorization", "password", "passwd", "pin", "secret", "token", "key", "cookie"})
_NAME_WORDS = re.compile(r"[^a-z0-9]+")
_SECRET_PATTERNS = (
    # `token=…` in a logged URL (the WebSocket credential), `pin=…`, `site_key=…` and the like.
    (
        re.compile(
            r"(?i)\b((?:access_|refresh_)?token|pin|password|secret|site_key|key|api_key)=([^&\s\"'#]+)",
        ),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), rf"\1 {REDACTED}"),
    # A JWT anywhere (three base64url parts, the first a JSON header).
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), REDACTED),
)
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


def redact(text: str) -> str:
    """`text` with credentials replaced by a marker."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _secret_name(name: str) -> bool:
    return not _SECRET_WORDS.isdisjoint(_NAME_WORDS.split(name.lower()))


def _redact_value(name: str, value: Any) -> Any:
    if _secret_name(name):
        return REDACTED
    if isinstance(value, Mapping):
        return {str(k): _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, str):
        return redact(value)
    return value


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id (in the thread that logs, where the context is)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, then any extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
        }
        for name, value in record.__dict__.items():
            if name not in _RECORD_FIELDS and not name.startswith("_") and name not in out:
                out[name] = _redact_value(name, value)
        if record.exc_info:
            out["exc"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic one-line format with the request id, redacted like the JSON one."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return redact(super().format(record))


def logging_config(fmt: str = "json", level: str | int = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for every record (uvicorn's too) to stderr in `fmt` ("json" or "text").

    Pass it to `uvicorn.run(log_config=...)`: uvicorn applies it in each worker process it starts, which a
    configuration made in the parent process never reaches.
    """
    if fmt not in ("json", "text"):
        raise ValueError(f"unknown log format {fmt!r} (json or text)")
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    # uvicorn's loggers keep the levels uvicorn gives them but hand their records to the root handler.
    passing = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.{RequestIdFilter.__name__}"}},
        "formatters": {"tavolo": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "tavolo",
                "filters": ["request_id"],
            }
        },
        "loggers": {name: dict(passing) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
        "root": {"handlers": ["stderr"], "level": level.upper() if isinstance(level, str) else level},
    }


def configure_logging(fmt: str = "json", level: str | int = "INFO") -> None:
    """Configure this process's logging with `logging_config(fmt, level)` (replacing the root's handlers)."""
    logging.config.dictConfig(logging_config(fmt, level))
    logging.captureWarnings(True)
