"""Security headers on every response of both apps, CORS only for configured origins, HSTS only over HTTPS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from shared.web_security import APP_CSP, SecurityHeaders, checked_origins, install_web_security, parse_origins
from tests.security.conftest import appliance_settings, build_appliance, build_cloud, cloud_settings

REPO = Path(__file__).resolve().parents[2]
EVIL = "https://evil.example"
OFFICE = "https://office.example.com"

# One of each kind of response: API data, API error, docs, an app's page and asset, a redirect, a 404.
APPLIANCE_PATHS = [
    "/api/system/health",
    "/api/orders/",
    "/openapi.json",
    "/docs",
    "/",
    "/assets/index-abc123.js",
    "/kitchen",
    "/kitchen/",
    "/t/some/route",
    "/api/nope",
    "/metrics",
]
CLOUD_PATHS = ["/health", "/api/sites/", "/.well-known/jwks.json", "/docs", "/", "/sites/1", "/api/nope", "/metrics"]


def preflight(client: TestClient, origin: str, path: str = "/api/orders/") -> dict[str, str]:
    response = client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    return dict(response.headers)


def csp_directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(build_appliance(appliance_settings(tmp_path_factory.mktemp("appliance")))) as client:
        yield client


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(build_cloud(cloud_settings(tmp_path_factory.mktemp("cloud")))) as client:
        yield client


def assert_security_headers(response_headers: dict[str, str], where: str) -> None:
    headers = {k.lower(): v for k, v in response_headers.items()}
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("referrer-policy") == "no-referrer", where
    policy = csp_directives(headers.get("content-security-policy", ""))
    assert policy.get("frame-ancestors") == ["'none'"], where


class TestEveryResponseHasTheSecurityHeaders:
    @pytest.mark.parametrize("path", APPLIANCE_PATHS)
    def test_on_the_appliance(self, appliance: TestClient, path: str) -> None:
        response = appliance.get(path, follow_redirects=False)
        assert_security_headers(dict(response.headers), f"{path} ({response.status_code})")

    @pytest.mark.parametrize("path", CLOUD_PATHS)
    def test_on_the_cloud(self, cloud: TestClient, path: str) -> None:
        response = cloud.get(path, follow_redirects=False)
        assert_security_headers(dict(response.headers), f"{path} ({response.status_code})")

    def test_on_a_refused_preflight(self, appliance: TestClient) -> None:
        assert_security_headers(preflight(appliance, EVIL), "OPTIONS")


class TestTheContentSecurityPolicy:
    def test_api_responses_allow_nothing_to_run(self, appliance: TestClient) -> None:
        policy = csp_directives(appliance.get("/api/system/health").headers["content-security-policy"])
        assert policy["default-src"] == ["'none'"]

    def test_the_apps_run_only_their_own_scripts_and_styles(self, appliance: TestClient) -> None:
        policy = csp_directives(appliance.get("/").headers["content-security-policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]

    def test_the_apps_may_open_the_live_socket_and_show_qr_codes_and_photos(self, appliance: TestClient) -> None:
        policy = csp_directives(appliance.get("/manager/").headers["content-security-policy"])
        assert {"'self'", "ws:", "wss:"} <= set(policy["connect-src"])
        assert {"'self'", "data:", "blob:", "https:"} <= set(policy["img-src"])

    def test_the_docs_may_load_swagger_from_its_cdn(self, appliance: TestClient) -> None:
        policy = csp_directives(appliance.get("/docs").headers["content-security-policy"])
        assert "https://cdn.jsdelivr.net" in policy["script-src"]

    @pytest.mark.parametrize("app", ["waiter", "kitchen", "manager", "guest", "sysadmin"])
    def test_no_app_page_has_inline_script_or_style(self, app: str) -> None:
        # The policy above forbids them; Vite adds only external script and stylesheet tags to these pages.
        html = (REPO / "frontends" / "apps" / app / "index.html").read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert "<style" not in html
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)  # inline event handlers

    def test_a_response_that_sets_its_own_policy_keeps_it(self) -> None:
        async def page(_: object) -> PlainTextResponse:
            return PlainTextResponse("hi", headers={"Content-Security-Policy": "default-src 'self' https://x.test"})

        app = SecurityHeaders(Starlette(routes=[Route("/own", page)]))
        response = TestClient(app).get("/own")
        assert response.headers.get_list("content-security-policy") == ["default-src 'self' https://x.test"]
        assert response.headers["x-frame-options"] == "DENY"

    def test_the_app_policy_is_what_the_module_documents(self) -> None:
        assert "frame-ancestors 'none'" in APP_CSP


class TestStrictTransportSecurity:
    def test_the_cloud_sends_it_over_https(self, tmp_path: Path) -> None:
        app = build_cloud(cloud_settings(tmp_path))
        with TestClient(app, base_url="https://cloud.example") as client:
            assert client.get("/health").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"

    def test_not_over_plain_http(self, cloud: TestClient) -> None:
        assert "strict-transport-security" not in cloud.get("/health").headers

    def test_hsts_seconds_0_turns_it_off(self, tmp_path: Path) -> None:
        app = build_cloud(cloud_settings(tmp_path, hsts_seconds=0))
        with TestClient(app, base_url="https://cloud.example") as client:
            assert "strict-transport-security" not in client.get("/health").headers

    def test_the_appliance_never_sends_it(self, tmp_path: Path) -> None:
        # A phone that saw HSTS for the appliance's LAN address would refuse it once its certificate lapsed.
        with TestClient(build_appliance(appliance_settings(tmp_path)), base_url="https://pos.lan") as client:
            assert "strict-transport-security" not in client.get("/api/system/health").headers


class TestCrossOriginRequests:
    def test_by_default_a_preflight_from_another_origin_is_not_allowed(
        self, appliance: TestClient, cloud: TestClient
    ) -> None:
        for client, path in ((appliance, "/api/orders/"), (cloud, "/api/sites/"), (cloud, "/api/heartbeat/")):
            headers = {k.lower() for k in preflight(client, EVIL, path)}
            assert "access-control-allow-origin" not in headers

    def test_by_default_a_cross_origin_read_gets_no_allow_origin(self, appliance: TestClient) -> None:
        response = appliance.get("/api/system/info", headers={"Origin": EVIL})
        assert "access-control-allow-origin" not in response.headers

    def test_a_configured_origin_is_allowed_and_no_other(self, tmp_path: Path) -> None:
        app = build_appliance(appliance_settings(tmp_path, cors_origins=f"{OFFICE}, http://10.0.0.5:8080"))
        with TestClient(app) as client:
            allowed = preflight(client, OFFICE)
            assert allowed["access-control-allow-origin"] == OFFICE
            assert "authorization" in allowed["access-control-allow-headers"].lower()
            assert "access-control-allow-credentials" not in allowed
            assert "access-control-allow-origin" not in preflight(client, EVIL)
            assert "access-control-allow-origin" not in preflight(client, "https://office.example.com.evil.example")
            read = client.get("/api/system/info", headers={"Origin": OFFICE})
            assert read.headers["access-control-allow-origin"] == OFFICE

    def test_the_cloud_honours_its_setting_too(self, tmp_path: Path) -> None:
        with TestClient(build_cloud(cloud_settings(tmp_path, cors_origins=OFFICE))) as client:
            assert preflight(client, OFFICE, "/api/sites/")["access-control-allow-origin"] == OFFICE
            assert "access-control-allow-origin" not in preflight(client, EVIL, "/api/sites/")

    @pytest.mark.parametrize("bad", ["*", "https://*.example.com", "https://a.example/path", "ftp://a.example", "a"])
    def test_a_wildcard_or_a_path_is_refused(self, bad: str) -> None:
        with pytest.raises(ValueError, match="CORS origin"):
            checked_origins([bad])

    def test_origins_parse_from_a_comma_or_space_separated_setting(self) -> None:
        assert parse_origins("https://A.example, http://b.example:8080  https://c.example/") == [
            "https://a.example",
            "http://b.example:8080",
            "https://c.example",
        ]
        assert parse_origins("") == []


class TestInstalling:
    def test_installing_twice_adds_nothing(self) -> None:
        app = FastAPI()
        install_web_security(app)
        install_web_security(app)
        assert [getattr(m.cls, "__name__", None) for m in app.user_middleware] == [SecurityHeaders.__name__]
