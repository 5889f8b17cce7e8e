"""/api/reports: the shift summary and kitchen prep times (manager)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.deps import SettingsDep
from local_backend.kitchen.schemas import KitchenReportRead
from local_backend.reports import service
from local_backend.reports.schemas import ShiftReportRead
from shared.errors import error_responses

router = APIRouter(prefix="/api/reports", tags=["reports"], route_class=TavoloRoute)


@router.get(
    "/shift",
    response_model=ShiftReportRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, service.InvalidPeriod),
)
def shift_report(
    _: ManagerUser,
    db: DbSession,
    settings: SettingsDep,
    from_: Annotated[datetime | None, Query(alias="from", description="Default: today 00:00, site time")] = None,
    to: Annotated[datetime | None, Query(description="Default: now")] = None,
) -> Any:
    """Shift summary: orders, items sold, revenue by method and waiter, tips, cancellations, average ticket."""
    return service.shift_report(db, start=from_, end=to, timezone=settings.timezone, currency=settings.currency)


@router.get(
    "/kitchen",
    response_model=KitchenReportRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, service.InvalidPeriod),
)
def kitchen_report(
    _: ManagerUser,
    db: DbSession,
    settings: SettingsDep,
    from_: Annotated[datetime | None, Query(alias="from", description="Items sent at or after; default today")] = None,
    to: Annotated[datetime | None, Query(description="Items sent before; default now")] = None,
) -> Any:
    """Average and 90th-percentile prep time (sent → ready, seconds) by product and by zone."""
    return service.kitchen_report(db, start=from_, end=to, timezone=settings.timezone)
