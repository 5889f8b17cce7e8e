"""/ws/guest/{token} against a real uvicorn server: snapshot, cart and order pushes, close codes, no staff data."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from local_backend.menu.models import Product
from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.support.sockets import closed_with, nothing_more, receive, token_for

pytestmark = pytest.mark.timeout(90)
PUSH_WITHIN = 0.2


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        yield client


@pytest.fixture
def boss(api: httpx.Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(api, *MANAGER)}"}


@pytest.fixture
def code_of(api: httpx.Client, boss: dict[str, str]) -> Callable[[int], str]:
    def _code(table_id: int) -> str:
        resp = api.get(f"/api/tables/{table_id}/qr", headers=boss)
        assert resp.status_code == 200, resp.text
        token: str = resp.json()["token"]
        return token

    return _code


def guest_ws(base: str, token: str) -> ClientConnection:
    return connect(base.replace("http://", "ws://") + f"/ws/guest/{token}")


def pushed(ws: ClientConnection, kind: str, within: float = PUSH_WITHIN) -> dict[str, Any]:
    """The next frame of `kind`, which must arrive within `within` seconds (other kinds are skipped)."""
    deadline = time.monotonic() + within
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"no {kind} frame within {within} s"
        message = receive(ws, timeout=left)
        if message["type"] == kind:
            data: dict[str, Any] = message["data"]
            return data


class TestTheGuestSocket:
    def test_snapshot_then_cart_and_order_pushes_within_200_ms(
        self,
        live_server: str,
        api: httpx.Client,
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_user: Callable[..., User],
        make_product: Callable[..., Product],
    ) -> None:
        table = make_table(7)
        soup = make_product("Soup", 500)
        make_user("maria", display_name="Maria Secret")
        maria = {"Authorization": f"Bearer {token_for(api, 'maria')}"}
        token = code_of(table.id)
        with guest_ws(live_server, token) as ws:
            snapshot = receive(ws)
            assert snapshot["type"] == "snapshot"
            assert snapshot["data"]["cart"] == {"version": 0, "lines": [], "total": 0}
            assert snapshot["data"]["order"]["order_id"] is None

            resp = api.post(f"/api/guest/{token}/cart/lines", json={"product_id": soup.id, "nickname": "Ann"})
            assert resp.status_code == 201
            cart = pushed(ws, "cart")
            assert cart["version"] == resp.json()["version"]
            assert cart["lines"][0]["nickname"] == "Ann"

            sent = api.post(f"/api/guest/{token}/submit", json={"nickname": "Ann", "cart_version": cart["version"]})
            assert sent.status_code == 201
            order = pushed(ws, "order")
            assert order["submissions"][0]["status"] == "pending"

            accepted = api.post(f"/api/guest-submissions/{sent.json()['id']}/accept", headers=maria)
            assert accepted.status_code == 201, accepted.text
            order = pushed(ws, "order")
            while order["order_id"] is None or order["submissions"][0]["status"] != "accepted":
                order = pushed(ws, "order")
            assert order["items"][0]["state"] == "received"

            # A waiter's own round reaches the guests as an order view, without any staff data.
            order_id = accepted.json()["id"]
            more = api.post(f"/api/orders/{order_id}/items", json={"items": [{"product_id": soup.id}]}, headers=maria)
            assert more.status_code == 201
            order = pushed(ws, "order")
            while len(order["items"]) < 2:
                order = pushed(ws, "order")
            text = json.dumps(order)
            assert "Maria" not in text
            assert "waiter" not in text

    def test_an_add_a_quantity_tap_and_a_removal_reach_every_phone_within_200_ms_of_the_tap(
        self,
        live_server: str,
        api: httpx.Client,
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        table = make_table(8)
        soup = make_product("Soup", 500)
        token = code_of(table.id)
        with contextlib.ExitStack() as stack:
            phones = [stack.enter_context(guest_ws(live_server, token)) for _ in range(3)]
            for ws in phones:
                assert receive(ws)["type"] == "snapshot"
            cart_url = f"/api/guest/{token}/cart/lines"
            changes: list[tuple[str, Callable[[int | None], httpx.Response]]] = [
                ("add", lambda _: api.post(cart_url, json={"product_id": soup.id, "nickname": "Ann"})),
                ("plus", lambda line: api.patch(f"{cart_url}/{line}", json={"delta": 1})),
                ("remove", lambda line: api.delete(f"{cart_url}/{line}")),
            ]
            line_id: int | None = None
            for what, change in changes:
                tapped = time.monotonic()
                resp = change(line_id)
                assert resp.status_code in (200, 201), resp.text
                version = resp.json()["version"]
                for n, ws in enumerate(phones):
                    cart = pushed(ws, "cart", within=PUSH_WITHIN - (time.monotonic() - tapped))
                    while cart["version"] < version:
                        cart = pushed(ws, "cart", within=PUSH_WITHIN - (time.monotonic() - tapped))
                    assert cart == resp.json(), f"phone {n} after {what}"
                line_id = resp.json()["lines"][0]["id"] if resp.json()["lines"] else None
            assert line_id is None

    def test_a_token_only_hears_its_own_table(
        self,
        live_server: str,
        api: httpx.Client,
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        mine, other = make_table(1), make_table(2)
        soup = make_product("Soup", 500)
        mine_token, other_token = code_of(mine.id), code_of(other.id)
        with guest_ws(live_server, mine_token) as ws:
            receive(ws)
            resp = api.post(f"/api/guest/{other_token}/cart/lines", json={"product_id": soup.id, "nickname": "Zed"})
            assert resp.status_code == 201
            assert nothing_more(ws, 0.5)

    def test_an_unknown_code_closes_with_4404(self, live_server: str) -> None:
        with guest_ws(live_server, "nope") as ws:
            assert closed_with(ws) == 4404

    @pytest.mark.parametrize(
        ("action", "code"),
        [("rotate", 4404), ("deactivate", 4410)],
        ids=["rotating the code closes with 4404", "deactivating the table closes with 4410"],
    )
    def test_a_dead_code_closes_open_sockets_and_refuses_new_ones(
        self,
        live_server: str,
        api: httpx.Client,
        boss: dict[str, str],
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        action: str,
        code: int,
    ) -> None:
        table = make_table(3)
        token = code_of(table.id)
        with guest_ws(live_server, token) as ws:
            receive(ws)
            if action == "rotate":
                assert api.post(f"/api/tables/{table.id}/qr/rotate", headers=boss).status_code == 200
            else:
                assert api.delete(f"/api/tables/{table.id}", headers=boss).status_code == 204
            assert closed_with(ws) == code
        with guest_ws(live_server, token) as ws:
            assert closed_with(ws) == code

    def test_staff_are_told_of_submissions_and_calls(
        self,
        live_server: str,
        api: httpx.Client,
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_user: Callable[..., User],
        make_product: Callable[..., Product],
    ) -> None:
        table = make_table(5)
        soup = make_product("Soup", 500)
        make_user("maria")
        token = code_of(table.id)
        maria = token_for(api, "maria")
        url = live_server.replace("http://", "ws://") + f"/ws/events?token={maria}"
        with connect(url) as staff:
            receive(staff)
            api.post(f"/api/guest/{token}/cart/lines", json={"product_id": soup.id, "nickname": "Ann"})
            version = api.get(f"/api/guest/{token}/cart").json()["version"]
            sub = api.post(f"/api/guest/{token}/submit", json={"nickname": "Ann", "cart_version": version}).json()
            api.post(f"/api/guest/{token}/call", json={"kind": "bill"})
            seen: dict[str, dict[str, Any]] = {}
            while len(seen) < 2:
                message = receive(staff)
                if message["type"].startswith("guest."):
                    seen[message["type"]] = message["data"]
            assert seen["guest.submitted"] == {"submission_id": sub["id"], "table_id": table.id, "table_label": "T5"}
            assert seen["guest.call"] == {"table_id": table.id, "table_label": "T5", "kind": "bill"}

    def test_every_waiter_hears_a_table_the_guests_opened_until_one_takes_it(
        self,
        live_server: str,
        api: httpx.Client,
        boss: dict[str, str],
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_user: Callable[..., User],
        make_product: Callable[..., Product],
    ) -> None:
        table = make_table(6)
        soup = make_product("Soup", 500)
        make_user("maria")
        make_user("nikos")
        token = code_of(table.id)
        assert api.put("/api/settings", json={"guest_ordering": "direct"}, headers=boss).status_code == 200
        maria, nikos = token_for(api, "maria"), token_for(api, "nikos")
        events = live_server.replace("http://", "ws://") + "/ws/events?token="

        def next_of(ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
            while True:
                message = receive(ws)
                if wanted(message):
                    return message

        with connect(events + maria) as maria_ws, connect(events + nikos) as nikos_ws:
            receive(maria_ws)
            receive(nikos_ws)
            api.post(f"/api/guest/{token}/cart/lines", json={"product_id": soup.id, "nickname": "Ann"})
            version = api.get(f"/api/guest/{token}/cart").json()["version"]
            api.post(f"/api/guest/{token}/submit", json={"nickname": "Ann", "cart_version": version})
            order_id = api.get(f"/api/guest/{token}/order").json()["order_id"]

            def about_the_order(message: dict[str, Any]) -> bool:
                return bool(message["type"].startswith("order.")) and message["data"].get("order_id") == order_id

            # The guests' round reaches both phones, and so does a call: nobody serves the table yet.
            for ws in (maria_ws, nikos_ws):
                next_of(ws, about_the_order)
            api.post(f"/api/guest/{token}/call", json={"kind": "waiter"})
            for ws in (maria_ws, nikos_ws):
                assert next_of(ws, lambda m: m["type"] == "guest.call")["data"]["table_id"] == table.id

            taken = api.post(f"/api/orders/{order_id}/take", headers={"Authorization": f"Bearer {maria}"})
            assert taken.status_code == 200, taken.text
            for ws in (maria_ws, nikos_ws):
                moved = next_of(ws, lambda m: m["type"] == "order.reassigned")
                assert moved["data"]["waiter_id"] == taken.json()["waiter_id"]
            # Once Maria has the table, its calls are hers alone (a bill call: one call of a kind a minute).
            api.post(f"/api/guest/{token}/call", json={"kind": "bill"})
            assert next_of(maria_ws, lambda m: m["type"] == "guest.call")["data"]["kind"] == "bill"
            heard: list[str] = []
            deadline = time.monotonic() + 0.5
            while (left := deadline - time.monotonic()) > 0:
                try:
                    heard.append(json.loads(nikos_ws.recv(timeout=left))["type"])
                except TimeoutError:
                    break
            assert "guest.call" not in heard


class TestMenuCue:
    def test_an_86_reaches_the_guests_as_a_menu_cue_within_200_ms(
        self,
        live_server: str,
        api: httpx.Client,
        boss: dict[str, str],
        code_of: Callable[[int], str],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        table = make_table(8)
        soup = make_product("Soup", 500)
        with guest_ws(live_server, code_of(table.id)) as ws:
            assert receive(ws)["type"] == "snapshot"
            resp = api.patch(f"/api/products/{soup.id}/availability", json={"is_available": False}, headers=boss)
            assert resp.status_code == 200, resp.text
            deadline = time.monotonic() + PUSH_WITHIN
            message = receive(ws, timeout=PUSH_WITHIN)
            assert time.monotonic() <= deadline
            assert message == {"type": "menu"}
            menu = api.get(f"/api/guest/{code_of(table.id)}/menu").json()
            assert soup.id not in [p["id"] for p in menu["products"]]
            assert nothing_more(ws)
