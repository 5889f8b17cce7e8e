"""The analytics benchmark: `python -m tests.bench.analytics`, or `make bench-analytics`.

Generates a year of a busy restaurant (~80k orders, ~300k order items, 60 products in 8 categories, 12 waiters,
30 tables) straight into a fresh SQLite file with SQLAlchemy Core executemany (the API would take hours), then
times every analytics endpoint through the real app in-process (FastAPI's TestClient: routing, auth, the
service's SQL and JSON serialisation, no network) several times each and prints p50 and max against the 500 ms
target. Scenarios: the whole year (its previous period is empty), its second half (compared with the first:
both halves have data), a month and a day.

`generate()` is also the data set of the analytics tests (tests/local_backend/analytics/): it returns every row
it wrote, so they can compute the expected figures independently in Python.

The distributions: lunch (around 13:30) and dinner (around 20:45) peaks and a few late-night bar orders,
Friday to Sunday busier, a summer season, Zipf-like product popularity, 1-6 guests, ~3.8 lines an order, 2 % of
lines voided, 1 % of orders cancelled, 4 % of orders discounted (10 % off or an item comped), 15 % of bills split,
tips on card payments, 0.4 % of bills partly refunded up to three days later, prep times by zone.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time as clock
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import Table as SqlTable
from sqlalchemy import insert, select, text

from local_backend.analytics import rollups
from local_backend.app import create_app
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.menu.models import Category, Product
from local_backend.orders.models import Order, OrderDiscount, OrderItem, Payment, Refund
from local_backend.printing.models import Printer
from local_backend.settings import service as site
from local_backend.staff.models import User
from local_backend.tables.models import Table

TARGET_MS = 500.0
MANAGER = ("boss", "9999")
SECRET = "analytics-bench-secret-key-long-enough-for-hs256-0123456789"
CATEGORIES = (
    ("Starters", "Kitchen", 1300),
    ("Salads", "Kitchen", 1300),
    ("Mains", "Grill", 1300),
    ("Pasta", "Kitchen", 1300),
    ("Desserts", "Kitchen", 1300),
    ("Soft drinks", "Bar", 1300),
    ("Wine", "Bar", 2400),
    ("Beer & spirits", "Bar", 2400),
)
ZONES = ("Kitchen", "Grill", "Bar")
# Seconds from fired to ready: (median, spread of the log-normal) per zone.
PREP = {"Kitchen": (540.0, 0.45), "Grill": (840.0, 0.35), "Bar": (120.0, 0.5)}
WEEKDAY_LOAD = (0.8, 0.85, 0.9, 1.0, 1.3, 1.45, 1.2)  # Monday first
VOID_REASONS = ("wrong dish", "guest changed mind", "out of stock", "spilled")
DISCOUNT_REASONS = ("regular guest", "birthday", "complaint")
REFUND_REASONS = ("overcharged", "cold food")


@dataclass
class Dataset:
    """What `generate` wrote: the menu, staff and tables it made and every order row, as inserted."""

    tz: ZoneInfo
    manager_id: int
    waiters: dict[int, str] = field(default_factory=dict)
    tables: dict[int, str] = field(default_factory=dict)
    zones: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    discounts: list[dict[str, Any]] = field(default_factory=list)


def _setup(database: Database, rng: random.Random, hashed_pin: str) -> Dataset:
    """Staff, tables, printers (the zones) and the menu, through the ORM (a hundred rows)."""
    with database.write_session() as db:
        manager = db.scalars(select(User).where(User.role == "manager").order_by(User.id)).first()
        if manager is None:
            raise RuntimeError("the app did not create its first manager")
        tz = site.current(db).tz
        data = Dataset(tz=tz, manager_id=manager.id)
        waiters = [
            User(username=f"waiter{n}", display_name=f"Waiter {n:02d}", role="waiter", pin_hash=hashed_pin)
            for n in range(1, 13)
        ]
        tables = [Table(number=n, label=f"T{n}", seats=rng.choice((2, 4, 4, 6))) for n in range(1, 31)]
        printers = {z: Printer(name=z, ip_address="127.0.0.1", port=9100) for z in ZONES}
        db.add_all([*waiters, *tables, *printers.values()])
        db.flush()
        categories = []
        for n, (name, zone, _) in enumerate(CATEGORIES):
            categories.append(Category(name=name, sort_order=n, printer_zone_id=printers[zone].id))
        db.add_all(categories)
        db.flush()
        products = []
        for n in range(60):
            c = n % len(CATEGORIES)
            name, zone, tax = CATEGORIES[c]
            low, high = (250, 900) if zone == "Bar" else (450, 2600)
            price = rng.randrange(low, high, 10)
            products.append(
                Product(
                    category_id=categories[c].id,
                    name=f"{name[:-1] if name.endswith('s') else name} {n // len(CATEGORIES) + 1}",
                    base_price=price,
                    tax_rate_bp=tax,
                    sort_order=n,
                    options=[],
                    ingredients=[],
                    preference_sets=[],
                )
            )
        db.add_all(products)
        db.flush()
        data.waiters = {w.id: w.display_name for w in waiters}
        data.tables = {t.id: t.label for t in tables}
        data.zones = {p.id: name for name, p in printers.items()}
        data.categories = {c.id: c.name for c in categories}
        for c, p in zip([n % len(CATEGORIES) for n in range(60)], products, strict=True):
            data.products[p.id] = {
                "name": p.name,
                "category_id": p.category_id,
                "price": p.base_price,
                "tax_rate_bp": p.tax_rate_bp,
                "zone_id": printers[CATEGORIES[c][1]].id,
            }
    return data


class _Ids:
    def __init__(self, database: Database) -> None:
        with database.write_session() as db:
            self.next = {
                model: int(db.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0) + 1
                for model in (Order, OrderItem, Payment, Refund, OrderDiscount)
            }

    def take(self, model: Any) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _local(day: date, hours: float, tz: ZoneInfo) -> datetime:
    """`hours` after midnight on the wall clock of `day`, in UTC."""
    wall = datetime.combine(day, time.min) + timedelta(seconds=round(hours * 3600))
    return wall.replace(tzinfo=tz).astimezone(UTC)


def _open_hour(rng: random.Random, late_share: float) -> float:
    r = rng.random()
    if r < late_share:  # late bar orders, through the small hours where the clocks change
        return rng.uniform(0.0, 4.5)
    if r < late_share + 0.37:
        return min(16.5, max(11.5, rng.gauss(13.5, 0.9)))
    return min(23.9, max(18.0, rng.gauss(20.75, 1.2)))


def _allocate(amount: int, parts: int) -> list[int]:
    base = amount // parts
    return [base + (1 if n < amount - base * parts else 0) for n in range(parts)]


def generate(
    database: Database,
    days: Iterable[date],
    *,
    orders_per_day: float = 220.0,
    seed: int = 7,
    hashed_pin: str = "x",
    late_share: float = 0.05,
) -> Dataset:
    """Write the orders of `days` (busy restaurant shapes, see the module docstring) and return every row."""
    rng = random.Random(seed)
    data = _setup(database, rng, hashed_pin)
    tz = data.tz
    ids = _Ids(database)
    waiters = list(data.waiters)
    tables = list(data.tables)
    product_ids = list(data.products)
    popularity = [1.0 / (rank + 1) ** 0.8 for rank in range(len(product_ids))]
    rng.shuffle(popularity)
    mean_load = sum(WEEKDAY_LOAD) / 7
    for day in days:
        season = 1.0 + 0.2 * math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        count = round(orders_per_day * WEEKDAY_LOAD[day.weekday()] / mean_load * season * rng.uniform(0.9, 1.1))
        for _ in range(count):
            _order(data, ids, rng, day, tz, waiters, tables, product_ids, popularity, late_share)
    _insert(database, data)
    return data


def _order(
    data: Dataset,
    ids: _Ids,
    rng: random.Random,
    day: date,
    tz: ZoneInfo,
    waiters: Sequence[int],
    tables: Sequence[int],
    product_ids: Sequence[int],
    popularity: Sequence[float],
    late_share: float,
) -> None:
    opened = _local(day, _open_hour(rng, late_share), tz)
    waiter = rng.choice(waiters)
    guests = rng.choices((1, 2, 3, 4, 5, 6), weights=(15, 40, 15, 18, 7, 5))[0]
    duration = timedelta(minutes=max(12.0, rng.lognormvariate(math.log(55), 0.35)))
    closed = opened + duration
    order_id = ids.take(Order)
    cancelled = rng.random() < 0.01
    manager = data.manager_id
    lines: list[dict[str, Any]] = []
    for _ in range(max(1, guests + rng.randint(0, 2))):
        product_id = rng.choices(product_ids, weights=popularity)[0]
        product = data.products[product_id]
        quantity = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        second_round = not cancelled and rng.random() < 0.15
        added = opened + timedelta(minutes=rng.uniform(20, 40) if second_round else rng.uniform(1, 6))
        held = rng.random() < 0.05
        fired = added + timedelta(minutes=rng.uniform(10, 25)) if held else added
        zone = data.zones[product["zone_id"]]
        median, spread = PREP[zone]
        prep = timedelta(seconds=round(rng.lognormvariate(math.log(median), spread), 3))
        bumped = rng.random() > 0.05
        ready = fired + prep if bumped else None
        void = cancelled or rng.random() < 0.02
        void_at = (
            opened + duration / 3 if cancelled else added + timedelta(minutes=rng.uniform(1, 10)) if void else None
        )
        lines.append(
            {
                "id": ids.take(OrderItem),
                "order_id": order_id,
                "product_id": product_id,
                "product_name": product["name"],
                "quantity": quantity,
                "unit_price": product["price"],
                "tax_rate_bp": product["tax_rate_bp"],
                "selected_options": [],
                "removed_ingredients": [],
                "choices": [],
                "note": None,
                "seat": None,
                "course": 2 if held else 1,
                "status": "cancelled" if void else ("served" if bumped else "preparing"),
                "printed": True,
                "printer_zone_id": product["zone_id"],
                "round": 2 if second_round else 1,
                "fired_at": fired,
                "preparing_at": fired + prep / 4,
                "ready_at": ready,
                "served_at": ready + timedelta(minutes=rng.uniform(0.5, 3)) if ready is not None else None,
                "added_by_id": waiter,
                "added_at": added,
                "cancelled_by_id": (manager if cancelled else waiter) if void else None,
                "cancelled_at": void_at,
                "cancel_reason": ("guests left" if cancelled else rng.choice(VOID_REASONS)) if void else None,
                "cancel_approved_by_id": manager if void else None,
                "paid_quantity": 0 if void else quantity,
                "guest_nickname": None,
                "updated_at": void_at or ready or added,
            }
        )
    data.items.extend(lines)
    order = {
        "id": order_id,
        "table_id": rng.choice(tables),
        "waiter_id": waiter,
        "status": "cancelled" if cancelled else "closed",
        "guests": guests,
        "opened_at": opened,
        "closed_at": None if cancelled else closed,
        "cancelled_at": opened + duration / 3 if cancelled else None,
        "cancelled_by_id": manager if cancelled else None,
        "cancel_reason": "guests left" if cancelled else None,
        "rounds": 2 if any(line["round"] == 2 for line in lines) else 1,
        "fired_course": 2 if any(line["course"] == 2 for line in lines) else 1,
        "tax_mode": "inclusive",
        "service_charge_bp": 0,
        "merged_into_id": None,
        "updated_at": closed,
    }
    data.orders.append(order)
    if cancelled:
        return
    live = [line for line in lines if line["status"] != "cancelled"]
    total = sum(line["quantity"] * line["unit_price"] for line in live)
    if live and rng.random() < 0.04:
        total -= _discount(data, ids, rng, order_id, live, total, opened + duration / 2, waiter)
    if total <= 0:
        return
    pay_at = closed - timedelta(minutes=rng.uniform(1, 5))
    parts = _allocate(total, rng.choice((2, 2, 3))) if rng.random() < 0.15 else [total]
    first_payment = None
    for n, amount in enumerate(parts):
        card = rng.random() < 0.55
        tip = (round(amount * rng.uniform(0.05, 0.1) / 50) * 50 if rng.random() < 0.5 else 0) if card else 0
        payment = {
            "id": ids.take(Payment),
            "order_id": order_id,
            "method": "card" if card else "cash",
            "amount": amount,
            "tip": tip,
            "tendered": None,
            "change_due": 0,
            "reference": None,
            "split_part": f"{n + 1}/{len(parts)}" if len(parts) > 1 else None,
            "created_by_id": waiter,
            "created_at": pay_at + timedelta(seconds=40 * n),
        }
        data.payments.append(payment)
        first_payment = first_payment or payment
    if first_payment is not None and rng.random() < 0.004:
        data.refunds.append(
            {
                "id": ids.take(Refund),
                "payment_id": first_payment["id"],
                "order_id": order_id,
                "amount": min(first_payment["amount"], live[0]["unit_price"]),
                "reason": rng.choice(REFUND_REASONS),
                "method": first_payment["method"],
                "created_by_id": data.manager_id,
                "created_at": closed + timedelta(hours=rng.uniform(0.2, 72)),
            }
        )


def _discount(
    data: Dataset,
    ids: _Ids,
    rng: random.Random,
    order_id: int,
    live: list[dict[str, Any]],
    total: int,
    at: datetime,
    waiter: int,
) -> int:
    """One discount on the order (10 % off the bill, or an item comped); what it takes off (0 if removed)."""
    if rng.random() < 0.5:
        item, kind, value, amount = None, "percent", 1000, (total + 5) // 10
    else:
        line = rng.choice(live)
        item, kind, value, amount = line["id"], "comp", 0, line["quantity"] * line["unit_price"]
    removed = rng.random() < 0.1
    data.discounts.append(
        {
            "id": ids.take(OrderDiscount),
            "order_id": order_id,
            "item_id": item,
            "kind": kind,
            "value": value,
            "amount": amount,
            "reason": rng.choice(DISCOUNT_REASONS),
            "created_by_id": waiter,
            "approved_by_id": data.manager_id,
            "created_at": at,
            "removed_at": at + timedelta(minutes=3) if removed else None,
            "removed_by_id": data.manager_id if removed else None,
            "removed_approved_by_id": data.manager_id if removed else None,
            "removed_reason": "by mistake" if removed else None,
        }
    )
    return 0 if removed else amount


def _insert(database: Database, data: Dataset) -> None:
    chunk = 20_000
    with database.write_session() as db:
        connection = db.connection()
        for model, rows in (
            (Order, data.orders),
            (OrderItem, data.items),
            (Payment, data.payments),
            (Refund, data.refunds),
            (OrderDiscount, data.discounts),
        ):
            for n in range(0, len(rows), chunk):
                # Core executemany on the table: no ORM objects, one prepared statement per chunk.
                connection.execute(insert(cast(SqlTable, model.__table__)), rows[n : n + chunk])


# --- the benchmark ---------------------------------------------------------------------------------------------------


def endpoints(first: date, last: date) -> list[tuple[str, str, dict[str, str]]]:
    span = {"from": first.isoformat(), "to": last.isoformat()}
    out = [
        (f"sales group_by={g}", "/api/reports/sales", {**span, "group_by": g})
        for g in ("hour", "weekday", "day", "product", "category", "waiter")
    ]
    out += [
        (name, f"/api/analytics/{name}", span)
        for name in ("summary", "heatmap", "products", "waiters", "turnover", "kitchen", "exceptions")
    ]
    return out


@dataclass
class Timing:
    scenario: str
    endpoint: str
    runs: list[float]
    cpu: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.runs)

    @property
    def worst(self) -> float:
        return max(self.runs)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu)


def measure(
    client: TestClient, headers: dict[str, str], scenarios: Sequence[tuple[str, date, date]], repeat: int
) -> list[Timing]:
    timings = []
    for scenario, first, last in scenarios:
        for name, path, params in endpoints(first, last):
            client.get(path, params=params, headers=headers)  # warm the page cache and statement cache
            runs, cpu = [], []
            for _ in range(repeat):
                began, began_cpu = clock.perf_counter(), clock.process_time()
                resp = client.get(path, params=params, headers=headers)
                runs.append((clock.perf_counter() - began) * 1000)
                cpu.append((clock.process_time() - began_cpu) * 1000)
                if resp.status_code != 200:
                    raise RuntimeError(f"{path} {params}: {resp.status_code} {resp.text}")
            timings.append(Timing(scenario, name, runs, cpu))
    return timings


def year_settings(data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{data_dir / 'analytics.db'}",
        secret_key=SECRET,
        manager_username=MANAGER[0],
        manager_pin=MANAGER[1],
        pin_hash_rounds=4,
        timezone="Europe/Athens",
        currency="EUR",
    )


def seed_year(client: TestClient, first: date, days: int, orders_per_day: float) -> Dataset:
    app: Any = client.app
    database: Database = app.state.database
    hashed = app.state.hasher.hash("1234")
    return generate(
        database, (first + timedelta(days=n) for n in range(days)), orders_per_day=orders_per_day, hashed_pin=hashed
    )


ANALYTICS_INDEXES = (
    "ix_orders_table_turnover",
    "ix_order_items_order_live",
    "ix_order_items_product_sales",
    "ix_order_items_prep_by_zone",
    "ix_order_items_cancelled_at",
    "ix_payments_created_at_money",
    "ix_payments_order_id_created_at",
)


def drop_analytics_indexes(client: TestClient) -> None:
    app: Any = client.app
    database: Database = app.state.database
    with database.write_session() as db:
        for name in ANALYTICS_INDEXES:
            db.execute(text(f"DROP INDEX IF EXISTS {name}"))


def login(client: TestClient) -> dict[str, str]:
    resp = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]})
    resp.raise_for_status()
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--orders-per-day", type=float, default=220.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="write the database here and keep it")
    parser.add_argument(
        "--without-indexes",
        action="store_true",
        help="drop the indexes the analytics added (to measure what they are worth)",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="no rollups of finished days: products and categories shared line by line over the whole period",
    )
    args = parser.parse_args(argv)
    first = date(args.year, 1, 1)
    days = (date(args.year + 1, 1, 1) - first).days
    with tempfile.TemporaryDirectory(prefix="tavolo-analytics-") as tmp:
        data_dir = args.keep or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "analytics.db").unlink(missing_ok=True)
        app = create_app(year_settings(data_dir))
        with TestClient(app) as client:
            began = clock.perf_counter()
            data = seed_year(client, first, days, args.orders_per_day)
            seeded = clock.perf_counter() - began
            print(
                f"generated {len(data.orders):,} orders, {len(data.items):,} items, {len(data.payments):,} payments, "
                f"{len(data.refunds):,} refunds, {len(data.discounts):,} discounts in {seeded:.1f} s "
                f"({(data_dir / 'analytics.db').stat().st_size / 1e6:.0f} MB)"
            )
            if args.without_indexes:
                drop_analytics_indexes(client)
            # The day closer would roll up finished days within a minute, in the middle of the timings.
            assert client.portal is not None
            client.portal.call(app.state.day_closer.stop)
            if not args.live:
                began = clock.perf_counter()
                rolled = rollups.refresh(app.state.database)
                print(
                    f"rolled up {rolled} finished days in {clock.perf_counter() - began:.1f} s (the appliance does "
                    "this once, in the background; then one day each night)"
                )
            headers = login(client)
            mid = date(args.year, 7, 1)
            scenarios = [
                ("year", first, date(args.year, 12, 31)),
                ("H2 vs H1", mid, date(args.year, 12, 31)),
                ("month", date(args.year, 10, 1), date(args.year, 10, 31)),
                ("day", date(args.year, 10, 25), date(args.year, 10, 25)),
            ]
            load_before = f"{os.getloadavg()[0]:.2f}"
            timings = measure(client, headers, scenarios, args.repeat)
    indexes = "WITHOUT the analytics indexes" if args.without_indexes else "with the analytics indexes"
    indexes += ", no rollups (--live)" if args.live else ", finished days rolled up"
    print(f"\nTestClient in-process, {indexes}, {args.repeat} runs each after a warm-up; target {TARGET_MS:.0f} ms")
    # CPU time of this process per request (the app runs in it): the work itself, whatever else the machine runs.
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")
    print(f"{'scenario':<10} {'endpoint':<24} {'p50 ms':>8} {'max ms':>8} {'cpu p50':>8}  ok")
    for t in timings:
        ok = "yes" if t.worst < TARGET_MS else "NO"
        print(f"{t.scenario:<10} {t.endpoint:<24} {t.p50:8.1f} {t.worst:8.1f} {t.cpu_p50:8.1f}  {ok}")
    slowest = max(timings, key=lambda t: t.worst)
    print(f"\nslowest: {slowest.scenario} {slowest.endpoint} max {slowest.worst:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
