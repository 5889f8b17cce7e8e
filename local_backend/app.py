"""create_app: the appliance's FastAPI application."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from local_backend import __version__
from local_backend.analytics.router import router as analytics_router
from local_backend.audit.router import router as audit_router
from local_backend.auth.router import router as auth_router
from local_backend.backup.scheduler import BackupScheduler
from local_backend.config import Settings
from local_backend.db import CommitFailedError, Database
from local_backend.guest.router import pay_router as guest_pay_router
from local_backend.guest.router import router as guest_router
from local_backend.guest.router import socket_router as guest_socket_router
from local_backend.guest.router import staff_router as guest_staff_router
from local_backend.guest.service import GuestLimits
from local_backend.inventory.router import router as inventory_router
from local_backend.kitchen.router import router as kitchen_router
from local_backend.kitchen.router import socket_router as kitchen_socket_router
from local_backend.licensing.manager import LicenseManager
from local_backend.licensing.router import router as license_router
from local_backend.live.router import router as live_router
from local_backend.menu.router import router as menu_router
from local_backend.metrics import ApplianceMetrics
from local_backend.orders.router import router as orders_router
from local_backend.printing.router import router as printing_router
from local_backend.printing.worker import PrintManager
from local_backend.purchasing.router import build_router as build_purchasing_router
from local_backend.reports.router import router as reports_router
from local_backend.reports.scheduler import DayCloser
from local_backend.settings import service as site_settings
from local_backend.settings.router import router as settings_router
from local_backend.shifts.router import router as shifts_router
from local_backend.staff.router import router as staff_router
from local_backend.startup import prepare_database
from local_backend.system.idempotency import Idempotency
from local_backend.system.router import router as system_router
from local_backend.system.webapps import mount_web_apps
from local_backend.tables.router import router as tables_router
from local_backend.upi.router import build_router as build_upi_router
from shared.app import new_app
from shared.errors import install_openapi_errors
from shared.observability import HttpMetrics, metrics_router
from shared.security import SecretHasher
from shared.web_security import install_web_security

log = logging.getLogger(__name__)


def site_timezone(database: Database) -> ZoneInfo:
    with database.read_session() as db:
        return site_settings.current(db).tz


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the appliance app; the database is migrated and checked when the app starts."""
    settings = settings or Settings()
    database = Database(settings)
    secret_key = settings.resolved_secret_key()
    print_manager = PrintManager(database, settings)
    day_closer = DayCloser(database)
    backup_scheduler = BackupScheduler(settings, timezone=lambda: site_timezone(database))
    license_manager = LicenseManager(database, settings)
    # Scrape-time figures (local_backend/metrics.py); the request histogram is the middleware's (new_app).
    metrics = ApplianceMetrics(database, print_manager, license_manager) if settings.metrics_enabled else None
    http_metrics = HttpMetrics() if settings.metrics_enabled else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        prepare_database(database, app.state.hasher)
        # Site settings start from the environment on first boot; managers change them from then on.
        with database.write_session() as db:
            site_settings.seed(db, settings)
        database.events.bind(asyncio.get_running_loop())
        # Stored leases are re-verified once here; requests then check the status in memory.
        license_manager.load()
        if metrics is not None:
            metrics.start()
        try:
            # Jobs cut off by a crash are requeued and each active printer gets its worker (nothing without printers).
            await print_manager.start()
            # The first heartbeat runs in the background: a cloud that is down must not delay serving.
            await license_manager.start()
            await day_closer.start()
            await backup_scheduler.start()
            app.state.started_monotonic = time.monotonic()
            log.info("tavolo appliance %s ready", __version__)
            yield
        finally:
            await backup_scheduler.stop()
            await day_closer.stop()
            await license_manager.stop()
            await print_manager.stop()
            database.dispose()

    app = new_app(
        title="Tavolo appliance",
        version=__version__,
        description="The restaurant's local server: staff, tables, menu, orders, payments, printing, kitchen.",
        lifespan=lifespan,
        http_metrics=http_metrics,
        settings=settings,
        database=database,
        print_manager=print_manager,
        day_closer=day_closer,
        backup_scheduler=backup_scheduler,
        license=license_manager,
        metrics=metrics,
        secret_key=secret_key,
        hasher=SecretHasher(settings.pin_hash_rounds),
        idempotency=Idempotency(secret_key),
        guest_limits=GuestLimits(),
        started_monotonic=time.monotonic(),
    )

    @app.exception_handler(CommitFailedError)
    async def _commit_failed(_: Request, exc: CommitFailedError) -> JSONResponse:
        # Nothing of the request was kept; the client may retry (with the same Idempotency-Key).
        return JSONResponse(
            {"detail": "The appliance could not save this; try again", "code": "WRITE_FAILED"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    for router in (
        system_router,
        auth_router,
        staff_router,
        tables_router,
        menu_router,
        orders_router,
        license_router,
        printing_router,
        kitchen_router,
        reports_router,
        inventory_router,
        analytics_router,
        settings_router,
        shifts_router,
        audit_router,
        live_router,
        kitchen_socket_router,
        guest_router,
        guest_pay_router,
        guest_staff_router,
        guest_socket_router,
    ):
        app.include_router(router)
    app.include_router(build_upi_router(settings))  # its lifespan runs the UPI poller after startup
    app.include_router(build_purchasing_router(settings))  # its lifespan runs the mailer after startup
    if http_metrics is not None and metrics is not None:
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        app.include_router(metrics_router(http_metrics, metrics.collect, token=token))

    install_openapi_errors(app)

    mount_web_apps(app, settings.resolved_web_dir())
    install_web_security(app, allowed_origins=settings.cors_origins)
    return app
