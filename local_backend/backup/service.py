"""Online backups of the SQLite database, their rotation, and restoring one.

A backup is a consistent copy taken while the appliance serves: SQLite's backup API copies the database inside
one read transaction, which in WAL mode never blocks the writer (the rush goes on; only the WAL grows a little
until the copy ends). The copy is made in a single step on purpose: a step-wise copy starts over whenever
another connection commits between two steps, so under a steady rush it would never finish (measured: a 43 MB
file copied in 100-page steps under 150 small writes a second finished only once the writes stopped).

The copy is written under a temporary name, checked with `PRAGMA integrity_check`, synced and renamed: a backup
file that exists is complete and sound. Its name carries the UTC time it was taken
(`tavolo-YYYYMMDD-HHMMSS.db`), so the directory is its own catalogue and no manifest can get out of step.
Backups are stored in rollback-journal mode: one self-contained file, readable from read-only media.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import ClassVar, Literal

from local_backend.config import Settings
from local_backend.migrate import MIGRATIONS
from shared.clock import utcnow
from shared.db import sqlite_path
from shared.errors import AppError, BadRequest, Conflict

log = logging.getLogger(__name__)

TIMESTAMP = "%Y%m%d-%H%M%S"
REGULAR_PREFIX = "tavolo-"
PRE_UPGRADE_PREFIX = "pre-upgrade-"
# Only files matching these are ever listed, restored from by name, or deleted by the rotation.
REGULAR_NAME = re.compile(r"^tavolo-(\d{8}-\d{6})(?:-(\d+))?\.db$")
PRE_UPGRADE_NAME = re.compile(r"^pre-upgrade-(.+?)-(\d{8}-\d{6})(?:-(\d+))?\.db$")
PARTIAL_SUFFIX = ".partial"
# A partial file this old belongs to a backup that died (power cut mid-copy), not to one still running.
STALE_PARTIAL = timedelta(hours=6)
SQLITE_MAGIC = b"SQLite format 3\x00"
# How many backups, newest first, startup checks when looking for a good one to name.
GOOD_BACKUP_CANDIDATES = 10
# Restore waits this long for the database; a running appliance holds it open for good, so longer is no use.
IN_USE_TIMEOUT_SECONDS = 0.5

BackupKind = Literal["regular", "pre-upgrade"]


class BackupFailed(AppError):
    status_code: ClassVar[int] = 503
    code: ClassVar[str] = "BACKUP_FAILED"
    default_detail: ClassVar[str] = "The backup failed"


class InvalidBackup(BadRequest):
    code: ClassVar[str] = "INVALID_BACKUP"
    default_detail: ClassVar[str] = "Not a sound Tavolo database"


class DatabaseInUse(Conflict):
    code: ClassVar[str] = "DATABASE_IN_USE"
    default_detail: ClassVar[str] = "The database is in use"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file; `taken_at` comes from its name (UTC), which survives copying the file elsewhere."""

    path: Path
    taken_at: datetime
    size_bytes: int
    kind: BackupKind = "regular"
    # Backups taken within the same second get -2, -3 … after the time.
    sequence: int = 1


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    kept_aside: Path | None
    revision: str


# -- where things are --------------------------------------------------------------------------------------


def database_file(settings: Settings) -> Path:
    """The SQLite file DATABASE_URL names."""
    path = sqlite_path(settings.database_url) if settings.is_sqlite else None
    if path is None:
        raise BackupFailed("backups and restores need DATABASE_URL to name a SQLite file")
    return path.resolve()


def backup_dir(settings: Settings) -> Path:
    """BACKUP_DIR, else `backups` beside the database file."""
    if settings.backup_dir is not None:
        return settings.backup_dir.resolve()
    return database_file(settings).parent / "backups"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIMESTAMP)


def _parse(path: Path) -> BackupInfo | None:
    kind: BackupKind
    if match := REGULAR_NAME.match(path.name):
        kind, stamp, sequence = "regular", match.group(1), match.group(2)
    elif match := PRE_UPGRADE_NAME.match(path.name):
        kind, stamp, sequence = "pre-upgrade", match.group(2), match.group(3)
    else:
        return None
    try:
        taken_at = datetime.strptime(stamp, TIMESTAMP).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, taken_at, size, kind, int(sequence or 1))


