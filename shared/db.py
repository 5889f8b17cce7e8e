"""Database plumbing both backends share: the model conventions, a SQLite engine, a unit of work.

What differs stays in each backend's `db.py`: the appliance serializes its writes in-process and group-commits
them (it alone owns its SQLite file); the cloud runs PostgreSQL pools across stateless replicas and uses SQLite
only for development.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import JSON, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from shared.errors import AppError
from shared.sqltypes import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Aware UTC datetimes, JSON for dict/list: what every model's `Mapped[...]` annotations resolve to.
TYPE_ANNOTATION_MAP: dict[Any, TypeEngine[Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}
# Execution option marking an engine (or connection) whose transactions write: they BEGIN IMMEDIATE on SQLite.
WRITE_OPTION = "tavolo_write"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    path = make_url(url).database
    if not path or path == ":memory:":
        return None
    return Path(path)


def sqlite_engine(
    url: str,
    *,
    synchronous: Literal["FULL", "NORMAL"],
    pool_size: int,
    max_overflow: int,
    pragmas: Iterable[str] = (),
) -> Engine:
    """A SQLite engine: WAL, foreign keys, a busy timeout, and `BEGIN IMMEDIATE` on engines from `for_writes`.

    A writer that starts with a plain BEGIN takes SQLite's write lock only at its first write and fails at once
    ("database is locked") if another writer got there first; BEGIN IMMEDIATE queues on the busy timeout instead.
    `pragmas` are run on every new connection after the common ones (e.g. `"temp_store=MEMORY"`).
    """
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=pool_size,
        max_overflow=max_overflow,
    )
    statements = [
        "PRAGMA journal_mode=WAL",
        f"PRAGMA synchronous={synchronous}",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=10000",
        *(f"PRAGMA {pragma}" for pragma in pragmas),
    ]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours (IMMEDIATE for writers).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for statement in statements:
            cur.execute(statement)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    return engine


def for_writes(engine: Engine) -> Engine:
    """The same engine, marked so that its transactions are write transactions (see `sqlite_engine`)."""
    return engine.execution_options(**{WRITE_OPTION: True})


@contextmanager
def unit_of_work(
    session: Session,
    *,
    after_commit: Callable[[Session], None] | None = None,
    keep_recorded_failures: bool = False,
) -> Iterator[Session]:
    """Commit `session` when the block ends and roll it back when it raises; close it either way.

    `after_commit` runs once the commit returned. With `keep_recorded_failures`, an `AppError` marked
    `commit_on_raise` (a failed login) commits what was recorded before it propagates.
    """
    try:
        yield session
        session.commit()
        if after_commit is not None:
            after_commit(session)
    except AppError as exc:
        if keep_recorded_failures and exc.commit_on_raise:
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
