"""Keeps sales_rollups: each finished business day's sales by product and by category, summed by reports.

A year asked by product means sharing every order's money among ~300k lines; with the finished days rolled up
it is a sum over 365 small rows per product plus the live share of the days since (see service._shares).

A day is finished, and its rollup final, once it is over and no order with money in it is still active: money is
only ever added at the current time (a later refund is the refund day's money), and a closed order's lines no
longer change. Days are rolled up in order, so "through" (the last one) is all the state; a change of timezone, or
a product moved to another category, starts them over (a few seconds in the background on a year).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, union_all
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from local_backend.analytics import service
from local_backend.analytics.models import ROLLUP_STATE_KEY, SalesRollup
from local_backend.db import Database
from local_backend.orders.models import ACTIVE_ORDER_STATUSES, Order, Payment, Refund
from local_backend.reports.service import business_date, day_bounds
from local_backend.settings import service as site
from local_backend.system.models import SystemState
from shared.clock import utcnow

log = logging.getLogger(__name__)

# Days computed per write: short writes, so a backfill never holds the writer long during service.
DAYS_PER_BATCH = 31


@dataclass
class Batch:
    """Days computed on a read session, to be stored by one short write (if nothing changed meanwhile)."""

    state: dict[str, Any]
    restart: bool
    previous_through: str | None
    days: list[date] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


def plan(db: Session, now: datetime, *, limit: int = DAYS_PER_BATCH) -> Batch:
    """The next finished days to roll up (at most `limit`), computed."""
    tz = site.current(db).tz
    signature = service.category_signature(db)
    old = service.rollup_state(db) or {}
    restart = old.get("timezone") != tz.key or old.get("signature") != signature
    through = None if restart else old.get("through")
    batch = Batch(
        state={"timezone": tz.key, "signature": signature, "through": through},
        restart=restart,
        previous_through=old.get("through"),
    )
    if through is not None:
        first = date.fromisoformat(through) + timedelta(days=1)
    else:
        events = union_all(select(func.min(Payment.created_at)), select(func.min(Refund.created_at))).subquery()
        earliest = db.scalar(select(func.min(events.c[0])))
        if earliest is None:
            return batch
        first = business_date(earliest, tz)
    last = business_date(now, tz) - timedelta(days=1)
    # An active order's money (and lines) may still change: its first day and every later one wait for it.
    waiting = db.scalar(
        select(func.min(Payment.created_at))
        .join(Order, Order.id == Payment.order_id)
        .where(Order.status.in_(ACTIVE_ORDER_STATUSES))
    )
    if waiting is not None:
        last = min(last, business_date(waiting, tz) - timedelta(days=1))
    day = first
    while day <= last and len(batch.days) < limit:
        batch.rows += day_rows(db, day, tz)
        batch.days.append(day)
        day += timedelta(days=1)
    if batch.days:
        batch.state["through"] = batch.days[-1].isoformat()
    return batch


def day_rows(db: Session, day: date, tz: Any) -> list[dict[str, Any]]:
    start, end = day_bounds(day, tz)
    rows: list[dict[str, Any]] = []
    if not service.moved(db, start, end):
        return rows  # a day without money (closed, or before the first sale) has no rows
    span = service.Span(start, start, end, tz)
    common = {"business_date": day, "day_start": start}
    for kind in ("product", "category"):
        shares = service.live_shares(db, span, by_category=kind == "category", few_orders=True)
        for key, ((facts, revenue), _) in shares.by_key.items():
            rows.append(
                {
                    **common,
                    "kind": kind,
                    "key": key,
                    "orders": facts.orders,
                    "items": facts.items,
                    "revenue": revenue,
                    "unshared": 0,
                }
            )
    if shares.orders[0] or shares.net[0] or shares.unshared[0]:
        rows.append(
            {
                **common,
                "kind": "total",
                "key": None,
                "orders": shares.orders[0],
                "items": 0,
                "revenue": float(shares.net[0]),
                "unshared": shares.unshared[0],
            }
        )
    return rows


def store(db: Session, batch: Batch) -> bool:
    """Write the batch, unless another refresh or a reset got there first (then it is simply planned again)."""
    current = service.rollup_state(db) or {}
    if current.get("through") != batch.previous_through:
        return False
    if batch.restart:
        db.execute(delete(SalesRollup))
    if batch.rows:
        db.execute(insert(SalesRollup), batch.rows)
    value = json.dumps(batch.state)
    row = db.get(SystemState, ROLLUP_STATE_KEY)
    if row is None:
        db.add(SystemState(key=ROLLUP_STATE_KEY, value=value))
    else:
        row.value = value
    db.flush()
    return True


def refresh(database: Database, now: datetime | None = None) -> int:
    """Roll up every finished day not rolled up yet (CLI, tests, the benchmark); returns the days added."""
    moment = now or utcnow()
    added = 0
    while True:
        with database.read_session() as db:
            batch = plan(db, moment)
        if not batch.days and not batch.restart:
            return added
        with database.write_session() as db:
            stored = store(db, batch)
        if not stored or not batch.days:
            return added
        added += len(batch.days)


async def refresh_async(database: Database, now: datetime | None = None, *, limit: int = DAYS_PER_BATCH) -> int:
    """One batch of refresh for the app's scheduler (each minute): the reads in a thread, one short write through
    the group writer. A backfill (an upgrade with years of sales) so spreads over minutes instead of taking the CPU
    from the service at once."""
    moment = now or utcnow()

    def read() -> Batch:
        with database.read_session() as db:
            return plan(db, moment, limit=limit)

    batch = await run_in_threadpool(read)
    if not batch.days and not batch.restart:
        return 0  # the usual minute: a few index probes, no write
    stored = await database.writer.run(lambda db: store(db, batch))
    return len(batch.days) if stored else 0
