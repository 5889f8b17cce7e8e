"""The cloud answers its health check, renders unknown paths as coded 404s, and serves the panel once built."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from cloud_backend.app import create_app
from tests.cloud_backend.conftest import make_settings


class TestHealth:
    def test_health_is_ok_with_the_version(self, cloud: TestClient) -> None:
        resp = cloud.get("/health")
        assert resp.status_code == 200
        assert resp.json()["status"] == "ok"
        assert resp.json()["version"]

    def test_unknown_paths_are_404_with_a_code(self, cloud: TestClient) -> None:
        resp = cloud.get("/nope")
        assert resp.status_code == 404
        assert resp.json()["code"] == "NOT_FOUND"


class TestPanel:
    def test_the_built_panel_is_served_with_its_routes_and_the_api_stays_json(self, tmp_path: Path) -> None:
        web = tmp_path / "panel"
        (web / "assets").mkdir(parents=True)
        (web / "index.html").write_text("<!doctype html><title>Tavolo sysadmin</title>")
        (web / "assets" / "app-1a2b3c.js").write_text("console.log(1)")
        settings = make_settings(f"sqlite:///{tmp_path / 'cloud.db'}", tmp_path, web_dir=web)
        with TestClient(create_app(settings)) as client:
            index = client.get("/")
            assert index.status_code == 200
            assert "Tavolo sysadmin" in index.text
            assert index.headers["cache-control"] == "no-cache"
            route = client.get("/sites/site_abc")  # a route of the single-page app
            assert route.status_code == 200
            assert "Tavolo sysadmin" in route.text
            asset = client.get("/assets/app-1a2b3c.js")
            assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert client.get("/assets/missing.js").status_code == 404
            for path in ("/api/nope", "/.well-known/nope"):
                resp = client.get(path)
                assert resp.status_code == 404
                assert resp.json()["code"] == "NOT_FOUND"
            assert client.get("/health").json()["status"] == "ok"
            assert client.get("/.well-known/jwks.json").status_code == 200


class TestPaths:
    def test_a_path_with_a_control_character_is_404_not_another_route(
        self, cloud: TestClient, admin_headers: dict[str, str]
    ) -> None:
        for path in ("/api/sites/%0A", "/api/sites/%0D", "/health%0A", "/api/sites/site_x%00"):
            resp = cloud.get(path, headers=admin_headers)
            assert resp.status_code == 404, path
            assert resp.json() == {"detail": "Not Found", "code": "NOT_FOUND"}
