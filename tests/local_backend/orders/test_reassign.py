"""POST /api/orders/{id}/reassign: a manager hands an order to another waiter; both phones and the floor follow."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.conftest import login
from tests.local_backend.orders.helpers import add_items, cancel_order, line, open_order, pay, user_id
from tests.support.sockets import nothing_more, receive, token_for, ws_url


def reassign(client: Any, headers: dict[str, str], order_id: int, waiter_id: int) -> Any:
    return client.post(f"/api/orders/{order_id}/reassign", json={"waiter_id": waiter_id}, headers=headers)


def refused(resp: Any, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


@pytest.fixture
def crew(client, make_user):
    make_user("maria", display_name="Maria")
    make_user("nikos", display_name="Nikos")
    maria, nikos = login(client, "maria", "1234"), login(client, "nikos", "1234")
    return maria, nikos, user_id(client, maria), user_id(client, nikos)


class TestReassigning:
    def test_the_new_waiter_owns_the_order_and_the_old_one_no_longer_does(
        self, client, manager_headers, crew, make_table, make_product
    ):
        maria, nikos, _, nikos_id = crew
        table = make_table(label="T7")
        order = open_order(client, maria, table.id)
        add_items(client, maria, order["id"], line(make_product("Moussaka", 1200).id))

        resp = reassign(client, manager_headers, order["id"], nikos_id)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert (body["waiter_id"], body["waiter_name"], body["total"]) == (nikos_id, "Nikos", 1200)

        floor = {t["id"]: t for t in client.get("/api/tables/", headers=manager_headers).json()}
        assert (floor[table.id]["waiter_id"], floor[table.id]["waiter_name"]) == (nikos_id, "Nikos")
        assert [o["id"] for o in client.get("/api/orders/my", headers=nikos).json()] == [order["id"]]
        assert client.get("/api/orders/my", headers=maria).json() == []
        add_items(client, nikos, order["id"], line(make_product("Beer", 400).id))
        refused(client.get(f"/api/orders/{order['id']}", headers=maria), 403, "NOT_ORDER_OWNER")

    def test_the_audit_trail_says_who_handed_it_from_whom_to_whom(self, client, manager_headers, crew, make_table):
        maria, _, maria_id, nikos_id = crew
        order = open_order(client, maria, make_table().id)
        reassign(client, manager_headers, order["id"], nikos_id)
        event = client.get(f"/api/orders/{order['id']}/history", headers=manager_headers).json()[-1]
        assert event["action"] == "order.reassigned"
        assert event["actor_name"] is not None
        assert {
            k: event["data"][k] for k in ("from_waiter_id", "from_waiter_name", "to_waiter_id", "to_waiter_name")
        } == {
            "from_waiter_id": maria_id,
            "from_waiter_name": "Maria",
            "to_waiter_id": nikos_id,
            "to_waiter_name": "Nikos",
        }

    def test_a_manager_may_take_an_order_over_themselves(self, client, manager_headers, crew, make_table):
        maria = crew[0]
        order = open_order(client, maria, make_table().id)
        boss_id = user_id(client, manager_headers)
        assert reassign(client, manager_headers, order["id"], boss_id).json()["waiter_id"] == boss_id

    def test_the_same_waiter_again_changes_nothing(self, client, manager_headers, crew, make_table):
        maria, _, maria_id, _ = crew
        order = open_order(client, maria, make_table().id)
        assert reassign(client, manager_headers, order["id"], maria_id).json()["waiter_id"] == maria_id
        actions = [e["action"] for e in client.get(f"/api/orders/{order['id']}/history", headers=maria).json()]
        assert "order.reassigned" not in actions


class TestRefusals:
    def test_a_waiter_may_not_reassign_even_their_own_order(self, client, crew, make_table):
        maria, _, _, nikos_id = crew
        order = open_order(client, maria, make_table().id)
        refused(reassign(client, maria, order["id"], nikos_id), 403, "MANAGER_REQUIRED")

    def test_an_unknown_member_of_staff_is_404(self, client, manager_headers, crew, make_table):
        order = open_order(client, crew[0], make_table().id)
        refused(reassign(client, manager_headers, order["id"], 987_654), 404, "WAITER_NOT_FOUND")
        refused(reassign(client, manager_headers, 987_654, crew[3]), 404, "ORDER_NOT_FOUND")

    def test_a_deactivated_waiter_is_a_conflict(self, client, manager_headers, crew, make_table, make_user):
        gone = make_user("eleni")
        assert client.delete(f"/api/waiters/{gone.id}", headers=manager_headers).status_code in (200, 204)
        order = open_order(client, crew[0], make_table().id)
        refused(reassign(client, manager_headers, order["id"], gone.id), 409, "WAITER_INACTIVE")

    def test_a_closed_or_cancelled_order_cannot_change_hands(
        self, client, manager_headers, crew, make_table, make_product
    ):
        maria, _, _, nikos_id = crew
        closed = open_order(client, maria, make_table().id)
        item = add_items(client, maria, closed["id"], line(make_product("Coffee", 300).id))["items"][0]
        pay(client, maria, closed["id"], [item["id"]])
        assert client.post(f"/api/orders/{closed['id']}/close", headers=maria).status_code == 200
        refused(reassign(client, manager_headers, closed["id"], nikos_id), 409, "ORDER_NOT_OPEN")
        cancelled = open_order(client, maria, make_table().id)
        assert cancel_order(client, manager_headers, cancelled["id"]).status_code == 200
        refused(reassign(client, manager_headers, cancelled["id"], nikos_id), 409, "ORDER_NOT_OPEN")

    @pytest.mark.parametrize("body", [{}, {"waiter_id": 0}, {"waiter_id": "2"}, {"waiter_id": 2, "extra": 1}])
    def test_a_malformed_body_is_422(self, client, manager_headers, crew, make_table, body):
        order = open_order(client, crew[0], make_table().id)
        resp = client.post(f"/api/orders/{order['id']}/reassign", json=body, headers=manager_headers)
        assert resp.status_code == 422, resp.text


@pytest.mark.timeout(60)
class TestLiveUpdates:
    @pytest.fixture
    def api(self, live_server: str) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=live_server, timeout=10) as client:
            yield client

    def test_both_waiters_phones_and_the_managers_floor_hear_it_and_nobody_else_gets_the_order_event(
        self, live_server, api, make_user, make_table, manager_headers
    ):
        maria_id, nikos_id = make_user("maria").id, make_user("nikos").id
        make_user("eleni")
        table = make_table()
        maria, nikos, eleni = (token_for(api, name) for name in ("maria", "nikos", "eleni"))
        boss = manager_headers["Authorization"].removeprefix("Bearer ")
        resp = api.post("/api/orders/", json={"table_id": table.id}, headers={"Authorization": f"Bearer {maria}"})
        order_id = resp.json()["id"]

        with ExitStack() as stack:
            sockets = {
                name: stack.enter_context(connect(ws_url(live_server, "/ws/events", token)))
                for name, token in (("maria", maria), ("nikos", nikos), ("eleni", eleni), ("boss", boss))
            }
            for ws in sockets.values():
                assert receive(ws)["type"] == "snapshot"
            resp = api.post(f"/api/orders/{order_id}/reassign", json={"waiter_id": nikos_id}, headers=manager_headers)
            assert resp.status_code == 200, resp.text
            heard = {name: [receive(ws), receive(ws)] for name, ws in sockets.items() if name != "eleni"}
            eleni_heard = receive(sockets["eleni"])
            assert nothing_more(sockets["eleni"]), "a waiter with no part in it got the order event"

        head = {"order_id": order_id, "table_id": table.id, "status": "open"}
        for name, events in heard.items():
            by_type = {e["type"]: e["data"] for e in events}
            assert by_type["order.reassigned"] == {**head, "from_waiter_id": maria_id, "waiter_id": nikos_id}, name
            assert by_type["table.changed"] == head, name
        assert (eleni_heard["type"], eleni_heard["data"]) == ("table.changed", head)
        floor = {t["id"]: t for t in api.get("/api/tables/", headers={"Authorization": f"Bearer {nikos}"}).json()}
        assert (floor[table.id]["waiter_id"], floor[table.id]["is_mine"]) == (nikos_id, True)
