"""The fault suite, long form: `python -m tests.reliability.soak --minutes 10` (or `make soak`).

One site runs a continuous rush for N minutes (waiter threads with a ledger, three kitchen screens behind a
cuttable link, two fake printers with the kitchen's failing over to the bar's, a real cloud behind a cuttable
link, the data directory on a small disk) while faults are injected one after another in random order: kill -9
of the appliance (restarted on the same data), a printer switched off mid-ticket, the screens' sockets dropped or
cut for a while, the cloud refused or silently unreachable, the data disk filled to its last bytes. After each
fault the service must recover by itself (healthy, orders acknowledged again within a bounded time); at the end
every check of the short form runs on everything the run acknowledged, and the totals are printed (and written
to bench-results/soak-<ts>.json).

Exit status: 0 when every check passed, 1 when one failed (the message says which), 2 when the run broke.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from shared.clock import utcnow
from tests.cloud_backend.support import CloudProcess, admin_login
from tests.reliability.faults import (
    Figures,
    Rush,
    Site,
    SmallDisk,
    TcpProxy,
    assert_acknowledged_writes_are_in_the_file,
    assert_service_recovered,
    license_status,
    wait_until,
)
from tests.support.appliance import REPO_ROOT

PREFIX = "sk"
WAITERS = 4
TABLES_PER_WAITER = 25
CLOUD_ADMIN = ("root", "correct-horse-battery-staple")
RECOVERY_SECONDS = 30.0


class Soak:
    def __init__(self, root: Path, minutes: float, rng: random.Random, disk_mb: int) -> None:
        self.root = root
        self.minutes = minutes
        self.rng = rng
        self.injected: Counter[str] = Counter()
        self.figures = Figures("soak")
        self.disk = SmallDisk(root, size_mb=disk_mb)
        self.cloud: CloudProcess | None = None
        self.cloud_proxy: TcpProxy | None = None
        self.site: Site | None = None
        self.rush: Rush | None = None
        self.heartbeats_recovered = 0

    # -- setup -------------------------------------------------------------------------------------------------

    def start(self) -> None:
        env = {"ADMIN_USERNAME": CLOUD_ADMIN[0], "ADMIN_PASSWORD": CLOUD_ADMIN[1]}
        # Every cloud fault ends with a manual sync: the default per-site limit (12/min) is for real sites.
        env["HEARTBEAT_RATE_LIMIT_PER_MINUTE"] = "1000"
        self.cloud = CloudProcess(f"sqlite:///{self.root / 'cloud.db'}", self.root / "cloud.log", env=env)
        self.cloud.__enter__()
        admin = admin_login(self.cloud.base_url, *CLOUD_ADMIN)
        with httpx.Client(base_url=self.cloud.base_url, headers=admin, timeout=10) as sysadmin:
            body = {
                "name": "Soak taverna",
                "owner_name": "Nikos",
                "contact_email": "nikos@example.com",
                "license_expires_at": (utcnow() + timedelta(days=30)).isoformat(),
            }
            registered = sysadmin.post("/api/sites/", json=body).raise_for_status().json()
            jwks = sysadmin.get("/.well-known/jwks.json").raise_for_status().text
        self.cloud_proxy = TcpProxy("127.0.0.1", self.cloud.port).start()
        site_env = {
            "SITE_ID": registered["site_id"],
            "SITE_KEY": registered["secret_key"],
            "CLOUD_URL": f"http://127.0.0.1:{self.cloud_proxy.port}",
            "LICENSE_PUBLIC_KEYS": jwks,
        }
        tables = WAITERS * TABLES_PER_WAITER + 5
        self.site = Site(
            self.disk.data_dir, waiters=WAITERS, tables=tables, env=site_env, log_path=self.root / "appliance.log"
        )
        self.site.printers.set_backup(
            self.site.appliance.base_url, self.site.seeded, "Kitchen", "Bar", failover_seconds=2
        )
        url, seeded = self.site.appliance.base_url, self.site.seeded
        wait_until(lambda: license_status(url, seeded)["state"] == "active", 20, "the first heartbeat")
        # A short pause per write keeps the data disk's growth (and the paper to check) bounded over many minutes.
        self.rush = Rush(
            url, seeded, waiters=WAITERS, tables_per_waiter=TABLES_PER_WAITER, prefix=PREFIX, pause=0.02
        ).start()
        self.rush.wait_for(items=20)

    def close(self) -> None:
        if self.rush is not None:
            self.rush.stop(grace=5)
        if self.site is not None:
            self.site.close()
        if self.cloud_proxy is not None:
            self.cloud_proxy.close()
        if self.cloud is not None:
            self.cloud.stop()
        self.disk.close()

    # -- faults --------------------------------------------------------------------------------------------------

    @property
    def live(self) -> tuple[Site, Rush]:
        assert self.site is not None
        assert self.rush is not None
        return self.site, self.rush

    def kill9(self) -> None:
        site, rush = self.live
        site.appliance.kill9()
        assert_acknowledged_writes_are_in_the_file(site.db_path, rush.ledger, PREFIX)
        time.sleep(self.rng.uniform(0, 1.5))  # the appliance stays down a while: writes queue up on the phones
        site.appliance.restart(same_port=True)

    def printer(self) -> None:
        site, _ = self.live
        zone = self.rng.choice(["Kitchen", "Bar"])
        site.printers.kill(zone)
        # Sometimes longer than the kitchen printer's failover time, so its queue moves to the bar (BACKUP).
        time.sleep(self.rng.uniform(0.3, 4.0))
        site.printers.revive(zone)

    def kds(self) -> None:
        site, _ = self.live
        kitchen = site.kitchen
        assert kitchen is not None
        how = self.rng.choice(["network", "tablets", "outage"])
        if how == "network":
            kitchen.proxy.drop()
        elif how == "tablets":
            for screen in kitchen.screens:
                screen.drop()
        else:
            kitchen.proxy.refuse()
            time.sleep(self.rng.uniform(0.5, 3.0))
            kitchen.proxy.restore()

    def cloud_cut(self) -> None:
        site, _ = self.live
        proxy = self.cloud_proxy
        assert proxy is not None
        url, seeded = site.appliance.base_url, site.seeded
        if self.rng.random() < 0.5:
            proxy.refuse()
        else:
            proxy.blackhole()
        hung: dict[str, Any] = {}
        syncing = threading.Thread(target=lambda: hung.update(license_status(url, seeded, sync=True)), daemon=True)
        syncing.start()
        time.sleep(self.rng.uniform(0.5, 3.0))
        proxy.restore()
        syncing.join(timeout=15)
        assert not syncing.is_alive(), "a heartbeat hung past its timeout"
        assert hung.get("allows_orders"), hung
        status = license_status(url, seeded, sync=True)
        assert status["last_error"] is None, status
        assert status["state"] == "active", status
        self.heartbeats_recovered += 1

    def disk_full(self) -> None:
        site, rush = self.live
        before = rush.ledger.error_count()
        self.disk.fill(site.appliance.pid, headroom=self.rng.choice([16, 64, 256]) * 1024)
        try:
            wait_until(lambda: rush.ledger.error_count() > before, 20, "writes to fail on the full disk")
            time.sleep(self.rng.uniform(0.2, 2.0))
            assert site.appliance.running, "the appliance died on a full disk:\n" + site.appliance.log_tail()
        finally:
            self.disk.free()

    # -- the run ---------------------------------------------------------------------------------------------

    def recovered(self) -> None:
        """The service came back by itself: healthy and acknowledging writes again."""
        site, rush = self.live
        assert site.appliance.running, site.appliance.log_tail()
        rush.wait_for(items=10, timeout=RECOVERY_SECONDS)
        health = httpx.get(site.appliance.url("/api/system/health"), timeout=5)
        assert health.status_code == 200, health.text
        assert not rush.ledger.unexpected, rush.ledger.unexpected[:10]

    def run(self) -> Figures:
        faults: dict[str, Callable[[], None]] = {
            "kill9": self.kill9,
            "printer_stop": self.printer,
            "kds_drop": self.kds,
            "cloud_cut": self.cloud_cut,
            "disk_full": self.disk_full,
        }
        deadline = time.monotonic() + self.minutes * 60
        names = list(faults)
        while time.monotonic() < deadline:
            name = self.rng.choice(names)
            faults[name]()
            self.injected[name] += 1
            self.recovered()
            done = sum(self.injected.values())
            left = max(0.0, deadline - time.monotonic())
            print(f"soak: {done} faults ({dict(self.injected)}), {left:.0f}s left", flush=True)
        return self.verify()

    def verify(self) -> Figures:
        site, rush = self.live
        rush.stop()
        ledger = rush.ledger
        assert not ledger.unexpected, ledger.unexpected[:10]
        assert_acknowledged_writes_are_in_the_file(site.db_path, ledger, PREFIX)
        site.printers.wait_printed(ledger, PREFIX, site.db_path, timeout=60)
        report = site.printers.check(ledger, PREFIX)
        figures = self.figures.take(ledger, report)
        figures.faults_injected = sum(self.injected.values())
        figures.extra["by_fault"] = dict(self.injected)
        figures.extra["disk"] = self.disk.kind
        figures.extra["heartbeats_recovered"] = self.heartbeats_recovered
        if site.kitchen is not None:
            site.kitchen.assert_in_step(ledger, site.db_path, timeout=30)
            figures.extra["kds_reconnects"] = site.kitchen.reconnects
        figures.extra["db_mb"] = round(sum(p.stat().st_size for p in site.db_path.parent.glob("pos.db*")) / 1e6, 1)
        assert not report.problems(), report.problems()
        assert_service_recovered(site.appliance, site.seeded, site.seeded.tables[-1]["id"], f"{PREFIX}-after")
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to inject faults (10)")
    parser.add_argument("--seed", type=int, default=None, help="random seed, to replay a run's order of faults")
    parser.add_argument("--disk-mb", type=int, default=512, help="size of the data disk (tmpfs) in MB (512)")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory (logs, databases)")
    args = parser.parse_args(argv)
    seed_value = args.seed if args.seed is not None else random.randrange(1 << 30)
    root = Path(tempfile.mkdtemp(prefix="tavolo-soak-"))
    print(f"soak: {args.minutes:g} minutes, seed {seed_value}, in {root}", flush=True)
    soak = Soak(root, args.minutes, random.Random(seed_value), args.disk_mb)
    status = 0
    try:
        soak.start()
        figures = soak.run()
    except AssertionError as exc:
        print(f"soak: FAILED after {dict(soak.injected)}: {exc}", file=sys.stderr, flush=True)
        status = 1
    except Exception:
        traceback.print_exc()
        print("soak: the run broke (see above)", file=sys.stderr, flush=True)
        status = 2
    finally:
        soak.close()
        if status == 0 and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"soak: kept {root} (appliance.log, cloud.log)", flush=True)
    if status:
        return status
    figures.extra["seed"] = seed_value
    figures.show()
    out = REPO_ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"soak-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(vars(figures) | {"line": figures.line()}, indent=2, default=str) + "\n")
    print(f"JSON: {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
