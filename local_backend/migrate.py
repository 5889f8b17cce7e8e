"""Run Alembic migrations programmatically (at startup, in tests, from the CLI): see `shared.migrations`.

Released migrations are frozen: a database of any earlier version upgrades through every one of them, so a
change to the schema is always a new migration (`python -m local_backend makemigration "…"`), never an edit.
"""

from __future__ import annotations

from pathlib import Path

from shared.migrations import Migrations

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATIONS = Migrations(MIGRATIONS_DIR)

alembic_config = MIGRATIONS.config
upgrade = MIGRATIONS.upgrade
revision = MIGRATIONS.revision
