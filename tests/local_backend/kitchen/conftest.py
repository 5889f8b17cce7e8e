"""Fixtures for the kitchen display tests: two zones (kitchen, bar), a menu routed to them, an open order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.conftest import login


def make_zone(client: Any, headers: dict[str, str], name: str, **fields: Any) -> dict[str, Any]:
    # Out of service: no print worker starts, and the kitchen display does not care about paper.
    body = {"name": name, "ip_address": "127.0.0.1", "port": 9, "is_active": False, **fields}
    resp = client.post("/api/printers/", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    zone: dict[str, Any] = resp.json()
    return zone


def pair(client: Any, headers: dict[str, str], name: str, zone_ids: list[int], expo: bool = False) -> dict[str, Any]:
    resp = client.post("/api/kitchen/screens", json={"name": name, "zone_ids": zone_ids, "expo": expo}, headers=headers)
    assert resp.status_code == 201, resp.text
    screen: dict[str, Any] = resp.json()
    return screen


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def zones(client: TestClient, manager_headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        "kitchen": make_zone(client, manager_headers, "Kitchen", kds_warn_minutes=7, kds_late_minutes=12),
        "bar": make_zone(client, manager_headers, "Bar"),
    }


@pytest.fixture
def menu(make_product: Callable[..., Product], zones: dict[str, dict[str, Any]]) -> dict[str, Product]:
    return {
        "moussaka": make_product("Moussaka", 1200, printer_zone_id=zones["kitchen"]["id"]),
        "salad": make_product("Salad", 800, printer_zone_id=zones["kitchen"]["id"]),
        "ouzo": make_product("Ouzo", 500, category="Drinks", printer_zone_id=zones["bar"]["id"]),
    }


@pytest.fixture
def maria(make_user: Callable[..., User]) -> User:
    return make_user("maria")


@pytest.fixture
def maria_headers(client: TestClient, maria: User) -> dict[str, str]:
    return login(client, "maria", "1234")


@pytest.fixture
def order_id(client: TestClient, maria_headers: dict[str, str], make_table: Callable[..., Table]) -> int:
    table = make_table(7, label="T7")
    resp = client.post("/api/orders/", json={"table_id": table.id}, headers=maria_headers)
    assert resp.status_code == 201, resp.text
    value: int = resp.json()["id"]
    return value


def add_round(client: Any, headers: dict[str, str], order_id: int, *products: Product) -> list[dict[str, Any]]:
    resp = client.post(
        f"/api/orders/{order_id}/items", json={"items": [{"product_id": p.id} for p in products]}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    items: list[dict[str, Any]] = resp.json()["items"]
    return items
