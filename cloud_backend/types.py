"""Field types the cloud's schemas share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

from shared.clock import ensure_utc

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    try:
        return ensure_utc(value)
    except OverflowError as exc:  # 9999-12-31T23:59-01:00 has no UTC time
        raise ValueError("time out of range") from exc


def _plausible(value: datetime) -> datetime:
    value = _utc(value)
    if not EARLIEST <= value < LATEST:
        raise ValueError("time must be between 2000 and 2200")
    return value


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
"""Any time, as aware UTC (naive input is taken as UTC)."""

LicenseDatetime = Annotated[datetime, AfterValidator(_plausible)]
"""A license date: aware UTC between 2000 and 2200."""

# No control characters: PostgreSQL refuses NUL in text, and nothing a person types needs the others.
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
SITE_ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
