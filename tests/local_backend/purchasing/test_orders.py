"""Purchase orders by hand: drafts, their lines and cost snapshot, sending, cancelling, and receiving through the
inventory's delivery (stock in, ledger, costs), each step in the audit trail; managers only."""

from __future__ import annotations

from tests.local_backend.purchasing.conftest import BASE, ok


class TestDrafts:
    def test_a_draft_snapshots_each_items_cost_and_prices_its_lines(
        self, client, manager_headers, make_supplier, make_item, make_order, audit_actions
    ) -> None:
        farm = make_supplier("Farm", email="farm@example.com")
        beef = make_item("Beef", "g", unit_cost=1500, supplier_id=farm["id"])  # 15.00 per kg
        eggs = make_item("Eggs", "pc", unit_cost=25)
        order = make_order(farm["id"], [(beef["id"], 2500), (eggs["id"], 30)], note="Before Friday")
        assert (order["number"], order["status"], order["supplier_name"], order["note"]) == (
            1,
            "draft",
            "Farm",
            "Before Friday",
        )
        lines = {line["name"]: line for line in order["lines"]}
        assert (lines["Beef"]["quantity"], lines["Beef"]["unit_cost"], lines["Beef"]["cost"]) == (2500, 1500, 3750)
        assert (lines["Eggs"]["unit"], lines["Eggs"]["cost"]) == ("pc", 750)
        assert order["total_cost"] == 4500
        assert order["email_status"] is None
        assert order["email"] is None

        # The snapshot is the price the order is placed at: a later cost change does not move it.
        ok(client.patch(f"/api/inventory/items/{beef['id']}", json={"unit_cost": 9999}, headers=manager_headers))
        again = ok(client.get(f"{BASE}/{order['id']}", headers=manager_headers))
        assert next(x for x in again["lines"] if x["name"] == "Beef")["unit_cost"] == 1500
        assert audit_actions(order["id"]) == ["purchasing.created"]

    def test_numbers_run_on_and_the_list_filters_by_status_and_supplier(
        self, client, manager_headers, make_supplier, make_item, make_order
    ) -> None:
        farm, dairy = make_supplier("Farm"), make_supplier("Dairy")
        milk = make_item("Milk", "ml")
        first = make_order(farm["id"], [(milk["id"], 1000)])
        second = make_order(dairy["id"], [(milk["id"], 2000)])
        third = make_order(None, [])
        assert [first["number"], second["number"], third["number"]] == [1, 2, 3]
        ok(client.post(f"{BASE}/{second['id']}/send", json={}, headers=manager_headers))

        def numbers(**params: object) -> list[int]:
            return [o["number"] for o in ok(client.get(BASE, params=params, headers=manager_headers))]

        assert numbers() == [3, 2, 1]
        assert numbers(status="draft") == [3, 1]
        assert numbers(status="sent") == [2]
        assert numbers(supplier_id=farm["id"]) == [1]
        assert numbers(limit=1, before_id=third["id"]) == [2]

    def test_a_draft_changes_its_lines_note_and_supplier_and_nothing_else_does(
        self, client, manager_headers, make_supplier, make_item, make_order, audit_actions
    ) -> None:
        farm, dairy = make_supplier("Farm"), make_supplier("Dairy")
        milk, butter = make_item("Milk", "ml", unit_cost=120), make_item("Butter", "g")
        order = make_order(farm["id"], [(milk["id"], 1000)])
        body = {
            "supplier_id": dairy["id"],
            "note": "Ring the bell",
            "lines": [
                {"stock_item_id": milk["id"], "quantity": 6000, "unit_cost": 110},
                {"stock_item_id": butter["id"], "quantity": 500},
            ],
        }
        changed = ok(client.patch(f"{BASE}/{order['id']}", json=body, headers=manager_headers))
        assert (changed["supplier_name"], changed["note"]) == ("Dairy", "Ring the bell")
        assert [(x["name"], x["quantity"], x["unit_cost"]) for x in changed["lines"]] == [
            ("Milk", 6000, 110),
            ("Butter", 500, None),
        ]
        assert changed["total_cost"] is None  # butter's cost is unknown

        refused = client.patch(
            f"{BASE}/{order['id']}",
            json={"lines": [{"stock_item_id": 999, "quantity": 1}]},
            headers=manager_headers,
        )
        assert (refused.status_code, refused.json()["code"]) == (422, "STOCK_ITEM_UNKNOWN")
        twice = client.patch(
            f"{BASE}/{order['id']}",
            json={
                "lines": [{"stock_item_id": milk["id"], "quantity": 1}, {"stock_item_id": milk["id"], "quantity": 2}]
            },
            headers=manager_headers,
        )
        assert twice.status_code == 422

        ok(client.post(f"{BASE}/{order['id']}/send", json={}, headers=manager_headers))
        late = client.patch(f"{BASE}/{order['id']}", json={"note": "too late"}, headers=manager_headers)
        assert (late.status_code, late.json()["code"]) == (409, "PURCHASE_ORDER_NOT_DRAFT")
        assert audit_actions(order["id"]) == ["purchasing.created", "purchasing.updated", "purchasing.sent"]


