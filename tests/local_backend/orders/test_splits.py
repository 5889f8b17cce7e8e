"""POST /api/orders/{id}/split: items, seats, even and amount parts, exact to the minor unit, and a property test
that no sequence of splits and payments ever lets the ledger drift."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import make_settings
from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay_amount, post_payment, split


@pytest.fixture
def settings(tmp_path):
    # Hundreds of writes per property run: NORMAL skips the fsync per commit, which this test does not study.
    return make_settings(tmp_path, sqlite_synchronous="NORMAL")


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


def parts_of(resp) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.text
    return list(resp.json()["parts"])


class TestEvenSplit:
    def test_an_odd_balance_splits_exactly_with_the_first_parts_one_more(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(make_product("Meze", 1000).id))
        parts = parts_of(split(client, maria, order["id"], mode="even", parts=3))
        assert [(p["label"], p["amount"]) for p in parts] == [("1/3", 334), ("2/3", 333), ("3/3", 333)]

    def test_a_split_after_a_payment_divides_what_is_left(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(make_product("Meze", 1001).id, 4))
        first = parts_of(split(client, maria, order["id"], mode="even", parts=4))
        assert sum(p["amount"] for p in first) == 4004
        pay_amount(client, maria, order["id"], first[0]["amount"], split_part=first[0]["label"])
        rest = split(client, maria, order["id"], mode="even", parts=3).json()
        assert (rest["due"], [p["amount"] for p in rest["parts"]], rest["remaining"]) == (3003, [1001] * 3, 0)

    def test_nothing_due_is_a_conflict(self, client, maria, make_table):
        order = open_order(client, maria, make_table().id)
        resp = split(client, maria, order["id"], mode="even", parts=2)
        assert (resp.status_code, resp.json()["code"]) == (409, "NOTHING_DUE")


class TestItemAndAmountSplits:
    def test_items_mode_prices_partial_quantities_at_the_unit_price(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        beers = add_items(client, maria, order["id"], line(make_product("Beer", 333).id, 3))["items"][0]["id"]
        parts = parts_of(split(client, maria, order["id"], mode="items", items=[{"item_id": beers, "quantity": 2}]))
        assert parts == [
            {
                "label": "items",
                "amount": 666,
                "items": [{"item_id": beers, "quantity": 2, "amount": 666, "shared": False}],
            }
        ]

    def test_amounts_may_not_exceed_the_balance(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(make_product("Fish", 1500).id))
        body = split(client, maria, order["id"], mode="amount", amounts=[500, 700]).json()
        assert ([p["amount"] for p in body["parts"]], body["remaining"]) == ([500, 700], 300)
        resp = split(client, maria, order["id"], mode="amount", amounts=[1000, 501])
        assert (resp.status_code, resp.json()["code"]) == (409, "PAYMENT_EXCEEDS_BALANCE")

    @pytest.mark.parametrize(
        "body",
        [{"mode": "even"}, {"mode": "even", "parts": 0}, {"mode": "thirds"}, {"mode": "amount", "amounts": [0]}, {}],
    )
    def test_malformed_splits_are_422(self, client, maria, make_table, body):
        order = open_order(client, maria, make_table().id)
        resp = client.post(f"/api/orders/{order['id']}/split", json=body, headers=maria)
        assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR")


class TestSeatSplit:
    def test_each_seat_pays_its_own_and_an_even_share_of_the_unseated(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        fish, salad, bread = make_product("Fish", 1800), make_product("Salad", 900), make_product("Bread", 301)
        add_items(
            client,
            maria,
            order["id"],
            line(fish.id, seat=1),
            line(salad.id, seat=2),
            line(salad.id, seat=3),
            line(bread.id),
        )
        parts = parts_of(split(client, maria, order["id"], mode="seats"))
        assert [(p["label"], p["amount"]) for p in parts] == [("seat 1", 1901), ("seat 2", 1000), ("seat 3", 1000)]
        shared = [i for p in parts for i in p["items"] if i["shared"]]
        assert sorted(i["amount"] for i in shared) == [100, 100, 101]

    def test_seat_parts_fit_a_balance_already_reduced_by_an_amount(self, client, maria, make_table, make_product):
        order = open_order(client, maria, make_table().id)
        meze = make_product("Meze", 1000)
        add_items(client, maria, order["id"], line(meze.id, seat=1), line(meze.id, seat=2))
        pay_amount(client, maria, order["id"], 501)
        parts = parts_of(split(client, maria, order["id"], mode="seats"))
        assert sorted(p["amount"] for p in parts) == [749, 750]


def check_ledger(order: dict[str, Any]) -> None:
    refunds = sum(p["refunded"] for p in order["payments"])
    assert sum(p["amount"] for p in order["payments"]) - refunds == order["paid_total"]
    assert order["paid_total"] + order["due"] == order["total"]
    totals = order["totals"]
    assert (totals["total"], totals["paid"], totals["balance"]) == (order["total"], order["paid_total"], order["due"])
    assert sum(li["payable"] for li in totals["lines"]) == order["total"]
    exclusive_tax = totals["tax_total"] if totals["tax_mode"] == "exclusive" else 0
    assert order["total"] == totals["subtotal"] - totals["discounts"] + totals["service_charge"] + exclusive_tax
    assert order["due"] >= 0
    for item in order["items"]:
        assert 0 <= item["paid_quantity"] <= item["quantity"]
    expected = "open" if order["paid_total"] == 0 else ("paid" if order["due"] == 0 else "partially_paid")
    assert order["status"] == expected


lines_strategy = st.lists(
    st.tuples(st.integers(1, 2500), st.integers(1, 5), st.one_of(st.none(), st.integers(1, 3))), min_size=1, max_size=5
)
RATES = (0, 600, 1300, 2400)


def units_price(order: dict[str, Any], item_id: int, quantity: int) -> int:
    """What the bill charges for `quantity` more units of an item: its line's payable, spread exactly over units."""
    item = next(i for i in order["items"] if i["id"] == item_id)
    payable = int(next(li["payable"] for li in order["totals"]["lines"] if li["item_id"] == item_id))
    quantity_of_line = int(item["quantity"])

    def through(units: int) -> int:
        return payable * units // quantity_of_line

    return through(item["paid_quantity"] + quantity) - through(item["paid_quantity"])


