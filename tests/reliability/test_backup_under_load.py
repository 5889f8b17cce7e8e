"""A backup taken with the CLI in the middle of a rush restores with every order acknowledged before it began.

Waiters (threads, each with its own connection) open orders and add items against a real appliance process
while a ledger records every acknowledged write; each item carries a unique note. Mid-rush,
`python -m local_backend backup` copies the live database. The copy is restored with
`python -m local_backend restore` into a fresh location (the restore into the live one is refused: it is in use),
then checked on the file (integrity, every order and item acknowledged before the backup started, nothing
that was never sent) and through the API of an appliance started on it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.appliance import REPO_ROOT, TEST_ENV, Appliance, Seed, seed

WORKERS = 4
TABLES_PER_WORKER = 30
ROUNDS_PER_ORDER = 3
MIN_ACKED_ITEMS_BEFORE_BACKUP = 60
# The rush stops this long after the backup command returned, or at the deadline.
RUSH_AFTER_BACKUP_SECONDS = 0.5
RUSH_DEADLINE_SECONDS = 15.0

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


@dataclass
class Ledger:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # order id -> notes of its acknowledged items; and when each acknowledgement arrived (monotonic).
    orders: dict[int, set[str]] = field(default_factory=dict)
    ack_times: list[float] = field(default_factory=list)
    sent_notes: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def snapshot(self) -> dict[int, set[str]]:
        with self.lock:
            return {order_id: set(notes) for order_id, notes in self.orders.items()}

    def items(self) -> int:
        with self.lock:
            return sum(len(notes) for notes in self.orders.values())


class Waiter(threading.Thread):
    """Opens an order on each of its tables and adds items to it in a few rounds."""

    def __init__(self, n: int, base_url: str, token: str, tables: list[int], templates: list[dict[str, Any]],
                 ledger: Ledger, stop: threading.Event) -> None:  # fmt: skip
        super().__init__(name=f"waiter-{n}", daemon=True)
        self.n, self.base_url, self.tables, self.templates = n, base_url, tables, templates
        self.headers = {"Authorization": f"Bearer {token}"}
        self.ledger, self.stop = ledger, stop

    def post(self, client: httpx.Client, path: str, body: dict[str, Any]) -> Any:
        resp = client.post(path, json=body, headers=self.headers)
        if resp.status_code // 100 != 2:
            raise RuntimeError(f"POST {path} -> {resp.status_code} {resp.text[:200]}")
        return resp.json()

    def run(self) -> None:
        deadline = time.monotonic() + RUSH_DEADLINE_SECONDS
        try:
            with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
                for k, table_id in enumerate(self.tables):
                    if self.stop.is_set() or time.monotonic() > deadline:
                        return
                    order_id = int(self.post(client, "/api/orders/", {"table_id": table_id, "guests": 2})["id"])
                    with self.ledger.lock:
                        self.ledger.orders[order_id] = set()
                        self.ledger.ack_times.append(time.monotonic())
                    for round_ in range(ROUNDS_PER_ORDER):
                        notes = [f"bk-w{self.n}-o{k}-r{round_}-i{j}" for j in range(1 + (k + round_) % 3)]
                        items = [
                            {**self.templates[(k + round_ + j) % len(self.templates)], "note": note}
                            for j, note in enumerate(notes)
                        ]
                        with self.ledger.lock:
                            self.ledger.sent_notes.update(notes)
                        self.post(client, f"/api/orders/{order_id}/items", {"items": items})
                        with self.ledger.lock:
                            self.ledger.orders[order_id].update(notes)
                            self.ledger.ack_times.append(time.monotonic())
        except Exception as exc:  # any failure during the rush fails the test
            with self.ledger.lock:
                self.ledger.errors.append(f"waiter {self.n}: {exc!r}")


def cli(*args: str, database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env.update({"PYTHONPATH": str(REPO_ROOT), "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, "-m", "local_backend", *args],
        env=env,
        cwd=cwd,  # not the repository: a developer's .env there must not reconfigure the command
        capture_output=True,
        text=True,
        timeout=60,
    )


def rows(db_path: Path, sql: str) -> list[Any]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def appliance(tmp_path: Path):
    with Appliance(tmp_path / "data", env=TEST_ENV) as app:
        yield app


@pytest.fixture
def seeded(appliance: Appliance) -> Seed:
    return seed(appliance.base_url, waiters=WORKERS, tables=WORKERS * TABLES_PER_WORKER)


class TestBackupDuringARush:
    def test_the_restored_backup_holds_every_order_acknowledged_before_it_started(
        self, appliance: Appliance, seeded: Seed, tmp_path: Path
    ):
        ledger, stop = Ledger(), threading.Event()
        table_ids = [t["id"] for t in seeded.tables]
        waiters = [
            Waiter(n, appliance.base_url, seeded.waiters[n].token,
                   table_ids[n * TABLES_PER_WORKER : (n + 1) * TABLES_PER_WORKER], seeded.item_templates, ledger, stop)
            for n in range(WORKERS)
        ]  # fmt: skip
        for waiter in waiters:
            waiter.start()
        try:
            deadline = time.monotonic() + 10
            while ledger.items() < MIN_ACKED_ITEMS_BEFORE_BACKUP:
                assert not ledger.errors, ledger.errors[:5]
                assert time.monotonic() < deadline, "the rush did not get going"
                time.sleep(0.02)

            before = ledger.snapshot()  # everything acknowledged before the backup started
            started = time.monotonic()
            backup = cli("backup", str(tmp_path / "usb"), database=appliance.db_path, cwd=tmp_path)
            finished = time.monotonic()
            time.sleep(RUSH_AFTER_BACKUP_SECONDS)
        finally:
            stop.set()
            for waiter in waiters:
                waiter.join(timeout=15)
        assert not any(w.is_alive() for w in waiters), "a waiter hung"
        assert backup.returncode == 0, backup.stderr
        assert not ledger.errors, f"writes failed during the backup: {ledger.errors[:5]}"
        during = sum(started < t < finished for t in ledger.ack_times)
        assert during > 0, "no write was acknowledged while the backup ran: it blocked the writers"
        backup_file = Path(backup.stdout.strip())
        assert backup_file.parent == tmp_path / "usb"

        # The live database cannot be replaced while the appliance has it open.
        refused = cli("restore", str(backup_file), database=appliance.db_path, cwd=tmp_path)
        assert refused.returncode == 1
        assert "in use" in refused.stderr

        fresh = tmp_path / "fresh" / "pos.db"
        restored = cli("restore", str(backup_file), database=fresh, cwd=tmp_path)
        assert restored.returncode == 0, restored.stderr

        # 1. The restored file: sound, with every order and item acknowledged before the backup, nothing unsent.
        assert rows(fresh, "PRAGMA integrity_check") == [("ok",)]
        stored_orders = {order_id for (order_id,) in rows(fresh, "SELECT id FROM orders")}
        missing_orders = sorted(set(before) - stored_orders)
        assert not missing_orders, f"acknowledged orders missing from the backup: {missing_orders[:10]}"
        stored_notes: dict[str, list[int]] = {}
        for order_id, note in rows(fresh, "SELECT order_id, note FROM order_items WHERE note LIKE 'bk-%'"):
            stored_notes.setdefault(note, []).append(order_id)
        missing = [note for order_id, notes in before.items() for note in notes if stored_notes.get(note) != [order_id]]
        assert not missing, f"acknowledged items missing or misplaced in the backup: {missing[:10]} ({len(missing)})"
        assert set(stored_notes) <= ledger.sent_notes, "the backup holds items nobody sent"

        # 2. An appliance started on the restored file shows them.
        appliance.stop()
        with Appliance(fresh.parent, env=TEST_ENV) as copy, httpx.Client(base_url=copy.base_url, timeout=10) as client:
            headers = {"Authorization": f"Bearer {seeded.manager_token}"}
            for order_id, notes in before.items():
                resp = client.get(f"/api/orders/{order_id}", headers=headers)
                assert resp.status_code == 200, resp.text
                assert notes <= {item["note"] for item in resp.json()["items"]}, order_id
