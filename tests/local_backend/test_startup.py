"""Startup migrates, checks the file and bootstraps the first manager only when nobody exists."""

from fastapi.testclient import TestClient

from local_backend.app import create_app
from tests.conftest import make_settings


class TestBootstrap:
    def test_the_first_manager_comes_from_the_environment(self, tmp_path):
        app = create_app(make_settings(tmp_path, manager_username="sofia", manager_pin="4455"))
        with TestClient(app) as client:
            resp = client.post("/api/auth/login", json={"username": "sofia", "pin": "4455"})
        assert resp.status_code == 200
        assert resp.json()["user"]["role"] == "manager"

    def test_the_bootstrap_never_adds_a_second_manager_or_changes_the_pin(self, tmp_path):
        with TestClient(create_app(make_settings(tmp_path, manager_username="sofia", manager_pin="4455"))):
            pass
        app = create_app(make_settings(tmp_path, manager_username="other", manager_pin="9999"))
        with TestClient(app) as client:
            assert client.post("/api/auth/login", json={"username": "other", "pin": "9999"}).status_code == 401
            assert client.post("/api/auth/login", json={"username": "sofia", "pin": "4455"}).status_code == 200

    def test_without_manager_settings_nobody_is_created(self, tmp_path):
        app = create_app(make_settings(tmp_path, manager_username=None, manager_pin=None))
        with TestClient(app) as client:
            assert client.post("/api/auth/login", json={"username": "boss", "pin": "9999"}).status_code == 401
