"""Cloud heartbeat benchmark (ARCHITECTURE §7: ≥ 1,000 heartbeats/s on PostgreSQL): `make bench-cloud`, or
`python -m tests.bench.cloud_heartbeat [--workers 2] [--sites 500] [--duration 10] [--concurrency 32]`.

A real `python -m cloud_backend --workers N` on PostgreSQL (a fresh schema in TEST_POSTGRES_URL's database,
dropped afterwards), ~500 sites registered through the API, then client processes keep `--concurrency`
keep-alive connections busy with heartbeats for `--duration` seconds after a warm-up: closed loop, each
connection sends the next heartbeat (the next site, a fresh nonce) as soon as the previous answer arrived.

The clients speak minimal HTTP/1.1 over asyncio streams rather than httpx: client and server share this
machine's cores, and a heavier client would measure itself. A sample of the leases is verified against the
published JWKS (signature, site, nonce), so the figure is for correct answers.

The per-site rate limit (12/min by default) is raised for the run: 500 sites at 1,000/s is 2 heartbeats per
site per second, and the limit's UPDATE runs either way. Reported: heartbeats/s, p50/p95/p99/max latency,
errors by kind, and the CPU seconds of the cloud workers, PostgreSQL and the clients (they share the
machine). JSON goes to bench-results/cloud-heartbeat-<ts>.json. The exit status is non-zero only when the run
broke (no server, nothing succeeded, a lease that does not verify), never for a missed target.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import resource
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg

from shared.lease import LeaseInvalid, keys_from_jwks, verify_lease
from tests.cloud_backend.support import CloudProcess, admin_login
from tests.support.appliance import REPO_ROOT

TARGET_PER_SECOND = 1000.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ADMIN = ("bench", "bench-password-0123")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_LEASES_PER_CLIENT = 50


@dataclass
class Options:
    workers: int = 2
    sites: int = 500
    duration: float = 10.0
    warmup: float = 2.0
    clients: int = 1
    concurrency: int = 32
    database_url: str = ""
    out_dir: Path = REPO_ROOT / "bench-results"


# -- measurement helpers -------------------------------------------------------------------------------------------


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _processes() -> Iterator[tuple[int, int, str]]:
    """(pid, parent pid, name) of every process we can see."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        yield int(entry.name), int(rest.split()[1]), head.split("(", 1)[1]


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in _processes():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def postgres_pids() -> list[int]:
    return [pid for pid, _, name in _processes() if name.startswith("postgres")]


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# -- the client ----------------------------------------------------------------------------------------------------


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[tuple[str, str, str]] = field(default_factory=list)
    cpu_seconds: float = 0.0


async def _connection(
    host: str,
    port: int,
    sites: list[tuple[str, str]],
    offset: int,
    record_from: float,
    stop_at: float,
    result: ClientResult,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    cycle = itertools.islice(itertools.cycle(sites), offset % len(sites), None)
    uptime = 0
    try:
        while (start := time.perf_counter()) < stop_at:
            site_id, key = next(cycle)
            nonce = secrets.token_urlsafe(18)
            uptime += 1
            body = b'{"version":"1.0.0","uptime_seconds":%d,"nonce":"%s"}' % (uptime, nonce.encode())
            writer.write(
                b"POST /api/heartbeat/ HTTP/1.1\r\nHost: cloud\r\nContent-Type: application/json\r\n"
                b"X-Site-ID: %s\r\nX-Site-Key: %s\r\nContent-Length: %d\r\n\r\n%s"
                % (site_id.encode(), key.encode(), len(body), body)
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12].decode()
            lower = head.lower()
            at = lower.find(b"content-length:")
            length = int(lower[at + 15 : lower.find(b"\r\n", at)]) if at >= 0 else 0
            payload = await reader.readexactly(length)
            elapsed = time.perf_counter() - start
            if start < record_from:
                continue
            result.statuses[status] += 1
            if status == "200":
                result.latencies.append(elapsed)
                if len(result.samples) < SAMPLE_LEASES_PER_CLIENT:
                    result.samples.append((site_id, nonce, json.loads(payload)["lease"]))
            else:
                result.errors[f"HTTP {status}: {payload[:120].decode(errors='replace')}"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        result.errors[f"{type(exc).__name__}: {exc}"[:160]] += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _client_main(
    port: int, sites: list[tuple[str, str]], concurrency: int, warmup: float, duration: float
) -> ClientResult:
    result = ClientResult()
    now = time.perf_counter()
    record_from, stop_at = now + warmup, now + warmup + duration
    step = max(1, len(sites) // concurrency)
    await asyncio.gather(
        *(_connection("127.0.0.1", port, sites, n * step, record_from, stop_at, result) for n in range(concurrency))
    )
    return result


def client_process(
    port: int, sites: list[tuple[str, str]], concurrency: int, warmup: float, duration: float
) -> dict[str, Any]:
    """One client process: its own event loop (uvloop when installed) and connections."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        pass
    result = asyncio.run(_client_main(port, sites, concurrency, warmup, duration))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result.cpu_seconds = usage.ru_utime + usage.ru_stime
    out = asdict(result)
    out["statuses"] = dict(result.statuses)
    out["errors"] = dict(result.errors)
    return out


# -- the run -------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def bench_schema(base_url: str) -> Iterator[str]:
    libpq = base_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"cloud_bench_{secrets.token_hex(4)}"
    with psycopg.connect(libpq, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def register_sites(base_url: str, count: int) -> list[tuple[str, str]]:
    headers = admin_login(base_url, *ADMIN)
    sites = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        for n in range(count):
            body = {
                "name": f"Bench taverna {n}",
                "owner_name": "Bench",
                "contact_email": f"bench{n}@example.com",
                "license_expires_at": "2030-01-01T00:00:00Z",
            }
            resp = client.post("/api/sites/", json=body)
            resp.raise_for_status()
            sites.append((resp.json()["site_id"], resp.json()["secret_key"]))
    return sites


def run(opts: Options) -> dict[str, Any]:
    database_url = opts.database_url or os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    with tempfile.TemporaryDirectory(prefix="cloud-bench-") as tmp, bench_schema(database_url) as url:
        env = {
            "ADMIN_USERNAME": ADMIN[0],
            "ADMIN_PASSWORD": ADMIN[1],
            "HEARTBEAT_RATE_LIMIT_PER_MINUTE": "1000000",
            "LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        with CloudProcess(url, Path(tmp) / "cloud.log", env=env, workers=opts.workers) as cloud:
            startup = time.perf_counter() - started
            sites = register_sites(cloud.base_url, opts.sites)
            trusted = keys_from_jwks(httpx.get(cloud.base_url + "/.well-known/jwks.json", timeout=10).json())
            assert cloud.proc is not None
            server_pids = process_tree(cloud.proc.pid)
            pg_pids = postgres_pids()
            per_client = [sites[i :: opts.clients] for i in range(opts.clients)]
            concurrency = max(1, opts.concurrency // opts.clients)
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(opts.clients) as pool:
                pending = [
                    pool.apply_async(client_process, (cloud.port, chunk, concurrency, opts.warmup, opts.duration))
                    for chunk in per_client
                ]
                # CPU is counted over the measured window only: start after the warm-up.
                time.sleep(opts.warmup)
                server_cpu0 = sum(process_cpu_seconds(p) for p in server_pids)
                pg_cpu0 = sum(process_cpu_seconds(p) for p in pg_pids)
                busy0, total0 = machine_busy()
                results = [p.get(timeout=opts.warmup + opts.duration + 120) for p in pending]
                busy1, total1 = machine_busy()
                server_cpu = sum(process_cpu_seconds(p) for p in server_pids) - server_cpu0
                pg_cpu = sum(process_cpu_seconds(p) for p in postgres_pids()) - pg_cpu0
            log_tail = cloud.log_tail(2000)
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for r in results:
        statuses.update(r["statuses"])
        errors.update(r["errors"])
    bad_leases = 0
    for r in results:
        for site_id, nonce, token in r["samples"]:
            try:
                verify_lease(token, trusted, site_id=site_id, nonce=nonce)
            except LeaseInvalid:
                bad_leases += 1
    ok = len(latencies)
    cores = os.cpu_count() or 1
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": cores, "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(opts).items() if k != "database_url"},
        "cloud_startup_seconds": round(startup, 2),
        "heartbeats_ok": ok,
        "heartbeats_per_second": round(ok / opts.duration, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 2),
            "p95": round(percentile(latencies, 95) * 1000, 2),
            "p99": round(percentile(latencies, 99) * 1000, 2),
            "max": round((latencies[-1] if latencies else math.nan) * 1000, 2),
        },
        "statuses": dict(statuses),
        "errors": dict(errors),
        "leases_verified": sum(len(r["samples"]) for r in results) - bad_leases,
        "leases_bad": bad_leases,
        "cpu_seconds": {
            "cloud_workers": round(server_cpu, 2),
            "postgresql": round(pg_cpu, 2),
            "clients": round(sum(r["cpu_seconds"] for r in results), 2),
        },
        "cpu_per_heartbeat_ms": {
            "cloud_workers": round(server_cpu / ok * 1000, 3) if ok else None,
            "postgresql": round(pg_cpu / ok * 1000, 3) if ok else None,
        },
        "machine_busy_percent": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "target_per_second": TARGET_PER_SECOND,
        "cloud_log_tail": log_tail if errors else "",
    }


def report(result: dict[str, Any]) -> str:
    lat = result["latency_ms"]
    cpu = result["cpu_seconds"]
    per = result["cpu_per_heartbeat_ms"]
    verdict = "meets" if result["heartbeats_per_second"] >= result["target_per_second"] else "misses"
    lines = [
        f"cloud heartbeat benchmark — {result['options']['workers']} workers, {result['options']['sites']} sites, "
        f"{result['options']['concurrency']} connections, {result['options']['duration']} s, "
        f"{result['machine']['cores']} cores (clients and PostgreSQL on the same machine)",
        f"  heartbeats/s      {result['heartbeats_per_second']:>9}   "
        f"(target ≥ {result['target_per_second']:.0f}: {verdict})",
        f"  latency ms        p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}",
        f"  errors            {sum(result['errors'].values())}  {result['errors'] or ''}",
        f"  leases verified   {result['leases_verified']} (bad: {result['leases_bad']})",
        f"  CPU s             cloud {cpu['cloud_workers']}  postgresql {cpu['postgresql']}  clients {cpu['clients']}"
        f"  (machine busy {result['machine_busy_percent']} %)",
        f"  CPU ms/heartbeat  cloud {per['cloud_workers']}  postgresql {per['postgresql']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cloud_heartbeat", description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=Options.workers, help="cloud worker processes (2)")
    parser.add_argument("--sites", type=int, default=Options.sites, help="registered sites (500)")
    parser.add_argument("--duration", type=float, default=Options.duration, help="measured seconds (10)")
    parser.add_argument("--warmup", type=float, default=Options.warmup, help="unmeasured seconds first (2)")
    parser.add_argument("--clients", type=int, default=Options.clients, help="client processes (1)")
    parser.add_argument("--concurrency", type=int, default=Options.concurrency, help="connections in all (32)")
    parser.add_argument("--database-url", default="", help="PostgreSQL (default $TEST_POSTGRES_URL or local)")
    parser.add_argument("--out-dir", type=Path, default=Options.out_dir, help="where the JSON goes")
    args = parser.parse_args(argv)
    opts = Options(
        workers=args.workers,
        sites=args.sites,
        duration=args.duration,
        warmup=args.warmup,
        clients=args.clients,
        concurrency=args.concurrency,
        database_url=args.database_url,
        out_dir=args.out_dir,
    )
    result = run(opts)
    print(report(result))
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    out = opts.out_dir / f"cloud-heartbeat-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"  results           {out.relative_to(REPO_ROOT) if out.is_relative_to(REPO_ROOT) else out}")
    if result["errors"]:
        print(result["cloud_log_tail"], file=sys.stderr)
    broken = result["heartbeats_ok"] == 0 or result["leases_bad"] > 0
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
