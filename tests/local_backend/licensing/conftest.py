"""Licensing fixtures: the real app on a real SQLite file, a movable clock, and the cloud faked with respx."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
import respx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.config import Settings
from local_backend.licensing.decision import LicenseFacts
from local_backend.licensing.manager import LicenseManager
from shared.lease import SigningKey
from tests.conftest import MANAGER, login, make_settings
from tests.local_backend.licensing.support import (
    CLOUD_URL,
    HEARTBEAT_URL,
    SITE_ID,
    SITE_KEY,
    FakeCloud,
    MovableClock,
    jwks_json,
)

T = TypeVar("T")


@pytest.fixture(scope="session")
def cloud_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def attacker_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def cloud(cloud_key: SigningKey, clock: MovableClock) -> FakeCloud:
    return FakeCloud(cloud_key, clock)


@pytest.fixture(autouse=True)
def cloud_mock(cloud: FakeCloud) -> Iterator[respx.MockRouter]:
    """Every httpx call of the appliance goes to the fake cloud; anything else fails the test."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        mock.post(HEARTBEAT_URL).mock(side_effect=cloud)
        yield mock


@pytest.fixture
def settings(tmp_path: Path, cloud_key: SigningKey) -> Settings:
    return make_settings(tmp_path, license_public_keys=jwks_json(cloud_key))


@pytest.fixture
def app(settings: Settings, clock: MovableClock) -> FastAPI:
    return build_app(settings, clock)


def build_app(settings: Settings, clock: MovableClock) -> FastAPI:
    app = create_app(settings)
    app.state.license.clock = clock
    return app


@contextmanager
def running(settings: Settings, clock: MovableClock, **overrides: Any) -> Iterator[TestClient]:
    """Another start of the appliance on the same database file (a restart)."""
    if overrides:
        settings = Settings(_env_file=None, **{**settings.model_dump(), **overrides})
    with TestClient(build_app(settings, clock)) as client:
        yield client


def manager_of(client: TestClient) -> LicenseManager:
    app: Any = client.app
    manager: LicenseManager = app.state.license
    return manager


def facts_of(client: TestClient) -> LicenseFacts:
    facts = manager_of(client).facts
    assert facts is not None
    return facts


def scheduler_of(client: TestClient) -> Any:
    scheduler = manager_of(client)._scheduler
    assert scheduler is not None
    return scheduler


def call(client: TestClient, fn: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine function on the app's event loop (as the scheduler would)."""
    portal = client.portal
    assert portal is not None
    return portal.call(fn)


def activate(client: TestClient, headers: dict[str, str] | None = None, **body: Any) -> Any:
    headers = headers or login(client, *MANAGER)
    payload = {"site_id": SITE_ID, "site_key": SITE_KEY, "cloud_url": CLOUD_URL, **body}
    return client.post("/api/license/activate", json=payload, headers=headers)


def status_of(client: TestClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    resp = client.get("/api/license", headers=headers or login(client, *MANAGER))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def sync(client: TestClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    resp = client.post("/api/license/sync", headers=headers or login(client, *MANAGER))
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


@pytest.fixture
def activated(client: TestClient, manager_headers: dict[str, str]) -> dict[str, Any]:
    resp = activate(client, manager_headers)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())
