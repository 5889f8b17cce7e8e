"""Demo data: a realistic taverna (filled in by seed_demo)."""

from __future__ import annotations

from local_backend.config import Settings


def seed_demo(settings: Settings, *, reset: bool = False) -> str:
    raise NotImplementedError
