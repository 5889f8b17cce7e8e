"""The SQLite file is configured for durability and a single serialized writer."""

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from local_backend.app import create_app
from local_backend.config import Settings
from local_backend.db import Database
from tests.conftest import make_settings
from tests.support.served import serve_in_thread


class TestPragmas:
    def test_the_database_runs_in_wal_mode_with_foreign_keys_and_full_sync(self, database: Database):
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000

    def test_normal_sync_is_a_setting(self, tmp_path):
        database = Database(make_settings(tmp_path, sqlite_synchronous="NORMAL"))
        try:
            with database.engine.connect() as conn:
                assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
        finally:
            database.dispose()


class TestTransactions:
    def test_write_sessions_begin_immediate_and_read_sessions_do_not(self, database: Database):
        seen: list[str] = []

        def capture(conn, cursor, statement, *args):
            if statement.startswith("BEGIN"):
                seen.append(statement)

        event.listen(database.engine, "before_cursor_execute", capture)
        try:
            with database.write_session() as db:
                db.execute(text("SELECT 1"))
            with database.read_session() as db:
                db.execute(text("SELECT 1"))
        finally:
            event.remove(database.engine, "before_cursor_execute", capture)
        assert seen == ["BEGIN IMMEDIATE", "BEGIN"]

    def test_migrations_built_the_schema(self, database: Database):
        with database.engine.connect() as conn:
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert {"users", "tables", "products", "orders", "order_items", "payments", "audit_events"} <= tables
        assert version


class TestSecretKey:
    def test_a_secret_key_is_generated_once_and_kept_beside_the_database(self, tmp_path):
        settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/pos.db")
        first = settings.resolved_secret_key()
        second = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/pos.db").resolved_secret_key()
        assert first == second
        assert len(first) >= 48
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

    def test_two_sites_never_share_a_generated_key(self, tmp_path):
        a = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/a/pos.db").resolved_secret_key()
        b = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/b/pos.db").resolved_secret_key()
        assert a != b


