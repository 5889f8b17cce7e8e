"""Guests' items print on the kitchen's printer like a waiter's, marked GUEST ORDER with each guest's nickname."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from local_backend.config import Settings
from local_backend.menu.models import Product
from tests.conftest import make_settings
from tests.local_backend.guest.conftest import GuestTable, add_line, set_ordering
from tests.local_backend.orders.helpers import add_items, line, open_order
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import wait_for_tickets
from tests.support.fake_printer import FakePrinter, fake_printer


@pytest.fixture
def kitchen() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


@pytest.fixture
def settings(tmp_path: Path, kitchen: FakePrinter) -> Settings:
    return make_settings(tmp_path, **FAST_PRINTING)


@pytest.fixture
def zone(client: TestClient, manager_headers: dict[str, str], kitchen: FakePrinter) -> int:
    body = {"name": "Kitchen", "ip_address": kitchen.host, "port": kitchen.port}
    resp = client.post("/api/printers/", json=body, headers=manager_headers)
    assert resp.status_code == 201, resp.text
    zone_id: int = resp.json()["id"]
    return zone_id


def test_a_direct_guest_order_prints_marked_guest_with_the_nicknames(
    client: TestClient,
    guest_table: Callable[..., GuestTable],
    make_product: Callable[..., Product],
    manager_headers: dict[str, str],
    kitchen: FakePrinter,
    zone: int,
) -> None:
    pasta = make_product("Pasta", 900, category="Hot", category_zone=zone)
    set_ordering(client, manager_headers, "direct")
    table = guest_table(label="Garden 2")
    add_line(client, table, pasta.id, quantity=2, nickname="Lena", note="extra basil")
    version = client.get(table.url("/cart")).json()["version"]
    assert client.post(table.url("/submit"), json={"nickname": "Lena", "cart_version": version}).status_code == 201
    text = wait_for_tickets(kitchen, 1)[0].text
    assert "GUEST ORDER" in text
    assert "NEW" in text
    assert "2 x Pasta" in text
    assert "guest: Lena" in text
    assert "extra basil" in text
    assert "QR guests" in text
    assert "Garden 2" in text


def test_a_waiters_round_does_not_say_guest(
    client: TestClient,
    make_product: Callable[..., Product],
    make_table: Callable[..., object],
    waiter_headers: Callable[..., dict[str, str]],
    kitchen: FakePrinter,
    zone: int,
) -> None:
    pasta = make_product("Pasta", 900, category="Hot", category_zone=zone)
    maria = waiter_headers("maria")
    table = make_table(1)
    order = open_order(client, maria, table.id)  # type: ignore[attr-defined]
    add_items(client, maria, order["id"], line(pasta.id))
    text = wait_for_tickets(kitchen, 1)[0].text
    assert "GUEST" not in text
    assert "guest:" not in text
