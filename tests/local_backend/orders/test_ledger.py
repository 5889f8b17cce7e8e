"""POST /api/orders/{id}/payments: item units, amounts, cash change, methods, references, and closing at zero."""

from __future__ import annotations

import pytest

from tests.local_backend.orders.helpers import (
    add_items,
    cancel_item,
    get_order,
    line,
    open_order,
    pay_amount,
    post_payment,
)


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def bill(client, maria, make_table, make_product):
    """4 beers at 450 and a fish at 1200: 3000 in all."""
    order = open_order(client, maria, make_table().id)
    added = add_items(
        client, maria, order["id"], line(make_product("Beer", 450).id, 4), line(make_product("Fish", 1200).id)
    )
    beers, fish = (i["id"] for i in added["items"])
    return order["id"], beers, fish


def refused(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


class TestPayingItemUnits:
    def test_two_of_four_beers_are_paid_and_the_line_shows_it(self, client, maria, bill):
        order_id, beers, _ = bill
        resp = post_payment(client, maria, order_id, method="card", items=[{"item_id": beers, "quantity": 2}])
        assert resp.status_code == 201, resp.text
        payment, order = resp.json()["payment"], resp.json()["order"]
        assert (payment["amount"], payment["items"]) == (900, [{"item_id": beers, "quantity": 2, "amount": 900}])
        line_ = next(i for i in order["items"] if i["id"] == beers)
        assert (line_["paid_quantity"], line_["is_paid"]) == (2, False)
        assert (order["status"], order["paid_total"], order["due"]) == ("partially_paid", 900, 2100)

    def test_more_units_than_are_left_unpaid_is_a_conflict(self, client, maria, bill):
        order_id, beers, _ = bill
        post_payment(client, maria, order_id, method="card", items=[{"item_id": beers, "quantity": 3}])
        resp = post_payment(client, maria, order_id, method="card", items=[{"item_id": beers, "quantity": 2}])
        refused(resp, 409, "ITEM_ALREADY_PAID")
        assert get_order(client, maria, order_id)["paid_total"] == 1350

    def test_an_amount_that_is_not_the_items_total_is_422(self, client, maria, bill):
        order_id, beers, _ = bill
        resp = post_payment(client, maria, order_id, method="card", amount=500, items=[{"item_id": beers}])
        refused(resp, 422, "AMOUNT_MISMATCH")

    def test_items_of_another_order_or_cancelled_ones_are_refused(
        self, client, maria, manager_headers, bill, make_table, make_product
    ):
        order_id, _beers, fish = bill
        other = open_order(client, maria, make_table().id)
        foreign = add_items(client, maria, other["id"], line(make_product("Tea", 200).id))["items"][0]["id"]
        refused(
            post_payment(client, maria, order_id, method="card", items=[{"item_id": foreign}]), 422, "ITEM_NOT_IN_ORDER"
        )
        cancel_item(client, manager_headers, order_id, fish)
        refused(post_payment(client, maria, order_id, method="card", items=[{"item_id": fish}]), 409, "ITEM_CANCELLED")

    def test_neither_amount_nor_items_is_422(self, client, maria, bill):
        refused(post_payment(client, maria, bill[0], method="card"), 422, "VALIDATION_ERROR")


class TestPayingAmounts:
    def test_amounts_reduce_the_balance_until_the_order_is_paid_and_every_unit_settled(self, client, maria, bill):
        order_id, *_ = bill
        first = pay_amount(client, maria, order_id, 1000, split_part="1/3")
        assert (first["order"]["status"], first["order"]["due"]) == ("partially_paid", 2000)
        assert first["payment"]["split_part"] == "1/3"
        assert all(i["paid_quantity"] == 0 for i in first["order"]["items"])
        last = pay_amount(client, maria, order_id, 2000, tip=300)
        order = last["order"]
        assert (order["status"], order["due"], order["paid_total"], order["tips_total"]) == ("paid", 0, 3000, 300)
        assert all(i["is_paid"] and i["paid_quantity"] == i["quantity"] for i in order["items"])

    def test_paying_more_than_the_balance_is_a_conflict(self, client, maria, bill):
        order_id, *_ = bill
        refused(post_payment(client, maria, order_id, method="card", amount=3001), 409, "PAYMENT_EXCEEDS_BALANCE")
        pay_amount(client, maria, order_id, 3000)
        refused(post_payment(client, maria, order_id, method="card", amount=1), 409, "PAYMENT_EXCEEDS_BALANCE")

    def test_items_worth_more_than_the_balance_are_a_conflict(self, client, maria, bill):
        order_id, _, fish = bill
        pay_amount(client, maria, order_id, 2000)
        resp = post_payment(client, maria, order_id, method="card", items=[{"item_id": fish}])
        refused(resp, 409, "PAYMENT_EXCEEDS_BALANCE")

    def test_a_close_waits_for_a_zero_balance(self, client, maria, bill):
        order_id, *_ = bill
        pay_amount(client, maria, order_id, 2999)
        resp = client.post(f"/api/orders/{order_id}/close", headers=maria)
        refused(resp, 409, "ORDER_HAS_BALANCE")
        assert "1" in resp.json()["detail"]
        pay_amount(client, maria, order_id, 1)
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).json()["status"] == "closed"

    def test_an_item_whose_value_payments_already_cover_cannot_be_voided(self, client, maria, manager_headers, bill):
        order_id, _, fish = bill
        pay_amount(client, maria, order_id, 2500)
        refused(cancel_item(client, manager_headers, order_id, fish), 409, "ITEMS_COVERED_BY_PAYMENTS")

    def test_voiding_the_last_unpaid_item_makes_the_order_paid(self, client, maria, manager_headers, bill):
        order_id, _, fish = bill
        pay_amount(client, maria, order_id, 1800)
        assert cancel_item(client, manager_headers, order_id, fish).json()["status"] == "paid"

    def test_adding_to_a_paid_order_makes_it_partially_paid(self, client, maria, bill, make_product):
        order_id, *_ = bill
        pay_amount(client, maria, order_id, 3000)
        added = add_items(client, maria, order_id, line(make_product("Coffee", 250).id))
        assert added["order_status"] == "partially_paid"
        assert get_order(client, maria, order_id)["due"] == 250


