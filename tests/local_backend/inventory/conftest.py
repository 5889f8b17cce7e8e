"""Inventory fixtures: stock items and recipes made through the API, a waiter's open order, ledger reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from local_backend.tables.models import Table


def ok(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


@pytest.fixture
def make_item(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """A stock item through the API: `make_item("Beef", "g", on_hand=1000, critical_level=200, unit_cost=1500)`."""

    def _make(name: str, unit: str = "g", **fields: Any) -> dict[str, Any]:
        body = {"name": name, "unit": unit, **fields}
        item: dict[str, Any] = ok(client.post("/api/inventory/items", json=body, headers=manager_headers), 201)
        return item

    return _make


@pytest.fixture
def set_recipe(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """`set_recipe(product_id, [(stock_item_id, qty)], {option_id: [(stock_item_id, qty)]})`."""

    def _set(
        product_id: int, lines: list[tuple[int, int]], options: dict[int, list[tuple[int, int]]] | None = None
    ) -> dict[str, Any]:
        body = {
            "lines": [{"stock_item_id": s, "quantity": q} for s, q in lines],
            "options": [
                {"option_id": o, "lines": [{"stock_item_id": s, "quantity": q} for s, q in option_lines]}
                for o, option_lines in (options or {}).items()
            ],
        }
        recipe: dict[str, Any] = ok(
            client.put(f"/api/products/{product_id}/recipe", json=body, headers=manager_headers)
        )
        return recipe

    return _set


@pytest.fixture
def on_hand(client: TestClient, manager_headers: dict[str, str]) -> Callable[[int], int]:
    def _on_hand(item_id: int) -> int:
        value: int = ok(client.get(f"/api/inventory/items/{item_id}", headers=manager_headers))["on_hand"]
        return value

    return _on_hand


@pytest.fixture
def movements(client: TestClient, manager_headers: dict[str, str]) -> Callable[[int], list[dict[str, Any]]]:
    """An item's ledger, oldest first."""

    def _movements(item_id: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = ok(
            client.get(f"/api/inventory/items/{item_id}/movements", headers=manager_headers)
        )
        return rows[::-1]

    return _movements


@pytest.fixture
def product_state(client: TestClient, manager_headers: dict[str, str]) -> Callable[[int], tuple[bool, str | None]]:
    """(is_available, unavailable_reason) of a product as the menu API shows it."""

    def _state(product_id: int) -> tuple[bool, str | None]:
        body = ok(client.get(f"/api/products/{product_id}", headers=manager_headers))
        return body["is_available"], body["unavailable_reason"]

    return _state


@pytest.fixture
def waiter(waiter_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return waiter_headers("maria")


@pytest.fixture
def open_order(
    client: TestClient, waiter: dict[str, str], make_table: Callable[..., Table]
) -> Callable[[], dict[str, Any]]:
    """A fresh table with an order opened by the waiter `maria`."""

    def _open() -> dict[str, Any]:
        table = make_table()
        order: dict[str, Any] = ok(client.post("/api/orders/", json={"table_id": table.id}, headers=waiter), 201)
        return order

    return _open


@pytest.fixture
def add_items(client: TestClient, waiter: dict[str, str]) -> Callable[..., Any]:
    """POST a round as the waiter; returns the raw response."""

    def _add(order_id: int, *items: dict[str, Any]) -> Any:
        return client.post(f"/api/orders/{order_id}/items", json={"items": list(items)}, headers=waiter)

    return _add


@pytest.fixture
def burger(make_product: Callable[..., Product]) -> Product:
    """A product with one option (cheese)."""
    return make_product("Burger", 1200, options=[("Cheese", 150)])


def option_id(product: Product) -> int:
    return product.options[0].id
