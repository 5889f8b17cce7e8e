"""The pricing cache never serves a menu that changed: every committed change is seen by the next order."""

from __future__ import annotations

from sqlalchemy import update

from local_backend import cache
from local_backend.menu.models import Product
from local_backend.menu.service import MENU_TABLES


def _order(client, headers, make_table) -> int:
    resp = client.post("/api/orders/", json={"table_id": make_table().id}, headers=headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _add(client, headers, order_id, **item):
    return client.post(f"/api/orders/{order_id}/items", json={"items": [{"quantity": 1, **item}]}, headers=headers)


class TestPricingCache:
    def test_a_price_change_through_the_api_reaches_the_next_item(
        self, client, manager_headers, make_product, make_table
    ):
        product = make_product("Souvlaki", 1000, options=[("Extra pita", 50)])
        order_id = _order(client, manager_headers, make_table)
        assert _add(client, manager_headers, order_id, product_id=product.id).json()["items"][0]["unit_price"] == 1000
        resp = client.put(f"/api/products/{product.id}", json={"base_price": 1200}, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        assert _add(client, manager_headers, order_id, product_id=product.id).json()["items"][0]["unit_price"] == 1200

    def test_a_change_committed_by_another_session_is_seen(
        self, client, manager_headers, make_product, make_table, database
    ):
        product = make_product("Frappe", 350)
        order_id = _order(client, manager_headers, make_table)
        assert _add(client, manager_headers, order_id, product_id=product.id).status_code == 201
        with database.write_session() as db:
            db.execute(update(Product).where(Product.id == product.id).values(is_available=False))
        resp = _add(client, manager_headers, order_id, product_id=product.id)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PRODUCT_UNAVAILABLE"

    def test_an_86_toggle_takes_effect_at_once_both_ways(self, client, manager_headers, make_product, make_table):
        product = make_product("Baklava", 600)
        order_id = _order(client, manager_headers, make_table)
        assert _add(client, manager_headers, order_id, product_id=product.id).status_code == 201
        path = f"/api/products/{product.id}/availability"
        assert client.patch(path, json={"is_available": False}, headers=manager_headers).status_code == 200
        assert _add(client, manager_headers, order_id, product_id=product.id).status_code == 409
        assert client.patch(path, json={"is_available": True}, headers=manager_headers).status_code == 200
        assert _add(client, manager_headers, order_id, product_id=product.id).status_code == 201

    def test_a_removed_option_is_refused_after_the_edit(self, client, manager_headers, make_product, make_table):
        product = make_product("Salad", 900, options=[("Extra feta", 150)])
        option_id = product.options[0].id
        order_id = _order(client, manager_headers, make_table)
        ok = _add(client, manager_headers, order_id, product_id=product.id, option_ids=[option_id])
        assert ok.json()["items"][0]["unit_price"] == 1050
        assert (
            client.put(f"/api/products/{product.id}", json={"options": []}, headers=manager_headers).status_code == 200
        )
        resp = _add(client, manager_headers, order_id, product_id=product.id, option_ids=[option_id])
        assert resp.status_code == 422
        assert resp.json()["code"] == "INVALID_OPTION"


class TestTableVersions:
    def test_a_commit_bumps_the_versions_of_the_tables_it_changed(self, database, make_product):
        before = cache.versions(MENU_TABLES)
        make_product("Ouzo", 600)
        assert cache.versions(MENU_TABLES) != before

    def test_a_rolled_back_change_is_pending_in_its_session_only_until_it_ends(self, database, make_product):
        product = make_product("Tsipouro", 700)
        before = cache.versions(MENU_TABLES)
        with database.read_session() as db:
            db.execute(update(Product).where(Product.id == product.id).values(base_price=1))
            assert cache.has_pending_changes(db, MENU_TABLES)
            db.rollback()
        assert cache.versions(MENU_TABLES) == before


class TestStaffCache:
    def test_a_user_deactivated_by_another_session_is_refused_at_once(self, client, make_user, database, make_table):
        from local_backend.staff.models import User
        from tests.conftest import login

        user = make_user("anna")
        headers = login(client, "anna", "1234")
        # A write fills the staff cache with anna active.
        assert client.post("/api/orders/", json={"table_id": make_table().id}, headers=headers).status_code == 201
        with database.write_session() as db:
            db.execute(update(User).where(User.id == user.id).values(is_active=False))
        resp = client.post("/api/orders/", json={"table_id": make_table().id}, headers=headers)
        assert resp.status_code == 401
        assert resp.json()["code"] == "TOKEN_REVOKED"
        assert client.get("/api/auth/me", headers=headers).status_code == 401
