"""What the appliance keeps about its license: configuration, clock marks, accepted leases and pinned keys.

Nothing here is trusted on its own: a lease counts only after its stored token verifies again against a pinned
key (decision inputs are never read from the plain columns), so editing a row cannot extend a license.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow


class LicenseRecord(Base):
    """The single row (id 1): configuration entered at runtime, clock marks, heartbeat bookkeeping."""

    __tablename__ = "license_records"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    # Set by POST /api/license/activate after a successful heartbeat; wins over SITE_ID/SITE_KEY/CLOUD_URL.
    site_id: Mapped[str | None] = mapped_column(String(64), default=None)
    site_key: Mapped[str | None] = mapped_column(String(256), default=None)
    cloud_url: Mapped[str | None] = mapped_column(String(500), default=None)
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    # The trial counts from here.
    first_boot_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The latest time seen (wall clock, lease server time): a clock earlier than this is suspect.
    high_water_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The server time of the newest accepted lease: a stored lease older than this is a replay.
    newest_server_time: Mapped[datetime | None] = mapped_column(default=None)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    # The cloud's open payment link renewing this license, from the last successful heartbeat (display only).
    renewal_url: Mapped[str | None] = mapped_column(String(500), default=None)


class LicenseLease(Base):
    """An accepted lease: the raw token (re-verified on every load) and when and how it was received."""

    __tablename__ = "license_leases"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(Text)
    # Copies of verified claims for listing and pruning; decisions use the claims of the re-verified token.
    server_time: Mapped[datetime]
    lease_expires_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Uptime elapsed since receipt, persisted every minute so a restart does not reset the lease's clock; within
    # the same boot of the machine the monotonic reading at receipt gives it exactly.
    elapsed_seconds: Mapped[float] = mapped_column(default=0.0)
    boot_id: Mapped[str | None] = mapped_column(String(64), default=None)
    monotonic_at_receipt: Mapped[float | None] = mapped_column(default=None)


class LicenseKey(Base):
    """A pinned lease-signing public key; only active pins are trusted once any exist."""

    __tablename__ = "license_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    jwk: Mapped[dict[str, Any]] = mapped_column()
    # "vendor" / "config": a trust anchor pinned with the first lease; "lease": from the keys claim of a lease.
    source: Mapped[str] = mapped_column(String(20))
    pinned_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a newer lease no longer lists the key (the cloud retired it); a retired key signs nothing here.
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
