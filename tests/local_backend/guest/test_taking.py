"""A table guests opened from its QR code (direct mode) belongs to no waiter until one takes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from local_backend.menu.models import Product
from tests.local_backend.guest.conftest import GuestTable, set_ordering
from tests.local_backend.guest.test_submissions import fill_and_send
from tests.local_backend.orders.helpers import open_order, pay


def guest_opened(client: TestClient, manager: dict[str, str], table: GuestTable, product: Product) -> int:
    set_ordering(client, manager, "direct")
    fill_and_send(client, table, product.id)
    order_id: int = client.get(table.url("/order")).json()["order_id"]
    assert order_id is not None
    return order_id


def floor_row(client: TestClient, headers: dict[str, str], table_id: int) -> dict[str, Any]:
    rows = client.get("/api/tables/", headers=headers).json()
    row: dict[str, Any] = next(r for r in rows if r["id"] == table_id)
    return row


def take(client: TestClient, headers: dict[str, str], order_id: int) -> Any:
    return client.post(f"/api/orders/{order_id}/take", headers=headers)


class TestTakingATable:
    def test_the_floor_shows_it_by_guests_until_a_waiter_takes_it_and_then_it_is_theirs(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        order_id = guest_opened(client, manager_headers, table, soup)
        before = floor_row(client, maria, table.id)
        assert (before["by_guests"], before["is_mine"], before["waiter_name"]) == (True, False, "QR guests")

        resp = take(client, maria, order_id)
        assert resp.status_code == 200, resp.text
        assert resp.json()["waiter_name"] == "Maria"
        after = floor_row(client, maria, table.id)
        assert (after["by_guests"], after["is_mine"], after["waiter_name"]) == (False, True, "Maria")
        history = client.get(f"/api/orders/{order_id}/history", headers=maria).json()
        taken = [e for e in history if e["action"] == "order.taken"]
        assert len(taken) == 1
        assert taken[0]["data"]["from_waiter_name"] == "QR guests"
        assert taken[0]["data"]["to_waiter_name"] == "Maria"

    def test_the_second_waiter_to_tap_is_told_who_has_it_and_the_first_may_tap_again(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria, nikos = waiter_headers("maria"), waiter_headers("nikos")
        order_id = guest_opened(client, manager_headers, guest_table(), soup)
        assert take(client, maria, order_id).status_code == 200
        late = take(client, nikos, order_id)
        assert late.status_code == 409
        assert late.json()["code"] == "ORDER_HAS_WAITER"
        assert "Maria" in late.json()["detail"]
        again = take(client, maria, order_id)
        assert again.status_code == 200
        history = client.get(f"/api/orders/{order_id}/history", headers=maria).json()
        assert [e["action"] for e in history].count("order.taken") == 1

    def test_a_waiters_own_table_is_not_for_the_taking_not_even_by_a_manager(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria, nikos = waiter_headers("maria"), waiter_headers("nikos")
        order = open_order(client, maria, guest_table().id)
        for headers in (nikos, manager_headers):
            resp = take(client, headers, order["id"])
            assert resp.status_code == 409
            assert resp.json()["code"] == "ORDER_HAS_WAITER"
        assert client.get(f"/api/orders/{order['id']}", headers=maria).json()["waiter_name"] == "Maria"

    def test_a_closed_or_unknown_order_cannot_be_taken(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        order_id = guest_opened(client, manager_headers, guest_table(), soup)
        items = client.get(f"/api/orders/{order_id}", headers=maria).json()["items"]
        pay(client, maria, order_id, [i["id"] for i in items])
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).status_code == 200
        closed = take(client, maria, order_id)
        assert closed.status_code == 409
        assert closed.json()["code"] == "ORDER_NOT_OPEN"
        unknown = take(client, maria, 999_999)
        assert unknown.status_code == 404
        assert unknown.json()["code"] == "ORDER_NOT_FOUND"
        assert client.post(f"/api/orders/{order_id}/take").status_code == 401

    def test_accepting_a_round_at_a_table_the_guests_opened_takes_the_table(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        nikos = waiter_headers("nikos")
        table = guest_table()
        order_id = guest_opened(client, manager_headers, table, soup)
        set_ordering(client, manager_headers, "confirm")
        sub = fill_and_send(client, table, soup.id)
        # Nobody serves the table yet, so every waiter is shown the round, as for a free table.
        pending = client.get("/api/guest-submissions/", params={"status": "pending"}, headers=nikos).json()
        assert [s["id"] for s in pending] == [sub["id"]]
        accepted = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=nikos)
        assert accepted.status_code == 201, accepted.text
        assert accepted.json()["id"] == order_id
        assert accepted.json()["waiter_name"] == "Nikos"
        assert len(accepted.json()["items"]) == 2
        assert floor_row(client, nikos, table.id)["by_guests"] is False
