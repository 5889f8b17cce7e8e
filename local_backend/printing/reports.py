"""X and Z reports on a receipt printer: the layout (a pure function, like bills) and queueing the job.

A report ticket is generic, titled sections of label/amount rows: the reports domain decides what a report says,
this module only lays it out for the paper. The payload snapshots every figure, so a reprint is the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.printing import service as printing
from local_backend.printing.escpos import Align
from local_backend.printing.models import Printer, PrintJob
from local_backend.printing.tickets import PrinterProfile, RenderedTicket, TicketLabels, TicketMark
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import Conflict
from shared.money import format_minor

if TYPE_CHECKING:
    from PIL import Image

REPORT_KIND = "report"


class NoReportPrinter(Conflict):
    code = "NO_REPORT_PRINTER"
    default_detail = "No printer is in service to print the report on"


@dataclass(frozen=True)
class ReportRow:
    label: str
    amount: int | None = None
    """Money in minor units, printed in the report's currency."""
    value: str | None = None
    """Anything else (a count, a time), printed as is."""
    bold: bool = False


@dataclass(frozen=True)
class ReportSection:
    heading: str
    rows: Sequence[ReportRow] = ()


@dataclass(frozen=True)
class ReportTicket:
    restaurant_name: str
    title: str
    """e.g. "Z REPORT #12" or "X REPORT"."""
    created_at: datetime
    currency: str = "EUR"
    timezone: str = "UTC"
    header_lines: Sequence[str] = ()
    sections: Sequence[ReportSection] = field(default_factory=tuple)
    mark: str | None = None
    """Printed under the title, e.g. PROVISIONAL for the Z report of a day not closed yet."""
    reprint: bool = False
    logo_path: str | None = None
    """The receipt logo's file, printed above the restaurant's name (as on bills)."""


def render_report(
    report: ReportTicket,
    *,
    profile: PrinterProfile | None = None,
    tz: tzinfo | str | None = None,
    labels: TicketLabels | None = None,
    logo: Image.Image | None = None,
) -> RenderedTicket:
    """Logo, title, header lines, then each section: a heading and its rows, amounts right-aligned; cut."""
    profile = profile or PrinterProfile()
    labels = labels or TicketLabels()
    zone = tz if tz is not None else report.timezone
    b = profile.builder().init()

    b.align(Align.CENTER)
    if logo is not None:
        b.image(logo)
    b.bold().double().text(report.restaurant_name).double(False)
    b.size(1, 2).text(report.title).size(1, 1).bold(False)
    if report.mark:
        b.reverse().text(f" {report.mark} ").reverse(False)
    if report.reprint:
        b.bold().text(labels.marks.get(TicketMark.REPRINT, TicketMark.REPRINT.value)).bold(False)
    for line in report.header_lines:
        b.text(line)
    b.text(printing_time(report.created_at, zone, labels.time_format))
    b.align(Align.LEFT)
    for section in report.sections:
        b.separator()
        b.bold().text(section.heading).bold(False)
        for row in section.rows:
            right = format_minor(row.amount, report.currency) if row.amount is not None else (row.value or "")
            if row.bold:
                b.bold()
            # A label's leading spaces nest it under the row above (tips under their method).
            lead = " " * (len(row.label) - len(row.label.lstrip()))
            b.row(lead + " ".join(row.label.split()), right, indent=len(lead) + 2)
            if row.bold:
                b.bold(False)
    b.separator("=")
    b.feed(2).cut()
    return RenderedTicket(data=b.build(), lines=b.lines, replaced=b.replaced)


def printing_time(moment: datetime, tz: tzinfo | str, time_format: str) -> str:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return moment.astimezone(zone).strftime(time_format)


# --- payload (what the queue stores) ------------------------------------------------------------------------------


def report_payload(report: ReportTicket) -> dict[str, Any]:
    return {
        "restaurant_name": report.restaurant_name,
        "title": report.title,
        "created_at": report.created_at.isoformat(),
        "currency": report.currency,
        "timezone": report.timezone,
        "header_lines": list(report.header_lines),
        "mark": report.mark,
        "logo_path": report.logo_path,
        "sections": [
            {
                "heading": s.heading,
                "rows": [{"label": r.label, "amount": r.amount, "value": r.value, "bold": r.bold} for r in s.rows],
            }
            for s in report.sections
        ],
    }


def report_from_payload(payload: Mapping[str, Any], *, reprint: bool = False) -> ReportTicket:
    return ReportTicket(
        restaurant_name=payload["restaurant_name"],
        title=payload["title"],
        created_at=datetime.fromisoformat(payload["created_at"]),
        currency=payload.get("currency", "EUR"),
        timezone=payload.get("timezone", "UTC"),
        header_lines=tuple(payload.get("header_lines", ())),
        mark=payload.get("mark"),
        sections=tuple(
            ReportSection(
                heading=s["heading"],
                rows=tuple(
                    ReportRow(label=r["label"], amount=r.get("amount"), value=r.get("value"), bold=r.get("bold", False))
                    for r in s.get("rows", ())
                ),
            )
            for s in payload.get("sections", ())
        ),
        reprint=reprint,
        logo_path=payload.get("logo_path"),
    )


def render_report_job(payload: Mapping[str, Any], printer: printing.PrinterInfo, *, reprint: bool) -> RenderedTicket:
    """The queued report as bytes for the printer printing it; times in the timezone the report was made in."""
    report = report_from_payload(payload, reprint=reprint)
    return render_report(report, profile=printer.profile, logo=printing.logo_image(report.logo_path))


# --- queueing (request side) --------------------------------------------------------------------------------------


def report_printer(db: Session, *, requested: int | None, configured: int | None) -> printing.PrinterInfo:
    """The printer a report goes to: the one asked for, else the site's report printer, else the first printer in
    service (by id). Asked-for and configured printers must be in service."""
    if requested is not None:
        return printing._usable(db, requested)
    if configured is not None:
        configured_printer = db.get(Printer, configured)
        if configured_printer is not None and configured_printer.is_active:
            return printing._info(configured_printer)
    first = db.scalars(select(Printer).where(Printer.is_active.is_(True)).order_by(Printer.id).limit(1)).first()
    if first is None:
        raise NoReportPrinter()
    return printing._info(first)


def queue_report(db: Session, *, printer: printing.PrinterInfo, report: ReportTicket, by: User) -> PrintJob:
    """Queue a report on a printer; like a bill, it moves to the backup printer only if this one fails."""
    job = printing._new_job(
        db,
        printing._job_row(
            kind=REPORT_KIND,
            printer_id=printer.id,
            target_id=printer.id,
            on_backup=False,
            order_id=None,
            by=by,
            payload=report_payload(report),
            now=utcnow(),
        ),
    )
    audit.record(
        db,
        action="printing.report",
        entity_type="print_job",
        entity_id=job.id,
        actor=by,
        data={"printer": printer.name, "title": report.title},
    )
    return job
