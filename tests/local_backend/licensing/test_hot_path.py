"""The guard on adding items costs no SQL statement, no signature check and no call to the cloud."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from local_backend.licensing import cloud as cloud_module
from local_backend.licensing import service as license_service
from local_backend.licensing.dependencies import require_license
from shared.lease import verify_lease
from tests.local_backend.orders.helpers import add_items, line, open_order


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


def statements_of(database, work) -> list[str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return seen


async def _no_guard() -> None:
    return None


@pytest.mark.parametrize("licensed", [False, True], ids=["trial", "active lease"])
def test_the_guard_adds_no_statement_to_adding_items(
    licensed, app, client, maria, make_table, make_product, database, monkeypatch, cloud, manager_headers
):
    if licensed:
        from tests.local_backend.licensing.conftest import activate

        assert activate(client, manager_headers).status_code == 200
    meze = make_product("Meze", 800)
    order = open_order(client, maria, make_table().id)
    add_items(client, maria, order["id"], line(meze.id))  # fills the menu and staff caches

    verified: list[str] = []

    def counting_verify(*args, **kwargs):
        verified.append("x")
        return verify_lease(*args, **kwargs)

    monkeypatch.setattr(license_service, "verify_lease", counting_verify)
    monkeypatch.setattr(cloud_module, "verify_lease", counting_verify)
    heartbeats = len(cloud.requests)

    guarded = statements_of(database, lambda: add_items(client, maria, order["id"], line(meze.id)))
    app.dependency_overrides[require_license] = _no_guard
    try:
        unguarded = statements_of(database, lambda: add_items(client, maria, order["id"], line(meze.id)))
    finally:
        app.dependency_overrides.clear()

    assert len(guarded) == len(unguarded), (guarded, unguarded)
    assert not [s for s in guarded if "license" in s.lower()]
    assert verified == []
    assert len(cloud.requests) == heartbeats


def test_the_guard_is_in_force_on_the_hot_path(client, clock, maria, make_table, make_product):
    """The counterpart: the same request really is guarded (so the count above measures a live guard)."""
    meze = make_product("Meze", 800)
    order = open_order(client, maria, make_table().id)
    clock.advance(days=15)
    resp = client.post(f"/api/orders/{order['id']}/items", json={"items": [line(meze.id)]}, headers=maria)
    assert resp.status_code == 402
    assert resp.json()["code"] == "TRIAL_ENDED"
