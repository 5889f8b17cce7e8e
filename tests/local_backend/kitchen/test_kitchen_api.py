"""/api/kitchen over the real app and a real SQLite file: pairing, who sees what, item progress, bump, recall."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from local_backend.kitchen.models import KitchenTicket
from local_backend.kitchen.service import CLOSED_ORDER_TICKET_HOURS
from local_backend.orders.models import OrderItem
from shared.clock import utcnow
from tests.local_backend.kitchen.conftest import add_round, bearer, pair


def tickets(client: Any, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    resp = client.get("/api/kitchen/tickets", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    found: list[dict[str, Any]] = resp.json()
    return found


def set_status(client: Any, headers: dict[str, str], item_id: int, status: str) -> Any:
    return client.post(f"/api/kitchen/items/{item_id}/status", json={"status": status}, headers=headers)


class TestPairing:
    def test_pairing_shows_the_token_once_and_the_list_never_shows_it(self, client, manager_headers, zones):
        screen = pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])
        assert screen["token"].startswith("kds_")
        assert screen["zone_ids"] == [zones["kitchen"]["id"]]
        assert screen["expo"] is False
        listed = client.get("/api/kitchen/screens", headers=manager_headers).json()
        assert [s["id"] for s in listed] == [screen["id"]]
        assert "token" not in listed[0]
        assert tickets(client, bearer(screen["token"])) == []

    def test_only_a_manager_pairs_a_screen(self, client, maria_headers, zones):
        resp = client.post(
            "/api/kitchen/screens", json={"name": "x", "zone_ids": [zones["bar"]["id"]]}, headers=maria_headers
        )
        assert resp.status_code == 403

    def test_a_zone_that_is_no_printer_is_refused(self, client, manager_headers, zones):
        resp = client.post("/api/kitchen/screens", json={"name": "x", "zone_ids": [99999]}, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_ZONE"

    def test_a_revoked_token_is_refused_at_once(self, client, manager_headers, zones):
        screen = pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])
        resp = client.delete(f"/api/kitchen/screens/{screen['id']}", headers=manager_headers)
        assert resp.status_code == 204
        resp = client.get("/api/kitchen/tickets", headers=bearer(screen["token"]))
        assert resp.status_code == 401
        assert resp.json()["code"] == "SCREEN_TOKEN_INVALID"
        assert client.get("/api/kitchen/screens", headers=manager_headers).json() == []
        assert client.delete(f"/api/kitchen/screens/{screen['id']}", headers=manager_headers).status_code == 404

    def test_a_screen_unpairs_itself_and_leaves_the_managers_list(self, client, manager_headers, zones):
        screen = pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])
        assert client.delete("/api/kitchen/screens/me", headers=bearer(screen["token"])).status_code == 204
        assert client.get("/api/kitchen/tickets", headers=bearer(screen["token"])).status_code == 401
        assert client.get("/api/kitchen/screens", headers=manager_headers).json() == []
        assert client.delete("/api/kitchen/screens/me", headers=bearer(screen["token"])).status_code == 401

    def test_only_a_screen_unpairs_itself(self, client, manager_headers):
        resp = client.delete("/api/kitchen/screens/me", headers=manager_headers)
        assert resp.status_code == 403
        assert resp.json()["code"] == "KITCHEN_ACCESS_DENIED"

    def test_a_made_up_screen_token_is_unauthenticated(self, client):
        assert client.get("/api/kitchen/tickets", headers=bearer("kds_nope")).status_code == 401


class TestTickets:
    def test_a_round_makes_one_ticket_per_zone_with_the_zones_thresholds(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        add_round(client, maria_headers, order_id, menu["moussaka"], menu["salad"], menu["ouzo"])
        found = tickets(client, manager_headers)
        assert sorted(t["zone_id"] for t in found) == sorted([zones["kitchen"]["id"], zones["bar"]["id"]])
        hot = next(t for t in found if t["zone_id"] == zones["kitchen"]["id"])
        assert hot["order_id"] == order_id
        assert hot["round"] == 1
        assert hot["table_label"] == "T7"
        assert hot["waiter_name"] == "Maria"
        assert hot["bumped_at"] is None
        assert [i["product_name"] for i in hot["items"]] == ["Moussaka", "Salad"]
        assert all(i["status"] == "pending" and i["ready_at"] is None for i in hot["items"])
        assert hot["zone"] == {
            "id": zones["kitchen"]["id"],
            "name": "Kitchen",
            "kds_warn_minutes": 7,
            "kds_late_minutes": 12,
        }
        bar = next(t for t in found if t["zone_id"] == zones["bar"]["id"])
        assert (bar["zone"]["kds_warn_minutes"], bar["zone"]["kds_late_minutes"]) == (5, 10)

    def test_a_second_round_is_a_second_ticket(self, client, manager_headers, maria_headers, menu, order_id):
        add_round(client, maria_headers, order_id, menu["moussaka"])
        add_round(client, maria_headers, order_id, menu["moussaka"])
        assert [t["round"] for t in tickets(client, manager_headers)] == [1, 2]


class TestAuthorization:
    def test_a_bar_screen_sees_no_kitchen_tickets(self, client, manager_headers, maria_headers, zones, menu, order_id):
        bar = pair(client, manager_headers, "Bar", [zones["bar"]["id"]])
        add_round(client, maria_headers, order_id, menu["moussaka"], menu["ouzo"])
        seen = tickets(client, bearer(bar["token"]))
        assert [t["zone_id"] for t in seen] == [zones["bar"]["id"]]
        resp = client.get(
            "/api/kitchen/tickets", params={"zone_id": zones["kitchen"]["id"]}, headers=bearer(bar["token"])
        )
        assert resp.status_code == 403
        assert resp.json()["code"] == "ZONE_NOT_ALLOWED"

    def test_an_expo_screen_sees_every_zone(self, client, manager_headers, maria_headers, menu, order_id):
        expo = pair(client, manager_headers, "Pass", [], expo=True)
        add_round(client, maria_headers, order_id, menu["moussaka"], menu["ouzo"])
        assert len(tickets(client, bearer(expo["token"]))) == 2

    def test_a_waiter_cannot_read_the_kitchen_queue(self, client, maria_headers):
        resp = client.get("/api/kitchen/tickets", headers=maria_headers)
        assert resp.status_code == 403
        assert resp.json()["code"] == "KITCHEN_ACCESS_DENIED"

    def test_a_bar_screen_cannot_move_a_kitchen_item(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        bar = pair(client, manager_headers, "Bar", [zones["bar"]["id"]])
        item = add_round(client, maria_headers, order_id, menu["moussaka"])[0]
        assert set_status(client, bearer(bar["token"]), item["id"], "preparing").status_code == 403


class TestItemWorkflow:
    @pytest.fixture
    def hot(self, client, manager_headers, zones) -> dict[str, str]:
        return bearer(pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])["token"])

    def test_an_item_moves_forward_and_each_step_is_timed(self, client, hot, maria_headers, menu, order_id):
        item = add_round(client, maria_headers, order_id, menu["moussaka"])[0]
        preparing = set_status(client, hot, item["id"], "preparing")
        assert preparing.status_code == 200, preparing.text
        assert preparing.json()["status"] == "preparing"
        assert preparing.json()["preparing_at"] is not None
        ready = set_status(client, hot, item["id"], "ready").json()
        assert ready["ready_at"] is not None
        assert ready["served_at"] is None
        served = set_status(client, maria_headers, item["id"], "served").json()
        assert served["status"] == "served"
        assert served["served_at"] is not None
        stored = client.get(f"/api/orders/{order_id}", headers=maria_headers).json()["items"][0]
        assert stored["status"] == "served"
        assert stored["ready_at"] == ready["ready_at"]
        assert tickets(client, hot) == []  # nothing left to prepare or serve

    @pytest.mark.parametrize(
        ("first", "then"), [("ready", "preparing"), ("preparing", "preparing"), ("served", "ready")]
    )
    def test_going_back_or_standing_still_is_a_conflict(self, client, hot, maria_headers, menu, order_id, first, then):
        item = add_round(client, maria_headers, order_id, menu["moussaka"])[0]
        assert set_status(client, hot, item["id"], first).status_code == 200
        resp = set_status(client, hot, item["id"], then)
        assert resp.status_code == 409
        assert resp.json()["code"] == "STATUS_NOT_FORWARD"

    def test_a_cancelled_item_cannot_move(self, client, hot, manager_headers, maria_headers, menu, order_id):
        item = add_round(client, maria_headers, order_id, menu["moussaka"])[0]
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}/items/{item['id']}", json={"reason": "wrong"}, headers=manager_headers
        )
        assert resp.status_code == 200
        resp = set_status(client, hot, item["id"], "preparing")
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_CANCELLED"

    def test_a_waiter_may_only_mark_their_own_items_served(self, client, maria_headers, waiter_headers, menu, order_id):
        item = add_round(client, maria_headers, order_id, menu["moussaka"])[0]
        assert set_status(client, maria_headers, item["id"], "ready").json()["code"] == "WAITER_MAY_ONLY_SERVE"
        nikos = waiter_headers("nikos")
        assert set_status(client, nikos, item["id"], "served").status_code == 403
        assert set_status(client, maria_headers, item["id"], "served").status_code == 200

    def test_an_unknown_item_is_not_found(self, client, hot):
        assert set_status(client, hot, 424242, "ready").status_code == 404


class TestBumpAndRecall:
    def test_bumping_readies_every_live_item_and_recall_brings_the_ticket_back(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        hot = bearer(pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])["token"])
        first, second = add_round(client, maria_headers, order_id, menu["moussaka"], menu["salad"])
        set_status(client, hot, first["id"], "preparing")
        ticket = tickets(client, hot)[0]

        resp = client.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=hot)
        assert resp.status_code == 200, resp.text
        bumped = resp.json()
        assert bumped["bumped_at"] is not None
        assert [(i["status"], i["ready_at"] is not None) for i in bumped["items"]] == [("ready", True)] * 2
        assert tickets(client, hot) == []
        assert [t["id"] for t in tickets(client, hot, bumped="true", limit=10)] == [ticket["id"]]
        again = client.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=hot)
        assert again.status_code == 409
        assert again.json()["code"] == "TICKET_ALREADY_BUMPED"

        resp = client.post(f"/api/kitchen/tickets/{ticket['id']}/recall", headers=hot)
        assert resp.status_code == 200, resp.text
        recalled = resp.json()
        assert recalled["bumped_at"] is None
        assert [(i["status"], i["ready_at"]) for i in recalled["items"]] == [("preparing", None)] * 2
        assert [t["id"] for t in tickets(client, hot)] == [ticket["id"]]
        again = client.post(f"/api/kitchen/tickets/{ticket['id']}/recall", headers=hot)
        assert again.status_code == 409
        assert again.json()["code"] == "TICKET_NOT_BUMPED"
        assert second["id"] in [i["id"] for i in recalled["items"]]

    def test_a_bar_screen_cannot_bump_a_kitchen_ticket(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        bar = bearer(pair(client, manager_headers, "Bar", [zones["bar"]["id"]])["token"])
        add_round(client, maria_headers, order_id, menu["moussaka"])
        ticket = tickets(client, manager_headers)[0]
        assert client.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=bar).status_code == 403
        assert client.post("/api/kitchen/tickets/999999/bump", headers=manager_headers).status_code == 404


class TestAClosedOrder:
    def test_its_unbumped_tickets_stay_for_screens_that_reconnect_until_bumped_or_old(
        self, client, manager_headers, maria_headers, zones, menu, order_id, database
    ):
        # A café: the guest pays and the order is closed before the kitchen has cooked.
        hot = bearer(pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])["token"])
        add_round(client, maria_headers, order_id, menu["moussaka"])
        due = client.get(f"/api/orders/{order_id}", headers=maria_headers).json()["due"]
        paid = client.post(
            f"/api/orders/{order_id}/payments", json={"method": "card", "amount": due}, headers=maria_headers
        )
        assert paid.status_code == 201, paid.text
        assert client.post(f"/api/orders/{order_id}/close", headers=maria_headers).status_code == 200
        # What a reconnecting screen starts from still has the dish (a connected one was never told otherwise).
        [ticket] = tickets(client, hot)
        assert ticket["order_id"] == order_id
        # Half a day later it is history, not work.
        with database.write_session() as db:
            db.execute(
                update(KitchenTicket).values(sent_at=utcnow() - timedelta(hours=CLOSED_ORDER_TICKET_HOURS, minutes=1))
            )
        assert tickets(client, hot) == []
        with database.write_session() as db:
            db.execute(update(KitchenTicket).values(sent_at=utcnow()))
        assert [t["id"] for t in tickets(client, hot)] == [ticket["id"]]
        assert client.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=hot).status_code == 200
        assert tickets(client, hot) == []

    def test_a_cancelled_orders_tickets_leave_at_once(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        hot = bearer(pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])["token"])
        add_round(client, maria_headers, order_id, menu["moussaka"])
        assert len(tickets(client, hot)) == 1
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}", json={"reason": "walked out"}, headers=manager_headers
        )
        assert resp.status_code == 200, resp.text
        assert tickets(client, hot) == []


class TestAfterTheBillMoved:
    def test_a_transferred_orders_tickets_name_the_new_table_bumped_ones_too(
        self, client, manager_headers, maria_headers, zones, menu, order_id, make_table
    ):
        add_round(client, maria_headers, order_id, menu["moussaka"], menu["ouzo"])
        add_round(client, maria_headers, order_id, menu["salad"])
        done = tickets(client, manager_headers, zone_id=zones["kitchen"]["id"])[0]
        assert client.post(f"/api/kitchen/tickets/{done['id']}/bump", headers=manager_headers).status_code == 200
        garden = make_table(21, label="Garden 21")
        resp = client.post(f"/api/orders/{order_id}/transfer", json={"table_id": garden.id}, headers=maria_headers)
        assert resp.status_code == 200, resp.text
        assert {t["table_label"] for t in tickets(client, manager_headers)} == {"Garden 21"}
        assert [t["table_label"] for t in tickets(client, manager_headers, bumped=True)] == ["Garden 21"]

    def test_transferring_to_a_table_of_the_same_label_changes_nothing_else(
        self, client, manager_headers, maria_headers, menu, order_id, make_table
    ):
        add_round(client, maria_headers, order_id, menu["moussaka"])
        before = tickets(client, manager_headers)
        twin = make_table(70, label="T7")  # another table that happens to carry the same label
        assert (
            client.post(
                f"/api/orders/{order_id}/transfer", json={"table_id": twin.id}, headers=maria_headers
            ).status_code
            == 200
        )
        assert tickets(client, manager_headers) == before


class TestPrepTimeReport:
    def test_average_and_p90_by_product_and_zone_on_a_constructed_dataset(
        self, client, database, manager_headers, maria_headers, zones, menu, order_id
    ):
        moussakas = add_round(client, maria_headers, order_id, *[menu["moussaka"]] * 10)
        ouzo, never_ready = add_round(client, maria_headers, order_id, menu["ouzo"], menu["ouzo"])
        sent = utcnow() - timedelta(hours=1)
        with database.write_session() as db:
            # Moussakas take 60, 120, …, 600 s; the first ouzo 30 s; the second ouzo is never ready.
            for n, item in enumerate(moussakas, start=1):
                db.execute(
                    update(OrderItem)
                    .where(OrderItem.id == item["id"])
                    .values(added_at=sent, fired_at=sent, ready_at=sent + timedelta(seconds=60 * n), status="ready")
                )
            db.execute(
                update(OrderItem)
                .where(OrderItem.id == ouzo["id"])
                .values(added_at=sent, fired_at=sent, ready_at=sent + timedelta(seconds=30), status="ready")
            )
            db.execute(update(OrderItem).where(OrderItem.id == never_ready["id"]).values(added_at=sent, fired_at=sent))
        period = {"from": (sent - timedelta(minutes=1)).isoformat(), "to": utcnow().isoformat()}
        resp = client.get("/api/reports/kitchen", params=period, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        by_product = {line["name"]: line for line in report["by_product"]}
        assert by_product["Moussaka"] == {
            "key": menu["moussaka"].id,
            "name": "Moussaka",
            "items": 10,
            "avg_seconds": 330.0,
            "p90_seconds": 540.0,
        }
        assert (by_product["Ouzo"]["items"], by_product["Ouzo"]["avg_seconds"]) == (1, 30.0)
        by_zone = {line["key"]: line for line in report["by_zone"]}
        assert by_zone[zones["kitchen"]["id"]]["name"] == "Kitchen"
        assert by_zone[zones["kitchen"]["id"]]["p90_seconds"] == 540.0
        assert by_zone[zones["bar"]["id"]]["p90_seconds"] == 30.0

    def test_items_sent_outside_the_period_do_not_count(self, client, manager_headers):
        resp = client.get(
            "/api/reports/kitchen",
            params={"from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z"},
            headers=manager_headers,
        )
        assert resp.status_code == 200
        assert resp.json()["by_product"] == []
        assert resp.json()["by_zone"] == []

    def test_only_managers_read_it(self, client, maria_headers):
        assert client.get("/api/reports/kitchen", headers=maria_headers).status_code == 403


def test_printers_keep_their_kitchen_thresholds(client, manager_headers, zones):
    printer_id = zones["kitchen"]["id"]
    resp = client.put(f"/api/printers/{printer_id}", json={"kds_late_minutes": 15}, headers=manager_headers)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["kds_warn_minutes"], resp.json()["kds_late_minutes"]) == (7, 15)
