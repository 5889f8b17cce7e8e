"""Guest ordering fixtures: a table with its QR code, a menu, and helpers to fill a table's cart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from local_backend.tables.models import Table


@dataclass
class GuestTable:
    id: int
    label: str
    token: str

    def url(self, path: str = "") -> str:
        return f"/api/guest/{self.token}{path}"


@pytest.fixture
def guest_table(
    client: TestClient, manager_headers: dict[str, str], make_table: Callable[..., Table]
) -> Callable[..., GuestTable]:
    """A new active table and its QR token (made through the manager API)."""

    def _make(**kw: Any) -> GuestTable:
        table = make_table(**kw)
        resp = client.get(f"/api/tables/{table.id}/qr", headers=manager_headers)
        assert resp.status_code == 200, resp.text
        return GuestTable(id=table.id, label=table.label, token=resp.json()["token"])

    return _make


@pytest.fixture
def soup(make_product: Callable[..., Product]) -> Product:
    return make_product("Soup", 500, category="Starters", category_zone=None)


@pytest.fixture
def steak(make_product: Callable[..., Product]) -> Product:
    return make_product(
        "Steak",
        2000,
        category="Mains",
        options=[("Pepper sauce", 150)],
        ingredients=["Onion"],
        preference_sets=[("Doneness", True, [("Rare", 0), ("Medium", 0)])],
    )


def add_line(client: TestClient, table: GuestTable, product_id: int, **kw: Any) -> Any:
    body = {"product_id": product_id, "quantity": 1, "nickname": "Ann", **kw}
    return client.post(table.url("/cart/lines"), json=body)


def set_ordering(client: TestClient, headers: dict[str, str], mode: str, **more: Any) -> None:
    resp = client.put("/api/settings", json={"guest_ordering": mode, **more}, headers=headers)
    assert resp.status_code == 200, resp.text
