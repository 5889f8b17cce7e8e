"""Lease-signing keys: generate the first, add a next one, activate it, publish the public halves.

Rotation without an appliance release: `keys rotate` adds a *next* key, which is published at once (JWKS and
the `keys` claim of every lease), so appliances pin it from leases signed by the key they already trust.
Once they have had time to heartbeat (a few intervals), `keys activate <kid>` makes it *current* and retires
the old one. Each process caches the keys for KEY_CACHE_SECONDS, so an activation reaches every replica
within that time; until then a replica may still sign with the retired key, which appliances still trust.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud_backend.audit import service as audit
from cloud_backend.db import Database
from cloud_backend.keys.models import SigningKeyRecord
from shared.errors import Conflict, NotFound
from shared.lease import SigningKey, jwks

log = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 30.0


class KeyNotFound(NotFound):
    code = "KEY_NOT_FOUND"
    default_detail = "No such signing key"


class NextKeyExists(Conflict):
    code = "NEXT_KEY_EXISTS"
    default_detail = "A next key already exists; activate it first"


class KeyNotNext(Conflict):
    code = "KEY_NOT_NEXT"
    default_detail = "Only the next key can be activated"


def _new_record(state: str, now: datetime) -> SigningKeyRecord:
    key = SigningKey.generate()
    return SigningKeyRecord(
        kid=key.kid,
        private_pem=key.private_pem,
        public_jwk=key.public,
        state=state,
        created_at=now,
        activated_at=now if state == "current" else None,
    )


def _current(db: Session) -> SigningKeyRecord | None:
    return db.scalar(select(SigningKeyRecord).where(SigningKeyRecord.state == "current"))


def _next(db: Session) -> SigningKeyRecord | None:
    return db.scalar(select(SigningKeyRecord).where(SigningKeyRecord.state == "next"))


def ensure_current(database: Database, *, now: datetime) -> str:
    """The current key's kid, generating the first key when there is none (the first replica wins a race)."""
    try:
        with database.write_session() as db:
            existing = _current(db)
            if existing is not None:
                return existing.kid
            record = _new_record("current", now)
            db.add(record)
            audit.record(db, action="keys.generate", actor_name="system", data={"kid": record.kid}, at=now)
            log.info("generated the first lease-signing key %s", record.kid)
            return record.kid
    except IntegrityError:  # another replica generated one at the same moment: use it
        with database.write_session() as db:
            found = _current(db)
            if found is None:
                raise
            return found.kid


def rotate(db: Session, *, now: datetime, actor: str) -> SigningKeyRecord:
    """Add a next key (published at once, signing only after `activate`)."""
    pending = _next(db)
    if pending is not None:
        raise NextKeyExists(f"Key {pending.kid} is already next; activate it first")
    record = _new_record("next", now)
    db.add(record)
    audit.record(db, action="keys.rotate", actor_name=actor, data={"kid": record.kid}, at=now)
    return record


def activate(db: Session, *, kid: str, now: datetime, actor: str) -> SigningKeyRecord:
    """The next key becomes current; the current one is retired."""
    record = db.get(SigningKeyRecord, kid)
    if record is None:
        raise KeyNotFound(f"No signing key {kid}")
    if record.state != "next":
        raise KeyNotNext(f"Key {kid} is {record.state}; only the next key can be activated")
    old = _current(db)
    if old is not None:
        old.state = "retired"
        old.retired_at = now
        db.flush()  # one current key at a time, even inside this transaction
    record.state = "current"
    record.activated_at = now
    audit.record(
        db,
        action="keys.activate",
        actor_name=actor,
        data={"kid": kid, "retired": old.kid if old is not None else None},
        at=now,
    )
    return record


def list_keys(db: Session) -> Sequence[SigningKeyRecord]:
    return db.scalars(select(SigningKeyRecord).order_by(SigningKeyRecord.created_at, SigningKeyRecord.kid)).all()


def published(db: Session) -> list[dict[str, Any]]:
    """The public keys appliances should trust: current, then next."""
    keys = [k for k in (_current(db), _next(db)) if k is not None]
    return [dict(k.public_jwk) for k in keys]


@dataclass(frozen=True, slots=True)
class Signer:
    """The key leases are signed with and the keys every lease announces."""

    key: SigningKey
    announced: tuple[dict[str, Any], ...]

    def jwks(self) -> dict[str, Any]:
        return jwks(self.announced)


class KeyRing:
    """The signing keys as this process last read them, refreshed every KEY_CACHE_SECONDS."""

    def __init__(self, database: Database, *, ttl: float = KEY_CACHE_SECONDS) -> None:
        self._database = database
        self._ttl = ttl
        self._lock = threading.Lock()
        self._signer: Signer | None = None
        self._loaded_at = 0.0

    def cached(self) -> Signer | None:
        """The signer if it is fresh (no database access: safe on the event loop)."""
        signer = self._signer
        if signer is not None and time.monotonic() - self._loaded_at < self._ttl:
            return signer
        return None

    def signer(self) -> Signer:
        signer = self._signer
        if signer is not None and time.monotonic() - self._loaded_at < self._ttl:
            return signer
        with self._lock:
            if self._signer is None or time.monotonic() - self._loaded_at >= self._ttl:
                self._signer = self._load()
                self._loaded_at = time.monotonic()
            return self._signer

    def refresh(self) -> None:
        with self._lock:
            self._signer = self._load()
            self._loaded_at = time.monotonic()

    def _load(self) -> Signer:
        with self._database.session(write=False) as db:
            current = _current(db)
            if current is None:
                raise RuntimeError("no current lease-signing key (the cloud generates one at startup)")
            announced = tuple(published(db))
            return Signer(key=SigningKey(current.private_pem), announced=announced)
