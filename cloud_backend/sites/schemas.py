"""Wire shapes of sites: register, read, update, lock."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cloud_backend.alerts.schemas import AlertRead
from cloud_backend.types import NO_CONTROL, LicenseDatetime

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=NO_CONTROL)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_CONTROL)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=3,
        max_length=254,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
    ),
]
GraceHours = Annotated[int, Field(ge=0, le=90 * 24, description="Hours a lease outlives the heartbeat interval")]


class SiteStatus(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    EXPIRED = "expired"
    NEVER_SEEN = "never_seen"
    STALE = "stale"


class SiteSort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    CREATED = "created_at"
    CREATED_DESC = "-created_at"
    LAST_SEEN = "last_seen_at"
    LAST_SEEN_DESC = "-last_seen_at"
    EXPIRES = "license_expires_at"
    EXPIRES_DESC = "-license_expires_at"
    STATUS = "status"


class SiteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    owner_name: Name
    contact_email: Email
    license_expires_at: LicenseDatetime = Field(description="Paid-through date (UTC; naive times are taken as UTC)")
    grace_hours: GraceHours | None = Field(default=None, description="Default LICENSE_GRACE_HOURS")


class SiteUpdate(BaseModel):
    """Only the fields sent change; extending a license is a PUT of `license_expires_at`."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    owner_name: Name | None = None
    contact_email: Email | None = None
    license_expires_at: LicenseDatetime | None = None
    grace_hours: GraceHours | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> SiteUpdate:
        for field in self.model_fields_set:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null; leave it out to keep it")
        return self


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=3660, description="Added to the paid-through date (or to now if it has passed)")


class LockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class SiteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    site_id: str
    name: str
    owner_name: str
    contact_email: str
    is_locked: bool
    lock_reason: str | None
    license_expires_at: datetime
    grace_hours: int
    last_seen_at: datetime | None
    last_seen_ip: str | None
    last_version: str | None
    status: SiteStatus
    created_at: datetime
    updated_at: datetime


class SiteCreated(SiteRead):
    secret_key: str = Field(description="Shown once: only its hash is stored")


class SiteKeyOut(BaseModel):
    site_id: str
    secret_key: str = Field(description="Shown once: only its hash is stored; the old key stopped working")


class HeartbeatRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    ip: str | None
    version: str
    uptime_seconds: int


class SiteDetail(SiteRead):
    locked_at: datetime | None
    last_uptime_seconds: int | None
    heartbeat_count: int
    stale_since: datetime | None
    lease_expires_at: datetime | None = Field(description="When the lease from the last heartbeat runs out")
    recent_heartbeats: list[HeartbeatRead] = Field(description="Newest first (at most 20)")
    alerts: list[AlertRead] = Field(description="Newest first (at most 20)")


class SiteSummary(BaseModel):
    total: int
    active: int
    locked: int
    expired: int
    never_seen: int
    stale: int
