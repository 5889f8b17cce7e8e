"""A manager's changes to the floor plan, the settings and the kitchen screens reach the other screens live
(/ws/events against a real server), once committed, and only the screens they concern."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from websockets.sync.client import ClientConnection, connect

from local_backend.printing.models import Printer
from local_backend.staff.models import User
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.support.sockets import closed_with, nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client, *MANAGER)}"
        yield client


@pytest.fixture
def sockets(live_server: str, api: httpx.Client, make_user: Callable[..., User]) -> Iterator[dict[str, Any]]:
    """A waiter's phone and another manager tablet, both past their snapshot."""
    make_user("maria")
    make_user("eleni", role="manager")
    with (
        connect(ws_url(live_server, "/ws/events", token_for(api, "maria"))) as maria,
        connect(ws_url(live_server, "/ws/events", token_for(api, "eleni"))) as eleni,
    ):
        assert receive(maria)["type"] == receive(eleni)["type"] == "snapshot"
        yield {"maria": maria, "eleni": eleni}


def ok(resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


def event(ws: ClientConnection) -> tuple[str, dict[str, Any]]:
    message = receive(ws)
    return message["type"], message["data"]


class TestTheFloorPlan:
    def test_saved_positions_reach_the_waiters_and_the_other_managers(
        self, api: httpx.Client, sockets: dict[str, Any], make_table: Callable[..., Table]
    ) -> None:
        first, second = make_table(1), make_table(2)
        body = {"positions": [{"id": first.id, "pos_x": 40, "pos_y": 10}, {"id": second.id, "pos_x": 0, "pos_y": 0}]}
        ok(api.put("/api/tables/positions", json=body))
        for ws in sockets.values():
            assert event(ws) == ("table.changed", {"change": "moved", "table_ids": [first.id]})
            assert nothing_more(ws)

    def test_saving_the_plan_unchanged_announces_nothing(
        self, api: httpx.Client, sockets: dict[str, Any], make_table: Callable[..., Table]
    ) -> None:
        table = make_table(1, pos_x=5, pos_y=5)
        ok(api.put("/api/tables/positions", json={"positions": [{"id": table.id, "pos_x": 5, "pos_y": 5}]}))
        assert nothing_more(sockets["maria"])

    def test_a_refused_save_announces_nothing(self, api: httpx.Client, sockets: dict[str, Any]) -> None:
        resp = api.put("/api/tables/positions", json={"positions": [{"id": 999, "pos_x": 1, "pos_y": 1}]})
        assert (resp.status_code, resp.json()["code"]) == (422, "UNKNOWN_TABLE")
        assert nothing_more(sockets["maria"])

    def test_tables_created_edited_and_deactivated_are_announced(
        self, api: httpx.Client, sockets: dict[str, Any]
    ) -> None:
        maria = sockets["maria"]
        table = ok(api.post("/api/tables/", json={"number": 7}), 201)
        assert event(maria) == ("table.changed", {"change": "created", "table_ids": [table["id"]]})
        batch = ok(api.post("/api/tables/batch", json={"prefix": "B", "count": 2, "start": 20}), 201)
        assert event(maria) == ("table.changed", {"change": "created", "table_ids": [t["id"] for t in batch]})
        ok(api.put(f"/api/tables/{table['id']}", json={"seats": 6}))
        assert event(maria) == ("table.changed", {"change": "updated", "table_ids": [table["id"]]})
        ok(api.delete(f"/api/tables/{table['id']}"), 204)
        assert event(maria) == ("table.changed", {"change": "deactivated", "table_ids": [table["id"]]})
        assert nothing_more(maria)

    def test_sections_created_renamed_and_deleted_are_announced(
        self, api: httpx.Client, sockets: dict[str, Any]
    ) -> None:
        eleni = sockets["eleni"]
        group = ok(api.post("/api/tables/groups", json={"name": "Terrace"}), 201)
        assert event(eleni) == ("table.changed", {"change": "section_created", "group_id": group["id"]})
        ok(api.put(f"/api/tables/groups/{group['id']}", json={"name": "Garden"}))
        assert event(eleni) == ("table.changed", {"change": "section_updated", "group_id": group["id"]})
        ok(api.delete(f"/api/tables/groups/{group['id']}"), 204)
        assert event(eleni) == ("table.changed", {"change": "section_deleted", "group_id": group["id"]})


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "black").save(buffer, format="PNG")
    return buffer.getvalue()


