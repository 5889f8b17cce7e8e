"""Staff: the people who log in (waiters and managers) and who assists whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow

ROLES = ("waiter", "manager")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('waiter', 'manager')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default="waiter")
    pin_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on deactivation or PIN reset: every token carrying an older version stops working at once.
    token_version: Mapped[int] = mapped_column(default=1)
    failed_pin_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class WaiterAssistant(Base):
    """`assistant_id` may serve the tables and orders of `waiter_id`."""

    __tablename__ = "waiter_assistants"
    __table_args__ = (
        UniqueConstraint("waiter_id", "assistant_id"),
        CheckConstraint("waiter_id <> assistant_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    waiter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
