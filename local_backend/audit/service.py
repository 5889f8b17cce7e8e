"""Record and read the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend.audit.models import AuditEvent
from shared.audit import Actor as Actor
from shared.audit import actor_columns, newest_first


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
    actor_id, actor_name = actor_columns(actor)
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        actor_name=actor_name,
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
    stmt = newest_first(
        AuditEvent, action=action, actor_id=actor_id, since=since, until=until, limit=limit, before_id=before_id
    )
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return db.scalars(stmt).all()
