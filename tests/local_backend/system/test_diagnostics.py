"""GET /api/system/diagnostics: disk, database, last backup, printers, clock and versions, for managers only."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from local_backend.app import create_app
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.licensing.models import LicenseRecord
from tests.conftest import MANAGER, login, make_settings
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import wait_until
from tests.support.fake_printer import FakePrinter, PrinterFault, fake_printer

pytestmark = pytest.mark.timeout(60)

URL = "/api/system/diagnostics"


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


@pytest.fixture
def settings(tmp_path: Path, printer: FakePrinter) -> Settings:
    return make_settings(tmp_path, **FAST_PRINTING)


def diagnostics(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    resp = client.get(URL, headers=headers)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


class TestAccess:
    def test_without_a_token_it_is_401(self, client: TestClient) -> None:
        assert client.get(URL).status_code == 401

    def test_a_waiter_is_refused(self, client: TestClient, waiter_headers: Callable[..., dict[str, str]]) -> None:
        resp = client.get(URL, headers=waiter_headers("maria"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"


class TestStorage:
    def test_disk_and_database_sizes_are_those_of_the_data_directory(
        self, client: TestClient, manager_headers: dict[str, str], settings: Settings
    ) -> None:
        body = diagnostics(client, manager_headers)
        usage = shutil.disk_usage(settings.data_dir)
        assert body["disk"]["path"] == str(settings.data_dir)
        assert body["disk"]["total_bytes"] == usage.total
        assert 0 < body["disk"]["free_bytes"] <= usage.total
        db_file = settings.data_dir / "pos.db"
        database = body["database"]
        assert database["path"] == str(db_file)
        assert database["size_bytes"] == db_file.stat().st_size > 0
        assert database["total_bytes"] == database["size_bytes"] + database["wal_bytes"]

    def test_the_last_backup_is_null_until_one_is_taken_then_named_with_its_age_and_size(
        self, client: TestClient, manager_headers: dict[str, str], settings: Settings
    ) -> None:
        assert diagnostics(client, manager_headers)["last_backup"] is None
        taken = backups.take_backup(settings)
        last = diagnostics(client, manager_headers)["last_backup"]
        assert last["path"] == str(taken.path)
        assert last["size_bytes"] == taken.path.stat().st_size
        assert 0 <= last["age_seconds"] < 60
        assert datetime.fromisoformat(last["taken_at"]) == taken.taken_at


class TestPrinters:
    def make_printer(self, client: TestClient, headers: dict[str, str], fake: FakePrinter) -> dict[str, Any]:
        body = {"name": "Kitchen", "ip_address": fake.host, "port": fake.port}
        resp = client.post("/api/printers/", json=body, headers=headers)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def test_a_working_printer_shows_online_with_its_last_success_and_an_empty_queue(
        self, client: TestClient, manager_headers: dict[str, str], printer: FakePrinter
    ) -> None:
        created = self.make_printer(client, manager_headers, printer)
        client.post(f"/api/printers/{created['id']}/test", headers=manager_headers)

        def printed() -> dict[str, Any] | None:
            (entry,) = diagnostics(client, manager_headers)["printers"]
            return entry if entry["last_success_at"] else None

        entry = wait_until(printed, what="the test page")
        assert entry["id"] == created["id"]
        assert entry["name"] == "Kitchen"
        assert entry["state"] == "online"
        assert entry["queue_length"] == 0
        assert entry["last_failure_at"] is None
        assert entry["last_error"] is None

    def test_a_failing_printer_shows_its_state_queue_last_failure_and_error(
        self, client: TestClient, manager_headers: dict[str, str], printer: FakePrinter
    ) -> None:
        printer.set_status(PrinterFault.PAPER_OUT)
        created = self.make_printer(client, manager_headers, printer)
        client.post(f"/api/printers/{created['id']}/test", headers=manager_headers)

        def failed() -> dict[str, Any] | None:
            (entry,) = diagnostics(client, manager_headers)["printers"]
            return entry if entry["last_failure_at"] else None

        entry = wait_until(failed, what="a failed attempt")
        assert entry["state"] == "paper_out"
        assert entry["queue_length"] == 1
        assert entry["last_success_at"] is None
        assert "paper" in entry["last_error"]


class TestClockAndVersions:
    def test_the_clock_is_given_in_utc_and_in_the_site_timezone(
        self, client: TestClient, manager_headers: dict[str, str]
    ) -> None:
        before = datetime.now(UTC)
        body = diagnostics(client, manager_headers)
        clock = body["clock"]
        utc_now = datetime.fromisoformat(clock["utc_now"])
        local = datetime.fromisoformat(clock["local_time"])
        assert before - timedelta(seconds=1) <= utc_now <= datetime.now(UTC)
        assert clock["timezone"] == "Europe/Athens"
        assert local == utc_now
        assert local.utcoffset() in (timedelta(hours=2), timedelta(hours=3))
        assert clock["license_clock_suspect"] is False

    def test_versions_and_uptime_are_reported(self, client: TestClient, manager_headers: dict[str, str]) -> None:
        body = diagnostics(client, manager_headers)
        assert body["python_version"] == sys.version.split()[0]
        assert body["sqlite_version"] == sqlite3.sqlite_version
        assert body["version"]
        assert body["uptime_seconds"] >= 0

    def test_a_clock_behind_time_already_seen_is_flagged(self, settings: Settings) -> None:
        app = create_app(settings)
        with TestClient(app):
            pass  # migrated and seeded; the license record exists
        with app.state.database.write_session() as db:
            db.execute(update(LicenseRecord).values(high_water_at=datetime.now(UTC) + timedelta(days=2)))
        with TestClient(create_app(settings)) as again:
            body = diagnostics(again, login(again, *MANAGER))
        assert body["clock"]["license_clock_suspect"] is True
