"""What can go wrong between a guest's tap and the kitchen: taps at once, a dish 86'd in the cart, a party that
leaves or moves table before a waiter decides, a flood of sends, a restart; and what the audit trail keeps."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.config import Settings
from local_backend.guest.service import MAX_PENDING
from local_backend.menu.models import Product
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering
from tests.local_backend.guest.test_submissions import cart_of, fill_and_send, send
from tests.local_backend.orders.helpers import pay
from tests.support.sockets import token_for


def eighty_six(client: TestClient, manager: dict[str, str], product: Product, available: bool = False) -> None:
    resp = client.patch(f"/api/products/{product.id}/availability", json={"is_available": available}, headers=manager)
    assert resp.status_code == 200, resp.text


class TestQuantityTaps:
    def test_a_delta_adds_to_the_quantity_within_one_and_twenty(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        line_id = add_line(client, table, soup.id, quantity=2).json()["lines"][0]["id"]
        url = table.url(f"/cart/lines/{line_id}")
        assert client.patch(url, json={"delta": 1}).json()["lines"][0]["quantity"] == 3
        assert client.patch(url, json={"delta": -5}).json()["lines"][0]["quantity"] == 1
        assert client.patch(url, json={"delta": 20}).json()["lines"][0]["quantity"] == 20
        cart = client.patch(url, json={"delta": -1}).json()
        assert (cart["lines"][0]["quantity"], cart["total"]) == (19, 19 * 500)

    @pytest.mark.parametrize(
        "body", [{}, {"quantity": 2, "delta": 1}, {"delta": 0}, {"delta": 21}, {"delta": None}, {"delta": 1.5}]
    )
    def test_exactly_one_of_quantity_and_a_nonzero_delta(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product, body: dict[str, Any]
    ) -> None:
        table = guest_table()
        line_id = add_line(client, table, soup.id).json()["lines"][0]["id"]
        resp = client.patch(table.url(f"/cart/lines/{line_id}"), json=body)
        assert resp.status_code == 422, resp.text
        assert resp.json()["code"]

    @pytest.mark.timeout(60)
    def test_phones_tapping_plus_at_once_all_count(
        self, live_server: str, make_table: Callable[..., Table], make_product: Callable[..., Product]
    ) -> None:
        phones, taps = 4, 4
        table = make_table(11)
        soup = make_product("Soup", 500)
        with httpx.Client(base_url=live_server, timeout=10) as api:
            boss = {"Authorization": f"Bearer {token_for(api, *MANAGER)}"}
            token = api.get(f"/api/tables/{table.id}/qr", headers=boss).json()["token"]
            body = {"product_id": soup.id, "nickname": "Ann"}
            line_id = api.post(f"/api/guest/{token}/cart/lines", json=body).json()["lines"][0]["id"]
        start = threading.Barrier(phones)
        failures: list[str] = []

        def phone() -> None:
            with httpx.Client(base_url=live_server, timeout=10) as client:
                start.wait(timeout=10)
                for _ in range(taps):
                    resp = client.patch(f"/api/guest/{token}/cart/lines/{line_id}", json={"delta": 1})
                    if resp.status_code != 200:
                        failures.append(resp.text)

        threads = [threading.Thread(target=phone) for _ in range(phones)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
        with httpx.Client(base_url=live_server, timeout=10) as api:
            cart = api.get(f"/api/guest/{token}/cart").json()
        assert cart["lines"][0]["quantity"] == 1 + phones * taps


class TestSoldOutInTheCart:
    def test_a_line_86d_after_it_was_added_shows_unavailable_and_the_cart_cannot_be_sent(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        steak: Product,
        manager_headers: dict[str, str],
    ) -> None:
        table = guest_table()
        add_line(client, table, soup.id)
        add_line(client, table, steak.id, choice_ids=[steak.preference_sets[0].choices[0].id])
        eighty_six(client, manager_headers, soup)
        cart = cart_of(client, table)
        assert [(line["product_name"], line["available"]) for line in cart["lines"]] == [
            ("Soup", False),
            ("Steak", True),
        ]
        refused = send(client, table)
        assert refused.status_code == 409
        assert refused.json()["code"] == "PRODUCT_UNAVAILABLE"
        assert "Soup" in refused.json()["detail"]
        assert client.get("/api/guest-submissions/", params={"status": "pending"}, headers=manager_headers).json() == []

        eighty_six(client, manager_headers, soup, available=True)
        assert all(line["available"] for line in cart_of(client, table)["lines"])
        assert send(client, table).status_code == 201


class TestPartiesThatLeave:
    def test_a_round_still_pending_when_the_bill_closes_cannot_be_accepted_and_leaves_the_list(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        first = fill_and_send(client, table, soup.id)
        order = client.post(f"/api/guest-submissions/{first['id']}/accept", headers=maria).json()
        late = fill_and_send(client, table, soup.id)
        pay(client, maria, order["id"], [i["id"] for i in order["items"]])
        assert client.post(f"/api/orders/{order['id']}/close", headers=maria).status_code == 200

        pending = client.get("/api/guest-submissions/", params={"status": "pending"}, headers=maria).json()
        assert pending == []
        refused = client.post(f"/api/guest-submissions/{late['id']}/accept", headers=maria)
        assert refused.status_code == 409
        assert refused.json()["code"] == "SUBMISSION_EXPIRED"
        assert client.get("/api/tables/", headers=maria).json()[0]["state"] == "free"
        # The next party sees a fresh table, not the last party's round.
        assert client.get(table.url("/order")).json()["submissions"] == []
        cleared = client.post(f"/api/guest-submissions/{late['id']}/reject", json={"reason": "Left"}, headers=maria)
        assert cleared.status_code == 200, cleared.text

    def test_a_party_moved_to_another_table_finds_its_order_there_and_the_old_table_is_fresh(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        old, new = guest_table(), guest_table()
        sub = fill_and_send(client, old, soup.id)
        order = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria).json()
        waiting = fill_and_send(client, old, soup.id)
        stranger = add_line(client, new, soup.id, nickname="Stranger").json()
        old_version = cart_of(client, old)["version"]

        moved = client.post(f"/api/orders/{order['id']}/transfer", json={"table_id": new.id}, headers=maria)
        assert moved.status_code == 200, moved.text

        there = client.get(new.url("/order")).json()
        assert there["order_id"] == order["id"]
        assert [s["id"] for s in there["submissions"]] == [sub["id"], waiting["id"]]
        new_cart = cart_of(client, new)
        assert new_cart["lines"] == []
        assert new_cart["version"] > stranger["version"]
        left = client.get(old.url("/order")).json()
        assert (left["order_id"], left["submissions"]) == (None, [])
        assert cart_of(client, old)["version"] > old_version
        # The round still waiting follows the party: accepting it adds to their order on the new table.
        accepted = client.post(f"/api/guest-submissions/{waiting['id']}/accept", headers=maria)
        assert accepted.status_code == 201, accepted.text
        assert (accepted.json()["id"], accepted.json()["table_id"]) == (order["id"], new.id)
        assert add_line(client, old, soup.id, nickname="Next party").status_code == 201


class TestFloods:
    def test_at_most_max_pending_rounds_wait_for_a_waiter(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        set_ordering(client, manager_headers, "confirm", guest_max_sends_per_minute=60)
        table = guest_table()
        for _ in range(MAX_PENDING):
            fill_and_send(client, table, soup.id)
        add_line(client, table, soup.id)
        refused = send(client, table)
        assert refused.status_code == 409
        assert refused.json()["code"] == "GUEST_ORDERS_WAITING"
        assert len(cart_of(client, table)["lines"]) == 1

    def test_the_send_limit_holds_across_a_restart(
        self,
        client: TestClient,
        settings: Settings,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
    ) -> None:
        set_ordering(client, manager_headers, "direct", guest_max_sends_per_minute=2)
        table = guest_table()
        fill_and_send(client, table, soup.id)
        fill_and_send(client, table, soup.id)
        with TestClient(create_app(settings)) as restarted:
            add_line(restarted, table, soup.id)
            resp = send(restarted, table)
            assert resp.status_code == 429
            assert resp.json()["code"] == "GUEST_RATE_LIMITED"
            assert 1 <= int(resp.headers["Retry-After"]) <= 60

    def test_bad_adds_do_not_use_up_the_tables_cart_writes(
        self, client: TestClient, guest_table: Callable[..., GuestTable], soup: Product
    ) -> None:
        table = guest_table()
        for _ in range(70):
            assert add_line(client, table, 999_999).status_code == 404
        assert add_line(client, table, soup.id).status_code == 201


class TestAuditTrail:
    def test_a_guest_round_is_in_the_audit_trail_from_send_to_the_order(
        self,
        client: TestClient,
        guest_table: Callable[..., GuestTable],
        soup: Product,
        manager_headers: dict[str, str],
        waiter_headers: Callable[..., dict[str, str]],
    ) -> None:
        maria = waiter_headers("maria")
        table = guest_table()
        sub = fill_and_send(client, table, soup.id, quantity=2)
        order = client.post(f"/api/guest-submissions/{sub['id']}/accept", headers=maria).json()
        events = client.get("/api/audit/", params={"limit": 50}, headers=manager_headers).json()
        rows = events["items"] if isinstance(events, dict) else events
        by_action = {row["action"]: row for row in rows}
        sent = by_action["guest.submitted"]
        assert sent["data"]["mode"] == "confirm"
        assert sent["data"]["items"] == [{"name": "Soup", "quantity": 2, "guest": "Ann"}]
        assert sent["actor_name"] in (None, "")
        accepted = by_action["guest.submission_accepted"]
        assert (accepted["order_id"], accepted["data"]["guests"]) == (order["id"], ["Ann"])
        history = client.get(f"/api/orders/{order['id']}/history", headers=maria).json()
        added = next(e for e in history if e["action"] == "order.items_added")
        assert "Ann" in str(added["data"])


def test_a_second_table_is_untouched_by_anothers_limits(
    client: TestClient, guest_table: Callable[..., GuestTable], soup: Product, manager_headers: dict[str, str]
) -> None:
    set_ordering(client, manager_headers, "confirm", guest_max_sends_per_minute=1)
    first, second = guest_table(), guest_table()
    fill_and_send(client, first, soup.id)
    add_line(client, first, soup.id)
    assert send(client, first).status_code == 429
    assert fill_and_send(client, second, soup.id)["status"] == "pending"
