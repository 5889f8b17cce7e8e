"""Guests' items (QR ordering) on the kitchen display: each item names the guest who ordered it, in the tickets read
over the API and in the kitchen.ticket_new a screen hears."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from websockets.sync.client import connect

from local_backend.menu.models import Product
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.local_backend.guest.conftest import GuestTable, set_ordering
from tests.local_backend.kitchen.conftest import add_round, bearer, make_zone, pair
from tests.local_backend.kitchen.test_kitchen_api import tickets
from tests.support.sockets import receive, token_for, ws_url


def guest_send(client: Any, table: GuestTable, product: Product, nickname: str) -> None:
    """A guest puts one dish in the table's cart and sends it (in direct mode it joins the table's order)."""
    line = {"product_id": product.id, "quantity": 1, "nickname": nickname}
    assert client.post(table.url("/cart/lines"), json=line).status_code == 201
    version = client.get(table.url("/cart")).json()["version"]
    resp = client.post(table.url("/submit"), json={"nickname": nickname, "cart_version": version})
    assert resp.status_code == 201, resp.text
    assert resp.json()["status"] == "accepted"


def qr_table(client: Any, headers: dict[str, str], table_id: int, label: str) -> GuestTable:
    resp = client.get(f"/api/tables/{table_id}/qr", headers=headers)
    assert resp.status_code == 200, resp.text
    return GuestTable(id=table_id, label=label, token=resp.json()["token"])


def test_a_guests_items_carry_the_nickname_and_a_waiters_items_none(
    client: TestClient,
    manager_headers: dict[str, str],
    maria_headers: dict[str, str],
    zones: dict[str, dict[str, Any]],
    menu: dict[str, Product],
    order_id: int,
) -> None:
    add_round(client, maria_headers, order_id, menu["moussaka"])
    set_ordering(client, manager_headers, "direct")
    table_id = client.get(f"/api/orders/{order_id}", headers=maria_headers).json()["table_id"]
    table = qr_table(client, manager_headers, table_id, "T7")
    guest_send(client, table, menu["salad"], "Anna")
    guest_send(client, table, menu["salad"], "Bob")

    screen = pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])
    found = tickets(client, bearer(screen["token"]))
    by_round = {t["round"]: [(i["product_name"], i["guest_nickname"]) for i in t["items"]] for t in found}
    assert by_round == {1: [("Moussaka", None)], 2: [("Salad", "Anna")], 3: [("Salad", "Bob")]}


@pytest.mark.timeout(60)
def test_a_screen_hears_a_guests_new_ticket_with_the_nickname(
    live_server: str, make_table: Callable[..., Table], make_product: Callable[..., Product]
) -> None:
    with httpx.Client(base_url=live_server, timeout=10) as api:
        boss = bearer(token_for(api, *MANAGER))
        zone = make_zone(api, boss, "Kitchen")
        moussaka = make_product("Moussaka", 1200, printer_zone_id=zone["id"])
        set_ordering(api, boss, "direct")  # type: ignore[arg-type]
        table = qr_table(api, boss, make_table(5, label="T5").id, "T5")
        screen = pair(api, boss, "Hot line", [zone["id"]])
        with connect(ws_url(live_server, "/ws/kitchen", screen["token"])) as hot:
            assert receive(hot)["data"]["tickets"] == []
            guest_send(api, table, moussaka, "Anna")
            new = receive(hot)
            assert new["type"] == "kitchen.ticket_new"
            assert [(i["product_name"], i["guest_nickname"]) for i in new["data"]["items"]] == [("Moussaka", "Anna")]
