"""/api/audit: the audit trail (manager)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from local_backend.audit import service
from local_backend.audit.schemas import AuditEventRead
from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from shared.errors import error_responses

router = APIRouter(prefix="/api/audit", tags=["audit"], route_class=TavoloRoute)

# SQLite integers are 64-bit: a larger id in a filter would fail in the driver (a 500), not match nothing.
RowId = Annotated[int | None, Query(ge=0, le=2**63 - 1)]


@router.get("/", response_model=list[AuditEventRead], responses=error_responses(*AUTH_ERRORS, ManagerRequired))
def list_events(
    _: ManagerUser,
    db: DbSession,
    action: Annotated[str | None, Query(max_length=64)] = None,
    entity_type: Annotated[str | None, Query(max_length=32)] = None,
    entity_id: RowId = None,
    actor_id: RowId = None,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before_id: RowId = None,
) -> Any:
    """Audit events, newest first; page with `before_id`."""
    return service.list_events(
        db,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        since=from_,
        until=to,
        limit=limit,
        before_id=before_id,
    )
