"""GET /api/audit/: every sysadmin action, newest first, filtered by site and action, paged."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.cloud_backend.conftest import RegisteredSite

Register = Callable[..., RegisteredSite]


class TestAuditTrail:
    def test_every_site_action_is_recorded_with_who_and_where(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        site = register_site()
        sid = site.site_id
        cloud.put(f"/api/sites/{sid}", json={"owner_name": "New owner"}, headers=admin_headers)
        cloud.post(f"/api/sites/{sid}/extend", json={"days": 30}, headers=admin_headers)
        cloud.post(f"/api/sites/{sid}/lock", json={"reason": "r"}, headers=admin_headers)
        cloud.post(f"/api/sites/{sid}/unlock", headers=admin_headers)
        cloud.post(f"/api/sites/{sid}/rotate-key", headers=admin_headers)
        cloud.delete(f"/api/sites/{sid}", headers=admin_headers)
        events = cloud.get("/api/audit/", params={"site_id": sid}, headers=admin_headers).json()
        assert [e["action"] for e in events] == [
            "site.deregister",
            "site.rotate_key",
            "site.unlock",
            "site.lock",
            "site.extend",
            "site.update",
            "site.register",
        ]
        assert {(e["actor_name"], e["ip"], e["site_id"]) for e in events} == {("root", "testclient", sid)}

    def test_the_trail_filters_by_action_and_pages_with_before_id(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register
    ) -> None:
        sites = [register_site() for _ in range(5)]
        page = cloud.get("/api/audit/", params={"action": "site.register", "limit": 2}, headers=admin_headers).json()
        assert [e["site_id"] for e in page] == [sites[4].site_id, sites[3].site_id]
        rest = cloud.get(
            "/api/audit/", params={"action": "site.register", "before_id": page[-1]["id"]}, headers=admin_headers
        ).json()
        assert [e["site_id"] for e in rest] == [s.site_id for s in reversed(sites[:3])]

    def test_bad_filters_are_422(self, cloud: TestClient, admin_headers: dict[str, str]) -> None:
        for params in ({"limit": 0}, {"limit": 5000}, {"before_id": -1}, {"from": "yesterday"}, {"site_id": "x" * 40}):
            resp = cloud.get("/api/audit/", params=params, headers=admin_headers)
            assert resp.status_code == 422, params
            assert resp.json()["code"] == "VALIDATION_ERROR"
