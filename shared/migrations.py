"""Alembic driven from code, the same way for both backends (at startup, in tests, from the CLI).

Each backend keeps its own migrations directory (`env.py`, `script.py.mako`, `versions/`); Alembic reads the
revision template only from there, so that small template stays a copy per backend.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, MetaData, text

# Date-prefixed revision files (20261202_initial_schema.py): they sort in the order they were written.
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(slug)s"


class Migrations:
    """One backend's migrations directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def config(self, engine: Engine | None = None, url: str | None = None) -> Config:
        """The Alembic config; `env.py` migrates `engine` when given, else a new engine for `url`/DATABASE_URL."""
        cfg = Config()
        cfg.set_main_option("script_location", str(self.directory))
        cfg.set_main_option("file_template", FILE_TEMPLATE)
        if url:
            cfg.set_main_option("sqlalchemy.url", url)
        if engine is not None:
            cfg.attributes["engine"] = engine
        return cfg

    def upgrade(self, engine: Engine, target: str = "head") -> None:
        """Bring the schema to `target` (head); safe to call on every start, and from several replicas at once."""
        command.upgrade(self.config(engine), target)

    def script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self.config())

    def head(self) -> str:
        """The revision the code expects; a second head would mean two unmerged branches of migrations."""
        heads = self.script().get_heads()
        if len(heads) != 1:
            raise RuntimeError(f"{self.directory} must have exactly one head, found {heads}")
        return heads[0]

    def first(self) -> str:
        """The first migration: released migrations are never rewritten, so databases of every version share it."""
        bases = self.script().get_bases()
        if len(bases) != 1:
            raise RuntimeError(f"{self.directory} must have exactly one base, found {bases}")
        return bases[0]

    def knows(self, revision: str) -> bool:
        """Whether `revision` is one of ours (a database written by a newer version carries one we lack)."""
        try:
            return self.script().get_revision(revision) is not None
        except CommandError:
            return False

    @staticmethod
    def current(engine: Engine) -> str | None:
        """The database's revision; None for a database never migrated (a new one)."""
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def revision(self, engine: Engine, message: str) -> None:
        """Autogenerate a new migration against the current schema (developer tool)."""
        command.revision(self.config(engine), message=message, autogenerate=True)


def run_migrations_online(metadata: MetaData, engine_for_url: Callable[[str | None], Engine]) -> None:
    """The body of a backend's `env.py`: migrate the engine the caller handed over, or one for the URL.

    `engine_for_url` gets the configured `sqlalchemy.url` (None: the backend's own DATABASE_URL).
    """
    config = context.config
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        engine = engine_for_url(config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
                compare_type=True,
            )
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # Replicas start together: the first migrates, the others wait here and then find it done.
                    # Keyed by schema, so databases sharing a server (tests) do not wait on each other.
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.migrate', 0))")
                    )
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()
