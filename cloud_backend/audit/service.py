"""Record and read the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cloud_backend.audit.models import AuditEvent
from shared.audit import Actor as Actor
from shared.audit import actor_columns, newest_first


def record(
    db: Session,
    *,
    action: str,
    actor: Actor | None = None,
    actor_name: str | None = None,
    site_id: str | None = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one event to the current transaction (it commits or rolls back with the change it describes)."""
    actor_id, name = actor_columns(actor, fallback_name=actor_name)
    event = AuditEvent(action=action, actor_id=actor_id, actor_name=name, site_id=site_id, ip=ip, data=data or {})
    if at is not None:
        event.at = at
    db.add(event)
    return event


def list_events(
    db: Session,
    *,
    site_id: str | None = None,
    action: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> Sequence[AuditEvent]:
    """Newest first, filtered; page with `before_id`."""
    stmt = newest_first(
        AuditEvent, action=action, actor_id=actor_id, since=since, until=until, limit=limit, before_id=before_id
    )
    if site_id is not None:
        stmt = stmt.where(AuditEvent.site_id == site_id)
    return db.scalars(stmt).all()
