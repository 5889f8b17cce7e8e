"""The license on the waiter's phone: locked by the vendor mid-service, then unlocked, against a real appliance.

The appliance trusts a key made for the test (LICENSE_PUBLIC_KEYS) and is activated, as a manager would, against a
small licensing cloud on loopback that signs leases with that key: locked first, active once the vendor unlocks.
What the appliance accepts or refuses is checked through its API, never through the page.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from shared.lease import LeaseState, SigningKey, jwks, sign_lease
from shared.wire import SITE_ID_HEADER, SITE_KEY_HEADER, HeartbeatIn, HeartbeatOut
from tests.e2e.conftest import APPLIANCE_ENV
from tests.e2e.support import ConsoleLog, Site, screenshot, seed_site, sign_in, wait_until
from tests.support.appliance import Appliance
from tests.support.fake_printer import FakePrinter

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

# A change must reach the phone through the event socket: the app's fallback poll of the license is 3 minutes.
LIVE_MS = 8_000
WATER = "Water 1 l"
LOCK_REASON = "Invoice 2026-11 unpaid"


@dataclass
class LeaseServer:
    """The licensing cloud as far as a heartbeat goes: it checks the site's key and answers with a signed lease."""

    key: SigningKey
    site_id: str = "site_e2elicense"
    site_key: str = "sk_" + "e" * 43
    state: LeaseState = LeaseState.ACTIVE
    lock_reason: str | None = None
    heartbeats: list[dict[str, Any]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the lease server is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, site_id: str | None, site_key: str | None, body: bytes) -> tuple[int, str]:
        if (site_id, site_key) != (self.site_id, self.site_key):
            return 401, json.dumps({"detail": "Unknown site or wrong key", "code": "SITE_AUTH_FAILED"})
        heartbeat = HeartbeatIn.model_validate_json(body)
        self.heartbeats.append(heartbeat.model_dump())
        now = datetime.now(UTC).replace(microsecond=0)
        paid_through, lease_end = now + timedelta(days=60), now + timedelta(hours=30)
        lease = sign_lease(
            key=self.key,
            site_id=self.site_id,
            state=self.state,
            lock_reason=self.lock_reason,
            paid_through=paid_through,
            lease_expires_at=lease_end,
            server_time=now,
            nonce=heartbeat.nonce,
            keys=[self.key.public],
        )
        out = HeartbeatOut(
            licensed=self.state is LeaseState.ACTIVE,
            locked=self.state is LeaseState.LOCKED,
            lock_reason=self.lock_reason,
            expires_at=paid_through,
            lease_expires_at=lease_end,
            server_time=now,
            heartbeat_interval_seconds=6 * 3600,
            lease=lease,
        )
        return 200, out.model_dump_json()

    def __enter__(self) -> LeaseServer:
        cloud = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path != "/api/heartbeat/":
                    status, text = 404, json.dumps({"detail": "Not found", "code": "NOT_FOUND"})
                else:
                    status, text = cloud.answer(
                        self.headers.get(SITE_ID_HEADER), self.headers.get(SITE_KEY_HEADER), body
                    )
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the test reads the heartbeats it got, not a log on stderr

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="lease-server", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def cloud() -> Iterator[LeaseServer]:
    with LeaseServer(SigningKey.generate()) as server:
        yield server


@pytest.fixture
def site(
    tmp_path: Path, web_build: Path, fake_printer: FakePrinter, bar_printer: FakePrinter, cloud: LeaseServer
) -> Iterator[Site]:
    """A seeded appliance (in its trial) that trusts the test cloud's key, serving the built app."""
    env = {
        **APPLIANCE_ENV,
        "WEB_DIR": str(web_build.parent),
        "LICENSE_PUBLIC_KEYS": json.dumps(jwks([cloud.key.public])),
    }
    with Appliance(tmp_path / "appliance", env=env) as server:
        yield seed_site(server, fake_printer, bar_printer)


