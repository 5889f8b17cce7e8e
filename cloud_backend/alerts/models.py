"""Alerts for sysadmins; `key` makes each one happen once (per stale episode, per site and expiry date)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base
from shared.clock import utcnow

ALERT_KINDS = ("site_stale", "license_expiring")


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("site_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
