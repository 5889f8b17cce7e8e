"""Guests paying their share by UPI from the table's code: shares, the ledger, limits, other tables, Razorpay."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import responses
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.config import Settings
from local_backend.menu.models import Product
from local_backend.upi.gateway import FakeUpiGateway
from local_backend.upi.manager import UpiManager
from tests.conftest import make_settings
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering
from tests.local_backend.guest.test_socket import guest_ws, pushed
from tests.local_backend.orders.helpers import add_items, open_order
from tests.local_backend.upi.conftest import SLOW_POLL, payment, script_create, script_payments, sent_json
from tests.support.sockets import receive

GATEWAY: dict[str, Any] = {"currency": "INR", "upi_gateway": "fake", "upi_poll_seconds": SLOW_POLL}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, **GATEWAY)


@pytest.fixture
def upi(app: FastAPI, client: TestClient) -> UpiManager:
    manager: UpiManager = app.state.upi
    return manager


@pytest.fixture
def tick(client: TestClient, upi: UpiManager) -> Callable[[], None]:
    """One poll of every open QR now, on the app's loop (as the background task would)."""

    def _tick() -> None:
        client.portal.call(lambda: upi.tick(force=True))  # type: ignore[union-attr]

    return _tick


@pytest.fixture
def thali(make_product: Callable[..., Product]) -> Product:
    return make_product("Thali", 45000, category="Mains")


@pytest.fixture
def lassi(make_product: Callable[..., Product]) -> Product:
    return make_product("Lassi", 10000, category="Drinks")


@pytest.fixture
def table(guest_table: Callable[..., GuestTable]) -> GuestTable:
    return guest_table()


@pytest.fixture
def guests_order(
    client: TestClient, manager_headers: dict[str, str], table: GuestTable, thali: Product, lassi: Product
) -> int:
    """Ann orders a thali and a lassi, Bob a thali, straight to the kitchen: 1000.00 in all."""
    return order_as_guests(client, manager_headers, table, thali, lassi)


def order_as_guests(
    client: TestClient, manager_headers: dict[str, str], table: GuestTable, thali: Product, lassi: Product
) -> int:
    set_ordering(client, manager_headers, "direct")
    for product, nickname in ((thali, "Ann"), (lassi, "Ann"), (thali, "Bob")):
        assert add_line(client, table, product.id, nickname=nickname).status_code == 201
    version = client.get(table.url("/cart")).json()["version"]
    sent = client.post(table.url("/submit"), json={"nickname": "Ann", "cart_version": version})
    assert sent.status_code == 201, sent.text
    order_id: int = client.get(table.url("/order")).json()["order_id"]
    return order_id


def pay(client: TestClient, table: GuestTable, share: str, nickname: str = "Ann", **more: Any) -> Any:
    return client.post(table.url("/payments"), json={"nickname": nickname, "share": share, **more})


def guest_pays(upi: UpiManager, tick: Callable[[], None], qr_payload: str) -> None:
    """The guest's UPI app pays the QR (the fake gateway), and the poller sees it."""
    assert isinstance(upi.gateway, FakeUpiGateway)
    qr_id = qr_payload.split("tr=")[1].split("&")[0]
    assert upi.gateway.pay(qr_id) is not None
    tick()


