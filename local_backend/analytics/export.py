"""Every analytics table as CSV (`?format=csv`), written like the reports' exports (`reports.export`): UTF-8 with a
byte order mark, money as exact decimals of the site's currency (named in the header), and text people typed
(names, labels, reasons) neutralised so a spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from local_backend.analytics import schemas
from local_backend.reports.export import BOM, filename, safe_text
from shared.money import decimal_text, minor_exponent


class _Writer:
    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.exponent = minor_exponent(currency)

    def money(self, amount: int | None) -> str:
        return decimal_text(amount, self.exponent) if amount is not None else ""

    def header(self, name: str) -> str:
        return f"{name} ({self.currency})"


def _text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return BOM + buffer.getvalue()


def _key(value: Any) -> Any:
    return "" if value is None else value


def sales(report: schemas.SalesReportRead) -> str:
    w = _Writer(report.currency)

    def figures(f: schemas.SalesFigures) -> list[Any]:
        return [f.orders, f.items, w.money(f.revenue), f.previous_orders, f.previous_items, w.money(f.previous_revenue)]

    return _text(
        [
            [
                report.group_by,
                "label",
                "orders",
                "items",
                w.header("revenue"),
                "previous_orders",
                "previous_items",
                w.header("previous_revenue"),
            ],
            *([_key(r.key), safe_text(r.label), *figures(r)] for r in report.rows),
            ["", "Total", *figures(report.totals)],
        ]
    )


MONEY_METRICS = frozenset({"revenue", "average_ticket", "average_per_cover", "tips", "discounts", "comps", "voids"})
METRICS = (
    "revenue",
    "orders",
    "items",
    "average_ticket",
    "covers",
    "average_per_cover",
    "tips",
    "discounts",
    "discounts_count",
    "comps",
    "comps_count",
    "voids",
    "voids_count",
)


def summary(report: schemas.SummaryRead) -> str:
    w = _Writer(report.currency)
    rows: list[list[Any]] = [["metric", "value", "previous", "change", "change_percent"]]
    for name in METRICS:
        m: schemas.MetricRead = getattr(report, name)
        percent = "" if m.change_percent is None else m.change_percent
        if name in MONEY_METRICS:
            rows.append([w.header(name), w.money(m.value), w.money(m.previous), w.money(m.change), percent])
        else:
            rows.append([name, m.value, m.previous, m.change, percent])
    return _text(rows)


def heatmap(report: schemas.HeatmapRead) -> str:
    w = _Writer(report.currency)
    return _text(
        [
            ["weekday", "weekday_name", "hour", "orders", w.header("revenue")],
            *([c.weekday, schemas.WEEKDAYS[c.weekday], c.hour, c.orders, w.money(c.revenue)] for c in report.cells),
        ]
    )


def products(report: schemas.ProductsRead) -> str:
    w = _Writer(report.currency)
    return _text(
        [
            [
                "product_id",
                "product",
                "category",
                "quantity",
                "orders",
                w.header("revenue"),
                w.header("cost"),
                w.header("margin"),
            ],
            *(
                [
                    _key(p.product_id),
                    safe_text(p.name),
                    safe_text(p.category),
                    p.quantity,
                    p.orders,
                    w.money(p.revenue),
                    w.money(p.cost),
                    w.money(p.margin),
                ]
                for p in report.products
            ),
        ]
    )


def waiters(report: schemas.WaitersRead) -> str:
    w = _Writer(report.currency)
    return _text(
        [
            [
                "waiter_id",
                "waiter",
                "orders",
                "tables",
                w.header("revenue"),
                w.header("average_ticket"),
                w.header("tips"),
                "covers",
            ],
            *(
                [
                    x.waiter_id,
                    safe_text(x.name),
                    x.orders,
                    x.tables,
                    w.money(x.revenue),
                    w.money(x.average_ticket),
                    w.money(x.tips),
                    x.covers,
                ]
                for x in report.waiters
            ),
        ]
    )


def turnover(report: schemas.TurnoverRead) -> str:
    return _text(
        [
            ["table_id", "table", "orders", "average_minutes", "median_minutes"],
            *(
                [_key(t.table_id), safe_text(t.label), t.orders, t.average_minutes, t.median_minutes]
                for t in [report.overall, *report.tables]
            ),
        ]
    )


def kitchen(report: schemas.KitchenRead) -> str:
    return _text(
        [
            ["group", "key", "name", "items", "average_seconds", "p90_seconds"],
            *(
                [group, _key(x.key), safe_text(x.name), x.items, x.average_seconds, x.p90_seconds]
                for group, lines in (("zone", report.by_zone), ("product", report.by_product))
                for x in lines
            ),
        ]
    )


def exceptions(report: schemas.ExceptionsRead) -> str:
    w = _Writer(report.currency)
    return _text(
        [
            ["breakdown", "kind", "reason", "user_id", "user", "count", w.header("amount")],
            *(["kind", k.kind, "", "", "", k.count, w.money(k.amount)] for k in report.by_kind),
            *(["reason", r.kind, safe_text(r.reason), "", "", r.count, w.money(r.amount)] for r in report.by_reason),
            *(
                ["person", k.kind, "", _key(p.user_id), safe_text(p.user_name), k.count, w.money(k.amount)]
                for p in report.by_waiter
                for k in p.by_kind
            ),
        ]
    )


def name(kind: str, report: schemas.PeriodRead) -> str:
    return filename(kind, report.from_, report.to)
