"""The heartbeat's database work, the cloud's hot path: one statement per heartbeat on PostgreSQL.

Authentication compares the sha256 of the presented key with the stored hash in constant time
(hmac.compare_digest); an unknown or deregistered site is compared against a dummy hash, so the answer takes
as long either way. Each process keeps the hashes it has read (`KeyHashes`), so a known site costs no read.

Then one UPDATE does the rest: the per-site rate limit (a fixed one-minute window kept in the site row, so it
holds across replicas), last seen time/address/version/uptime, the heartbeat count, the end of a stale
episode, and hands back the license fields the lease is made from. On PostgreSQL the history row is inserted by
the same statement (a data-modifying CTE), run in autocommit on the event loop (db.AsyncPostgres): a heartbeat
is one round trip. The UPDATE repeats "this key hash" and "not deregistered" in its WHERE, so a cached hash
never outlives a key rotation or a deregistration: when the UPDATE matches nothing, the site row is read again
to tell a dead key (401) from the rate limit (429).

SQLite (development) runs the same statements through SQLAlchemy in a worker thread, in one write transaction.
"""

from __future__ import annotations

import hmac
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import Compiled

from cloud_backend.billing.models import Renewal
from cloud_backend.db import AsyncPostgres, Database
from cloud_backend.sites.models import Heartbeat, Site
from shared.clock import ensure_utc
from shared.errors import TooManyRequests, Unauthorized
from shared.security import sha256_hex
from shared.sqltypes import UTCDateTime

RATE_WINDOW = timedelta(minutes=1)
_DUMMY_HASH = sha256_hex("no such site")
_SITE_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_sites = cast(Table, Site.__table__)
_beats = cast(Table, Heartbeat.__table__)
_renewals = cast(Table, Renewal.__table__)


class SiteAuthFailed(Unauthorized):
    code = "SITE_AUTH_FAILED"
    default_detail = "Unknown site or wrong site key"


class HeartbeatRateLimited(TooManyRequests):
    code = "HEARTBEAT_RATE_LIMITED"
    default_detail = "Too many heartbeats from this site; retry later"


@dataclass(frozen=True, slots=True)
class SiteLicense:
    """What a lease is made from, as the heartbeat's UPDATE left it."""

    site_id: str
    is_locked: bool
    lock_reason: str | None
    license_expires_at: datetime
    grace_hours: int
    renewal_url: str | None = None
    """The newest open payment link for this site (display only: the manager pays it to extend the license)."""


