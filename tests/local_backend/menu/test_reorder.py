"""Drag-to-reorder: PUT /api/products/categories/order and PUT /api/products/order set sort_order by position."""

from __future__ import annotations

from typing import Any

import pytest

from tests.local_backend.menu.conftest import audit_events


def put_categories(client, headers, ids: list[Any]):
    return client.put("/api/products/categories/order", json={"ids": ids}, headers=headers)


def put_products(client, headers, category_id: Any, ids: list[Any]):
    return client.put("/api/products/order", json={"category_id": category_id, "ids": ids}, headers=headers)


def refused(resp, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


def menu_events(database, since: int) -> list[dict[str, Any]]:
    return [e.data for e in database.events.history_after(since) if e.type == "menu.changed"]


@pytest.fixture
def three_categories(create_category):
    return [create_category(name)["id"] for name in ("Starters", "Mains", "Desserts")]


class TestCategories:
    def test_the_positions_become_the_menu_order_for_everyone(
        self, client, manager_headers, waiter_headers, three_categories, create_product
    ):
        starters, mains, desserts = three_categories
        create_product("Baklava", category_id=desserts)
        create_product("Tzatziki", category_id=starters)
        resp = put_categories(client, manager_headers, [desserts, starters, mains])
        assert resp.status_code == 200, resp.text
        assert [(c["id"], c["sort_order"]) for c in resp.json()] == [(desserts, 0), (starters, 1), (mains, 2)]
        maria = waiter_headers("maria")
        assert [c["id"] for c in client.get("/api/products/categories", headers=maria).json()] == [
            desserts,
            starters,
            mains,
        ]
        assert [p["name"] for p in client.get("/api/products/", headers=maria).json()] == ["Baklava", "Tzatziki"]

    def test_categories_left_out_follow_in_their_current_order_inactive_ones_included(
        self, client, manager_headers, three_categories, create_category
    ):
        starters, mains, desserts = three_categories
        drinks = create_category("Drinks", is_active=False, sort_order=9)["id"]
        resp = put_categories(client, manager_headers, [mains])
        # The rest keep the menu's current order: equal sort_order goes by name, then Drinks at 9.
        assert [c["id"] for c in resp.json()] == [mains, desserts, starters, drinks]
        assert [c["sort_order"] for c in resp.json()] == [0, 1, 2, 3]

    def test_it_is_audited_and_announced_to_every_screen_after_commit(
        self, client, manager_headers, three_categories, database
    ):
        starters, mains, desserts = three_categories
        since = database.events.seq
        put_categories(client, manager_headers, [mains, desserts, starters])
        assert menu_events(database, since) == [
            {"action": "menu.categories_reordered", "entity_type": "category", "entity_id": None}
        ]
        assert audit_events(client, manager_headers, "menu.categories_reordered")[0]["data"]["ids"] == [
            mains,
            desserts,
            starters,
        ]
        # The same order again changes nothing, and says nothing.
        since = database.events.seq
        assert put_categories(client, manager_headers, [mains, desserts, starters]).status_code == 200
        assert menu_events(database, since) == []

    def test_an_unknown_or_deleted_category_is_404_and_nothing_moves(
        self, client, manager_headers, three_categories, create_category, database
    ):
        starters, mains, _ = three_categories
        gone = create_category("Specials")["id"]
        assert client.delete(f"/api/products/categories/{gone}", headers=manager_headers).status_code == 204
        before = client.get("/api/products/categories", headers=manager_headers).json()
        since = database.events.seq
        for ids in ([mains, 99_999], [gone, starters]):
            refused(put_categories(client, manager_headers, ids), 404, "CATEGORY_NOT_FOUND")
        assert menu_events(database, since) == []
        assert client.get("/api/products/categories", headers=manager_headers).json() == before


class TestProducts:
    def test_one_categorys_products_take_the_given_order(
        self, client, manager_headers, create_category, create_product
    ):
        mains = create_category("Mains")["id"]
        moussaka, steak, gyros = (create_product(n, category_id=mains)["id"] for n in ("Moussaka", "Steak", "Gyros"))
        sold_out = create_product("Pastitsio", category_id=mains)["id"]
        client.patch(f"/api/products/{sold_out}/availability", json={"is_available": False}, headers=manager_headers)
        resp = put_products(client, manager_headers, mains, [gyros, sold_out, moussaka])
        assert resp.status_code == 200, resp.text
        assert [(p["id"], p["sort_order"]) for p in resp.json()] == [
            (gyros, 0),
            (sold_out, 1),
            (moussaka, 2),
            (steak, 3),
        ]
        menu = client.get("/api/products/", params={"category_id": mains}, headers=manager_headers).json()
        assert [p["id"] for p in menu] == [gyros, moussaka, steak]  # the 86'd one is not on the waiters' menu

    def test_a_product_of_another_category_or_an_archived_one_is_refused(
        self, client, manager_headers, create_category, create_product, database
    ):
        mains, drinks = create_category("Mains")["id"], create_category("Drinks")["id"]
        moussaka = create_product("Moussaka", category_id=mains)["id"]
        beer = create_product("Beer", category_id=drinks)["id"]
        old = create_product("Old dish", category_id=mains)["id"]
        assert client.delete(f"/api/products/{old}", headers=manager_headers).status_code == 204
        since = database.events.seq
        refused(put_products(client, manager_headers, mains, [moussaka, beer]), 422, "PRODUCT_NOT_IN_CATEGORY")
        refused(put_products(client, manager_headers, mains, [old]), 422, "PRODUCT_NOT_IN_CATEGORY")
        refused(put_products(client, manager_headers, 99_999, [moussaka]), 404, "CATEGORY_NOT_FOUND")
        assert menu_events(database, since) == []

    def test_it_is_announced_with_the_category(
        self, client, manager_headers, create_category, create_product, database
    ):
        mains = create_category("Mains")["id"]
        first, second = (create_product(n, category_id=mains)["id"] for n in ("A", "B"))
        since = database.events.seq
        put_products(client, manager_headers, mains, [second, first])
        assert menu_events(database, since) == [
            {"action": "menu.products_reordered", "entity_type": "category", "entity_id": mains}
        ]


class TestRefusals:
    def test_a_waiter_may_not_reorder(self, client, waiter_headers, three_categories):
        maria = waiter_headers("maria")
        refused(put_categories(client, maria, three_categories), 403, "MANAGER_REQUIRED")
        refused(put_products(client, maria, three_categories[0], [1]), 403, "MANAGER_REQUIRED")

    @pytest.mark.parametrize("ids", [[], [1, 1], ["1"], [0], None])
    def test_an_empty_list_duplicates_or_non_ids_are_422(self, client, manager_headers, three_categories, ids):
        assert put_categories(client, manager_headers, ids).status_code == 422
        assert put_products(client, manager_headers, three_categories[0], ids).status_code == 422

    def test_the_routes_do_not_shadow_the_single_item_ones(self, client, manager_headers, three_categories):
        # "order" is not read as a category or product id, and a real id still reaches its own route.
        resp = client.put(
            f"/api/products/categories/{three_categories[0]}", json={"name": "Meze"}, headers=manager_headers
        )
        assert (resp.status_code, resp.json()["name"]) == (200, "Meze")
        assert client.get("/api/products/order", headers=manager_headers).status_code in (404, 405, 422)
