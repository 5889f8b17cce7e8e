"""`make demo`: the whole system on this machine with demo data.

Starts the licensing cloud (:8001), registers the demo restaurant there (once), then the appliance (:8000) on a
demo database in ./data/demo, licensed by that local cloud: it trusts the cloud's signing keys and heartbeats to
it. Prints where to go and how to log in, and stops everything on Ctrl-C (or SIGTERM).

DEMO_DIR, DEMO_HOST, DEMO_APPLIANCE_PORT, DEMO_CLOUD_PORT and DEMO_PRINTER_PORTS (two, comma-separated) move it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLOUD_ADMIN = ("admin", "tavolo-admin")
SITE_NAME = "Taverna Tavolo"


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:  # noqa: S310 - our own loopback URL
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not become healthy within {timeout:.0f}s")


def _call(url: str, *, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    request = urllib.request.Request(url, method="POST" if body is not None else "GET")  # noqa: S310 - loopback
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data=data, timeout=10) as resp:  # noqa: S310 - our own loopback URL
        return json.loads(resp.read() or b"null")


def license_env(cloud_url: str, data_dir: Path) -> dict[str, str]:
    """The appliance's licensing settings for the demo: the local cloud's keys and the demo site's credentials.

    The site is registered once (a year paid) and its secret kept in data_dir/site.json: the cloud shows a secret
    only when it is created. A site.json the cloud no longer knows (its database was deleted) is registered again.
    """
    token = _call(f"{cloud_url}/api/auth/login", body={"username": CLOUD_ADMIN[0], "password": CLOUD_ADMIN[1]})[
        "access_token"
    ]
    saved = data_dir / "site.json"
    site: dict[str, str] | None = json.loads(saved.read_text()) if saved.is_file() else None
    if site is not None:
        try:
            _call(f"{cloud_url}/api/sites/{site['site_id']}", token=token)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise
            site = None
    if site is None:
        created = _call(
            f"{cloud_url}/api/sites/",
            token=token,
            body={
                "name": SITE_NAME,
                "owner_name": "Demo Owner",
                "contact_email": "owner@taverna.example",
                "license_expires_at": (datetime.now(UTC) + timedelta(days=365)).isoformat(),
            },
        )
        site = {"site_id": created["site_id"], "site_key": created["secret_key"]}
        saved.write_text(json.dumps(site))
        saved.chmod(0o600)
    jwks = _call(f"{cloud_url}/.well-known/jwks.json")
    return {
        "SITE_ID": site["site_id"],
        "SITE_KEY": site["site_key"],
        "CLOUD_URL": cloud_url,
        "LICENSE_PUBLIC_KEYS": json.dumps(jwks),
    }


def main() -> int:
    data = Path(os.environ.get("DEMO_DIR", ROOT / "data" / "demo")).resolve()
    data.mkdir(parents=True, exist_ok=True)
    host = os.environ.get("DEMO_HOST", "0.0.0.0")  # noqa: S104 - phones on the LAN should reach the demo
    port = int(os.environ.get("DEMO_APPLIANCE_PORT", "8000"))
    cloud_port = int(os.environ.get("DEMO_CLOUD_PORT", "8001"))
    printer_ports = [int(p) for p in os.environ.get("DEMO_PRINTER_PORTS", "9101,9102").split(",")]
    cloud_url = f"http://127.0.0.1:{cloud_port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'pos.db'}",
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/Athens"),
        "CURRENCY": os.environ.get("CURRENCY", "EUR"),
        "RESTAURANT_NAME": os.environ.get("RESTAURANT_NAME", SITE_NAME),
        "PYTHONUNBUFFERED": "1",
        # A terminal reads text; production (systemd, Docker) keeps the JSON default.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
    }
    cloud_env = {
        **env,
        "DATABASE_URL": f"sqlite:///{data / 'cloud.db'}",
        "ADMIN_USERNAME": CLOUD_ADMIN[0],
        "ADMIN_PASSWORD": CLOUD_ADMIN[1],
    }
    subprocess.run(  # noqa: S603
        [PY, "-m", "local_backend", "seed-demo", "--printer-ports", ",".join(map(str, printer_ports))],
        env=env,
        check=True,
        cwd=ROOT,
    )

    procs: list[subprocess.Popen[bytes]] = []
    # SIGTERM (a service manager, a test) ends the demo as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        # Two simulated ESC/POS printers; tickets appear in this console and in the data directory.
        for name, printer_port in zip(("kitchen", "bar"), printer_ports, strict=True):
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        PY,
                        "-m",
                        "local_backend",
                        "printer-sim",
                        "--port",
                        str(printer_port),
                        "--name",
                        name,
                        "--log-file",
                        str(data / f"printer-{name}.log"),
                    ],
                    env=env,
                    cwd=ROOT,
                )
            )
        cloud_cmd = [PY, "-m", "cloud_backend", "--host", host, "--port", str(cloud_port)]
        cloud = subprocess.Popen(cloud_cmd, env=cloud_env, cwd=ROOT)  # noqa: S603
        procs.append(cloud)
        _wait_healthy(f"{cloud_url}/health", cloud)
        env.update(license_env(cloud_url, data))
        appliance_cmd = [PY, "-m", "local_backend", "--host", host, "--port", str(port)]
        appliance = subprocess.Popen(appliance_cmd, env=env, cwd=ROOT)  # noqa: S603
        procs.append(appliance)
        _wait_healthy(f"http://127.0.0.1:{port}/api/system/health", appliance)
        print(
            "\n"
            f"  Tavolo demo is running — {SITE_NAME}, 24 tables, 48 dishes, 2 printers\n"
            f"  Waiter app     http://localhost:{port}/  (on a phone: http://<this machine's LAN address>:{port}/)\n"
            f"  Manager        http://localhost:{port}/manager/  (floor, menu, staff, printers, reports, settings)\n"
            f"  Kitchen screen http://localhost:{port}/kitchen/  (pair it from the manager's Printers & screens)\n"
            f"  Appliance API  http://localhost:{port}/docs\n"
            f"  License panel  http://localhost:{cloud_port}/  (sysadmin {CLOUD_ADMIN[0]} / {CLOUD_ADMIN[1]})\n"
            f"  Printers       simulated kitchen :{printer_ports[0]} and bar :{printer_ports[1]}"
            " — tickets print below and in the data directory\n"
            "  Logins (username / PIN): manager / 1234 · maria / 1111 · nikos / 2222 · eleni / 3333\n"
            f"  Data in {data} (delete it to start over). Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
