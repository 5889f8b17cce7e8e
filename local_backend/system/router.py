"""/api/system: health and site info (both public, exempt from license checks), diagnostics (manager)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from local_backend import __version__
from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.licensing.decision import LicenseCode
from local_backend.metrics import database_file
from local_backend.settings import service as site_settings
from local_backend.system import service
from local_backend.system.schemas import DiagnosticsRead, HealthRead, SiteInfoRead
from shared.clock import utcnow
from shared.errors import error_responses

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


@router.get("/diagnostics", response_model=DiagnosticsRead, responses=error_responses(*AUTH_ERRORS, ManagerRequired))
async def diagnostics(request: Request, _: ManagerUser, db: DbSession) -> Any:
    """Disk space, database size, last backup, printer states, clock and versions (manager)."""
    state = request.app.state
    # Memory the event loop owns is read here; files and the database in a worker thread.
    license_status = state.license.current()
    runtime = dict(state.print_manager.runtime)
    uptime = time.monotonic() - state.started_monotonic
    return await run_in_threadpool(
        service.diagnostics,
        db,
        settings=state.settings,
        database_path=database_file(state.database),
        runtime=runtime,
        license_clock_suspect=license_status.code is LicenseCode.CLOCK_SUSPECT,
        uptime_seconds=uptime,
        now=utcnow(),
    )
