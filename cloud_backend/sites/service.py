"""Sites: register, read with status, update, extend, lock, unlock, rotate the key, deregister."""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cloud_backend.alerts import service as alerts
from cloud_backend.audit import service as audit
from cloud_backend.auth.models import Sysadmin
from cloud_backend.config import Settings
from cloud_backend.sites.models import Heartbeat, Site
from cloud_backend.sites.schemas import (
    HeartbeatRead,
    SiteCreate,
    SiteDetail,
    SiteRead,
    SiteSort,
    SiteStatus,
    SiteSummary,
    SiteUpdate,
)
from shared.errors import Conflict, NotFound
from shared.security import sha256_hex

log = logging.getLogger(__name__)

RECENT = 20


class SiteNotFound(NotFound):
    code = "SITE_NOT_FOUND"
    default_detail = "No such site"


class AlreadyLocked(Conflict):
    code = "ALREADY_LOCKED"
    default_detail = "The site is already locked"


class NotLocked(Conflict):
    code = "NOT_LOCKED"
    default_detail = "The site is not locked"


@dataclass(frozen=True, slots=True)
class Who:
    """The sysadmin acting and where from, for the audit trail."""

    admin: Sysadmin
    ip: str | None


def new_site_id() -> str:
    return "site_" + secrets.token_urlsafe(9)


def new_site_key() -> str:
    return "sk_" + secrets.token_urlsafe(32)


def stale_after(site: Site, settings: Settings) -> timedelta:
    """How long without a heartbeat before a site is stale: the interval plus its grace (its lease has lapsed)."""
    return timedelta(seconds=settings.heartbeat_interval_seconds) + timedelta(hours=site.grace_hours)


def status_of(site: Site, *, now: datetime, settings: Settings) -> SiteStatus:
    """Locked first (an admin decision), then expired, then what the heartbeats say."""
    if site.is_locked:
        return SiteStatus.LOCKED
    if site.license_expires_at <= now:
        return SiteStatus.EXPIRED
    if site.last_seen_at is None:
        return SiteStatus.NEVER_SEEN
    if now - site.last_seen_at > stale_after(site, settings):
        return SiteStatus.STALE
    return SiteStatus.ACTIVE


def read(site: Site, *, now: datetime, settings: Settings) -> SiteRead:
    return SiteRead.model_validate(
        {**_columns(site), "status": status_of(site, now=now, settings=settings)}, from_attributes=False
    )


def _columns(site: Site) -> dict[str, Any]:
    return {c.key: getattr(site, c.key) for c in Site.__table__.columns if c.key != "key_hash"}


def get(db: Session, site_id: str, *, for_update: bool = False) -> Site:
    """A registered (not deregistered) site, or 404."""
    stmt = select(Site).where(Site.site_id == site_id, Site.deleted_at.is_(None))
    if for_update:
        stmt = stmt.with_for_update()
    site = db.scalar(stmt)
    if site is None:
        raise SiteNotFound()
    return site


def register(db: Session, *, data: SiteCreate, who: Who, settings: Settings, now: datetime) -> tuple[Site, str]:
    """A new site and its secret key (returned once; only its sha256 is stored)."""
    key = new_site_key()
    site = Site(
        site_id=new_site_id(),
        name=data.name,
        owner_name=data.owner_name,
        contact_email=data.contact_email,
        key_hash=sha256_hex(key),
        license_expires_at=data.license_expires_at,
        grace_hours=data.grace_hours if data.grace_hours is not None else settings.license_grace_hours,
        created_at=now,
        updated_at=now,
    )
    db.add(site)
    db.flush()
    audit.record(
        db,
        action="site.register",
        actor=who.admin,
        ip=who.ip,
        site_id=site.site_id,
        at=now,
        data={
            "name": site.name,
            "owner_name": site.owner_name,
            "contact_email": site.contact_email,
            "license_expires_at": site.license_expires_at.isoformat(),
            "grace_hours": site.grace_hours,
        },
    )
    return site, key


def _sort_key(sort: SiteSort, now: datetime, settings: Settings) -> Any:
    field = sort.value.lstrip("-")
    if field == "status":
        order = {s: i for i, s in enumerate(SiteStatus)}
        return lambda s: (order[status_of(s, now=now, settings=settings)], s.name.lower())
    if field == "name":
        return lambda s: (s.name.lower(), s.site_id)
    # Never-seen sites sort after every seen one whichever the direction.
    return lambda s: (getattr(s, field) is None, getattr(s, field) or now, s.site_id)


