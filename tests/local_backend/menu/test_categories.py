"""Menu categories: CRUD, who may do what, and deleting categories that products belong to."""

from __future__ import annotations

from tests.local_backend.menu.conftest import audit_events

CATEGORIES = "/api/products/categories"


class TestCreatingCategories:
    def test_a_manager_creates_a_category_with_all_its_fields(self, client, manager_headers):
        payload = {
            "name": "  Grill  ",
            "name_en": "Grill",
            "color": "#FF8800",
            "sort_order": 3,
            "printer_zone_id": 2,
            "is_active": True,
        }
        resp = client.post(CATEGORIES, json=payload, headers=manager_headers)
        assert resp.status_code == 201
        body = resp.json()
        assert body["id"] > 0
        assert body["name"] == "Grill"
        assert body["color"] == "#ff8800"
        assert (body["sort_order"], body["printer_zone_id"], body["is_active"]) == (3, 2, True)
        listed = client.get(CATEGORIES, headers=manager_headers).json()
        assert [c["name"] for c in listed] == ["Grill"]

    def test_a_category_gets_sensible_defaults(self, client, manager_headers):
        body = client.post(CATEGORIES, json={"name": "Salads"}, headers=manager_headers).json()
        assert body["color"] == "#607d8b"
        assert body["name_en"] is None
        assert body["printer_zone_id"] is None
        assert body["is_active"] is True

    def test_creation_is_audited_with_the_manager(self, client, manager_headers):
        created = client.post(CATEGORIES, json={"name": "Desserts"}, headers=manager_headers).json()
        events = audit_events(client, manager_headers, "menu.category_created")
        assert len(events) == 1
        assert events[0]["entity_id"] == created["id"]
        assert events[0]["actor_name"] is not None
        assert events[0]["data"]["name"] == "Desserts"

    def test_invalid_fields_are_422(self, client, manager_headers):
        for payload in (
            {"name": ""},
            {"name": "   "},
            {"name": "x" * 121},
            {"name": "Ok", "color": "red"},
            {"name": "Ok", "color": "#12345"},
            {"name": "Ok", "printer_zone_id": 0},
            {"name": "Ok", "sort_order": 10**12},
            {"name": "Ok", "unknown": 1},
        ):
            resp = client.post(CATEGORIES, json=payload, headers=manager_headers)
            assert resp.status_code == 422, payload
            assert resp.json()["code"] == "VALIDATION_ERROR"
        assert client.get(CATEGORIES, headers=manager_headers).json() == []


class TestCategoryPermissions:
    def test_a_waiter_can_list_but_not_change_categories(self, client, waiter_headers, create_category):
        category = create_category("Starters")
        waiter = waiter_headers("maria")
        assert [c["name"] for c in client.get(CATEGORIES, headers=waiter).json()] == ["Starters"]
        attempts = [
            client.post(CATEGORIES, json={"name": "Mine"}, headers=waiter),
            client.put(f"{CATEGORIES}/{category['id']}", json={"name": "Mine"}, headers=waiter),
            client.delete(f"{CATEGORIES}/{category['id']}", headers=waiter),
        ]
        assert [(r.status_code, r.json()["code"]) for r in attempts] == [(403, "MANAGER_REQUIRED")] * 3

    def test_listing_needs_a_login(self, client):
        resp = client.get(CATEGORIES)
        assert resp.status_code == 401
        assert resp.json()["code"] == "NOT_AUTHENTICATED"

    def test_inactive_categories_are_shown_only_to_a_manager_asking_for_all(
        self, client, manager_headers, waiter_headers, create_category
    ):
        create_category("Mains", sort_order=1)
        create_category("Winter specials", sort_order=2, is_active=False)
        waiter = waiter_headers()
        assert [c["name"] for c in client.get(CATEGORIES, headers=waiter).json()] == ["Mains"]
        assert [c["name"] for c in client.get(CATEGORIES, headers=manager_headers).json()] == ["Mains"]
        every = client.get(CATEGORIES, params={"all": "true"}, headers=manager_headers).json()
        assert [c["name"] for c in every] == ["Mains", "Winter specials"]
        refused = client.get(CATEGORIES, params={"all": "true"}, headers=waiter)
        assert refused.status_code == 403
        assert refused.json()["code"] == "MANAGER_REQUIRED"

    def test_categories_are_listed_in_sort_order(self, client, manager_headers, create_category):
        create_category("Drinks", sort_order=9)
        create_category("Starters", sort_order=1)
        create_category("Mains", sort_order=5)
        names = [c["name"] for c in client.get(CATEGORIES, headers=manager_headers).json()]
        assert names == ["Starters", "Mains", "Drinks"]


