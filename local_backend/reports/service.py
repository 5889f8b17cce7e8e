"""Reports: the shift summary and kitchen prep times, the X report of the open cash shift, and the Z report of a
business day with its numbered, immutable day close (by a manager, or automatically at auto_day_close_hour).

A business day runs from local midnight to local midnight in the site's timezone (stored times are UTC). X and Z
figures come from `reports.figures` (all aggregation in SQL). A closed day's Z report is served from the figures
stored at its close, so it never changes; anything timestamped in that day but made after its close (possible only
when a day is closed before it ended) is shown apart as `late_activity`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.config import Settings
from local_backend.events import Audience, publish_after_commit
from local_backend.kitchen import service as kitchen
from local_backend.orders import service as orders
from local_backend.printing import reports as printed
from local_backend.printing.tickets import tax_name
from local_backend.reports import figures, printout, schemas
from local_backend.reports.models import DayClose
from local_backend.settings import logo
from local_backend.settings import service as site
from local_backend.shifts import service as shifts
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.tables import service as tables
from shared.clock import utcnow
from shared.errors import Conflict, Unprocessable


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
    by_hour: list[figures.HourLine]


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

    hours = figures.by_hour(db, period_start, period_end, ZoneInfo(timezone))
    totals = orders.period_figures(db, start=period_start, end=period_end)
    names = staff.display_names(
        db, {w.waiter_id for w in totals.by_waiter} | {c.by_id for c in totals.cancellations if c.by_id is not None}
    )
    labels = {tid: tables.get_table(db, tid).label for tid in {c.table_id for c in totals.cancellations}}
    revenue = sum(m.amount for m in totals.by_method)
    return ShiftReport(
        period_start=period_start,
        period_end=period_end,
        timezone=timezone,
        currency=currency,
        orders_opened=totals.orders_opened,
        orders_closed=totals.orders_closed,
        orders_cancelled=totals.orders_cancelled,
        paid_orders=totals.paid_orders,
        items_sold=totals.items_sold,
        revenue_total=revenue,
        revenue_by_method=totals.by_method,
        tips_total=sum(m.tips for m in totals.by_method),
        # Integer half-up rounding keeps money in minor units.
        average_ticket=(2 * revenue + totals.paid_orders) // (2 * totals.paid_orders) if totals.paid_orders else 0,
        by_waiter=[
            WaiterLine(
                waiter_id=w.waiter_id,
                waiter_name=names.get(w.waiter_id, ""),
                orders=w.orders,
                revenue=w.revenue,
                tips=w.tips,
            )
            for w in totals.by_waiter
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
            for c in totals.cancellations
        ],
        by_hour=hours,
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


# ---------------------------------------------------------------------------------------------------------------
# X and Z reports, day close


class DateInFuture(Unprocessable):
    code = "DATE_IN_FUTURE"
    default_detail = "That business day has not started yet"


class DayAlreadyClosed(Conflict):
    code = "DAY_ALREADY_CLOSED"
    default_detail = "This business day is already closed"


class ShiftStillOpen(Conflict):
    code = "SHIFT_OPEN"
    default_detail = "Close the open cash shift before closing the day"


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight of `day`, local midnight of the next day) in UTC (23 or 25 hours on DST change days)."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def business_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _common(db: Session, cfg: site.SiteConfig, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """The fields every report shares, as wire objects (a closed day stores exactly these)."""
    period = figures.period(db, start, end)
    return {
        "period_start": start,
        "period_end": end,
        "generated_at": now,
        "restaurant_name": cfg.restaurant_name,
        "timezone": cfg.timezone,
        "currency": cfg.currency,
        "by_method": [
            schemas.MethodLineRead(
                method=m.method,
                name=m.name,
                kind=m.kind,
                payments=m.payments,
                amount=m.amount,
                tips=m.tips,
                refunds=m.refunds,
                net=m.net,
            )
            for m in period.by_method
        ],
        "totals": schemas.TotalsRead(
            payments=period.totals.payments,
            sales=period.totals.sales,
            tips=period.totals.tips,
            refunds=period.totals.refunds,
            net_sales=period.totals.net_sales,
            collected=period.totals.collected,
        ),
        "tax": _tax(db, cfg, start, end),
        "discounts": schemas.DiscountsRead.model_validate(period.discounts),
        "voids": schemas.VoidsRead.model_validate(period.voids),
        "by_waiter": [schemas.WaiterSalesRead.model_validate(w) for w in period.by_waiter],
        "cash": schemas.CashFlowsRead(
            payments=period.cash.payments,
            tips=period.cash.tips,
            refunds=period.cash.refunds,
            pay_ins=period.cash.pay_ins,
            pay_outs=period.cash.pay_outs,
            net=period.cash.net,
        ),
        "movements": [schemas.MovementLineRead.model_validate(m) for m in shifts.movements_between(db, start, end)],
        "by_hour": _by_hour(db, cfg, start, end),
    }


def _by_hour(db: Session, cfg: site.SiteConfig, start: datetime, end: datetime) -> list[schemas.HourLineRead]:
    return [schemas.HourLineRead.model_validate(h) for h in figures.by_hour(db, start, end, cfg.tz)]


def _tax(db: Session, cfg: site.SiteConfig, start: datetime, end: datetime) -> schemas.TaxRead:
    """Tax of the bills closed in the period, per rate (and per mode, if the site changed it meanwhile)."""
    lines = [
        schemas.TaxLineRead(
            name=tax_name(t.rate_bp, inclusive=t.tax_mode == "inclusive"), rate_bp=t.rate_bp, taxable=t.net, tax=t.tax
        )
        for t in orders.period_taxes(db, start=start, end=end)
    ]
    return schemas.TaxRead(
        tax_mode=cast(Any, cfg.tax_mode), computed=True, lines=lines, total=sum(line.tax for line in lines)
    )


EXCEPTION_KINDS = ("discount", "comp", "void", "refund")


def exceptions_report(db: Session, *, start: datetime | None, end: datetime | None) -> schemas.ExceptionsReportRead:
    """Discounts, comps, voids and refunds of [start, end) (default today until now), with totals by kind and
    by the person who asked."""
    cfg = site.current(db)
    now = utcnow()
    period_end = orders.utc_bound(end) or now
    period_start = orders.utc_bound(start) or start_of_today(cfg.tz, now).astimezone(UTC)
    if period_start >= period_end:
        raise InvalidPeriod()
    rows = figures.exceptions(db, period_start, period_end)
    people = {r.requested_by_id for r in rows} | {r.approved_by_id for r in rows} | {r.waiter_id for r in rows}
    names = staff.display_names(db, {p for p in people if p is not None})
    labels = {tid: tables.get_table(db, tid).label for tid in {r.table_id for r in rows}}

    def name(user_id: int | None) -> str | None:
        return names.get(user_id) if user_id is not None else None

    counted = [r for r in rows if r.removed_at is None]

    def kind_totals(subset: list[figures.ExceptionRow]) -> list[schemas.ExceptionKindTotalRead]:
        return [
            schemas.ExceptionKindTotalRead(
                kind=cast(Any, kind),
                count=sum(1 for r in subset if r.kind == kind),
                amount=sum(r.amount for r in subset if r.kind == kind),
            )
            for kind in EXCEPTION_KINDS
        ]

    askers = sorted({r.requested_by_id for r in counted}, key=lambda u: (u is None, u or 0))
    return schemas.ExceptionsReportRead(
        period_start=period_start,
        period_end=period_end,
        timezone=cfg.timezone,
        currency=cfg.currency,
        lines=[
            schemas.ExceptionLineRead(
                kind=cast(Any, r.kind),
                at=r.at,
                order_id=r.order_id,
                table_label=labels[r.table_id],
                waiter_id=r.waiter_id,
                waiter_name=names.get(r.waiter_id, ""),
                item_id=r.item_id,
                item_name=r.item_name,
                quantity=r.quantity,
                amount=r.amount,
                reason=r.reason,
                requested_by_id=r.requested_by_id,
                requested_by_name=name(r.requested_by_id),
                approved_by_id=r.approved_by_id,
                approved_by_name=name(r.approved_by_id),
                detail=r.detail,
                removed_at=r.removed_at,
            )
            for r in rows
        ],
        by_kind=kind_totals(counted),
        by_waiter=[
            schemas.ExceptionUserTotalRead(
                user_id=user,
                user_name=name(user),
                count=sum(1 for r in counted if r.requested_by_id == user),
                amount=sum(r.amount for r in counted if r.requested_by_id == user),
                by_kind=[k for k in kind_totals([r for r in counted if r.requested_by_id == user]) if k.count],
            )
            for user in askers
        ],
    )


def x_report(db: Session, *, now: datetime | None = None) -> schemas.XReportRead:
    """The open shift from its opening until now; nothing is written."""
    shift = shifts.require_open(db)
    now = now or utcnow()
    cfg = site.current(db)
    cash = shifts.cash_of(db, shift, until=now)
    opener = staff.display_names(db, [shift.opened_by_id]).get(shift.opened_by_id, "")
    return schemas.XReportRead(
        **_common(db, cfg, shift.opened_at, now, now),
        shift=schemas.XShiftRead(
            id=shift.id,
            opened_at=shift.opened_at,
            opened_by_name=opener,
            opening_float=shift.opening_float,
            expected_cash=cash.expected,
        ),
    )


def _closed_day(db: Session, day: date) -> DayClose | None:
    return db.scalars(select(DayClose).where(DayClose.business_date == day)).first()


def _live_z(db: Session, cfg: site.SiteConfig, day: date, now: datetime) -> schemas.ZReportRead:
    start, end = day_bounds(day, cfg.tz)
    day_shifts = shifts.shifts_between(db, start, end)
    outside = figures.outside_shifts(db, start, end)
    return schemas.ZReportRead(
        **_common(db, cfg, start, end, now),
        business_date=day,
        closed=False,
        close=None,
        shifts=[schemas.ZShiftRead.model_validate(s) for s in day_shifts],
        variance_total=sum(s.variance or 0 for s in day_shifts),
        outside_shift=schemas.ActivityRead.model_validate(outside),
    )


def _ensure_started(day: date, cfg: site.SiteConfig, now: datetime) -> None:
    if day > business_date(now, cfg.tz):
        raise DateInFuture(f"{day.isoformat()} has not started yet in {cfg.timezone}")


def z_report(db: Session, *, day: date | None = None, now: datetime | None = None) -> schemas.ZReportRead:
    """A business day's Z report: as stored at its close, or live (provisional) while it is not closed."""
    now = now or utcnow()
    cfg = site.current(db)
    day = day or business_date(now, cfg.tz)
    _ensure_started(day, cfg, now)
    closed = _closed_day(db, day)
    if closed is None:
        return _live_z(db, cfg, day, now)
    stored = closed.figures
    if "by_hour" not in stored:  # closed before hours were reported: computed now, from the same rows
        stored = {
            **stored,
            "by_hour": [h.model_dump() for h in _by_hour(db, cfg, closed.period_start, closed.period_end)],
        }
    report = schemas.ZReportRead.model_validate(stored)
    late = figures.payments_between(db, max(closed.closed_at, closed.period_start), closed.period_end)
    return report.model_copy(update={"late_activity": schemas.ActivityRead.model_validate(late)})


