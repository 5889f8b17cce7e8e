"""`python -m cloud_backend sysadmin <username>`: add a sysadmin or reset a password (ending its sessions)."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from cloud_backend.__main__ import main as cli
from tests.cloud_backend.conftest import login


@pytest.fixture
def sysadmin_cli(cloud_settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("DATABASE_URL", cloud_settings.database_url)
    monkeypatch.setenv("PASSWORD_HASH_ROUNDS", "4")

    def _run(username: str, password: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        code = cli(["sysadmin", username])
        out = capsys.readouterr()
        return code, out.out + out.err

    return _run


class TestSysadminCommand:
    def test_adds_a_sysadmin_who_can_log_in(self, cloud: TestClient, sysadmin_cli) -> None:
        code, out = sysadmin_cli("alice", "alice's long password")
        assert code == 0
        assert "created" in out
        assert (
            cloud.get("/api/auth/me", headers=login(cloud, "alice", "alice's long password")).json()["username"]
            == "alice"
        )

    def test_a_reset_changes_the_password_and_ends_sessions(self, cloud: TestClient, sysadmin_cli) -> None:
        sysadmin_cli("bob", "first password")
        headers = login(cloud, "bob", "first password")
        code, out = sysadmin_cli("bob", "second password")
        assert code == 0
        assert "sessions ended" in out
        assert cloud.get("/api/auth/me", headers=headers).json()["code"] == "TOKEN_REVOKED"
        login(cloud, "bob", "second password")

    def test_a_short_password_is_refused(self, cloud: TestClient, sysadmin_cli) -> None:
        code, out = sysadmin_cli("carol", "short")
        assert code == 1
        assert "8 characters" in out
