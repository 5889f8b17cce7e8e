"""GET/POST /api/system/backups: the backups on hand and the schedule's state, and a backup taken on demand."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.backup import service as backups
from local_backend.config import Settings
from tests.conftest import MANAGER, login, make_settings

pytestmark = pytest.mark.timeout(60)

URL = "/api/system/backups"


@pytest.fixture
def backup_dir(tmp_path: Path) -> Path:
    """BACKUP_DIR: a directory of its own (a USB stick's mount point in production)."""
    directory = tmp_path / "stick"
    directory.mkdir()
    return directory


@pytest.fixture
def settings(tmp_path: Path, backup_dir: Path) -> Settings:
    return make_settings(tmp_path, backup_dir=backup_dir)


def overview(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    resp = client.get(URL, headers=headers)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def take(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    resp = client.post(URL, headers=headers)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def audit_actions(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    resp = client.get("/api/audit/?entity_type=backup", headers=headers)
    assert resp.status_code == 200, resp.text
    return list(resp.json())


def sound_tavolo_database(path: Path) -> bool:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        ok = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        staff = connection.execute("SELECT count(*) FROM users").fetchone()[0]
    finally:
        connection.close()
    return bool(ok and staff >= 1)


class TestAccess:
    @pytest.mark.parametrize("method", ["GET", "POST"])
    def test_without_a_token_it_is_401(self, client: TestClient, method: str) -> None:
        assert client.request(method, URL).status_code == 401

    @pytest.mark.parametrize("method", ["GET", "POST"])
    def test_a_waiter_is_refused_and_nothing_is_written(
        self, client: TestClient, waiter_headers: Callable[..., dict[str, str]], backup_dir: Path, method: str
    ) -> None:
        resp = client.request(method, URL, headers=waiter_headers("maria"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"
        assert list(backup_dir.iterdir()) == []


def _app(settings: Settings) -> FastAPI:
    return create_app(settings)


def _manager(client: TestClient) -> dict[str, str]:
    return login(client, *MANAGER)


class TestListing:
    def test_with_no_backup_yet_it_shows_the_directory_and_the_schedule(
        self, client: TestClient, manager_headers: dict[str, str], backup_dir: Path
    ) -> None:
        body = overview(client, manager_headers)
        assert body["backups"] == []
        assert body["directory"] == str(backup_dir.resolve())
        assert (body["scheduled"], body["interval_hours"], body["keep_daily"], body["keep_weekly"]) == (
            True,
            24,
            7,
            4,
        )
        assert body["next_due_at"] is None
        assert body["last_error"] is None
        assert body["running"] is False

    def test_backups_are_listed_newest_first_with_their_kind_and_the_next_one_is_due_at_the_backup_hour(
        self, client: TestClient, manager_headers: dict[str, str], settings: Settings, backup_dir: Path, app: FastAPI
    ) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        older = backups.take_backup(settings, now=now - timedelta(days=2))
        upgrade = backups.pre_upgrade_backup(settings, "20250101_0001", now=now - timedelta(days=1))
        newest = backups.take_backup(settings, now=now - timedelta(hours=3))
        (backup_dir / "notes.txt").write_text("not a backup")

        body = overview(client, manager_headers)
        listed = [(b["name"], b["kind"], b["size_bytes"]) for b in body["backups"]]
        assert listed == [
            (newest.path.name, "regular", newest.path.stat().st_size),
            (upgrade.path.name, "pre-upgrade", upgrade.path.stat().st_size),
            (older.path.name, "regular", older.path.stat().st_size),
        ]
        assert body["backups"][0]["path"] == str(newest.path)
        assert datetime.fromisoformat(body["backups"][0]["taken_at"]) == now - timedelta(hours=3)
        # The next daily backup waits for BACKUP_HOUR (04:00 site time) after the day has passed.
        next_due = datetime.fromisoformat(body["next_due_at"])
        assert next_due == app.state.backup_scheduler.next_due(newest.taken_at)
        assert timedelta(hours=23) < next_due - newest.taken_at <= timedelta(hours=48)
        assert next_due.astimezone(ZoneInfo(settings.timezone)).hour == settings.backup_hour == 4

    def test_a_failed_scheduled_backup_shows_its_reason_until_a_backup_succeeds(
        self, client: TestClient, manager_headers: dict[str, str], app: FastAPI, backup_dir: Path
    ) -> None:
        backup_dir.rmdir()  # the stick was pulled out
        scheduler = app.state.backup_scheduler
        assert client.portal is not None
        client.portal.call(scheduler.check)
        error = overview(client, manager_headers)["last_error"]
        assert error is not None
        assert "does not exist" in error
        assert str(backup_dir) in error

        backup_dir.mkdir()  # plugged back in; the manager does not wait for the next scheduled try
        take(client, manager_headers)
        assert overview(client, manager_headers)["last_error"] is None

    def test_with_the_schedule_off_nothing_is_due_but_backups_still_list(
        self, tmp_path: Path, backup_dir: Path
    ) -> None:
        app = _app(make_settings(tmp_path, backup_dir=backup_dir, backup_interval_hours=0))
        with TestClient(app) as client:
            headers = _manager(client)
            take(client, headers)
            body = overview(client, headers)
        assert (body["scheduled"], body["next_due_at"], len(body["backups"])) == (False, None, 1)


class TestTakingABackup:
    def test_it_writes_a_sound_copy_into_the_backup_directory_and_lists_it_first(
        self, client: TestClient, manager_headers: dict[str, str], backup_dir: Path
    ) -> None:
        before = datetime.now(UTC).replace(microsecond=0)
        taken = take(client, manager_headers)
        file = backup_dir / taken["name"]
        assert file.is_file()
        assert taken["path"] == str(file.resolve())
        assert taken["size_bytes"] == file.stat().st_size > 0
        assert taken["kind"] == "regular"
        assert before <= datetime.fromisoformat(taken["taken_at"]) <= datetime.now(UTC)
        assert sound_tavolo_database(file)
        assert overview(client, manager_headers)["backups"][0]["name"] == taken["name"]

    def test_it_is_audit_logged_with_the_manager_and_the_file(
        self, client: TestClient, manager_headers: dict[str, str]
    ) -> None:
        taken = take(client, manager_headers)
        (event,) = audit_actions(client, manager_headers)
        assert event["action"] == "system.backup_taken"
        assert event["actor_name"] is not None
        assert event["data"]["file"] == taken["name"]
        assert event["data"]["size_bytes"] == taken["size_bytes"]

    def test_it_rotates_the_directory_as_the_schedule_does(self, tmp_path: Path, backup_dir: Path) -> None:
        settings = make_settings(tmp_path, backup_dir=backup_dir, backup_keep_daily=1, backup_keep_weekly=0)
        with TestClient(_app(settings)) as client:
            old = backups.take_backup(settings, now=datetime.now(UTC) - timedelta(days=3))
            taken = take(client, _manager(client))
        assert not old.path.exists()
        assert [p.name for p in backup_dir.iterdir()] == [taken["name"]]


class TestWhenTheBackupCannotBeTaken:
    def test_a_missing_backup_directory_is_a_503_saying_so_and_is_audited(
        self, client: TestClient, manager_headers: dict[str, str], backup_dir: Path
    ) -> None:
        backup_dir.rmdir()
        resp = client.post(URL, headers=manager_headers)
        assert resp.status_code == 503
        body = resp.json()
        assert body["code"] == "BACKUP_FAILED"
        assert str(backup_dir) in body["detail"]
        assert "USB stick" in body["detail"]
        assert not backup_dir.exists()  # not created under an empty mount point
        (event,) = audit_actions(client, manager_headers)
        assert event["action"] == "system.backup_failed"
        assert str(backup_dir) in event["data"]["error"]

    def test_a_backup_directory_that_is_a_file_is_a_503(
        self, client: TestClient, manager_headers: dict[str, str], backup_dir: Path
    ) -> None:
        backup_dir.rmdir()
        backup_dir.write_text("a file where the stick should be")
        resp = client.post(URL, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (503, "BACKUP_FAILED")

    def test_an_unwritable_default_directory_is_a_503_with_the_reason(self, tmp_path: Path) -> None:
        # BACKUP_DIR unset: `backups` beside the database, here blocked by a file (root can write anywhere else).
        (tmp_path / "backups").write_text("in the way")
        with TestClient(_app(make_settings(tmp_path))) as client:
            resp = client.post(URL, headers=_manager(client))
        assert resp.status_code == 503
        assert resp.json()["code"] == "BACKUP_FAILED"
        assert "cannot create the backup directory" in resp.json()["detail"]

    def test_after_a_failure_the_next_press_works(
        self, client: TestClient, manager_headers: dict[str, str], backup_dir: Path
    ) -> None:
        backup_dir.rmdir()
        assert client.post(URL, headers=manager_headers).status_code == 503
        backup_dir.mkdir()
        assert (backup_dir / take(client, manager_headers)["name"]).is_file()


class TestWhileABackupRuns:
    @pytest.fixture
    def held_copy(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
        """Each backup's copy waits for `release` after signalling `started`: a backup as slow as a big file."""
        started, release = threading.Event(), threading.Event()
        copy = backups._copy

        def slow_copy(source: Path, target: Path) -> None:
            started.set()
            assert release.wait(20), "the test never let the copy finish"
            copy(source, target)

        monkeypatch.setattr(backups, "_copy", slow_copy)
        yield started, release
        release.set()

    def test_a_second_backup_is_refused_and_writes_go_on_meanwhile(
        self,
        client: TestClient,
        manager_headers: dict[str, str],
        backup_dir: Path,
        held_copy: tuple[threading.Event, threading.Event],
    ) -> None:
        started, release = held_copy
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.post, URL, headers=manager_headers)
            assert started.wait(10), "the backup never started"

            second = client.post(URL, headers=manager_headers)
            assert second.status_code == 409
            assert second.json()["code"] == "BACKUP_RUNNING"
            assert overview(client, manager_headers)["running"] is True
            # The copy holds no writer: a manager's change is saved while it runs.
            renamed = client.put(
                "/api/settings", json={"restaurant_name": "During the backup"}, headers=manager_headers
            )
            assert renamed.status_code == 200, renamed.text
            assert not first.done()

            release.set()
            done: httpx.Response = first.result(timeout=20)
        assert done.status_code == 201, done.text
        assert [p.name for p in backup_dir.iterdir()] == [done.json()["name"]]
        assert overview(client, manager_headers)["running"] is False
