"""/api/system: health and site info (both public, exempt from license checks)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request

from local_backend import __version__
from local_backend.db import DbSession, TavoloRoute
from local_backend.settings import service as site_settings
from local_backend.system import service
from local_backend.system.schemas import HealthRead, SiteInfoRead

router = APIRouter(prefix="/api/system", tags=["system"], route_class=TavoloRoute)


@router.get("/health", response_model=HealthRead)
def health(request: Request, db: DbSession) -> Any:
    """Liveness and database check; public and never license-gated."""
    db_state = service.db_status(db)
    return {
        "status": "ok" if db_state == "ok" else "degraded",
        "version": __version__,
        "db": db_state,
        "uptime_seconds": round(time.monotonic() - request.app.state.started_monotonic, 3),
    }


@router.get("/info", response_model=SiteInfoRead)
def site_info(db: DbSession) -> Any:
    """The restaurant's name, currency and timezone; public so the login screen can show them."""
    site = site_settings.current(db)
    return {
        "restaurant_name": site.restaurant_name,
        "currency": site.currency,
        "timezone": site.timezone,
        "version": __version__,
    }
