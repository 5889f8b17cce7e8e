"""Sites: register (secret shown once, only its hash kept), list with status, detail, update, extend, lock, unlock,
rotate the key, deregister; every change in the audit trail."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from cloud_backend.db import Database
from cloud_backend.sites.models import Site
from tests.cloud_backend.conftest import START, Beat, FakeClock, RegisteredSite

Register = Callable[..., RegisteredSite]
SITE_FIELDS = {
    "site_id",
    "name",
    "owner_name",
    "contact_email",
    "is_locked",
    "lock_reason",
    "license_expires_at",
    "grace_hours",
    "last_seen_at",
    "last_seen_ip",
    "status",
}


def audit(client: TestClient, headers: dict[str, str], site_id: str) -> list[dict[str, Any]]:
    resp = client.get("/api/audit/", params={"site_id": site_id}, headers=headers)
    assert resp.status_code == 200
    events: list[dict[str, Any]] = resp.json()
    return events


class TestRegister:
    def test_registering_returns_the_site_and_its_secret_key_once(
        self, cloud: TestClient, admin_headers: dict[str, str], database: Database
    ) -> None:
        body = {
            "name": "Taverna Nikos",
            "owner_name": "Nikos P.",
            "contact_email": "nikos@example.gr",
            "license_expires_at": "2027-11-22T00:00:00Z",
            "grace_hours": 48,
        }
        resp = cloud.post("/api/sites/", json=body, headers=admin_headers)
        assert resp.status_code == 201
        site = resp.json()
        assert site.keys() >= SITE_FIELDS
        assert site["site_id"].startswith("site_")
        assert len(site["site_id"]) >= 16
        assert site["secret_key"].startswith("sk_")
        assert len(site["secret_key"]) >= 40
        assert site["status"] == "never_seen"
        assert site["grace_hours"] == 48
        assert site["is_locked"] is False
        assert site["license_expires_at"] == "2027-11-22T00:00:00Z"
        # Never again: not in the detail, the list, or anywhere the API answers.
        for path in (f"/api/sites/{site['site_id']}", "/api/sites/", "/api/audit/"):
            assert site["secret_key"] not in cloud.get(path, headers=admin_headers).text
        with database.write_session() as db:
            stored = db.get(Site, site["site_id"])
            assert stored is not None
            assert stored.key_hash == hashlib.sha256(site["secret_key"].encode()).hexdigest()
            assert site["secret_key"] not in repr([getattr(stored, c.key) for c in Site.__table__.columns])

    def test_grace_defaults_to_the_license_grace_setting(self, register_site: Register) -> None:
        assert register_site().body["grace_hours"] == 24

    def test_every_site_gets_its_own_id_and_key(self, register_site: Register) -> None:
        sites = [register_site() for _ in range(5)]
        assert len({s.site_id for s in sites}) == len({s.secret_key for s in sites}) == 5

    def test_registering_is_audited_with_who_and_when(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site(name="Ouzeri")
        [event] = audit(cloud, admin_headers, site.site_id)
        assert event["action"] == "site.register"
        assert event["actor_name"] == "root"
        assert event["at"] == START.isoformat().replace("+00:00", "Z")
        assert event["data"]["name"] == "Ouzeri"

    def test_bad_registrations_are_422_with_a_code(self, cloud: TestClient, admin_headers: dict[str, str]) -> None:
        good = {
            "name": "A",
            "owner_name": "B",
            "contact_email": "a@b.gr",
            "license_expires_at": "2027-01-01T00:00:00Z",
        }
        bad_bodies = [
            {},
            {**good, "name": ""},
            {**good, "name": "x" * 121},
            {**good, "contact_email": "not an email"},
            {**good, "license_expires_at": "soon"},
            {**good, "license_expires_at": "9999-12-31T23:59:59-01:00"},
            {**good, "license_expires_at": "1970-01-01T00:00:00Z"},
            {**good, "grace_hours": -1},
            {**good, "grace_hours": 10**12},
            {**good, "site_id": "site_mine"},
            {**good, "is_locked": True},
            {**good, "name": "Nul\u0000byte"},
            {**good, "owner_name": "line\nbreak"},
            {**good, "contact_email": "a\u0000@b.gr"},
        ]
        for body in bad_bodies:
            resp = cloud.post("/api/sites/", json=body, headers=admin_headers)
            assert resp.status_code == 422, body
            assert resp.json()["code"] == "VALIDATION_ERROR"


class TestStatus:
    def test_a_site_is_never_seen_then_active_then_stale(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site(grace_hours=24)

        def status() -> str:
            return str(cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()["status"])

        assert status() == "never_seen"
        assert beat(site).status_code == 200
        assert status() == "active"
        clock.advance(hours=6 + 24)  # exactly interval + grace: not yet
        assert status() == "active"
        clock.advance(seconds=1)
        assert status() == "stale"
        assert beat(site).status_code == 200
        assert status() == "active"

    def test_an_expired_license_and_a_lock_show_whatever_the_heartbeats(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site(days=1)
        beat(site)
        clock.advance(days=1)
        assert cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()["status"] == "expired"
        cloud.post(f"/api/sites/{site.site_id}/lock", json={"reason": "unpaid"}, headers=admin_headers)
        assert cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()["status"] == "locked"

    def test_the_list_filters_by_status_and_the_summary_counts_them(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        stale = register_site(name="Stale")
        beat(stale)
        clock.advance(days=2)
        active = register_site(name="Active")
        beat(active)
        never = register_site(name="Never")
        expired = register_site(name="Expired", days=-1)
        locked = register_site(name="Locked")
        cloud.post(f"/api/sites/{locked.site_id}/lock", json={"reason": "fraud"}, headers=admin_headers)
        expected = {"active": active, "stale": stale, "never_seen": never, "expired": expired, "locked": locked}
        for status, site in expected.items():
            listed = cloud.get("/api/sites/", params={"status": status}, headers=admin_headers).json()
            assert [s["site_id"] for s in listed] == [site.site_id], status
        summary = cloud.get("/api/sites/summary", headers=admin_headers).json()
        assert summary == {"total": 5, "active": 1, "locked": 1, "expired": 1, "never_seen": 1, "stale": 1}

    def test_the_list_sorts_searches_and_pages(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat
    ) -> None:
        b = register_site(name="Beta", days=10)
        a = register_site(name="alpha", days=20)
        c = register_site(name="Gamma 100%", days=5)
        beat(b)

        def ids(**params: object) -> list[str]:
            resp = cloud.get("/api/sites/", params=params, headers=admin_headers)
            assert resp.status_code == 200, resp.text
            return [s["site_id"] for s in resp.json()]

        assert ids() == [a.site_id, b.site_id, c.site_id]
        assert ids(sort="-name") == [c.site_id, b.site_id, a.site_id]
        assert ids(sort="license_expires_at") == [c.site_id, b.site_id, a.site_id]
        by_last_seen = ids(sort="-last_seen_at")
        assert by_last_seen[0] == b.site_id  # never-seen sites come last whichever the direction
        assert set(by_last_seen[1:]) == {a.site_id, c.site_id}
        assert ids(sort="last_seen_at")[0] == b.site_id
        assert ids(sort="status")[0] == b.site_id  # active before never_seen
        assert ids(q="ALPH") == [a.site_id]
        assert ids(q="100%") == [c.site_id]  # % is a character here, not a wildcard
        assert ids(q="%") == [c.site_id]
        assert ids(q=a.site_id) == [a.site_id]
        assert ids(limit=1, offset=1) == [b.site_id]
        for params in ({"status": "sleepy"}, {"sort": "owner"}, {"limit": 0}, {"offset": -1}, {"q": "a\u0000"}):
            resp = cloud.get("/api/sites/", params=params, headers=admin_headers)
            assert resp.status_code == 422
            assert resp.json()["code"] == "VALIDATION_ERROR"


class TestDetail:
    def test_the_detail_shows_the_last_heartbeat_and_the_recent_ones(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site()
        for n in range(25):
            assert beat(site, version=f"1.0.{n}", uptime=n * 60).status_code == 200
            clock.advance(minutes=5)
        detail = cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()
        assert detail["last_version"] == "1.0.24"
        assert detail["last_uptime_seconds"] == 24 * 60
        assert detail["last_seen_ip"] == "testclient"
        assert detail["heartbeat_count"] == 25
        assert detail["last_seen_at"] == (START + timedelta(minutes=5 * 24)).isoformat().replace("+00:00", "Z")
        assert len(detail["recent_heartbeats"]) == 20
        assert [h["version"] for h in detail["recent_heartbeats"][:2]] == ["1.0.24", "1.0.23"]
        assert detail["recent_heartbeats"][0] == {
            "at": detail["last_seen_at"],
            "ip": "testclient",
            "version": "1.0.24",
            "uptime_seconds": 1440,
        }
        last = START + timedelta(minutes=5 * 24)
        assert detail["lease_expires_at"] == (last + timedelta(hours=30)).isoformat().replace("+00:00", "Z")

    def test_an_unknown_site_is_404_with_a_code(self, cloud: TestClient, admin_headers: dict[str, str]) -> None:
        for method, path in (
            ("GET", "/api/sites/site_nope"),
            ("PUT", "/api/sites/site_nope"),
            ("DELETE", "/api/sites/site_nope"),
            ("POST", "/api/sites/site_nope/unlock"),
            ("POST", "/api/sites/site_nope/rotate-key"),
        ):
            resp = cloud.request(method, path, json={}, headers=admin_headers)
            assert resp.status_code == 404, (method, path)
            assert resp.json()["code"] == "SITE_NOT_FOUND"

    def test_a_site_id_that_cannot_exist_is_422(self, cloud: TestClient, admin_headers: dict[str, str]) -> None:
        for site_id in ("s" * 33, "site with spaces", "Ω", "site_a.b"):
            resp = cloud.get(f"/api/sites/{site_id}", headers=admin_headers)
            assert resp.status_code == 422, site_id
            assert resp.json()["code"] == "VALIDATION_ERROR"


class TestUpdate:
    def test_put_changes_only_what_was_sent_and_audits_it(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site(name="Old name")
        resp = cloud.put(
            f"/api/sites/{site.site_id}", json={"name": "New name", "grace_hours": 72}, headers=admin_headers
        )
        assert resp.status_code == 200
        assert resp.json()["name"] == "New name"
        assert resp.json()["grace_hours"] == 72
        assert resp.json()["owner_name"] == site.body["owner_name"]
        [event, _] = audit(cloud, admin_headers, site.site_id)
        assert event["action"] == "site.update"
        assert event["data"] == {"grace_hours": {"from": 24, "to": 72}, "name": {"from": "Old name", "to": "New name"}}

    def test_putting_a_later_expiry_extends_and_an_earlier_one_shortens(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site(days=30)
        later = (START + timedelta(days=395)).isoformat()
        resp = cloud.put(f"/api/sites/{site.site_id}", json={"license_expires_at": later}, headers=admin_headers)
        assert resp.status_code == 200
        assert resp.json()["license_expires_at"] == later.replace("+00:00", "Z")
        earlier = (START + timedelta(days=10)).isoformat()
        cloud.put(f"/api/sites/{site.site_id}", json={"license_expires_at": earlier}, headers=admin_headers)
        actions = [e["action"] for e in audit(cloud, admin_headers, site.site_id)]
        assert actions == ["site.shorten", "site.extend", "site.register"]

    def test_put_refuses_nulls_unknown_fields_and_bad_values(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        bodies: list[Any] = [{"name": None}, {"secret_key": "x"}, {"grace_hours": "many"}, {"contact_email": "@"}, []]
        for body in bodies:
            resp = cloud.put(f"/api/sites/{site.site_id}", json=body, headers=admin_headers)
            assert resp.status_code == 422, body
            assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_an_empty_put_changes_nothing_and_audits_nothing(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        resp = cloud.put(f"/api/sites/{site.site_id}", json={}, headers=admin_headers)
        assert resp.status_code == 200
        assert len(audit(cloud, admin_headers, site.site_id)) == 1

    def test_extend_adds_days_to_the_expiry_or_to_now_once_it_has_passed(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, clock: FakeClock
    ) -> None:
        site = register_site(days=10)
        resp = cloud.post(f"/api/sites/{site.site_id}/extend", json={"days": 30}, headers=admin_headers)
        assert resp.status_code == 200
        assert resp.json()["license_expires_at"] == (START + timedelta(days=40)).isoformat().replace("+00:00", "Z")
        clock.advance(days=100)  # lapsed 60 days ago
        resp = cloud.post(f"/api/sites/{site.site_id}/extend", json={"days": 365}, headers=admin_headers)
        assert resp.json()["license_expires_at"] == (clock.now + timedelta(days=365)).isoformat().replace("+00:00", "Z")
        assert resp.json()["status"] == "never_seen"
        for body in ({"days": 0}, {"days": -5}, {"days": 100_000}, {}):
            assert cloud.post(f"/api/sites/{site.site_id}/extend", json=body, headers=admin_headers).status_code == 422


class TestLock:
    def test_lock_and_unlock_with_a_reason_are_audited(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        resp = cloud.post(f"/api/sites/{site.site_id}/lock", json={"reason": " Unpaid invoice "}, headers=admin_headers)
        assert resp.status_code == 200
        assert resp.json()["is_locked"] is True
        assert resp.json()["lock_reason"] == "Unpaid invoice"
        assert resp.json()["status"] == "locked"
        resp = cloud.post(f"/api/sites/{site.site_id}/unlock", headers=admin_headers)
        assert resp.status_code == 200
        assert resp.json()["is_locked"] is False
        assert resp.json()["lock_reason"] is None
        events = audit(cloud, admin_headers, site.site_id)
        assert [e["action"] for e in events] == ["site.unlock", "site.lock", "site.register"]
        assert events[1]["data"] == {"reason": "Unpaid invoice"}
        assert events[0]["data"] == {"reason": "Unpaid invoice"}

    def test_locking_twice_or_unlocking_an_unlocked_site_is_a_conflict(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        resp = cloud.post(f"/api/sites/{site.site_id}/unlock", headers=admin_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NOT_LOCKED")
        cloud.post(f"/api/sites/{site.site_id}/lock", json={"reason": "x"}, headers=admin_headers)
        resp = cloud.post(f"/api/sites/{site.site_id}/lock", json={"reason": "y"}, headers=admin_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "ALREADY_LOCKED")

    def test_a_lock_needs_a_reason(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": "nul\u0000"}):
            resp = cloud.post(f"/api/sites/{site.site_id}/lock", json=body, headers=admin_headers)
            assert resp.status_code == 422, body


class TestKeysAndDeregistering:
    def test_rotating_the_key_shows_a_new_one_once_and_the_old_one_stops_working(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat
    ) -> None:
        site = register_site()
        assert beat(site).status_code == 200
        resp = cloud.post(f"/api/sites/{site.site_id}/rotate-key", headers=admin_headers)
        assert resp.status_code == 200
        new_key = resp.json()["secret_key"]
        assert new_key != site.secret_key
        assert beat(site).status_code == 401
        assert beat(RegisteredSite(site.site_id, new_key, {})).status_code == 200
        assert audit(cloud, admin_headers, site.site_id)[0]["action"] == "site.rotate_key"
        assert new_key not in cloud.get("/api/audit/", headers=admin_headers).text

    def test_a_deregistered_site_is_gone_its_key_dead_and_its_history_kept(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, beat: Beat, database: Database
    ) -> None:
        site = register_site()
        other = register_site()
        beat(site)
        assert cloud.delete(f"/api/sites/{site.site_id}", headers=admin_headers).status_code == 204
        assert beat(site).status_code == 401
        assert beat(site).json()["code"] == "SITE_AUTH_FAILED"
        assert cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).status_code == 404
        assert [s["site_id"] for s in cloud.get("/api/sites/", headers=admin_headers).json()] == [other.site_id]
        assert cloud.delete(f"/api/sites/{site.site_id}", headers=admin_headers).status_code == 404
        assert audit(cloud, admin_headers, site.site_id)[0]["action"] == "site.deregister"
        with database.write_session() as db:
            row = db.scalar(select(Site).where(Site.site_id == site.site_id))
            assert row is not None
            assert row.deleted_at is not None
