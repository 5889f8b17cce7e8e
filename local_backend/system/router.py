"""/api/system: health and site info (both public, exempt from license checks), diagnostics and backups (manager).

Taking a backup copies the whole database (seconds on a big file), so that route is not a TavoloRoute route: a
write route holds the app's single writer for its whole run, and every order would wait behind the copy. It
authenticates on a short read session, copies in a worker thread holding nothing (the copy is one read
transaction, which never blocks the writer), and writes its audit event through the group writer afterwards.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from local_backend import __version__
from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.backup.service import BackupFailed
from local_backend.db import DbSession, TavoloRoute, auth_read_session, get_database
from local_backend.licensing.decision import LicenseCode
from local_backend.metrics import database_file
from local_backend.settings import service as site_settings
from local_backend.system import service
from local_backend.system.schemas import BackupFileRead, BackupsRead, DiagnosticsRead, HealthRead, SiteInfoRead
from shared.clock import utcnow
from shared.errors import error_responses

log = logging.getLogger(__name__)

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


def _backup_guard(request: Request) -> service.BackupGuard:
    # One per app, made on first use (on the event loop, so two requests cannot both make one).
    state = request.app.state
    guard: service.BackupGuard | None = getattr(state, "backup_guard", None)
    if guard is None:
        guard = state.backup_guard = service.BackupGuard()
    return guard


@router.get("/backups", response_model=BackupsRead, responses=error_responses(*AUTH_ERRORS, ManagerRequired))
async def list_backups(request: Request, _: ManagerUser) -> Any:
    """The backups in BACKUP_DIR, newest first, and the schedule: interval, next due, last error (manager)."""
    running = _backup_guard(request).running
    return await run_in_threadpool(service.backups_overview, request.app.state.backup_scheduler, running=running)


async def take_backup(request: Request, user: ManagerUser) -> Any:
    """Back up the database now and rotate old backups, as the schedule does; audit-logged (manager)."""
    # End the read transaction before the copy; the user's loaded fields stay usable.
    request.state.db.close()
    writer = get_database(request).writer
    scheduler = request.app.state.backup_scheduler
    try:
        info = await run_in_threadpool(service.take_backup_now, scheduler, _backup_guard(request))
    except BackupFailed as exc:
        log.error("backup asked for by %s failed: %s", user.username, exc.detail)
        try:
            await writer.run(partial(service.record_backup_failure, reason=str(exc.detail), by=user))
        except Exception:  # the database may be the trouble: the reason for the failed backup matters more
            log.exception("could not audit the failed backup")
        raise
    await writer.run(partial(service.record_backup, info=info, by=user))
    return service.backup_view(info)


# A plain route (see the module docstring): no writer held while the copy runs.
router.add_api_route(
    "/backups",
    take_backup,
    methods=["POST"],
    status_code=201,
    response_model=BackupFileRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, service.BackupRunning, BackupFailed),
    dependencies=[Depends(auth_read_session)],
    route_class_override=APIRoute,
)
