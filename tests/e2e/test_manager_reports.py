"""Reports, settings and the license on the manager dashboard, against a real appliance in a tablet browser.

A paid, closed order is seeded through the API; the Z report of today must show its revenue and a bar in its hour,
and the orders CSV downloaded through the page must hold it. Settings saved on the page must reach the API (and the
header), and an activation the licensing cloud refuses must show the appliance's own words.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

MOUSSAKA = "Moussaka"  # 1400
SALAD = "Greek salad"  # 900


def paid_order(site: Site) -> dict[str, Any]:
    """An order served, paid in cash and closed by the waiter, through the API."""
    items = [
        {"product_id": site.products[name]["id"], "quantity": 1, "seat": None, "course": 1}
        for name in (MOUSSAKA, SALAD)
    ]
    order = site.open_order_with_items(2, items)
    headers = site.waiter.headers
    site.api(
        "POST",
        f"/api/orders/{order['id']}/payments",
        headers=headers,
        json={"method": "cash", "amount": order["total"]},
    )
    return site.api("POST", f"/api/orders/{order['id']}/close", headers=headers)  # type: ignore[no-any-return]


class _RefusingCloud(BaseHTTPRequestHandler):
    """A licensing cloud that knows no site: every heartbeat gets its 401."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"detail": "Unknown site or wrong key", "code": "SITE_AUTH_FAILED"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def refusing_cloud() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefusingCloud)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class TestReports:
    def test_the_z_report_shows_todays_revenue_with_a_bar_in_its_hour_and_the_orders_csv_holds_the_order(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        shift = site.api("POST", "/api/shifts/open", json={"float": 10_000})
        order = paid_order(site)
        assert order["status"] == "closed"
        settings = site.api("GET", "/api/settings")
        now = datetime.now(UTC).astimezone(ZoneInfo(settings["timezone"]))
        z = site.api("GET", "/api/reports/z")
        net_sales = z["totals"]["net_sales"]
        assert net_sales == order["total"] == 2300

        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site, "/reports")
        report = page.get_by_test_id("z-report")
        expect(report.get_by_test_id("z-state")).to_contain_text("Open")
        expect(report.get_by_test_id("figure-net-sales")).to_have_attribute("data-amount", str(net_sales))
        by_hour = report.get_by_test_id("chart-by-hour")
        expect(by_hour.get_by_test_id("chart-bar")).to_have_count(24)
        bar = by_hour.locator(f'[data-testid="chart-bar"][data-key="{now.hour}"]')
        expect(bar).to_have_attribute("data-value", str(net_sales))
        assert float(bar.get_attribute("height") or 0) > 0
        screenshot(page, "manager-reports")
        # The same numbers as a table, for a screen reader and for anyone who asks for them.
        by_hour.get_by_role("button", name="Show numbers").click()
        expect(by_hour.get_by_role("table")).to_be_visible()
        cash = page.get_by_test_id("chart-by-method").locator('[data-testid="chart-bar"][data-key="cash"]')
        expect(cash).to_have_attribute("data-value", str(net_sales))
        expect(page.get_by_test_id("figures-sales")).to_be_visible()

        tabs = page.get_by_role("navigation", name="Reports")
        # The open shift so far (X), and the same shift's summary from the list of shifts.
        tabs.get_by_role("link", name="Open shift (X)").click()
        x_report = page.get_by_test_id("x-report")
        expect(x_report.get_by_test_id("figure-net-sales")).to_have_attribute("data-amount", str(net_sales))
        tabs.get_by_role("link", name="Shifts").click()
        page.get_by_test_id(f"shift-report-{shift['id']}").click()
        shift_report = page.get_by_test_id("shift-report")
        expect(shift_report.get_by_test_id("figure-shift-revenue")).to_have_attribute("data-amount", str(net_sales))
        expect(shift_report.get_by_test_id("chart-by-hour").locator(f'[data-key="{now.hour}"]')).to_have_attribute(
            "data-value", str(net_sales)
        )

        tabs.get_by_role("link", name="Export CSV").click()
        today = now.date().isoformat()
        expect(page.get_by_test_id("export-from")).to_have_value(today)
        with page.expect_download() as download_info:
            page.get_by_test_id("export-orders").click()
        download = download_info.value
        assert download.suggested_filename == f"tavolo-orders-{today}_{today}.csv"
        path = download.path()
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        mine = [row for row in rows if row["order_id"] == str(order["id"])]
        assert len(mine) == 1, rows
        currency = settings["currency"]
        assert mine[0]["status"] == "closed"
        assert mine[0][f"total ({currency})"] == "23.00"
        expect(page.get_by_test_id("export-done")).to_contain_text(download.suggested_filename)

        # Closing the day numbers and freezes its Z report, after a confirmation; the appliance refuses while a
        # cash shift is open, and the dialog says so in its words.
        tabs.get_by_role("link", name="Day (Z)").click()
        page.get_by_test_id("z-print").click()
        expect(page.get_by_test_id("z-print-result")).to_contain_text("Sent to")
        page.get_by_test_id("z-close").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Print the Z report on the report printer").uncheck()
        dialog.get_by_test_id("close-day-confirm").click()
        with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
            refused = client.post("/api/reports/z/close", headers=site.manager_headers, json={"date": today})
        assert (refused.status_code, refused.json()["code"]) == (409, "SHIFT_OPEN")
        expect(dialog.get_by_test_id("close-day-error")).to_have_text(refused.json()["detail"])
        site.api("POST", "/api/shifts/close", json={"counted_cash": 10_000 + net_sales})
        dialog.get_by_test_id("close-day-confirm").click()
        expect(dialog).to_have_count(0)
        expect(page.get_by_test_id("z-state")).to_have_text("Closed · Z 1")
        closes = site.api("GET", "/api/reports/day-closes")
        assert [(c["number"], c["business_date"], c["net_sales"]) for c in closes] == [(1, today, net_sales)]
        tabs.get_by_role("link", name="Closed days").click()
        expect(page.get_by_test_id("day-closes-table").get_by_role("row")).to_have_count(2)
        assert console.uncaught == []


