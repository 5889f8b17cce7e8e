"""Serving the built web apps: hashed assets cached for a year, everything else revalidated on each load.

Each app is a single-page app built by Vite into `<web_dir>/<app>/`. A path that is not a file is a route of
the app, so it gets the app's index.html. The service worker and the HTML must never be cached blindly: a
stale copy would pin a phone to an old build (and its old API types) until the cache expires.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Paths the apps never own: an unknown one is a 404, not the app's index page.
RESERVED_PREFIXES = ("api/", "ws/", "docs", "redoc", "openapi.json", "media/")

NOT_BUILT_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Tavolo</title>
<body style="font-family:system-ui;margin:2rem;max-width:40rem">
<h1>Tavolo appliance</h1><p>The API is running, but the web apps have not been built.
Run <code>make demo</code> (or <code>npm run build</code> in <code>frontends/</code>) and reload.</p>
<p><a href="/docs">API documentation</a></p></body></html>"""


class WebAppFiles(StaticFiles):
    """One built app: files with cache headers by kind, and index.html for the app's own routes."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        # Vite puts content-hashed files under the app's assets/: their name changes whenever their bytes do.
        # Judged on the path inside the app, so a build that happens to live under some "assets" folder is not
        # served as immutable (that would pin phones to an old index.html for a year).
        relative = os.path.relpath(full_path, os.path.realpath(str(self.directory))).replace("\\", "/")
        hashed = relative.startswith("assets/")
        response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            raise HTTPException(status_code=404)
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            # A missing asset is a real 404; a missing page is a client-side route.
            if exc.status_code != 404 or path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
                raise
            return await super().get_response("index.html", scope)


class WebAppMount(Mount):
    """A mount that never claims the API's paths (nor WebSockets).

    A plain mount at `/` matches every path fully, which hides the router's partial matches: `DELETE` on a GET
    route would be the app's 404 instead of the API's 405. Declining those paths leaves them to the router.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["path"].lstrip("/").startswith(RESERVED_PREFIXES):
            return Match.NONE, {}
        return super().matches(scope)


def mount_web_apps(app: FastAPI, web_dir: Path) -> None:
    """Serve the waiter app at `/` (mounted last, so every API route wins)."""
    waiter = web_dir / "waiter"
    if (waiter / "index.html").is_file():
        app.router.routes.append(WebAppMount("/", app=WebAppFiles(directory=waiter, html=True), name="waiter"))
        return
    log.warning("web apps not built (%s missing): serving the API only", waiter)

    @app.get("/", include_in_schema=False)
    def not_built() -> HTMLResponse:
        return HTMLResponse(NOT_BUILT_PAGE, headers={"Cache-Control": REVALIDATE})
