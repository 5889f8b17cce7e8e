"""The appliance's license at run time: the in-memory status, heartbeats, activation and their schedule.

The order guard runs on the hot path, so the status lives in memory: it is recomputed (a pure function, no
database, no signature check) only when the previous answer's `stable_for` ran out by either clock, or the wall
clock went back past the high-water mark; heartbeats and activation replace the facts it is computed from.
Signatures are checked when a lease arrives and when the stored leases are loaded at startup, never per request.

Heartbeats run on the event loop under APScheduler (AsyncIOScheduler, beside the print workers): at startup,
then every HEARTBEAT_INTERVAL_HOURS ±10%; after a failure 1, 5, 15, 60 minutes, then hourly; every 15 minutes
while restricted or locked. An appliance that was never configured sends none (it runs its trial).

Whenever the computed status changes (its state, code or reason) the manager publishes `license.changed` with
the public status to every member of staff, straight to the event bus: the status is memory, not a database
write, and whatever noticed the change (a heartbeat, an activation, a sync, the minute tick seeing a lease
lapse, or the order guard itself) passes through `_compute`, so every path announces it exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.orm import Session

from local_backend import jobs
from local_backend.audit.service import Actor
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.events import Audience
from local_backend.licensing import cloud, service
from local_backend.licensing.clock import LicenseClock, SystemClock
from local_backend.licensing.cloud import Accepted, HeartbeatFailure, SiteConfig
from local_backend.licensing.decision import (
    CLOCK_TOLERANCE,
    LicenseCode,
    LicenseFacts,
    LicenseState,
    LicenseStatus,
    evaluate,
)
from local_backend.licensing.errors import activation_error
from local_backend.licensing.keys import Anchors, load_anchors
from local_backend.licensing.schemas import LicenseRead
from shared.lease import Lease

log = logging.getLogger(__name__)

T = TypeVar("T")

BACKOFF_SECONDS = (60.0, 300.0, 900.0, 3600.0)
RESTRICTED_RETRY_SECONDS = 900.0
JITTER = 0.10
TICK_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 5.0
HEARTBEAT_JOB = "license-heartbeat"
TICK_JOB = "license-tick"
CHANGED_EVENT = "license.changed"


def next_heartbeat_delay(
    *,
    ok: bool,
    failures: int,
    state: LicenseState,
    interval_hours: float,
    retry_after: float | None = None,
    rng: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds until the next heartbeat after one that succeeded (`ok`) or was the `failures`-th in a row to fail."""
    regular = interval_hours * 3600.0 * rng(1 - JITTER, 1 + JITTER)
    backoff = BACKOFF_SECONDS[min(max(failures, 1), len(BACKOFF_SECONDS)) - 1]
    delay = regular if ok else min(backoff, regular)
    if state in (LicenseState.RESTRICTED, LicenseState.LOCKED):
        # A payment or an unlock should take effect within minutes, not at the next regular heartbeat.
        delay = min(delay, RESTRICTED_RETRY_SECONDS)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


@dataclass(frozen=True)
class HeldLease:
    """The newest valid lease and how to count the uptime elapsed since it arrived."""

    id: int
    lease: Lease
    elapsed_base: float
    monotonic_base: float

    def elapsed(self, monotonic: float) -> float:
        return self.elapsed_base + max(0.0, monotonic - self.monotonic_base)


