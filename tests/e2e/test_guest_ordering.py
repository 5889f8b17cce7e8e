"""Guests order from their own phones (issue 9): two phones on one table's QR code share one cart live, a waiter
confirms what they send, the kitchen gets a ticket marked GUEST, and both phones follow the items' progress.

The phones are the built guest app (/t/<token>) in two phone contexts; the waiter and the kitchen act through the
API, as their apps do. What the server holds is checked through its API, never through a page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.support import ConsoleLog, Site, screenshot, sign_in, wait_for_tickets

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

# Another phone's change on screen: the guest socket pushes within milliseconds of the commit.
LIVE_MS = 1_000
TABLE = 3
MOUSSAKA = "Moussaka"
SALAD = "Greek salad"
TZATZIKI = "Tzatziki"
SOUVLAKI = "Souvlaki pork"


@pytest.fixture(autouse=True)
def guest_build(web_build: Path) -> Path:
    """The guest app, built beside the waiter app (`make web-build` builds every app; half a build is an error)."""
    guest = web_build.parent / "guest"
    if not (guest / "index.html").is_file():
        pytest.fail(f"the guest app is not built ({guest / 'index.html'} missing): run make web-build")
    return guest


def table_token(site: Site, number: int) -> str:
    """The table's QR code token, as the manager's printable sheet gets it."""
    qr: dict[str, Any] = site.api("GET", f"/api/tables/{site.tables[number]['id']}/qr")
    return str(qr["token"])


def open_phone(
    make_context: Callable[..., BrowserContext], site: Site, token: str, nickname: str, **options: Any
) -> tuple[Page, ConsoleLog]:
    """A guest scans the code, picks a nickname and lands on the live menu."""
    page = make_context(**options).new_page()
    console = ConsoleLog().attach(page)
    page.goto(site.url(f"/t/{token}"))
    page.get_by_test_id("nickname-input").fill(nickname)
    page.get_by_test_id("nickname-save").click()
    expect(page.get_by_test_id("guest-menu")).to_be_visible()
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-live", "on")
    return page, console


def card(page: Page, site: Site, name: str) -> Locator:
    return page.locator(f'[data-testid="product-card"][data-product-id="{site.products[name]["id"]}"]')


def open_product(page: Page, site: Site, name: str) -> None:
    card(page, site, name).click()
    expect(page.get_by_test_id("product-sheet")).to_be_visible()


def add(page: Page, site: Site, name: str) -> None:
    """Open the product, add one to the cart, and wait for the appliance's answer (the sheet closes)."""
    open_product(page, site, name)
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("product-sheet")).to_be_hidden()


def cart_count(page: Page) -> Locator:
    return page.get_by_test_id("cart-count")


