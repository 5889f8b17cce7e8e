"""Fixtures shared by every test: a real SQLite file per test, the real app, staff and menu factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.menu.models import (
    Category,
    PreferenceChoice,
    PreferenceSet,
    Product,
    ProductIngredient,
    ProductOption,
)
from local_backend.staff.models import User, WaiterAssistant
from local_backend.tables.models import Table, TableGroup
from tests.support.served import serve_in_thread

MANAGER = ("boss", "9999")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'pos.db'}",
        "secret_key": TEST_SECRET,
        "manager_username": MANAGER[0],
        "manager_pin": MANAGER[1],
        "pin_hash_rounds": 4,  # tests log in hundreds of times; production keeps the real cost
        "timezone": "Europe/Athens",
        "currency": "EUR",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def database(app: FastAPI, client: TestClient) -> Database:
    """The app's database, already migrated (the client started the app)."""
    db: Database = app.state.database
    return db


def login(client: TestClient, username: str, pin: str) -> dict[str, str]:
    resp = client.post("/api/auth/login", json={"username": username, "pin": pin})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


@pytest.fixture
def manager_headers(client: TestClient) -> dict[str, str]:
    return login(client, *MANAGER)


@pytest.fixture
def make_user(database: Database, app: FastAPI) -> Callable[..., User]:
    """Insert a staff member directly (setup, not the behaviour under test)."""
    counter = iter(range(1, 10_000))

    def _make(
        username: str | None = None, pin: str = "1234", role: str = "waiter", display_name: str | None = None
    ) -> User:
        name = username or f"waiter{next(counter)}"
        with database.write_session() as db:
            user = User(
                username=name,
                display_name=display_name or name.title(),
                role=role,
                pin_hash=app.state.hasher.hash(pin),
            )
            db.add(user)
        return user

    return _make


@pytest.fixture
def waiter_headers(client: TestClient, make_user: Callable[..., User]) -> Callable[..., dict[str, str]]:
    """Create a waiter and return auth headers: `waiter_headers("maria")`."""

    def _headers(username: str | None = None, pin: str = "1234", role: str = "waiter") -> dict[str, str]:
        user = make_user(username, pin, role)
        return login(client, user.username, pin)

    return _headers


@pytest.fixture
def assign_assistant(database: Database) -> Callable[[int, int], None]:
    def _assign(waiter_id: int, assistant_id: int) -> None:
        with database.write_session() as db:
            db.add(WaiterAssistant(waiter_id=waiter_id, assistant_id=assistant_id))

    return _assign


@pytest.fixture
def make_table(database: Database) -> Callable[..., Table]:
    counter = iter(range(1, 10_000))

    def _make(number: int | None = None, seats: int = 4, group: str | None = None, **kw: Any) -> Table:
        with database.write_session() as db:
            group_id = None
            if group is not None:
                tg = db.query(TableGroup).filter_by(name=group).first()
                if tg is None:
                    tg = TableGroup(name=group)
                    db.add(tg)
                    db.flush()
                group_id = tg.id
            n = number if number is not None else 100 + next(counter)
            table = Table(number=n, label=kw.pop("label", f"T{n}"), seats=seats, group_id=group_id, **kw)
            db.add(table)
        return table

    return _make


@pytest.fixture
def make_product(database: Database) -> Callable[..., Product]:
    """A product with optional options [(name, cost)], removable ingredients [name], preference sets.

    preference_sets: [(set_name, required, [(choice_name, delta), ...])]
    """

    def _make(
        name: str = "Moussaka",
        price: int = 1200,
        category: str = "Mains",
        options: list[tuple[str, int]] | None = None,
        ingredients: list[str] | None = None,
        preference_sets: list[tuple[str, bool, list[tuple[str, int]]]] | None = None,
        category_zone: int | None = None,
        **kw: Any,
    ) -> Product:
        with database.write_session() as db:
            cat = db.query(Category).filter_by(name=category).first()
            if cat is None:
                cat = Category(name=category, printer_zone_id=category_zone)
                db.add(cat)
                db.flush()
            # Empty collections to start from: lazy="raise" refuses to load a never-initialised one later.
            product = Product(
                category_id=cat.id, name=name, base_price=price, options=[], ingredients=[], preference_sets=[], **kw
            )
            for i, (oname, cost) in enumerate(options or []):
                product.options.append(ProductOption(name=oname, extra_cost=cost, sort_order=i))
            for i, iname in enumerate(ingredients or []):
                product.ingredients.append(ProductIngredient(name=iname, sort_order=i))
            for i, (sname, required, choices) in enumerate(preference_sets or []):
                pset = PreferenceSet(name=sname, is_required=required, sort_order=i, choices=[])
                for j, (cname, delta) in enumerate(choices):
                    pset.choices.append(PreferenceChoice(name=cname, price_delta=delta, sort_order=j))
                product.preference_sets.append(pset)
            db.add(product)
        return product

    return _make


@pytest.fixture
def live_server(settings: Settings, client: TestClient) -> Iterator[str]:
    """The appliance served by uvicorn on a free port of 127.0.0.1, on the same database file as `client`."""
    with serve_in_thread(create_app(settings), lifespan="on") as url:
        yield url
