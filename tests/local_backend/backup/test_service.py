"""Backups are consistent checked copies, rotate by day and week, and a restore refuses anything unsound."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from local_backend.backup import service
from local_backend.backup.service import BackupFailed, DatabaseInUse, InvalidBackup
from local_backend.config import Settings
from local_backend.migrate import MIGRATIONS
from tests.local_backend.backup.dbfiles import (
    add_user,
    commit_into_wal_and_crash,
    damage,
    foreign_database,
    truncate,
    usernames,
)

# Another process with the database open and idle, as a running appliance has it.
HOLD_OPEN = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=WAL")
con.execute("SELECT count(*) FROM users").fetchall()
print("open", flush=True)
sys.stdin.read()
"""
NOON = datetime(2026, 12, 2, 12, 30, 5, tzinfo=UTC)


def integrity(path: Path) -> list[tuple[str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def fake_backup(directory: Path, moment: datetime, name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or f"tavolo-{moment:%Y%m%d-%H%M%S}.db")
    path.write_bytes(b"not looked at by the rotation")
    return path


class TestTakingABackup:
    def test_a_backup_is_a_sound_copy_named_after_the_utc_time(self, settings: Settings, db_path: Path):
        add_user(db_path, "maria")
        info = service.take_backup(settings, now=NOON)

        assert info.path == db_path.parent / "backups" / "tavolo-20261202-123005.db"
        assert info.taken_at == NOON
        assert info.size_bytes == info.path.stat().st_size > 0
        assert integrity(info.path) == [("ok",)]
        assert usernames(info.path) == {"template", "maria"}
        # One self-contained file (rollback journal, no -wal beside it) and no temporary file left.
        assert info.path.read_bytes()[18:20] == b"\x01\x01"
        assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]

    def test_two_backups_in_the_same_second_get_distinct_names(self, settings: Settings):
        first = service.take_backup(settings, now=NOON)
        second = service.take_backup(settings, now=NOON)
        assert first.path.name == "tavolo-20261202-123005.db"
        assert second.path.name == "tavolo-20261202-123005-2.db"
        assert service.last_backup(settings) == second

    def test_a_destination_directory_is_created_and_a_file_path_is_used_as_is(self, settings: Settings, tmp_path):
        into_dir = service.take_backup(settings, tmp_path / "usb" / "nightly", now=NOON)
        assert into_dir.path == tmp_path / "usb" / "nightly" / "tavolo-20261202-123005.db"
        as_file = service.take_backup(settings, tmp_path / "elsewhere" / "before-the-party.db", now=NOON)
        assert as_file.path == tmp_path / "elsewhere" / "before-the-party.db"
        assert integrity(as_file.path) == [("ok",)]

    def test_a_configured_backup_dir_that_is_missing_is_reported_not_created(self, db_path: Path, tmp_path):
        stick = tmp_path / "media" / "usb" / "tavolo"
        settings = Settings(_env_file=None, database_url=f"sqlite:///{db_path}", backup_dir=stick)
        with pytest.raises(BackupFailed, match="USB stick"):
            service.take_backup(settings)
        assert not stick.exists()

    def test_a_backup_dir_that_is_not_a_directory_fails_cleanly(self, db_path: Path, tmp_path):
        not_a_dir = tmp_path / "stick"
        not_a_dir.write_text("a file where the mount point should be")
        settings = Settings(_env_file=None, database_url=f"sqlite:///{db_path}", backup_dir=not_a_dir)
        with pytest.raises(BackupFailed):
            service.take_backup(settings)

    def test_a_missing_database_is_not_backed_up(self, tmp_path):
        settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'none.db'}")
        with pytest.raises(BackupFailed, match="no database"):
            service.take_backup(settings)
        assert not (tmp_path / "none.db").exists()

    def test_a_damaged_database_gives_no_backup_file(self, settings: Settings, db_path: Path):
        damage(db_path)
        with pytest.raises(BackupFailed):
            service.take_backup(settings, now=NOON)
        assert service.list_backups(settings) == []
        assert list((db_path.parent / "backups").iterdir()) == []


