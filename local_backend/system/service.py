"""Appliance self-checks: database health, uptime, the diagnostics a technician reads first, and backups on demand."""

from __future__ import annotations

import logging
import platform
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from local_backend import __version__
from local_backend.audit import service as audit
from local_backend.backup import service as backups
from local_backend.backup.scheduler import BackupScheduler
from local_backend.config import Settings
from local_backend.printing import service as printing
from local_backend.printing.models import PrintAttempt
from local_backend.printing.service import PrinterRuntime
from local_backend.settings import service as site_settings
from local_backend.staff.models import User
from shared.errors import Conflict

log = logging.getLogger(__name__)


def db_status(db: Session) -> str:
    try:
        db.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("database health check failed")
        return "error"
    return "ok"


def quick_check(db: Session) -> list[str]:
    """`PRAGMA quick_check` problems (empty when the file is sound); fast enough for every start."""
    rows = db.execute(text("PRAGMA quick_check")).scalars().all()
    return [str(r) for r in rows if str(r) != "ok"]


def database_files(path: Path | None) -> dict[str, Any]:
    """Sizes of the SQLite file and its write-ahead log (zero when absent)."""

    def size(file: Path) -> int:
        try:
            return file.stat().st_size
        except FileNotFoundError:
            return 0

    main = size(path) if path is not None else 0
    wal = size(Path(f"{path}-wal")) if path is not None else 0
    return {"path": str(path) if path else None, "size_bytes": main, "wal_bytes": wal, "total_bytes": main + wal}


def last_failures(db: Session) -> dict[int, datetime]:
    """When each printer last failed an attempt (a scan of the attempt log: for diagnostics, not for polling)."""
    rows = db.execute(
        select(PrintAttempt.printer_id, func.max(PrintAttempt.started_at))
        .where(PrintAttempt.ok.is_(False), PrintAttempt.printer_id.is_not(None))
        .group_by(PrintAttempt.printer_id)
    ).all()
    return {int(printer_id): at for printer_id, at in rows if printer_id is not None and at is not None}


def diagnostics(
    db: Session,
    *,
    settings: Settings,
    database_path: Path | None,
    runtime: Mapping[int, PrinterRuntime],
    license_clock_suspect: bool,
    uptime_seconds: float,
    now: datetime,
) -> dict[str, Any]:
    """Disk, database, last backup, printers, clock and versions (blocking: stats files, reads the database)."""
    disk = shutil.disk_usage(settings.data_dir)
    newest = backups.last_backup(settings) if settings.is_sqlite else None
    failures = last_failures(db)
    printers = [
        {
            "id": view["printer_id"],
            "name": view["name"],
            "is_active": view["is_active"],
            "state": view["state"],
            "paper_near_end": view["paper_near_end"],
            "queue_length": view["queue_length"],
            "last_success_at": view["last_success_at"],
            "last_failure_at": failures.get(view["printer_id"]),
            "last_error": view["last_error"],
            "last_checked_at": view["last_checked_at"],
        }
        for view in printing.status_views(db, runtime)
    ]
    zone = site_settings.current(db).timezone
    return {
        "version": __version__,
        "uptime_seconds": round(uptime_seconds, 3),
        "python_version": platform.python_version(),
        "sqlite_version": sqlite3.sqlite_version,
        "disk": {"path": str(settings.data_dir), "total_bytes": disk.total, "free_bytes": disk.free},
        "database": database_files(database_path),
        "last_backup": None
        if newest is None
        else {
            "path": str(newest.path),
            "taken_at": newest.taken_at,
            "age_seconds": round(max(0.0, (now - newest.taken_at).total_seconds()), 3),
            "size_bytes": newest.size_bytes,
        },
        "printers": printers,
        "clock": {
            "utc_now": now,
            "timezone": zone,
            "local_time": now.astimezone(ZoneInfo(zone)),
            "license_clock_suspect": license_clock_suspect,
        },
    }


# -- backups from the dashboard ----------------------------------------------------------------------------


class BackupRunning(Conflict):
    code = "BACKUP_RUNNING"
    default_detail = "A backup is already being taken; wait for it to finish"


class BackupGuard:
    """One backup from the dashboard at a time: a second press while the first is copying is refused, not queued."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._lock.locked()

    @contextmanager
    def hold(self) -> Iterator[None]:
        # Taken and released in the thread that copies: a client that hangs up must not free it mid-copy.
        if not self._lock.acquire(blocking=False):
            raise BackupRunning()
        try:
            yield
        finally:
            self._lock.release()


def backup_view(info: backups.BackupInfo) -> dict[str, Any]:
    return {
        "name": info.path.name,
        "path": str(info.path),
        "taken_at": info.taken_at,
        "size_bytes": info.size_bytes,
        "kind": info.kind,
    }


def backups_overview(scheduler: BackupScheduler, *, running: bool) -> dict[str, Any]:
    """The backups in BACKUP_DIR, newest first, and the schedule's state (blocking: lists a directory)."""
    settings = scheduler.settings
    try:
        directory: Path | None = backups.backup_dir(settings)
    except backups.BackupFailed:  # not a SQLite database: there is nothing to back up
        directory = None
    found = backups.list_backups(settings) if directory is not None else []
    next_due = scheduler.next_due(found[0].taken_at) if scheduler.enabled and found else None
    return {
        "directory": str(directory) if directory is not None else None,
        "scheduled": scheduler.enabled,
        "interval_hours": settings.backup_interval_hours,
        "keep_daily": settings.backup_keep_daily,
        "keep_weekly": settings.backup_keep_weekly,
        "next_due_at": next_due,
        "last_error": scheduler.last_error,
        "running": running,
        "backups": [backup_view(info) for info in found],
    }


def take_backup_now(
    scheduler: BackupScheduler, guard: BackupGuard, *, now: datetime | None = None
) -> backups.BackupInfo:
    """Back up and rotate now, as the schedule would (worker thread: the copy takes seconds on a big file).

    Going through the scheduler makes it count as the scheduled backup and clears its last error.
    """
    with guard.hold():
        try:
            return scheduler.run(now)
        except backups.BackupFailed:
            raise
        except (OSError, sqlite3.Error) as exc:  # anything the service did not word itself is still a 503
            raise backups.BackupFailed(f"the backup failed: {exc}") from exc


def record_backup(db: Session, *, info: backups.BackupInfo, by: User) -> None:
    audit.record(
        db,
        action="system.backup_taken",
        entity_type="backup",
        actor=by,
        data={"file": info.path.name, "directory": str(info.path.parent), "size_bytes": info.size_bytes},
    )


def record_backup_failure(db: Session, *, reason: str, by: User) -> None:
    audit.record(db, action="system.backup_failed", entity_type="backup", actor=by, data={"error": reason[:500]})
