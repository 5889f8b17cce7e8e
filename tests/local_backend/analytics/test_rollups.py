"""Rollups of finished days: which days are final, what starts them over, and that reports read the same with them.

(The figures themselves are checked against expected.py with and without rollups in test_figures.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from local_backend.analytics import rollups, service
from tests.local_backend.analytics.conftest import AUTUMN, SPRING

LATER = datetime(2026, 1, 1, 12, tzinfo=UTC)  # every generated day is long finished


def through(database) -> date | None:
    with database.read_session() as db:
        state = service.rollup_state(db)
    return date.fromisoformat(state["through"]) if state and state.get("through") else None


def report(client, headers, group_by: str, first: date, last: date) -> dict[str, Any]:
    resp = client.get(
        "/api/reports/sales",
        params={"from": first.isoformat(), "to": last.isoformat(), "group_by": group_by},
        headers=headers,
    )
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def forget(database) -> None:
    with database.write_session() as db:
        db.execute(text("DELETE FROM sales_rollups"))
        db.execute(text("DELETE FROM system_state WHERE key = 'analytics.rollups'"))


def business_day(dataset, at: datetime) -> date:
    return at.astimezone(dataset.tz).date()


class TestWhichDaysAreFinal:
    def test_every_day_before_today_once_no_order_is_active(self, database, dataset):
        assert rollups.refresh(database, LATER) > 0
        assert through(database) == date(2025, 12, 31)
        with database.read_session() as db:
            days = {d for (d,) in db.execute(text("SELECT DISTINCT business_date FROM sales_rollups")).all()}
        # Only days with money have rows: the generated ones, and the days late refunds fell on.
        assert {date.fromisoformat(str(d)) for d in days} >= set(SPRING[1:] + AUTUMN[1:])

    def test_an_active_order_holds_back_its_first_paid_day_and_every_later_one(self, database, dataset):
        payment = min(
            (p for p in dataset.payments if business_day(dataset, p["created_at"]) == SPRING[3]),
            key=lambda p: p["created_at"],
        )
        with database.write_session() as db:
            db.execute(text("UPDATE orders SET status = 'open' WHERE id = :id"), {"id": payment["order_id"]})
        rollups.refresh(database, LATER)
        first_paid = min(p["created_at"] for p in dataset.payments if p["order_id"] == payment["order_id"])
        assert through(database) == business_day(dataset, first_paid) - timedelta(days=1)
        with database.write_session() as db:
            db.execute(text("UPDATE orders SET status = 'closed' WHERE id = :id"), {"id": payment["order_id"]})
        rollups.refresh(database, LATER)
        assert through(database) == date(2025, 12, 31)

    def test_today_is_never_final(self, database, dataset):
        now = datetime.combine(AUTUMN[2], datetime.min.time(), tzinfo=dataset.tz) + timedelta(hours=15)
        rollups.refresh(database, now)
        assert through(database) == AUTUMN[1]


class TestWhatStartsThemOver:
    def test_moving_a_product_to_another_category_is_read_live_until_rolled_up_again(
        self, client, manager_headers, database, dataset
    ):
        rollups.refresh(database, LATER)
        product_id, product = next(iter(dataset.products.items()))
        other = next(c for c in dataset.categories if c != product["category_id"])
        before = report(client, manager_headers, "category", SPRING[0], SPRING[-1])
        with database.write_session() as db:
            db.execute(text("UPDATE products SET category_id = :c WHERE id = :id"), {"c": other, "id": product_id})
        moved = report(client, manager_headers, "category", SPRING[0], SPRING[-1])
        assert moved["rows"] != before["rows"]  # the product's sales went with it, rollups or not
        forget(database)
        live = report(client, manager_headers, "category", SPRING[0], SPRING[-1])
        assert moved == live
        rollups.refresh(database, LATER)
        assert report(client, manager_headers, "category", SPRING[0], SPRING[-1]) == live

    def test_a_new_timezone_rolls_every_day_up_again_on_its_own_clock(self, client, manager_headers, database, dataset):
        rollups.refresh(database, LATER)
        resp = client.put("/api/settings", json={"timezone": "Asia/Kolkata"}, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        with database.read_session() as db:
            assert service.rolled_through(db, ZoneInfo("Asia/Kolkata"), by_category=False) is None
        live = report(client, manager_headers, "product", SPRING[0], SPRING[-1])
        assert rollups.refresh(database, LATER) > 0
        assert report(client, manager_headers, "product", SPRING[0], SPRING[-1]) == live


class TestTheSchedule:
    def test_the_day_closer_adds_one_batch_a_minute(self, client, app, database, dataset):
        assert client.portal is not None
        client.portal.call(app.state.day_closer.check, LATER)
        first = through(database)
        assert first is not None
        assert first < date(2025, 12, 31)
        client.portal.call(app.state.day_closer.check, LATER)
        later = through(database)
        assert later is not None
        assert later > first
