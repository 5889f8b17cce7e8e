"""SQLite engine, sessions and the per-request unit of work.

Writes are serialized in-process: SQLite allows one writer, and letting threads race for its lock gives
"database is locked" errors and a latency collapse under a rush. Every write request runs, holding the app's
write lock, inside its own SAVEPOINT of the writer's open `BEGIN IMMEDIATE` transaction.

Group commit: with `synchronous=FULL` each COMMIT waits for the disk (several ms), which alone would cap the
appliance at a few hundred writes a second. So the writer commits once for every request that ran while the
previous commit was queued: a request's savepoint is released, a commit is scheduled behind the writers
already waiting, and the response is sent only after that COMMIT returned. Every acknowledged write is
therefore on disk (it survives kill -9 and a power cut), one fsync covers a burst of requests, and a request
that fails rolls back only its own savepoint. The idempotency record is written in the same savepoint as the
write it describes. Reads use their own connections and, thanks to WAL, never wait for the writer.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import ColumnElement, Engine, MetaData, create_engine, func, or_
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker
from starlette.concurrency import run_in_threadpool

from local_backend.config import Settings
from shared.db import NAMING_CONVENTION as NAMING_CONVENTION
from shared.db import TYPE_ANNOTATION_MAP, for_writes, sqlite_engine, unit_of_work
from shared.errors import AppError, PayloadTooLarge

log = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_BODY_BYTES = 8 * 1024 * 1024
AFTER_COMMIT_KEY = "after_commit"


class Base(DeclarativeBase):
    """Declarative base: naming convention for constraints, aware UTC datetimes, JSON for dict/list."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


def make_engine(settings: Settings) -> Engine:
    """Engine with the pragmas every connection needs; `BEGIN IMMEDIATE` for write sessions."""
    if not settings.is_sqlite:
        return create_engine(settings.database_url, pool_pre_ping=True)
    # A large pool and page cache: one process serves the whole restaurant from this file.
    return sqlite_engine(
        settings.database_url,
        synchronous=settings.sqlite_synchronous,
        pool_size=16,
        max_overflow=32,
        pragmas=("temp_store=MEMORY", "cache_size=-16000"),
    )


class Database:
    """The engine, its session factories and the write lock of one app instance."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        from local_backend.events import EventBus  # events.py builds on this module

        self.engine = make_engine(settings)
        # Every session knows the bus, so a service can publish an event after its commit without a global.
        self.events = EventBus()
        info = {EVENTS_KEY: self.events}
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True, info=info)
        self._write = sessionmaker(bind=for_writes(self.engine), expire_on_commit=False, autoflush=True, info=info)
        self._writer: GroupWriter | None = None

    @property
    def writer(self) -> GroupWriter:
        # Created lazily inside the running loop that serves requests (asyncio primitives bind to it).
        if self._writer is None:
            self._writer = GroupWriter(self)
        return self._writer

    def read_session(self) -> Session:
        return self._read()

    def write_session_factory(self) -> Session:
        return self._write()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A write transaction outside a request (CLI, seeding, workers); commits on success."""
        with unit_of_work(self._write(), after_commit=run_after_commit) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


class CommitFailedError(RuntimeError):
    """The group commit failed (disk full, I/O error): none of its requests were acknowledged."""


