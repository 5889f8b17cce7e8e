"""What runs before the appliance serves: migrate, check the file, bootstrap the first manager."""

from __future__ import annotations

import logging

from local_backend import migrate
from local_backend.db import Database
from local_backend.orders import payments
from local_backend.staff import service as staff
from local_backend.system import service as system
from local_backend.system.idempotency import purge_expired
from shared.security import SecretHasher

log = logging.getLogger(__name__)


class DatabaseCorrupt(RuntimeError):
    """The database file failed its integrity check; the appliance refuses to run on it."""


def prepare_database(database: Database, hasher: SecretHasher) -> None:
    settings = database.settings
    migrate.upgrade(database.engine)
    with database.write_session() as db:
        if settings.is_sqlite:
            problems = system.quick_check(db)
            if problems:
                raise DatabaseCorrupt(f"database integrity check failed: {problems[:3]}")
        if settings.manager_username and settings.manager_pin:
            created = staff.bootstrap_manager(
                db, hasher, username=settings.manager_username, pin=settings.manager_pin.get_secret_value()
            )
            if created is not None:
                log.info("created first manager %r from MANAGER_USERNAME", created.username)
        payments.ensure_builtin_methods(db)
        purge_expired(db)