def list_sites(
    db: Session,
    *,
    settings: Settings,
    now: datetime,
    status: SiteStatus | None = None,
    q: str | None = None,
    sort: SiteSort = SiteSort.NAME,
    limit: int = 1000,
    offset: int = 0,
) -> list[SiteRead]:
    """Registered sites with their status, filtered and sorted.

    Status depends on the clock and each site's grace, so it is computed here rather than in SQL; a vendor has
    thousands of sites at most, which this handles in milliseconds."""
    stmt = select(Site).where(Site.deleted_at.is_(None))
    if q:
        stmt = stmt.where(
            or_(
                Site.name.icontains(q, autoescape=True),
                Site.owner_name.icontains(q, autoescape=True),
                Site.contact_email.icontains(q, autoescape=True),
                Site.site_id.icontains(q, autoescape=True),
            )
        )
    sites: Sequence[Site] = db.scalars(stmt).all()
    if status is not None:
        sites = [s for s in sites if status_of(s, now=now, settings=settings) is status]
    key = _sort_key(sort, now, settings)
    if sort.value.startswith("-"):
        seen = sorted((s for s in sites if not _is_null_sort(s, sort)), key=key, reverse=True)
        ordered = seen + [s for s in sites if _is_null_sort(s, sort)]
    else:
        ordered = sorted(sites, key=key)
    return [read(s, now=now, settings=settings) for s in ordered[offset : offset + limit]]


def _is_null_sort(site: Site, sort: SiteSort) -> bool:
    return sort.value.lstrip("-") == "last_seen_at" and site.last_seen_at is None


def summary(db: Session, *, settings: Settings, now: datetime) -> SiteSummary:
    """How many registered sites are in each status."""
    counts = Counter(
        status_of(s, now=now, settings=settings) for s in db.scalars(select(Site).where(Site.deleted_at.is_(None)))
    )
    return SiteSummary(total=sum(counts.values()), **{s.value: counts.get(s, 0) for s in SiteStatus})


def detail(db: Session, site: Site, *, settings: Settings, now: datetime) -> SiteDetail:
    """The site with its last heartbeat's details, recent heartbeats and alerts."""
    beats = db.scalars(
        select(Heartbeat).where(Heartbeat.site_id == site.site_id).order_by(Heartbeat.id.desc()).limit(RECENT)
    ).all()
    lease_end = site.last_seen_at + stale_after(site, settings) if site.last_seen_at is not None else None
    return SiteDetail.model_validate(
        {
            **_columns(site),
            "status": status_of(site, now=now, settings=settings),
            "lease_expires_at": lease_end,
            "recent_heartbeats": [HeartbeatRead.model_validate(b) for b in beats],
            "alerts": alerts.list_alerts(db, site_id=site.site_id, limit=RECENT),
        },
        from_attributes=True,
    )


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def update(db: Session, site: Site, *, changes: SiteUpdate, who: Who, now: datetime) -> Site:
    """Change what was sent; a new paid-through date is audited as an extension (or a shortening)."""
    info: dict[str, Any] = {}
    for field in sorted(changes.model_fields_set):
        old, new = getattr(site, field), getattr(changes, field)
        if old == new:
            continue
        if field == "license_expires_at":
            _change_expiry(db, site, new, who=who, now=now)
        else:
            info[field] = {"from": _iso(old), "to": _iso(new)}
            setattr(site, field, new)
    if info:
        site.updated_at = now
        audit.record(db, action="site.update", actor=who.admin, ip=who.ip, site_id=site.site_id, data=info, at=now)
    return site


def _change_expiry(db: Session, site: Site, new: datetime, *, who: Who, now: datetime) -> None:
    old = site.license_expires_at
    site.license_expires_at = new
    site.updated_at = now
    audit.record(
        db,
        action="site.extend" if new > old else "site.shorten",
        actor=who.admin,
        ip=who.ip,
        site_id=site.site_id,
        data={"from": old.isoformat(), "to": new.isoformat()},
        at=now,
    )