def license_call(site: Site, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST /api/license/<path> as the manager; the status it answers."""
    status: dict[str, Any] = site.api("POST", f"/api/license/{path}", json=body)
    return status


def new_order_answer(site: Site, table: int) -> httpx.Response:
    """What the appliance answers the waiter opening `table` through the API (not through the page)."""
    with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
        return client.post("/api/orders/", json={"table_id": site.tables[table]["id"]}, headers=site.waiter.headers)


class TestLockedMidService:
    def test_the_phone_shows_the_lock_live_settles_open_bills_and_takes_orders_again_once_unlocked(
        self, site: Site, cloud: LeaseServer, page: Page, console: ConsoleLog
    ) -> None:
        water = site.products[WATER]
        line = {"product_id": water["id"], "quantity": 2, "course": 1}
        served = site.open_order_with_items(2, [line])
        sign_in(page, site)
        expect(page.get_by_test_id("table-2")).to_have_attribute("data-state", "open")
        # A trial with days left is none of the waiter's business.
        expect(page.get_by_test_id("license-banner")).to_have_count(0)
        page.evaluate("window.__sameDocument = true")  # gone if anything below reloads the page

        # The vendor has locked the site; the manager activates the appliance and the lock arrives with the lease.
        cloud.state, cloud.lock_reason = LeaseState.LOCKED, LOCK_REASON
        status = license_call(
            site, "activate", {"site_id": cloud.site_id, "site_key": cloud.site_key, "cloud_url": cloud.url}
        )
        assert (status["state"], status["code"], status["lock_reason"]) == ("locked", "LICENSE_LOCKED", LOCK_REASON)
        banner = page.get_by_test_id("license-banner")
        expect(banner).to_have_attribute("data-state", "locked", timeout=LIVE_MS)
        expect(banner).to_contain_text(f"This restaurant's license is locked: {LOCK_REASON}.")
        expect(banner).to_contain_text("Open bills can still be paid and closed.")
        screenshot(page, "license-locked")

        # The appliance refuses new orders, and the phone does not offer to open a table.
        refused = new_order_answer(site, 1)
        assert (refused.status_code, refused.json()["code"]) == (423, "LICENSE_LOCKED")
        page.get_by_test_id("table-1").click()
        expect(page.get_by_test_id("open-paused")).to_contain_text(
            f"New orders are paused: this restaurant's license is locked ({LOCK_REASON})."
        )
        expect(page.get_by_test_id("open-order")).to_be_disabled()
        screenshot(page, "license-locked-open-table")
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("open-table-sheet")).to_have_count(0)

        # The table being served is still paid and closed, with the banner on every screen.
        page.get_by_test_id("table-2").click()
        expect(page.get_by_test_id("license-banner")).to_have_attribute("data-state", "locked")
        page.get_by_test_id("go-pay").click()
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", str(served["total"]))
        page.get_by_test_id("pay-select-all").click()
        page.get_by_test_id("pay-method-cash").click()
        page.get_by_test_id("pay-submit").click()
        expect(page.get_by_test_id("pay-due")).to_have_attribute("data-amount", "0")
        page.get_by_test_id("close-order").click()
        wait_until(lambda: site.order(served["id"])["status"] == "closed", what="the order closed", page=page)
        assert site.order(served["id"])["paid_total"] == served["total"]
        expect(page.get_by_test_id("table-2")).to_have_attribute("data-state", "free")

        # The vendor unlocks; the manager syncs: the banner goes at once, without a reload.
        cloud.state, cloud.lock_reason = LeaseState.ACTIVE, None
        assert license_call(site, "sync")["state"] == "active"
        expect(page.get_by_test_id("license-banner")).to_have_count(0, timeout=LIVE_MS)
        assert page.evaluate("window.__sameDocument") is True
        assert len(cloud.heartbeats) == 2

        # A new order is taken again.
        page.get_by_test_id("table-1").click()
        expect(page.get_by_test_id("open-paused")).to_have_count(0)
        page.get_by_test_id("open-order").click()
        order_id = wait_until(lambda: site.table(1)["order_id"], what="an order on table 1", page=page)
        assert site.order(order_id)["status"] == "open"
        expect(page).to_have_url(site.url(f"/order/{order_id}"))
        screenshot(page, "license-unlocked-order")
        assert console.errors == []
