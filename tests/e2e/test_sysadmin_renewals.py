"""License renewals from the sysadmin panel, end to end without the internet: a real cloud process whose Razorpay
is a fake HTTP server on 127.0.0.1 (RAZORPAY_BASE_URL), driven by the real razorpay SDK inside the cloud.

The vendor makes a payment link in the panel (Razorpay refusing the first attempt, the retry succeeding with the
same idempotency key and reference), copies and opens it; Razorpay's signed `payment_link.paid` webhook then
reaches the cloud over HTTP, and after a reload the panel shows the renewal paid and the paid-through date moved.
What the cloud and "Razorpay" hold is checked through their APIs and records, never through the page."""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cloud_backend.billing.service import add_months
from tests.cloud_backend.billing.fake_razorpay import (
    KEY_ID,
    KEY_SECRET,
    PRICE,
    WEBHOOK_SECRET,
    encode,
    link_event,
    refusal,
    sign,
)
from tests.cloud_backend.support import CloudProcess, admin_login
from tests.e2e.conftest import _unavailable
from tests.e2e.support import ConsoleLog, screenshot
from tests.support.appliance import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PANEL_BUILD = REPO_ROOT / "frontends" / "dist" / "sysadmin"
ADMIN = ("vendor", "renewals-pass-1234")
LAPTOP = {"width": 1280, "height": 800}
REFUSAL = "The customer email is invalid for this merchant"


