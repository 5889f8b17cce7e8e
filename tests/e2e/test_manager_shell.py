"""The manager dashboard's shell in a real browser: manager-only sign-in, live connection, the alerts banner."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site


class TestSignIn:
    def test_a_manager_signs_in_with_the_pin_pad_and_the_dashboard_goes_live(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, appliance)
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        assert console.uncaught == []

    def test_a_waiter_is_refused_and_left_signed_out(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        page = tablet_context(make_context).new_page()
        page.goto(appliance.url("/manager/"))
        page.get_by_test_id("login-username").fill(appliance.waiter.username)
        for digit in appliance.waiter.pin:
            page.get_by_test_id(f"pin-key-{digit}").click()
        submit = page.get_by_test_id("login-submit")
        if submit.is_visible() and submit.is_enabled():
            submit.click()
        expect(page.get_by_test_id("login-error")).to_contain_text("for managers")
        expect(page.get_by_test_id("current-manager")).to_have_count(0)
        page.reload()
        expect(page.get_by_test_id("login-username")).to_be_visible()
