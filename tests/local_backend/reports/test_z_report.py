"""The Z report of a business day (local midnight to midnight, site timezone), and closing the day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from local_backend.reports.service import day_bounds
from tests.local_backend.shifts.helpers import (
    close_shift,
    move_payment,
    move_refund,
    move_shift,
    move_void,
    open_shift,
)

ATHENS = ZoneInfo("Europe/Athens")
DAY = "2026-11-21"  # Athens is UTC+2: the day runs from 2026-11-20 22:00 to 2026-11-21 22:00 UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def z(client, headers, day=DAY):
    resp = client.get("/api/reports/z", params={"date": day}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def close(client, headers, day=DAY, **fields):
    return client.post("/api/reports/z/close", json={"date": day, **fields}, headers=headers)


def sales_at(database, till, headers, *moments, method="cash"):
    """One sale of 10.00 + n cents per moment, taken at that moment."""
    for n, moment in enumerate(moments, start=1):
        _, payment = till.sale(headers, 1_000 + n, method=method)
        move_payment(database, payment, moment)


class TestBusinessDay:
    def test_a_day_in_athens_runs_across_midnight_utc(self, client, manager_headers, staff, till, database):
        maria, _ = staff
        sales_at(
            database,
            till,
            maria,
            utc(2026, 11, 20, 21, 59, 59),  # 23:59:59 on the 20th in Athens: the day before
            utc(2026, 11, 20, 22, 0),  # 00:00 on the 21st in Athens: first second of the day
            utc(2026, 11, 21, 0, 30),  # past midnight UTC, still the 21st in Athens
            utc(2026, 11, 21, 21, 59, 59),  # 23:59:59 in Athens: last second of the day
            utc(2026, 11, 21, 22, 0),  # the 22nd in Athens
        )
        report = z(client, manager_headers)
        assert (report["period_start"], report["period_end"]) == ("2026-11-20T22:00:00Z", "2026-11-21T22:00:00Z")
        assert report["totals"]["payments"] == 3
        assert report["totals"]["sales"] == 1_002 + 1_003 + 1_004
        assert z(client, manager_headers, "2026-11-20")["totals"]["sales"] == 1_001
        assert z(client, manager_headers, "2026-11-22")["totals"]["sales"] == 1_005
        assert (report["business_date"], report["closed"], report["close"]) == (DAY, False, None)
        # No shift was open then: every payment of the day is outside a shift, and still in the totals.
        assert report["outside_shift"] == {"payments": 3, "amount": 3_009, "tips": 0}

    def test_refunds_and_voids_count_on_the_day_they_happened(self, client, manager_headers, staff, till, database):
        maria, _ = staff
        _, paid = till.sale(maria, 2_000, method="card")
        move_payment(database, paid, utc(2026, 11, 19, 12, 0))
        refund = till.refund(manager_headers, paid, 750)
        move_refund(database, refund, utc(2026, 11, 21, 10, 0))
        order_id, item_id = till.order(maria, 600, quantity=3)
        till.void(manager_headers, order_id, item_id)
        move_void(database, item_id, utc(2026, 11, 20, 23, 0))
        report = z(client, manager_headers)
        card = next(m for m in report["by_method"] if m["method"] == "card")
        assert (card["payments"], card["amount"], card["refunds"], card["net"]) == (0, 0, 750, -750)
        assert (report["totals"]["refunds"], report["totals"]["net_sales"]) == (750, -750)
        assert (report["voids"]["count"], report["voids"]["quantity"], report["voids"]["amount"]) == (1, 3, 1_800)
        assert z(client, manager_headers, "2026-11-19")["totals"]["sales"] == 2_000

    def test_the_day_lists_its_shifts_and_their_variance(self, client, manager_headers, staff, till, database):
        first = open_shift(client, manager_headers, opening_float=1_000)
        close_shift(client, manager_headers, counted=900)
        move_shift(database, first["id"], utc(2026, 11, 21, 8, 0), utc(2026, 11, 21, 15, 0))
        second = open_shift(client, manager_headers, opening_float=500)
        close_shift(client, manager_headers, counted=550)
        move_shift(database, second["id"], utc(2026, 11, 21, 15, 0), utc(2026, 11, 21, 23, 0))
        report = z(client, manager_headers)
        assert [(s["id"], s["expected_cash"], s["counted_cash"], s["variance"]) for s in report["shifts"]] == [
            (first["id"], 1_000, 900, -100),
            (second["id"], 500, 550, 50),
        ]
        assert report["variance_total"] == -50

    def test_days_follow_daylight_saving_time(self):
        # Athens leaves summer time on 25 October 2026: that day has 25 hours.
        start, end = day_bounds(date(2026, 10, 25), ATHENS)
        assert (start, end) == (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 22, 0))
        assert end - start == timedelta(hours=25)

    def test_the_default_is_today_in_the_site_timezone(self, client, manager_headers):
        report = client.get("/api/reports/z", headers=manager_headers).json()
        assert report["business_date"] == datetime.now(ATHENS).date().isoformat()

    def test_a_day_that_has_not_started_is_refused(self, client, manager_headers):
        tomorrow = (datetime.now(ATHENS).date() + timedelta(days=2)).isoformat()
        resp = client.get("/api/reports/z", params={"date": tomorrow}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "DATE_IN_FUTURE")
        assert close(client, manager_headers, tomorrow).json()["code"] == "DATE_IN_FUTURE"
        bad = client.get("/api/reports/z", params={"date": "21/11/2026"}, headers=manager_headers)
        assert (bad.status_code, bad.json()["code"]) == (422, "VALIDATION_ERROR")


class TestDayClose:
    def test_closing_a_day_numbers_and_keeps_its_report(self, client, manager_headers, staff, till, database):
        maria, _ = staff
        sales_at(database, till, maria, utc(2026, 11, 21, 9, 0), utc(2026, 11, 21, 19, 0))
        live = z(client, manager_headers)
        resp = close(client, manager_headers)
        assert resp.status_code == 201, resp.text
        closed = resp.json()["report"]
        assert resp.json()["print_job"] is None
        assert (closed["closed"], closed["close"]["number"], closed["close"]["closed_by_name"]) == (True, 1, "boss")
        assert closed["close"]["auto"] is False
        assert closed["totals"] == live["totals"]
        stored = z(client, manager_headers)
        assert stored["late_activity"] == {"payments": 0, "amount": 0, "tips": 0}
        stored.pop("late_activity"), closed.pop("late_activity")
        assert stored == closed
        assert close(client, manager_headers, "2026-11-20").json()["report"]["close"]["number"] == 2
        rows = client.get("/api/reports/day-closes", headers=manager_headers).json()
        assert [(r["number"], r["business_date"], r["net_sales"]) for r in rows] == [
            (2, "2026-11-20", 0),
            (1, DAY, 2_003),
        ]

    def test_a_closed_day_never_changes(self, client, manager_headers, staff, till, database):
        maria, _ = staff
        sales_at(database, till, maria, utc(2026, 11, 21, 9, 0))
        assert close(client, manager_headers).status_code == 201
        # Data written into that day afterwards (a backdated import, a clock gone wrong) leaves the Z alone.
        sales_at(database, till, maria, utc(2026, 11, 21, 10, 0))
        assert z(client, manager_headers)["totals"]["sales"] == 1_001

    def test_a_day_closed_before_it_ended_shows_what_came_after(self, client, manager_headers, staff, till):
        maria, _ = staff
        today = datetime.now(ATHENS).date().isoformat()
        till.sale(maria, 1_000)
        assert close(client, manager_headers, today).status_code == 201
        till.sale(maria, 250, tip=50)
        report = z(client, manager_headers, today)
        assert report["totals"]["sales"] == 1_000
        assert report["late_activity"] == {"payments": 1, "amount": 250, "tips": 50}

    def test_a_day_closes_once(self, client, manager_headers):
        assert close(client, manager_headers).status_code == 201
        resp = close(client, manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "DAY_ALREADY_CLOSED")
        assert "#1" in resp.json()["detail"]

    def test_a_day_does_not_close_while_a_shift_is_open(self, client, manager_headers):
        open_shift(client, manager_headers)
        resp = close(client, manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "SHIFT_OPEN")
        assert client.get("/api/reports/day-closes", headers=manager_headers).json() == []
        close_shift(client, manager_headers, counted=10_000)
        assert close(client, manager_headers).status_code == 201

    def test_the_close_is_audit_logged_and_manager_only(self, client, manager_headers, staff):
        resp = close(client, staff[0])
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")
        close(client, manager_headers)
        events = client.get("/api/audit/", params={"action": "day.closed"}, headers=manager_headers).json()
        assert [(e["data"]["number"], e["data"]["date"], e["data"]["auto"]) for e in events] == [(1, DAY, False)]
