"""Refuse request paths with control characters before routing.

Starlette matches routes with Python regexes whose `$` also matches before a final newline, so
`GET /api/sites/%0A` would be served by `GET /api/sites/` instead of being a site id that does not exist.
No route of either backend has a control character in it, so such a path is a 404.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Receive, Scope, Send

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BODY = json.dumps({"detail": "Not Found", "code": "NOT_FOUND"}).encode()


class RejectControlCharacters:
    """Pure ASGI (no per-request objects): it sits in front of every request, heartbeats and order writes alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _CONTROL.search(scope["path"]):
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())]
            await send({"type": "http.response.start", "status": 404, "headers": headers})
            await send({"type": "http.response.body", "body": _BODY})
            return
        await self.app(scope, receive, send)
