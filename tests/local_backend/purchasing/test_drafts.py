"""Drafts from low stock: `draft_for_low_stock` called directly (as the inventory calls it on a crossing) and the
suggest route, on generated sales history whose forecast is known: one draft per supplier, the "no supplier"
draft, the forecast's quantity (at least back above critical), what is on order, and topping up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from local_backend.db import Database
from local_backend.inventory.models import StockMovement
from local_backend.purchasing.drafts import draft_for_low_stock
from tests.local_backend.purchasing.conftest import BASE, ok

ATHENS = ZoneInfo("Europe/Athens")  # the test settings' timezone


def tomorrow() -> date:
    return datetime.now(ATHENS).date() + timedelta(days=1)


@pytest.fixture
def sold_on_tomorrows_weekday(database: Database) -> Callable[[int, int], None]:
    """Ledger lines: `quantity` sold at noon on each of the last 4 weekdays like tomorrow (setup: the forecast
    only reads the ledger), so tomorrow's forecast is exactly `quantity`."""

    def _write(item_id: int, quantity: int) -> None:
        with database.write_session() as db:
            for k in (1, 2, 3, 4):
                day = tomorrow() - timedelta(weeks=k)
                at = datetime.combine(day, time(12), tzinfo=ATHENS).astimezone(UTC)
                db.add(StockMovement(stock_item_id=item_id, kind="sale", delta=-quantity, on_hand_after=0, at=at))

    return _write


@pytest.fixture
def count_to(client, manager_headers) -> Callable[[int, int], None]:
    """Set an item's stock through a count (the inventory's own way down to the critical level)."""

    def _count(item_id: int, counted: int) -> None:
        body = {"reason": "weekly count", "lines": [{"stock_item_id": item_id, "counted": counted}]}
        ok(client.post("/api/inventory/counts", json=body, headers=manager_headers), 201)

    return _count


@pytest.fixture
def drafts_now(client, manager_headers) -> Callable[[], dict[str | None, dict[str, Any]]]:
    """The open drafts by supplier name (None: the "no supplier" draft)."""

    def _drafts() -> dict[str | None, dict[str, Any]]:
        orders = ok(client.get(BASE, params={"status": "draft"}, headers=manager_headers))
        by_supplier = {o["supplier_name"]: o for o in orders}
        assert len(by_supplier) == len(orders), "one draft per supplier"
        return by_supplier

    return _drafts


def quantities(order: dict[str, Any]) -> dict[str, int]:
    return {line["name"]: line["quantity"] for line in order["lines"]}


@pytest.fixture
def draft(database: Database) -> Callable[[list[int]], list[int]]:
    def _draft(ids: list[int]) -> list[int]:
        with database.write_session() as db:
            return draft_for_low_stock(db, ids)

    return _draft


