"""Record and read the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend.audit.models import AuditEvent


class Actor(Protocol):
    id: int
    display_name: str


def record(
    db: Session,
    *,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    actor: Actor | None = None,
    order_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction (it commits or rolls back with the change)."""
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else None,
        order_id=order_id,
        data=data or {},
    )
    db.add(event)
    return event


def order_history(db: Session, order_id: int) -> Sequence[AuditEvent]:
    """Every event of one order, oldest first."""
    return db.scalars(select(AuditEvent).where(AuditEvent.order_id == order_id).order_by(AuditEvent.id)).all()


def list_events(
    db: Session,
    *,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    before_id: int | None = None,
) -> Sequence[AuditEvent]:
    """Newest first, filtered; page with `before_id`."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    return db.scalars(stmt).all()
