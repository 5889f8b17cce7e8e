"""The rush's kitchen screens: 6 paired KDS clients on /ws/kitchen and their push latency.

Push latency is the time from an event's publication (stamped right after the commit of the write it
describes) to the message's arrival at a screen. The screens run in their own process (`python -m
tests.bench.live`), so the waiters' client load does not delay what they measure; both processes read the same
wall clock. Screens are paired like a real kitchen: one expo screen sees every zone, the others are spread over the
rush's zones (printers), so each ticket reaches two or more screens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

TARGET_P99_MS = 50.0
SCREENS = 6


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class LiveExtra:
    """Starts the screens' process beside the waiters and reads its figures at the end."""

    name = "live screens"

    def __init__(self, _opts: Any) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.out = Path(tempfile.mkdtemp(prefix="tavolo-live-")) / "latency.json"
        self.result: dict[str, Any] = {}

    def appliance_env(self) -> dict[str, str]:
        return {}

    async def start(self, ctx: Any) -> None:
        import httpx

        base = ctx.appliance.base_url
        urls = []
        async with httpx.AsyncClient(base_url=base, headers=ctx.seed.manager_headers, timeout=30) as http:
            zones = [int(p["id"]) for p in (await http.get("/api/printers/")).raise_for_status().json()]
            for n in range(SCREENS):
                expo = n == 0 or not zones
                body = {
                    "name": f"Rush screen {n + 1}",
                    "zone_ids": [] if expo else [zones[n % len(zones)]],
                    "expo": expo,
                }
                screen = (await http.post("/api/kitchen/screens", json=body)).raise_for_status().json()
                urls.append(base.replace("http://", "ws://") + "/ws/kitchen?token=" + screen["token"])
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - started once, before the rush
            [
                sys.executable,
                "-m",
                "tests.bench.live",
                *(a for url in urls for a in ("--url", url)),
                "--out",
                str(self.out),
            ],
            stdin=subprocess.DEVNULL,
        )
        await asyncio.sleep(1.0)  # let the screens connect and take their snapshot before the rush starts

    async def stop(self) -> None:
        if self.proc is None:
            return
        await asyncio.sleep(0.5)  # the last events are in flight
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(self.proc.wait, 15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
            self.result = json.loads(self.out.read_text())

    def report(self) -> dict[str, Any]:
        latencies: list[float] = self.result.get("latencies_ms", [])
        p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        gaps = int(self.result.get("gaps", -1))
        return {
            "screens": SCREENS,
            "messages": len(latencies),
            "gaps": gaps,
            "push_latency_ms": {"p50": round(p50, 1), "p99": round(p99, 1)},
            "rows": [
                (f"KDS push latency p50 ({SCREENS} screens, commit -> message)", f"{p50:.1f} ms", "", None),
                ("KDS push latency p99", f"{p99:.1f} ms", f"<= {TARGET_P99_MS:.0f} ms", p99 <= TARGET_P99_MS),
                ("events received / repeated or out of order", f"{len(latencies)} / {gaps}", "0", gaps == 0),
            ],
        }


async def _screen(url: str, latencies: list[float], gaps: list[int], stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, max_size=None) as ws:
        last: int | None = None
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except TimeoutError:
                continue
            arrived = time.time()
            message = json.loads(raw)
            if message["type"] == "snapshot":
                last = int(message["seq"])
                continue
            seq = int(message["seq"])
            # Each stream is filtered (a screen sees its zones' events only), so the global sequence has holes by
            # design; what must never happen is a repeat or a step back.
            if last is not None and seq <= last:
                gaps[0] += 1
            last = seq
            sent = datetime.fromisoformat(message["at"]).timestamp()
            latencies.append(max(0.0, arrived - sent) * 1000)


async def _screens(urls: list[str]) -> dict[str, Any]:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    latencies: list[float] = []
    gaps = [0]
    await asyncio.gather(*(_screen(url, latencies, gaps, stop) for url in urls))
    return {"latencies_ms": latencies, "gaps": gaps[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description="live screens for the rush benchmark")
    parser.add_argument("--url", action="append", required=True, help="a screen's socket (repeat per screen)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = asyncio.run(_screens(args.url))
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
