"""Enforcement: new orders and items stop when restricted (402) or locked (423); settling open bills never does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local_backend.config import Settings
from shared.lease import LeaseState, SigningKey
from tests.conftest import make_settings
from tests.local_backend.licensing.conftest import call, facts_of, manager_of, status_of, sync
from tests.local_backend.licensing.support import FakeCloud, jwks_json
from tests.local_backend.orders.helpers import add_items, line, open_order, pay
from tests.support.fake_printer import FakePrinter, fake_printer


@pytest.fixture
def till() -> Iterator[FakePrinter]:
    with fake_printer(name="till") as started:
        yield started


@pytest.fixture
def settings(tmp_path: Path, cloud_key: SigningKey, till: FakePrinter) -> Settings:
    # The printer starts before the app and stops after it.
    return make_settings(tmp_path, license_public_keys=jwks_json(cloud_key))


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def meze(make_product):
    return make_product("Meze", 800)


def refused(resp, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code


def try_open(client, headers, table_id):
    return client.post("/api/orders/", json={"table_id": table_id}, headers=headers)


def try_add(client, headers, order_id, product_id):
    return client.post(f"/api/orders/{order_id}/items", json={"items": [line(product_id)]}, headers=headers)


def settle(client, headers, order_id: int, item_ids: list[int], manager_headers, till: FakePrinter) -> None:
    """Print the bill, pay every item and close: all of it must work whatever the license says."""
    printer = client.post(
        "/api/printers/", json={"name": "Till", "ip_address": till.host, "port": till.port}, headers=manager_headers
    )
    assert printer.status_code == 201, printer.text
    bill = client.post(
        f"/api/printers/{printer.json()['id']}/bill", json={"order_id": order_id, "kind": "bill"}, headers=headers
    )
    assert bill.status_code == 201, bill.text
    assert pay(client, headers, order_id, item_ids)["status"] == "paid"
    closed = client.post(f"/api/orders/{order_id}/close", headers=headers)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"


def reads_still_work(client, headers, manager_headers, order_id: int) -> None:
    assert client.get("/api/system/health").status_code == 200
    assert client.get(f"/api/orders/{order_id}", headers=headers).status_code == 200
    assert client.get("/api/tables/", headers=headers).status_code == 200
    assert client.get("/api/orders/", headers=manager_headers).status_code == 200
    assert client.get("/api/reports/shift", headers=manager_headers).status_code == 200
    assert client.get("/api/audit/", headers=manager_headers).status_code == 200
    # The restaurant can always take its data away.
    for kind in ("orders", "items"):
        export = client.get(
            f"/api/reports/export/{kind}", params={"from": "2026-10-01", "to": "2026-12-31"}, headers=manager_headers
        )
        assert export.status_code == 200, export.text
        assert export.text.splitlines()[1].startswith(f"{order_id},")
    assert client.post("/api/auth/login", json={"username": "maria", "pin": "1234"}).status_code == 200


class TestTrial:
    def test_an_unactivated_appliance_takes_orders(self, client, maria, make_table, meze):
        order = open_order(client, maria, make_table().id)
        add_items(client, maria, order["id"], line(meze.id))

    def test_after_14_days_new_orders_stop_but_open_bills_settle(
        self, client, clock, maria, manager_headers, make_table, meze, till
    ):
        order = open_order(client, maria, make_table().id)
        items = add_items(client, maria, order["id"], line(meze.id))["items"]
        clock.advance(days=13, hours=23)
        open_order(client, maria, make_table().id)
        clock.advance(hours=1)
        refused(try_open(client, maria, make_table().id), 402, "TRIAL_ENDED")
        refused(try_add(client, maria, order["id"], meze.id), 402, "TRIAL_ENDED")
        body = status_of(client, maria)
        assert (body["state"], body["code"], body["allows_orders"]) == ("restricted", "TRIAL_ENDED", False)
        reads_still_work(client, maria, manager_headers, order["id"])
        settle(client, maria, order["id"], [i["id"] for i in items], manager_headers, till)

    def test_activating_after_the_trial_reopens_orders(self, client, clock, maria, make_table, activate_now):
        clock.advance(days=20)
        refused(try_open(client, maria, make_table().id), 402, "TRIAL_ENDED")
        assert activate_now()["state"] == "active"
        open_order(client, maria, make_table().id)


@pytest.fixture
def activate_now(client, manager_headers):
    from tests.local_backend.licensing.conftest import activate

    def _activate():
        resp = activate(client, manager_headers)
        assert resp.status_code == 200, resp.text
        return resp.json()

    return _activate


class TestLocked:
    def test_a_locked_site_refuses_new_orders_with_423_while_open_bills_settle(
        self, client, cloud: FakeCloud, activated, maria, manager_headers, make_table, meze, till
    ):
        order = open_order(client, maria, make_table().id)
        items = add_items(client, maria, order["id"], line(meze.id))["items"]
        cloud.state, cloud.lock_reason = LeaseState.LOCKED, "Invoice 2026-118 unpaid"
        body = sync(client, manager_headers)
        assert (body["state"], body["code"]) == ("locked", "LICENSE_LOCKED")
        assert body["lock_reason"] == "Invoice 2026-118 unpaid"
        refused(try_open(client, maria, make_table().id), 423, "LICENSE_LOCKED")
        refused(try_add(client, maria, order["id"], meze.id), 423, "LICENSE_LOCKED")
        assert "Invoice 2026-118 unpaid" in try_open(client, maria, make_table().id).json()["detail"]
        reads_still_work(client, maria, manager_headers, order["id"])
        settle(client, maria, order["id"], [i["id"] for i in items], manager_headers, till)

    def test_an_unlock_takes_effect_at_the_next_sync(
        self, client, cloud, activated, maria, manager_headers, make_table
    ):
        cloud.state = LeaseState.LOCKED
        sync(client, manager_headers)
        refused(try_open(client, maria, make_table().id), 423, "LICENSE_LOCKED")
        cloud.state = LeaseState.ACTIVE
        assert sync(client, manager_headers)["state"] == "active"
        open_order(client, maria, make_table().id)

    def test_while_locked_the_appliance_checks_every_15_minutes(self, client, cloud, activated, manager_headers):
        cloud.state = LeaseState.LOCKED
        body = sync(client, manager_headers)
        assert body["next_attempt_at"].startswith("2026-11-02T09:15")


class TestCloudDown:
    def test_orders_continue_while_the_cloud_is_down_within_the_lease_and_stop_after_it(
        self, client, clock, cloud, activated, maria, manager_headers, make_table, meze, till
    ):
        def down(request, body):
            raise httpx.ConnectError("connection refused", request=request)

        cloud.respond = down
        order = open_order(client, maria, make_table().id)
        clock.advance(hours=6)
        body = sync(client, manager_headers)
        assert body["state"] == "active"
        assert "Cannot reach the licensing cloud" in body["last_error"]
        # Past half of the 30-hour lease: a warning, and orders still flow.
        clock.advance(hours=12)
        body = sync(client, manager_headers)
        assert (body["state"], body["code"]) == ("warning", "LEASE_EXPIRING")
        items = add_items(client, maria, order["id"], line(meze.id))["items"]
        open_order(client, maria, make_table().id)
        clock.advance(hours=11, minutes=59)
        open_order(client, maria, make_table().id)
        # The lease lapses 30 hours after the last successful heartbeat.
        clock.advance(minutes=1)
        refused(try_open(client, maria, make_table().id), 402, "LEASE_EXPIRED")
        refused(try_add(client, maria, order["id"], meze.id), 402, "LEASE_EXPIRED")
        settle(client, maria, order["id"], [i["id"] for i in items], manager_headers, till)
        # The cloud comes back: the next heartbeat reopens orders.
        cloud.respond = None
        assert sync(client, manager_headers)["state"] == "active"
        open_order(client, maria, make_table().id)

    def test_failed_heartbeats_back_off_1_5_15_60_minutes(self, client, clock, cloud, activated, manager_headers):
        cloud.respond = lambda request, body: httpx.Response(503, text="maintenance")
        manager = manager_of(client)
        waits = []
        for _ in range(6):
            before = clock.now()
            call(client, manager.heartbeat)
            next_at = facts_of(client).next_attempt_at
            assert next_at is not None
            waits.append(round((next_at - before).total_seconds() / 60))
        assert waits == [1, 5, 15, 60, 60, 60]
        assert "answered 503" in status_of(client, manager_headers)["last_error"]


class TestExpiry:
    def test_the_paid_through_date_passing_stops_new_orders(self, client, clock, cloud, activated, maria, make_table):
        clock.advance(days=53)
        sync(client)
        body = status_of(client, maria)
        assert (body["state"], body["code"], body["days_left"]) == ("warning", "LICENSE_EXPIRING", 7)
        open_order(client, maria, make_table().id)
        clock.advance(days=7)  # offline meanwhile: the paid-through date still counts
        refused(try_open(client, maria, make_table().id), 402, "LICENSE_EXPIRED")

    def test_the_cloud_saying_expired_stops_new_orders(self, client, cloud, activated, maria, make_table):
        cloud.state = LeaseState.EXPIRED
        body = sync(client)
        assert (body["state"], body["code"]) == ("restricted", "LICENSE_EXPIRED")
        refused(try_open(client, maria, make_table().id), 402, "LICENSE_EXPIRED")


class TestOpenAPI:
    def test_the_guarded_routes_declare_402_and_423_with_their_codes(self, client):
        paths = client.get("/openapi.json").json()["paths"]
        for path in ("/api/orders/", "/api/orders/{order_id}/items"):
            responses = paths[path]["post"]["responses"]
            assert set(responses["402"]["description"].split(", ")) == {
                "LICENSE_EXPIRED",
                "LEASE_EXPIRED",
                "CLOCK_SUSPECT",
                "TRIAL_ENDED",
            }
            assert responses["423"]["description"] == "LICENSE_LOCKED"
        for path, method in (
            ("/api/orders/{order_id}/pay", "post"),
            ("/api/orders/{order_id}/close", "post"),
            ("/api/license", "get"),
        ):
            assert "402" not in paths[path][method]["responses"]
