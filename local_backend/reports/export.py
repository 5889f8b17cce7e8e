"""CSV exports of orders and their items for a range of business days (manager; open while unlicensed too).

The range is `from`..`to`, both business days in the site's timezone and both included (`from == to` is one day):
that is [local midnight of `from`, local midnight after `to`), the same day bounds as the Z report. An order
belongs to the day it was opened, and its items come with it, so the two files of one range join on `order_id`.

Rows are streamed a batch of orders at a time from one read transaction (a consistent snapshot of the period).
Money columns are exact decimal strings of the integer minor units in the site's currency (the header says which)
and times are the site's local time in ISO 8601 with the offset. Text typed by people (names, labels, reasons,
notes) that a spreadsheet would run as a formula gets a leading apostrophe; our own numbers never need it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from local_backend.db import Database
from local_backend.menu import service as menu
from local_backend.orders import service as orders
from local_backend.orders.models import Order
from local_backend.reports.service import InvalidPeriod, day_bounds
from local_backend.settings import service as site
from local_backend.staff import service as staff
from local_backend.tables import service as tables
from shared.errors import Unprocessable
from shared.money import decimal_text, minor_exponent

MAX_DAYS = 366
BATCH = 200
# Excel reads a CSV as UTF-8 (Greek names and all) only when it starts with a byte order mark.
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportRangeTooLong(Unprocessable):
    code = "EXPORT_RANGE_TOO_LONG"
    default_detail = f"Export at most {MAX_DAYS} days at a time"


EXPORT_ERRORS = (InvalidPeriod, ExportRangeTooLong)


def safe_text(value: str | None) -> str:
    """Text a spreadsheet will not evaluate: a cell starting like a formula gets a leading apostrophe."""
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def local_iso(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment is not None else ""


def period(from_day: date, to_day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight of from_day, local midnight after to_day) in UTC; refused when reversed or too long."""
    if to_day < from_day:
        raise InvalidPeriod(f"{to_day.isoformat()} is before {from_day.isoformat()}")
    days = (to_day - from_day).days + 1
    if days > MAX_DAYS:
        raise ExportRangeTooLong(f"{days} days asked; export at most {MAX_DAYS} at a time")
    return day_bounds(from_day, tz)[0], day_bounds(to_day, tz)[1]


def filename(kind: str, from_day: date, to_day: date) -> str:
    return f"tavolo-{kind}-{from_day.isoformat()}_{to_day.isoformat()}.csv"


def check_range(db: Session, *, from_day: date, to_day: date) -> None:
    """Refuse a bad range before the response starts (a streamed body can no longer become an error)."""
    period(from_day, to_day, site.current(db).tz)


def order_header(currency: str) -> list[str]:
    money = [
        f"{name} ({currency})" for name in ("subtotal", "discounts", "tax", "service_charge", "total", "paid", "tips")
    ]
    return [
        "order_id",
        "opened_at",
        "closed_at",
        "cancelled_at",
        "table",
        "waiter",
        "guests",
        "status",
        *money,
        "cancel_reason",
    ]


def item_header(currency: str) -> list[str]:
    return [
        "order_id",
        "item_id",
        "table",
        "waiter",
        "product",
        "category",
        "quantity",
        f"unit_price ({currency})",
        f"line_total ({currency})",
        "options",
        "seat",
        "course",
        "note",
        "status",
        "cancel_reason",
        "added_at",
        "sent_at",
    ]


class _Names:
    """Table labels and waiter names, looked up once per batch."""

    def __init__(self, db: Session, batch: Sequence[Order]) -> None:
        self.tables = tables.table_labels(db, {o.table_id for o in batch})
        self.waiters = staff.display_names(db, {o.waiter_id for o in batch})

    def table(self, order: Order) -> str:
        return safe_text(self.tables.get(order.table_id, ""))

    def waiter(self, order: Order) -> str:
        return safe_text(self.waiters.get(order.waiter_id, ""))


def _order_rows(db: Session, batch: Sequence[Order], tz: ZoneInfo, exponent: int) -> Iterator[list[Any]]:
    names = _Names(db, batch)

    def money(amount: int) -> str:
        return decimal_text(amount, exponent)

    for order in batch:
        totals = orders.totals_of(order)
        yield [
            order.id,
            local_iso(order.opened_at, tz),
            local_iso(order.closed_at, tz),
            local_iso(order.cancelled_at, tz),
            names.table(order),
            names.waiter(order),
            order.guests,
            order.status,
            money(totals.subtotal),
            money(totals.discounts),
            money(totals.tax_total),
            money(totals.service_charge),
            money(totals.total),
            money(totals.paid),
            money(sum(p.tip for p in order.payments)),
            safe_text(order.cancel_reason),
        ]


def _options(item: Any) -> str:
    # Added options go by name alone: a cell starting "+ " would read as a formula (and so get an apostrophe).
    parts = [str(o["name"]) for o in item.selected_options]
    parts += [f"NO {i['name']}" for i in item.removed_ingredients]
    parts += [f"{c['set_name']}: {c['name']}" for c in item.choices]
    return "; ".join(parts)


def _item_rows(db: Session, batch: Sequence[Order], tz: ZoneInfo, exponent: int) -> Iterator[list[Any]]:
    names = _Names(db, batch)
    products = {item.product_id for order in batch for item in order.items if item.product_id is not None}
    categories = menu.category_names(db, products)
    for order in batch:
        for item in order.items:
            yield [
                order.id,
                item.id,
                names.table(order),
                names.waiter(order),
                safe_text(item.product_name),
                safe_text(categories.get(item.product_id, "") if item.product_id is not None else ""),
                item.quantity,
                decimal_text(item.unit_price, exponent),
                decimal_text(item.line_total, exponent),
                safe_text(_options(item)),
                item.seat if item.seat is not None else "",
                item.course,
                safe_text(item.note),
                item.status,
                safe_text(item.cancel_reason),
                local_iso(item.added_at, tz),
                local_iso(item.fired_at, tz),
            ]


def stream(database: Database, *, kind: str, from_day: date, to_day: date) -> Iterator[str]:
    """The CSV text in chunks (one per batch of orders), read on its own session: the request's is closed by the
    time the body is sent."""
    rows_of = _order_rows if kind == "orders" else _item_rows
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with database.read_session() as db:
        cfg = site.current(db)
        tz = cfg.tz
        start, end = period(from_day, to_day, tz)
        exponent = minor_exponent(cfg.currency)
        writer.writerow(order_header(cfg.currency) if kind == "orders" else item_header(cfg.currency))
        yield BOM + buffer.getvalue()
        for batch in orders.opened_between(db, start=start, end=end, batch=BATCH):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(rows_of(db, batch, tz, exponent))
            db.expunge_all()  # a year of orders must not pile up in the identity map
            yield buffer.getvalue()
