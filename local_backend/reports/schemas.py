"""Wire shapes of reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Fields named `date` would shadow the type inside their class body.
_Date = date


class MethodTotalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    method: str
    payments: int
    amount: int
    tips: int


class WaiterTotalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    waiter_id: int
    waiter_name: str
    orders: int = Field(description="Orders the waiter opened in the period")
    revenue: int = Field(description="Payments taken in the period on the waiter's orders, tips excluded")
    tips: int


class CancellationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Literal["item", "order"]
    order_id: int
    item_id: int | None
    table_id: int
    table_label: str
    product_name: str | None = Field(description="The item's product; null for a whole order")
    quantity: int
    amount: int
    reason: str | None
    by_id: int | None
    by_name: str | None
    at: datetime


class HourLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    hour: int = Field(ge=0, le=23, description="Hour of the clock in the site's timezone (13 = 13:00-13:59)")
    orders: int = Field(description="Orders opened in that hour")
    revenue: int = Field(description="Payments taken in that hour less refunds given in it, tips excluded")


BY_HOUR_DESCRIPTION = (
    "Always 24 lines, hours 0-23 of the site's clock, zeros included; a period longer than a day adds up the same "
    "hour of each day. Revenue sums to the period's net sales (payments less refunds, tips excluded)"
)


class ShiftReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period_start: datetime
    period_end: datetime
    timezone: str
    currency: str
    orders_opened: int
    orders_closed: int
    orders_cancelled: int
    paid_orders: int = Field(description="Orders with at least one payment in the period")
    items_sold: int = Field(description="Quantity of items paid in the period")
    revenue_total: int = Field(description="Sum of payments in the period, tips excluded, minor units")
    revenue_by_method: list[MethodTotalRead]
    tips_total: int
    average_ticket: int = Field(description="revenue_total / paid_orders, rounded")
    by_waiter: list[WaiterTotalRead]
    cancellations: list[CancellationRead]
    by_hour: list[HourLineRead] = Field(description=BY_HOUR_DESCRIPTION)


# --- X and Z reports ----------------------------------------------------------------------------------------------


class MethodLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    method: str = Field(description="Payment method code")
    name: str
    kind: str = Field(description="cash, card, upi or other")
    payments: int = Field(description="Number of payments")
    amount: int = Field(description="Applied to bills, tips excluded")
    tips: int
    refunds: int = Field(description="Refunded in the period with this method")
    net: int = Field(description="amount + tips - refunds: what this method brought in")


class TotalsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    payments: int
    sales: int = Field(description="Payments applied to bills, tips excluded")
    tips: int
    refunds: int
    net_sales: int = Field(description="sales - refunds")
    collected: int = Field(description="sales + tips - refunds")


class TaxLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    rate_bp: int
    taxable: int = Field(description="The taxed amount without the tax")
    tax: int


class TaxRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tax_mode: Literal["inclusive", "exclusive"]
    computed: bool = Field(
        description="Tax of the bills closed in the period, per rate; false only on reports stored before tax was "
        "computed (`lines` empty and `total` 0 there are not a real zero)"
    )
    lines: list[TaxLineRead]
    total: int


class DiscountKindRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Literal["percent", "amount", "comp"]
    count: int
    amount: int


class DiscountsRead(BaseModel):
    """Discounts and comps given in the period and not taken back, at the amounts they took off when given."""

    model_config = ConfigDict(from_attributes=True)

    count: int
    amount: int
    by_kind: list[DiscountKindRead] = Field(default_factory=list)


class VoidLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: int | None = Field(description="Who cancelled the items")
    user_name: str | None
    count: int = Field(description="Item lines cancelled")
    quantity: int
    amount: int


class VoidsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    count: int
    quantity: int
    amount: int
    by_user: list[VoidLineRead]


class WaiterSalesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    waiter_id: int
    waiter_name: str
    orders: int = Field(description="The waiter's orders paid on in the period")
    sales: int
    refunds: int
    tips: int


class CashFlowsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    payments: int = Field(description="Cash applied to bills (change already netted out)")
    tips: int = Field(description="Tips paid in cash")
    refunds: int = Field(description="Cash refunds")
    pay_ins: int
    pay_outs: int
    net: int = Field(description="payments + tips - refunds + pay-ins - pay-outs (floats not included)")


class MovementLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    shift_id: int
    kind: Literal["pay_in", "pay_out"]
    amount: int
    reason: str
    created_by_name: str
    created_at: datetime


class ReportRead(BaseModel):
    """What the X and Z reports have in common: the figures of a period."""

    model_config = ConfigDict(from_attributes=True)

    period_start: datetime
    period_end: datetime
    generated_at: datetime
    restaurant_name: str
    timezone: str
    currency: str
    by_method: list[MethodLineRead]
    totals: TotalsRead
    tax: TaxRead
    discounts: DiscountsRead
    voids: VoidsRead
    by_waiter: list[WaiterSalesRead]
    cash: CashFlowsRead
    movements: list[MovementLineRead]
    by_hour: list[HourLineRead] = Field(description=BY_HOUR_DESCRIPTION)


class XShiftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    opened_at: datetime
    opened_by_name: str
    opening_float: int
    expected_cash: int = Field(description="float + cash payments + cash tips - cash refunds + pay-ins - pay-outs")


class XReportRead(ReportRead):
    """The open shift so far; reading it changes nothing."""

    shift: XShiftRead


class ZShiftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: Literal["open", "closed"]
    opened_at: datetime
    closed_at: datetime | None
    opening_float: int
    expected_cash: int | None
    counted_cash: int | None
    variance: int | None


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    payments: int
    amount: int
    tips: int


class DayCloseInfoRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int = Field(description="Z number: 1, 2, 3 ... without gaps")
    closed_at: datetime
    closed_by_id: int | None
    closed_by_name: str | None
    auto: bool = Field(description="Closed by the appliance at auto_day_close_hour")


class ZReportRead(ReportRead):
    """A business day (local midnight to midnight, site timezone): as stored at its close, or live until then."""

    business_date: date
    closed: bool
    close: DayCloseInfoRead | None
    shifts: list[ZShiftRead] = Field(description="Cash shifts that overlap the day")
    variance_total: int = Field(description="Sum of the variances of the day's closed shifts")
    outside_shift: ActivityRead = Field(description="Payments taken while no shift was open")
    late_activity: ActivityRead | None = Field(
        default=None,
        description="For a closed day: payments timestamped in the day but made after its close (not in the figures)",
    )


class DayCloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: _Date = Field(description="The business day to close, site timezone")
    print: bool = Field(default=False, description="Queue the Z report on the report printer too")
    printer_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class ReportPrintRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: _Date | None = Field(default=None, description="Z only: the business day (default today)")
    printer_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="Default: the site's report printer, else the first in service"
    )


class ReportPrintRead(BaseModel):
    job_id: int
    printer_id: int
    printer_name: str


class DayCloseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    business_date: date
    closed_at: datetime
    closed_by_name: str | None
    auto: bool
    net_sales: int
    tips: int


class DayCloseResultRead(BaseModel):
    report: ZReportRead
    print_job: ReportPrintRead | None


# --- exceptions ---------------------------------------------------------------------------------------------------

ExceptionKind = Literal["discount", "comp", "void", "refund"]


class ExceptionLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ExceptionKind
    at: datetime
    order_id: int
    table_label: str
    waiter_id: int = Field(description="The order's waiter")
    waiter_name: str
    item_id: int | None
    item_name: str | None
    quantity: int | None
    amount: int = Field(description="Discount or comp as given, void at the items' prices, refund as given back")
    reason: str | None
    requested_by_id: int | None
    requested_by_name: str | None
    approved_by_id: int | None
    approved_by_name: str | None
    detail: str | None = Field(description="percent for a discount, 'printed' for a void, method for a refund")
    removed_at: datetime | None = Field(description="A discount taken back (not in the totals)")


class ExceptionKindTotalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ExceptionKind
    count: int
    amount: int


class ExceptionUserTotalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: int | None = Field(description="Who asked for them")
    user_name: str | None
    count: int
    amount: int
    by_kind: list[ExceptionKindTotalRead]


class ExceptionsReportRead(BaseModel):
    """Discounts, comps, voids and refunds of a period with who asked, who approved, why and how much."""

    model_config = ConfigDict(from_attributes=True)

    period_start: datetime
    period_end: datetime
    timezone: str
    currency: str
    lines: list[ExceptionLineRead]
    by_kind: list[ExceptionKindTotalRead] = Field(description="Every kind, zeros included; removed discounts left out")
    by_waiter: list[ExceptionUserTotalRead] = Field(description="Per person who asked; removed discounts left out")
