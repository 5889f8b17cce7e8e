"""The fault suite's harness: a rush with a ledger, fake printers, kitchen screens, a cuttable link, a fillable disk.

Everything runs for real on loopback: the appliance is a `python -m local_backend` subprocess
(`tests.support.appliance`), waiters are threads with their own HTTP connection, kitchen screens are WebSocket
clients in threads, printers are `tests.support.fake_printer` servers whose bytes are decoded with the tests' own
ESC/POS decoder, and the cloud (when used) is a real `python -m cloud_backend` behind a TCP proxy that can refuse,
swallow or reset connections.

The ledger records what the appliance acknowledged (a 2xx) and what was sent; the checks compare it with the
database file, with the printed paper and with what each screen ended up showing:

- every acknowledged order and item is in the file, once, in at least its acknowledged state; nothing unsent is;
- every acknowledged item is on a complete (cut) kitchen ticket, on its zone's printer or marked BACKUP on the
  backup; any second copy is marked REPRINT;
- every screen shows every acknowledged item of the still-active orders of its zones, as the appliance lists them.

Used by `test_kill9.py`, `test_faults.py` (the short forms, in `make test`) and `soak.py` (`make soak`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import select
import socket
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.support.appliance import TEST_ENV, Appliance, Seed, seed
from tests.support.escpos_decoder import UndecodableBytes, decode
from tests.support.fake_printer import FakePrinter

STATUS_RANK = {"open": 0, "partially_paid": 1, "paid": 2, "closed": 3}
ACTIVE_ORDER_STATUSES = ("open", "partially_paid", "paid")
# Kitchen events that carry a whole ticket as it is now (the KDS app puts it on the board as it is).
TICKET_STATE_EVENTS = frozenset(
    {"kitchen.ticket_new", "kitchen.ticket_updated", "kitchen.ticket_fired", "kitchen.ticket_recalled"}
)
# A write the appliance refused for a reason it names (it could not save; the disk is full) is retried with the
# same Idempotency-Key, as the waiter app does; anything else (a 500, a 409 nobody caused) is a finding.
RETRYABLE_STATUSES = frozenset({503, 507})
# Quick retries: the suite's faults last seconds, and a waiter that backs off too far would miss the recovery.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.5)
# Print settings for the suite: the product defaults (retry up to 15 s, 3 s connect timeout) would only make
# every test wait longer for the same outcome.
FAST_PRINTING_ENV = {
    "PRINT_RETRY_BASE_SECONDS": "0.2",
    "PRINT_RETRY_MAX_SECONDS": "1",
    "PRINT_CONNECT_TIMEOUT_SECONDS": "1",
    "PRINT_CONFIRM_TIMEOUT_SECONDS": "2",
}


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    """Poll `predicate` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


# -- the ledger and the waiters --------------------------------------------------------------------------------


