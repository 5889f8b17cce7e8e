"""What the license allows right now: a pure function of the facts the appliance holds and the time.

States, most to least severe:
- locked: the newest valid lease says the site is locked (423 LICENSE_LOCKED on new orders).
- restricted: CLOCK_SUSPECT (the wall clock is behind the high-water mark of time seen), LICENSE_EXPIRED (the
  paid-through date passed, or the cloud says so), LEASE_EXPIRED (no heartbeat succeeded within the lease,
  counted by wall clock *and* by uptime elapsed since the lease arrived), TRIAL_ENDED (never activated and 14
  days since first boot). New orders and new items are refused with 402 and the code.
- warning: still allowed, but the lease is in the second half of its life (heartbeats failing), the cloud
  refused the last heartbeat, or the paid-through date is within 7 days.
- active, trial: allowed.

The evaluation also says how long its answer stays true if both clocks run normally (`stable_for`), so the
order guard can reuse it without recomputing on every request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.lease import Lease, LeaseState

TRIAL_DAYS = 14
CLOCK_TOLERANCE = timedelta(minutes=5)
WARN_BEFORE_PAID_THROUGH = timedelta(days=7)
# Even with no boundary ahead the answer is recomputed this often (it is cheap; this keeps days_left fresh).
MAX_STABLE_SECONDS = 60.0


class LicenseState(StrEnum):
    TRIAL = "trial"
    ACTIVE = "active"
    WARNING = "warning"
    RESTRICTED = "restricted"
    LOCKED = "locked"


class LicenseCode(StrEnum):
    TRIAL = "TRIAL"
    ACTIVE = "ACTIVE"
    LICENSE_EXPIRING = "LICENSE_EXPIRING"
    LEASE_EXPIRING = "LEASE_EXPIRING"
    HEARTBEAT_REJECTED = "HEARTBEAT_REJECTED"
    LICENSE_EXPIRED = "LICENSE_EXPIRED"
    LEASE_EXPIRED = "LEASE_EXPIRED"
    CLOCK_SUSPECT = "CLOCK_SUSPECT"
    TRIAL_ENDED = "TRIAL_ENDED"
    LICENSE_LOCKED = "LICENSE_LOCKED"


# Failure codes of a heartbeat that mean the cloud refused this appliance (not merely that it was unreachable).
REJECTED_FAILURES = frozenset({"SITE_AUTH_FAILED", "LEASE_INVALID"})


@dataclass(frozen=True, slots=True)
class LicenseFacts:
    """Everything the decision depends on besides the time; the lease was re-verified from its stored token."""

    trial_started_at: datetime
    high_water_at: datetime
    lease: Lease | None
    lease_elapsed_seconds: float
    """Uptime elapsed since the lease was received (not wall time: setting the clock back cannot shrink it)."""
    ever_licensed: bool
    last_heartbeat_at: datetime | None = None
    next_attempt_at: datetime | None = None
    last_failure_code: str | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class LicenseStatus:
    state: LicenseState
    code: LicenseCode
    reason: str
    paid_through: datetime | None
    lease_expires_at: datetime | None
    last_heartbeat_at: datetime | None
    next_attempt_at: datetime | None
    trial_ends_at: datetime | None
    days_left: int | None
    lock_reason: str | None = None

    @property
    def allows_orders(self) -> bool:
        return self.state not in (LicenseState.RESTRICTED, LicenseState.LOCKED)


@dataclass(frozen=True, slots=True)
class Evaluation:
    status: LicenseStatus
    stable_for: float
    """Seconds (of wall time and of uptime alike) during which `status` stays the answer."""


def _days(delta: timedelta) -> int:
    return max(0, math.ceil(delta.total_seconds() / 86400))


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def evaluate(facts: LicenseFacts, now: datetime, *, trial_days: int = TRIAL_DAYS) -> Evaluation:
    """The license status at `now` and how long it holds."""
    boundaries: list[float] = [MAX_STABLE_SECONDS]

    def until(moment: datetime) -> None:
        seconds = (moment - now).total_seconds()
        if seconds > 0:
            boundaries.append(seconds)

    suspect_from = facts.high_water_at - CLOCK_TOLERANCE
    suspect = now < suspect_from
    if suspect:
        until(suspect_from)

    def status(state: LicenseState, code: LicenseCode, reason: str, **extra: object) -> LicenseStatus:
        lease = facts.lease
        fields: dict[str, object] = {
            "paid_through": lease.paid_through if lease else None,
            "lease_expires_at": lease.lease_expires_at if lease else None,
            "last_heartbeat_at": facts.last_heartbeat_at,
            "next_attempt_at": facts.next_attempt_at,
            "trial_ends_at": None,
            "days_left": None,
            **extra,
        }
        return LicenseStatus(state=state, code=code, reason=reason, **fields)  # type: ignore[arg-type]

    clock_reason = (
        f"The clock reads {_when(now)}, earlier than time this appliance has already seen "
        f"({_when(facts.high_water_at)}). Set the correct time, then sync the license."
    )
    lease = facts.lease
    if lease is None:
        trial_ends = facts.trial_started_at + timedelta(days=trial_days)
        if facts.ever_licensed:
            result = status(
                LicenseState.RESTRICTED,
                LicenseCode.LEASE_EXPIRED,
                "No valid license lease is stored. Connect to the internet and sync the license.",
            )
        elif suspect:
            result = status(LicenseState.RESTRICTED, LicenseCode.CLOCK_SUSPECT, clock_reason, trial_ends_at=trial_ends)
        elif now >= trial_ends:
            result = status(
                LicenseState.RESTRICTED,
                LicenseCode.TRIAL_ENDED,
                f"The {trial_days}-day trial ended on {_when(trial_ends)}. Activate a license to take new orders.",
                trial_ends_at=trial_ends,
                days_left=0,
            )
        else:
            until(trial_ends)
            left = _days(trial_ends - now)
            result = status(
                LicenseState.TRIAL,
                LicenseCode.TRIAL,
                f"Trial: {left} day{'s' if left != 1 else ''} left. Activate a license to keep taking orders.",
                trial_ends_at=trial_ends,
                days_left=left,
            )
        return Evaluation(result, min(boundaries))

    length = (lease.lease_expires_at - lease.server_time).total_seconds()
    remaining = min((lease.lease_expires_at - now).total_seconds(), length - facts.lease_elapsed_seconds)
    days_left = _days(lease.paid_through - now)
    if lease.state is LeaseState.LOCKED:
        result = status(
            LicenseState.LOCKED,
            LicenseCode.LICENSE_LOCKED,
            f"The license is locked: {lease.lock_reason or 'no reason given'}. Open bills can still be settled.",
            lock_reason=lease.lock_reason,
            days_left=days_left,
        )
    elif suspect:
        result = status(LicenseState.RESTRICTED, LicenseCode.CLOCK_SUSPECT, clock_reason, days_left=days_left)
    elif lease.state is LeaseState.EXPIRED or now >= lease.paid_through:
        result = status(
            LicenseState.RESTRICTED,
            LicenseCode.LICENSE_EXPIRED,
            f"The license expired on {_when(lease.paid_through)}. Renew it, then sync. "
            "Open bills can still be settled.",
            days_left=0,
        )
    elif remaining <= 0:
        result = status(
            LicenseState.RESTRICTED,
            LicenseCode.LEASE_EXPIRED,
            "The appliance has not reached the licensing cloud for too long. Connect it to the internet and sync.",
            days_left=days_left,
        )
    else:
        boundaries.append(remaining)
        until(lease.paid_through)
        half = remaining - length / 2
        warn_from = lease.paid_through - WARN_BEFORE_PAID_THROUGH
        if half <= 0:
            ends = now + timedelta(seconds=remaining)
            cause = f" Last attempt: {facts.last_error}" if facts.last_error else ""
            result = status(
                LicenseState.WARNING,
                LicenseCode.LEASE_EXPIRING,
                f"The licensing cloud has not been reached lately; new orders stop at {_when(ends)} unless it is."
                + cause,
                days_left=days_left,
            )
        elif facts.last_failure_code in REJECTED_FAILURES:
            boundaries.append(half)
            result = status(
                LicenseState.WARNING,
                LicenseCode.HEARTBEAT_REJECTED,
                f"The licensing cloud refused the last heartbeat: {facts.last_error or facts.last_failure_code}.",
                days_left=days_left,
            )
        elif now >= warn_from:
            boundaries.append(half)
            result = status(
                LicenseState.WARNING,
                LicenseCode.LICENSE_EXPIRING,
                f"The license expires on {_when(lease.paid_through)} ({days_left} day{'s' if days_left != 1 else ''}"
                " left). Renew it to keep taking orders.",
                days_left=days_left,
            )
        else:
            boundaries.append(half)
            until(warn_from)
            result = status(
                LicenseState.ACTIVE,
                LicenseCode.ACTIVE,
                f"Licensed through {_when(lease.paid_through)}.",
                days_left=days_left,
            )
    return Evaluation(result, min(boundaries))
