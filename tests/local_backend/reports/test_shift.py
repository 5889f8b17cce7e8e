"""The shift report: figures on known data, the default period, and who may read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from local_backend.orders.models import Order, Payment
from local_backend.reports.service import start_of_today
from tests.conftest import login
from tests.local_backend.orders.helpers import add_items, cancel_item, cancel_order, line, open_order, pay


def shift(client, headers, **params):
    resp = client.get("/api/reports/shift", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture
def waiters(client, make_user):
    make_user("maria", display_name="Maria")
    make_user("nikos", display_name="Nikos")
    return login(client, "maria", "1234"), login(client, "nikos", "1234")


@pytest.fixture
def evening(client, waiters, manager_headers, make_table, make_product, database):
    """Tonight's known service, plus one order of last week that must stay out of tonight's figures."""
    maria, nikos = waiters
    salad, beer = make_product("Salad", 850), make_product("Beer", 450)
    fish, wine = make_product("Fish", 1800), make_product("Wine", 2200)

    a = open_order(client, maria, make_table(label="A").id)
    a_items = add_items(client, maria, a["id"], line(salad.id, 2), line(beer.id))["items"]
    pay(client, maria, a["id"], [a_items[0]["id"]], method="card", tip=200)
    pay(client, maria, a["id"], [a_items[1]["id"]], method="cash")
    client.post(f"/api/orders/{a['id']}/close", headers=maria)

    b = open_order(client, nikos, make_table(label="B").id)
    b_items = add_items(client, nikos, b["id"], line(fish.id), line(wine.id))["items"]
    assert cancel_item(client, manager_headers, b["id"], b_items[1]["id"], reason="corked").status_code == 200
    pay(client, nikos, b["id"], [b_items[0]["id"]], method="cash", tip=100)

    c = open_order(client, maria, make_table(label="C").id)
    add_items(client, maria, c["id"], line(beer.id, 3))
    assert cancel_order(client, manager_headers, c["id"], reason="left").status_code == 200

    d = open_order(client, nikos, make_table(label="D").id)
    d_items = add_items(client, nikos, d["id"], line(wine.id, 5))["items"]
    pay(client, nikos, d["id"], [d_items[0]["id"]], method="card", tip=999)
    client.post(f"/api/orders/{d['id']}/close", headers=nikos)
    last_week = datetime.now(UTC) - timedelta(days=7)
    with database.write_session() as db:
        db.execute(update(Order).where(Order.id == d["id"]).values(opened_at=last_week, closed_at=last_week))
        db.execute(update(Payment).where(Payment.order_id == d["id"]).values(created_at=last_week))
    return {"a": a["id"], "b": b["id"], "c": c["id"], "d": d["id"], "last_week": last_week}


class TestShiftFigures:
    def test_tonights_figures(self, client, manager_headers, evening):
        report = shift(client, manager_headers)
        assert (report["orders_opened"], report["orders_closed"], report["orders_cancelled"]) == (3, 1, 1)
        assert report["paid_orders"] == 2
        assert report["items_sold"] == 2 + 1 + 1
        assert report["revenue_total"] == 1700 + 450 + 1800
        assert report["revenue_by_method"] == [
            {"method": "cash", "payments": 2, "amount": 2250, "tips": 100},
            {"method": "card", "payments": 1, "amount": 1700, "tips": 200},
        ]
        assert report["tips_total"] == 300
        assert report["average_ticket"] == 1975
        assert [(w["waiter_name"], w["orders"], w["revenue"], w["tips"]) for w in report["by_waiter"]] == [
            ("Maria", 2, 2150, 200),
            ("Nikos", 1, 1800, 100),
        ]
        assert (report["timezone"], report["currency"]) == ("Europe/Athens", "EUR")

    def test_cancellations_say_what_how_much_why_and_who(self, client, manager_headers, evening):
        rows = shift(client, manager_headers)["cancellations"]
        assert [
            (r["kind"], r["order_id"], r["table_label"], r["product_name"], r["quantity"], r["amount"], r["reason"])
            for r in rows
        ] == [
            ("item", evening["b"], "B", "Wine", 1, 2200, "corked"),
            ("order", evening["c"], "C", None, 3, 1350, "left"),
        ]
        assert {r["by_name"] for r in rows} == {"boss"}
        assert all(r["at"] for r in rows)

    def test_an_item_voided_before_its_order_was_cancelled_is_reported_once_each(
        self, client, waiters, manager_headers, make_table, make_product
    ):
        maria, _ = waiters
        order = open_order(client, maria, make_table(label="E").id)
        items = add_items(
            client, maria, order["id"], line(make_product("Ouzo", 400).id, 2), line(make_product("Meze", 900).id)
        )
        cancel_item(client, manager_headers, order["id"], items["items"][0]["id"], reason="wrong table")
        cancel_order(client, manager_headers, order["id"], reason="left")
        rows = shift(client, manager_headers)["cancellations"]
        assert [(r["kind"], r["product_name"], r["quantity"], r["amount"], r["reason"]) for r in rows] == [
            ("item", "Ouzo", 2, 800, "wrong table"),
            ("order", None, 1, 900, "left"),
        ]

    def test_an_explicit_period_reports_only_what_happened_in_it(self, client, manager_headers, evening):
        around = {
            "from": (evening["last_week"] - timedelta(hours=1)).isoformat(),
            "to": (evening["last_week"] + timedelta(hours=1)).isoformat(),
        }
        report = shift(client, manager_headers, **around)
        assert (report["orders_opened"], report["orders_closed"], report["orders_cancelled"]) == (1, 1, 0)
        assert (report["revenue_total"], report["tips_total"], report["items_sold"]) == (5 * 2200, 999, 5)
        assert [(w["waiter_name"], w["orders"], w["revenue"]) for w in report["by_waiter"]] == [("Nikos", 1, 11000)]
        assert report["cancellations"] == []

    def test_an_empty_period_is_all_zeros(self, client, manager_headers, evening):
        report = shift(client, manager_headers, **{"from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z"})
        assert (report["orders_opened"], report["revenue_total"], report["average_ticket"]) == (0, 0, 0)
        assert report["revenue_by_method"] == [
            {"method": "cash", "payments": 0, "amount": 0, "tips": 0},
            {"method": "card", "payments": 0, "amount": 0, "tips": 0},
        ]
        assert (report["by_waiter"], report["cancellations"]) == ([], [])


class TestShiftPeriod:
    def test_by_default_the_shift_starts_at_local_midnight(self, client, manager_headers):
        report = shift(client, manager_headers)
        start = datetime.fromisoformat(report["period_start"])
        end = datetime.fromisoformat(report["period_end"])
        local_start = start.astimezone(ZoneInfo("Europe/Athens"))
        assert (local_start.hour, local_start.minute, local_start.second) == (0, 0, 0)
        assert timedelta(0) <= end - start <= timedelta(hours=25)
        assert abs(datetime.now(UTC) - end) < timedelta(minutes=1)

    def test_local_midnight_is_computed_in_the_site_timezone(self):
        now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # already 01:30 on the 22nd in Athens
        assert start_of_today(ZoneInfo("Europe/Athens"), now) == datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
        assert start_of_today(ZoneInfo("UTC"), now) == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
        summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
        assert start_of_today(ZoneInfo("Europe/Athens"), summer) == datetime(2026, 6, 30, 21, 0, tzinfo=UTC)

    def test_a_period_that_ends_before_it_starts_is_422(self, client, manager_headers):
        resp = client.get(
            "/api/reports/shift",
            params={"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
            headers=manager_headers,
        )
        assert resp.status_code == 422
        assert resp.json()["code"] == "INVALID_PERIOD"

    def test_extreme_bounds_never_fail(self, client, manager_headers):
        report = shift(
            client, manager_headers, **{"from": "0001-01-01T00:00:00+23:59", "to": "9999-12-31T23:59:59-23:59"}
        )
        assert report["orders_opened"] == 0

    def test_only_managers_read_the_report(self, client, waiters):
        maria, _ = waiters
        resp = client.get("/api/reports/shift", headers=maria)
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"
        assert client.get("/api/reports/shift").status_code == 401