class KeyHashes:
    """Key hashes this process has read, by site id (bounded; least recently used go first)."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._hashes: OrderedDict[str, str] = OrderedDict()
        self._max = max_entries

    def get(self, site_id: str) -> str | None:
        found = self._hashes.get(site_id)
        if found is not None:
            self._hashes.move_to_end(site_id)
        return found

    def put(self, site_id: str, key_hash: str) -> None:
        self._hashes[site_id] = key_hash
        self._hashes.move_to_end(site_id)
        while len(self._hashes) > self._max:
            self._hashes.popitem(last=False)

    def forget(self, site_id: str) -> None:
        self._hashes.pop(site_id, None)


# -- statements ----------------------------------------------------------------------------------------------------

_now = bindparam("b_now", type_=UTCDateTime())
_window_over = or_(
    _sites.c.rate_window_start.is_(None),
    _sites.c.rate_window_start <= bindparam("b_window_floor", type_=UTCDateTime()),
)
_AUTH = select(_sites.c.key_hash, _sites.c.rate_window_start).where(
    _sites.c.site_id == bindparam("b_site_id"), _sites.c.deleted_at.is_(None)
)
_RECORD = (
    update(_sites)
    .where(
        _sites.c.site_id == bindparam("b_site_id"),
        _sites.c.key_hash == bindparam("b_key_hash"),
        _sites.c.deleted_at.is_(None),
        or_(_window_over, _sites.c.rate_window_count < bindparam("b_limit")),
    )
    .values(
        rate_window_start=case((_window_over, _now), else_=_sites.c.rate_window_start),
        rate_window_count=case((_window_over, 1), else_=_sites.c.rate_window_count + 1),
        last_seen_at=_now,
        last_seen_ip=bindparam("b_ip"),
        last_version=bindparam("b_version"),
        last_uptime_seconds=bindparam("b_uptime"),
        heartbeat_count=_sites.c.heartbeat_count + 1,
        stale_since=None,
    )
    .returning(
        _sites.c.site_id,
        _sites.c.is_locked,
        _sites.c.lock_reason,
        _sites.c.license_expires_at,
        _sites.c.grace_hours,
    )
)
# Derived at each heartbeat rather than kept on the site, so a paid, cancelled or lapsed link is never offered.
_OPEN_RENEWAL = (
    select(_renewals.c.short_url)
    .where(
        _renewals.c.site_id == bindparam("b_site_id"),
        _renewals.c.status == "created",
        or_(_renewals.c.expire_by.is_(None), _renewals.c.expire_by > _now),
    )
    .order_by(_renewals.c.id.desc())
    .limit(1)
)
_INSERT = insert(_beats).values(
    site_id=bindparam("b_site_id"),
    at=_now,
    ip=bindparam("b_ip"),
    version=bindparam("b_version"),
    uptime_seconds=bindparam("b_uptime"),
)


def _record_with_history() -> Select[Any]:
    """PostgreSQL: the UPDATE above and the history INSERT as one statement."""
    updated = _RECORD.cte("updated")
    history = (
        insert(_beats)
        .from_select(
            ["site_id", "at", "ip", "version", "uptime_seconds"],
            select(updated.c.site_id, _now, bindparam("b_ip"), bindparam("b_version"), bindparam("b_uptime")),
        )
        .cte("history")
    )
    return select(
        updated.c.site_id,
        updated.c.is_locked,
        updated.c.lock_reason,
        updated.c.license_expires_at,
        updated.c.grace_hours,
        _OPEN_RENEWAL.scalar_subquery(),
    ).add_cte(history)


class _PgStatement:
    """A statement compiled once for psycopg (pyformat placeholders), with its constant parameters."""

    def __init__(self, statement: Any) -> None:
        compiled: Compiled = statement.compile(dialect=postgresql.psycopg.dialect())  # type: ignore[no-untyped-call]
        self.sql = str(compiled)
        self.constants = dict(compiled.params)

    def params(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**self.constants, **values}


_PG_AUTH = _PgStatement(_AUTH)
_PG_RECORD = _PgStatement(_record_with_history())


def _params(
    site_id: str, key_hash: str, ip: str | None, version: str, uptime: int, now: datetime, limit: int
) -> dict[str, Any]:
    return {
        "b_site_id": site_id,
        "b_key_hash": key_hash,
        "b_now": now,
        "b_window_floor": now - RATE_WINDOW,
        "b_limit": limit,
        "b_ip": ip[:64] if ip else None,
        "b_version": version,
        "b_uptime": uptime,
    }


def _checked_id(site_id: str | None, key: str | None) -> tuple[str, str]:
    if not site_id or not key or len(key) > 256 or not _SITE_ID.fullmatch(site_id):
        raise SiteAuthFailed()
    return site_id, sha256_hex(key)


def _authentic(key_hash: str, stored: str | None) -> bool:
    return hmac.compare_digest(key_hash, stored if stored is not None else _DUMMY_HASH) and stored is not None


def _refused(stored: tuple[Any, ...] | None, key_hash: str, now: datetime) -> Exception:
    """The UPDATE matched nothing: the rate limit, unless the key changed or the site went meanwhile."""
    if stored is None or not _authentic(key_hash, stored[0]):
        return SiteAuthFailed()
    start = ensure_utc(stored[1]) if stored[1] is not None else now
    wait = max(1, math.ceil((start + RATE_WINDOW - now).total_seconds()))
    return HeartbeatRateLimited(headers={"Retry-After": str(wait)})


def _license(row: tuple[Any, ...]) -> SiteLicense:
    return SiteLicense(
        site_id=row[0],
        is_locked=bool(row[1]),
        lock_reason=row[2],
        license_expires_at=ensure_utc(row[3]),
        grace_hours=int(row[4]),
        renewal_url=row[5] if len(row) > 5 else None,
    )


# -- PostgreSQL, on the event loop -------------------------------------------------------------------------------


async def record_async(
    pool: AsyncPostgres,
    hashes: KeyHashes,
    *,
    site_id: str | None,
    key: str | None,
    ip: str | None,
    version: str,
    uptime_seconds: int,
    now: datetime,
    limit_per_minute: int,
) -> SiteLicense:
    """Authenticate the site and record its heartbeat; 401 SITE_AUTH_FAILED, 429 HEARTBEAT_RATE_LIMITED."""
    site_id, key_hash = _checked_id(site_id, key)
    params = _params(site_id, key_hash, ip, version, uptime_seconds, now, limit_per_minute)
    async with pool.connection() as conn:
        cached = hashes.get(site_id)
        if cached is None or not hmac.compare_digest(key_hash, cached):
            # Not seen yet, or the key differs from the one cached (it may have been rotated): ask the database.
            found = await (await conn.execute(_PG_AUTH.sql, _PG_AUTH.params(params))).fetchone()
            stored = str(found[0]) if found is not None else None
            if not _authentic(key_hash, stored):
                hashes.forget(site_id)
                raise SiteAuthFailed()
            hashes.put(site_id, key_hash)
        row = await (await conn.execute(_PG_RECORD.sql, _PG_RECORD.params(params))).fetchone()
        if row is None:
            hashes.forget(site_id)
            found = await (await conn.execute(_PG_AUTH.sql, _PG_AUTH.params(params))).fetchone()
            raise _refused(found, key_hash, now)
    return _license(row)


# -- SQLite (and anything else), through SQLAlchemy in a worker thread ---------------------------------------------


def record(
    database: Database,
    *,
    site_id: str | None,
    key: str | None,
    ip: str | None,
    version: str,
    uptime_seconds: int,
    now: datetime,
    limit_per_minute: int,
) -> SiteLicense:
    """The same as record_async, through SQLAlchemy in one write transaction."""
    site_id, key_hash = _checked_id(site_id, key)
    params = _params(site_id, key_hash, ip, version, uptime_seconds, now, limit_per_minute)
    with database.write_connection() as conn:
        found = conn.execute(_AUTH, params).first()
        if not _authentic(key_hash, found[0] if found is not None else None):
            raise SiteAuthFailed()
        row = conn.execute(_RECORD, params).first()
        if row is None:
            raise _refused(_reread(conn, params), key_hash, now)
        conn.execute(_INSERT, params)
        renewal_url = conn.execute(_OPEN_RENEWAL, params).scalar()
    return _license((*row, renewal_url))


def _reread(conn: Connection, params: dict[str, Any]) -> tuple[Any, ...] | None:
    found = conn.execute(_AUTH, params).first()
    return tuple(found) if found is not None else None


def prune(db: Session, *, keep_per_site: int, older_than: datetime) -> int:
    """Delete heartbeat history older than a date and beyond the newest `keep_per_site` of each site."""
    old = db.execute(delete(_beats).where(_beats.c.at < older_than))
    ranked = select(
        _beats.c.id,
        func.row_number()
        .over(partition_by=_beats.c.site_id, order_by=(_beats.c.at.desc(), _beats.c.id.desc()))
        .label("rank"),
    ).subquery()
    surplus = select(ranked.c.id).where(ranked.c.rank > keep_per_site)
    extra = db.execute(delete(_beats).where(_beats.c.id.in_(surplus)))
    return int(getattr(old, "rowcount", 0) or 0) + int(getattr(extra, "rowcount", 0) or 0)
