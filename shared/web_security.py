"""Security headers on every HTTP response, CORS only for configured origins, and secrets kept out of server logs.

Both backends serve their web apps from the same origin as their API, so browsers need no CORS at all: with no
CORS_ORIGINS nothing cross-origin is allowed (a preflight gets no Access-Control-Allow-Origin). The headers
middleware is pure ASGI with its header lists built once, because it runs on every add-items request of a rush.

Content-Security-Policy, by kind of path:
- the API (JSON, images, the metrics text): `default-src 'none'`, nothing in it is ever a page;
- the built Vite apps: scripts and styles from the app's own origin only (the builds have no inline script or
  style, checked against `frontends/dist`), the live socket over ws:/wss: (`'self'` covers same-host WebSockets
  only in CSP3 browsers; older phones' Safari needs the schemes), images from the origin, `data:`/`blob:` (QR codes
  drawn in the browser, photo previews) and `https:` (Razorpay's UPI QR image, served from its CDN after a
  redirect from rzp.io);
- /docs and /redoc: FastAPI's pages load Swagger UI / ReDoc from jsDelivr and start them with an inline script.
`frame-ancestors 'none'` (and X-Frame-Options DENY for older browsers) everywhere: nothing of ours is framed.
Referrer-Policy no-referrer: the guest app's address holds the table's code, which must not travel to Razorpay's
CDN in a Referer. HSTS only on responses to HTTPS requests (uvicorn sets the scheme from nginx's
X-Forwarded-Proto when FORWARDED_ALLOW_IPS trusts it) and only when configured (the cloud).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.observability import redact

# Paths whose responses are data, never a page.
API_PREFIXES = ("/api/", "/ws/", "/.well-known/", "/health", "/metrics", "/openapi.json", "/media/")
DOCS_PREFIXES = ("/docs", "/redoc")

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
APP_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob: https:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
        "font-src 'self' https://fonts.gstatic.com",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    )
)

COMMON_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
)

# The headers a browser needs to call the API cross-origin (the Idempotency-Key of retried writes, the request id).
CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID")
CORS_EXPOSE_HEADERS = ("Retry-After", "X-Request-ID")
CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_Header = tuple[bytes, bytes]


def _encode(headers: Iterable[tuple[str, str]]) -> tuple[_Header, ...]:
    return tuple((name.encode("latin-1"), value.encode("latin-1")) for name, value in headers)


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set its own (pure ASGI, no per-request work
    beyond choosing a precomputed list by path prefix)."""

    def __init__(self, app: ASGIApp, *, hsts_seconds: int = 0) -> None:
        self.app = app
        self._api = _encode((*COMMON_HEADERS, ("content-security-policy", API_CSP)))
        self._docs = _encode((*COMMON_HEADERS, ("content-security-policy", DOCS_CSP)))
        self._web = _encode((*COMMON_HEADERS, ("content-security-policy", APP_CSP)))
        self._hsts: tuple[_Header, ...] = (
            _encode([("strict-transport-security", f"max-age={hsts_seconds}; includeSubDomains")])
            if hsts_seconds > 0
            else ()
        )

    def headers_for(self, path: str, scheme: str) -> tuple[_Header, ...]:
        """The headers a response to `path` gets (HSTS only over HTTPS)."""
        if path.startswith(API_PREFIXES):
            chosen = self._api
        elif path.startswith(DOCS_PREFIXES):
            chosen = self._docs
        else:
            chosen = self._web
        if self._hsts and scheme == "https":
            return chosen + self._hsts
        return chosen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope["path"], scope.get("scheme", "http"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                # A response that chose its own policy keeps it: two CSPs would both be enforced.
                headers.extend(header for header in extra if header[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def checked_origins(origins: Iterable[str]) -> list[str]:
    """Origins exactly as browsers send them (`scheme://host[:port]`); a wildcard or a path is refused."""
    result = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        if not origin:
            continue
        parts = urlsplit(origin)
        if (
            origin == "*"
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or "*" in origin
            or parts.path
            or parts.query
            or parts.fragment
            or "@" in parts.netloc
        ):
            raise ValueError(f"CORS origin {origin!r} must be scheme://host[:port], without wildcards or a path")
        result.append(origin.lower())
    return result


def parse_origins(value: Any) -> list[str]:
    """CORS_ORIGINS from the environment: comma- or space-separated origins (or a list), checked."""
    if value is None:
        return []
    items = re.split(r"[,\s]+", value) if isinstance(value, str) else list(value)
    return checked_origins(str(item) for item in items)


# Uvicorn logs the full address of every WebSocket it accepts (and of every request with --access-log), and the
# staff and kitchen sockets carry their credential in the query (`?token=`: browsers cannot set headers on a
# WebSocket). shared.observability's formatters redact what they print; this filter cleans the record itself, so
# no handler at all (an operator's syslog handler, uvicorn's own when run without our logging setup) sees it.
# Kitchen screen tokens (`kds_…`), e.g. in the pairing link `/kitchen?pair=kds_…` that --access-log prints.
SCREEN_TOKEN = re.compile(r"\bkds_[A-Za-z0-9_\-]{8,}")


def redact_all(text: str) -> str:
    """shared.observability.redact (tokens, JWTs, `pin=`, keys), and kitchen screen tokens."""
    return SCREEN_TOKEN.sub("kds_[redacted]", redact(text))


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and arguments so that no handler receives a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_all(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_all(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact_all(v) if isinstance(v, str) else v for key, v in record.args.items()}
        return True


# The loggers uvicorn writes request lines to: a logger's filters see only records logged on that logger itself.
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


def install_log_redaction(loggers: Sequence[str] = SERVER_LOGGERS) -> None:
    """Attach RedactSecrets to the server's loggers, once (logging.config.dictConfig keeps existing filters)."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


def install_web_security(app: FastAPI, *, allowed_origins: str | Iterable[str] = (), hsts_seconds: int = 0) -> None:
    """Security headers on every response, CORS for `allowed_origins` only (CORS_ORIGINS as is, or a list; none: no
    cross-origin access at all), and server logs that never show a WebSocket's token. Call once, on the built app."""
    if getattr(app.state, "web_security", False):
        return
    origins = parse_origins(allowed_origins)
    if origins:
        # Bearer tokens, no cookies: credentials mode stays off, so a listed origin still cannot ride a session.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=list(CORS_METHODS),
            allow_headers=list(CORS_ALLOW_HEADERS),
            expose_headers=list(CORS_EXPOSE_HEADERS),
            allow_credentials=False,
            max_age=600,
        )
    # Added last, so it is outside CORS: preflight answers get the headers too.
    app.add_middleware(SecurityHeaders, hsts_seconds=hsts_seconds)
    install_log_redaction()
    app.state.web_security = True
