"""The Analytics screen of the manager dashboard, against a real appliance in a 1280x800 tablet browser.

Paid orders are seeded through the API in the current hour of the site's clock; the screen must show the revenue the
appliance counts (read from its API independently), a non-empty heat-map cell at this weekday and hour, the product
sold most on top, the same figures once the period is the week around today, and a products CSV holding them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

MOUSSAKA = "Moussaka"
SALAD = "Greek salad"


def paid_order(site: Site, table: int, lines: dict[str, int]) -> dict[str, Any]:
    """An order of `lines` (product name -> quantity), paid in cash and closed by the waiter, through the API."""
    items = [
        {"product_id": site.products[name]["id"], "quantity": quantity, "seat": None, "course": 1}
        for name, quantity in lines.items()
    ]
    order = site.open_order_with_items(table, items)
    headers = site.waiter.headers
    site.api(
        "POST",
        f"/api/orders/{order['id']}/payments",
        headers=headers,
        json={"method": "cash", "amount": order["total"]},
    )
    closed: dict[str, Any] = site.api("POST", f"/api/orders/{order['id']}/close", headers=headers)
    assert closed["status"] == "closed"
    return closed


class TestAnalytics:
    def test_the_overview_heat_map_products_and_csv_show_what_was_paid_and_a_week_keeps_the_figures(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        site.api("POST", "/api/shifts/open", json={"float": 10_000})
        orders = [paid_order(site, 1, {MOUSSAKA: 3, SALAD: 1}), paid_order(site, 2, {MOUSSAKA: 1, SALAD: 1})]
        paid = sum(order["total"] for order in orders)
        settings = site.api("GET", "/api/settings")
        currency = settings["currency"]
        now = datetime.now(UTC).astimezone(ZoneInfo(settings["timezone"]))
        monday = (now.date() - timedelta(days=now.weekday())).isoformat()

        # The appliance's own figures, asked without the page.
        summary = site.api("GET", "/api/analytics/summary")
        assert summary["revenue"]["value"] == paid
        assert summary["orders"]["value"] == 2
        products = site.api("GET", "/api/analytics/products")["products"]
        top = products[0]
        assert (top["name"], top["quantity"]) == (MOUSSAKA, 4)
        assert top["quantity"] == max(p["quantity"] for p in products)
        heat = site.api("GET", "/api/analytics/heatmap")["cells"]
        this_hour = next(c for c in heat if (c["weekday"], c["hour"]) == (now.weekday(), now.hour))
        assert (this_hour["orders"], this_hour["revenue"]) == (2, paid)

        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site, "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
        expect(page.get_by_role("heading", name="Analytics")).to_be_visible()
        expect(page.get_by_test_id("period-day")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("period-label")).to_have_attribute("data-from", now.date().isoformat())
        expect(page.get_by_test_id("period-next")).to_be_disabled()

        cards = page.get_by_test_id("analytics-summary")
        revenue = cards.get_by_test_id("metric-revenue")
        expect(revenue).to_have_attribute("data-value", str(paid))
        expect(revenue).to_contain_text("▲ new")  # nothing sold the day before
        expect(cards.get_by_test_id("metric-orders")).to_have_attribute("data-value", "2")
        # A single day is drawn by hour; this hour's bar holds what was paid.
        hour_bar = page.get_by_test_id("sales-over-time").locator(f'[data-testid="chart-bar"][data-key="{now.hour}"]')
        expect(hour_bar).to_have_attribute("data-value", str(paid))
        assert float(hour_bar.get_attribute("height") or 0) > 0
        screenshot(page, "manager-analytics-overview")

        tabs = page.get_by_role("navigation", name="Analytics")
        tabs.get_by_role("link", name="Peak hours").click()
        cell = page.locator(f'[data-testid="heat-cell"][data-weekday="{now.weekday()}"][data-hour="{now.hour}"]')
        expect(cell).to_have_attribute("data-value", "2")
        assert int(cell.get_attribute("data-level") or 0) > 0
        hours = f"{now.hour:02d}:00\u2013{now.hour:02d}:59"  # an en dash, as the page writes hours
        expect(cell).to_have_attribute("aria-label", re.compile(rf"^{now.strftime('%A')} {hours}: 2 orders, \S+$"))
        filled = page.locator('[data-testid="heat-cell"]:not([data-level="0"])')
        expect(filled).to_have_count(1)
        expect(page.get_by_test_id("heat-legend")).to_be_visible()
        screenshot(page, "manager-analytics-heatmap")

        tabs.get_by_role("link", name="Products").click()
        first = page.get_by_test_id("product-row").first
        expect(first.get_by_role("rowheader")).to_have_text(MOUSSAKA)
        expect(first.get_by_test_id("product-quantity")).to_have_text("4")
        expect(first.get_by_test_id("product-revenue")).to_have_attribute("data-amount", str(top["revenue"]))
        page.get_by_test_id("products-rank").get_by_role("button", name="Quantity").click()
        expect(page.get_by_test_id("product-row").first.get_by_role("rowheader")).to_have_text(MOUSSAKA)

        # The week around today: its address, its days, and the same figures (nothing else was sold this week).
        page.get_by_test_id("period-week").click()
        expect(page).to_have_url(f"{site.url('/manager/analytics/products')}?period=week&date={now.date().isoformat()}")
        loaded = page.get_by_test_id("analytics-products").get_by_test_id("analytics-loaded")
        expect(loaded).to_have_attribute("data-from", monday)
        expect(loaded).to_have_attribute("aria-busy", "false")
        expect(page.get_by_test_id("product-row").first.get_by_test_id("product-quantity")).to_have_text("4")
        tabs.get_by_role("link", name="Overview").click()
        expect(page.get_by_test_id("period-week")).to_have_attribute("aria-pressed", "true")
        summary_loaded = page.get_by_test_id("analytics-summary").get_by_test_id("analytics-loaded")
        expect(summary_loaded).to_have_attribute("data-from", monday)
        expect(summary_loaded).to_have_attribute("aria-busy", "false")
        expect(page.get_by_test_id("metric-revenue")).to_have_attribute("data-value", str(paid))
        week = site.api("GET", f"/api/analytics/summary?period=week&date={now.date().isoformat()}")
        assert (week["from"], week["revenue"]["value"]) == (monday, paid)
        screenshot(page, "manager-analytics-week")

        # Back goes to the products of the week, then to the day's.
        page.go_back()
        expect(page.get_by_test_id("product-row").first).to_be_visible()
        page.go_back()
        expect(page.get_by_test_id("period-day")).to_have_attribute("aria-pressed", "true")

        # The products table as CSV, fetched with the session's token and saved by the browser.
        page.get_by_test_id("period-week").click()
        expect(page.get_by_test_id("analytics-products").get_by_test_id("analytics-loaded")).to_have_attribute(
            "data-from", monday
        )
        with page.expect_download() as download_info:
            page.get_by_test_id("csv-products").click()
        download = download_info.value
        sunday = (now.date() + timedelta(days=6 - now.weekday())).isoformat()
        assert download.suggested_filename == f"tavolo-products-{monday}_{sunday}.csv"
        rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
        moussaka = [row for row in rows if row["product"] == MOUSSAKA]
        assert len(moussaka) == 1, rows
        digits = 0 if currency in {"JPY", "KRW"} else 2
        assert moussaka[0]["quantity"] == "4"
        assert Decimal(moussaka[0][f"revenue ({currency})"]) == Decimal(top["revenue"]).scaleb(-digits)
        assert console.uncaught == []