class TestBackupWhileWriting:
    def test_an_open_write_transaction_neither_blocks_the_backup_nor_ends_up_in_it(
        self, settings: Settings, db_path: Path
    ):
        con = sqlite3.connect(db_path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        add_user(db_path, "committed")
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("UPDATE users SET display_name = 'uncommitted' WHERE username = 'committed'")
            started = time.monotonic()
            info = service.take_backup(settings, now=NOON)
            assert time.monotonic() - started < 5
        finally:
            con.execute("ROLLBACK")
            con.close()
        check = sqlite3.connect(info.path)
        names = dict(check.execute("SELECT username, display_name FROM users").fetchall())
        check.close()
        assert names["committed"] == "Committed"

    def test_a_committed_write_still_in_the_wal_is_in_the_backup(self, settings: Settings, db_path: Path):
        commit_into_wal_and_crash(db_path, "only-in-the-wal")
        info = service.take_backup(settings, now=NOON)
        assert "only-in-the-wal" in usernames(info.path)


class TestListingBackups:
    def test_without_a_backup_directory_there_is_no_last_backup(self, settings: Settings):
        assert service.list_backups(settings) == []
        assert service.last_backup(settings) is None

    def test_backups_are_listed_newest_first_with_their_kind_and_other_files_are_ignored(
        self, settings: Settings, db_path: Path
    ):
        directory = db_path.parent / "backups"
        fake_backup(directory, NOON - timedelta(days=2))
        fake_backup(directory, NOON, name="pre-upgrade-7af292b862f0-20261202-123005.db")
        fake_backup(directory, NOON, name="holiday-photos.db")
        fake_backup(directory, NOON, name=".tavolo-20261203-000000.db.partial")
        newest = service.take_backup(settings, now=NOON + timedelta(hours=1))

        listed = service.list_backups(settings)
        assert [(b.path.name, b.kind) for b in listed] == [
            (newest.path.name, "regular"),
            ("pre-upgrade-7af292b862f0-20261202-123005.db", "pre-upgrade"),
            ("tavolo-20261130-123005.db", "regular"),
        ]
        assert listed[1].taken_at == NOON
        assert service.last_backup(settings) == newest


class TestRotation:
    def test_the_newest_of_each_of_the_last_seven_days_and_four_weeks_is_kept(self, tmp_path):
        directory = tmp_path / "backups"
        start = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)  # a Thursday
        made = [fake_backup(directory, start + timedelta(hours=8 * n)) for n in range(3 * 60)]  # 3 a day, 60 days

        deleted = service.rotate(directory, keep_daily=7, keep_weekly=4, now=start + timedelta(days=61))

        kept = sorted(p.name for p in directory.iterdir())
        last_day = start + timedelta(days=59)
        daily = {f"tavolo-{last_day - timedelta(days=d):%Y%m%d}-170000.db" for d in range(7)}
        # The newest of the 4 newest ISO weeks: the current week's is the newest of all; then the Sundays before.
        sundays = {f"tavolo-{datetime(2026, 11, d, tzinfo=UTC):%Y%m%d}-170000.db" for d in (22, 15, 8)}
        assert set(kept) == daily | sundays
        assert len(deleted) == len(made) - len(kept)

    def test_only_regular_backups_are_ever_deleted(self, tmp_path):
        directory = tmp_path / "backups"
        old = datetime(2025, 1, 1, tzinfo=UTC)
        others = [
            fake_backup(directory, old, name="pre-upgrade-7af292b862f0-20250101-000000.db"),
            fake_backup(directory, old, name="pos.db"),
            fake_backup(directory, old, name="tavolo-notes.txt"),
        ]
        for n in range(20):
            fake_backup(directory, old + timedelta(days=n))
        service.rotate(directory, keep_daily=1, keep_weekly=0)
        assert sorted(p.name for p in directory.iterdir()) == sorted(
            [*(p.name for p in others), "tavolo-20250120-000000.db"]
        )

    def test_the_newest_backup_is_kept_even_when_nothing_is_to_be_kept(self, tmp_path):
        directory = tmp_path / "backups"
        for n in range(3):
            fake_backup(directory, NOON + timedelta(days=n))
        service.rotate(directory, keep_daily=0, keep_weekly=0)
        assert [p.name for p in directory.iterdir()] == ["tavolo-20261204-123005.db"]

    def test_a_partial_copy_left_by_a_crash_is_removed_once_stale(self, tmp_path):
        directory = tmp_path / "backups"
        stale = fake_backup(directory, NOON, name=".tavolo-20261202-123005.db.partial")
        fresh = fake_backup(directory, NOON, name=".tavolo-20261202-133005.db.partial")
        hours_ago = time.time() - 7 * 3600
        os.utime(stale, (hours_ago, hours_ago))
        service.rotate(directory, keep_daily=7, keep_weekly=4)
        assert not stale.exists()
        assert fresh.exists()  # maybe a backup still being written