class _Batch:
    """The writer's open transaction and the requests waiting for it to commit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.waiters: list[asyncio.Future[None]] = []
        self.callbacks: list[Callable[[], None]] = []
        self.commit_scheduled = False
        self.urgent_commit_scheduled = False
        self.finished = False


class PriorityLock:
    """A FIFO asyncio lock with a second, urgent lane that is served first.

    Requests queue in the normal lane. Background work that the kitchen is waiting for (a print worker marking
    a ticket printed) takes the urgent lane, so a rush of requests cannot starve it.
    """

    def __init__(self) -> None:
        self._locked = False
        self._urgent: collections.deque[asyncio.Future[None]] = collections.deque()
        self._normal: collections.deque[asyncio.Future[None]] = collections.deque()

    def locked(self) -> bool:
        return self._locked

    async def acquire(self, *, urgent: bool = False) -> None:
        if not self._locked and not self._urgent and not self._normal:
            self._locked = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._normal).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed the lock while being cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    (self._urgent if urgent else self._normal).remove(waiter)
            raise

    def release(self) -> None:
        for lane in (self._urgent, self._normal):
            while lane:
                waiter = lane.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # the lock passes straight to it
                    return
        self._locked = False

    @contextlib.asynccontextmanager
    async def hold(self, *, urgent: bool = False) -> AsyncIterator[None]:
        await self.acquire(urgent=urgent)
        try:
            yield
        finally:
            self.release()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


class GroupWriter:
    """One writer for the whole app: requests run one at a time, commits are shared (see module docstring)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        # FIFO: a scheduled commit runs after the writers already waiting, so they share it.
        self.lock = PriorityLock()
        self._batch: _Batch | None = None
        self.commits = 0
        self.committed_requests = 0

    async def open_batch(self) -> _Batch:
        """The transaction the next write joins (call holding `lock`); BEGIN IMMEDIATE runs in a worker thread.

        Only BEGIN can wait for SQLite's lock (a process outside the app writing); once it holds the lock, the
        statements of the batch never wait, so requests may run them on the event loop.
        """
        if self._batch is None:
            session = self._database.write_session_factory()
            begin = asyncio.ensure_future(run_in_threadpool(session.connection))
            try:
                # Shielded: a cancelled request must not close the session while its thread is still in BEGIN.
                await asyncio.shield(begin)
            except asyncio.CancelledError:
                begin.add_done_callback(lambda _: session.close())
                raise
            except BaseException:
                session.close()
                raise
            self._batch = _Batch(session)
        return self._batch

    def enlist(
        self, batch: _Batch, callbacks: list[Callable[[], None]], *, urgent: bool = False
    ) -> asyncio.Future[None]:
        """Wait for `batch` to commit; schedule its commit behind the writers now queued (call holding `lock`).

        An urgent write schedules a commit in the urgent lane too, so it does not wait for every queued request.
        """
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        batch.waiters.append(waiter)
        batch.callbacks.extend(callbacks)
        if not batch.commit_scheduled:
            batch.commit_scheduled = True
            task = asyncio.create_task(self._commit(batch))
            task.add_done_callback(_log_task_error)
        if urgent and not batch.urgent_commit_scheduled:
            batch.urgent_commit_scheduled = True
            task = asyncio.create_task(self._commit(batch, urgent=True))
            task.add_done_callback(_log_task_error)
        return waiter

    async def _commit(self, batch: _Batch, *, urgent: bool = False) -> None:
        async with self.lock.hold(urgent=urgent):
            if batch.finished:  # the other lane's commit task got there first
                return
            batch.finished = True
            if self._batch is batch:
                self._batch = None
            error: BaseException | None = None
            try:
                await run_in_threadpool(_finish, batch.session, commit=True)
            except Exception as exc:  # the disk said no: nobody in this batch is acknowledged
                log.exception("group commit of %d writes failed", len(batch.waiters))
                error = exc
        if error is None:
            self.commits += 1
            self.committed_requests += len(batch.waiters)
            for callback in batch.callbacks:
                _run_callback(callback)
        for waiter in batch.waiters:
            if waiter.done():
                continue
            if error is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(CommitFailedError(str(error)))

    def discard_if_empty(self, batch: _Batch) -> None:
        """End a transaction nobody kept anything in (call holding `lock`)."""
        if self._batch is batch and not batch.commit_scheduled:
            self._batch = None
            _finish(batch.session, commit=False)

    async def run(self, work: Callable[[Session], T], *, urgent: bool = False) -> T:
        """Run `work(session)` as one write of the group (print workers, scheduled jobs); returns once committed.

        `urgent` work jumps the queue of waiting requests and is committed right after it ran.
        """
        async with self.lock.hold(urgent=urgent):
            batch = await self.open_batch()
            session = batch.session
            session.info[AFTER_COMMIT_KEY] = []
            savepoint = await run_in_threadpool(session.begin_nested)
            try:
                result = await run_in_threadpool(work, session)
                await run_in_threadpool(savepoint.commit)
            except BaseException:
                await run_in_threadpool(_rollback_savepoint, savepoint)
                session.info.pop(AFTER_COMMIT_KEY, None)
                self.discard_if_empty(batch)  # nothing kept: do not leave SQLite's write lock held
                raise
            waiter = self.enlist(batch, session.info.pop(AFTER_COMMIT_KEY, []), urgent=urgent)
        await waiter
        return result


