"""The licensing clock: wall time and monotonic uptime, injectable so tests can move either."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from shared.clock import utcnow

BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")


class LicenseClock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall time (which someone with access to the machine can set)."""

    def monotonic(self) -> float:
        """Seconds of uptime: never goes back within one boot of the machine, whatever the wall clock does."""

    def boot_id(self) -> str:
        """Identifies this boot of the machine: monotonic readings compare only within one boot."""


def _read_boot_id() -> str:
    try:
        return BOOT_ID_PATH.read_text().strip()
    except OSError:
        # Without one, every process start counts as a new boot: elapsed time falls back to what was persisted.
        return f"process-{uuid.uuid4()}"


class SystemClock:
    """The machine's clocks; CLOCK_MONOTONIC on Linux counts from boot, so it spans process restarts."""

    def __init__(self) -> None:
        self._boot_id = _read_boot_id()

    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic()

    def boot_id(self) -> str:
        return self._boot_id