def _scan(directory: Path) -> list[BackupInfo]:
    try:
        entries = list(directory.iterdir())
    except OSError:  # absent or unreadable (a USB stick pulled out): no backups to show
        return []
    found = [info for entry in entries if (info := _parse(entry)) is not None]
    return sorted(found, key=lambda b: (b.taken_at, b.sequence), reverse=True)


def list_backups(settings: Settings) -> list[BackupInfo]:
    """Every backup in BACKUP_DIR (scheduled, from the CLI, before upgrades), newest first."""
    return _scan(backup_dir(settings))


def last_backup(settings: Settings) -> BackupInfo | None:
    """The newest backup in BACKUP_DIR, of any kind; None when there is none (or the directory is absent)."""
    backups = list_backups(settings)
    return backups[0] if backups else None


# -- taking a backup ---------------------------------------------------------------------------------------


def take_backup(settings: Settings, destination: Path | None = None, *, now: datetime | None = None) -> BackupInfo:
    """A consistent, checked copy of the database, named `tavolo-<UTC time>.db`.

    `destination`: a directory (created if needed) or a file path (ending in .db); default BACKUP_DIR. A
    configured BACKUP_DIR must exist already (see `Settings.backup_dir`); the default one is created.
    """
    source = _existing_database(settings)
    moment = now or utcnow()
    stem = f"{REGULAR_PREFIX}{_stamp(moment)}"
    if destination is None:
        directory = backup_dir(settings)
        _prepare_dir(directory, create=settings.backup_dir is None)
        target = _free_name(directory, stem)
    elif destination.is_dir() or not destination.suffix:
        _prepare_dir(destination, create=True)
        target = _free_name(destination.resolve(), stem)
    else:
        _prepare_dir(destination.parent, create=True)
        target = destination.resolve()
    _copy(source, target)
    # As list_backups will see it (time to the second from the name), unless the caller chose the name.
    return _parse(target) or BackupInfo(target, moment, target.stat().st_size)


def pre_upgrade_backup(settings: Settings, revision: str, *, now: datetime | None = None) -> BackupInfo:
    """`pre-upgrade-<revision>-<UTC time>.db` in BACKUP_DIR, or beside the database when that is unusable.

    Never rotated away: it is the way back from a bad upgrade.
    """
    source = _existing_database(settings)
    moment = now or utcnow()
    stem = f"{PRE_UPGRADE_PREFIX}{revision}-{_stamp(moment)}"
    directories = [backup_dir(settings)]
    fallback = database_file(settings).parent / "backups"
    if fallback not in directories:
        directories.append(fallback)
    for n, directory in enumerate(directories):
        try:
            _prepare_dir(directory, create=settings.backup_dir is None or n > 0)
            target = _free_name(directory, stem)
            _copy(source, target)
        except BackupFailed as exc:
            if n == len(directories) - 1:
                raise
            log.error("pre-upgrade backup to %s failed (%s); keeping it beside the database instead", directory, exc)
            continue
        return _parse(target) or BackupInfo(target, moment, target.stat().st_size, "pre-upgrade")
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _existing_database(settings: Settings) -> Path:
    source = database_file(settings)
    if not source.is_file():
        raise BackupFailed(f"there is no database at {source} to back up")
    return source


def _prepare_dir(directory: Path, *, create: bool) -> None:
    if create:
        existed = directory.is_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupFailed(f"cannot create the backup directory {directory}: {exc}") from exc
        if not existed:
            _match_owner(directory, directory.parent)
    elif not directory.is_dir():
        raise BackupFailed(
            f"the backup directory {directory} does not exist (is the USB stick plugged in and mounted?)"
        )


def _free_name(directory: Path, stem: str) -> Path:
    target = directory / f"{stem}.db"
    sequence = 1
    while target.exists() or _partial(target).exists():
        sequence += 1
        target = directory / f"{stem}-{sequence}.db"
    return target


