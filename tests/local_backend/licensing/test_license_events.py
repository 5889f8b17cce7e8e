"""`license.changed` on /ws/events: a real uvicorn server, real WebSocket clients, the cloud faked with respx."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from fastapi import FastAPI
from websockets.sync.client import ClientConnection, connect

from local_backend.config import Settings
from local_backend.licensing.manager import TICK_JOB, LicenseManager
from shared.lease import LeaseState
from tests.conftest import MANAGER
from tests.local_backend.licensing.conftest import build_app
from tests.local_backend.licensing.support import CLOUD_URL, SITE_ID, SITE_KEY, FakeCloud, MovableClock
from tests.support.served import serve_in_thread
from tests.support.sockets import nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def served(settings: Settings, clock: MovableClock, cloud_mock: respx.MockRouter) -> Iterator[tuple[str, FastAPI]]:
    """The licensing app (movable clock, fake cloud) served by uvicorn on a free port of 127.0.0.1."""
    cloud_mock.route(host="127.0.0.1").pass_through()  # the tests' own requests reach the real server
    app = build_app(settings, clock)
    with serve_in_thread(app, name="uvicorn-license", lifespan="on") as url:
        yield url, app


@pytest.fixture
def base(served: tuple[str, FastAPI]) -> str:
    return served[0]


@pytest.fixture
def api(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=15) as client:
        yield client


@pytest.fixture
def boss(api: httpx.Client) -> str:
    return token_for(api, MANAGER[0], MANAGER[1])


@pytest.fixture
def maria(api: httpx.Client, boss: str) -> str:
    resp = api.post(
        "/api/waiters/",
        json={"username": "maria", "display_name": "Maria", "pin": "1234"},
        headers=bearer(boss),
    )
    assert resp.status_code == 201, resp.text
    return token_for(api, "maria")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def subscribed(base: str, token: str) -> Iterator[ClientConnection]:
    """A staff socket past its snapshot: what arrives next is live."""
    with connect(ws_url(base, "/ws/events", token)) as ws:
        assert receive(ws)["type"] == "snapshot"
        yield ws


def next_license_event(ws: ClientConnection) -> dict[str, Any]:
    """The next license.changed on this socket (other events are skipped; bounded)."""
    for _ in range(20):
        message = receive(ws)
        if message["type"] == "license.changed":
            return message
    raise AssertionError("no license.changed arrived")


def activate(api: httpx.Client, token: str) -> dict[str, Any]:
    payload = {"site_id": SITE_ID, "site_key": SITE_KEY, "cloud_url": CLOUD_URL}
    resp = api.post("/api/license/activate", json=payload, headers=bearer(token))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def sync(api: httpx.Client, token: str) -> dict[str, Any]:
    resp = api.post("/api/license/sync", headers=bearer(token))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def status(api: httpx.Client, token: str) -> dict[str, Any]:
    resp = api.get("/api/license", headers=bearer(token))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


class TestEveryMemberOfStaffIsTold:
    def test_an_activation_reaches_waiters_and_managers_with_what_get_answers(
        self, base: str, api: httpx.Client, boss: str, maria: str
    ) -> None:
        assert status(api, maria)["state"] == "trial"
        with subscribed(base, maria) as waiter_ws, subscribed(base, boss) as manager_ws:
            activated = activate(api, boss)
            seen_by_waiter = next_license_event(waiter_ws)
            seen_by_manager = next_license_event(manager_ws)
        assert activated["state"] == "active"
        assert seen_by_waiter["data"] == seen_by_manager["data"] == status(api, maria) == activated

    def test_a_lock_and_the_unlock_are_each_announced_once(
        self, base: str, api: httpx.Client, boss: str, maria: str, cloud: FakeCloud
    ) -> None:
        activate(api, boss)
        with subscribed(base, maria) as ws:
            cloud.state, cloud.lock_reason = LeaseState.LOCKED, "Unpaid invoice"
            sync(api, boss)
            locked = next_license_event(ws)["data"]
            assert (locked["state"], locked["code"], locked["allows_orders"]) == ("locked", "LICENSE_LOCKED", False)
            assert "Unpaid invoice" in locked["reason"]
            assert locked["lock_reason"] == "Unpaid invoice"

            cloud.state, cloud.lock_reason = LeaseState.ACTIVE, None
            sync(api, boss)
            unlocked = next_license_event(ws)["data"]
            assert (unlocked["state"], unlocked["allows_orders"]) == ("active", True)
            assert nothing_more(ws)


class TestOnlyChangesAreAnnounced:
    def test_a_sync_that_changes_nothing_sends_nothing(
        self, base: str, api: httpx.Client, boss: str, maria: str
    ) -> None:
        activate(api, boss)
        with subscribed(base, maria) as ws:
            sync(api, boss)
            status(api, maria)
            assert nothing_more(ws, wait=0.5)

    def test_a_failed_heartbeat_that_leaves_the_license_as_it_was_sends_nothing(
        self, base: str, api: httpx.Client, boss: str, maria: str, cloud: FakeCloud
    ) -> None:
        activate(api, boss)
        cloud.respond = lambda request, body: httpx.Response(500, text="oops")
        with subscribed(base, maria) as ws:
            assert sync(api, boss)["last_error"]
            assert nothing_more(ws, wait=0.5)


class TestTheMinuteTick:
    def test_a_lease_that_runs_out_with_nobody_asking_is_announced_by_the_tick(
        self,
        served: tuple[str, FastAPI],
        api: httpx.Client,
        boss: str,
        maria: str,
        cloud: FakeCloud,
        clock: MovableClock,
    ) -> None:
        base, app = served
        activate(api, boss)
        cloud.respond = lambda request, body: httpx.Response(503, text="down")
        manager: LicenseManager = app.state.license
        scheduler = manager._scheduler
        assert scheduler is not None
        with subscribed(base, maria) as ws:
            clock.advance(hours=31)  # past the lease (6 h interval + 24 h grace); no request, no heartbeat
            assert nothing_more(ws, wait=0.3)
            scheduler.modify_job(TICK_JOB, next_run_time=datetime.now(UTC))  # the minute tick comes round
            lapsed = next_license_event(ws)["data"]
        assert (lapsed["state"], lapsed["code"], lapsed["allows_orders"]) == ("restricted", "LEASE_EXPIRED", False)
        assert len(cloud.requests) == 1  # only the activation reached the cloud
