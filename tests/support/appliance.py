"""A real appliance process for reliability tests and the benchmark, and a seeding helper that uses its API.

`Appliance` runs `python -m local_backend` on a free 127.0.0.1 port against a database in a data dir, waits
for /api/system/health, measures how long that took, and can SIGKILL and restart the process on the same
file. Every wait is bounded and the process is always ended on exit, so a broken server fails a test
instead of hanging it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MANAGER = ("boss", "9999")
SECRET = "appliance-test-secret-key-long-enough-for-hs256-0123456789"
# Cheap PIN hashing for tests that log in a lot; the benchmark must not use it (production keeps the cost).
TEST_ENV = {"PIN_HASH_ROUNDS": "4"}

_live: weakref.WeakSet[Appliance] = weakref.WeakSet()


@atexit.register
def _stop_leftovers() -> None:
    # Belt and braces: an interpreter that dies outside a `with` must not leave a server holding a port.
    for appliance in list(_live):
        appliance.stop()


class ApplianceError(RuntimeError):
    """The appliance process did not start or died."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Appliance:
    """One appliance subprocess on a SQLite file in `data_dir`; restartable on the same file.

    `env` is added to a minimal environment (database, secret, first manager); pass `TEST_ENV` for cheap
    PIN hashing. Use as a context manager: `with Appliance(tmp_path) as app: httpx.get(app.url("/..."))`.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        env: dict[str, str] | None = None,
        manager: tuple[str, str] = DEFAULT_MANAGER,
        startup_timeout: float = 30.0,
        access_log: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / "pos.db"
        self.log_path = self.data_dir / "appliance.log"
        self.manager = manager
        self.startup_timeout = startup_timeout
        self.access_log = access_log
        self.extra_env = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.cold_start_seconds: float | None = None
        self.start_times: list[float] = []
        self._log_file: Any = None

    # -- lifecycle -----------------------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # Nothing from the developer's shell may reconfigure the server under test.
            if key in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT"}
        }
        env.update(
            {
                "PYTHONPATH": str(REPO_ROOT),
                "PYTHONUNBUFFERED": "1",
                "DATABASE_URL": f"sqlite:///{self.db_path}",
                "SECRET_KEY": SECRET,
                "MANAGER_USERNAME": self.manager[0],
                "MANAGER_PIN": self.manager[1],
            }
        )
        env.update(self.extra_env)
        return env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise ApplianceError("the appliance is not running")
        return self.proc.pid

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, *, same_port: bool = False) -> float:
        """Start the process and wait until it is healthy; returns the seconds that took (cold start).

        `same_port` restarts on the previous port, so a browser keeps talking to the same origin.
        """
        if self.running:
            raise ApplianceError("already running")
        last_error: ApplianceError | None = None
        for _attempt in range(3):  # a free port can be taken between probing and binding: try another one
            try:
                seconds = self._start_once(self.port if same_port and self.port else free_port())
            except _PortTaken as exc:
                last_error = exc
                continue
            self.cold_start_seconds = seconds
            self.start_times.append(seconds)
            _live.add(self)
            return seconds
        raise ApplianceError(f"could not bind a port: {last_error}")

    def _start_once(self, port: int) -> float:
        self.port = port
        self._log_file = self.log_path.open("ab")
        self._log_file.write(f"\n==== start on port {self.port} ====\n".encode())
        self._log_file.flush()
        cmd = [sys.executable, "-m", "local_backend", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.access_log:
            cmd.append("--access-log")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.data_dir,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = started + self.startup_timeout
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self.proc.poll() is not None:
                    self._close_log()
                    tail = self.log_tail()
                    self.proc = None
                    if "address already in use" in tail.lower():
                        raise _PortTaken(tail[-300:])
                    raise ApplianceError(f"appliance exited during startup:\n{tail}")
                try:
                    resp = client.get(self.url("/api/system/health"))
                    if resp.status_code == 200 and resp.json().get("status") == "ok":
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                if time.perf_counter() > deadline:
                    self.stop()
                    raise ApplianceError(f"not healthy within {self.startup_timeout:.0f}s:\n{self.log_tail()}")
                time.sleep(0.02)

    def kill9(self) -> None:
        """SIGKILL: no shutdown hooks, no flush; whatever was not on disk is lost."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None
        self._close_log()

    def restart(self, *, same_port: bool = False) -> float:
        """Start again on the same database file (after kill9 or stop); returns the new cold start."""
        if self.running:
            self.stop()
        return self.start(same_port=same_port)

    def stop(self, grace: float = 8.0) -> int | None:
        """SIGTERM, then SIGKILL after `grace` seconds; returns the exit code."""
        proc, self.proc = self.proc, None
        code: int | None = None
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
                try:
                    proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    proc.wait(timeout=10)
            code = proc.returncode
        self._close_log()
        _live.discard(self)
        return code

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> Appliance:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- observation ---------------------------------------------------------------------------------------

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def memory_kb(self) -> dict[str, int]:
        """VmHWM (peak resident set) and VmRSS of the live process, in kB, from /proc."""
        result: dict[str, int] = {}
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            key, _, value = line.partition(":")
            if key in {"VmHWM", "VmRSS"}:
                result[key] = int(value.split()[0])
        return result


class _PortTaken(ApplianceError):
    pass


# -- seeding through the API -------------------------------------------------------------------------------


@dataclass
class Waiter:
    id: int
    username: str
    pin: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Seed:
    """What `seed` created: tokens, staff, tables and the menu as the API returned them."""

    manager_token: str
    waiters: list[Waiter]
    tables: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    products: list[dict[str, Any]]
    item_templates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def manager_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.manager_token}"}


