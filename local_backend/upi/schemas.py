"""Wire shapes of UPI requests and of the gateway's availability."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

UpiStatus = Literal["pending", "paid", "overpaid", "expired", "cancelled", "failed"]
MAX_AMOUNT = 10**11


class UpiRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Annotated[int, Field(gt=0, le=MAX_AMOUNT)] | None = Field(
        default=None, description="Minor units; at most what is left to pay (the default)"
    )
    split_part: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None = Field(
        default=None, description='Which part of a split the QR pays, e.g. "1/4" or "seat 2"'
    )


class UpiRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    amount: int = Field(description="Minor units the QR asks for (fixed)")
    split_part: str | None
    gateway: str
    qr_id: str
    image_url: str | None = Field(description="The gateway's QR image, when it gives one")
    payload: str | None = Field(description="The upi:// string the QR encodes, when the gateway gives it")
    status: UpiStatus
    razorpay_payment_id: str | None
    credited_amount: int | None
    payment_id: int | None = Field(description="The bill's payment the credit became (status paid)")
    unapplied_reason: str | None = Field(description="Why a credit was kept off the bill (status overpaid)")
    created_by_id: int
    created_at: datetime
    closes_at: datetime
    paid_at: datetime | None
    ended_at: datetime | None
    acknowledged_at: datetime | None
    last_error: str | None


class UpiAvailabilityRead(BaseModel):
    available: bool
    gateway: Literal["razorpay", "fake"] | None
    code: str | None = Field(description="UPI_NOT_CONFIGURED or UPI_UNAVAILABLE when not available")
    reason: str | None = Field(description="Why UPI cannot be used now, to show beside the greyed-out method")
