"""Suppliers and stock items: create, read, change, and the rules that keep the ledger meaningful."""

from __future__ import annotations

from tests.local_backend.inventory.conftest import ok


class TestSuppliers:
    def test_create_list_change_and_deactivate(self, client, manager_headers) -> None:
        body = {"name": "Fish Market", "email": "orders@fish.example", "phone": "+30 210 123 4567", "notes": "Tue/Fri"}
        supplier = ok(client.post("/api/inventory/suppliers", json=body, headers=manager_headers), 201)
        assert {k: supplier[k] for k in body} == body
        assert supplier["is_active"] is True
        changed = ok(
            client.patch(
                f"/api/inventory/suppliers/{supplier['id']}",
                json={"phone": None, "is_active": False},
                headers=manager_headers,
            )
        )
        assert (changed["phone"], changed["is_active"], changed["email"]) == (None, False, body["email"])
        assert ok(client.get("/api/inventory/suppliers", headers=manager_headers)) == []
        listed = ok(client.get("/api/inventory/suppliers", params={"all": True}, headers=manager_headers))
        assert [s["id"] for s in listed] == [supplier["id"]]

    def test_a_bad_email_or_a_null_name_is_422_and_an_unknown_supplier_404(self, client, manager_headers) -> None:
        bad = client.post(
            "/api/inventory/suppliers", json={"name": "X", "email": "not-an-email"}, headers=manager_headers
        )
        assert bad.status_code == 422
        supplier = ok(client.post("/api/inventory/suppliers", json={"name": "X"}, headers=manager_headers), 201)
        nulled = client.patch(
            f"/api/inventory/suppliers/{supplier['id']}", json={"name": None}, headers=manager_headers
        )
        assert nulled.status_code == 422
        missing = client.patch("/api/inventory/suppliers/999", json={"name": "Y"}, headers=manager_headers)
        assert (missing.status_code, missing.json()["code"]) == (404, "SUPPLIER_NOT_FOUND")


class TestStockItems:
    def test_an_opening_stock_is_the_items_first_movement(self, client, manager_headers, make_item, movements) -> None:
        supplier = ok(client.post("/api/inventory/suppliers", json={"name": "Dairy"}, headers=manager_headers), 201)
        milk = make_item("Milk", "ml", on_hand=12_000, critical_level=4000, unit_cost=120, supplier_id=supplier["id"])
        assert (milk["on_hand"], milk["critical_level"], milk["unit_cost"], milk["supplier_id"]) == (
            12_000,
            4000,
            120,
            supplier["id"],
        )
        assert milk["is_low"] is False
        [opening] = movements(milk["id"])
        assert (opening["kind"], opening["delta"], opening["on_hand_after"]) == ("opening", 12_000, 12_000)
        assert movements(make_item("Salt", "g")["id"]) == []  # nothing on hand: no movement

    def test_items_are_listed_by_name_and_deactivated_ones_only_on_request(
        self, client, manager_headers, make_item
    ) -> None:
        make_item("Onions", "g")
        make_item("Beef", "g")
        old = make_item("Old wine", "ml", is_active=False)
        assert [i["name"] for i in ok(client.get("/api/inventory/items", headers=manager_headers))] == [
            "Beef",
            "Onions",
        ]
        everything = ok(client.get("/api/inventory/items", params={"all": True}, headers=manager_headers))
        assert old["id"] in [i["id"] for i in everything]

    def test_names_are_unique_whatever_the_case(self, client, manager_headers, make_item) -> None:
        make_item("Beef", "g")
        pork = make_item("Pork", "g")
        resp = client.post("/api/inventory/items", json={"name": "beef", "unit": "g"}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_ITEM_NAME_TAKEN")
        resp = client.patch(f"/api/inventory/items/{pork['id']}", json={"name": "BEEF"}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_ITEM_NAME_TAKEN")

    def test_a_non_ascii_name_taken_again_is_a_conflict_not_a_500(self, client, manager_headers, make_item) -> None:
        # SQLite's lower() folds ASCII only: the same name again must still be caught before the UNIQUE index.
        make_item("Φέτα Ü", "g")
        resp = client.post("/api/inventory/items", json={"name": "Φέτα Ü", "unit": "g"}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_ITEM_NAME_TAKEN")

    def test_the_unit_is_fixed_once_the_item_has_movements_or_is_in_a_recipe(
        self, client, manager_headers, make_item, make_product, set_recipe
    ) -> None:
        fresh = make_item("Flour", "g")
        changed = ok(client.patch(f"/api/inventory/items/{fresh['id']}", json={"unit": "pc"}, headers=manager_headers))
        assert changed["unit"] == "pc"
        stocked = make_item("Sugar", "g", on_hand=500)
        resp = client.patch(f"/api/inventory/items/{stocked['id']}", json={"unit": "ml"}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_UNIT_LOCKED")
        in_recipe = make_item("Basil", "g")
        set_recipe(make_product("Pesto", 900).id, [(in_recipe["id"], 10)])
        resp = client.patch(f"/api/inventory/items/{in_recipe['id']}", json={"unit": "pc"}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_UNIT_LOCKED")
        same = client.patch(f"/api/inventory/items/{stocked['id']}", json={"unit": "g"}, headers=manager_headers)
        assert same.status_code == 200  # naming the unit it has is no change

    def test_an_item_in_a_recipe_cannot_be_deactivated(
        self, client, manager_headers, make_item, make_product, set_recipe
    ) -> None:
        basil = make_item("Basil", "g")
        set_recipe(make_product("Pesto", 900).id, [(basil["id"], 10)])
        resp = client.patch(f"/api/inventory/items/{basil['id']}", json={"is_active": False}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "STOCK_ITEM_IN_RECIPE")

    def test_on_hand_is_not_patchable_and_unknown_ids_are_404_or_422(self, client, manager_headers, make_item) -> None:
        beef = make_item("Beef", "g", on_hand=10)
        resp = client.patch(f"/api/inventory/items/{beef['id']}", json={"on_hand": 99}, headers=manager_headers)
        assert resp.status_code == 422
        resp = client.get("/api/inventory/items/424242", headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (404, "STOCK_ITEM_NOT_FOUND")
        resp = client.patch(f"/api/inventory/items/{beef['id']}", json={"supplier_id": 5}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "SUPPLIER_UNKNOWN")
        for body in ({"name": "X", "unit": "kg"}, {"name": "X", "unit": "g", "critical_level": -1}):
            assert client.post("/api/inventory/items", json=body, headers=manager_headers).status_code == 422

    def test_the_ledger_pages_newest_first(self, client, manager_headers, make_item) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        for n in range(5):
            body = {"stock_item_id": beef["id"], "delta": n + 1, "reason": f"r{n}"}
            ok(client.post("/api/inventory/adjustments", json=body, headers=manager_headers), 201)
        url = f"/api/inventory/items/{beef['id']}/movements"
        first = ok(client.get(url, params={"limit": 4}, headers=manager_headers))
        assert [m["delta"] for m in first] == [5, 4, 3, 2]
        rest = ok(client.get(url, params={"limit": 4, "before_id": first[-1]["id"]}, headers=manager_headers))
        assert [m["delta"] for m in rest] == [1, 1000]
        assert [m["on_hand_after"] for m in first] == [1015, 1010, 1006, 1003]
