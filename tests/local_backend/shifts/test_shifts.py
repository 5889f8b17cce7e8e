"""Cash shifts: one open at a time, pay-ins and pay-outs, and the count at close against the expected drawer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.local_backend.shifts.helpers import close_shift, move_payment, movement, open_shift


class TestOpening:
    def test_a_manager_opens_the_shift_with_a_float(self, client, manager_headers):
        shift = open_shift(client, manager_headers, opening_float=15_000)
        assert (shift["status"], shift["opening_float"], shift["opened_by_name"]) == ("open", 15_000, "boss")
        assert shift["cash"]["expected"] == 15_000
        assert (shift["closed_at"], shift["expected_cash"], shift["variance"], shift["movements"]) == (
            None,
            None,
            None,
            [],
        )
        current = client.get("/api/shifts/current", headers=manager_headers).json()
        assert current["id"] == shift["id"]

    def test_no_shift_is_current_until_one_is_opened(self, client, manager_headers):
        resp = client.get("/api/shifts/current", headers=manager_headers)
        assert (resp.status_code, resp.json()) == (200, None)

    def test_a_second_open_shift_is_a_conflict(self, client, manager_headers):
        first = open_shift(client, manager_headers)
        resp = client.post("/api/shifts/open", json={"float": 0}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "SHIFT_ALREADY_OPEN")
        assert str(first["id"]) in resp.json()["detail"]

    def test_only_managers_handle_the_drawer(self, client, maria):
        resp = client.post("/api/shifts/open", json={"float": 100}, headers=maria)
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")
        assert client.get("/api/shifts/current", headers=maria).status_code == 403
        assert client.post("/api/shifts/close", json={"counted_cash": 0}, headers=maria).status_code == 403

    def test_a_negative_or_missing_float_is_refused(self, client, manager_headers):
        for body in ({"float": -1}, {}, {"float": "100"}, {"float": 1.5}):
            resp = client.post("/api/shifts/open", json=body, headers=manager_headers)
            assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR"), body


class TestMovements:
    def test_pay_ins_and_pay_outs_are_kept_with_their_reason(self, client, manager_headers):
        shift = open_shift(client, manager_headers, opening_float=10_000)
        resp = movement(client, manager_headers, shift["id"], "pay_in", 2_000, "coins from the bank")
        assert resp.status_code == 201, resp.text
        assert movement(client, manager_headers, shift["id"], "pay_out", 3_500, "fish market").status_code == 201
        body = client.get("/api/shifts/current", headers=manager_headers).json()
        assert [(m["kind"], m["amount"], m["reason"], m["created_by_name"]) for m in body["movements"]] == [
            ("pay_in", 2_000, "coins from the bank", "boss"),
            ("pay_out", 3_500, "fish market", "boss"),
        ]
        assert (body["cash"]["pay_ins"], body["cash"]["pay_outs"], body["cash"]["expected"]) == (2_000, 3_500, 8_500)

    def test_a_movement_needs_a_positive_amount_a_reason_and_a_known_kind(self, client, manager_headers):
        shift = open_shift(client, manager_headers)
        for kind, amount, reason in (("pay_in", 0, "x"), ("pay_out", -5, "x"), ("pay_in", 100, " "), ("tip", 1, "x")):
            resp = movement(client, manager_headers, shift["id"], kind, amount, reason)
            assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR")

    def test_a_closed_or_unknown_shift_takes_no_movement(self, client, manager_headers):
        shift = open_shift(client, manager_headers)
        close_shift(client, manager_headers, counted=shift["opening_float"])
        resp = movement(client, manager_headers, shift["id"], "pay_out", 100)
        assert (resp.status_code, resp.json()["code"]) == (409, "SHIFT_CLOSED")
        resp = movement(client, manager_headers, 999, "pay_out", 100)
        assert (resp.status_code, resp.json()["code"]) == (404, "SHIFT_NOT_FOUND")


class TestClosing:
    def test_expected_cash_counts_cash_payments_tips_refunds_and_movements(self, client, manager_headers, maria, till):
        shift = open_shift(client, manager_headers, opening_float=10_000)
        # 20.00 paid with a 50: 30.00 change went back, 20.00 stayed.
        _, first = till.sale(maria, 2_000, tendered=5_000)
        till.sale(maria, 1_500, tip=200)
        till.sale(maria, 3_000, method="card", tip=500)  # never in the drawer
        till.refund(manager_headers, first, 500)
        movement(client, manager_headers, shift["id"], "pay_in", 1_000)
        movement(client, manager_headers, shift["id"], "pay_out", 700)

        closed = close_shift(client, manager_headers, counted=13_400, note="short by a coin")
        assert closed["cash"] == {
            "opening_float": 10_000,
            "cash_payments": 3_500,
            "cash_tips": 200,
            "cash_refunds": 500,
            "pay_ins": 1_000,
            "pay_outs": 700,
            "expected": 13_500,
        }
        assert (closed["expected_cash"], closed["counted_cash"], closed["variance"]) == (13_500, 13_400, -100)
        assert (closed["status"], closed["close_note"], closed["closed_by_name"]) == (
            "closed",
            "short by a coin",
            "boss",
        )
        assert client.get("/api/shifts/current", headers=manager_headers).json() is None

    def test_a_method_of_kind_cash_goes_to_the_drawer(self, client, manager_headers, maria, till):
        resp = client.post(
            "/api/payment-methods",
            json={"code": "cash_usd", "name": "Dollars", "kind": "cash"},
            headers=manager_headers,
        )
        assert resp.status_code == 201, resp.text
        open_shift(client, manager_headers, opening_float=0)
        till.sale(maria, 1_000, method="cash_usd")
        assert close_shift(client, manager_headers, counted=1_000)["variance"] == 0

    def test_payments_outside_the_shift_are_not_in_its_drawer(self, client, manager_headers, maria, till, database):
        _, before = till.sale(maria, 999)  # allowed: settling a bill never needs a shift
        move_payment(database, before, datetime.now(UTC) - timedelta(minutes=5))
        open_shift(client, manager_headers, opening_float=5_000)
        till.sale(maria, 1_000)
        closed = close_shift(client, manager_headers, counted=6_000)
        assert (closed["expected_cash"], closed["variance"]) == (6_000, 0)
        till.sale(maria, 777)  # after the close: no shift open, still allowed
        after = client.get(f"/api/shifts/{closed['id']}", headers=manager_headers).json()
        assert after["cash"]["expected"] == 6_000
        assert (after["expected_cash"], after["counted_cash"]) == (6_000, 6_000)

    def test_closing_without_an_open_shift_is_a_conflict(self, client, manager_headers):
        resp = client.post("/api/shifts/close", json={"counted_cash": 0}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NO_OPEN_SHIFT")

    def test_the_close_is_audit_logged(self, client, manager_headers):
        open_shift(client, manager_headers, opening_float=1_000)
        close_shift(client, manager_headers, counted=1_200)
        events = client.get("/api/audit/", params={"action": "shift.closed"}, headers=manager_headers).json()
        assert [e["data"]["variance"] for e in events] == [200]


class TestListing:
    def test_shifts_are_listed_newest_first_with_their_variance(self, client, manager_headers):
        first = open_shift(client, manager_headers, opening_float=1_000)
        close_shift(client, manager_headers, counted=900)
        second = open_shift(client, manager_headers, opening_float=2_000)
        rows = client.get("/api/shifts/", headers=manager_headers).json()
        assert [(r["id"], r["status"], r["variance"]) for r in rows] == [
            (second["id"], "open", None),
            (first["id"], "closed", -100),
        ]
        older = client.get("/api/shifts/", params={"before_id": second["id"]}, headers=manager_headers).json()
        assert [r["id"] for r in older] == [first["id"]]
        assert client.get("/api/shifts/12345", headers=manager_headers).json()["code"] == "SHIFT_NOT_FOUND"
