"""Reports: the shift summary, assembled from the orders domain's period figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from local_backend.kitchen import service as kitchen
from local_backend.orders import service as orders
from local_backend.staff import service as staff
from local_backend.tables import service as tables
from shared.clock import utcnow
from shared.errors import Unprocessable


class InvalidPeriod(Unprocessable):
    code = "INVALID_PERIOD"
    default_detail = "The period must start before it ends"


@dataclass(frozen=True, slots=True)
class WaiterLine:
    waiter_id: int
    waiter_name: str
    orders: int
    revenue: int
    tips: int


@dataclass(frozen=True, slots=True)
class CancellationLine:
    kind: str
    order_id: int
    item_id: int | None
    table_id: int
    table_label: str
    product_name: str | None
    quantity: int
    amount: int
    reason: str | None
    by_id: int | None
    by_name: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ShiftReport:
    period_start: datetime
    period_end: datetime
    timezone: str
    currency: str
    orders_opened: int
    orders_closed: int
    orders_cancelled: int
    paid_orders: int
    items_sold: int
    revenue_total: int
    revenue_by_method: list[orders.MethodTotal]
    tips_total: int
    average_ticket: int
    by_waiter: list[WaiterLine]
    cancellations: list[CancellationLine]


def start_of_today(tz: ZoneInfo, now: datetime | None = None) -> datetime:
    """Local midnight of today in the site's timezone, as an aware datetime."""
    local = (now or utcnow()).astimezone(tz)
    return datetime.combine(local.date(), time.min, tzinfo=tz)


def shift_report(
    db: Session,
    *,
    start: datetime | None,
    end: datetime | None,
    timezone: str,
    currency: str,
) -> ShiftReport:
    """Figures for [start, end); by default from today's local midnight until now."""
    now = utcnow()
    period_end = orders.utc_bound(end) or now
    period_start = orders.utc_bound(start) or start_of_today(ZoneInfo(timezone), now).astimezone(UTC)
    if period_start >= period_end:
        raise InvalidPeriod()

    figures = orders.period_figures(db, start=period_start, end=period_end)
    names = staff.display_names(
        db, {w.waiter_id for w in figures.by_waiter} | {c.by_id for c in figures.cancellations if c.by_id is not None}
    )
    labels = {tid: tables.get_table(db, tid).label for tid in {c.table_id for c in figures.cancellations}}
    revenue = sum(m.amount for m in figures.by_method)
    return ShiftReport(
        period_start=period_start,
        period_end=period_end,
        timezone=timezone,
        currency=currency,
        orders_opened=figures.orders_opened,
        orders_closed=figures.orders_closed,
        orders_cancelled=figures.orders_cancelled,
        paid_orders=figures.paid_orders,
        items_sold=figures.items_sold,
        revenue_total=revenue,
        revenue_by_method=figures.by_method,
        tips_total=sum(m.tips for m in figures.by_method),
        # Integer half-up rounding keeps money in minor units.
        average_ticket=(2 * revenue + figures.paid_orders) // (2 * figures.paid_orders) if figures.paid_orders else 0,
        by_waiter=[
            WaiterLine(
                waiter_id=w.waiter_id,
                waiter_name=names.get(w.waiter_id, ""),
                orders=w.orders,
                revenue=w.revenue,
                tips=w.tips,
            )
            for w in figures.by_waiter
        ],
        cancellations=[
            CancellationLine(
                kind=c.kind,
                order_id=c.order_id,
                item_id=c.item_id,
                table_id=c.table_id,
                table_label=labels[c.table_id],
                product_name=c.product_name,
                quantity=c.quantity,
                amount=c.amount,
                reason=c.reason,
                by_id=c.by_id,
                by_name=names.get(c.by_id) if c.by_id is not None else None,
                at=c.at,
            )
            for c in figures.cancellations
        ],
    )


@dataclass(frozen=True, slots=True)
class KitchenReport:
    period_start: datetime
    period_end: datetime
    by_product: list[kitchen.PrepTime]
    by_zone: list[kitchen.PrepTime]


def kitchen_report(db: Session, *, start: datetime | None, end: datetime | None, timezone: str) -> KitchenReport:
    """Prep times (sent → ready) of items sent in [start, end); by default today until now."""
    now = utcnow()
    period_end = orders.utc_bound(end) or now
    period_start = orders.utc_bound(start) or start_of_today(ZoneInfo(timezone), now).astimezone(UTC)
    if period_start >= period_end:
        raise InvalidPeriod()
    by_product, by_zone = kitchen.prep_times(db, start=period_start, end=period_end)
    return KitchenReport(period_start=period_start, period_end=period_end, by_product=by_product, by_zone=by_zone)
