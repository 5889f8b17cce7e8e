"""/api/alerts: stale sites and licenses about to expire, newest first (sysadmin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from cloud_backend.alerts import service
from cloud_backend.alerts.schemas import AlertKind, AlertRead
from cloud_backend.auth.dependencies import AUTH_ERRORS, CurrentSysadmin
from cloud_backend.db import DbSession
from cloud_backend.types import SITE_ID_PATTERN
from shared.errors import error_responses

router = APIRouter(prefix="/api/alerts", tags=["alerts"])


@router.get("/", response_model=list[AlertRead], responses=error_responses(*AUTH_ERRORS))
def list_alerts(
    _: CurrentSysadmin,
    db: DbSession,
    site_id: Annotated[str | None, Query(pattern=SITE_ID_PATTERN)] = None,
    kind: AlertKind | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Any:
    """Alerts the jobs raised (a site went stale, a license expires within EXPIRY_REMINDER_DAYS)."""
    return service.list_alerts(db, site_id=site_id, kind=kind, limit=limit, before_id=before_id)
