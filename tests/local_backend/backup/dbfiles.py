"""Real database files for the backup tests: a migrated Tavolo database, damaged ones, foreign ones."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from local_backend import migrate
from local_backend.config import Settings
from local_backend.db import Database

PAGE = 4096


def migrated_database(path: Path) -> Path:
    """A Tavolo database at head with one manager in it, closed cleanly (no WAL left)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(Settings(_env_file=None, database_url=f"sqlite:///{path}"))
    try:
        migrate.upgrade(database.engine)
    finally:
        database.dispose()
    add_user(path, "template")
    return path


def add_user(path: Path, username: str) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute(
            "INSERT INTO users (username, display_name, role, pin_hash, is_active, token_version, "
            "failed_pin_attempts, created_at, updated_at) VALUES (?, ?, 'manager', 'x', 1, 0, 0, "
            "'2026-12-01 10:00:00.000000', '2026-12-01 10:00:00.000000')",
            (username, username.title()),
        )
        con.commit()
    finally:
        con.close()


def usernames(path: Path) -> set[str]:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {name for (name,) in con.execute("SELECT username FROM users")}
    finally:
        con.close()


def copy_database(template: Path, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return path


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file (not the header): the file opens, its b-trees are garbage."""
    size = path.stat().st_size
    pages = size // PAGE
    assert pages > 20, "the database is too small to damage reliably"
    with path.open("r+b") as fh:
        for page in range(pages // 4, pages // 2):
            fh.seek(page * PAGE)
            fh.write(bytes([0xA5]) * PAGE)


def truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def foreign_database(path: Path) -> Path:
    """A sound SQLite file that is not a Tavolo database."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('shopping list')")
    con.commit()
    con.close()
    return path


CRASH_AFTER_COMMIT = """
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA wal_autocheckpoint=0")
con.execute(
    "INSERT INTO users (username, display_name, role, pin_hash, is_active, token_version, failed_pin_attempts, "
    "created_at, updated_at) VALUES (?, 'X', 'waiter', 'x', 1, 0, 0, '2026-12-01 10:00:00', '2026-12-01 10:00:00')",
    (sys.argv[2],),
)
os._exit(0)  # no close, no checkpoint: the commit stays in the WAL
"""


def commit_into_wal_and_crash(path: Path, username: str) -> None:
    """Commit a user into the WAL from another process that then dies without checkpointing (like kill -9)."""
    subprocess.run([sys.executable, "-c", CRASH_AFTER_COMMIT, str(path), username], check=True, timeout=30)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists(), "the crash left no WAL behind"
    assert wal.stat().st_size > 0, "the crash left an empty WAL"
