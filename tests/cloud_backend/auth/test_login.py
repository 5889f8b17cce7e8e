"""Sysadmin login: JWT on a right password, the same answer for every wrong one, throttling shared by replicas."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloud_backend.app import create_app
from cloud_backend.auth.models import LoginFailure, Sysadmin
from cloud_backend.config import Settings
from cloud_backend.db import Database
from shared.security import create_token, decode_token
from tests.cloud_backend.conftest import ADMIN, TEST_SECRET, FakeClock, login, make_settings


def attempt(client: TestClient, username: str = ADMIN[0], password: str = "wrong password") -> httpx.Response:
    response: httpx.Response = client.post("/api/auth/login", json={"username": username, "password": password})
    return response


class TestLogin:
    def test_the_seeded_sysadmin_logs_in_and_gets_a_bearer_token(self, cloud: TestClient) -> None:
        resp = attempt(cloud, password=ADMIN[1])
        assert resp.status_code == 200
        body = resp.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 3600
        claims = decode_token(body["access_token"], secret=TEST_SECRET)
        assert claims["role"] == "sysadmin"
        me = cloud.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200
        assert me.json()["username"] == ADMIN[0]
        assert me.json()["last_login_at"] is not None

    def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(self, cloud: TestClient) -> None:
        wrong = attempt(cloud)
        unknown = attempt(cloud, username="nobody")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json() == {"detail": "Wrong username or password", "code": "INVALID_CREDENTIALS"}

    def test_an_unknown_user_costs_a_password_check_too(self, cloud: TestClient, cloud_app) -> None:
        calls: list[str | None] = []
        hasher = cloud_app.state.hasher
        original = hasher.verify

        def spy(secret: str, hashed: str | None) -> bool:
            calls.append(hashed)
            return bool(original(secret, hashed))

        hasher.verify = spy
        attempt(cloud, username="nobody")
        assert calls == [None]  # SecretHasher.verify(None) checks against a dummy hash: same cost as a real one

    def test_failed_logins_are_audited_with_the_username_and_address(
        self, cloud: TestClient, admin_headers: dict[str, str]
    ) -> None:
        attempt(cloud, username="mallory")
        events = cloud.get("/api/audit/", params={"action": "auth.login_failed"}, headers=admin_headers).json()
        assert events[0]["data"] == {"username": "mallory"}
        assert events[0]["ip"] == "testclient"
        assert events[0]["actor_id"] is None
        ok = cloud.get("/api/audit/", params={"action": "auth.login"}, headers=admin_headers).json()
        assert ok[0]["actor_name"] == ADMIN[0]

    def test_bodies_without_credentials_are_422_with_a_code(self, cloud: TestClient) -> None:
        for body in (
            {},
            {"username": "root"},
            {"username": "", "password": "x"},
            {"username": 5, "password": []},
            {"username": "ro\u0000ot", "password": "x"},
            {"username": "root", "password": "pass\u0000word"},
            {"username": "root", "password": "é" * 40},  # 80 bytes: more than bcrypt takes
        ):
            resp = cloud.post("/api/auth/login", json=body)
            assert resp.status_code == 422
            assert resp.json()["code"] == "VALIDATION_ERROR"
        resp = cloud.post("/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"})
        assert resp.status_code in (400, 422)
        assert "code" in resp.json()


class TestTokens:
    def test_routes_need_a_token(self, cloud: TestClient) -> None:
        for path in ("/api/auth/me", "/api/sites/", "/api/audit/", "/api/alerts/"):
            resp = cloud.get(path)
            assert resp.status_code == 401
            assert resp.json()["code"] == "NOT_AUTHENTICATED"

    def test_a_forged_or_expired_token_is_refused(self, cloud: TestClient) -> None:
        from datetime import timedelta

        forged = create_token(
            {"sub": "1", "ver": 1, "role": "sysadmin"}, secret="x" * 40, expires_in=timedelta(hours=1)
        )
        expired = create_token({"sub": "1", "ver": 1, "role": "sysadmin"}, secret=TEST_SECRET, expires_in=-timedelta(1))
        wrong_role = create_token({"sub": "1", "ver": 1, "role": "waiter"}, secret=TEST_SECRET, expires_in=timedelta(1))
        for token, code in ((forged, "TOKEN_INVALID"), (expired, "TOKEN_EXPIRED"), (wrong_role, "TOKEN_INVALID")):
            resp = cloud.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code == 401
            assert resp.json()["code"] == code

    def test_a_deactivated_sysadmin_is_refused_at_once(
        self, cloud: TestClient, database: Database, admin_headers: dict[str, str]
    ) -> None:
        with database.write_session() as db:
            db.scalars(select(Sysadmin)).one().is_active = False
        resp = cloud.get("/api/auth/me", headers=admin_headers)
        assert resp.status_code == 401
        assert resp.json()["code"] == "TOKEN_REVOKED"


class TestThrottling:
    def test_five_failures_for_a_username_throttle_it_with_retry_after(
        self, cloud: TestClient, clock: FakeClock
    ) -> None:
        for _ in range(5):
            assert attempt(cloud).status_code == 401
        resp = attempt(cloud, password=ADMIN[1])  # even the right password: no more guesses for a while
        assert resp.status_code == 429
        assert resp.json()["code"] == "LOGIN_THROTTLED"
        assert int(resp.headers["Retry-After"]) == 15 * 60
        clock.advance(minutes=10)
        assert int(attempt(cloud).headers["Retry-After"]) == 5 * 60
        clock.advance(minutes=5, seconds=1)
        assert attempt(cloud, password=ADMIN[1]).status_code == 200

    def test_failures_spread_over_time_throttle_only_while_five_are_in_the_window(
        self, cloud: TestClient, clock: FakeClock
    ) -> None:
        for _ in range(4):
            attempt(cloud)
            clock.advance(minutes=4)  # failures at 0, 4, 8, 12 min
        assert attempt(cloud).status_code == 401  # the fifth, at 16 min: the first has left the window
        assert attempt(cloud).status_code == 401  # the sixth makes 4, 8, 12, 16, 16: five within 15 min
        assert attempt(cloud).status_code == 429
        clock.advance(minutes=3, seconds=1)  # 19 min: the one at 4 has left
        assert attempt(cloud, password=ADMIN[1]).status_code == 200

    def test_one_address_guessing_many_usernames_is_throttled(self, cloud_app) -> None:
        with TestClient(cloud_app, client=("203.0.113.9", 4000)) as attacker:
            for n in range(5):
                assert attempt(attacker, username=f"user{n}").status_code == 401
            resp = attempt(attacker, username="someone-else")
            assert resp.status_code == 429
            assert resp.json()["code"] == "LOGIN_THROTTLED"
        with TestClient(cloud_app, client=("198.51.100.7", 4000)) as admin:
            assert attempt(admin, password=ADMIN[1]).status_code == 200  # other addresses are not affected

    def test_a_success_clears_the_usernames_failures(self, cloud: TestClient, database: Database) -> None:
        for _ in range(3):
            attempt(cloud)
        login(cloud)
        with database.write_session() as db:
            assert db.scalars(select(LoginFailure).where(LoginFailure.username == ADMIN[0])).all() == []

    def test_the_throttle_holds_across_replicas(self, cloud_db: str, tmp_path: Path, clock: FakeClock) -> None:
        settings = make_settings(cloud_db, tmp_path)
        with TestClient(create_app(settings, clock=clock)) as one, TestClient(create_app(settings, clock=clock)) as two:
            for n in range(5):
                assert attempt(one if n % 2 else two).status_code == 401
            assert attempt(one).status_code == 429
            assert attempt(two).status_code == 429


class TestSeeding:
    def test_the_first_sysadmin_is_seeded_once(self, cloud_db: str, tmp_path: Path) -> None:
        for password in ("first password", "second password"):
            with TestClient(create_app(make_settings(cloud_db, tmp_path, admin_password=password))):
                pass
        with TestClient(create_app(make_settings(cloud_db, tmp_path))) as client:
            assert attempt(client, password="first password").status_code == 200
            assert attempt(client, password="second password").status_code == 401

    def test_without_admin_settings_nobody_can_log_in(self, cloud_db: str, tmp_path: Path) -> None:
        settings = make_settings(cloud_db, tmp_path, admin_username=None, admin_password=None)
        with TestClient(create_app(settings)) as client:
            assert attempt(client, password=ADMIN[1]).status_code == 401

    def test_without_secret_key_one_is_generated_and_shared_by_replicas(self, cloud_db: str, tmp_path: Path) -> None:
        settings = make_settings(cloud_db, tmp_path, secret_key=None)
        with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
            token = login(one)
            assert two.get("/api/auth/me", headers=token).status_code == 200
            assert one.app.state.secret_key == two.app.state.secret_key  # type: ignore[attr-defined]
            assert len(one.app.state.secret_key) >= 32  # type: ignore[attr-defined]

    def test_a_short_secret_key_is_refused_with_a_clear_message(self, tmp_path: Path) -> None:
        import pytest
        from pydantic import ValidationError

        with pytest.raises(ValidationError, match="at least 32 characters"):
            Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/x.db", secret_key="short")
