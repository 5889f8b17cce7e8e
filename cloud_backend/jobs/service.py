"""The cloud's periodic jobs: find stale sites, remind of expiring licenses, prune old rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cloud_backend.auth import service as auth
from cloud_backend.config import Settings
from cloud_backend.jobs.runner import Job, prune_runs
from cloud_backend.sites import heartbeats
from cloud_backend.sites import service as sites

JOB_RUNS_KEEP = timedelta(days=7)
LOGIN_FAILURES_KEEP = timedelta(days=1)


def build_jobs(settings: Settings) -> list[Job]:
    """The jobs with their intervals from the settings."""

    def stale_sites(db: Session, now: datetime) -> dict[str, Any]:
        return {"stale": sites.mark_stale(db, settings=settings, now=now)}

    def expiry_reminders(db: Session, now: datetime) -> dict[str, Any]:
        return {"reminded": sites.remind_expiring(db, settings=settings, now=now)}

    def prune(db: Session, now: datetime) -> dict[str, Any]:
        return {
            "heartbeats": heartbeats.prune(
                db,
                keep_per_site=settings.heartbeat_keep_per_site,
                older_than=now - timedelta(days=settings.heartbeat_keep_days),
            ),
            "login_failures": auth.prune_failures(db, before=now - LOGIN_FAILURES_KEEP),
            "job_runs": prune_runs(db, before=now - JOB_RUNS_KEEP),
        }

    return [
        Job("stale_sites", settings.jobs_interval_seconds, stale_sites),
        Job("expiry_reminders", settings.jobs_interval_seconds, expiry_reminders),
        Job("prune", settings.prune_interval_seconds, prune),
    ]
