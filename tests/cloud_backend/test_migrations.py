"""The schema the app builds by migrating is exactly the models' (on SQLite and PostgreSQL), and startup is
idempotent."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from cloud_backend import migrate
from cloud_backend.app import create_app
from cloud_backend.db import Database
from cloud_backend.models import Base
from tests.cloud_backend.conftest import make_settings


class TestMigrations:
    def test_migrating_builds_the_schema_of_the_models(self, database: Database) -> None:
        with database.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        tables = set(inspect(database.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables

    def test_migration_files_are_date_prefixed(self) -> None:
        files = sorted(p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"))
        assert files
        assert all(name[:8].isdigit() and name[8] == "_" for name in files)

    def test_starting_again_on_a_prepared_database_changes_nothing(self, cloud_db: str, tmp_path: Path) -> None:
        settings = make_settings(cloud_db, tmp_path)
        for _ in range(2):
            app = create_app(settings)
            with TestClient(app) as client:
                assert client.get("/health").status_code == 200
            database = Database(settings)
            try:
                migrate.upgrade(database.engine)
            finally:
                database.dispose()
