"""What runs before the appliance serves: check the file, back it up and migrate, bootstrap the first manager."""

from __future__ import annotations

import logging
import sqlite3

from local_backend import migrate
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.orders import payments
from local_backend.staff import service as staff
from local_backend.system.idempotency import purge_expired
from shared.migrations import Migrations
from shared.security import SecretHasher

log = logging.getLogger(__name__)

# SQLite's primary result codes that mean the file itself is damaged (not busy, not missing, not unreadable).
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


class DatabaseCorrupt(RuntimeError):
    """The database file failed its integrity check; the appliance refuses to run on it."""


class UnknownSchema(RuntimeError):
    """The database carries a schema revision this version does not know (a newer version wrote it)."""


def prepare_database(database: Database, hasher: SecretHasher, *, migrations: Migrations = migrate.MIGRATIONS) -> None:
    settings = database.settings
    if settings.is_sqlite:
        check_integrity(settings)
    upgrade_schema(database, migrations)
    with database.write_session() as db:
        if settings.manager_username and settings.manager_pin:
            created = staff.bootstrap_manager(
                db, hasher, username=settings.manager_username, pin=settings.manager_pin.get_secret_value()
            )
            if created is not None:
                log.info("created first manager %r from MANAGER_USERNAME", created.username)
        payments.ensure_builtin_methods(db)
        purge_expired(db)


def check_integrity(settings: Settings) -> None:
    """`PRAGMA quick_check` on the file; `DatabaseCorrupt` naming the newest good backup when it fails.

    quick_check rather than integrity_check: both read every page, but quick_check skips matching each index
    against its table, which costs most of the time (200 MB file, warm cache: 0.25 s against 1.4 s on the dev
    machine, and a Pi is several times slower). Each backup gets the full integrity_check instead, off the
    startup path. It runs before migrating: a migration must not rewrite a damaged file.
    """
    path = backups.database_file(settings)
    if not path.is_file() or path.stat().st_size == 0:
        return  # a new database
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
        problems = [str(row[0]) for row in rows if row[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode & 0xFF not in {SQLITE_CORRUPT, SQLITE_NOTADB}:
            raise
        problems = [str(exc)]
    if not problems:
        return
    message = (
        f"The database {path} is damaged (PRAGMA quick_check: {'; '.join(problems[:3])}). "
        "Tavolo refuses to start on it rather than take orders into a damaged file. "
    )
    good = backups.newest_good_backup(settings)
    if good is not None:
        message += (
            f"Newest good backup: {good.path} (taken {good.taken_at:%Y-%m-%d %H:%M:%S} UTC). To restore it, stop "
            f"the appliance and run: python -m local_backend restore {good.path}"
        )
    else:
        message += (
            f"No good backup was found in {backups.backup_dir(settings)}. Restore one from elsewhere with "
            "`python -m local_backend restore FILE`, or move the damaged file away to start with an empty database."
        )
    log.error("%s", message)
    raise DatabaseCorrupt(message)


def upgrade_schema(database: Database, migrations: Migrations) -> None:
    """Migrate to head; an existing database behind head is backed up first (`pre-upgrade-<rev>-<time>.db`)."""
    settings = database.settings
    current = migrations.current(database.engine)
    head = migrations.head()
    if current == head:
        return
    if current is not None:
        if not migrations.knows(current):
            message = (
                f"The database is at schema revision {current}, which this version of Tavolo does not know: a newer "
                "version wrote it. Install that version again, or restore a backup taken before the upgrade."
            )
            log.error("%s", message)
            raise UnknownSchema(message)
        if settings.is_sqlite:
            # Raises when no copy could be written anywhere: better not to start than to upgrade without a way back.
            taken = backups.pre_upgrade_backup(settings, current)
            log.info("database schema %s is behind %s: backed up to %s before upgrading", current, head, taken.path)
    migrations.upgrade(database.engine)
    if current is not None:
        log.info("database upgraded from schema %s to %s", current, head)