def _partial(target: Path) -> Path:
    # Hidden and with another suffix, so a half-written copy never matches the backup patterns.
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def _copy(source: Path, target: Path) -> None:
    """Copy `source` into `target` through a checked, synced temporary file and an atomic rename."""
    partial = _partial(target)
    try:
        src = sqlite3.connect(source, timeout=10)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # one step: see the module docstring
                dst.execute("PRAGMA journal_mode=DELETE")
                problems = _problems(dst, "integrity_check")
            finally:
                dst.close()
        finally:
            src.close()
        if problems:
            raise BackupFailed(
                f"the copy of {source} failed its integrity check, so the database itself is probably damaged: "
                f"{problems[:3]}"
            )
        _fsync(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except (OSError, sqlite3.Error) as exc:
        raise BackupFailed(f"backup to {target.parent} failed: {exc}") from exc
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _problems(connection: sqlite3.Connection, pragma: Literal["integrity_check", "quick_check"]) -> list[str]:
    rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    return [str(row[0]) for row in rows if row[0] != "ok"]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename durable; some file systems (FAT on a USB stick) cannot sync a directory: best effort.
    with contextlib.suppress(OSError):
        _fsync(directory)


# -- rotation ----------------------------------------------------------------------------------------------


def rotate(directory: Path, *, keep_daily: int, keep_weekly: int, now: datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last `keep_daily` days and `keep_weekly` ISO weeks; delete the rest.

    Days and weeks count only those that have a backup (UTC), so an appliance switched off for a month still
    keeps its last backups. The newest is always kept. Only regular backups (`tavolo-…db`) are touched:
    pre-upgrade backups and anything else in the directory stay. Returns the deleted files.
    """
    backups = [b for b in _scan(directory) if b.kind == "regular"]
    keep: set[Path] = {backups[0].path} if backups else set()
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in backups:  # newest first, so the first of each day or week is its newest
        day = backup.taken_at.date()
        if day not in days and len(days) < keep_daily:
            days.add(day)
            keep.add(backup.path)
        week = backup.taken_at.isocalendar()[:2]
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(backup.path)
    deleted = []
    for backup in backups:
        if backup.path in keep:
            continue
        try:
            backup.path.unlink()
        except OSError as exc:
            log.error("could not delete old backup %s: %s", backup.path, exc)
            continue
        deleted.append(backup.path)
    _remove_stale_partials(directory, now or utcnow())
    if deleted:
        log.info("rotation deleted %d old backups from %s", len(deleted), directory)
    return deleted


def _remove_stale_partials(directory: Path, now: datetime) -> None:
    with contextlib.suppress(OSError):
        for entry in directory.glob(f".*.db{PARTIAL_SUFFIX}"):
            with contextlib.suppress(OSError):
                modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
                if now - modified > STALE_PARTIAL:
                    entry.unlink()


# -- checking and restoring ----------------------------------------------------------------------------------


def verify_backup(path: Path) -> str:
    """The schema revision of a sound Tavolo database at `path`; `InvalidBackup` saying why otherwise."""
    _check_header(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = _problems(connection, "integrity_check")
            if problems:
                raise InvalidBackup(f"{path} is damaged: it failed its integrity check ({'; '.join(problems[:3])})")
            try:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:
                row = None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidBackup(f"{path} is damaged or not a database: {exc}") from exc
    if row is None:
        raise InvalidBackup(f"{path} is not a Tavolo database (it has no schema version)")
    revision = str(row[0])
    if not MIGRATIONS.knows(revision):
        raise InvalidBackup(
            f"{path} has schema revision {revision}, which this version of Tavolo does not know: it was written by "
            "a newer version (install that one to restore it) or by another application"
        )
    return revision


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InvalidBackup(f"cannot read {path}: {exc}") from exc
    if header != SQLITE_MAGIC:
        raise InvalidBackup(f"{path} is not a SQLite database")


def restore(settings: Settings, file: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put the backup `file` in place of the database, keeping the current one aside; the appliance must be stopped.

    The backup is copied beside the database and checked before anything is touched, so a refused file changes
    nothing. The current database (with its -wal/-shm, if SQLite could not fold them in) becomes
    `<name>.before-restore-<UTC time>`. A backup of an older schema is upgraded when the appliance next starts.
    """
    target = database_file(settings)
    source = file.resolve()
    if not source.is_file():
        raise InvalidBackup(f"{file}: no such file")
    if source == target:
        raise InvalidBackup(f"{file} is the database itself")
    stamp = _stamp(now or utcnow())
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f"{target.name}.restoring-{stamp}")
    try:
        _check_header(source)  # refuses garbage before copying it
        try:
            shutil.copyfile(source, staging)
            source_wal = source.with_name(source.name + "-wal")
            if source_wal.is_file():  # a database copied with its WAL: the WAL holds its latest commits
                shutil.copyfile(source_wal, staging.with_name(staging.name + "-wal"))
        except OSError as exc:
            raise InvalidBackup(f"cannot copy {file} beside the database: {exc}") from exc
        try:
            _fold_journal(staging)
        except sqlite3.DatabaseError as exc:
            raise InvalidBackup(f"{file} is damaged or not a database: {exc}") from exc
        revision = verify_backup(staging)  # the copy that goes in place is the one checked
        # The same owner and mode as the database it replaces: a restore run as root (sudo) must leave a file the
        # appliance's own user can write.
        _match_owner(staging, target if target.exists() else target.parent, mode=target.exists())
        _fsync(staging)
        kept_aside = _set_aside(target, stamp)
        os.replace(staging, target)
        _fsync_dir(target.parent)
    finally:
        for leftover in _with_side_files(staging):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    log.info("restored %s (schema %s) into %s; previous database kept as %s", source, revision, target, kept_aside)
    return RestoreResult(target, kept_aside, revision)


def _match_owner(path: Path, reference: Path, *, mode: bool = False) -> None:
    """Give `path` the owner and group of `reference` (when running as root), and its permissions if `mode`."""
    try:
        ref = reference.stat()
        if mode:
            os.chmod(path, stat.S_IMODE(ref.st_mode))
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.chown(path, ref.st_uid, ref.st_gid)
    except OSError as exc:
        log.warning("could not give %s the owner of %s: %s", path, reference, exc)


def _with_side_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def _fold_journal(path: Path) -> None:
    """Switch a database file to rollback-journal mode: its WAL, if any, is folded in and removed."""
    connection = sqlite3.connect(path, timeout=IN_USE_TIMEOUT_SECONDS, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        connection.close()


def _set_aside(target: Path, stamp: str) -> Path | None:
    """Rename the current database (if any) out of the way; `DatabaseInUse` when a process has it open."""
    if not any(p.exists() for p in _with_side_files(target)):
        return None
    try:
        # Leaving WAL mode needs the database to itself: this fails while the appliance (any process) has it open,
        # and otherwise folds the WAL into the file, so what is set aside is one self-contained file.
        _fold_journal(target)
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorname in {"SQLITE_BUSY", "SQLITE_LOCKED"}:
            raise DatabaseInUse(
                f"the database {target} is in use: stop the appliance (e.g. `sudo systemctl stop tavolo`) "
                "and run the restore again"
            ) from exc
        log.warning("could not fold the WAL of %s (%s): setting it aside with its side files", target, exc)
    except sqlite3.DatabaseError as exc:  # the current file is damaged: set it aside as it is
        log.warning("could not fold the WAL of %s (%s): setting it aside with its side files", target, exc)
    aside = target.with_name(f"{target.name}.before-restore-{stamp}")
    for current, kept in zip(_with_side_files(target), _with_side_files(aside), strict=True):
        if current.exists():
            os.replace(current, kept)
    return aside


def newest_good_backup(settings: Settings) -> BackupInfo | None:
    """The newest backup that passes `quick_check`, among BACKUP_DIR and the default directory beside the database."""
    candidates: list[BackupInfo] = []
    directories = {backup_dir(settings), database_file(settings).parent / "backups"}
    for directory in directories:
        candidates += _scan(directory)
    candidates.sort(key=lambda b: (b.taken_at, b.sequence), reverse=True)
    for backup in candidates[:GOOD_BACKUP_CANDIDATES]:
        try:
            connection = sqlite3.connect(f"{backup.path.as_uri()}?mode=ro", uri=True)
            try:
                if not _problems(connection, "quick_check"):
                    return backup
            finally:
                connection.close()
        except sqlite3.Error:
            continue
    return None
