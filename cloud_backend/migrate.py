"""Run Alembic migrations programmatically (at startup, in tests, from the CLI)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; safe to call on every start, and from several replicas at once."""
    command.upgrade(alembic_config(engine), "head")


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new migration against the current schema (developer tool)."""
    command.revision(alembic_config(engine), message=message, autogenerate=True)
