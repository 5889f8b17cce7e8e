"""Serving the built web apps: hashed assets cached for a year, everything else revalidated on each load.

Each app is a single-page app built by Vite into `<web_dir>/<app>/` and served under its own path prefix (the
table below): the waiter app at `/`, the kitchen display at `/kitchen/`. A path under an app's prefix that is not
a file is a route of that app, so it gets the app's index.html. The service worker and the HTML must never be
cached blindly: a stale copy would pin a device to an old build (and its old API types) until the cache expires.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Paths the apps never own: an unknown one is a 404, not the app's index page.
RESERVED_PREFIXES = ("api/", "ws/", "docs", "redoc", "openapi.json", "media/")


@dataclass(frozen=True, slots=True)
class WebApp:
    """One built app: served under `prefix` from `<web_dir>/<directory>/` (Vite's `base` must be `prefix/`)."""

    prefix: str
    directory: str

    @property
    def is_root(self) -> bool:
        return self.prefix == "/"


# Every app the appliance serves. Adding one (the manager app at /manager/, the guest app at /t/) is one line
# here, plus its `base` in its vite.config.ts and its prefix in the waiter's service-worker denylist.
WEB_APPS: tuple[WebApp, ...] = (
    WebApp(prefix="/kitchen", directory="kitchen"),
    WebApp(prefix="/manager", directory="manager"),
    WebApp(prefix="/t", directory="guest"),
    WebApp(prefix="/", directory="waiter"),
)

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


class NotBuilt:
    """Stands in for an app whose build is missing: explains it instead of letting another app answer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405)
        response = HTMLResponse(NOT_BUILT_PAGE, headers={"Cache-Control": REVALIDATE})
        await response(scope, receive, send)


class WebAppMount(Mount):
    """A mount that never claims the API's paths (nor WebSockets), nor the paths of the apps mounted under it.

    A plain mount at `/` matches every path fully, which hides the router's partial matches: `DELETE` on a GET
    route would be the app's 404 instead of the API's 405. Declining those paths leaves them to the router.
    """

    def __init__(self, path: str, app: ASGIApp, name: str, *, others: tuple[str, ...] = ()) -> None:
        super().__init__(path, app=app, name=name)
        self.declined = RESERVED_PREFIXES + others

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["path"].lstrip("/").startswith(self.declined):
            return Match.NONE, {}
        return super().matches(scope)


async def _add_slash(request: Request) -> RedirectResponse:
    # `/kitchen?pair=…` must keep its query on the way to `/kitchen/`. A relative Location: the appliance may sit
    # behind a proxy that terminates TLS, and the browser resolves it against what it asked for.
    query = request.url.query
    return RedirectResponse(f"{request.url.path}/" + (f"?{query}" if query else ""), status_code=308)


def mount_web_apps(app: FastAPI, web_dir: Path) -> None:
    """Serve each app under its prefix (mounted last, so every API route wins; the app at `/` after the others)."""
    nested = tuple(web_app.prefix.strip("/") + "/" for web_app in WEB_APPS if not web_app.is_root)
    for web_app in sorted(WEB_APPS, key=lambda a: a.is_root):
        directory = web_dir / web_app.directory
        built = (directory / "index.html").is_file()
        if not built:
            log.warning("web app %s not built (%s missing)", web_app.directory, directory / "index.html")
        if web_app.is_root:
            if built:
                files = WebAppFiles(directory=directory, html=True)
                app.router.routes.append(WebAppMount("/", app=files, name=web_app.directory, others=nested))
            else:
                app.router.routes.append(Route("/", _not_built_page, include_in_schema=False))
            continue
        app.router.routes.append(Route(web_app.prefix, _add_slash, include_in_schema=False))
        served: ASGIApp = WebAppFiles(directory=directory, html=True) if built else NotBuilt()
        app.router.routes.append(WebAppMount(web_app.prefix, app=served, name=web_app.directory))


async def _not_built_page(_: Request) -> HTMLResponse:
    return HTMLResponse(NOT_BUILT_PAGE, headers={"Cache-Control": REVALIDATE})
