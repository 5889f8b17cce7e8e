"""Purchase order fixtures: the appliance with SMTP pointed at a local sink and fast retries, a fake receipt
printer, and suppliers, stock items and orders made through the API."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.config import Settings
from tests.conftest import make_settings
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.purchasing.smtp_sink import SmtpSink
from tests.support.fake_printer import FakePrinter, fake_printer

BASE = "/api/inventory/purchase-orders"
FAST_EMAIL: dict[str, Any] = {
    "smtp_from": "Taverna <orders@taverna.test>",
    "smtp_starttls": False,  # the sink speaks plain SMTP on loopback
    "smtp_timeout_seconds": 2.0,
    "smtp_retry_base_seconds": 0.1,
    "smtp_retry_max_seconds": 0.3,
}


def ok(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A running SMTP sink; started before the app and stopped after it."""
    started = SmtpSink().start()
    yield started
    started.stop()


@pytest.fixture
def counter() -> Iterator[FakePrinter]:
    with fake_printer(name="counter") as started:
        yield started


@pytest.fixture
def email_settings(sink: SmtpSink) -> dict[str, Any]:
    """SMTP overrides for the app under test; a test class overrides this fixture to change them."""
    return {**FAST_EMAIL, "smtp_host": sink.host, "smtp_port": sink.port}


@pytest.fixture
def settings(tmp_path: Path, email_settings: dict[str, Any], counter: FakePrinter) -> Settings:
    return make_settings(tmp_path, restaurant_name="Ταβέρνα Ο Νίκος", **FAST_PRINTING, **email_settings)


@pytest.fixture
def make_supplier(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    def _make(name: str, **fields: Any) -> dict[str, Any]:
        supplier: dict[str, Any] = ok(
            client.post("/api/inventory/suppliers", json={"name": name, **fields}, headers=manager_headers), 201
        )
        return supplier

    return _make


@pytest.fixture
def make_item(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """`make_item("Beef", "g", on_hand=5000, critical_level=1000, unit_cost=1500, supplier_id=...)`."""

    def _make(name: str, unit: str = "g", **fields: Any) -> dict[str, Any]:
        item: dict[str, Any] = ok(
            client.post("/api/inventory/items", json={"name": name, "unit": unit, **fields}, headers=manager_headers),
            201,
        )
        return item

    return _make


@pytest.fixture
def make_order(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """A draft by hand: `make_order(supplier_id, [(stock_item_id, quantity)], note=...)`."""

    def _make(supplier_id: int | None, lines: list[tuple[int, int]], **fields: Any) -> dict[str, Any]:
        body = {
            "supplier_id": supplier_id,
            "lines": [{"stock_item_id": sid, "quantity": q} for sid, q in lines],
            **fields,
        }
        order: dict[str, Any] = ok(client.post(BASE, json=body, headers=manager_headers), 201)
        return order

    return _make


@pytest.fixture
def get_order(client: TestClient, manager_headers: dict[str, str]) -> Callable[[int], dict[str, Any]]:
    def _get(order_id: int) -> dict[str, Any]:
        order: dict[str, Any] = ok(client.get(f"{BASE}/{order_id}", headers=manager_headers))
        return order

    return _get


@pytest.fixture
def audit_actions(client: TestClient, manager_headers: dict[str, str]) -> Callable[[int], list[str]]:
    """The audit trail of one purchase order, oldest first."""

    def _actions(order_id: int) -> list[str]:
        events = ok(
            client.get(
                "/api/audit/",
                params={"entity_type": "purchase_order", "entity_id": order_id},
                headers=manager_headers,
            )
        )
        return [event["action"] for event in reversed(events)]

    return _actions
