"""POST /api/heartbeat/: site auth by headers, a per-site rate limit shared by replicas, and a signed lease that
verifies against the published JWKS and says what the cloud decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloud_backend.app import create_app
from shared.lease import Lease, LeaseInvalid, LeaseState, keys_from_jwks, verify_lease
from tests.cloud_backend.conftest import (
    START,
    Beat,
    FakeClock,
    RegisteredSite,
    heartbeat,
    login,
    make_settings,
    new_nonce,
    postgres_base_url,
    postgres_schema,
)

Register = Callable[..., RegisteredSite]


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def verified(client: TestClient, site: RegisteredSite, body: dict[str, Any], nonce: str) -> Lease:
    trusted = keys_from_jwks(client.get("/.well-known/jwks.json").json())
    return verify_lease(body["lease"], trusted, site_id=site.site_id, nonce=nonce)


class TestLease:
    def test_an_active_site_gets_a_lease_that_verifies_against_the_jwks(
        self, cloud: TestClient, register_site: Register, beat: Beat
    ) -> None:
        site = register_site(days=30, grace_hours=24)
        nonce = new_nonce()
        resp = beat(site, nonce=nonce)
        assert resp.status_code == 200
        body = resp.json()
        assert body["licensed"] is True
        assert body["locked"] is False
        assert body["lock_reason"] is None
        assert body["expires_at"] == iso(START + timedelta(days=30))
        assert body["server_time"] == iso(START)
        assert body["lease_expires_at"] == iso(START + timedelta(hours=6 + 24))
        assert body["heartbeat_interval_seconds"] == 6 * 3600
        lease = verified(cloud, site, body, nonce)
        assert lease.state is LeaseState.ACTIVE
        assert lease.lock_reason is None
        assert lease.paid_through == START + timedelta(days=30)
        assert lease.server_time == START
        assert lease.lease_expires_at == START + timedelta(hours=30)
        assert lease.nonce == nonce
        jwks_kids = {k["kid"] for k in cloud.get("/.well-known/jwks.json").json()["keys"]}
        assert {k["kid"] for k in lease.keys} == jwks_kids
        assert lease.kid in jwks_kids

    def test_the_lease_answers_only_this_heartbeat_and_this_site(
        self, cloud: TestClient, register_site: Register, beat: Beat
    ) -> None:
        site, other = register_site(), register_site()
        nonce = new_nonce()
        body = beat(site, nonce=nonce).json()
        with pytest.raises(LeaseInvalid, match="another heartbeat"):
            verified(cloud, site, body, new_nonce())
        with pytest.raises(LeaseInvalid, match="another site"):
            verified(cloud, other, body, nonce)

    def test_the_lease_uses_the_sites_own_grace_and_whole_seconds(
        self, cloud: TestClient, register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site(grace_hours=72)
        clock.advance(seconds=10.75)
        body = beat(site).json()
        assert body["server_time"] == iso(START + timedelta(seconds=10))
        assert body["lease_expires_at"] == iso(START + timedelta(seconds=10, hours=6 + 72))

    def test_a_locked_site_gets_a_signed_lease_saying_locked_with_the_reason(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat
    ) -> None:
        site = register_site()
        cloud.post(f"/api/sites/{site.site_id}/lock", json={"reason": "Unpaid since March"}, headers=admin_headers)
        nonce = new_nonce()
        resp = beat(site, nonce=nonce)
        assert resp.status_code == 200
        body = resp.json()
        assert (body["licensed"], body["locked"], body["lock_reason"]) == (False, True, "Unpaid since March")
        lease = verified(cloud, site, body, nonce)
        assert lease.state is LeaseState.LOCKED
        assert lease.lock_reason == "Unpaid since March"
        cloud.post(f"/api/sites/{site.site_id}/unlock", headers=admin_headers)
        nonce = new_nonce()
        assert verified(cloud, site, beat(site, nonce=nonce).json(), nonce).state is LeaseState.ACTIVE

    def test_an_expired_license_gets_a_lease_saying_expired_until_extended(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site(days=1)
        clock.advance(days=1)  # paid through exactly now: expired
        nonce = new_nonce()
        body = beat(site, nonce=nonce).json()
        assert (body["licensed"], body["locked"]) == (False, False)
        assert verified(cloud, site, body, nonce).state is LeaseState.EXPIRED
        cloud.post(f"/api/sites/{site.site_id}/extend", json={"days": 30}, headers=admin_headers)
        nonce = new_nonce()
        body = beat(site, nonce=nonce).json()
        assert body["licensed"] is True
        assert verified(cloud, site, body, nonce).paid_through == clock.now + timedelta(days=30)

    def test_the_jwks_is_public_and_cacheable(self, cloud: TestClient) -> None:
        resp = cloud.get("/.well-known/jwks.json")
        assert resp.status_code == 200
        assert resp.headers["cache-control"] == "public, max-age=300"
        [key] = resp.json()["keys"]
        assert key["kty"] == "EC"
        assert key["crv"] == "P-256"
        assert key["alg"] == "ES256"
        assert "d" not in key


class TestAuth:
    def test_missing_unknown_or_wrong_credentials_are_401_site_auth_failed(
        self, cloud: TestClient, register_site: Register
    ) -> None:
        site = register_site()
        body: dict[str, Any] = {"version": "1.0", "uptime_seconds": 1, "nonce": new_nonce()}
        for headers in (
            {},
            {"X-Site-ID": site.site_id},
            {"X-Site-Key": site.secret_key},
            {"X-Site-ID": site.site_id, "X-Site-Key": site.secret_key + "x"},
            {"X-Site-ID": site.site_id, "X-Site-Key": ""},
            {"X-Site-ID": "site_unknown", "X-Site-Key": site.secret_key},
            {"X-Site-ID": "x" * 5000, "X-Site-Key": site.secret_key},
            {"X-Site-ID": site.site_id, "X-Site-Key": "k" * 5000},
            {"X-Site-ID": (site.site_id + "\u00e9").encode("latin-1"), "X-Site-Key": site.secret_key},
            {"X-Site-ID": "site_'; DROP TABLE sites; --", "X-Site-Key": site.secret_key},
        ):
            resp = cloud.post("/api/heartbeat/", json=body, headers=headers)
            assert resp.status_code == 401, headers
            assert resp.json() == {"detail": "Unknown site or wrong site key", "code": "SITE_AUTH_FAILED"}

    def test_a_failed_heartbeat_records_nothing(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        heartbeat(cloud, RegisteredSite(site.site_id, "sk_wrong", {}))
        detail = cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()
        assert (detail["heartbeat_count"], detail["last_seen_at"], detail["recent_heartbeats"]) == (0, None, [])

    def test_bad_bodies_are_422_with_a_code(self, cloud: TestClient, register_site: Register) -> None:
        site = register_site()
        bodies: list[Any] = [
            {},
            {"version": "1.0", "uptime_seconds": 1},
            {"version": "1.0", "uptime_seconds": 1, "nonce": "short"},
            {"version": "1.0", "uptime_seconds": 1, "nonce": "has spaces in it, see"},
            {"version": "1.0", "uptime_seconds": -1, "nonce": new_nonce()},
            {"version": "", "uptime_seconds": 1, "nonce": new_nonce()},
            {"version": "v" * 41, "uptime_seconds": 1, "nonce": new_nonce()},
            {"version": "1.0", "uptime_seconds": 2**70, "nonce": new_nonce()},
            {"version": "1.0\u0000", "uptime_seconds": 1, "nonce": new_nonce()},
            {"version": "1.\u00070", "uptime_seconds": 1, "nonce": new_nonce()},
            [],
        ]
        for body in bodies:
            resp = cloud.post("/api/heartbeat/", json=body, headers=site.headers)
            assert resp.status_code == 422, body
            assert resp.json()["code"] == "VALIDATION_ERROR"


class TestRateLimit:
    def test_the_thirteenth_heartbeat_in_a_minute_is_429_with_retry_after(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site()
        for _ in range(12):
            assert beat(site).status_code == 200
        resp = beat(site)
        assert resp.status_code == 429
        assert resp.json()["code"] == "HEARTBEAT_RATE_LIMITED"
        assert resp.headers["Retry-After"] == "60"
        clock.advance(seconds=45)
        assert beat(site).headers["Retry-After"] == "15"
        detail = cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()
        assert detail["heartbeat_count"] == 12  # refused heartbeats are not recorded
        clock.advance(seconds=15)
        assert beat(site).status_code == 200

    def test_the_limit_is_per_site(self, register_site: Register, beat: Beat) -> None:
        noisy, quiet = register_site(), register_site()
        for _ in range(13):
            beat(noisy)
        assert beat(noisy).status_code == 429
        assert beat(quiet).status_code == 200

    def test_the_limit_holds_across_replicas(
        self, cloud_db: str, tmp_path: Path, register_site: Register, clock: FakeClock
    ) -> None:
        site = register_site()
        settings = make_settings(cloud_db, tmp_path, heartbeat_rate_limit_per_minute=4)
        with TestClient(create_app(settings, clock=clock)) as one, TestClient(create_app(settings, clock=clock)) as two:
            codes = [heartbeat(one if n % 2 else two, site).status_code for n in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]


class TestDatabaseTrouble:
    def test_a_heartbeat_connection_the_server_dropped_fails_once_with_503_then_reconnects(
        self, tmp_path: Path
    ) -> None:
        import psycopg

        with postgres_schema() as url:
            app = create_app(make_settings(url, tmp_path))
            with TestClient(app) as client:
                body = {
                    "name": "T",
                    "owner_name": "O",
                    "contact_email": "o@example.com",
                    "license_expires_at": "2030-01-01T00:00:00Z",
                }
                created = client.post("/api/sites/", json=body, headers=login(client)).json()
                site = RegisteredSite(created["site_id"], created["secret_key"], created)
                assert heartbeat(client, site).status_code == 200
                pids = [conn.info.backend_pid for conn in app.state.heartbeats.pool._idle]
                assert pids
                with psycopg.connect(postgres_base_url().replace("+psycopg", ""), autocommit=True) as admin:
                    for pid in pids:
                        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                resp = heartbeat(client, site)
                assert resp.status_code == 503
                assert resp.json()["code"] == "DATABASE_UNAVAILABLE"
                assert resp.headers["Retry-After"] == "1"
                assert heartbeat(client, site).status_code == 200
