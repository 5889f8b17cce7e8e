"""Refunds: a manager gives back part of a payment with a reason; the ledger and the order follow."""

from __future__ import annotations

import pytest

from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay_amount


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def paid(client, maria, make_table, make_product):
    """A 2000 order paid in one card payment with a 100 tip."""
    order = open_order(client, maria, make_table().id)
    add_items(client, maria, order["id"], line(make_product("Lamb", 2000).id))
    payment = pay_amount(client, maria, order["id"], 2000, method="card", tip=100)["payment"]
    return order["id"], payment["id"]


def refund(client, headers, payment_id, amount, reason="cold dish"):
    return client.post(
        f"/api/payments/{payment_id}/refunds", json={"amount": amount, "reason": reason}, headers=headers
    )


class TestRefunds:
    def test_a_partial_refund_reopens_the_balance_of_an_active_order(self, client, maria, manager_headers, paid):
        _order_id, payment_id = paid
        resp = refund(client, manager_headers, payment_id, 500)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert (body["refund"]["amount"], body["refund"]["method"], body["refund"]["reason"]) == (
            500,
            "card",
            "cold dish",
        )
        order = body["order"]
        assert (order["status"], order["paid_total"], order["due"], order["refunded_total"]) == (
            "partially_paid",
            1500,
            500,
            500,
        )
        assert order["payments"][0]["refunded"] == 500
        assert [r["id"] for r in order["payments"][0]["refunds"]] == [body["refund"]["id"]]

    def test_a_refund_after_closing_keeps_the_order_closed(self, client, maria, manager_headers, paid):
        order_id, payment_id = paid
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).status_code == 200
        assert refund(client, manager_headers, payment_id, 2000).status_code == 201
        order = get_order(client, manager_headers, order_id)
        assert (order["status"], order["paid_total"], order["due"]) == ("closed", 0, 2000)

    def test_no_more_than_the_rest_of_the_payment_is_refunded(self, client, manager_headers, paid):
        _, payment_id = paid
        assert refund(client, manager_headers, payment_id, 1500).status_code == 201
        resp = refund(client, manager_headers, payment_id, 501)
        assert (resp.status_code, resp.json()["code"]) == (409, "REFUND_EXCEEDS_PAYMENT")
        assert refund(client, manager_headers, payment_id, 500).status_code == 201

    def test_only_a_manager_refunds(self, client, maria, paid):
        resp = refund(client, maria, paid[1], 100)
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")

    @pytest.mark.parametrize(
        "body", [{"amount": 0, "reason": "x"}, {"amount": 100, "reason": " "}, {"amount": 100}, {"reason": "x"}]
    )
    def test_a_refund_needs_a_positive_amount_and_a_reason(self, client, manager_headers, paid, body):
        resp = client.post(f"/api/payments/{paid[1]}/refunds", json=body, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR")

    def test_an_unknown_payment_is_404(self, client, manager_headers):
        resp = refund(client, manager_headers, 999_999, 100)
        assert (resp.status_code, resp.json()["code"]) == (404, "PAYMENT_NOT_FOUND")

    def test_a_refund_is_audited_with_who_and_why(self, client, manager_headers, paid):
        order_id, payment_id = paid
        refund(client, manager_headers, payment_id, 300, reason="overcharged")
        event = client.get(f"/api/orders/{order_id}/history", headers=manager_headers).json()[-1]
        assert (event["action"], event["actor_name"]) == ("payment.refunded", "boss")
        assert (event["data"]["amount"], event["data"]["reason"], event["data"]["payment_id"]) == (
            300,
            "overcharged",
            payment_id,
        )
