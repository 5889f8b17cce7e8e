"""Run Alembic migrations programmatically (at startup, in tests, from the CLI): see `shared.migrations`."""

from __future__ import annotations

from pathlib import Path

from shared.migrations import Migrations

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATIONS = Migrations(MIGRATIONS_DIR)

alembic_config = _MIGRATIONS.config
upgrade = _MIGRATIONS.upgrade
revision = _MIGRATIONS.revision
