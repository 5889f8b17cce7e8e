"""Ticket layouts: kitchen tickets, bills/receipts and the test page, as ESC/POS bytes plus the plain lines printed.

Pure functions of plain dataclasses: no database, no I/O. Widths come from the printer profile, so the same
ticket lays out for 48-column (80 mm) and 32-column (58 mm) paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from local_backend.printing.escpos import DEFAULT_CODE_PAGE, Align, TicketBuilder, code_page
from local_backend.printing.upi_qr import BillQr, add_upi_qrs
from shared import clock
from shared.money import format_minor

if TYPE_CHECKING:
    from PIL import Image


class TicketMark(StrEnum):
    NEW = "NEW"
    ADDED = "ADDED"
    FIRE = "FIRE"
    VOID = "VOID"
    REPRINT = "REPRINT"


@dataclass(frozen=True)
class PrinterProfile:
    """How one printer wants its bytes: code page (and its ESC t slot if not the default), columns, dots."""

    code_page: str = DEFAULT_CODE_PAGE
    slot: int | None = None
    columns: int = 48
    dots: int = 576

    def builder(self) -> TicketBuilder:
        return TicketBuilder(self.code_page, slot=self.slot, columns=self.columns, dots=self.dots)


def _default_marks() -> dict[TicketMark, str]:
    return {mark: mark.value for mark in TicketMark}


@dataclass(frozen=True)
class TicketLabels:
    """Every word a ticket prints, so a site can print Greek (or anything) labels."""

    marks: Mapping[TicketMark, str] = field(default_factory=_default_marks)
    table: str = "Table"
    waiter: str = "Waiter"
    order: str = "Order"
    course: str = "Course"
    seat: str = "Seat"
    removed_prefix: str = "NO"
    option_prefix: str = "+"
    choice_prefix: str = ">"
    note_prefix: str = "!"
    backup: str = "BACKUP — for {zone}"
    guest_order: str = "GUEST ORDER"
    guest_prefix: str = "guest:"
    items: str = "items"
    bill: str = "BILL"
    receipt: str = "RECEIPT"
    subtotal: str = "Subtotal"
    discount: str = "Discount"
    comp: str = "Comp"
    service: str = "Service"
    tax: str = "Tax"
    tax_included: str = "incl."
    change: str = "Change"
    total: str = "TOTAL"
    tip: str = "Tip"
    due: str = "Due"
    upi_pay: str = "Scan to pay by UPI"
    test_page: str = "TEST PAGE"
    time_format: str = "%d/%m/%Y %H:%M"


@dataclass(frozen=True)
class RenderedTicket:
    """The bytes to send, the text lines they print, and the characters the code page lacked (to log or flag)."""

    data: bytes
    lines: list[str]
    replaced: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _finish(builder: TicketBuilder) -> RenderedTicket:
    return RenderedTicket(data=builder.build(), lines=builder.lines, replaced=builder.replaced)


def _local_time(moment: datetime, tz: tzinfo | str, time_format: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("ticket times must be timezone-aware")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return moment.astimezone(zone).strftime(time_format)


# --- kitchen tickets ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketItem:
    quantity: int
    name: str
    options: Sequence[str] = ()
    removed: Sequence[str] = ()
    choices: Sequence[str] = ()
    note: str | None = None
    seat: int | None = None
    course: int | None = None
    guest: str | None = None
    """The nickname of the guest who ordered it from the table's QR code."""


@dataclass(frozen=True)
class KitchenTicket:
    zone_name: str
    table_label: str
    waiter_name: str
    order_id: int | str
    created_at: datetime
    mark: TicketMark
    items: Sequence[TicketItem]
    backup_of: str | None = None
    """Set when this ticket prints on a backup printer: the zone whose printer failed."""
    reprint: bool = False
    """Printed again (asked for, or an earlier attempt may have printed part of it): the mark says so too."""
    guest: bool = False
    """Guests ordered (some of) it from the table's QR code: the header says GUEST ORDER."""


def _grouped(items: Sequence[TicketItem]) -> list[tuple[int | None, list[tuple[int | None, list[TicketItem]]]]]:
    """Items by course, then by seat; unnumbered groups first, then ascending; item order kept within a group."""
    courses: dict[int | None, dict[int | None, list[TicketItem]]] = {}
    for item in items:
        courses.setdefault(item.course, {}).setdefault(item.seat, []).append(item)

    def order(key: int | None) -> tuple[int, int]:
        return (0, 0) if key is None else (1, key)

    return [
        (course, [(seat, seats[seat]) for seat in sorted(seats, key=order)])
        for course, seats in sorted(courses.items(), key=lambda entry: order(entry[0]))
    ]


def _detail(builder: TicketBuilder, prefix: str, text: str, *, indent: int = 4, bold: bool = False) -> None:
    lead = " " * indent + (f"{prefix} " if prefix else "")
    if bold:
        builder.bold()
    builder.text(lead + " ".join(text.split()), indent=len(lead))
    if bold:
        builder.bold(False)