class TestSendingAndCancelling:
    def test_sending_needs_lines_and_a_supplier_and_happens_once(
        self, client, manager_headers, make_supplier, make_item, make_order
    ) -> None:
        farm = make_supplier("Farm")
        beef = make_item("Beef")
        empty = make_order(farm["id"], [])
        resp = client.post(f"{BASE}/{empty['id']}/send", json={}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "PURCHASE_ORDER_EMPTY")
        nobody = make_order(None, [(beef["id"], 100)])
        resp = client.post(f"{BASE}/{nobody['id']}/send", json={}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "PURCHASE_ORDER_HAS_NO_SUPPLIER")

        order = make_order(farm["id"], [(beef["id"], 100)])
        sent = ok(client.post(f"{BASE}/{order['id']}/send", json={}, headers=manager_headers))
        assert sent["status"] == "sent"
        assert sent["sent_at"] is not None
        assert sent["email_status"] is None
        resp = client.post(f"{BASE}/{order['id']}/send", json={}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "PURCHASE_ORDER_ALREADY_SENT")

    def test_a_cancelled_order_is_closed(
        self, client, manager_headers, make_supplier, make_item, make_order, audit_actions
    ) -> None:
        order = make_order(make_supplier("Farm")["id"], [(make_item("Beef")["id"], 100)])
        ok(client.post(f"{BASE}/{order['id']}/send", json={}, headers=manager_headers))
        cancelled = ok(client.post(f"{BASE}/{order['id']}/cancel", headers=manager_headers))
        assert cancelled["status"] == "cancelled"
        assert cancelled["cancelled_at"] is not None
        for action, body in (("cancel", None), ("send", {}), ("receive", {})):
            resp = client.post(f"{BASE}/{order['id']}/{action}", json=body, headers=manager_headers)
            assert (resp.status_code, resp.json()["code"]) == (409, "PURCHASE_ORDER_CLOSED"), action
        assert audit_actions(order["id"]) == ["purchasing.created", "purchasing.sent", "purchasing.cancelled"]


