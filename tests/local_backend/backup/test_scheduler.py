"""The backup schedule follows the newest backup file, rotates after each backup, and survives a missing stick."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.backup import service
from local_backend.backup.scheduler import BackupScheduler
from local_backend.config import Settings
from tests.conftest import make_settings

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def run(coro):
    return asyncio.run(coro)


def with_(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


class TestWhenABackupIsDue:
    def test_the_first_check_backs_up_a_database_that_has_none(self, settings: Settings):
        taken = run(BackupScheduler(settings).check(NOW))
        assert taken is not None
        assert service.last_backup(settings) == taken

    def test_a_backup_younger_than_the_interval_is_enough(self, settings: Settings):
        service.take_backup(settings, now=NOW - timedelta(hours=20))
        assert run(BackupScheduler(settings).check(NOW)) is None
        assert len(service.list_backups(settings)) == 1

    def test_a_backup_older_than_the_interval_is_followed_by_a_new_one(self, settings: Settings):
        settings = with_(settings, backup_hour=-1)
        service.take_backup(settings, now=NOW - timedelta(hours=25))
        taken = run(BackupScheduler(settings).check(NOW))
        assert taken is not None
        assert taken.taken_at == NOW

    def test_a_daily_backup_waits_for_the_quiet_hour_of_the_sites_clock(self, settings: Settings):
        # First switched on at 19:00 in Athens (17:00 UTC): the first backup at once, the next at 04:00 Athens.
        athens = ZoneInfo("Europe/Athens")
        first = datetime(2026, 12, 2, 19, 0, tzinfo=athens)
        settings = with_(settings, backup_hour=4)
        assert run(BackupScheduler(settings, timezone=lambda: athens).check(first)) is not None
        scheduler = BackupScheduler(settings, timezone=lambda: athens)  # as after a restart: the file decides
        for hours in (9, 24, 25, 30):  # 04:00 the next day is only 9 h later; then the evening and the night
            assert scheduler.due(first + timedelta(hours=hours)) is False, hours
        assert scheduler.due(first + timedelta(hours=33)) is True  # 04:00 the day after
        assert scheduler.due(first + timedelta(hours=34)) is False  # 05:00: the hour is over
        last = service.last_backup(settings)
        assert last is not None
        assert scheduler.next_due(last.taken_at) == first + timedelta(hours=33)

    def test_a_backup_that_missed_its_hour_for_a_whole_day_runs_at_the_next_check(self, settings: Settings):
        # The Pi is switched off every night: it cannot wait for 04:00 for ever.
        service.take_backup(settings, now=NOW - timedelta(hours=48))
        scheduler = BackupScheduler(with_(settings, backup_hour=4), timezone=lambda: ZoneInfo("UTC"))
        assert NOW.hour != 4
        assert scheduler.due(NOW) is True

    def test_a_restarted_appliance_does_not_back_up_again(self, settings: Settings):
        run(BackupScheduler(settings).check(NOW))
        assert run(BackupScheduler(settings).check(NOW + timedelta(minutes=10))) is None

    def test_the_same_process_does_not_repeat_a_backup_whose_time_looks_wrong(self, settings: Settings):
        # Taken while the clock was a day ahead (a Pi before NTP): it does not count, but one retake is enough.
        service.take_backup(settings, now=NOW + timedelta(days=1))
        scheduler = BackupScheduler(settings)
        assert run(scheduler.check(NOW)) is not None
        assert run(scheduler.check(NOW + timedelta(minutes=5))) is None

    def test_each_backup_rotates_the_directory(self, settings: Settings, db_path: Path):
        directory = db_path.parent / "backups"
        settings = with_(settings, backup_hour=-1)
        for days in range(1, 15):
            service.take_backup(settings, now=NOW - timedelta(days=days))
        run(BackupScheduler(with_(settings, backup_keep_daily=3, backup_keep_weekly=0)).check(NOW))
        assert sorted(p.name for p in directory.iterdir()) == [
            "tavolo-20261130-030000.db",
            "tavolo-20261201-030000.db",
            "tavolo-20261202-030000.db",
        ]


class TestAMissingUsbStick:
    def test_the_failure_is_logged_and_the_check_returns(self, settings: Settings, tmp_path, caplog):
        stick = tmp_path / "media" / "usb"
        scheduler = BackupScheduler(with_(settings, backup_dir=stick))
        with caplog.at_level(logging.ERROR, logger="local_backend.backup.scheduler"):
            assert run(scheduler.check(NOW)) is None
        assert any("USB stick" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
        assert scheduler.last_error is not None
        assert str(stick) in scheduler.last_error

    def test_a_failure_is_retried_later_not_at_every_check(self, settings: Settings, tmp_path):
        stick = tmp_path / "usb"
        scheduler = BackupScheduler(with_(settings, backup_dir=stick))
        assert run(scheduler.check(NOW)) is None
        stick.mkdir()  # plugged back in
        assert run(scheduler.check(NOW + timedelta(minutes=5))) is None  # within the retry delay

        retrying = BackupScheduler(with_(settings, backup_dir=stick), retry_seconds=0)
        taken = run(retrying.check(NOW + timedelta(minutes=5)))
        assert taken is not None
        assert taken.path.parent == stick
        assert retrying.last_error is None

    def test_the_app_keeps_serving_while_backups_fail(self, tmp_path):
        settings = make_settings(tmp_path, backup_dir=tmp_path / "unplugged")
        scheduler = BackupScheduler(settings)
        with TestClient(create_app(settings)) as client:
            assert client.portal is not None
            assert client.portal.call(scheduler.check) is None
            assert scheduler.last_error is not None
            resp = client.get("/api/system/health")
        assert resp.status_code == 200
        assert resp.json()["status"] == "ok"


class TestStartingAndStopping:
    def test_a_started_scheduler_runs_its_job_and_stops(self, settings: Settings):
        async def scenario() -> None:
            scheduler = BackupScheduler(settings)
            await scheduler.start()
            assert scheduler._scheduler is not None
            assert scheduler._scheduler.get_job("backup") is not None
            await scheduler.stop()
            assert scheduler._scheduler is None

        run(scenario())

    def test_an_interval_of_zero_turns_the_schedule_off(self, settings: Settings):
        async def scenario() -> None:
            scheduler = BackupScheduler(with_(settings, backup_interval_hours=0))
            assert not scheduler.enabled
            await scheduler.start()
            assert scheduler._scheduler is None
            await scheduler.stop()

        run(scenario())
