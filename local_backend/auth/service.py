"""Login with username + PIN, lockout after repeated failures, rotating refresh tokens."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.auth.models import RefreshToken
from local_backend.auth.throttle import AddressThrottle
from local_backend.config import Settings
from local_backend.staff import service as staff
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import TooManyRequests, Unauthorized
from shared.security import SecretHasher, TokenError, create_token, decode_token, new_secret


class InvalidCredentials(Unauthorized):
    code = "INVALID_CREDENTIALS"
    default_detail = "Wrong username or PIN"
    commit_on_raise = True  # the failed attempt and its audit event must be kept


class PinLockedOut(TooManyRequests):
    code = "PIN_LOCKED"
    default_detail = "Too many wrong PINs; try again later"
    commit_on_raise = True


class RefreshTokenInvalid(Unauthorized):
    code = "REFRESH_TOKEN_INVALID"
    default_detail = "Log in again"
    commit_on_raise = True  # reuse of a rotated token revokes its whole family, and that must stick


def _issue(
    db: Session, settings: Settings, secret_key: str, user: User, family: str | None = None
) -> dict[str, object]:
    jti = new_secret(24)
    family = family or new_secret(12)
    refresh_ttl = timedelta(days=settings.refresh_token_days)
    db.add(RefreshToken(jti=jti, family=family, user_id=user.id, expires_at=utcnow() + refresh_ttl))
    access_ttl = timedelta(minutes=settings.access_token_minutes)
    access = create_token(
        {"sub": str(user.id), "role": user.role, "ver": user.token_version},
        secret=secret_key,
        expires_in=access_ttl,
    )
    refresh = create_token(
        {"sub": str(user.id), "jti": jti, "ver": user.token_version},
        secret=secret_key,
        expires_in=refresh_ttl,
        token_type="refresh",
    )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": int(access_ttl.total_seconds()),
        "user": user,
    }


def _lockout_error(seconds: float) -> PinLockedOut:
    wait = max(1, math.ceil(seconds))
    return PinLockedOut(
        f"Too many wrong PINs; try again in {math.ceil(wait / 60)} min", headers={"Retry-After": str(wait)}
    )


def login(
    db: Session,
    *,
    settings: Settings,
    hasher: SecretHasher,
    secret_key: str,
    username: str,
    pin: str,
    throttle: AddressThrottle | None = None,
    address: str | None = None,
) -> dict[str, object]:
    """Tokens for a correct PIN; counts failures, locking the user out and throttling the address after too many."""
    if throttle is not None:
        throttle.check(address)  # before the PIN check: a throttled device learns nothing, costs no bcrypt
    try:
        user = check_pin(db, settings=settings, hasher=hasher, username=username, pin=pin)
    except (InvalidCredentials, PinLockedOut):
        if throttle is not None:
            throttle.failed(address)
        raise
    audit.record(db, action="auth.login", entity_type="user", entity_id=user.id, actor=user)
    return _issue(db, settings, secret_key, user)


def check_pin(db: Session, *, settings: Settings, hasher: SecretHasher, username: str, pin: str) -> User:
    """The active user with this username and PIN; a wrong PIN counts towards the lockout (login and approvals)."""
    user = staff.find_by_username(db, username)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        raise _lockout_error((user.locked_until - now).total_seconds())
    if user is None or not user.is_active:
        hasher.verify(pin, None)  # same cost as a real check: do not reveal which usernames exist
        audit.record(db, action="auth.login_failed", entity_type="user", data={"username": username[:64]})
        raise InvalidCredentials()
    if not hasher.verify(pin, user.pin_hash):
        user.failed_pin_attempts += 1
        data: dict[str, object] = {"username": user.username, "attempts": user.failed_pin_attempts}
        if user.failed_pin_attempts >= settings.pin_max_attempts:
            user.locked_until = now + timedelta(minutes=settings.pin_lockout_minutes)
            user.failed_pin_attempts = 0
            audit.record(db, action="auth.locked_out", entity_type="user", entity_id=user.id, data=data)
            raise _lockout_error(settings.pin_lockout_minutes * 60)
        audit.record(db, action="auth.login_failed", entity_type="user", entity_id=user.id, data=data)
        raise InvalidCredentials()
    user.failed_pin_attempts = 0
    user.locked_until = None
    if hasher.needs_rehash(user.pin_hash):
        user.pin_hash = hasher.hash(pin)
    return user


def _load_refresh(db: Session, secret_key: str, token: str) -> tuple[RefreshToken, User]:
    try:
        claims = decode_token(token, secret=secret_key, token_type="refresh")
        jti = str(claims["jti"])
        version = int(claims.get("ver", -1))
    except (TokenError, KeyError, TypeError, ValueError) as exc:
        raise RefreshTokenInvalid() from exc
    stored = db.scalars(select(RefreshToken).where(RefreshToken.jti == jti)).first()
    if stored is None:
        raise RefreshTokenInvalid()
    user = staff.find_user(db, stored.user_id)
    if user is None or not user.is_active or user.token_version != version:
        raise RefreshTokenInvalid()
    return stored, user


def refresh(db: Session, *, settings: Settings, secret_key: str, token: str) -> dict[str, object]:
    """Rotate: the presented token is spent and a new pair issued; a spent token used again revokes its family."""
    stored, user = _load_refresh(db, secret_key, token)
    now = utcnow()
    if stored.revoked_at is not None:
        # Someone replayed a rotated token: assume theft and end every session of that login.
        db.execute(
            update(RefreshToken)
            .where(RefreshToken.family == stored.family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        audit.record(db, action="auth.refresh_reuse", entity_type="user", entity_id=user.id, actor=user)
        raise RefreshTokenInvalid()
    if stored.expires_at <= now:
        raise RefreshTokenInvalid()
    stored.revoked_at = now
    return _issue(db, settings, secret_key, user, family=stored.family)


def logout(db: Session, *, secret_key: str, user: User, token: str | None) -> None:
    """Revoke the given refresh token's whole login (all rotations of it)."""
    if token:
        try:
            stored, owner = _load_refresh(db, secret_key, token)
        except RefreshTokenInvalid:
            stored = None
            owner = None
        if stored is not None and owner is not None and owner.id == user.id:
            db.execute(
                update(RefreshToken)
                .where(RefreshToken.family == stored.family, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
    audit.record(db, action="auth.logout", entity_type="user", entity_id=user.id, actor=user)


def revoke_all(db: Session, user: User) -> None:
    """End every session of a user (deactivation, PIN reset): bump the token version, revoke refreshes."""
    user.token_version += 1
    db.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
