"""Voiding items and cancelling orders: managers only, never over payments, always with a reason."""

from __future__ import annotations

import pytest

from tests.local_backend.orders.helpers import (
    add_items,
    cancel_item,
    cancel_order,
    get_order,
    line,
    open_order,
    pay,
    user_id,
)


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def served(client, maria, make_table, make_product):
    order = open_order(client, maria, make_table().id)
    wine = make_product("Wine", 2200)
    bread = make_product("Bread", 150)
    added = add_items(client, maria, order["id"], line(wine.id), line(bread.id, 2))
    return order["id"], [i["id"] for i in added["items"]]


class TestCancellingAnItem:
    def test_a_manager_cancels_an_item_with_a_reason(self, client, maria, manager_headers, served):
        order_id, (wine, _) = served
        resp = cancel_item(client, manager_headers, order_id, wine, reason="  corked  ")
        assert resp.status_code == 200
        body = resp.json()
        item = next(i for i in body["items"] if i["id"] == wine)
        assert item["status"] == "cancelled"
        assert item["cancel_reason"] == "corked"
        assert item["cancelled_by_id"] == user_id(client, manager_headers)
        assert item["cancelled_at"] is not None
        assert body["total"] == 300

    def test_a_waiter_may_not_cancel_an_item_without_a_managers_approval(self, client, maria, served):
        order_id, (wine, _) = served
        resp = cancel_item(client, maria, order_id, wine)
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_APPROVAL_REQUIRED"
        assert get_order(client, maria, order_id)["items"][0]["status"] == "pending"

    def test_a_paid_item_cannot_be_cancelled(self, client, maria, manager_headers, served):
        order_id, (wine, _) = served
        pay(client, maria, order_id, [wine])
        resp = cancel_item(client, manager_headers, order_id, wine)
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_ALREADY_PAID"

    def test_cancelling_twice_is_a_conflict(self, client, manager_headers, served):
        order_id, (wine, _) = served
        cancel_item(client, manager_headers, order_id, wine)
        resp = cancel_item(client, manager_headers, order_id, wine)
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_ALREADY_CANCELLED"

    def test_an_item_of_another_order_is_not_found(self, client, maria, manager_headers, served, make_table):
        _, (wine, _) = served
        other = open_order(client, maria, make_table().id)
        resp = cancel_item(client, manager_headers, other["id"], wine)
        assert resp.status_code == 404
        assert resp.json()["code"] == "ITEM_NOT_FOUND"

    def test_a_reason_is_required(self, client, manager_headers, served):
        order_id, (wine, _) = served
        for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 201}):
            resp = client.request("DELETE", f"/api/orders/{order_id}/items/{wine}", json=body, headers=manager_headers)
            assert resp.status_code == 422, body

    def test_cancelling_the_last_unpaid_item_makes_the_order_paid(self, client, maria, manager_headers, served):
        order_id, (wine, bread) = served
        assert pay(client, maria, order_id, [bread])["status"] == "partially_paid"
        assert cancel_item(client, manager_headers, order_id, wine).json()["status"] == "paid"
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).status_code == 200

    def test_cancelling_everything_of_an_unpaid_order_leaves_it_open(self, client, manager_headers, served):
        order_id, (wine, bread) = served
        cancel_item(client, manager_headers, order_id, wine)
        assert cancel_item(client, manager_headers, order_id, bread).json()["status"] == "open"

    def test_the_audit_remembers_whether_the_kitchen_had_it(self, client, maria, manager_headers, served, database):
        from sqlalchemy import update

        from local_backend.orders.models import OrderItem

        order_id, (wine, bread) = served
        with database.write_session() as db:
            db.execute(update(OrderItem).where(OrderItem.id == wine).values(printed=True))
        cancel_item(client, manager_headers, order_id, wine, reason="corked")
        cancel_item(client, manager_headers, order_id, bread, reason="not wanted")
        events = [
            e
            for e in client.get(f"/api/orders/{order_id}/history", headers=maria).json()
            if e["action"] == "order.item_cancelled"
        ]
        assert [(e["data"]["name"], e["data"]["was_printed"], e["data"]["reason"]) for e in events] == [
            ("Wine", True, "corked"),
            ("Bread", False, "not wanted"),
        ]
        assert events[1]["data"]["amount"] == 300
        assert events[0]["actor_name"] == "boss"  # the bootstrapped manager is named after its username


class TestCancellingAnOrder:
    def test_a_manager_cancels_an_unpaid_order_and_frees_the_table(self, client, maria, manager_headers, served):
        order_id, _ = served
        resp = cancel_order(client, manager_headers, order_id, reason="guests left")
        assert resp.status_code == 200
        body = resp.json()
        assert body["status"] == "cancelled"
        assert body["cancel_reason"] == "guests left"
        assert body["cancelled_at"] is not None
        assert {i["status"] for i in body["items"]} == {"cancelled"}
        assert open_order(client, maria, body["table_id"])["status"] == "open"

    def test_a_waiter_may_not_cancel_an_order(self, client, maria, served):
        order_id, _ = served
        resp = cancel_order(client, maria, order_id)
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    def test_an_order_with_payments_cannot_be_cancelled(self, client, maria, manager_headers, served):
        order_id, (wine, _) = served
        pay(client, maria, order_id, [wine])
        resp = cancel_order(client, manager_headers, order_id)
        assert resp.status_code == 409
        assert resp.json()["code"] == "ORDER_HAS_PAYMENTS"
        assert get_order(client, maria, order_id)["status"] == "partially_paid"

    def test_a_cancelled_order_cannot_be_cancelled_again_or_closed(self, client, maria, manager_headers, served):
        order_id, _ = served
        cancel_order(client, manager_headers, order_id)
        assert cancel_order(client, manager_headers, order_id).json()["code"] == "ORDER_NOT_OPEN"
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).json()["code"] == "ORDER_NOT_OPEN"

    def test_the_cancellation_is_audited_with_its_reason_and_amount(self, client, maria, manager_headers, served):
        order_id, _ = served
        cancel_order(client, manager_headers, order_id, reason="fire alarm")
        event = client.get(f"/api/orders/{order_id}/history", headers=manager_headers).json()[-1]
        assert event["action"] == "order.cancelled"
        assert (event["data"]["reason"], event["data"]["amount"], event["data"]["items"]) == ("fire alarm", 2500, 3)
