"""/ws/kitchen against a real uvicorn server with real WebSocket clients: pairing, zones, events, resume."""

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
from tests.local_backend.kitchen.conftest import bearer, make_zone, pair
from tests.support.sockets import closed_with, nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        yield client


@pytest.fixture
def site(
    api: httpx.Client,
    make_user: Callable[..., User],
    make_table: Callable[..., Table],
    make_product: Callable[..., Product],
) -> dict[str, Any]:
    """Zones, a menu routed to them, a waiter with an open order, and a kitchen and a bar screen."""
    make_user("maria")
    boss = bearer(token_for(api, *MANAGER))
    maria = bearer(token_for(api, "maria", "1234"))
    kitchen, bar = make_zone(api, boss, "Kitchen"), make_zone(api, boss, "Bar")
    table = make_table(5, label="T5")
    order = api.post("/api/orders/", json={"table_id": table.id}, headers=maria)
    assert order.status_code == 201, order.text
    return {
        "boss": boss,
        "maria": maria,
        "kitchen": kitchen,
        "bar": bar,
        "order_id": order.json()["id"],
        "moussaka": make_product("Moussaka", 1200, printer_zone_id=kitchen["id"]),
        "ouzo": make_product("Ouzo", 500, category="Drinks", printer_zone_id=bar["id"]),
        "hot_screen": pair(api, boss, "Hot line", [kitchen["id"]]),
        "bar_screen": pair(api, boss, "Bar", [bar["id"]]),
    }


def send(api: httpx.Client, site: dict[str, Any], *products: str) -> list[dict[str, Any]]:
    resp = api.post(
        f"/api/orders/{site['order_id']}/items",
        json={"items": [{"product_id": site[p].id} for p in products]},
        headers=site["maria"],
    )
    assert resp.status_code == 201, resp.text
    items: list[dict[str, Any]] = resp.json()["items"]
    return items


