"""/api/reports: the shift summary, kitchen prep times, the X report of the open shift, the Z report of a
business day with its close, and CSV exports of orders and items (manager). None of it is behind the license:
a restaurant can always read and take away its own data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute, get_database
from local_backend.deps import SettingsDep
from local_backend.kitchen.schemas import KitchenReportRead
from local_backend.printing import reports as printed
from local_backend.printing import service as printing
from local_backend.reports import export, service
from local_backend.reports.schemas import (
    DayCloseRead,
    DayCloseRequest,
    DayCloseResultRead,
    ExceptionsReportRead,
    ReportPrintRead,
    ReportPrintRequest,
    ShiftReportRead,
    XReportRead,
    ZReportRead,
)
from local_backend.settings import service as site
from local_backend.shifts.service import NoOpenShift
from shared.errors import error_responses

router = APIRouter(prefix="/api/reports", tags=["reports"], route_class=TavoloRoute)

MANAGER_ERRORS = (*AUTH_ERRORS, ManagerRequired)
PRINT_ERRORS = (printed.NoReportPrinter, printing.PrinterNotFound, printing.PrinterInactive)


@router.get(
    "/shift",
    response_model=ShiftReportRead,
    responses=error_responses(*MANAGER_ERRORS, service.InvalidPeriod),
)
def shift_report(
    _: ManagerUser,
    db: DbSession,
    from_: Annotated[datetime | None, Query(alias="from", description="Default: today 00:00, site time")] = None,
    to: Annotated[datetime | None, Query(description="Default: now")] = None,
) -> Any:
    """Shift summary: orders, items sold, revenue by method and waiter, tips, cancellations, average ticket."""
    cfg = site.current(db)
    return service.shift_report(db, start=from_, end=to, timezone=cfg.timezone, currency=cfg.currency)


@router.get(
    "/kitchen",
    response_model=KitchenReportRead,
    responses=error_responses(*MANAGER_ERRORS, service.InvalidPeriod),
)
def kitchen_report(
    _: ManagerUser,
    db: DbSession,
    from_: Annotated[datetime | None, Query(alias="from", description="Items sent at or after; default today")] = None,
    to: Annotated[datetime | None, Query(description="Items sent before; default now")] = None,
) -> Any:
    """Average and 90th-percentile prep time (sent → ready, seconds) by product and by zone."""
    return service.kitchen_report(db, start=from_, end=to, timezone=site.current(db).timezone)


@router.get(
    "/exceptions",
    response_model=ExceptionsReportRead,
    responses=error_responses(*MANAGER_ERRORS, service.InvalidPeriod),
)
def exceptions_report(
    _: ManagerUser,
    db: DbSession,
    from_: Annotated[datetime | None, Query(alias="from", description="Default: today 00:00, site time")] = None,
    to: Annotated[datetime | None, Query(description="Default: now")] = None,
) -> Any:
    """Discounts, comps, voids and refunds with who asked, who approved, the reason and the amount; totals by
    kind and by the person who asked."""
    return service.exceptions_report(db, start=from_, end=to)


@router.get("/x", response_model=XReportRead, responses=error_responses(*MANAGER_ERRORS, NoOpenShift))
def x_report(_: ManagerUser, db: DbSession) -> Any:
    """The open cash shift so far: totals by method, tax, tips, discounts, voids, per waiter, cash expected,
    pay-ins/outs. Reading it changes nothing."""
    return service.x_report(db)


@router.post(
    "/x/print",
    response_model=ReportPrintRead,
    status_code=202,
    responses=error_responses(*MANAGER_ERRORS, NoOpenShift, *PRINT_ERRORS),
)
def print_x_report(body: ReportPrintRequest, user: ManagerUser, db: DbSession, env: SettingsDep) -> Any:
    """Queue the X report on the report printer (or the printer given)."""
    return service.print_x(db, printer_id=body.printer_id, by=user, env=env)


@router.get(
    "/z",
    response_model=ZReportRead,
    responses=error_responses(*MANAGER_ERRORS, service.DateInFuture),
)
def z_report(
    _: ManagerUser,
    db: DbSession,
    day: Annotated[date | None, Query(alias="date", description="Business day, site timezone; default today")] = None,
) -> Any:
    """A business day's Z report: as recorded at its close, or provisional (`closed: false`) until then."""
    return service.z_report(db, day=day)


@router.post(
    "/z/close",
    response_model=DayCloseResultRead,
    status_code=201,
    responses=error_responses(
        *MANAGER_ERRORS, service.DateInFuture, service.DayAlreadyClosed, service.ShiftStillOpen, *PRINT_ERRORS
    ),
)
def close_day(body: DayCloseRequest, user: ManagerUser, db: DbSession, env: SettingsDep) -> Any:
    """Close a business day: its Z report gets the next number and is stored unchangeable; optionally printed."""
    report = service.close_day(db, day=body.date, by=user)
    job = service.print_z(db, day=body.date, printer_id=body.printer_id, by=user, env=env) if body.print else None
    return {"report": report, "print_job": job}


@router.post(
    "/z/print",
    response_model=ReportPrintRead,
    status_code=202,
    responses=error_responses(*MANAGER_ERRORS, service.DateInFuture, *PRINT_ERRORS),
)
def print_z_report(body: ReportPrintRequest, user: ManagerUser, db: DbSession, env: SettingsDep) -> Any:
    """Queue a day's Z report on the report printer (or the printer given); PROVISIONAL while the day is open."""
    return service.print_z(db, day=body.date, printer_id=body.printer_id, by=user, env=env)


@router.get("/day-closes", response_model=list[DayCloseRead], responses=error_responses(*MANAGER_ERRORS))
def day_closes(
    _: ManagerUser,
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 60,
    before_number: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Any:
    """Closed business days, newest first, with their Z number and headline figures."""
    return service.list_day_closes(db, limit=limit, before_number=before_number)


# --- CSV exports --------------------------------------------------------------------------------------------------

FromDay = Annotated[date, Query(alias="from", description="First business day (site timezone), included")]
ToDay = Annotated[date, Query(description="Last business day (site timezone), included; at most 366 days in all")]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "UTF-8 CSV (with a BOM)"}
}


def _csv(request: Request, db: DbSession, kind: str, from_day: date, to_day: date) -> StreamingResponse:
    export.check_range(db, from_day=from_day, to_day=to_day)
    body = export.stream(get_database(request), kind=kind, from_day=from_day, to_day=to_day)
    name = export.filename(kind, from_day, to_day)
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get(
    "/export/orders",
    response_class=StreamingResponse,
    responses={**CSV_RESPONSE, **error_responses(*MANAGER_ERRORS, *export.EXPORT_ERRORS)},
)
def export_orders(_: ManagerUser, request: Request, db: DbSession, from_: FromDay, to: ToDay) -> StreamingResponse:
    """Orders opened in the days as CSV: times, table, waiter, guests, status and the bill's money columns."""
    return _csv(request, db, "orders", from_, to)


@router.get(
    "/export/items",
    response_class=StreamingResponse,
    responses={**CSV_RESPONSE, **error_responses(*MANAGER_ERRORS, *export.EXPORT_ERRORS)},
)
def export_items(_: ManagerUser, request: Request, db: DbSession, from_: FromDay, to: ToDay) -> StreamingResponse:
    """The items of the orders opened in the days as CSV: product, category, quantity, price, options, status."""
    return _csv(request, db, "items", from_, to)
