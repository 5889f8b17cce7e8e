"""The guest's table, menu and shared cart over the API."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering


class TestTheTableCode:
    def test_a_code_shows_its_table_and_the_restaurant(
        self, client: TestClient, guest_table: Callable[..., GuestTable]
    ) -> None:
        table = guest_table(label="Terrace 4")
        body = client.get(table.url()).json()
        assert body["table_label"] == "Terrace 4"
        assert body["currency"] == "EUR"
        assert body["ordering"] == "confirm"
        assert body["accepting_orders"] is True
        assert body["reason"] is None

    def test_an_unknown_code_is_invalid(self, client: TestClient) -> None:
        resp = client.get("/api/guest/not-a-real-code")
        assert resp.status_code == 404
        assert resp.json()["code"] == "TABLE_TOKEN_INVALID"

    def test_a_malformed_code_is_a_validation_error(self, client: TestClient) -> None:
        assert client.get("/api/guest/" + "x" * 65).status_code == 422

    def test_a_rotated_code_is_dead_at_once(
        self, client: TestClient, guest_table: Callable[..., GuestTable], manager_headers: dict[str, str]
    ) -> None:
        table = guest_table()
        resp = client.post(f"/api/tables/{table.id}/qr/rotate", headers=manager_headers)
        assert resp.status_code == 200
        new = resp.json()
        assert new["token"] != table.token
        assert new["url"].endswith("/t/" + new["token"])
        assert client.get(table.url()).json()["code"] == "TABLE_TOKEN_INVALID"
        assert client.get(f"/api/guest/{new['token']}").status_code == 200
        audit = client.get("/api/audit", params={"action": "tables.qr_rotated"}, headers=manager_headers)
        assert audit.status_code == 200
        assert len(audit.json()) >= 1

    def test_a_deactivated_table_is_gone(
        self, client: TestClient, guest_table: Callable[..., GuestTable], manager_headers: dict[str, str]
    ) -> None:
        table = guest_table()
        assert client.delete(f"/api/tables/{table.id}", headers=manager_headers).status_code == 204
        for path in ("", "/menu", "/cart", "/order"):
            resp = client.get(table.url(path))
            assert resp.status_code == 410, path
            assert resp.json()["code"] == "TABLE_INACTIVE"

    def test_the_code_is_the_same_until_rotated_and_the_sheet_lists_every_active_table(
        self, client: TestClient, guest_table: Callable[..., GuestTable], manager_headers: dict[str, str]
    ) -> None:
        table = guest_table()
        again = client.get(f"/api/tables/{table.id}/qr", headers=manager_headers).json()
        assert again["token"] == table.token
        sheet = client.get("/api/tables/qr", headers=manager_headers).json()
        assert {row["table_id"]: row["token"] for row in sheet}[table.id] == table.token

    def test_a_waiter_may_not_read_table_codes(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        table = guest_table()
        assert client.get(f"/api/tables/{table.id}/qr", headers=waiter_headers()).status_code == 403

    def test_the_link_uses_the_public_url_when_set(
        self, client: TestClient, guest_table: Callable[..., GuestTable], manager_headers: dict[str, str]
    ) -> None:
        client.app.state.settings.public_url = "http://pos.local:8000/"  # type: ignore[attr-defined]
        table = guest_table()
        url = client.get(f"/api/tables/{table.id}/qr", headers=manager_headers).json()["url"]
        assert url == f"http://pos.local:8000/t/{table.token}"


class TestTheMenu:
    def test_only_available_products_of_active_categories(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        steak: Product,
        make_product: Callable[..., Product],
    ) -> None:
        make_product("Gone", 100, category="Mains", is_available=False)
        table = guest_table()
        body = client.get(table.url("/menu")).json()
        names = [p["name"] for p in body["products"]]
        assert names == ["Steak"]
        product = body["products"][0]
        assert product["options"][0]["extra_cost"] == 150
        assert product["ingredients"][0]["name"] == "Onion"
        assert product["preference_sets"][0]["required"] is True
        assert [c["name"] for c in body["categories"]] == ["Mains"]


class TestTheCart:
    def test_adding_a_line_prices_it_and_bumps_the_version(
        self, client: TestClient, guest_table: Callable[..., GuestTable], steak: Product
    ) -> None:
        table = guest_table()
        before = client.get(table.url("/cart")).json()
        assert before == {"version": 0, "lines": [], "total": 0}
        detail = client.get(table.url("/menu")).json()["products"][0]
        resp = add_line(
            client,
            table,
            steak.id,
            quantity=2,
            option_ids=[detail["options"][0]["id"]],
            removed_ingredient_ids=[detail["ingredients"][0]["id"]],
            choice_ids=[detail["preference_sets"][0]["choices"][1]["id"]],
            note="  no salt ",
            nickname="Bob",
        )
        assert resp.status_code == 201, resp.text
        cart = resp.json()
        assert cart["version"] == 1
        (line,) = cart["lines"]
        assert line["unit_price"] == 2150
        assert line["line_total"] == 4300
        assert cart["total"] == 4300
        assert line["options"] == ["Pepper sauce"]
        assert line["removed"] == ["Onion"]
        assert line["choices"] == ["Medium"]
        assert line["note"] == "no salt"
        assert line["nickname"] == "Bob"

    def test_a_missing_required_preference_is_refused(
        self, client: TestClient, guest_table: Callable[..., GuestTable], steak: Product
    ) -> None:
        resp = add_line(client, guest_table(), steak.id)
        assert resp.status_code == 422
        assert resp.json()["code"] == "CHOICE_REQUIRED"

    def test_unknown_and_unavailable_products_are_refused_with_the_menus_codes(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        make_product: Callable[..., Product],
    ) -> None:
        table = guest_table()
        gone = make_product("Gone", 100, is_available=False)
        assert add_line(client, table, 999_999).json()["code"] == "PRODUCT_NOT_FOUND"
        resp = add_line(client, table, gone.id)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PRODUCT_UNAVAILABLE"

    def test_changing_and_removing_lines(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        line_id = add_line(client, table, soup.id).json()["lines"][0]["id"]
        changed = client.patch(table.url(f"/cart/lines/{line_id}"), json={"quantity": 3}).json()
        assert changed["lines"][0]["quantity"] == 3
        assert changed["total"] == 1500
        assert changed["version"] == 2
        removed = client.delete(table.url(f"/cart/lines/{line_id}"))
        assert removed.status_code == 200
        assert removed.json()["lines"] == []
        assert removed.json()["version"] == 3
        gone = client.delete(table.url(f"/cart/lines/{line_id}"))
        assert gone.status_code == 404
        assert gone.json()["code"] == "CART_LINE_NOT_FOUND"
        patch = client.patch(table.url(f"/cart/lines/{line_id}"), json={"quantity": 1})
        assert patch.json()["code"] == "CART_LINE_NOT_FOUND"

    def test_bad_quantities_and_nicknames_are_validation_errors(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        assert add_line(client, table, soup.id, quantity=0).status_code == 422
        assert add_line(client, table, soup.id, quantity=21).status_code == 422
        assert add_line(client, table, soup.id, nickname="").status_code == 422
        assert add_line(client, table, soup.id, nickname="x" * 25).status_code == 422
        assert add_line(client, table, soup.id, note="x" * 141).status_code == 422

    def test_a_token_only_reaches_its_own_tables_cart(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        mine, other = guest_table(), guest_table()
        line_id = add_line(client, other, soup.id).json()["lines"][0]["id"]
        assert client.get(mine.url("/cart")).json()["lines"] == []
        resp = client.delete(mine.url(f"/cart/lines/{line_id}"))
        assert resp.status_code == 404
        assert resp.json()["code"] == "CART_LINE_NOT_FOUND"
        assert len(client.get(other.url("/cart")).json()["lines"]) == 1

    def test_the_cart_holds_at_most_fifty_lines(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        for _ in range(50):
            assert add_line(client, table, soup.id).status_code == 201
        resp = add_line(client, table, soup.id)
        assert resp.status_code == 409
        assert resp.json()["code"] == "CART_FULL"

    def test_cart_writes_are_rate_limited_per_table(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table, other = guest_table(), guest_table()
        line_id = add_line(client, table, soup.id).json()["lines"][0]["id"]
        for q in range(59):
            assert client.patch(table.url(f"/cart/lines/{line_id}"), json={"quantity": q % 20 + 1}).status_code == 200
        resp = client.patch(table.url(f"/cart/lines/{line_id}"), json={"quantity": 2})
        assert resp.status_code == 429
        assert resp.json()["code"] == "GUEST_RATE_LIMITED"
        assert int(resp.headers["Retry-After"]) >= 1
        assert add_line(client, other, soup.id).status_code == 201

    def test_ordering_off_refuses_writes_but_not_reads(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        table = guest_table()
        set_ordering(client, manager_headers, "off")
        resp = add_line(client, table, soup.id)
        assert resp.status_code == 403
        assert resp.json()["code"] == "GUEST_ORDERING_OFF"
        info = client.get(table.url()).json()
        assert info["accepting_orders"] is False
        assert info["reason"]
        assert client.get(table.url("/menu")).status_code == 200
        assert client.get(table.url("/cart")).status_code == 200

    def test_an_idempotency_key_replays_an_add(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        body = {"product_id": soup.id, "nickname": "Ann"}
        first = client.post(table.url("/cart/lines"), json=body, headers={"Idempotency-Key": "k-1"})
        again = client.post(table.url("/cart/lines"), json=body, headers={"Idempotency-Key": "k-1"})
        assert first.status_code == again.status_code == 201
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert len(client.get(table.url("/cart")).json()["lines"]) == 1
