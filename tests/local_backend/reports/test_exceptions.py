"""GET /api/reports/exceptions, and the discounts and tax sections of the X/Z reports built from the same data."""

from __future__ import annotations

import pytest

from tests.conftest import MANAGER
from tests.local_backend.orders.helpers import add_items, cancel_item, line, open_order, pay_amount


def approval(client, headers, action):
    body = {"username": MANAGER[0], "pin": MANAGER[1], "action": action}
    token = client.post("/api/auth/approvals", json=body, headers=headers).json()["approval_token"]
    return {**headers, "X-Manager-Approval": token}


@pytest.fixture
def evening(client, staff, manager_headers, make_table, make_product):
    """Maria: a comp (with approval), a 10 % order discount given then removed, a void; the manager refunds."""
    maria, _ = staff
    fish, wine = make_product("Fish", 1500, tax_rate_bp=1300), make_product("Wine", 1240, tax_rate_bp=2400)
    order = open_order(client, maria, make_table().id)["id"]
    items = add_items(client, maria, order, line(fish.id, 2), line(wine.id), line(wine.id))["items"]
    comp = {"item_id": items[2]["id"], "kind": "comp", "reason": "birthday"}
    assert (
        client.post(
            f"/api/orders/{order}/discounts", json=comp, headers=approval(client, maria, "discount")
        ).status_code
        == 201
    )
    pct = {"kind": "percent", "value": 1000, "reason": "regulars"}
    given = client.post(f"/api/orders/{order}/discounts", json=pct, headers=manager_headers).json()["discount"]
    client.delete(f"/api/orders/{order}/discounts/{given['id']}", headers=manager_headers)
    assert (
        cancel_item(client, approval(client, maria, "void"), order, items[1]["id"], reason="corked").status_code == 200
    )
    paid = pay_amount(client, maria, order, 3000, method="cash")
    refund = {"amount": 100, "reason": "slow service"}
    client.post(f"/api/payments/{paid['payment']['id']}/refunds", json=refund, headers=manager_headers)
    pay_amount(client, maria, order, 100, method="cash")
    assert client.post(f"/api/orders/{order}/close", headers=maria).status_code == 200
    return order


class TestExceptionsReport:
    def test_lists_who_asked_who_approved_why_and_how_much(self, client, manager_headers, evening):
        resp = client.get("/api/reports/exceptions", headers=manager_headers)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        lines = [
            (r["kind"], r["item_name"], r["amount"], r["reason"], r["requested_by_name"], r["approved_by_name"])
            for r in report["lines"]
        ]
        boss = client.get("/api/auth/me", headers=manager_headers).json()["display_name"]
        assert lines == [
            ("comp", "Wine", 1240, "birthday", "Maria", boss),
            ("discount", None, 424, "regulars", boss, boss),
            ("void", "Wine", 1240, "corked", "Maria", boss),
            ("refund", None, 100, "slow service", boss, boss),
        ]
        assert report["lines"][1]["removed_at"] is not None
        assert report["lines"][1]["detail"] == "10%"
        totals = {k["kind"]: (k["count"], k["amount"]) for k in report["by_kind"]}
        assert totals == {"discount": (0, 0), "comp": (1, 1240), "void": (1, 1240), "refund": (1, 100)}
        per = {w["user_name"]: (w["count"], w["amount"]) for w in report["by_waiter"]}
        assert per == {"Maria": (2, 2480), boss: (1, 100)}

    def test_is_for_managers_and_checks_its_period(self, client, staff, manager_headers):
        maria, _ = staff
        assert client.get("/api/reports/exceptions", headers=maria).json()["code"] == "MANAGER_REQUIRED"
        resp = client.get(
            "/api/reports/exceptions",
            params={"from": "2030-01-02T00:00:00Z", "to": "2030-01-01T00:00:00Z"},
            headers=manager_headers,
        )
        assert (resp.status_code, resp.json()["code"]) == (422, "INVALID_PERIOD")
        empty = client.get(
            "/api/reports/exceptions",
            params={"from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z"},
            headers=manager_headers,
        ).json()
        assert (empty["lines"], [k["count"] for k in empty["by_kind"]]) == ([], [0, 0, 0, 0])


class TestZReport:
    def test_discounts_and_tax_are_computed_from_the_bills(self, client, manager_headers, evening):
        report = client.get("/api/reports/z", headers=manager_headers).json()
        # The removed 10 % is not counted; the comp is.
        assert report["discounts"] == {
            "count": 1,
            "amount": 1240,
            "by_kind": [{"kind": "comp", "count": 1, "amount": 1240}],
        }
        # Closed bill: 2 fish at 13 % (3000) and the wine left (1240, comped to 0).
        assert report["tax"]["computed"] is True
        assert [(t["name"], t["rate_bp"], t["taxable"], t["tax"]) for t in report["tax"]["lines"]] == [
            ("incl. Tax 13%", 1300, 2655, 345),
        ]
        assert report["tax"]["total"] == 345
        assert report["voids"]["amount"] == 1240