MENU: list[tuple[str, int, str, list[tuple[str, int]], list[str], list[tuple[str, bool, list[tuple[str, int]]]]]] = [
    # (name, base_price, category, options, removable ingredients, preference sets)
    ("Moussaka", 1400, "Kitchen", [("Extra cheese", 150)], ["Onion", "Bechamel"], []),
    (
        "Souvlaki pork",
        1100,
        "Kitchen",
        [("Extra pita", 80), ("Tzatziki", 120)],
        ["Onion", "Tomato"],
        [("Doneness", True, [("Medium", 0), ("Well done", 0)])],
    ),
    ("Greek salad", 900, "Kitchen", [("Extra feta", 200)], ["Onion", "Olives", "Peppers"], []),
    ("Grilled octopus", 1800, "Kitchen", [], [], [("Side", True, [("Fries", 0), ("Salad", 50), ("Rice", 0)])]),
    ("Tzatziki", 500, "Kitchen", [], ["Garlic"], []),
    ("Lamb chops", 2200, "Kitchen", [("Lemon potatoes", 300)], [], [("Doneness", True, [("Pink", 0), ("Done", 0)])]),
    ("Draft beer", 500, "Bar", [], [], [("Size", True, [("0.3 l", 0), ("0.5 l", 200)])]),
    ("House wine", 600, "Bar", [], [], [("Colour", True, [("White", 0), ("Red", 0), ("Rose", 0)])]),
    ("Frappe", 350, "Bar", [("Ice cream", 100)], [], [("Sugar", False, [("None", 0), ("Medium", 0), ("Sweet", 0)])]),
    ("Water 1 l", 150, "Bar", [], [], []),
]


TABLE_BATCH = 200  # the API's limit per batch


def _ok(resp: httpx.Response, what: str) -> Any:
    if resp.status_code // 100 != 2:
        raise ApplianceError(f"{what}: HTTP {resp.status_code} {resp.text[:500]}")
    return resp.json()


def login(client: httpx.Client, username: str, pin: str) -> str:
    token: str = _ok(client.post("/api/auth/login", json={"username": username, "pin": pin}), "login")["access_token"]
    return token


def item_templates(products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One valid order item per product: every required preference answered, an option where there is one."""
    templates = []
    for i, product in enumerate(products):
        choice_ids = [
            s["choices"][i % len(s["choices"])]["id"] for s in product.get("preference_sets", []) if s["is_required"]
        ]
        options = product.get("options", [])
        ingredients = product.get("ingredients", [])
        templates.append(
            {
                "product_id": product["id"],
                "quantity": 1 + i % 2,
                "option_ids": [options[0]["id"]] if options and i % 3 == 0 else [],
                "removed_ingredient_ids": [ingredients[0]["id"]] if ingredients and i % 2 == 0 else [],
                "choice_ids": choice_ids,
                "note": None,
                "seat": 1 + i % 4,
                # Course 1: every template item goes to the kitchen at once (a later course would wait to be fired).
                "course": 1,
            }
        )
    return templates


def seed(
    base_url: str,
    *,
    manager: tuple[str, str] = DEFAULT_MANAGER,
    waiters: int = 4,
    tables: int | None = None,
    waiter_prefix: str = "waiter",
    timeout: float = 30.0,
) -> Seed:
    """Create staff, tables and a small menu through the API, as a manager would; log every waiter in."""
    table_count = tables if tables is not None else waiters
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        manager_token = login(client, *manager)
        client.headers["Authorization"] = f"Bearer {manager_token}"
        created = []
        for n in range(1, waiters + 1):
            username, pin = f"{waiter_prefix}{n:03d}", f"{1000 + n:04d}"
            body: dict[str, Any] = {"username": username, "display_name": f"Waiter {n}", "role": "waiter", "pin": pin}
            created.append((_ok(client.post("/api/waiters/", json=body), "create waiter")["id"], username, pin))
        table_rows: list[dict[str, Any]] = []
        for start in range(1, table_count + 1, TABLE_BATCH):
            body = {"prefix": "T", "count": min(TABLE_BATCH, table_count - start + 1), "start": start, "seats": 4}
            table_rows += _ok(client.post("/api/tables/batch", json=body), "create tables")
        categories: dict[str, dict[str, Any]] = {}
        for name, color in (("Kitchen", "#c0392b"), ("Bar", "#2980b9")):
            categories[name] = _ok(
                client.post("/api/products/categories", json={"name": name, "color": color}), "create category"
            )
        products = []
        for name, price, category, options, ingredients, sets in MENU:
            body = {
                "category_id": categories[category]["id"],
                "name": name,
                "base_price": price,
                "options": [{"name": o, "extra_cost": c} for o, c in options],
                "ingredients": [{"name": i} for i in ingredients],
                "preference_sets": [
                    {"name": s, "is_required": req, "choices": [{"name": c, "price_delta": d} for c, d in choices]}
                    for s, req, choices in sets
                ],
            }
            products.append(_ok(client.post("/api/products/", json=body), "create product"))
        del client.headers["Authorization"]
        staff = [Waiter(id=wid, username=u, pin=p, token=login(client, u, p)) for wid, u, p in created]
    return Seed(
        manager_token=manager_token,
        waiters=staff,
        tables=sorted(table_rows, key=lambda t: t["number"]),
        categories=list(categories.values()),
        products=products,
        item_templates=item_templates(products),
    )
