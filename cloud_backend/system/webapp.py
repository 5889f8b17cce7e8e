"""Serving the built sysadmin panel at `/` (single-page app: unknown non-API paths get its index.html)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths the panel never owns: an unknown one is a JSON 404, not the panel's index page.
RESERVED_PREFIXES = ("api/", ".well-known/", "docs", "redoc", "openapi.json", "health")


class PanelFiles(StaticFiles):
    """Vite's content-hashed assets are immutable; everything else (index.html) is revalidated on each load."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        relative = os.path.relpath(full_path, os.path.realpath(str(self.directory))).replace("\\", "/")
        immutable = relative.startswith("assets/")
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            raise HTTPException(status_code=404)
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith("assets/") or scope["method"] not in ("GET", "HEAD"):
                raise
            return await super().get_response("index.html", scope)


def mount_panel(app: FastAPI, directory: Path) -> bool:
    """Serve the panel if it has been built (`make web-build`); the API works either way."""
    if not (directory / "index.html").is_file():
        return False
    app.mount("/", PanelFiles(directory=directory, html=True), name="sysadmin-panel")
    return True
