"""Wire shapes of reports."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


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
