"""SQLite engine, sessions and the per-request unit of work.

Writes are serialized in-process: SQLite allows one writer, and letting threads race for its lock gives
"database is locked" errors and a latency collapse under a rush. Every non-GET request runs inside one
`BEGIN IMMEDIATE` transaction while holding the app's write lock; the transaction commits (and the
idempotency record is stored with it) before the response leaves, so an acknowledged write survives kill -9.
Reads use their own connections and, thanks to WAL, never wait for the writer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import JSON, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from local_backend.config import Settings
from shared.errors import AppError, PayloadTooLarge
from shared.sqltypes import UTCDateTime

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_BODY_BYTES = 8 * 1024 * 1024
AFTER_COMMIT_KEY = "after_commit"


class Base(DeclarativeBase):
    """Declarative base: naming convention for constraints, aware UTC datetimes, JSON for dict/list."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


def _sqlite_path(url: str) -> Path | None:
    path = url.split("///", 1)[-1]
    if not path or path == ":memory:":
        return None
    return Path(path)


def make_engine(settings: Settings) -> Engine:
    """Engine with the pragmas every connection needs; `BEGIN IMMEDIATE` for write sessions."""
    if not settings.is_sqlite:
        return create_engine(settings.database_url, pool_pre_ping=True)
    path = _sqlite_path(settings.database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        settings.database_url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=16,
        max_overflow=32,
    )
    synchronous = settings.sqlite_synchronous

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours (IMMEDIATE for writers).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA cache_size=-16000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("tavolo_write") else "BEGIN")

    return engine


class Database:
    """The engine, its session factories and the write lock of one app instance."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)
        self._write = sessionmaker(
            bind=self.engine.execution_options(tavolo_write=True), expire_on_commit=False, autoflush=True
        )
        self._lock: asyncio.Lock | None = None

    @property
    def write_lock(self) -> asyncio.Lock:
        # Created lazily inside the running loop that serves requests.
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def read_session(self) -> Session:
        return self._read()

    def write_session_factory(self) -> Session:
        return self._write()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A write transaction outside a request (CLI, seeding, workers); commits on success."""
        session = self._write()
        try:
            yield session
            session.commit()
            run_after_commit(session)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed (events, waking print workers)."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)


def run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT_KEY, []):
        try:
            callback()
        except Exception:  # a failing listener must never fail an acknowledged write
            log.exception("after-commit callback failed")


def get_database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


async def get_db(request: Request) -> Session:
    """The request's session, opened by TavoloRoute (write transaction for non-GET requests)."""
    session: Session | None = getattr(request.state, "db", None)
    if session is None:  # a route outside TavoloRoute: give it a read session closed at request end
        session = get_database(request).read_session()
        request.state.db = session
    return session


DbSession = Annotated[Session, Depends(get_db)]

ReplayHook = Callable[[Request, Session], Awaitable[Response | None]]
StoreHook = Callable[[Request, Session, Response], Awaitable[None]]


def _finish(session: Session, *, commit: bool) -> None:
    """Commit or roll back, then release the connection: one worker-thread hop for both."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


class TavoloRoute(APIRoute):
    """Wraps each request in its unit of work: lock, transaction, commit before the reply, after-commit hooks."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def unit_of_work(request: Request) -> Response:
            database = get_database(request)
            if request.method not in WRITE_METHODS:
                session = database.read_session()
                request.state.db = session
                try:
                    read_response: Response = await handler(request)
                    return read_response
                finally:
                    # Ending a read transaction is a cheap ROLLBACK: not worth a thread hop.
                    session.close()
            # Read the whole body before taking the lock: a phone on bad Wi-Fi must not stall every writer.
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                raise PayloadTooLarge("Request body too large")
            await request.body()
            async with database.write_lock:
                session = database.write_session_factory()
                request.state.db = session
                commit = False
                try:
                    idem = request.app.state.idempotency
                    replay: Response | None = await idem.replay(request, session)
                    if replay is not None:
                        return replay
                    try:
                        response = await handler(request)
                    except AppError as exc:
                        commit = exc.commit_on_raise
                        raise
                    if response.status_code < 400:
                        await idem.store(request, session, response)
                        commit = True
                finally:
                    await run_in_threadpool(_finish, session, commit=commit)
            if commit and response.status_code < 400:
                run_after_commit(session)
            return response

        return unit_of_work
