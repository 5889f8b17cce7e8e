"""Alembic environment: uses the engine the app hands over (config attribute) or DATABASE_URL."""

from __future__ import annotations

from local_backend.config import Settings
from local_backend.db import make_engine
from local_backend.models import Base
from shared.migrations import run_migrations_online

run_migrations_online(Base.metadata, lambda url: make_engine(Settings(database_url=url) if url else Settings()))
