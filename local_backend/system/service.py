"""Appliance self-checks: database health and uptime."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def db_status(db: Session) -> str:
    try:
        db.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("database health check failed")
        return "error"
    return "ok"


def quick_check(db: Session) -> list[str]:
    """`PRAGMA quick_check` problems (empty when the file is sound); fast enough for every start."""
    rows = db.execute(text("PRAGMA quick_check")).scalars().all()
    return [str(r) for r in rows if str(r) != "ok"]
