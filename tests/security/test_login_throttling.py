"""Login throttling: the appliance per user (PIN lockout) and per address; the cloud per username and per address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.auth.throttle import MAX_TRACKED_ADDRESSES, AddressThrottle, LoginThrottled
from tests.cloud_backend.conftest import ADMIN, FakeClock, database_url
from tests.conftest import MANAGER
from tests.security.conftest import appliance_settings, build_appliance, build_cloud, cloud_settings

PRANKSTER = ("10.0.0.66", 40000)
WAITER_PHONE = ("10.0.0.7", 40001)


def assert_throttled(response: httpx.Response, code: str, *, at_most: int) -> int:
    """429 with the code and a Retry-After of 1..at_most seconds; returns the Retry-After."""
    body = response.json()
    assert (response.status_code, body["code"]) == (429, code), body
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= at_most
    return retry_after


@pytest.fixture
def appliance_app(tmp_path: Path) -> FastAPI:
    return build_appliance(appliance_settings(tmp_path))


@pytest.fixture
def appliance(appliance_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(appliance_app, client=PRANKSTER) as client:
        yield client


def pin_login(client: TestClient, username: str, pin: str) -> httpx.Response:
    response: httpx.Response = client.post("/api/auth/login", json={"username": username, "pin": pin})
    return response


class TestTheApplianceLocksAUserOut:
    def test_five_wrong_pins_lock_the_user_with_retry_after(self, appliance: TestClient) -> None:
        for _ in range(4):
            assert pin_login(appliance, MANAGER[0], "0000").status_code == 401
        assert_throttled(pin_login(appliance, MANAGER[0], "0000"), "PIN_LOCKED", at_most=300)
        assert_throttled(pin_login(appliance, MANAGER[0], MANAGER[1]), "PIN_LOCKED", at_most=300)


class TestTheApplianceThrottlesAnAddress:
    def test_cycling_usernames_is_throttled_after_twenty_failures(self, appliance: TestClient) -> None:
        for n in range(20):
            response = pin_login(appliance, f"guess{n}", "1234")
            assert response.status_code == 401, response.json()
        assert_throttled(pin_login(appliance, "guess20", "1234"), "LOGIN_THROTTLED", at_most=300)

    def test_the_throttled_address_cannot_log_in_even_with_a_right_pin(self, appliance: TestClient) -> None:
        for n in range(20):
            pin_login(appliance, f"guess{n}", "1234")
        assert_throttled(pin_login(appliance, *MANAGER), "LOGIN_THROTTLED", at_most=300)

    def test_a_throttled_device_locks_nobody_out(self, appliance: TestClient, appliance_app: FastAPI) -> None:
        for _ in range(20):
            pin_login(appliance, f"other{_}", "1234")
        for _ in range(10):  # would lock the manager twice over if they reached the PIN check
            pin_login(appliance, MANAGER[0], "0000")
        with TestClient(appliance_app, client=WAITER_PHONE) as phone:
            assert pin_login(phone, *MANAGER).status_code == 200

    def test_other_devices_log_in_meanwhile(self, appliance: TestClient, appliance_app: FastAPI) -> None:
        for n in range(21):
            pin_login(appliance, f"guess{n}", "1234")
        with TestClient(appliance_app, client=WAITER_PHONE) as phone:
            assert pin_login(phone, *MANAGER).status_code == 200

    def test_the_limit_is_a_setting(self, tmp_path: Path) -> None:
        app = build_appliance(appliance_settings(tmp_path, login_address_max_failures=3))
        with TestClient(app, client=PRANKSTER) as client:
            for n in range(3):
                pin_login(client, f"guess{n}", "1234")
            assert_throttled(pin_login(client, "guess3", "1234"), "LOGIN_THROTTLED", at_most=300)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestTheAddressWindow:
    def test_failures_leave_the_window_one_by_one(self) -> None:
        clock = FakeMonotonic()
        throttle = AddressThrottle(max_failures=3, window_seconds=60, clock=clock)
        for _ in range(3):
            throttle.failed("a")
            clock.now += 10
        # Failures at 1000, 1010, 1020; now 1030: the first leaves at 1060.
        assert throttle.retry_after("a") == pytest.approx(30)
        assert throttle.retry_after("b") is None
        clock.now = 1060.5
        assert throttle.retry_after("a") is None

    def test_check_raises_429_with_retry_after_in_whole_seconds(self) -> None:
        clock = FakeMonotonic()
        throttle = AddressThrottle(max_failures=1, window_seconds=90, clock=clock)
        throttle.failed("a")
        clock.now += 0.5
        with pytest.raises(LoginThrottled) as raised:
            throttle.check("a")
        assert raised.value.headers == {"Retry-After": "90"}
        throttle.check(None)  # no address known: nothing to throttle on

    def test_memory_stays_bounded_with_many_addresses(self) -> None:
        clock = FakeMonotonic()
        throttle = AddressThrottle(max_failures=5, window_seconds=60, clock=clock)
        for n in range(MAX_TRACKED_ADDRESSES):
            throttle.failed(f"10.1.{n // 256}.{n % 256}")
        clock.now += 61
        throttle.failed("10.9.9.9")
        assert len(throttle._failures) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def cloud_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FastAPI]:
    with database_url(request.param, tmp_path) as url:
        yield build_cloud(cloud_settings(tmp_path, database_url=url), FakeClock())


def password_login(client: TestClient, username: str, password: str) -> httpx.Response:
    response: httpx.Response = client.post("/api/auth/login", json={"username": username, "password": password})
    return response


class TestTheCloudThrottles:
    def test_a_username_after_five_failures_even_with_the_right_password(self, cloud_app: FastAPI) -> None:
        with TestClient(cloud_app, client=PRANKSTER) as client:
            for _ in range(5):
                assert password_login(client, ADMIN[0], "wrong-password").status_code == 401
            assert_throttled(password_login(client, *ADMIN), "LOGIN_THROTTLED", at_most=15 * 60)
        with TestClient(cloud_app, client=WAITER_PHONE) as elsewhere:
            # Per username: another address is throttled for it too (the attacker may have many addresses).
            assert_throttled(password_login(elsewhere, *ADMIN), "LOGIN_THROTTLED", at_most=15 * 60)

    def test_an_address_cycling_usernames_after_five_failures(self, cloud_app: FastAPI) -> None:
        with TestClient(cloud_app, client=PRANKSTER) as client:
            for n in range(5):
                assert password_login(client, f"admin{n}", "wrong-password").status_code == 401
            assert_throttled(password_login(client, "admin9", "wrong-password"), "LOGIN_THROTTLED", at_most=15 * 60)
        with TestClient(cloud_app, client=WAITER_PHONE) as elsewhere:
            assert password_login(elsewhere, *ADMIN).status_code == 200
