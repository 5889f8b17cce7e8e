"""Who may see and act on an order, and the order lists (mine, and the manager's filtered list)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from local_backend.orders.models import Order
from tests.conftest import login
from tests.local_backend.orders.helpers import add_items, get_order, line, open_order, pay


@pytest.fixture
def staff(client, make_user, assign_assistant):
    """maria owns the order; kostas assists maria; nikos is another waiter."""
    maria, kostas, nikos = (make_user(name) for name in ("maria", "kostas", "nikos"))
    assign_assistant(maria.id, kostas.id)
    return {
        "maria": login(client, "maria", "1234"),
        "kostas": login(client, "kostas", "1234"),
        "nikos": login(client, "nikos", "1234"),
        "ids": {"maria": maria.id, "kostas": kostas.id, "nikos": nikos.id},
    }


@pytest.fixture
def marias_order(client, staff, make_table, make_product):
    order = open_order(client, staff["maria"], make_table().id)
    water = make_product("Water", 100)
    add_items(client, staff["maria"], order["id"], line(water.id, 2))
    return order["id"], water.id


class TestAnotherWaiter:
    def test_cannot_read_add_pay_close_or_see_the_history(self, client, staff, marias_order):
        order_id, water = marias_order
        nikos = staff["nikos"]
        item = get_order(client, staff["maria"], order_id)["items"][0]["id"]
        attempts = [
            client.get(f"/api/orders/{order_id}", headers=nikos),
            client.post(f"/api/orders/{order_id}/items", json={"items": [line(water)]}, headers=nikos),
            client.post(f"/api/orders/{order_id}/pay", json={"item_ids": [item], "method": "cash"}, headers=nikos),
            client.post(f"/api/orders/{order_id}/close", headers=nikos),
            client.get(f"/api/orders/{order_id}/history", headers=nikos),
        ]
        assert [(r.status_code, r.json()["code"]) for r in attempts] == [(403, "NOT_ORDER_OWNER")] * 5
        detail = get_order(client, staff["maria"], order_id)
        assert (len(detail["items"]), detail["payments"]) == (1, [])

    def test_does_not_see_it_among_their_orders(self, client, staff, marias_order):
        assert client.get("/api/orders/my", headers=staff["nikos"]).json() == []


class TestAnAssistant:
    def test_may_act_on_the_waiters_order_as_the_waiter_would(self, client, staff, marias_order):
        order_id, water = marias_order
        kostas = staff["kostas"]
        added = add_items(client, kostas, order_id, line(water))
        assert added["items"][0]["added_by_id"] == staff["ids"]["kostas"]
        detail = get_order(client, kostas, order_id)
        body = pay(client, kostas, order_id, [i["id"] for i in detail["items"]], method="card")
        assert body["status"] == "paid"
        assert body["payments"][0]["created_by_id"] == staff["ids"]["kostas"]
        assert client.post(f"/api/orders/{order_id}/close", headers=kostas).status_code == 200
        # Still maria's order: the assistant acted for her.
        assert body["waiter_id"] == staff["ids"]["maria"]

    def test_sees_the_waiters_active_orders_among_their_own(self, client, staff, marias_order, make_table):
        order_id, _ = marias_order
        own = open_order(client, staff["kostas"], make_table().id)
        mine = client.get("/api/orders/my", headers=staff["kostas"]).json()
        assert sorted(o["id"] for o in mine) == sorted([order_id, own["id"]])

    def test_the_waiter_does_not_see_the_assistants_own_orders(self, client, staff, marias_order, make_table):
        order_id, _ = marias_order
        open_order(client, staff["kostas"], make_table().id)
        mine = client.get("/api/orders/my", headers=staff["maria"]).json()
        assert [o["id"] for o in mine] == [order_id]


class TestMyOrders:
    def test_lists_only_active_orders_with_totals(self, client, staff, marias_order, make_table):
        order_id, _ = marias_order
        closed = open_order(client, staff["maria"], make_table().id)
        client.post(f"/api/orders/{closed['id']}/close", headers=staff["maria"])
        mine = client.get("/api/orders/my", headers=staff["maria"]).json()
        assert len(mine) == 1
        summary = mine[0]
        assert summary["id"] == order_id
        assert (summary["total"], summary["paid_total"], summary["due"], summary["item_count"]) == (200, 0, 200, 2)
        assert summary["waiter_name"] == "Maria"
        assert summary["table_label"].startswith("T")


class TestTheManager:
    def test_may_read_and_act_on_any_order(self, client, staff, manager_headers, marias_order):
        order_id, water = marias_order
        assert get_order(client, manager_headers, order_id)["waiter_name"] == "Maria"
        added = add_items(client, manager_headers, order_id, line(water))
        assert added["round"] == 2
        history = client.get(f"/api/orders/{order_id}/history", headers=manager_headers).json()
        assert [e["action"] for e in history] == ["order.opened", "order.items_added", "order.items_added"]

    def test_the_order_list_is_for_managers_only(self, client, staff):
        resp = client.get("/api/orders/", headers=staff["maria"])
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    def test_the_order_list_filters_by_status_table_waiter_and_time(
        self, client, staff, manager_headers, make_table, make_product, database
    ):
        water = make_product("Water", 100)
        t1, t2, t3 = make_table(), make_table(), make_table()
        a = open_order(client, staff["maria"], t1.id)
        b = open_order(client, staff["nikos"], t2.id)
        c = open_order(client, staff["maria"], t3.id)
        item = add_items(client, staff["maria"], c["id"], line(water.id))["items"][0]["id"]
        pay(client, staff["maria"], c["id"], [item])
        client.post(f"/api/orders/{c['id']}/close", headers=staff["maria"])
        last_week = datetime.now(UTC) - timedelta(days=7)
        with database.write_session() as db:
            db.execute(update(Order).where(Order.id == a["id"]).values(opened_at=last_week))

        def ids(**params):
            resp = client.get("/api/orders/", params=params, headers=manager_headers)
            assert resp.status_code == 200, resp.text
            return [o["id"] for o in resp.json()]

        assert ids() == [c["id"], b["id"], a["id"]]  # newest first
        assert ids(status="closed") == [c["id"]]
        assert ids(status="open") == [b["id"], a["id"]]
        assert ids(table=t2.id) == [b["id"]]
        assert ids(waiter=staff["ids"]["maria"]) == [c["id"], a["id"]]
        since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        assert ids(**{"from": since}) == [c["id"], b["id"]]
        assert ids(to=since) == [a["id"]]
        assert ids(limit=1, offset=1) == [b["id"]]
        closed = client.get("/api/orders/", params={"status": "closed"}, headers=manager_headers).json()[0]
        assert (closed["total"], closed["paid_total"], closed["due"]) == (100, 100, 0)

    def test_odd_filters_are_422_or_harmless_never_500(self, client, manager_headers):
        for params in ({"status": "lost"}, {"limit": 0}, {"limit": 501}, {"table": 0}, {"from": "yesterday"}):
            assert client.get("/api/orders/", params=params, headers=manager_headers).status_code == 422
        for params in ({"from": "9999-12-31T23:59:59-23:59"}, {"to": "0001-01-01T00:00:00+23:59"}):
            resp = client.get("/api/orders/", params=params, headers=manager_headers)
            assert resp.status_code == 200
            assert resp.json() == []
