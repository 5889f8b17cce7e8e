"""/ws/events against a real uvicorn server with real WebSocket clients: auth, audience, order, resume."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.support.sockets import nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        yield client


@pytest.fixture
def floor(make_user: Callable[..., User], make_table: Callable[..., Table]) -> dict[str, Any]:
    return {
        "maria": make_user("maria"),
        "nikos": make_user("nikos"),
        "tables": [make_table(number) for number in (1, 2, 3)],
    }


def open_order(api: httpx.Client, token: str, table_id: int) -> int:
    resp = api.post(
        "/api/orders/", json={"table_id": table_id, "guests": 2}, headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 201, resp.text
    order_id: int = resp.json()["id"]
    return order_id


class TestAuthentication:
    @pytest.mark.parametrize("token", ["", "not-a-token"])
    def test_a_socket_without_a_valid_access_token_is_closed_with_4401(self, live_server: str, token: str) -> None:
        with connect(ws_url(live_server, "/ws/events", token)) as ws, pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


class TestSnapshotThenEvents:
    def test_the_first_message_is_the_floor_then_events_follow_in_sequence(
        self, live_server: str, api: httpx.Client, floor: dict[str, Any]
    ) -> None:
        maria = token_for(api, "maria")
        with connect(ws_url(live_server, "/ws/events", maria)) as ws:
            snapshot = receive(ws)
            assert snapshot["type"] == "snapshot"
            assert sorted(t["number"] for t in snapshot["data"]["tables"]) == [1, 2, 3]
            assert all(t["state"] == "free" for t in snapshot["data"]["tables"])
            first = open_order(api, maria, floor["tables"][0].id)
            second = open_order(api, maria, floor["tables"][1].id)
            events = [receive(ws) for _ in range(4)]
        assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
        assert all(e["seq"] > snapshot["seq"] for e in events)
        opened = [e["data"]["order_id"] for e in events if e["type"] == "order.opened"]
        assert opened == [first, second]


class TestAudience:
    def test_a_waiter_sees_the_floor_change_but_not_another_waiters_order_events(
        self, live_server: str, api: httpx.Client, floor: dict[str, Any]
    ) -> None:
        maria, nikos = token_for(api, "maria"), token_for(api, "nikos")
        with connect(ws_url(live_server, "/ws/events", maria)) as ws:
            receive(ws)
            order_id = open_order(api, nikos, floor["tables"][2].id)
            event = receive(ws)
            assert event["type"] == "table.changed"
            assert event["data"] == {"order_id": order_id, "table_id": floor["tables"][2].id, "status": "open"}
            assert nothing_more(ws), "maria got nikos's order event"

    def test_a_manager_sees_every_order_event(
        self, live_server: str, api: httpx.Client, floor: dict[str, Any], manager_headers: dict[str, str]
    ) -> None:
        nikos = token_for(api, "nikos")
        manager = manager_headers["Authorization"].removeprefix("Bearer ")
        with connect(ws_url(live_server, "/ws/events", manager)) as ws:
            receive(ws)
            order_id = open_order(api, nikos, floor["tables"][0].id)
            types = {receive(ws)["type"] for _ in range(2)}
        assert types == {"order.opened", "table.changed"}
        assert order_id > 0


class TestResume:
    def test_a_client_that_drops_mid_stream_resumes_without_missing_or_repeating_anything(
        self, live_server: str, api: httpx.Client, floor: dict[str, Any]
    ) -> None:
        maria = token_for(api, "maria")
        tables = floor["tables"]
        with connect(ws_url(live_server, "/ws/events", maria)) as ws:
            snapshot = receive(ws)
            open_order(api, maria, tables[0].id)
            seen = [receive(ws), receive(ws)]
        # The socket is gone; the floor keeps changing.
        open_order(api, maria, tables[1].id)
        open_order(api, maria, tables[2].id)
        last = seen[-1]["seq"]
        with connect(ws_url(live_server, "/ws/events", maria, since=f"{snapshot['epoch']}:{last}")) as ws:
            hello = receive(ws)
            assert hello["type"] == "resumed"
            missed = [receive(ws) for _ in range(4)]
            assert nothing_more(ws)
        seqs = [e["seq"] for e in seen + missed]
        assert seqs == list(range(seqs[0], seqs[0] + 6)), "a gap or a duplicate"
        assert [e["data"]["table_id"] for e in missed if e["type"] == "order.opened"] == [tables[1].id, tables[2].id]

    def test_a_client_from_another_boot_gets_a_fresh_snapshot(
        self, live_server: str, api: httpx.Client, floor: dict[str, Any]
    ) -> None:
        maria = token_for(api, "maria")
        open_order(api, maria, floor["tables"][0].id)
        with connect(ws_url(live_server, "/ws/events", maria, since="00000000:3")) as ws:
            snapshot = receive(ws)
        assert snapshot["type"] == "snapshot"
        assert {t["number"]: t["state"] for t in snapshot["data"]["tables"]}[1] == "open"
