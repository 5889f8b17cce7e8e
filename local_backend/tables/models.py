"""The floor: sections (table groups) and tables with their position on the floor plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow


class TableGroup(Base):
    __tablename__ = "table_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Table(Base):
    __tablename__ = "tables"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("seats >= 0", name="seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    label: Mapped[str] = mapped_column(String(40))
    seats: Mapped[int] = mapped_column(default=4)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("table_groups.id", ondelete="SET NULL"), index=True, default=None
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    # Floor-plan position in grid units of the section's canvas.
    pos_x: Mapped[int] = mapped_column(default=0)
    pos_y: Mapped[int] = mapped_column(default=0)
    # The secret in the table's QR code (guest ordering); made on first use, replaced when a manager rotates it.
    qr_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped[TableGroup | None] = relationship(lazy="raise")
