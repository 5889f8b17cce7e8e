"""Recipes: PUT replaces, GET reads back with the cost of one unit, validation with codes; product_costs for the
analytics' margins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from local_backend.db import Database
from local_backend.inventory.costs import product_costs
from local_backend.menu.models import Product
from tests.local_backend.inventory.conftest import ok, option_id


def put(client: Any, headers: dict[str, str], product_id: int, body: dict[str, Any]) -> Any:
    return client.put(f"/api/products/{product_id}/recipe", json=body, headers=headers)


class TestRecipes:
    def test_a_recipe_is_replaced_whole_and_read_back(
        self, client, manager_headers, make_item, burger, set_recipe
    ) -> None:
        beef = make_item("Beef", "g", unit_cost=1500)
        bun = make_item("Bun", "pc", unit_cost=40)
        cheese = make_item("Cheddar", "g", unit_cost=1200)
        recipe = set_recipe(burger.id, [(beef["id"], 150), (bun["id"], 1)], {option_id(burger): [(cheese["id"], 30)]})
        assert [(line["name"], line["unit"], line["quantity"]) for line in recipe["lines"]] == [
            ("Beef", "g", 150),
            ("Bun", "pc", 1),
        ]
        assert recipe["options"] == [
            {
                "option_id": option_id(burger),
                "name": "Cheese",
                "lines": [
                    {"stock_item_id": cheese["id"], "name": "Cheddar", "unit": "g", "quantity": 30, "unit_cost": 1200}
                ],
            }
        ]
        assert recipe["cost"] == 225 + 40  # 150 g at 15.00/kg + a bun; the option is an extra, not the dish
        assert ok(client.get(f"/api/products/{burger.id}/recipe", headers=manager_headers)) == recipe

        replaced = set_recipe(burger.id, [(beef["id"], 200)])
        assert [line["quantity"] for line in replaced["lines"]] == [200]
        assert replaced["options"] == []
        emptied = set_recipe(burger.id, [])
        assert (emptied["lines"], emptied["options"], emptied["cost"]) == ([], [], None)

    def test_the_recipe_change_is_audited(self, client, manager_headers, make_item, burger, set_recipe) -> None:
        beef = make_item("Beef", "g")
        set_recipe(burger.id, [(beef["id"], 150)])
        events = ok(client.get("/api/audit/", params={"action": "inventory.recipe_set"}, headers=manager_headers))
        assert [(e["entity_id"], e["data"]["lines"]) for e in events] == [
            (burger.id, [{"stock_item_id": beef["id"], "quantity": 150}])
        ]

    def test_an_unknown_product_is_404(self, client, manager_headers) -> None:
        resp = put(client, manager_headers, 9999, {"lines": []})
        assert (resp.status_code, resp.json()["code"]) == (404, "PRODUCT_NOT_FOUND")
        resp = client.get("/api/products/9999/recipe", headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (404, "PRODUCT_NOT_FOUND")

    def test_an_unknown_or_deactivated_stock_item_is_422(self, client, manager_headers, make_item, burger) -> None:
        resp = put(client, manager_headers, burger.id, {"lines": [{"stock_item_id": 777, "quantity": 5}]})
        assert (resp.status_code, resp.json()["code"]) == (422, "STOCK_ITEM_UNKNOWN")
        old = make_item("Old beef", "g", is_active=False)
        resp = put(client, manager_headers, burger.id, {"lines": [{"stock_item_id": old["id"], "quantity": 5}]})
        assert (resp.status_code, resp.json()["code"]) == (422, "STOCK_ITEM_INACTIVE")

    def test_an_option_of_another_product_is_422(
        self, client, manager_headers, make_item, burger, make_product: Callable[..., Product]
    ) -> None:
        beef = make_item("Beef", "g")
        other = make_product("Pizza", 900, options=[("Olives", 100)])
        body = {"options": [{"option_id": option_id(other), "lines": [{"stock_item_id": beef["id"], "quantity": 5}]}]}
        resp = put(client, manager_headers, burger.id, body)
        assert (resp.status_code, resp.json()["code"]) == (422, "INVALID_OPTION")

    @pytest.mark.parametrize(
        "body",
        [
            {"lines": [{"stock_item_id": 1, "quantity": 0}]},
            {"lines": [{"stock_item_id": 1, "quantity": -5}]},
            {"lines": [{"stock_item_id": 1, "quantity": 1.5}]},
            {"lines": [{"stock_item_id": 1, "quantity": 5}, {"stock_item_id": 1, "quantity": 5}]},
            {"lines": [{"stock_item_id": 1}]},
            {"lines": [], "options": [{"option_id": 1, "lines": []}, {"option_id": 1, "lines": []}]},
            {"lines": [], "extra": True},
        ],
    )
    def test_malformed_recipes_are_422(self, client, manager_headers, make_item, burger, body) -> None:
        make_item("Beef", "g")
        assert put(client, manager_headers, burger.id, body).status_code == 422

    def test_a_refused_recipe_keeps_the_old_one(self, client, manager_headers, make_item, burger, set_recipe) -> None:
        beef = make_item("Beef", "g")
        before = set_recipe(burger.id, [(beef["id"], 150)])
        resp = put(client, manager_headers, burger.id, {"lines": [{"stock_item_id": 4242, "quantity": 5}]})
        assert resp.status_code == 422
        assert ok(client.get(f"/api/products/{burger.id}/recipe", headers=manager_headers)) == before

    def test_deleting_an_option_deletes_its_recipe_lines(
        self, client, manager_headers, make_item, burger, set_recipe
    ) -> None:
        beef = make_item("Beef", "g")
        cheese = make_item("Cheddar", "g")
        set_recipe(burger.id, [(beef["id"], 150)], {option_id(burger): [(cheese["id"], 30)]})
        ok(client.put(f"/api/products/{burger.id}", json={"options": []}, headers=manager_headers))
        recipe = ok(client.get(f"/api/products/{burger.id}/recipe", headers=manager_headers))
        assert recipe["options"] == []
        assert [line["stock_item_id"] for line in recipe["lines"]] == [beef["id"]]


class TestProductCosts:
    def test_costs_round_half_up_and_unknown_costs_leave_the_product_out(
        self, make_item, make_product, set_recipe, database: Database
    ) -> None:
        saffron = make_item("Saffron", "g", unit_cost=1_000_001)  # 1000.001 minor units per gram
        rice = make_item("Rice", "g", unit_cost=250)  # 2.50 per kg
        egg = make_item("Egg", "pc", unit_cost=33)
        mystery = make_item("Mystery", "ml")  # no cost known
        half_up, exact, unknown, no_recipe = (make_product(n, 1000) for n in ("Risotto", "Omelette", "Special", "Tea"))
        set_recipe(half_up.id, [(rice["id"], 2), (saffron["id"], 1)])  # 0.5 + 1000.001 -> 1000.501 -> 1001
        set_recipe(exact.id, [(egg["id"], 3), (rice["id"], 400)])  # 99 + 100 = 199
        set_recipe(unknown.id, [(egg["id"], 1), (mystery["id"], 10)])
        with database.write_session() as db:
            costs = product_costs(db)
        assert costs == {half_up.id: 1001, exact.id: 199}
        assert no_recipe.id not in costs

    def test_a_half_rounds_up(self, make_item, make_product, set_recipe, database: Database) -> None:
        rice = make_item("Rice", "g", unit_cost=500)  # 0.5 minor units per gram
        one, three = make_product("One", 100), make_product("Three", 100)
        set_recipe(one.id, [(rice["id"], 1)])  # 0.5 -> 1
        set_recipe(three.id, [(rice["id"], 3)])  # 1.5 -> 2
        with database.write_session() as db:
            assert product_costs(db) == {one.id: 1, three.id: 2}
