"""Guests pay their share by UPI from their own phones: two phones at one table order straight to the kitchen, one
pays for what she ordered through the QR her phone shows, both phones see it paid live, and the other pays the rest.

The appliance runs the fake UPI gateway (UPI_GATEWAY=fake) in rupees; the guests' bank is played by the test, which
pays each QR over HTTP through the fake's pay route (as a real credit would arrive at Razorpay), with the QR's id
read from the upi:// link the phone offers. The appliance's poller records the payment; the phones only watch.
What the server holds is read through its API, never through a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import APPLIANCE_ENV
from tests.e2e.support import ConsoleLog, Site, screenshot, seed_site, wait_until
from tests.support.appliance import Appliance
from tests.support.fake_printer import FakePrinter

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

UPI_ENV = {"UPI_GATEWAY": "fake", "CURRENCY": "INR", "UPI_POLL_SECONDS": "0.5"}
# Another phone's change on screen: the guest socket pushes within milliseconds of the commit.
LIVE_MS = 2_000
# A credit on screen: a poll of the gateway (0.5 s), the ledger's write, then the socket's push.
CREDIT_MS = 10_000
TABLE = 2
MOUSSAKA = "Moussaka"
SALAD = "Greek salad"


@pytest.fixture
def site(tmp_path: Path, web_build: Path, fake_printer: FakePrinter, bar_printer: FakePrinter) -> Iterator[Site]:
    """A seeded appliance in rupees with the fake UPI gateway, serving the built apps."""
    guest = web_build.parent / "guest"
    if not (guest / "index.html").is_file():
        pytest.fail(f"the guest app is not built ({guest / 'index.html'} missing): run make web-build")
    env = {**APPLIANCE_ENV, **UPI_ENV, "WEB_DIR": str(web_build.parent)}
    with Appliance(tmp_path / "appliance", env=env) as server:
        yield seed_site(server, fake_printer, bar_printer)


def table_token(site: Site, number: int) -> str:
    qr: dict[str, Any] = site.api("GET", f"/api/tables/{site.tables[number]['id']}/qr")
    return str(qr["token"])


def open_phone(
    make_context: Callable[..., BrowserContext], site: Site, token: str, nickname: str
) -> tuple[Page, ConsoleLog]:
    """A guest scans the code, picks a nickname and lands on the live menu."""
    page = make_context().new_page()
    console = ConsoleLog().attach(page)
    page.goto(site.url(f"/t/{token}"))
    page.get_by_test_id("nickname-input").fill(nickname)
    page.get_by_test_id("nickname-save").click()
    expect(page.get_by_test_id("guest-menu")).to_be_visible()
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-live", "on")
    return page, console


def order_and_send(page: Page, site: Site, name: str) -> None:
    """Add one of the product to the table's cart and send it; in direct mode it goes to the kitchen at once."""
    page.locator(f'[data-testid="product-card"][data-product-id="{site.products[name]["id"]}"]').click()
    expect(page.get_by_test_id("product-sheet")).to_be_visible()
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("product-sheet")).to_be_hidden()
    page.get_by_test_id("cart-bar").click()
    expect(page.get_by_test_id("send-cart")).to_contain_text("Send to the kitchen")
    page.get_by_test_id("send-cart").click()
    expect(page.get_by_test_id("cart-bar")).to_be_hidden()
    expect(page.get_by_test_id("submission-status")).to_have_attribute("data-status", "accepted")


def rupees(minor: int) -> str:
    """As an en-GB phone shows rupees: ₹14.00, ₹1,234.50."""
    return f"₹{minor // 100:,}.{minor % 100:02d}"


def request_of(page: Page, nickname: str) -> Locator:
    return page.locator(f'[data-testid="pay-request"][data-nickname="{nickname}"]')


def pay_share(page: Page, share: str, amount: int) -> str:
    """Choose a share and ask for its QR; the phone offers the upi:// link. Returns the fake gateway's QR id."""
    page.get_by_test_id(f"pay-share-{share}").click()
    expect(page.get_by_test_id("pay-create")).to_have_attribute("data-amount", str(amount))
    page.get_by_test_id("pay-create").click()
    expect(page.get_by_test_id("pay-panel")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("pay-amount")).to_have_attribute("data-amount", str(amount))
    expect(page.get_by_test_id("pay-status")).to_have_text("Waiting for your payment…")
    expect(page.get_by_test_id("pay-expiry")).to_contain_text("Closes in")
    link = page.get_by_test_id("pay-open-upi")
    expect(link).to_have_text("Open UPI app")
    href = link.get_attribute("href") or ""
    assert href.startswith("upi://pay?"), href
    query = parse_qs(urlsplit(href).query)
    assert query["am"] == [f"{amount // 100}.{amount % 100:02d}"], href
    # No gateway picture from the fake: the phone draws the link as a QR for paying from another phone.
    expect(page.get_by_test_id("pay-qr-image")).to_be_visible()
    return query["tr"][0]


