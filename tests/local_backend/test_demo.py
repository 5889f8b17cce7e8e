"""The demo taverna is realistic and seeding twice changes nothing."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from local_backend.app import create_app
from local_backend.db import Database
from local_backend.demo import DEMO_STAFF, seed_demo
from local_backend.menu.models import Category, PreferenceSet, Product, ProductIngredient, ProductOption
from local_backend.printing.models import Printer
from local_backend.tables.models import Table, TableGroup
from tests.conftest import make_settings


class TestDemoSeed:
    def test_the_demo_is_a_full_taverna_and_its_logins_work(self, tmp_path):
        settings = make_settings(tmp_path, manager_username=None, manager_pin=None)
        assert "seeded" in seed_demo(settings)
        database = Database(settings)

        def count(stmt) -> int:
            with database.read_session() as db:
                return int(db.scalar(stmt) or 0)

        try:
            assert count(select(func.count(TableGroup.id))) >= 2
            assert count(select(func.count(Table.id))) >= 20
            assert count(select(func.count(Category.id))) >= 6
            assert count(select(func.count(Product.id))) >= 40
            assert count(select(func.count(ProductOption.id))) > 0
            assert count(select(func.count(ProductIngredient.id))) > 0
            assert count(select(func.count(PreferenceSet.id)).where(PreferenceSet.is_required)) > 0
            assert count(select(func.count(Product.id)).where(Product.name_en.is_(None))) == 0
            # Every dish reaches a printer: two demo printers, each the other's backup, every category routed.
            assert count(select(func.count(Printer.id)).where(Printer.backup_printer_id.is_not(None))) == 2
            assert count(select(func.count(Category.id)).where(Category.printer_zone_id.is_(None))) == 0
        finally:
            database.dispose()
        with TestClient(create_app(settings)) as client:
            for username, _, role, pin in DEMO_STAFF:
                resp = client.post("/api/auth/login", json={"username": username, "pin": pin})
                assert resp.status_code == 200, username
                assert resp.json()["user"]["role"] == role

    def test_seeding_twice_changes_nothing(self, tmp_path):
        settings = make_settings(tmp_path)
        seed_demo(settings)
        assert "already" in seed_demo(settings)
        database = Database(settings)
        try:
            with database.read_session() as db:
                assert int(db.scalar(select(func.count(Table.id))) or 0) == 24
        finally:
            database.dispose()
