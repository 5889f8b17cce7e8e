"""Record and read the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud_backend.audit.models import AuditEvent


class Actor(Protocol):
    id: int

    @property
    def display_name(self) -> str: ...


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
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else actor_name,
        site_id=site_id,
        ip=ip,
        data=data or {},
    )
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
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if site_id is not None:
        stmt = stmt.where(AuditEvent.site_id == site_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    return db.scalars(stmt).all()
