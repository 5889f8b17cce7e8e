"""Wire shapes of orders, their items and payments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, field_validator

# SQLite integers are 64-bit; anything above this is no row of ours and must not reach the driver.
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

OrderStatus = Literal["open", "partially_paid", "paid", "closed", "cancelled"]
ItemStatus = Literal["pending", "preparing", "ready", "served", "cancelled"]
PaymentMethod = Literal["cash", "card"]


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table_id: Id
    guests: int | None = Field(default=None, ge=0, le=100, description="Covers at the table; 0 when unknown")


class OrderItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Id
    quantity: int = Field(default=1, ge=1, le=99)
    option_ids: list[Id] = Field(default_factory=list, max_length=50)
    removed_ingredient_ids: list[Id] = Field(default_factory=list, max_length=50)
    choice_ids: list[Id] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=200)
    seat: int | None = Field(default=None, ge=0, le=99)
    course: int = Field(default=1, ge=1, le=9)

    @field_validator("note")
    @classmethod
    def _blank_note_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None


class OrderItemsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[OrderItemCreate] = Field(min_length=1, max_length=100)


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_ids: list[Id] = Field(min_length=1, max_length=200)
    method: PaymentMethod
    tip: int = Field(default=0, ge=0, le=100_000_000, description="Minor units, on top of the items' total")


class CourseFire(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course: int = Field(ge=1, le=9, description="Release this course (and any earlier one still held)")


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class SelectedOptionRead(BaseModel):
    id: int
    name: str
    extra_cost: int


class RemovedIngredientRead(BaseModel):
    id: int
    name: str


class SelectedChoiceRead(BaseModel):
    set_id: int
    set_name: str
    id: int
    name: str
    price_delta: int


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    product_id: int | None
    product_name: str
    quantity: int
    unit_price: int = Field(description="Snapshot at ordering: base price + options + choices, minor units")
    selected_options: list[SelectedOptionRead]
    removed_ingredients: list[RemovedIngredientRead]
    choices: list[SelectedChoiceRead]
    note: str | None
    seat: int | None
    course: int
    status: ItemStatus
    printed: bool
    printer_zone_id: int | None
    round: int = Field(description="1 prints as NEW, later rounds as ADDED")
    fired_at: datetime | None = Field(
        default=None, description="When the kitchen was told to make it; None while its course is held"
    )
    preparing_at: datetime | None = None
    ready_at: datetime | None = None
    served_at: datetime | None = None
    added_by_id: int
    added_at: datetime
    cancelled_by_id: int | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    payment_id: int | None

    # Computed here rather than read, so rows fresh from INSERT ... RETURNING serialize like ORM objects.
    @computed_field  # type: ignore[prop-decorator]
    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_paid(self) -> bool:
        return self.payment_id is not None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def held(self) -> bool:
        """Waiting for its course to be fired: not printed, greyed on the kitchen screen."""
        return self.fired_at is None and self.status != "cancelled"


class ItemsAddedRead(BaseModel):
    """The answer to adding items: only the new items, so the hot path never reloads the whole order."""

    model_config = ConfigDict(from_attributes=True)

    order_id: int
    order_status: OrderStatus
    round: int
    items: list[OrderItemRead]


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    method: PaymentMethod
    amount: int
    tip: int
    created_by_id: int
    created_at: datetime
    item_ids: list[int]


class OrderHeadRead(BaseModel):
    """Fields every view of an order shares (not used on its own)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    table_id: int
    table_number: int
    table_label: str
    waiter_id: int
    waiter_name: str
    status: OrderStatus
    guests: int
    rounds: int
    opened_at: datetime
    closed_at: datetime | None
    cancelled_at: datetime | None
    total: int = Field(description="Live (not cancelled) items, minor units")
    paid_total: int
    due: int


class OrderRead(OrderHeadRead):
    fired_course: int = Field(description="Courses up to this one are with the kitchen; later ones are held")
    cancelled_by_id: int | None
    cancel_reason: str | None
    updated_at: datetime
    items: list[OrderItemRead]
    payments: list[PaymentRead]
    tips_total: int


class OrderSummaryRead(OrderHeadRead):
    item_count: int = Field(description="Sum of quantities of live items")
