"""The manager's menu editor in a real browser: a new product reaches a waiter's phone live, an 86 takes it off
again, categories are reordered from the keyboard, and a non-empty category cannot be deleted.

Two browser contexts (a tablet and a phone) share nothing but the appliance; what the server holds is read back
through the API.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot, sign_in, wait_until

NEW_PRODUCT = "Kleftiko"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


def products_named(site: Site, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = site.api("GET", "/api/products/?all=true")
    return [row for row in rows if row["name"] == name]


def category_order(site: Site) -> list[str]:
    return [row["name"] for row in site.api("GET", "/api/products/categories?all=true")]


def waiter_on_an_order_screen(phone: Page, site: Site, table: int) -> None:
    """The waiter opens a free table and looks at the Kitchen menu, as during service."""
    sign_in(phone, site)
    phone.get_by_test_id(f"table-{table}").click()
    phone.get_by_test_id("guests-input").fill("2")
    phone.get_by_test_id("open-order").click()
    phone.get_by_test_id(f"category-{site.categories['Kitchen']['id']}").click()
    expect(phone.get_by_test_id(f"product-{site.products['Moussaka']['id']}")).to_be_visible()


class TestMenuReachesThePhones:
    def test_a_new_product_appears_on_a_waiters_phone_and_an_86_takes_it_off_without_reload(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        phone = make_context().new_page()
        phone_console = ConsoleLog().attach(phone)
        waiter_on_an_order_screen(phone, site, table=1)

        tablet = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(tablet)
        manager_sign_in(tablet, site, "/menu")
        kitchen = site.categories["Kitchen"]["id"]
        tablet.get_by_test_id(f"category-pick-{kitchen}").click()
        expect(tablet.get_by_test_id(f"product-row-{site.products['Moussaka']['id']}")).to_be_visible()

        # The form: name, price as typed, an option with its extra cost, and a photo previewed before saving.
        tablet.get_by_test_id("product-new").click()
        dialog = tablet.get_by_test_id("product-dialog")
        expect(dialog).to_be_visible()
        expect(tablet.get_by_test_id("product-category")).to_have_value(str(kitchen))
        tablet.get_by_test_id("product-name").fill(NEW_PRODUCT)
        tablet.get_by_test_id("product-price").fill("16.50")
        tablet.get_by_test_id("product-description").fill("Lamb slow-baked in paper")
        tablet.get_by_test_id("option-add").click()
        tablet.get_by_test_id("option-name-0").fill("Extra lemon")
        tablet.get_by_test_id("option-cost-0").fill("1,20")
        photo: FilePayload = {"name": "kleftiko.png", "mimeType": "image/png", "buffer": png_bytes()}
        tablet.get_by_test_id("image-input").set_input_files(files=[photo])
        preview = tablet.get_by_test_id("image-preview")
        expect(preview).to_have_attribute("src", re.compile(r"^blob:"))
        wait_until(
            lambda: preview.evaluate("img => img.complete && img.naturalWidth === 64"),
            what="the photo's preview",
            page=tablet,
        )
        # Nothing is saved before the manager says so.
        assert products_named(site, NEW_PRODUCT) == []
        # The picture: the form from its top (basics and the photo's preview side by side).
        dialog.locator(".ui-sheet__body").evaluate("body => body.scrollTo(0, 0)")
        screenshot(tablet, "manager-product-form")
        tablet.get_by_test_id("product-save").click()
        expect(dialog).to_be_hidden()

        created = wait_until(lambda: products_named(site, NEW_PRODUCT), what="the new product", page=tablet)[0]
        assert created["category_id"] == kitchen
        assert created["base_price"] == 1650
        assert created["description"] == "Lamb slow-baked in paper"
        assert [(o["name"], o["extra_cost"]) for o in created["options"]] == [("Extra lemon", 120)]
        assert created["is_available"] is True
        assert created["image_url"]
        assert "?v=" in created["image_url"]
        # The photo the manager sees is the stored one, under its versioned URL.
        row = tablet.get_by_test_id(f"product-row-{created['id']}")
        expect(row).to_contain_text("€16.50")
        expect(row.locator("img")).to_have_attribute("src", created["image_url"])

        # The phone shows it without a reload (the menu.changed event), at the end of its category.
        on_phone = phone.get_by_test_id(f"product-{created['id']}")
        expect(on_phone).to_be_visible()
        expect(on_phone).to_contain_text("16.50")
        expect(phone.locator(".ord-product").last).to_have_attribute("data-testid", f"product-{created['id']}")

        # 86: the state in words at once, and the dish leaves the phone's menu.
        switch = tablet.get_by_test_id(f"availability-{created['id']}")
        expect(switch).to_have_attribute("aria-checked", "true")
        switch.click()
        expect(switch).to_have_attribute("aria-checked", "false")
        expect(switch).to_contain_text("Sold out")
        expect(on_phone).to_have_count(0)
        wait_until(
            lambda: products_named(site, NEW_PRODUCT)[0]["is_available"] is False,
            what="the product 86'd on the server",
            page=tablet,
        )
        # Still on the manager's menu (to be put back later), and back on the phone when it is.
        expect(row).to_be_visible()
        screenshot(tablet, "manager-menu-86")
        switch.click()
        expect(switch).to_contain_text("Available")
        expect(on_phone).to_be_visible()
        assert console.uncaught == []
        assert phone_console.uncaught == []


class TestCategories:
    def test_categories_are_reordered_from_the_keyboard(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        first, second = category_order(site)
        tablet = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(tablet)
        manager_sign_in(tablet, site, "/menu")
        rows = tablet.get_by_test_id("category-list").locator("li")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text(first)

        # Space picks the second category up, the arrow moves it above the first, Space drops it.
        handle = tablet.get_by_test_id(f"move-category-{site.categories[second]['id']}")
        handle.focus()
        # A person's pace between keys: the list measures itself once an item is picked up.
        for key in ("Space", "ArrowUp", "Space"):
            tablet.keyboard.press(key)
            tablet.wait_for_timeout(250)

        wait_until(lambda: category_order(site) == [second, first], what="the new order on the server", page=tablet)
        expect(rows.nth(0)).to_contain_text(second)
        # The waiters' menu follows the same order.
        waiter_tabs = [row["name"] for row in site.api("GET", "/api/products/categories", headers=site.waiter.headers)]
        assert waiter_tabs == [second, first]
        expect(handle).to_be_focused()
        screenshot(tablet, "manager-menu")
        assert console.uncaught == []

    def test_a_category_with_products_is_not_deleted_and_the_reason_is_shown(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        tablet = tablet_context(make_context).new_page()
        manager_sign_in(tablet, site, "/menu")
        bar = site.categories["Bar"]["id"]
        tablet.get_by_test_id(f"category-edit-{bar}").click()
        tablet.get_by_test_id("category-delete").click()
        tablet.get_by_test_id("category-delete-dialog-confirm").click()
        expect(tablet.get_by_test_id("category-delete-dialog-error")).to_contain_text("still belong to this category")
        assert "Bar" in category_order(site)


class TestEditingAProduct:
    def test_an_edit_keeps_the_existing_options_and_adds_a_required_preference(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        moussaka = site.products["Moussaka"]
        tablet = tablet_context(make_context).new_page()
        manager_sign_in(tablet, site, "/menu")
        tablet.get_by_test_id(f"category-pick-{site.categories['Kitchen']['id']}").click()
        tablet.get_by_test_id(f"product-edit-{moussaka['id']}").click()
        expect(tablet.get_by_test_id("product-price")).to_have_value("14.00")
        expect(tablet.get_by_test_id("option-name-0")).to_have_value("Extra cheese")

        tablet.get_by_test_id("product-price").fill("14.5")
        tablet.get_by_test_id("product-tax").fill("13")
        tablet.get_by_test_id("set-add").click()
        tablet.get_by_test_id("set-name-0").fill("Portion")
        tablet.get_by_test_id("set-required-0").check()
        tablet.get_by_test_id("choice-name-0-0").fill("Full")
        tablet.get_by_test_id("choice-add-0").click()
        tablet.get_by_test_id("choice-name-0-1").fill("Half")
        tablet.get_by_test_id("choice-delta-0-1").fill("-5")
        # A choice without a name is refused in the form, naming what is missing; nothing is sent.
        tablet.get_by_test_id("choice-add-0").click()
        tablet.get_by_test_id("product-save").click()
        expect(tablet.get_by_test_id("product-form-problem")).to_contain_text("choice 3: enter its name")
        expect(tablet.get_by_test_id("choice-name-0-2")).to_be_focused()
        tablet.get_by_role("button", name="Remove choice 3").click()
        tablet.get_by_test_id("product-save").click()
        expect(tablet.get_by_test_id("product-dialog")).to_be_hidden()

        edited = site.api("GET", f"/api/products/{moussaka['id']}")
        assert edited["base_price"] == 1450
        assert edited["tax_rate_bp"] == 1300
        # The option kept its id (orders and reports that name it stay linked), the ingredients are untouched.
        assert [(o["id"], o["name"], o["extra_cost"]) for o in edited["options"]] == [
            (moussaka["options"][0]["id"], "Extra cheese", 150)
        ]
        assert [i["id"] for i in edited["ingredients"]] == [i["id"] for i in moussaka["ingredients"]]
        [portion] = edited["preference_sets"]
        assert portion["name"] == "Portion"
        assert portion["is_required"] is True
        assert [(c["name"], c["price_delta"]) for c in portion["choices"]] == [("Full", 0), ("Half", -500)]
        expect(tablet.get_by_test_id(f"product-row-{moussaka['id']}")).to_contain_text("€14.50")


class TestAllergens:
    def test_the_allergens_a_manager_ticks_are_saved_and_a_guest_sees_them(
        self, appliance: Site, web_build: Path, make_context: Callable[..., BrowserContext]
    ) -> None:
        if not (web_build.parent / "guest" / "index.html").is_file():
            pytest.fail("the guest app is not built: run make web-build")
        site = appliance
        moussaka = site.products["Moussaka"]
        assert moussaka["allergens"] == []
        tablet = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(tablet)
        manager_sign_in(tablet, site, "/menu")
        tablet.get_by_test_id(f"category-pick-{site.categories['Kitchen']['id']}").click()
        tablet.get_by_test_id(f"product-edit-{moussaka['id']}").click()
        allergens = tablet.get_by_role("group", name="Allergens")
        expect(allergens.get_by_role("checkbox")).to_have_count(14)
        # Ticked out of the menu's order: the appliance stores them in the canonical one.
        for label in ("Milk", "Gluten", "Eggs"):
            allergens.get_by_label(label, exact=True).check()
        tablet.get_by_test_id("product-save").click()
        expect(tablet.get_by_test_id("product-dialog")).to_be_hidden()
        assert site.api("GET", f"/api/products/{moussaka['id']}")["allergens"] == ["gluten", "eggs", "milk"]

        # Reopened, the editor shows them ticked.
        tablet.get_by_test_id(f"product-edit-{moussaka['id']}").click()
        expect(allergens.get_by_label("Gluten", exact=True)).to_be_checked()
        expect(allergens.get_by_label("Sesame", exact=True)).not_to_be_checked()
        allergens.scroll_into_view_if_needed()
        screenshot(tablet, "manager-allergens")
        assert console.uncaught == []

        # A guest scanning a table's code reads them on the dish's card and in its sheet.
        token = site.api("GET", f"/api/tables/{site.tables[2]['id']}/qr")["token"]
        phone = make_context().new_page()
        phone.goto(site.url(f"/t/{token}"))
        phone.get_by_test_id("nickname-input").fill("Ann")
        phone.get_by_test_id("nickname-save").click()
        card = phone.locator(f'[data-testid="product-card"][data-product-id="{moussaka["id"]}"]')
        expect(card.get_by_test_id("card-allergens")).to_have_text("Allergens: Gluten, Eggs, Milk")
        card.click()
        expect(phone.get_by_test_id("product-allergens")).to_have_text("Allergens: Gluten, Eggs, Milk")
        screenshot(phone, "guest-allergens")
