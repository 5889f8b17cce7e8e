"""The manager's live floor in a real browser: the floor-plan editor (drag, save, reload) and a table's order
served by a waiter through the API showing up live, with the manager cancelling an item and reassigning it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot, wait_until

UNIT_PX = 44  # the plan's grid step (features/floor/model/layout.ts)
LIVE_MS = 10_000
TIMES = "\N{MULTIPLICATION SIGN}"  # between an item's quantity and its name


def drag_by(page: Page, test_id: str, dx: float, dy: float) -> None:
    """Press the mouse on the tile, move it in small steps (as a hand does), release."""
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=12)
    page.mouse.up()


def expect_at(page: Page, number: int, x: int, y: int) -> None:
    tile = page.get_by_test_id(f"floor-table-{number}")
    expect(tile).to_have_attribute("data-x", str(x))
    expect(tile).to_have_attribute("data-y", str(y))


def line(site: Site, product: str, quantity: int = 1) -> dict[str, Any]:
    return {
        "product_id": site.products[product]["id"],
        "quantity": quantity,
        "option_ids": [],
        "removed_ingredient_ids": [],
        "choice_ids": [],
        "note": None,
        "seat": None,
        "course": 1,
    }


class TestFloorPlanEditor:
    def test_a_table_dragged_with_the_mouse_is_saved_and_stays_there_after_a_reload(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site)

        # New tables (all saved at 0,0) are laid out in a row, one unit of aisle between them.
        expect_at(page, 1, 0, 0)
        expect_at(page, 2, 4, 0)
        expect_at(page, 3, 8, 0)

        page.get_by_test_id("layout-edit").click()
        expect(page.get_by_test_id("layout-editing")).to_be_visible()
        drag_by(page, "floor-table-2", 1 * UNIT_PX + 6, 4 * UNIT_PX - 7)
        expect_at(page, 2, 5, 4)

        # A drop on another table does not stick: T3 goes back to the last free place it passed.
        drag_by(page, "floor-table-3", -8 * UNIT_PX, 0)
        expect_at(page, 3, 3, 0)

        # The keyboard moves a focused table too.
        page.get_by_test_id("floor-table-4").focus()
        page.keyboard.press("ArrowDown")
        expect_at(page, 4, 12, 1)
        screenshot(page, "manager-floor-editor")

        page.get_by_test_id("layout-save").click()
        expect(page.get_by_test_id("layout-editing")).to_have_count(0)
        expect_at(page, 2, 5, 4)

        # The appliance holds the new places, and the automatic places of the tables nobody moved.
        saved = wait_until(lambda: t if (t := site.table(2))["pos_y"] == 4 else None, what="T2 saved", page=page)
        assert (saved["pos_x"], saved["pos_y"]) == (5, 4)
        assert (site.table(3)["pos_x"], site.table(3)["pos_y"]) == (3, 0)
        assert (site.table(4)["pos_x"], site.table(4)["pos_y"]) == (12, 1)
        assert (site.table(5)["pos_x"], site.table(5)["pos_y"]) == (16, 0)

        page.reload()
        expect_at(page, 2, 5, 4)
        one = page.get_by_test_id("floor-table-1").bounding_box()
        two = page.get_by_test_id("floor-table-2").bounding_box()
        assert one is not None
        assert two is not None
        assert (round(two["x"] - one["x"]), round(two["y"] - one["y"])) == (5 * UNIT_PX, 4 * UNIT_PX)

        # Cancel leaves the saved plan as it was.
        page.get_by_test_id("layout-edit").click()
        drag_by(page, "floor-table-1", 0, 8 * UNIT_PX)
        expect_at(page, 1, 0, 8)
        page.get_by_test_id("layout-cancel").click()
        expect_at(page, 1, 0, 0)
        assert (site.table(1)["pos_x"], site.table(1)["pos_y"]) == (0, 0)
        assert console.uncaught == []


class TestLiveFloorAndOrderDetail:
    def test_a_waiters_order_appears_live_and_the_manager_cancels_an_item_and_reassigns_it(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site)
        tile = page.get_by_test_id("floor-table-3")
        expect(tile).to_have_attribute("data-state", "free")

        # A waiter serves table 3 from their phone (here: through the API); the manager's floor follows.
        order = site.open_order_with_items(3, [line(site, "Moussaka", 2), line(site, "Tzatziki")], guests=3)
        expect(tile).to_have_attribute("data-state", "open", timeout=LIVE_MS)
        expect(page.get_by_test_id("floor-table-3-state")).to_have_text("Occupied")
        expect(page.get_by_test_id("floor-table-3-waiter")).to_have_text("Waiter 1")
        expect(page.get_by_test_id("floor-table-3-total")).to_have_attribute("data-amount", str(order["total"]))
        expect(tile).to_contain_text("3")
        screenshot(page, "manager-floor")

        tile.click()
        expect(page).to_have_url(site.url(f"/manager/orders/{order['id']}"))
        detail = page.get_by_test_id("order-detail")
        expect(detail.get_by_test_id("order-waiter")).to_have_text("Waiter 1")
        expect(detail.get_by_test_id("order-guests")).to_have_text("3")
        tzatziki = next(item for item in order["items"] if item["product_name"] == "Tzatziki")
        row = detail.get_by_test_id(f"order-item-{tzatziki['id']}")
        expect(row).to_contain_text(f"1 {TIMES} Tzatziki")

        # Cancel an item with a reason: it shows cancelled, the history says who and why, the bill goes down.
        row.get_by_test_id(f"order-item-{tzatziki['id']}-cancel").click()
        sheet = page.get_by_test_id("cancel-item-sheet")
        sheet.get_by_test_id("reason-confirm").click()
        expect(sheet.get_by_text("Say why")).to_be_visible()
        sheet.get_by_label("Reason", exact=True).fill("Sent to the wrong table")
        sheet.get_by_test_id("reason-confirm").click()
        expect(sheet).to_have_count(0)
        expect(row).to_have_attribute("data-status", "cancelled")
        expect(detail.get_by_test_id(f"order-item-{tzatziki['id']}-status")).to_have_text("Cancelled")
        expect(detail.get_by_test_id(f"order-item-{tzatziki['id']}-cancelled")).to_contain_text(
            "Sent to the wrong table"
        )
        history = detail.get_by_test_id("order-history")
        cancelled_line = history.locator('[data-action="order.item_cancelled"]')
        expect(cancelled_line).to_contain_text(f"cancelled 1 {TIMES} Tzatziki")
        expect(cancelled_line).to_contain_text("reason: Sent to the wrong table")
        expect(history.locator('[data-action="order.items_added"]')).to_contain_text("Waiter 1")
        served = site.order(order["id"])
        voided = next(item for item in served["items"] if item["id"] == tzatziki["id"])
        assert (voided["status"], voided["cancel_reason"]) == ("cancelled", "Sent to the wrong table")
        expect(page.get_by_test_id("floor-table-3-total")).to_have_attribute("data-amount", str(served["total"]))

        # Hand the table to the other waiter: the detail and the floor both say so.
        detail.get_by_test_id("reassign-open").click()
        reassign = page.get_by_test_id("reassign-sheet")
        reassign.get_by_label("Waiter", exact=True).select_option(label="Waiter 2")
        reassign.get_by_test_id("reassign-submit").click()
        expect(reassign).to_have_count(0)
        expect(detail.get_by_test_id("order-waiter")).to_have_text("Waiter 2")
        expect(page.get_by_test_id("floor-table-3-waiter")).to_have_text("Waiter 2", timeout=LIVE_MS)
        expect(history.locator('[data-action="order.reassigned"]')).to_contain_text(
            "handed the order from Waiter 1 to Waiter 2"
        )
        assert site.order(order["id"])["waiter_id"] == site.other_waiter.id
        # The kitchen ticket is in the print log, with its void after it.
        expect(detail.get_by_test_id("order-print-jobs")).to_contain_text("Void ticket")
        detail.get_by_test_id("order-items").scroll_into_view_if_needed()
        screenshot(page, "manager-order-detail")

        # Reprint the kitchen ticket, and print the bill: both join the order's print log.
        kitchen_job = next(job for job in site.print_jobs(order["id"]) if job["kind"] == "kitchen")
        detail.get_by_test_id(f"print-job-{kitchen_job['id']}-reprint").click()
        detail.get_by_test_id("print-open").click()
        printing = page.get_by_test_id("print-sheet")
        printing.get_by_label("Printer", exact=True).select_option(label="Kitchen")
        printing.get_by_test_id("print-submit").click()
        expect(printing).to_have_count(0)
        expect(detail.get_by_test_id("order-action-done")).to_have_text("Bill sent to Kitchen.")
        log = detail.get_by_test_id("order-print-jobs")
        expect(log).to_contain_text("reprint")
        expect(log.locator("tr", has_text="Bill")).to_contain_text("Printed")
        jobs = site.print_jobs(order["id"])
        assert any(job["reprint_of_id"] == kitchen_job["id"] for job in jobs)
        assert any(job["kind"] == "bill" for job in jobs)
        assert console.uncaught == []