class TestDraftForLowStock:
    def test_low_items_go_on_their_suppliers_draft_with_the_forecasts_suggested_order(
        self, make_supplier, make_item, sold_on_tomorrows_weekday, count_to, draft, drafts_now, client, manager_headers
    ) -> None:
        farm, dairy = make_supplier("Farm", email="farm@example.com"), make_supplier("Dairy")
        beef = make_item("Beef", "g", on_hand=5000, critical_level=1000, unit_cost=1500, supplier_id=farm["id"])
        lamb = make_item("Lamb", "g", on_hand=5000, critical_level=500, unit_cost=1800, supplier_id=farm["id"])
        milk = make_item("Milk", "ml", on_hand=9000, critical_level=2000, supplier_id=dairy["id"])
        salt = make_item("Salt", "g", on_hand=900, critical_level=100)  # nobody supplies it yet
        sold_on_tomorrows_weekday(beef["id"], 2000)  # forecast 2000 g
        sold_on_tomorrows_weekday(milk["id"], 4000)
        count_to(beef["id"], 800)  # 1.5 x 2000 + 1000 - 800 = 3200
        count_to(lamb["id"], 500)  # no history: back above critical, 500 - 500 + 1 = 1
        count_to(milk["id"], 1500)  # 1.5 x 4000 + 2000 - 1500 = 6500
        count_to(salt["id"], 40)  # 100 - 40 + 1 = 61

        draft([beef["id"], lamb["id"], milk["id"], salt["id"]])
        drafts = drafts_now()
        assert set(drafts) == {"Farm", "Dairy", None}
        assert quantities(drafts["Farm"]) == {"Beef": 3200, "Lamb": 1}
        assert next(x for x in drafts["Farm"]["lines"] if x["name"] == "Beef")["unit_cost"] == 1500
        assert quantities(drafts["Dairy"]) == {"Milk": 6500}
        assert quantities(drafts[None]) == {"Salt": 61}
        assert drafts["Farm"]["created_by_id"] is None  # the appliance drafted it

        # Called again for the same crossing: nothing changes.
        assert draft([beef["id"], lamb["id"], milk["id"], salt["id"]]) == []
        assert drafts_now() == drafts
        events = ok(client.get("/api/audit/", params={"action": "purchasing.drafted"}, headers=manager_headers))
        assert {e["entity_id"] for e in events} == {d["id"] for d in drafts.values()}

    def test_items_that_are_not_low_or_not_active_are_left_alone(
        self, client, manager_headers, make_supplier, make_item, count_to, draft, drafts_now
    ) -> None:
        farm = make_supplier("Farm")
        fine = make_item("Beef", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        gone = make_item("Veal", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        ok(client.patch(f"/api/inventory/items/{gone['id']}", json={"is_active": False}, headers=manager_headers))
        count_to(gone["id"], 10)
        assert draft([]) == []
        assert draft([fine["id"], gone["id"], 424242]) == []
        assert drafts_now() == {}

    def test_a_supplier_deactivated_sends_its_items_to_the_no_supplier_draft(
        self, client, manager_headers, make_supplier, make_item, count_to, draft, drafts_now
    ) -> None:
        old = make_supplier("Old farm")
        beef = make_item("Beef", "g", on_hand=5000, critical_level=1000, supplier_id=old["id"])
        ok(client.patch(f"/api/inventory/suppliers/{old['id']}", json={"is_active": False}, headers=manager_headers))
        count_to(beef["id"], 0)
        draft([beef["id"]])
        assert quantities(drafts_now()[None]) == {"Beef": 1001}

    def test_a_second_crossing_tops_the_draft_up_and_never_lowers_it(
        self, client, manager_headers, make_supplier, make_item, make_order, count_to, draft, drafts_now
    ) -> None:
        farm = make_supplier("Farm")
        beef = make_item("Beef", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        lamb = make_item("Lamb", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        # The manager already has a draft for the farm with lamb typed in by hand: the low items join it.
        mine = make_order(farm["id"], [(lamb["id"], 7000)])
        count_to(beef["id"], 900)
        count_to(lamb["id"], 900)
        draft([beef["id"], lamb["id"]])
        drafts = drafts_now()
        assert drafts["Farm"]["id"] == mine["id"]
        assert quantities(drafts["Farm"]) == {"Lamb": 7000, "Beef": 101}

        count_to(beef["id"], 1500)  # back above, then down again lower
        count_to(beef["id"], 200)
        draft([beef["id"]])
        assert quantities(drafts_now()["Farm"]) == {"Lamb": 7000, "Beef": 801}

    def test_what_is_on_order_counts_against_the_new_draft(
        self, client, manager_headers, make_supplier, make_item, make_order, count_to, draft, drafts_now
    ) -> None:
        farm = make_supplier("Farm")
        beef = make_item("Beef", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        lamb = make_item("Lamb", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
        on_the_van = make_order(farm["id"], [(beef["id"], 5000), (lamb["id"], 300)])
        ok(client.post(f"{BASE}/{on_the_van['id']}/send", json={}, headers=manager_headers))
        count_to(beef["id"], 500)  # needs 501, 5000 on order: nothing to draft
        count_to(lamb["id"], 500)  # needs 501, 300 on order: 201 more
        draft([beef["id"], lamb["id"]])
        assert quantities(drafts_now()["Farm"]) == {"Lamb": 201}


class TestSuggestRoute:
    def test_suggest_drafts_every_low_or_critical_item_from_the_forecast(
        self, client, manager_headers, make_supplier, make_item, sold_on_tomorrows_weekday, drafts_now
    ) -> None:
        farm = make_supplier("Farm")
        # Not low (above its critical level) but critical: 3000 on hand, 4000 expected tomorrow.
        beef = make_item("Beef", "g", on_hand=3000, critical_level=500, supplier_id=farm["id"])
        sold_on_tomorrows_weekday(beef["id"], 4000)  # 1.5 x 4000 + 500 - 3000 = 3500
        # Warning only (on hand < 1.5 x forecast) and above critical: not suggested.
        lamb = make_item("Lamb", "g", on_hand=1400, critical_level=100, supplier_id=farm["id"])
        sold_on_tomorrows_weekday(lamb["id"], 1000)
        # Low, no history.
        make_item("Eggs", "pc", on_hand=5, critical_level=12)
        make_item("Rice", "g", on_hand=9000, critical_level=1000)  # fine

        changed = ok(client.post(f"{BASE}/suggest", headers=manager_headers))
        assert sorted((o["supplier_name"] or "", quantities(o)) for o in changed) == [
            ("", {"Eggs": 8}),
            ("Farm", {"Beef": 3500}),
        ]
        drafts = drafts_now()
        assert {name: quantities(o) for name, o in drafts.items()} == {"Farm": {"Beef": 3500}, None: {"Eggs": 8}}
        # Asked again: the drafts already say it all.
        assert ok(client.post(f"{BASE}/suggest", headers=manager_headers)) == []
        assert drafts_now() == drafts


def test_a_count_that_crosses_the_critical_level_drafts_by_itself(
    make_supplier, make_item, count_to, drafts_now
) -> None:
    farm = make_supplier("Farm")
    beef = make_item("Beef", "g", on_hand=5000, critical_level=1000, supplier_id=farm["id"])
    count_to(beef["id"], 900)
    assert quantities(drafts_now()["Farm"]) == {"Beef": 101}
