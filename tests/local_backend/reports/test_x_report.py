"""The X report: the open shift so far, by method, tips, refunds, voids, waiters and the drawer; no side effects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.local_backend.shifts.helpers import close_shift, move_payment, movement, open_shift


def x_report(client, headers):
    resp = client.get("/api/reports/x", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def methods(report):
    return {m["method"]: (m["payments"], m["amount"], m["tips"], m["refunds"], m["net"]) for m in report["by_method"]}


class TestXFigures:
    def test_the_open_shift_so_far(self, client, manager_headers, staff, till, database):
        maria, nikos = staff
        _, earlier = till.sale(maria, 4_242)  # before the shift: not in its X report
        move_payment(database, earlier, datetime.now(UTC) - timedelta(minutes=10))
        shift = open_shift(client, manager_headers, opening_float=5_000)

        till.sale(maria, 2_000, tip=100)
        _, card = till.sale(maria, 3_000, method="card", tip=300)
        till.refund(manager_headers, card, 500)
        till.sale(nikos, 1_500, tendered=2_000)
        voided_order, voided_item = till.order(nikos, 800, quantity=2)
        till.void(manager_headers, voided_order, voided_item)
        movement(client, manager_headers, shift["id"], "pay_in", 1_000, "change")
        movement(client, manager_headers, shift["id"], "pay_out", 200, "ice")

        report = x_report(client, manager_headers)
        assert methods(report)["cash"] == (2, 3_500, 100, 0, 3_600)
        assert methods(report)["card"] == (1, 3_000, 300, 500, 2_800)
        assert methods(report)["upi"] == (0, 0, 0, 0, 0)  # every active method has a line
        assert report["totals"] == {
            "payments": 3,
            "sales": 6_500,
            "tips": 400,
            "refunds": 500,
            "net_sales": 6_000,
            "collected": 6_400,
        }
        assert report["voids"] == {
            "count": 1,
            "quantity": 2,
            "amount": 1_600,
            "by_user": [{"user_id": 1, "user_name": "boss", "count": 1, "quantity": 2, "amount": 1_600}],
        }
        assert [(w["waiter_name"], w["orders"], w["sales"], w["refunds"], w["tips"]) for w in report["by_waiter"]] == [
            ("Maria", 2, 5_000, 500, 400),
            ("Nikos", 1, 1_500, 0, 0),
        ]
        assert report["cash"] == {
            "payments": 3_500,
            "tips": 100,
            "refunds": 0,
            "pay_ins": 1_000,
            "pay_outs": 200,
            "net": 4_400,
        }
        assert [(m["kind"], m["amount"], m["reason"]) for m in report["movements"]] == [
            ("pay_in", 1_000, "change"),
            ("pay_out", 200, "ice"),
        ]
        assert report["shift"]["id"] == shift["id"]
        assert (report["shift"]["opening_float"], report["shift"]["expected_cash"]) == (5_000, 9_400)
        assert report["discounts"] == {"count": 0, "amount": 0, "by_kind": []}
        # The menu has no tax rates: computed, and truly zero.
        assert report["tax"] == {"tax_mode": "inclusive", "computed": True, "lines": [], "total": 0}
        assert (report["timezone"], report["currency"], report["restaurant_name"]) == ("Europe/Athens", "EUR", "Tavolo")
        assert report["period_start"] == shift["opened_at"]

    def test_a_refund_of_an_earlier_shifts_payment_counts_when_the_money_goes_back(
        self, client, manager_headers, staff, till
    ):
        maria, _ = staff
        open_shift(client, manager_headers, opening_float=0)
        _, paid = till.sale(maria, 1_000)
        close_shift(client, manager_headers, counted=1_000)
        open_shift(client, manager_headers, opening_float=0)
        till.refund(manager_headers, paid, 400)
        report = x_report(client, manager_headers)
        assert methods(report)["cash"] == (0, 0, 0, 400, -400)
        assert report["shift"]["expected_cash"] == -400
        assert [(w["waiter_name"], w["orders"], w["sales"], w["refunds"]) for w in report["by_waiter"]] == [
            ("Maria", 0, 0, 400)
        ]


class TestXScope:
    def test_x_shows_only_the_current_shift(self, client, manager_headers, staff, till):
        maria, _ = staff
        open_shift(client, manager_headers, opening_float=1_000)
        till.sale(maria, 5_000)
        close_shift(client, manager_headers, counted=6_000)
        second = open_shift(client, manager_headers, opening_float=2_000)
        till.sale(maria, 700, method="card")
        report = x_report(client, manager_headers)
        assert report["shift"]["id"] == second["id"]
        assert report["totals"]["sales"] == 700
        assert methods(report)["cash"] == (0, 0, 0, 0, 0)
        assert report["shift"]["expected_cash"] == 2_000

    def test_without_an_open_shift_there_is_no_x_report(self, client, manager_headers):
        resp = client.get("/api/reports/x", headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NO_OPEN_SHIFT")

    def test_reading_it_changes_nothing(self, client, manager_headers, staff, till):
        maria, _ = staff
        open_shift(client, manager_headers, opening_float=1_000)
        till.sale(maria, 1_234)
        audit_before = client.get("/api/audit/", headers=manager_headers).json()
        first, second = x_report(client, manager_headers), x_report(client, manager_headers)
        for report in (first, second):
            report.pop("generated_at"), report.pop("period_end")
        assert first == second
        assert client.get("/api/audit/", headers=manager_headers).json() == audit_before
        assert client.get("/api/shifts/current", headers=manager_headers).json()["status"] == "open"
        assert client.get("/api/reports/day-closes", headers=manager_headers).json() == []

    def test_only_managers_read_it(self, client, manager_headers, staff):
        open_shift(client, manager_headers)
        resp = client.get("/api/reports/x", headers=staff[0])
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")