class TestGroupCommit:
    """Concurrent writes share commits, yet each is acknowledged only once it is on disk."""

    def test_concurrent_writes_share_commits_and_a_failing_one_undoes_only_itself(self, tmp_path):
        app = create_app(make_settings(tmp_path))
        with serve_in_thread(app) as url:
            with httpx.Client(base_url=url, timeout=30) as c:
                token = c.post("/api/auth/login", json={"username": "boss", "pin": "9999"}).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                tables = c.post("/api/tables/batch", json={"prefix": "T", "count": 40, "start": 1}, headers=headers)
                assert tables.status_code == 201
                ids = [t["id"] for t in tables.json()]
            before = app.state.database.writer.commits

            def open_twice(table_id: int) -> list[int]:
                with httpx.Client(base_url=url, timeout=30, headers=headers) as phone:
                    return [phone.post("/api/orders/", json={"table_id": table_id}).status_code for _ in range(2)]

            with ThreadPoolExecutor(max_workers=20) as pool:
                results = list(pool.map(open_twice, ids))
            writer = app.state.database.writer
        # Each table: the first open is kept, the second is a conflict that rolled back only its savepoint.
        assert results == [[201, 409]] * 40
        with sqlite3.connect(tmp_path / "pos.db") as conn:
            assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 40
            assert conn.execute("SELECT count(*) FROM audit_events WHERE action='order.opened'").fetchone()[0] == 40
        # 40 kept writes from 20 phones at once need fewer fsyncs than writes.
        assert writer.commits - before < 40

    def test_a_failed_commit_is_not_acknowledged(self, tmp_path, monkeypatch):
        import local_backend.db as dbmod

        app = create_app(make_settings(tmp_path))
        with TestClient(app) as client:
            token = client.post("/api/auth/login", json={"username": "boss", "pin": "9999"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            real_finish = dbmod._finish

            def failing_finish(session, *, commit):
                if commit:
                    session.rollback()
                    session.close()
                    raise OSError("disk I/O error")
                real_finish(session, commit=commit)

            monkeypatch.setattr(dbmod, "_finish", failing_finish)
            resp = client.post("/api/tables/", json={"number": 7, "seats": 4}, headers=headers)
            assert resp.status_code == 503
            assert resp.json()["code"] == "WRITE_FAILED"
            monkeypatch.setattr(dbmod, "_finish", real_finish)
            assert client.get("/api/tables/", headers=headers).json() == []
            again = client.post("/api/tables/", json={"number": 7, "seats": 4}, headers=headers)
            assert again.status_code == 201


class TestGroupWriterRun:
    def test_a_failing_background_write_leaves_no_transaction_open(self, tmp_path):
        import asyncio

        import pytest

        from local_backend.tables.models import Table

        database = Database(make_settings(tmp_path))
        try:
            from local_backend import migrate

            migrate.upgrade(database.engine)

            def failing(session):
                session.add(Table(number=1, label="T1"))
                session.flush()
                raise RuntimeError("worker failed")

            async def scenario():
                with pytest.raises(RuntimeError):
                    await database.writer.run(failing)
                # Another connection can take SQLite's write lock at once: the failed write released it.
                conn = sqlite3.connect(tmp_path / "pos.db", timeout=0.5)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                finally:
                    conn.close()
                await database.writer.run(lambda s: s.add(Table(number=2, label="T2")))

            asyncio.run(scenario())
            with sqlite3.connect(tmp_path / "pos.db") as conn:
                assert [r[0] for r in conn.execute("SELECT number FROM tables")] == [2]
        finally:
            database.dispose()


class TestPriorityLock:
    def test_urgent_waiters_are_served_before_earlier_normal_ones_and_each_lane_is_fifo(self):
        import asyncio

        from local_backend.db import PriorityLock

        async def scenario() -> list[str]:
            lock = PriorityLock()
            order: list[str] = []
            await lock.acquire()

            async def take(name: str, urgent: bool) -> None:
                async with lock.hold(urgent=urgent):
                    order.append(name)

            tasks = [asyncio.create_task(take(n, u)) for n, u in (("n1", False), ("n2", False), ("u1", True))]
            await asyncio.sleep(0)
            tasks.append(asyncio.create_task(take("u2", True)))
            await asyncio.sleep(0)
            lock.release()
            await asyncio.gather(*tasks)
            assert not lock.locked()
            return order

        assert asyncio.run(scenario()) == ["u1", "u2", "n1", "n2"]

    def test_a_cancelled_waiter_does_not_keep_the_lock(self):
        import asyncio

        from local_backend.db import PriorityLock

        async def scenario() -> bool:
            lock = PriorityLock()
            await lock.acquire()
            waiting = asyncio.create_task(lock.acquire())
            await asyncio.sleep(0)
            waiting.cancel()
            await asyncio.sleep(0)
            lock.release()
            await asyncio.wait_for(lock.acquire(), timeout=1)
            return lock.locked()

        assert asyncio.run(scenario())


class TestBatchIsolation:
    def test_a_write_that_fails_at_flush_undoes_only_itself_in_a_shared_batch(self, tmp_path):
        import asyncio

        from sqlalchemy.exc import IntegrityError

        from local_backend import migrate
        from local_backend.tables.models import Table

        database = Database(make_settings(tmp_path))
        try:
            migrate.upgrade(database.engine)

            async def scenario() -> list[object]:
                def insert(session, number: int) -> None:
                    session.add(Table(number=number, label=f"T{number}"))
                    session.flush()

                async def add(number: int) -> None:
                    await database.writer.run(lambda s: insert(s, number))

                # All three queue behind one holder of the lock, so they run in one batch and share its commit.
                await database.writer.lock.acquire()
                tasks = [asyncio.create_task(add(n)) for n in (1, 1, 3)]
                await asyncio.sleep(0.05)
                database.writer.lock.release()
                return await asyncio.gather(*tasks, return_exceptions=True)

            results = asyncio.run(scenario())
            assert results[0] is None
            assert isinstance(results[1], IntegrityError)
            assert results[2] is None
            with sqlite3.connect(tmp_path / "pos.db") as conn:
                assert sorted(r[0] for r in conn.execute("SELECT number FROM tables")) == [1, 3]
            assert database.writer.commits == 1  # one shared commit, as the scenario intends
        finally:
            database.dispose()

    def test_an_idempotent_replay_is_answered_only_once_the_original_is_on_disk(self, tmp_path, monkeypatch):
        import asyncio

        import local_backend.db as dbmod

        app = create_app(make_settings(tmp_path))
        with serve_in_thread(app) as url:
            with httpx.Client(base_url=url, timeout=30) as c:
                token = c.post("/api/auth/login", json={"username": "boss", "pin": "9999"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"}
            real_finish = dbmod._finish

            def failing_finish(session, *, commit):
                if commit:
                    time.sleep(0.5)
                    session.rollback()
                    session.close()
                    raise OSError("disk I/O error")
                real_finish(session, commit=commit)

            idem = app.state.idempotency
            real_store = idem.store

            async def slow_store(request, session, response):
                await real_store(request, session, response)
                await asyncio.sleep(0.4)  # the retry queues for the lock while the original still holds it

            monkeypatch.setattr(dbmod, "_finish", failing_finish)
            monkeypatch.setattr(idem, "store", slow_store)
            with ThreadPoolExecutor(max_workers=2) as pool:
                first = pool.submit(httpx.post, f"{url}/api/tables/", json={"number": 7}, headers=headers, timeout=30)
                time.sleep(0.2)
                retry = httpx.post(f"{url}/api/tables/", json={"number": 7}, headers=headers, timeout=30)
                original = first.result()
        assert original.status_code == 503
        # The retry must not claim success for a write that never reached the disk.
        assert retry.status_code == 503, retry.text
        with sqlite3.connect(tmp_path / "pos.db") as conn:
            assert conn.execute("SELECT count(*) FROM tables").fetchone()[0] == 0
