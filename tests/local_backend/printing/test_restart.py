"""The print queue survives kill -9: a real appliance process queues tickets while the kitchen printer is off,
is SIGKILLed, restarts on the same file, and once the printer is back every ticket prints, none twice (a second
copy would have to say REPRINT)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.local_backend.printing.helpers import tickets, wait_until
from tests.support.appliance import TEST_ENV, Appliance, seed
from tests.support.fake_printer import FakePrinter, PrinterFault

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

ENV = {
    **TEST_ENV,
    "PRINT_RETRY_BASE_SECONDS": "0.05",
    "PRINT_RETRY_MAX_SECONDS": "0.3",
    "PRINT_CONNECT_TIMEOUT_SECONDS": "1",
    "PRINT_CONFIRM_TIMEOUT_SECONDS": "3",
}
ROUNDS = 3


@pytest.fixture
def kitchen() -> Iterator[FakePrinter]:
    with FakePrinter(name="kitchen") as printer:
        yield printer


def ok(resp: httpx.Response) -> Any:
    assert resp.status_code // 100 == 2, resp.text
    return resp.json()


def all_jobs(client: httpx.Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(ok(client.get("/api/printers/jobs", params={"limit": 500}, headers=headers)))


def test_tickets_queued_before_a_kill_9_all_print_once_after_the_restart(tmp_path: Path, kitchen: FakePrinter) -> None:
    kitchen.set_status(PrinterFault.REFUSE)
    with Appliance(tmp_path / "appliance", env=ENV) as appliance:
        data = seed(appliance.base_url, waiters=2, tables=4)
        manager = data.manager_headers
        with httpx.Client(base_url=appliance.base_url, timeout=10) as client:
            printer = ok(
                client.post(
                    "/api/printers/",
                    json={"name": "Kitchen", "ip_address": kitchen.host, "port": kitchen.port},
                    headers=manager,
                )
            )
            for category in data.categories:
                url = f"/api/products/categories/{category['id']}"
                ok(client.put(url, json={"printer_zone_id": printer["id"]}, headers=manager))
            notes = []
            for n, (waiter, table) in enumerate(zip(data.waiters * 2, data.tables, strict=False)):
                order = ok(client.post("/api/orders/", json={"table_id": table["id"]}, headers=waiter.headers))
                for r in range(ROUNDS):
                    note = f"order{order['id']}-round{r + 1}"
                    item = {**data.item_templates[(n + r) % len(data.item_templates)], "note": note}
                    ok(client.post(f"/api/orders/{order['id']}/items", json={"items": [item]}, headers=waiter.headers))
                    notes.append(note)
            # The workers are live and failing: the printer is off, every ticket is waiting in the queue.
            wait_until(lambda: any(job["attempt_count"] for job in all_jobs(client, manager)), what="a failed attempt")
            queued = all_jobs(client, manager)
            assert len(queued) == len(notes)
            assert {job["status"] for job in queued} == {"pending"}

        appliance.kill9()
        appliance.restart()
        kitchen.set_status(PrinterFault.HEALTHY)

        with httpx.Client(base_url=appliance.base_url, timeout=10) as client:

            def all_printed() -> list[dict[str, Any]] | None:
                jobs = all_jobs(client, manager)
                return jobs if jobs and all(job["status"] == "printed" for job in jobs) else None

            printed = wait_until(all_printed, timeout=30, what="every job printed after the restart")
    assert len(printed) == len(notes)
    paper = [t for t in tickets(kitchen) if t.cut]
    for note in notes:
        copies = [t for t in paper if any(note in line for line in t.text_lines)]
        originals = [t for t in copies if "REPRINT" not in t.text_lines]
        assert len(originals) == 1, f"{note}: {len(originals)} copies not marked REPRINT"
