"""What the X and Z reports say on paper: their figures as titled sections for the receipt printer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from local_backend.printing.reports import ReportRow, ReportSection, ReportTicket
from local_backend.reports.schemas import ReportRead, XReportRead, ZReportRead

TIME = "%d/%m/%Y %H:%M"


def _local(report: ReportRead, moment_format: str = TIME) -> tuple[str, str]:
    tz = ZoneInfo(report.timezone)
    return report.period_start.astimezone(tz).strftime(moment_format), report.period_end.astimezone(tz).strftime(
        moment_format
    )


def _sections(report: ReportRead, *, cash_rows: list[ReportRow]) -> list[ReportSection]:
    sections = [
        ReportSection(
            "Payments by method",
            [
                row
                for m in report.by_method
                for row in (
                    ReportRow(f"{m.name} ({m.payments})", m.amount, bold=True),
                    *([ReportRow("  Tips", m.tips)] if m.tips else []),
                    *([ReportRow("  Refunds", -m.refunds)] if m.refunds else []),
                    ReportRow("  Net", m.net),
                )
            ],
        ),
        ReportSection(
            "Totals",
            [
                ReportRow("Payments", value=str(report.totals.payments)),
                ReportRow("Sales", report.totals.sales),
                ReportRow("Refunds", -report.totals.refunds),
                ReportRow("Net sales", report.totals.net_sales, bold=True),
                ReportRow("Tips", report.totals.tips),
                ReportRow("Collected", report.totals.collected, bold=True),
            ],
        ),
        ReportSection(
            f"Tax ({report.tax.tax_mode})",
            [ReportRow(line.name, line.tax) for line in report.tax.lines]
            if report.tax.computed
            else [ReportRow("Not recorded per rate yet", value="-")],
        ),
        ReportSection(
            "Discounts and voids",
            [
                ReportRow(f"Discounts ({report.discounts.count})", report.discounts.amount),
                ReportRow(f"Voids ({report.voids.quantity} items)", report.voids.amount),
                *[ReportRow(f"  by {v.user_name or '?'} ({v.quantity})", v.amount) for v in report.voids.by_user],
            ],
        ),
        ReportSection(
            "Waiters",
            [
                row
                for w in report.by_waiter
                for row in (
                    ReportRow(f"{w.waiter_name} ({w.orders} orders)", w.sales - w.refunds, bold=True),
                    ReportRow("  Tips", w.tips),
                )
            ]
            or [ReportRow("No sales", value="-")],
        ),
        ReportSection("Cash", cash_rows),
    ]
    if report.movements:
        sections.append(
            ReportSection(
                "Pay-ins / pay-outs",
                [ReportRow(f"{m.reason}", m.amount if m.kind == "pay_in" else -m.amount) for m in report.movements],
            )
        )
    return sections


def _cash_flow_rows(report: ReportRead) -> list[ReportRow]:
    return [
        ReportRow("Cash payments", report.cash.payments),
        ReportRow("Cash tips", report.cash.tips),
        ReportRow("Cash refunds", -report.cash.refunds),
        ReportRow("Pay-ins", report.cash.pay_ins),
        ReportRow("Pay-outs", -report.cash.pay_outs),
    ]


def x_ticket(report: XReportRead) -> ReportTicket:
    start, end = _local(report)
    cash = [
        ReportRow("Float", report.shift.opening_float),
        *_cash_flow_rows(report),
        ReportRow("Expected in drawer", report.shift.expected_cash, bold=True),
    ]
    return ReportTicket(
        restaurant_name=report.restaurant_name,
        title="X REPORT",
        created_at=report.generated_at,
        currency=report.currency,
        timezone=report.timezone,
        header_lines=(f"Shift #{report.shift.id} - {report.shift.opened_by_name}", f"{start} - {end}"),
        sections=_sections(report, cash_rows=cash),
    )


def z_ticket(report: ZReportRead) -> ReportTicket:
    start, end = _local(report)
    cash = [
        *_cash_flow_rows(report),
        ReportRow("Net cash", report.cash.net, bold=True),
        *[
            row
            for s in report.shifts
            for row in (
                ReportRow(f"Shift #{s.id} expected", s.expected_cash)
                if s.expected_cash is not None
                else ReportRow(f"Shift #{s.id}", value="open"),
                *([ReportRow("  counted", s.counted_cash)] if s.counted_cash is not None else []),
                *([ReportRow("  variance", s.variance)] if s.variance is not None else []),
            )
        ],
        ReportRow(f"Outside shifts ({report.outside_shift.payments})", report.outside_shift.amount),
    ]
    title = f"Z REPORT #{report.close.number}" if report.close is not None else "Z REPORT"
    return ReportTicket(
        restaurant_name=report.restaurant_name,
        title=title,
        created_at=report.generated_at,
        currency=report.currency,
        timezone=report.timezone,
        header_lines=(f"Business day {report.business_date.strftime('%d/%m/%Y')}", f"{start} - {end}"),
        sections=_sections(report, cash_rows=cash),
        mark=None if report.closed else "PROVISIONAL",
    )
