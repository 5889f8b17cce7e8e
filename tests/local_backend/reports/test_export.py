"""CSV exports of orders and items: business-day ranges, exact money, local times, formula guard, streaming."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from local_backend.reports import export
from tests.local_backend.orders.helpers import add_items, cancel_item, line, open_order
from tests.local_backend.shifts.helpers import move_order

DAY = {"from": "2026-11-21", "to": "2026-11-21"}  # Athens, UTC+2: 2026-11-20 22:00 to 2026-11-21 22:00 UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def download(client, headers, kind, params=DAY):
    resp = client.get(f"/api/reports/export/{kind}", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp


def rows(resp) -> list[dict[str, str]]:
    assert resp.content.startswith("\ufeff".encode()), "no byte order mark: Excel would garble Greek"
    return list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"), newline="")))


def refused(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


@pytest.fixture
def maria(client, make_user):
    from tests.conftest import login

    make_user("maria", display_name="Μαρία")
    return login(client, "maria", "1234")


class TestOrders:
    def test_the_orders_opened_in_the_days_with_their_money_as_exact_decimals(
        self, client, manager_headers, maria, make_table, make_product, database
    ):
        moussaka = make_product("Μουσακάς", 1250)
        order = open_order(client, maria, make_table(label="Βεράντα 4").id, guests=3)
        item = add_items(client, maria, order["id"], line(moussaka.id, 2))["items"][0]
        resp = client.post(
            f"/api/orders/{order['id']}/payments",
            json={"method": "card", "items": [{"item_id": item["id"], "quantity": 2}], "tip": 205},
            headers=maria,
        )
        assert resp.status_code == 201, resp.text
        assert client.post(f"/api/orders/{order['id']}/close", headers=maria).status_code == 200
        move_order(database, order["id"], utc(2026, 11, 20, 22, 0))  # 00:00 on the 21st in Athens
        before = open_order(client, maria, make_table().id)
        move_order(database, before["id"], utc(2026, 11, 20, 21, 59))  # 23:59 on the 20th: not in the range
        after = open_order(client, maria, make_table().id)
        move_order(database, after["id"], utc(2026, 11, 21, 21, 59))  # 23:59 on the 21st: in it

        resp = download(client, manager_headers, "orders")
        assert resp.headers["content-type"] == "text/csv; charset=utf-8"
        assert resp.headers["content-disposition"] == 'attachment; filename="tavolo-orders-2026-11-21_2026-11-21.csv"'
        got = rows(resp)
        assert [r["order_id"] for r in got] == [str(order["id"]), str(after["id"])]
        first = got[0]
        assert first["opened_at"] == "2026-11-21T00:00:00+02:00"
        assert first["closed_at"].endswith("+02:00")
        assert (first["table"], first["waiter"], first["guests"], first["status"]) == (
            "Βεράντα 4",
            "Μαρία",
            "3",
            "closed",
        )
        money = {k: v for k, v in first.items() if k.endswith("(EUR)")}
        assert money == {
            "subtotal (EUR)": "25.00",
            "discounts (EUR)": "0.00",
            "tax (EUR)": "0.00",
            "service_charge (EUR)": "0.00",
            "total (EUR)": "25.00",
            "paid (EUR)": "25.00",
            "tips (EUR)": "2.05",
        }
        assert (got[1]["status"], got[1]["closed_at"], got[1]["total (EUR)"]) == ("open", "", "0.00")

    def test_to_is_included_so_two_days_take_both(self, client, manager_headers, maria, make_table, database):
        ids = []
        for moment in (utc(2026, 11, 20, 23, 0), utc(2026, 11, 21, 23, 0), utc(2026, 11, 22, 23, 0)):
            order = open_order(client, maria, make_table().id)
            move_order(database, order["id"], moment)
            ids.append(str(order["id"]))
        resp = download(client, manager_headers, "orders", {"from": "2026-11-21", "to": "2026-11-22"})
        assert [r["order_id"] for r in rows(resp)] == ids[:2]
        assert "tavolo-orders-2026-11-21_2026-11-22.csv" in resp.headers["content-disposition"]

    def test_the_currencys_own_minor_unit_decides_the_decimals(
        self, client, manager_headers, maria, make_table, make_product, database
    ):
        for currency, expected in (("JPY", "1250"), ("KWD", "1.250"), ("INR", "12.50")):
            assert client.put("/api/settings", json={"currency": currency}, headers=manager_headers).status_code == 200
            order = open_order(client, maria, make_table().id)
            add_items(client, maria, order["id"], line(make_product(f"Dish {currency}", 1250).id))
            move_order(database, order["id"], utc(2026, 11, 21, 12, 0))
            got = rows(download(client, manager_headers, "orders"))[-1]
            assert got[f"total ({currency})"] == expected, currency
            assert f"unit_price ({currency})" in rows(download(client, manager_headers, "items"))[-1]

    def test_rows_arrive_batch_by_batch_each_order_once_in_order(
        self, client, manager_headers, maria, make_table, database, monkeypatch
    ):
        monkeypatch.setattr(export, "BATCH", 2)
        ids = []
        for minute in range(7):
            order = open_order(client, maria, make_table().id)
            # Two share a timestamp: the id breaks the tie, and the page boundary must not lose one.
            move_order(database, order["id"], utc(2026, 11, 21, 9, minute // 2 * 2))
            ids.append(str(order["id"]))
        chunks = list(
            export.stream(
                database, kind="orders", from_day=datetime(2026, 11, 21).date(), to_day=datetime(2026, 11, 21).date()
            )
        )
        assert len(chunks) == 1 + 4  # the header, then one chunk per batch of two
        assert [r["order_id"] for r in rows(download(client, manager_headers, "orders"))] == ids


class TestItems:
    def test_each_item_with_product_category_options_status_and_times(
        self, client, manager_headers, maria, make_table, make_product, database
    ):
        souvlaki = make_product("Souvlaki", 700, category="Grill", options=[("Extra pita", 50)], ingredients=["Onion"])
        beer = make_product("Beer", 450, category="Drinks")
        order = open_order(client, maria, make_table(label="T9").id)
        items = add_items(
            client,
            maria,
            order["id"],
            line(
                souvlaki.id,
                2,
                option_ids=[souvlaki.options[0].id],
                removed_ingredient_ids=[souvlaki.ingredients[0].id],
                note="well done",
                seat=2,
            ),
            line(beer.id, 1),
        )["items"]
        assert cancel_item(client, manager_headers, order["id"], items[1]["id"], "spilled").status_code == 200
        move_order(database, order["id"], utc(2026, 11, 21, 12, 0))

        resp = download(client, manager_headers, "items")
        assert 'filename="tavolo-items-2026-11-21_2026-11-21.csv"' in resp.headers["content-disposition"]
        got = rows(resp)
        assert [(r["item_id"], r["product"], r["category"]) for r in got] == [
            (str(items[0]["id"]), "Souvlaki", "Grill"),
            (str(items[1]["id"]), "Beer", "Drinks"),
        ]
        first, second = got
        assert (first["order_id"], first["table"], first["waiter"]) == (str(order["id"]), "T9", "Μαρία")
        assert (first["quantity"], first["unit_price (EUR)"], first["line_total (EUR)"]) == ("2", "7.50", "15.00")
        assert (first["options"], first["seat"], first["note"]) == ("Extra pita; NO Onion", "2", "well done")
        assert (first["status"], first["cancel_reason"]) == ("pending", "")
        assert first["added_at"].endswith("+02:00")
        assert first["sent_at"] == first["added_at"]  # course 1 goes to the kitchen at once
        assert (second["status"], second["cancel_reason"]) == ("cancelled", "spilled")


class TestFormulaInjection:
    @pytest.mark.parametrize("evil", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
    def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(
        self, client, manager_headers, maria, make_table, make_product, database, evil
    ):
        product = make_product(evil, 100, category=evil)
        order = open_order(client, maria, make_table(label=evil[:40]).id)
        add_items(client, maria, order["id"], line(product.id, note=evil))
        move_order(database, order["id"], utc(2026, 11, 21, 12, 0))
        item = rows(download(client, manager_headers, "items"))[0]
        assert (item["product"], item["category"], item["table"]) == ("'" + evil,) * 3
        note = evil.strip()  # the API strips a note's surrounding whitespace; what is left is guarded just the same
        assert item["note"] == ("'" + note if note[0] in "=+-@" else note)
        order_row = rows(download(client, manager_headers, "orders"))[0]
        assert order_row["table"].startswith("'")

    def test_plain_text_and_our_own_numbers_are_left_alone(self):
        assert export.safe_text("Moussaka - large") == "Moussaka - large"
        assert export.safe_text(None) == ""


class TestRefusals:
    def test_a_waiter_may_not_export_and_an_anonymous_caller_is_401(self, client, maria):
        refused(client.get("/api/reports/export/orders", params=DAY, headers=maria), 403, "MANAGER_REQUIRED")
        assert client.get("/api/reports/export/items", params=DAY).status_code == 401

    def test_a_reversed_range_is_refused(self, client, manager_headers):
        params = {"from": "2026-11-22", "to": "2026-11-21"}
        refused(client.get("/api/reports/export/orders", params=params, headers=manager_headers), 422, "INVALID_PERIOD")

    def test_at_most_366_days_at_a_time(self, client, manager_headers):
        ok = {"from": "2024-01-01", "to": "2024-12-31"}  # a leap year: 366 days
        assert client.get("/api/reports/export/items", params=ok, headers=manager_headers).status_code == 200
        too_long = {"from": "2024-01-01", "to": "2025-01-01"}
        refused(
            client.get("/api/reports/export/items", params=too_long, headers=manager_headers),
            422,
            "EXPORT_RANGE_TOO_LONG",
        )

    @pytest.mark.parametrize("params", [{}, {"from": "2026-11-21"}, {"from": "21/11/2026", "to": "2026-11-21"}])
    def test_missing_or_malformed_days_are_422(self, client, manager_headers, params):
        resp = client.get("/api/reports/export/orders", params=params, headers=manager_headers)
        assert resp.status_code == 422, resp.text
