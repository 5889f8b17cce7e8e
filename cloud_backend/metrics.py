"""The cloud's Prometheus figures beyond request latency.

Two kinds, and why:
- **Per process** (counters the request middleware feeds): heartbeats answered by this process, by result.
  Prometheus scrapes each replica; with several uvicorn workers behind one port a scrape reaches one of them,
  so run one worker per replica when exact rates matter.
- **From the database** (read at scrape time, the same from every replica): sites by status, heartbeats ever
  accepted, the lease-signing keys. A few small queries, no cost on the heartbeat path.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client import Counter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from cloud_backend import __version__
from cloud_backend.config import Settings
from cloud_backend.db import Database
from cloud_backend.keys.models import KEY_STATES, SigningKeyRecord
from cloud_backend.sites import service as sites
from cloud_backend.sites.models import Site
from cloud_backend.sites.schemas import SiteStatus
from shared.observability import HttpMetrics

HEARTBEAT_ROUTE = "/api/heartbeat/"
# What each answer of POST /api/heartbeat/ means for the appliance that sent it.
HEARTBEAT_RESULTS = {200: "ok", 401: "unauthorized", 422: "invalid", 429: "rate_limited", 503: "unavailable"}
RESULTS = ("ok", "unauthorized", "invalid", "rate_limited", "unavailable", "error")


def heartbeat_results(metrics: HttpMetrics) -> Callable[[str, int], None]:
    """The middleware hook counting heartbeats by result (`tavolo_cloud_heartbeats_total{result}`)."""
    counter = Counter(
        "tavolo_cloud_heartbeats",
        "Heartbeats this process answered, by result.",
        ("result",),
        registry=metrics.registry,
    )
    children = {result: counter.labels(result) for result in RESULTS}  # every result shows, zero included
    error = children["error"]

    def count(route: str, status: int) -> None:
        if route == HEARTBEAT_ROUTE:
            children.get(HEARTBEAT_RESULTS.get(status, "error"), error).inc()

    return count


class CloudMetrics:
    """Collects the database figures for `GET /metrics`."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    async def collect(self, request: Request) -> list[Metric]:
        now: datetime = request.app.state.clock()
        return await run_in_threadpool(self.families, now)

    def families(self, now: datetime) -> list[Metric]:
        """Every database figure at `now` (blocking)."""
        with self.database.session(write=False) as db:
            return [*self._build(), *self._sites(db, now), *self._keys(db, now)]

    def _build(self) -> Iterable[Metric]:
        build = GaugeMetricFamily(
            "tavolo_build_info",
            "Versions of the cloud and Python, and the database.",
            labels=("version", "python", "db"),
        )
        build.add_metric((__version__, sys.version.split()[0], self.database.dialect), 1)
        yield build

    def _sites(self, db: Session, now: datetime) -> Iterable[Metric]:
        summary = sites.summary(db, settings=self.settings, now=now)
        by_status = GaugeMetricFamily("tavolo_cloud_sites", "Registered sites by license status.", labels=("status",))
        for status in SiteStatus:
            by_status.add_metric((status.value,), getattr(summary, status.value))
        yield by_status
        accepted = db.scalar(select(func.coalesce(func.sum(Site.heartbeat_count), 0)))
        yield CounterMetricFamily(
            "tavolo_cloud_heartbeats_accepted",
            "Heartbeats accepted from all sites, by every replica (from the database).",
            int(accepted or 0),
        )

    def _keys(self, db: Session, now: datetime) -> Iterable[Metric]:
        rows = db.execute(select(SigningKeyRecord.state, func.count()).group_by(SigningKeyRecord.state)).all()
        counts = {state: int(n) for state, n in rows}
        keys = GaugeMetricFamily("tavolo_cloud_signing_keys", "Lease-signing keys by state.", labels=("state",))
        for state in KEY_STATES:
            keys.add_metric((state,), counts.get(state, 0))
        yield keys
        activated = db.scalar(
            select(func.coalesce(SigningKeyRecord.activated_at, SigningKeyRecord.created_at)).where(
                SigningKeyRecord.state == "current"
            )
        )
        if activated is not None:
            yield GaugeMetricFamily(
                "tavolo_cloud_signing_key_current_age_seconds",
                "Seconds since the current signing key was activated (rotate it on your schedule).",
                max(0.0, (now - activated).total_seconds()),
            )
