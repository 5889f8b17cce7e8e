"""Fixtures for the cloud: every test runs on SQLite (a temp file) and on PostgreSQL (a schema of its own).

PostgreSQL comes from TEST_POSTGRES_URL (CI sets it); a developer machine without it tries the local default
and skips the PostgreSQL half if that is unreachable, while CI fails instead. Each PostgreSQL test gets a fresh
schema (search_path set through the connection's options), migrated by the app at startup like production, and
dropped afterwards. Time is a `FakeClock` the app reads, so tests move it instead of sleeping.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cloud_backend.app import create_app
from cloud_backend.config import Settings
from cloud_backend.db import Database

ADMIN = ("root", "correct horse battery")
TEST_SECRET = "cloud-test-secret-key-long-enough-for-hs256-0123456789"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def postgres_base_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


_postgres_error: str | None = None
_postgres_checked = False


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used here (None when it can); asked once per run."""
    global _postgres_checked, _postgres_error
    if not _postgres_checked:
        _postgres_checked = True
        try:
            with psycopg.connect(_libpq(postgres_base_url()), connect_timeout=3) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            _postgres_error = f"PostgreSQL at {postgres_base_url()} is unreachable: {exc}"
    return _postgres_error


def require_postgres() -> None:
    reason = postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("TEST_POSTGRES_URL"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh, empty schema; yields the DATABASE_URL whose connections use it. Dropped on exit."""
    require_postgres()
    base = postgres_base_url()
    name = f"cloud_test_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(_libpq(base), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@contextlib.contextmanager
def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'cloud.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def cloud_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of an empty database: a SQLite file, or a PostgreSQL schema of its own."""
    with database_url(request.param, tmp_path) as url:
        yield url


def make_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "admin_username": ADMIN[0],
        "admin_password": ADMIN[1],
        "password_hash_rounds": 4,  # tests log in a lot; production keeps the real cost
        "jobs_enabled": False,  # tests run jobs by hand, at the times they choose
        "web_dir": tmp_path / "no-panel",
        "db_pool_size": 3,
        "db_max_overflow": 5,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class FakeClock:
    """The app's 'now': starts at START and moves only when a test says so."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud_settings(cloud_db: str, tmp_path: Path) -> Settings:
    return make_settings(cloud_db, tmp_path)


@pytest.fixture
def cloud_app(cloud_settings: Settings, clock: FakeClock) -> FastAPI:
    return create_app(cloud_settings, clock=clock)


@pytest.fixture
def cloud(cloud_app: FastAPI) -> Iterator[TestClient]:
    """A client of the started app (migrated, admin seeded, a signing key generated)."""
    with TestClient(cloud_app) as client:
        yield client


@pytest.fixture
def database(cloud_app: FastAPI, cloud: TestClient) -> Database:
    db: Database = cloud_app.state.database
    return db


def login(client: TestClient, username: str = ADMIN[0], password: str = ADMIN[1]) -> dict[str, str]:
    resp = client.post("/api/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


@pytest.fixture
def admin_headers(cloud: TestClient) -> dict[str, str]:
    return login(cloud)


@dataclass
class RegisteredSite:
    site_id: str
    secret_key: str
    body: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Site-ID": self.site_id, "X-Site-Key": self.secret_key}


@pytest.fixture
def register_site(cloud: TestClient, admin_headers: dict[str, str], clock: FakeClock) -> Callable[..., RegisteredSite]:
    """Register a site through the API: `register_site(name="Taverna", days=30, grace_hours=24)`."""
    counter = iter(range(1, 100_000))

    def _register(name: str | None = None, days: float = 30, **fields: Any) -> RegisteredSite:
        n = next(counter)
        body = {
            "name": name or f"Taverna {n}",
            "owner_name": f"Owner {n}",
            "contact_email": f"owner{n}@example.com",
            "license_expires_at": (clock.now + timedelta(days=days)).isoformat(),
            **fields,
        }
        resp = cloud.post("/api/sites/", json=body, headers=admin_headers)
        assert resp.status_code == 201, resp.text
        data = resp.json()
        return RegisteredSite(site_id=data["site_id"], secret_key=data["secret_key"], body=data)

    return _register


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def heartbeat(
    client: TestClient, site: RegisteredSite, *, nonce: str | None = None, version: str = "1.2.3", uptime: int = 60
) -> Any:
    return client.post(
        "/api/heartbeat/",
        json={"version": version, "uptime_seconds": uptime, "nonce": nonce or new_nonce()},
        headers=site.headers,
    )


Beat = Callable[..., Any]


@pytest.fixture
def beat(cloud: TestClient) -> Beat:
    """POST a heartbeat for a site: `beat(site, nonce=..., version=..., uptime=...)`."""

    def _beat(site: RegisteredSite, **kw: Any) -> Any:
        return heartbeat(cloud, site, **kw)

    return _beat