def render_kitchen_ticket(
    ticket: KitchenTicket,
    *,
    profile: PrinterProfile | None = None,
    tz: tzinfo | str = "UTC",
    labels: TicketLabels | None = None,
) -> RenderedTicket:
    """A kitchen ticket: big zone, mark and table; items by course and seat; modifiers, notes; footer; cut."""
    profile = profile or PrinterProfile()
    labels = labels or TicketLabels()
    b = profile.builder().init()

    b.align(Align.CENTER).bold().double()
    b.text(ticket.zone_name)
    mark = labels.marks.get(ticket.mark, ticket.mark.value)
    if ticket.mark is TicketMark.VOID:
        # Reverse print: a void must not be mistaken for an order at a glance.
        b.reverse().text(f" {mark} ").reverse(False)
    else:
        b.text(mark)
    if ticket.reprint:
        b.text(labels.marks.get(TicketMark.REPRINT, TicketMark.REPRINT.value))
    if ticket.guest and ticket.mark is not TicketMark.VOID:
        # Reverse print like VOID: the kitchen must see at a glance that no waiter took this order.
        b.reverse().text(f" {labels.guest_order} ").reverse(False)
    if ticket.backup_of:
        b.size(1, 2).text(labels.backup.format(zone=ticket.backup_of))
    b.double().text(f"{labels.table} {ticket.table_label}")
    b.double(False).bold(False).align(Align.LEFT)
    b.row(f"{labels.waiter}: {ticket.waiter_name}", f"{labels.order} #{ticket.order_id}")
    b.text(_local_time(ticket.created_at, tz, labels.time_format))
    b.separator("=")

    first_course = True
    for course, seats in _grouped(ticket.items):
        if course is not None:
            if not first_course:
                b.text()
            b.align(Align.CENTER).bold().size(1, 2).text(f"— {labels.course} {course} —")
            b.size(1, 1).bold(False).align(Align.LEFT)
        first_course = False
        for seat, seat_items in seats:
            if seat is not None:
                b.bold().text(f"{labels.seat} {seat}").bold(False)
            for item in seat_items:
                b.bold().double()
                quantity = f"{item.quantity} x "
                b.text(quantity + " ".join(item.name.split()), indent=len(quantity))
                b.double(False).bold(False)
                for option in item.options:
                    _detail(b, labels.option_prefix, option)
                for removed in item.removed:
                    _detail(b, labels.removed_prefix, removed, bold=True)
                for choice in item.choices:
                    _detail(b, labels.choice_prefix, choice)
                if item.note and item.note.strip():
                    _detail(b, labels.note_prefix, item.note, bold=True)
                if item.guest:
                    _detail(b, labels.guest_prefix, item.guest)

    b.separator("=")
    count = sum(item.quantity for item in ticket.items)
    b.align(Align.CENTER).text(f"{labels.order} #{ticket.order_id} - {count} {labels.items}")
    b.align(Align.LEFT).feed(2).cut()
    return _finish(b)


# --- bills and receipts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillLine:
    name: str
    quantity: int
    unit_price: int
    total: int
    details: Sequence[str] = ()


@dataclass(frozen=True)
class BillTax:
    name: str
    """As it should print, e.g. "VAT 13% (incl.)"."""
    amount: int


@dataclass(frozen=True)
class BillDiscount:
    name: str
    """As it should print, e.g. "Discount 10% Moussaka"."""
    amount: int


def tax_name(rate_bp: int, *, inclusive: bool, labels: TicketLabels | None = None) -> str:
    """A tax line's label: "Tax 13%" for exclusive prices, "incl. Tax 13%" when the prices contain it."""
    labels = labels or TicketLabels()
    rate = f"{labels.tax} {rate_bp / 100:g}%"
    return f"{labels.tax_included} {rate}" if inclusive else rate


@dataclass(frozen=True)
class BillPayment:
    method: str
    amount: int
    tip: int = 0


@dataclass(frozen=True)
class Bill:
    restaurant_name: str
    table_label: str
    waiter_name: str
    order_id: int | str
    lines: Sequence[BillLine]
    subtotal: int
    total: int
    due: int
    created_at: datetime
    currency: str = "EUR"
    is_receipt: bool = False
    """A receipt (paid) rather than a bill / pre-check."""
    taxes: Sequence[BillTax] = ()
    service_charge: int | None = None
    payments: Sequence[BillPayment] = ()
    discounts: Sequence[BillDiscount] = ()
    change: int = 0
    """Cash handed back to the guest over the bill's payments."""
    header_lines: Sequence[str] = ()
    """Address, phone, tax number: printed centered under the name."""
    footer: str = ""
    logo: Image.Image | None = None
    reprint: bool = False
    upi_qrs: Sequence[BillQr] = ()
    """Open UPI QRs of the order, printed under the totals."""


