"""Wire shapes of system endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class HealthRead(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    db: Literal["ok", "error"]
    uptime_seconds: float


class SiteInfoRead(BaseModel):
    """What every app needs to present the restaurant before anyone logs in."""

    restaurant_name: str
    currency: str = Field(description="ISO 4217 code; every amount in the API is in its minor unit")
    timezone: str = Field(description="IANA zone used for shifts and reports")
    version: str


class DiskRead(BaseModel):
    path: str = Field(description="The data directory (database, secret key, media)")
    total_bytes: int
    free_bytes: int = Field(description="Free to the appliance's user")


class DatabaseFilesRead(BaseModel):
    path: str | None = Field(description="The SQLite file (null for another database)")
    size_bytes: int = Field(description="The main file")
    wal_bytes: int = Field(description="The write-ahead log, folded into the main file at checkpoints")
    total_bytes: int


class BackupRead(BaseModel):
    path: str
    taken_at: datetime
    age_seconds: float
    size_bytes: int


class PrinterDiagnosticsRead(BaseModel):
    id: int
    name: str
    is_active: bool
    state: str = Field(description="online, offline, paper_out, unknown (not asked yet) or inactive")
    paper_near_end: bool | None
    queue_length: int = Field(description="Jobs waiting for or being sent to this printer")
    last_success_at: datetime | None
    last_failure_at: datetime | None = Field(description="The last failed attempt on this printer")
    last_error: str | None
    last_checked_at: datetime | None


class ClockRead(BaseModel):
    utc_now: datetime
    timezone: str = Field(description="The site's IANA zone")
    local_time: datetime = Field(description="Now in the site's zone, with its offset")
    license_clock_suspect: bool = Field(
        description="The license check found the clock earlier than time the appliance has already seen"
    )


class DiagnosticsRead(BaseModel):
    """What a technician checks first: space, database, backups, printers, clock and versions."""

    version: str
    uptime_seconds: float
    python_version: str
    sqlite_version: str
    disk: DiskRead
    database: DatabaseFilesRead
    last_backup: BackupRead | None = Field(description="The newest backup in BACKUP_DIR; null when there is none")
    printers: list[PrinterDiagnosticsRead]
    clock: ClockRead


class BackupFileRead(BaseModel):
    """One backup file in BACKUP_DIR; its time comes from its name (UTC)."""

    name: str
    path: str
    taken_at: datetime
    size_bytes: int
    kind: Literal["regular", "pre-upgrade"] = Field(
        description="regular (scheduled, from the dashboard or the CLI; rotated) or pre-upgrade (kept for good)"
    )


class BackupsRead(BaseModel):
    """The backups on hand, newest first, and how the schedule is doing."""

    directory: str | None = Field(description="BACKUP_DIR (or `backups` beside the database); null off SQLite")
    scheduled: bool = Field(description="Backups are taken on a schedule (BACKUP_INTERVAL_HOURS > 0, SQLite)")
    interval_hours: float
    keep_daily: int
    keep_weekly: int
    next_due_at: datetime | None = Field(
        description="When the newest backup will be one interval old; null when the schedule is off or there is "
        "no backup yet (the next check, within minutes, takes one)"
    )
    last_error: str | None = Field(description="Why the last scheduled backup failed; null once one succeeds")
    running: bool = Field(description="A backup asked for from the dashboard is being taken")
    backups: list[BackupFileRead]
