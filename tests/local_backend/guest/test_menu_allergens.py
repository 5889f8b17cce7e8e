"""The guest menu carries each product's allergens, as the manager set them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from tests.local_backend.guest.conftest import GuestTable


class TestTheGuestMenuShowsAllergens:
    def test_a_product_carries_the_allergens_the_manager_ticked(
        self,
        client: TestClient,
        manager_headers: dict[str, str],
        guest_table: Callable[..., GuestTable],
        steak: Product,
        soup: Product,
    ) -> None:
        resp = client.put(f"/api/products/{steak.id}", json={"allergens": ["mustard", "milk"]}, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        table = guest_table()
        menu = client.get(table.url("/menu"))
        assert menu.status_code == 200, menu.text
        by_id = {p["id"]: p for p in menu.json()["products"]}
        assert by_id[steak.id]["allergens"] == ["milk", "mustard"]
        assert by_id[soup.id]["allergens"] == []