class TestSettings:
    def test_a_new_name_reaches_the_header_and_a_refused_activation_shows_the_appliances_words(
        self, appliance: Site, make_context: Callable[..., BrowserContext], refusing_cloud: str
    ) -> None:
        site = appliance
        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site, "/settings")

        name = page.get_by_label("Restaurant name")
        expect(name).to_have_value(site.api("GET", "/api/settings")["restaurant_name"])
        name.fill("Taverna Reports")
        page.get_by_label("Service charge (%)").fill("12.5")
        page.get_by_test_id("settings-save").click()
        expect(page.get_by_test_id("settings-saved")).to_be_visible()
        expect(page.locator(".topbar__brand")).to_have_text("Taverna Reports")
        saved = site.api("GET", "/api/settings")
        assert (saved["restaurant_name"], saved["service_charge_bp"]) == ("Taverna Reports", 1250)

        # A logo goes up as multipart, and what shows is the stored print image served by the appliance.
        image = io.BytesIO()
        logo = Image.new("L", (400, 120), 255)
        ImageDraw.Draw(logo).rectangle((20, 20, 380, 100), outline=0, width=8)
        ImageDraw.Draw(logo).ellipse((150, 35, 250, 85), fill=0)
        logo.save(image, format="PNG")
        page.get_by_label("New logo image").set_input_files(
            {"name": "logo.png", "mimeType": "image/png", "buffer": image.getvalue()}
        )
        page.get_by_test_id("logo-upload").click()
        stored = page.get_by_test_id("logo-stored")
        expect(stored).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=stored.element_handle())
        assert site.api("GET", "/api/settings")["logo_updated_at"] is not None

        license_panel = page.get_by_test_id("license-panel")
        expect(license_panel.get_by_test_id("license-state")).to_have_attribute("data-state", "trial")
        expect(license_panel.get_by_test_id("license-reason")).to_have_text(site.api("GET", "/api/license")["reason"])
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "manager-settings")

        body = {"site_id": "site_nobody", "site_key": "sk_wrong", "cloud_url": refusing_cloud}
        page.get_by_label("Site ID").fill(body["site_id"])
        page.get_by_label("Site key").fill(body["site_key"])
        page.get_by_label("Licensing cloud address (optional)").fill(body["cloud_url"])
        page.get_by_test_id("activate-submit").click()
        error = page.get_by_test_id("activate-error")
        expect(error).to_be_visible()
        with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
            refused = client.post("/api/license/activate", headers=site.manager_headers, json=body)
        assert refused.status_code == 400
        assert refused.json()["code"] == "LICENSE_ACTIVATION_FAILED"
        expect(error).to_have_text(refused.json()["detail"])
        assert "wrong key" in refused.json()["detail"]
        # Still on the trial: a refused key never replaces the configuration.
        expect(license_panel.get_by_test_id("license-state")).to_have_attribute("data-state", "trial")
        error.scroll_into_view_if_needed()
        screenshot(page, "manager-settings-license")
        assert console.uncaught == []
