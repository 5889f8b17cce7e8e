"""The built waiter app loads from the appliance on a phone-sized Chromium: login first, installable, no errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import ConsoleLog, Site, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

SERVICE_WORKER_READY_MS = 15_000
MIN_TOUCH_TARGET_PX = 44

# Resolves with the active worker's script and scope once the service worker controls the origin, or rejects.
SERVICE_WORKER_READY = """async (timeoutMs) => {
  if (!("serviceWorker" in navigator)) throw new Error("no navigator.serviceWorker (not a secure context?)");
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`service worker not ready after ${timeoutMs} ms`)), timeoutMs));
  const registration = await Promise.race([navigator.serviceWorker.ready, timeout]);
  return { script: registration.active && registration.active.scriptURL, scope: registration.scope };
}"""


class TestTheAppLoads:
    def test_the_app_opens_on_the_login_without_console_errors(
        self, appliance: Site, page: Page, console: ConsoleLog
    ) -> None:
        page.goto(appliance.url("/"))
        expect(page.get_by_test_id("login-username")).to_be_visible()
        expect(page.get_by_test_id("login-submit")).to_be_visible()
        for digit in range(10):
            expect(page.get_by_test_id(f"pin-key-{digit}")).to_be_visible()
        screenshot(page, "smoke-login")
        page.wait_for_load_state("networkidle")
        assert console.errors == []

    def test_a_client_route_loaded_directly_still_starts_the_app(self, appliance: Site, page: Page) -> None:
        page.goto(appliance.url("/order/1"))
        expect(page.get_by_test_id("login-username")).to_be_visible()


class TestInstallable:
    def test_the_page_links_a_manifest_that_makes_the_app_installable(self, appliance: Site, page: Page) -> None:
        page.goto(appliance.url("/"))
        href = page.locator('link[rel="manifest"]').get_attribute("href")
        assert href is not None
        url = urljoin(page.url, href)
        assert url == appliance.url("/manifest.webmanifest")
        resp = page.request.get(url)
        assert resp.ok
        manifest: dict[str, Any] = resp.json()
        assert manifest.get("name") or manifest.get("short_name")
        assert manifest["display"] in {"standalone", "fullscreen", "minimal-ui"}
        assert urljoin(url, manifest.get("start_url", ".")).startswith(appliance.base_url)
        sizes = {size for icon in manifest["icons"] for size in icon.get("sizes", "").split()}
        assert {"192x192", "512x512"} <= sizes, f"icons: {manifest['icons']}"

    def test_the_service_worker_registers_on_the_appliance_origin(self, appliance: Site, page: Page) -> None:
        page.goto(appliance.url("/"))
        expect(page.get_by_test_id("login-username")).to_be_visible()
        worker = page.evaluate(SERVICE_WORKER_READY, SERVICE_WORKER_READY_MS)
        assert worker["scope"] == appliance.url("/")
        assert worker["script"] is not None
        assert worker["script"].startswith(appliance.base_url)


class TestPhoneLayout:
    def test_the_login_fits_the_phone_without_sideways_scrolling(self, appliance: Site, page: Page) -> None:
        page.goto(appliance.url("/"))
        expect(page.get_by_test_id("login-username")).to_be_visible()
        viewport = page.viewport_size
        assert viewport is not None
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]

    def test_every_pin_key_is_a_big_touch_target(self, appliance: Site, page: Page) -> None:
        page.goto(appliance.url("/"))
        keys = [f"pin-key-{digit}" for digit in range(10)] + ["pin-key-back", "login-submit"]
        for key in keys:
            box = page.get_by_test_id(key).bounding_box()
            assert box is not None, f"{key} is not on screen"
            assert box["width"] >= MIN_TOUCH_TARGET_PX, f"{key}: {box}"
            assert box["height"] >= MIN_TOUCH_TARGET_PX, f"{key}: {box}"
