"""The SQLite engine both backends build on, and the unit of work around a session."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import for_writes, sqlite_engine, sqlite_path, unit_of_work
from shared.errors import AppError


class RecordedFailure(AppError):
    status_code = 401
    code = "RECORDED"
    commit_on_raise = True


class PlainFailure(AppError):
    status_code = 409
    code = "PLAIN"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = sqlite_engine(
        f"sqlite:///{tmp_path / 'nested' / 'db.sqlite'}",
        synchronous="FULL",
        pool_size=2,
        max_overflow=2,
        pragmas=("cache_size=-4000",),
    )
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE parents (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents(id))"))
        conn.execute(text("CREATE TABLE notes (body TEXT)"))
    yield engine
    engine.dispose()


def _notes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text("SELECT body FROM notes ORDER BY rowid"))]


class TestSqlitePath:
    def test_a_file_url_names_its_file_without_the_query(self) -> None:
        assert sqlite_path("sqlite:///./data/pos.db") == Path("./data/pos.db")
        assert sqlite_path("sqlite:////srv/cloud.db?timeout=5") == Path("/srv/cloud.db")

    def test_an_in_memory_database_has_no_file(self) -> None:
        assert sqlite_path("sqlite:///:memory:") is None
        assert sqlite_path("sqlite://") is None


class TestSqliteEngine:
    def test_the_database_directory_is_created(self, engine: Engine, tmp_path: Path) -> None:
        assert (tmp_path / "nested" / "db.sqlite").is_file()

    def test_every_connection_gets_wal_sync_foreign_keys_busy_timeout_and_the_extra_pragmas(
        self, engine: Engine
    ) -> None:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
            assert conn.execute(text("PRAGMA cache_size")).scalar() == -4000

    def test_normal_sync_is_a_parameter(self, tmp_path: Path) -> None:
        engine = sqlite_engine(f"sqlite:///{tmp_path / 'n.db'}", synchronous="NORMAL", pool_size=1, max_overflow=0)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
        finally:
            engine.dispose()

    def test_foreign_keys_are_enforced(self, engine: Engine) -> None:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("INSERT INTO children (id, parent_id) VALUES (1, 42)"))

    def test_only_write_engines_begin_immediate(self, engine: Engine) -> None:
        seen: list[str] = []

        @event.listens_for(engine, "before_cursor_execute")
        def capture(conn: object, cursor: object, statement: str, *args: object) -> None:
            if statement.startswith("BEGIN"):
                seen.append(statement)

        with for_writes(engine).begin() as conn:
            conn.execute(text("SELECT 1"))
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
        assert seen == ["BEGIN IMMEDIATE", "BEGIN"]

    def test_a_write_transaction_holds_the_write_lock_from_its_start(self, engine: Engine) -> None:
        # BEGIN IMMEDIATE takes the lock before any statement: a second writer cannot start meanwhile.
        other = sqlite_engine(str(engine.url), synchronous="FULL", pool_size=1, max_overflow=0)
        try:
            with for_writes(engine).connect() as first:
                first.execute(text("SELECT 1"))
                blocked = other.raw_connection()
                try:
                    blocked.cursor().execute("PRAGMA busy_timeout=0")
                    with pytest.raises(sqlite3.OperationalError, match="locked"):
                        blocked.cursor().execute("BEGIN IMMEDIATE")
                finally:
                    blocked.close()
        finally:
            other.dispose()


def _note_then_raise(session: Session, note: str, error: BaseException, **options: Any) -> None:
    with unit_of_work(session, **options) as work:
        work.execute(text("INSERT INTO notes VALUES (:note)"), {"note": note})
        raise error


class TestUnitOfWork:
    def test_a_block_that_ends_commits_and_then_runs_the_after_commit_hook(self, engine: Engine) -> None:
        seen: list[list[str]] = []
        with unit_of_work(Session(engine), after_commit=lambda s: seen.append(_notes(engine))) as session:
            session.execute(text("INSERT INTO notes VALUES ('kept')"))
        assert seen == [["kept"]]  # the hook saw the row committed
        assert _notes(engine) == ["kept"]

    def test_a_block_that_raises_rolls_back_and_skips_the_hook(self, engine: Engine) -> None:
        seen: list[Session] = []
        with pytest.raises(RuntimeError):
            _note_then_raise(Session(engine), "lost", RuntimeError("boom"), after_commit=seen.append)
        assert seen == []
        assert _notes(engine) == []

    def test_a_recorded_failure_is_kept_only_when_asked(self, engine: Engine) -> None:
        with pytest.raises(RecordedFailure):
            _note_then_raise(Session(engine), "cli", RecordedFailure())
        with pytest.raises(RecordedFailure):
            _note_then_raise(Session(engine), "failed login", RecordedFailure(), keep_recorded_failures=True)
        with pytest.raises(PlainFailure):
            _note_then_raise(Session(engine), "conflict", PlainFailure(), keep_recorded_failures=True)
        assert _notes(engine) == ["failed login"]

    def test_the_session_is_closed_either_way(self, engine: Engine) -> None:
        ok = ClosingSession(engine)
        with unit_of_work(ok):
            ok.execute(text("SELECT 1"))
        failed = ClosingSession(engine)
        with pytest.raises(RuntimeError):
            _note_then_raise(failed, "lost", RuntimeError())
        assert ok.closed
        assert failed.closed
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


class ClosingSession(Session):
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()
