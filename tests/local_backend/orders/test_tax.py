"""Tax rates on the menu, snapshotted on items; inclusive and exclusive bills with mixed rates; the service charge."""

from __future__ import annotations

import pytest

from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay_amount, post_payment


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


def menu_item(client, headers, name, price, *, category_rate=None, product_rate=None):
    cat = client.post(
        "/api/products/categories", json={"name": f"{name} cat", "tax_rate_bp": category_rate}, headers=headers
    )
    assert cat.status_code == 201, cat.text
    body = {"category_id": cat.json()["id"], "name": name, "base_price": price}
    if product_rate is not None:
        body["tax_rate_bp"] = product_rate
    product = client.post("/api/products/", json=body, headers=headers)
    assert product.status_code == 201, product.text
    return product.json()


def set_site(client, headers, **fields):
    resp = client.put("/api/settings", json=fields, headers=headers)
    assert resp.status_code == 200, resp.text


class TestMenuRates:
    def test_a_product_overrides_its_category_and_null_follows_it(self, client, manager_headers, maria, make_table):
        food = menu_item(client, manager_headers, "Moussaka", 1130, category_rate=1300)
        wine = menu_item(client, manager_headers, "Wine", 1240, category_rate=1300, product_rate=2400)
        water = menu_item(client, manager_headers, "Water", 100)
        assert (food["tax_rate_bp"], wine["tax_rate_bp"], water["tax_rate_bp"]) == (None, 2400, None)
        order = open_order(client, maria, make_table().id)
        items = add_items(client, maria, order["id"], line(food["id"]), line(wine["id"]), line(water["id"]))["items"]
        assert [i["tax_rate_bp"] for i in items] == [1300, 2400, 0]

    def test_the_rate_is_snapshotted_when_the_item_is_added(self, client, manager_headers, maria, make_table):
        food = menu_item(client, manager_headers, "Moussaka", 1130, product_rate=1300)
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(food["id"]))
        resp = client.put(f"/api/products/{food['id']}", json={"tax_rate_bp": 2400}, headers=manager_headers)
        assert (resp.status_code, resp.json()["tax_rate_bp"]) == (200, 2400)
        assert get_order(client, maria, order["id"])["items"][0]["tax_rate_bp"] == 1300

    @pytest.mark.parametrize("rate", [-1, 10_001, "13", 13.5])
    def test_rates_are_validated(self, client, manager_headers, rate):
        resp = client.post(
            "/api/products/categories", json={"name": "Bad", "tax_rate_bp": rate}, headers=manager_headers
        )
        assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR")
        cat = client.post("/api/products/categories", json={"name": "Good"}, headers=manager_headers).json()
        resp = client.put(f"/api/products/categories/{cat['id']}", json={"tax_rate_bp": rate}, headers=manager_headers)
        assert resp.status_code == 422


class TestBills:
    def test_inclusive_prices_contain_their_tax_per_rate(self, client, manager_headers, maria, make_table):
        food = menu_item(client, manager_headers, "Moussaka", 1130, product_rate=1300)
        wine = menu_item(client, manager_headers, "Wine", 1240, product_rate=2400)
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(food["id"], 2), line(wine["id"]))
        totals = get_order(client, maria, order["id"])["totals"]
        assert totals["tax_mode"] == "inclusive"
        assert [(t["rate_bp"], t["base"], t["net"], t["tax"]) for t in totals["taxes"]] == [
            (1300, 2260, 2000, 260),
            (2400, 1240, 1000, 240),
        ]
        assert (totals["subtotal"], totals["tax_total"], totals["total"], totals["balance"]) == (3500, 500, 3500, 3500)

    def test_exclusive_tax_and_a_service_charge_are_added_and_paid_exactly(
        self, client, manager_headers, maria, make_table
    ):
        set_site(client, manager_headers, tax_mode="exclusive", service_charge_bp=1000)
        food = menu_item(client, manager_headers, "Moussaka", 1000, product_rate=1300)
        water = menu_item(client, manager_headers, "Water", 333)
        order = open_order(client, maria, make_table().id)
        added = add_items(client, maria, order["id"], line(food["id"], 3), line(water["id"]))["items"]
        totals = get_order(client, maria, order["id"])["totals"]
        # 3333 + 10 % service (333) = 3666; food's base 3000 + 300 service taxed 13 % = 429.
        assert (totals["subtotal"], totals["service_charge"], totals["tax_total"]) == (3333, 333, 429)
        assert totals["total"] == 3333 + 333 + 429 == get_order(client, maria, order["id"])["due"]
        paid = [
            post_payment(
                client, maria, order["id"], method="card", items=[{"item_id": added[0]["id"], "quantity": 1}]
            ).json()["payment"]["amount"]
            for _ in range(3)
        ]
        food_line = next(li for li in totals["lines"] if li["item_id"] == added[0]["id"])
        assert sum(paid) == food_line["payable"] == 3000 + 300 + 429
        rest = get_order(client, maria, order["id"])
        pay_amount(client, maria, order["id"], rest["due"])
        assert client.post(f"/api/orders/{order['id']}/close", headers=maria).status_code == 200

    def test_an_open_order_keeps_the_rules_it_was_opened_with(self, client, manager_headers, maria, make_table):
        food = menu_item(client, manager_headers, "Moussaka", 1000, product_rate=1000)
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(food["id"]))
        set_site(client, manager_headers, tax_mode="exclusive", service_charge_bp=1250)
        assert get_order(client, maria, order["id"])["total"] == 1000
        later = open_order(client, maria, make_table().id)
        add_items(client, maria, later["id"], line(food["id"]))
        # 1000 + 125 service, taxed 10 % = 1237.5 -> 1238 with the tax half up on 1125.
        assert get_order(client, maria, later["id"])["total"] == 1000 + 125 + 113
        floor = {t["order_id"]: t["total"] for t in client.get("/api/tables/", headers=maria).json()}
        assert (floor[order["id"]], floor[later["id"]]) == (1000, 1238)