class FakeRazorpayServer:
    """Razorpay's payment-link API over real HTTP: Basic auth with the key pair, links by reference_id (a second
    link with the same reference is refused, as Razorpay does), the search by reference, and a payment page for
    each link so "Open" leads somewhere local. `refuse_next` makes the next create a BAD_REQUEST_ERROR."""

    def __init__(self) -> None:
        self.links: dict[str, dict[str, Any]] = {}
        self.creates: list[dict[str, Any]] = []
        self.refuse_next: list[str] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-razorpay", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeRazorpayServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def only_link(self) -> dict[str, Any]:
        with self._lock:
            assert len(self.links) == 1, f"expected one payment link, Razorpay holds {list(self.links)}"
            return dict(next(iter(self.links.values())))

    def _create(self, body: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            self.creates.append(body)
            if self.refuse_next:
                return 400, refusal(self.refuse_next.pop(0))
            if any(link["reference_id"] == body["reference_id"] for link in self.links.values()):
                return 400, refusal("Payment Link with this reference_id already exists")
            link_id = f"plink_E2E{next(self._ids):07d}"
            link = {
                "id": link_id,
                "short_url": f"{self.url}/pay/{link_id}",
                "amount": body["amount"],
                "amount_paid": 0,
                "currency": body["currency"],
                "reference_id": body["reference_id"],
                "description": body.get("description", ""),
                "expire_by": body.get("expire_by"),
                "notes": body.get("notes") or [],
                "status": "created",
                "created_at": int(datetime.now(UTC).timestamp()),
            }
            self.links[link_id] = link
            return 200, link

    def _search(self, reference_id: str | None) -> tuple[int, Any]:
        with self._lock:
            found = [link for link in self.links.values() if reference_id in (None, link["reference_id"])]
        return 200, {"payment_links": found, "count": len(found)}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self
        expected_auth = "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows what failed
                pass

            def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == expected_auth:
                    return True
                self._answer(401, refusal("Authentication failed"))
                return False

            def do_POST(self) -> None:
                if urlsplit(self.path).path.rstrip("/") != "/v1/payment_links":
                    self._answer(404, refusal("The requested URL was not found on the server."))
                elif self._authorized():
                    length = int(self.headers.get("Content-Length") or 0)
                    self._answer(*fake._create(json.loads(self.rfile.read(length) or b"{}")))

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path.startswith("/pay/"):
                    page = f"<!doctype html><title>Razorpay (fake)</title><h1>Pay {parts.path[5:]}</h1>"
                    self._answer(200, page.encode(), "text/html; charset=utf-8")
                elif parts.path.rstrip("/") != "/v1/payment_links":
                    self._answer(404, refusal("The requested URL was not found on the server."))
                elif self._authorized():
                    self._answer(*fake._search(parse_qs(parts.query).get("reference_id", [None])[0]))

        return Handler


@pytest.fixture
def razorpay() -> Iterator[FakeRazorpayServer]:
    with FakeRazorpayServer() as server:
        yield server


@pytest.fixture
def cloud(tmp_path: Path, razorpay: FakeRazorpayServer) -> Iterator[CloudProcess]:
    if not (PANEL_BUILD / "index.html").is_file():
        _unavailable(f"the sysadmin panel is not built ({PANEL_BUILD / 'index.html'} missing): run make web-build")
    env = {
        "ADMIN_USERNAME": ADMIN[0],
        "ADMIN_PASSWORD": ADMIN[1],
        "WEB_DIR": str(PANEL_BUILD),
        "PASSWORD_HASH_ROUNDS": "4",
        "RAZORPAY_KEY_ID": KEY_ID,
        "RAZORPAY_KEY_SECRET": KEY_SECRET,
        "RAZORPAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "RAZORPAY_BASE_URL": razorpay.url,
        "RAZORPAY_TIMEOUT_SECONDS": "5",
        "RENEWAL_PRICE_PER_MONTH": str(PRICE),
    }
    with CloudProcess(f"sqlite:///{tmp_path / 'cloud.db'}", tmp_path / "cloud.log", env=env) as server:
        yield server


@pytest.fixture
def panel(make_context: Callable[..., BrowserContext]) -> Page:
    context = make_context(
        viewport=LAPTOP, screen=LAPTOP, device_scale_factor=1, has_touch=False, is_mobile=False, locale="en-GB"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context.new_page()


def cloud_api(cloud: CloudProcess, method: str, path: str, **kwargs: Any) -> Any:
    headers = admin_login(cloud.base_url, *ADMIN)
    resp = httpx.request(method, cloud.base_url + path, headers=headers, timeout=10, **kwargs)
    resp.raise_for_status()
    return resp.json()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_renewal_link_made_in_the_panel_and_paid_at_razorpay_extends_the_license(
    cloud: CloudProcess, razorpay: FakeRazorpayServer, panel: Page
) -> None:
    console = ConsoleLog().attach(panel)
    paid_through = (datetime.now(UTC) + timedelta(days=10)).replace(hour=23, minute=59, second=59, microsecond=0)
    site = cloud_api(
        cloud,
        "POST",
        "/api/sites/",
        json={
            "name": "Taverna Renewal",
            "owner_name": "Anna Owner",
            "contact_email": "anna@taverna.example",
            "license_expires_at": paid_through.isoformat(),
        },
    )
    site_id = site["site_id"]
    before = cloud_api(cloud, "GET", f"/api/sites/{site_id}")["license_expires_at"]

    panel.goto(f"{cloud.base_url}/sites/{site_id}")
    panel.get_by_label("Username").fill(ADMIN[0])
    panel.get_by_label("Password").fill(ADMIN[1])
    panel.get_by_role("button", name="Sign in").click()
    card = panel.get_by_test_id("payments-card")
    expect(card).to_contain_text("No renewal yet")

    # Razorpay refuses the first attempt: the panel shows its reason and nothing is recorded.
    razorpay.refuse_next.append(REFUSAL)
    card.get_by_role("button", name="Create renewal link").click()
    dialog = panel.get_by_role("dialog")
    dialog.get_by_role("button", name="3 months").click()
    dialog.get_by_role("button", name="Create link").click()
    expect(dialog.get_by_test_id("action-error")).to_contain_text(f"Razorpay refused the payment link: {REFUSAL}")
    assert cloud_api(cloud, "GET", f"/api/sites/{site_id}/renewals") == []

    # The retry is the same intent: same idempotency key, so the same reference goes to Razorpay.
    dialog.get_by_role("button", name="Create link").click()
    result = dialog.get_by_test_id("renewal-result")
    expect(result).to_be_visible()
    link = razorpay.only_link()
    expect(result.get_by_test_id("renewal-url")).to_have_text(link["short_url"])
    expect(result.get_by_test_id("renewal-amount")).to_have_attribute("data-amount", str(3 * PRICE))
    assert [c["reference_id"] for c in razorpay.creates] == [link["reference_id"]] * 2
    assert razorpay.creates[-1]["amount"] == 3 * PRICE
    assert razorpay.creates[-1]["notes"] == {"site_id": site_id, "months": "3"}
    screenshot(panel, "sysadmin-renewal-link")

    result.get_by_role("button", name="Copy").click()
    assert panel.evaluate("navigator.clipboard.readText()") == link["short_url"]
    with panel.context.expect_page() as opened:
        result.get_by_role("link", name="Open").click()
    checkout = opened.value
    checkout.wait_for_load_state()
    assert checkout.url == link["short_url"]
    expect(checkout.get_by_role("heading")).to_have_text(f"Pay {link['id']}")
    checkout.close()

    dialog.get_by_role("button", name="Done").click()
    expect(panel.get_by_role("dialog")).to_have_count(0)
    expect(card.get_by_test_id("open-renewal").get_by_test_id("renewal-url")).to_have_text(link["short_url"])
    row = card.get_by_test_id("renewal-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("renewal-status")).to_have_text("Awaiting payment")

    # The restaurant pays: Razorpay's signed webhook reaches the cloud over HTTP.
    event = link_event("payment_link.paid", link, payment_id="pay_E2E0000001")
    body = encode(event)
    resp = httpx.post(
        cloud.base_url + "/api/billing/razorpay/webhook",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Razorpay-Signature": sign(body, WEBHOOK_SECRET),
            "X-Razorpay-Event-Id": "evt_E2E0000001",
        },
        timeout=10,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["outcome"] == "applied"
    after = cloud_api(cloud, "GET", f"/api/sites/{site_id}")["license_expires_at"]
    assert utc(after) == add_months(utc(before), 3)

    panel.reload()
    expect(row.get_by_test_id("renewal-status")).to_have_text("Paid")
    expect(row).to_have_attribute("data-status", "paid")
    expect(row.get_by_test_id("renewal-payment-id")).to_have_text("pay_E2E0000001")
    extension = row.get_by_test_id("renewal-extension").locator("time")
    expect(extension).to_have_count(2)
    shown = [utc(extension.nth(i).get_attribute("datetime") or "") for i in range(2)]
    assert shown == [utc(before), utc(after)]
    expect(panel.get_by_test_id("paid-through").locator("time")).to_have_attribute("datetime", after)
    expect(card.get_by_test_id("open-renewal")).to_have_count(0)
    screenshot(panel, "sysadmin-renewal-paid")
    # Chromium logs the deliberate refusal (a 502) as a failed resource; nothing else may show up.
    assert [e for e in console.errors if "status of 502" not in e] == []
