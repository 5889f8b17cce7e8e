"""Kitchen screens (paired displays) and kitchen tickets (one order's items sent in one round to one zone).

A ticket row exists so a ticket has a stable id and its own bump state; its items are the order items with the
same (order, round, zone), so the items' progress lives on order_items where every other view reads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow


class KitchenScreen(Base):
    """A display paired with a long-lived token (only its SHA-256 is stored); revoking keeps the row."""

    __tablename__ = "kitchen_screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # Printer ids: the zones whose tickets the screen shows (an expo screen shows every zone).
    zone_ids: Mapped[list[Any]] = mapped_column(default=list)
    expo: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class KitchenTicket(Base):
    __tablename__ = "kitchen_tickets"
    __table_args__ = (
        UniqueConstraint("order_id", "round", "zone_id"),
        # Open tickets of a zone and the last bumped ones: both read by zone and bump state.
        Index("ix_kitchen_tickets_zone_bumped", "zone_id", "bumped_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    # A printer id, like order_items.printer_zone_id (no foreign key: history outlives a deleted printer).
    zone_id: Mapped[int]
    # Snapshots, as on the paper ticket.
    table_label: Mapped[str] = mapped_column(String(80))
    waiter_name: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    bumped_at: Mapped[datetime | None] = mapped_column(default=None)
