"""Login with username + PIN, lockout, refresh rotation, logout, me."""

from __future__ import annotations

from datetime import timedelta

from local_backend.system.models import IdempotencyRecord
from shared.clock import utcnow
from tests.conftest import MANAGER


class TestLogin:
    def test_the_bootstrapped_manager_can_log_in(self, client):
        resp = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]})
        assert resp.status_code == 200
        body = resp.json()
        assert body["token_type"] == "bearer"
        assert body["user"]["role"] == "manager"
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200
        assert me.json()["username"] == MANAGER[0]

    def test_a_wrong_pin_is_unauthorized_with_a_code(self, client):
        resp = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": "0000"})
        assert resp.status_code == 401
        assert resp.json()["code"] == "INVALID_CREDENTIALS"

    def test_an_unknown_user_gets_the_same_answer_as_a_wrong_pin(self, client):
        resp = client.post("/api/auth/login", json={"username": "nobody", "pin": "0000"})
        assert resp.status_code == 401
        assert resp.json()["code"] == "INVALID_CREDENTIALS"

    def test_username_is_case_insensitive(self, client):
        resp = client.post("/api/auth/login", json={"username": MANAGER[0].upper(), "pin": MANAGER[1]})
        assert resp.status_code == 200


class TestLockout:
    def test_five_wrong_pins_lock_the_user_out_even_with_the_right_pin(self, client, make_user):
        make_user("nikos", "4321")
        codes = [
            client.post("/api/auth/login", json={"username": "nikos", "pin": "0000"}).json()["code"] for _ in range(5)
        ]
        assert codes == ["INVALID_CREDENTIALS"] * 4 + ["PIN_LOCKED"]
        resp = client.post("/api/auth/login", json={"username": "nikos", "pin": "4321"})
        assert resp.status_code == 429
        assert resp.json()["code"] == "PIN_LOCKED"
        assert int(resp.headers["Retry-After"]) > 0

    def test_the_lockout_ends_after_five_minutes(self, client, make_user, monkeypatch):
        from datetime import timedelta

        from shared import clock

        make_user("eleni", "1111")
        for _ in range(5):
            client.post("/api/auth/login", json={"username": "eleni", "pin": "0000"})
        real = clock.utcnow
        monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=5, seconds=1))
        import local_backend.auth.service as svc

        monkeypatch.setattr(svc, "utcnow", lambda: real() + timedelta(minutes=5, seconds=1))
        resp = client.post("/api/auth/login", json={"username": "eleni", "pin": "1111"})
        assert resp.status_code == 200

    def test_failed_logins_are_audited(self, client, manager_headers, make_user):
        make_user("kostas", "2222")
        client.post("/api/auth/login", json={"username": "kostas", "pin": "0000"})
        events = client.get("/api/audit/", params={"action": "auth.login_failed"}, headers=manager_headers)
        assert events.status_code == 200
        assert any(e["data"].get("username") == "kostas" for e in events.json())


class TestRefresh:
    def test_refresh_rotates_and_the_old_token_stops_working(self, client):
        first = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200
        assert second.json()["refresh_token"] != first["refresh_token"]
        replay = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 401
        assert replay.json()["code"] == "REFRESH_TOKEN_INVALID"

    def test_reusing_a_rotated_token_revokes_the_whole_login(self, client):
        first = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
        client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        after_theft = client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
        assert after_theft.status_code == 401

    def test_a_refresh_whose_answer_was_lost_is_replayed_with_its_key_moments_later(self, client):
        first = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        body = {"refresh_token": first["refresh_token"]}
        key = {"Idempotency-Key": "refresh-lost-answer"}
        sent = client.post("/api/auth/refresh", json=body, headers=key)
        retried = client.post("/api/auth/refresh", json=body, headers=key)
        assert retried.status_code == 200
        assert retried.headers["Idempotent-Replayed"] == "true"
        assert retried.json()["refresh_token"] == sent.json()["refresh_token"]
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {retried.json()['access_token']}"})
        assert me.status_code == 200

    def test_a_stored_refresh_answer_is_not_handed_out_after_a_minute(self, client, database):
        first = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        body = {"refresh_token": first["refresh_token"]}
        key = {"Idempotency-Key": "refresh-old"}
        second = client.post("/api/auth/refresh", json=body, headers=key).json()
        with database.write_session() as db:
            record = db.get(IdempotencyRecord, "refresh-old")
            assert record is not None
            record.created_at = utcnow() - timedelta(minutes=2)
        late = client.post("/api/auth/refresh", json=body, headers=key)
        assert late.status_code == 401
        assert late.json()["code"] == "REFRESH_TOKEN_INVALID"
        # The reuse of a retired token was seen: that whole login is revoked.
        assert client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]}).status_code == 401

    def test_an_access_token_is_not_a_refresh_token(self, client):
        first = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        resp = client.post("/api/auth/refresh", json={"refresh_token": first["access_token"]})
        assert resp.status_code == 401


class TestLogout:
    def test_logout_revokes_the_refresh_token(self, client):
        tokens = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        resp = client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers)
        assert resp.status_code == 204
        again = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert again.status_code == 401


class TestTokens:
    def test_no_token_is_401_not_authenticated(self, client):
        resp = client.get("/api/auth/me")
        assert resp.status_code == 401
        assert resp.json()["code"] == "NOT_AUTHENTICATED"

    def test_a_garbage_token_is_401_token_invalid(self, client):
        resp = client.get("/api/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
        assert resp.status_code == 401
        assert resp.json()["code"] == "TOKEN_INVALID"

    def test_a_token_signed_with_another_key_is_refused(self, client):
        from datetime import timedelta

        from shared.security import create_token

        forged = create_token({"sub": "1", "ver": 1, "role": "manager"}, secret="x" * 64, expires_in=timedelta(hours=1))
        resp = client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
        assert resp.status_code == 401
        assert resp.json()["code"] == "TOKEN_INVALID"

    def test_an_expired_token_is_401_token_expired(self, client):
        from datetime import timedelta

        from shared.security import create_token
        from tests.conftest import TEST_SECRET

        old = create_token({"sub": "1", "ver": 1}, secret=TEST_SECRET, expires_in=timedelta(seconds=-10))
        resp = client.get("/api/auth/me", headers={"Authorization": f"Bearer {old}"})
        assert resp.status_code == 401
        assert resp.json()["code"] == "TOKEN_EXPIRED"
