"""Several phones at one table changing the shared cart at once, against a real server: nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from local_backend.menu.models import Product
from local_backend.tables.models import Table
from tests.conftest import MANAGER
from tests.support.sockets import token_for

pytestmark = pytest.mark.timeout(120)
PHONES = 6
ADDS = 8  # 6 x (8 adds + 1 removal) = 54 writes: under the 60 a minute a table may make


def test_concurrent_adds_and_removals_lose_no_line_and_versions_strictly_increase(
    live_server: str, make_table: Callable[..., Table], make_product: Callable[..., Product]
) -> None:
    table = make_table(9)
    soup = make_product("Soup", 500)
    with httpx.Client(base_url=live_server, timeout=10) as api:
        boss = {"Authorization": f"Bearer {token_for(api, *MANAGER)}"}
        token = api.get(f"/api/tables/{table.id}/qr", headers=boss).json()["token"]

    start = threading.Barrier(PHONES)
    results: dict[int, list[dict[str, Any]]] = {}
    errors: list[BaseException] = []

    def phone(n: int) -> None:
        mine: list[dict[str, Any]] = []
        try:
            with httpx.Client(base_url=live_server, timeout=20) as client:
                start.wait(timeout=10)
                for i in range(ADDS):
                    body = {"product_id": soup.id, "nickname": f"p{n}", "note": f"{n}-{i}"}
                    resp = client.post(f"/api/guest/{token}/cart/lines", json=body)
                    assert resp.status_code == 201, resp.text
                    mine.append(resp.json())
                # Each phone takes back its own first line.
                first = next(line for line in mine[0]["lines"] if line["note"] == f"{n}-0")
                resp = client.delete(f"/api/guest/{token}/cart/lines/{first['id']}")
                assert resp.status_code == 200, resp.text
                mine.append(resp.json())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        results[n] = mine

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    versions = [answer["version"] for answers in results.values() for answer in answers]
    assert len(versions) == len(set(versions)) == PHONES * (ADDS + 1), "every write got its own version"
    for answers in results.values():
        own = [answer["version"] for answer in answers]
        assert own == sorted(own), "a phone's writes answer with increasing versions"
    with httpx.Client(base_url=live_server, timeout=10) as api:
        cart = api.get(f"/api/guest/{token}/cart").json()
    assert cart["version"] == max(versions) == PHONES * (ADDS + 1)
    notes = sorted(line["note"] for line in cart["lines"])
    assert notes == sorted(f"{n}-{i}" for n in range(PHONES) for i in range(1, ADDS))
