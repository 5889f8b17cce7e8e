"""Acceptance: nothing done to the appliance's files, database, configuration or clock unlocks or extends it.

Each test runs the real app on a real SQLite file, stops it, tampers with what is stored, and starts it again
(a restart re-verifies every stored lease). The cloud is faked with respx; during the restarts it is down, so
the decision comes only from what the appliance holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select, update

from local_backend.config import Settings
from local_backend.db import Database
from local_backend.licensing.models import LicenseKey, LicenseLease, LicenseRecord
from shared.lease import LeaseState, SigningKey
from tests.conftest import MANAGER, login
from tests.local_backend.licensing.conftest import activate, call, facts_of, manager_of, running, status_of, sync
from tests.local_backend.licensing.support import START, FakeCloud, jwks_json, tamper_claims, wait_until

_tables = itertools.count(1)


def down(request: httpx.Request, body: Any) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def database_of(client: TestClient) -> Any:
    return client.app.state.database  # type: ignore[attr-defined]


def try_open(client: TestClient) -> Any:
    """Open an order on a new table (as the manager): the guarded route."""
    headers = login(client, *MANAGER)
    number = next(_tables)
    table = client.post("/api/tables/", json={"number": number}, headers=headers)
    assert table.status_code == 201, table.text
    return client.post("/api/orders/", json={"table_id": table.json()["id"]}, headers=headers)


def assert_refused(client: TestClient, status: int, code: str) -> None:
    resp = try_open(client)
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code


@contextmanager
def offline_restart(settings, clock, cloud: FakeCloud, **overrides: Any) -> Iterator[TestClient]:
    """Start again with the cloud down, once its startup heartbeat has failed."""
    cloud.respond = down
    with running(settings, clock, **overrides) as client:
        wait_until(lambda: facts_of(client).last_failure_code, what="startup heartbeat")
        yield client


def edit(settings: Settings, *statements: Any) -> None:
    """Change the database while the appliance is stopped (what someone with the file can do)."""
    database = Database(settings)
    try:
        with database.write_session() as db:
            for statement in statements:
                db.execute(statement)
    finally:
        database.dispose()


def stored_tokens(settings: Settings) -> list[str]:
    database = Database(settings)
    try:
        with database.read_session() as db:
            return list(db.scalars(select(LicenseLease.token).order_by(LicenseLease.id)))
    finally:
        database.dispose()


class TestTamperingWithTheStoredLease:
    def test_editing_a_locked_lease_to_say_active_does_not_unlock(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            cloud.state, cloud.lock_reason = LeaseState.LOCKED, "unpaid"
            clock.advance(minutes=10)
            assert sync(client)["state"] == "locked"
        locked_token = stored_tokens(settings)[-1]
        forged = tamper_claims(locked_token, state="active", lock_reason=None)
        edit(settings, update(LicenseLease).where(LicenseLease.token == locked_token).values(token=forged))
        with offline_restart(settings, clock, cloud) as client:
            body = status_of(client)
            # The forged token fails its signature; the older active lease is a replay: nothing counts.
            assert (body["state"], body["code"]) == ("restricted", "LEASE_EXPIRED")
            assert_refused(client, 402, "LEASE_EXPIRED")

    def test_extending_the_lease_end_in_the_token_does_not_extend_it(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
        (token,) = stored_tokens(settings)
        far = int((START + timedelta(days=3650)).timestamp())
        edit(settings, update(LicenseLease).values(token=tamper_claims(token, lease_end=far, paid_through=far)))
        clock.advance(hours=31)
        with offline_restart(settings, clock, cloud) as client:
            assert status_of(client)["code"] == "LEASE_EXPIRED"
            assert_refused(client, 402, "LEASE_EXPIRED")

    def test_the_plain_columns_are_not_what_counts(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
        edit(
            settings,
            update(LicenseLease).values(
                lease_expires_at=START + timedelta(days=3650), server_time=START + timedelta(days=3000)
            ),
        )
        clock.advance(hours=31)
        with offline_restart(settings, clock, cloud) as client:
            body = status_of(client)
            assert body["code"] == "LEASE_EXPIRED"
            assert body["lease_expires_at"].startswith("2026-11-03T15:00")  # from the signed claims

    def test_a_lease_for_another_site_does_not_count(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
        edit(settings, update(LicenseRecord).values(site_id="site_someone_else"))
        with offline_restart(settings, clock, cloud) as client:
            # The stored lease names the real site: under another site ID it proves nothing.
            assert status_of(client)["code"] == "LEASE_EXPIRED"


class TestReplayingAnOldLease:
    def test_an_older_lease_stored_as_the_newest_row_is_ignored(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            cloud.state = LeaseState.LOCKED
            clock.advance(minutes=10)
            assert sync(client)["state"] == "locked"
        active_token = stored_tokens(settings)[0]
        edit(
            settings,
            insert(LicenseLease).values(
                site_id=cloud.site_id,
                token=active_token,
                server_time=START + timedelta(days=1),
                lease_expires_at=START + timedelta(days=30),
                received_at=START + timedelta(days=1),
                elapsed_seconds=0,
            ),
        )
        with offline_restart(settings, clock, cloud) as client:
            assert status_of(client)["state"] == "locked"
            assert_refused(client, 423, "LICENSE_LOCKED")

    def test_deleting_the_newer_lease_does_not_bring_back_the_older_one(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            cloud.state = LeaseState.LOCKED
            clock.advance(minutes=10)
            assert sync(client)["state"] == "locked"
        newest = stored_tokens(settings)[-1]
        edit(settings, delete(LicenseLease).where(LicenseLease.token == newest))
        with offline_restart(settings, clock, cloud) as client:
            assert status_of(client)["code"] == "LEASE_EXPIRED"
            assert_refused(client, 402, "LEASE_EXPIRED")

    def test_a_cloud_answering_with_a_recorded_lease_is_refused(self, settings, client, clock, cloud, activated):
        recorded = stored_tokens(settings)[0]  # a genuine lease, answering an earlier nonce
        cloud.state = LeaseState.LOCKED
        clock.advance(minutes=10)
        assert sync(client)["state"] == "locked"
        cloud.respond = lambda request, body: cloud.answer(recorded)
        body = sync(client)
        assert body["state"] == "locked"
        assert "answers another heartbeat" in body["last_error"]

    def test_a_lease_older_than_the_one_held_is_refused(self, client, clock, cloud, activated):
        clock.advance(hours=1)
        cloud.state = LeaseState.LOCKED
        assert sync(client)["state"] == "locked"
        # A correctly signed answer to this very nonce, but dated before the lease already held.
        cloud.respond = lambda request, body: cloud.answer(
            cloud.lease(body["nonce"], state=LeaseState.ACTIVE, server_time=START + timedelta(minutes=30))
        )
        body = sync(client)
        assert body["state"] == "locked"
        assert "older than the one this appliance holds" in body["last_error"]


class TestSwappingTheKeys:
    def test_an_attacker_key_in_the_config_is_ignored_once_keys_are_pinned(
        self, settings, clock, cloud, cloud_key: SigningKey, attacker_key: SigningKey
    ):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            cloud.state = LeaseState.LOCKED
            assert sync(client)["state"] == "locked"
        # The attacker points the appliance at their key and runs a "cloud" that signs active leases with it.
        cloud.key, cloud.keys_claim, cloud.state = attacker_key, [attacker_key], LeaseState.ACTIVE
        cloud.respond = None
        with running(settings, clock, license_public_keys=jwks_json(attacker_key)) as client:
            wait_until(lambda: facts_of(client).last_failure_code, what="heartbeat")
            body = sync(client)
            assert body["state"] == "locked"
            assert "does not trust" in body["last_error"]
            assert_refused(client, 423, "LICENSE_LOCKED")
            with database_of(client).read_session() as db:
                assert set(db.scalars(select(LicenseKey.kid))) == {cloud_key.kid}

    def test_before_any_pin_a_lease_from_an_untrusted_key_is_refused(self, client, cloud, attacker_key):
        cloud.key, cloud.keys_claim = attacker_key, [attacker_key]
        resp = activate(client)
        assert resp.status_code == 400
        assert resp.json()["code"] == "LICENSE_ACTIVATION_FAILED"
        assert "does not trust" in resp.json()["detail"]

    def test_the_vendor_key_is_the_anchor_when_none_is_configured(self, settings, clock, cloud):
        # The fake cloud's key is not the vendor's: an appliance with default settings refuses its leases.
        with running(settings, clock, license_public_keys=None) as client:
            resp = activate(client)
            assert resp.status_code == 400
            assert "does not trust" in resp.json()["detail"]


class TestKeyRotation:
    def test_a_next_key_announced_by_a_trusted_lease_is_pinned_and_the_retired_one_dropped(
        self, client, clock, cloud, activated
    ):
        old, new = cloud.key, SigningKey.generate()
        cloud.keys_claim = [old, new]  # the cloud announces its next key
        clock.advance(hours=6)
        assert sync(client)["state"] == "active"
        cloud.key, cloud.keys_claim = new, [new]  # the next key becomes current; the old one retires
        clock.advance(hours=6)
        body = sync(client)
        assert (body["state"], body["last_error"]) == ("active", None)
        database = database_of(client)
        with database.read_session() as db:
            keys = {k.kid: k for k in db.scalars(select(LicenseKey))}
        assert keys[new.kid].retired_at is None
        assert keys[new.kid].source == "lease"
        assert keys[old.kid].retired_at is not None
        # A lease signed with the retired key no longer counts.
        cloud.key = old
        clock.advance(hours=6)
        assert "does not trust" in sync(client)["last_error"]

    def test_a_key_only_in_a_file_is_never_pinned(self, client, clock, cloud, activated, attacker_key):
        manager = manager_of(client)
        assert attacker_key.kid not in manager.pins
        assert set(manager.pins) == {cloud.key.kid}


class TestTheClock:
    def test_a_clock_set_back_is_suspect_until_a_heartbeat_vouches_for_it(self, client, clock, cloud, activated):
        clock.advance(hours=2)
        assert try_open(client).status_code == 201
        clock.set_wall(clock.true - timedelta(hours=1))
        assert_refused(client, 402, "CLOCK_SUSPECT")
        # The cloud answers, but its time is an hour ahead of this clock: still suspect.
        body = sync(client)
        assert (body["state"], body["code"]) == ("restricted", "CLOCK_SUSPECT")
        # Corrected clock: fine again at once.
        clock.set_wall(clock.true)
        assert try_open(client).status_code == 201

    def test_a_clock_that_ran_ahead_and_was_corrected_needs_a_heartbeat(self, client, clock, cloud, activated):
        clock.set_wall(clock.true + timedelta(hours=2))  # a wrong clock, e.g. after a bad NTP answer
        assert status_of(client)["state"] == "active"
        clock.set_wall(clock.true)
        assert_refused(client, 402, "CLOCK_SUSPECT")
        body = sync(client)  # the cloud's time agrees with the corrected clock: the mark is reset
        assert (body["state"], body["code"]) == ("active", "ACTIVE")
        assert try_open(client).status_code == 201

    def test_within_tolerance_the_clock_is_not_suspect(self, client, clock, activated):
        clock.advance(hours=1)
        assert status_of(client)["state"] == "active"
        clock.set_wall(clock.true - timedelta(minutes=4))
        assert try_open(client).status_code == 201

    def test_a_clock_set_back_before_a_restart_is_still_suspect(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            clock.advance(hours=3)
            call(client, manager_of(client).persist_clock)  # the minute tick
        clock.set_wall(clock.true - timedelta(hours=2))
        with offline_restart(settings, clock, cloud) as client:
            assert_refused(client, 402, "CLOCK_SUSPECT")

    def test_setting_the_clock_back_does_not_extend_the_lease_within_a_boot(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            clock.advance(hours=20)
        # Even with the high-water mark edited away, uptime since the lease arrived keeps counting.
        edit(settings, update(LicenseRecord).values(high_water_at=START))
        clock.set_wall(START + timedelta(hours=1))
        with offline_restart(settings, clock, cloud) as client:
            assert status_of(client)["state"] == "warning"  # 20 of 30 hours used
            clock.advance(hours=9, minutes=59)
            assert try_open(client).status_code == 201
            clock.advance(minutes=1)
            assert_refused(client, 402, "LEASE_EXPIRED")

    def test_after_a_crash_in_the_same_boot_uptime_since_the_lease_still_counts(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            clock.advance(hours=20)

            async def crashed() -> None:  # kill -9: no tick ran and no final write happens
                return None

            manager_of(client).persist_clock = crashed  # type: ignore[method-assign]
        edit(settings, update(LicenseRecord).values(high_water_at=START))
        clock.set_wall(START + timedelta(hours=1))
        with offline_restart(settings, clock, cloud) as client:
            clock.advance(hours=10)
            assert_refused(client, 402, "LEASE_EXPIRED")

    def test_elapsed_uptime_survives_a_reboot(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert activate(client).status_code == 200
            clock.advance(hours=20)
        edit(settings, update(LicenseRecord).values(high_water_at=START))
        clock.reboot()
        clock.set_wall(START + timedelta(hours=1))
        with offline_restart(settings, clock, cloud) as client:
            clock.advance(hours=10)
            assert_refused(client, 402, "LEASE_EXPIRED")


class TestTrialAcrossRestarts:
    def test_the_trial_counts_from_first_boot_across_restarts(self, settings, clock, cloud):
        with running(settings, clock) as client:
            assert status_of(client)["days_left"] == 14
        clock.advance(days=10)
        with running(settings, clock) as client:
            assert status_of(client)["days_left"] == 4
            assert try_open(client).status_code == 201
        clock.advance(days=4)
        with running(settings, clock) as client:
            assert_refused(client, 402, "TRIAL_ENDED")
        assert cloud.requests == []

    def test_setting_the_clock_back_does_not_restart_the_trial(self, settings, clock):
        with running(settings, clock) as client:
            clock.advance(days=15)
            assert_refused(client, 402, "TRIAL_ENDED")
        clock.set_wall(START + timedelta(days=1))
        with running(settings, clock) as client:
            assert_refused(client, 402, "CLOCK_SUSPECT")


@pytest.mark.parametrize("bad", ["{not json", '{"keys": []}', "/nonexistent/jwks.json"])
def test_a_broken_key_setting_keeps_the_appliance_running_and_says_why(settings, clock, bad):
    with running(settings, clock, license_public_keys=bad) as client:
        assert status_of(client)["state"] == "trial"
        resp = activate(client)
        assert resp.status_code == 400
        assert "LICENSE_PUBLIC_KEYS" in resp.json()["detail"]
