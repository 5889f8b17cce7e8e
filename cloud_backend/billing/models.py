"""Renewals (one Razorpay payment link each) and the webhook events already processed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base
from shared.clock import utcnow

RENEWAL_STATES = ("created", "paid", "cancelled", "expired")


class Renewal(Base):
    """A payment link for `months` of a site's license; `paid` at most once, whatever order the webhooks come in."""

    __tablename__ = "renewals"
    __table_args__ = (
        CheckConstraint("status IN ('created', 'paid', 'cancelled', 'expired')", name="status"),
        CheckConstraint("months >= 1", name="months_positive"),
        # A client's Idempotency-Key means one renewal per site, however often the request is retried.
        UniqueConstraint("site_id", "idempotency_key"),
        Index("ix_renewals_site_id_id", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a payment record outlives anything done to the site (sites are only soft-deleted anyway).
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id"))
    months: Mapped[int]
    amount: Mapped[int]  # minor units (paise)
    currency: Mapped[str] = mapped_column(String(3))
    # Razorpay refuses a second link with the same reference_id: it is what makes a retried create safe.
    reference_id: Mapped[str] = mapped_column(String(40), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), default=None)
    payment_link_id: Mapped[str] = mapped_column(String(64), unique=True)
    short_url: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="created")
    expire_by: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Null for the renewal job and for links only known from a webhook; the name stays if the account goes.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("sysadmins.id", ondelete="SET NULL"), default=None)
    created_by: Mapped[str | None] = mapped_column(String(120), default=None)

    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    amount_paid: Mapped[int | None] = mapped_column(default=None)
    razorpay_payment_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # What the payment did to the paid-through date.
    extended_from: Mapped[datetime | None] = mapped_column(default=None)
    extended_to: Mapped[datetime | None] = mapped_column(default=None)


class WebhookEvent(Base):
    """A Razorpay webhook delivery already handled; the primary key is the dedupe on X-Razorpay-Event-Id.

    Inserted in the same transaction as the event's effect, so an event is either fully applied and recorded
    or neither, and a concurrent second delivery waits on the key and then finds it."""

    __tablename__ = "billing_webhook_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # applied: it changed a renewal; ignored: nothing to do (unknown type, already paid, unknown link).
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    payment_link_id: Mapped[str | None] = mapped_column(String(64), default=None)
    renewal_id: Mapped[int | None] = mapped_column(ForeignKey("renewals.id"), default=None)
    site_id: Mapped[str | None] = mapped_column(String(32), default=None)
