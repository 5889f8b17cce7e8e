"""Schema-driven fuzzing of every cloud route, on SQLite and PostgreSQL: nothing a client sends may produce a 5xx.

Requests go over a real socket to the app served by uvicorn (migrated, a sysadmin, sites registered), as a
sysadmin, and heartbeats with a real site's headers. What is checked on every response: tests/support/fuzz.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import responses

from cloud_backend.app import create_app
from cloud_backend.config import Settings
from tests.cloud_backend.billing.fake_razorpay import FakeRazorpay, billing_settings
from tests.cloud_backend.conftest import ADMIN, database_url
from tests.support.fuzz import (
    CHECKS,
    assert_every_operation_is_fuzzed,
    assert_operations_exist,
    build_openapi,
    fuzz_settings,
    fuzzed_schema,
)
from tests.support.served import serve_in_thread

MAX_EXAMPLES = 25
VICTIMS = 40

OPENAPI = build_openapi(
    lambda tmp: create_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'unused.db'}", web_dir=tmp))
)
schema = fuzzed_schema(OPENAPI, max_examples=MAX_EXAMPLES)


class Target:
    """The live cloud, a sysadmin token, a site to aim at and sites to deregister."""

    def __init__(self, base_url: str, headers: dict[str, str], keeper: dict[str, Any], victims: list[str]) -> None:
        self.base_url = base_url
        self.headers = headers
        self.keeper = keeper
        self.victims = victims


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    # Billing configured, and Razorpay's HTTP answered in-process, so renewals get past 503/502 to the real work.
    with database_url(request.param, tmp) as url, responses.RequestsMock(assert_all_requests_are_fired=False) as rzp:
        FakeRazorpay(rzp).install()
        rzp.add_passthru("http://127.0.0.1")  # schemathesis calls the app with requests too
        app = create_app(billing_settings(url, tmp, heartbeat_rate_limit_per_minute=1000))
        with serve_in_thread(app, name="cloud-uvicorn") as base_url:
            with httpx.Client(base_url=base_url, timeout=20) as client:
                token = client.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}).json()
                headers = {"Authorization": f"Bearer {token['access_token']}"}
                sites = []
                for n in range(VICTIMS + 1):
                    body = {
                        "name": f"Fuzz {n}",
                        "owner_name": "Owner",
                        "contact_email": f"f{n}@example.com",
                        "license_expires_at": "2030-01-01T00:00:00Z",
                    }
                    resp = client.post("/api/sites/", json=body, headers=headers)
                    assert resp.status_code == 201, resp.text
                    sites.append(resp.json())
            yield Target(base_url, headers, sites[0], [s["site_id"] for s in sites[1:]])


def _aim(case: Any, target: Target) -> None:
    """Point a share of the cases at real sites so the routes get past 404; deregister only the victims."""
    params = case.path_parameters or {}
    if "site_id" in params:
        if case.method.upper() in ("DELETE", "PUT") or case.operation.path.endswith("/rotate-key"):
            if target.victims and len(str(params["site_id"])) % 2 == 0:
                params["site_id"] = target.victims.pop()
        elif len(str(params["site_id"])) % 2 == 0:
            params["site_id"] = target.keeper["site_id"]
    if case.headers is None:
        case.headers = {}
    if case.operation.path == "/api/heartbeat/" and len(case.headers) % 2 == 0:
        case.headers.update({"X-Site-ID": target.keeper["site_id"], "X-Site-Key": target.keeper["secret_key"]})
    else:
        case.headers.update(target.headers)


@schema.parametrize()
@fuzz_settings(MAX_EXAMPLES)
def test_no_input_makes_the_cloud_fail(case: Any, target: Target) -> None:
    _aim(case, target)
    response = case.call(base_url=target.base_url)
    if _refused_by_the_http_server(response):
        return
    case.validate_response(response, checks=CHECKS, headers=case.headers)


def _refused_by_the_http_server(response: Any) -> bool:
    """uvicorn's own answer to a request it cannot parse (e.g. an empty Content-Length): it never reached the app.

    The app cannot shape it, and in production nginx answers those first."""
    content_type = response.headers.get("content-type") or [""]  # schemathesis keeps header values as lists
    return bool(
        response.status_code == 400
        and str(content_type[0]).startswith("text/plain")
        and response.text == "Invalid HTTP request received."
    )


class TestTheFuzzedSchema:
    def test_covers_the_contract_routes(self) -> None:
        assert_operations_exist(
            OPENAPI,
            [
                ("GET", "/health"),
                ("POST", "/api/auth/login"),
                ("GET", "/api/sites/"),
                ("POST", "/api/sites/"),
                ("GET", "/api/sites/{site_id}"),
                ("PUT", "/api/sites/{site_id}"),
                ("DELETE", "/api/sites/{site_id}"),
                ("POST", "/api/sites/{site_id}/lock"),
                ("POST", "/api/sites/{site_id}/unlock"),
                ("POST", "/api/heartbeat/"),
                ("GET", "/.well-known/jwks.json"),
                ("POST", "/api/sites/{site_id}/renewals"),
                ("POST", "/api/billing/razorpay/webhook"),
            ],
        )


def test_every_operation_is_fuzzed() -> None:
    assert_every_operation_is_fuzzed(schema, OPENAPI)
