"""The rush's two simulated ESC/POS printers (kitchen and bar) and its print-latency figure.

Each seeded category is routed to one printer. Print latency is measured per kitchen ticket from the moment
the waiter got the 2xx for the add-items that queued it (the commit happens just before the response) to the
moment the printer simulator had the whole ticket, cut included. Tickets are matched to add-items by order
number and, per printer and order, by arrival order: a printer prints its queue in order.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict
from typing import Any

import httpx

from local_backend.printing.simulator import SimulatedPrinter

ORDER_RE = re.compile(r"#(\d+)")
TARGET_P99_MS = 250.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class PrinterExtra:
    """Two simulated network printers beside the waiters; see the module docstring."""

    name = "printers"

    def __init__(self, _opts: Any) -> None:
        self.sims: dict[int, SimulatedPrinter] = {}  # printer id -> simulator
        self.zone_of_product: dict[int, int] = {}
        self.zones_of_body: dict[bytes, frozenset[int]] = {}
        # (printer id, order id) -> ack times (wall clock) of the add-items that queued a ticket there, in order
        self.expected: defaultdict[tuple[int, int], list[float]] = defaultdict(list)

    def appliance_env(self) -> dict[str, str]:
        return {}

    async def start(self, ctx: Any) -> None:
        headers = ctx.seed.manager_headers
        async with httpx.AsyncClient(base_url=ctx.appliance.base_url, headers=headers, timeout=30) as http:
            for category in ctx.seed.categories:
                sim = SimulatedPrinter(name=category["name"].lower(), host="127.0.0.1", port=0, idle_timeout=60)
                sim.start()
                resp = await http.post(
                    "/api/printers/",
                    json={"name": f"Rush {category['name']}", "ip_address": "127.0.0.1", "port": sim.port},
                )
                resp.raise_for_status()
                printer_id = int(resp.json()["id"])
                self.sims[printer_id] = sim
                routed = await http.put(
                    f"/api/products/categories/{category['id']}", json={"printer_zone_id": printer_id}
                )
                routed.raise_for_status()
                for product in ctx.seed.products:
                    if product["category_id"] == category["id"]:
                        self.zone_of_product[int(product["id"])] = printer_id
        ctx.on_items_added = self.on_items_added

    def on_items_added(self, order_id: int, body: bytes) -> None:
        acked = time.time()
        zones = self.zones_of_body.get(body)
        if zones is None:
            items = json.loads(body)["items"]
            zones = frozenset(self.zone_of_product[int(i["product_id"])] for i in items)
            self.zones_of_body[body] = zones
        for zone in zones:
            self.expected[(zone, order_id)].append(acked)

    async def stop(self) -> None:
        # Let the queue drain (bounded) before reading what printed.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self._printed() < sum(len(v) for v in self.expected.values()):  # noqa: ASYNC110 - polling another thread's simulator
            await asyncio.sleep(0.2)
        for sim in self.sims.values():
            sim.stop()

    def _printed(self) -> int:
        return sum(len([t for t in sim.tickets if t.cut]) for sim in self.sims.values())

    def report(self) -> dict[str, Any]:
        latencies: list[float] = []
        unmatched = 0
        for printer_id, sim in self.sims.items():
            arrivals: defaultdict[int, list[float]] = defaultdict(list)
            for ticket in sim.tickets:
                match = ORDER_RE.search("\n".join(ticket.lines))
                if ticket.cut and match:
                    arrivals[int(match.group(1))].append(ticket.received_at.timestamp())
            for order_id, printed_at in arrivals.items():
                acks = self.expected.get((printer_id, order_id), [])
                unmatched += abs(len(acks) - len(printed_at))
                latencies.extend(max(0.0, p - a) * 1000 for a, p in zip(acks, printed_at, strict=False))
        expected = sum(len(v) for v in self.expected.values())
        p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        return {
            "tickets_expected": expected,
            "tickets_printed": self._printed(),
            "unmatched": unmatched,
            "print_latency_ms": {"p50": round(p50, 1), "p99": round(p99, 1), "count": len(latencies)},
            "rows": [
                ("print latency p50 (ack -> cut at printer)", f"{p50:.0f} ms", "", None),
                ("print latency p99", f"{p99:.0f} ms", f"<= {TARGET_P99_MS:.0f} ms", p99 <= TARGET_P99_MS),
                ("kitchen tickets printed / expected", f"{self._printed()} / {expected}", "all", unmatched == 0),
            ],
        }
