"""Analytics for the manager dashboard: sales by hour, weekday, day, product, category or waiter with the
previous period (`/api/reports/sales`), and `/api/analytics/*` (summary, heat map, products, waiters, table
turnover, kitchen prep times, exceptions). Read-only, manager-only; any route answers CSV with `?format=csv`.

The period is `from`..`to` (business days of the site, both included, at most 366 days), or `period` (day, week,
month, quarter, year) around `date` (default today); nothing at all is today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from local_backend.analytics import export, schemas, service
from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from shared.errors import error_responses

router = APIRouter(tags=["analytics"], route_class=TavoloRoute)

ERRORS = error_responses(*AUTH_ERRORS, ManagerRequired, *service.PERIOD_ERRORS)
RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV (UTF-8, BOM)"},
}


def period_of(
    db: DbSession,
    from_: Annotated[date | None, Query(alias="from", description="First business day (site timezone)")] = None,
    to: Annotated[date | None, Query(description="Last business day, included; at most 366 days in all")] = None,
    period: Annotated[schemas.PeriodName | None, Query(description="Instead of from/to: the one around date")] = None,
    day: Annotated[date | None, Query(alias="date", description="With period; default today")] = None,
) -> service.Period:
    return service.resolve_period(db, from_day=from_, to_day=to, period=period, day=day)


PeriodDep = Annotated[service.Period, Depends(period_of)]
Format = Annotated[schemas.OutputFormat, Query(alias="format", description="json (default) or csv")]
M = TypeVar("M", bound=schemas.PeriodRead)


def _answer(report: M, fmt: str, kind: str, to_csv: Callable[[M], str]) -> Any:
    if fmt != "csv":
        return report
    return Response(
        content=to_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{export.name(kind, report)}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/api/reports/sales", response_model=schemas.SalesReportRead, responses=RESPONSES)
def sales(
    _: ManagerUser,
    db: DbSession,
    period: PeriodDep,
    group_by: Annotated[schemas.GroupBy, Query()] = "day",
    fmt: Format = "json",
) -> Any:
    """Orders, items and net sales per hour, weekday, day, product, category or waiter, with the previous period's
    figures (the same number of days just before)."""
    report = service.sales(db, period, group_by)
    return _answer(report, fmt, f"sales-by-{group_by}", export.sales)


@router.get("/api/analytics/summary", response_model=schemas.SummaryRead, responses=RESPONSES)
def summary(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Revenue, orders, items, average ticket, covers, tips, discounts, comps and voids with the previous period."""
    return _answer(service.summary(db, period), fmt, "summary", export.summary)


@router.get("/api/analytics/heatmap", response_model=schemas.HeatmapRead, responses=RESPONSES)
def heatmap(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Orders and revenue in each of the 7 x 24 weekday-hours of the site's clock (peak hours)."""
    return _answer(service.heatmap(db, period), fmt, "heatmap", export.heatmap)


@router.get("/api/analytics/products", response_model=schemas.ProductsRead, responses=RESPONSES)
def products(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Quantity, revenue, cost and margin (where the recipe's cost is known) per product, best sellers first."""
    return _answer(service.products(db, period), fmt, "products", export.products)


@router.get("/api/analytics/waiters", response_model=schemas.WaitersRead, responses=RESPONSES)
def waiters(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Orders, tables served, revenue, average ticket, tips and covers per waiter."""
    return _answer(service.waiters(db, period), fmt, "waiters", export.waiters)


@router.get("/api/analytics/turnover", response_model=schemas.TurnoverRead, responses=RESPONSES)
def turnover(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Average and median minutes from opening to closing an order, per table and over all tables."""
    return _answer(service.turnover(db, period), fmt, "turnover", export.turnover)


@router.get("/api/analytics/kitchen", response_model=schemas.KitchenRead, responses=RESPONSES)
def kitchen(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Average and 90th-percentile prep seconds (sent -> ready) by kitchen zone and by product."""
    return _answer(service.kitchen(db, period), fmt, "kitchen", export.kitchen)


@router.get("/api/analytics/exceptions", response_model=schemas.ExceptionsRead, responses=RESPONSES)
def exceptions(_: ManagerUser, db: DbSession, period: PeriodDep, fmt: Format = "json") -> Any:
    """Discounts, comps, voids and refunds by kind, by reason and by the person who asked."""
    return _answer(service.exceptions(db, period), fmt, "exceptions", export.exceptions)
