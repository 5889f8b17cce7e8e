"""`python -m local_backend backup [DEST]` and `restore FILE`, run as the technician runs them (DATABASE_URL)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.local_backend.backup.dbfiles import add_user, damage, usernames
from tests.support.appliance import REPO_ROOT


def cli(*args: str, database: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    }
    environment.update({"PYTHONPATH": str(REPO_ROOT), "DATABASE_URL": f"sqlite:///{database}", **env})
    return subprocess.run(
        [sys.executable, "-m", "local_backend", *args],
        env=environment,
        cwd=database.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestBackupCommand:
    def test_it_prints_the_path_of_a_sound_copy_in_the_backup_dir(self, db_path: Path):
        done = cli("backup", database=db_path)
        assert done.returncode == 0, done.stderr
        path = Path(done.stdout.strip())
        assert path.parent == db_path.parent / "backups"
        assert path.name.startswith("tavolo-")
        assert path.suffix == ".db"
        assert usernames(path) == {"template"}

    def test_it_writes_to_a_destination_given_on_the_command_line(self, db_path: Path, tmp_path):
        done = cli("backup", str(tmp_path / "stick" / "copy.db"), database=db_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(tmp_path / "stick" / "copy.db")
        assert usernames(tmp_path / "stick" / "copy.db") == {"template"}

    def test_an_absent_backup_dir_fails_with_a_message(self, db_path: Path, tmp_path):
        done = cli("backup", database=db_path, BACKUP_DIR=str(tmp_path / "unplugged"))
        assert done.returncode == 1
        assert "USB stick" in done.stderr
        assert done.stdout == ""


class TestRestoreCommand:
    def test_a_damaged_backup_is_refused_and_nothing_changes(self, db_path: Path, tmp_path):
        backup = Path(cli("backup", str(tmp_path / "usb"), database=db_path).stdout.strip())
        damage(backup)
        before = db_path.read_bytes()
        done = cli("restore", str(backup), database=db_path)
        assert done.returncode == 1
        assert "damaged" in done.stderr
        assert "nothing was changed" in done.stderr
        assert db_path.read_bytes() == before

    def test_a_good_backup_is_restored_and_the_current_database_kept_aside(self, db_path: Path, tmp_path):
        backup = Path(cli("backup", str(tmp_path / "usb"), database=db_path).stdout.strip())
        add_user(db_path, "after-the-backup")
        done = cli("restore", str(backup), database=db_path)
        assert done.returncode == 0, done.stderr
        aside = list(db_path.parent.glob("pos.db.before-restore-*"))
        assert len(aside) == 1
        assert str(aside[0]) in done.stdout
        assert usernames(db_path) == {"template"}
        assert "after-the-backup" in usernames(aside[0])
        con = sqlite3.connect(db_path)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.close()
