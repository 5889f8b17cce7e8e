"""UPI requests: one QR shown to a guest for a bill or part of it, and what became of it.

A request is `pending` while its QR can take money. A credit seen at the gateway ends it as `paid` (recorded in the
bill's ledger as a 'upi' payment whose reference is the Razorpay payment id, so the ledger's unique reference
keeps a credit from ever counting twice) or as `overpaid` (the money arrived but the bill could not take it:
already settled another way, closed, or less left than the QR asked; kept here for the manager, never applied).
`expired` and `cancelled` QRs are closed at the gateway (`gateway_closed`) and checked one last time for a credit
that raced the close. `failed` means that last check could not be made in time: the manager must look at Razorpay.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow

UPI_STATUSES = ("pending", "paid", "overpaid", "expired", "cancelled", "failed")

# Requests the poller still has to talk to the gateway about: open QRs, and ended ones not yet closed there.
_WATCHED_SQL = "status = 'pending' OR NOT gateway_closed"


class UpiRequest(Base):
    __tablename__ = "upi_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'paid', 'overpaid', 'expired', 'cancelled', 'failed')", name="status_valid"
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("credited_amount IS NULL OR credited_amount > 0", name="credited_positive"),
        Index("ix_upi_requests_watched", "id", sqlite_where=text(_WATCHED_SQL), postgresql_where=text(_WATCHED_SQL)),
        Index("ix_upi_requests_order_status", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sent to the gateway in the QR's notes before the row exists, so a QR always names its request.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    amount: Mapped[int]
    split_part: Mapped[str | None] = mapped_column(String(40), default=None)
    gateway: Mapped[str] = mapped_column(String(16))
    qr_id: Mapped[str] = mapped_column(String(64), unique=True)
    image_url: Mapped[str | None] = mapped_column(Text, default=None)
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    razorpay_payment_id: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
    credited_amount: Mapped[int | None] = mapped_column(default=None)
    # The ledger payment the credit became (paid), or why it could not become one (overpaid).
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id", ondelete="SET NULL"), default=None)
    unapplied_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    gateway_closed: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # An overpaid or failed request waits here until a manager acknowledges it (after refunding or applying it).
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
