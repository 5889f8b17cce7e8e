"""The automatic day close, and the sales rollups of finished days: once a minute, on the appliance's event loop
(APScheduler, like the license heartbeat).

The check is a read; only when a day is due does the job take the writer, so an idle minute costs the rush nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from local_backend import jobs
from local_backend.analytics import rollups
from local_backend.db import Database
from local_backend.reports import service
from shared.clock import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 60.0
JOB_ID = "auto-day-close"


class DayCloser:
    """Closes the previous business day at the site's auto_day_close_hour (see reports.service.auto_close)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._scheduler: AsyncIOScheduler | None = None
        # The day last reported as blocked by an open shift: warn once per day, not every minute.
        self._warned: date | None = None

    async def start(self) -> None:
        self._scheduler = jobs.every(CHECK_SECONDS, self.check, job_id=JOB_ID)

    async def stop(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        jobs.shut_down(scheduler)

    def _pending(self, now: datetime) -> date | None:
        with self.database.read_session() as db:
            return service.auto_close_pending(db, now=now)

    async def _close(self, moment: datetime) -> service.AutoClose | None:
        if await run_in_threadpool(self._pending, moment) is None:
            return None

        def work(db: Session) -> service.AutoClose:
            return service.auto_close(db, now=moment)

        return await self.database.writer.run(work)

    async def check(self, now: datetime | None = None) -> service.AutoClose | None:
        """One tick: close the due day if there is one. Never raises (a failing tick must not stop the schedule)."""
        moment = now or utcnow()
        try:
            result = await self._close(moment)
        except Exception:
            log.exception("automatic day close failed")
            result = None
        try:
            # After the close: the day just closed is usually the one that becomes final.
            days = await rollups.refresh_async(self.database, moment)
            if days:
                log.info("rolled up the sales of %d finished business day(s)", days)
        except Exception:
            log.exception("rolling up finished days' sales failed")
        if result is None:
            return None
        if result.outcome == "closed":
            log.info("closed business day %s automatically as Z #%s", result.day, result.number)
        elif result.outcome == "shift_open" and self._warned != result.day:
            self._warned = result.day
            log.warning("business day %s not closed automatically: a cash shift is still open", result.day)
        return result
