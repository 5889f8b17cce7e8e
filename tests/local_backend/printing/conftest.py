"""Fixtures for the printing tests: fake printers on 127.0.0.1, a bounded socket exchange, the app set up for
fast retries, and printers registered through the API."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.config import Settings
from tests.conftest import make_settings
from tests.support.fake_printer import FakePrinter, fake_printer


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


def exchange(address: tuple[str, int], data: bytes, *, expect: int = 0, timeout: float = 3.0) -> bytes:
    """Send `data` on a fresh connection, read up to `expect` reply bytes (bounded), close."""
    reply = b""
    with socket.create_connection(address, timeout=timeout) as conn:
        conn.sendall(data)
        while len(reply) < expect:
            chunk = conn.recv(expect - len(reply))
            if not chunk:
                break
            reply += chunk
    return reply


# --- the appliance with printers: fast retries, and idle polling slow enough that only a wake-up prints fast ---

FAST_PRINTING: dict[str, Any] = {
    "print_retry_base_seconds": 0.05,
    "print_retry_max_seconds": 0.2,
    "print_status_poll_seconds": 30.0,
    "print_connect_timeout_seconds": 1.0,
    "print_confirm_timeout_seconds": 2.0,
}


@pytest.fixture
def print_settings() -> dict[str, Any]:
    """Settings overrides for the app under test; a module overrides this fixture to change them."""
    return dict(FAST_PRINTING)


@pytest.fixture
def settings(tmp_path: Path, print_settings: dict[str, Any], kitchen: FakePrinter, bar: FakePrinter) -> Settings:
    # The printers are started before the app and stopped after it: a worker never meets a printer shutting down.
    return make_settings(tmp_path, **print_settings)


@pytest.fixture
def kitchen() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


@pytest.fixture
def bar() -> Iterator[FakePrinter]:
    with fake_printer(name="bar") as started:
        yield started


@pytest.fixture
def make_printer(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Register a fake printer with the appliance: `make_printer(kitchen, "Κουζίνα", failover_seconds=1)`."""

    def _make(fake: FakePrinter, name: str, **fields: Any) -> dict[str, Any]:
        body = {"name": name, "ip_address": fake.host, "port": fake.port, **fields}
        resp = client.post("/api/printers/", json=body, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    return _make


@pytest.fixture
def maria(waiter_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return waiter_headers("maria")
