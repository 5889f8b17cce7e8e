"""Heartbeat wire schemas: what an appliance sends the cloud and what it gets back (both backends import these)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.lease import NONCE_MAX_LENGTH, NONCE_MIN_LENGTH

SITE_ID_HEADER = "X-Site-ID"
SITE_KEY_HEADER = "X-Site-Key"

Nonce = Annotated[
    str,
    StringConstraints(min_length=NONCE_MIN_LENGTH, max_length=NONCE_MAX_LENGTH, pattern=r"^[A-Za-z0-9_-]+$"),
]


class HeartbeatIn(BaseModel):
    """An appliance's heartbeat: who it is comes from the X-Site-ID / X-Site-Key headers."""

    model_config = ConfigDict(extra="ignore")  # newer appliances may say more; the cloud keeps what it knows

    # Shown in the sysadmin panel and its logs: printable text only.
    version: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^\x00-\x1f\x7f]+$")
    ]
    uptime_seconds: int = Field(ge=0, le=10 * 365 * 24 * 3600)
    nonce: Nonce = Field(description="Fresh per heartbeat; echoed inside the signed lease")


class HeartbeatOut(BaseModel):
    """The cloud's answer: the decision in plain fields (for display) and the signed lease (the one that counts)."""

    licensed: bool = Field(description="Active: paid through a future date and not locked")
    locked: bool
    lock_reason: str | None
    expires_at: datetime = Field(description="Paid-through date of the license")
    lease_expires_at: datetime = Field(description="Server time + heartbeat interval + the site's grace")
    server_time: datetime
    heartbeat_interval_seconds: int
    lease: str = Field(description="ES256 JWT (shared/lease.py); keys at /.well-known/jwks.json")
    renewal_url: str | None = Field(
        default=None, max_length=500, description="An open payment link renewing this site's license (display only)"
    )
