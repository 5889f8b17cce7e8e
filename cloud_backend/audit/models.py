"""The audit trail: who did what to which site, when and from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base
from shared.clock import utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Null for the system (jobs, the CLI) and for failed logins of unknown usernames.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("sysadmins.id", ondelete="SET NULL"), default=None)
    actor_name: Mapped[str | None] = mapped_column(String(120), default=None)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    action: Mapped[str] = mapped_column(String(64), index=True)
    # The public site id, not a foreign key: the trail outlives whatever happens to the site row.
    site_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
