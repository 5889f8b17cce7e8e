"""Floor rules: sections, tables, and each table's live state."""

from __future__ import annotations

from sqlalchemy.orm import Session

from local_backend.tables.models import Table
from shared.errors import NotFound


class TableNotFound(NotFound):
    code = "TABLE_NOT_FOUND"
    default_detail = "No such table"


def get_table(db: Session, table_id: int) -> Table:
    table = db.get(Table, table_id)
    if table is None:
        raise TableNotFound()
    return table