class TestTwoPhonesShareOneCart:
    def test_guests_order_together_the_waiter_confirms_and_both_follow_the_kitchen(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        token = table_token(site, TABLE)
        anna, anna_console = open_phone(make_context, site, token, "Anna")
        nikos, nikos_console = open_phone(make_context, site, token, "Νίκος", locale="el-GR")
        # The Greek phone reads the app in Greek, the other in English.
        expect(nikos.get_by_test_id("tab-menu")).to_have_text("Μενού")
        expect(anna.get_by_test_id("tab-menu")).to_have_text("Menu")
        # Allergen information is on the card before anything is opened.
        expect(card(anna, site, MOUSSAKA)).to_contain_text("Ingredients: Onion, Bechamel")
        screenshot(anna, "guest-menu")

        # Each phone sees the other's line within a second.
        add(anna, site, MOUSSAKA)
        expect(cart_count(nikos)).to_have_attribute("data-count", "1", timeout=LIVE_MS)
        add(nikos, site, SALAD)
        expect(cart_count(anna)).to_have_attribute("data-count", "2", timeout=LIVE_MS)

        # Both add at the same moment: neither line is lost, and both phones agree.
        open_product(anna, site, TZATZIKI)
        open_product(nikos, site, SOUVLAKI)
        doneness = site.products[SOUVLAKI]["preference_sets"][0]["choices"][0]["id"]
        expect(nikos.get_by_test_id("add-to-cart")).to_be_disabled()  # the required choice is missing
        nikos.get_by_test_id(f"choice-{doneness}").check()
        anna.get_by_test_id("add-to-cart").click(no_wait_after=True)
        nikos.get_by_test_id("add-to-cart").click(no_wait_after=True)
        for phone in (anna, nikos):
            expect(cart_count(phone)).to_have_attribute("data-count", "4", timeout=5_000)
        cart = site.api("GET", f"/api/guest/{token}/cart", headers={})
        assert sorted((line["product_name"], line["nickname"]) for line in cart["lines"]) == sorted(
            [(MOUSSAKA, "Anna"), (SALAD, "Νίκος"), (TZATZIKI, "Anna"), (SOUVLAKI, "Νίκος")]
        )

        # The cart says who added what; Anna sends it to the waiter.
        anna.get_by_test_id("cart-bar").click()
        lines = anna.get_by_test_id("cart-line")
        expect(lines).to_have_count(4)
        expect(anna.locator('[data-testid="cart-line"][data-nickname="Νίκος"]')).to_have_count(2)
        expect(anna.get_by_test_id("send-cart")).to_contain_text("Send to your waiter")
        screenshot(anna, "guest-cart")
        anna.get_by_test_id("send-cart").click()
        for phone in (anna, nikos):
            expect(phone.get_by_test_id("submission-status")).to_have_attribute("data-status", "pending")
            expect(phone.get_by_test_id("cart-bar")).to_be_hidden()
        expect(anna.get_by_test_id("submission-status")).to_contain_text("Waiting for your waiter to confirm")

        # The waiter confirms on the waiter app; the kitchen printer gets a ticket marked GUEST.
        waiter = make_context().new_page()
        sign_in(waiter, site)
        waiter.get_by_test_id("guest-submission").click()
        waiter.get_by_test_id("guest-submission-sheet").get_by_test_id("guest-submission-accept").click()
        expect(waiter.get_by_test_id("guest-submission-sheet")).to_have_count(0)
        accepted: list[dict[str, Any]] = site.api(
            "GET", "/api/guest-submissions?status=accepted", headers=site.waiter.headers
        )
        submission = next(row for row in accepted if row["table_id"] == site.tables[TABLE]["id"])
        order: dict[str, Any] = site.order(submission["order_id"])
        ticket = wait_for_tickets(site.kitchen, 1)[0]
        assert "GUEST" in ticket.text, ticket.text
        for name in (MOUSSAKA, SALAD, TZATZIKI, SOUVLAKI):
            assert name in ticket.text, ticket.text
        for phone in (anna, nikos):
            expect(phone.get_by_test_id("submission-status")).to_have_attribute("data-status", "accepted")

        # "Your order" shows every item as received; the kitchen starts the moussaka and both phones follow.
        for phone in (anna, nikos):
            phone.get_by_test_id("tab-order").click()
            expect(phone.get_by_test_id("order-item")).to_have_count(4)
        moussaka = next(item for item in order["items"] if item["product_name"] == MOUSSAKA)
        site.api("POST", f"/api/kitchen/items/{moussaka['id']}/status", json={"status": "preparing"})
        for phone in (anna, nikos):
            expect(phone.locator('[data-testid="order-item"][data-state="preparing"]')).to_have_count(1)
        expect(anna.locator('[data-testid="order-item"][data-state="preparing"]')).to_contain_text("Preparing")
        expect(nikos.locator('[data-testid="order-item"][data-state="preparing"]')).to_contain_text("Ετοιμάζεται")
        expect(anna.get_by_test_id("order-due")).to_have_attribute("data-amount", str(order["total"]))

        # Calling the waiter rests the button (one call a minute per table).
        anna.get_by_test_id("call-waiter").click()
        expect(anna.get_by_test_id("call-done")).to_be_visible()
        expect(anna.get_by_test_id("call-waiter")).to_be_disabled()
        screenshot(anna, "guest-order")

        # The server agrees: one order on the table, the guests' items on it, nothing lost or doubled.
        orders = site.orders_of_table(TABLE)
        assert len(orders) == 1
        items = site.order(orders[0]["id"])["items"]
        assert sorted(item["product_name"] for item in items) == sorted([MOUSSAKA, SALAD, TZATZIKI, SOUVLAKI])

        # A manager 86's the salad: it leaves both phones' menus without a reload.
        for phone in (anna, nikos):
            phone.get_by_test_id("tab-menu").click()
            expect(card(phone, site, SALAD)).to_have_count(1)
        salad = site.products[SALAD]["id"]
        site.api("PATCH", f"/api/products/{salad}/availability", json={"is_available": False})
        for phone in (anna, nikos):
            expect(card(phone, site, SALAD)).to_have_count(0, timeout=5_000)
        assert anna_console.uncaught == []
        assert nikos_console.uncaught == []


class TestABadCode:
    def test_a_replaced_qr_code_says_so_and_sends_the_guest_to_the_waiter(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        token = table_token(site, TABLE)
        page, _ = open_phone(make_context, site, token, "Anna")
        site.api("POST", f"/api/tables/{site.tables[TABLE]['id']}/qr/rotate")
        # The open phone's socket is closed by the appliance; a fresh scan of the old code is refused too.
        expect(page.get_by_test_id("token-invalid")).to_have_text("This QR code is no longer valid — ask your waiter")
        fresh = make_context().new_page()
        fresh.goto(site.url(f"/t/{token}"))
        expect(fresh.get_by_test_id("token-invalid")).to_be_visible()
        expect(fresh.get_by_test_id("nickname-input")).to_have_count(0)


def tap_together(phones: tuple[Page, ...], testid: str) -> None:
    """Every phone taps the button at the same instant (one clock: the phones run on one machine)."""
    at = phones[0].evaluate("() => Date.now()") + 300
    for phone in phones:
        phone.evaluate(
            """([testid, at]) => setTimeout(
                () => document.querySelector(`[data-testid="${testid}"]`).click(), Math.max(0, at - Date.now()))""",
            [testid, at],
        )


class TestTwoPhonesTapTheSameLine:
    def test_every_tap_on_plus_counts_and_both_phones_show_the_same_quantity(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        token = table_token(site, TABLE)
        anna, anna_console = open_phone(make_context, site, token, "Anna")
        nikos, nikos_console = open_phone(make_context, site, token, "Νίκος", locale="el-GR")
        add(anna, site, MOUSSAKA)
        expect(cart_count(nikos)).to_have_attribute("data-count", "1", timeout=LIVE_MS)
        for phone in (anna, nikos):
            phone.get_by_test_id("cart-bar").click()
            expect(phone.get_by_test_id("cart-line")).to_have_count(1)

        def quantity(phone: Page) -> Locator:
            return phone.get_by_test_id("line-quantity")

        def plus(phone: Page) -> Locator:
            return phone.get_by_test_id("line-plus")

        # One phone's tap is on the other's screen within a second, both ways.
        plus(anna).click()
        expect(quantity(nikos)).to_have_text("2", timeout=LIVE_MS)
        plus(nikos).click()
        expect(quantity(anna)).to_have_text("3", timeout=LIVE_MS)

        # Both tap + in the same instant: each phone saw 3, and both taps count.
        tap_together((anna, nikos), "line-plus")
        for phone in (anna, nikos):
            expect(quantity(phone)).to_have_text("5", timeout=5_000)

        # Then five taps each, alternating, as fast as each phone lets its + be tapped again.
        for _ in range(5):
            plus(anna).click(no_wait_after=True)
            plus(nikos).click(no_wait_after=True)
        expected = 1 + 2 + 2 + 10
        for phone in (anna, nikos):
            expect(quantity(phone)).to_have_text(str(expected), timeout=5_000)
            expect(cart_count(phone)).to_have_attribute("data-count", str(expected))
        cart = site.api("GET", f"/api/guest/{token}/cart", headers={})
        assert [(line["product_name"], line["quantity"]) for line in cart["lines"]] == [(MOUSSAKA, expected)]
        assert anna_console.uncaught == []
        assert nikos_console.uncaught == []

    def test_a_dish_86d_after_it_was_added_holds_the_send_back_on_both_phones(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        token = table_token(site, TABLE)
        anna, _ = open_phone(make_context, site, token, "Anna")
        nikos, _ = open_phone(make_context, site, token, "Νίκος", locale="el-GR")
        add(anna, site, MOUSSAKA)
        add(nikos, site, SALAD)
        for phone in (anna, nikos):
            expect(cart_count(phone)).to_have_attribute("data-count", "2", timeout=LIVE_MS)
            phone.get_by_test_id("cart-bar").click()
            expect(phone.get_by_test_id("send-cart")).to_be_enabled()

        # The kitchen runs out of salad: both open carts mark the line and hold the send back, without a reload.
        site.api("PATCH", f"/api/products/{site.products[SALAD]['id']}/availability", json={"is_available": False})
        for phone in (anna, nikos):
            salad = phone.locator('[data-testid="cart-line"][data-available="false"]')
            expect(salad).to_have_count(1, timeout=5_000)
            expect(phone.get_by_test_id("send-cart")).to_be_disabled()
        expect(anna.get_by_test_id("line-sold-out")).to_have_text("Sold out — remove it to send")
        greek = "Εξαντλήθηκε — αφαιρέστε το για αποστολή"  # noqa: RUF001 (Greek letters, on purpose)
        expect(nikos.get_by_test_id("line-sold-out")).to_have_text(greek)
        screenshot(anna, "guest-cart-sold-out")

        # Nikos removes it; the rest goes.
        nikos.locator('[data-testid="cart-line"][data-available="false"]').get_by_test_id("line-remove").click()
        for phone in (anna, nikos):
            expect(phone.get_by_test_id("cart-line")).to_have_count(1, timeout=LIVE_MS)
        expect(anna.get_by_test_id("send-cart")).to_be_enabled()
        anna.get_by_test_id("send-cart").click()
        expect(anna.get_by_test_id("submission-status")).to_have_attribute("data-status", "pending")