class TestUpdatingCategories:
    def test_only_the_given_fields_change(self, client, manager_headers, create_category):
        category = create_category("Mains", color="#112233", sort_order=4, printer_zone_id=1)
        resp = client.put(
            f"{CATEGORIES}/{category['id']}", json={"name": "Main courses", "is_active": False}, headers=manager_headers
        )
        assert resp.status_code == 200
        body = resp.json()
        assert body["name"] == "Main courses"
        assert body["is_active"] is False
        assert (body["color"], body["sort_order"], body["printer_zone_id"]) == ("#112233", 4, 1)

    def test_the_printer_zone_can_be_cleared_but_the_name_cannot(self, client, manager_headers, create_category):
        category = create_category("Bar", printer_zone_id=3)
        url = f"{CATEGORIES}/{category['id']}"
        cleared = client.put(url, json={"printer_zone_id": None}, headers=manager_headers)
        assert cleared.status_code == 200
        assert cleared.json()["printer_zone_id"] is None
        nulled = client.put(url, json={"name": None}, headers=manager_headers)
        assert nulled.status_code == 422

    def test_an_update_is_audited_with_what_changed(self, client, manager_headers, create_category):
        category = create_category("Mains", sort_order=1)
        client.put(f"{CATEGORIES}/{category['id']}", json={"sort_order": 2}, headers=manager_headers)
        (event,) = audit_events(client, manager_headers, "menu.category_updated")
        assert event["entity_id"] == category["id"]
        assert event["data"]["changes"] == {"sort_order": [1, 2]}

    def test_an_unknown_category_is_404(self, client, manager_headers):
        resp = client.put(f"{CATEGORIES}/999", json={"name": "X"}, headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "CATEGORY_NOT_FOUND"

    def test_an_absurd_id_is_a_validation_error_not_a_crash(self, client, manager_headers):
        resp = client.put(f"{CATEGORIES}/{2**70}", json={"name": "X"}, headers=manager_headers)
        assert resp.status_code == 422


class TestDeletingCategories:
    def test_an_empty_category_is_deleted(self, client, manager_headers, create_category):
        category = create_category("Old")
        resp = client.delete(f"{CATEGORIES}/{category['id']}", headers=manager_headers)
        assert resp.status_code == 204
        listed = client.get(CATEGORIES, params={"all": "true"}, headers=manager_headers).json()
        assert listed == []
        (event,) = audit_events(client, manager_headers, "menu.category_deleted")
        assert event["entity_id"] == category["id"]
        again = client.delete(f"{CATEGORIES}/{category['id']}", headers=manager_headers)
        assert again.status_code == 404
        assert again.json()["code"] == "CATEGORY_NOT_FOUND"

    def test_a_category_with_products_on_the_menu_is_a_conflict(
        self, client, manager_headers, create_category, create_product
    ):
        category = create_category("Mains")
        create_product("Moussaka", category_id=category["id"], is_available=False)
        resp = client.delete(f"{CATEGORIES}/{category['id']}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "CATEGORY_NOT_EMPTY"
        listed = client.get(CATEGORIES, headers=manager_headers).json()
        assert [c["id"] for c in listed] == [category["id"]]

    def test_a_category_with_only_archived_products_goes_but_its_products_stay_readable(
        self, client, manager_headers, create_category, create_product
    ):
        category = create_category("Seasonal")
        product = create_product("Chestnut soup", category_id=category["id"])
        assert client.delete(f"/api/products/{product['id']}", headers=manager_headers).status_code == 204
        resp = client.delete(f"{CATEGORIES}/{category['id']}", headers=manager_headers)
        assert resp.status_code == 204
        assert client.get(CATEGORIES, params={"all": "true"}, headers=manager_headers).json() == []
        kept = client.get(f"/api/products/{product['id']}", headers=manager_headers)
        assert kept.status_code == 200
        assert kept.json()["category_id"] == category["id"]
        # A deleted category cannot receive products any more.
        moved = client.post(
            "/api/products/",
            json={"name": "X", "base_price": 1, "category_id": category["id"]},
            headers=manager_headers,
        )
        assert moved.status_code == 404
        assert moved.json()["code"] == "CATEGORY_NOT_FOUND"
