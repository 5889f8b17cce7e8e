"""Scheduled backups: a check every few minutes on the appliance's event loop (APScheduler, like the day close).

The schedule follows the newest backup file, not the process: an appliance restarted every night still backs
up once a day, and a daily backup waits for BACKUP_HOUR (site time, 04:00 by default) rather than landing in the
dinner rush an hour after the appliance was first switched on. The copy and the rotation run in a worker
thread; a failure (the USB stick is missing, full or read-only) is logged as an error and retried later, and
never reaches the requests being served.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.concurrency import run_in_threadpool

from local_backend import jobs
from local_backend.backup import service
from local_backend.config import Settings
from shared.clock import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 300.0
# The first check waits until startup and the first requests are over.
FIRST_CHECK_DELAY_SECONDS = 60.0
# After a failure, try again this much later: often enough to catch a stick plugged back in, not a log flood.
RETRY_SECONDS = 3600.0
JOB_ID = "backup"


class BackupScheduler:
    """Takes a backup when the newest one is BACKUP_INTERVAL_HOURS old, then rotates BACKUP_DIR."""

    def __init__(
        self,
        settings: Settings,
        *,
        retry_seconds: float = RETRY_SECONDS,
        timezone: Callable[[], ZoneInfo] | None = None,
    ) -> None:
        self.settings = settings
        # The site's timezone as managers set it (the app passes a reader of the site settings).
        self.timezone = timezone or (lambda: ZoneInfo(settings.timezone))
        self.retry_seconds = retry_seconds
        self._scheduler: AsyncIOScheduler | None = None
        self._not_before = 0.0  # monotonic
        self.last_error: str | None = None

    @property
    def enabled(self) -> bool:
        return self.settings.is_sqlite and self.settings.backup_interval_hours > 0

    @property
    def interval(self) -> timedelta:
        return timedelta(hours=self.settings.backup_interval_hours)

    async def start(self) -> None:
        if not self.enabled:
            log.info("scheduled backups are off (BACKUP_INTERVAL_HOURS=0 or not a SQLite database)")
            return
        first = datetime.now(UTC) + timedelta(seconds=FIRST_CHECK_DELAY_SECONDS)
        self._scheduler = jobs.every(CHECK_SECONDS, self.check, job_id=JOB_ID, first_run=first)

    async def stop(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        jobs.shut_down(scheduler)

    def due(self, now: datetime) -> bool:
        if time.monotonic() < self._not_before:
            return False
        last = service.last_backup(self.settings)
        if last is None:
            return True
        age = now - last.taken_at
        # A backup "from the future" means the clock was wrong when it was taken (a Pi boots without a real-time
        # clock): it does not count, and `_not_before` keeps that from turning into a backup every check.
        if age < timedelta(0):
            return True
        # The slack keeps a daily backup from drifting later by one check period each day.
        if age < self.interval - timedelta(seconds=CHECK_SECONDS):
            return False
        hour = self.settings.backup_hour
        if hour < 0 or self.interval < timedelta(days=1) or age >= self.interval + timedelta(days=1):
            return True
        return now.astimezone(self.timezone()).hour == hour

    def next_due(self, last: datetime) -> datetime:
        """When the schedule will next back up after a backup taken at `last` (what `due` decides, as a time)."""
        earliest = last + self.interval - timedelta(seconds=CHECK_SECONDS)
        hour = self.settings.backup_hour
        if hour < 0 or self.interval < timedelta(days=1):
            return last + self.interval
        tz = self.timezone()
        local = earliest.astimezone(tz)
        at = datetime(local.year, local.month, local.day, hour, tzinfo=tz)
        if at.astimezone(UTC) + timedelta(hours=1) <= earliest:  # the hour is over that day: the next one
            following = local.date() + timedelta(days=1)
            at = datetime(following.year, following.month, following.day, hour, tzinfo=tz)
        return max(earliest, min(at.astimezone(UTC), last + self.interval + timedelta(days=1)))

    async def check(self, now: datetime | None = None) -> service.BackupInfo | None:
        """One tick: back up and rotate if due. Never raises (a failing tick must not stop the schedule)."""
        moment = now or utcnow()
        try:
            if not await run_in_threadpool(self.due, moment):
                return None
            return await run_in_threadpool(self.run, moment)
        except service.BackupFailed as exc:  # expected trouble (no stick, full, read-only): the reason is enough
            self._failed(str(exc))
            log.error("scheduled backup failed, next try in %.0f minutes: %s", self.retry_seconds / 60, exc)
        except Exception as exc:
            self._failed(str(exc))
            log.exception("scheduled backup failed, next try in %.0f minutes", self.retry_seconds / 60)
        return None

    def _failed(self, error: str) -> None:
        self._not_before = time.monotonic() + self.retry_seconds
        self.last_error = error

    def run(self, now: datetime | None = None) -> service.BackupInfo:
        """Take a backup now and rotate the directory (worker thread)."""
        started = time.monotonic()
        info = service.take_backup(self.settings, now=now)
        log.info("backup %s written (%d bytes, %.1f s)", info.path, info.size_bytes, time.monotonic() - started)
        self._not_before = time.monotonic() + self.interval.total_seconds() - CHECK_SECONDS
        self.last_error = None
        service.rotate(
            info.path.parent,
            keep_daily=self.settings.backup_keep_daily,
            keep_weekly=self.settings.backup_keep_weekly,
            now=now,
        )
        return info
