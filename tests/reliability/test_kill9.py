"""kill -9 in the middle of a rush loses nothing that was acknowledged and corrupts nothing.

Several waiters (threads, each with its own connection) open orders, add items, pay and close against a real
appliance process while a ledger records every request that got a 2xx and what it created. The process is
SIGKILLed at a random moment in the burst. Then, on the database file alone (before any restart) and again
through the API after a restart on the same file:

- every acknowledged order exists, at least in the state it was acknowledged in, and holds every acknowledged
  item (items carry a unique note, so this does not depend on the add-items response shape);
- nothing appears that was never sent;
- `PRAGMA integrity_check` is ok;
- the requests that were in flight at the kill, resent with their Idempotency-Key, take effect exactly once;
- the restarted service takes new orders.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.faults import STATUS_RANK, Ledger, Waiter, assert_acknowledged_writes_are_in_the_file
from tests.support.appliance import TEST_ENV, Appliance, Seed, seed

WORKERS = 6
TABLES_PER_WORKER = 40
SPARE_TABLES = 5
MIN_ACKED_ITEMS_BEFORE_KILL = 40

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


@pytest.fixture
def appliance(tmp_path: Path):
    # Test PIN cost only; the database keeps its production durability settings (synchronous=FULL).
    with Appliance(tmp_path / "data", env=TEST_ENV) as app:
        yield app


@pytest.fixture
def seeded(appliance: Appliance) -> Seed:
    return seed(appliance.base_url, waiters=WORKERS, tables=WORKERS * TABLES_PER_WORKER + SPARE_TABLES)


class TestKillNineMidRush:
    def test_every_acknowledged_write_survives_and_the_service_comes_back(self, appliance, seeded):
        rng = random.Random()
        extra_delay = rng.uniform(0.1, 1.5)
        ledger = Ledger()
        table_ids = [t["id"] for t in seeded.tables]
        workers = [
            Waiter(
                n,
                appliance.base_url,
                seeded.waiters[n].token,
                table_ids[n * TABLES_PER_WORKER : (n + 1) * TABLES_PER_WORKER],
                seeded.item_templates,
                ledger,
            )
            for n in range(WORKERS)
        ]
        for w in workers:
            w.start()

        deadline = time.monotonic() + 20
        # Kill only once the ledger holds orders in every state, so each kind of write is checked.
        while len(ledger.item_notes) < MIN_ACKED_ITEMS_BEFORE_KILL or not {
            "partially_paid",
            "paid",
            "closed",
        } <= set(ledger.order_status.values()):
            assert time.monotonic() < deadline, f"traffic too slow to start: {ledger.unexpected[:5]}"
            assert not ledger.unexpected, ledger.unexpected[:5]
            time.sleep(0.02)
        time.sleep(extra_delay)
        for w in workers:
            w.killed.set()
        appliance.kill9()
        for w in workers:
            w.join(timeout=15)
        assert not any(w.is_alive() for w in workers), "a worker hung after the kill"

        context = f"(killed {extra_delay:.2f}s after {MIN_ACKED_ITEMS_BEFORE_KILL} acked items)"
        assert not ledger.unexpected, f"{context} errors before the kill: {ledger.unexpected[:10]}"
        assert ledger.in_flight, f"{context} the kill hit no request in flight: the burst was over"

        # 1. The file alone, before the appliance touches it again.
        assert_acknowledged_writes_are_in_the_file(appliance.db_path, ledger, "k9")

        # 2. Restart on the same file; the API shows the same.
        appliance.restart()
        manager = seeded.manager_headers
        with httpx.Client(base_url=appliance.base_url, timeout=10.0) as client:
            for order_id, acked in ledger.order_status.items():
                resp = client.get(f"/api/orders/{order_id}", headers=manager)
                assert resp.status_code == 200, resp.text
                body = resp.json()
                assert STATUS_RANK[body["status"]] >= STATUS_RANK[acked], (order_id, acked, body["status"])
                notes = {item.get("note") for item in body["items"]}
                expected = {n for n, oid in ledger.item_notes.items() if oid == order_id}
                assert expected <= notes, (order_id, expected - notes)

            # 3. The requests the kill interrupted, resent with the same key, take effect exactly once.
            for sent in ledger.in_flight:
                resp = client.post(sent.path, json=sent.json, headers=sent.headers)
                assert resp.status_code // 100 == 2, (sent.path, resp.status_code, resp.text)
                if sent.path == "/api/orders/":
                    ledger.ack_status(int(resp.json()["id"]), "open")
                    continue
                order_id = int(sent.path.split("/")[3])
                ledger.item_notes.update(dict.fromkeys(sent.notes, order_id))
                if sent.path.endswith("/pay"):
                    ledger.paid_item_ids.update(sent.json["item_ids"])
                if sent.path.endswith("/close"):
                    ledger.ack_status(order_id, "closed")

            assert_acknowledged_writes_are_in_the_file(appliance.db_path, ledger, "k9")

            # 4. New orders work.
            waiter = seeded.waiters[0]
            spare = seeded.tables[-1]["id"]
            resp = client.post("/api/orders/", json={"table_id": spare, "guests": 3}, headers=waiter.headers)
            assert resp.status_code == 201, resp.text
            order_id = resp.json()["id"]
            item = {**seeded.item_templates[0], "note": "after the crash"}
            resp = client.post(f"/api/orders/{order_id}/items", json={"items": [item]}, headers=waiter.headers)
            assert resp.status_code == 201, resp.text
            resp = client.get(f"/api/orders/{order_id}", headers=waiter.headers)
            assert [i["note"] for i in resp.json()["items"]] == ["after the crash"]