class TestGuestsPayTheirShare:
    def test_one_guest_pays_her_items_both_phones_see_it_live_and_the_other_pays_the_rest(
        self, site: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site.api("PUT", "/api/settings", json={"guest_ordering": "direct"})
        assert site.api("GET", "/api/upi/status")["available"] is True
        token = table_token(site, TABLE)
        anna, anna_console = open_phone(make_context, site, token, "Anna")
        nikos, nikos_console = open_phone(make_context, site, token, "Nikos")

        order_and_send(anna, site, MOUSSAKA)
        order_and_send(nikos, site, SALAD)
        orders = site.orders_of_table(TABLE)
        assert len(orders) == 1
        order_id = orders[0]["id"]
        view: dict[str, Any] = site.api("GET", f"/api/guest/{token}/order")
        assert view["payments"]["available"] is True
        amounts = {item["nickname"]: item["amount"] for item in view["items"]}
        assert set(amounts) == {"Anna", "Nikos"}
        total = view["total"]
        assert amounts["Anna"] + amounts["Nikos"] == total == view["due"] > 0

        # Each phone's order lists who ordered what, for how much.
        for phone in (anna, nikos):
            phone.get_by_test_id("tab-order").click()
            expect(phone.get_by_test_id("order-item")).to_have_count(2)
        anna_line = anna.locator('[data-testid="order-item"][data-nickname="Anna"]')
        expect(anna_line.get_by_test_id("order-item-meta")).to_contain_text(f"Anna (you) · {rupees(amounts['Anna'])}")

        # Anna pays for her items: the share the phone offers is exactly what she ordered.
        expect(anna.get_by_test_id("pay-share-mine-amount")).to_have_attribute("data-amount", str(amounts["Anna"]))
        expect(anna.get_by_test_id("pay-share-rest-amount")).to_have_attribute("data-amount", str(total))
        screenshot(anna, "guest-pay-choose")
        anna_qr = pay_share(anna, "mine", amounts["Anna"])
        screenshot(anna, "guest-pay-qr")
        requests = site.api("GET", f"/api/upi/?order_id={order_id}")
        assert [(r["qr_id"], r["amount"], r["split_part"], r["status"]) for r in requests] == [
            (anna_qr, amounts["Anna"], "Anna: my items", "pending")
        ]

        # Nikos's phone sees Anna paying, live, and offers him only what is not already asked for.
        expect(request_of(nikos, "Anna")).to_have_text(
            f"Anna is paying {rupees(amounts['Anna'])} (their items)", timeout=LIVE_MS
        )
        expect(nikos.get_by_test_id("pay-share-rest-amount")).to_have_attribute(
            "data-amount", str(amounts["Nikos"]), timeout=LIVE_MS
        )

        # Anna's bank pays the QR: both phones show it paid without a tap.
        paid = site.api("POST", f"/api/upi/fake/{anna_qr}/pay", headers=site.waiter.headers)
        assert paid["amount"] == amounts["Anna"]
        expect(anna.get_by_test_id("pay-status")).to_have_attribute("data-status", "paid", timeout=CREDIT_MS)
        expect(anna.get_by_test_id("pay-status")).to_have_text(f"Paid {rupees(amounts['Anna'])} — thank you")
        expect(anna.get_by_test_id("pay-open-upi")).to_have_count(0)
        expect(request_of(nikos, "Anna")).to_have_text(f"Anna paid {rupees(amounts['Anna'])}", timeout=CREDIT_MS)
        expect(nikos.get_by_test_id("order-due")).to_have_attribute("data-amount", str(amounts["Nikos"]))
        screenshot(anna, "guest-pay-paid")

        bill = site.order(order_id)
        assert [(p["method"], p["amount"], p["split_part"]) for p in bill["payments"]] == [
            ("upi", amounts["Anna"], "Anna: my items")
        ]
        assert bill["payments"][0]["reference"] == paid["payment_id"]

        # A reload keeps Anna's outcome on screen (the phone remembers its payment for the tab's life).
        anna.reload()
        expect(anna.get_by_test_id("pay-status")).to_have_text(f"Paid {rupees(amounts['Anna'])} — thank you")
        # Done with it: her items are not offered again (a UPI payment pays an amount, not items), the rest is.
        anna.get_by_test_id("pay-done").click()
        expect(request_of(anna, "Anna")).to_have_text(f"You paid {rupees(amounts['Anna'])}")
        expect(anna.get_by_test_id("pay-share-mine")).to_have_count(0)
        expect(anna.get_by_test_id("pay-share-rest-amount")).to_have_attribute("data-amount", str(amounts["Nikos"]))

        # Nikos pays the rest; the bill is settled and both phones say so.
        expect(nikos.get_by_test_id("pay-share-mine-amount")).to_have_attribute("data-amount", str(amounts["Nikos"]))
        nikos_qr = pay_share(nikos, "rest", amounts["Nikos"])
        expect(request_of(anna, "Nikos")).to_have_text(
            f"Nikos is paying {rupees(amounts['Nikos'])} (the rest)", timeout=LIVE_MS
        )
        site.api("POST", f"/api/upi/fake/{nikos_qr}/pay", headers=site.waiter.headers)
        expect(nikos.get_by_test_id("pay-status")).to_have_attribute("data-status", "paid", timeout=CREDIT_MS)
        expect(request_of(anna, "Nikos")).to_have_text(f"Nikos paid {rupees(amounts['Nikos'])}", timeout=CREDIT_MS)
        for phone in (anna, nikos):
            expect(phone.get_by_test_id("order-due")).to_have_attribute("data-amount", "0")
            expect(phone.get_by_test_id("pay-create")).to_have_count(0)

        final = wait_until(
            lambda: bill if (bill := site.order(order_id))["due"] == 0 else None, what="the bill paid", page=anna
        )
        assert [(p["method"], p["amount"], p["split_part"]) for p in final["payments"]] == [
            ("upi", amounts["Anna"], "Anna: my items"),
            ("upi", amounts["Nikos"], "Nikos: the rest"),
        ]
        assert (final["paid_total"], final["due"]) == (total, 0)
        upi_rows = site.api("GET", f"/api/upi/?order_id={order_id}")
        assert sorted((r["qr_id"], r["status"]) for r in upi_rows) == sorted([(anna_qr, "paid"), (nikos_qr, "paid")])
        assert anna_console.uncaught == []
        assert nikos_console.uncaught == []
