"""The renewal job (RENEWAL_AUTO_DAYS_BEFORE > 0): one payment link per site and paid-through date, made ahead
of expiry, never a second while one is open, and a Razorpay failure for one site does not stop the others."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloud_backend.billing.jobs import build_jobs
from cloud_backend.config import Settings
from cloud_backend.db import Database
from cloud_backend.jobs.runner import run_once
from tests.cloud_backend.billing.fake_razorpay import (
    PRICE,
    FakeRazorpay,
    Register,
    billing_settings,
    deliver,
    link_event,
)
from tests.cloud_backend.conftest import FakeClock

Renew = Callable[..., Any]


@pytest.fixture
def cloud_settings(cloud_db: str, tmp_path: Path) -> Settings:
    return billing_settings(cloud_db, tmp_path, renewal_auto_days_before=7, renewal_auto_months=12)


@pytest.fixture
def run_job(database: Database, cloud_settings: Settings, clock: FakeClock) -> Callable[[], Any]:
    [job] = build_jobs(cloud_settings)

    def _run() -> Any:
        return run_once(database, job, now=clock.now, runner="test")

    return _run


def renewals(cloud: TestClient, headers: dict[str, str], site_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = cloud.get(f"/api/sites/{site_id}/renewals", headers=headers).json()
    return found


class TestRenewalJob:
    def test_sites_expiring_soon_get_one_link_each(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
        run_job: Callable[[], Any],
        clock: FakeClock,
    ) -> None:
        soon = register_site(days=5)
        later = register_site(days=20)
        already_sent = register_site(days=3)
        expired = register_site(days=-1)
        renew(already_sent, months=1)
        assert run_job() == {"created": [soon.site_id], "failed": []}
        [made] = renewals(cloud, admin_headers, soon.site_id)
        assert (made["months"], made["amount"], made["created_by"]) == (12, 12 * PRICE, "system")
        assert razorpay.create_requests[-1]["notes"] == {"site_id": soon.site_id, "months": "12"}
        assert len(renewals(cloud, admin_headers, already_sent.site_id)) == 1
        assert renewals(cloud, admin_headers, later.site_id) == []
        assert renewals(cloud, admin_headers, expired.site_id) == []
        # Later slots: nothing new while the link is open, and `later` once it comes within 7 days.
        clock.advance(days=1)
        assert run_job() == {"created": [], "failed": []}
        clock.advance(days=12)
        assert run_job()["created"] == [later.site_id]
        assert len(razorpay.created) == 3  # the sysadmin's, soon's, later's

    def test_paying_moves_the_date_on_and_the_next_period_gets_its_own_link(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        razorpay: FakeRazorpay,
        run_job: Callable[[], Any],
        clock: FakeClock,
    ) -> None:
        site = register_site(days=5)
        run_job()
        [first] = renewals(cloud, admin_headers, site.site_id)
        deliver(cloud, link_event("payment_link.paid", razorpay.links[first["payment_link_id"]]))
        clock.advance(days=1)
        assert run_job()["created"] == []  # paid through a year from now
        clock.advance(days=362)  # 7 days before the new date (27 Nov 2027)
        assert run_job()["created"] == [site.site_id]
        assert len(renewals(cloud, admin_headers, site.site_id)) == 2

    def test_a_slot_that_runs_again_after_a_lost_answer_adopts_the_same_link(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        razorpay: FakeRazorpay,
        run_job: Callable[[], Any],
        clock: FakeClock,
    ) -> None:
        site = register_site(days=5)
        razorpay.failures.append(("lost",))
        assert run_job() == {"created": [], "failed": [site.site_id]}
        clock.advance(minutes=5)
        assert run_job() == {"created": [site.site_id], "failed": []}
        [renewal] = renewals(cloud, admin_headers, site.site_id)
        [link] = razorpay.created
        assert renewal["payment_link_id"] == link["id"]

    def test_a_razorpay_failure_for_one_site_does_not_stop_the_others(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        razorpay: FakeRazorpay,
        run_job: Callable[[], Any],
    ) -> None:
        sites = sorted((register_site(days=2) for _ in range(3)), key=lambda s: s.site_id)
        razorpay.failures.append(("status", 500, {"error": {"code": "SERVER_ERROR", "description": "boom"}}))
        result = run_job()
        assert result == {"created": [s.site_id for s in sites[1:]], "failed": [sites[0].site_id]}
        assert [len(renewals(cloud, admin_headers, s.site_id)) for s in sites] == [0, 1, 1]


class TestRenewalJobSettings:
    def test_the_job_is_off_by_default(self, tmp_path: Path) -> None:
        assert build_jobs(billing_settings(f"sqlite:///{tmp_path / 'x.db'}", tmp_path)) == []

    def test_without_keys_the_job_skips(
        self, cloud: TestClient, database: Database, register_site: Register, tmp_path: Path, clock: FakeClock
    ) -> None:
        register_site(days=2)
        settings = billing_settings("sqlite://", tmp_path, renewal_auto_days_before=7, razorpay_key_secret=None)
        [job] = build_jobs(settings)
        result = run_once(database, job, now=clock.now, runner="test")
        assert result == {"skipped": "RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are not set"}
