"""Discounts and comps: POST/DELETE /api/orders/{id}/discounts with a manager's approval, and what they do to the
bill (totals, item payments, the paid rule)."""

from __future__ import annotations

import pytest

from tests.conftest import MANAGER
from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay_amount, post_payment


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def order(client, maria, make_table, make_product):
    """Maria's order: 3 beers at 333 and a fish at 1500 (subtotal 2499)."""
    order = open_order(client, maria, make_table().id)
    items = add_items(
        client, maria, order["id"], line(make_product("Beer", 333).id, 3), line(make_product("Fish", 1500).id)
    )
    return order["id"], [i["id"] for i in items["items"]]


def discount(client, headers, order_id, **body):
    return client.post(f"/api/orders/{order_id}/discounts", json={"reason": "regulars", **body}, headers=headers)


def approved(client, headers, action="discount"):
    resp = client.post(
        "/api/auth/approvals", json={"username": MANAGER[0], "pin": MANAGER[1], "action": action}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return {**headers, "X-Manager-Approval": resp.json()["approval_token"]}


class TestGiving:
    def test_a_percent_on_an_item_rounds_half_up_and_lowers_the_total(self, client, manager_headers, order):
        order_id, (beers, _) = order
        resp = discount(client, manager_headers, order_id, item_id=beers, kind="percent", value=1500)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        # 15 % of 999 = 149.85 -> 150
        assert (body["discount"]["amount"], body["discount"]["kind"], body["discount"]["value"]) == (
            150,
            "percent",
            1500,
        )
        assert (body["order"]["totals"]["discounts"], body["order"]["total"], body["order"]["due"]) == (150, 2349, 2349)
        lines = {li["item_id"]: li for li in body["order"]["totals"]["lines"]}
        assert (lines[beers]["discount"], lines[beers]["payable"]) == (150, 849)

    def test_an_order_amount_is_spread_over_the_lines(self, client, manager_headers, order):
        order_id, (beers, fish) = order
        body = discount(client, manager_headers, order_id, kind="amount", value=250).json()
        lines = {li["item_id"]: li["discount"] for li in body["order"]["totals"]["lines"]}
        assert sum(lines.values()) == 250
        assert lines[beers] < lines[fish]
        assert body["order"]["total"] == 2249

    def test_a_comp_takes_what_is_left_of_the_item(self, client, manager_headers, order):
        order_id, (_, fish) = order
        discount(client, manager_headers, order_id, item_id=fish, kind="amount", value=500)
        body = discount(client, manager_headers, order_id, item_id=fish, kind="comp").json()
        assert body["discount"]["amount"] == 1000
        assert body["order"]["total"] == 999

    def test_a_waiter_needs_an_approval_for_the_discount_action(self, client, maria, order):
        order_id, _ = order
        resp = discount(client, maria, order_id, kind="percent", value=1000)
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_APPROVAL_REQUIRED")
        resp = discount(client, approved(client, maria, action="void"), order_id, kind="percent", value=1000)
        assert (resp.status_code, resp.json()["code"]) == (403, "APPROVAL_INVALID")
        resp = discount(client, approved(client, maria), order_id, kind="percent", value=1000)
        assert resp.status_code == 201
        given = resp.json()["discount"]
        assert given["approved_by_id"] != given["created_by_id"]
        history = client.get(f"/api/orders/{order_id}/history", headers=maria).json()
        event = next(e for e in history if e["action"] == "order.discounted")
        assert (event["data"]["reason"], event["data"]["amount"]) == ("regulars", 250)
        assert event["data"]["approved_by_id"] == given["approved_by_id"]

    @pytest.mark.parametrize(
        "body",
        [
            {"kind": "percent"},
            {"kind": "percent", "value": 10_001},
            {"kind": "amount", "value": 0},
            {"kind": "comp", "value": 5},
            {"kind": "half"},
            {"kind": "comp", "reason": "  "},
        ],
    )
    def test_malformed_discounts_are_422(self, client, manager_headers, order, body):
        order_id, _ = order
        resp = discount(client, manager_headers, order_id, **body)
        assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR")

    def test_refusals(self, client, manager_headers, maria, order):
        order_id, (beers, fish) = order
        resp = discount(client, manager_headers, order_id, item_id=fish, kind="amount", value=1501)
        assert (resp.status_code, resp.json()["code"]) == (422, "DISCOUNT_TOO_LARGE")
        resp = discount(client, manager_headers, order_id, item_id=123_456, kind="comp")
        assert (resp.status_code, resp.json()["code"]) == (422, "ITEM_NOT_IN_ORDER")
        discount(client, manager_headers, order_id, item_id=fish, kind="comp")
        resp = discount(client, manager_headers, order_id, item_id=fish, kind="percent", value=1000)
        assert (resp.status_code, resp.json()["code"]) == (409, "NOTHING_TO_DISCOUNT")
        post_payment(client, maria, order_id, method="card", items=[{"item_id": beers, "quantity": 1}])
        resp = discount(client, manager_headers, order_id, item_id=beers, kind="percent", value=1000)
        assert (resp.status_code, resp.json()["code"]) == (409, "ITEM_ALREADY_PAID")
        resp = discount(client, manager_headers, 999_999, kind="comp")
        assert (resp.status_code, resp.json()["code"]) == (404, "ORDER_NOT_FOUND")

    def test_a_discount_may_not_take_the_total_below_what_is_paid(self, client, manager_headers, maria, order):
        order_id, _ = order
        pay_amount(client, maria, order_id, 2000)
        resp = discount(client, manager_headers, order_id, kind="amount", value=500)
        assert (resp.status_code, resp.json()["code"]) == (409, "DISCOUNT_EXCEEDS_BALANCE")
        body = discount(client, manager_headers, order_id, kind="amount", value=499).json()
        assert (body["order"]["due"], body["order"]["status"]) == (0, "paid")


class TestRemoving:
    def test_removing_restores_the_total_and_keeps_the_row(self, client, manager_headers, maria, order):
        order_id, _ = order
        given = discount(client, manager_headers, order_id, kind="amount", value=499).json()["discount"]
        resp = client.delete(f"/api/orders/{order_id}/discounts/{given['id']}", headers=maria)
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_APPROVAL_REQUIRED")
        headers = approved(client, maria, action="remove_discount")
        resp = client.delete(f"/api/orders/{order_id}/discounts/{given['id']}", headers=headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["total"] == 2499
        assert body["discounts"][0]["removed_at"] is not None
        again = client.delete(f"/api/orders/{order_id}/discounts/{given['id']}", headers=manager_headers)
        assert (again.status_code, again.json()["code"]) == (409, "DISCOUNT_ALREADY_REMOVED")
        missing = client.delete(f"/api/orders/{order_id}/discounts/999", headers=manager_headers)
        assert (missing.status_code, missing.json()["code"]) == (404, "DISCOUNT_NOT_FOUND")


class TestPayingDiscountedItems:
    def test_item_units_are_paid_at_their_discounted_price_and_sum_to_the_line(
        self, client, manager_headers, maria, order
    ):
        order_id, (beers, fish) = order
        discount(client, manager_headers, order_id, item_id=beers, kind="amount", value=100)  # 899 for 3
        amounts = []
        for _ in range(3):
            resp = post_payment(client, maria, order_id, method="cash", items=[{"item_id": beers, "quantity": 1}])
            assert resp.status_code == 201, resp.text
            amounts.append(resp.json()["payment"]["amount"])
        assert sum(amounts) == 899
        assert max(amounts) - min(amounts) <= 1
        resp = post_payment(client, maria, order_id, method="cash", items=[{"item_id": fish, "quantity": 1}])
        assert resp.json()["order"]["due"] == 0

    def test_voiding_a_discounted_item_takes_its_discount_away_too(self, client, manager_headers, order):
        order_id, (beers, _) = order
        discount(client, manager_headers, order_id, item_id=beers, kind="comp")
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}/items/{beers}", json={"reason": "spilt"}, headers=manager_headers
        )
        body = resp.json()
        assert (body["total"], body["totals"]["discounts"]) == (1500, 0)
        assert body["discounts"][0]["removed_at"] is not None

    def test_a_discounted_item_does_not_move_until_the_discount_is_removed(
        self, client, manager_headers, maria, order, make_table
    ):
        order_id, (beers, _) = order
        discount(client, manager_headers, order_id, item_id=beers, kind="percent", value=1000)
        other = open_order(client, maria, make_table().id)["id"]
        resp = client.post(
            f"/api/orders/{order_id}/items/move",
            json={"items": [{"item_id": beers, "quantity": 1}], "to_order_id": other},
            headers=maria,
        )
        assert (resp.status_code, resp.json()["code"]) == (409, "ITEM_HAS_DISCOUNT")

    def test_a_merge_brings_the_discounts_along(self, client, manager_headers, maria, order, make_table, make_product):
        order_id, _ = order
        discount(client, manager_headers, order_id, kind="amount", value=99)
        other = open_order(client, maria, make_table().id)["id"]
        add_items(client, maria, other, line(make_product("Bread", 100).id))
        merged = client.post(f"/api/orders/{other}/merge", json={"order_id": order_id}, headers=maria).json()
        assert (merged["total"], len(merged["discounts"])) == (2500, 1)
        # The floor view and the order lists price discounted orders the same way as the order itself.
        floor = {t["order_id"]: t["total"] for t in client.get("/api/tables/", headers=maria).json()}
        assert floor[other] == 2500
        mine = {o["id"]: o["total"] for o in client.get("/api/orders/my", headers=maria).json()}
        assert mine[other] == get_order(client, maria, other)["total"] == 2500
