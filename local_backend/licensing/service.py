"""The license's persistent side: load what is stored (re-verifying every lease), store accepted leases, pin keys.

Trust rules (ARCHITECTURE §4, licensing brief):
- Before any key is pinned, the trust anchors (keys.py) verify leases. The first accepted lease pins keys, and
  from then on only pinned keys count: a changed LICENSE_PUBLIC_KEYS is ignored with a warning.
- A lease signed by a pinned key may bring new keys in its `keys` claim (the cloud's current and next key):
  they are pinned, and pinned keys the claim no longer lists are retired. So the cloud rotates keys without an
  appliance release, and without the appliance ever trusting a key it only read from a file.
- The decision uses the stored lease with the newest server time whose token still verifies for this site; one
  older than the newest server time ever accepted is a replay and counts for nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.audit.service import Actor
from local_backend.licensing.cloud import SiteConfig
from local_backend.licensing.keys import Anchors
from local_backend.licensing.models import LicenseKey, LicenseLease, LicenseRecord
from shared.lease import Lease, LeaseInvalid, verify_lease

log = logging.getLogger(__name__)

KEEP_LEASES = 5
ERROR_MAX = 500


@dataclass(frozen=True)
class StoredLease:
    """A stored lease that verified again, with what is needed to keep counting its elapsed uptime."""

    id: int
    lease: Lease
    received_at: datetime
    elapsed_seconds: float
    boot_id: str | None
    monotonic_at_receipt: float | None


@dataclass(frozen=True)
class Loaded:
    record: LicenseRecord
    pins: dict[str, dict[str, Any]]
    lease: StoredLease | None
    ever_licensed: bool


def _record(db: Session, now: datetime) -> LicenseRecord:
    record = db.get(LicenseRecord, 1)
    if record is None:
        record = LicenseRecord(id=1, first_boot_at=now, high_water_at=now)
        db.add(record)
        db.flush()
    return record


def active_pins(db: Session) -> dict[str, dict[str, Any]]:
    rows = db.scalars(select(LicenseKey).where(LicenseKey.retired_at.is_(None))).all()
    return {row.kid: dict(row.jwk) for row in rows}


def newest_valid_lease(
    db: Session,
    *,
    site_id: str,
    trusted: Mapping[str, Mapping[str, Any]],
    not_before: datetime | None,
) -> StoredLease | None:
    """The stored lease with the newest server time that verifies for this site and is no replay."""
    best: StoredLease | None = None
    rows = db.scalars(select(LicenseLease).where(LicenseLease.site_id == site_id).order_by(LicenseLease.id)).all()
    for row in rows:
        try:
            lease = verify_lease(row.token, trusted, site_id=site_id)
        except LeaseInvalid as exc:
            log.warning("stored lease %s no longer verifies and is ignored: %s", row.id, exc)
            continue
        if not_before is not None and lease.server_time < not_before:
            log.warning("stored lease %s is older than a lease already accepted and is ignored", row.id)
            continue
        if best is None or lease.server_time >= best.lease.server_time:  # a tie: the later answer
            best = StoredLease(
                id=row.id,
                lease=lease,
                received_at=row.received_at,
                elapsed_seconds=max(0.0, row.elapsed_seconds),
                boot_id=row.boot_id,
                monotonic_at_receipt=row.monotonic_at_receipt,
            )
    return best


def load(db: Session, *, now: datetime, env_config: SiteConfig | None, anchors: Anchors) -> Loaded:
    """What is stored, with the lease re-verified; creates the record (and so starts the trial) on first boot."""
    record = _record(db, now)
    record.high_water_at = max(record.high_water_at, now)
    pins = active_pins(db)
    config = stored_config(record) or env_config
    lease: StoredLease | None = None
    if config is not None:
        trusted = pins or anchors.keys
        lease = newest_valid_lease(db, site_id=config.site_id, trusted=trusted, not_before=record.newest_server_time)
    if pins and anchors.source == "config" and not set(anchors.keys) <= set(pins):
        log.warning("LICENSE_PUBLIC_KEYS is ignored: this appliance already pinned its license keys")
    ever = record.newest_server_time is not None or db.scalar(select(LicenseLease.id).limit(1)) is not None
    return Loaded(record=record, pins=pins, lease=lease, ever_licensed=ever)


def stored_config(record: LicenseRecord) -> SiteConfig | None:
    if record.site_id and record.site_key and record.cloud_url:
        return SiteConfig(site_id=record.site_id, site_key=record.site_key, cloud_url=record.cloud_url)
    return None


def pins_after(
    lease: Lease, *, pinned: Mapping[str, Mapping[str, Any]], trusted: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Keys to pin and pinned keys to retire once `lease` (verified with `trusted`) is accepted.

    The signer always stays; the lease's keys claim, when present, is the cloud's current word on its keys.
    """
    claim = {str(k["kid"]): dict(k) for k in lease.keys}
    target = {lease.kid: dict(trusted[lease.kid])}
    if claim:
        target.update(claim)
    else:
        target.update({kid: dict(jwk) for kid, jwk in (pinned or trusted).items()})
    add = {kid: jwk for kid, jwk in target.items() if kid not in pinned}
    retire = set(pinned) - set(target)
    return add, retire


