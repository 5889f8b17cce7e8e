"""The analytics figures computed again in plain Python from the rows the generator wrote: written from the
definitions in local_backend/analytics/service.py's docstring, sharing no code with it."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tests.bench.analytics import Dataset


@dataclass
class Row:
    orders: int = 0
    items: int = 0
    revenue: int = 0
    tips: int = 0
    covers: int = 0
    tables: set[int] = field(default_factory=set)


class Expected:
    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.tz = data.tz
        self.orders = {o["id"]: o for o in data.orders}
        self.items_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for item in data.items:
            self.items_of[item["order_id"]].append(item)
        self.first_payment: dict[int, dict[str, Any]] = {}
        for p in sorted(data.payments, key=lambda p: (p["created_at"], p["id"])):
            self.first_payment.setdefault(p["order_id"], p)

    # --- periods and the clock

    def bounds(self, first: date, last: date) -> tuple[datetime, datetime]:
        start = datetime.combine(first, time.min, tzinfo=self.tz)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=self.tz)
        return start, end

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def live(self, order_id: int) -> list[dict[str, Any]]:
        return [i for i in self.items_of[order_id] if i["status"] != "cancelled"]

    def units(self, order_id: int) -> int:
        return sum(i["quantity"] for i in self.live(order_id))

    # --- sales

    def sales(self, first: date, last: date, key: Any) -> dict[Any, Row]:
        """Per key(moment, order): revenue where money moved, orders/items/covers/tables at the first payment."""
        start, end = self.bounds(first, last)
        rows: dict[Any, Row] = defaultdict(Row)
        for p in self.data.payments:
            if start <= p["created_at"] < end:
                row = rows[key(p["created_at"], self.orders[p["order_id"]])]
                row.revenue += p["amount"]
                row.tips += p["tip"]
        for r in self.data.refunds:
            if start <= r["created_at"] < end:
                rows[key(r["created_at"], self.orders[r["order_id"]])].revenue -= r["amount"]
        for order_id, p in self.first_payment.items():
            if start <= p["created_at"] < end:
                order = self.orders[order_id]
                row = rows[key(p["created_at"], order)]
                row.orders += 1
                row.items += self.units(order_id)
                row.covers += order["guests"]
                row.tables.add(order["table_id"])
        return dict(rows)

    def total(self, first: date, last: date) -> Row:
        return self.sales(first, last, lambda at, order: None).get(None, Row())

    def hour(self, at: datetime, order: dict[str, Any]) -> int:
        return self.local(at).hour

    def weekday(self, at: datetime, order: dict[str, Any]) -> int:
        return self.local(at).weekday()

    def day(self, at: datetime, order: dict[str, Any]) -> str:
        return self.local(at).date().isoformat()

    def cell(self, at: datetime, order: dict[str, Any]) -> tuple[int, int]:
        local = self.local(at)
        return local.weekday(), local.hour

    @staticmethod
    def waiter(at: datetime, order: dict[str, Any]) -> int:
        return int(order["waiter_id"])

    # --- shares by product and category

    def shares(
        self, first: date, last: date, key_of: Any
    ) -> tuple[dict[Any, float], dict[Any, set[int]], dict[Any, int]]:
        """(revenue share as a float, orders counted, units counted) per product or category key."""
        start, end = self.bounds(first, last)
        net: dict[int, int] = defaultdict(int)
        for p in self.data.payments:
            if start <= p["created_at"] < end:
                net[p["order_id"]] += p["amount"]
        for r in self.data.refunds:
            if start <= r["created_at"] < end:
                net[r["order_id"]] -= r["amount"]
        off: dict[int, int] = defaultdict(int)
        for d in self.data.discounts:
            if d["item_id"] is not None and d["removed_at"] is None:
                off[d["item_id"]] += d["amount"]
        revenue: dict[Any, float] = defaultdict(float)
        orders: dict[Any, set[int]] = defaultdict(set)
        units: dict[Any, int] = defaultdict(int)
        for order_id, money in net.items():
            lines = self.live(order_id)
            first_paid = self.first_payment[order_id]["created_at"] if order_id in self.first_payment else None
            counted = first_paid is not None and start <= first_paid < end
            if not lines:
                revenue[None] += money
                continue
            weights = [max(0, i["quantity"] * i["unit_price"] - off[i["id"]]) for i in lines]
            total_weight = sum(weights)
            for item, weight in zip(lines, weights, strict=True):
                key = key_of(item)
                if total_weight > 0:
                    revenue[key] += money * weight / total_weight
                else:
                    revenue[key] += money * item["quantity"] / sum(i["quantity"] for i in lines)
                if counted:
                    orders[key].add(order_id)
                    units[key] += item["quantity"]
        return dict(revenue), dict(orders), dict(units)

    def category(self, item: dict[str, Any]) -> int:
        return int(self.data.products[item["product_id"]]["category_id"])

    # --- exceptions

    def discounts(self, first: date, last: date) -> dict[str, tuple[int, int]]:
        """(count, amount) of discounts and comps given in the period and not taken back before its end."""
        start, end = self.bounds(first, last)
        out: dict[str, list[int]] = {"discount": [0, 0], "comp": [0, 0]}
        for d in self.data.discounts:
            if start <= d["created_at"] < end and (d["removed_at"] is None or d["removed_at"] >= end):
                kind = "comp" if d["kind"] == "comp" else "discount"
                out[kind][0] += 1
                out[kind][1] += d["amount"]
        return {k: (v[0], v[1]) for k, v in out.items()}

    def voids(self, first: date, last: date) -> list[dict[str, Any]]:
        start, end = self.bounds(first, last)
        return [
            i
            for i in self.data.items
            if i["status"] == "cancelled" and i["cancelled_at"] is not None and start <= i["cancelled_at"] < end
        ]

    def refunds(self, first: date, last: date) -> list[dict[str, Any]]:
        start, end = self.bounds(first, last)
        return [r for r in self.data.refunds if start <= r["created_at"] < end]

    # --- durations

    def turnover(self, first: date, last: date) -> dict[int | None, tuple[int, float, float]]:
        """(orders, average, median minutes) per table and over all (None), orders closed in the period."""
        start, end = self.bounds(first, last)
        per: dict[int | None, list[float]] = defaultdict(list)
        for o in self.data.orders:
            if o["status"] == "closed" and start <= o["closed_at"] < end:
                minutes = max(0.0, (o["closed_at"] - o["opened_at"]).total_seconds() / 60)
                per[o["table_id"]].append(minutes)
                per[None].append(minutes)
        return {k: (len(v), sum(v) / len(v), statistics.median(v)) for k, v in per.items()}

    def prep(self, first: date, last: date, key: str) -> dict[int | None, tuple[int, float, float]]:
        """(items, average, nearest-rank p90 seconds) per zone or product of the items added in the period."""
        start, end = self.bounds(first, last)
        per: dict[int | None, list[float]] = defaultdict(list)
        for i in self.data.items:
            if i["ready_at"] is not None and start <= i["added_at"] < end:
                told = i["fired_at"] or i["added_at"]
                per[i[key]].append(max(0.0, (i["ready_at"] - told).total_seconds()))
        out = {}
        for k, values in per.items():
            values.sort()
            out[k] = (len(values), sum(values) / len(values), values[max(0, math.ceil(0.9 * len(values)) - 1)])
        return out
