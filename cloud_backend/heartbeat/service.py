"""Answer a heartbeat: record it, decide the license state, sign the lease."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from cloud_backend.config import Settings
from cloud_backend.db import AsyncPostgres, Database
from cloud_backend.keys.service import KeyRing, Signer
from cloud_backend.sites import heartbeats
from shared.errors import Unprocessable
from shared.lease import LeaseState, sign_lease
from shared.wire import HeartbeatIn, HeartbeatOut

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadVersion(Unprocessable):
    code = "VALIDATION_ERROR"
    default_detail = "version: control characters are not allowed"


@dataclass(frozen=True, slots=True)
class Heartbeats:
    """What answering heartbeats needs, built once per app."""

    settings: Settings
    database: Database
    keyring: KeyRing
    hashes: heartbeats.KeyHashes
    # PostgreSQL: the event-loop pool for the hot statement (None on SQLite, which goes through a thread).
    pool: AsyncPostgres | None


def lease_state(granted: heartbeats.SiteLicense, now: datetime) -> LeaseState:
    """Locked if an admin locked it, expired once the paid-through date has come, else active."""
    if granted.is_locked:
        return LeaseState.LOCKED
    if granted.license_expires_at <= now:
        return LeaseState.EXPIRED
    return LeaseState.ACTIVE


async def beat(
    ctx: Heartbeats, *, site_id: str | None, site_key: str | None, ip: str | None, body: HeartbeatIn, now: datetime
) -> HeartbeatOut:
    """Authenticate, rate-limit and record the heartbeat, and answer with a lease signed by the current key.

    A locked or expired site still gets a lease: it is what tells the appliance so."""
    if _CONTROL.search(body.version):
        raise BadVersion()
    # Whole seconds: the lease carries epoch seconds, and the plain fields must say exactly what it says.
    now = now.replace(microsecond=0)
    settings = ctx.settings
    record = {
        "site_id": site_id,
        "key": site_key,
        "ip": ip,
        "version": body.version,
        "uptime_seconds": body.uptime_seconds,
        "now": now,
        "limit_per_minute": settings.heartbeat_rate_limit_per_minute,
    }
    if ctx.pool is not None:
        granted = await heartbeats.record_async(ctx.pool, ctx.hashes, **record)  # type: ignore[arg-type]
    else:
        granted = await run_in_threadpool(lambda: heartbeats.record(ctx.database, **record))  # type: ignore[arg-type]
    signer = ctx.keyring.cached()
    if signer is None:  # every KEY_CACHE_SECONDS: read the keys in a thread, off the event loop
        signer = await run_in_threadpool(ctx.keyring.signer)
    return answer(granted, signer, settings=settings, nonce=body.nonce, now=now)


def answer(
    granted: heartbeats.SiteLicense, signer: Signer, *, settings: Settings, nonce: str, now: datetime
) -> HeartbeatOut:
    """The heartbeat's answer: the decision in plain fields and the signed lease."""
    state = lease_state(granted, now)
    interval = settings.heartbeat_interval_seconds
    lease_end = now + timedelta(seconds=interval, hours=granted.grace_hours)
    lock_reason = granted.lock_reason if granted.is_locked else None
    lease = sign_lease(
        key=signer.key,
        site_id=granted.site_id,
        state=state,
        lock_reason=lock_reason,
        paid_through=granted.license_expires_at,
        lease_expires_at=lease_end,
        server_time=now,
        nonce=nonce,
        keys=signer.announced,
    )
    return HeartbeatOut(
        licensed=state is LeaseState.ACTIVE,
        locked=granted.is_locked,
        lock_reason=lock_reason,
        expires_at=granted.license_expires_at,
        lease_expires_at=lease_end,
        server_time=now,
        heartbeat_interval_seconds=interval,
        lease=lease,
        renewal_url=granted.renewal_url,
    )
