"""A database made by the first migration, with a restaurant's data in it, upgrades to head when the app starts.

The data goes in with plain SQL against the first migration's schema (which is frozen, so this SQL stays valid
however many migrations follow), and comes out through the API of the current version.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.migrate import MIGRATIONS
from shared.security import SecretHasher
from tests.conftest import login, make_settings

# The first migration databases in the field were created with; frozen, so it is spelled out here on purpose.
RELEASED_FIRST_REVISION = "7af292b862f0"
T = "2026-11-20 18:30:00.000000"  # how SQLite stores the UTC datetimes


def insert(con: sqlite3.Connection, table: str, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))  # noqa: S608
    return int(cursor.lastrowid or 0)


def user(con: sqlite3.Connection, hasher: SecretHasher, username: str, role: str, pin: str) -> int:
    return insert(
        con,
        "users",
        username=username,
        display_name=username.title(),
        role=role,
        pin_hash=hasher.hash(pin),
        is_active=1,
        token_version=0,
        failed_pin_attempts=0,
        created_at=T,
        updated_at=T,
    )


def item(con: sqlite3.Connection, order_id: int, product_id: int, name: str, **values: Any) -> int:
    row: dict[str, Any] = {
        "order_id": order_id,
        "product_id": product_id,
        "product_name": name,
        "tax_rate_bp": 0,
        "selected_options": "[]",
        "removed_ingredients": "[]",
        "choices": "[]",
        "course": 1,
        "status": "served",
        "printed": 1,
        "round": 1,
        "fired_at": T,
        "served_at": T,
        "added_at": T,
        "updated_at": T,
    }
    row.update(values)
    return insert(con, "order_items", **row)


def restaurant_at_the_first_migration(settings: Settings) -> dict[str, int]:
    """Staff, a table, a menu and a part-paid order, written as the first version's schema had them."""
    command.upgrade(MIGRATIONS.config(url=settings.database_url), MIGRATIONS.first())
    hasher = SecretHasher(4)
    path = backups.database_file(settings)
    con = sqlite3.connect(path)
    try:
        ids: dict[str, int] = {}
        ids["boss"] = user(con, hasher, "boss", "manager", "9999")
        ids["maria"] = user(con, hasher, "maria", "waiter", "1234")
        ids["table"] = insert(
            con, "tables", number=7, label="T7", seats=4, is_active=1, pos_x=0, pos_y=0, created_at=T, updated_at=T
        )
        category = insert(
            con, "categories", name="Kitchen", color="#c0392b", sort_order=0, is_active=1, is_archived=0, created_at=T
        )
        ids["moussaka"] = insert(
            con,
            "products",
            category_id=category,
            name="Moussaka",
            base_price=1400,
            is_available=1,
            sort_order=0,
            is_archived=0,
            created_at=T,
            updated_at=T,
        )
        ids["order"] = insert(
            con,
            "orders",
            table_id=ids["table"],
            waiter_id=ids["maria"],
            status="partially_paid",
            guests=2,
            opened_at=T,
            rounds=1,
            fired_course=1,
            tax_mode="inclusive",
            service_charge_bp=0,
            updated_at=T,
        )
        ids["paid_item"] = item(
            con, ids["order"], ids["moussaka"], "Moussaka", quantity=2, unit_price=1400, paid_quantity=2,
            added_by_id=ids["maria"], note="no onion",
        )  # fmt: skip
        ids["open_item"] = item(
            con, ids["order"], ids["moussaka"], "Moussaka", quantity=1, unit_price=1400, paid_quantity=0,
            added_by_id=ids["maria"],
        )  # fmt: skip
        ids["payment"] = insert(
            con,
            "payments",
            order_id=ids["order"],
            method="cash",
            amount=2800,
            tip=200,
            tendered=3000,
            change_due=0,
            created_by_id=ids["maria"],
            created_at=T,
        )
        insert(con, "payment_items", payment_id=ids["payment"], order_item_id=ids["paid_item"], quantity=2, amount=2800)
        con.commit()
    finally:
        con.close()
    return ids


