"""The System screen of the manager dashboard, against a real appliance in a 1280x800 tablet browser.

The manager opens System from the main navigation and reads what a technician checks first (version, disk,
printers); with no backup yet the screen says so, "Back up now" writes one, and the new file is listed on the
screen, found in the backup directory on disk, and in the audit trail. What the appliance holds is read back
through its API and the file system, never through the page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.manager import manager_sign_in, tablet_context
from tests.e2e.support import ConsoleLog, Site, screenshot, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


class TestSystemScreen:
    def test_the_manager_reads_the_appliance_state_and_takes_a_backup_that_lands_on_disk(
        self, appliance: Site, make_context: Callable[..., BrowserContext]
    ) -> None:
        site = appliance
        # The appliance's default BACKUP_DIR: `backups` beside its database.
        backup_dir = site.appliance.db_path.parent / "backups"
        assert site.api("GET", "/api/system/backups")["backups"] == []
        version = site.api("GET", "/api/system/health")["version"]

        page = tablet_context(make_context).new_page()
        console = ConsoleLog().attach(page)
        manager_sign_in(page, site)
        nav = page.get_by_role("navigation", name="Main")
        links = nav.get_by_role("link")
        expect(links).to_have_count(10)
        tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(10)) if box}
        assert len(tops) == 1, f"the navigation wraps at 1280 px: rows at {sorted(tops)}"
        nav.get_by_role("link", name="System", exact=True).click()
        expect(page.get_by_role("heading", name="System", level=1)).to_be_visible()

        # Version, disk and the seeded printers, as the appliance reports them.
        expect(page.get_by_test_id("system-version")).to_have_text(version)
        expect(page.get_by_test_id("disk-free")).to_contain_text("free of")
        expect(page.get_by_role("meter", name="Disk used")).to_be_visible()
        expect(page.get_by_test_id("database-size")).to_contain_text("MB")
        for name in ("Kitchen", "Bar"):
            row = page.get_by_test_id(f"system-printer-{name}")
            expect(row.get_by_test_id("system-printer-state")).not_to_be_empty()
            expect(row.get_by_test_id("system-printer-queue")).to_have_text("0")
        # No backup yet: said in words.
        expect(page.get_by_test_id("backup-age")).to_contain_text("never")
        expect(page.get_by_test_id("backup-warning")).to_contain_text("No backup yet")

        page.get_by_test_id("backup-now").click()
        expect(page.get_by_test_id("backup-result")).to_contain_text("Backup saved: tavolo-")
        listed = wait_until(
            lambda: site.api("GET", "/api/system/backups")["backups"], what="the backup in the list", page=page
        )
        assert len(listed) == 1
        name = listed[0]["name"]
        expect(page.get_by_test_id("backup-row")).to_have_count(1)
        expect(page.get_by_test_id("backup-row")).to_have_attribute("data-name", name)
        expect(page.get_by_test_id("backup-warning")).to_be_hidden()
        expect(page.get_by_test_id("backup-age")).to_contain_text("just now")
        screenshot(page, "manager-system")

        # The file is on disk, whole: a sound copy of the appliance's database with its staff in it.
        file = backup_dir / name
        assert file.is_file()
        assert file.stat().st_size == listed[0]["size_bytes"] > 0
        connection = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("SELECT count(*) FROM users").fetchone()[0] >= 3
        finally:
            connection.close()
        events = site.api("GET", "/api/audit/?entity_type=backup")
        assert [(e["action"], e["data"]["file"]) for e in events] == [("system.backup_taken", name)]
        assert console.errors == []
