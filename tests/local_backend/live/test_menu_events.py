"""Menu edits reach every phone live (`menu.changed` on /ws/events), and only once they are committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from local_backend.staff.models import User
from tests.support.sockets import nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def api(live_server: str, manager_headers: dict[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10, headers=manager_headers) as client:
        yield client


@pytest.fixture
def maria(make_user: Callable[..., User]) -> User:
    return make_user("maria")


def created(resp: httpx.Response) -> dict[str, Any]:
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


class TestMenuChanged:
    def test_a_waiter_hears_of_a_new_product_and_of_its_86(
        self, live_server: str, api: httpx.Client, maria: User
    ) -> None:
        token = token_for(api, "maria")
        with connect(ws_url(live_server, "/ws/events", token)) as ws:
            receive(ws)
            category = created(api.post("/api/products/categories", json={"name": "Mains"}))
            event = receive(ws)
            assert event["type"] == "menu.changed"
            assert event["data"]["entity_type"] == "category"
            product = created(
                api.post("/api/products/", json={"name": "Moussaka", "base_price": 1450, "category_id": category["id"]})
            )
            event = receive(ws)
            assert (event["type"], event["data"]["entity_id"]) == ("menu.changed", product["id"])
            resp = api.patch(f"/api/products/{product['id']}/availability", json={"is_available": False})
            assert resp.status_code == 200, resp.text
            event = receive(ws)
            assert event["data"] == {
                "action": "menu.availability_changed",
                "entity_type": "product",
                "entity_id": product["id"],
            }

    def test_a_refused_edit_announces_nothing(self, live_server: str, api: httpx.Client, maria: User) -> None:
        token = token_for(api, "maria")
        with connect(ws_url(live_server, "/ws/events", token)) as ws:
            receive(ws)
            resp = api.post("/api/products/", json={"name": "Ghost", "base_price": 100, "category_id": 999_999})
            assert resp.status_code == 404, resp.text
            assert nothing_more(ws), "an edit that was rolled back was announced"
