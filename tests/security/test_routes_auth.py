"""Every route of both apps needs authentication, except an explicit allow-list; waiters and sites stay in their lane.

The routes are read from the apps themselves (FastAPI's flattened routers, WebSockets included), so a route added
tomorrow is called here with no credentials and must answer 401 (a WebSocket: close 4401), or be added to the
allow-list below with the reason it is public. An allow-listed route that disappears fails too, so the list never
goes stale. The static web-app mounts are not routes: they are checked to serve files only.

API docs (/docs, /redoc, /openapi.json) stay public on both services: the API is the same open code for every
site, every operation in it is authenticated as proven here, and the schema is what the front ends' types are
generated from. Hiding it would protect nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from cloud_backend.auth.dependencies import current_sysadmin
from local_backend.auth.dependencies import require_manager
from tests.conftest import MANAGER
from tests.security.conftest import (
    INDEX_MARK,
    appliance_settings,
    build_appliance,
    build_cloud,
    cloud_settings,
)
from tests.security.routes import WS, Endpoint, endpoints, mounts

UNAUTHENTICATED_CLOSE = 4401
UNKNOWN_TABLE_CLOSE = 4404


@dataclass(frozen=True)
class Probe:
    """What an anonymous call must get: a status (or WebSocket close code), a code, sent with this body."""

    status: int
    code: str | None = None
    json: Any = None
    content: bytes | None = None
    why: str = ""


PROTECTED = Probe(401, "NOT_AUTHENTICATED")
PROTECTED_SOCKET = Probe(UNAUTHENTICATED_CLOSE)

DOCS = {
    ("GET", "/openapi.json"): Probe(200, why="the API schema (see the module docstring)"),
    ("GET", "/docs"): Probe(200, why="Swagger UI"),
    ("GET", "/docs/oauth2-redirect"): Probe(200, why="Swagger UI"),
    ("GET", "/redoc"): Probe(200, why="ReDoc"),
}

GUEST_TOKEN = Probe(404, "TABLE_TOKEN_INVALID", why="the table's QR code is the credential")
LINE = {"product_id": 1, "quantity": 1, "nickname": "Ann"}

APPLIANCE_PUBLIC: dict[tuple[str, str], Probe] = {
    **DOCS,
    ("GET", "/api/system/health"): Probe(200, why="health checks (Docker, systemd, the apps)"),
    ("GET", "/api/system/info"): Probe(200, why="the login screen shows the restaurant's name"),
    ("GET", "/metrics"): Probe(200, why="Prometheus scrapes without a user token (METRICS_TOKEN optional)"),
    ("POST", "/api/auth/login"): Probe(
        401, "INVALID_CREDENTIALS", json={"username": "nobody", "pin": "0000"}, why="logging in"
    ),
    ("POST", "/api/auth/refresh"): Probe(
        401, "REFRESH_TOKEN_INVALID", json={"refresh_token": "not-a-token"}, why="the refresh token is the credential"
    ),
    ("GET", "/api/products/{product_id}/image"): Probe(404, "PRODUCT_NOT_FOUND", why="<img> sends no token"),
    ("GET", "/api/settings/logo"): Probe(404, "LOGO_NOT_SET", why="<img> sends no token; printed on every bill"),
    ("GET", "/kitchen"): Probe(308, why="redirect to the kitchen app"),
    ("GET", "/manager"): Probe(308, why="redirect to the manager app"),
    ("GET", "/t"): Probe(308, why="redirect to the guest app"),
    ("GET", "/api/guest/{token}"): GUEST_TOKEN,
    ("GET", "/api/guest/{token}/menu"): GUEST_TOKEN,
    ("GET", "/api/guest/{token}/cart"): GUEST_TOKEN,
    ("POST", "/api/guest/{token}/cart/lines"): Probe(404, "TABLE_TOKEN_INVALID", json=LINE),
    ("PATCH", "/api/guest/{token}/cart/lines/{line_id}"): Probe(404, "TABLE_TOKEN_INVALID", json={"quantity": 2}),
    ("DELETE", "/api/guest/{token}/cart/lines/{line_id}"): GUEST_TOKEN,
    ("POST", "/api/guest/{token}/submit"): Probe(
        404, "TABLE_TOKEN_INVALID", json={"nickname": "Ann", "cart_version": 0}
    ),
    ("GET", "/api/guest/{token}/order"): GUEST_TOKEN,
    ("POST", "/api/guest/{token}/payments"): Probe(
        404, "TABLE_TOKEN_INVALID", json={"nickname": "Ann", "share": "rest"}
    ),
    ("GET", "/api/guest/{token}/payments/{payment_id}"): GUEST_TOKEN,
    ("POST", "/api/guest/{token}/payments/{payment_id}/cancel"): GUEST_TOKEN,
    ("POST", "/api/guest/{token}/call"): Probe(404, "TABLE_TOKEN_INVALID", json={"kind": "waiter"}),
    (WS, "/ws/guest/{token}"): Probe(UNKNOWN_TABLE_CLOSE, why="the table's QR code is the credential"),
}

CLOUD_PUBLIC: dict[tuple[str, str], Probe] = {
    **DOCS,
    ("GET", "/health"): Probe(200, why="nginx and Docker health checks"),
    ("GET", "/metrics"): Probe(200, why="Prometheus (METRICS_TOKEN or nginx keeps it off the internet)"),
    ("GET", "/.well-known/jwks.json"): Probe(200, why="appliances verify leases with these public keys"),
    ("POST", "/api/auth/login"): Probe(
        401, "INVALID_CREDENTIALS", json={"username": "nobody", "password": "wrong-password"}, why="logging in"
    ),
    ("POST", "/api/heartbeat/"): Probe(
        401,
        "SITE_AUTH_FAILED",
        json={"version": "1.0.0", "uptime_seconds": 1, "nonce": "n" * 24},
        why="authenticated by X-Site-ID and X-Site-Key instead",
    ),
    ("POST", "/api/billing/razorpay/webhook"): Probe(
        400, "WEBHOOK_SIGNATURE_INVALID", content=b"{}", why="authenticated by Razorpay's body signature instead"
    ),
}


def _route_table(build: Any) -> list[Endpoint]:
    # Building an app opens no database; the routes depend on code (and on the web apps being built).
    with tempfile.TemporaryDirectory() as tmp:
        return endpoints(build(Path(tmp)))


APPLIANCE_ENDPOINTS = _route_table(lambda tmp: build_appliance(appliance_settings(tmp)))
CLOUD_ENDPOINTS = _route_table(lambda tmp: build_cloud(cloud_settings(tmp)))
APPLIANCE_MANAGER_ENDPOINTS = [e for e in APPLIANCE_ENDPOINTS if e.depends_on(require_manager)]
CLOUD_SYSADMIN_ENDPOINTS = [e for e in CLOUD_ENDPOINTS if e.depends_on(current_sysadmin)]


def call(client: TestClient, endpoint: Endpoint, probe: Probe, headers: dict[str, str] | None = None) -> None:
    """Make the anonymous (or `headers`) call and check it against the probe."""
    if endpoint.method == WS:
        with (
            client.websocket_connect(endpoint.url, headers=dict(headers or {})) as socket,
            pytest.raises(WebSocketDisconnect) as closed,
        ):
            socket.receive_text()
        assert closed.value.code == probe.status, f"{endpoint} closed with {closed.value.code}"
        return
    response = client.request(
        endpoint.method,
        endpoint.url,
        json=probe.json,
        content=probe.content,
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == probe.status, f"{endpoint}: {response.status_code} {response.text[:300]}"
    if probe.code is not None:
        assert response.json()["code"] == probe.code, f"{endpoint}: {response.text[:300]}"


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = build_appliance(appliance_settings(tmp_path_factory.mktemp("appliance")))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def appliance_app(appliance: TestClient) -> FastAPI:
    app: FastAPI = appliance.app  # type: ignore[assignment]
    return app


@pytest.fixture(scope="module")
def waiter_headers(appliance: TestClient) -> dict[str, str]:
    manager = _login(appliance, {"username": MANAGER[0], "pin": MANAGER[1]})
    body = {"username": "waitress", "display_name": "Waitress", "role": "waiter", "pin": "4321"}
    assert appliance.post("/api/waiters/", json=body, headers=manager).status_code == 201
    return _login(appliance, {"username": "waitress", "pin": "4321"})


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = build_cloud(cloud_settings(tmp_path_factory.mktemp("cloud")))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def site_headers(cloud: TestClient) -> dict[str, str]:
    from tests.cloud_backend.conftest import ADMIN

    admin = _login(cloud, {"username": ADMIN[0], "password": ADMIN[1]})
    body = {
        "name": "Taverna",
        "owner_name": "Owner",
        "contact_email": "owner@example.com",
        "license_expires_at": "2027-01-01T00:00:00+00:00",
    }
    created = cloud.post("/api/sites/", json=body, headers=admin)
    assert created.status_code == 201, created.text
    return {"X-Site-ID": created.json()["site_id"], "X-Site-Key": created.json()["secret_key"]}


def _login(client: TestClient, body: dict[str, str]) -> dict[str, str]:
    response = client.post("/api/auth/login", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _ids(items: list[Endpoint]) -> list[str]:
    return [str(e) for e in items]


class TestTheApplianceNeedsAuthentication:
    @pytest.mark.parametrize("endpoint", APPLIANCE_ENDPOINTS, ids=_ids(APPLIANCE_ENDPOINTS))
    def test_every_route_refuses_an_anonymous_caller_unless_allow_listed(
        self, appliance: TestClient, endpoint: Endpoint
    ) -> None:
        default = PROTECTED_SOCKET if endpoint.method == WS else PROTECTED
        call(appliance, endpoint, APPLIANCE_PUBLIC.get(endpoint.key, default))

    def test_every_allow_listed_route_still_exists(self) -> None:
        missing = set(APPLIANCE_PUBLIC) - {e.key for e in APPLIANCE_ENDPOINTS}
        assert not missing, f"allow-listed but not served (remove from the list): {sorted(missing)}"

    def test_a_route_added_without_authentication_would_fail_this_test(self, tmp_path: Path) -> None:
        app = build_appliance(appliance_settings(tmp_path))

        @app.get("/api/leak")
        def leak() -> dict[str, str]:
            return {"staff": "everything"}

        [added] = [e for e in endpoints(app) if e.path == "/api/leak"]
        with pytest.raises(AssertionError, match="GET /api/leak: 200"):
            call(TestClient(app), added, APPLIANCE_PUBLIC.get(added.key, PROTECTED))

    def test_the_routes_are_really_enumerated(self) -> None:
        keys = {e.key for e in APPLIANCE_ENDPOINTS}
        assert {("POST", "/api/orders/{order_id}/items"), (WS, "/ws/events"), (WS, "/ws/kitchen")} <= keys
        assert len(keys) > 150


class TestTheCloudNeedsAuthentication:
    @pytest.mark.parametrize("endpoint", CLOUD_ENDPOINTS, ids=_ids(CLOUD_ENDPOINTS))
    def test_every_route_refuses_an_anonymous_caller_unless_allow_listed(
        self, cloud: TestClient, endpoint: Endpoint
    ) -> None:
        call(cloud, endpoint, CLOUD_PUBLIC.get(endpoint.key, PROTECTED))

    def test_every_allow_listed_route_still_exists(self) -> None:
        missing = set(CLOUD_PUBLIC) - {e.key for e in CLOUD_ENDPOINTS}
        assert not missing, f"allow-listed but not served (remove from the list): {sorted(missing)}"

    def test_the_routes_are_really_enumerated(self) -> None:
        keys = {e.key for e in CLOUD_ENDPOINTS}
        assert {("POST", "/api/sites/"), ("POST", "/api/sites/{site_id}/lock")} <= keys
        assert len(keys) > 20


class TestAWaiterIsRefusedOnManagerRoutes:
    @pytest.mark.parametrize("endpoint", APPLIANCE_MANAGER_ENDPOINTS, ids=_ids(APPLIANCE_MANAGER_ENDPOINTS))
    def test_a_waiter_token_gets_403_manager_required(
        self, appliance: TestClient, waiter_headers: dict[str, str], endpoint: Endpoint
    ) -> None:
        call(appliance, endpoint, Probe(403, "MANAGER_REQUIRED"), headers=waiter_headers)

    def test_the_manager_routes_are_found_from_the_dependency_graph(self) -> None:
        # The contract's manager routes (ARCHITECTURE §3.2), so an empty or partial graph walk cannot pass.
        contract = {
            ("POST", "/api/tables/"),
            ("POST", "/api/tables/batch"),
            ("GET", "/api/orders/"),
            ("DELETE", "/api/orders/{order_id}"),
            ("GET", "/api/waiters/"),
            ("POST", "/api/waiters/"),
            ("GET", "/api/reports/shift"),
            ("POST", "/api/printers/"),
            ("POST", "/api/printers/{printer_id}/test"),
            ("POST", "/api/products/categories"),
            ("POST", "/api/license/activate"),  # behind a dependency of its own that needs the manager
        }
        found = {e.key for e in APPLIANCE_MANAGER_ENDPOINTS}
        assert contract <= found, sorted(contract - found)

    def test_routes_for_any_staff_are_not_counted_as_manager_routes(self) -> None:
        found = {e.key for e in APPLIANCE_MANAGER_ENDPOINTS}
        assert ("GET", "/api/tables/") not in found
        assert ("POST", "/api/orders/{order_id}/items") not in found


class TestASiteKeyIsNotASysadmin:
    @pytest.mark.parametrize("endpoint", CLOUD_SYSADMIN_ENDPOINTS, ids=_ids(CLOUD_SYSADMIN_ENDPOINTS))
    def test_site_headers_get_401(self, cloud: TestClient, site_headers: dict[str, str], endpoint: Endpoint) -> None:
        call(cloud, endpoint, PROTECTED, headers=site_headers)

    @pytest.mark.parametrize("endpoint", CLOUD_SYSADMIN_ENDPOINTS, ids=_ids(CLOUD_SYSADMIN_ENDPOINTS))
    def test_the_site_key_as_a_bearer_token_gets_401(
        self, cloud: TestClient, site_headers: dict[str, str], endpoint: Endpoint
    ) -> None:
        bearer = {"Authorization": f"Bearer {site_headers['X-Site-Key']}"}
        call(cloud, endpoint, Probe(401, "TOKEN_INVALID"), headers=bearer)

    def test_the_site_heartbeats_with_its_headers(self, cloud: TestClient, site_headers: dict[str, str]) -> None:
        body = {"version": "1.0.0", "uptime_seconds": 1, "nonce": "n" * 24}
        assert cloud.post("/api/heartbeat/", json=body, headers=site_headers).status_code == 200

    def test_every_sysadmin_route_is_found(self) -> None:
        anonymous_401 = {e.key for e in CLOUD_ENDPOINTS if e.key not in CLOUD_PUBLIC}
        assert {e.key for e in CLOUD_SYSADMIN_ENDPOINTS} == anonymous_401


class TestStaticMountsServeOnlyFiles:
    def test_the_appliance_mounts_only_the_web_apps(self, appliance_app: FastAPI) -> None:
        assert sorted(m.path for m in mounts(appliance_app)) == ["", "/kitchen", "/manager", "/t"]

    def test_the_cloud_mounts_only_the_panel(self, cloud: TestClient) -> None:
        assert [m.path for m in mounts(cloud.app)] == [""]  # type: ignore[arg-type]

    @pytest.mark.parametrize("prefix", ["/", "/kitchen/", "/manager/", "/t/"])
    def test_an_app_serves_its_files_and_its_index_for_its_routes(self, appliance: TestClient, prefix: str) -> None:
        assert INDEX_MARK in appliance.get(prefix).text
        assert INDEX_MARK in appliance.get(f"{prefix}some/client/route").text
        assert appliance.get(f"{prefix}assets/index-abc123.js").text == "console.log('app');"

    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
    @pytest.mark.parametrize("path", ["/", "/kitchen/", "/t/assets/index-abc123.js"])
    def test_writes_to_an_app_are_405(self, appliance: TestClient, method: str, path: str) -> None:
        assert appliance.request(method, path).status_code == 405

    @pytest.mark.parametrize(
        "path",
        ["/../secret.txt", "/%2e%2e/secret.txt", "/kitchen/%2e%2e/%2e%2e/secret.txt", "/t/..%2f..%2fsecret.txt"],
    )
    def test_nothing_outside_the_apps_is_reachable(self, appliance: TestClient, path: str) -> None:
        # Sent as is (httpx would resolve the dots itself).
        response = appliance.send(httpx.Request("GET", f"http://testserver{path}"))
        assert "do-not-serve" not in response.text

    def test_an_unknown_api_path_is_a_json_404_not_an_app(self, appliance: TestClient, cloud: TestClient) -> None:
        for client in (appliance, cloud):
            response = client.get("/api/nope")
            assert response.status_code == 404
            assert INDEX_MARK not in response.text

    def test_the_panel_serves_files_and_refuses_writes(self, cloud: TestClient) -> None:
        assert INDEX_MARK in cloud.get("/").text
        assert INDEX_MARK in cloud.get("/sites/abc").text
        assert cloud.post("/").status_code == 405
        assert "do-not-serve" not in cloud.send(httpx.Request("GET", "http://testserver/%2e%2e/secret.txt")).text


def test_the_allow_lists_say_why_each_route_is_public() -> None:
    for key, probe in {**APPLIANCE_PUBLIC, **CLOUD_PUBLIC}.items():
        assert probe.why or probe.code == "TABLE_TOKEN_INVALID", key
