"""License API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, HttpUrl, StringConstraints

from local_backend.licensing.decision import LicenseCode, LicenseState


class LicenseRead(BaseModel):
    """The license as the appliance sees it now, and how its heartbeats are going."""

    state: LicenseState
    code: LicenseCode = Field(description="Machine-readable: the 402/423 code when restricted or locked")
    reason: str = Field(description="One sentence for staff: what is going on and what to do")
    paid_through: datetime | None
    lease_expires_at: datetime | None = Field(description="New orders stop then unless a heartbeat succeeds")
    last_heartbeat_at: datetime | None = Field(description="Last successful heartbeat")
    next_attempt_at: datetime | None
    trial_ends_at: datetime | None
    days_left: int | None = Field(description="Days until the paid-through date (or the end of the trial)")
    lock_reason: str | None
    allows_orders: bool
    configured: bool = Field(description="A site ID, key and cloud URL are set (else the appliance runs its trial)")
    site_id: str | None
    cloud_url: str | None
    last_attempt_at: datetime | None
    last_error: str | None = Field(description="Why the last heartbeat failed; null when it succeeded")
    renewal_url: str | None = Field(
        default=None, description="The vendor's payment link renewing this license, when one is open (managers)"
    )


SiteId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]
# Sent as an HTTP header: visible ASCII only.
SiteKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256, pattern=r"^[\x21-\x7e]+$")
]


class LicenseActivate(BaseModel):
    site_id: SiteId
    site_key: SiteKey
    cloud_url: HttpUrl | None = Field(default=None, description="Defaults to the configured CLOUD_URL")
