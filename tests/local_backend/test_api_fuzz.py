"""Schema-driven fuzzing of every appliance route: nothing a client sends may produce a 5xx.

The requests go to a real appliance process (uvicorn, SQLite file, migrations) seeded with staff, tables, a
menu and orders, as a manager. What is checked on every response: tests/support/fuzz.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from local_backend.app import create_app
from local_backend.config import Settings
from tests.support.appliance import TEST_ENV, Appliance, login, seed
from tests.support.fuzz import (
    CHECKS,
    assert_every_operation_is_fuzzed,
    assert_operations_exist,
    build_openapi,
    fuzz_settings,
    fuzzed_schema,
)

MAX_EXAMPLES = 30
FUZZ_MANAGER = ("fuzzboss", "24680")

# Building the app creates no file (the engine connects lazily and never does here).
OPENAPI = build_openapi(
    lambda tmp: create_app(
        Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'unused.db'}", secret_key="openapi-only" * 4)
    )
)
schema = fuzzed_schema(OPENAPI, max_examples=MAX_EXAMPLES)


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
@fuzz_settings(MAX_EXAMPLES)
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
        assert_operations_exist(
            OPENAPI,
            [
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
            ],
        )


def test_every_operation_is_fuzzed() -> None:
    assert_every_operation_is_fuzzed(schema, OPENAPI)
