"""The vendor's sysadmin panel against a real cloud and a real appliance: register a site, activate the appliance
with the secret shown once, lock it from the panel (the appliance refuses new orders after its next heartbeat),
unlock it (orders again). What the servers hold is checked through their APIs, never through the page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.cloud_backend.support import CloudProcess, admin_login
from tests.e2e.conftest import APPLIANCE_ENV, _unavailable
from tests.e2e.support import ConsoleLog, Site, screenshot, seed_site
from tests.support.appliance import REPO_ROOT, Appliance
from tests.support.fake_printer import FakePrinter

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PANEL_BUILD = REPO_ROOT / "frontends" / "dist" / "sysadmin"
ADMIN = ("vendor", "panel-pass-1234")
LAPTOP = {"width": 1280, "height": 800}
LOCK_REASON = "Invoice 2026-11 unpaid"


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[CloudProcess]:
    if not (PANEL_BUILD / "index.html").is_file():
        _unavailable(f"the sysadmin panel is not built ({PANEL_BUILD / 'index.html'} missing): run make web-build")
    env = {"ADMIN_USERNAME": ADMIN[0], "ADMIN_PASSWORD": ADMIN[1], "WEB_DIR": str(PANEL_BUILD)}
    # Cheap hashing: the test logs in and checks keys many times; production cost is tested elsewhere.
    env["PASSWORD_HASH_ROUNDS"] = "4"
    with CloudProcess(f"sqlite:///{tmp_path / 'cloud.db'}", tmp_path / "cloud.log", env=env) as server:
        yield server


@pytest.fixture
def site(
    tmp_path: Path, web_build: Path, fake_printer: FakePrinter, bar_printer: FakePrinter, cloud: CloudProcess
) -> Iterator[Site]:
    """A seeded appliance in its trial that trusts the cloud's published keys (as a release trusts the vendor's)."""
    jwks = httpx.get(cloud.base_url + "/.well-known/jwks.json", timeout=10).json()
    env = {**APPLIANCE_ENV, "WEB_DIR": str(web_build.parent), "LICENSE_PUBLIC_KEYS": json.dumps(jwks)}
    with Appliance(tmp_path / "appliance", env=env) as server:
        yield seed_site(server, fake_printer, bar_printer)


@pytest.fixture
def panel(make_context: Callable[..., BrowserContext]) -> Page:
    context = make_context(
        viewport=LAPTOP, screen=LAPTOP, device_scale_factor=1, has_touch=False, is_mobile=False, locale="en-GB"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context.new_page()


def new_order(site: Site, table: int) -> httpx.Response:
    with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
        return client.post("/api/orders/", json={"table_id": site.tables[table]["id"]}, headers=site.waiter.headers)


def cloud_site(cloud: CloudProcess, site_id: str) -> dict[str, Any]:
    resp = httpx.get(f"{cloud.base_url}/api/sites/{site_id}", headers=admin_login(cloud.base_url, *ADMIN), timeout=10)
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def test_register_lock_and_unlock_a_site_from_the_panel(cloud: CloudProcess, site: Site, panel: Page) -> None:
    console = ConsoleLog().attach(panel)
    panel.goto(cloud.base_url + "/")
    panel.get_by_label("Username").fill(ADMIN[0])
    panel.get_by_label("Password").fill("wrong-password")
    panel.get_by_role("button", name="Sign in").click()
    expect(panel.get_by_test_id("login-error")).to_be_visible()
    panel.get_by_label("Password").fill(ADMIN[1])
    panel.get_by_role("button", name="Sign in").click()

    # Register the restaurant: the secret is shown once, with a copy button and a warning.
    panel.get_by_role("button", name="Register site").first.click()
    panel.get_by_label("Name").fill("Taverna Panel")
    panel.get_by_label("Owner").fill("Anna Owner")
    panel.get_by_label("Contact email").fill("anna@taverna.example")
    paid_through = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    panel.get_by_label("Paid through").fill(paid_through)
    panel.get_by_role("button", name="Register site").last.click()
    secret_box = panel.get_by_test_id("site-secret")
    expect(secret_box).to_be_visible()
    site_id = panel.get_by_test_id("site-id").inner_text().strip()
    secret = secret_box.inner_text().strip()
    assert site_id.startswith("site_")
    assert secret.startswith("sk_")
    expect(panel.get_by_text("will not be shown again", exact=False)).to_be_visible()
    panel.get_by_role("button", name="Copy").first.click()
    copied = panel.evaluate("navigator.clipboard.readText()")
    assert secret in copied
    screenshot(panel, "sysadmin-secret-once")

    # The manager activates the appliance with what the vendor handed over: it is licensed.
    status = site.api(
        "POST", "/api/license/activate", json={"site_id": site_id, "site_key": secret, "cloud_url": cloud.base_url}
    )
    assert (status["state"], status["site_id"]) == ("active", site_id)
    assert new_order(site, 1).status_code == 201

    # The vendor locks the site from its card's page.
    panel.goto(cloud.base_url + "/")
    panel.get_by_role("link", name="Taverna Panel").click()
    expect(panel.get_by_test_id("site-status")).to_contain_text("Active")
    panel.get_by_role("button", name="Lock", exact=True).click()
    panel.get_by_label("Reason").fill(LOCK_REASON)
    panel.get_by_role("dialog").get_by_role("button", name="Lock site").click()
    expect(panel.get_by_test_id("site-status")).to_contain_text("Locked")
    expect(panel.get_by_text(LOCK_REASON)).to_be_visible()
    assert cloud_site(cloud, site_id)["is_locked"] is True
    screenshot(panel, "sysadmin-site-locked")

    # The appliance's next heartbeat ("sync now") brings the lock: new orders are refused, settling is not.
    status = site.api("POST", "/api/license/sync")
    assert (status["state"], status["code"], status["lock_reason"]) == ("locked", "LICENSE_LOCKED", LOCK_REASON)
    refused = new_order(site, 2)
    assert (refused.status_code, refused.json()["code"]) == (423, "LICENSE_LOCKED")

    # Unlocked from the panel: after the next heartbeat the appliance takes orders again.
    panel.get_by_role("button", name="Unlock", exact=True).click()
    expect(panel.get_by_test_id("site-status")).to_contain_text("Active")
    assert site.api("POST", "/api/license/sync")["state"] == "active"
    assert new_order(site, 2).status_code == 201

    # The panel shows the heartbeats it received (activation + two syncs) after a reload.
    panel.reload()
    expect(panel.get_by_test_id("heartbeat-row")).to_have_count(3)
    assert cloud_site(cloud, site_id)["heartbeat_count"] == 3
    screenshot(panel, "sysadmin-site-detail")
    # Chromium logs the deliberate wrong-password 401 as a failed resource; nothing else may show up.
    assert [e for e in console.errors if "status of 401" not in e] == []