class TestPairing:
    @pytest.mark.parametrize("token", ["", "kds_not-a-screen", "not-a-token"])
    def test_a_socket_without_a_paired_screen_token_is_closed_with_4401(self, live_server: str, token: str) -> None:
        with connect(ws_url(live_server, "/ws/kitchen", token)) as ws:
            assert closed_with(ws) == 4401

    def test_revoking_a_screen_closes_its_open_socket_and_refuses_it_afterwards(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        screen = site["hot_screen"]
        with connect(ws_url(live_server, "/ws/kitchen", screen["token"])) as ws:
            assert receive(ws)["type"] == "snapshot"
            assert api.delete(f"/api/kitchen/screens/{screen['id']}", headers=site["boss"]).status_code == 204
            assert closed_with(ws) == 4401
        with connect(ws_url(live_server, "/ws/kitchen", screen["token"])) as ws:
            assert closed_with(ws) == 4401
        assert api.get("/api/kitchen/tickets", headers=bearer(screen["token"])).status_code == 401


class TestEvents:
    def test_the_snapshot_then_new_tickets_of_the_screens_zones_only(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        send(api, site, "moussaka")  # before connecting: in the snapshot
        with (
            connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot,
            connect(ws_url(live_server, "/ws/kitchen", site["bar_screen"]["token"])) as bar,
        ):
            snapshot = receive(hot)
            assert snapshot["type"] == "snapshot"
            assert snapshot["data"]["screen"]["zones"][0]["kds_warn_minutes"] == 5
            assert [t["items"][0]["product_name"] for t in snapshot["data"]["tickets"]] == ["Moussaka"]
            assert receive(bar)["data"]["tickets"] == []
            send(api, site, "moussaka", "ouzo")
            new = receive(hot)
            assert new["type"] == "kitchen.ticket_new"
            assert new["data"]["round"] == 2
            assert [i["product_name"] for i in new["data"]["items"]] == ["Moussaka"]
            assert new["seq"] > snapshot["seq"]
            assert nothing_more(hot), "the kitchen screen got the bar's ticket"
            bar_new = receive(bar)
            assert [i["product_name"] for i in bar_new["data"]["items"]] == ["Ouzo"]
            assert nothing_more(bar), "the bar screen got the kitchen's ticket"

    def test_item_progress_reaches_the_screen_and_ready_to_run_reaches_the_waiter(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        item = send(api, site, "moussaka")[0]
        screen = bearer(site["hot_screen"]["token"])
        maria_token = site["maria"]["Authorization"].removeprefix("Bearer ")
        with (
            connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot,
            connect(ws_url(live_server, "/ws/events", maria_token)) as phone,
        ):
            receive(hot), receive(phone)
            resp = api.post(f"/api/kitchen/items/{item['id']}/status", json={"status": "ready"}, headers=screen)
            assert resp.status_code == 200, resp.text
            event = receive(hot)
            assert event["type"] == "kitchen.item_status"
            assert (event["data"]["item_id"], event["data"]["status"]) == (item["id"], "ready")
            assert event["data"]["ready_at"] is not None
            assert event["data"]["ticket_id"] is not None
            seen = {e["type"]: e["data"] for e in (receive(phone), receive(phone))}
            assert seen["order.item_status"]["item_status"] == "ready"
            assert seen["order.item_status"]["order_id"] == site["order_id"]
            assert seen["order.items_ready"]["item_ids"] == [item["id"]]
            assert seen["order.items_ready"]["zone_name"] == "Kitchen"

    def test_a_voided_item_reaches_the_screen(self, live_server: str, api: httpx.Client, site: dict[str, Any]) -> None:
        item = send(api, site, "moussaka")[0]
        with connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot:
            ticket_id = receive(hot)["data"]["tickets"][0]["id"]
            resp = api.request(
                "DELETE",
                f"/api/orders/{site['order_id']}/items/{item['id']}",
                json={"reason": "guest changed their mind"},
                headers=site["boss"],
            )
            assert resp.status_code == 200, resp.text
            event = receive(hot)
        assert event["type"] == "kitchen.item_voided"
        assert event["data"] == {
            "item_id": item["id"],
            "ticket_id": ticket_id,
            "order_id": site["order_id"],
            "zone_id": site["kitchen"]["id"],
            "status": "cancelled",
        }

    def test_bump_and_recall_reach_the_screen(self, live_server: str, api: httpx.Client, site: dict[str, Any]) -> None:
        send(api, site, "moussaka")
        screen = bearer(site["hot_screen"]["token"])
        with connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot:
            ticket_id = receive(hot)["data"]["tickets"][0]["id"]
            assert api.post(f"/api/kitchen/tickets/{ticket_id}/bump", headers=screen).status_code == 200
            bumped = receive(hot)
            assert api.post(f"/api/kitchen/tickets/{ticket_id}/recall", headers=screen).status_code == 200
            recalled = receive(hot)
        assert (bumped["type"], bumped["data"]["id"]) == ("kitchen.ticket_bumped", ticket_id)
        assert bumped["data"]["items"][0]["status"] == "ready"
        assert (recalled["type"], recalled["data"]["bumped_at"]) == ("kitchen.ticket_recalled", None)

    def test_a_held_course_reaches_the_screen_greyed_and_lights_up_when_fired(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        maria_token = site["maria"]["Authorization"].removeprefix("Bearer ")
        with (
            connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot,
            connect(ws_url(live_server, "/ws/events", maria_token)) as phone,
        ):
            receive(hot), receive(phone)
            resp = api.post(
                f"/api/orders/{site['order_id']}/items",
                json={"items": [{"product_id": site["moussaka"].id, "course": 2}]},
                headers=site["maria"],
            )
            assert resp.status_code == 201, resp.text
            new = receive(hot)
            assert new["type"] == "kitchen.ticket_new"
            assert [i["held"] for i in new["data"]["items"]] == [True]
            fired = api.post(f"/api/orders/{site['order_id']}/fire", json={"course": 2}, headers=site["maria"])
            assert fired.status_code == 200, fired.text
            lit = receive(hot)
            assert (lit["type"], lit["data"]["id"]) == ("kitchen.ticket_fired", new["data"]["id"])
            assert [i["held"] for i in lit["data"]["items"]] == [False]
            assert lit["seq"] > new["seq"]
            types = [receive(phone)["type"] for _ in range(4)]
        assert types.count("order.course_fired") == 1


class TestTheBillMoves:
    def test_a_transfer_relabels_the_ticket_on_the_screen_and_in_the_ready_notice(
        self, live_server: str, api: httpx.Client, site: dict[str, Any], make_table: Callable[..., Table]
    ) -> None:
        item = send(api, site, "moussaka")[0]
        send(api, site, "ouzo")
        terrace = make_table(12, label="Terrace 12")
        maria_token = site["maria"]["Authorization"].removeprefix("Bearer ")
        with (
            connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot,
            connect(ws_url(live_server, "/ws/kitchen", site["bar_screen"]["token"])) as bar,
            connect(ws_url(live_server, "/ws/events", maria_token)) as phone,
        ):
            ticket = receive(hot)["data"]["tickets"][0]
            assert ticket["table_label"] == "T5"
            receive(bar), receive(phone)
            resp = api.post(
                f"/api/orders/{site['order_id']}/transfer", json={"table_id": terrace.id}, headers=site["maria"]
            )
            assert resp.status_code == 200, resp.text
            updated = receive(hot)
            assert updated["type"] == "kitchen.ticket_updated"
            # The whole ticket, as a new or fired ticket carries it: the screen puts it in place of the old one.
            assert {**updated["data"], "table_label": "T5"} == ticket
            assert updated["data"]["table_label"] == "Terrace 12"
            assert nothing_more(hot), "the kitchen got the bar's ticket"
            assert receive(bar)["data"]["table_label"] == "Terrace 12"
            while receive(phone)["type"] != "table.changed":
                pass
            screen = bearer(site["hot_screen"]["token"])
            assert api.post(f"/api/kitchen/tickets/{ticket['id']}/bump", headers=screen).status_code == 200
            ready = next(e for e in (receive(phone) for _ in range(5)) if e["type"] == "order.items_ready")
        assert (ready["data"]["table_label"], ready["data"]["item_ids"]) == ("Terrace 12", [item["id"]])

    def test_merged_tickets_follow_the_items_to_the_other_order_and_table(
        self, live_server: str, api: httpx.Client, site: dict[str, Any], make_table: Callable[..., Table]
    ) -> None:
        send(api, site, "moussaka")
        other_table = make_table(8, label="T8")
        other = api.post("/api/orders/", json={"table_id": other_table.id}, headers=site["maria"]).json()
        with connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot:
            ticket = receive(hot)["data"]["tickets"][0]
            resp = api.post(
                f"/api/orders/{other['id']}/merge", json={"order_id": site["order_id"]}, headers=site["maria"]
            )
            assert resp.status_code == 200, resp.text
            updated = receive(hot)
        assert updated["type"] == "kitchen.ticket_updated"
        assert (updated["data"]["id"], updated["data"]["order_id"], updated["data"]["table_label"]) == (
            ticket["id"],
            other["id"],
            "T8",
        )
        assert [i["id"] for i in updated["data"]["items"]] == [i["id"] for i in ticket["items"]]

    def test_moved_items_leave_their_old_ticket_and_show_on_the_target_tables_ticket(
        self, live_server: str, api: httpx.Client, site: dict[str, Any], make_table: Callable[..., Table]
    ) -> None:
        moussaka, _ = send(api, site, "moussaka", "moussaka")
        other = api.post("/api/orders/", json={"table_id": make_table(9, label="T9").id}, headers=site["maria"]).json()
        with connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"])) as hot:
            old = receive(hot)["data"]["tickets"][0]
            resp = api.post(
                f"/api/orders/{site['order_id']}/items/move",
                json={"to_order_id": other["id"], "items": [{"item_id": moussaka["id"], "quantity": 1}]},
                headers=site["maria"],
            )
            assert resp.status_code == 200, resp.text
            events = {e["data"]["id"]: e for e in (receive(hot), receive(hot))}
        assert {e["type"] for e in events.values()} == {"kitchen.ticket_updated"}
        left, moved = events[old["id"]]["data"], next(e["data"] for i, e in events.items() if i != old["id"])
        assert [i["id"] for i in left["items"]] == [i["id"] for i in old["items"] if i["id"] != moussaka["id"]]
        assert (moved["order_id"], moved["table_label"], [i["id"] for i in moved["items"]]) == (
            other["id"],
            "T9",
            [moussaka["id"]],
        )


class TestResume:
    def test_a_screen_that_drops_mid_stream_resumes_without_missing_or_repeating_anything(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        token = site["hot_screen"]["token"]
        with connect(ws_url(live_server, "/ws/kitchen", token)) as ws:
            snapshot = receive(ws)
            send(api, site, "moussaka")
            seen = [receive(ws)]
        # The screen is gone; the kitchen keeps getting orders (and the bar's, which it never sees).
        send(api, site, "moussaka", "ouzo")
        send(api, site, "moussaka")
        with connect(ws_url(live_server, "/ws/kitchen", token, since=f"{snapshot['epoch']}:{seen[-1]['seq']}")) as ws:
            hello = receive(ws)
            assert hello["type"] == "resumed"
            missed = [receive(ws), receive(ws)]
            assert nothing_more(ws)
        rounds = [e["data"]["round"] for e in seen + missed]
        assert rounds == [1, 2, 3], "a gap or a duplicate"
        assert [e["seq"] for e in missed] == sorted({e["seq"] for e in missed})
        assert all(e["seq"] > seen[-1]["seq"] for e in missed)

    def test_a_screen_from_another_boot_gets_a_fresh_snapshot(
        self, live_server: str, api: httpx.Client, site: dict[str, Any]
    ) -> None:
        send(api, site, "moussaka")
        with connect(ws_url(live_server, "/ws/kitchen", site["hot_screen"]["token"], since="00000000:3")) as ws:
            snapshot = receive(ws)
        assert snapshot["type"] == "snapshot"
        assert len(snapshot["data"]["tickets"]) == 1