class TestRestoreRefusals:
    @pytest.fixture
    def before(self, db_path: Path) -> bytes:
        return db_path.read_bytes()

    def assert_nothing_changed(self, db_path: Path, before: bytes) -> None:
        assert db_path.read_bytes() == before
        assert sorted(p.name for p in db_path.parent.iterdir()) == ["pos.db"]

    def test_garbage_bytes_are_refused(self, settings: Settings, db_path: Path, before: bytes, tmp_path):
        junk = tmp_path / "junk.db"
        junk.write_bytes(os.urandom(20_000))
        with pytest.raises(InvalidBackup, match="not a SQLite database"):
            service.restore(settings, junk)
        self.assert_nothing_changed(db_path, before)

    def test_a_truncated_backup_is_refused(self, settings: Settings, db_path: Path, before: bytes, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        truncate(backup)
        with pytest.raises(InvalidBackup, match="damaged"):
            service.restore(settings, backup)
        self.assert_nothing_changed(db_path, before)

    def test_a_backup_with_damaged_pages_is_refused(self, settings: Settings, db_path: Path, before: bytes, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        damage(backup)
        with pytest.raises(InvalidBackup, match="damaged"):
            service.restore(settings, backup)
        self.assert_nothing_changed(db_path, before)

    def test_another_applications_database_is_refused(self, settings: Settings, db_path: Path, before: bytes, tmp_path):
        with pytest.raises(InvalidBackup, match="not a Tavolo database"):
            service.restore(settings, foreign_database(tmp_path / "other.db"))
        self.assert_nothing_changed(db_path, before)

    def test_a_database_from_a_newer_version_is_refused(
        self, settings: Settings, db_path: Path, before: bytes, tmp_path
    ):
        backup = service.take_backup(settings, tmp_path / "usb").path
        con = sqlite3.connect(backup)
        con.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
        con.commit()
        con.close()
        with pytest.raises(InvalidBackup, match="newer version"):
            service.restore(settings, backup)
        self.assert_nothing_changed(db_path, before)

    def test_a_missing_file_is_refused(self, settings: Settings, db_path: Path, before: bytes, tmp_path):
        with pytest.raises(InvalidBackup, match="no such file"):
            service.restore(settings, tmp_path / "nowhere.db")
        self.assert_nothing_changed(db_path, before)

    def test_a_database_another_process_has_open_is_not_replaced(self, settings: Settings, db_path: Path, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_OPEN, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline() == b"open\n"
            before = db_path.read_bytes()
            with pytest.raises(DatabaseInUse, match="stop the appliance"):
                service.restore(settings, backup)
            assert db_path.read_bytes() == before
            assert not list(db_path.parent.glob("pos.db.before-restore-*"))
            assert not list(db_path.parent.glob("pos.db.restoring-*"))
        finally:
            holder.communicate(timeout=10)


class TestRestoring:
    def test_the_backup_replaces_the_database_and_the_current_one_is_kept_aside(
        self, settings: Settings, db_path: Path, tmp_path
    ):
        backup = service.take_backup(settings, tmp_path / "usb").path
        add_user(db_path, "after-the-backup")

        result = service.restore(settings, backup, now=NOON)

        assert result.database == db_path
        assert result.revision == MIGRATIONS.head()
        assert result.kept_aside == db_path.parent / "pos.db.before-restore-20261202-123005"
        assert usernames(db_path) == {"template"}
        assert "after-the-backup" in usernames(result.kept_aside)
        assert integrity(db_path) == [("ok",)]
        assert sorted(p.name for p in db_path.parent.iterdir()) == ["pos.db", result.kept_aside.name]
        assert backup.exists()  # the backup itself is never consumed

    def test_writes_left_in_the_wal_by_a_crash_are_kept_in_the_set_aside_file(
        self, settings: Settings, db_path: Path, tmp_path
    ):
        backup = service.take_backup(settings, tmp_path / "usb").path
        commit_into_wal_and_crash(db_path, "in-the-wal")

        result = service.restore(settings, backup, now=NOON)

        assert result.kept_aside is not None
        # Folded into the file: the set-aside database stands alone, with no -wal/-shm to lose.
        assert sorted(p.name for p in db_path.parent.iterdir()) == ["pos.db", result.kept_aside.name]
        assert "in-the-wal" in usernames(result.kept_aside)
        assert "in-the-wal" not in usernames(db_path)

    def test_a_damaged_current_database_is_set_aside_as_it_is(self, settings: Settings, db_path: Path, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        damage(db_path)
        damaged = db_path.read_bytes()
        result = service.restore(settings, backup, now=NOON)
        assert result.kept_aside is not None
        assert result.kept_aside.read_bytes() == damaged
        assert integrity(db_path) == [("ok",)]

    def test_a_backup_restores_into_a_fresh_location(self, settings: Settings, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        fresh = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'new-pi' / 'pos.db'}")
        result = service.restore(fresh, backup)
        assert result.kept_aside is None
        assert usernames(tmp_path / "new-pi" / "pos.db") == {"template"}


class TestNewestGoodBackup:
    def test_a_damaged_newer_backup_is_skipped(self, settings: Settings):
        good = service.take_backup(settings, now=NOON)
        bad = service.take_backup(settings, now=NOON + timedelta(days=1))
        damage(bad.path)
        assert service.newest_good_backup(settings) == good

    def test_a_backup_beside_the_database_counts_when_backup_dir_is_elsewhere(self, db_path: Path, tmp_path):
        beside = Settings(_env_file=None, database_url=f"sqlite:///{db_path}")
        taken = service.pre_upgrade_backup(beside, "7af292b862f0", now=NOON)
        stick = tmp_path / "stick"
        stick.mkdir()
        settings = Settings(_env_file=None, database_url=f"sqlite:///{db_path}", backup_dir=stick)
        found = service.newest_good_backup(settings)
        assert found is not None
        assert found.path == taken.path


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root (CI runs as root)"
)
class TestRunningAsRoot:
    """The technician runs the commands with sudo; the appliance runs as its own user and must still write."""

    APPLIANCE_USER = 4242

    def test_a_restored_database_belongs_to_the_appliances_user(self, settings: Settings, db_path: Path, tmp_path):
        backup = service.take_backup(settings, tmp_path / "usb").path
        os.chown(db_path, self.APPLIANCE_USER, self.APPLIANCE_USER)
        os.chmod(db_path, 0o640)
        service.restore(settings, backup)
        restored = db_path.stat()
        assert (restored.st_uid, restored.st_gid) == (self.APPLIANCE_USER, self.APPLIANCE_USER)
        assert restored.st_mode & 0o777 == 0o640

    def test_a_backup_directory_created_by_root_belongs_to_the_appliances_user(self, settings: Settings, db_path: Path):
        os.chown(db_path.parent, self.APPLIANCE_USER, self.APPLIANCE_USER)
        service.take_backup(settings)
        assert (db_path.parent / "backups").stat().st_uid == self.APPLIANCE_USER
