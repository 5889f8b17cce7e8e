"""Sending items deducts their recipes in the same transaction; voiding an item the kitchen has not started
returns it; stock never makes a waiter's request fail."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from local_backend.db import Database
from local_backend.inventory.models import StockMovement
from local_backend.orders import service as orders
from local_backend.orders.schemas import OrderItemCreate
from local_backend.staff.models import User
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering
from tests.local_backend.inventory.conftest import ok, option_id


def void(client: TestClient, headers: dict[str, str], order_id: int, item_id: int) -> Any:
    return client.request(
        "DELETE", f"/api/orders/{order_id}/items/{item_id}", json={"reason": "guest changed mind"}, headers=headers
    )


class TestSendingItems:
    def test_the_recipe_and_each_chosen_option_leave_the_stock_times_the_quantity(
        self, make_item, set_recipe, burger, open_order, add_items, on_hand, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=2000)
        bun = make_item("Bun", "pc", on_hand=50)
        cheese = make_item("Cheddar", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150), (bun["id"], 1)], {option_id(burger): [(cheese["id"], 30)]})
        order = open_order()
        added = ok(
            add_items(
                order["id"],
                {"product_id": burger.id, "quantity": 2, "option_ids": [option_id(burger)]},
                {"product_id": burger.id, "quantity": 3},
            ),
            201,
        )
        with_cheese, plain = (item["id"] for item in added["items"])
        assert (on_hand(beef["id"]), on_hand(bun["id"]), on_hand(cheese["id"])) == (2000 - 750, 45, 1000 - 60)
        sales = [(m["kind"], m["delta"], m["on_hand_after"], m["order_item_id"]) for m in movements(beef["id"])[1:]]
        assert sales == [("sale", -300, 1700, with_cheese), ("sale", -450, 1250, plain)]
        assert [(m["delta"], m["order_item_id"]) for m in movements(cheese["id"])[1:]] == [(-60, with_cheese)]

    def test_an_option_that_uses_the_same_item_as_the_product_adds_to_one_movement(
        self, make_item, set_recipe, burger, open_order, add_items, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)], {option_id(burger): [(beef["id"], 100)]})
        ok(add_items(open_order()["id"], {"product_id": burger.id, "option_ids": [option_id(burger)]}), 201)
        assert [(m["kind"], m["delta"]) for m in movements(beef["id"])] == [("opening", 1000), ("sale", -250)]

    def test_products_without_a_recipe_move_nothing(
        self, make_item, set_recipe, burger, make_product, open_order, add_items, database: Database
    ) -> None:
        soup = make_product("Soup", 500)
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(add_items(open_order()["id"], {"product_id": soup.id, "quantity": 4}), 201)
        with database.write_session() as db:
            assert db.scalar(select(func.count(StockMovement.id)).where(StockMovement.kind == "sale")) == 0

    def test_a_held_course_is_deducted_when_sent(
        self, make_item, set_recipe, burger, open_order, add_items, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(add_items(open_order()["id"], {"product_id": burger.id, "course": 2}), 201)
        assert on_hand(beef["id"]) == 850

    def test_a_guest_round_sent_straight_to_the_kitchen_deducts_too(
        self, client, manager_headers, make_item, set_recipe, burger, make_table, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        set_ordering(client, manager_headers, "direct")
        table = make_table()
        code = ok(client.get(f"/api/tables/{table.id}/qr", headers=manager_headers))["token"]
        guest = GuestTable(id=table.id, label=table.label, token=code)
        ok(add_line(client, guest, burger.id, quantity=2), 201)
        version = ok(client.get(guest.url("/cart")))["version"]
        ok(client.post(guest.url("/submit"), json={"nickname": "Ann", "cart_version": version}), 201)
        assert on_hand(beef["id"]) == 700


class TestTheSameTransaction:
    def test_a_refused_round_leaves_the_stock_untouched(
        self, make_item, set_recipe, burger, make_product, open_order, add_items, on_hand, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        gone = make_product("Gone", 900, is_available=False)
        resp = add_items(open_order()["id"], {"product_id": burger.id}, {"product_id": gone.id})
        assert resp.status_code == 409, resp.text
        assert resp.json()["code"] == "PRODUCT_UNAVAILABLE"
        assert on_hand(beef["id"]) == 1000
        assert [m["kind"] for m in movements(beef["id"])] == ["opening"]

    def test_a_transaction_that_fails_after_the_items_were_added_takes_the_deduction_back(
        self, make_item, set_recipe, burger, open_order, database: Database, on_hand, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        order = open_order()

        class Boom(Exception):
            pass

        inside: list[int | None] = []

        def add_then_fail() -> None:
            with database.write_session() as db:
                maria = db.scalars(select(User).where(User.username == "maria")).one()
                orders.add_items(
                    db, order_id=order["id"], items=[OrderItemCreate(product_id=burger.id, quantity=2)], by=maria
                )
                inside.append(db.scalar(select(func.count(StockMovement.id)).where(StockMovement.kind == "sale")))
                raise Boom  # the transaction fails after the items were added: items and deduction go together

        with pytest.raises(Boom):
            add_then_fail()
        assert inside == [1]  # it was deducted inside the transaction...
        assert on_hand(beef["id"]) == 1000  # ...and is gone with it
        assert [m["kind"] for m in movements(beef["id"])] == ["opening"]


class TestNeverAFailureBecauseOfStock:
    def test_selling_more_than_is_on_hand_goes_negative_and_succeeds(
        self, make_item, set_recipe, burger, open_order, add_items, on_hand, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=200)
        set_recipe(burger.id, [(beef["id"], 150)])  # enough for one: on the menu
        ok(add_items(open_order()["id"], {"product_id": burger.id, "quantity": 3}), 201)
        assert on_hand(beef["id"]) == -250
        assert product_state(burger.id) == (False, "stock")

    def test_a_manager_may_override_and_the_stock_goes_negative(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, on_hand, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=100)
        set_recipe(burger.id, [(beef["id"], 150)])
        assert product_state(burger.id) == (False, "stock")
        ok(
            client.patch(
                f"/api/products/{burger.id}/availability", json={"is_available": True}, headers=manager_headers
            )
        )
        ok(add_items(open_order()["id"], {"product_id": burger.id, "quantity": 3}), 201)
        assert on_hand(beef["id"]) == 100 - 450
        assert product_state(burger.id) == (False, "stock")  # and the stock takes it off again

    def test_a_stock_item_deactivated_after_use_still_never_fails_a_round(
        self, client, manager_headers, make_item, set_recipe, burger, make_product, open_order, add_items, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        set_recipe(burger.id, [])  # recipe removed, item deactivated
        ok(client.patch(f"/api/inventory/items/{beef['id']}", json={"is_active": False}, headers=manager_headers))
        ok(add_items(open_order()["id"], {"product_id": burger.id, "quantity": 2}), 201)
        assert on_hand(beef["id"]) == 1000

    def test_a_failing_ledger_rolls_the_stock_back_and_the_round_still_goes_through(
        self, make_item, set_recipe, burger, open_order, add_items, on_hand, database: Database, caplog
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        with database.write_session() as db:  # the database refuses ledger lines from now on
            db.execute(
                text(
                    "CREATE TRIGGER ledger_broken BEFORE INSERT ON stock_movements "
                    "BEGIN SELECT RAISE(ABORT, 'ledger broken'); END"
                )
            )
        resp = add_items(open_order()["id"], {"product_id": burger.id, "quantity": 2})
        assert resp.status_code == 201, resp.text
        assert on_hand(beef["id"]) == 1000  # the UPDATE before the failed INSERT was rolled back with it
        assert "stock deduction failed" in caplog.text


class TestVoids:
    def test_voiding_an_item_the_kitchen_has_not_started_returns_its_stock(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, on_hand, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        cheese = make_item("Cheddar", "g", on_hand=500)
        set_recipe(burger.id, [(beef["id"], 150)], {option_id(burger): [(cheese["id"], 30)]})
        order = open_order()
        item = ok(
            add_items(order["id"], {"product_id": burger.id, "quantity": 2, "option_ids": [option_id(burger)]}), 201
        )["items"][0]
        assert (on_hand(beef["id"]), on_hand(cheese["id"])) == (700, 440)
        ok(void(client, manager_headers, order["id"], item["id"]))
        assert (on_hand(beef["id"]), on_hand(cheese["id"])) == (1000, 500)
        returned = movements(beef["id"])[-1]
        assert (returned["kind"], returned["delta"], returned["order_item_id"]) == ("return", 300, item["id"])

    def test_voiding_an_item_being_prepared_returns_nothing(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        order = open_order()
        item = ok(add_items(order["id"], {"product_id": burger.id}), 201)["items"][0]
        ok(
            client.post(
                f"/api/kitchen/items/{item['id']}/status", json={"status": "preparing"}, headers=manager_headers
            )
        )
        ok(void(client, manager_headers, order["id"], item["id"]))
        assert on_hand(beef["id"]) == 850  # it is in the bin, not back on the shelf

    def test_cancelling_an_order_returns_only_what_the_kitchen_had_not_started(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 100)])
        order = open_order()
        started, waiting = ok(
            add_items(order["id"], {"product_id": burger.id, "quantity": 2}, {"product_id": burger.id, "quantity": 3}),
            201,
        )["items"]
        ok(client.post(f"/api/kitchen/items/{started['id']}/status", json={"status": "ready"}, headers=manager_headers))
        assert on_hand(beef["id"]) == 500
        ok(client.request("DELETE", f"/api/orders/{order['id']}", json={"reason": "left"}, headers=manager_headers))
        assert on_hand(beef["id"]) == 800
        assert waiting["status"] == "pending"
