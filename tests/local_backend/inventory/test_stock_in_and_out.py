"""Deliveries, counts, waste and adjustments: the ledger, the audit trail with reasons, alerts and the low-stock
event on the crossing only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from local_backend.menu.models import Product
from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.local_backend.inventory.conftest import ok
from tests.support.sockets import receive, token_for, ws_url


def audit_of(client: Any, headers: dict[str, str], action: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok(client.get("/api/audit/", params={"action": action}, headers=headers))
    return events[::-1]


class TestDeliveries:
    def test_a_delivery_is_stock_in_at_the_invoice_cost_and_is_audited(
        self, client, manager_headers, make_item, on_hand, movements
    ) -> None:
        supplier = ok(client.post("/api/inventory/suppliers", json={"name": "Meat & Co"}, headers=manager_headers), 201)
        beef = make_item("Beef", "g", on_hand=200, unit_cost=1500)
        milk = make_item("Milk", "ml", on_hand=0)
        body = {
            "supplier_id": supplier["id"],
            "note": "invoice 4411",
            "lines": [
                {"stock_item_id": beef["id"], "quantity": 5000, "unit_cost": 1650},
                {"stock_item_id": milk["id"], "quantity": 12000},
            ],
        }
        delivery = ok(client.post("/api/inventory/deliveries", json=body, headers=manager_headers), 201)
        assert delivery["supplier_id"] == supplier["id"]
        assert [(line["stock_item_id"], line["quantity"]) for line in delivery["lines"]] == [
            (beef["id"], 5000),
            (milk["id"], 12000),
        ]
        assert (on_hand(beef["id"]), on_hand(milk["id"])) == (5200, 12000)
        item = ok(client.get(f"/api/inventory/items/{beef['id']}", headers=manager_headers))
        assert item["unit_cost"] == 1650
        assert ok(client.get(f"/api/inventory/items/{milk['id']}", headers=manager_headers))["unit_cost"] is None
        last = movements(beef["id"])[-1]
        assert (last["kind"], last["delta"], last["on_hand_after"], last["delivery_id"]) == (
            "delivery",
            5000,
            5200,
            delivery["id"],
        )
        [event] = audit_of(client, manager_headers, "inventory.delivery_received")
        assert event["entity_id"] == delivery["id"]
        assert event["actor_id"] is not None
        assert [line["quantity"] for line in event["data"]["lines"]] == [5000, 12000]
        listed = ok(client.get("/api/inventory/deliveries", headers=manager_headers))
        assert [d["id"] for d in listed] == [delivery["id"]]

    def test_a_line_for_an_unknown_item_refuses_the_whole_delivery(
        self, client, manager_headers, make_item, on_hand
    ) -> None:
        beef = make_item("Beef", "g", on_hand=200)
        body = {"lines": [{"stock_item_id": beef["id"], "quantity": 100}, {"stock_item_id": 999, "quantity": 5}]}
        resp = client.post("/api/inventory/deliveries", json=body, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "STOCK_ITEM_UNKNOWN")
        assert on_hand(beef["id"]) == 200
        assert ok(client.get("/api/inventory/deliveries", headers=manager_headers)) == []

    @pytest.mark.parametrize(
        ("lines", "supplier_id"),
        [
            ([], None),
            ([{"stock_item_id": 1, "quantity": 0}], None),
            ([{"stock_item_id": 1, "quantity": 5}, {"stock_item_id": 1, "quantity": 5}], None),
            ([{"stock_item_id": 1, "quantity": 5, "unit_cost": -1}], None),
        ],
    )
    def test_malformed_deliveries_are_422(self, client, manager_headers, make_item, lines, supplier_id) -> None:
        make_item("Beef", "g")
        body = {"lines": lines, "supplier_id": supplier_id}
        assert client.post("/api/inventory/deliveries", json=body, headers=manager_headers).status_code == 422

    def test_an_unknown_supplier_is_422(self, client, manager_headers, make_item) -> None:
        beef = make_item("Beef", "g")
        body = {"supplier_id": 77, "lines": [{"stock_item_id": beef["id"], "quantity": 5}]}
        resp = client.post("/api/inventory/deliveries", json=body, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "SUPPLIER_UNKNOWN")


class TestCounts:
    def test_a_count_sets_each_item_to_the_counted_figure_with_its_reason_in_the_audit(
        self, client, manager_headers, make_item, on_hand, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        wine = make_item("House red", "ml", on_hand=7500)
        eggs = make_item("Eggs", "pc", on_hand=30)
        body = {
            "reason": "Sunday count",
            "lines": [
                {"stock_item_id": beef["id"], "counted": 940},
                {"stock_item_id": wine["id"], "counted": 9000},
                {"stock_item_id": eggs["id"], "counted": 30},
            ],
        }
        result = ok(client.post("/api/inventory/counts", json=body, headers=manager_headers), 201)
        assert [(r["previous"], r["counted"], r["delta"]) for r in result] == [
            (1000, 940, -60),
            (7500, 9000, 1500),
            (30, 30, 0),
        ]
        assert (on_hand(beef["id"]), on_hand(wine["id"]), on_hand(eggs["id"])) == (940, 9000, 30)
        last = movements(beef["id"])[-1]
        assert (last["kind"], last["delta"], last["on_hand_after"], last["reason"]) == (
            "count",
            -60,
            940,
            "Sunday count",
        )
        events = audit_of(client, manager_headers, "inventory.counted")
        assert [(e["entity_id"], e["data"]["delta"], e["data"]["reason"]) for e in events] == [
            (beef["id"], -60, "Sunday count"),
            (wine["id"], 1500, "Sunday count"),
            (eggs["id"], 0, "Sunday count"),
        ]
        assert all(e["actor_id"] is not None for e in events)

    def test_a_count_needs_a_reason(self, client, manager_headers, make_item) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        body = {"reason": "  ", "lines": [{"stock_item_id": beef["id"], "counted": 5}]}
        assert client.post("/api/inventory/counts", json=body, headers=manager_headers).status_code == 422

    def test_waste_and_adjustments_are_ledger_lines_with_their_reason(
        self, client, manager_headers, make_item, movements
    ) -> None:
        beef = make_item("Beef", "g", on_hand=1000)
        item = ok(
            client.post(
                "/api/inventory/waste",
                json={"stock_item_id": beef["id"], "quantity": 250, "reason": "fridge failed"},
                headers=manager_headers,
            ),
            201,
        )
        assert item["on_hand"] == 750
        item = ok(
            client.post(
                "/api/inventory/adjustments",
                json={"stock_item_id": beef["id"], "delta": -50, "reason": "lent to the café"},
                headers=manager_headers,
            ),
            201,
        )
        assert item["on_hand"] == 700
        assert [(m["kind"], m["delta"], m["reason"]) for m in movements(beef["id"])[1:]] == [
            ("waste", -250, "fridge failed"),
            ("adjustment", -50, "lent to the café"),
        ]
        assert audit_of(client, manager_headers, "inventory.waste")[0]["data"]["reason"] == "fridge failed"
        assert audit_of(client, manager_headers, "inventory.adjustment")[0]["data"]["delta"] == -50
        zero = {"stock_item_id": beef["id"], "delta": 0, "reason": "nothing"}
        assert client.post("/api/inventory/adjustments", json=zero, headers=manager_headers).status_code == 422


class TestAlerts:
    def test_alerts_list_active_items_at_or_below_their_critical_level(
        self, client, manager_headers, make_item
    ) -> None:
        make_item("Beef", "g", on_hand=1000, critical_level=500)
        at = make_item("Buns", "pc", on_hand=10, critical_level=10)
        below = make_item("Milk", "ml", on_hand=-200, critical_level=1000)
        gone = make_item("Old stock", "pc", on_hand=0, critical_level=5, is_active=False)
        alerts = ok(client.get("/api/inventory/alerts", headers=manager_headers))
        assert [a["id"] for a in alerts] == [below["id"], at["id"]]
        assert all(a["is_low"] for a in alerts)
        assert gone["id"] not in [a["id"] for a in alerts]


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client, *MANAGER)}"
        yield client


def drain(ws: Any, wait: float = 0.5) -> list[dict[str, Any]]:
    seen = []
    while True:
        try:
            seen.append(receive(ws, timeout=wait))
        except TimeoutError:
            return seen


@pytest.mark.timeout(60)
class TestLowStockEvent:
    def test_managers_hear_the_crossing_once_and_waiters_never(
        self,
        live_server: str,
        api: httpx.Client,
        make_user: Callable[..., User],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        make_user("maria")
        maria = {"Authorization": f"Bearer {token_for(api, 'maria')}"}
        boss_token = str(api.headers["Authorization"]).split()[1]
        burger = make_product("Burger", 1200)
        beef = ok(
            api.post(
                "/api/inventory/items", json={"name": "Beef", "unit": "g", "on_hand": 1000, "critical_level": 500}
            ),
            201,
        )
        ok(
            api.put(
                f"/api/products/{burger.id}/recipe", json={"lines": [{"stock_item_id": beef["id"], "quantity": 200}]}
            )
        )
        order = ok(api.post("/api/orders/", json={"table_id": make_table().id}, headers=maria), 201)

        def sell(quantity: int) -> None:
            body = {"items": [{"product_id": burger.id, "quantity": quantity}]}
            ok(api.post(f"/api/orders/{order['id']}/items", json=body, headers=maria), 201)

        with (
            connect(ws_url(live_server, "/ws/events", boss_token)) as manager,
            connect(ws_url(live_server, "/ws/events", maria["Authorization"].split()[1])) as phone,
        ):
            receive(manager)
            receive(phone)
            sell(2)  # 600 left: above 500
            sell(1)  # 400: crosses
            sell(1)  # 200: already low, nothing new
            low = [m for m in drain(manager) if m["type"] == "inventory.low_stock"]
            assert [m["data"] for m in low] == [
                {"stock_item_id": beef["id"], "name": "Beef", "unit": "g", "on_hand": 400, "critical_level": 500}
            ]
            assert "inventory.low_stock" not in [m["type"] for m in drain(phone, 0.2)]
            # Back above, then down again: a new crossing.
            ok(
                api.post(
                    "/api/inventory/deliveries", json={"lines": [{"stock_item_id": beef["id"], "quantity": 1000}]}
                ),
                201,
            )
            sell(2)  # 1200 -> 800
            sell(2)  # 800 -> 400: crosses again
            low = [m for m in drain(manager) if m["type"] == "inventory.low_stock"]
            assert [m["data"]["on_hand"] for m in low] == [400]