class TestCash:
    def test_cash_handed_over_gives_change(self, client, maria, bill):
        order_id, *_ = bill
        body = pay_amount(client, maria, order_id, 1800, method="cash", tip=200, tendered=5000)
        assert (body["payment"]["tendered"], body["payment"]["change_due"]) == (5000, 3000)

    def test_cash_short_of_amount_and_tip_is_422(self, client, maria, bill):
        resp = post_payment(client, maria, bill[0], method="cash", amount=1800, tip=200, tendered=1999)
        refused(resp, 422, "TENDERED_TOO_LOW")
        assert get_order(client, maria, bill[0])["payments"] == []

    def test_exact_cash_needs_no_tendered(self, client, maria, bill):
        body = pay_amount(client, maria, bill[0], 1800, method="cash")
        assert (body["payment"]["tendered"], body["payment"]["change_due"]) == (None, 0)

    def test_only_cash_is_tendered(self, client, maria, bill):
        resp = post_payment(client, maria, bill[0], method="card", amount=100, tendered=500)
        refused(resp, 422, "TENDERED_ONLY_FOR_CASH")


class TestMethodsAndReferences:
    def test_the_builtin_methods_are_listed_in_order(self, client, maria):
        resp = client.get("/api/payment-methods", headers=maria)
        assert resp.status_code == 200
        assert [(m["code"], m["kind"]) for m in resp.json()] == [("cash", "cash"), ("card", "card"), ("upi", "upi")]

    def test_upi_is_paid_through_its_gateway_flow_only(self, client, maria, bill):
        refused(post_payment(client, maria, bill[0], method="upi", amount=100), 409, "METHOD_NEEDS_GATEWAY")

    def test_a_manager_defines_a_method_that_payments_then_use(self, client, maria, manager_headers, bill):
        resp = client.post(
            "/api/payment-methods", json={"code": "voucher", "name": "Gift voucher"}, headers=manager_headers
        )
        assert resp.status_code == 201, resp.text
        assert (resp.json()["kind"], resp.json()["is_active"]) == ("other", True)
        assert pay_amount(client, maria, bill[0], 500, method="voucher")["payment"]["method"] == "voucher"
        method_id = resp.json()["id"]
        off = client.put(f"/api/payment-methods/{method_id}", json={"is_active": False}, headers=manager_headers)
        assert off.json()["is_active"] is False
        refused(post_payment(client, maria, bill[0], method="voucher", amount=100), 409, "PAYMENT_METHOD_INACTIVE")
        assert "voucher" not in [m["code"] for m in client.get("/api/payment-methods", headers=maria).json()]
        every = client.get("/api/payment-methods", params={"all": "true"}, headers=manager_headers).json()
        assert "voucher" in [m["code"] for m in every]

    def test_methods_are_managed_by_managers_with_unique_codes(self, client, maria, manager_headers):
        body = {"code": "bank", "name": "Bank transfer"}
        refused(client.post("/api/payment-methods", json=body, headers=maria), 403, "MANAGER_REQUIRED")
        refused(client.get("/api/payment-methods", params={"all": "true"}, headers=maria), 403, "MANAGER_REQUIRED")
        assert client.post("/api/payment-methods", json=body, headers=manager_headers).status_code == 201
        refused(
            client.post("/api/payment-methods", json=body, headers=manager_headers), 409, "PAYMENT_METHOD_CODE_TAKEN"
        )
        bad = {"code": "Bank Transfer", "name": "x"}
        refused(client.post("/api/payment-methods", json=bad, headers=manager_headers), 422, "VALIDATION_ERROR")
        refused(
            client.put("/api/payment-methods/999", json={}, headers=manager_headers), 404, "PAYMENT_METHOD_NOT_FOUND"
        )

    def test_a_reference_is_recorded_once(self, client, maria, bill):
        pay_amount(client, maria, bill[0], 100, reference="slip-0042")
        refused(
            post_payment(client, maria, bill[0], method="card", amount=100, reference="slip-0042"),
            409,
            "PAYMENT_REFERENCE_TAKEN",
        )

    def test_a_replayed_reference_is_a_duplicate_even_once_the_bill_is_settled(self, client, maria, bill):
        order_id = bill[0]
        due = get_order(client, maria, order_id)["totals"]["balance"]
        pay_amount(client, maria, order_id, due, reference="slip-0043")
        refused(
            post_payment(client, maria, order_id, method="card", amount=due, reference="slip-0043"),
            409,
            "PAYMENT_REFERENCE_TAKEN",
        )


