"""Helpers for the browser tests: the seeded site, reading it back through the API, signing in, screenshots.

The browser tests drive the built waiter app served by a real appliance process; what the server holds is always
checked through its API (never through the page), and what the kitchen got through the fake printers' bytes.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from playwright.sync_api import ConsoleMessage, Error, Page, expect

from tests.local_backend.printing.helpers import tickets
from tests.support.appliance import REPO_ROOT, Appliance, Waiter, seed
from tests.support.escpos_decoder import Decoded
from tests.support.fake_printer import FakePrinter

T = TypeVar("T")

ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
# The built apps (frontends/dist); E2E_WEB_DIST points elsewhere, so one checkout can test two builds at once.
WEB_BUILD = Path(os.environ.get("E2E_WEB_DIST") or REPO_ROOT / "frontends" / "dist") / "waiter"

# Sections and tables of the seeded floor: (name, first number, count).
SECTIONS = [("Inside", 1, 6), ("Terrace", 21, 4)]
# A table another waiter has open (no items, so nothing prints): the app must show it as not mine.
OTHER_WAITERS_TABLE = 6


def screenshot(page: Page, name: str) -> Path:
    """Save what the phone shows to test-artifacts/e2e/<name>.png (kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    # Finished animations: a sheet caught mid-slide shows the screen behind it through its panel.
    page.screenshot(path=str(path), timeout=10_000, animations="disabled")
    return path


def wait_until(
    check: Callable[[], T | None], *, timeout: float = 15.0, what: str = "the condition", page: Page | None = None
) -> T:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds.

    Pass the page when one is open: Playwright's sync API runs route handlers and event listeners only while the
    test is inside a Playwright call, so the wait goes through `page.wait_for_timeout` instead of sleeping.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        if page is None:
            time.sleep(0.05)
        else:
            page.wait_for_timeout(50)


def named(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The row called `name` (a product, option, ingredient, preference set or choice)."""
    found = [row for row in rows if row["name"] == name]
    assert len(found) == 1, f"expected one {name!r} in {[row['name'] for row in rows]}"
    return found[0]


@dataclass
class ConsoleLog:
    """Errors the page logged or threw; a page that works says nothing here."""

    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> ConsoleLog:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}")

    @property
    def uncaught(self) -> list[str]:
        return [e for e in self.errors if e.startswith("uncaught:")]


@dataclass
class Site:
    """The seeded appliance as a test sees it: where it is, who works there, what it sells, where tickets go."""

    appliance: Appliance
    manager_headers: dict[str, str]
    waiter: Waiter
    other_waiter: Waiter
    tables: dict[int, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    products: dict[str, dict[str, Any]]
    kitchen: FakePrinter
    bar: FakePrinter
    other_order_id: int

    @property
    def base_url(self) -> str:
        return self.appliance.base_url

    def url(self, path: str) -> str:
        return self.appliance.url(path)

    # -- reading the server's truth ------------------------------------------------------------------------

    def api(self, method: str, path: str, *, headers: dict[str, str] | None = None, json: Any = None) -> Any:
        with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
            resp = client.request(method, path, headers=headers or self.manager_headers, json=json)
        assert resp.status_code // 100 == 2, f"{method} {path}: HTTP {resp.status_code} {resp.text[:500]}"
        return resp.json() if resp.content else None

    def table(self, number: int) -> dict[str, Any]:
        rows: list[dict[str, Any]] = self.api("GET", "/api/tables/")
        return next(row for row in rows if row["number"] == number)

    def order(self, order_id: int) -> dict[str, Any]:
        order: dict[str, Any] = self.api("GET", f"/api/orders/{order_id}")
        return order

    def orders_of_table(self, number: int) -> list[dict[str, Any]]:
        """Every order ever opened on the table, whatever its state (duplicates would show here)."""
        table_id = self.tables[number]["id"]
        rows: list[dict[str, Any]] = self.api("GET", f"/api/orders/?table={table_id}&limit=100")
        return rows

    def print_jobs(self, order_id: int) -> list[dict[str, Any]]:
        jobs: list[dict[str, Any]] = self.api("GET", f"/api/printers/jobs?order_id={order_id}")
        return jobs

    def open_order_with_items(self, number: int, items: list[dict[str, Any]], guests: int = 2) -> dict[str, Any]:
        """As the signed-in waiter, through the API: a table already being served when the test starts."""
        headers = self.waiter.headers
        body = {"table_id": self.tables[number]["id"], "guests": guests}
        order: dict[str, Any] = self.api("POST", "/api/orders/", headers=headers, json=body)
        self.api("POST", f"/api/orders/{order['id']}/items", headers=headers, json={"items": items})
        return self.order(order["id"])


def cut_tickets(printer: FakePrinter) -> list[Decoded]:
    """The complete (cut) tickets the printer received so far, decoded by the tests' own decoder."""
    return [ticket for ticket in tickets(printer) if ticket.cut]


def wait_for_tickets(printer: FakePrinter, count: int, *, timeout: float = 15.0) -> list[Decoded]:
    return wait_until(
        lambda: found if len(found := cut_tickets(printer)) >= count else None,
        timeout=timeout,
        what=f"{count} ticket(s) on the {printer.simulator.name} printer",
    )


def seed_site(appliance: Appliance, kitchen: FakePrinter, bar: FakePrinter) -> Site:
    """Staff and menu as `tests.support.appliance.seed` makes them, plus sections, tables and two printers."""
    data = seed(appliance.base_url, waiters=2, tables=0)
    headers = data.manager_headers
    with httpx.Client(base_url=appliance.base_url, timeout=10.0, headers=headers) as client:

        def ok(resp: httpx.Response) -> Any:
            assert resp.status_code // 100 == 2, f"seeding: HTTP {resp.status_code} {resp.text[:500]}"
            return resp.json()

        tables: dict[int, dict[str, Any]] = {}
        for order, (name, start, count) in enumerate(SECTIONS):
            group = ok(client.post("/api/tables/groups", json={"name": name, "sort_order": order}))
            batch = {"prefix": "T", "count": count, "start": start, "seats": 4, "group_id": group["id"]}
            tables |= {row["number"]: row for row in ok(client.post("/api/tables/batch", json=batch))}
        zones = {}
        for zone, printer in (("Kitchen", kitchen), ("Bar", bar)):
            body = {"name": zone, "ip_address": printer.host, "port": printer.port, "code_page": "cp737"}
            zones[zone] = ok(client.post("/api/printers/", json=body))["id"]
        for category in data.categories:
            url = f"/api/products/categories/{category['id']}"
            ok(client.put(url, json={"printer_zone_id": zones[category["name"]]}))
        other = data.waiters[1]
        body = {"table_id": tables[OTHER_WAITERS_TABLE]["id"], "guests": 2}
        other_order = ok(client.post("/api/orders/", json=body, headers=other.headers))
    return Site(
        appliance=appliance,
        manager_headers=headers,
        waiter=data.waiters[0],
        other_waiter=other,
        tables=tables,
        categories={c["name"]: c for c in data.categories},
        products={p["name"]: p for p in data.products},
        kitchen=kitchen,
        bar=bar,
        other_order_id=other_order["id"],
    )


# -- driving the app -----------------------------------------------------------------------------------------


def open_login(page: Page, site: Site) -> None:
    page.goto(site.url("/"))
    expect(page.get_by_test_id("login-username")).to_be_visible()


def enter_pin(page: Page, waiter: Waiter) -> None:
    """Type the username, tap the PIN on the PIN pad, and wait for the tables."""
    page.get_by_test_id("login-username").fill(waiter.username)
    for digit in waiter.pin:
        page.get_by_test_id(f"pin-key-{digit}").click()
    submit = page.get_by_test_id("login-submit")
    # A PIN pad may sign in by itself once the PIN is complete; the button is there for one that does not.
    if submit.is_visible() and submit.is_enabled():
        submit.click()
    expect(page.get_by_test_id("table-1")).to_be_visible()


def sign_in(page: Page, site: Site, waiter: Waiter | None = None) -> None:
    open_login(page, site)
    enter_pin(page, waiter or site.waiter)
