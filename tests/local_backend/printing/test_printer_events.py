"""Managers' screens follow the printers live (/ws/events on a real server, fake printers on real TCP): a printer's
state when it changes (never per poll or per ticket) and every print job's status. Waiters get neither."""

from __future__ import annotations

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
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.support.fake_printer import FakePrinter, PrinterFault
from tests.support.sockets import nothing_more, receive, token_for, ws_url

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def api(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {token_for(client, *MANAGER)}"
        yield client


@pytest.fixture
def sockets(live_server: str, api: httpx.Client, make_user: Callable[..., User]) -> Iterator[dict[str, Any]]:
    make_user("maria")
    with (
        connect(ws_url(live_server, "/ws/events", token_for(api, *MANAGER))) as manager,
        connect(ws_url(live_server, "/ws/events", token_for(api, "maria"))) as maria,
    ):
        assert receive(manager)["type"] == receive(maria)["type"] == "snapshot"
        yield {"manager": manager, "maria": maria}


def add_printer(api: httpx.Client, fake: FakePrinter, name: str, **fields: Any) -> dict[str, Any]:
    # Through the served app: its print manager is the one that prints, and publishes on this socket's bus.
    resp = api.post("/api/printers/", json={"name": name, "ip_address": fake.host, "port": fake.port, **fields})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def events_until(
    ws: ClientConnection, done: Callable[[list[dict[str, Any]]], bool], *, timeout: float = 10.0
) -> list[dict[str, Any]]:
    """The printer events received until `done(events)` holds (other events are skipped)."""
    deadline = time.monotonic() + timeout
    events: list[dict[str, Any]] = []
    while not done(events):
        left = deadline - time.monotonic()
        assert left > 0, f"timed out; got {events}"
        message = receive(ws, timeout=left)
        if message["type"].startswith("printer."):
            events.append({"type": message["type"], **message["data"]})
    return events


def of_type(events: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == type_]


def job_statuses(events: list[dict[str, Any]], job_id: int) -> list[str]:
    return [e["status"] for e in of_type(events, "printer.job_changed") if e["job_id"] == job_id]


def printer_events(ws: ClientConnection, wait: float) -> list[dict[str, Any]]:
    """Whatever printer events arrive within `wait` seconds."""
    found = []
    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = receive(ws, timeout=left)
        except TimeoutError:
            break
        if message["type"].startswith("printer."):
            found.append(message)
    return found


class TestPrinterState:
    @pytest.fixture
    def print_settings(self) -> dict[str, Any]:
        return {**FAST_PRINTING, "print_status_poll_seconds": 0.1}

    def test_a_manager_hears_each_change_of_state_once_however_often_the_printer_is_polled(
        self, api: httpx.Client, sockets: dict[str, Any], kitchen: FakePrinter
    ) -> None:
        manager = sockets["manager"]
        printer = add_printer(api, kitchen, "Kitchen")

        def states(events: list[dict[str, Any]]) -> list[str]:
            return [e["state"] for e in of_type(events, "printer.status_changed")]

        first = events_until(manager, lambda events: "online" in states(events))
        assert of_type(first, "printer.status_changed") == [
            {"type": "printer.status_changed", "printer_id": printer["id"], "state": "online"}
        ]
        kitchen.set_status(PrinterFault.PAPER_OUT)
        assert states(events_until(manager, lambda events: bool(states(events)))) == ["paper_out"]
        kitchen.set_status(PrinterFault.REFUSE)
        assert states(events_until(manager, lambda events: bool(states(events)))) == ["offline"]
        kitchen.set_status(PrinterFault.HEALTHY)
        assert states(events_until(manager, lambda events: bool(states(events)))) == ["online"]
        # Ten polls or so find it as it was: nothing more is said.
        assert [m for m in printer_events(manager, 1.0) if m["type"] == "printer.status_changed"] == []
        assert nothing_more(sockets["maria"])

    def test_taking_a_printer_out_of_service_is_a_change_of_state(
        self, api: httpx.Client, sockets: dict[str, Any], kitchen: FakePrinter
    ) -> None:
        manager = sockets["manager"]
        printer = add_printer(api, kitchen, "Kitchen")
        events_until(manager, lambda events: bool(of_type(events, "printer.status_changed")))
        assert api.put(f"/api/printers/{printer['id']}", json={"is_active": False}).status_code == 200
        changed = events_until(manager, lambda events: bool(of_type(events, "printer.status_changed")))
        assert of_type(changed, "printer.status_changed")[0]["state"] == "inactive"


class TestPrintJobs:
    def test_a_test_page_and_its_reprint_go_pending_printing_printed(
        self, api: httpx.Client, sockets: dict[str, Any], kitchen: FakePrinter
    ) -> None:
        manager = sockets["manager"]
        printer = add_printer(api, kitchen, "Kitchen")
        resp = api.post(f"/api/printers/{printer['id']}/test")
        assert resp.status_code in (201, 202), resp.text
        job_id = resp.json()["id"]
        events = events_until(manager, lambda events: "printed" in job_statuses(events, job_id))
        assert job_statuses(events, job_id) == ["pending", "printing", "printed"]
        printed = of_type(events, "printer.job_changed")[-1]
        assert printed == {
            "type": "printer.job_changed",
            "job_id": job_id,
            "order_id": None,
            "printer_id": printer["id"],
            "status": "printed",
        }
        # The printer's first answer also told the managers it is online (once).
        assert [e["state"] for e in of_type(events, "printer.status_changed")] == ["online"]

        copy = api.post(f"/api/printers/jobs/{job_id}/reprint")
        assert copy.status_code == 201, copy.text
        copy_id = copy.json()["id"]
        events = events_until(manager, lambda events: "printed" in job_statuses(events, copy_id))
        assert job_statuses(events, copy_id) == ["pending", "printing", "printed"]
        assert of_type(events, "printer.status_changed") == []
        assert nothing_more(sockets["maria"])

    def test_a_kitchen_ticket_names_its_order_as_it_prints(
        self,
        api: httpx.Client,
        sockets: dict[str, Any],
        kitchen: FakePrinter,
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        printer = add_printer(api, kitchen, "Kitchen")
        product = make_product("Moussaka", 1400, category_zone=printer["id"])
        maria = {"Authorization": f"Bearer {token_for(api, 'maria')}"}
        order = api.post("/api/orders/", json={"table_id": make_table(4).id}, headers=maria)
        assert order.status_code == 201, order.text
        order_id = order.json()["id"]
        items = api.post(f"/api/orders/{order_id}/items", json={"items": [{"product_id": product.id}]}, headers=maria)
        assert items.status_code == 201, items.text

        def printed(events: list[dict[str, Any]]) -> bool:
            return any(e["status"] == "printed" for e in of_type(events, "printer.job_changed"))

        jobs = of_type(events_until(sockets["manager"], printed), "printer.job_changed")
        # Queued with the items: the order's own event says so (no RETURNING on the add-items path).
        assert [(e["order_id"], e["printer_id"], e["status"]) for e in jobs] == [
            (order_id, printer["id"], "printing"),
            (order_id, printer["id"], "printed"),
        ]
        assert len({e["job_id"] for e in jobs}) == 1
        # The waiter hears that her items printed (order.items_printed), not about the print queue.
        assert printer_events(sockets["maria"], 0.3) == []

    def test_a_ticket_voided_before_it_printed_is_cancelled(
        self,
        api: httpx.Client,
        sockets: dict[str, Any],
        kitchen: FakePrinter,
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        kitchen.set_status(PrinterFault.REFUSE)  # the ticket waits in the queue
        printer = add_printer(api, kitchen, "Kitchen")
        product = make_product("Moussaka", 1400, category_zone=printer["id"])
        order = api.post("/api/orders/", json={"table_id": make_table(4).id})
        assert order.status_code == 201, order.text
        order_id = order.json()["id"]
        items = api.post(f"/api/orders/{order_id}/items", json={"items": [{"product_id": product.id}]})
        assert items.status_code == 201, items.text
        item_id = items.json()["items"][0]["id"]
        resp = api.request("DELETE", f"/api/orders/{order_id}/items/{item_id}", json={"reason": "wrong table"})
        assert resp.status_code == 200, resp.text

        def cancelled(events: list[dict[str, Any]]) -> bool:
            return any(e["status"] == "cancelled" for e in of_type(events, "printer.job_changed"))

        (job,) = of_type(events_until(sockets["manager"], cancelled), "printer.job_changed")
        assert (job["order_id"], job["printer_id"], job["status"]) == (order_id, printer["id"], "cancelled")

    def test_a_test_page_the_printer_never_takes_ends_failed(
        self, api: httpx.Client, sockets: dict[str, Any], kitchen: FakePrinter
    ) -> None:
        kitchen.set_status(PrinterFault.REFUSE)
        printer = add_printer(api, kitchen, "Kitchen", failover_seconds=1)
        job_id = api.post(f"/api/printers/{printer['id']}/test").json()["id"]
        events = events_until(sockets["manager"], lambda events: "failed" in job_statuses(events, job_id))
        assert job_statuses(events, job_id) == ["pending", "failed"]  # it never reached the printer
        assert [e["state"] for e in of_type(events, "printer.status_changed")] == ["offline"]
