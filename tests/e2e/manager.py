"""Driving the manager dashboard (/manager/) in a tablet-sized browser: shared by the manager browser tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.support import Site

TABLET = {"width": 1280, "height": 800}


def tablet_context(make_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A 1280x800 touch tablet (the dashboard's main device)."""
    options: dict[str, Any] = {"viewport": TABLET, "screen": TABLET, "device_scale_factor": 1, "is_mobile": False}
    return make_context(**options)


def manager_sign_in(page: Page, site: Site, path: str = "/") -> None:
    """Open the dashboard at `path` (relative to /manager) and sign in with the seeded manager's PIN pad."""
    username, pin = site.appliance.manager
    page.goto(site.url("/manager" + path))
    page.get_by_test_id("login-username").fill(username)
    for digit in pin:
        page.get_by_test_id(f"pin-key-{digit}").click()
    submit = page.get_by_test_id("login-submit")
    if submit.is_visible() and submit.is_enabled():
        submit.click()
    expect(page.get_by_test_id("current-manager")).to_be_visible()
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-live", "on")
