"""Every analytics endpoint against an independent computation (expected.py) on a few hundred generated orders
around both of Athens' 2025 clock changes, with the previous-period comparison and the Z report's net sales."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from local_backend.analytics import rollups
from tests.local_backend.analytics.conftest import AUTUMN, SPRING
from tests.local_backend.analytics.expected import Expected, Row

# Four days each (the clock change inside), compared with the four days before.
PERIODS = [(date(2025, 3, 30), date(2025, 4, 2)), (date(2025, 10, 26), date(2025, 10, 29))]


def get(client, headers, path: str, **params: Any) -> Any:
    resp = client.get(path, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def span(first: date, last: date) -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat()}


def previous(first: date, last: date) -> tuple[date, date]:
    days = (last - first).days + 1
    return first - timedelta(days=days), first - timedelta(days=1)


def figures(row: Row) -> tuple[int, int, int]:
    return row.orders, row.items, row.revenue


@pytest.fixture
def expected(dataset) -> Expected:
    return Expected(dataset)


class TestTheDataSet:
    def test_has_hundreds_of_orders_and_every_kind_of_event(self, dataset):
        assert len(dataset.orders) > 300
        assert len(dataset.refunds) >= 1 or len(dataset.discounts) >= 5
        assert any(o["status"] == "cancelled" for o in dataset.orders)
        assert any(i["status"] == "cancelled" for i in dataset.items)
        assert any(d["kind"] == "comp" for d in dataset.discounts)
        assert any(p["split_part"] for p in dataset.payments)
        # Orders paid in the hours the clocks change (small-hours bar orders), on both days.
        tz = dataset.tz
        nights = {
            (p["created_at"].astimezone(tz).date(), p["created_at"].astimezone(tz).hour) for p in dataset.payments
        }
        assert any(d == date(2025, 3, 30) and h < 5 for d, h in nights)
        assert any(d == date(2025, 10, 26) and h < 5 for d, h in nights)


class TestSalesByTimeAndWaiter:
    @pytest.mark.parametrize(("first", "last"), PERIODS)
    @pytest.mark.parametrize("group_by", ["hour", "weekday", "day", "waiter"])
    def test_rows_and_totals_match_with_the_previous_period(
        self, client, manager_headers, expected, first, last, group_by
    ):
        report = get(client, manager_headers, "/api/reports/sales", **span(first, last), group_by=group_by)
        before_first, before_last = previous(first, last)
        assert (report["from"], report["to"], report["group_by"]) == (first.isoformat(), last.isoformat(), group_by)
        assert (report["previous_from"], report["previous_to"]) == (before_first.isoformat(), before_last.isoformat())
        key = getattr(expected, group_by)
        now, before = expected.sales(first, last, key), expected.sales(before_first, before_last, key)
        rows = {r["key"]: r for r in report["rows"]}
        if group_by == "hour":
            assert list(rows) == list(range(24))
        elif group_by == "weekday":
            assert list(rows) == list(range(7))
            assert rows[0]["label"] == "Monday"
        elif group_by == "day":
            assert list(rows) == [(first + timedelta(days=n)).isoformat() for n in range(4)]
        else:
            assert set(rows) == set(now) | set(before)
            assert {r["label"] for r in report["rows"]} <= set(expected.data.waiters.values())
        for k, row in rows.items():
            earlier = (date.fromisoformat(k) - timedelta(days=4)).isoformat() if group_by == "day" else k
            assert (row["orders"], row["items"], row["revenue"]) == figures(now.get(k, Row())), (group_by, k)
            assert (row["previous_orders"], row["previous_items"], row["previous_revenue"]) == figures(
                before.get(earlier, Row())
            ), (group_by, k)
        totals = report["totals"]
        assert (totals["orders"], totals["items"], totals["revenue"]) == figures(expected.total(first, last))
        assert (totals["previous_orders"], totals["previous_items"], totals["previous_revenue"]) == figures(
            expected.total(before_first, before_last)
        )
        assert totals["revenue"] > 0
        assert totals["previous_revenue"] > 0

    def test_the_day_the_clocks_go_back_has_its_repeated_hour_added_up(self, client, manager_headers, expected):
        day = date(2025, 10, 26)
        report = get(client, manager_headers, "/api/reports/sales", **span(day, day), group_by="hour")
        assert [(r["key"], r["revenue"]) for r in report["rows"]] == [
            (h, expected.sales(day, day, expected.hour).get(h, Row()).revenue) for h in range(24)
        ]

    def test_the_day_the_clocks_go_forward_has_no_hour_three(self, client, manager_headers, dataset):
        day = date(2025, 3, 30)
        report = get(client, manager_headers, "/api/reports/sales", **span(day, day), group_by="hour")
        assert report["rows"][3]["orders"] == report["rows"][3]["revenue"] == 0


class TestSalesByProductAndCategory:
    # Line by line; with the finished days rolled up through the first period's second day (a period read partly
    # from rollups, partly live, the other period live); and with every day rolled up.
    @pytest.mark.parametrize(
        "rolled_until", [None, datetime(2025, 3, 31, 12, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)]
    )
    @pytest.mark.parametrize(("first", "last"), PERIODS)
    @pytest.mark.parametrize("group_by", ["product", "category"])
    def test_shares_round_to_the_exact_net_sales(
        self, client, manager_headers, database, expected, first, last, group_by, rolled_until
    ):
        if rolled_until is not None:
            assert rollups.refresh(database, rolled_until) > 0
        report = get(client, manager_headers, "/api/reports/sales", **span(first, last), group_by=group_by)
        key_of = expected.category if group_by == "category" else (lambda item: item["product_id"])
        for (a, b), prefix in ((span_of(first, last), ""), (previous(first, last), "previous_")):
            revenue, orders, units = expected.shares(a, b, key_of)
            rows = {r["key"]: r for r in report["rows"]}
            assert {k for k, v in revenue.items() if abs(v) >= 0.5 or orders.get(k)} <= set(rows)
            for k, row in rows.items():
                assert abs(row[prefix + "revenue"] - revenue.get(k, 0.0)) < 1, (prefix, k)
                assert row[prefix + "orders"] == len(orders.get(k, set())), (prefix, k)
                assert row[prefix + "items"] == units.get(k, 0), (prefix, k)
            total = expected.total(a, b)
            assert sum(r[prefix + "revenue"] for r in report["rows"]) == report["totals"][prefix + "revenue"]
            assert figures(total) == (
                report["totals"][prefix + "orders"],
                report["totals"][prefix + "items"],
                report["totals"][prefix + "revenue"],
            )
        names = (
            expected.data.categories
            if group_by == "category"
            else {k: v["name"] for k, v in expected.data.products.items()}
        )
        assert all(r["label"] == names[r["key"]] for r in report["rows"] if r["key"] is not None)
        # Sorted by revenue, highest first.
        assert [r["revenue"] for r in report["rows"]] == sorted((r["revenue"] for r in report["rows"]), reverse=True)

    def test_products_lists_every_product_with_unknown_costs(self, client, manager_headers, expected):
        first, last = SPRING[0], SPRING[-1]
        report = get(client, manager_headers, "/api/analytics/products", **span(first, last))
        revenue, orders, units = expected.shares(first, last, lambda item: item["product_id"])
        lines = {p["product_id"]: p for p in report["products"]}
        assert set(expected.data.products) <= set(lines)
        for pid, product in expected.data.products.items():
            line = lines[pid]
            assert line["name"] == product["name"]
            assert line["category"] == expected.data.categories[product["category_id"]]
            assert line["quantity"] == units.get(pid, 0)
            assert line["orders"] == len(orders.get(pid, set()))
            assert abs(line["revenue"] - revenue.get(pid, 0.0)) < 1
            # No recipes in this data: the cost, so the margin, is unknown (margins come with recipes).
            assert line["cost"] is None
            assert line["margin"] is None
        assert sum(p["revenue"] for p in report["products"]) == report["revenue"] == expected.total(first, last).revenue


def span_of(first: date, last: date) -> tuple[date, date]:
    return first, last


class TestSummary:
    @pytest.mark.parametrize(("first", "last"), PERIODS)
    def test_headline_figures_with_the_previous_period_and_the_change(
        self, client, manager_headers, expected, first, last
    ):
        report = get(client, manager_headers, "/api/analytics/summary", **span(first, last))

        def headline(a: date, b: date) -> dict[str, int]:
            t = expected.total(a, b)
            given = expected.discounts(a, b)
            voids = expected.voids(a, b)
            return {
                "revenue": t.revenue,
                "orders": t.orders,
                "items": t.items,
                "average_ticket": round_half_up(t.revenue, t.orders),
                "covers": t.covers,
                "average_per_cover": round_half_up(t.revenue, t.covers),
                "tips": t.tips,
                "discounts": given["discount"][1],
                "discounts_count": given["discount"][0],
                "comps": given["comp"][1],
                "comps_count": given["comp"][0],
                "voids": sum(i["quantity"] * i["unit_price"] for i in voids),
                "voids_count": len(voids),
            }

        now, before = headline(first, last), headline(*previous(first, last))
        for name, value in now.items():
            metric = report[name]
            assert (metric["value"], metric["previous"], metric["change"]) == (
                value,
                before[name],
                value - before[name],
            ), name
            if before[name]:
                assert metric["change_percent"] == round(100 * (value - before[name]) / abs(before[name]), 1)
        assert now["voids_count"] > 0
        assert now["covers"] > now["orders"]


def round_half_up(amount: int, count: int) -> int:
    return (2 * amount + count) // (2 * count) if count else 0


class TestHeatmap:
    def test_seven_by_twenty_four_cells_of_the_sites_clock(self, client, manager_headers, expected):
        first, last = AUTUMN[0], AUTUMN[-1]
        report = get(client, manager_headers, "/api/analytics/heatmap", **span(first, last))
        cells = expected.sales(first, last, expected.cell)
        assert [(c["weekday"], c["hour"]) for c in report["cells"]] == [(w, h) for w in range(7) for h in range(24)]
        for c in report["cells"]:
            row = cells.get((c["weekday"], c["hour"]), Row())
            assert (c["orders"], c["revenue"]) == (row.orders, row.revenue), (c["weekday"], c["hour"])
        busiest = max(report["cells"], key=lambda c: c["revenue"])
        assert busiest["hour"] in range(12, 23)  # lunch or dinner, never the small hours


class TestWaiters:
    def test_orders_tables_revenue_tips_covers_per_waiter(self, client, manager_headers, expected):
        first, last = SPRING[0], SPRING[-1]
        report = get(client, manager_headers, "/api/analytics/waiters", **span(first, last))
        rows = expected.sales(first, last, expected.waiter)
        assert {w["waiter_id"] for w in report["waiters"]} == set(rows)
        for w in report["waiters"]:
            row = rows[w["waiter_id"]]
            assert w["name"] == expected.data.waiters[w["waiter_id"]]
            assert (w["orders"], w["tables"], w["revenue"], w["tips"], w["covers"]) == (
                row.orders,
                len(row.tables),
                row.revenue,
                row.tips,
                row.covers,
            )
            assert w["average_ticket"] == round_half_up(row.revenue, row.orders)
        assert [w["revenue"] for w in report["waiters"]] == sorted(
            (w["revenue"] for w in report["waiters"]), reverse=True
        )


class TestTurnover:
    def test_average_and_median_minutes_per_table_and_overall(self, client, manager_headers, expected):
        first, last = AUTUMN[0], AUTUMN[-1]
        report = get(client, manager_headers, "/api/analytics/turnover", **span(first, last))
        stats = expected.turnover(first, last)
        lines = {t["table_id"]: t for t in [report["overall"], *report["tables"]]}
        assert set(lines) == set(stats)
        for table_id, (n, average, median) in stats.items():
            line = lines[table_id]
            assert line["orders"] == n
            assert abs(line["average_minutes"] - average) <= 0.051
            assert abs(line["median_minutes"] - median) <= 0.051
            assert line["label"] == ("All tables" if table_id is None else expected.data.tables[table_id])


class TestKitchen:
    def test_items_average_and_p90_by_zone_and_by_product(self, client, manager_headers, expected):
        first, last = SPRING[0], SPRING[-1]
        report = get(client, manager_headers, "/api/analytics/kitchen", **span(first, last))
        for lines, key, names in (
            (report["by_zone"], "printer_zone_id", expected.data.zones),
            (report["by_product"], "product_id", {k: v["name"] for k, v in expected.data.products.items()}),
        ):
            stats = expected.prep(first, last, key)
            assert {line["key"] for line in lines} == set(stats)
            for line in lines:
                n, average, p90 = stats[line["key"]]
                assert line["name"] == names[line["key"]]
                assert line["items"] == n
                assert abs(line["average_seconds"] - average) <= 0.051
                assert abs(line["p90_seconds"] - p90) <= 0.051
        zones = {line["name"]: line for line in report["by_zone"]}
        assert zones["Bar"]["p90_seconds"] < zones["Kitchen"]["p90_seconds"] < zones["Grill"]["p90_seconds"]


class TestExceptions:
    def test_by_kind_reason_and_person(self, client, manager_headers, expected):
        first, last = AUTUMN[0], AUTUMN[-1]
        report = get(client, manager_headers, "/api/analytics/exceptions", **span(first, last))
        start, end = expected.bounds(first, last)
        events: list[tuple[str, str, int | None, int]] = []
        for d in expected.data.discounts:
            if start <= d["created_at"] < end and (d["removed_at"] is None or d["removed_at"] >= end):
                events.append(
                    ("comp" if d["kind"] == "comp" else "discount", d["reason"], d["created_by_id"], d["amount"])
                )
        for i in expected.voids(first, last):
            events.append(("void", i["cancel_reason"], i["cancelled_by_id"], i["quantity"] * i["unit_price"]))
        for r in expected.refunds(first, last):
            events.append(("refund", r["reason"], r["created_by_id"], r["amount"]))

        def tally(key: Any) -> dict[Any, tuple[int, int]]:
            out: dict[Any, tuple[int, int]] = {}
            for e in events:
                n, a = out.get(key(e), (0, 0))
                out[key(e)] = (n + 1, a + e[3])
            return out

        by_kind = tally(lambda e: e[0])
        assert {k["kind"]: (k["count"], k["amount"]) for k in report["by_kind"]} == {
            kind: by_kind.get(kind, (0, 0)) for kind in ("discount", "comp", "void", "refund")
        }
        assert {(r["kind"], r["reason"]): (r["count"], r["amount"]) for r in report["by_reason"]} == tally(
            lambda e: (e[0], e[1])
        )
        people = {
            (p["user_id"], k["kind"]): (k["count"], k["amount"]) for p in report["by_waiter"] for k in p["by_kind"]
        }
        assert people == tally(lambda e: (e[2], e[0]))
        assert by_kind["void"][0] > 0


class TestTheZReport:
    @pytest.mark.parametrize("day", [*SPRING, *AUTUMN], ids=str)
    def test_a_days_revenue_is_the_days_z_net_sales(self, client, manager_headers, dataset, day):
        z = get(client, manager_headers, "/api/reports/z", date=day.isoformat())
        sales = get(client, manager_headers, "/api/reports/sales", **span(day, day), group_by="day")
        summary = get(client, manager_headers, "/api/analytics/summary", **span(day, day))
        assert z["totals"]["net_sales"] > 0
        assert sales["rows"][0]["revenue"] == sales["totals"]["revenue"] == z["totals"]["net_sales"]
        assert summary["revenue"]["value"] == z["totals"]["net_sales"]
        assert summary["tips"]["value"] == z["totals"]["tips"]
        assert summary["voids"]["value"] == z["voids"]["amount"]
        assert summary["voids_count"]["value"] == z["voids"]["count"]
        comps = sum(k["amount"] for k in z["discounts"]["by_kind"] if k["kind"] == "comp")
        assert (summary["discounts"]["value"], summary["comps"]["value"]) == (z["discounts"]["amount"] - comps, comps)

    def test_a_periods_revenue_is_the_sum_of_its_days(self, client, manager_headers, dataset):
        first, last = AUTUMN[0], AUTUMN[-1]
        days = get(client, manager_headers, "/api/reports/sales", **span(first, last), group_by="day")
        z_total = sum(
            get(client, manager_headers, "/api/reports/z", date=(first + timedelta(days=n)).isoformat())["totals"][
                "net_sales"
            ]
            for n in range(8)
        )
        assert days["totals"]["revenue"] == sum(r["revenue"] for r in days["rows"]) == z_total
