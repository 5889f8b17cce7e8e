"""The heartbeat client: what it sends, what it accepts, and that every bad answer is recorded, never raised."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from local_backend.db import Database
from local_backend.licensing.manager import TICK_JOB
from local_backend.licensing.models import LicenseLease, LicenseRecord
from shared.lease import SigningKey
from tests.conftest import MANAGER, login
from tests.local_backend.licensing.conftest import call, facts_of, manager_of, running, scheduler_of, status_of, sync
from tests.local_backend.licensing.support import CLOUD_URL, SITE_ID, SITE_KEY, START, FakeCloud, wait_until

ENV_CONFIG = {"site_id": SITE_ID, "site_key": SITE_KEY, "cloud_url": CLOUD_URL}


def bad_answers(cloud: FakeCloud, attacker: SigningKey):
    """(name, respond, code, words in the error) for every way a heartbeat can fail."""

    def raises(exc_type):
        def respond(request, body):
            raise exc_type("boom", request=request)

        return respond

    return [
        ("connection refused", raises(httpx.ConnectError), "CLOUD_UNREACHABLE", "Cannot reach"),
        ("timeout", raises(httpx.ReadTimeout), "CLOUD_UNREACHABLE", "timed out"),
        (
            "wrong key",
            lambda r, b: httpx.Response(401, json={"detail": "Unknown site", "code": "SITE_AUTH_FAILED"}),
            "SITE_AUTH_FAILED",
            "Unknown site",
        ),
        (
            "rate limited",
            lambda r, b: httpx.Response(429, json={"detail": "slow", "code": "HEARTBEAT_RATE_LIMITED"}),
            "HEARTBEAT_RATE_LIMITED",
            "Too many heartbeats",
        ),
        ("server error", lambda r, b: httpx.Response(500, text="oops"), "CLOUD_ERROR", "answered 500"),
        ("redirect", lambda r, b: httpx.Response(302, headers={"Location": "/x"}), "CLOUD_ERROR", "redirected to /x"),
        ("not JSON", lambda r, b: httpx.Response(200, text="<html>"), "BAD_RESPONSE", "not JSON"),
        ("JSON without a lease", lambda r, b: httpx.Response(200, json={"ok": 1}), "BAD_RESPONSE", "no lease"),
        ("a list", lambda r, b: httpx.Response(200, json=[1, 2]), "BAD_RESPONSE", "no lease"),
        ("garbage lease", lambda r, b: cloud.answer("not.a.lease"), "LEASE_INVALID", "refused"),
        (
            "another site's lease",
            lambda r, b: cloud.answer(cloud.lease(b["nonce"], site_id="site_other")),
            "LEASE_INVALID",
            "another site",
        ),
        (
            "another nonce",
            lambda r, b: cloud.answer(cloud.lease("x" * 32)),
            "LEASE_INVALID",
            "another heartbeat",
        ),
        (
            "an untrusted signer",
            lambda r, b: cloud.answer(cloud.lease(b["nonce"], key=attacker)),
            "LEASE_INVALID",
            "does not trust",
        ),
    ]


class TestBadAnswers:
    @pytest.mark.parametrize("index", range(13))
    def test_a_bad_answer_is_recorded_with_a_readable_error_and_changes_nothing(
        self, index, client, cloud, activated, attacker_key, database, clock
    ):
        name, respond, code, words = bad_answers(cloud, attacker_key)[index]
        cloud.respond = respond
        clock.advance(minutes=5)
        status = call(client, manager_of(client).heartbeat)  # the scheduled heartbeat: it must not raise
        assert status.allows_orders, name
        facts = facts_of(client)
        assert facts.last_failure_code == code, name
        assert words in (facts.last_error or ""), name
        with database.read_session() as db:
            record = db.get(LicenseRecord, 1)
            assert (record.last_error_code, record.failures) == (code, 1)
            assert record.last_success_at == START
            assert len(db.scalars(select(LicenseLease)).all()) == 1
        body = status_of(client)
        assert words in body["last_error"]
        assert body["last_heartbeat_at"] == activated["last_heartbeat_at"]

    def test_a_retry_after_pushes_the_next_attempt_back(self, client, cloud, activated, manager_headers):
        cloud.respond = lambda r, b: httpx.Response(429, headers={"Retry-After": "1200"})
        body = sync(client, manager_headers)
        assert body["next_attempt_at"].startswith("2026-11-02T09:20")

    def test_a_success_after_failures_clears_the_error(self, client, cloud, activated, manager_headers):
        cloud.respond = lambda r, b: httpx.Response(500)
        assert sync(client, manager_headers)["last_error"]
        cloud.respond = None
        body = sync(client, manager_headers)
        assert body["last_error"] is None
        assert manager_of(client).failures == 0


class TestWhatIsSent:
    def test_each_heartbeat_sends_the_version_uptime_and_a_fresh_nonce(self, client, clock, cloud, activated):
        clock.advance(hours=2)
        sync(client)
        first, second = (r["body"] for r in cloud.requests)
        assert first["version"] == second["version"] == "0.1.0"
        assert second["uptime_seconds"] - first["uptime_seconds"] == 7200
        assert first["nonce"] != second["nonce"]


class TestConfiguration:
    def test_an_appliance_configured_from_the_environment_heartbeats_at_startup(self, settings, clock, cloud):
        with running(settings, clock, **ENV_CONFIG) as client:
            wait_until(lambda: facts_of(client).last_heartbeat_at is not None, what="the startup heartbeat")
            body = status_of(client)
            assert (body["state"], body["site_id"]) == ("active", SITE_ID)
            assert len(cloud.requests) == 1

    def test_a_configuration_entered_at_runtime_wins_over_the_environment(self, settings, clock, cloud):
        with running(settings, clock, **ENV_CONFIG) as client:
            wait_until(lambda: facts_of(client).last_heartbeat_at is not None, what="the startup heartbeat")
            cloud.site_id, cloud.site_key = "site_new", "sk_new"
            resp = client.post(
                "/api/license/activate",
                json={"site_id": "site_new", "site_key": "sk_new"},
                headers=login(client, *MANAGER),
            )
            assert resp.status_code == 200, resp.text
        with running(settings, clock, **ENV_CONFIG) as client:
            wait_until(lambda: len(cloud.requests) == 3, what="the startup heartbeat")
            assert cloud.requests[-1]["headers"]["x-site-id"] == "site_new"
            assert status_of(client)["site_id"] == "site_new"

    def test_without_a_configuration_no_heartbeat_is_scheduled(self, client, cloud):
        scheduler = scheduler_of(client)
        assert scheduler.get_job("license-heartbeat") is None
        assert scheduler.get_job(TICK_JOB).trigger.interval == timedelta(seconds=60)
        assert cloud.requests == []

    def test_only_the_newest_five_leases_are_kept(self, client, clock, cloud, activated, database):
        for _ in range(7):
            clock.advance(hours=1)
            sync(client)
        with database.read_session() as db:
            kept = db.scalars(select(LicenseLease.server_time).order_by(LicenseLease.id)).all()
        assert kept == [START + timedelta(hours=h) for h in range(3, 8)]


def test_the_tick_keeps_the_clock_marks(client, clock, activated, settings):
    clock.advance(hours=3)
    call(client, manager_of(client).persist_clock)
    database = Database(settings)
    try:
        with database.read_session() as db:
            record = db.get(LicenseRecord, 1)
            assert record is not None
            assert record.high_water_at == START + timedelta(hours=3)
            assert db.scalars(select(LicenseLease.elapsed_seconds)).one() == 3 * 3600
    finally:
        database.dispose()
