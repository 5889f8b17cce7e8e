"""Transfer an order to another table, merge two tables' orders, move item units between orders — with the
kitchen's progress and the printed marks kept, and the ledger exact."""

from __future__ import annotations

from typing import Any

import pytest

from tests.local_backend.kitchen.conftest import make_zone
from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay_amount, post_payment


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def grill(client, manager_headers, make_product):
    zone = make_zone(client, manager_headers, "Grill")
    return zone, make_product("Souvlaki", 700, printer_zone_id=zone["id"])


def kitchen_tickets(client, manager_headers) -> list[dict[str, Any]]:
    resp = client.get("/api/kitchen/tickets", headers=manager_headers)
    assert resp.status_code == 200, resp.text
    return list(resp.json())


def start_cooking(client, manager_headers, item_id):
    resp = client.post(f"/api/kitchen/items/{item_id}/status", json={"status": "preparing"}, headers=manager_headers)
    assert resp.status_code == 200, resp.text


def refused(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


class TestTransfer:
    def test_the_order_moves_to_a_free_table_and_the_kitchen_keeps_its_items(
        self, client, maria, manager_headers, make_table, grill
    ):
        _, souvlaki = grill
        old, new = make_table(label="T1"), make_table(label="T2")
        order = open_order(client, maria, old.id)
        item = add_items(client, maria, order["id"], line(souvlaki.id, 2))["items"][0]
        start_cooking(client, manager_headers, item["id"])

        resp = client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": new.id}, headers=maria)
        assert resp.status_code == 200, resp.text
        moved = resp.json()
        assert (moved["table_id"], moved["table_label"], moved["id"]) == (new.id, "T2", order["id"])
        assert [(i["id"], i["status"]) for i in moved["items"]] == [(item["id"], "preparing")]
        floor = {t["id"]: t for t in client.get("/api/tables/", headers=maria).json()}
        assert (floor[old.id]["state"], floor[new.id]["order_id"]) == ("free", order["id"])
        assert [[i["id"] for i in t["items"]] for t in kitchen_tickets(client, manager_headers)] == [[item["id"]]]
        event = client.get(f"/api/orders/{order['id']}/history", headers=maria).json()[-1]
        assert (event["action"], event["data"]["from_table_id"], event["data"]["to_table_id"]) == (
            "order.transferred",
            old.id,
            new.id,
        )
        assert open_order(client, maria, old.id)["table_id"] == old.id

    def test_an_occupied_or_inactive_table_is_refused(self, client, maria, make_table):
        order = open_order(client, maria, make_table().id)
        busy = make_table()
        open_order(client, maria, busy.id)
        refused(
            client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": busy.id}, headers=maria),
            409,
            "TABLE_HAS_OPEN_ORDER",
        )
        off = make_table(is_active=False)
        refused(
            client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": off.id}, headers=maria),
            409,
            "TABLE_INACTIVE",
        )
        refused(
            client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": 99_999}, headers=maria),
            404,
            "TABLE_NOT_FOUND",
        )

    def test_only_someone_acting_on_the_order_transfers_it(self, client, maria, waiter_headers, make_table):
        order = open_order(client, maria, make_table().id)
        nikos = waiter_headers("nikos")
        resp = client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": make_table().id}, headers=nikos)
        refused(resp, 403, "NOT_ORDER_OWNER")


class TestMerge:
    def test_items_and_payments_come_over_and_the_other_table_is_free(
        self, client, maria, manager_headers, make_table, make_product, grill
    ):
        _, souvlaki = grill
        t1, t2 = make_table(), make_table()
        a, b = open_order(client, maria, t1.id, guests=2), open_order(client, maria, t2.id, guests=3)
        a_item = add_items(client, maria, a["id"], line(make_product("Wine", 2000).id))["items"][0]
        b_items = add_items(client, maria, b["id"], line(souvlaki.id, 3))["items"]
        start_cooking(client, manager_headers, b_items[0]["id"])
        b_paid = pay_amount(client, maria, b["id"], 700)["payment"]

        resp = client.post(f"/api/orders/{a['id']}/merge", json={"order_id": b["id"]}, headers=maria)
        assert resp.status_code == 200, resp.text
        merged = resp.json()
        assert sorted(i["id"] for i in merged["items"]) == sorted([a_item["id"], b_items[0]["id"]])
        assert (merged["total"], merged["paid_total"], merged["due"], merged["guests"]) == (4100, 700, 3400, 5)
        assert [p["id"] for p in merged["payments"]] == [b_paid["id"]]
        assert merged["status"] == "partially_paid"
        assert next(i for i in merged["items"] if i["id"] == b_items[0]["id"])["status"] == "preparing"

        other = get_order(client, maria, b["id"])
        assert (other["status"], other["cancel_reason"], other["merged_into_id"]) == (
            "cancelled",
            f"merged into #{a['id']}",
            a["id"],
        )
        floor = {t["id"]: t for t in client.get("/api/tables/", headers=maria).json()}
        assert floor[t2.id]["state"] == "free"
        # The kitchen still shows the souvlaki on its ticket, now under the merged order.
        assert [(t["order_id"], [i["id"] for i in t["items"]]) for t in kitchen_tickets(client, manager_headers)] == [
            (a["id"], [b_items[0]["id"]])
        ]
        # Not a void: the shift report does not count the merged order as cancelled.
        report = client.get("/api/reports/shift", headers=manager_headers).json()
        assert (report["orders_cancelled"], report["cancellations"]) == (0, [])

    def test_merging_an_order_with_itself_or_a_closed_one_is_refused(self, client, maria, make_table):
        a, b = open_order(client, maria, make_table().id), open_order(client, maria, make_table().id)
        refused(
            client.post(f"/api/orders/{a['id']}/merge", json={"order_id": a["id"]}, headers=maria), 422, "SAME_ORDER"
        )
        client.post(f"/api/orders/{b['id']}/close", headers=maria)
        refused(
            client.post(f"/api/orders/{a['id']}/merge", json={"order_id": b["id"]}, headers=maria),
            409,
            "ORDER_NOT_OPEN",
        )

    def test_merging_needs_rights_on_both_orders(self, client, maria, waiter_headers, make_table):
        nikos = waiter_headers("nikos")
        mine, theirs = open_order(client, maria, make_table().id), open_order(client, nikos, make_table().id)
        resp = client.post(f"/api/orders/{mine['id']}/merge", json={"order_id": theirs["id"]}, headers=maria)
        refused(resp, 403, "NOT_ORDER_OWNER")


class TestMoveItems:
    def test_part_of_a_line_moves_as_a_copy_with_its_kitchen_state_and_printed_mark(
        self, client, maria, manager_headers, make_table, grill, database
    ):
        from local_backend.orders.models import OrderItem

        _, souvlaki = grill
        a, b = open_order(client, maria, make_table().id), open_order(client, maria, make_table().id)
        item = add_items(client, maria, a["id"], line(souvlaki.id, 4, note="no onion"))["items"][0]
        start_cooking(client, manager_headers, item["id"])
        with database.write_session() as db:
            db.get_one(OrderItem, item["id"]).printed = True
        post_payment(client, maria, a["id"], method="card", items=[{"item_id": item["id"], "quantity": 1}])

        body = {"items": [{"item_id": item["id"], "quantity": 2}], "to_order_id": b["id"]}
        resp = client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria)
        assert resp.status_code == 200, resp.text
        source = resp.json()
        kept = source["items"][0]
        assert (kept["id"], kept["quantity"], kept["paid_quantity"]) == (item["id"], 2, 1)
        assert (source["total"], source["paid_total"], source["due"]) == (1400, 700, 700)
        target = get_order(client, maria, b["id"])
        copy = target["items"][0]
        assert copy["id"] != item["id"]
        assert (copy["quantity"], copy["paid_quantity"], copy["unit_price"], copy["note"]) == (2, 0, 700, "no onion")
        assert (copy["status"], copy["printed"], copy["preparing_at"]) == ("preparing", True, kept["preparing_at"])
        assert target["total"] == 1400
        # Both halves stay on a kitchen ticket; nothing was queued to print again.
        on_tickets = sorted(i["id"] for t in kitchen_tickets(client, manager_headers) for i in t["items"])
        assert on_tickets == sorted([item["id"], copy["id"]])

    def test_a_whole_unpaid_line_keeps_its_id(self, client, maria, make_table, make_product):
        a, b = open_order(client, maria, make_table().id), open_order(client, maria, make_table().id)
        item = add_items(client, maria, a["id"], line(make_product("Beer", 450).id, 2))["items"][0]
        body = {"items": [{"item_id": item["id"], "quantity": 2}], "to_order_id": b["id"]}
        source = client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria).json()
        assert (source["items"], source["total"]) == ([], 0)
        assert [i["id"] for i in get_order(client, maria, b["id"])["items"]] == [item["id"]]

    def test_paid_units_do_not_move(self, client, maria, make_table, make_product):
        a, b = open_order(client, maria, make_table().id), open_order(client, maria, make_table().id)
        item = add_items(client, maria, a["id"], line(make_product("Beer", 450).id, 2))["items"][0]
        post_payment(client, maria, a["id"], method="card", items=[{"item_id": item["id"], "quantity": 1}])
        body = {"items": [{"item_id": item["id"], "quantity": 2}], "to_order_id": b["id"]}
        refused(client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria), 409, "ITEM_ALREADY_PAID")

    def test_units_an_amount_already_paid_for_do_not_move(self, client, maria, make_table, make_product):
        a, b = open_order(client, maria, make_table().id), open_order(client, maria, make_table().id)
        item = add_items(client, maria, a["id"], line(make_product("Beer", 450).id, 2))["items"][0]
        pay_amount(client, maria, a["id"], 450)
        body = {"items": [{"item_id": item["id"], "quantity": 2}], "to_order_id": b["id"]}
        refused(
            client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria), 409, "ITEMS_COVERED_BY_PAYMENTS"
        )
        body["items"][0]["quantity"] = 1
        source = client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria).json()
        assert (source["due"], source["status"], source["items"][0]["is_paid"]) == (0, "paid", True)

    def test_moving_into_the_same_order_is_refused(self, client, maria, make_table, make_product):
        a = open_order(client, maria, make_table().id)
        item = add_items(client, maria, a["id"], line(make_product("Beer", 450).id))["items"][0]
        body = {"items": [{"item_id": item["id"], "quantity": 1}], "to_order_id": a["id"]}
        refused(client.post(f"/api/orders/{a['id']}/items/move", json=body, headers=maria), 422, "SAME_ORDER")
