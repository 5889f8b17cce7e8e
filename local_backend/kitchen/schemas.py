"""Wire shapes of the kitchen display."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from local_backend.orders.schemas import Id, ItemStatus

ScreenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
KitchenStatus = Literal["preparing", "ready", "served"]


class ScreenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ScreenName
    zone_ids: list[Id] = Field(default_factory=list, max_length=50, description="Printer ids (kitchen zones)")
    expo: bool = Field(default=False, description="An expo screen sees every zone's tickets")


class ScreenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    zone_ids: list[int]
    expo: bool
    created_at: datetime


class ScreenCreated(ScreenRead):
    token: str = Field(description="The screen's credential; shown once, only its hash is stored")


class ZoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kds_warn_minutes: int
    kds_late_minutes: int


class KitchenItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_name: str
    quantity: int
    options: list[str]
    removed: list[str]
    choices: list[str]
    note: str | None
    seat: int | None
    course: int
    status: ItemStatus
    held: bool = Field(description="Its course waits for the waiter to fire it: shown greyed, not to be made yet")
    fired_at: datetime | None
    preparing_at: datetime | None
    ready_at: datetime | None
    served_at: datetime | None
    guest_nickname: str | None = Field(
        default=None, description="The guest who ordered it from the table's QR code; None for a waiter's item"
    )


class TicketRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    table_label: str
    waiter_name: str
    round: int
    zone_id: int
    zone: ZoneRead | None = Field(description="The zone's name and timer thresholds; None if its printer is gone")
    sent_at: datetime
    fired_at: datetime = Field(description="When its latest course was fired (its timer runs from here)")
    bumped_at: datetime | None
    items: list[KitchenItemRead]


class ItemStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: KitchenStatus


class PrepTimeLine(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: int | None = Field(description="Product id or zone (printer) id")
    name: str
    items: int = Field(description="Items that became ready")
    avg_seconds: float
    p90_seconds: float


class KitchenReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period_start: datetime
    period_end: datetime
    by_product: list[PrepTimeLine]
    by_zone: list[PrepTimeLine]
