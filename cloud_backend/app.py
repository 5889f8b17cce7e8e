"""create_app: the licensing cloud's FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool

from cloud_backend import __version__
from cloud_backend.alerts.router import router as alerts_router
from cloud_backend.audit.router import router as audit_router
from cloud_backend.auth.router import router as auth_router
from cloud_backend.billing.jobs import build_jobs as billing_jobs
from cloud_backend.billing.router import router as billing_router
from cloud_backend.config import Settings
from cloud_backend.db import AsyncPostgres, Database
from cloud_backend.deps import Clock
from cloud_backend.heartbeat.router import router as heartbeat_router
from cloud_backend.heartbeat.service import Heartbeats
from cloud_backend.jobs.runner import Scheduler
from cloud_backend.jobs.service import build_jobs
from cloud_backend.keys.router import router as keys_router
from cloud_backend.keys.service import KeyRing
from cloud_backend.metrics import CloudMetrics, heartbeat_results
from cloud_backend.sites.heartbeats import KeyHashes
from cloud_backend.sites.router import router as sites_router
from cloud_backend.startup import prepare_database
from cloud_backend.system.router import router as system_router
from cloud_backend.system.webapp import mount_panel
from shared.app import include_routers, new_app, retry_later
from shared.clock import utcnow
from shared.observability import HttpMetrics, metrics_router
from shared.security import SecretHasher
from shared.web_security import install_web_security

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, clock: Clock = utcnow) -> FastAPI:
    """Build the cloud app; the database is migrated and prepared when the app starts."""
    settings = settings or Settings()
    database = Database(settings)
    keyring = KeyRing(database)
    hashes = KeyHashes()
    http_metrics = HttpMetrics() if settings.metrics_enabled else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.secret_key = await run_in_threadpool(prepare_database, database, app.state.hasher, app.state.clock)
        await run_in_threadpool(keyring.refresh)
        pool = AsyncPostgres(settings.database_url, settings.db_pool_size) if database.is_postgres else None
        app.state.heartbeats = Heartbeats(settings, database, keyring, hashes, pool)
        scheduler = None
        if settings.jobs_enabled:
            # Reads app.state.clock at each run, so tests that move the clock move the jobs too.
            scheduler = Scheduler(database, build_jobs(settings) + billing_jobs(settings), lambda: app.state.clock())
            scheduler.start()
        log.info("tavolo cloud %s ready (%s)", __version__, database.dialect)
        try:
            yield
        finally:
            if scheduler is not None:
                await run_in_threadpool(scheduler.stop)
            if pool is not None:
                await pool.close()
            database.dispose()

    app = new_app(
        title="Tavolo cloud",
        version=__version__,
        description="Sites, licenses, heartbeats and signed leases for Tavolo appliances.",
        lifespan=lifespan,
        http_metrics=http_metrics,
        on_response=heartbeat_results(http_metrics) if http_metrics is not None else None,
        settings=settings,
        database=database,
        keyring=keyring,
        clock=clock,
        hasher=SecretHasher(settings.password_hash_rounds),
    )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    @app.exception_handler(psycopg.OperationalError)
    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # A dropped connection (the pool is invalidated and reconnects) or an overloaded database: retryable.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return retry_later("The database is unavailable; try again", "DATABASE_UNAVAILABLE")

    # The heartbeat first: routes are matched in order, and it is nearly all of the traffic.
    include_routers(
        app,
        heartbeat_router,
        system_router,
        auth_router,
        sites_router,
        audit_router,
        alerts_router,
        keys_router,
        billing_router,
    )
    if http_metrics is not None:
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        app.include_router(metrics_router(http_metrics, CloudMetrics(database, settings).collect, token=token))
    mount_panel(app, settings.resolved_web_dir())
    install_web_security(app, allowed_origins=settings.cors_origins, hsts_seconds=settings.hsts_seconds)
    return app
