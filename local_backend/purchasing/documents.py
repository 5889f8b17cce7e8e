"""A purchase order as the supplier reads it: CSV, the email's text and the printed ticket, from one snapshot.

Suppliers sell by the kg, the l and the piece (the unit costs are quoted that way too), so the CSV gives the
quantity in those units, exactly (2500 g is 2.5 kg); the ticket and the email say "250 g" below a kilo, which
reads better than "0.25 kg". Money is the site's currency in its own decimals, by integer arithmetic only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from local_backend.inventory.models import COST_PER
from local_backend.printing.reports import ReportRow, ReportSection, ReportTicket
from local_backend.reports.export import BOM, safe_text
from shared.money import decimal_text, minor_exponent

ORDER_UNIT = {"g": "kg", "ml": "l", "pc": "pc"}
TIME = "%d/%m/%Y %H:%M"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    stock_item_id: int
    name: str
    unit: str
    quantity: int
    unit_cost: int | None
    cost: int | None


@dataclass(frozen=True, slots=True)
class OrderDocument:
    number: int
    restaurant_name: str
    currency: str
    timezone: str
    created_at: datetime
    supplier_name: str | None
    supplier_email: str | None
    supplier_phone: str | None
    note: str | None
    lines: Sequence[DocumentLine]
    total_cost: int | None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def order_quantity(quantity: int, unit: str) -> str:
    """Base units as an exact decimal of the unit suppliers quote (kg, l or pc): 2500 g -> "2.5"."""
    per = COST_PER[unit]
    if per == 1:
        return str(quantity)
    return f"{(Decimal(quantity) / per).normalize():f}"


def quantity_text(quantity: int, unit: str) -> str:
    """For people: "250 g", "2.5 kg", "1.5 l", "12 pc"."""
    if COST_PER[unit] > 1 and abs(quantity) >= COST_PER[unit]:
        return f"{order_quantity(quantity, unit)} {ORDER_UNIT[unit]}"
    return f"{quantity} {unit}"


def filename(doc: OrderDocument) -> str:
    return f"tavolo-purchase-order-{doc.number}.csv"


def title(doc: OrderDocument) -> str:
    return f"Purchase order #{doc.number}"


def csv_text(doc: OrderDocument) -> str:
    """The lines as CSV (with a BOM, so Excel reads it as UTF-8); typed names cannot run as formulas."""
    exponent = minor_exponent(doc.currency)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "purchase_order",
            "supplier",
            "stock_item_id",
            "item",
            "quantity",
            "unit",
            f"unit_cost ({doc.currency} per unit)",
            f"cost ({doc.currency})",
        ]
    )
    for line in doc.lines:
        writer.writerow(
            [
                doc.number,
                safe_text(doc.supplier_name),
                line.stock_item_id,
                safe_text(line.name),
                order_quantity(line.quantity, line.unit),
                ORDER_UNIT[line.unit],
                decimal_text(line.unit_cost, exponent) if line.unit_cost is not None else "",
                decimal_text(line.cost, exponent) if line.cost is not None else "",
            ]
        )
    return BOM + buffer.getvalue()


def email_subject(doc: OrderDocument) -> str:
    return f"{title(doc)} - {doc.restaurant_name}"[:200]


def email_body(doc: OrderDocument) -> str:
    """Plain text: greeting, one line per item with its quantity, the note; the same lines are attached as CSV."""
    width = max((len(line.name) for line in doc.lines), default=0)
    rows = [f"  {line.name.ljust(width)}  {quantity_text(line.quantity, line.unit)}" for line in doc.lines]
    parts = [
        f"Hello{' ' + doc.supplier_name if doc.supplier_name else ''},",
        "",
        f"please deliver the following to {doc.restaurant_name} ({title(doc)}, "
        f"{doc.created_at.astimezone(doc.tz).strftime(TIME)}):",
        "",
        *rows,
    ]
    if doc.note:
        parts += ["", doc.note]
    parts += ["", "The same lines are attached as a CSV file.", "", "Thank you,", doc.restaurant_name, ""]
    return "\n".join(parts)


def ticket(doc: OrderDocument, *, now: datetime) -> ReportTicket:
    """For the receipt printer: the supplier, then each item with its quantity (and cost when known)."""
    rows = [
        ReportRow(f"{quantity_text(line.quantity, line.unit)} {line.name}", amount=line.cost, value="")
        for line in doc.lines
    ]
    sections = [ReportSection("Items", rows or [ReportRow("No items", value="-")])]
    if doc.total_cost is not None and doc.lines:
        sections.append(ReportSection("Cost", [ReportRow("Estimated total", doc.total_cost, bold=True)]))
    if doc.note:
        sections.append(ReportSection("Note", [ReportRow(doc.note, value="")]))
    header = [f"Supplier: {doc.supplier_name or '(none yet)'}"]
    header += [text for text in (doc.supplier_phone, doc.supplier_email) if text]
    header.append(f"Created {doc.created_at.astimezone(doc.tz).strftime(TIME)}")
    return ReportTicket(
        restaurant_name=doc.restaurant_name,
        title=f"PURCHASE ORDER #{doc.number}",
        created_at=now,
        currency=doc.currency,
        timezone=doc.timezone,
        header_lines=tuple(header),
        sections=tuple(sections),
    )
