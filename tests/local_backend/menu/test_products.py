"""Products: nested creation, partial updates that replace nested collections, visibility, 86 and archive."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.local_backend.menu.conftest import audit_events

PRODUCTS = "/api/products/"

STEAK = {
    "name": "Steak",
    "name_en": "Beef steak",
    "description": "Grilled over charcoal",
    "base_price": 2400,
    "printer_zone_id": 1,
    "sort_order": 2,
    "options": [
        {"name": "Extra cheese", "name_en": "Cheese", "extra_cost": 50},
        {"name": "Bacon", "extra_cost": 150},
    ],
    "ingredients": [{"name": "Onion", "name_en": "Onion"}, {"name": "Garlic"}],
    "preference_sets": [
        {
            "name": "Doneness",
            "is_required": True,
            "choices": [{"name": "Rare"}, {"name": "Medium"}, {"name": "Well done"}],
        },
        {"name": "Portion", "choices": [{"name": "Full"}, {"name": "Half", "price_delta": -800}]},
    ],
}


@pytest.fixture
def steak(client, manager_headers, create_category):
    category = create_category("Grill")
    resp = client.post(PRODUCTS, json={**STEAK, "category_id": category["id"]}, headers=manager_headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _names(items):
    return [i["name"] for i in items]


class TestCreatingProducts:
    def test_a_product_is_created_with_its_options_ingredients_and_preference_sets_in_one_request(
        self, client, manager_headers, steak
    ):
        assert steak["name"] == "Steak"
        assert steak["base_price"] == 2400
        assert (steak["is_available"], steak["is_archived"], steak["image_url"]) == (True, False, None)
        assert [(o["name"], o["extra_cost"]) for o in steak["options"]] == [("Extra cheese", 50), ("Bacon", 150)]
        assert _names(steak["ingredients"]) == ["Onion", "Garlic"]
        doneness, portion = steak["preference_sets"]
        assert doneness["is_required"] is True
        assert _names(doneness["choices"]) == ["Rare", "Medium", "Well done"]
        assert [(c["name"], c["price_delta"]) for c in portion["choices"]] == [("Full", 0), ("Half", -800)]
        assert all(isinstance(c["id"], int) for s in steak["preference_sets"] for c in s["choices"])
        fetched = client.get(f"{PRODUCTS}{steak['id']}", headers=manager_headers)
        assert fetched.status_code == 200
        assert fetched.json() == steak

    def test_creation_is_audited_with_the_manager(self, client, manager_headers, steak):
        (event_,) = audit_events(client, manager_headers, "menu.product_created")
        assert event_["entity_id"] == steak["id"]
        assert event_["actor_name"] is not None
        assert event_["data"]["base_price"] == 2400

    def test_a_missing_category_is_404(self, client, manager_headers):
        resp = client.post(
            PRODUCTS, json={"name": "Lost", "base_price": 100, "category_id": 42}, headers=manager_headers
        )
        assert resp.status_code == 404
        assert resp.json()["code"] == "CATEGORY_NOT_FOUND"

    @pytest.mark.parametrize(
        "change",
        [
            {"name": ""},
            {"name": "  "},
            {"name": "x" * 121},
            {"base_price": -1},
            {"base_price": 10_000_001},
            {"base_price": "cheap"},
            {"base_price": "1200"},
            {"base_price": 12.5},
            {"is_available": 0},
            {"options": [{"name": "Free", "extra_cost": -5}]},
            {"options": [{"name": f"o{i}"} for i in range(51)]},
            {"ingredients": [{"name": ""}]},
            {"preference_sets": [{"name": "Doneness", "choices": []}]},
            {"preference_sets": [{"name": "Size", "choices": [{"name": "Tiny", "price_delta": -10_000_001}]}]},
            {"options": [{"name": "Cheese", "id": 3}]},
            {"colour": "red"},
        ],
    )
    def test_invalid_input_is_refused_and_creates_nothing(self, client, manager_headers, create_category, change):
        category = create_category()
        payload = {"name": "Salad", "base_price": 700, "category_id": category["id"], **change}
        resp = client.post(PRODUCTS, json=payload, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"
        assert client.get(PRODUCTS, params={"all": "true"}, headers=manager_headers).json() == []

    def test_names_are_stripped_and_a_blank_english_name_is_refused(self, client, manager_headers, create_category):
        category = create_category()
        payload = {"name": "  Horiatiki ", "name_en": " Greek salad", "base_price": 900, "category_id": category["id"]}
        body = client.post(PRODUCTS, json=payload, headers=manager_headers).json()
        assert (body["name"], body["name_en"]) == ("Horiatiki", "Greek salad")
        blank = client.post(PRODUCTS, json={**payload, "name_en": "  "}, headers=manager_headers)
        assert blank.status_code == 422
        unnamed = client.post(PRODUCTS, json={**payload, "name_en": None}, headers=manager_headers)
        assert unnamed.json()["name_en"] is None

    def test_a_negative_price_delta_and_the_maximum_price_are_accepted(self, client, manager_headers, create_category):
        category = create_category()
        payload = {
            "name": "Platter",
            "base_price": 10_000_000,
            "category_id": category["id"],
            "preference_sets": [{"name": "Size", "choices": [{"name": "Small", "price_delta": -10_000_000}]}],
        }
        resp = client.post(PRODUCTS, json=payload, headers=manager_headers)
        assert resp.status_code == 201
        assert resp.json()["preference_sets"][0]["choices"][0]["price_delta"] == -10_000_000


class TestProductPermissions:
    def test_a_waiter_reads_the_menu_but_cannot_change_it(self, client, waiter_headers, steak):
        waiter = waiter_headers("nikos")
        assert client.get(PRODUCTS, headers=waiter).status_code == 200
        assert client.get(f"{PRODUCTS}{steak['id']}", headers=waiter).status_code == 200
        url = f"{PRODUCTS}{steak['id']}"
        attempts = [
            client.post(
                PRODUCTS, json={"name": "X", "base_price": 1, "category_id": steak["category_id"]}, headers=waiter
            ),
            client.put(url, json={"base_price": 1}, headers=waiter),
            client.patch(f"{url}/availability", json={"is_available": False}, headers=waiter),
            client.delete(url, headers=waiter),
        ]
        assert [(r.status_code, r.json()["code"]) for r in attempts] == [(403, "MANAGER_REQUIRED")] * 4

    def test_the_menu_needs_a_login(self, client, steak):
        assert client.get(PRODUCTS).status_code == 401
        assert client.get(f"{PRODUCTS}{steak['id']}").status_code == 401

    def test_a_waiter_may_not_ask_for_all_or_archived_products(self, client, waiter_headers, steak):
        waiter = waiter_headers()
        for params in ({"all": "true"}, {"archived": "true"}, {"all": "true", "archived": "true"}):
            resp = client.get(PRODUCTS, params=params, headers=waiter)
            assert resp.status_code == 403, params
            assert resp.json()["code"] == "MANAGER_REQUIRED"


class TestMenuVisibility:
    def test_waiters_see_only_available_products_of_active_categories(
        self, client, manager_headers, waiter_headers, create_category, create_product
    ):
        mains = create_category("Mains")
        closed = create_category("Winter", is_active=False)
        create_product("Moussaka", category_id=mains["id"])
        create_product("Pastitsio", category_id=mains["id"], is_available=False)
        create_product("Stifado", category_id=closed["id"])
        gone = create_product("Giouvetsi", category_id=mains["id"])
        client.delete(f"{PRODUCTS}{gone['id']}", headers=manager_headers)

        assert _names(client.get(PRODUCTS, headers=waiter_headers()).json()) == ["Moussaka"]
        assert _names(client.get(PRODUCTS, headers=manager_headers).json()) == ["Moussaka"]
        every = client.get(PRODUCTS, params={"all": "true"}, headers=manager_headers).json()
        assert sorted(_names(every)) == ["Moussaka", "Pastitsio", "Stifado"]
        with_archived = client.get(PRODUCTS, params={"all": "true", "archived": "true"}, headers=manager_headers)
        assert sorted(_names(with_archived.json())) == ["Giouvetsi", "Moussaka", "Pastitsio", "Stifado"]

    def test_the_menu_is_sorted_by_category_then_product_order_then_name(
        self, client, manager_headers, create_category, create_product
    ):
        drinks = create_category("Drinks", sort_order=2)
        starters = create_category("Starters", sort_order=1)
        create_product("Water", category_id=drinks["id"], sort_order=0)
        create_product("Wine", category_id=drinks["id"], sort_order=0)
        create_product("Beer", category_id=drinks["id"], sort_order=5)
        create_product("Tzatziki", category_id=starters["id"], sort_order=1)
        create_product("Bread", category_id=starters["id"], sort_order=0)
        names = _names(client.get(PRODUCTS, headers=manager_headers).json())
        assert names == ["Bread", "Tzatziki", "Water", "Wine", "Beer"]

    def test_the_menu_can_be_filtered_by_category(self, client, manager_headers, create_category, create_product):
        drinks = create_category("Drinks")
        mains = create_category("Mains")
        create_product("Beer", category_id=drinks["id"])
        create_product("Moussaka", category_id=mains["id"])
        resp = client.get(PRODUCTS, params={"category_id": drinks["id"]}, headers=manager_headers)
        assert _names(resp.json()) == ["Beer"]

    def test_the_menu_carries_the_nested_parts(self, client, waiter_headers, steak):
        (listed,) = client.get(PRODUCTS, headers=waiter_headers()).json()
        assert listed == steak

    def test_listing_the_menu_takes_the_same_number_of_queries_whatever_its_size(
        self, client, manager_headers, database, create_category, create_product
    ):
        def count_queries():
            statements = []

            def _record(conn, cursor, statement, *args):
                if statement.lstrip().upper().startswith("SELECT"):
                    statements.append(statement)

            event.listen(database.engine, "before_cursor_execute", _record)
            try:
                resp = client.get(PRODUCTS, headers=manager_headers)
            finally:
                event.remove(database.engine, "before_cursor_execute", _record)
            assert resp.status_code == 200
            return len(resp.json()), len(statements)

        full = {
            "options": STEAK["options"],
            "ingredients": STEAK["ingredients"],
            "preference_sets": STEAK["preference_sets"],
        }
        category = create_category()
        create_product("First", category_id=category["id"], **full)
        small = count_queries()
        for i in range(20):
            create_product(f"Dish {i}", category_id=create_category(f"C{i}")["id"], **full)
        large = count_queries()
        assert small[0] == 1
        assert large[0] == 21
        assert large[1] == small[1]


class TestReadingOneProduct:
    def test_an_unavailable_or_archived_product_is_still_readable_by_id(
        self, client, manager_headers, waiter_headers, steak
    ):
        url = f"{PRODUCTS}{steak['id']}"
        client.patch(f"{url}/availability", json={"is_available": False}, headers=manager_headers)
        client.delete(url, headers=manager_headers)
        resp = client.get(url, headers=waiter_headers())
        assert resp.status_code == 200
        assert (resp.json()["is_available"], resp.json()["is_archived"]) == (False, True)

    def test_an_unknown_product_is_404_everywhere(self, client, manager_headers):
        url = f"{PRODUCTS}4040"
        responses = [
            client.get(url, headers=manager_headers),
            client.put(url, json={"name": "X"}, headers=manager_headers),
            client.patch(f"{url}/availability", json={"is_available": False}, headers=manager_headers),
            client.delete(url, headers=manager_headers),
        ]
        assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "PRODUCT_NOT_FOUND")] * 4

    def test_an_absurd_id_is_a_validation_error_not_a_crash(self, client, manager_headers):
        assert client.get(f"{PRODUCTS}{2**70}", headers=manager_headers).status_code == 422
        assert client.get(f"{PRODUCTS}0", headers=manager_headers).status_code == 422


class TestUpdatingProducts:
    def test_only_the_given_fields_change_and_nested_parts_are_untouched(self, client, manager_headers, steak):
        resp = client.put(f"{PRODUCTS}{steak['id']}", json={"base_price": 2600}, headers=manager_headers)
        assert resp.status_code == 200
        body = resp.json()
        assert body["base_price"] == 2600
        assert {k: v for k, v in body.items() if k != "base_price"} == {
            k: v for k, v in steak.items() if k != "base_price"
        }

    def test_the_description_and_printer_zone_can_be_cleared(self, client, manager_headers, steak):
        resp = client.put(
            f"{PRODUCTS}{steak['id']}", json={"description": None, "printer_zone_id": None}, headers=manager_headers
        )
        assert (resp.json()["description"], resp.json()["printer_zone_id"]) == (None, None)

    @pytest.mark.parametrize("field", ["name", "base_price", "category_id", "options", "is_available"])
    def test_a_required_field_cannot_be_set_to_null(self, client, manager_headers, steak, field):
        resp = client.put(f"{PRODUCTS}{steak['id']}", json={field: None}, headers=manager_headers)
        assert resp.status_code == 422

    def test_a_nested_list_replaces_the_collection_keeping_ids_of_edited_entries(self, client, manager_headers, steak):
        cheese, bacon = steak["options"]
        resp = client.put(
            f"{PRODUCTS}{steak['id']}",
            json={
                "options": [
                    {"name": "Avocado", "extra_cost": 120},
                    {"id": cheese["id"], "name": "Feta", "extra_cost": 80},
                ]
            },
            headers=manager_headers,
        )
        assert resp.status_code == 200
        avocado, feta = resp.json()["options"]
        assert (feta["id"], feta["name"], feta["extra_cost"]) == (cheese["id"], "Feta", 80)
        assert avocado["id"] not in (cheese["id"], bacon["id"])
        assert avocado["name"] == "Avocado"
        fetched = client.get(f"{PRODUCTS}{steak['id']}", headers=manager_headers).json()
        assert _names(fetched["options"]) == ["Avocado", "Feta"]
        assert _names(fetched["ingredients"]) == ["Onion", "Garlic"]  # not given, so not touched

    def test_preference_sets_and_their_choices_follow_the_same_rules(self, client, manager_headers, steak):
        doneness, _portion = steak["preference_sets"]
        rare = doneness["choices"][0]
        resp = client.put(
            f"{PRODUCTS}{steak['id']}",
            json={
                "preference_sets": [
                    {
                        "id": doneness["id"],
                        "name": "Cooking",
                        "is_required": False,
                        "choices": [{"id": rare["id"], "name": "Bleu"}, {"name": "Medium rare", "price_delta": 0}],
                    }
                ]
            },
            headers=manager_headers,
        )
        assert resp.status_code == 200
        (cooking,) = resp.json()["preference_sets"]
        assert (cooking["id"], cooking["name"], cooking["is_required"]) == (doneness["id"], "Cooking", False)
        assert [(c["name"], c["id"] == rare["id"]) for c in cooking["choices"]] == [
            ("Bleu", True),
            ("Medium rare", False),
        ]
        fetched = client.get(f"{PRODUCTS}{steak['id']}", headers=manager_headers).json()
        assert fetched["preference_sets"] == resp.json()["preference_sets"]

    def test_an_empty_list_removes_every_entry(self, client, manager_headers, steak):
        resp = client.put(f"{PRODUCTS}{steak['id']}", json={"ingredients": []}, headers=manager_headers)
        assert resp.json()["ingredients"] == []
        assert client.get(f"{PRODUCTS}{steak['id']}", headers=manager_headers).json()["ingredients"] == []

    def test_an_id_of_another_product_is_404_and_changes_nothing(self, client, manager_headers, steak, create_product):
        other = create_product("Burger", options=[{"name": "Egg", "extra_cost": 100}])
        foreign = other["options"][0]["id"]
        resp = client.put(
            f"{PRODUCTS}{steak['id']}",
            json={"name": "Ribeye", "options": [{"id": foreign, "name": "Stolen"}]},
            headers=manager_headers,
        )
        assert resp.status_code == 404
        assert resp.json()["code"] == "PRODUCT_PART_NOT_FOUND"
        assert client.get(f"{PRODUCTS}{steak['id']}", headers=manager_headers).json() == steak
        assert client.get(f"{PRODUCTS}{other['id']}", headers=manager_headers).json() == other

    def test_a_choice_id_must_belong_to_the_set_it_is_listed_under(self, client, manager_headers, steak):
        doneness, portion = steak["preference_sets"]
        resp = client.put(
            f"{PRODUCTS}{steak['id']}",
            json={
                "preference_sets": [
                    {
                        "id": doneness["id"],
                        "name": "Doneness",
                        "choices": [{"id": portion["choices"][0]["id"], "name": "X"}],
                    }
                ]
            },
            headers=manager_headers,
        )
        assert resp.status_code == 404
        assert resp.json()["code"] == "PRODUCT_PART_NOT_FOUND"

    def test_the_same_id_twice_in_a_list_is_422(self, client, manager_headers, steak):
        cheese = steak["options"][0]
        resp = client.put(
            f"{PRODUCTS}{steak['id']}",
            json={"options": [{"id": cheese["id"], "name": "A"}, {"id": cheese["id"], "name": "B"}]},
            headers=manager_headers,
        )
        assert resp.status_code == 422

    def test_moving_to_a_missing_category_is_404(self, client, manager_headers, steak):
        resp = client.put(f"{PRODUCTS}{steak['id']}", json={"category_id": 999}, headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "CATEGORY_NOT_FOUND"

    def test_moving_to_another_category(self, client, manager_headers, steak, create_category):
        specials = create_category("Specials")
        resp = client.put(f"{PRODUCTS}{steak['id']}", json={"category_id": specials["id"]}, headers=manager_headers)
        assert resp.json()["category_id"] == specials["id"]

    def test_an_update_is_audited_with_what_changed(self, client, manager_headers, steak):
        client.put(f"{PRODUCTS}{steak['id']}", json={"base_price": 2500, "ingredients": []}, headers=manager_headers)
        (event_,) = audit_events(client, manager_headers, "menu.product_updated")
        assert event_["entity_id"] == steak["id"]
        assert event_["data"]["changes"] == {"base_price": [2400, 2500]}
        assert event_["data"]["replaced"] == ["ingredients"]


class TestSoldOut:
    def test_an_86d_product_leaves_the_waiters_menu_and_comes_back(
        self, client, manager_headers, waiter_headers, steak
    ):
        waiter = waiter_headers()
        url = f"{PRODUCTS}{steak['id']}/availability"
        off = client.patch(url, json={"is_available": False}, headers=manager_headers)
        assert off.status_code == 200
        assert off.json()["is_available"] is False
        assert client.get(PRODUCTS, headers=waiter).json() == []
        every = client.get(PRODUCTS, params={"all": "true"}, headers=manager_headers).json()
        assert [p["id"] for p in every] == [steak["id"]]
        on = client.patch(url, json={"is_available": True}, headers=manager_headers)
        assert on.json()["is_available"] is True
        assert [p["id"] for p in client.get(PRODUCTS, headers=waiter).json()] == [steak["id"]]

    def test_each_change_is_audited_once(self, client, manager_headers, steak):
        url = f"{PRODUCTS}{steak['id']}/availability"
        client.patch(url, json={"is_available": False}, headers=manager_headers)
        client.patch(url, json={"is_available": False}, headers=manager_headers)
        events = audit_events(client, manager_headers, "menu.availability_changed")
        assert [e["data"]["is_available"] for e in events] == [False]

    def test_the_body_must_be_exactly_is_available(self, client, manager_headers, steak):
        url = f"{PRODUCTS}{steak['id']}/availability"
        assert client.patch(url, json={}, headers=manager_headers).status_code == 422
        assert client.patch(url, json={"is_available": False, "x": 1}, headers=manager_headers).status_code == 422


class TestArchiving:
    def test_deleting_archives_the_product(self, client, manager_headers, waiter_headers, steak):
        url = f"{PRODUCTS}{steak['id']}"
        resp = client.delete(url, headers=manager_headers)
        assert resp.status_code == 204
        assert client.get(PRODUCTS, headers=waiter_headers()).json() == []
        assert client.get(PRODUCTS, params={"all": "true"}, headers=manager_headers).json() == []
        kept = client.get(url, headers=manager_headers).json()
        assert kept["is_archived"] is True
        assert kept["options"] == steak["options"]

    def test_archiving_is_audited_and_repeating_it_is_harmless(self, client, manager_headers, steak):
        url = f"{PRODUCTS}{steak['id']}"
        assert client.delete(url, headers=manager_headers).status_code == 204
        assert client.delete(url, headers=manager_headers).status_code == 204
        events = audit_events(client, manager_headers, "menu.product_archived")
        assert [e["entity_id"] for e in events] == [steak["id"]]
