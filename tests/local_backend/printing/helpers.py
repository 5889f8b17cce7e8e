"""Helpers for the print queue tests: bounded waits, the print log through the API, tickets as the printer got them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.testclient import TestClient

from tests.support.escpos_decoder import Decoded, UndecodableBytes, decode
from tests.support.fake_printer import FakePrinter

T = TypeVar("T")


def wait_until(check: Callable[[], T | None], *, timeout: float = 10.0, what: str = "the condition") -> T:
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def order_jobs(client: TestClient, headers: dict[str, str], order_id: int) -> list[dict[str, Any]]:
    resp = client.get("/api/printers/jobs", params={"order_id": order_id}, headers=headers)
    assert resp.status_code == 200, resp.text
    return list(resp.json())


def wait_for_jobs(
    client: TestClient, headers: dict[str, str], order_id: int, *, status: str = "printed", count: int = 1
) -> list[dict[str, Any]]:
    """The order's jobs once `count` of them are in `status`."""

    def done() -> list[dict[str, Any]]:
        jobs = order_jobs(client, headers, order_id)
        return jobs if sum(job["status"] == status for job in jobs) >= count else []

    return wait_until(done, what=f"{count} {status} job(s) of order {order_id}")


INIT = b"\x1b@"


def tickets(printer: FakePrinter) -> list[Decoded]:
    """Every ticket the printer received, in order, decoded by the tests' own decoder.

    A connection may carry several tickets (the jobs that were waiting); each starts with ESC @, which never occurs
    inside our text. A piece cut off mid-command cannot be decoded: it is an empty Decoded, so counts stay right.
    """
    out = []
    for data in printer.connections:
        for piece in data.split(INIT)[1:]:
            try:
                out.append(decode(INIT + piece))
            except UndecodableBytes:
                out.append(Decoded())
    return out


def wait_for_tickets(printer: FakePrinter, count: int, *, timeout: float = 10.0) -> list[Decoded]:
    """Once `count` cut tickets arrived (connections closed), all tickets so far."""

    def arrived() -> list[Decoded]:
        found = [t for t in tickets(printer) if t.cut]
        return found if len(found) >= count else []

    wait_until(arrived, timeout=timeout, what=f"{count} ticket(s) on {printer.simulator.name}")
    return tickets(printer)


def add_round(client: TestClient, headers: dict[str, str], order_id: int, *lines: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(f"/api/orders/{order_id}/items", json={"items": list(lines)}, headers=headers)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def open_order(client: TestClient, headers: dict[str, str], table_id: int) -> int:
    resp = client.post("/api/orders/", json={"table_id": table_id}, headers=headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])
