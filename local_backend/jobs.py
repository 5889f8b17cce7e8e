"""The appliance's periodic jobs (day close, backups, licence clock): APScheduler on the running event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def every(
    seconds: float, func: Callable[..., Any], *, job_id: str, first_run: datetime | None = None
) -> AsyncIOScheduler:
    """A started scheduler calling `func` every `seconds` (first at `first_run`, else after one interval): one run
    at a time, and runs missed while the loop was busy are coalesced into one, never dropped."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    # APScheduler reads an explicit next_run_time=None as "paused": pass it only when given.
    when = {"next_run_time": first_run} if first_run is not None else {}
    scheduler.add_job(
        func,
        "interval",
        seconds=seconds,
        id=job_id,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        **when,
    )
    scheduler.start()
    return scheduler


def shut_down(scheduler: AsyncIOScheduler | None) -> None:
    """Stop `scheduler` without waiting for a running job (its own code handles being cut off)."""
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
