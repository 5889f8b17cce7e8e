"""Engine, sessions and the per-request unit of work, on PostgreSQL (production) or SQLite (development).

The cloud is stateless processes over one database: everything that must hold across replicas (rate limits,
login throttling, job slots) lives in the database. A request's session commits when the endpoint returns and
rolls back when it raises; errors marked `commit_on_raise` (a failed login) keep what they recorded.

SQLite is for development and the demo: WAL, foreign keys on, and `BEGIN IMMEDIATE` for every write transaction
so concurrent writers queue on the busy timeout instead of failing to upgrade a read lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated

import psycopg
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, MetaData, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from cloud_backend.config import Settings
from shared.db import NAMING_CONVENTION as NAMING_CONVENTION
from shared.db import TYPE_ANNOTATION_MAP, for_writes, sqlite_engine, unit_of_work

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Base(DeclarativeBase):
    """Declarative base: naming convention for constraints, aware UTC datetimes, JSON for dict/list."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


def make_engine(settings: Settings) -> Engine:
    """The engine for DATABASE_URL with what every connection needs."""
    if not settings.is_sqlite:
        # Admin API, jobs and CLI; heartbeats have their own event-loop pool (AsyncPostgres).
        return create_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=10,
            pool_recycle=1800,
            pool_pre_ping=True,
        )
    # NORMAL: a development database; WAL keeps it consistent across a crash, a power cut may lose the tail.
    return sqlite_engine(settings.database_url, synchronous="NORMAL", pool_size=8, max_overflow=16)


class Database:
    """The engine and session factories of one app instance."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        self.dialect = self.engine.dialect.name
        self._write_engine = for_writes(self.engine)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(bind=self._write_engine, expire_on_commit=False)

    @property
    def write_engine(self) -> Engine:
        """The engine for write transactions (BEGIN IMMEDIATE on SQLite; the same as `engine` on PostgreSQL)."""
        return self._write_engine

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def session(self, *, write: bool) -> Session:
        return self._write() if write else self._read()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A write transaction outside a request (startup, jobs, CLI); commits on success."""
        with unit_of_work(self._write()) as session:
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in one write transaction (the heartbeat on SQLite); commits on success."""
        with self._write_engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


class AsyncPostgres:
    """A small pool of autocommit psycopg connections used on the event loop (the heartbeat's hot path only).

    Everything else goes through SQLAlchemy in worker threads. A heartbeat is one statement: running it on the
    event loop saves the thread hop, which costs more CPU than the statement itself (measured: ~150 µs of a
    ~1.3 ms request). psycopg prepares statements it sees repeatedly on a connection, so the hot statement is
    parsed and planned once per connection. A connection that fails is closed, not returned; the next request
    opens a new one.
    """

    def __init__(self, database_url: str, size: int) -> None:
        self._conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._size = size
        self._idle: list[psycopg.AsyncConnection[tuple[object, ...]]] = []
        self._slots: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
        if self._slots is None:  # created in the loop that serves the requests
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            conn = (
                self._idle.pop()
                if self._idle
                else await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True, connect_timeout=10)
            )
            try:
                yield conn
            finally:
                # Idle means reusable; anything else (lost, or cancelled with a query in flight) is closed.
                if not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                    self._idle.append(conn)
                else:
                    await conn.close()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


def get_database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def get_db(request: Request) -> Iterator[Session]:
    """The request's session: committed when the endpoint returns, rolled back when it raises."""
    session = get_database(request).session(write=request.method not in SAFE_METHODS)
    # What a failure recorded (a failed login) must stay: it is what throttles guessing.
    with unit_of_work(session, keep_recorded_failures=True):
        yield session


# scope="function": commit before the response is sent, so a 2xx always means saved.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
