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
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.appliance import TEST_ENV, Appliance, Seed, seed

WORKERS = 6
TABLES_PER_WORKER = 40
SPARE_TABLES = 5
MIN_ACKED_ITEMS_BEFORE_KILL = 40
STATUS_RANK = {"open": 0, "partially_paid": 1, "paid": 2, "closed": 3}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


@dataclass
class Sent:
    """A write as it went on the wire, so it can be resent byte for byte with the same Idempotency-Key."""

    path: str
    json: dict[str, Any]
    headers: dict[str, str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Ledger:
    """What the server acknowledged (2xx) and what the client sent; shared by the worker threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    order_status: dict[int, str] = field(default_factory=dict)  # order id -> state acknowledged
    item_notes: dict[str, int] = field(default_factory=dict)  # note -> order id, acknowledged
    paid_item_ids: set[int] = field(default_factory=set)
    sent_notes: set[str] = field(default_factory=set)
    in_flight: list[Sent] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def ack_status(self, order_id: int, status: str) -> None:
        with self.lock:
            old = self.order_status.get(order_id)
            if old is None or STATUS_RANK[status] > STATUS_RANK[old]:
                self.order_status[order_id] = status


class ServerGone(Exception):
    pass


class Worker(threading.Thread):
    """One waiter: cycles through its tables, leaving orders in every state (open, part paid, paid, closed)."""

    def __init__(
        self, n: int, base_url: str, token: str, tables: list[int], templates: list[dict[str, Any]], ledger: Ledger
    ) -> None:
        super().__init__(name=f"waiter-{n}", daemon=True)
        self.n = n
        self.base_url = base_url
        self.auth = {"Authorization": f"Bearer {token}"}
        self.free_tables = list(tables)
        self.templates = templates
        self.ledger = ledger
        self.killed = threading.Event()
        self.seq = 0

    def post(self, client: httpx.Client, path: str, body: dict[str, Any], notes: list[str] | None = None) -> Any:
        self.seq += 1
        sent = Sent(path, body, {**self.auth, "Idempotency-Key": f"k9-{self.n}-{self.seq}"}, notes or [])
        with self.ledger.lock:
            self.ledger.sent_notes.update(sent.notes)
        try:
            resp = client.post(path, json=body, headers=sent.headers)
        except httpx.TransportError as exc:
            with self.ledger.lock:
                self.ledger.in_flight.append(sent)
                if not self.killed.is_set():
                    self.ledger.unexpected.append(f"{path}: {exc!r} before the kill")
            raise ServerGone from exc
        if resp.status_code // 100 != 2:
            with self.ledger.lock:
                self.ledger.unexpected.append(f"POST {path} -> {resp.status_code} {resp.text[:200]}")
            raise ServerGone
        return resp.json()

    def get(self, client: httpx.Client, path: str) -> Any:
        try:
            resp = client.get(path, headers=self.auth)
        except httpx.TransportError as exc:
            if not self.killed.is_set():
                with self.ledger.lock:
                    self.ledger.unexpected.append(f"GET {path}: {exc!r} before the kill")
            raise ServerGone from exc
        if resp.status_code != 200:
            with self.ledger.lock:
                self.ledger.unexpected.append(f"GET {path} -> {resp.status_code} {resp.text[:200]}")
            raise ServerGone
        return resp.json()

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
                k = 0
                while self.free_tables:
                    self.lifecycle(client, k, self.free_tables.pop(0))
                    k += 1
        except ServerGone:
            return
        except Exception as exc:  # a bug in the harness must fail the test, not vanish with the thread
            with self.ledger.lock:
                self.ledger.unexpected.append(f"worker {self.n} crashed: {exc!r}")

    def lifecycle(self, client: httpx.Client, k: int, table_id: int) -> None:
        order = self.post(client, "/api/orders/", {"table_id": table_id, "guests": 2})
        order_id = int(order["id"])
        self.ledger.ack_status(order_id, "open")
        for round_ in range(3):
            items, notes = [], []
            for j in range(1 + (k + round_) % 3):
                note = f"k9-w{self.n}-o{k}-r{round_}-i{j}"
                item = dict(self.templates[(k * 3 + round_ + j) % len(self.templates)])
                item["note"] = note
                items.append(item)
                notes.append(note)
            self.post(client, f"/api/orders/{order_id}/items", {"items": items}, notes)
            with self.ledger.lock:
                self.ledger.item_notes.update(dict.fromkeys(notes, order_id))
        # Leave orders in every state; close when tables run short so the worker keeps going.
        pattern = 0 if len(self.free_tables) < 3 else k % 4
        if pattern == 3:  # an open order keeps its table
            return
        item_ids = [int(item["id"]) for item in self.get(client, f"/api/orders/{order_id}")["items"]]
        to_pay = item_ids[: len(item_ids) // 2] if pattern == 2 else item_ids
        self.post(client, f"/api/orders/{order_id}/pay", {"item_ids": to_pay, "method": "card", "tip": 50})
        with self.ledger.lock:
            self.ledger.paid_item_ids.update(to_pay)
        self.ledger.ack_status(order_id, "partially_paid" if pattern == 2 else "paid")
        if pattern == 0:
            self.post(client, f"/api/orders/{order_id}/close", {})
            self.ledger.ack_status(order_id, "closed")
            self.free_tables.append(table_id)


def rows(db_path: Path, sql: str) -> list[Any]:
    con = sqlite3.connect(db_path, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_acknowledged_writes_are_in_the_file(db_path: Path, ledger: Ledger) -> None:
    integrity = rows(db_path, "PRAGMA integrity_check")
    assert integrity == [("ok",)], integrity
    status = dict(rows(db_path, "SELECT id, status FROM orders"))
    lost = [oid for oid in ledger.order_status if oid not in status]
    assert not lost, f"acknowledged orders missing after kill -9: {lost}"
    regressed = {
        oid: (acked, status[oid])
        for oid, acked in ledger.order_status.items()
        if STATUS_RANK.get(status[oid], -1) < STATUS_RANK[acked]
    }
    assert not regressed, f"orders behind their acknowledged state (acked, stored): {regressed}"
    stored_notes: dict[str, list[int]] = {}
    for order_id, note in rows(db_path, "SELECT order_id, note FROM order_items WHERE note LIKE 'k9-%'"):
        stored_notes.setdefault(note, []).append(order_id)
    missing = [n for n, oid in ledger.item_notes.items() if stored_notes.get(n) != [oid]]
    assert not missing, f"acknowledged items missing or misplaced after kill -9: {missing[:10]} ({len(missing)})"
    phantoms = set(stored_notes) - ledger.sent_notes
    assert not phantoms, f"items nobody sent: {sorted(phantoms)[:10]}"
    duplicated = {n: oids for n, oids in stored_notes.items() if len(oids) > 1}
    assert not duplicated, f"items stored twice: {duplicated}"
    unpaid = {iid for (iid,) in rows(db_path, "SELECT id FROM order_items WHERE paid_quantity < quantity")}
    assert not (ledger.paid_item_ids & unpaid), f"acknowledged payments lost: {sorted(ledger.paid_item_ids & unpaid)}"


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
            Worker(
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
        assert_acknowledged_writes_are_in_the_file(appliance.db_path, ledger)

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

            assert_acknowledged_writes_are_in_the_file(appliance.db_path, ledger)

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