class TestTheSettings:
    def test_every_app_hears_which_settings_changed(self, api: httpx.Client, sockets: dict[str, Any]) -> None:
        timezone = ok(api.get("/api/settings"))["timezone"]
        ok(api.put("/api/settings", json={"restaurant_name": "To Steki", "currency": "JPY", "timezone": timezone}))
        for ws in sockets.values():
            # The timezone sent was the one already set: only what changed is named.
            assert event(ws) == ("settings.updated", {"fields": ["currency", "restaurant_name"]})

    def test_a_put_that_changes_nothing_or_is_refused_announces_nothing(
        self, api: httpx.Client, sockets: dict[str, Any]
    ) -> None:
        name = ok(api.get("/api/settings"))["restaurant_name"]
        ok(api.put("/api/settings", json={"restaurant_name": name}))
        resp = api.put("/api/settings", json={"timezone": "Mars/Olympus"})
        assert (resp.status_code, resp.json()["code"]) == (422, "INVALID_TIMEZONE")
        assert nothing_more(sockets["maria"])

    def test_a_new_or_removed_logo_is_announced(self, api: httpx.Client, sockets: dict[str, Any]) -> None:
        maria = sockets["maria"]
        ok(api.put("/api/settings/logo", files={"file": ("logo.png", png(), "image/png")}))
        assert event(maria) == ("settings.updated", {"fields": ["logo_updated_at"]})
        ok(api.delete("/api/settings/logo"), 204)
        assert event(maria) == ("settings.updated", {"fields": ["logo_updated_at"]})
        ok(api.delete("/api/settings/logo"), 204)  # no logo left: nothing changed
        assert nothing_more(maria)


class TestKitchenScreens:
    @pytest.fixture
    def zone(self, database: Any) -> int:
        with database.write_session() as db:
            # Out of service: no print worker starts; a screen only needs the zone to exist.
            printer = Printer(name="Kitchen", ip_address="127.0.0.1", port=9, is_active=False)
            db.add(printer)
            db.flush()
            return int(printer.id)

    def test_managers_hear_of_pairing_unpairing_and_revoking_and_waiters_do_not(
        self, live_server: str, api: httpx.Client, sockets: dict[str, Any], zone: int
    ) -> None:
        maria, eleni = sockets["maria"], sockets["eleni"]
        hot = ok(api.post("/api/kitchen/screens", json={"name": "Hot line", "zone_ids": [zone]}), 201)
        assert event(eleni) == ("kitchen.screens_changed", {"screen_id": hot["id"], "change": "paired"})
        expo = ok(api.post("/api/kitchen/screens", json={"name": "Pass", "zone_ids": [], "expo": True}), 201)
        assert event(eleni) == ("kitchen.screens_changed", {"screen_id": expo["id"], "change": "paired"})
        with connect(ws_url(live_server, "/ws/kitchen", expo["token"])) as pass_screen:
            assert receive(pass_screen)["type"] == "snapshot"
            screen = {"Authorization": f"Bearer {hot['token']}"}
            ok(api.delete("/api/kitchen/screens/me", headers=screen), 204)
            assert event(eleni) == ("kitchen.screens_changed", {"screen_id": hot["id"], "change": "unpaired"})
            # The expo screen gets every zone's kitchen events, but the managers' list of screens is not one.
            assert nothing_more(pass_screen)
            ok(api.delete(f"/api/kitchen/screens/{expo['id']}"), 204)
            assert event(eleni) == ("kitchen.screens_changed", {"screen_id": expo["id"], "change": "revoked"})
            assert closed_with(pass_screen) == 4401
        assert nothing_more(maria)