class TestShares:
    def test_my_items_pays_what_i_ordered_and_the_bill_records_it(
        self, client, table, guests_order, upi, tick, manager_headers
    ):
        view = client.get(table.url("/order")).json()
        assert view["payments"]["available"] is True
        ann_items = [item for item in view["items"] if item["nickname"] == "Ann"]
        assert sorted(item["amount"] for item in ann_items) == [10000, 45000]

        resp = pay(client, table, "mine")
        assert resp.status_code == 201, resp.text
        qr = resp.json()
        assert qr["amount"] == 55000
        assert (qr["status"], qr["nickname"], qr["share"], qr["by_guest"]) == ("pending", "Ann", "my items", True)
        assert qr["payload"].startswith("upi://pay?")
        shown = client.get(table.url("/order")).json()["payments"]
        assert [r["id"] for r in shown["requests"]] == [qr["id"]]
        assert shown["open_for"] == 45000

        guest_pays(upi, tick, qr["payload"])
        assert client.get(table.url(f"/payments/{qr['id']}")).json()["status"] == "paid"
        after = client.get(table.url("/order")).json()
        assert (after["paid"], after["due"]) == (55000, 45000)
        detail = client.get(f"/api/orders/{guests_order}", headers=manager_headers).json()
        (recorded,) = detail["payments"]
        assert (recorded["method"], recorded["amount"], recorded["split_part"]) == ("upi", 55000, "Ann: my items")

    def test_my_items_with_a_service_charge_are_priced_as_the_bill_prices_them(
        self, client, table, manager_headers, thali, lassi
    ):
        put = client.put("/api/settings", json={"service_charge_bp": 1000}, headers=manager_headers)
        assert put.status_code == 200, put.text
        order_as_guests(client, manager_headers, table, thali, lassi)
        view = client.get(table.url("/order")).json()
        assert view["total"] == 110000
        resp = pay(client, table, "mine", nickname="bob")  # the name matches whatever its case
        assert resp.status_code == 201, resp.text
        assert resp.json()["amount"] == 49500
        assert sum(item["amount"] for item in view["items"]) == view["total"]

    def test_even_shares_add_up_to_the_bill_exactly(self, client, table, guests_order, make_product):
        odd = make_product("Water", 1, category="Drinks")
        waiter_total = client.get(table.url("/order")).json()["total"]
        assert waiter_total == 100000
        add_line(client, table, odd.id, nickname="Cy")
        version = client.get(table.url("/cart")).json()["version"]
        assert client.post(table.url("/submit"), json={"nickname": "Cy", "cart_version": version}).status_code == 201
        amounts = [pay(client, table, "even", nickname=name, parts=3).json()["amount"] for name in ("Ann", "Bob", "Cy")]
        assert amounts == [33334, 33334, 33333]
        nothing = pay(client, table, "even", nickname="Dee", parts=3)
        assert (nothing.status_code, nothing.json()["code"]) == (409, "UPI_NOTHING_DUE")

    def test_the_rest_and_an_amount_are_cut_to_what_is_left(self, client, table, guests_order):
        first = pay(client, table, "amount", amount=70000)
        assert first.status_code == 201
        assert first.json()["amount"] == 70000
        rest = pay(client, table, "rest", nickname="Bob")
        assert rest.status_code == 201
        assert rest.json()["amount"] == 30000
        assert client.get(table.url("/order")).json()["payments"]["open_for"] == 0

    def test_a_retry_with_the_same_idempotency_key_gets_the_same_qr(self, client, table, guests_order):
        key = {"Idempotency-Key": "guest-pay-0001"}
        body = {"nickname": "Ann", "share": "mine"}
        first = client.post(table.url("/payments"), json=body, headers=key)
        again = client.post(table.url("/payments"), json=body, headers=key)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert len(client.get(table.url("/order")).json()["payments"]["requests"]) == 1


class TestRefusals:
    def test_nothing_of_mine_no_bill_and_bad_bodies(self, client, table, guests_order, guest_table):
        none_of_mine = pay(client, table, "mine", nickname="Zoe")
        assert (none_of_mine.status_code, none_of_mine.json()["code"]) == (409, "GUEST_NOTHING_OF_YOURS")
        empty = guest_table()
        no_bill = pay(client, empty, "rest")
        assert (no_bill.status_code, no_bill.json()["code"]) == (409, "GUEST_NO_BILL")
        for body in (
            {"nickname": "Ann", "share": "amount"},
            {"nickname": "Ann", "share": "rest", "amount": 100},
            {"nickname": "Ann", "share": "mine", "parts": 3},
            {"nickname": "Ann", "share": "even", "parts": 1},
            {"nickname": "", "share": "rest"},
            {"nickname": "Ann", "share": "all"},
            {"nickname": "Ann", "share": "amount", "amount": -5},
        ):
            resp = client.post(table.url("/payments"), json=body)
            assert resp.status_code == 422, (body, resp.text)
        unknown = client.post("/api/guest/not-a-real-code/payments", json={"nickname": "Ann", "share": "rest"})
        assert (unknown.status_code, unknown.json()["code"]) == (404, "TABLE_TOKEN_INVALID")

    def test_the_manager_can_turn_it_off(self, client, table, guests_order, manager_headers):
        assert client.put("/api/settings", json={"guest_payments": False}, headers=manager_headers).status_code == 200
        view = client.get(table.url("/order")).json()["payments"]
        assert view["available"] is False
        assert view["reason"]
        resp = pay(client, table, "rest")
        assert (resp.status_code, resp.json()["code"]) == (403, "GUEST_PAYMENTS_OFF")

    def test_a_prankster_cannot_open_qr_after_qr(self, client, table, guests_order):
        codes = [pay(client, table, "amount", amount=100).status_code for _ in range(7)]
        assert codes[:6] == [201] * 6
        assert codes[6] == 429

    def test_another_table_never_reaches_this_tables_payments(self, client, table, guests_order, guest_table):
        qr = pay(client, table, "mine").json()
        other = guest_table()
        for resp in (
            client.get(other.url(f"/payments/{qr['id']}")),
            client.post(other.url(f"/payments/{qr['id']}/cancel")),
        ):
            assert (resp.status_code, resp.json()["code"]) == (404, "GUEST_PAYMENT_NOT_FOUND")
        assert client.get(other.url("/order")).json()["payments"]["requests"] == []
        assert client.get(table.url(f"/payments/{qr['id']}")).json()["status"] == "pending"


