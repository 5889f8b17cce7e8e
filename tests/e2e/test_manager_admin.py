"""The manager dashboard's admin screens in a real browser: staff, tables and sections, printers, kitchen screens.

What the server holds is read back through its API, a new PIN is proven by logging in with it, and what a printer
got is read from the fake printer's bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot, wait_for_tickets


def login_status(site: Site, username: str, pin: str) -> httpx.Response:
    with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
        return client.post("/api/auth/login", json={"username": username, "pin": pin})


def open_dashboard(site: Site, make_context: Callable[..., BrowserContext], path: str) -> tuple[Page, ConsoleLog]:
    page = tablet_context(make_context).new_page()
    console = ConsoleLog().attach(page)
    manager_sign_in(page, site, path)
    return page, console


class TestStaff:
    def test_a_new_waiter_gets_a_new_pin_and_signs_in_with_it(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page, console = open_dashboard(appliance, make_context, "/staff")
        page.get_by_test_id("staff-add").click()
        dialog = page.get_by_role("dialog", name="Add a staff member")
        dialog.get_by_label("Name", exact=True).fill("Sofia Papadaki")
        dialog.get_by_label("Username", exact=True).fill("sofia")
        dialog.get_by_label("Role").select_option("waiter")
        dialog.get_by_label("PIN", exact=True).fill("2468")
        dialog.get_by_role("button", name="Add").click()
        expect(dialog).to_have_count(0)
        row = page.get_by_test_id("staff-row-sofia")
        expect(row).to_contain_text("Sofia Papadaki")
        expect(row.get_by_test_id("staff-state")).to_have_text("Active")
        assert login_status(appliance, "sofia", "2468").status_code == 200

        row.get_by_test_id("staff-reset-pin").click()
        pin_dialog = page.get_by_role("dialog", name="New PIN for Sofia Papadaki")
        pin_dialog.get_by_label("New PIN").fill("12")
        pin_dialog.get_by_test_id("pin-save").click()
        expect(pin_dialog.get_by_text("Enter a PIN of 4 to 8 digits.")).to_be_visible()
        pin_dialog.get_by_label("New PIN").fill("9753")
        pin_dialog.get_by_test_id("pin-save").click()
        expect(pin_dialog.get_by_test_id("pin-changed")).to_be_visible()
        pin_dialog.get_by_test_id("pin-done").click()

        signed_in = login_status(appliance, "sofia", "9753")
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["user"]["display_name"] == "Sofia Papadaki"
        assert signed_in.json()["user"]["role"] == "waiter"
        assert login_status(appliance, "sofia", "2468").status_code == 401
        screenshot(page, "manager-staff")

        row.get_by_test_id("staff-deactivate").click()
        page.get_by_test_id("confirm-action").click()
        expect(row).to_have_count(0)
        assert login_status(appliance, "sofia", "9753").status_code == 401
        page.get_by_test_id("staff-show-inactive").check()
        expect(row.get_by_test_id("staff-state")).to_have_text("Deactivated")
        row.get_by_test_id("staff-reactivate").click()
        expect(row.get_by_test_id("staff-state")).to_have_text("Active")
        assert login_status(appliance, "sofia", "9753").status_code == 200
        assert console.uncaught == []


class TestTables:
    def test_tables_added_in_a_batch_are_listed_in_their_section(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page, console = open_dashboard(appliance, make_context, "/tables")
        terrace = next(g for g in appliance.api("GET", "/api/tables/groups") if g["name"] == "Terrace")
        section = page.get_by_test_id(f"section-{terrace['id']}")
        expect(section.get_by_test_id("table-row-21")).to_be_visible()

        page.get_by_test_id("batch-add").click()
        dialog = page.get_by_role("dialog", name="Add several tables")
        dialog.get_by_label("Name prefix").fill("P")
        dialog.get_by_label("How many").fill("3")
        dialog.get_by_label("First number").fill("40")
        dialog.get_by_label("Seats each").fill("2")
        dialog.get_by_label("Section").select_option(label="Terrace")
        expect(dialog.get_by_test_id("batch-preview")).to_have_text("Creates P40, P41, P42.")
        dialog.get_by_role("button", name="Add 3 tables").click()
        expect(dialog).to_have_count(0)

        for number in (40, 41, 42):
            expect(section.get_by_test_id(f"table-row-{number}")).to_contain_text(f"P{number}")
        created = {t["number"]: t for t in appliance.api("GET", "/api/tables/") if t["number"] >= 40}
        assert sorted(created) == [40, 41, 42]
        assert {(t["label"], t["seats"], t["group_id"]) for t in created.values()} == {
            ("P40", 2, terrace["id"]),
            ("P41", 2, terrace["id"]),
            ("P42", 2, terrace["id"]),
        }
        assert console.uncaught == []

    def test_a_table_being_served_is_not_deactivated_and_the_manager_reads_why(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page, _ = open_dashboard(appliance, make_context, "/tables")
        busy = page.get_by_test_id("table-row-6")
        expect(busy).to_contain_text("Open order")
        busy.get_by_test_id("table-deactivate").click()
        page.get_by_test_id("confirm-action").click()
        expect(page.get_by_test_id("confirm-error")).to_contain_text("open order")
        assert appliance.table(6)["is_active"] is True

        page.keyboard.press("Escape")
        free = page.get_by_test_id("table-row-5")
        free.get_by_test_id("table-deactivate").click()
        page.get_by_test_id("confirm-action").click()
        expect(free).to_have_count(0)
        assert all(t["number"] != 5 for t in appliance.api("GET", "/api/tables/"))


class TestPrinters:
    def test_the_kitchen_printer_is_online_a_test_page_prints_and_a_ticket_is_reprinted(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        moussaka = appliance.products["Moussaka"]["id"]
        order = appliance.open_order_with_items(2, [{"product_id": moussaka, "quantity": 1}])
        wait_for_tickets(appliance.kitchen, 1)

        page, console = open_dashboard(appliance, make_context, "/printers")
        row = page.get_by_test_id("printer-row-Kitchen")
        expect(row.get_by_test_id("printer-state")).to_have_text("Online", timeout=15_000)
        row.get_by_role("button", name="Test print on Kitchen").click()
        tickets = wait_for_tickets(appliance.kitchen, 2)
        assert any("TEST PAGE" in line for line in tickets[1].text_lines), tickets[1].text_lines
        expect(row.get_by_test_id("test-result")).to_have_attribute("data-status", "printed")
        screenshot(page, "manager-printers")

        page.get_by_role("link", name="Print log").click()
        test_job = page.locator("[data-kind='test']").first
        expect(test_job.get_by_test_id("job-status")).to_have_text("Printed")
        expect(test_job).to_contain_text("Kitchen")

        # One order's log, as the floor's order detail links to it.
        page.goto(appliance.url(f"/manager/printers/jobs?order={order['id']}"))
        ticket_row = page.locator("[data-kind='kitchen']")
        expect(ticket_row).to_have_count(1)
        expect(page.locator("[data-kind='test']")).to_have_count(0)
        ticket_row.get_by_test_id("job-reprint-button").click()
        reprinted = wait_for_tickets(appliance.kitchen, 3)[2]
        assert any("REPRINT" in line for line in reprinted.text_lines), reprinted.text_lines
        assert any("Moussaka" in line for line in reprinted.text_lines)
        expect(page.locator("[data-kind='kitchen'][data-reprint='yes']").get_by_test_id("job-reprint")).to_be_visible()
        jobs = appliance.print_jobs(order["id"])
        assert [(j["kind"], j["reprint"]) for j in jobs] == [("kitchen", False), ("kitchen", True)]
        assert console.uncaught == []

    def test_a_printer_is_added_with_the_kitchen_as_its_backup(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page, console = open_dashboard(appliance, make_context, "/printers")
        page.get_by_test_id("printer-add").click()
        dialog = page.get_by_role("dialog", name="Add a printer")
        dialog.get_by_label("Name", exact=True).fill("Pass")
        dialog.get_by_label("IP address").fill(appliance.bar.host)
        dialog.get_by_label("Port").fill(str(appliance.bar.port))
        dialog.get_by_label("Backup printer").select_option(label="Kitchen")
        dialog.get_by_role("button", name="Add printer").click()
        expect(dialog).to_have_count(0)
        expect(page.get_by_test_id("printer-row-Pass")).to_contain_text("Kitchen after 30 s")
        printers = {p["name"]: p for p in appliance.api("GET", "/api/printers/")}
        assert printers["Pass"]["backup_printer_id"] == printers["Kitchen"]["id"]
        assert (printers["Pass"]["code_page"], printers["Pass"]["code_page_slot"]) == ("cp737", 29)
        assert console.uncaught == []


class TestKitchenScreens:
    def test_pairing_a_screen_shows_its_code_and_a_qr_code_that_pair_it(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page, console = open_dashboard(appliance, make_context, "/printers/screens")
        expect(page.get_by_text("No kitchen screens paired")).to_be_visible()
        page.get_by_test_id("pair-screen").click()
        dialog = page.get_by_test_id("pair-dialog")
        expect(dialog).to_have_accessible_name("Pair a kitchen screen")
        dialog.get_by_label("Screen name").fill("Grill")
        dialog.get_by_label("Kitchen", exact=True).check()
        dialog.get_by_test_id("pair-create").click()

        expect(dialog).to_have_accessible_name("Pair Grill")
        code = dialog.get_by_test_id("pairing-code")
        expect(code).to_be_visible()
        token = code.get_attribute("data-code")
        assert token is not None
        assert re.fullmatch(r"kds_[A-Za-z0-9_-]{20,}", token)
        qr = dialog.get_by_role("img", name="QR code that pairs the screen Grill")
        expect(qr).to_be_visible()
        assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
        expect(dialog.get_by_test_id("pairing-link")).to_have_attribute(
            "href", appliance.url(f"/kitchen/?pair={token}")
        )
        screenshot(page, "manager-pairing")

        # The code is the screen's own credential: the kitchen API takes it.
        with httpx.Client(base_url=appliance.base_url, timeout=10.0) as client:
            resp = client.get("/api/kitchen/tickets", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 200, resp.text

        dialog.get_by_test_id("pair-done").click()
        expect(page.get_by_test_id("screens-table")).to_contain_text("Grill")
        page.get_by_role("button", name="Unpair Grill").click()
        page.get_by_test_id("confirm-action").click()
        expect(page.get_by_text("No kitchen screens paired")).to_be_visible()
        assert appliance.api("GET", "/api/kitchen/screens") == []
        assert console.uncaught == []