@dataclass
class Sent:
    """A write as it went on the wire, so it can be resent byte for byte with the same Idempotency-Key."""

    path: str
    json: dict[str, Any]
    headers: dict[str, str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Ledger:
    """What the server acknowledged (2xx) and what the clients sent; shared by the waiter threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    order_status: dict[int, str] = field(default_factory=dict)  # order id -> state acknowledged
    item_notes: dict[str, int] = field(default_factory=dict)  # note -> order id, acknowledged
    note_product: dict[str, int] = field(default_factory=dict)  # note -> product id, as sent
    paid_item_ids: set[int] = field(default_factory=set)
    sent_notes: set[str] = field(default_factory=set)
    in_flight: list[Sent] = field(default_factory=list)  # writes that never got an answer (kill9 style)
    unexpected: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)  # retried failures by kind
    writes_acked: int = 0
    acked_after_retry: int = 0
    write_seconds: list[float] = field(default_factory=list)

    def ack_status(self, order_id: int, status: str) -> None:
        with self.lock:
            old = self.order_status.get(order_id)
            if old is None or STATUS_RANK[status] > STATUS_RANK[old]:
                self.order_status[order_id] = status

    def acked_notes(self) -> dict[str, int]:
        with self.lock:
            return dict(self.item_notes)

    def error_count(self) -> int:
        with self.lock:
            return sum(self.errors.values())

    def p99_ms(self) -> float:
        with self.lock:
            ordered = sorted(self.write_seconds)
        return round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1) if ordered else 0.0


class ServerGone(Exception):
    """The waiter stops: the server is gone (kill9 mode), refused a write unexpectedly, or the rush is over."""


class Waiter(threading.Thread):
    """One waiter: cycles through their tables, leaving orders in every state (open, part paid, paid, closed).

    `retry=False` (the kill -9 test): a write without an answer is recorded in flight and the waiter stops.
    `retry=True` (the fault suite): a write without an answer, or refused with 503/507 and a code, is resent
    with the same Idempotency-Key until it is acknowledged, as the waiter app replays its queue.
    """

    def __init__(
        self,
        n: int,
        base_url: str,
        token: str,
        tables: list[int],
        templates: list[dict[str, Any]],
        ledger: Ledger,
        *,
        prefix: str = "k9",
        retry: bool = False,
        pause: float = 0.0,
    ) -> None:
        super().__init__(name=f"waiter-{prefix}-{n}", daemon=True)
        self.n = n
        self.base_url = base_url
        self.auth = {"Authorization": f"Bearer {token}"}
        self.free_tables = list(tables)
        self.templates = templates
        self.ledger = ledger
        self.prefix = prefix
        self.retry = retry
        self.pause = pause
        self.killed = threading.Event()  # the kill was deliberate: transport errors are expected
        self.stopping = threading.Event()  # start nothing new
        self.give_up_at = float("inf")  # monotonic; retries end here once stopping
        self.seq = 0
        self.lifecycles = 0

    def stop(self, grace: float = 15.0) -> None:
        """Finish the write in hand (retrying for up to `grace` seconds), then leave."""
        self.give_up_at = time.monotonic() + grace
        self.stopping.set()

    def _failed(self, kind: str, attempt: int, sent: Sent | None) -> None:
        with self.ledger.lock:
            self.ledger.errors[kind] += 1
        if self.stopping.is_set() and time.monotonic() > self.give_up_at:
            if sent is not None:
                with self.ledger.lock:
                    self.ledger.in_flight.append(sent)
            raise ServerGone
        time.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])

    def _refused(self, resp: httpx.Response) -> str | None:
        """The retryable kind of a refusal (`HTTP 503 WRITE_FAILED`), or None when it is not retryable."""
        if not self.retry or resp.status_code not in RETRYABLE_STATUSES:
            return None
        try:
            code = resp.json().get("code")
        except ValueError:
            code = None
        return f"HTTP {resp.status_code} {code}" if code else None

    def post(self, client: httpx.Client, path: str, body: dict[str, Any], notes: list[str] | None = None) -> Any:
        self.seq += 1
        key = f"{self.prefix}-{self.n}-{self.seq}"
        sent = Sent(path, body, {**self.auth, "Idempotency-Key": key}, notes or [])
        with self.ledger.lock:
            self.ledger.sent_notes.update(sent.notes)
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                resp = client.post(path, json=body, headers=sent.headers)
            except httpx.TransportError as exc:
                if not self.retry:
                    with self.ledger.lock:
                        self.ledger.in_flight.append(sent)
                        if not self.killed.is_set():
                            self.ledger.unexpected.append(f"{path}: {exc!r} before the kill")
                    raise ServerGone from exc
                self._failed(f"transport {type(exc).__name__}", attempt, sent)
                continue
            if resp.status_code // 100 == 2:
                with self.ledger.lock:
                    self.ledger.writes_acked += 1
                    self.ledger.acked_after_retry += attempt > 1
                    self.ledger.write_seconds.append(time.perf_counter() - started)
                if self.pause:
                    time.sleep(self.pause)
                return resp.json()
            kind = self._refused(resp)
            if kind is None:
                with self.ledger.lock:
                    self.ledger.unexpected.append(f"POST {path} -> {resp.status_code} {resp.text[:200]}")
                raise ServerGone
            self._failed(kind, attempt, sent)

    def get(self, client: httpx.Client, path: str) -> Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = client.get(path, headers=self.auth)
            except httpx.TransportError as exc:
                if not self.retry:
                    if not self.killed.is_set():
                        with self.ledger.lock:
                            self.ledger.unexpected.append(f"GET {path}: {exc!r} before the kill")
                    raise ServerGone from exc
                self._failed(f"transport {type(exc).__name__}", attempt, None)
                continue
            if resp.status_code == 200:
                return resp.json()
            kind = self._refused(resp)
            if kind is None:
                with self.ledger.lock:
                    self.ledger.unexpected.append(f"GET {path} -> {resp.status_code} {resp.text[:200]}")
                raise ServerGone
            self._failed(kind, attempt, None)

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
                k = 0
                while self.free_tables and not self.stopping.is_set():
                    self.lifecycle(client, k, self.free_tables.pop(0))
                    self.lifecycles += 1
                    k += 1
        except ServerGone:
            return
        except Exception as exc:  # a bug in the harness must fail the test, not vanish with the thread
            with self.ledger.lock:
                self.ledger.unexpected.append(f"waiter {self.n} crashed: {exc!r}")

    def lifecycle(self, client: httpx.Client, k: int, table_id: int) -> None:
        order = self.post(client, "/api/orders/", {"table_id": table_id, "guests": 2})
        order_id = int(order["id"])
        self.ledger.ack_status(order_id, "open")
        for round_ in range(3):
            if self.stopping.is_set():
                return
            items, notes = [], []
            for j in range(1 + (k + round_) % 3):
                # Short, unique and ASCII: it prints on one ticket line and identifies the item everywhere.
                note = f"{self.prefix}-w{self.n}-o{k}-r{round_}-i{j}"
                item = dict(self.templates[(k * 3 + round_ + j + self.n) % len(self.templates)])
                item["note"] = note
                items.append(item)
                notes.append(note)
            self.post(client, f"/api/orders/{order_id}/items", {"items": items}, notes)
            with self.ledger.lock:
                self.ledger.item_notes.update(dict.fromkeys(notes, order_id))
                self.ledger.note_product.update({n: int(i["product_id"]) for n, i in zip(notes, items, strict=True)})
        # Leave orders in every state; close when tables run short so the waiter keeps going.
        pattern = 0 if len(self.free_tables) < 3 else k % 4
        if pattern == 3 or self.stopping.is_set():  # an open order keeps its table
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


class Rush:
    """Waiter threads on disjoint tables of a seeded appliance, sharing one ledger."""

    def __init__(
        self,
        base_url: str,
        seeded: Seed,
        *,
        waiters: int,
        tables_per_waiter: int,
        prefix: str,
        ledger: Ledger | None = None,
        retry: bool = True,
        pause: float = 0.0,
        first_table: int = 0,
    ) -> None:
        self.ledger = ledger or Ledger()
        table_ids = [t["id"] for t in seeded.tables]
        self.waiters = [
            Waiter(
                n,
                base_url,
                seeded.waiters[n].token,
                table_ids[first_table + n * tables_per_waiter : first_table + (n + 1) * tables_per_waiter],
                seeded.item_templates,
                self.ledger,
                prefix=prefix,
                retry=retry,
                pause=pause,
            )
            for n in range(waiters)
        ]

    def start(self) -> Rush:
        for w in self.waiters:
            w.start()
        return self

    def wait_for(self, items: int, timeout: float = 20.0) -> None:
        """Until at least `items` more items were acknowledged than now (the rush is under way)."""
        target = len(self.ledger.item_notes) + items
        wait_until(
            lambda: len(self.ledger.item_notes) >= target or bool(self.ledger.unexpected),
            timeout,
            f"{items} acknowledged items (errors: {self.ledger.errors})",
        )
        assert not self.ledger.unexpected, self.ledger.unexpected[:5]

    def stop(self, grace: float = 15.0) -> None:
        for w in self.waiters:
            w.stop(grace)
        for w in self.waiters:
            w.join(timeout=grace + 15)
        assert not any(w.is_alive() for w in self.waiters), "a waiter hung"

    @property
    def lifecycles(self) -> int:
        return sum(w.lifecycles for w in self.waiters)


# -- the database file ----------------------------------------------------------------------------------------


def rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    con = sqlite3.connect(db_path, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def assert_acknowledged_writes_are_in_the_file(db_path: Path, ledger: Ledger, prefix: str = "k9") -> None:
    """Every acknowledged order, item and payment is in the file, once; nothing unsent is; the file is sound."""
    with ledger.lock:
        order_status = dict(ledger.order_status)
        item_notes = dict(ledger.item_notes)
        sent_notes = set(ledger.sent_notes)
        paid_item_ids = set(ledger.paid_item_ids)
    integrity = rows(db_path, "PRAGMA integrity_check")
    assert integrity == [("ok",)], integrity
    status = dict(rows(db_path, "SELECT id, status FROM orders"))
    lost = [oid for oid in order_status if oid not in status]
    assert not lost, f"acknowledged orders missing: {lost}"
    regressed = {
        oid: (acked, status[oid])
        for oid, acked in order_status.items()
        if STATUS_RANK.get(status[oid], -1) < STATUS_RANK[acked]
    }
    assert not regressed, f"orders behind their acknowledged state (acked, stored): {regressed}"
    stored_notes: dict[str, list[int]] = {}
    for order_id, note in rows(db_path, "SELECT order_id, note FROM order_items WHERE note LIKE ?", (f"{prefix}-%",)):
        stored_notes.setdefault(note, []).append(order_id)
    missing = [n for n, oid in item_notes.items() if stored_notes.get(n) != [oid]]
    assert not missing, f"acknowledged items missing or misplaced: {missing[:10]} ({len(missing)})"
    phantoms = set(stored_notes) - sent_notes
    assert not phantoms, f"items nobody sent: {sorted(phantoms)[:10]}"
    duplicated = {n: oids for n, oids in stored_notes.items() if len(oids) > 1}
    assert not duplicated, f"items stored twice: {duplicated}"
    unpaid = {iid for (iid,) in rows(db_path, "SELECT id FROM order_items WHERE paid_quantity < quantity")}
    assert not (paid_item_ids & unpaid), f"acknowledged payments lost: {sorted(paid_item_ids & unpaid)}"


def unfinished_print_jobs(db_path: Path) -> int:
    return int(rows(db_path, "SELECT count(*) FROM print_jobs WHERE status IN ('pending', 'printing')")[0][0])


def assert_service_recovered(appliance: Appliance, seeded: Seed, table_id: int, note: str) -> None:
    """Healthy, and a new order with an item goes through (the fault is over and nothing needed a hand)."""
    with httpx.Client(base_url=appliance.base_url, timeout=10.0) as client:
        health = client.get("/api/system/health")
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "ok", health.text
        waiter = seeded.waiters[-1]
        resp = client.post("/api/orders/", json={"table_id": table_id, "guests": 1}, headers=waiter.headers)
        assert resp.status_code == 201, resp.text
        order_id = resp.json()["id"]
        item = {**seeded.item_templates[0], "note": note}
        resp = client.post(f"/api/orders/{order_id}/items", json={"items": [item]}, headers=waiter.headers)
        assert resp.status_code == 201, resp.text
        resp = client.get(f"/api/orders/{order_id}", headers=waiter.headers)
        assert [i["note"] for i in resp.json()["items"]] == [note]


# -- printers and paper -----------------------------------------------------------------------------------------

_CUT = b"\x1dV"
_ORDER = re.compile(r"#(\d+)")


@dataclass(frozen=True)
class PaperTicket:
    """One piece of paper as the tests' decoder reads it: cut, or what a cut-off connection left."""

    printer: str
    connection: int
    lines: tuple[str, ...]
    cut: bool

    @property
    def reprint(self) -> bool:
        return any(line.strip() == "REPRINT" for line in self.lines)

    @property
    def backup(self) -> bool:
        return any(line.strip().startswith("BACKUP") for line in self.lines)

    def order_id(self) -> int | None:
        for line in self.lines:
            if "Order #" in line:
                match = _ORDER.search(line)
                if match:
                    return int(match.group(1))
        return None

    def notes(self, prefix: str) -> list[str]:
        pattern = re.compile(rf"!\s+({re.escape(prefix)}-\S+)")
        return [m.group(1) for line in self.lines if (m := pattern.search(line))]


def split_paper(raw: bytes) -> list[tuple[list[str], bool]]:
    """A connection's bytes as pieces of paper: each cut ends one; bytes after the last cut are a partial one."""
    out: list[tuple[list[str], bool]] = []
    start = 0
    pos = raw.find(_CUT)
    while pos != -1:
        # GS V is 3 or 4 bytes; a false match (those two bytes inside another command) never decodes as a cut.
        end = pos + (3 if pos + 2 < len(raw) and raw[pos + 2] in (0, 1, 48, 49) else 4)
        with contextlib.suppress(UndecodableBytes):
            decoded = decode(raw[start:end])
            if decoded.ends_with_cut and decoded.cuts == 1:
                out.append((decoded.text_lines, True))
                start = end
        pos = raw.find(_CUT, pos + 1)
    tail = raw[start:]
    if any(b >= 0x20 for b in tail):
        lines: list[str] | None = None
        for trim in range(min(len(tail), 64)):  # the connection may have ended inside a command
            try:
                lines = decode(tail[: len(tail) - trim]).text_lines
                break
            except UndecodableBytes:
                continue
        if lines is None:  # nothing decodable: the text runs still show what reached the paper
            lines = [run.decode("latin-1") for run in re.findall(rb"[\x20-\xff]+", tail)]
        if any(line.strip() for line in lines):
            out.append((lines, False))
    return out


@dataclass
class TicketReport:
    tickets: int = 0
    partial: int = 0
    reprints: int = 0
    backups: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged, never on a cut ticket
    unmarked_duplicates: list[str] = field(default_factory=list)  # on paper twice without REPRINT
    misrouted: list[str] = field(default_factory=list)  # on another zone's printer without BACKUP, or wrong order
    phantoms: list[str] = field(default_factory=list)  # printed, never sent
    extra_copies: int = 0  # items on paper more than once (each extra copy must say REPRINT)

    def problems(self) -> dict[str, list[str]]:
        found = {
            "lost": self.lost,
            "duplicated without REPRINT": self.unmarked_duplicates,
            "misrouted": self.misrouted,
            "never sent": self.phantoms,
        }
        return {k: v[:10] for k, v in found.items() if v}


class PrinterRig:
    """Two fake printers on loopback, registered as the Kitchen and Bar zones of a seeded appliance."""

    ZONES = ("Kitchen", "Bar")

    def __init__(self) -> None:
        self.fakes = {zone: FakePrinter(name=zone.lower()) for zone in self.ZONES}
        self.printer_ids: dict[str, int] = {}
        self.zone_of_product: dict[int, int] = {}  # product id -> printer id
        self.stops = 0

    def start(self) -> PrinterRig:
        for fake in self.fakes.values():
            fake.start()
        return self

    def close(self) -> None:
        for fake in self.fakes.values():
            fake.stop()

    def register(self, base_url: str, seeded: Seed) -> None:
        """Create the printers and route each menu category to its own (as a manager would)."""
        with httpx.Client(base_url=base_url, headers=seeded.manager_headers, timeout=30) as http:
            for category in seeded.categories:
                zone = category["name"]
                fake = self.fakes[zone]
                resp = http.post(
                    "/api/printers/", json={"name": f"Fault {zone}", "ip_address": fake.host, "port": fake.port}
                )
                assert resp.status_code == 201, resp.text
                self.printer_ids[zone] = int(resp.json()["id"])
                resp = http.put(
                    f"/api/products/categories/{category['id']}", json={"printer_zone_id": self.printer_ids[zone]}
                )
                assert resp.status_code == 200, resp.text
                for product in seeded.products:
                    if product["category_id"] == category["id"]:
                        self.zone_of_product[int(product["id"])] = self.printer_ids[zone]

    def set_backup(self, base_url: str, seeded: Seed, zone: str, backup: str | None, failover_seconds: int) -> None:
        body = {"backup_printer_id": self.printer_ids[backup] if backup else None, "failover_seconds": failover_seconds}
        resp = httpx.put(
            f"{base_url}/api/printers/{self.printer_ids[zone]}", json=body, headers=seeded.manager_headers, timeout=10
        )
        assert resp.status_code == 200, resp.text

    def kill(self, zone: str, *, mid_ticket: bool = True, timeout: float = 3.0) -> bool:
        """Stop a printer's server (listening socket and any connection); with `mid_ticket`, wait (bounded) for
        a connection in progress first. Returns whether a connection was cut."""
        sim = self.fakes[zone].simulator
        hit = False
        if mid_ticket:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                open_ = [c for c in sim.connections if not c.closed and len(c.raw) > 8]
                if open_:
                    hit = True
                    break
                time.sleep(0.002)
        self.fakes[zone].stop()
        self.stops += 1
        return hit

    def revive(self, zone: str) -> None:
        """Start the printer again on the same port (a printer switched back on)."""
        self.fakes[zone].start()

    def paper(self) -> list[tuple[int, PaperTicket]]:
        """Every piece of paper so far, with the printer id that printed it."""
        out = []
        for zone, fake in self.fakes.items():
            for number, raw in enumerate(fake.connections, 1):
                for lines, cut in split_paper(raw):
                    out.append((self.printer_ids[zone], PaperTicket(zone, number, tuple(lines), cut)))
        return out

    def printed_notes(self, prefix: str) -> set[str]:
        return {note for _, ticket in self.paper() if ticket.cut for note in ticket.notes(prefix)}

    def check(self, ledger: Ledger, prefix: str) -> TicketReport:
        acked = ledger.acked_notes()
        with ledger.lock:
            sent = set(ledger.sent_notes)
            products = dict(ledger.note_product)
        report = TicketReport()
        on_paper: dict[str, list[tuple[int, PaperTicket]]] = {}
        for printer_id, ticket in self.paper():
            notes = ticket.notes(prefix)
            if not notes:
                continue
            report.tickets += 1
            report.partial += not ticket.cut
            report.reprints += ticket.reprint
            report.backups += ticket.backup
            for note in notes:
                on_paper.setdefault(note, []).append((printer_id, ticket))
        report.phantoms = sorted(set(on_paper) - sent)
        for note, order_id in acked.items():
            copies = on_paper.get(note, [])
            if not any(ticket.cut for _, ticket in copies):
                report.lost.append(note)
            originals = [t for _, t in copies if not t.reprint]
            if len(originals) > 1:
                report.unmarked_duplicates.append(f"{note} x{len(originals)}")
            report.extra_copies += max(0, len(copies) - 1)
            zone = self.zone_of_product.get(products.get(note, -1))
            for printer_id, ticket in copies:
                if printer_id != zone and not ticket.backup:
                    report.misrouted.append(f"{note} on {ticket.printer} without BACKUP")
                if ticket.cut and ticket.order_id() != order_id:
                    report.misrouted.append(f"{note} on the ticket of order {ticket.order_id()}, not {order_id}")
        return report

    def wait_printed(self, ledger: Ledger, prefix: str, db_path: Path, timeout: float = 30.0) -> None:
        """Until every acknowledged item is on a cut ticket and the appliance's queue is empty."""

        def done() -> bool:
            missing = set(ledger.acked_notes()) - self.printed_notes(prefix)
            return not missing and unfinished_print_jobs(db_path) == 0

        wait_until(done, timeout, "every acknowledged item on paper and an empty print queue", interval=0.2)


# -- kitchen screens -------------------------------------------------------------------------------------------


class Screen(threading.Thread):
    """A kitchen display on /ws/kitchen: applies the snapshot and events like the KDS app, and reconnects with
    `since=<epoch>:<seq>` whenever its socket drops (bounded backoff)."""

    def __init__(self, name: str, ws_base: str, token: str, zone_ids: list[int], expo: bool) -> None:
        super().__init__(name=f"screen-{name}", daemon=True)
        self.screen_name = name
        self.ws_base = ws_base
        self.token = token
        self.zone_ids = set(zone_ids)
        self.expo = expo
        self.lock = threading.Lock()
        self.tickets: dict[int, dict[str, Any]] = {}
        self.epoch: str | None = None
        self.seq = 0
        self.connects = 0
        self.snapshots = 0
        self.resumes = 0
        self.drops = 0
        self.repeats: list[str] = []  # an event at or below the last applied sequence number
        self.errors: list[str] = []
        self._halt = threading.Event()
        self._ws: ClientConnection | None = None

    def url(self) -> str:
        since = f"&since={self.epoch}:{self.seq}" if self.epoch else ""
        return f"{self.ws_base}/ws/kitchen?token={self.token}{since}"

    def sees(self, zone_id: int | None) -> bool:
        return self.expo or zone_id in self.zone_ids

    def run(self) -> None:
        backoff = 0.05
        while not self._halt.is_set():
            try:
                with connect(self.url(), open_timeout=5, close_timeout=1, max_size=None) as ws:
                    self._ws = ws
                    self.connects += 1
                    backoff = 0.05
                    self._listen(ws)
            except (ConnectionClosed, OSError, InvalidHandshake, TimeoutError) as exc:
                if isinstance(exc, InvalidStatus):
                    self.errors.append(f"handshake refused: {exc}")
                if not self._halt.is_set():
                    self.drops += 1
            except Exception as exc:  # a harness bug must show, not end the thread silently
                self.errors.append(repr(exc))
                return
            finally:
                self._ws = None
            self._halt.wait(backoff)
            backoff = min(backoff * 2, 0.5)

    def _listen(self, ws: ClientConnection) -> None:
        while not self._halt.is_set():
            try:
                raw = ws.recv(timeout=0.2)
            except TimeoutError:
                continue
            self.apply(json.loads(raw))

    def apply(self, message: dict[str, Any]) -> None:
        with self.lock:
            kind = message["type"]
            if kind == "snapshot":
                self.snapshots += 1
                self.epoch, self.seq = message["epoch"], int(message["seq"])
                self.tickets = {int(t["id"]): t for t in message["data"]["tickets"]}
                return
            if kind == "resumed":
                self.resumes += 1
                return
            seq = int(message["seq"])
            if seq <= self.seq:
                self.repeats.append(f"{kind} {seq} after {self.seq}")
                return
            self.seq = seq
            data = message["data"]
            if kind in (
                "kitchen.ticket_new",
                "kitchen.ticket_updated",
                "kitchen.ticket_fired",
                "kitchen.ticket_recalled",
            ):
                self.tickets[int(data["id"])] = data
            elif kind == "kitchen.ticket_bumped":
                self.tickets.pop(int(data["id"]), None)

    @property
    def connected(self) -> bool:
        return self._ws is not None

    def drop(self) -> None:
        """Cut this screen's socket from the client side, abruptly (no close frame): a tablet losing Wi-Fi."""
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(OSError):
                ws.socket.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def showing(self) -> dict[int, list[int]]:
        """Ticket id -> item ids of every ticket on the board (a closed order's unbumped ones included: the
        appliance lists them too, so a live board and a reconnected one agree)."""
        with self.lock:
            return {tid: sorted(int(i["id"]) for i in t["items"]) for tid, t in self.tickets.items()}

    def notes(self) -> set[str]:
        with self.lock:
            return {i["note"] for t in self.tickets.values() for i in t["items"] if i.get("note")}


class Kitchen:
    """Three paired screens (expo, and one per zone), all through one TCP proxy that can cut their sockets."""

    def __init__(self, appliance: Appliance, seeded: Seed, printers: PrinterRig) -> None:
        self.appliance = appliance
        self.seeded = seeded
        self.proxy = TcpProxy("127.0.0.1", appliance.port).start()
        self.screens: list[Screen] = []
        ws_base = f"ws://127.0.0.1:{self.proxy.port}"
        specs: list[tuple[str, list[int], bool]] = [("expo", [], True)] + [
            (zone.lower(), [pid], False) for zone, pid in printers.printer_ids.items()
        ]
        with httpx.Client(base_url=appliance.base_url, headers=seeded.manager_headers, timeout=10) as http:
            for name, zones, expo in specs:
                resp = http.post(
                    "/api/kitchen/screens", json={"name": f"Fault {name}", "zone_ids": zones, "expo": expo}
                )
                assert resp.status_code == 201, resp.text
                self.screens.append(Screen(name, ws_base, resp.json()["token"], zones, expo))
        self.zone_of_product = printers.zone_of_product

    def start(self) -> Kitchen:
        for screen in self.screens:
            screen.start()
        wait_until(lambda: all(s.snapshots for s in self.screens), 10, "every screen's first snapshot")
        return self

    def close(self) -> None:
        for screen in self.screens:
            screen.stop()
        self.proxy.close()

    def wait_connected(self, timeout: float = 10.0) -> None:
        wait_until(lambda: all(s.connected for s in self.screens), timeout, "every screen connected")

    @property
    def reconnects(self) -> int:
        return sum(max(0, s.connects - 1) for s in self.screens)

    def truth(self, screen: Screen) -> dict[int, list[int]]:
        """What the appliance lists for this screen now (its own token as the bearer)."""
        resp = httpx.get(
            f"{self.appliance.base_url}/api/kitchen/tickets",
            headers={"Authorization": f"Bearer {screen.token}"},
            timeout=10,
        )
        assert resp.status_code == 200, resp.text
        return {int(t["id"]): sorted(int(i["id"]) for i in t["items"]) for t in resp.json()}

    def assert_in_step(self, ledger: Ledger, db_path: Path, timeout: float = 10.0) -> None:
        """Every screen shows what the appliance lists for it, including every acknowledged item of the active
        orders of its zones, and never applied an event twice."""
        active = {
            oid for oid, status in rows(db_path, "SELECT id, status FROM orders") if status in ACTIVE_ORDER_STATUSES
        }
        with ledger.lock:
            acked = {n: oid for n, oid in ledger.item_notes.items() if oid in active}
            products = dict(ledger.note_product)
        for screen in self.screens:
            expected_notes = {n for n in acked if screen.sees(self.zone_of_product.get(products.get(n, -1)))}

            def in_step(screen: Screen = screen, expected_notes: set[str] = expected_notes) -> bool:
                return screen.showing() == self.truth(screen) and expected_notes <= screen.notes()

            try:
                wait_until(in_step, timeout, f"screen {screen.screen_name} to match the appliance", interval=0.2)
            except AssertionError:
                shown, truth = screen.showing(), self.truth(screen)
                missing = sorted(expected_notes - screen.notes())[:10]
                extra = sorted(set(shown) - set(truth))[:10]
                absent = sorted(set(truth) - set(shown))[:10]
                raise AssertionError(
                    f"screen {screen.screen_name}: items missing {missing}, tickets not listed by the appliance"
                    f" {extra}, tickets not shown {absent}"
                ) from None
            assert not screen.repeats, f"screen {screen.screen_name} got events twice: {screen.repeats[:5]}"
            assert not screen.errors, f"screen {screen.screen_name}: {screen.errors[:5]}"


# -- a TCP link that can be cut ----------------------------------------------------------------------------------


class TcpProxy:
    """127.0.0.1:port -> target, in threads. `refuse()` closes the listening socket and resets every connection
    (the far side is gone); `blackhole()` keeps accepting but forwards nothing (a dead route: the client times
    out); `drop()` resets the connections only; `restore()` forwards again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.mode = "pass"
        self.accepted = 0
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def start(self) -> TcpProxy:
        self._listen()
        return self

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.1)
        self.port = sock.getsockname()[1]
        self._listener = sock
        self._thread = threading.Thread(target=self._accept, args=(sock,), name="tcp-proxy", daemon=True)
        self._thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            with self._lock:
                self._conns.add(client)
            if self.mode == "blackhole":
                continue  # held open, never answered, until restore() or drop() resets it
            threading.Thread(target=self._pipe, args=(client,), name="tcp-proxy-pipe", daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            self._reset(client)
            return
        with self._lock:
            self._conns.add(upstream)
        pair = {client: upstream, upstream: client}
        try:
            while True:
                readable, _, _ = select.select(list(pair), [], [], 0.5)
                if self._closed:
                    break
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
        except (OSError, ValueError):  # reset meanwhile by drop(): its descriptor is already closed
            pass
        finally:
            self._reset(client)
            self._reset(upstream)

    def _reset(self, sock: socket.socket) -> None:
        with self._lock:
            self._conns.discard(sock)
        with contextlib.suppress(OSError):
            # An RST, not a FIN: the peer learns at once that the connection is gone, as after a cable pull.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        with contextlib.suppress(OSError):
            sock.close()

    def drop(self) -> int:
        with self._lock:
            conns = list(self._conns)
        for sock in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            self._reset(sock)
        return len(conns)

    def refuse(self) -> None:
        self.mode = "refuse"
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.drop()

    def blackhole(self) -> None:
        self.drop()
        self.mode = "blackhole"

    def restore(self) -> None:
        if self._listener is None:
            self._listen()
        self.drop()  # connections held by the blackhole end now, as stale connections do when a route returns
        self.mode = "pass"

    def close(self) -> None:
        self._closed = True
        self.refuse()


# -- the data disk -----------------------------------------------------------------------------------------------


class SmallDisk:
    """A data directory whose free space the test controls.

    Preferred: a tmpfs of `size_mb` mounted on `root/disk` (needs root; CI runs as root): `fill()` writes a
    ballast file until only `headroom` bytes are left, `free()` deletes it. Fallback where mounting is not allowed:
    RLIMIT_FSIZE on the appliance process (prlimit), so no file can grow past the sizes it has now plus
    `headroom` (writes fail with EFBIG), and `free()` lifts the limit. `kind` says which one runs.
    """

    def __init__(self, root: Path, size_mb: int = 8, *, prefer: str | None = None) -> None:
        self.root = root
        self.mount_point = root / "disk"
        self.mount_point.mkdir(parents=True, exist_ok=True)
        self.size_mb = size_mb
        self.kind = "tmpfs"
        self.ballast = self.mount_point / "ballast"
        self.pid: int | None = None
        # FAULTS_DISK=rlimit_fsize runs the fallback where the mount would work (to check the fallback itself).
        prefer = prefer or os.environ.get("FAULTS_DISK", "tmpfs")
        if prefer != "tmpfs" or os.geteuid() != 0 or not self._mount():
            self.kind = "rlimit_fsize"

    @property
    def data_dir(self) -> Path:
        return self.mount_point / "data"

    def _mount(self) -> bool:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0700", "tmpfs", str(self.mount_point)],
            capture_output=True,
            timeout=10,
            check=False,
        )
        return result.returncode == 0

    def close(self) -> None:
        if self.kind == "tmpfs":
            result = subprocess.run(["umount", str(self.mount_point)], capture_output=True, timeout=10, check=False)
            if result.returncode != 0:
                subprocess.run(["umount", "-l", str(self.mount_point)], capture_output=True, timeout=10, check=False)

    def free_bytes(self) -> int:
        stat = os.statvfs(self.mount_point)
        return stat.f_bavail * stat.f_frsize

    def fill(self, pid: int, headroom: int = 64 * 1024) -> None:
        self.pid = pid
        if self.kind == "tmpfs":
            chunk = b"\0" * 65536
            with self.ballast.open("wb") as fh:
                while self.free_bytes() > headroom + len(chunk):
                    fh.write(chunk)
                    fh.flush()
                rest = self.free_bytes() - headroom
                if rest > 0:
                    fh.write(b"\0" * rest)
            return
        largest = max((p.stat().st_size for p in self.data_dir.glob("pos.db*")), default=0)
        # The soft limit only: lowering the hard one could not be undone without CAP_SYS_RESOURCE.
        _, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (largest + headroom, hard))

    def free(self) -> None:
        if self.kind == "tmpfs":
            self.ballast.unlink(missing_ok=True)
        elif self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                _, hard = resource.prlimit(self.pid, resource.RLIMIT_FSIZE)
                resource.prlimit(self.pid, resource.RLIMIT_FSIZE, (hard, hard))


# -- the cloud -------------------------------------------------------------------------------------------------


def license_status(base_url: str, seeded: Seed, *, sync: bool = False, timeout: float = 20.0) -> dict[str, Any]:
    """GET /api/license, or POST /api/license/sync (a heartbeat now), as the manager."""
    with httpx.Client(base_url=base_url, headers=seeded.manager_headers, timeout=timeout) as http:
        resp = http.post("/api/license/sync") if sync else http.get("/api/license")
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


# -- figures -------------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What a fault test prints at its end (and the soak totals)."""

    fault: str
    faults_injected: int = 0
    orders: int = 0
    items: int = 0
    writes_acked: int = 0
    lost: int = 0
    duplicates_unmarked: int = 0
    reprints: int = 0
    backups: int = 0
    tickets: int = 0
    retried_errors: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def take(self, ledger: Ledger, report: TicketReport | None = None) -> Figures:
        with ledger.lock:
            self.orders = len(ledger.order_status)
            self.items = len(ledger.item_notes)
            self.writes_acked = ledger.writes_acked
            self.retried_errors = dict(ledger.errors)
        if report is not None:
            self.lost = len(report.lost)
            self.duplicates_unmarked = len(report.unmarked_duplicates)
            self.reprints = report.reprints
            self.backups = report.backups
            self.tickets = report.tickets
        return self

    def line(self) -> str:
        parts = [
            f"fault={self.fault}",
            f"injected={self.faults_injected}",
            f"orders={self.orders}",
            f"items={self.items}",
            f"writes_acked={self.writes_acked}",
            f"tickets={self.tickets}",
            f"lost={self.lost}",
            f"duplicates_unmarked={self.duplicates_unmarked}",
            f"reprints={self.reprints}",
            f"backup_tickets={self.backups}",
            f"retried_errors={sum(self.retried_errors.values())}",
        ]
        parts += [f"{k}={v}" for k, v in self.extra.items()]
        parts.append(f"seconds={time.perf_counter() - self.started:.1f}")
        return "FAULT FIGURES " + " ".join(parts)

    def show(self) -> None:
        print("\n" + self.line(), flush=True)
        if self.retried_errors:
            print(f"  retried errors by kind: {self.retried_errors}", flush=True)


# -- a whole site -----------------------------------------------------------------------------------------------


class Site:
    """An appliance with its printers and kitchen screens, seeded for a rush; `close()` ends all of it."""

    def __init__(
        self,
        data_dir: Path,
        *,
        waiters: int,
        tables: int,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        screens: bool = True,
    ) -> None:
        self.printers = PrinterRig().start()
        self.kitchen: Kitchen | None = None
        self.appliance = Appliance(data_dir, env={**TEST_ENV, **FAST_PRINTING_ENV, **(env or {})})
        if log_path is not None:  # e.g. off a data disk that is about to be full
            self.appliance.log_path = log_path
        try:
            self.appliance.start()
            self.seeded = seed(self.appliance.base_url, waiters=waiters, tables=tables)
            self.printers.register(self.appliance.base_url, self.seeded)
            if screens:
                self.kitchen = Kitchen(self.appliance, self.seeded, self.printers).start()
        except BaseException:
            self.close()
            raise

    @property
    def db_path(self) -> Path:
        return self.appliance.db_path

    def close(self) -> None:
        if self.kitchen is not None:
            self.kitchen.close()
        self.appliance.stop()
        self.printers.close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