def close_day(
    db: Session, *, day: date, by: User | None, auto: bool = False, now: datetime | None = None
) -> schemas.ZReportRead:
    """Close a business day: its Z report is numbered and stored, never to change. Refused while a cash shift is
    open (its cash would be in no closed day) and for a day already closed."""
    now = now or utcnow()
    cfg = site.current(db)
    _ensure_started(day, cfg, now)
    existing = _closed_day(db, day)
    if existing is not None:
        raise DayAlreadyClosed(f"{day.isoformat()} was closed as Z #{existing.number}")
    open_shift = shifts.current_shift(db)
    if open_shift is not None:
        raise ShiftStillOpen(f"Shift #{open_shift.id} is open; close it before closing the day")
    number = int(db.scalar(select(func.coalesce(func.max(DayClose.number), 0))) or 0) + 1
    report = _live_z(db, cfg, day, now)
    report = report.model_copy(
        update={
            "closed": True,
            "close": schemas.DayCloseInfoRead(
                number=number,
                closed_at=now,
                closed_by_id=by.id if by is not None else None,
                closed_by_name=by.display_name if by is not None else None,
                auto=auto,
            ),
        }
    )
    row = DayClose(
        number=number,
        business_date=day,
        timezone=cfg.timezone,
        period_start=report.period_start,
        period_end=report.period_end,
        figures=report.model_dump(mode="json"),
        closed_at=now,
        closed_by_id=by.id if by is not None else None,
        auto=auto,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        action="day.closed",
        entity_type="day_close",
        entity_id=row.id,
        actor=by,
        data={
            "number": number,
            "date": day.isoformat(),
            "auto": auto,
            "net_sales": report.totals.net_sales,
            "tips": report.totals.tips,
        },
    )
    publish_after_commit(
        db, "day.closed", {"number": number, "date": day.isoformat(), "auto": auto}, Audience.waiters([])
    )
    return report


