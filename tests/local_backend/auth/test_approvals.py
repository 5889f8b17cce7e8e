"""POST /api/auth/approvals: a manager's PIN on a waiter's phone gives a one-use, action-scoped, short-lived token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from local_backend.auth import approvals as approvals_module
from shared import clock
from tests.conftest import MANAGER
from tests.local_backend.orders.helpers import add_items, cancel_item, get_order, line, open_order


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def order(client, maria, make_table, make_product):
    """Maria's order with a wine (700) and a salad (300)."""
    order = open_order(client, maria, make_table().id)
    items = add_items(
        client, maria, order["id"], line(make_product("Wine", 700).id), line(make_product("Salad", 300).id)
    )
    return order["id"], [i["id"] for i in items["items"]]


def ask(client, headers, action="void", order_id=None, username=MANAGER[0], pin=MANAGER[1]):
    body = {"username": username, "pin": pin, "action": action}
    if order_id is not None:
        body["order_id"] = order_id
    return client.post("/api/auth/approvals", json=body, headers=headers)


def token(client, headers, **kw):
    resp = ask(client, headers, **kw)
    assert resp.status_code == 201, resp.text
    return resp.json()["approval_token"]


def void(client, headers, order_id, item_id, approval=None):
    extra = {"X-Manager-Approval": approval} if approval else {}
    return cancel_item(client, {**headers, **extra}, order_id, item_id)


class TestGranting:
    def test_a_managers_pin_gives_a_five_minute_token(self, client, maria):
        resp = ask(client, maria, action="discount")
        assert resp.status_code == 201
        body = resp.json()
        assert (body["manager"]["username"], body["action"], body["expires_in"]) == (MANAGER[0], "discount", 300)
        assert len(body["approval_token"]) >= 32

    def test_a_waiters_credentials_are_not_an_approval(self, client, maria, make_user):
        make_user("nikos", "2222")
        resp = ask(client, maria, username="nikos", pin="2222")
        assert (resp.status_code, resp.json()["code"]) == (403, "APPROVER_NOT_MANAGER")

    def test_a_wrong_pin_is_403_and_repeated_ones_lock_the_manager_out(self, client, maria):
        for _ in range(4):
            resp = ask(client, maria, pin="0000")
            # Not 401: the waiter's own session is fine, and a 401 would send the phone back to the login screen.
            assert (resp.status_code, resp.json()["code"]) == (403, "APPROVAL_DENIED")
        resp = ask(client, maria, pin="0000")
        assert (resp.status_code, resp.json()["code"]) == (429, "PIN_LOCKED")
        # Locked out even with the right PIN, for approvals and logins alike.
        assert ask(client, maria).json()["code"] == "PIN_LOCKED"
        login = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]})
        assert login.json()["code"] == "PIN_LOCKED"

    def test_an_unknown_or_deactivated_approver_is_denied_like_a_wrong_pin(self, client, maria, manager_headers):
        assert ask(client, maria, username="nobody").json()["code"] == "APPROVAL_DENIED"
        assert client.get("/api/auth/me", headers=maria).status_code == 200  # the waiter stays logged in

    def test_asking_needs_a_logged_in_user(self, client):
        resp = client.post("/api/auth/approvals", json={"username": MANAGER[0], "pin": MANAGER[1], "action": "void"})
        assert resp.status_code == 401

    def test_an_unknown_action_is_422(self, client, maria):
        assert ask(client, maria, action="refund").status_code == 422


class TestUsing:
    def test_a_waiter_voids_with_an_approval_and_the_audit_names_both(self, client, maria, manager_headers, order):
        order_id, (wine, _) = order
        resp = void(client, maria, order_id, wine, token(client, maria, order_id=order_id))
        assert resp.status_code == 200, resp.text
        item = next(i for i in resp.json()["items"] if i["id"] == wine)
        assert item["status"] == "cancelled"
        manager_id = client.get("/api/auth/me", headers=manager_headers).json()["id"]
        assert item["cancel_approved_by_id"] == manager_id
        history = client.get(f"/api/orders/{order_id}/history", headers=maria).json()
        event = next(e for e in history if e["action"] == "order.item_cancelled")
        assert event["data"]["approved_by_id"] == manager_id
        assert event["data"]["requested_by_id"] == item["cancelled_by_id"] != manager_id

    def test_a_token_is_used_once(self, client, maria, order):
        order_id, (wine, salad) = order
        approval = token(client, maria)
        assert void(client, maria, order_id, wine, approval).status_code == 200
        resp = void(client, maria, order_id, salad, approval)
        assert (resp.status_code, resp.json()["code"]) == (403, "APPROVAL_INVALID")

    def test_a_token_is_for_its_action_order_and_waiter(self, client, maria, waiter_headers, order, make_table):
        order_id, (wine, _) = order
        wrong_action = token(client, maria, action="discount")
        assert void(client, maria, order_id, wine, wrong_action).json()["code"] == "APPROVAL_INVALID"
        other_order = open_order(client, maria, make_table().id)["id"]
        wrong_order = token(client, maria, order_id=other_order)
        assert void(client, maria, order_id, wine, wrong_order).json()["code"] == "APPROVAL_INVALID"
        nikos = waiter_headers("nikos")
        borrowed = token(client, nikos)
        assert void(client, maria, order_id, wine, borrowed).json()["code"] == "APPROVAL_INVALID"
        assert void(client, maria, order_id, wine, "not-a-token").json()["code"] == "APPROVAL_INVALID"
        assert get_order(client, maria, order_id)["items"][0]["status"] == "pending"

    def test_a_token_expires_after_five_minutes(self, client, maria, order, monkeypatch):
        order_id, (wine, _) = order
        approval = token(client, maria)
        real = clock.utcnow
        monkeypatch.setattr(approvals_module, "utcnow", lambda: real() + timedelta(minutes=5, seconds=1))
        resp = void(client, maria, order_id, wine, approval)
        assert (resp.status_code, resp.json()["code"]) == (403, "APPROVAL_INVALID")

    def test_a_failed_action_leaves_the_token_usable(self, client, maria, order, waiter_headers, make_table):
        order_id, (wine, _) = order
        approval = token(client, maria)
        resp = void(client, maria, order_id, 999_999, approval)
        assert resp.status_code == 404
        assert void(client, maria, order_id, wine, approval).status_code == 200

    def test_a_manager_needs_no_token_and_a_waiter_without_one_is_refused(self, client, maria, manager_headers, order):
        order_id, (wine, salad) = order
        resp = void(client, maria, order_id, wine)
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_APPROVAL_REQUIRED")
        assert void(client, manager_headers, order_id, salad).status_code == 200

    def test_an_approval_does_not_let_a_waiter_act_on_another_waiters_order(self, client, waiter_headers, order):
        order_id, (wine, _) = order
        nikos = waiter_headers("nikos")
        resp = void(client, nikos, order_id, wine, token(client, nikos))
        assert (resp.status_code, resp.json()["code"]) == (403, "NOT_ORDER_OWNER")
