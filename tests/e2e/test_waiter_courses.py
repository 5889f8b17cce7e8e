"""A waiter sends starter and main in one round; the main waits until the waiter fires its course.

Driven through the built app in Chromium on a 360x740 touch context against a real appliance. What the server holds
is read through its API, what the kitchen got through the fake kitchen printer's bytes and the print jobs.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.support import ConsoleLog, Site, cut_tickets, screenshot, sign_in, wait_for_tickets, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

STARTER = "Tzatziki"  # a removable ingredient: its tap opens the product sheet
MAIN = "Moussaka"
# After the last expected print, how long to keep watching for one that should not come.
SETTLE_MS = 1_500


def open_table(page: Page, site: Site, number: int) -> int:
    table = page.get_by_test_id(f"table-{number}")
    expect(table).to_have_attribute("data-state", "free")
    table.click()
    page.get_by_test_id("guests-input").fill("2")
    page.get_by_test_id("open-order").click()
    order_id: int = wait_until(lambda: site.table(number)["order_id"], what=f"an order on table {number}", page=page)
    return order_id


def add_to_draft(page: Page, site: Site, name: str, *, course: int | None) -> None:
    """Open the product's sheet, check it offers course 1, pick `course` if given, and add the line."""
    page.get_by_test_id(f"category-{site.categories['Kitchen']['id']}").click()
    page.get_by_test_id(f"product-{site.products[name]['id']}").click()
    course_input = page.get_by_test_id("course-input")
    expect(course_input).to_have_value("1")
    if course is not None:
        course_input.fill(str(course))
    page.get_by_test_id("add-to-draft").click()
    expect(page.get_by_test_id("product-sheet")).to_have_count(0)


def kitchen_jobs(site: Site, order_id: int) -> list[tuple[str | None, list[int]]]:
    return [(job["mark"], job["item_ids"]) for job in site.print_jobs(order_id) if job["kind"] == "kitchen"]


def stripped_lines(lines: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in lines]


class TestCourses:
    def test_a_main_sent_with_the_starter_is_held_until_the_waiter_fires_its_course(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        site = appliance
        fire_requests: list[str] = []

        def count_fires(request: Request) -> None:
            if request.method == "POST" and request.url.endswith("/fire"):
                fire_requests.append(request.url)

        page.on("request", count_fires)
        sign_in(page, site)
        order_id = open_table(page, site, 1)

        add_to_draft(page, site, STARTER, course=None)
        add_to_draft(page, site, MAIN, course=2)
        expect(page.get_by_test_id("draft-line")).to_have_count(2)
        page.get_by_test_id("review-draft").click()
        expect(page.get_by_test_id("review-held")).to_have_text("Course 2 will wait until you fire it.")
        page.get_by_test_id("send-draft").click()

        # One round on the server: the starter with the kitchen, the main held.
        items: list[dict[str, Any]] = wait_until(
            lambda: site.order(order_id)["items"], what="the sent round on the server", page=page
        )
        by_name = {item["product_name"]: item for item in items}
        starter, main = by_name[STARTER], by_name[MAIN]
        assert (starter["course"], starter["held"], starter["round"]) == (1, False, 1)
        assert (main["course"], main["held"], main["round"], main["fired_at"]) == (2, True, 1, None)
        assert site.order(order_id)["fired_course"] == 1

        # The kitchen printed the starter only.
        first = stripped_lines(wait_for_tickets(site.kitchen, 1)[0].text_lines)
        assert "1 x Tzatziki" in first, first
        assert not any("Moussaka" in line for line in first), first
        assert kitchen_jobs(site, order_id) == [("NEW", [starter["id"]])]

        # The phone shows the main greyed and held, with the button to fire its course.
        main_row = page.get_by_test_id(f"item-{main['id']}")
        expect(main_row).to_have_attribute("data-held", "true")
        expect(main_row).to_contain_text("Held · course 2")
        expect(page.get_by_test_id(f"item-{starter['id']}")).to_have_attribute("data-held", "false")
        fire = page.get_by_test_id("fire-course-2")
        expect(fire).to_be_visible()
        expect(fire).to_have_text("Fire course 2")
        page.wait_for_timeout(SETTLE_MS)
        assert len(cut_tickets(site.kitchen)) == 1, "a held course printed before it was fired"
        expect(page.get_by_text("Sent to the kitchen")).to_have_count(0)
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, "waiter-courses")
        main_row.scroll_into_view_if_needed()
        screenshot(page, "waiter-courses-bill")

        # An impatient double tap fires once; the main lights up.
        fire.dblclick()
        expect(main_row).to_have_attribute("data-held", "false")
        expect(main_row).not_to_contain_text("Held")
        expect(page.get_by_test_id("held-courses")).to_have_count(0)
        order = site.order(order_id)
        assert order["fired_course"] == 2
        fired_main = next(item for item in order["items"] if item["id"] == main["id"])
        assert fired_main["held"] is False
        assert fired_main["fired_at"] is not None

        # The kitchen got a FIRE ticket for the main, and nothing else.
        tickets = wait_for_tickets(site.kitchen, 2)
        fired = stripped_lines(tickets[1].text_lines)
        assert any("FIRE" in line for line in fired), fired
        assert "1 x Moussaka" in fired, fired
        assert not any("Tzatziki" in line for line in fired), fired
        assert kitchen_jobs(site, order_id) == [("NEW", [starter["id"]]), ("FIRE", [main["id"]])]
        page.wait_for_timeout(SETTLE_MS)
        assert len(fire_requests) == 1, f"the double tap sent {len(fire_requests)} fires"
        assert len(cut_tickets(site.kitchen)) == 2
        assert console.errors == []
