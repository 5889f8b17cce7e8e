"""Paying items: exact totals, split bills, tips and the conflicts a second phone can run into."""

from __future__ import annotations

import pytest

from tests.local_backend.orders.helpers import add_items, cancel_item, get_order, line, open_order, pay


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def served(client, maria, make_table, make_product):
    """An order with three items: 2 x 850, 1 x 450, 1 x 1200."""
    order = open_order(client, maria, make_table().id)
    salad = make_product("Salad", 850)
    beer = make_product("Beer", 450)
    fish = make_product("Fish", 1200)
    added = add_items(client, maria, order["id"], line(salad.id, 2), line(beer.id), line(fish.id))
    return order["id"], [i["id"] for i in added["items"]]


def post_pay(client, headers, order_id, body):
    return client.post(f"/api/orders/{order_id}/pay", json=body, headers=headers)


class TestPaying:
    def test_a_payment_is_the_exact_total_of_its_items_plus_the_tip(self, client, maria, served):
        order_id, (salad, beer, _) = served
        body = pay(client, maria, order_id, [salad, beer], method="card", tip=200)
        payment = body["payments"][0]
        assert payment["amount"] == 2 * 850 + 450
        assert payment["tip"] == 200
        assert payment["method"] == "card"
        assert sorted(payment["item_ids"]) == [salad, beer]
        assert {i["id"]: (i["paid_quantity"], i["is_paid"]) for i in body["items"]} == {
            salad: (2, True),
            beer: (1, True),
            served[1][2]: (0, False),
        }
        assert payment["items"] == [
            {"item_id": salad, "quantity": 2, "amount": 1700},
            {"item_id": beer, "quantity": 1, "amount": 450},
        ]
        assert (body["status"], body["paid_total"], body["due"], body["tips_total"]) == (
            "partially_paid",
            2150,
            1200,
            200,
        )

    def test_paying_the_last_items_makes_the_order_paid(self, client, maria, served):
        order_id, (salad, beer, fish) = served
        pay(client, maria, order_id, [salad])
        body = pay(client, maria, order_id, [beer, fish], method="card")
        assert body["status"] == "paid"
        assert body["due"] == 0
        assert len(body["payments"]) == 2

    def test_paying_a_paid_item_is_a_conflict(self, client, maria, served):
        order_id, (salad, beer, _) = served
        pay(client, maria, order_id, [salad])
        resp = post_pay(client, maria, order_id, {"item_ids": [beer, salad], "method": "cash"})
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_ALREADY_PAID"
        # Nothing of the refused payment sticks: the beer is still unpaid.
        assert [p["item_ids"] for p in get_order(client, maria, order_id)["payments"]] == [[salad]]

    def test_paying_a_cancelled_item_is_a_conflict(self, client, maria, manager_headers, served):
        order_id, (salad, _, _) = served
        cancel_item(client, manager_headers, order_id, salad)
        resp = post_pay(client, maria, order_id, {"item_ids": [salad], "method": "cash"})
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_CANCELLED"

    def test_an_item_of_another_order_is_not_in_this_order(self, client, maria, served, make_table, make_product):
        order_id, _ = served
        other = open_order(client, maria, make_table().id)
        foreign = add_items(client, maria, other["id"], line(make_product("Tea", 200).id))["items"][0]["id"]
        for ids in ([foreign], [999_999]):
            resp = post_pay(client, maria, order_id, {"item_ids": ids, "method": "cash"})
            assert resp.status_code == 422
            assert resp.json()["code"] == "ITEM_NOT_IN_ORDER"

    def test_a_closed_order_takes_no_payment(self, client, maria, served):
        order_id, items = served
        pay(client, maria, order_id, items)
        client.post(f"/api/orders/{order_id}/close", headers=maria)
        resp = post_pay(client, maria, order_id, {"item_ids": items[:1], "method": "cash"})
        assert resp.status_code == 409
        assert resp.json()["code"] == "ORDER_NOT_OPEN"

    @pytest.mark.parametrize(
        "body",
        [
            {"item_ids": [], "method": "cash"},
            {"item_ids": list(range(1, 202)), "method": "cash"},
            {"item_ids": [1], "method": "Bit Coin"},
            {"item_ids": [1], "method": "cash", "tip": -1},
            {"item_ids": [1]},
        ],
    )
    def test_malformed_payments_are_422(self, client, maria, served, body):
        order_id, _ = served
        resp = post_pay(client, maria, order_id, body)
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_an_unknown_method_is_422(self, client, maria, served):
        order_id, items = served
        resp = post_pay(client, maria, order_id, {"item_ids": items[:1], "method": "bitcoin"})
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_PAYMENT_METHOD"

    def test_a_payment_is_audited_with_amount_and_method(self, client, maria, served):
        order_id, (salad, _, _) = served
        pay(client, maria, order_id, [salad], method="card", tip=50)
        event = client.get(f"/api/orders/{order_id}/history", headers=maria).json()[-1]
        assert event["action"] == "order.paid"
        assert (event["data"]["amount"], event["data"]["method"], event["data"]["tip"]) == (1700, "card", 50)
        assert event["data"]["item_ids"] == [salad]
