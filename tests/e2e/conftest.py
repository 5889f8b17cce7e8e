"""Browser-test fixtures: Debian's Chromium driven by Playwright, a phone-sized context, a real seeded appliance.

Locally, a machine without Chromium or without a web build skips these tests with the reason; under CI (env CI set)
the same gaps fail the run, so the browser tests can never silently stop running there. Every wait is bounded
(Playwright's default timeouts below, the appliance's startup timeout) and every process is stopped.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.support import WEB_BUILD, ConsoleLog, Site, screenshot, seed_site
from tests.support.appliance import TEST_ENV, Appliance
from tests.support.fake_printer import FakePrinter

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 20_000
# Printing fast enough for a test: retries within a second, short connect and confirm timeouts.
APPLIANCE_ENV = {
    **TEST_ENV,
    "PRINT_RETRY_BASE_SECONDS": "0.1",
    "PRINT_RETRY_MAX_SECONDS": "1",
    "PRINT_CONNECT_TIMEOUT_SECONDS": "1",
    "PRINT_CONFIRM_TIMEOUT_SECONDS": "3",
}

expect.set_options(timeout=ACTION_TIMEOUT_MS)


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail under CI, where the browser tests must run."""
    if os.environ.get("CI", "").lower() not in {"", "0", "false"}:
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    # The page fixture looks here at teardown to keep a picture of a failed test's last screen.
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    found = shutil.which(candidate)
    if found is None:
        _unavailable(f"no Chromium at {candidate} (install Debian's chromium or set CHROMIUM_PATH)")
    return found


@pytest.fixture(scope="session")
def web_build() -> Path:
    if not (WEB_BUILD / "index.html").is_file():
        _unavailable(f"the waiter app is not built ({WEB_BUILD / 'index.html'} missing): run make web-build")
    return WEB_BUILD


# One browser for all the browser tests, stopped when they are done (package scope, not session): while sync
# Playwright runs, the main thread has an asyncio loop marked as running, and later tests calling asyncio.run()
# would fail.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True, timeout=30_000
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def make_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """New phone contexts (360x740, touch, en-GB, no tracing), each closed after the test; options override."""
    contexts: list[BrowserContext] = []

    def _make(**overrides: Any) -> BrowserContext:
        options: dict[str, Any] = {
            "viewport": PHONE,
            "screen": PHONE,
            "device_scale_factor": 2,
            "has_touch": True,
            "is_mobile": True,
            "locale": "en-GB",
            "timezone_id": "Europe/Athens",
            "service_workers": "allow",
        }
        options.update(overrides)
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _make
    for context in contexts:
        context.close()


@pytest.fixture
def context(make_context: Callable[..., BrowserContext]) -> BrowserContext:
    return make_context()


@pytest.fixture
def page(request: pytest.FixtureRequest, context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False) and not page.is_closed():
        name = re.sub(r"\W+", "-", request.node.name)
        try:
            screenshot(page, f"FAILED-{name}")
        except PlaywrightError as exc:  # a missing picture must not hide the test's own failure
            print(f"no failure screenshot: {exc}")


@pytest.fixture
def console(page: Page) -> ConsoleLog:
    """Console errors and uncaught exceptions of `page` (request it before the page navigates)."""
    return ConsoleLog().attach(page)


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    """The kitchen printer: a fake ESC/POS printer on 127.0.0.1 recording every byte."""
    with FakePrinter(name="kitchen") as printer:
        yield printer


@pytest.fixture
def bar_printer() -> Iterator[FakePrinter]:
    with FakePrinter(name="bar") as printer:
        yield printer


@pytest.fixture
def appliance(
    request: pytest.FixtureRequest, tmp_path: Path, web_build: Path, fake_printer: FakePrinter, bar_printer: FakePrinter
) -> Iterator[Site]:
    """A real `python -m local_backend` on a fresh data dir serving the built app, seeded through its API."""
    env = {**APPLIANCE_ENV, "WEB_DIR": str(web_build.parent)}
    with Appliance(tmp_path / "appliance", env=env) as server:
        yield seed_site(server, fake_printer, bar_printer)
        if request.node.stash.get(_FAILED, False):
            print(f"appliance log (tail):\n{server.log_tail()}")
