"""The rush benchmark (ARCHITECTURE §7): `python -m tests.bench.rush`, or `make bench`.

A real `python -m local_backend` process with production settings (default PIN cost, synchronous=FULL) in a
temporary data dir, seeded through the API, then:

- phase A, offered load: simulated waiters, each on its own table, run whole order lifecycles (open, add items
  in 3 rounds, show the bill, pay split in two, close). Add-items requests follow a fixed schedule (open loop:
  the total rate is `--rate` whatever the server does) and their latency is measured from the *scheduled*
  time, so a server that falls behind is charged for the queue it builds, not just for the service time.
  The other operations run closed-loop between a waiter's add-items slots.
- phase B, saturation: the same waiters add items back to back for `--saturation-seconds`; add-items/s.

Reported: per-operation count and p50/p95/p99/max, errors by kind, cold start to healthy (fresh database and
restart on the seeded one), peak RSS (VmHWM) of the appliance, CPU seconds of server and client (they share
the machine), next to the §7 targets. A table is printed and JSON written to bench-results/rush-<ts>.json.

Exit status is non-zero only when the run itself broke (the appliance did not start, seeding failed, nothing
succeeded), never for a missed target: the figures are the result.

KDS screens and printers plug in as `Extra`s (see `EXTRAS`): they get the appliance's env before it starts,
run beside the waiters and add rows (e.g. KDS push p99, print latency p99) to the report.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from tests.support.appliance import REPO_ROOT, Appliance, Seed, seed

TARGETS = {
    "errors": 0,
    "add_items_p99_ms": 25.0,
    "saturation_add_items_per_s": 1000.0,
    "peak_rss_mb": 150.0,
    "cold_start_s": 3.0,
}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Options:
    waiters: int = 60
    rate: float = 200.0
    duration_seconds: float = 30.0
    warmup_seconds: float = 3.0
    saturation_seconds: float = 10.0
    items_per_round: int = 3
    idempotency_keys: bool = True
    timeout_seconds: float = 10.0
    out_dir: Path = REPO_ROOT / "bench-results"
    keep_data: bool = False


# -- measurements ----------------------------------------------------------------------------------------------


@dataclass
class Recorder:
    """Latencies per operation with the time each request started (or was scheduled), and errors by kind."""

    samples: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)

    def ok(self, op: str, started: float, seconds: float) -> None:
        self.samples.setdefault(op, []).append((started, seconds))

    def error(self, op: str, kind: str) -> None:
        # Errors count even outside the measured window: the target is zero errors for the whole run.
        self.errors[f"{op}: {kind}"] += 1

    def latencies(self, op: str, since: float = -math.inf) -> list[float]:
        return [seconds for started, seconds in self.samples.get(op, []) if started >= since]

    def summary(self, since: float = -math.inf) -> dict[str, dict[str, float]]:
        result = {op: stats(self.latencies(op, since)) for op in self.samples}
        return {op: s for op, s in result.items() if s["count"]}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    ms = 1000.0
    return {
        "count": len(ordered),
        "p50_ms": round(percentile(ordered, 50) * ms, 2),
        "p95_ms": round(percentile(ordered, 95) * ms, 2),
        "p99_ms": round(percentile(ordered, 99) * ms, 2),
        "max_ms": round((ordered[-1] if ordered else math.nan) * ms, 2),
        "mean_ms": round((sum(ordered) / len(ordered) if ordered else math.nan) * ms, 2),
    }


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: field 14 utime and 15 stime are at offsets 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.server = process_cpu_seconds(pid)
        self.client = client_cpu_seconds()
        self.wall = time.perf_counter()

    def read(self) -> dict[str, float]:
        wall = time.perf_counter() - self.wall
        server = process_cpu_seconds(self.pid) - self.server
        client = client_cpu_seconds() - self.client
        return {
            "wall_s": round(wall, 3),
            "server_cpu_s": round(server, 3),
            "client_cpu_s": round(client, 3),
            "server_cores_used": round(server / wall, 2) if wall else 0.0,
            "client_cores_used": round(client / wall, 2) if wall else 0.0,
        }


# -- extension point for KDS clients and printers ------------------------------------------------------------


@dataclass
class RushContext:
    options: Options
    appliance: Appliance
    seed: Seed
    # Called with (order id, request body) right after each successful add-items (the print-latency clock).
    on_items_added: Callable[[int, bytes], None] | None = None


class Extra(Protocol):
    """Something that runs beside the waiters (KDS WebSocket clients, simulated printers)."""

    name: str

    def appliance_env(self) -> dict[str, str]:
        """Environment the appliance needs for this extra (e.g. printer addresses)."""
        ...

    async def start(self, ctx: RushContext) -> None: ...

    async def stop(self) -> None: ...

    def report(self) -> dict[str, Any]:
        """Figures for the JSON, plus `rows`: [(label, value, target|None, met|None)] for the table."""
        ...


def _printers(opts: Options) -> Extra:
    from tests.bench.printers import PrinterExtra

    return PrinterExtra(opts)


def _live(opts: Options) -> Extra:
    from tests.bench.live import LiveExtra

    return LiveExtra(opts)


EXTRAS: list[Callable[[Options], Extra]] = [_printers, _live]


# -- the simulated waiter ----------------------------------------------------------------------------------------


class Failed(Exception):
    """A request that did not succeed (already recorded); the waiter recovers on another table."""


class WaiterClient:
    """One simulated waiter: their token, their tables, precomputed request bodies."""

    JSON = "application/json"

    def __init__(
        self,
        index: int,
        http: httpx.AsyncClient,
        token: str,
        table_ids: list[int],
        bodies: list[bytes],
        opts: Options,
        spare_tables: list[int],
    ) -> None:
        self.index = index
        self.ctx: RushContext | None = None
        self.http = http
        self.auth = f"Bearer {token}"
        self.read_headers = {"Authorization": self.auth}
        self.tables = table_ids
        self.spare_tables = spare_tables
        self.bodies = bodies
        self.opts = opts
        self.seq = 0
        self.body_seq = 0
        self.key_prefix = f"rush-{os.getpid()}-{index}-"
        self.order_id: int | None = None
        self.rounds = 0

    def _write_headers(self) -> dict[str, str]:
        headers = {"Authorization": self.auth, "Content-Type": self.JSON}
        if self.opts.idempotency_keys:
            self.seq += 1
            headers["Idempotency-Key"] = f"{self.key_prefix}{self.seq}"
        return headers

    async def _request(
        self, rec: Recorder, op: str, method: str, url: str, body: bytes | None, start: float | None = None
    ) -> httpx.Response:
        # perf_counter, not loop.time(): uvloop caches its clock per loop iteration, at millisecond resolution.
        began = time.perf_counter() if start is None else start
        try:
            if method == "GET":
                resp = await self.http.get(url, headers=self.read_headers)
            else:
                resp = await self.http.post(url, content=body, headers=self._write_headers())
        except httpx.HTTPError as exc:
            rec.error(op, type(exc).__name__)
            raise Failed(op) from exc
        if resp.status_code // 100 != 2:
            code = ""
            with contextlib.suppress(ValueError):
                code = str(resp.json().get("code", ""))
            rec.error(op, f"HTTP {resp.status_code} {code}".strip())
            raise Failed(op)
        rec.ok(op, began, time.perf_counter() - began)
        return resp

    async def open_order(self, rec: Recorder) -> None:
        table_id = self.tables[0]
        body = json.dumps({"table_id": table_id, "guests": 2 + self.index % 4}).encode()
        try:
            resp = await self._request(rec, "open_order", "POST", "/api/orders/", body)
        except Failed:
            self._move_table()
            raise
        self.order_id = int(resp.json()["id"])
        self.rounds = 0

    def _move_table(self) -> None:
        # Whatever state the old table is in, carry on at a fresh one so one failure does not stop the waiter.
        self.order_id = None
        if self.spare_tables:
            self.tables = [self.spare_tables.pop(), *self.tables[1:]]

    async def add_items(self, rec: Recorder, scheduled: float | None = None) -> None:
        assert self.order_id is not None
        self.body_seq += 1
        body = self.bodies[self.body_seq % len(self.bodies)]
        try:
            await self._request(rec, "add_items", "POST", f"/api/orders/{self.order_id}/items", body, start=scheduled)
        except Failed:
            self._move_table()
            raise
        if self.ctx is not None and self.ctx.on_items_added is not None:
            self.ctx.on_items_added(self.order_id, body)
        self.rounds += 1

    async def settle(self, rec: Recorder) -> None:
        """Show the bill, pay it in two payments (card with tip, then cash), close the table."""
        assert self.order_id is not None
        order_url = f"/api/orders/{self.order_id}"
        try:
            order = (await self._request(rec, "get_order", "GET", order_url, None)).json()
            item_ids = [item["id"] for item in order["items"]]
            half = max(1, len(item_ids) // 2)
            for op, ids, method, tip in (
                ("pay_1", item_ids[:half], "card", 100),
                ("pay_2", item_ids[half:], "cash", 0),
            ):
                if ids:
                    body = json.dumps({"item_ids": ids, "method": method, "tip": tip}).encode()
                    await self._request(rec, op, "POST", f"{order_url}/pay", body)
            await self._request(rec, "close_order", "POST", f"{order_url}/close", b"{}")
        except Failed:
            self._move_table()
            raise
        self.order_id = None


def build_bodies(seed_data: Seed, waiter_index: int, per_round: int, count: int = 12) -> list[bytes]:
    """Add-items bodies for one waiter, serialized once: 1..per_round items drawn from the menu."""
    templates = seed_data.item_templates
    bodies = []
    for n in range(count):
        size = 1 + (waiter_index + n) % per_round
        items = []
        for k in range(size):
            item = dict(templates[(waiter_index * 7 + n * 3 + k) % len(templates)])
            item["note"] = "no ice" if (n + k) % 5 == 0 else None
            items.append(item)
        bodies.append(json.dumps({"items": items}).encode())
    return bodies


async def sleep_until(deadline: float) -> None:
    delay = deadline - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


# -- phases ----------------------------------------------------------------------------------------------------


async def phase_a(waiters: list[WaiterClient], opts: Options, rec: Recorder) -> dict[str, Any]:
    """Open loop: add-items at `rate` in total, each waiter every waiters/rate seconds, staggered.

    A server slower than the offered load builds a backlog that would make the phase run for ever, so scheduled
    requests still unsent `overrun_grace` after the schedule ends are abandoned and counted as infinitely late.
    """
    interval = len(waiters) / opts.rate
    t0 = time.perf_counter() + 1.0  # time for every waiter to open its first order
    measure_from = t0 + opts.warmup_seconds
    end = measure_from + opts.duration_seconds
    give_up = end + max(5.0, opts.duration_seconds / 2)
    scheduled_adds = 0
    abandoned = 0

    async def run(w: WaiterClient) -> None:
        nonlocal scheduled_adds, abandoned
        offset = w.index / opts.rate
        k = 0
        while True:
            scheduled = t0 + offset + k * interval
            if scheduled >= end:
                break
            k += 1
            if scheduled >= measure_from:
                scheduled_adds += 1
                if time.perf_counter() > give_up:
                    abandoned += 1
                    continue
            try:
                if w.order_id is None:
                    await w.open_order(rec)
                await sleep_until(scheduled)
                await w.add_items(rec, scheduled=scheduled)
                if w.rounds >= 3:
                    await w.settle(rec)
                    await w.open_order(rec)
            except Failed:
                continue
        if w.order_id is not None and w.rounds and time.perf_counter() < give_up:
            with contextlib.suppress(Failed):
                await w.settle(rec)

    await asyncio.gather(*(run(w) for w in waiters))
    finished = time.perf_counter()
    latencies = rec.latencies("add_items", since=measure_from)
    operations = rec.summary(since=measure_from)
    if abandoned:
        operations["add_items (sent only)"] = stats(latencies)
        operations["add_items"] = stats(latencies + [math.inf] * abandoned)
        operations["add_items"]["count"] = len(latencies)
    return {
        "offered_add_items_per_s": opts.rate,
        "measured_seconds": opts.duration_seconds,
        "warmup_seconds": opts.warmup_seconds,
        "scheduled_add_items": scheduled_adds,
        "completed_add_items": len(latencies),
        "abandoned_add_items": abandoned,
        "phase_seconds": round(finished - t0, 1),
        "achieved_add_items_per_s": round(len(latencies) / max(opts.duration_seconds, finished - measure_from), 1),
        "operations": operations,
    }


async def phase_b(waiters: list[WaiterClient], opts: Options, rec: Recorder) -> dict[str, Any]:
    """Closed loop: every waiter adds items back to back on its own open order."""
    for w in waiters:  # phase B works on the second set of tables, so phase A's leftovers do not matter
        w.tables = w.tables[1:] + w.tables[:1]
        w.order_id = None
    await asyncio.gather(*(_open_quietly(w, rec) for w in waiters))
    start = time.perf_counter()
    end = start + opts.saturation_seconds
    completed = 0

    async def run(w: WaiterClient) -> None:
        nonlocal completed
        while time.perf_counter() < end:
            try:
                if w.order_id is None:
                    await w.open_order(rec)
                await w.add_items(rec)
            except Failed:
                continue
            if time.perf_counter() <= end:
                completed += 1

    await asyncio.gather(*(run(w) for w in waiters))
    elapsed = time.perf_counter() - start
    return {
        "concurrent_waiters": len(waiters),
        "seconds": round(elapsed, 3),
        "completed_add_items": completed,
        "add_items_per_s": round(completed / opts.saturation_seconds, 1),
        "operations": rec.summary(),
    }


async def _open_quietly(w: WaiterClient, rec: Recorder) -> None:
    with contextlib.suppress(Failed):
        await w.open_order(rec)


# -- the run ---------------------------------------------------------------------------------------------------


async def drive(appliance: Appliance, seed_data: Seed, opts: Options, extras: list[Extra]) -> dict[str, Any]:
    # One client with one connection per waiter, like one phone each: httpx's shared pool scans every
    # connection on every request, which at 60 connections cost the client more CPU than the server used.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(opts.timeout_seconds)
    ssl_context = httpx.create_ssl_context()  # plain HTTP, but each client would otherwise load the CA bundle
    ctx = RushContext(opts, appliance, seed_data)
    results: dict[str, Any] = {}
    n = opts.waiters
    tables = [t["id"] for t in seed_data.tables]
    spare = tables[2 * n :]
    async with contextlib.AsyncExitStack() as stack:
        waiters = [
            WaiterClient(
                i,
                await stack.enter_async_context(
                    httpx.AsyncClient(base_url=appliance.base_url, limits=limits, timeout=timeout, verify=ssl_context)
                ),
                seed_data.waiters[i].token,
                [tables[i], tables[n + i]],
                build_bodies(seed_data, i, opts.items_per_round),
                opts,
                spare,
            )
            for i in range(n)
        ]
        for waiter in waiters:
            waiter.ctx = ctx
        for extra in extras:
            await extra.start(ctx)
        try:
            rec_a = Recorder()
            meter = CpuMeter(appliance.pid)
            results["phase_a"] = await phase_a(waiters, opts, rec_a)
            results["phase_a"]["cpu"] = meter.read()
            results["phase_a"]["errors"] = dict(rec_a.errors)

            rec_b = Recorder()
            meter = CpuMeter(appliance.pid)
            results["phase_b"] = await phase_b(waiters, opts, rec_b)
            results["phase_b"]["cpu"] = meter.read()
            results["phase_b"]["errors"] = dict(rec_b.errors)
        finally:
            for extra in extras:
                await extra.stop()
    results["extras"] = {extra.name: extra.report() for extra in extras}
    return results


def run(opts: Options) -> dict[str, Any]:
    extras = [make(opts) for make in EXTRAS]
    data_dir = Path(tempfile.mkdtemp(prefix="tavolo-rush-"))
    env: dict[str, str] = {}
    for extra in extras:
        env.update(extra.appliance_env())
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(opts).items()},
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": "production defaults (PIN cost, sqlite synchronous=FULL); only database, secret, first manager set",
        "data_dir": str(data_dir),
    }
    appliance = Appliance(data_dir, env=env, startup_timeout=60)
    try:
        with appliance:
            report["cold_start_fresh_s"] = round(appliance.cold_start_seconds or math.nan, 3)
            seed_started = time.perf_counter()
            tables = 2 * opts.waiters + max(10, opts.waiters // 2)
            seed_data = seed(appliance.base_url, waiters=opts.waiters, tables=tables, waiter_prefix="rush")
            report["seed_seconds"] = round(time.perf_counter() - seed_started, 2)
            report["rss_after_seed_kb"] = appliance.memory_kb()
            report.update(_run_loop(drive(appliance, seed_data, opts, extras)))
            report["memory_kb"] = appliance.memory_kb()
            appliance.stop()
            report["cold_start_existing_db_s"] = round(appliance.start(), 3)
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        report["db_size_mb"] = round(sum(p.stat().st_size for p in data_dir.glob("pos.db*")) / 1e6, 1)
    finally:
        if opts.keep_data:
            report["kept_data_dir"] = str(data_dir)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return report


def _run_loop(coro: Any) -> dict[str, Any]:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] ships it
        result: dict[str, Any] = asyncio.run(coro)
        return result
    # The client shares two cores with the server: the faster loop leaves more CPU to the thing measured.
    result = uvloop.run(coro)
    return result


# -- the report ------------------------------------------------------------------------------------------------


def evaluate(report: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """Rows for the summary: (figure, value, target, met)."""
    a, b = report["phase_a"], report["phase_b"]
    errors = sum(a["errors"].values()) + sum(b["errors"].values())
    add = a["operations"].get("add_items", stats([]))
    rss_mb = report["memory_kb"]["VmHWM"] / 1024
    rows: list[tuple[str, str, str, bool | None]] = [
        ("errors (all phases)", str(errors), "0", errors == TARGETS["errors"]),
        (
            f"add-items p99 @ {a['offered_add_items_per_s']:.0f}/s offered",
            f"{add['p99_ms']:.1f} ms",
            f"<= {TARGETS['add_items_p99_ms']:.0f} ms",
            add["p99_ms"] <= TARGETS["add_items_p99_ms"],
        ),
        (
            "add-items/s at saturation",
            f"{b['add_items_per_s']:.0f}/s",
            f">= {TARGETS['saturation_add_items_per_s']:.0f}/s",
            b["add_items_per_s"] >= TARGETS["saturation_add_items_per_s"],
        ),
        (
            "peak RSS (VmHWM)",
            f"{rss_mb:.1f} MB",
            f"<= {TARGETS['peak_rss_mb']:.0f} MB",
            rss_mb <= TARGETS["peak_rss_mb"],
        ),
    ]
    for label, key in (
        ("cold start, fresh db", "cold_start_fresh_s"),
        ("cold start, seeded db", "cold_start_existing_db_s"),
    ):
        value = report.get(key, math.nan)
        rows.append((label, f"{value:.2f} s", f"<= {TARGETS['cold_start_s']:.0f} s", value <= TARGETS["cold_start_s"]))
    for extra in report.get("extras", {}).values():
        rows.extend(tuple(row) for row in extra.get("rows", []))
    return rows


def render(report: dict[str, Any]) -> str:
    out: list[str] = []
    a, b = report["phase_a"], report["phase_b"]
    out.append(f"Tavolo rush benchmark  {report['started_at']}  ({report['machine']['cpus']} CPUs)")
    out.append(f"settings: {report['settings']}")
    load = report["machine"]["load_average_at_start"][0]
    if load > 0.5 * report["machine"]["cpus"]:
        out.append(
            f"WARNING: load average {load} when the run started: other work shared the"
            f" {report['machine']['cpus']} CPUs, so latencies and throughput are pessimistic"
        )
    out.append("")
    out.append(
        f"Phase A - {len_waiters(report)} waiters, {a['offered_add_items_per_s']:.0f} add-items/s offered"
        f" (open loop, latency from scheduled time), {a['measured_seconds']:.0f} s measured"
        f" after {a['warmup_seconds']:.0f} s warm-up"
    )
    out.extend(op_table(a["operations"]))
    out.append(
        f"  add-items: {a['completed_add_items']} completed of {a['scheduled_add_items']} scheduled"
        f" ({a['abandoned_add_items']} abandoned as too late, counted as infinite latency)"
        f" -> {a['achieved_add_items_per_s']:.1f}/s in {a['phase_seconds']:.0f} s;"
        f"  CPU: server {a['cpu']['server_cores_used']} cores, client {a['cpu']['client_cores_used']} cores"
    )
    out.append("")
    out.append(
        f"Phase B - saturation, {b['concurrent_waiters']} waiters adding items back to back for {b['seconds']:.1f} s"
    )
    out.extend(op_table(b["operations"]))
    out.append(
        f"  add-items: {b['completed_add_items']} -> {b['add_items_per_s']:.0f}/s;  CPU: server"
        f" {b['cpu']['server_cores_used']} cores, client {b['cpu']['client_cores_used']} cores"
    )
    out.append("")
    errors = Counter(a["errors"]) + Counter(b["errors"])
    out.append("Errors: " + ("none" if not errors else ""))
    out.extend(f"  {count:6d}  {kind}" for kind, count in errors.most_common())
    out.append("")
    rows = evaluate(report)
    width = max(len(r[0]) for r in rows)
    out.append(f"{'figure':<{width}}  {'value':>12}  {'target':>12}  met")
    for label, value, target, met in rows:
        mark = "-" if met is None else ("yes" if met else "NO")
        out.append(f"{label:<{width}}  {value:>12}  {target:>12}  {mark}")
    out.append("")
    return "\n".join(out)


def len_waiters(report: dict[str, Any]) -> int:
    waiters: int = report["options"]["waiters"]
    return waiters


def op_table(operations: dict[str, dict[str, float]]) -> list[str]:
    lines = [f"  {'operation':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
    order = ["open_order", "add_items", "add_items (sent only)", "get_order", "pay_1", "pay_2", "close_order"]
    for op in sorted(operations, key=lambda o: order.index(o) if o in order else len(order)):
        s = operations[op]
        lines.append(
            f"  {op:<22}{s['count']:>8}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}{s['max_ms']:>9.1f}"
        )
    return lines


def jsonable(value: Any) -> Any:
    """Strict JSON: infinite or undefined figures become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def parse_args(argv: list[str] | None) -> Options:
    d = Options()
    p = argparse.ArgumentParser(prog="python -m tests.bench.rush", description=__doc__.split("\n\n")[0])
    p.add_argument("--waiters", type=int, default=d.waiters, help="simulated waiters, one table each (60)")
    p.add_argument("--rate", type=float, default=d.rate, help="offered add-items/s in phase A, in total (200)")
    p.add_argument("--duration-seconds", type=float, default=d.duration_seconds, help="phase A measured time (30)")
    p.add_argument("--warmup-seconds", type=float, default=d.warmup_seconds, help="phase A unmeasured start (3)")
    p.add_argument("--saturation-seconds", type=float, default=d.saturation_seconds, help="phase B time (10)")
    p.add_argument("--items-per-round", type=int, default=d.items_per_round, help="max items per add-items (3)")
    p.add_argument("--no-idempotency-keys", action="store_true", help="send writes without Idempotency-Key")
    p.add_argument("--timeout-seconds", type=float, default=d.timeout_seconds, help="per request (10)")
    p.add_argument("--out-dir", type=Path, default=d.out_dir, help="where the JSON goes (bench-results/)")
    p.add_argument("--keep-data", action="store_true", help="keep the appliance's data dir for inspection")
    a = p.parse_args(argv)
    if a.waiters < 1 or a.rate <= 0 or a.duration_seconds <= 0 or a.saturation_seconds <= 0 or a.items_per_round < 1:
        p.error("waiters, rate, durations and items per round must be positive")
    return Options(
        waiters=a.waiters,
        rate=a.rate,
        duration_seconds=a.duration_seconds,
        warmup_seconds=max(0.0, a.warmup_seconds),
        saturation_seconds=a.saturation_seconds,
        items_per_round=a.items_per_round,
        idempotency_keys=not a.no_idempotency_keys,
        timeout_seconds=a.timeout_seconds,
        out_dir=a.out_dir,
        keep_data=a.keep_data,
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    print(
        f"rush: {opts.waiters} waiters, {opts.rate:.0f} add-items/s for {opts.warmup_seconds:.0f}+"
        f"{opts.duration_seconds:.0f} s, then {opts.saturation_seconds:.0f} s saturation ...",
        flush=True,
    )
    try:
        report = run(opts)
    except Exception:
        traceback.print_exc()
        print("rush: the run broke (see above); no figures", file=sys.stderr)
        return 2
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = opts.out_dir / f"rush-{stamp}.json"
    report["targets"] = TARGETS
    report["summary"] = [
        {"figure": label, "value": value, "target": target, "met": met}
        for label, value, target, met in evaluate(report)
    ]
    path.write_text(json.dumps(jsonable(report), indent=2, default=str, allow_nan=False) + "\n")
    print(render(report))
    print(f"\nJSON: {path}")
    if not report["phase_a"]["operations"].get("add_items", {}).get("count"):
        print("rush: no add-items request succeeded: the run is broken, not slow", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
