"""Menu test helpers: categories and products created through the API, as a manager would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def create_category(client: TestClient, manager_headers: dict[str, str]) -> Callable[..., dict[str, Any]]:
    def _create(name: str = "Mains", **fields: Any) -> dict[str, Any]:
        resp = client.post("/api/products/categories", json={"name": name, **fields}, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        body: dict[str, Any] = resp.json()
        return body

    return _create


@pytest.fixture
def create_product(
    client: TestClient, manager_headers: dict[str, str], create_category: Callable[..., dict[str, Any]]
) -> Callable[..., dict[str, Any]]:
    """`create_product("Steak", base_price=2000, category_id=...)`; makes a category when none is given."""

    def _create(name: str = "Moussaka", **fields: Any) -> dict[str, Any]:
        if "category_id" not in fields:
            fields["category_id"] = create_category()["id"]
        payload = {"name": name, "base_price": 1200, **fields}
        resp = client.post("/api/products/", json=payload, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        body: dict[str, Any] = resp.json()
        return body

    return _create


def audit_events(client: TestClient, headers: dict[str, str], action: str) -> list[dict[str, Any]]:
    resp = client.get("/api/audit/", params={"action": action}, headers=headers)
    assert resp.status_code == 200, resp.text
    events: list[dict[str, Any]] = resp.json()
    return events
