"""Sites (one per restaurant appliance) and their heartbeat history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base
from shared.clock import utcnow

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a bigint for a table that grows all day.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Site(Base):
    __tablename__ = "sites"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    # sha256 hex of the secret key: the key itself is shown once at registration and never stored.
    key_hash: Mapped[str] = mapped_column(String(64))
    license_expires_at: Mapped[datetime]
    grace_hours: Mapped[int]
    is_locked: Mapped[bool] = mapped_column(default=False)
    lock_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    locked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Deregistered: the key stops working and the site is no longer listed; its history stays.
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    # Written by every heartbeat in one UPDATE (sites/heartbeats.py).
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_ip: Mapped[str | None] = mapped_column(String(64), default=None)
    last_version: Mapped[str | None] = mapped_column(String(40), default=None)
    last_uptime_seconds: Mapped[int | None] = mapped_column(BigInteger, default=None)
    heartbeat_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # Fixed one-minute window of the heartbeat rate limit: when it started and how many heartbeats it took.
    rate_window_start: Mapped[datetime | None] = mapped_column(default=None)
    rate_window_count: Mapped[int] = mapped_column(default=0)
    # Set by the stale-site job when it alerts, cleared by the next heartbeat: one alert per episode.
    stale_since: Mapped[datetime | None] = mapped_column(default=None)


class Heartbeat(Base):
    """One accepted heartbeat; pruned to the newest HEARTBEAT_KEEP_PER_SITE per site within HEARTBEAT_KEEP_DAYS."""

    __tablename__ = "heartbeats"
    __table_args__ = (Index("ix_heartbeats_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(40))
    uptime_seconds: Mapped[int] = mapped_column(BigInteger)