def _rollback_savepoint(savepoint: SessionTransaction) -> None:
    """Roll back a savepoint that was not released, including one a failed flush deactivated.

    Skipping a deactivated savepoint would leave the shared batch session pending a rollback, and one failed
    write would then fail every write grouped with it.
    """
    with contextlib.suppress(InvalidRequestError):  # already released or rolled back: nothing to undo
        savepoint.rollback()


def _log_task_error(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("group commit task failed", exc_info=task.exception())


def _run_callback(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:  # a failing listener must never fail an acknowledged write
        log.exception("after-commit callback failed")


EVENTS_KEY = "tavolo.events"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed (events, waking print workers)."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)


def run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT_KEY, []):
        _run_callback(callback)


def same_name(column: Any, name: str) -> ColumnElement[bool]:
    """`column` holds `name`, ignoring case. SQLite's lower() folds ASCII only, so "Ü" and "ü" stay apart there
    while Python's lower() folds them: the exact comparison is what keeps a name the UNIQUE constraint would
    refuse from slipping past the check (and becoming a 500)."""
    return or_(column == name, func.lower(column) == name.lower())


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


async def auth_read_session(request: Request) -> AsyncIterator[None]:
    """For routes outside TavoloRoute that wait on something slow (the cloud, a gateway, a backup): the read
    session authentication uses (get_db finds it), closed when the request ends, so no writer is held."""
    session = get_database(request).read_session()
    request.state.db = session
    try:
        yield
    finally:
        session.close()


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


def in_worker_thread(endpoint: F) -> F:
    """Mark a write endpoint that blocks for long (bcrypt, image decoding) to run in a worker thread."""
    endpoint.__tavolo_worker__ = True  # type: ignore[attr-defined]
    return endpoint


def _inline(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    async def run_on_loop(*args: Any, **kwargs: Any) -> Any:
        return endpoint(*args, **kwargs)

    return run_on_loop


class TavoloRoute(APIRoute):
    """Wraps each request in its unit of work: lock, transaction, commit before the reply, after-commit hooks.

    Sync write endpoints run on the event loop: writes are serialized anyway, so a worker thread would only add
    two thread switches per request (the hot path's largest overhead). Endpoints that block for long are marked
    with `in_worker_thread`. Reads keep running in worker threads, concurrently.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in (kwargs.get("methods") or ())}
        if (
            methods & WRITE_METHODS
            and not inspect.iscoroutinefunction(endpoint)
            and not getattr(endpoint, "__tavolo_worker__", False)
        ):
            endpoint = _inline(endpoint)
        super().__init__(path, endpoint, **kwargs)

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
            writer = database.writer
            released = False
            deferred: AppError | None = None
            waiter: asyncio.Future[None] | None = None
            async with writer.lock:
                batch = await writer.open_batch()
                session = batch.session
                request.state.db = session
                session.info[AFTER_COMMIT_KEY] = []
                # Savepoint, idempotency lookup and release run on the loop: the batch holds SQLite's write
                # lock, so none of them can wait, and a thread hop would cost more than the statement.
                savepoint = session.begin_nested()
                try:
                    idem = request.app.state.idempotency
                    replay: Response | None = await idem.replay(request, session)
                    if replay is not None:
                        response = replay
                        if batch.commit_scheduled:
                            # The record may belong to this very batch: answer only once it is on disk.
                            waiter = writer.enlist(batch, [])
                    else:
                        keep = False
                        try:
                            response = await handler(request)
                        except AppError as exc:
                            if not exc.commit_on_raise:
                                raise
                            deferred = exc  # keep what it recorded (a failed login), answer after the commit
                            keep = True
                        else:
                            if response.status_code < 400:
                                await idem.store(request, session, response)
                                keep = True
                        if keep:
                            savepoint.commit()  # may raise (a constraint checked at flush): then nothing is kept
                            released = True
                            waiter = writer.enlist(batch, session.info.pop(AFTER_COMMIT_KEY, []))
                finally:
                    if not released:
                        session.info.pop(AFTER_COMMIT_KEY, None)
                        _rollback_savepoint(savepoint)
                    if not batch.commit_scheduled:
                        # Nothing of this batch was kept (the first writer failed): end the empty transaction.
                        writer.discard_if_empty(batch)
            if waiter is not None:
                await waiter  # the response leaves only once its write (or the one it replays) is on disk
            if deferred is not None:
                raise deferred
            return response

        return unit_of_work
