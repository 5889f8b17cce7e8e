"""Adding items: server-side pricing, snapshots, validation codes, rounds and idempotency."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from local_backend.menu.models import Category, PreferenceChoice, Product, ProductOption
from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def order(client, maria, make_table):
    return open_order(client, maria, make_table().id)


@pytest.fixture
def steak(make_product):
    return make_product(
        "Steak",
        2400,
        options=[("Pepper sauce", 200), ("Extra fries", 150)],
        ingredients=["Onion", "Garlic"],
        preference_sets=[
            ("Doneness", True, [("Rare", 0), ("Medium", 0), ("Well done", 0)]),
            ("Portion", False, [("Half", -900), ("Double", 2000)]),
        ],
    )


def codes_for(client, headers, order_id, *lines):
    resp = client.post(f"/api/orders/{order_id}/items", json={"items": list(lines)}, headers=headers)
    return resp.status_code, resp.json().get("code")


class TestPricing:
    def test_unit_price_is_base_plus_options_plus_choices(self, client, maria, order, steak):
        pepper, fries = steak.options
        onion = steak.ingredients[0]
        medium = steak.preference_sets[0].choices[1]
        double = steak.preference_sets[1].choices[1]
        added = add_items(
            client,
            maria,
            order["id"],
            line(
                steak.id,
                2,
                option_ids=[pepper.id, fries.id],
                removed_ingredient_ids=[onion.id],
                choice_ids=[double.id, medium.id],
                note="  for the birthday  ",
                seat=3,
                course=2,
            ),
        )
        item = added["items"][0]
        assert item["unit_price"] == 2400 + 200 + 150 + 2000
        assert item["line_total"] == 2 * 4750
        assert item["product_name"] == "Steak"
        assert item["selected_options"] == [
            {"id": pepper.id, "name": "Pepper sauce", "extra_cost": 200},
            {"id": fries.id, "name": "Extra fries", "extra_cost": 150},
        ]
        assert item["removed_ingredients"] == [{"id": onion.id, "name": "Onion"}]
        # Listed in the menu's set order, not the order the phone sent them in.
        assert item["choices"] == [
            {
                "set_id": steak.preference_sets[0].id,
                "set_name": "Doneness",
                "id": medium.id,
                "name": "Medium",
                "price_delta": 0,
            },
            {
                "set_id": steak.preference_sets[1].id,
                "set_name": "Portion",
                "id": double.id,
                "name": "Double",
                "price_delta": 2000,
            },
        ]
        assert (item["note"], item["seat"], item["course"]) == ("for the birthday", 3, 2)
        assert (item["status"], item["printed"], item["is_paid"]) == ("pending", False, False)

    def test_a_client_sent_price_is_refused_not_trusted(self, client, maria, order, make_product):
        soup = make_product("Soup", 600)
        resp = client.post(
            f"/api/orders/{order['id']}/items",
            json={"items": [{"product_id": soup.id, "unit_price": 1}]},
            headers=maria,
        )
        assert resp.status_code == 422

    def test_a_negative_delta_lowers_the_price_but_never_below_zero(self, client, maria, order, make_product):
        kids = make_product("Kids pasta", 500, preference_sets=[("Size", False, [("Tiny", -800), ("Small", -200)])])
        tiny, small = kids.preference_sets[0].choices
        added = add_items(
            client, maria, order["id"], line(kids.id, choice_ids=[small.id]), line(kids.id, choice_ids=[tiny.id])
        )
        assert [i["unit_price"] for i in added["items"]] == [300, 0]

    def test_repeated_ids_count_once(self, client, maria, order, steak):
        pepper = steak.options[0]
        rare = steak.preference_sets[0].choices[0]
        added = add_items(
            client, maria, order["id"], line(steak.id, option_ids=[pepper.id] * 3, choice_ids=[rare.id] * 2)
        )
        assert added["items"][0]["unit_price"] == 2600
        assert len(added["items"][0]["selected_options"]) == 1

    def test_the_printer_zone_comes_from_the_product_else_its_category(self, client, maria, order, make_product):
        ouzo = make_product("Ouzo", 400, category="Bar", category_zone=2)
        coffee = make_product("Freddo", 350, category="Bar", printer_zone_id=5)
        bread = make_product("Bread", 100, category="Bakery")
        added = add_items(client, maria, order["id"], line(ouzo.id), line(coffee.id), line(bread.id))
        assert [i["printer_zone_id"] for i in added["items"]] == [2, 5, None]


class TestSnapshots:
    def test_later_menu_edits_never_change_existing_items(self, client, maria, order, steak, database):
        pepper = steak.options[0]
        rare = steak.preference_sets[0].choices[0]
        added = add_items(client, maria, order["id"], line(steak.id, option_ids=[pepper.id], choice_ids=[rare.id]))
        before = get_order(client, maria, order["id"])["items"]

        with database.write_session() as db:
            db.execute(update(Product).where(Product.id == steak.id).values(name="Ribeye", base_price=9999))
            db.execute(update(ProductOption).where(ProductOption.id == pepper.id).values(name="Jus", extra_cost=999))
            db.execute(
                update(PreferenceChoice).where(PreferenceChoice.id == rare.id).values(name="Blue", price_delta=5)
            )
            db.execute(update(Category).values(printer_zone_id=9))

        after = get_order(client, maria, order["id"])["items"]
        assert after == before
        assert after[0]["product_name"] == "Steak"
        assert after[0]["unit_price"] == added["items"][0]["unit_price"] == 2600
        assert after[0]["selected_options"][0] == {"id": pepper.id, "name": "Pepper sauce", "extra_cost": 200}
        assert after[0]["choices"][0]["name"] == "Rare"

        # New items do see the new menu.
        fresh = add_items(client, maria, order["id"], line(steak.id, option_ids=[pepper.id], choice_ids=[rare.id]))
        assert fresh["items"][0]["unit_price"] == 9999 + 999 + 5
        assert fresh["items"][0]["product_name"] == "Ribeye"


class TestChoices:
    def test_a_required_set_must_be_answered(self, client, maria, order, steak):
        assert codes_for(client, maria, order["id"], line(steak.id)) == (422, "CHOICE_REQUIRED")

    def test_an_optional_set_may_be_left_out(self, client, maria, order, steak):
        rare = steak.preference_sets[0].choices[0]
        added = add_items(client, maria, order["id"], line(steak.id, choice_ids=[rare.id]))
        assert added["items"][0]["unit_price"] == 2400

    def test_two_choices_of_one_set_conflict(self, client, maria, order, steak):
        rare, medium, _ = steak.preference_sets[0].choices
        got = codes_for(client, maria, order["id"], line(steak.id, choice_ids=[rare.id, medium.id]))
        assert got == (422, "CHOICE_CONFLICT")

    def test_a_choice_of_another_product_is_invalid(self, client, maria, order, steak, make_product):
        coffee = make_product("Coffee", 300, preference_sets=[("Sugar", True, [("None", 0), ("Sweet", 0)])])
        rare = steak.preference_sets[0].choices[0]
        got = codes_for(
            client,
            maria,
            order["id"],
            line(steak.id, choice_ids=[rare.id, coffee.preference_sets[0].choices[0].id]),
        )
        assert got == (422, "INVALID_CHOICE")


class TestValidation:
    def test_an_option_of_another_product_is_invalid(self, client, maria, order, steak, make_product):
        burger = make_product("Burger", 1100, options=[("Bacon", 200)])
        rare = steak.preference_sets[0].choices[0]
        got = codes_for(
            client, maria, order["id"], line(steak.id, option_ids=[burger.options[0].id], choice_ids=[rare.id])
        )
        assert got == (422, "INVALID_OPTION")

    def test_an_ingredient_of_another_product_is_invalid(self, client, maria, order, make_product):
        burger = make_product("Burger", 1100, ingredients=["Pickles"])
        salad = make_product("Salad", 700, ingredients=["Olives"])
        got = codes_for(client, maria, order["id"], line(salad.id, removed_ingredient_ids=[burger.ingredients[0].id]))
        assert got == (422, "INVALID_INGREDIENT")

    def test_an_unknown_product_is_404(self, client, maria, order):
        assert codes_for(client, maria, order["id"], line(31337)) == (404, "PRODUCT_NOT_FOUND")

    def test_unavailable_and_archived_products_are_refused(self, client, maria, order, make_product):
        sold_out = make_product("Lobster", 4500, is_available=False)
        archived = make_product("Old special", 1500, is_archived=True)
        assert codes_for(client, maria, order["id"], line(sold_out.id)) == (409, "PRODUCT_UNAVAILABLE")
        assert codes_for(client, maria, order["id"], line(archived.id)) == (409, "PRODUCT_UNAVAILABLE")

    def test_one_bad_line_rejects_the_whole_round(self, client, maria, order, make_product):
        good = make_product("Water", 100)
        status, _ = codes_for(client, maria, order["id"], line(good.id), line(good.id), line(424242))
        assert status == 404
        detail = get_order(client, maria, order["id"])
        assert (detail["items"], detail["rounds"]) == ([], 0)

    @pytest.mark.parametrize(
        "bad",
        [
            {"quantity": 0},
            {"quantity": 100},
            {"course": 0},
            {"course": 10},
            {"seat": -1},
            {"seat": 100},
            {"note": "x" * 201},
            {"product_id": 0},
            {"product_id": 2**63},
            {"option_ids": [1] * 51},
            {"surprise": True},
        ],
    )
    def test_out_of_range_fields_are_422(self, client, maria, order, make_product, bad):
        water = make_product("Water", 100)
        status, code = codes_for(client, maria, order["id"], {**line(water.id), **bad})
        assert (status, code) == (422, "VALIDATION_ERROR")

    def test_a_round_has_1_to_100_lines(self, client, maria, order, make_product):
        water = make_product("Water", 100)
        assert codes_for(client, maria, order["id"]) == (422, "VALIDATION_ERROR")
        assert codes_for(client, maria, order["id"], *[line(water.id)] * 101) == (422, "VALIDATION_ERROR")
        assert len(add_items(client, maria, order["id"], *[line(water.id)] * 100)["items"]) == 100

    def test_items_cannot_be_added_to_a_closed_or_cancelled_order(
        self, client, maria, manager_headers, make_table, make_product
    ):
        water = make_product("Water", 100)
        closed = open_order(client, maria, make_table().id)
        client.post(f"/api/orders/{closed['id']}/close", headers=maria)
        cancelled = open_order(client, maria, make_table().id)
        client.request("DELETE", f"/api/orders/{cancelled['id']}", json={"reason": "test"}, headers=manager_headers)
        assert codes_for(client, maria, closed["id"], line(water.id)) == (409, "ORDER_NOT_OPEN")
        assert codes_for(client, maria, cancelled["id"], line(water.id)) == (409, "ORDER_NOT_OPEN")


class TestRounds:
    def test_every_request_is_a_new_round(self, client, maria, order, make_product):
        water = make_product("Water", 100)
        rounds = [add_items(client, maria, order["id"], line(water.id))["round"] for _ in range(3)]
        assert rounds == [1, 2, 3]
        items = get_order(client, maria, order["id"])["items"]
        assert [i["round"] for i in items] == [1, 2, 3]

    def test_adding_to_a_paid_order_makes_it_partially_paid_again(self, client, maria, order, make_product):
        water = make_product("Water", 100)
        first = add_items(client, maria, order["id"], line(water.id))
        assert pay(client, maria, order["id"], [first["items"][0]["id"]])["status"] == "paid"
        more = add_items(client, maria, order["id"], line(water.id))
        assert more["order_status"] == "partially_paid"
        assert get_order(client, maria, order["id"])["status"] == "partially_paid"

    def test_adding_items_is_audited_with_names_quantities_and_prices(self, client, maria, order, steak):
        rare = steak.preference_sets[0].choices[0]
        added = add_items(client, maria, order["id"], line(steak.id, 2, choice_ids=[rare.id]))
        history = client.get(f"/api/orders/{order['id']}/history", headers=maria).json()
        event_ = history[-1]
        assert event_["action"] == "order.items_added"
        assert event_["actor_name"] == "Maria"
        assert event_["data"]["round"] == 1
        assert event_["data"]["amount"] == 4800
        assert event_["data"]["items"] == [
            {
                "id": added["items"][0]["id"],
                "product_id": steak.id,
                "name": "Steak",
                "quantity": 2,
                "unit_price": 2400,
                "options": [],
                "removed": [],
                "choices": ["Rare"],
            }
        ]


class TestIdempotency:
    def test_the_same_request_with_one_key_returns_the_same_body_and_adds_once(
        self, client, maria, order, make_product
    ):
        water = make_product("Water", 100)
        headers = {**maria, "Idempotency-Key": "phone-7-round-1"}
        body = {"items": [line(water.id, 2), line(water.id, 1)]}
        first = client.post(f"/api/orders/{order['id']}/items", json=body, headers=headers)
        second = client.post(f"/api/orders/{order['id']}/items", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert second.content == first.content
        assert second.headers.get("Idempotent-Replayed") == "true"
        detail = get_order(client, maria, order["id"])
        assert len(detail["items"]) == 2
        assert detail["rounds"] == 1

    def test_the_same_key_with_another_body_is_refused(self, client, maria, order, make_product):
        water = make_product("Water", 100)
        headers = {**maria, "Idempotency-Key": "phone-7-round-1"}
        client.post(f"/api/orders/{order['id']}/items", json={"items": [line(water.id, 1)]}, headers=headers)
        resp = client.post(f"/api/orders/{order['id']}/items", json={"items": [line(water.id, 5)]}, headers=headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert len(get_order(client, maria, order["id"])["items"]) == 1


class TestHotPath:
    def test_the_number_of_queries_does_not_grow_with_the_number_of_items(
        self, client, maria, order, database, make_product
    ):
        products = [
            make_product(f"Meze {n}", 300 + n, options=[("Extra", 50)], preference_sets=[("Size", True, [("S", 0)])])
            for n in range(20)
        ]

        def lines(count):
            out = []
            for n, p in enumerate(products[:count]):
                item = line(p.id, option_ids=[p.options[0].id], choice_ids=[p.preference_sets[0].choices[0].id])
                if n % 2:  # optional fields switching between set and unset must not split the batch either
                    item.update(note="no salt", seat=2)
                out.append(item)
            return out

        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        add_items(client, maria, order["id"], *lines(1))  # the first fills the menu and staff caches
        event.listen(database.engine, "before_cursor_execute", count)
        try:
            add_items(client, maria, order["id"], *lines(1))
            one = len(statements)
            statements.clear()
            add_items(client, maria, order["id"], *lines(20))
            twenty = len(statements)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        assert twenty == one
        # savepoint, release, the order, the items insert, the order update, the audit event: no menu, no user.
        assert one <= 8, statements
