"""The analytics API's contract: periods and their validation, managers only, CSV exports, and the figures of a
small evening rung up through the real order and payment API (discounts, a comp, a void, a split bill, a refund)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.local_backend.orders.helpers import add_items, cancel_item, line, open_order, pay_amount

ENDPOINTS = [
    "/api/reports/sales",
    "/api/analytics/summary",
    "/api/analytics/heatmap",
    "/api/analytics/products",
    "/api/analytics/waiters",
    "/api/analytics/turnover",
    "/api/analytics/kitchen",
    "/api/analytics/exceptions",
]
ATHENS = ZoneInfo("Europe/Athens")


def today() -> str:
    return datetime.now(UTC).astimezone(ATHENS).date().isoformat()


class TestWhoMayRead:
    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_a_waiter_is_refused(self, client, waiter_headers, path):
        resp = client.get(path, headers=waiter_headers("nikos"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_nobody_without_a_token(self, client, path):
        assert client.get(path).status_code == 401

    def test_a_waiter_is_refused_before_the_period_is_even_read(self, client, waiter_headers):
        resp = client.get(
            "/api/analytics/summary", params={"from": "2025-02-01", "to": "2025-01-01"}, headers=waiter_headers()
        )
        assert resp.status_code == 403


class TestPeriods:
    def test_nothing_asked_is_today_compared_with_yesterday(self, client, manager_headers):
        report = client.get("/api/analytics/summary", headers=manager_headers).json()
        day = datetime.fromisoformat(today()).date()
        assert (report["from"], report["to"]) == (today(), today())
        assert report["previous_from"] == report["previous_to"] == (day - timedelta(days=1)).isoformat()
        assert (report["timezone"], report["currency"]) == ("Europe/Athens", "EUR")

    @pytest.mark.parametrize(
        ("period", "day", "first", "last", "previous_first"),
        [
            ("day", "2025-10-26", "2025-10-26", "2025-10-26", "2025-10-25"),
            ("week", "2025-10-26", "2025-10-20", "2025-10-26", "2025-10-13"),
            ("month", "2025-02-14", "2025-02-01", "2025-02-28", "2025-01-04"),
            ("quarter", "2025-05-05", "2025-04-01", "2025-06-30", "2024-12-31"),
            ("year", "2024-07-01", "2024-01-01", "2024-12-31", "2022-12-31"),  # 366 days before
        ],
    )
    def test_a_named_period_around_a_date(self, client, manager_headers, period, day, first, last, previous_first):
        resp = client.get("/api/reports/sales", params={"period": period, "date": day}, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        assert (report["from"], report["to"], report["previous_from"]) == (first, last, previous_first)
        assert report["group_by"] == "day"
        assert len(report["rows"]) == (datetime.fromisoformat(last) - datetime.fromisoformat(first)).days + 1

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"from": "2025-02-01", "to": "2025-01-31"}, "INVALID_PERIOD"),
            ({"from": "2025-01-01"}, "INVALID_PERIOD"),
            ({"to": "2025-01-01"}, "INVALID_PERIOD"),
            ({"date": "2025-01-01"}, "INVALID_PERIOD"),
            ({"period": "week", "from": "2025-01-01", "to": "2025-01-02"}, "INVALID_PERIOD"),
            ({"from": "2024-01-01", "to": "2025-01-01"}, "PERIOD_TOO_LONG"),  # 367 days
            ({"from": "0001-01-01", "to": "0001-01-02"}, "INVALID_PERIOD"),
            ({"from": "9999-12-31", "to": "9999-12-31"}, "INVALID_PERIOD"),
            ({"period": "month", "date": "9999-12-31"}, "INVALID_PERIOD"),
            ({"from": "2025-13-01", "to": "2025-01-01"}, "VALIDATION_ERROR"),
            ({"period": "fortnight"}, "VALIDATION_ERROR"),
            ({"format": "xlsx"}, "VALIDATION_ERROR"),
        ],
    )
    @pytest.mark.parametrize("path", ["/api/reports/sales", "/api/analytics/kitchen"])
    def test_bad_periods_are_refused_with_a_code(self, client, manager_headers, path, params, code):
        resp = client.get(path, params=params, headers=manager_headers)
        assert resp.status_code == 422, resp.text
        assert resp.json()["code"] == code

    def test_a_leap_year_is_not_too_long(self, client, manager_headers):
        resp = client.get(
            "/api/reports/sales", params={"from": "2024-01-01", "to": "2024-12-31"}, headers=manager_headers
        )
        assert resp.status_code == 200
        assert len(resp.json()["rows"]) == 366

    def test_an_unknown_grouping_is_refused(self, client, manager_headers):
        resp = client.get("/api/reports/sales", params={"group_by": "table"}, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"


@pytest.fixture
def maria(client, make_user):
    from tests.conftest import login

    make_user("maria", display_name="Maria")
    return login(client, "maria", "1234")


@pytest.fixture
def evening(client, manager_headers, maria, make_table, make_product) -> dict[str, Any]:
    """Two bills through the real API:

    A (4 guests): 2 souvlaki at 10.00 and a wine at 5.00; the wine comped, then 10 % off the bill (2.00): 18.00
    paid in two parts. B (2 guests): a salad at 7.00 and a soup at 4.00, the soup voided; 7.00 paid with a 1.00
    tip, closed, then 2.00 refunded."""
    souvlaki = make_product("Souvlaki", 1000, category="Grill")
    wine = make_product("Wine", 500, category="Wine")
    salad = make_product("Salad", 700, category="Salads")
    soup = make_product("Soup", 400, category="Starters")
    a = open_order(client, maria, make_table(label="T1").id, guests=4)["id"]
    a_items = add_items(client, maria, a, line(souvlaki.id, 2), line(wine.id))["items"]
    ready(client, manager_headers, a_items[0]["id"])
    comp = {"item_id": a_items[1]["id"], "kind": "comp", "reason": "birthday"}
    assert client.post(f"/api/orders/{a}/discounts", json=comp, headers=manager_headers).status_code == 201
    off = {"kind": "percent", "value": 1000, "reason": "regulars"}
    assert client.post(f"/api/orders/{a}/discounts", json=off, headers=manager_headers).status_code == 201
    pay_amount(client, maria, a, 1000)
    pay_amount(client, maria, a, 800, method="cash")
    assert client.post(f"/api/orders/{a}/close", headers=maria).status_code == 200
    b = open_order(client, maria, make_table(label="T2").id, guests=2)["id"]
    b_items = add_items(client, maria, b, line(salad.id), line(soup.id))["items"]
    ready(client, manager_headers, b_items[0]["id"])
    assert cancel_item(client, manager_headers, b, b_items[1]["id"], reason="=cmd|' /C calc'!A0").status_code == 200
    paid = pay_amount(client, maria, b, 700, tip=100)
    assert client.post(f"/api/orders/{b}/close", headers=maria).status_code == 200
    refund = {"amount": 200, "reason": "cold"}
    resp = client.post(f"/api/payments/{paid['payment']['id']}/refunds", json=refund, headers=manager_headers)
    assert resp.status_code == 201, resp.text
    return {"souvlaki": souvlaki.id, "wine": wine.id, "salad": salad.id, "soup": soup.id}


def ready(client, headers, item_id: int) -> None:
    resp = client.post(f"/api/kitchen/items/{item_id}/status", json={"status": "ready"}, headers=headers)
    assert resp.status_code == 200, resp.text


def get(client, headers, path: str, **params: Any) -> Any:
    resp = client.get(path, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


class TestAnEveningThroughTheApi:
    def test_products_get_what_their_guests_paid_for_them(self, client, manager_headers, evening):
        report = get(client, manager_headers, "/api/analytics/products")
        lines = {p["name"]: (p["quantity"], p["orders"], p["revenue"]) for p in report["products"]}
        # The comped wine brought nothing; the bill's 10 % fell on the souvlaki; the refund on the salad.
        assert lines == {"Souvlaki": (2, 1, 1800), "Salad": (1, 1, 500), "Wine": (1, 1, 0), "Soup": (0, 0, 0)}
        assert [p["name"] for p in report["products"]][:2] == ["Souvlaki", "Salad"]
        assert report["revenue"] == 2300

    def test_categories_and_waiters(self, client, manager_headers, evening):
        by_category = get(client, manager_headers, "/api/reports/sales", group_by="category")
        assert [(r["label"], r["orders"], r["items"], r["revenue"]) for r in by_category["rows"]] == [
            ("Grill", 1, 2, 1800),
            ("Salads", 1, 1, 500),
            ("Wine", 1, 1, 0),
        ]
        assert (by_category["totals"]["orders"], by_category["totals"]["items"]) == (2, 4)
        waiters = get(client, manager_headers, "/api/analytics/waiters")["waiters"]
        assert [
            (w["name"], w["orders"], w["tables"], w["revenue"], w["average_ticket"], w["tips"], w["covers"])
            for w in waiters
        ] == [("Maria", 2, 2, 2300, 1150, 100, 6)]

    def test_the_summary_and_the_z_report_agree(self, client, manager_headers, evening):
        summary = get(client, manager_headers, "/api/analytics/summary")
        z = get(client, manager_headers, "/api/reports/z")
        assert summary["revenue"]["value"] == z["totals"]["net_sales"] == 2300
        values = {k: v["value"] for k, v in summary.items() if isinstance(v, dict)}
        assert values == {
            "revenue": 2300,
            "orders": 2,
            "items": 4,
            "average_ticket": 1150,
            "covers": 6,
            "average_per_cover": 383,
            "tips": 100,
            "discounts": 200,
            "discounts_count": 1,
            "comps": 500,
            "comps_count": 1,
            "voids": 400,
            "voids_count": 1,
        }
        assert summary["revenue"]["previous"] == 0
        assert summary["revenue"]["change_percent"] is None

    def test_exceptions_by_kind_reason_and_person(self, client, manager_headers, evening):
        report = get(client, manager_headers, "/api/analytics/exceptions")
        assert {k["kind"]: (k["count"], k["amount"]) for k in report["by_kind"]} == {
            "discount": (1, 200),
            "comp": (1, 500),
            "void": (1, 400),
            "refund": (1, 200),
        }
        assert [(r["kind"], r["reason"], r["amount"]) for r in report["by_reason"]] == [
            ("comp", "birthday", 500),
            ("void", "=cmd|' /C calc'!A0", 400),
            ("discount", "regulars", 200),
            ("refund", "cold", 200),
        ]
        assert len(report["by_waiter"]) == 1
        assert report["by_waiter"][0]["amount"] == 1300

    def test_kitchen_times_the_items_made_ready(self, client, manager_headers, evening):
        report = get(client, manager_headers, "/api/analytics/kitchen")
        assert [(z["name"], z["items"]) for z in report["by_zone"]] == [("No zone", 2)]
        assert [(p["name"], p["items"]) for p in report["by_product"]] == [("Salad", 1), ("Souvlaki", 1)]
        assert all(0 <= p["average_seconds"] <= p["p90_seconds"] < 60 for p in report["by_product"])

    def test_turnover_counts_the_closed_orders(self, client, manager_headers, evening):
        report = get(client, manager_headers, "/api/analytics/turnover")
        assert report["overall"]["orders"] == 2
        assert report["overall"]["label"] == "All tables"
        assert [t["label"] for t in report["tables"]] == ["T1", "T2"]


def read_csv(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "text/csv; charset=utf-8"
    assert resp.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


class TestCsv:
    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_every_table_downloads_as_csv(self, client, manager_headers, evening, path):
        resp = client.get(path, params={"format": "csv", "from": today(), "to": today()}, headers=manager_headers)
        rows = read_csv(resp)
        assert len(rows) >= 2
        assert len({len(r) for r in rows}) == 1  # every row as wide as the header
        name = path.rsplit("/", 1)[1]
        assert f'filename="tavolo-{name}' in resp.headers["content-disposition"]

    def test_sales_as_csv_with_money_in_euros_and_a_total(self, client, manager_headers, evening):
        rows = read_csv(
            client.get("/api/reports/sales", params={"format": "csv", "group_by": "product"}, headers=manager_headers)
        )
        assert rows[0] == [
            "product",
            "label",
            "orders",
            "items",
            "revenue (EUR)",
            "previous_orders",
            "previous_items",
            "previous_revenue (EUR)",
        ]
        assert rows[1][1:5] == ["Souvlaki", "1", "2", "18.00"]
        assert rows[-1][:5] == ["", "Total", "2", "4", "23.00"]

    def test_text_a_spreadsheet_would_run_is_neutralised(self, client, manager_headers, evening, database):
        from local_backend.menu.models import Product

        with database.write_session() as db:
            db.get(Product, evening["salad"]).name = '=HYPERLINK("http://x")'
        products = read_csv(client.get("/api/analytics/products", params={"format": "csv"}, headers=manager_headers))
        assert [r[1] for r in products if r[0] == str(evening["salad"])] == ['\'=HYPERLINK("http://x")']
        exceptions = read_csv(
            client.get("/api/analytics/exceptions", params={"format": "csv"}, headers=manager_headers)
        )
        assert "'=cmd|' /C calc'!A0" in [r[2] for r in exceptions]
        assert not any(cell.startswith(("=", "+", "@")) for row in products + exceptions for cell in row)
