"""Wire shapes of the analytics API. Money is in minor units of `currency`; dates are business days of the site."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from local_backend.reports.schemas import ExceptionKindTotalRead, ExceptionUserTotalRead

GroupBy = Literal["hour", "weekday", "day", "product", "category", "waiter"]
PeriodName = Literal["day", "week", "month", "quarter", "year"]
OutputFormat = Literal["json", "csv"]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # Monday 0

# Fields named `from` are not Python identifiers: they are populated and serialized by their alias.
_ALIASES = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class PeriodRead(BaseModel):
    model_config = _ALIASES

    from_: date = Field(alias="from", description="First business day, included")
    to: date = Field(description="Last business day, included")
    timezone: str
    currency: str


class ComparedPeriodRead(PeriodRead):
    previous_from: date = Field(description="The same number of days immediately before `from`")
    previous_to: date


class SalesFigures(BaseModel):
    orders: int = Field(description="Orders whose first payment was taken in the period (and bucket): once each")
    items: int = Field(description="Units not cancelled on those orders (by product: that product's units)")
    revenue: int = Field(description="Payments less refunds, tips excluded: the Z report's net sales")
    previous_orders: int
    previous_items: int
    previous_revenue: int


class SalesRowRead(SalesFigures):
    key: int | str | None = Field(
        description="hour 0-23, weekday 0-6 (Monday 0), ISO date, or a product, category or waiter id (null: "
        "money on orders with no product left, or on a product no longer known)"
    )
    label: str


class SalesReportRead(ComparedPeriodRead):
    group_by: GroupBy
    rows: list[SalesRowRead]
    totals: SalesFigures


class MetricRead(BaseModel):
    value: int
    previous: int
    change: int = Field(description="value - previous")
    change_percent: float | None = Field(description="Change relative to the previous period; null when it was 0")


class SummaryRead(ComparedPeriodRead):
    revenue: MetricRead = Field(description="Net sales: payments less refunds, tips excluded")
    orders: MetricRead
    items: MetricRead
    average_ticket: MetricRead = Field(description="revenue / orders, rounded")
    covers: MetricRead = Field(description="Guests of the orders")
    average_per_cover: MetricRead = Field(description="revenue / covers, rounded")
    tips: MetricRead
    discounts: MetricRead = Field(description="Amount of discounts given (not comps)")
    discounts_count: MetricRead
    comps: MetricRead = Field(description="Amount of comps given")
    comps_count: MetricRead
    voids: MetricRead = Field(description="Value of the items cancelled")
    voids_count: MetricRead


class HeatCellRead(BaseModel):
    weekday: int = Field(ge=0, le=6, description="Monday 0")
    hour: int = Field(ge=0, le=23)
    orders: int
    revenue: int


class HeatmapRead(PeriodRead):
    cells: list[HeatCellRead] = Field(description="Always 7 x 24 cells, weekday-major, zeros included")


class ProductLineRead(BaseModel):
    product_id: int | None
    name: str
    category_id: int | None
    category: str
    quantity: int
    orders: int
    revenue: int = Field(description="The product's share of what its orders' guests paid (tax included)")
    cost: int | None = Field(description="Stock cost of the quantity through its recipe; null when unknown")
    margin: int | None = Field(description="revenue - cost; null when the cost is unknown")


class ProductsRead(PeriodRead):
    products: list[ProductLineRead] = Field(description="Highest revenue first; unsold menu products at 0")
    revenue: int = Field(description="The period's net sales (the products' revenue adds up to it)")


class WaiterLineRead(BaseModel):
    waiter_id: int
    name: str
    orders: int
    tables: int = Field(description="Distinct tables of those orders")
    revenue: int
    average_ticket: int
    tips: int
    covers: int


class WaitersRead(PeriodRead):
    waiters: list[WaiterLineRead] = Field(description="Highest revenue first")


class TurnoverLineRead(BaseModel):
    table_id: int | None = Field(description="Null for the line of all tables")
    label: str
    orders: int = Field(description="Orders closed in the period")
    average_minutes: float = Field(description="Opened -> closed")
    median_minutes: float


class TurnoverRead(PeriodRead):
    overall: TurnoverLineRead
    tables: list[TurnoverLineRead]


class PrepLineRead(BaseModel):
    key: int | None = Field(description="Zone (printer) id or product id; null: no zone")
    name: str
    items: int
    average_seconds: float
    p90_seconds: float = Field(description="Nearest-rank 90th percentile")


class KitchenRead(PeriodRead):
    by_zone: list[PrepLineRead]
    by_product: list[PrepLineRead]


ExceptionKind = Literal["discount", "comp", "void", "refund"]


class ReasonLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ExceptionKind
    reason: str
    count: int
    amount: int


class ExceptionsRead(PeriodRead):
    by_kind: list[ExceptionKindTotalRead]
    by_reason: list[ReasonLineRead] = Field(description="Largest amount first")
    by_waiter: list[ExceptionUserTotalRead] = Field(description="By the person who asked, largest amount first")