def list_day_closes(db: Session, *, limit: int = 60, before_number: int | None = None) -> list[schemas.DayCloseRead]:
    """Closed days, newest first, with their headline figures."""
    stmt = select(DayClose).order_by(DayClose.number.desc()).limit(limit)
    if before_number is not None:
        stmt = stmt.where(DayClose.number < before_number)
    out = []
    for row in db.scalars(stmt).all():
        totals = row.figures.get("totals", {})
        close = row.figures.get("close") or {}
        out.append(
            schemas.DayCloseRead(
                number=row.number,
                business_date=row.business_date,
                closed_at=row.closed_at,
                closed_by_name=close.get("closed_by_name"),
                auto=row.auto,
                net_sales=int(totals.get("net_sales", 0)),
                tips=int(totals.get("tips", 0)),
            )
        )
    return out


# --- automatic day close ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AutoClose:
    """What the automatic day close did: `outcome` is disabled, not_due, already_closed, shift_open or closed."""

    outcome: str
    day: date | None = None
    number: int | None = None


def auto_close_day(cfg: site.SiteConfig, now: datetime) -> date | None:
    """The day the automatic close should have closed by `now`: the day before the latest auto_day_close_hour
    that has passed (so an appliance that was off at that hour catches up once it is back)."""
    if cfg.auto_day_close_hour is None:
        return None
    tz = cfg.tz
    local = now.astimezone(tz)
    due = datetime.combine(local.date(), time(cfg.auto_day_close_hour), tzinfo=tz)
    due_day = local.date() if local >= due else local.date() - timedelta(days=1)
    return due_day - timedelta(days=1)


