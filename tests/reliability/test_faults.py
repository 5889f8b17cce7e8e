"""The fault suite, short form (runs in `make test`; the long form is `make soak`, see soak.py).

Each test runs a rush against a real appliance process (waiter threads with a ledger of acknowledged writes and
their Idempotency-Keys, three kitchen screens on /ws/kitchen, two fake ESC/POS printers on loopback), injects one
fault in the middle of it, lets the service recover on its own, and then checks, from the database file, the paper
and the screens: every acknowledged order and item is there, every acknowledged item is on a cut kitchen ticket,
a second copy only ever says REPRINT (a ticket on the backup printer says BACKUP), and a new order goes through.
Each prints its figures (`FAULT FIGURES ...`; `pytest -s` shows them).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from local_backend.printing.tickets import KitchenTicket, TicketItem, TicketMark, render_kitchen_ticket
from shared.clock import utcnow
from tests.cloud_backend.support import CloudProcess, admin_login
from tests.reliability.faults import (
    Figures,
    Ledger,
    PrinterRig,
    Rush,
    Site,
    SmallDisk,
    TcpProxy,
    assert_acknowledged_writes_are_in_the_file,
    assert_service_recovered,
    license_status,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

WAITERS = 4
TABLES_PER_WAITER = 25
TABLES = WAITERS * TABLES_PER_WAITER + 5
CLOUD_ADMIN = ("root", "correct-horse-battery-staple")


def start_rush(site: Site, prefix: str) -> Rush:
    return Rush(
        site.appliance.base_url, site.seeded, waiters=WAITERS, tables_per_waiter=TABLES_PER_WAITER, prefix=prefix
    ).start()


def finish(site: Site, rush: Rush, figures: Figures, prefix: str) -> None:
    """Stop the rush and check everything the suite promises; print the figures."""
    rush.stop()
    ledger = rush.ledger
    assert not ledger.unexpected, ledger.unexpected[:10]
    assert_acknowledged_writes_are_in_the_file(site.db_path, ledger, prefix)
    site.printers.wait_printed(ledger, prefix, site.db_path)
    report = site.printers.check(ledger, prefix)
    figures.take(ledger, report)
    if site.kitchen is not None:
        site.kitchen.assert_in_step(ledger, site.db_path)
        figures.extra["kds_reconnects"] = site.kitchen.reconnects
        figures.extra["kds_resumed"] = sum(s.resumes for s in site.kitchen.screens)
        figures.extra["kds_snapshots"] = sum(s.snapshots for s in site.kitchen.screens)
    figures.extra["write_p99_ms"] = ledger.p99_ms()
    figures.show()
    assert not report.problems(), report.problems()
    spare = site.seeded.tables[-1]["id"]
    assert_service_recovered(site.appliance, site.seeded, spare, f"{prefix}-after")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with Site(tmp_path / "data", waiters=WAITERS, tables=TABLES) as started:
        yield started


class TestKillNineDuringARush:
    def test_acknowledged_orders_survive_and_every_ticket_prints_once_or_says_reprint(self, site: Site) -> None:
        prefix = "fk"
        figures = Figures("kill9")
        rush = start_rush(site, prefix)
        rush.wait_for(items=30)
        time.sleep(random.uniform(0.05, 0.8))
        site.appliance.kill9()
        figures.faults_injected += 1
        # The file alone, before the appliance touches it again.
        assert_acknowledged_writes_are_in_the_file(site.db_path, rush.ledger, prefix)
        figures.extra["restart_s"] = round(site.appliance.restart(same_port=True), 2)
        # The waiters resend what the kill cut off, with the same keys, and carry on.
        rush.wait_for(items=30)
        finish(site, rush, figures, prefix)
        assert rush.ledger.error_count() > 0, "the kill interrupted no request: the rush was not under way"


class TestPrinterStoppedMidTicket:
    def test_no_ticket_is_lost_and_a_second_copy_says_reprint(self, site: Site) -> None:
        prefix = "fp"
        figures = Figures("printer_stop")
        rush = start_rush(site, prefix)
        cut_mid_ticket = 0
        for zone, down in (("Kitchen", 1.5), ("Bar", 1.0), ("Kitchen", 0.5)):
            rush.wait_for(items=10)
            cut_mid_ticket += site.printers.kill(zone)
            figures.faults_injected += 1
            time.sleep(down)
            site.printers.revive(zone)
        rush.wait_for(items=10)
        figures.extra["cut_mid_ticket"] = cut_mid_ticket
        finish(site, rush, figures, prefix)
        assert rush.ledger.error_count() == 0, f"printer trouble made order writes fail: {rush.ledger.errors}"

    def test_with_a_backup_printer_the_tickets_move_there_marked_backup(self, site: Site) -> None:
        prefix = "fb"
        figures = Figures("printer_failover")
        site.printers.set_backup(site.appliance.base_url, site.seeded, "Kitchen", "Bar", failover_seconds=1)
        rush = start_rush(site, prefix)
        rush.wait_for(items=10)
        site.printers.kill("Kitchen")
        figures.faults_injected += 1
        # Down longer than its failover time: its queue goes to the bar printer, marked BACKUP.
        wait_until(lambda: any(t.backup for _, t in site.printers.paper()), 15, "a BACKUP ticket on the bar printer")
        rush.wait_for(items=10)
        site.printers.revive("Kitchen")
        rush.wait_for(items=10)
        finish(site, rush, figures, prefix)
        assert figures.backups > 0
        assert rush.ledger.error_count() == 0, f"printer trouble made order writes fail: {rush.ledger.errors}"


class TestKitchenSocketsDropped:
    def test_screens_reconnect_and_end_with_every_ticket_while_orders_flow(self, site: Site) -> None:
        prefix = "fw"
        figures = Figures("kds_drop")
        kitchen = site.kitchen
        assert kitchen is not None
        rush = start_rush(site, prefix)
        for round_ in range(4):
            rush.wait_for(items=15)
            kitchen.wait_connected()
            if round_ % 2 == 0:
                dropped = kitchen.proxy.drop()  # the network between screens and appliance resets
                assert dropped, "no screen socket was open"
            else:
                for screen in kitchen.screens:  # each tablet drops its own socket
                    screen.drop()
            figures.faults_injected += 1
        rush.wait_for(items=15)
        kitchen.wait_connected()
        # One outage long enough for events to pile up while no screen is connected.
        kitchen.proxy.refuse()
        rush.wait_for(items=15)
        kitchen.proxy.restore()
        figures.faults_injected += 1
        rush.wait_for(items=10)
        finish(site, rush, figures, prefix)
        assert kitchen.reconnects >= 3 * figures.faults_injected, kitchen.reconnects
        assert rush.ledger.error_count() == 0, f"dropped screens made order writes fail: {rush.ledger.errors}"


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[CloudProcess]:
    env = {"ADMIN_USERNAME": CLOUD_ADMIN[0], "ADMIN_PASSWORD": CLOUD_ADMIN[1]}
    with CloudProcess(f"sqlite:///{tmp_path / 'cloud.db'}", tmp_path / "cloud.log", env=env) as started:
        yield started


def register_site(cloud: CloudProcess) -> tuple[dict[str, Any], str]:
    """A licensed site in the real cloud, and the cloud's lease keys (the appliance's trust anchors)."""
    admin = admin_login(cloud.base_url, *CLOUD_ADMIN)
    with httpx.Client(base_url=cloud.base_url, headers=admin, timeout=10) as sysadmin:
        body = {
            "name": "Fault taverna",
            "owner_name": "Nikos",
            "contact_email": "nikos@example.com",
            "license_expires_at": (utcnow() + timedelta(days=30)).isoformat(),
        }
        resp = sysadmin.post("/api/sites/", json=body)
        assert resp.status_code == 201, resp.text
        jwks = sysadmin.get("/.well-known/jwks.json")
        assert jwks.status_code == 200, jwks.text
    return resp.json(), jwks.text


class TestCloudCut:
    def test_orders_keep_flowing_and_heartbeats_recover_when_the_cloud_returns(
        self, cloud: CloudProcess, tmp_path: Path
    ) -> None:
        prefix = "fc"
        figures = Figures("cloud_cut")
        registered, jwks = register_site(cloud)
        proxy = TcpProxy("127.0.0.1", cloud.port).start()
        env = {
            "SITE_ID": registered["site_id"],
            "SITE_KEY": registered["secret_key"],
            "CLOUD_URL": f"http://127.0.0.1:{proxy.port}",
            "LICENSE_PUBLIC_KEYS": jwks,
        }
        try:
            with Site(tmp_path / "data", waiters=WAITERS, tables=TABLES, env=env, screens=False) as site:
                url, seeded = site.appliance.base_url, site.seeded
                wait_until(lambda: license_status(url, seeded)["state"] == "active", 15, "the first heartbeat")
                before = license_status(url, seeded)["last_heartbeat_at"]
                rush = start_rush(site, prefix)
                rush.wait_for(items=10)

                proxy.refuse()  # the cloud's host is gone: connections refused
                figures.faults_injected += 1
                failed = license_status(url, seeded, sync=True)
                assert failed["last_error"], failed
                assert failed["allows_orders"], failed
                rush.wait_for(items=15)

                proxy.restore()
                proxy.blackhole()  # a dead route: the heartbeat hangs until its timeout
                figures.faults_injected += 1
                hanging: dict[str, Any] = {}
                syncing = threading.Thread(
                    target=lambda: hanging.update(license_status(url, seeded, sync=True)), daemon=True
                )
                syncing.start()
                items_before = len(rush.ledger.item_notes)
                rush.wait_for(items=20)  # while the heartbeat hangs, orders still go through
                figures.extra["items_during_hung_heartbeat"] = len(rush.ledger.item_notes) - items_before

                proxy.restore()  # the route is back; the hung connection is reset
                syncing.join(timeout=15)
                assert not syncing.is_alive()
                assert hanging["last_error"], hanging
                assert hanging["allows_orders"], hanging
                recovered = license_status(url, seeded, sync=True)
                assert recovered["last_error"] is None, recovered
                assert recovered["state"] == "active", recovered
                assert recovered["last_heartbeat_at"] > before
                rush.wait_for(items=10)
                figures.extra["heartbeat_recovered"] = True
                finish(site, rush, figures, prefix)
            assert rush.ledger.error_count() == 0, f"the cloud cut made order writes fail: {rush.ledger.errors}"
        finally:
            proxy.close()


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    small = SmallDisk(tmp_path, size_mb=8)
    try:
        yield small
    finally:
        small.close()


class TestDataDiskFull:
    def test_writes_are_refused_with_a_code_nothing_acknowledged_is_lost_and_it_recovers_alone(
        self, disk: SmallDisk, tmp_path: Path
    ) -> None:
        prefix = "fd"
        figures = Figures("disk_full")
        figures.extra["disk"] = disk.kind
        with (
            Site(disk.data_dir, waiters=WAITERS, tables=TABLES, log_path=tmp_path / "appliance.log") as site,
        ):
            rush = start_rush(site, prefix)
            rush.wait_for(items=10)
            disk.fill(site.appliance.pid)
            figures.faults_injected += 1
            wait_until(lambda: rush.ledger.error_count() >= 5, 20, "writes to fail on the full disk")
            time.sleep(0.5)
            assert site.appliance.running, site.appliance.log_tail()
            health = httpx.get(site.appliance.url("/api/system/health"), timeout=5)
            assert health.status_code == 200, health.text
            disk.free()
            rush.wait_for(items=20)  # the waiters' resent writes and new ones go through: no restart needed
            finish(site, rush, figures, prefix)
        refused = {kind for kind in rush.ledger.errors if kind.startswith("HTTP")}
        assert refused, rush.ledger.errors
        assert all(kind.split()[1] in ("503", "507") for kind in refused), refused


class TestThePaperCheck:
    """The checks above would catch what they claim to: a second unmarked copy, a ticket cut off mid-way."""

    @staticmethod
    def ticket(note: str, *, reprint: bool = False) -> bytes:
        items = [TicketItem(quantity=1, name="Moussaka", note=note)]
        ticket = KitchenTicket("Fault Kitchen", "T1", "Maria", 7, utcnow(), TicketMark.NEW, items, reprint=reprint)
        return render_kitchen_ticket(ticket).data

    @staticmethod
    def rig_with(*sends: bytes) -> PrinterRig:
        rig = PrinterRig().start()
        rig.printer_ids = {"Kitchen": 1, "Bar": 2}
        rig.zone_of_product = {11: 1}
        fake = rig.fakes["Kitchen"]
        for data in sends:
            with socket.create_connection((fake.host, fake.port), timeout=5) as conn:
                conn.sendall(data)
        fake.wait_for_connections(len(sends))
        return rig

    @staticmethod
    def ledger() -> Ledger:
        ledger = Ledger()
        ledger.item_notes["px-1"] = 7
        ledger.note_product["px-1"] = 11
        ledger.sent_notes.add("px-1")
        return ledger

    def test_a_second_copy_without_reprint_is_reported_and_one_with_it_is_not(self) -> None:
        data = self.ticket("px-1")
        twice = self.rig_with(data, data)
        marked = self.rig_with(data, self.ticket("px-1", reprint=True))
        try:
            assert twice.check(self.ledger(), "px").unmarked_duplicates == ["px-1 x2"]
            report = marked.check(self.ledger(), "px")
            assert report.problems() == {}
            assert (report.tickets, report.reprints) == (2, 1)
        finally:
            twice.close()
            marked.close()

    def test_a_ticket_cut_off_before_its_cut_counts_as_lost(self) -> None:
        data = self.ticket("px-1")
        rig = self.rig_with(data[: len(data) - 12])
        try:
            report = rig.check(self.ledger(), "px")
            assert report.lost == ["px-1"]
            assert report.partial == 1
        finally:
            rig.close()
