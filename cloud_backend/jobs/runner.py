"""Run each periodic job once per slot across every replica, and schedule the jobs in each process.

Every replica schedules every job at the same instants (multiples of the interval since the epoch), so they
all wake together. One transaction per attempt:

1. PostgreSQL: `pg_try_advisory_xact_lock` on the job (and schema): the replicas that lose skip the slot at
   once instead of queueing behind the winner;
2. the `job_runs (job, slot)` primary key: a replica that wakes after the winner committed (a slow clock, a
   long pause) finds the row and skips; on SQLite (one process in practice) this is the whole guard;
3. the job itself, in the same transaction: if it fails, the claim rolls back with its work.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud_backend.db import Database
from cloud_backend.jobs.models import JobRun

log = logging.getLogger(__name__)

JobFunc = Callable[[Session, datetime], dict[str, Any]]
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || '.job.' || :job, 0))")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    interval_seconds: float
    run: JobFunc


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def slot_of(job: Job, now: datetime) -> int:
    return int(now.timestamp() // job.interval_seconds)


def run_once(database: Database, job: Job, *, now: datetime, runner: str | None = None) -> dict[str, Any] | None:
    """Run the job for the slot `now` falls in, unless a replica has or is; its result, or None if skipped."""
    slot = slot_of(job, now)
    runner = runner or runner_name()
    try:
        with database.write_session() as db:
            if database.is_postgres and not db.scalar(_TRY_LOCK, {"job": job.name}):
                log.debug("job %s slot %d: another replica is running it", job.name, slot)
                return None
            if db.scalar(select(JobRun.slot).where(JobRun.job == job.name, JobRun.slot == slot)) is not None:
                log.debug("job %s slot %d: already ran", job.name, slot)
                return None
            claim = JobRun(job=job.name, slot=slot, runner=runner, started_at=now)
            db.add(claim)
            db.flush()
            result = job.run(db, now)
            claim.result = result
            claim.finished_at = datetime.now(UTC)
    except IntegrityError:  # a replica claimed the slot between our check and our insert
        log.debug("job %s slot %d: claimed by another replica", job.name, slot)
        return None
    log.info("job %s slot %d ran on %s: %s", job.name, slot, runner, result)
    return result


def prune_runs(db: Session, *, before: datetime) -> int:
    result = db.execute(delete(JobRun).where(JobRun.started_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


class Scheduler:
    """APScheduler (3.x, background threads) running the jobs at instants aligned across replicas."""

    def __init__(self, database: Database, jobs: list[Job], clock: Callable[[], datetime]) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._database = database
        self._jobs = jobs
        self._clock = clock
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        now = datetime.now(UTC)
        for job in self._jobs:
            interval = job.interval_seconds
            first = datetime.fromtimestamp((now.timestamp() // interval + 1) * interval, UTC)
            self._scheduler.add_job(
                self._run,
                IntervalTrigger(seconds=interval, start_date=first, timezone=UTC),
                args=[job],
                id=job.name,
                name=job.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(1, int(interval)),
            )
        self._scheduler.start()

    def _run(self, job: Job) -> None:
        try:
            run_once(self._database, job, now=self._clock())
        except Exception:  # a failing job must not stop the scheduler; the next slot tries again
            log.exception("job %s failed", job.name)

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