class TestReceiving:
    def test_receiving_the_order_is_a_delivery_of_its_lines_at_the_ordered_cost(
        self, client, manager_headers, make_supplier, make_item, make_order, audit_actions
    ) -> None:
        farm = make_supplier("Farm")
        beef = make_item("Beef", "g", on_hand=300, critical_level=1000, unit_cost=1500, supplier_id=farm["id"])
        eggs = make_item("Eggs", "pc", on_hand=6, unit_cost=25)
        order = make_order(farm["id"], [(beef["id"], 2500), (eggs["id"], 30)])
        ok(client.post(f"{BASE}/{order['id']}/send", json={}, headers=manager_headers))
        ok(client.patch(f"/api/inventory/items/{beef['id']}", json={"unit_cost": 1400}, headers=manager_headers))

        received = ok(client.post(f"{BASE}/{order['id']}/receive", json={}, headers=manager_headers))
        assert received["status"] == "received"
        assert received["received_at"] is not None
        delivery_id = received["received_delivery_id"]
        deliveries = ok(client.get("/api/inventory/deliveries", headers=manager_headers))
        delivery = next(d for d in deliveries if d["id"] == delivery_id)
        assert delivery["supplier_id"] == farm["id"]
        assert delivery["note"] == f"Purchase order #{order['number']}"
        assert sorted((x["stock_item_id"], x["quantity"], x["unit_cost"]) for x in delivery["lines"]) == sorted(
            [(beef["id"], 2500, 1500), (eggs["id"], 30, 25)]
        )
        beef_now = ok(client.get(f"/api/inventory/items/{beef['id']}", headers=manager_headers))
        assert (beef_now["on_hand"], beef_now["unit_cost"], beef_now["is_low"]) == (2800, 1500, False)
        ledger = ok(client.get(f"/api/inventory/items/{beef['id']}/movements", headers=manager_headers))
        assert (ledger[0]["kind"], ledger[0]["delta"], ledger[0]["delivery_id"]) == ("delivery", 2500, delivery_id)
        assert audit_actions(order["id"]) == ["purchasing.created", "purchasing.sent", "purchasing.received"]

    def test_what_actually_came_is_what_goes_in(
        self, client, manager_headers, make_supplier, make_item, make_order
    ) -> None:
        farm = make_supplier("Farm")
        beef = make_item("Beef", "g", on_hand=0, unit_cost=1500)
        lamb = make_item("Lamb", "g", on_hand=0, unit_cost=1800)
        order = make_order(farm["id"], [(beef["id"], 2500), (lamb["id"], 1000)])
        body = {"note": "no lamb today", "lines": [{"stock_item_id": beef["id"], "quantity": 2000, "unit_cost": 1450}]}
        received = ok(client.post(f"{BASE}/{order['id']}/receive", json=body, headers=manager_headers))
        assert received["status"] == "received"
        items = {i["id"]: i for i in ok(client.get("/api/inventory/items", headers=manager_headers))}
        assert (items[beef["id"]]["on_hand"], items[beef["id"]]["unit_cost"]) == (2000, 1450)
        assert items[lamb["id"]]["on_hand"] == 0
        deliveries = ok(client.get("/api/inventory/deliveries", headers=manager_headers))
        assert deliveries[0]["note"] == "Purchase order #1: no lamb today"

    def test_a_failed_delivery_leaves_the_order_open(
        self, client, manager_headers, make_supplier, make_item, make_order
    ) -> None:
        order = make_order(make_supplier("Farm")["id"], [(make_item("Beef")["id"], 100)])
        body = {"lines": [{"stock_item_id": 999, "quantity": 5}]}
        resp = client.post(f"{BASE}/{order['id']}/receive", json=body, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (422, "STOCK_ITEM_UNKNOWN")
        assert ok(client.get(f"{BASE}/{order['id']}", headers=manager_headers))["status"] == "draft"


def test_purchase_orders_are_for_managers(client, manager_headers, waiter_headers, make_supplier, make_order) -> None:
    order = make_order(make_supplier("Farm")["id"], [])
    maria = waiter_headers("maria")
    for method, path in (
        ("get", BASE),
        ("post", BASE),
        ("post", f"{BASE}/suggest"),
        ("get", f"{BASE}/{order['id']}"),
        ("patch", f"{BASE}/{order['id']}"),
        ("post", f"{BASE}/{order['id']}/send"),
        ("post", f"{BASE}/{order['id']}/receive"),
        ("post", f"{BASE}/{order['id']}/cancel"),
        ("get", f"{BASE}/{order['id']}/csv"),
        ("post", f"{BASE}/{order['id']}/print"),
    ):
        kwargs: dict[str, object] = {"json": {}} if method in ("post", "patch") else {}
        resp = getattr(client, method)(path, headers=maria, **kwargs)
        assert resp.status_code == 403, (method, path, resp.text)
    resp = client.get(f"{BASE}/424242", headers=manager_headers)
    assert (resp.status_code, resp.json()["code"]) == (404, "PURCHASE_ORDER_NOT_FOUND")
