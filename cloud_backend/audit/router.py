"""/api/audit: the audit trail (sysadmin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from cloud_backend.audit import service
from cloud_backend.audit.schemas import AuditEventRead
from cloud_backend.auth.dependencies import AUTH_ERRORS, CurrentSysadmin
from cloud_backend.db import DbSession
from cloud_backend.types import NO_CONTROL, SITE_ID_PATTERN, UtcDatetime
from shared.errors import error_responses

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("/", response_model=list[AuditEventRead], responses=error_responses(*AUTH_ERRORS))
def list_events(
    _: CurrentSysadmin,
    db: DbSession,
    site_id: Annotated[str | None, Query(pattern=SITE_ID_PATTERN)] = None,
    action: Annotated[str | None, Query(max_length=64, pattern=NO_CONTROL)] = None,
    actor_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    from_: Annotated[UtcDatetime | None, Query(alias="from")] = None,
    to: UtcDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Any:
    """Audit events, newest first; filter by site, action, actor or time; page with `before_id`."""
    return service.list_events(
        db,
        site_id=site_id,
        action=action,
        actor_id=actor_id,
        since=from_,
        until=to,
        limit=limit,
        before_id=before_id,
    )