def auto_close_pending(db: Session, *, now: datetime) -> date | None:
    """A day the automatic close should close now (a read: the scheduler checks this before taking the writer)."""
    day = auto_close_day(site.current(db), now)
    if day is None or _closed_day(db, day) is not None:
        return None
    return day


def auto_close(db: Session, *, now: datetime | None = None) -> AutoClose:
    """The scheduler's job: close the previous business day once auto_day_close_hour has passed, unless it is
    closed already or a cash shift is still open (then nothing is closed: a manager must count the drawer)."""
    now = now or utcnow()
    day = auto_close_day(site.current(db), now)
    if day is None:
        return AutoClose("disabled")
    closed = _closed_day(db, day)
    if closed is not None:
        return AutoClose("already_closed", day=day, number=closed.number)
    if shifts.current_shift(db) is not None:
        return AutoClose("shift_open", day=day)
    report = close_day(db, day=day, by=None, auto=True, now=now)
    return AutoClose("closed", day=day, number=report.close.number if report.close is not None else None)


# --- printing -----------------------------------------------------------------------------------------------------


def _queue(
    db: Session, ticket: printed.ReportTicket, *, printer_id: int | None, by: User, env: Settings | None
) -> schemas.ReportPrintRead:
    cfg = site.current(db)
    printer = printed.report_printer(db, requested=printer_id, configured=cfg.report_printer_id)
    if env is not None:
        ticket = replace(ticket, logo_path=logo.printable_path(cfg.logo_path, env))
    job = printed.queue_report(db, printer=printer, report=ticket, by=by)
    return schemas.ReportPrintRead(job_id=job.id, printer_id=printer.id, printer_name=printer.name)


def print_x(db: Session, *, printer_id: int | None, by: User, env: Settings | None = None) -> schemas.ReportPrintRead:
    """Queue the X report of the open shift on the report printer (with the receipt logo, given `env`)."""
    return _queue(db, printout.x_ticket(x_report(db)), printer_id=printer_id, by=by, env=env)


def print_z(
    db: Session, *, day: date | None, printer_id: int | None, by: User, env: Settings | None = None
) -> schemas.ReportPrintRead:
    """Queue a day's Z report (marked PROVISIONAL while the day is not closed) on the report printer."""
    return _queue(db, printout.z_ticket(z_report(db, day=day)), printer_id=printer_id, by=by, env=env)
