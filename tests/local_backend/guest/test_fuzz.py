"""Schema-driven fuzzing of the guest routes with a real table code: nothing a phone sends may produce a 5xx.

The whole-API fuzz test (tests/local_backend/test_api_fuzz.py) sends made-up codes, which only reach the 404;
here every request carries a real table's code, so bodies reach the cart, the submission and the staff routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from local_backend.app import create_app
from local_backend.config import Settings
from tests.support.appliance import TEST_ENV, Appliance, seed
from tests.support.fuzz import CHECKS, build_openapi, fuzz_settings, fuzzed_schema

MAX_EXAMPLES = 40

OPENAPI = build_openapi(
    lambda tmp: create_app(
        Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'unused.db'}", secret_key="openapi-only" * 4)
    )
)
schema = fuzzed_schema(OPENAPI, max_examples=MAX_EXAMPLES).include(path_regex=r"^/api/guest")


class Target:
    def __init__(self, appliance: Appliance, token: str, headers: dict[str, str]) -> None:
        self.appliance = appliance
        self.token = token
        self.headers = headers


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    with Appliance(tmp_path_factory.mktemp("guest-fuzz"), env=TEST_ENV) as appliance:
        data = seed(appliance.base_url, waiters=1, tables=2)
        with httpx.Client(base_url=appliance.base_url, timeout=20, headers=data.manager_headers) as client:
            resp = client.get(f"/api/tables/{data.tables[0]['id']}/qr")
            assert resp.status_code == 200, resp.text
            token = resp.json()["token"]
            # A pending submission, so the staff routes meet real ids too.
            line = {**data.item_templates[0], "nickname": "Fuzz"}
            line = {k: v for k, v in line.items() if k not in ("seat", "course")}
            assert client.post(f"/api/guest/{token}/cart/lines", json=line).status_code == 201, line
            version = client.get(f"/api/guest/{token}/cart").json()["version"]
            sent = client.post(f"/api/guest/{token}/submit", json={"nickname": "Fuzz", "cart_version": version})
            assert sent.status_code == 201, sent.text
        yield Target(appliance, token, data.manager_headers)


@schema.parametrize()
@fuzz_settings(MAX_EXAMPLES)
def test_no_guest_input_makes_the_appliance_fail(case: Any, target: Target) -> None:
    if case.path_parameters and "token" in case.path_parameters:
        case.path_parameters["token"] = target.token
    if case.headers is None:
        case.headers = {}
    case.headers.update(target.headers)
    response = case.call(base_url=target.appliance.base_url)
    try:
        case.validate_response(response, checks=CHECKS, headers=case.headers)
    except BaseException as exc:
        if response.status_code >= 500:
            exc.add_note(f"appliance log (tail):\n{target.appliance.log_tail(3000)}")
        raise
