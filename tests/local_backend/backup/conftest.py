"""One migrated database per session, copied into each test (migrating every time would dominate the run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_backend.config import Settings
from tests.local_backend.backup.dbfiles import copy_database, migrated_database


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_database(tmp_path_factory.mktemp("template") / "pos.db")


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """The appliance's database file: data/pos.db in the test's directory."""
    return copy_database(template_db, tmp_path / "data" / "pos.db")


@pytest.fixture
def settings(tmp_path: Path, db_path: Path) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{db_path}")