def extend(db: Session, site: Site, *, days: int, who: Who, now: datetime) -> Site:
    """Add days to the paid-through date, counted from now if it has already passed."""
    _change_expiry(db, site, max(site.license_expires_at, now) + timedelta(days=days), who=who, now=now)
    return site


def lock(db: Session, site: Site, *, reason: str, who: Who, now: datetime) -> Site:
    """Lock the site: its next lease says locked and the appliance stops taking new orders."""
    if site.is_locked:
        raise AlreadyLocked()
    site.is_locked = True
    site.lock_reason = reason
    site.locked_at = now
    site.updated_at = now
    audit.record(
        db, action="site.lock", actor=who.admin, ip=who.ip, site_id=site.site_id, data={"reason": reason}, at=now
    )
    return site


def unlock(db: Session, site: Site, *, who: Who, now: datetime) -> Site:
    if not site.is_locked:
        raise NotLocked()
    data = {"reason": site.lock_reason}
    site.is_locked = False
    site.lock_reason = None
    site.locked_at = None
    site.updated_at = now
    audit.record(db, action="site.unlock", actor=who.admin, ip=who.ip, site_id=site.site_id, data=data, at=now)
    return site


def rotate_key(db: Session, site: Site, *, who: Who, now: datetime) -> str:
    """A new secret key (returned once); the old one stops working with this commit."""
    key = new_site_key()
    site.key_hash = sha256_hex(key)
    site.updated_at = now
    audit.record(db, action="site.rotate_key", actor=who.admin, ip=who.ip, site_id=site.site_id, at=now)
    return key


def deregister(db: Session, site: Site, *, who: Who, now: datetime) -> None:
    """Soft delete: the key stops working at once and the site is no longer listed; its history stays."""
    site.deleted_at = now
    site.updated_at = now
    audit.record(
        db, action="site.deregister", actor=who.admin, ip=who.ip, site_id=site.site_id, data={"name": site.name}, at=now
    )


def mark_stale(db: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Sites whose last heartbeat is older than interval + grace and not yet alerted: alert once per episode.

    The next heartbeat clears `stale_since`, so a site that goes quiet again gets a new alert."""
    interval = timedelta(seconds=settings.heartbeat_interval_seconds)
    candidates = db.scalars(
        select(Site).where(
            Site.deleted_at.is_(None),
            Site.stale_since.is_(None),
            Site.last_seen_at.is_not(None),
            Site.last_seen_at < now - interval,
        )
    ).all()
    found = []
    for site in candidates:
        last_seen = site.last_seen_at
        if last_seen is None or now - last_seen <= stale_after(site, settings):
            continue
        site.stale_since = now
        message = f"{site.name}: no heartbeat since {last_seen:%Y-%m-%d %H:%M} UTC ({_hours(now - last_seen)} ago)"
        data = {"last_seen_at": last_seen.isoformat(), "last_seen_ip": site.last_seen_ip}
        alerts.record_once(
            db, site_id=site.site_id, kind="site_stale", key=last_seen.isoformat(), message=message, data=data, now=now
        )
        audit.record(db, action="site.stale", actor_name="system", site_id=site.site_id, data=data, at=now)
        found.append(site.site_id)
    return found


def remind_expiring(db: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Sites whose license runs out within EXPIRY_REMINDER_DAYS: one reminder per site and paid-through date.

    There is no mail server: the reminder is an alert for the panel and a log line with the contact email."""
    horizon = now + timedelta(days=settings.expiry_reminder_days)
    sites = db.scalars(
        select(Site).where(Site.deleted_at.is_(None), Site.license_expires_at > now, Site.license_expires_at <= horizon)
    ).all()
    reminded = []
    for site in sites:
        expires = site.license_expires_at
        message = f"{site.name}: license expires {expires:%Y-%m-%d %H:%M} UTC (in {_hours(expires - now)})"
        data = {
            "license_expires_at": expires.isoformat(),
            "owner_name": site.owner_name,
            "contact_email": site.contact_email,
        }
        alert = alerts.record_once(
            db,
            site_id=site.site_id,
            kind="license_expiring",
            key=expires.isoformat(),
            message=message,
            data=data,
            now=now,
        )
        if alert is not None:
            log.info("expiry reminder for %s <%s>: %s", site.site_id, site.contact_email, message)
            reminded.append(site.site_id)
    return reminded


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.0f} h"
