"""The license decision (a pure function of the stored facts and the time) and the heartbeat schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from local_backend.licensing.decision import LicenseCode, LicenseFacts, LicenseState, evaluate
from local_backend.licensing.manager import next_heartbeat_delay
from shared.lease import Lease, LeaseState

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def lease(
    *,
    state: LeaseState = LeaseState.ACTIVE,
    server_time: datetime = T0,
    length: timedelta = 30 * H,
    paid_through: datetime = T0 + 60 * D,
    lock_reason: str | None = None,
) -> Lease:
    return Lease(
        site_id="site_1",
        state=state,
        lock_reason=lock_reason,
        paid_through=paid_through,
        lease_expires_at=server_time + length,
        server_time=server_time,
        nonce="n" * 32,
        kid="kid",
    )


def facts(**changes: object) -> LicenseFacts:
    base = LicenseFacts(
        trial_started_at=T0,
        high_water_at=T0,
        lease=None,
        lease_elapsed_seconds=0.0,
        ever_licensed=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# (name, facts, now, expected state, expected code)
CASES = [
    ("a fresh appliance is in trial", facts(), T0, LicenseState.TRIAL, LicenseCode.TRIAL),
    (
        "the last trial minute still allows orders",
        facts(),
        T0 + 14 * D - timedelta(seconds=1),
        LicenseState.TRIAL,
        LicenseCode.TRIAL,
    ),
    ("the trial ends 14 days after first boot", facts(), T0 + 14 * D, LicenseState.RESTRICTED, LicenseCode.TRIAL_ENDED),
    (
        "a trial clock set back is suspect",
        facts(high_water_at=T0 + 3 * D),
        T0 + 3 * D - 6 * timedelta(minutes=1),
        LicenseState.RESTRICTED,
        LicenseCode.CLOCK_SUSPECT,
    ),
    (
        "a clock within the 5-minute tolerance is not suspect",
        facts(high_water_at=T0 + 3 * D),
        T0 + 3 * D - 4 * timedelta(minutes=1),
        LicenseState.TRIAL,
        LicenseCode.TRIAL,
    ),
    (
        "once licensed, losing every valid lease is no way back into a trial",
        facts(ever_licensed=True),
        T0 + H,
        LicenseState.RESTRICTED,
        LicenseCode.LEASE_EXPIRED,
    ),
    (
        "a fresh active lease is active",
        facts(lease=lease(), ever_licensed=True),
        T0 + H,
        LicenseState.ACTIVE,
        LicenseCode.ACTIVE,
    ),
    (
        "a locked lease locks",
        facts(lease=lease(state=LeaseState.LOCKED, lock_reason="unpaid"), ever_licensed=True),
        T0 + H,
        LicenseState.LOCKED,
        LicenseCode.LICENSE_LOCKED,
    ),
    (
        "locked wins over a suspect clock",
        facts(lease=lease(state=LeaseState.LOCKED), high_water_at=T0 + D, ever_licensed=True),
        T0,
        LicenseState.LOCKED,
        LicenseCode.LICENSE_LOCKED,
    ),
    (
        "the cloud saying expired restricts",
        facts(lease=lease(state=LeaseState.EXPIRED, paid_through=T0 - D), ever_licensed=True),
        T0 + H,
        LicenseState.RESTRICTED,
        LicenseCode.LICENSE_EXPIRED,
    ),
    (
        "the paid-through date passing restricts even within the lease",
        facts(lease=lease(paid_through=T0 + 2 * H), ever_licensed=True),
        T0 + 2 * H,
        LicenseState.RESTRICTED,
        LicenseCode.LICENSE_EXPIRED,
    ),
    (
        "the lease end restricts by wall clock",
        facts(lease=lease(), lease_elapsed_seconds=(30 * H).total_seconds() - 1, ever_licensed=True),
        T0 + 30 * H,
        LicenseState.RESTRICTED,
        LicenseCode.LEASE_EXPIRED,
    ),
    (
        "the lease ends by elapsed uptime even if the wall clock says it has time left",
        facts(lease=lease(), lease_elapsed_seconds=(30 * H).total_seconds(), ever_licensed=True),
        T0 + H,
        LicenseState.RESTRICTED,
        LicenseCode.LEASE_EXPIRED,
    ),
    (
        "a clock set back behind the high-water mark is suspect while licensed",
        facts(lease=lease(), high_water_at=T0 + 10 * H, lease_elapsed_seconds=36000, ever_licensed=True),
        T0 + 2 * H,
        LicenseState.RESTRICTED,
        LicenseCode.CLOCK_SUSPECT,
    ),
    (
        "past half of the lease: warning",
        facts(lease=lease(), lease_elapsed_seconds=(15 * H).total_seconds(), ever_licensed=True),
        T0 + 15 * H,
        LicenseState.WARNING,
        LicenseCode.LEASE_EXPIRING,
    ),
    (
        "paid-through within 7 days: warning",
        facts(lease=lease(paid_through=T0 + 7 * D), ever_licensed=True),
        T0 + H,
        LicenseState.WARNING,
        LicenseCode.LICENSE_EXPIRING,
    ),
    (
        "paid-through 8 days away: active",
        facts(lease=lease(paid_through=T0 + 8 * D), ever_licensed=True),
        T0 + H,
        LicenseState.ACTIVE,
        LicenseCode.ACTIVE,
    ),
    (
        "the cloud refusing the site's key: warning while the lease lasts",
        facts(lease=lease(), last_failure_code="SITE_AUTH_FAILED", last_error="wrong key", ever_licensed=True),
        T0 + H,
        LicenseState.WARNING,
        LicenseCode.HEARTBEAT_REJECTED,
    ),
    (
        "an unreachable cloud alone is no warning early in the lease",
        facts(lease=lease(), last_failure_code="CLOUD_UNREACHABLE", ever_licensed=True),
        T0 + H,
        LicenseState.ACTIVE,
        LicenseCode.ACTIVE,
    ),
]


class TestDecision:
    @pytest.mark.parametrize(("name", "given", "now", "state", "code"), CASES, ids=[c[0] for c in CASES])
    def test_the_state_follows_from_the_facts(self, name, given, now, state, code):
        status = evaluate(given, now).status
        assert (status.state, status.code) == (state, code), status.reason
        assert status.allows_orders == (state not in (LicenseState.RESTRICTED, LicenseState.LOCKED))
        assert status.reason

    def test_trial_reports_its_end_and_days_left(self):
        status = evaluate(facts(), T0 + 10 * D + H).status
        assert status.trial_ends_at == T0 + 14 * D
        assert status.days_left == 4
        assert status.paid_through is None

    def test_an_active_status_reports_the_lease(self):
        held = lease()
        status = evaluate(facts(lease=held, ever_licensed=True), T0 + H).status
        assert status.paid_through == held.paid_through
        assert status.lease_expires_at == held.lease_expires_at
        assert status.trial_ends_at is None
        assert status.days_left == 60

    def test_a_locked_status_carries_the_lock_reason(self):
        status = evaluate(
            facts(lease=lease(state=LeaseState.LOCKED, lock_reason="chargeback"), ever_licensed=True), T0
        ).status
        assert status.lock_reason == "chargeback"
        assert "chargeback" in status.reason


class TestStability:
    """How long an answer may be reused: never past the next boundary by either clock."""

    def test_no_answer_is_reused_for_more_than_a_minute(self):
        assert evaluate(facts(), T0).stable_for == 60

    def test_an_answer_is_not_reused_past_the_trial_end(self):
        assert evaluate(facts(), T0 + 14 * D - timedelta(seconds=10)).stable_for == pytest.approx(10)

    def test_an_answer_is_not_reused_past_the_lease_end_by_uptime(self):
        given = facts(lease=lease(), lease_elapsed_seconds=(30 * H).total_seconds() - 5, ever_licensed=True)
        # Wall clock says 29 hours left (clock set back); uptime says 5 seconds.
        assert evaluate(given, T0 + H).stable_for == pytest.approx(5)

    def test_an_answer_is_not_reused_past_the_start_of_the_warning(self):
        given = facts(lease=lease(), lease_elapsed_seconds=(15 * H).total_seconds() - 3, ever_licensed=True)
        assert evaluate(given, T0 + 15 * H - timedelta(seconds=3)).stable_for == pytest.approx(3)

    def test_a_suspect_clock_is_rechecked_when_it_catches_up(self):
        given = facts(high_water_at=T0 + 10 * timedelta(minutes=1))
        assert evaluate(given, T0 + timedelta(minutes=4)).stable_for == pytest.approx(60)
        assert evaluate(given, T0 + timedelta(minutes=4, seconds=30)).stable_for == pytest.approx(30)


def fixed(_low: float, _high: float) -> float:
    return 1.0


class TestSchedule:
    @pytest.mark.parametrize(
        ("ok", "failures", "state", "expected"),
        [
            (True, 0, LicenseState.ACTIVE, 6 * 3600),
            (True, 0, LicenseState.WARNING, 6 * 3600),
            (True, 0, LicenseState.LOCKED, 900),
            (True, 0, LicenseState.RESTRICTED, 900),
            (False, 1, LicenseState.ACTIVE, 60),
            (False, 2, LicenseState.ACTIVE, 300),
            (False, 3, LicenseState.ACTIVE, 900),
            (False, 4, LicenseState.ACTIVE, 3600),
            (False, 9, LicenseState.ACTIVE, 3600),
            (False, 9, LicenseState.RESTRICTED, 900),
            (False, 1, LicenseState.LOCKED, 60),
        ],
    )
    def test_backoff_and_intervals(self, ok, failures, state, expected):
        delay = next_heartbeat_delay(ok=ok, failures=failures, state=state, interval_hours=6, rng=fixed)
        assert delay == expected

    def test_the_regular_interval_has_ten_percent_jitter(self):
        delays = {
            next_heartbeat_delay(ok=True, failures=0, state=LicenseState.ACTIVE, interval_hours=6) for _ in range(50)
        }
        assert len(delays) > 1
        assert all(6 * 3600 * 0.9 <= d <= 6 * 3600 * 1.1 for d in delays)

    def test_a_retry_after_is_respected(self):
        delay = next_heartbeat_delay(
            ok=False, failures=1, state=LicenseState.ACTIVE, interval_hours=6, retry_after=600, rng=fixed
        )
        assert delay == 600

    def test_backoff_never_waits_longer_than_the_regular_interval(self):
        delay = next_heartbeat_delay(ok=False, failures=4, state=LicenseState.ACTIVE, interval_hours=0.25, rng=fixed)
        assert delay == 900
