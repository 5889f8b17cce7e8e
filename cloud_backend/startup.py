"""What runs before the cloud serves: migrate, settle the JWT secret, seed the first sysadmin, make a key."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from cloud_backend import migrate
from cloud_backend.auth import service as auth
from cloud_backend.db import Database
from cloud_backend.deps import Clock
from cloud_backend.keys import service as keys
from cloud_backend.system import service as system
from shared.security import SecretHasher

log = logging.getLogger(__name__)


def prepare_database(database: Database, hasher: SecretHasher, clock: Clock) -> str:
    """Bring the database to a servable state (idempotent, safe with replicas starting together); the JWT key."""
    settings = database.settings
    migrate.upgrade(database.write_engine)
    secret_key = system.shared_secret_key(database)
    if settings.admin_username and settings.admin_password:
        try:
            with database.write_session() as db:
                created = auth.bootstrap(
                    db, hasher, username=settings.admin_username, password=settings.admin_password.get_secret_value()
                )
            if created is not None:
                log.info("created the first sysadmin %r from ADMIN_USERNAME", created.username)
        except IntegrityError:
            pass  # another replica seeded it at the same moment
    elif settings.admin_username or settings.admin_password:
        log.warning("set both ADMIN_USERNAME and ADMIN_PASSWORD to seed the first sysadmin")
    with database.write_session() as db:
        if not auth.any_sysadmin(db):
            log.warning(
                "no sysadmin can log in: set ADMIN_USERNAME and ADMIN_PASSWORD, "
                "or run `python -m cloud_backend sysadmin <username>`"
            )
    keys.ensure_current(database, now=clock())
    return secret_key
