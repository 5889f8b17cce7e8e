"""The cloud answers its health check."""

from fastapi.testclient import TestClient

from cloud_backend.app import create_app
from cloud_backend.config import Settings


class TestHealth:
    def test_health_is_ok_with_the_version(self, tmp_path):
        app = create_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/cloud.db"))
        with TestClient(app) as client:
            resp = client.get("/health")
        assert resp.status_code == 200
        assert resp.json()["status"] == "ok"
        assert resp.json()["version"]

    def test_unknown_paths_are_404_with_a_code(self, tmp_path):
        app = create_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/cloud.db"))
        with TestClient(app) as client:
            resp = client.get("/nope")
        assert resp.status_code == 404
        assert resp.json()["code"] == "NOT_FOUND"
