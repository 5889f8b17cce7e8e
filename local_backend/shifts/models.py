"""Cash shifts and the cash moved in and out of the drawer during them.

A payment belongs to the shift that was open when it was taken (by time: shifts never overlap, the database allows
one open shift), so settling a bill never needs to know about shifts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow

SHIFT_STATUSES = ("open", "closed")
MOVEMENT_KINDS = ("pay_in", "pay_out")

_OPEN_SQL = "status = 'open'"


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (
        # One open shift per site, whatever two managers' phones race to do.
        Index(
            "uq_shifts_one_open", "status", unique=True, sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)
        ),
        Index("ix_shifts_opened_at", "opened_at"),
        CheckConstraint("status IN ('open', 'closed')", name="status_valid"),
        CheckConstraint("opening_float >= 0", name="float_not_negative"),
        CheckConstraint("counted_cash IS NULL OR counted_cash >= 0", name="counted_not_negative"),
        CheckConstraint("(status = 'open') = (closed_at IS NULL)", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    opening_float: Mapped[int]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Set at close and never changed again: what the drawer should hold, what was counted, and the difference.
    expected_cash: Mapped[int | None] = mapped_column(default=None)
    counted_cash: Mapped[int | None] = mapped_column(default=None)
    variance: Mapped[int | None] = mapped_column(default=None)
    close_note: Mapped[str | None] = mapped_column(Text, default=None)
    # The shift's report as it stood at close (the X report's figures), kept so reprints never drift.
    closing_report: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    movements: Mapped[list[CashMovement]] = relationship(
        back_populates="shift", lazy="raise", order_by="CashMovement.id", cascade="all, delete-orphan"
    )


class CashMovement(Base):
    """Cash put into (change from the bank) or taken out of (a supplier paid in cash) the drawer, with why."""

    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('pay_in', 'pay_out')", name="kind_valid"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    shift: Mapped[Shift] = relationship(back_populates="movements", lazy="raise")
