"""`make demo` end to end: deploy/demo.py starts the cloud, registers the demo site, and the appliance comes up
licensed by it (a real heartbeat and a signed lease), takes an order, and everything stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.appliance import REPO_ROOT, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]


def _poll(check: Any, *, timeout: float, what: str, proc: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"demo exited ({proc.returncode}) before {what}:\n{log.read_text()[-3000:]}")
        try:
            value = check()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


def _run_demo(data: Path, log: Path, ports: dict[str, int]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEMO_DIR": str(data),
        "DEMO_HOST": "127.0.0.1",
        "DEMO_APPLIANCE_PORT": str(ports["appliance"]),
        "DEMO_CLOUD_PORT": str(ports["cloud"]),
        "DEMO_PRINTER_PORTS": f"{ports['kitchen']},{ports['bar']}",
    }
    for leaked in ("DATABASE_URL", "SITE_ID", "SITE_KEY", "CLOUD_URL", "LICENSE_PUBLIC_KEYS", "SECRET_KEY"):
        env.pop(leaked, None)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "deploy/demo.py"], cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        raise


def test_the_demo_runs_licensed_by_its_own_cloud_and_stops_cleanly(tmp_path: Path) -> None:
    data, log = tmp_path / "demo", tmp_path / "demo.log"
    ports = {name: free_port() for name in ("appliance", "cloud", "kitchen", "bar")}
    base, cloud = f"http://127.0.0.1:{ports['appliance']}", f"http://127.0.0.1:{ports['cloud']}"

    proc = _run_demo(data, log, ports)
    try:
        with httpx.Client(timeout=5) as http:

            def manager_token() -> str | None:
                resp = http.post(f"{base}/api/auth/login", json={"username": "manager", "pin": "1234"})
                return resp.json()["access_token"] if resp.status_code == 200 else None

            token = _poll(manager_token, timeout=90, what="the appliance", proc=proc, log=log)
            manager = {"Authorization": f"Bearer {token}"}

            def licensed() -> dict[str, Any] | None:
                body: dict[str, Any] = http.get(f"{base}/api/license", headers=manager).json()
                return body if body["state"] == "active" else None

            license_ = _poll(licensed, timeout=30, what="an active license from the cloud", proc=proc, log=log)
            site = json.loads((data / "site.json").read_text())
            assert license_["site_id"] == site["site_id"]
            assert license_["configured"] is True
            assert license_["last_heartbeat_at"] is not None

            admin = http.post(f"{cloud}/api/auth/login", json={"username": "admin", "password": "tavolo-admin"})
            admin.raise_for_status()
            detail = http.get(
                f"{cloud}/api/sites/{site['site_id']}",
                headers={"Authorization": f"Bearer {admin.json()['access_token']}"},
            ).json()
            assert detail["status"] == "active"
            assert detail["heartbeat_count"] >= 1

            # A licensed appliance takes orders: open one on the first demo table.
            table = http.get(f"{base}/api/tables/", headers=manager).json()[0]
            opened = http.post(f"{base}/api/orders/", headers=manager, json={"table_id": table["id"], "guests": 2})
            assert opened.status_code == 201, opened.text
    finally:
        code = _stop(proc)
    assert code == 0, log.read_text()[-3000:]

    # A second run reuses the registered site (its secret is shown only once) and starts as cleanly.
    first_site = json.loads((data / "site.json").read_text())
    proc = _run_demo(data, log, ports)
    try:
        with httpx.Client(timeout=5) as http:
            _poll(
                lambda: http.get(f"{base}/api/system/health").status_code == 200,
                timeout=90,
                what="the appliance again",
                proc=proc,
                log=log,
            )
    finally:
        assert _stop(proc) == 0
    assert json.loads((data / "site.json").read_text()) == first_site