class LicenseManager:
    """One per app: owns the license facts in memory, the cached status and the heartbeat schedule."""

    def __init__(self, database: Database, settings: Settings, *, clock: LicenseClock | None = None) -> None:
        self.database = database
        self.settings = settings
        self.clock: LicenseClock = clock or SystemClock()
        self.anchors: Anchors = Anchors({}, "vendor")
        self.pins: dict[str, dict[str, Any]] = {}
        self.config: SiteConfig | None = None
        self.held: HeldLease | None = None
        self.facts: LicenseFacts | None = None
        self.last_attempt_at: datetime | None = None
        self.renewal_url: str | None = None
        self.failures = 0
        self._high_water = datetime.min.replace(tzinfo=UTC)
        self._status: LicenseStatus | None = None
        self._stable_wall = datetime.min.replace(tzinfo=UTC)
        self._stable_mono = float("-inf")
        self._floor_wall = datetime.min.replace(tzinfo=UTC)
        self._started_mono = self.clock.monotonic()
        # What staff were last told (state, code, reason); None until the first status after loading.
        self._announced: tuple[LicenseState, LicenseCode, str] | None = None
        self._heartbeat_lock: asyncio.Lock | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- configuration ------------------------------------------------------------------------------------

    def env_config(self) -> SiteConfig | None:
        s = self.settings
        if s.site_id and s.site_key and s.site_key.get_secret_value() and s.cloud_url:
            return SiteConfig(site_id=s.site_id, site_key=s.site_key.get_secret_value(), cloud_url=s.cloud_url)
        return None

    @property
    def trusted(self) -> dict[str, dict[str, Any]]:
        """Pinned keys once there are any; the trust anchors before that."""
        return self.pins or self.anchors.keys

    # --- loading (startup) --------------------------------------------------------------------------------

    def load(self) -> None:
        """Read what is stored and re-verify the leases (blocking: at startup, before serving)."""
        self.anchors = load_anchors(self.settings.license_public_keys)
        now, mono = self.clock.now(), self.clock.monotonic()
        self._started_mono = mono
        with self.database.write_session() as db:
            loaded = service.load(db, now=now, env_config=self.env_config(), anchors=self.anchors)
            record = loaded.record
            self.pins = loaded.pins
            self.config = service.stored_config(record) or self.env_config()
            self.held = None
            if loaded.lease is not None:
                stored = loaded.lease
                base = stored.elapsed_seconds
                if stored.boot_id == self.clock.boot_id() and stored.monotonic_at_receipt is not None:
                    base = max(base, mono - stored.monotonic_at_receipt)
                self.held = HeldLease(stored.id, stored.lease, base, mono)
            self._high_water = record.high_water_at
            self.last_attempt_at = record.last_attempt_at
            self.renewal_url = record.renewal_url
            self.failures = record.failures
            self.facts = LicenseFacts(
                trial_started_at=record.first_boot_at,
                high_water_at=record.high_water_at,
                lease=self.held.lease if self.held else None,
                lease_elapsed_seconds=0.0,
                ever_licensed=loaded.ever_licensed,
                last_heartbeat_at=record.last_success_at,
                next_attempt_at=None,
                last_failure_code=record.last_error_code,
                last_error=record.last_error,
            )
        status = self.refresh()
        log.info("license: %s (%s)", status.state.value, status.code.value)

    # --- the status (hot path) ----------------------------------------------------------------------------

    def current(self) -> LicenseStatus:
        """The status now: the cached answer while it holds, else recomputed from the in-memory facts."""
        now = self.clock.now()
        mono = self.clock.monotonic()
        status = self._status
        if status is not None and mono < self._stable_mono and self._floor_wall <= now < self._stable_wall:
            return status
        return self._compute(now, mono)

    def refresh(self) -> LicenseStatus:
        """Recompute now (after the facts changed)."""
        return self._compute(self.clock.now(), self.clock.monotonic())

    def _compute(self, now: datetime, mono: float) -> LicenseStatus:
        facts = self.facts
        if facts is None:
            raise RuntimeError("the license manager was not loaded")
        # The high-water mark only rises here; only a heartbeat the cloud vouches for may lower it.
        self._high_water = max(self._high_water, now)
        elapsed = self.held.elapsed(mono) if self.held else 0.0
        facts = replace(facts, high_water_at=self._high_water, lease_elapsed_seconds=elapsed)
        result = evaluate(facts, now)
        stable = timedelta(seconds=result.stable_for)
        self._status = result.status
        self._stable_wall = now + stable
        self._stable_mono = mono + result.stable_for
        suspect = result.status.code is LicenseCode.CLOCK_SUSPECT
        self._floor_wall = datetime.min.replace(tzinfo=UTC) if suspect else self._high_water - CLOCK_TOLERANCE
        self._announce_if_changed(result.status)
        return result.status

    def public(self, status: LicenseStatus) -> dict[str, Any]:
        """What GET /api/license answers for `status` (also the data of `license.changed`)."""
        config = self.config
        facts = self.facts
        return {
            "state": status.state,
            "code": status.code,
            "reason": status.reason,
            "paid_through": status.paid_through,
            "lease_expires_at": status.lease_expires_at,
            "last_heartbeat_at": status.last_heartbeat_at,
            "next_attempt_at": status.next_attempt_at,
            "trial_ends_at": status.trial_ends_at,
            "days_left": status.days_left,
            "lock_reason": status.lock_reason,
            "allows_orders": status.allows_orders,
            "configured": config is not None,
            "site_id": config.site_id if config else None,
            "cloud_url": config.cloud_url if config else None,
            "last_attempt_at": self.last_attempt_at,
            "last_error": facts.last_error if facts else None,
            "renewal_url": self.renewal_url,
        }

    def _announce_if_changed(self, status: LicenseStatus) -> None:
        seen = (status.state, status.code, status.reason)
        before, self._announced = self._announced, seen
        if before is None or before == seen:
            return  # the status at startup is what every app reads first; nobody was told anything else
        data = LicenseRead.model_validate(self.public(status)).model_dump(mode="json")
        # Not after a commit: nothing here is a database write, and the bus hands over from any thread.
        self.database.events.publish(CHANGED_EVENT, data, Audience.everyone())
        log.info("license now %s (%s)", status.state.value, status.code.value)

    def _set_facts(self, **changes: Any) -> None:
        if self.facts is None:
            raise RuntimeError("the license manager was not loaded")
        self.facts = replace(self.facts, **changes)

    # --- heartbeats ---------------------------------------------------------------------------------------

    def _uptime(self) -> float:
        return self.clock.monotonic() - self._started_mono

    async def _write(self, work: Callable[[Session], T]) -> T:
        return await self.database.writer.run(work)

    def _lock(self) -> asyncio.Lock:
        if self._heartbeat_lock is None:
            self._heartbeat_lock = asyncio.Lock()
        return self._heartbeat_lock

    async def _exchange(self, config: SiteConfig, *, same_site: bool) -> Accepted:
        trusted = self.trusted
        newer_than = self.held.lease.server_time if self.held is not None and same_site else None
        try:
            return await cloud.exchange(config, uptime_seconds=self._uptime(), trusted=trusted, newer_than=newer_than)
        except HeartbeatFailure as failure:
            if failure.code == "LEASE_INVALID" and not trusted and self.anchors.error:
                failure.message = f"{failure.message} ({self.anchors.error})"
            raise

    def _clock_after(self, lease: Lease, now: datetime) -> datetime:
        """The high-water mark after a lease: reset when the cloud's time agrees with ours, else only raised."""
        if abs(lease.server_time - now) <= CLOCK_TOLERANCE:
            return max(now, lease.server_time)
        log.warning("the clock differs from the licensing cloud's by %s", lease.server_time - now)
        return max(self._high_water, now, lease.server_time)

    async def _accept(
        self, config: SiteConfig, accepted: Accepted, *, activate: bool, audit: tuple[str, Actor | None] | None
    ) -> None:
        now, mono = self.clock.now(), self.clock.monotonic()
        lease = accepted.lease
        add, retire = service.pins_after(lease, pinned=self.pins, trusted=self.trusted)
        pin_source = "lease" if self.pins else self.anchors.source
        high_water = self._clock_after(lease, now)
        if self.facts is None:
            raise RuntimeError("the license manager was not loaded")
        fresh = replace(
            self.facts,
            high_water_at=high_water,
            lease=lease,
            lease_elapsed_seconds=0.0,
            ever_licensed=True,
            last_failure_code=None,
            last_error=None,
        )
        state = evaluate(fresh, now).status.state
        delay = self._delay(ok=True, state=state)
        next_at = now + timedelta(seconds=delay)

        def work(db: Session) -> int:
            lease_id = service.accept_lease(
                db,
                config=config,
                accepted_token=accepted.token,
                lease=lease,
                now=now,
                boot_id=self.clock.boot_id(),
                monotonic=mono,
                high_water_at=high_water,
                next_attempt_at=next_at,
                pin=add,
                retire=retire,
                pin_source=pin_source,
                activate=activate,
                renewal_url=accepted.renewal_url,
            )
            if audit is not None:
                action, actor = audit
                service.audit_license(
                    db,
                    action=action,
                    by=actor,
                    data={"site_id": config.site_id, "cloud_url": config.cloud_url, "ok": True, "state": state},
                )
            return lease_id

        lease_id = await self._write(work)
        if add or retire:
            log.info("license keys pinned: %s; retired: %s", sorted(add) or "-", sorted(retire) or "-")
        self.pins = {kid: jwk for kid, jwk in {**self.pins, **add}.items() if kid not in retire}
        self.config = config
        self.held = HeldLease(lease_id, lease, 0.0, mono)
        self._high_water = high_water
        self.last_attempt_at = now
        self.renewal_url = accepted.renewal_url
        self.failures = 0
        self._set_facts(
            lease=lease,
            ever_licensed=True,
            last_heartbeat_at=now,
            next_attempt_at=next_at,
            last_failure_code=None,
            last_error=None,
        )
        self._schedule_heartbeat(delay)

    async def _note_failure(self, failure: HeartbeatFailure, *, audit: tuple[str, Actor | None] | None) -> None:
        now = self.clock.now()
        self.failures += 1
        self.last_attempt_at = now
        self._set_facts(last_failure_code=failure.code, last_error=failure.message)
        state = self.refresh().state
        delay = self._delay(ok=False, state=state, retry_after=failure.retry_after)
        next_at = now + timedelta(seconds=delay)
        failures = self.failures
        config = self.config

        def work(db: Session) -> None:
            service.note_failure(
                db, now=now, code=failure.code, error=failure.message, failures=failures, next_attempt_at=next_at
            )
            if audit is not None:
                action, actor = audit
                service.audit_license(
                    db,
                    action=action,
                    by=actor,
                    data={"site_id": config.site_id if config else None, "ok": False, "error": failure.code},
                )

        await self._write(work)
        self._set_facts(next_attempt_at=next_at)
        self._schedule_heartbeat(delay)

    def _delay(self, *, ok: bool, state: LicenseState, retry_after: float | None = None) -> float:
        return next_heartbeat_delay(
            ok=ok,
            failures=self.failures,
            state=state,
            interval_hours=self.settings.heartbeat_interval_hours,
            retry_after=retry_after,
        )

    async def heartbeat(self, *, by: Actor | None = None) -> LicenseStatus:
        """Heartbeat now with the saved configuration; failures are recorded, never raised. Returns the status."""
        async with self._lock():
            config = self.config
            if config is None:
                return self.refresh()
            audit = ("license.synced", by) if by is not None else None
            try:
                accepted = await self._exchange(config, same_site=True)
            except HeartbeatFailure as failure:
                log.warning("license heartbeat failed: %s (%s)", failure.message, failure.code)
                await self._note_failure(failure, audit=audit)
            else:
                await self._accept(config, accepted, activate=False, audit=audit)
            return self.refresh()

    async def activate(self, config: SiteConfig, *, by: Actor) -> LicenseStatus:
        """Heartbeat with a new configuration and save it only if the cloud answered with a valid lease.

        Raises the API error for the failure when it did not: a typo never replaces a configuration that works.
        """
        async with self._lock():
            same_site = self.config is not None and self.config.site_id == config.site_id
            try:
                accepted = await self._exchange(config, same_site=same_site)
            except HeartbeatFailure as failure:
                log.warning("license activation for %s failed: %s", config.site_id, failure.message)
                code = failure.code

                def work(db: Session) -> None:
                    service.audit_license(
                        db,
                        action="license.activation_failed",
                        by=by,
                        data={"site_id": config.site_id, "cloud_url": config.cloud_url, "error": code},
                    )

                await self._write(work)
                raise activation_error(failure.code, failure.message, failure.retry_after) from failure
            await self._accept(config, accepted, activate=True, audit=("license.activated", by))
            return self.refresh()

    # --- schedule -----------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the schedule (on the running loop): a clock tick every minute and, if configured, heartbeats."""
        self._heartbeat_lock = asyncio.Lock()
        self._scheduler = jobs.every(TICK_SECONDS, self._tick, job_id=TICK_JOB)
        if self.config is not None:
            self._schedule_heartbeat(0.0)

    async def stop(self) -> None:
        """Stop the schedule and keep the clock marks: a clock set back while the appliance was off is caught."""
        scheduler, self._scheduler = self._scheduler, None
        jobs.shut_down(scheduler)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=STOP_TIMEOUT_SECONDS)
        if self.facts is not None:
            try:
                await self.persist_clock()
            except Exception:  # shutting down anyway; the minute tick kept them nearly as fresh
                log.exception("could not keep the license clock marks at shutdown")

    def _schedule_heartbeat(self, delay: float) -> None:
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        # APScheduler runs on the real clock, whatever clock the license decisions use.
        run_at = datetime.now(UTC) + timedelta(seconds=delay)
        scheduler.add_job(
            self._scheduled_heartbeat,
            "date",
            run_date=run_at,
            id=HEARTBEAT_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )
        if self.facts is not None:
            self._set_facts(next_attempt_at=self.clock.now() + timedelta(seconds=delay))
            self.refresh()

    async def _tracked(self, work: Callable[[], Any]) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:  # a scheduled job must never die silently or take the app with it
            log.exception("license job failed")
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def _scheduled_heartbeat(self) -> None:
        await self._tracked(self.heartbeat)

    async def _tick(self) -> None:
        await self._tracked(self.persist_clock)

    async def persist_clock(self) -> None:
        """Recompute the status and keep the high-water mark and the lease's elapsed uptime on disk."""
        self.refresh()
        now, mono = self.clock.now(), self.clock.monotonic()
        high_water = self._high_water
        held = self.held
        elapsed = held.elapsed(mono) if held else 0.0

        def work(db: Session) -> None:
            service.persist_clock(
                db, now=now, high_water_at=high_water, lease_id=held.id if held else None, elapsed=elapsed
            )

        await self._write(work)
