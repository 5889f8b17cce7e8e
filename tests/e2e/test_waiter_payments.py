"""Settling bills the new way on a phone: an even split paid share by share (cash with tips and change, then card),
and a table's order transferred to another table and merged with a third.

Driven through the built app in Chromium on a 360x740 touch context against a real appliance; what the server holds
is read back through its API, so the page never vouches for itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import ConsoleLog, Site, screenshot, sign_in, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

WATER = "Water 1 l"  # 150
MOUSSAKA = "Moussaka"  # 1400
SALAD = "Greek salad"  # 900
FRAPPE = "Frappe"  # 350


def item(site: Site, name: str, quantity: int = 1, seat: int | None = None) -> dict[str, Any]:
    return {"product_id": site.products[name]["id"], "quantity": quantity, "seat": seat, "course": 1}


def tip_of(amount: int, percent: int) -> int:
    """A percentage tip as the app rounds it: to the nearest cent, halves up."""
    return (amount * percent + 50) // 100


class TestSplitEvenly:
    def test_four_guests_split_evenly_three_pay_cash_with_tips_and_change_one_by_card_and_the_table_closes(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        # 1400 + 900 + 350 + 2 x 150 = 2950: four shares of 737.5, so two guests pay a cent more.
        order = site.open_order_with_items(
            1,
            [item(site, MOUSSAKA, seat=1), item(site, SALAD, seat=2), item(site, FRAPPE, seat=3), item(site, WATER, 2)],
            guests=4,
        )
        order_id, total = order["id"], order["total"]
        assert total == 2950
        server_split = site.api(
            "POST",
            f"/api/orders/{order_id}/split",
            headers=site.waiter.headers,
            json={"mode": "even", "parts": 4},
        )
        shares = [part["amount"] for part in server_split["parts"]]
        assert sum(shares) == total

        sign_in(page, site)
        page.get_by_test_id("table-1").click()
        page.get_by_test_id("go-pay").click()
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", str(total))
        page.get_by_test_id("split-mode-even").click()
        expect(page.get_by_test_id("split-guests")).to_have_attribute("data-value", "4")
        expect(page.get_by_test_id("split-parts")).to_have_attribute("data-source", "appliance")
        for n, share in enumerate(shares, 1):
            expect(page.get_by_test_id(f"split-part-{n}")).to_have_attribute("data-amount", str(share))
        screenshot(page, "payments-even-split")

        # Three guests pay their share in cash: a tip chip or a typed tip, the cash handed over, the change shown.
        # (tip chip percent or typed tip, cash handed over as typed, the same in minor units)
        cash: list[tuple[int | str, str, int]] = [(10, "10", 1000), (5, "8", 800), ("1", "10,00", 1000)]
        expected: list[tuple[str, str, int, int, int | None, int]] = []
        due = total
        for n, (tip_given, tendered_text, tendered) in enumerate(cash, 1):
            share = shares[n - 1]
            expect(page.get_by_test_id(f"split-part-{n}")).to_have_attribute("aria-pressed", "true")
            page.get_by_test_id("pay-method-cash").click()
            if isinstance(tip_given, int):
                page.get_by_test_id(f"pay-tip-{tip_given}").click()
                tip = tip_of(share, tip_given)
            else:
                page.get_by_test_id("tip-input").fill(tip_given)
                tip = int(tip_given) * 100
            page.get_by_test_id("pay-tendered").fill(tendered_text)
            change = tendered - share - tip
            expect(page.get_by_test_id("pay-change")).to_have_attribute("data-amount", str(change))
            if n == 1:
                screenshot(page, "payments-cash-change")
            page.get_by_test_id("pay-submit").click()
            due -= share
            expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", str(due))
            expect(page.get_by_test_id("pay-change-given")).to_have_attribute("data-amount", str(change))
            expect(page.get_by_test_id(f"split-part-{n}")).to_have_attribute("data-paid", "true")
            expected.append(("cash", f"{n}/4", share, tip, tendered, change))

        # The last share by card: no cash handed over, nothing to give back.
        expect(page.get_by_test_id("split-part-4")).to_have_attribute("data-amount", str(shares[3]))
        page.get_by_test_id("pay-method-card").click()
        expect(page.get_by_test_id("pay-tendered")).to_have_count(0)
        page.get_by_test_id("pay-submit").click()
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", "0")
        expected.append(("card", "4/4", shares[3], 0, None, 0))
        expect(page.get_by_test_id("payment-made")).to_have_count(4)
        screenshot(page, "payments-all-paid")
        page.get_by_test_id("close-order").click()
        wait_until(lambda: site.order(order_id)["status"] == "closed", what="the order closed", page=page)

        final = site.order(order_id)
        paid = [
            (p["method"], p["split_part"], p["amount"], p["tip"], p["tendered"], p["change_due"])
            for p in final["payments"]
        ]
        assert paid == expected
        assert sum(p["amount"] for p in final["payments"]) == total
        assert (final["paid_total"], final["due"]) == (total, 0)
        assert final["tips_total"] == sum(row[3] for row in expected)
        assert site.table(1)["state"] == "free"
        assert console.errors == []


class TestMovingBills:
    def test_a_waiter_transfers_an_order_to_a_free_table_then_merges_another_tables_order_into_it(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        moving = site.open_order_with_items(2, [item(site, WATER, 2)], guests=2)
        other = site.open_order_with_items(3, [item(site, SALAD)], guests=1)

        sign_in(page, site)
        page.get_by_test_id("table-2").click()
        expect(page.get_by_test_id("order-total")).to_have_attribute("data-amount", str(moving["total"]))

        # Transfer: only free tables are offered; the server's table changes only after the confirmation.
        page.get_by_test_id("order-actions").click()
        page.get_by_test_id("transfer-order").click()
        expect(page.get_by_test_id("pick-table-4")).to_be_visible()
        expect(page.get_by_test_id("pick-table-3")).to_have_count(0)
        page.get_by_test_id("pick-table-4").click()
        confirm = page.get_by_test_id("order-action-confirm")
        expect(confirm).to_have_text("Transfer T2 to T4")
        assert site.order(moving["id"])["table_id"] == site.tables[2]["id"]
        screenshot(page, "payments-transfer")
        confirm.click()
        expect(page.get_by_test_id("order-actions-sheet")).to_have_count(0)
        moved = site.order(moving["id"])
        assert (moved["table_id"], moved["status"]) == (site.tables[4]["id"], "open")
        assert site.table(2)["state"] == "free"
        assert site.table(4)["order_id"] == moving["id"]

        # Merge: table 3's order comes into this one; its table is free and it is cancelled as merged.
        page.get_by_test_id("order-actions").click()
        page.get_by_test_id("merge-order").click()
        page.get_by_test_id("pick-table-3").click()
        expect(confirm).to_have_text("Merge T3 into T4")
        confirm.click()
        expect(page.get_by_test_id("order-actions-sheet")).to_have_count(0)
        merged = site.order(moving["id"])
        assert merged["total"] == moving["total"] + other["total"]
        assert sorted(i["id"] for i in merged["items"]) == sorted(i["id"] for i in moving["items"] + other["items"])
        gone = site.order(other["id"])
        assert (gone["status"], gone["merged_into_id"]) == ("cancelled", moving["id"])
        assert site.table(3)["state"] == "free"
        expect(page.get_by_test_id("order-total")).to_have_attribute("data-amount", str(merged["total"]))
        for merged_item in other["items"]:
            expect(page.get_by_test_id(f"item-{merged_item['id']}")).to_be_visible()
        assert console.errors == []

    def test_a_table_opened_meanwhile_drops_out_and_another_waiters_order_is_refused_in_words(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        mine = site.open_order_with_items(2, [item(site, WATER)], guests=2)
        sign_in(page, site)
        page.get_by_test_id("table-2").click()
        page.get_by_test_id("order-actions").click()
        page.get_by_test_id("transfer-order").click()
        page.get_by_test_id("pick-table-5").click()
        confirm = page.get_by_test_id("order-action-confirm")
        expect(confirm).to_have_text("Transfer T2 to T5")
        # Another phone opens table 5 before this one confirms: the live floor takes it off the list.
        site.open_order_with_items(5, [item(site, WATER)], guests=1)
        expect(page.get_by_test_id("pick-table-5")).to_have_count(0, timeout=15_000)
        expect(confirm).to_be_disabled()
        page.get_by_test_id("pick-table-4").click()
        page.get_by_role("button", name="Back").click()

        # Merging another waiter's order is the server's to refuse, and the phone says why in words.
        page.get_by_test_id("merge-order").click()
        page.get_by_test_id("pick-table-6").click()
        confirm.click()
        expect(page.get_by_test_id("order-action-error")).to_contain_text("belongs to another waiter")
        assert site.order(mine["id"])["table_id"] == site.tables[2]["id"]
        assert site.order(site.other_order_id)["status"] == "open"
        # The refusal is the app's handled answer, not a crash.
        assert console.uncaught == []
