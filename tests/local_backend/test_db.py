"""The SQLite file is configured for durability and a single serialized writer."""

from sqlalchemy import event, text

from local_backend.config import Settings
from local_backend.db import Database
from tests.conftest import make_settings


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
