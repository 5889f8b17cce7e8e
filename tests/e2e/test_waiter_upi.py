"""UPI on the waiter's phone (issue 7's browser test): a 4-guest table split evenly, one guest pays their share by
UPI through the QR the phone shows, the other three in cash, and the table closes with the bill paid exactly.

The appliance runs the fake UPI gateway (UPI_GATEWAY=fake) in rupees; the guest's bank is played by the test, which
pays the QR over HTTP through the fake's pay route, as a real credit would arrive at Razorpay. The appliance's poller
then records the payment, and the phone, which only watches, moves on. What the server holds is read through its API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPLIANCE_ENV
from tests.e2e.support import ConsoleLog, Site, screenshot, seed_site, sign_in, wait_until
from tests.support.appliance import Appliance
from tests.support.fake_printer import FakePrinter

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

WATER = "Water 1 l"  # 150
MOUSSAKA = "Moussaka"  # 1400
SALAD = "Greek salad"  # 900
FRAPPE = "Frappe"  # 350
# The UPI panel closes once the poller has recorded the credit: a poll interval plus the phone's 2 s look.
CREDIT_MS = 10_000

UPI_ENV = {"UPI_GATEWAY": "fake", "CURRENCY": "INR", "UPI_POLL_SECONDS": "0.5"}


@pytest.fixture
def site(tmp_path: Path, web_build: Path, fake_printer: FakePrinter, bar_printer: FakePrinter) -> Iterator[Site]:
    """A seeded appliance in rupees with the fake UPI gateway, serving the built app."""
    env = {**APPLIANCE_ENV, **UPI_ENV, "WEB_DIR": str(web_build.parent)}
    with Appliance(tmp_path / "appliance", env=env) as server:
        yield seed_site(server, fake_printer, bar_printer)


def item(site: Site, name: str, seat: int | None = None, quantity: int = 1) -> dict[str, Any]:
    return {"product_id": site.products[name]["id"], "quantity": quantity, "seat": seat, "course": 1}


class TestUpiShare:
    def test_four_guests_split_evenly_one_pays_by_upi_the_rest_cash_and_the_payments_sum_to_the_total(
        self, site: Site, page: Page, console: ConsoleLog
    ) -> None:
        # 1400 + 900 + 350 + 2 x 150 = 2950: four shares of 737.5, so two guests pay a paisa more.
        order = site.open_order_with_items(
            1,
            [item(site, MOUSSAKA, 1), item(site, SALAD, 2), item(site, FRAPPE, 3), item(site, WATER, quantity=2)],
            guests=4,
        )
        order_id, total = order["id"], order["total"]
        assert total == 2950
        assert site.api("GET", "/api/upi/status")["available"] is True

        sign_in(page, site)
        page.get_by_test_id("table-1").click()
        page.get_by_test_id("go-pay").click()
        expect(page.get_by_test_id("bill-total")).to_have_attribute("data-amount", str(total))
        page.get_by_test_id("split-mode-even").click()
        expect(page.get_by_test_id("split-guests")).to_have_attribute("data-value", "4")
        expect(page.get_by_test_id("split-parts")).to_have_attribute("data-source", "appliance")
        shares = [int(page.get_by_test_id(f"split-part-{n}").get_attribute("data-amount") or 0) for n in (1, 2, 3, 4)]
        assert sum(shares) == total

        # Guest 1 pays by UPI: the phone shows the QR of share 1/4 for its exact amount.
        expect(page.get_by_test_id("split-part-1")).to_have_attribute("aria-pressed", "true")
        upi = page.get_by_test_id("pay-method-upi")
        expect(upi).to_be_enabled()
        upi.click()
        qr = page.get_by_test_id("upi-qr")
        expect(qr).to_be_visible()
        expect(page.get_by_test_id("upi-status")).to_have_attribute("data-status", "pending")
        expect(page.get_by_test_id("upi-amount")).to_have_attribute("data-amount", str(shares[0]))
        expect(page.get_by_test_id("upi-expiry")).to_contain_text("Closes in")
        qr_id = qr.get_attribute("data-qr-id")
        assert qr_id
        requests = site.api("GET", f"/api/upi/?order_id={order_id}", headers=site.waiter.headers)
        assert [(r["qr_id"], r["amount"], r["split_part"], r["status"]) for r in requests] == [
            (qr_id, shares[0], "1/4", "pending")
        ]
        assert f"am={shares[0] // 100}.{shares[0] % 100:02d}" in (qr.get_attribute("data-payload") or "")
        screenshot(page, "upi-qr")

        # The guest's bank pays the QR; nothing on the phone is touched until the panel closes by itself.
        paid = site.api("POST", f"/api/upi/fake/{qr_id}/pay", headers=site.waiter.headers)
        assert paid["amount"] == shares[0]
        expect(page.get_by_test_id("upi-panel")).to_have_count(0, timeout=CREDIT_MS)
        expect(page.get_by_test_id("split-part-1")).to_have_attribute("data-paid", "true")
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", str(total - shares[0]))
        expect(page.get_by_test_id("split-part-2")).to_have_attribute("aria-pressed", "true")

        # The other three pay cash, share by share.
        due = total - shares[0]
        for n in (2, 3, 4):
            expect(page.get_by_test_id(f"split-part-{n}")).to_have_attribute("aria-pressed", "true")
            page.get_by_test_id("pay-method-cash").click()
            page.get_by_test_id("pay-submit").click()
            due -= shares[n - 1]
            expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", str(due))
        page.get_by_test_id("close-order").click()
        wait_until(lambda: site.order(order_id)["status"] == "closed", what="the order closed", page=page)

        final = site.order(order_id)
        assert [(p["method"], p["split_part"], p["amount"]) for p in final["payments"]] == [
            ("upi", "1/4", shares[0]),
            ("cash", "2/4", shares[1]),
            ("cash", "3/4", shares[2]),
            ("cash", "4/4", shares[3]),
        ]
        assert final["payments"][0]["reference"] == paid["payment_id"]
        assert sum(p["amount"] for p in final["payments"]) == total
        assert (final["paid_total"], final["due"]) == (total, 0)
        assert site.table(1)["state"] == "free"
        upi_rows = site.api("GET", f"/api/upi/?order_id={order_id}")
        assert [(r["status"], r["payment_id"]) for r in upi_rows] == [("paid", final["payments"][0]["id"])]
        assert console.errors == []


class TestUpiCancelled:
    def test_a_qr_cancelled_on_the_phone_is_cancelled_on_the_appliance_and_the_bill_is_paid_in_cash(
        self, site: Site, page: Page, console: ConsoleLog
    ) -> None:
        order = site.open_order_with_items(2, [item(site, SALAD)], guests=1)
        sign_in(page, site)
        page.get_by_test_id("table-2").click()
        page.get_by_test_id("go-pay").click()
        page.get_by_test_id("split-mode-whole").click()
        page.get_by_test_id("pay-method-upi").click()
        qr = page.get_by_test_id("upi-qr")
        expect(qr).to_be_visible()
        qr_id = qr.get_attribute("data-qr-id")
        page.get_by_test_id("upi-cancel").click()
        expect(page.get_by_test_id("upi-status")).to_have_attribute("data-status", "cancelled")
        page.get_by_test_id("upi-close").click()

        page.get_by_test_id("pay-method-cash").click()
        page.get_by_test_id("pay-submit").click()
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", "0")
        # The phone counts a payment as soon as it is in its outbox; the server has it once it was sent.
        final = wait_until(
            lambda: bill if (bill := site.order(order["id"]))["payments"] else None, what="the cash payment", page=page
        )
        assert [(p["method"], p["amount"]) for p in final["payments"]] == [("cash", order["total"])]
        requests = site.api("GET", f"/api/upi/?order_id={order['id']}")
        assert [(r["qr_id"], r["status"], r["payment_id"]) for r in requests] == [(qr_id, "cancelled", None)]
        assert console.uncaught == []