def accept_lease(
    db: Session,
    *,
    config: SiteConfig,
    accepted_token: str,
    lease: Lease,
    now: datetime,
    boot_id: str,
    monotonic: float,
    high_water_at: datetime,
    next_attempt_at: datetime | None,
    pin: Mapping[str, Mapping[str, Any]],
    retire: set[str],
    pin_source: str,
    activate: bool,
    renewal_url: str | None = None,
) -> int:
    """Store an accepted lease, pin keys, note the success; with `activate`, save the configuration too."""
    record = _record(db, now)
    if activate:
        record.site_id, record.site_key, record.cloud_url = config.site_id, config.site_key, config.cloud_url
        record.activated_at = now
    for kid, jwk in pin.items():
        key = db.get(LicenseKey, kid)
        if key is None:
            db.add(LicenseKey(kid=kid, jwk=dict(jwk), source=pin_source, pinned_at=now))
        else:
            key.retired_at = None
    for kid in retire:
        key = db.get(LicenseKey, kid)
        if key is not None:
            key.retired_at = now
    row = LicenseLease(
        site_id=config.site_id,
        token=accepted_token,
        server_time=lease.server_time,
        lease_expires_at=lease.lease_expires_at,
        received_at=now,
        elapsed_seconds=0.0,
        boot_id=boot_id,
        monotonic_at_receipt=monotonic,
    )
    db.add(row)
    db.flush()
    keep = select(LicenseLease.id).order_by(LicenseLease.id.desc()).limit(KEEP_LEASES)
    db.execute(delete(LicenseLease).where(LicenseLease.id.not_in(keep)))
    record.newest_server_time = lease.server_time
    record.high_water_at = high_water_at
    record.last_attempt_at = record.last_success_at = now
    record.renewal_url = renewal_url
    record.last_error_code = record.last_error = None
    record.failures = 0
    record.next_attempt_at = next_attempt_at
    return row.id


def note_failure(
    db: Session, *, now: datetime, code: str, error: str, failures: int, next_attempt_at: datetime | None
) -> None:
    record = _record(db, now)
    record.last_attempt_at = now
    record.last_error_code = code
    record.last_error = error[:ERROR_MAX]
    record.failures = failures
    record.next_attempt_at = next_attempt_at


def persist_clock(db: Session, *, now: datetime, high_water_at: datetime, lease_id: int | None, elapsed: float) -> None:
    """Keep the high-water mark and the lease's elapsed uptime across restarts."""
    record = _record(db, now)
    record.high_water_at = high_water_at
    if lease_id is not None:
        row = db.get(LicenseLease, lease_id)
        if row is not None:
            row.elapsed_seconds = max(row.elapsed_seconds, elapsed)


def audit_license(db: Session, *, action: str, by: Actor | None, data: dict[str, Any]) -> None:
    audit.record(db, action=action, entity_type="license", actor=by, data=data)