class TestRecordKeeping:
    def test_a_payment_is_audited_and_a_replay_pays_once(self, client, maria, bill):
        order_id, beers, _ = bill
        headers = {**maria, "Idempotency-Key": "pay-1"}
        body = {"method": "cash", "items": [{"item_id": beers, "quantity": 2}], "tendered": 1000}
        first = client.post(f"/api/orders/{order_id}/payments", json=body, headers=headers)
        again = client.post(f"/api/orders/{order_id}/payments", json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 201)
        assert first.json() == again.json()
        assert len(get_order(client, maria, order_id)["payments"]) == 1
        event = client.get(f"/api/orders/{order_id}/history", headers=maria).json()[-1]
        assert event["action"] == "order.paid"
        data = event["data"]
        assert (data["amount"], data["method"], data["tendered"], data["change_due"]) == (900, "cash", 1000, 100)
        assert data["items"] == [{"id": beers, "name": "Beer", "quantity": 2}]

    def test_the_floor_shows_the_ledger_balance(self, client, maria, bill):
        order_id, *_ = bill
        pay_amount(client, maria, order_id, 1234)
        table = next(t for t in client.get("/api/tables/", headers=maria).json() if t["order_id"] == order_id)
        assert (table["total"], table["paid_total"], table["due"], table["state"]) == (
            3000,
            1234,
            1766,
            "partially_paid",
        )
