"""`by_hour` of the X, Z and shift reports: 24 hours of the site's clock, orders opened and net sales in each."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.local_backend.shifts.helpers import move_order, move_payment, move_refund, open_shift


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def z(client, headers, day):
    resp = client.get("/api/reports/z", params={"date": day}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def busy_hours(report) -> dict[int, tuple[int, int]]:
    assert [h["hour"] for h in report["by_hour"]] == list(range(24))
    return {h["hour"]: (h["orders"], h["revenue"]) for h in report["by_hour"] if h["orders"] or h["revenue"]}


def sale_at(database, till, headers, price, opened, paid):
    order_id, payment_id = till.sale(headers, price, tip=50)
    move_order(database, order_id, opened)
    move_payment(database, payment_id, paid)
    return payment_id


def set_timezone(client, headers, name):
    resp = client.put("/api/settings", json={"timezone": name}, headers=headers)
    assert resp.status_code == 200, resp.text


class TestHoursOfTheSitesClock:
    def test_athens_hours_with_refunds_taken_off_in_the_hour_they_were_given(
        self, client, manager_headers, staff, till, database
    ):
        maria, nikos = staff
        # Athens is UTC+2 in November: 10:15 UTC is 12:15 local.
        sale_at(database, till, maria, 2_000, utc(2026, 11, 21, 10, 5), utc(2026, 11, 21, 10, 15))
        paid = sale_at(database, till, nikos, 3_000, utc(2026, 11, 21, 10, 40), utc(2026, 11, 21, 11, 59))
        sale_at(database, till, maria, 500, utc(2026, 11, 20, 22, 0), utc(2026, 11, 20, 22, 1))  # 00:00 local
        move_refund(database, till.refund(manager_headers, paid, 700), utc(2026, 11, 21, 18, 30))  # 20:30 local
        report = z(client, manager_headers, "2026-11-21")
        assert busy_hours(report) == {0: (1, 500), 12: (2, 2_000), 13: (0, 3_000), 20: (0, -700)}
        # Tips are not revenue; the hours add up to the day's net sales.
        assert sum(h["revenue"] for h in report["by_hour"]) == report["totals"]["net_sales"] == 4_800

    def test_a_half_hour_timezone_puts_each_quarter_hour_in_the_right_local_hour(
        self, client, manager_headers, staff, till, database
    ):
        set_timezone(client, manager_headers, "Asia/Kolkata")  # UTC+5:30
        maria, _ = staff
        for price, moment in (
            (100, utc(2026, 11, 20, 18, 29)),  # 23:59 on the 20th: the day before
            (200, utc(2026, 11, 20, 18, 30)),  # 00:00 on the 21st
            (300, utc(2026, 11, 21, 3, 45)),  # 09:15
            (400, utc(2026, 11, 21, 4, 29)),  # 09:59
            (500, utc(2026, 11, 21, 4, 30)),  # 10:00
            (600, utc(2026, 11, 21, 18, 29)),  # 23:59
        ):
            sale_at(database, till, maria, price, moment, moment)
        report = z(client, manager_headers, "2026-11-21")
        assert report["timezone"] == "Asia/Kolkata"
        assert busy_hours(report) == {0: (1, 200), 9: (2, 700), 10: (1, 500), 23: (1, 600)}
        assert busy_hours(z(client, manager_headers, "2026-11-20")) == {23: (1, 100)}

    def test_the_hour_the_clocks_go_back_happens_twice_and_is_added_up(
        self, client, manager_headers, staff, till, database
    ):
        maria, _ = staff
        # 2026-10-25 in Athens has 25 hours: 03:00-03:59 runs first in summer time (UTC+3), then in winter time.
        sale_at(database, till, maria, 1_000, utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 30))  # 03:30 EEST
        sale_at(database, till, maria, 2_000, utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 30))  # 03:30 EET
        report = z(client, manager_headers, "2026-10-25")
        assert (report["period_start"], report["period_end"]) == ("2026-10-24T21:00:00Z", "2026-10-25T22:00:00Z")
        assert busy_hours(report) == {3: (2, 3_000)}


class TestEveryReportHasThem:
    def test_the_x_report_of_the_open_shift(self, client, manager_headers, staff, till):
        open_shift(client, manager_headers)
        till.sale(staff[0], 1_250)
        report = client.get("/api/reports/x", headers=manager_headers).json()
        hours = busy_hours(report)
        assert list(hours.values()) == [(1, 1_250)]

    def test_the_shift_summary(self, client, manager_headers, staff, till, database):
        sale_at(database, till, staff[0], 900, utc(2026, 11, 21, 19, 0), utc(2026, 11, 21, 19, 10))  # 21:10 local
        resp = client.get(
            "/api/reports/shift",
            params={"from": "2026-11-21T00:00:00+02:00", "to": "2026-11-22T00:00:00+02:00"},
            headers=manager_headers,
        )
        assert resp.status_code == 200, resp.text
        assert busy_hours(resp.json()) == {21: (1, 900)}

    def test_a_closed_day_keeps_its_hours(self, client, manager_headers, staff, till, database):
        sale_at(database, till, staff[0], 700, utc(2026, 11, 21, 8, 0), utc(2026, 11, 21, 8, 20))  # 10:20 local
        resp = client.post("/api/reports/z/close", json={"date": "2026-11-21"}, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        assert busy_hours(resp.json()["report"]) == {10: (1, 700)}
        sale_at(database, till, staff[0], 300, utc(2026, 11, 21, 8, 0), utc(2026, 11, 21, 8, 30))  # after the close
        assert busy_hours(z(client, manager_headers, "2026-11-21")) == {10: (1, 700)}
