"""The Inventory screens of the manager dashboard, against a real appliance in a 1280x800 tablet browser.

A supplier, a stock item and a recipe are made in the browser; the waiter then sells through the API until the stock
cannot make another dish, and the dashboard must show, without a reload, the item low and (on its menu) the dish 86'd
by the stock. A purchase order drafted from the low stock is edited and sent; a delivery received in the browser
brings the dish back, and a count with its reason lands in the audit trail. What the appliance holds is always read
back through its API, never through the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

SALAD = "Greek salad"
FETA = "Feta"
SUPPLIER = "Dodoni dairy"
PORTION_G = 150


def stock_item(site: Site, name: str) -> dict[str, Any] | None:
    rows: list[dict[str, Any]] = site.api("GET", "/api/inventory/items?all=true")
    found = [row for row in rows if row["name"] == name]
    return found[0] if found else None


def product(site: Site, product_id: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = site.api("GET", "/api/products/?all=true")
    return next(row for row in rows if row["id"] == product_id)


def sell_until_refused(site: Site, product_id: int, table: int) -> int:
    """The waiter adds the dish one at a time, as orders come, until the appliance refuses it; how many went in."""
    headers = site.waiter.headers
    order = site.api("POST", "/api/orders/", headers=headers, json={"table_id": site.tables[table]["id"], "guests": 4})
    sold = 0
    with httpx.Client(base_url=site.base_url, timeout=10.0, headers=headers) as client:
        for _ in range(20):
            resp = client.post(
                f"/api/orders/{order['id']}/items", json={"items": [{"product_id": product_id, "quantity": 1}]}
            )
            if resp.status_code // 100 != 2:
                assert resp.json()["code"] == "PRODUCT_UNAVAILABLE", resp.text
                return sold
            sold += 1
    raise AssertionError("the dish was never taken off the menu")


def open_tab(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Inventory").get_by_role("link", name=label, exact=True).click()


class TestInventory:
    def test_stock_and_a_recipe_86_a_dish_when_it_runs_out_and_a_delivery_brings_it_back(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        salad = site.products[SALAD]
        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site, "/inventory")

        # Ten screens in the main navigation, on one row of a 1280 px tablet.
        links = page.get_by_role("navigation", name="Main").get_by_role("link")
        expect(links).to_have_count(10)
        tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(10)) if box}
        assert len(tops) == 1, f"the navigation wraps at 1280 px: rows at {sorted(tops)}"

        # The supplier, with the email its purchase orders go to.
        open_tab(page, "Suppliers")
        page.get_by_test_id("supplier-add").click()
        page.get_by_test_id("supplier-name").fill(SUPPLIER)
        page.get_by_test_id("supplier-email").fill("orders@dodoni.example")
        page.get_by_test_id("supplier-save").click()
        expect(page.get_by_test_id("supplier-dialog")).to_be_hidden()
        supplier = site.api("GET", "/api/inventory/suppliers")[0]
        assert (supplier["name"], supplier["email"]) == (SUPPLIER, "orders@dodoni.example")

        # A stock item: 1 kg of feta typed in kg, its critical level in grams, its cost per kg, its supplier.
        open_tab(page, "Stock")
        page.get_by_test_id("stock-add").click()
        page.get_by_test_id("item-name").fill(FETA)
        expect(page.get_by_test_id("item-unit")).to_have_value("g")
        page.get_by_test_id("item-on-hand").fill("1")
        page.get_by_test_id("item-critical").fill("200 g")
        page.get_by_test_id("item-cost").fill("12.00")
        page.get_by_test_id("item-supplier").select_option(str(supplier["id"]))
        # A tenth of a gram is refused in words, and nothing is saved.
        page.get_by_test_id("item-critical").fill("0.2005")
        page.get_by_test_id("item-save").click()
        expect(page.get_by_test_id("item-dialog")).to_contain_text("At most 3 decimals in kg")
        assert stock_item(site, FETA) is None
        page.get_by_test_id("item-critical").fill("200 g")
        page.get_by_test_id("item-save").click()
        expect(page.get_by_test_id("item-dialog")).to_be_hidden()
        feta = wait_until(lambda: stock_item(site, FETA), what="the new stock item", page=page)
        assert (feta["unit"], feta["on_hand"], feta["critical_level"], feta["unit_cost"]) == ("g", 1000, 200, 1200)
        assert feta["supplier_id"] == supplier["id"]
        row = page.get_by_test_id(f"stock-row-{feta['id']}")
        expect(row.get_by_test_id("stock-on-hand")).to_have_text("1 kg")
        expect(row.get_by_test_id("stock-state")).to_have_attribute("data-state", "ok")

        # The salad's recipe: 150 g of feta a plate; the form shows what a plate costs against its price.
        open_tab(page, "Recipes")
        page.get_by_test_id("recipe-product").select_option(str(salad["id"]))
        page.get_by_test_id("recipe-line-add").click()
        page.get_by_test_id("recipe-line-item-0").select_option(str(feta["id"]))
        page.get_by_test_id("recipe-line-qty-0").fill(str(PORTION_G))
        # 150 g at €12.00/kg is €1.80 of a €9.00 salad.
        expect(page.get_by_test_id("recipe-summary-cost")).to_have_text("€1.80")
        expect(page.get_by_test_id("recipe-summary-margin")).to_have_text("€7.20 (80.0 %)")
        screenshot(page, "manager-inventory-recipe")
        page.get_by_test_id("recipe-save").click()
        expect(page.get_by_test_id("recipe-saved")).to_contain_text("€1.80")
        recipe = site.api("GET", f"/api/products/{salad['id']}/recipe")
        assert [(line["stock_item_id"], line["quantity"]) for line in recipe["lines"]] == [(feta["id"], PORTION_G)]
        assert recipe["cost"] == 180

        # Service: the stock page stays open while the waiter sells salads until the feta cannot make another.
        open_tab(page, "Stock")
        expect(row.get_by_test_id("stock-on-hand")).to_have_text("1 kg")
        sold = sell_until_refused(site, salad["id"], table=1)
        assert sold == 1000 // PORTION_G  # six plates; 100 g is left, less than a plate
        off = product(site, salad["id"])
        assert (off["is_available"], off["unavailable_reason"]) == (False, "stock")
        low = stock_item(site, FETA) or {}
        assert (low["on_hand"], low["is_low"]) == (100, True)
        # Live, without a reload: what is left, the item low, and the count in the alerts banner.
        expect(row.get_by_test_id("stock-on-hand")).to_have_text("100 g")
        expect(row.get_by_test_id("stock-state")).to_have_attribute("data-state", "low")
        expect(row.get_by_test_id("stock-state")).to_have_text("Low")
        expect(page.get_by_test_id("alerts-low-stock")).to_have_text("1 item low on stock")
        screenshot(page, "manager-inventory-stock-low")

        # The dashboard's menu shows the salad 86'd by the stock, in words.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Menu", exact=True).click()
        page.get_by_test_id(f"category-pick-{site.categories['Kitchen']['id']}").click()
        switch = page.get_by_test_id(f"availability-{salad['id']}")
        expect(switch).to_have_attribute("aria-checked", "false")
        expect(switch).to_contain_text("86 — out of stock")
        screenshot(page, "manager-menu-86-stock")

        # A purchase order for the supplier from what is low: opened, its quantity typed in kg, sent.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Inventory", exact=True).click()
        open_tab(page, "Purchase orders")
        page.get_by_test_id("po-suggest").click()
        drafts = wait_until(
            lambda: site.api("GET", "/api/inventory/purchase-orders?status=draft"), what="a draft", page=page
        )
        assert [(d["supplier_id"], [line["stock_item_id"] for line in d["lines"]]) for d in drafts] == [
            (supplier["id"], [feta["id"]])
        ]
        draft = drafts[0]
        po_row = page.get_by_test_id(f"po-row-{draft['id']}")
        expect(po_row).to_contain_text(SUPPLIER)
        expect(po_row.get_by_test_id("po-status")).to_have_text("Draft")
        po_row.get_by_test_id("po-open").click()
        expect(page.get_by_test_id("po-supplier")).to_have_value(str(supplier["id"]))
        expect(page.get_by_test_id("po-line-item-0")).to_have_value(str(feta["id"]))
        page.get_by_test_id("po-line-qty-0").fill("2")
        page.get_by_test_id("po-save").click()
        expect(page.get_by_test_id("po-notice")).to_have_text("Draft saved.")
        screenshot(page, "manager-inventory-purchase-order")
        page.get_by_test_id("po-send").click()
        expect(page.get_by_test_id("po-send-dialog")).to_contain_text(SUPPLIER)
        page.get_by_test_id("po-send-only").click()
        expect(page.get_by_test_id("po-send-dialog")).to_be_hidden()
        sent = site.api("GET", f"/api/inventory/purchase-orders/{draft['id']}")
        assert (sent["status"], [(line["quantity"], line["unit_cost"]) for line in sent["lines"]]) == (
            "sent",
            [(2000, 1200)],
        )
        expect(page.get_by_test_id("po-sheet").get_by_test_id("po-status")).to_have_text("Sent")
        # Printed on the site's printer, and saved as the appliance's CSV (kilos, as the supplier quotes them).
        page.get_by_test_id("po-print").click()
        expect(page.get_by_test_id("po-notice")).to_contain_text("Printing on")
        with page.expect_download() as po_download:
            page.get_by_test_id("po-csv").click()
        assert po_download.value.suggested_filename == f"tavolo-purchase-order-{sent['number']}.csv"
        po_rows = list(csv.DictReader(io.StringIO(po_download.value.path().read_text(encoding="utf-8-sig"))))
        assert [(r["item"], r["quantity"], r["unit"]) for r in po_rows] == [(FETA, "2", "kg")]
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("po-sheet")).to_be_hidden()

        # A delivery of 2 kg received in the browser: the stock is in and the salad is back on the menu.
        open_tab(page, "Deliveries")
        page.get_by_test_id("delivery-new").click()
        page.get_by_test_id("delivery-supplier").select_option(str(supplier["id"]))
        page.get_by_test_id("delivery-line-item-0").select_option(str(feta["id"]))
        page.get_by_test_id("delivery-line-qty-0").fill("2 kg")
        page.get_by_test_id("delivery-line-cost-0").fill("12.50")
        page.get_by_test_id("delivery-save").click()
        expect(page.get_by_test_id("delivery-dialog")).to_be_hidden()
        wait_until(lambda: product(site, salad["id"])["is_available"], what="the salad back on the menu", page=page)
        back = product(site, salad["id"])
        assert back["unavailable_reason"] is None
        feta = stock_item(site, FETA) or {}
        assert (feta["on_hand"], feta["unit_cost"], feta["is_low"]) == (2100, 1250, False)
        deliveries = site.api("GET", "/api/inventory/deliveries")
        assert [(d["lines"][0]["stock_item_id"], d["lines"][0]["quantity"]) for d in deliveries] == [(feta["id"], 2000)]
        assert deliveries[0]["supplier_id"] == supplier["id"]
        expect(page.get_by_test_id(f"delivery-row-{deliveries[0]['id']}")).to_contain_text("Feta 2 kg")
        expect(page.get_by_test_id("alerts-low-stock")).to_have_count(0)

        # A count of 2.05 kg with its reason: the differences are shown before anything is saved.
        open_tab(page, "Count")
        page.get_by_test_id(f"count-input-{feta['id']}").fill("2.05")
        expect(page.get_by_test_id(f"count-row-{feta['id']}").get_by_test_id("count-delta")).to_have_text("-50 g")
        page.get_by_test_id("count-reason").fill("Weekly count")
        page.get_by_test_id("count-review").click()
        confirm = page.get_by_test_id("count-confirm")
        expect(confirm.get_by_test_id(f"count-difference-{feta['id']}")).to_contain_text("-50 g")
        assert stock_item(site, FETA)["on_hand"] == 2100  # type: ignore[index]
        screenshot(page, "manager-inventory-count-review")
        page.get_by_test_id("count-confirm-confirm").click()
        expect(page.get_by_test_id("count-saved")).to_contain_text("1 item counted, 1 changed")
        assert stock_item(site, FETA)["on_hand"] == 2050  # type: ignore[index]
        events = site.api("GET", "/api/audit/?action=inventory.counted")
        assert len(events) == 1
        event = events[0]
        assert (event["entity_type"], event["entity_id"]) == ("stock_item", feta["id"])
        assert event["actor_name"]
        assert {k: event["data"][k] for k in ("reason", "previous", "counted", "delta")} == {
            "reason": "Weekly count",
            "previous": 2100,
            "counted": 2050,
            "delta": -50,
        }

        # The forecast lists the item with its status in words.
        open_tab(page, "Forecast")
        forecast_row = page.get_by_test_id(f"forecast-row-{feta['id']}")
        expect(forecast_row.get_by_test_id("forecast-status")).to_have_attribute("data-status", "ok")
        expect(forecast_row.get_by_test_id("forecast-status")).to_contain_text("OK")
        expect(forecast_row).to_contain_text("2.05 kg")
        with page.expect_download() as download_info:
            page.get_by_test_id("forecast-csv").click()
        download = download_info.value
        assert re.fullmatch(r"tavolo-forecast-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
        rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
        assert [(r["item"], r["unit"], r["on_hand"], r["status"]) for r in rows] == [(FETA, "kg", "2.05", "ok")]
        screenshot(page, "manager-inventory-forecast")
        assert console.uncaught == []
