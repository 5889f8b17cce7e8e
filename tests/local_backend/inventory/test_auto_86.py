"""A product the stock can no longer make goes off the menu by itself (every phone hears it live) and comes back
when stock is received; a manager's own 86 is never undone by stock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from local_backend.menu.models import Product
from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.local_backend.inventory.conftest import ok, option_id
from tests.support.sockets import receive, token_for, ws_url


def deliver(client: Any, headers: dict[str, str], item_id: int, quantity: int) -> Any:
    body = {"lines": [{"stock_item_id": item_id, "quantity": quantity}]}
    return ok(client.post("/api/inventory/deliveries", json=body, headers=headers), 201)


class TestTakenOffByTheStock:
    def test_the_sale_that_leaves_less_than_one_portion_takes_the_product_off(
        self, make_item, set_recipe, burger, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=450)
        set_recipe(burger.id, [(beef["id"], 150)])
        order = open_order()
        ok(add_items(order["id"], {"product_id": burger.id, "quantity": 2}), 201)
        assert product_state(burger.id) == (True, None)  # 150 g left: one more burger
        ok(add_items(order["id"], {"product_id": burger.id}), 201)
        assert product_state(burger.id) == (False, "stock")
        resp = add_items(order["id"], {"product_id": burger.id})
        assert (resp.status_code, resp.json()["code"]) == (409, "PRODUCT_UNAVAILABLE")

    def test_every_product_short_of_the_item_goes_and_the_others_stay(
        self, make_item, set_recipe, make_product, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=400)
        big, small, salad = (make_product(n, 1000) for n in ("Big burger", "Small burger", "Salad"))
        set_recipe(big.id, [(beef["id"], 250)])
        set_recipe(small.id, [(beef["id"], 100)])
        ok(add_items(open_order()["id"], {"product_id": small.id, "quantity": 2}), 201)  # 200 g left
        assert product_state(big.id) == (False, "stock")
        assert product_state(small.id) == (True, None)
        assert product_state(salad.id) == (True, None)

    def test_an_option_running_out_does_not_take_the_product_off(
        self, make_item, set_recipe, burger, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=10_000)
        cheese = make_item("Cheddar", "g", on_hand=30)
        set_recipe(burger.id, [(beef["id"], 150)], {option_id(burger): [(cheese["id"], 30)]})
        ok(add_items(open_order()["id"], {"product_id": burger.id, "option_ids": [option_id(burger)]}), 201)
        assert product_state(burger.id) == (True, None)

    def test_a_recipe_the_stock_cannot_make_takes_the_product_off_at_once(
        self, make_item, set_recipe, burger, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=100)
        set_recipe(burger.id, [(beef["id"], 150)])
        assert product_state(burger.id) == (False, "stock")
        set_recipe(burger.id, [(beef["id"], 100)])  # a smaller portion it can make
        assert product_state(burger.id) == (True, None)

    def test_a_count_or_waste_that_leaves_too_little_takes_it_off(
        self, client, manager_headers, make_item, set_recipe, burger, make_product, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        fries = make_item("Potatoes", "g", on_hand=1000)
        chips = make_product("Chips", 400)
        set_recipe(burger.id, [(beef["id"], 150)])
        set_recipe(chips.id, [(fries["id"], 200)])
        count = {"reason": "weekly count", "lines": [{"stock_item_id": beef["id"], "counted": 100}]}
        ok(client.post("/api/inventory/counts", json=count, headers=manager_headers), 201)
        assert product_state(burger.id) == (False, "stock")
        waste = {"stock_item_id": fries["id"], "quantity": 900, "reason": "dropped the tray"}
        ok(client.post("/api/inventory/waste", json=waste, headers=manager_headers), 201)
        assert product_state(chips.id) == (False, "stock")

    def test_the_menu_audit_says_the_stock_did_it(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items
    ) -> None:
        beef = make_item("Beef", "g", on_hand=150)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(add_items(open_order()["id"], {"product_id": burger.id}), 201)
        events = ok(
            client.get(
                "/api/audit/",
                params={"action": "menu.availability_changed", "entity_type": "product"},
                headers=manager_headers,
            )
        )
        assert [(e["entity_id"], e["actor_id"], e["data"]["reason"]) for e in events] == [(burger.id, None, "stock")]
        assert events[0]["data"]["stock"] == {"short_of": [beef["id"]]}


class TestBackWithTheStock:
    def test_a_delivery_brings_back_what_the_stock_took_off(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=150)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(add_items(open_order()["id"], {"product_id": burger.id}), 201)
        assert product_state(burger.id) == (False, "stock")
        deliver(client, manager_headers, beef["id"], 100)  # 100 g: still not one burger
        assert product_state(burger.id) == (False, "stock")
        deliver(client, manager_headers, beef["id"], 50)
        assert product_state(burger.id) == (True, None)

    def test_it_needs_every_item_of_its_recipe_back(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=150)
        bun = make_item("Bun", "pc", on_hand=1)
        set_recipe(burger.id, [(beef["id"], 150), (bun["id"], 1)])
        ok(add_items(open_order()["id"], {"product_id": burger.id}), 201)
        deliver(client, manager_headers, beef["id"], 1000)
        assert product_state(burger.id) == (False, "stock")
        body = {"stock_item_id": bun["id"], "delta": 12, "reason": "found a bag in the freezer"}
        ok(client.post("/api/inventory/adjustments", json=body, headers=manager_headers), 201)
        assert product_state(burger.id) == (True, None)

    def test_a_void_that_returns_the_last_portion_brings_it_back(
        self, client, manager_headers, make_item, set_recipe, burger, open_order, add_items, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=150)
        set_recipe(burger.id, [(beef["id"], 150)])
        order = open_order()
        item = ok(add_items(order["id"], {"product_id": burger.id}), 201)["items"][0]
        assert product_state(burger.id) == (False, "stock")
        resp = client.request(
            "DELETE",
            f"/api/orders/{order['id']}/items/{item['id']}",
            json={"reason": "wrong table"},
            headers=manager_headers,
        )
        ok(resp)
        assert product_state(burger.id) == (True, None)

    def test_a_manager_86_stays_when_stock_comes_in(
        self, client, manager_headers, make_item, set_recipe, burger, make_product, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(
            client.patch(
                f"/api/products/{burger.id}/availability", json={"is_available": False}, headers=manager_headers
            )
        )
        assert product_state(burger.id) == (False, None)
        deliver(client, manager_headers, beef["id"], 5000)
        assert product_state(burger.id) == (False, None)

    def test_a_manager_86_of_a_product_the_stock_took_off_becomes_the_managers(
        self, client, manager_headers, make_item, set_recipe, burger, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=100)
        set_recipe(burger.id, [(beef["id"], 150)])
        assert product_state(burger.id) == (False, "stock")
        ok(
            client.patch(
                f"/api/products/{burger.id}/availability", json={"is_available": False}, headers=manager_headers
            )
        )
        assert product_state(burger.id) == (False, None)
        deliver(client, manager_headers, beef["id"], 1000)
        assert product_state(burger.id) == (False, None)

    def test_an_archived_product_is_never_brought_back(
        self, client, manager_headers, make_item, set_recipe, burger, product_state
    ) -> None:
        beef = make_item("Beef", "g", on_hand=100)
        set_recipe(burger.id, [(beef["id"], 150)])
        resp = client.delete(f"/api/products/{burger.id}", headers=manager_headers)
        assert resp.status_code == 204, resp.text
        deliver(client, manager_headers, beef["id"], 1000)
        body = ok(client.get(f"/api/products/{burger.id}", headers=manager_headers))
        assert body["is_archived"] is True
        assert body["is_available"] is False


# ---------------------------------------------------------------------------------------------------------------
# Live: a real server, a waiter's phone on /ws/events


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client, *MANAGER)}"
        yield client


def next_of(ws: Any, kind: str, tries: int = 20) -> dict[str, Any]:
    for _ in range(tries):
        message = receive(ws)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} event")


@pytest.mark.timeout(60)
class TestEveryPhoneSeesIt:
    def test_the_waiters_phone_hears_the_stock_86_and_the_return(
        self,
        live_server: str,
        api: httpx.Client,
        make_user: Callable[..., User],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        make_user("maria")
        maria = {"Authorization": f"Bearer {token_for(api, 'maria')}"}
        burger = make_product("Burger", 1200)
        table = make_table()
        beef = ok(api.post("/api/inventory/items", json={"name": "Beef", "unit": "g", "on_hand": 300}), 201)
        ok(
            api.put(
                f"/api/products/{burger.id}/recipe", json={"lines": [{"stock_item_id": beef["id"], "quantity": 150}]}
            )
        )
        order = ok(api.post("/api/orders/", json={"table_id": table.id}, headers=maria), 201)
        with connect(ws_url(live_server, "/ws/events", maria["Authorization"].split()[1])) as phone:
            assert receive(phone)["type"] == "snapshot"
            body = {"items": [{"product_id": burger.id, "quantity": 2}]}
            ok(api.post(f"/api/orders/{order['id']}/items", json=body, headers=maria), 201)
            event = next_of(phone, "menu.changed")
            assert event["data"] == {
                "action": "menu.availability_changed",
                "entity_type": "product",
                "entity_id": burger.id,
            }
            menu = ok(api.get("/api/products/", headers=maria))
            assert burger.id not in [p["id"] for p in menu]

            deliver(api, {}, beef["id"], 2000)
            event = next_of(phone, "menu.changed")
            assert event["data"]["entity_id"] == burger.id
            menu = ok(api.get("/api/products/", headers=maria))
            assert burger.id in [p["id"] for p in menu]

    def test_a_sale_that_leaves_enough_announces_no_menu_change(
        self,
        live_server: str,
        api: httpx.Client,
        make_user: Callable[..., User],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        make_user("maria")
        maria = {"Authorization": f"Bearer {token_for(api, 'maria')}"}
        burger = make_product("Burger", 1200)
        table = make_table()
        beef = ok(api.post("/api/inventory/items", json={"name": "Beef", "unit": "g", "on_hand": 3000}), 201)
        ok(
            api.put(
                f"/api/products/{burger.id}/recipe", json={"lines": [{"stock_item_id": beef["id"], "quantity": 150}]}
            )
        )
        order = ok(api.post("/api/orders/", json={"table_id": table.id}, headers=maria), 201)
        with connect(ws_url(live_server, "/ws/events", maria["Authorization"].split()[1])) as phone:
            receive(phone)
            ok(
                api.post(
                    f"/api/orders/{order['id']}/items", json={"items": [{"product_id": burger.id}]}, headers=maria
                ),
                201,
            )
            seen = []
            while True:
                try:
                    seen.append(receive(phone, timeout=0.5)["type"])
                except TimeoutError:
                    break
            assert "order.items_added" in seen
            assert "menu.changed" not in seen