class TestNoDrift:
    @hypothesis_settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(lines=lines_strategy, data=st.data())
    def test_any_sequence_of_splits_and_payments_sums_to_the_total(
        self, client, maria, make_table, make_product, lines, data
    ):
        order = open_order(client, maria, make_table().id)
        specs = [
            line(make_product(f"Dish {n}", price).id, qty, seat=seat) for n, (price, qty, seat) in enumerate(lines)
        ]
        add_items(client, maria, order["id"], *specs)
        self.pay_randomly(client, maria, order["id"], data)

    @hypothesis_settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(lines=lines_strategy, data=st.data())
    def test_discounts_exclusive_tax_and_a_service_charge_never_drift_either(
        self, client, maria, manager_headers, make_table, make_product, lines, data
    ):
        mode = data.draw(st.sampled_from(["inclusive", "exclusive"]))
        service = data.draw(st.sampled_from([0, 1000, 1250]))
        client.put("/api/settings", json={"tax_mode": mode, "service_charge_bp": service}, headers=manager_headers)
        order = open_order(client, maria, make_table().id)
        specs = [
            line(make_product(f"Dish {n}", price, tax_rate_bp=data.draw(st.sampled_from(RATES))).id, qty, seat=seat)
            for n, (price, qty, seat) in enumerate(lines)
        ]
        items = add_items(client, maria, order["id"], *specs)["items"]
        for _ in range(data.draw(st.integers(0, 3))):
            body: dict[str, Any] = {"reason": "hypothesis", "kind": data.draw(st.sampled_from(["percent", "amount"]))}
            body["value"] = data.draw(st.integers(1, 10_000 if body["kind"] == "percent" else 3000))
            if data.draw(st.booleans()):
                body["item_id"] = data.draw(st.sampled_from(items))["id"]
            resp = client.post(f"/api/orders/{order['id']}/discounts", json=body, headers=manager_headers)
            assert resp.status_code in (201, 409, 422), resp.text
        self.pay_randomly(client, maria, order["id"], data)

    def pay_randomly(self, client, maria, order_id, data):
        state = get_order(client, maria, order_id)
        total = state["total"]
        for _ in range(8):
            check_ledger(state)
            assert state["total"] == total
            if state["due"] == 0:
                break
            closing = client.post(f"/api/orders/{order_id}/close", headers=maria)
            assert (closing.status_code, closing.json()["code"]) == (409, "ORDER_HAS_BALANCE")
            due = state["due"]
            kind = data.draw(st.sampled_from(["items", "amount", "even", "seats", "too_much"]))
            if kind == "items":
                unpaid = [(i["id"], i["quantity"] - i["paid_quantity"], i["unit_price"]) for i in state["items"]]
                unpaid = [u for u in unpaid if u[1] > 0]
                if not unpaid:
                    continue
                item_id, left, _ = data.draw(st.sampled_from(unpaid))
                quantity = data.draw(st.integers(1, left))
                price = units_price(state, item_id, quantity)
                parts = (
                    parts_of(
                        split(client, maria, order_id, mode="items", items=[{"item_id": item_id, "quantity": quantity}])
                    )
                    if price <= due
                    else None
                )
                resp = post_payment(
                    client, maria, order_id, method="card", items=[{"item_id": item_id, "quantity": quantity}]
                )
                if price > due:
                    assert (resp.status_code, resp.json()["code"]) == (409, "PAYMENT_EXCEEDS_BALANCE")
                elif price == 0:
                    assert (resp.status_code, resp.json()["code"]) == (422, "NOTHING_TO_PAY")
                else:
                    assert resp.status_code == 201, resp.text
                    assert parts is not None
                    assert resp.json()["payment"]["amount"] == parts[0]["amount"] == price
            elif kind == "amount":
                resp = post_payment(client, maria, order_id, method="cash", amount=data.draw(st.integers(1, due)))
                assert resp.status_code == 201, resp.text
            elif kind in ("even", "seats"):
                body: dict[str, Any] = (
                    {"mode": "even", "parts": data.draw(st.integers(1, 7))} if kind == "even" else {"mode": "seats"}
                )
                parts = parts_of(split(client, maria, order_id, **body))
                assert sum(p["amount"] for p in parts) == due
                assert all(p["amount"] >= 0 for p in parts)
                payable = [p for p in parts if p["amount"] > 0]
                part = data.draw(st.sampled_from(payable))
                pay_amount(client, maria, order_id, part["amount"], split_part=part["label"])
            else:
                resp = post_payment(client, maria, order_id, method="card", amount=due + 1)
                assert (resp.status_code, resp.json()["code"]) == (409, "PAYMENT_EXCEEDS_BALANCE")
            state = get_order(client, maria, order_id)
        if state["due"]:
            # Whatever is left after the random steps is paid in one go.
            pay_amount(client, maria, order_id, state["due"])
            state = get_order(client, maria, order_id)
        check_ledger(state)
        if state["total"]:
            assert (state["due"], state["status"]) == (0, "paid")
            assert all(i["is_paid"] for i in state["items"])
        else:  # comped down to nothing: nothing to pay, and the table can still be closed
            assert (state["due"], state["status"]) == (0, "open")
        closed = client.post(f"/api/orders/{order_id}/close", headers=maria)
        assert (closed.status_code, closed.json()["status"]) == (200, "closed")
