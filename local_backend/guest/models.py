"""Guest ordering: a table's guest session, its shared cart lines and what the guests sent to the staff.

A session is one party at one table: it starts when a guest first writes to the table's cart and ends when the
table's order (the one its guests ordered into) is closed or cancelled, so the next party starts empty. Every
cart write bumps the session's `version` in the same transaction; each added line is its own row, so two guests
adding at once never overwrite each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow

SUBMISSION_STATUSES = ("pending", "accepted", "rejected")


class GuestSession(Base):
    __tablename__ = "guest_sessions"
    __table_args__ = (
        # One running session per table, guaranteed by the database.
        Index(
            "uq_guest_sessions_open_table",
            "table_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        CheckConstraint("version >= 0", name="version_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"), index=True)
    # The table's order this party ordered into (set when one of its submissions reached an order).
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), default=None)
    version: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class GuestCartLine(Base):
    """One line a guest put in the shared cart: the ids to order with, and what it showed when added."""

    __tablename__ = "guest_cart_lines"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 20", name="quantity_in_range"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("guest_sessions.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    product_name: Mapped[str] = mapped_column(String(120))
    product_name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[int]
    option_ids: Mapped[list[Any]] = mapped_column(default=list)
    removed_ingredient_ids: Mapped[list[Any]] = mapped_column(default=list)
    choice_ids: Mapped[list[Any]] = mapped_column(default=list)
    # Names as shown to the guests: ["Extra cheese"], ["Onion"], ["Medium"].
    options: Mapped[list[Any]] = mapped_column(default=list)
    removed: Mapped[list[Any]] = mapped_column(default=list)
    choices: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    nickname: Mapped[str] = mapped_column(String(24))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class GuestSubmission(Base):
    """A cart the guests sent: pending until a waiter accepts or rejects it (or accepted at once in direct mode)."""

    __tablename__ = "guest_submissions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status_valid"),
        Index("ix_guest_submissions_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("guest_sessions.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    nickname: Mapped[str] = mapped_column(String(24))
    # The cart lines as sent (GuestCartLine's fields, ids included), so accepting orders exactly what was shown.
    lines: Mapped[list[Any]] = mapped_column(default=list)
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), default=None)