class TestCancelAndClose:
    def test_a_guest_cancels_a_qr_and_may_ask_for_another_share(self, client, table, guests_order, upi):
        qr = pay(client, table, "rest").json()
        cancelled = client.post(table.url(f"/payments/{qr['id']}/cancel"))
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        again = client.post(table.url(f"/payments/{qr['id']}/cancel"))
        assert (again.status_code, again.json()["code"]) == (409, "UPI_NOT_PENDING")
        assert client.get(table.url("/order")).json()["payments"]["requests"] == []
        assert pay(client, table, "mine").status_code == 201

    def test_a_waiters_qr_is_shown_but_not_the_guests_to_cancel(
        self, client, table, guests_order, waiter_headers, manager_headers
    ):
        created = client.post(f"/api/orders/{guests_order}/upi", json={"amount": 100}, headers=manager_headers)
        assert created.status_code == 201, created.text
        shown = client.get(table.url("/order")).json()["payments"]["requests"]
        assert [(r["by_guest"], r["nickname"], r["amount"]) for r in shown] == [(False, None, 100)]
        resp = client.post(table.url(f"/payments/{created.json()['id']}/cancel"))
        assert resp.status_code == 404

    def test_after_paying_in_full_the_guest_still_sees_the_thank_you_but_the_next_party_starts_clean(
        self, client, table, guests_order, upi, tick, manager_headers
    ):
        qr = pay(client, table, "rest").json()
        guest_pays(upi, tick, qr["payload"])
        assert client.post(f"/api/orders/{guests_order}/close", headers=manager_headers).status_code == 200
        assert client.get(table.url(f"/payments/{qr['id']}")).json()["status"] == "paid"
        fresh = client.get(table.url("/order")).json()
        assert fresh["order_id"] is None
        assert fresh["payments"]["requests"] == []


class TestWaitersOrder:
    def test_guests_pay_a_waiters_order_the_first_time_anyone_used_the_code(
        self, client, table, waiter_headers, thali, upi, tick
    ):
        maria = waiter_headers("maria")
        order = open_order(client, maria, table.id)
        add_items(client, maria, order["id"], {"product_id": thali.id, "quantity": 2})
        qr = pay(client, table, "even", parts=2)
        assert qr.status_code == 201, qr.text
        assert qr.json()["amount"] == 45000
        guest_pays(upi, tick, qr.json()["payload"])
        detail = client.get(f"/api/orders/{order['id']}", headers=maria).json()
        assert detail["paid_total"] == 45000
        # Recorded by the order's waiter: the QR guests' user never appears as a payer.
        assert detail["payments"][0]["created_by_id"] == detail["waiter_id"]


class TestNoGateway:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return make_settings(tmp_path, currency="INR", upi_poll_seconds=SLOW_POLL)

    def test_without_upi_guests_are_told_to_ask_the_staff(self, client, table, guests_order):
        view = client.get(table.url("/order")).json()["payments"]
        assert view["available"] is False
        assert "staff" in view["reason"]
        resp = pay(client, table, "rest")
        assert (resp.status_code, resp.json()["code"]) == (403, "GUEST_PAYMENTS_OFF")


