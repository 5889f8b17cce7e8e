"""Appliance self-checks: database health, uptime, and the diagnostics a technician reads first."""

from __future__ import annotations

import logging
import platform
import shutil
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from local_backend import __version__
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.printing import service as printing
from local_backend.printing.models import PrintAttempt
from local_backend.printing.service import PrinterRuntime
from local_backend.settings import service as site_settings

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
