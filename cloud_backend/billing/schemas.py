"""Wire shapes of renewals and of the webhook's answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

MAX_MONTHS = 36


class RenewalStatus(StrEnum):
    CREATED = "created"
    PAID = "paid"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class RenewalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    months: int = Field(ge=1, le=MAX_MONTHS, description="License months the payment buys")


class RenewalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site_id: str
    months: int
    amount: int = Field(description="Minor units (paise for INR)")
    currency: str
    payment_link_id: str
    short_url: str = Field(description="The Razorpay payment page to send the restaurant")
    reference_id: str
    status: RenewalStatus
    created_at: datetime
    expire_by: datetime | None
    created_by: str | None = Field(description="The sysadmin's name; null for the renewal job")
    paid_at: datetime | None
    amount_paid: int | None
    razorpay_payment_id: str | None
    extended_from: datetime | None = Field(description="Paid-through date before this payment")
    extended_to: datetime | None = Field(description="Paid-through date after this payment")


class WebhookOutcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"


class WebhookAck(BaseModel):
    """What the cloud did with a delivery (Razorpay only looks at the 2xx)."""

    event_id: str
    outcome: WebhookOutcome
    detail: str
