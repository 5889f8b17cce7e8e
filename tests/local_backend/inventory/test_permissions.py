"""Inventory is the managers': a waiter gets 403 on every inventory route, read or write (sales deduct by
themselves, so a waiter never needs stock figures); without a token, 401."""

from __future__ import annotations

import re
from typing import Any

import pytest

from local_backend.app import create_app
from local_backend.config import Settings
from tests.conftest import TEST_SECRET


def _inventory_routes() -> list[tuple[str, str]]:
    """Every operation of the inventory, from the app's OpenAPI schema (building the app opens no database)."""
    app = create_app(Settings(_env_file=None, database_url="sqlite:///unused-permissions.db", secret_key=TEST_SECRET))
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/api/inventory") or path.endswith("/recipe"):
            for method in sorted(operations):
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return found


ROUTES = _inventory_routes()


def test_the_inventory_api_is_all_there() -> None:
    paths = {f"{m} {p}" for m, p in ROUTES}
    for expected in (
        "GET /api/inventory/items",
        "POST /api/inventory/items",
        "PUT /api/products/1/recipe",
        "POST /api/inventory/deliveries",
        "GET /api/inventory/forecast",
    ):
        assert expected in paths


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_waiter_is_refused(client: Any, waiter_headers: Any, method: str, path: str) -> None:
    resp = client.request(method, path, json={}, headers=waiter_headers("maria"))
    assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_nobody_without_a_token(client: Any, method: str, path: str) -> None:
    assert client.request(method, path, json={}).status_code == 401
