"""Discounts, comps and voids on the waiter's phone, each approved by a manager typing their PIN on that phone.

Driven through the built app in Chromium on a 360x740 touch context against a real appliance. What the server holds
(the bill, and the exceptions report that tells the owner who approved what) is read back through its API.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import ConsoleLog, Site, screenshot, sign_in
from tests.support.appliance import DEFAULT_MANAGER

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

WATER = "Water 1 l"  # 150
MOUSSAKA = "Moussaka"  # 1400
SALAD = "Greek salad"  # 900


def item(site: Site, name: str, quantity: int = 1) -> dict[str, Any]:
    return {"product_id": site.products[name]["id"], "quantity": quantity, "seat": None, "course": 1}


def item_id(order: dict[str, Any], name: str) -> int:
    return int(next(i["id"] for i in order["items"] if i["product_name"] == name))


def approve_as_manager(page: Page) -> None:
    """The manager types their username and PIN on the waiter's phone."""
    username, pin = DEFAULT_MANAGER
    page.get_by_test_id("approval-username").fill(username)
    for digit in pin:
        page.get_by_test_id(f"pin-key-{digit}").click()
    page.get_by_test_id("approval-submit").click()


class TestCompWithApproval:
    def test_a_waiter_comps_an_item_with_a_managers_pin_and_the_exceptions_report_names_the_approver(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        order = site.open_order_with_items(1, [item(site, MOUSSAKA), item(site, WATER, 2)], guests=2)
        order_id, moussaka = order["id"], item_id(order, MOUSSAKA)
        assert order["total"] == 1700
        manager = site.api("GET", "/api/auth/me")

        sign_in(page, site)
        page.get_by_test_id("table-1").click()
        page.get_by_test_id(f"item-actions-{moussaka}").click()
        page.get_by_test_id(f"comp-item-{moussaka}").click()
        page.get_by_test_id("discount-reason").fill("Cold when served")
        submit = page.get_by_test_id("discount-submit")
        expect(submit).to_have_text("Comp Moussaka: ask a manager")
        submit.click()
        # Nothing is given before the manager approves.
        assert site.order(order_id)["discounts"] == []
        screenshot(page, "discounts-approval")
        approve_as_manager(page)
        expect(page.get_by_test_id("exception-sheet")).to_have_count(0)
        expect(page.get_by_test_id("order-total")).to_have_attribute("data-amount", "300")

        bill = site.order(order_id)
        given = [(d["kind"], d["item_id"], d["amount"], d["reason"], d["approved_by_id"]) for d in bill["discounts"]]
        assert given == [("comp", moussaka, 1400, "Cold when served", manager["id"])]
        assert bill["totals"]["discounts"] == 1400
        assert bill["total"] == 300
        screenshot(page, "discounts-comped")

        # The payment screen shows how the total is made up.
        page.get_by_test_id("go-pay").click()
        totals = page.get_by_test_id("bill-totals")
        expect(totals.get_by_test_id("bill-subtotal")).to_have_attribute("data-amount", "1700")
        expect(totals.get_by_test_id("bill-discounts")).to_have_attribute("data-amount", "-1400")
        expect(totals.get_by_test_id("bill-total")).to_have_attribute("data-amount", "300")

        report = site.api("GET", "/api/reports/exceptions")
        comps = [line for line in report["lines"] if line["kind"] == "comp"]
        assert [
            (c["order_id"], c["item_id"], c["amount"], c["reason"], c["requested_by_id"], c["approved_by_id"])
            for c in comps
        ] == [(order_id, moussaka, 1400, "Cold when served", site.waiter.id, manager["id"])]
        assert comps[0]["approved_by_name"] == manager["display_name"]
        assert console.errors == []


class TestRefusals:
    def test_a_wrong_manager_pin_gives_nothing_and_a_void_with_approval_cancels_the_item(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        order = site.open_order_with_items(2, [item(site, SALAD), item(site, WATER)], guests=1)
        order_id, salad = order["id"], item_id(order, SALAD)

        sign_in(page, site)
        page.get_by_test_id("table-2").click()
        page.get_by_test_id(f"item-actions-{salad}").click()
        page.get_by_test_id(f"void-item-{salad}").click()
        page.get_by_test_id("discount-reason").fill("Ordered twice")
        page.get_by_test_id("discount-submit").click()
        # The waiter tries their own PIN: only a manager can approve.
        page.get_by_test_id("approval-username").fill(site.waiter.username)
        for digit in site.waiter.pin:
            page.get_by_test_id(f"pin-key-{digit}").click()
        page.get_by_test_id("approval-submit").click()
        refused = page.get_by_test_id("approval-error")
        expect(refused).to_have_text("That is not a manager: only a manager can approve this.")
        # The phone's session survived the refusal: the waiter is still signed in.
        expect(page.get_by_test_id("login-username")).to_have_count(0)
        assert site.order(order_id)["items"][0]["status"] != "cancelled"

        page.get_by_test_id("approval-username").fill("")
        approve_as_manager(page)
        expect(page.get_by_test_id(f"item-{salad}")).to_have_attribute("data-status", "cancelled")
        voided = next(i for i in site.order(order_id)["items"] if i["id"] == salad)
        assert (voided["status"], voided["cancel_reason"]) == ("cancelled", "Ordered twice")
        voids = [line for line in site.api("GET", "/api/reports/exceptions")["lines"] if line["kind"] == "void"]
        assert [(v["item_id"], v["requested_by_id"], v["reason"]) for v in voids] == [
            (salad, site.waiter.id, "Ordered twice")
        ]
        assert voids[0]["approved_by_id"] is not None
        assert console.uncaught == []
