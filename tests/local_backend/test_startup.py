"""Startup checks the file, backs it up before an upgrade, migrates, and bootstraps the first manager once."""

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from local_backend import migrate
from local_backend.app import create_app
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.startup import DatabaseCorrupt, UnknownSchema, prepare_database
from shared.migrations import Migrations
from shared.security import SecretHasher
from tests.conftest import TEST_SECRET, make_settings
from tests.local_backend.backup.dbfiles import damage
from tests.support.appliance import REPO_ROOT, free_port


class TestBootstrap:
    def test_the_first_manager_comes_from_the_environment(self, tmp_path):
        app = create_app(make_settings(tmp_path, manager_username="sofia", manager_pin="4455"))
        with TestClient(app) as client:
            resp = client.post("/api/auth/login", json={"username": "sofia", "pin": "4455"})
        assert resp.status_code == 200
        assert resp.json()["user"]["role"] == "manager"

    def test_the_bootstrap_never_adds_a_second_manager_or_changes_the_pin(self, tmp_path):
        with TestClient(create_app(make_settings(tmp_path, manager_username="sofia", manager_pin="4455"))):
            pass
        app = create_app(make_settings(tmp_path, manager_username="other", manager_pin="9999"))
        with TestClient(app) as client:
            assert client.post("/api/auth/login", json={"username": "other", "pin": "9999"}).status_code == 401
            assert client.post("/api/auth/login", json={"username": "sofia", "pin": "4455"}).status_code == 200

    def test_without_manager_settings_nobody_is_created(self, tmp_path):
        app = create_app(make_settings(tmp_path, manager_username=None, manager_pin=None))
        with TestClient(app) as client:
            assert client.post("/api/auth/login", json={"username": "boss", "pin": "9999"}).status_code == 401


# -- integrity check -----------------------------------------------------------------------------------------


def started_once(settings: Settings) -> Path:
    """A real database made by starting the app once; returns its file."""
    with TestClient(create_app(settings)):
        pass
    return backups.database_file(settings)


def run_appliance(db_path: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": TEST_SECRET,
            "PIN_HASH_ROUNDS": "4",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "local_backend", "--host", "127.0.0.1", "--port", str(free_port())],
        env=env,
        cwd=db_path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestADamagedDatabase:
    def test_the_app_refuses_to_start_and_names_the_newest_good_backup(self, tmp_path):
        settings = make_settings(tmp_path)
        path = started_once(settings)
        older = backups.take_backup(settings, now=datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        newest = backups.take_backup(settings, now=datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
        damaged_backup = backups.take_backup(settings, now=datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
        damage(damaged_backup.path)
        damage(path)

        with pytest.raises(DatabaseCorrupt) as refused, TestClient(create_app(settings)):
            pass
        message = str(refused.value)
        assert str(path) in message
        assert f"python -m local_backend restore {newest.path}" in message
        assert str(older.path) not in message
        assert str(damaged_backup.path) not in message

    def test_without_a_good_backup_the_message_says_so(self, tmp_path):
        settings = make_settings(tmp_path)
        damage(started_once(settings))
        with pytest.raises(DatabaseCorrupt, match="No good backup was found"), TestClient(create_app(settings)):
            pass

    def test_a_file_that_is_not_a_database_is_refused_too(self, tmp_path):
        settings = make_settings(tmp_path)
        path = backups.database_file(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00garbage" * 4096)
        with pytest.raises(DatabaseCorrupt), TestClient(create_app(settings)):
            pass
        assert path.read_bytes() == b"\x00garbage" * 4096  # not migrated over, not replaced

    def test_the_appliance_process_exits_non_zero_with_the_message(self, tmp_path):
        settings = make_settings(tmp_path)
        path = started_once(settings)
        good = backups.take_backup(settings)
        damage(path)

        done = run_appliance(path)

        assert done.returncode != 0
        assert "is damaged" in done.stderr
        assert f"python -m local_backend restore {good.path}" in done.stderr

    def test_a_sound_database_passes_and_serves(self, tmp_path):
        settings = make_settings(tmp_path)
        started_once(settings)
        with TestClient(create_app(settings)) as client:
            assert client.get("/api/system/health").json()["status"] == "ok"


# -- upgrades ------------------------------------------------------------------------------------------------

PROBE_MIGRATION = '''"""a later version's migration (test)"""
import sqlalchemy as sa
from alembic import op

revision = "feedc0ffee01"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("upgrade_probes")
'''


@pytest.fixture
def next_version(tmp_path: Path) -> Migrations:
    """Today's migrations plus one more: what the next release of Tavolo will ship."""
    directory = tmp_path / "next-migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    (directory / "versions" / "29991231_probe.py").write_text(PROBE_MIGRATION.format(down=migrate.MIGRATIONS.head()))
    return Migrations(directory)


def prepare(settings: Settings, migrations: Migrations) -> None:
    database = Database(settings)
    try:
        prepare_database(database, SecretHasher(4), migrations=migrations)
    finally:
        database.dispose()


def tables_of(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


class TestUpgradingAtStartup:
    def test_a_database_behind_head_is_backed_up_then_migrated(self, tmp_path, next_version: Migrations):
        settings = make_settings(tmp_path)
        path = started_once(settings)
        today = migrate.MIGRATIONS.head()

        prepare(settings, next_version)

        [backup] = backups.list_backups(settings)
        assert backup.kind == "pre-upgrade"
        assert backup.path.name.startswith(f"pre-upgrade-{today}-")
        assert backups.verify_backup(backup.path) == today
        assert "upgrade_probes" not in tables_of(backup.path)
        assert "upgrade_probes" in tables_of(path)
        database = Database(settings)
        try:
            assert migrate.MIGRATIONS.current(database.engine) == "feedc0ffee01"
        finally:
            database.dispose()

    def test_a_new_database_is_migrated_without_a_backup(self, tmp_path, next_version: Migrations):
        settings = make_settings(tmp_path)
        prepare(settings, next_version)
        assert backups.list_backups(settings) == []
        assert "upgrade_probes" in tables_of(backups.database_file(settings))

    def test_without_the_usb_stick_the_pre_upgrade_backup_goes_beside_the_database(
        self, tmp_path, next_version: Migrations
    ):
        settings = make_settings(tmp_path, backup_dir=tmp_path / "unplugged")
        path = started_once(settings)
        prepare(settings, next_version)
        [backup] = list((path.parent / "backups").iterdir())
        assert backup.name.startswith("pre-upgrade-")
        assert not (tmp_path / "unplugged").exists()

    def test_a_database_from_a_newer_version_is_refused_untouched(self, tmp_path):
        settings = make_settings(tmp_path)
        path = started_once(settings)
        con = sqlite3.connect(path)
        con.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
        con.commit()
        con.close()
        with pytest.raises(UnknownSchema, match="newer"):
            prepare(settings, migrate.MIGRATIONS)
        con = sqlite3.connect(path)
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("f00dfeedbeef",)]
        con.close()
        assert backups.list_backups(settings) == []
