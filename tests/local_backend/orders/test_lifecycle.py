"""The whole life of an order: open, add rounds, split payment, close, and the table is free again."""

from __future__ import annotations

from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay, user_id


class TestOrderLifecycle:
    def test_open_add_pay_in_two_parts_close_and_reopen_the_table(
        self, client, waiter_headers, make_table, make_product
    ):
        maria = waiter_headers("maria")
        table = make_table(number=7, label="Terrace 7")
        salad = make_product("Greek salad", 850, category="Starters")
        beer = make_product("Beer", 450, category="Drinks")

        order = open_order(client, maria, table.id, guests=3)
        assert order["status"] == "open"
        assert order["waiter_id"] == user_id(client, maria)
        assert order["waiter_name"] == "Maria"
        assert (order["table_number"], order["table_label"]) == (7, "Terrace 7")
        assert order["guests"] == 3
        assert (order["items"], order["payments"], order["total"]) == ([], [], 0)

        first = add_items(client, maria, order["id"], line(salad.id, 2), line(beer.id, 3))
        second = add_items(client, maria, order["id"], line(beer.id, 1))
        assert [first["round"], second["round"]] == [1, 2]
        assert [i["round"] for i in first["items"]] == [1, 1]

        detail = get_order(client, maria, order["id"])
        assert detail["rounds"] == 2
        assert detail["total"] == 2 * 850 + 3 * 450 + 450
        assert detail["due"] == detail["total"]
        assert [i["product_name"] for i in detail["items"]] == ["Greek salad", "Beer", "Beer"]

        salad_id, beers_id = first["items"][0]["id"], first["items"][1]["id"]
        partly = pay(client, maria, order["id"], [salad_id], method="card", tip=150)
        assert partly["status"] == "partially_paid"
        assert partly["paid_total"] == 1700
        assert partly["tips_total"] == 150
        assert partly["payments"][0]["item_ids"] == [salad_id]
        assert partly["payments"][0]["amount"] == 1700

        blocked = client.post(f"/api/orders/{order['id']}/close", headers=maria)
        assert blocked.status_code == 409
        assert blocked.json()["code"] == "ORDER_HAS_BALANCE"

        rest = pay(client, maria, order["id"], [beers_id, second["items"][0]["id"]], method="cash")
        assert rest["status"] == "paid"
        assert rest["due"] == 0
        assert rest["paid_total"] == rest["total"] == 3500
        assert sorted(p["amount"] for p in rest["payments"]) == [1700, 1800]

        closed = client.post(f"/api/orders/{order['id']}/close", headers=maria)
        assert closed.status_code == 200
        assert closed.json()["status"] == "closed"
        assert closed.json()["closed_at"] is not None

        again = open_order(client, maria, table.id)
        assert again["id"] != order["id"]

    def test_an_empty_order_opened_by_mistake_can_be_closed(self, client, waiter_headers, make_table):
        maria = waiter_headers("maria")
        order = open_order(client, maria, make_table().id)
        resp = client.post(f"/api/orders/{order['id']}/close", headers=maria)
        assert resp.status_code == 200
        assert resp.json()["status"] == "closed"

    def test_closing_twice_is_a_conflict(self, client, waiter_headers, make_table):
        maria = waiter_headers("maria")
        order = open_order(client, maria, make_table().id)
        client.post(f"/api/orders/{order['id']}/close", headers=maria)
        resp = client.post(f"/api/orders/{order['id']}/close", headers=maria)
        assert resp.status_code == 409
        assert resp.json()["code"] == "ORDER_NOT_OPEN"

    def test_an_unknown_order_is_404(self, client, waiter_headers):
        maria = waiter_headers("maria")
        assert client.get("/api/orders/999", headers=maria).json()["code"] == "ORDER_NOT_FOUND"
        resp = client.post("/api/orders/999/items", json={"items": [line(1)]}, headers=maria)
        assert resp.status_code == 404
        assert resp.json()["code"] == "ORDER_NOT_FOUND"

    def test_orders_need_a_login(self, client):
        assert client.get("/api/orders/my").status_code == 401
        assert client.post("/api/orders/", json={"table_id": 1}).status_code == 401


class TestOpeningAnOrder:
    def test_a_table_with_an_active_order_cannot_get_a_second_one(self, client, waiter_headers, make_table):
        table = make_table()
        open_order(client, waiter_headers("maria"), table.id)
        resp = client.post("/api/orders/", json={"table_id": table.id}, headers=waiter_headers("nikos"))
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_HAS_OPEN_ORDER"

    def test_a_paid_but_not_closed_order_still_holds_the_table(self, client, waiter_headers, make_table, make_product):
        maria = waiter_headers("maria")
        table = make_table()
        order = open_order(client, maria, table.id)
        added = add_items(client, maria, order["id"], line(make_product().id))
        pay(client, maria, order["id"], [added["items"][0]["id"]])
        resp = client.post("/api/orders/", json={"table_id": table.id}, headers=maria)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_HAS_OPEN_ORDER"

    def test_the_database_index_is_the_last_line_of_defence(
        self, client, waiter_headers, manager_headers, make_table, monkeypatch
    ):
        from local_backend.orders import service

        maria = waiter_headers("maria")
        table = make_table()
        open_order(client, maria, table.id)
        # Blind the pre-check, as if a second process had opened the order after we looked.
        monkeypatch.setattr(service, "active_order_id", lambda db, table_id: None)
        resp = client.post("/api/orders/", json={"table_id": table.id}, headers=maria)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_HAS_OPEN_ORDER"
        orders = client.get("/api/orders/", params={"table": table.id}, headers=manager_headers)
        assert len(orders.json()) == 1

    def test_an_unknown_table_is_404(self, client, waiter_headers):
        resp = client.post("/api/orders/", json={"table_id": 4242}, headers=waiter_headers("maria"))
        assert resp.status_code == 404
        assert resp.json()["code"] == "TABLE_NOT_FOUND"

    def test_an_inactive_table_is_a_conflict(self, client, waiter_headers, make_table):
        table = make_table(is_active=False)
        resp = client.post("/api/orders/", json={"table_id": table.id}, headers=waiter_headers("maria"))
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_INACTIVE"

    def test_guests_must_be_between_0_and_100(self, client, waiter_headers, make_table):
        maria = waiter_headers("maria")
        table = make_table()
        for guests in (-1, 101):
            resp = client.post("/api/orders/", json={"table_id": table.id, "guests": guests}, headers=maria)
            assert resp.status_code == 422
            assert resp.json()["code"] == "VALIDATION_ERROR"
        assert open_order(client, maria, table.id)["guests"] == 0

    def test_a_manager_can_open_an_order_and_is_its_waiter(self, client, manager_headers, make_table):
        order = open_order(client, manager_headers, make_table().id)
        assert order["waiter_id"] == user_id(client, manager_headers)
