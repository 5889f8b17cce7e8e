"""`make demo`: the whole system on this machine with demo data.

Starts the licensing cloud (:8001) and the appliance (:8000) on a demo database in ./data/demo,
prints where to go and how to log in, and stops everything on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "demo"
PY = sys.executable


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
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


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    host = os.environ.get("DEMO_HOST", "0.0.0.0")  # noqa: S104 - phones on the LAN should reach the demo
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATA / 'pos.db'}",
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/Athens"),
        "CURRENCY": os.environ.get("CURRENCY", "EUR"),
        "RESTAURANT_NAME": os.environ.get("RESTAURANT_NAME", "Taverna Tavolo"),
        "PYTHONUNBUFFERED": "1",
    }
    cloud_env = {**env, "DATABASE_URL": f"sqlite:///{DATA / 'cloud.db'}"}
    subprocess.run([PY, "-m", "local_backend", "seed-demo"], env=env, check=True, cwd=ROOT)  # noqa: S603

    procs: list[subprocess.Popen[bytes]] = []
    try:
        # Two simulated ESC/POS printers; tickets appear in this console and in data/demo/printer-*.log.
        for name, port in (("kitchen", 9101), ("bar", 9102)):
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        PY,
                        "-m",
                        "local_backend",
                        "printer-sim",
                        "--port",
                        str(port),
                        "--name",
                        name,
                        "--log-file",
                        str(DATA / f"printer-{name}.log"),
                    ],
                    env=env,
                    cwd=ROOT,
                )
            )
        cloud = subprocess.Popen([PY, "-m", "cloud_backend", "--host", host, "--port", "8001"], env=cloud_env, cwd=ROOT)  # noqa: S603
        procs.append(cloud)
        appliance = subprocess.Popen([PY, "-m", "local_backend", "--host", host, "--port", "8000"], env=env, cwd=ROOT)  # noqa: S603
        procs.append(appliance)
        _wait_healthy("http://127.0.0.1:8001/health", cloud)
        _wait_healthy("http://127.0.0.1:8000/api/system/health", appliance)
        print(
            "\n"
            "  Tavolo demo is running — Taverna Tavolo, 24 tables, 48 dishes, 2 printers\n"
            "  Waiter app     http://localhost:8000/  (on a phone: http://<this machine's LAN address>:8000/)\n"
            "  Appliance API  http://localhost:8000/docs\n"
            "  Cloud          http://localhost:8001/health\n"
            "  Printers       simulated kitchen :9101 and bar :9102 — tickets print below and in data/demo/\n"
            "  Logins (username / PIN): manager / 1234 · maria / 1111 · nikos / 2222 · eleni / 3333\n"
            "  Data in data/demo/ (delete it to start over). Ctrl-C stops everything.\n",
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