def render_bill(
    bill: Bill,
    *,
    profile: PrinterProfile | None = None,
    tz: tzinfo | str = "UTC",
    labels: TicketLabels | None = None,
) -> RenderedTicket:
    """A bill (pre-check) or receipt: amounts from minor units, right-aligned; optional logo; footer; cut."""
    profile = profile or PrinterProfile()
    labels = labels or TicketLabels()
    b = profile.builder().init()

    def money(amount: int) -> str:
        return format_minor(amount, bill.currency)

    b.align(Align.CENTER)
    if bill.logo is not None:
        b.image(bill.logo)
    b.bold().double().text(bill.restaurant_name).double(False).bold(False)
    for header in bill.header_lines:
        b.text(header)
    b.bold().size(1, 2).text(labels.receipt if bill.is_receipt else labels.bill).size(1, 1).bold(False)
    if bill.reprint:
        b.bold().text(labels.marks.get(TicketMark.REPRINT, TicketMark.REPRINT.value)).bold(False)
    b.align(Align.LEFT)
    b.row(f"{labels.table} {bill.table_label}", f"{labels.order} #{bill.order_id}")
    b.row(f"{labels.waiter}: {bill.waiter_name}", _local_time(bill.created_at, tz, labels.time_format))
    b.separator()

    for line in bill.lines:
        b.row(f"{line.quantity} x {' '.join(line.name.split())}", money(line.total), indent=4)
        if line.quantity != 1:
            b.text(f"    @ {money(line.unit_price)}")
        for detail in line.details:
            b.text(f"    {' '.join(detail.split())}", indent=6)
    b.separator()

    # Totals: subtotal, discounts, service charge, tax per rate, total; then payments, change and what is due.
    b.row(labels.subtotal, money(bill.subtotal))
    for discount in bill.discounts:
        b.row(discount.name, money(-discount.amount), indent=2)
    if bill.service_charge:
        b.row(labels.service, money(bill.service_charge))
    for tax in bill.taxes:
        b.row(tax.name, money(tax.amount))
    b.bold().double().row(labels.total, money(bill.total)).double(False).bold(False)
    if bill.payments:
        b.text()
        for payment in bill.payments:
            b.row(payment.method, money(payment.amount))
            if payment.tip:
                b.row(f"  {labels.tip}", money(payment.tip))
        if bill.change:
            b.row(labels.change, money(bill.change))
        b.bold().row(labels.due, money(bill.due)).bold(False)
    add_upi_qrs(b, bill.upi_qrs, money=money, title=labels.upi_pay)
    if bill.footer.strip():
        b.separator()
        b.align(Align.CENTER).text(bill.footer).align(Align.LEFT)
    b.feed(2).cut()
    return _finish(b)


# --- test page ---------------------------------------------------------------------------------------------------

GREEK_SAMPLE = "Καλημέρα! Ελληνικά: ΑΒΓΔΕΖΗΘ αβγδεζηθ άέήίόύώ ϊϋ €"


def _ruler(width: int) -> tuple[str, str]:
    ticks = "".join("|" if (i + 1) % 10 == 0 else "+" if (i + 1) % 5 == 0 else "-" for i in range(width))
    digits = "".join(str((i + 1) % 10) for i in range(width))
    return ticks, digits


def render_test_page(
    printer_name: str,
    *,
    profile: PrinterProfile | None = None,
    tz: tzinfo | str = "UTC",
    now: datetime | None = None,
    labels: TicketLabels | None = None,
) -> RenderedTicket:
    """A page to check a printer: its name, code page and slot, a width ruler, a Greek sample, the page's table."""
    profile = profile or PrinterProfile()
    labels = labels or TicketLabels()
    b = profile.builder().init()
    page = code_page(profile.code_page)

    b.align(Align.CENTER).bold().double().text(labels.test_page).double(False).bold(False)
    b.text(printer_name)
    b.text(_local_time(now or clock.utcnow(), tz, labels.time_format))
    b.align(Align.LEFT).separator()
    b.text(f"Code page: {page.name} (ESC t {b.slot})")
    b.text(page.description)
    b.text(f"Paper: {b.columns} columns, {b.dots} dots")
    ticks, digits = _ruler(b.columns)
    b.text(ticks).text(digits)
    b.separator()
    b.text(GREEK_SAMPLE)
    b.bold().text("Bold / Έντονα").bold(False)
    b.double().text("Double / Διπλά").double(False)
    b.separator()
    # The raw upper half of the selected table: the glyphs tell whether the slot number is right.
    for high in range(0x8, 0x10):
        start = high * 0x10
        b.raw(f"{start:02X}: ".encode("ascii") + bytes(range(start, start + 0x10)) + b"\n")
    b.feed(2).cut()
    rendered = _finish(b)
    table_lines = [
        f"{high * 0x10:02X}: " + bytes(range(high * 0x10, high * 0x10 + 0x10)).decode(b.codec, errors="replace")
        for high in range(0x8, 0x10)
    ]
    return RenderedTicket(data=rendered.data, lines=rendered.lines + table_lines, replaced=rendered.replaced)
