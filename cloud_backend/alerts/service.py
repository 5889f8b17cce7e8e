"""Record alerts once, and list them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud_backend.alerts.models import Alert


def record_once(
    db: Session, *, site_id: str, kind: str, key: str, message: str, data: dict[str, Any], now: datetime
) -> Alert | None:
    """The new alert, or None when this (site, kind, key) was already raised.

    Called from jobs that run one slot at a time across replicas, so the check cannot race; the unique
    constraint is the backstop."""
    exists = db.scalar(select(Alert.id).where(Alert.site_id == site_id, Alert.kind == kind, Alert.key == key))
    if exists is not None:
        return None
    alert = Alert(site_id=site_id, kind=kind, key=key, message=message, data=data, created_at=now)
    db.add(alert)
    return alert


def list_alerts(
    db: Session,
    *,
    site_id: str | None = None,
    kind: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> Sequence[Alert]:
    """Newest first; page with `before_id`."""
    stmt = select(Alert).order_by(Alert.id.desc()).limit(limit)
    if site_id is not None:
        stmt = stmt.where(Alert.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    if before_id is not None:
        stmt = stmt.where(Alert.id < before_id)
    return db.scalars(stmt).all()
