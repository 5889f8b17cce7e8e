"""Schema-driven fuzzing of every appliance route: nothing a client sends may produce a 5xx.

The OpenAPI document is built from the app itself at collection time (no server needed), so every operation
becomes its own test; the requests go to a real appliance process (uvicorn, SQLite file, migrations) seeded
with staff, tables, a menu and orders, as a manager. Checks on every response:

- not a server error (no 5xx);
- the status code is one the operation declares (400 for an unparsable body is declared app-wide);
- the content type is the declared one;
- the body matches the declared schema, error bodies included;
- an error body is the house shape `{detail, code}`.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from local_backend.app import create_app
from local_backend.config import Settings
from tests.support.appliance import TEST_ENV, Appliance, login, seed

MAX_EXAMPLES = 30
FUZZ_MANAGER = ("fuzzboss", "24680")


def _build_openapi() -> dict[str, Any]:
    # Building the app creates no file (the engine connects lazily and never does here).
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'unused.db'}"
        app = create_app(Settings(_env_file=None, database_url=url, secret_key="openapi-only" * 4))
        return app.openapi()


OPENAPI = _build_openapi()
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "request-timeout": 20,
    }
)
schema = schemathesis.openapi.from_dict(OPENAPI, config=CONFIG)


@schemathesis.check
def status_code_is_declared(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every status a route answers is in its OpenAPI (400 for unparsable bodies is declared app-wide)."""
    result: bool | None = status_code_conformance(ctx, response, case)
    return result


@schemathesis.check
def body_conforms(ctx: Any, response: Any, case: Any) -> bool | None:
    """The body matches the declared schema, errors included (the 422 schema is ours, not FastAPI's)."""
    return bool(case.operation.validate_response(response, case=case))


@schemathesis.check
def error_body_is_detail_and_code(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert isinstance(body.get("detail"), str), f"error body without a string detail: {body!r}"
    assert isinstance(body.get("code"), str), f"error body without a string code: {body!r}"
    return True


CHECKS = [
    not_a_server_error,
    status_code_is_declared,
    content_type_conformance,
    body_conforms,
    error_body_is_detail_and_code,
]


class Target:
    """The live appliance and the identity the fuzzer acts as."""

    def __init__(self, appliance: Appliance, token: str, manager_id: int, decoy_id: int) -> None:
        self.appliance = appliance
        self.headers = {"Authorization": f"Bearer {token}"}
        self.manager_id = manager_id
        self.decoy_id = decoy_id
        self.session = httpx.Client(base_url=appliance.base_url, timeout=20)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    with Appliance(tmp_path_factory.mktemp("fuzz"), env=TEST_ENV) as appliance:
        data = seed(appliance.base_url, waiters=3, tables=12)
        with httpx.Client(base_url=appliance.base_url, timeout=20, headers=data.manager_headers) as client:
            body = {"username": FUZZ_MANAGER[0], "display_name": "Fuzz", "role": "manager", "pin": FUZZ_MANAGER[1]}
            resp = client.post("/api/waiters/", json=body)
            assert resp.status_code == 201, resp.text
            manager_id = resp.json()["id"]
            # Orders in several states, so ids the fuzzer tries can hit real ones.
            waiter = data.waiters[0]
            for n, table in enumerate(data.tables[:4]):
                order = client.post("/api/orders/", json={"table_id": table["id"], "guests": 2}, headers=waiter.headers)
                assert order.status_code == 201, order.text
                order_id = order.json()["id"]
                items = {"items": data.item_templates[n : n + 3]}
                resp = client.post(f"/api/orders/{order_id}/items", json=items, headers=waiter.headers)
                assert resp.status_code == 201, resp.text
                if n % 2:
                    item_ids = [i["id"] for i in client.get(f"/api/orders/{order_id}").json()["items"]]
                    resp = client.post(f"/api/orders/{order_id}/pay", json={"item_ids": item_ids, "method": "cash"})
                    assert resp.status_code // 100 == 2, resp.text
        token = login(httpx.Client(base_url=appliance.base_url), *FUZZ_MANAGER)
        result = Target(appliance, token, manager_id, data.waiters[-1].id)
        try:
            yield result
        finally:
            result.session.close()


def _protect_the_fuzzer(case: Any, target: Target) -> None:
    # Demoting, deactivating or re-PINning the fuzzer's own account would turn every later call into a 401/403
    # and hide the routes behind it; aim those calls at another user instead.
    params = case.path_parameters or {}
    if case.operation.path.startswith("/api/waiters/{user_id}") and params.get("user_id") == target.manager_id:
        params["user_id"] = target.decoy_id
    # Activation calls the cloud URL it is given: a made-up one must not send traffic off this machine. Without
    # one (and with no CLOUD_URL configured) the appliance answers 422 before calling anything.
    if case.operation.path == "/api/license/activate" and isinstance(case.body, dict):
        case.body.pop("cloud_url", None)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_no_input_makes_the_appliance_fail(case: Any, target: Target) -> None:
    _protect_the_fuzzer(case, target)
    if case.headers is None:
        case.headers = {}
    case.headers.update(target.headers)
    response = case.call(base_url=target.appliance.base_url)
    try:
        case.validate_response(response, checks=CHECKS, headers=case.headers)
    except BaseException as exc:
        if response.status_code >= 500:  # the server's traceback says more than the status
            exc.add_note(f"appliance log (tail):\n{target.appliance.log_tail(3000)}")
        raise


class TestTheFuzzedSchema:
    def test_is_the_schema_the_appliance_serves(self, target: Target) -> None:
        served = target.session.get("/openapi.json")
        assert served.status_code == 200
        assert served.json() == OPENAPI

    def test_covers_the_contract_routes(self) -> None:
        operations = {(m.upper(), p) for p, ops in OPENAPI["paths"].items() for m in ops}
        for op in [
            ("POST", "/api/auth/login"),
            ("GET", "/api/tables/"),
            ("POST", "/api/tables/batch"),
            ("GET", "/api/products/"),
            ("POST", "/api/products/categories"),
            ("POST", "/api/orders/"),
            ("POST", "/api/orders/{order_id}/items"),
            ("POST", "/api/orders/{order_id}/pay"),
            ("POST", "/api/orders/{order_id}/close"),
            ("GET", "/api/waiters/"),
            ("GET", "/api/system/health"),
        ]:
            assert op in operations


def test_every_operation_is_fuzzed() -> None:
    # parametrize makes one test per operation; an operation it cannot build must fail, not vanish.
    results = list(schema.get_all_operations())
    assert len(results) == sum(len(v) for v in OPENAPI["paths"].values())
    broken = [r.err() for r in results if not isinstance(r, Ok)]
    assert not broken