def revision_of(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


class TestTheMigrationChain:
    def test_there_is_one_first_migration_and_one_head(self):
        # Two bases or two heads would leave some databases without an upgrade path.
        assert MIGRATIONS.first()
        assert MIGRATIONS.head()
        revisions = list(MIGRATIONS.script().walk_revisions())
        assert revisions[-1].revision == MIGRATIONS.first()
        assert revisions[0].revision == MIGRATIONS.head()

    def test_the_first_migration_is_never_regenerated(self):
        # Regenerating it (the old `make migration-reset`) would leave every existing database without a way up.
        assert MIGRATIONS.first() == RELEASED_FIRST_REVISION


class TestUpgradingFromTheFirstMigration:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return make_settings(tmp_path, manager_username=None, manager_pin=None)

    def test_the_data_is_all_there_through_the_api_after_the_upgrade(self, settings: Settings):
        ids = restaurant_at_the_first_migration(settings)
        with TestClient(create_app(settings)) as client:
            boss = login(client, "boss", "9999")
            resp = client.get(f"/api/orders/{ids['order']}", headers=boss)
            assert resp.status_code == 200, resp.text
            order = resp.json()
            assert order["status"] == "partially_paid"
            assert (order["table_label"], order["waiter_name"]) == ("T7", "Maria")
            assert [(i["product_name"], i["quantity"], i["paid_quantity"]) for i in order["items"]] == [
                ("Moussaka", 2, 2),
                ("Moussaka", 1, 0),
            ]
            assert order["items"][0]["note"] == "no onion"
            assert [(p["method"], p["amount"], p["tip"]) for p in order["payments"]] == [("cash", 2800, 200)]
            assert (order["total"], order["paid_total"], order["due"]) == (4200, 2800, 1400)
            tables = client.get("/api/tables/", headers=boss).json()
            assert [t["label"] for t in tables] == ["T7"]

            # The upgraded database takes new writes: the waiter pays the rest and the bill is settled.
            maria = login(client, "maria", "1234")
            resp = client.post(
                f"/api/orders/{ids['order']}/pay",
                json={"item_ids": [ids["open_item"]], "method": "card", "tip": 0},
                headers=maria,
            )
            assert resp.status_code == 201, resp.text
            assert resp.json()["status"] == "paid"
        assert revision_of(backups.database_file(settings)) == MIGRATIONS.head()

    def test_a_backup_at_the_old_revision_is_taken_before_migrating(self, settings: Settings):
        ids = restaurant_at_the_first_migration(settings)
        with TestClient(create_app(settings)):
            pass
        pre_upgrade = [b for b in backups.list_backups(settings) if b.kind == "pre-upgrade"]
        if MIGRATIONS.first() == MIGRATIONS.head():
            assert pre_upgrade == [], "nothing to upgrade, so nothing to back up"
            return
        assert len(pre_upgrade) == 1
        backup = pre_upgrade[0].path
        assert backup.name.startswith(f"pre-upgrade-{MIGRATIONS.first()}-")
        assert revision_of(backup) == MIGRATIONS.first()
        assert backups.verify_backup(backup) == MIGRATIONS.first()
        con = sqlite3.connect(backup)
        try:
            assert con.execute("SELECT status FROM orders WHERE id = ?", (ids["order"],)).fetchall() == [
                ("partially_paid",)
            ]
        finally:
            con.close()

    def test_a_second_start_takes_no_second_backup(self, settings: Settings):
        restaurant_at_the_first_migration(settings)
        for _ in range(2):
            with TestClient(create_app(settings)):
                pass
        pre_upgrade = [b for b in backups.list_backups(settings) if b.kind == "pre-upgrade"]
        assert len(pre_upgrade) == (0 if MIGRATIONS.first() == MIGRATIONS.head() else 1)
