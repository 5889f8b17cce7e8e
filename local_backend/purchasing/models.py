"""Purchase orders to suppliers and the outbox of emails that carry them.

A purchase order's lines are in the stock item's base unit (g, ml or pc, like every stock quantity) with the
unit cost (minor units per kg, per l or per piece) as it stood when the line was written: the price the order
was placed at, which receiving the order passes on to the delivery.

`email_outbox` is written in the transaction that asks for the email, so an email exists exactly when the request
that wanted it committed; the mailer (mailer.py) sends what is due and records the outcome on the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow

PO_STATUSES = ("draft", "sent", "received", "cancelled")
EMAIL_STATUSES = ("queued", "sent", "failed", "cancelled")


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sent', 'received', 'cancelled')", name="status_valid"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint(
            "email_status IS NULL OR email_status IN ('queued', 'sent', 'failed', 'cancelled')",
            name="email_status_valid",
        ),
        Index("ix_purchase_orders_status_supplier_id", "status", "supplier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What people say on the phone ("order 12"): 1, 2, 3 ... handed out by the single writer as max + 1.
    number: Mapped[int] = mapped_column(unique=True)
    # None: the "no supplier" draft, for low items nobody supplies yet; a manager picks the supplier before sending.
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    note: Mapped[str | None] = mapped_column(Text, default=None)
    # None when the appliance drafted it on its own (an item fell to its critical level).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    received_delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL"), default=None
    )
    # The latest email's status (None: never emailed), kept here so a list needs no join into the outbox.
    email_status: Mapped[str | None] = mapped_column(String(16), default=None)

    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="purchase_order",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PurchaseOrderLine.id",
    )


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_not_negative"),
        # One line per item: a draft topped up on a second crossing raises its line, never adds another.
        UniqueConstraint("purchase_order_id", "stock_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"))
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int]
    unit_cost: Mapped[int | None] = mapped_column(default=None)

    purchase_order: Mapped[PurchaseOrder] = relationship(back_populates="lines", lazy="raise")


class EmailOutbox(Base):
    """One email to send: queued until the SMTP server took it (sent) or refused it for good (failed)."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'failed', 'cancelled')", name="status_valid"),
        # The mailer's question, "what is due now?", is a range of this index.
        Index("ix_email_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="SET NULL"), default=None, index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(120), default=None)
    attachment_csv: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
