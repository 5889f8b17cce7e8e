"""Alembic environment: uses the engine the app hands over (config attribute) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

from cloud_backend.config import Settings
from cloud_backend.db import make_engine
from cloud_backend.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        settings = Settings(database_url=url) if url else Settings()
        engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
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


run_migrations_online()