class TestRazorpay:
    """The share goes through the real Razorpay client; only Razorpay's HTTP API is scripted."""

    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return make_settings(
            tmp_path,
            currency="INR",
            razorpay_key_id="rzp_test_key",
            razorpay_key_secret="rzp_test_secret",
            upi_poll_seconds=SLOW_POLL,
        )

    @pytest.fixture
    def rzp(self) -> Iterator[responses.RequestsMock]:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            yield mock

    def test_a_guest_share_is_a_fixed_amount_qr_and_its_credit_lands_on_the_bill(
        self, client, table, guests_order, rzp, upi, tick
    ):
        script_create(rzp, "qr_GUEST01", 45000)
        resp = pay(client, table, "mine", nickname="Bob")
        assert resp.status_code == 201, resp.text
        sent = sent_json(rzp.calls[0])
        assert sent["payment_amount"] == 45000
        assert sent["fixed_amount"] is True
        assert sent["notes"]["split_part"] == "Bob: my items"
        assert resp.json()["image_url"] == "https://rzp.io/i/qr_GUEST01"

        script_payments(rzp, "qr_GUEST01", payment("pay_GUEST01", 45000))
        tick()
        view = client.get(table.url("/order")).json()
        assert view["paid"] == 45000
        assert view["payments"]["requests"][0]["status"] == "paid"


class TestLive:
    """A real server and its own poller: every phone at the table sees a share asked for and then paid."""

    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return make_settings(tmp_path, currency="INR", upi_gateway="fake", upi_poll_seconds=0.05)

    @pytest.mark.timeout(60)
    def test_the_table_sees_the_qr_then_the_money_arrive(self, live_server, table, guests_order, manager_headers):
        with httpx.Client(base_url=live_server, timeout=10) as api, guest_ws(live_server, table.token) as ws:
            assert receive(ws)["type"] == "snapshot"
            qr = api.post(table.url("/payments"), json={"nickname": "Bob", "share": "mine"})
            assert qr.status_code == 201, qr.text
            order = pushed(ws, "order")
            assert [(r["nickname"], r["status"]) for r in order["payments"]["requests"]] == [("Bob", "pending")]

            qr_id = qr.json()["payload"].split("tr=")[1].split("&")[0]
            paid = api.post(f"/api/upi/fake/{qr_id}/pay", headers=manager_headers)
            assert paid.status_code == 200, paid.text
            deadline = time.monotonic() + 10
            while order["paid"] != 45000:
                order = pushed(ws, "order", within=deadline - time.monotonic())
            assert order["payments"]["requests"][0]["status"] == "paid"
            assert order["due"] == 55000


class TestMyItemsTwice:
    def test_my_items_are_never_asked_for_twice_but_what_i_ordered_since_is(
        self, client, table, guests_order, upi, tick, make_product
    ):
        first = pay(client, table, "mine")
        assert first.json()["amount"] == 55000
        again = pay(client, table, "mine")
        assert (again.status_code, again.json()["code"]) == (409, "GUEST_NOTHING_OF_YOURS")
        guest_pays(upi, tick, first.json()["payload"])
        coffee = make_product("Coffee", 8000, category="Drinks")
        assert add_line(client, table, coffee.id, nickname="ann").status_code == 201
        version = client.get(table.url("/cart")).json()["version"]
        assert client.post(table.url("/submit"), json={"nickname": "Ann", "cart_version": version}).status_code == 201
        more = pay(client, table, "mine")
        assert more.status_code == 201, more.text
        assert more.json()["amount"] == 8000
        # Bob's items are still his alone to pay as his.
        assert pay(client, table, "mine", nickname="Bob").json()["amount"] == 45000


def test_a_nickname_with_a_colon_is_still_never_asked_twice_for_its_items(
    client: TestClient,
    manager_headers: dict[str, str],
    guest_table: Callable[..., GuestTable],
    thali: Product,
    lassi: Product,
    upi: UpiManager,
) -> None:
    table = guest_table()
    set_ordering(client, manager_headers, "direct")
    assert add_line(client, table, thali.id, nickname="Dr: Ann").status_code == 201
    assert add_line(client, table, lassi.id, nickname="Bob").status_code == 201
    version = client.get(table.url("/cart")).json()["version"]
    assert client.post(table.url("/submit"), json={"nickname": "Dr: Ann", "cart_version": version}).status_code == 201
    first = pay(client, table, "mine", nickname="Dr: Ann")
    assert first.status_code == 201, first.text
    again = pay(client, table, "mine", nickname="Dr: Ann")
    assert (again.status_code, again.json()["code"]) == (409, "GUEST_NOTHING_OF_YOURS")
    shown = client.get(table.url("/order")).json()["payments"]["requests"]
    assert [(r["nickname"], r["share"]) for r in shown] == [("Dr: Ann", first.json()["share"])]
