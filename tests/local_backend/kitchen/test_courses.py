"""Course hold and fire: later courses wait (greyed on the screen, not printed) until the waiter fires them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from local_backend.menu.models import Product
from local_backend.orders.models import OrderItem
from shared.clock import utcnow
from tests.local_backend.kitchen.conftest import bearer, pair


def add(client: Any, headers: dict[str, str], order_id: int, *lines: tuple[Product, int]) -> list[dict[str, Any]]:
    body = {"items": [{"product_id": product.id, "course": course} for product, course in lines]}
    resp = client.post(f"/api/orders/{order_id}/items", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    items: list[dict[str, Any]] = resp.json()["items"]
    return items


def fire(client: Any, headers: dict[str, str], order_id: int, course: int) -> Any:
    return client.post(f"/api/orders/{order_id}/fire", json={"course": course}, headers=headers)


def jobs(client: Any, headers: dict[str, str], order_id: int) -> list[dict[str, Any]]:
    resp = client.get("/api/printers/jobs", params={"order_id": order_id}, headers=headers)
    assert resp.status_code == 200, resp.text
    found: list[dict[str, Any]] = resp.json()
    return found


def open_tickets(client: Any, headers: dict[str, str]) -> list[dict[str, Any]]:
    resp = client.get("/api/kitchen/tickets", headers=headers)
    assert resp.status_code == 200, resp.text
    found: list[dict[str, Any]] = resp.json()
    return found


class TestHold:
    def test_a_later_course_is_held_shown_greyed_and_not_printed(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        salad, moussaka = add(client, maria_headers, order_id, (menu["salad"], 1), (menu["moussaka"], 2))
        assert (salad["held"], moussaka["held"]) == (False, True)
        assert salad["fired_at"] is not None
        assert moussaka["fired_at"] is None
        printed = jobs(client, manager_headers, order_id)
        assert [(j["mark"], j["item_ids"]) for j in printed] == [("NEW", [salad["id"]])]
        (ticket,) = open_tickets(client, manager_headers)
        assert [(i["product_name"], i["held"]) for i in ticket["items"]] == [("Salad", False), ("Moussaka", True)]
        order = client.get(f"/api/orders/{order_id}", headers=maria_headers).json()
        assert order["fired_course"] == 1
        assert [i["held"] for i in order["items"]] == [False, True]

    def test_a_round_of_only_held_items_prints_nothing_but_shows_on_the_screen(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        (dessert,) = add(client, maria_headers, order_id, (menu["moussaka"], 3))
        assert jobs(client, manager_headers, order_id) == []
        (ticket,) = open_tickets(client, manager_headers)
        assert ticket["items"][0]["id"] == dessert["id"]
        assert ticket["items"][0]["held"] is True

    def test_the_kitchen_cannot_start_a_held_item(self, client, manager_headers, maria_headers, zones, menu, order_id):
        _, held = add(client, maria_headers, order_id, (menu["salad"], 1), (menu["moussaka"], 2))
        screen = pair(client, manager_headers, "Hot line", [zones["kitchen"]["id"]])
        resp = client.post(
            f"/api/kitchen/items/{held['id']}/status", json={"status": "preparing"}, headers=bearer(screen["token"])
        )
        assert resp.status_code == 409
        assert resp.json()["code"] == "ITEM_HELD"

    def test_bumping_leaves_held_items_held(self, client, manager_headers, maria_headers, zones, menu, order_id):
        salad, held = add(client, maria_headers, order_id, (menu["salad"], 1), (menu["moussaka"], 2))
        (ticket,) = open_tickets(client, manager_headers)
        bumped = client.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=manager_headers).json()
        statuses = {i["id"]: (i["status"], i["held"]) for i in bumped["items"]}
        assert statuses == {salad["id"]: ("ready", False), held["id"]: ("pending", True)}
        assert open_tickets(client, manager_headers) == []

    def test_cancelling_a_held_item_prints_no_void(self, client, manager_headers, maria_headers, zones, menu, order_id):
        _, held = add(client, maria_headers, order_id, (menu["salad"], 1), (menu["moussaka"], 2))
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}/items/{held['id']}", json={"reason": "changed"}, headers=manager_headers
        )
        assert resp.status_code == 200, resp.text
        assert [j["mark"] for j in jobs(client, manager_headers, order_id)] == ["NEW"]
        # Firing the course now releases nothing: the kitchen never hears of the cancelled item.
        assert fire(client, maria_headers, order_id, 2).status_code == 200
        assert [j["mark"] for j in jobs(client, manager_headers, order_id)] == ["NEW"]


class TestFire:
    def test_firing_prints_a_fire_ticket_and_lights_the_items_on_the_screen(
        self, client, manager_headers, maria_headers, zones, menu, order_id
    ):
        salad, moussaka, ouzo = add(
            client, maria_headers, order_id, (menu["salad"], 1), (menu["moussaka"], 2), (menu["ouzo"], 2)
        )
        (hot, _) = sorted(open_tickets(client, manager_headers), key=lambda t: t["zone_id"] != zones["kitchen"]["id"])
        # The salad is done and the ticket bumped before the mains are fired.
        client.post(f"/api/kitchen/tickets/{hot['id']}/bump", headers=manager_headers)
        resp = fire(client, maria_headers, order_id, 2)
        assert resp.status_code == 200, resp.text
        order = resp.json()
        assert order["fired_course"] == 2
        assert not any(i["held"] for i in order["items"])
        fired = [(j["mark"], j["zone_name"], j["item_ids"]) for j in jobs(client, manager_headers, order_id)]
        assert sorted(fired) == [
            ("FIRE", "Bar", [ouzo["id"]]),
            ("FIRE", "Kitchen", [moussaka["id"]]),
            ("NEW", "Kitchen", [salad["id"]]),
        ]
        # The kitchen ticket is back with the mains lit and its timer restarted at the firing.
        tickets = {t["zone_id"]: t for t in open_tickets(client, manager_headers)}
        back = tickets[zones["kitchen"]["id"]]
        assert back["id"] == hot["id"]
        assert back["bumped_at"] is None
        assert [(i["status"], i["held"]) for i in back["items"]] == [("ready", False), ("pending", False)]
        assert back["fired_at"] > back["sent_at"]
        history = client.get(f"/api/orders/{order_id}/history", headers=maria_headers).json()
        assert history[-1]["action"] == "order.course_fired"
        assert history[-1]["data"] == {"course": 2, "item_ids": [moussaka["id"], ouzo["id"]]}

    def test_firing_a_later_course_releases_earlier_held_ones_too(self, client, maria_headers, zones, menu, order_id):
        mains, dessert = add(client, maria_headers, order_id, (menu["moussaka"], 2), (menu["salad"], 3))
        order = fire(client, maria_headers, order_id, 3).json()
        assert order["fired_course"] == 3
        assert {i["id"]: i["held"] for i in order["items"]} == {mains["id"]: False, dessert["id"]: False}

    def test_after_firing_new_items_of_that_course_go_straight_to_the_kitchen(
        self, client, maria_headers, zones, menu, order_id
    ):
        add(client, maria_headers, order_id, (menu["moussaka"], 2))
        assert fire(client, maria_headers, order_id, 2).status_code == 200
        late, dessert = add(client, maria_headers, order_id, (menu["moussaka"], 2), (menu["salad"], 3))
        assert (late["held"], dessert["held"]) == (False, True)

    def test_a_course_can_be_fired_before_its_items_are_added(self, client, maria_headers, zones, menu, order_id):
        assert fire(client, maria_headers, order_id, 2).status_code == 200
        (mains,) = add(client, maria_headers, order_id, (menu["moussaka"], 2))
        assert mains["held"] is False

    def test_firing_twice_is_a_clear_conflict(self, client, maria_headers, zones, menu, order_id):
        add(client, maria_headers, order_id, (menu["moussaka"], 2))
        assert fire(client, maria_headers, order_id, 2).status_code == 200
        again = fire(client, maria_headers, order_id, 2)
        assert again.status_code == 409
        assert again.json()["code"] == "NOTHING_TO_FIRE"
        assert fire(client, maria_headers, order_id, 1).json()["code"] == "NOTHING_TO_FIRE"

    def test_only_the_owner_or_a_manager_fires(self, client, manager_headers, make_user, zones, menu, order_id):
        from tests.conftest import login

        make_user("nikos")
        nikos = login(client, "nikos", "1234")
        resp = fire(client, nikos, order_id, 2)
        assert resp.status_code == 403
        assert resp.json()["code"] == "NOT_ORDER_OWNER"
        assert fire(client, manager_headers, order_id, 2).status_code == 200

    def test_bad_courses_are_refused(self, client, maria_headers, order_id):
        for body in ({"course": 0}, {"course": 10}, {}, {"course": "two"}, {"course": 2, "extra": 1}):
            resp = client.post(f"/api/orders/{order_id}/fire", json=body, headers=maria_headers)
            assert resp.status_code == 422, body
            assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_a_closed_order_cannot_fire(self, client, manager_headers, maria_headers, zones, menu, order_id):
        add(client, maria_headers, order_id, (menu["moussaka"], 2))
        resp = client.request("DELETE", f"/api/orders/{order_id}", json={"reason": "left"}, headers=manager_headers)
        assert resp.status_code == 200
        assert fire(client, maria_headers, order_id, 2).json()["code"] == "ORDER_NOT_OPEN"

    def test_prep_time_of_a_fired_course_counts_from_the_firing(
        self, client, database, manager_headers, maria_headers, zones, menu, order_id
    ):
        (mains,) = add(client, maria_headers, order_id, (menu["moussaka"], 2))
        fire(client, maria_headers, order_id, 2)
        fired = utcnow() - timedelta(minutes=10)
        with database.write_session() as db:
            db.execute(
                update(OrderItem)
                .where(OrderItem.id == mains["id"])
                .values(
                    added_at=fired - timedelta(minutes=40),
                    fired_at=fired,
                    ready_at=fired + timedelta(minutes=8),
                    status="ready",
                )
            )
        period = {"from": (fired - timedelta(hours=1)).isoformat(), "to": utcnow().isoformat()}
        report = client.get("/api/reports/kitchen", params=period, headers=manager_headers).json()
        assert report["by_product"][0]["avg_seconds"] == 480.0
