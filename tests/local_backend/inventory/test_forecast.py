"""The forecast on generated history with known answers: the mean of the last 4 same weekdays (site days, DST
included), items younger than 4 weeks, status thresholds at their edges and the suggested order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from local_backend.db import Database
from local_backend.inventory import forecast as forecasting
from local_backend.inventory.models import StockMovement
from tests.local_backend.inventory.conftest import ok

ATHENS = ZoneInfo("Europe/Athens")  # the test settings' timezone

History = Sequence[tuple[date, time, str, int]]  # (local day, local time, kind, delta)


@pytest.fixture
def history(database: Database) -> Callable[[int, History], None]:
    """Write ledger lines at given site-local times (setup: the forecast only reads the ledger)."""

    def _write(item_id: int, lines: History) -> None:
        with database.write_session() as db:
            for day, at, kind, delta in lines:
                when = datetime.combine(day, at, tzinfo=ATHENS).astimezone(UTC)
                db.add(StockMovement(stock_item_id=item_id, kind=kind, delta=delta, on_hand_after=0, at=when))

    return _write


@pytest.fixture
def forecast(client: Any, manager_headers: dict[str, str]) -> Callable[..., dict[int, dict[str, Any]]]:
    def _forecast(day: date | None = None) -> dict[int, dict[str, Any]]:
        params = {"date": day.isoformat()} if day else {}
        rows = ok(client.get("/api/inventory/forecast", params=params, headers=manager_headers))
        return {row["stock_item_id"]: row for row in rows}

    return _forecast


def tomorrow() -> date:
    return datetime.now(ATHENS).date() + timedelta(days=1)


NOON = time(12, 0)
LONG_AGO = tomorrow() - timedelta(days=60)


class TestTheMeanOfTheLastFourSameWeekdays:
    def test_10_20_30_40_on_the_last_four_same_weekdays_forecast_25_for_tomorrow(
        self, make_item, history, forecast
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        day = tomorrow()
        week = [day - timedelta(weeks=k) for k in (1, 2, 3, 4)]
        history(
            beef["id"],
            [
                (LONG_AGO, NOON, "opening", 5000),
                (week[0], NOON, "sale", -15),
                (week[0], time(13), "return", 5),  # net use 10
                (week[1], time(9), "sale", -20),
                (week[2], time(20), "sale", -30),
                (week[3], NOON, "sale", -40),
                # Not use: stock in and counts on those days, and sales on other days.
                (week[1], NOON, "delivery", 999),
                (week[2], NOON, "count", -77),
                (week[3], NOON, "waste", -55),
                (week[0] - timedelta(days=1), NOON, "sale", -500),
                (week[0] + timedelta(days=1), NOON, "sale", -500),
                (day - timedelta(weeks=5), NOON, "sale", -500),
            ],
        )
        row = forecast()[beef["id"]]
        assert (row["forecast"], row["days"], row["day"]) == (25, 4, day.isoformat())
        assert (row["name"], row["unit"], row["on_hand"]) == ("Beef", "g", 1000)

    def test_a_weekday_without_movements_counts_as_zero_and_the_mean_rounds_up(
        self, make_item, history, forecast
    ) -> None:
        eggs = make_item("Eggs", "pc", on_hand=100)
        day = tomorrow()
        history(
            eggs["id"],
            [
                (LONG_AGO, NOON, "opening", 100),
                (day - timedelta(weeks=1), NOON, "sale", -10),
                (day - timedelta(weeks=2), NOON, "sale", -10),
                (day - timedelta(weeks=4), NOON, "sale", -11),  # week 3: nothing sold
            ],
        )
        row = forecast()[eggs["id"]]
        assert (row["forecast"], row["days"]) == (8, 4)  # 31 / 4 = 7.75 -> 8 whole eggs

    def test_an_item_younger_than_four_weeks_averages_the_weekdays_it_has_lived(
        self, make_item, history, forecast
    ) -> None:
        day = tomorrow()
        young = make_item("Truffle", "g", on_hand=100)
        history(
            young["id"],
            [(day - timedelta(days=10), NOON, "opening", 500), (day - timedelta(weeks=1), NOON, "sale", -40)],
        )
        born_on_the_day = make_item("Basil", "g", on_hand=100)
        history(
            born_on_the_day["id"],
            [(day - timedelta(weeks=2), time(23), "opening", 500), (day - timedelta(weeks=1), NOON, "sale", -30)],
        )
        silent = make_item("Salt", "g", on_hand=100)
        new_today = make_item("Mint", "g", on_hand=100)  # its opening movement is today: no weekday has passed
        rows = forecast()
        assert (rows[young["id"]]["forecast"], rows[young["id"]]["days"]) == (40, 1)
        assert (rows[born_on_the_day["id"]]["forecast"], rows[born_on_the_day["id"]]["days"]) == (15, 2)
        assert (rows[silent["id"]]["forecast"], rows[silent["id"]]["days"]) == (0, 0)
        assert (rows[new_today["id"]]["forecast"], rows[new_today["id"]]["days"]) == (0, 0)

    def test_more_returns_than_sales_never_forecast_below_zero(self, make_item, history, forecast) -> None:
        wine = make_item("Wine", "ml", on_hand=100)
        day = tomorrow()
        history(wine["id"], [(LONG_AGO, NOON, "opening", 100), (day - timedelta(weeks=1), NOON, "return", 750)])
        assert forecast()[wine["id"]]["forecast"] == 0

    def test_deactivated_items_are_left_out(self, make_item, forecast) -> None:
        old = make_item("Old", "g", is_active=False)
        assert old["id"] not in forecast()

    def test_it_can_be_asked_for_some_items_only(self, make_item, database: Database) -> None:
        beef, _pork = make_item("Beef", "g"), make_item("Pork", "g")
        with database.write_session() as db:
            rows = forecasting.forecast(db, stock_item_ids=[beef["id"]])
        assert [row.stock_item_id for row in rows] == [beef["id"]]


class TestSiteDays:
    @pytest.mark.parametrize(
        "target",
        [
            date(2026, 11, 3),  # a Tuesday: 27 Oct is winter time (+2), 20/13/6 Oct summer time (+3)
            date(2026, 11, 1),  # a Sunday: 25 Oct is the 25-hour day the clocks went back
            date(2026, 4, 5),  # a Sunday: 29 Mar is the 23-hour day the clocks went forward
        ],
    )
    def test_each_weekday_is_a_local_day_across_a_dst_change(self, make_item, history, forecast, target) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        lines: list[tuple[date, time, str, int]] = [(target - timedelta(days=90), NOON, "opening", 9000)]
        for k, use in zip((1, 2, 3, 4), (10, 20, 30, 40), strict=True):
            weekday = target - timedelta(weeks=k)
            lines += [
                (weekday, time(0, 30), "sale", -(use - 3)),  # just after local midnight...
                (weekday, time(23, 30), "sale", -3),  # ...and just before the next one
                # Just outside the local day: wrong offsets would pull these in.
                (weekday - timedelta(days=1), time(23, 30), "sale", -1000),
                (weekday + timedelta(days=1), time(0, 30), "sale", -1000),
            ]
        history(beef["id"], lines)
        row = forecast(target)[beef["id"]]
        assert (row["forecast"], row["days"], row["day"]) == (25, 4, target.isoformat())


class TestStatusAndSuggestion:
    @pytest.mark.parametrize(
        ("use", "on_hand", "critical_level", "status", "suggested"),
        [
            # forecast 20: critical below 20, warning below 30, ok from 30
            (20, 19, 5, "critical", 16),  # ceil(30 + 5 - 19)
            (20, 20, 5, "warning", 15),
            (20, 29, 5, "warning", 6),
            (20, 30, 5, "ok", 5),
            (20, 40, 0, "ok", 0),  # never a negative order
            # forecast 25: 1.5 x 25 = 37.5
            (25, 37, 0, "warning", 1),  # ceil(0.5)
            (25, 38, 0, "ok", 0),
            # nothing used: only a negative stock is critical; the order tops up to the critical level
            (0, 0, 10, "ok", 10),
            (0, -5, 0, "critical", 5),
        ],
    )
    def test_thresholds_at_their_edges(
        self, make_item, history, forecast, use, on_hand, critical_level, status, suggested
    ) -> None:
        item = make_item("Flour", "g", on_hand=on_hand, critical_level=critical_level)
        day = tomorrow()
        history(
            item["id"],
            [(LONG_AGO, NOON, "opening", 0), *((day - timedelta(weeks=k), NOON, "sale", -use) for k in (1, 2, 3, 4))],
        )
        row = forecast()[item["id"]]
        assert (row["forecast"], row["status"], row["suggested_order"]) == (use, status, suggested)

    def test_critical_items_come_first(self, make_item, history, forecast, client, manager_headers) -> None:
        day = tomorrow()
        fine = make_item("Apples", "pc", on_hand=1000)
        short = make_item("Zucchini", "g", on_hand=5)
        for item in (fine, short):
            history(item["id"], [(LONG_AGO, NOON, "opening", 0), (day - timedelta(weeks=1), NOON, "sale", -40)])
        rows = ok(client.get("/api/inventory/forecast", headers=manager_headers))
        assert [(r["name"], r["status"]) for r in rows] == [("Zucchini", "critical"), ("Apples", "ok")]


class TestThroughRecipes:
    def test_sales_through_the_order_api_are_what_the_forecast_reads(
        self, make_item, set_recipe, burger, open_order, add_items, database: Database, forecast
    ) -> None:
        beef = make_item("Beef", "g", on_hand=10_000)
        set_recipe(burger.id, [(beef["id"], 150)])
        ok(add_items(open_order()["id"], {"product_id": burger.id, "quantity": 4}), 201)
        # The round was today: it is the one weekday the forecast of a week from today has seen.
        in_a_week = datetime.now(ATHENS).date() + timedelta(weeks=1)
        row = forecast(in_a_week)[beef["id"]]
        assert (row["forecast"], row["days"]) == (600, 1)
