"""The automatic day close at auto_day_close_hour (site time), run the way the scheduler runs it, on a fixed clock."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from local_backend.reports import service
from local_backend.settings.service import current
from tests.local_backend.shifts.helpers import move_payment, open_shift


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def at_four(client, headers, hour=4):
    resp = client.put("/api/settings", json={"auto_day_close_hour": hour}, headers=headers)
    assert resp.status_code == 200, resp.text


def tick(client, app, now):
    """One run of the scheduler's job, on the app's event loop, at `now`."""
    return client.portal.call(app.state.day_closer.check, now)


class TestWhichDay:
    def test_the_previous_day_is_due_once_the_hour_has_passed_in_the_site_timezone(
        self, client, manager_headers, database
    ):
        at_four(client, manager_headers)
        with database.read_session() as db:
            cfg = current(db)
        # 03:59 on the 22nd in Athens: the close of the 21st is not due yet; the 20th was due at 04:00 on the 21st.
        assert service.auto_close_day(cfg, utc(2026, 11, 22, 1, 59)) == date(2026, 11, 20)
        assert service.auto_close_day(cfg, utc(2026, 11, 22, 2, 0)) == date(2026, 11, 21)
        # 23:30 UTC on the 21st is already 01:30 on the 22nd in Athens.
        assert service.auto_close_day(cfg, utc(2026, 11, 21, 23, 30)) == date(2026, 11, 20)

    def test_midnight_closes_the_day_that_just_ended(self, client, manager_headers, database):
        at_four(client, manager_headers, hour=0)
        with database.read_session() as db:
            cfg = current(db)
        assert service.auto_close_day(cfg, utc(2026, 11, 21, 22, 0)) == date(2026, 11, 21)
        assert service.auto_close_day(cfg, utc(2026, 11, 21, 21, 59)) == date(2026, 11, 20)


class TestAutoClose:
    def test_the_job_closes_the_previous_day_once(self, client, app, manager_headers, staff, till, database, caplog):
        at_four(client, manager_headers)
        _, paid = till.sale(staff[0], 1_800)
        move_payment(database, paid, utc(2026, 11, 21, 12, 0))
        caplog.set_level(logging.INFO, logger="local_backend.reports.scheduler")

        result = tick(client, app, utc(2026, 11, 22, 2, 5))
        assert (result.outcome, result.day, result.number) == ("closed", date(2026, 11, 21), 1)
        report = client.get("/api/reports/z", params={"date": "2026-11-21"}, headers=manager_headers).json()
        assert (report["closed"], report["close"]["auto"], report["close"]["closed_by_name"]) == (True, True, None)
        assert report["totals"]["sales"] == 1_800
        assert "closed business day 2026-11-21 automatically as Z #1" in caplog.text
        # The next minutes find nothing to do.
        assert tick(client, app, utc(2026, 11, 22, 2, 6)) is None
        assert len(client.get("/api/reports/day-closes", headers=manager_headers).json()) == 1

    def test_an_open_shift_blocks_it_and_is_logged_once(self, client, app, manager_headers, caplog):
        at_four(client, manager_headers)
        open_shift(client, manager_headers)
        caplog.set_level(logging.WARNING, logger="local_backend.reports.scheduler")
        assert tick(client, app, utc(2026, 11, 22, 2, 5)).outcome == "shift_open"
        assert tick(client, app, utc(2026, 11, 22, 2, 6)).outcome == "shift_open"
        assert caplog.text.count("not closed automatically: a cash shift is still open") == 1
        assert client.get("/api/reports/day-closes", headers=manager_headers).json() == []

    def test_a_day_a_manager_already_closed_is_left_alone(self, client, app, manager_headers, database):
        at_four(client, manager_headers)
        resp = client.post("/api/reports/z/close", json={"date": "2026-11-21"}, headers=manager_headers)
        assert resp.status_code == 201
        with database.write_session() as db:
            assert service.auto_close(db, now=utc(2026, 11, 22, 2, 5)).outcome == "already_closed"
        assert tick(client, app, utc(2026, 11, 22, 2, 5)) is None

    def test_nothing_closes_without_an_hour_set(self, client, app, manager_headers, database):
        assert tick(client, app, utc(2026, 11, 22, 2, 5)) is None
        with database.write_session() as db:
            assert service.auto_close(db, now=utc(2026, 11, 22, 2, 5)).outcome == "disabled"
        assert client.get("/api/reports/day-closes", headers=manager_headers).json() == []
