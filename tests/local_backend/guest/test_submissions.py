"""Sending the cart: confirm mode (a waiter accepts or rejects), direct mode, limits, license, sessions, audit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.licensing.decision import LicenseCode, LicenseState
from local_backend.menu.models import Product
from local_backend.staff.models import User
from tests.conftest import login
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering
from tests.local_backend.orders.helpers import open_order, pay


def cart_of(client: TestClient, table: GuestTable) -> dict[str, Any]:
    cart: dict[str, Any] = client.get(table.url("/cart")).json()
    return cart


def send(client: TestClient, table: GuestTable, nickname: str = "Ann", version: int | None = None) -> Any:
    if version is None:
        version = cart_of(client, table)["version"]
    return client.post(table.url("/submit"), json={"nickname": nickname, "cart_version": version})


def fill_and_send(client: TestClient, table: GuestTable, product_id: int, quantity: int = 1) -> dict[str, Any]:
    assert add_line(client, table, product_id, quantity=quantity).status_code == 201
    resp = send(client, table)
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def lock_license(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    manager = client.app.state.license  # type: ignore[attr-defined]
    locked = dataclasses.replace(
        manager.current(), state=LicenseState.LOCKED, code=LicenseCode.LICENSE_LOCKED, reason="locked by the vendor"
    )
    monkeypatch.setattr(manager, "current", lambda: locked)


class TestSending:
    def test_a_send_becomes_a_pending_submission_and_empties_the_cart(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        add_line(client, table, soup.id, quantity=2, nickname="Bob")
        before = cart_of(client, table)["version"]
        resp = send(client, table, nickname="Ann")
        assert resp.status_code == 201, resp.text
        sub = resp.json()
        assert sub["status"] == "pending"
        assert sub["total"] == 1000
        assert sub["nickname"] == "Ann"
        assert sub["lines"][0]["nickname"] == "Bob"
        assert sub["reason"] is None
        cart = cart_of(client, table)
        assert cart["lines"] == []
        assert cart["version"] > before
        order = client.get(table.url("/order")).json()
        assert order["order_id"] is None
        assert [s["id"] for s in order["submissions"]] == [sub["id"]]

    def test_an_empty_cart_cannot_be_sent(self, client: TestClient, guest_table: Callable[..., GuestTable]) -> None:
        resp = send(client, guest_table())
        assert resp.status_code == 409
        assert resp.json()["code"] == "CART_EMPTY"

    def test_a_stale_version_is_a_changed_cart(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        add_line(client, table, soup.id)
        seen = cart_of(client, table)["version"]
        add_line(client, table, soup.id, nickname="Bob")  # someone else adds meanwhile
        resp = send(client, table, version=seen)
        assert resp.status_code == 409
        assert resp.json()["code"] == "CART_CHANGED"
        assert len(cart_of(client, table)["lines"]) == 2

    def test_too_many_items_in_one_send(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        set_ordering(client, manager_headers, "confirm", guest_max_items_per_send=5)
        table = guest_table()
        add_line(client, table, soup.id, quantity=6)
        resp = send(client, table)
        assert resp.status_code == 422
        assert resp.json()["code"] == "TOO_MANY_ITEMS"

    def test_sends_are_rate_limited_per_table(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        for _ in range(3):
            fill_and_send(client, table, soup.id)
        add_line(client, table, soup.id)
        resp = send(client, table)
        assert resp.status_code == 429
        assert resp.json()["code"] == "GUEST_RATE_LIMITED"
        assert "Retry-After" in resp.headers

    def test_a_refusing_license_stops_sends_but_not_reads(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        table = guest_table()
        add_line(client, table, soup.id)
        lock_license(client, monkeypatch)
        resp = send(client, table)
        assert resp.status_code == 423
        assert resp.json()["code"] == "LICENSE_LOCKED"
        info = client.get(table.url()).json()
        assert info["accepting_orders"] is False
        assert info["reason"]
        assert len(cart_of(client, table)["lines"]) == 1

    def test_ordering_off_refuses_sends(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        table = guest_table()
        add_line(client, table, soup.id)
        set_ordering(client, manager_headers, "off")
        assert send(client, table).json()["code"] == "GUEST_ORDERING_OFF"


class TestAcceptingAndRejecting:
    def test_a_waiter_accepts_a_free_tables_submission_and_owns_the_new_order(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
        manager_headers: dict[str, str],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        sub = fill_and_send(client, table, soup.id, quantity=2)
        pending = client.get("/api/guest-submissions", params={"status": "pending"}, headers=maria).json()
        assert [s["id"] for s in pending] == [sub["id"]]
        assert pending[0]["table_label"] == table.label
        resp = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria)
        assert resp.status_code == 201, resp.text
        order = resp.json()
        assert order["waiter_name"] == "Maria"
        assert order["table_id"] == table.id
        (item,) = order["items"]
        assert item["quantity"] == 2
        assert item["guest_nickname"] == "Ann"
        assert item["unit_price"] == 500
        again = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria)
        assert again.status_code == 409
        assert again.json()["code"] == "SUBMISSION_DECIDED"
        guest_view = client.get(table.url("/order")).json()
        assert guest_view["order_id"] == order["id"]
        assert guest_view["total"] == 1000
        assert guest_view["due"] == 1000
        assert guest_view["items"][0]["state"] == "received"
        assert guest_view["items"][0]["guest"] is True
        assert guest_view["submissions"][0]["status"] == "accepted"
        history = client.get(f"/api/orders/{order['id']}/history", headers=manager_headers).json()
        accepted = [e for e in history if e["action"] == "guest.submission_accepted"]
        assert accepted
        assert accepted[0]["actor_name"] == "Maria"
        assert accepted[0]["data"]["nickname"] == "Ann"
        assert accepted[0]["data"]["table_id"] == table.id

    def test_only_the_tables_waiter_or_their_assistant_or_a_manager_may_decide(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        make_user: Callable[..., User],
        assign_assistant: Callable[[int, int], None],
        manager_headers: dict[str, str],
    ) -> None:
        maria_user, nikos_user, eleni_user = make_user("maria"), make_user("nikos"), make_user("eleni")
        maria, nikos, eleni = (login(client, name, "1234") for name in ("maria", "nikos", "eleni"))
        assign_assistant(maria_user.id, eleni_user.id)
        table = guest_table()
        open_order(client, maria, table.id)
        first = fill_and_send(client, table, soup.id)
        assert client.get("/api/guest-submissions", params={"status": "pending"}, headers=nikos).json() == []
        refused = client.post(f"/api/guest-submissions/{first['id']}/accept", headers=nikos)
        assert refused.status_code == 403
        assert refused.json()["code"] == "NOT_TABLE_WAITER"
        refused = client.post(f"/api/guest-submissions/{first['id']}/reject", json={"reason": "no"}, headers=nikos)
        assert refused.status_code == 403
        assert client.post(f"/api/guest-submissions/{first['id']}/accept", headers=eleni).status_code == 201
        second = fill_and_send(client, table, soup.id)
        assert client.post(f"/api/guest-submissions/{second['id']}/accept", headers=manager_headers).status_code == 201
        _ = nikos_user

    def test_rejecting_tells_the_guests_why(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
        manager_headers: dict[str, str],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        sub = fill_and_send(client, table, soup.id)
        resp = client.post(
            f"/api/guest-submissions/{sub['id']}/reject", json={"reason": "Kitchen closed"}, headers=maria
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "rejected"
        assert resp.json()["decided_by"] == "Maria"
        seen = client.get(table.url("/order")).json()["submissions"][0]
        assert seen["status"] == "rejected"
        assert seen["reason"] == "Kitchen closed"
        again = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria)
        assert again.json()["code"] == "SUBMISSION_DECIDED"
        audit = client.get("/api/audit", params={"action": "guest.submission_rejected"}, headers=manager_headers)
        assert audit.json()[0]["data"]["reason"] == "Kitchen closed"

    def test_accepting_needs_the_license(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        maria = waiter_headers("maria")
        sub = fill_and_send(client, guest_table(), soup.id)
        lock_license(client, monkeypatch)
        resp = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria)
        assert resp.status_code == 423

    def test_unknown_submissions(self, client: TestClient, waiter_headers: Callable[..., dict[str, str]]) -> None:
        maria = waiter_headers("maria")
        resp = client.post("/api/guest-submissions/999/accept", headers=maria)
        assert resp.status_code == 404
        assert resp.json()["code"] == "SUBMISSION_NOT_FOUND"
        assert client.get("/api/guest-submissions").status_code == 401


class TestDirectMode:
    def test_a_send_goes_straight_to_the_tables_order_owned_by_qr_guests(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        set_ordering(client, manager_headers, "direct")
        table = guest_table()
        sub = fill_and_send(client, table, soup.id)
        assert sub["status"] == "accepted"
        view = client.get(table.url("/order")).json()
        assert view["order_id"] is not None
        assert view["items"][0]["guest"] is True
        order = client.get(f"/api/orders/{view['order_id']}", headers=manager_headers).json()
        assert order["waiter_name"] == "QR guests"
        assert client.post("/api/auth/login", json={"username": "qr-guests", "pin": "1234"}).status_code == 401

    def test_any_waiter_serves_an_order_the_guests_opened_and_qr_guests_is_not_staff(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        set_ordering(client, manager_headers, "direct")
        table = guest_table()
        order_id = client.get(table.url("/order")).json()["order_id"]
        assert order_id is None
        fill_and_send(client, table, soup.id)
        order_id = client.get(table.url("/order")).json()["order_id"]
        detail = client.get(f"/api/orders/{order_id}", headers=maria)
        assert detail.status_code == 200, detail.text
        pay(client, maria, order_id, [i["id"] for i in detail.json()["items"]])
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).status_code == 200
        staff = client.get("/api/waiters/", headers=manager_headers).json()
        assert "qr-guests" not in [user["username"] for user in staff]

    def test_a_send_joins_the_waiters_open_order(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        order = open_order(client, maria, table.id)
        set_ordering(client, manager_headers, "direct")
        fill_and_send(client, table, soup.id)
        detail = client.get(f"/api/orders/{order['id']}", headers=maria).json()
        assert [i["guest_nickname"] for i in detail["items"]] == ["Ann"]
        assert detail["waiter_name"] == "Maria"


class TestSessions:
    def test_a_closed_order_leaves_a_fresh_cart_and_order_for_the_next_party(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        sub = fill_and_send(client, table, soup.id)
        order = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria).json()
        add_line(client, table, soup.id, nickname="Left behind")
        version = cart_of(client, table)["version"]
        pay(client, maria, order["id"], [i["id"] for i in order["items"]])
        assert client.post(f"/api/orders/{order['id']}/close", headers=maria).status_code == 200
        cart = cart_of(client, table)
        assert cart["lines"] == []
        assert cart["version"] > version
        view = client.get(table.url("/order")).json()
        payments = view.pop("payments")
        assert view == {"order_id": None, "items": [], "submissions": [], "total": 0, "paid": 0, "due": 0}
        assert payments["requests"] == []
        assert payments["open_for"] == 0
        fresh = add_line(client, table, soup.id, nickname="New party").json()
        assert [line["nickname"] for line in fresh["lines"]] == ["New party"]
        assert fresh["version"] > cart["version"]


class TestCalls:
    def test_one_call_per_kind_per_minute(self, client: TestClient, guest_table: Callable[..., GuestTable]) -> None:
        table = guest_table()
        first = client.post(table.url("/call"), json={"kind": "waiter"})
        assert first.status_code == 202
        assert first.json() == {"ok": True}
        again = client.post(table.url("/call"), json={"kind": "waiter"})
        assert again.status_code == 429
        assert again.json()["code"] == "GUEST_RATE_LIMITED"
        assert client.post(table.url("/call"), json={"kind": "bill"}).status_code == 202
        assert client.post(table.url("/call"), json={"kind": "dessert"}).status_code == 422
