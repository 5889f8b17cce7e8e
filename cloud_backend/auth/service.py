"""Sysadmin login with a password, throttled per username and per address across every replica."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cloud_backend.audit import service as audit
from cloud_backend.auth.models import LoginFailure, Sysadmin
from cloud_backend.config import Settings
from shared.errors import TooManyRequests, Unauthorized
from shared.security import SecretHasher, create_token

log = logging.getLogger(__name__)


class InvalidCredentials(Unauthorized):
    code = "INVALID_CREDENTIALS"
    default_detail = "Wrong username or password"
    commit_on_raise = True  # the failure and its audit event must be kept: they are what throttles guessing


class LoginThrottled(TooManyRequests):
    code = "LOGIN_THROTTLED"
    default_detail = "Too many failed logins; try again later"


def find(db: Session, sysadmin_id: int) -> Sysadmin | None:
    return db.get(Sysadmin, sysadmin_id)


def any_sysadmin(db: Session) -> bool:
    return db.scalar(select(Sysadmin.id).limit(1)) is not None


def bootstrap(db: Session, hasher: SecretHasher, *, username: str, password: str) -> Sysadmin | None:
    """Create the first sysadmin when there is none (ADMIN_USERNAME / ADMIN_PASSWORD); None if one exists."""
    if any_sysadmin(db):
        return None
    admin = Sysadmin(username=username, password_hash=hasher.hash(password))
    db.add(admin)
    db.flush()
    audit.record(db, action="sysadmin.seeded", actor_name="system", data={"username": username})
    return admin


def _retry_after(times: list[datetime], *, limit: int, window: timedelta, now: datetime) -> float | None:
    """Seconds until fewer than `limit` of these failures are inside the window; None if that is already so."""
    if len(times) < limit:
        return None
    return (times[len(times) - limit] + window - now).total_seconds()


def _throttled_for(db: Session, settings: Settings, *, username: str, ip: str | None, now: datetime) -> float | None:
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    waits = []
    keys = [LoginFailure.username == username]
    if ip:
        keys.append(LoginFailure.ip == ip)
    for key in keys:
        times = list(db.scalars(select(LoginFailure.at).where(key, LoginFailure.at > since).order_by(LoginFailure.at)))
        wait = _retry_after(times, limit=settings.login_max_failures, window=window, now=now)
        if wait is not None:
            waits.append(wait)
    return max(waits) if waits else None


def login(
    db: Session,
    *,
    settings: Settings,
    hasher: SecretHasher,
    secret_key: str,
    username: str,
    password: str,
    ip: str | None,
    now: datetime,
) -> dict[str, object]:
    """An access token for a right password. Too many failures for the username or the address: 429."""
    throttle_key = username.strip().lower()[:64]
    wait = _throttled_for(db, settings, username=throttle_key, ip=ip, now=now)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        log.warning("login throttled for %r from %s (%d s)", throttle_key, ip, seconds)
        raise LoginThrottled(
            f"Too many failed logins; try again in {math.ceil(seconds / 60)} min",
            headers={"Retry-After": str(seconds)},
        )
    admin = db.scalar(select(Sysadmin).where(Sysadmin.username == username))
    # Unknown and inactive accounts cost a hash check too, so timing does not tell which usernames exist.
    ok = hasher.verify(password, admin.password_hash if admin is not None else None)
    if admin is None or not admin.is_active or not ok:
        db.add(LoginFailure(username=throttle_key, ip=ip, at=now))
        audit.record(
            db,
            action="auth.login_failed",
            actor_name=None,
            ip=ip,
            data={"username": username[:64]},
            at=now,
        )
        raise InvalidCredentials()
    if hasher.needs_rehash(admin.password_hash):
        admin.password_hash = hasher.hash(password)
    admin.last_login_at = now
    db.execute(delete(LoginFailure).where(LoginFailure.username == throttle_key))
    audit.record(db, action="auth.login", actor=admin, ip=ip, at=now)
    expires_in = timedelta(minutes=settings.access_token_expire_minutes)
    token = create_token(
        {"sub": str(admin.id), "ver": admin.token_version, "role": "sysadmin"},
        secret=secret_key,
        expires_in=expires_in,
    )
    return {"access_token": token, "token_type": "bearer", "expires_in": int(expires_in.total_seconds())}


def prune_failures(db: Session, *, before: datetime) -> int:
    """Forget failures older than any throttling window can look back."""
    result = db.execute(delete(LoginFailure).where(LoginFailure.at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def set_password(db: Session, hasher: SecretHasher, *, username: str, password: str, actor: str) -> bool:
    """Create the sysadmin or reset its password (ending its sessions); True if it was created."""
    admin = db.scalar(select(Sysadmin).where(Sysadmin.username == username))
    created = admin is None
    if admin is None:
        admin = Sysadmin(username=username, password_hash=hasher.hash(password))
        db.add(admin)
    else:
        admin.password_hash = hasher.hash(password)
        admin.is_active = True
        admin.token_version += 1
    db.flush()
    audit.record(
        db,
        action="sysadmin.created" if created else "sysadmin.password_reset",
        actor_name=actor,
        data={"username": username},
    )
    return created
