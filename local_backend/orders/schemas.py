"""Wire shapes of orders, their items, payments, refunds, splits and payment methods."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, field_validator, model_validator

# SQLite integers are 64-bit; anything above this is no row of ours and must not reach the driver.
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

OrderStatus = Literal["open", "partially_paid", "paid", "closed", "cancelled"]
ItemStatus = Literal["pending", "preparing", "ready", "served", "cancelled"]
MethodKind = Literal["cash", "card", "upi", "other"]
# A payment method's code: cash, card, upi, or one a manager defined.
MethodCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")]
# Minor units; far above any bill, far below what SQLite's 64-bit integers hold.
Money = Annotated[int, Field(ge=0, le=100_000_000_000)]
PositiveMoney = Annotated[int, Field(ge=1, le=100_000_000_000)]


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
    """The first API's pay: every unpaid unit of the given items (POST /api/orders/{id}/payments does more)."""

    model_config = ConfigDict(extra="forbid")

    item_ids: list[Id] = Field(min_length=1, max_length=200)
    method: MethodCode
    tip: int = Field(default=0, ge=0, le=100_000_000, description="Minor units, on top of the items' total")


class ItemUnits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: Id
    quantity: int = Field(default=1, ge=1, le=999, description="Units of the line (2 of 4 beers)")


class PaymentIn(BaseModel):
    """Pay item units (the amount is their total) or an amount of the balance; a tip on top; cash may give change."""

    model_config = ConfigDict(extra="forbid")

    method: MethodCode
    amount: PositiveMoney | None = Field(default=None, description="Applied to the bill; with items, must match")
    items: list[ItemUnits] | None = Field(default=None, min_length=1, max_length=200)
    tip: int = Field(default=0, ge=0, le=100_000_000)
    tendered: Money | None = Field(default=None, description="Cash handed over (cash only); change is given back")
    split_part: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None = Field(
        default=None, description='Which part of a split this pays, e.g. "1/4" or "seat 2"'
    )
    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = Field(
        default=None, description="External reference (card slip, gateway payment id); unique"
    )

    @model_validator(mode="after")
    def _amount_or_items(self) -> Self:
        if self.amount is None and not self.items:
            raise ValueError("give an amount or items")
        return self


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: PositiveMoney
    reason: Reason


class SplitByItems(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["items"]
    items: list[ItemUnits] = Field(min_length=1, max_length=200)


class SplitBySeats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["seats"]


class SplitEven(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["even"]
    parts: int = Field(ge=1, le=100)


class SplitByAmounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["amount"]
    amounts: list[PositiveMoney] = Field(min_length=1, max_length=100)


SplitCreate = Annotated[SplitByItems | SplitBySeats | SplitEven | SplitByAmounts, Field(discriminator="mode")]


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table_id: Id


class ReassignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    waiter_id: Id = Field(description="The active member of staff who takes the order over")


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: Id = Field(description="The order whose items and payments come into this one")


class ItemsMoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ItemUnits] = Field(min_length=1, max_length=200)
    to_order_id: Id


class PaymentMethodCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: MethodCode
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    kind: MethodKind = "other"
    sort_order: int = Field(default=100, ge=0, le=10_000)
    is_active: bool = True


class PaymentMethodUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None = None
    sort_order: int | None = Field(default=None, ge=0, le=10_000)
    is_active: bool | None = None


class PaymentMethodRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: MethodKind
    is_active: bool
    sort_order: int
    created_at: datetime


class CourseFire(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course: int = Field(ge=1, le=9, description="Release this course (and any earlier one still held)")


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


DiscountKind = Literal["percent", "amount", "comp"]


class DiscountCreate(BaseModel):
    """A discount on one item (item_id) or on the whole order; needs a manager's approval."""

    model_config = ConfigDict(extra="forbid")

    item_id: Id | None = Field(default=None, description="The item discounted; absent: the whole order")
    kind: DiscountKind
    value: int | None = Field(
        default=None,
        ge=0,
        le=100_000_000_000,
        description="percent: basis points (1000 = 10 %); amount: minor units; comp: absent (all of it)",
    )
    reason: Reason

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Self:
        if self.kind == "comp":
            if self.value not in (None, 0):
                raise ValueError("a comp takes no value")
        elif self.value is None or self.value < 1:
            raise ValueError(f"a {self.kind} discount needs a positive value")
        elif self.kind == "percent" and self.value > 10_000:
            raise ValueError("a percent is at most 10000 basis points")
        return self


class DiscountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    item_id: int | None
    kind: DiscountKind
    value: int = Field(description="As asked: basis points (percent), minor units (amount), 0 (comp)")
    amount: int = Field(description="What it took off when given, minor units")
    reason: str
    created_by_id: int
    approved_by_id: int
    created_at: datetime
    removed_at: datetime | None
    removed_by_id: int | None
    removed_approved_by_id: int | None


class TaxLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rate_bp: int
    base: int = Field(description="What the rate applies to: tax included (inclusive) or excluded (exclusive)")
    net: int = Field(description="The taxable amount without the tax")
    tax: int


class TotalsLineRead(BaseModel):
    """One live item's share of the bill; paying all its units pays `payable` exactly."""

    model_config = ConfigDict(from_attributes=True)

    item_id: int
    gross: int
    discount: int
    service_charge: int
    tax: int
    payable: int


class OrderTotalsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tax_mode: Literal["inclusive", "exclusive"] = Field(description="The site's mode when the order was opened")
    service_charge_bp: int
    subtotal: int = Field(description="Live items at their prices")
    discounts: int
    service_charge: int = Field(description="On the discounted subtotal; taxed at the rates of its lines")
    taxes: list[TaxLineRead] = Field(description="Per rate (rates above 0 only)")
    tax_total: int
    total: int = Field(description="subtotal - discounts + service charge (+ tax when exclusive)")
    paid: int
    balance: int
    lines: list[TotalsLineRead]


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
    tax_rate_bp: int = Field(default=0, description="Snapshot at ordering: the product's (or category's) tax rate")
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
    cancel_approved_by_id: int | None = None
    paid_quantity: int = Field(description="Units paid: by item payments, or all once the balance reached 0")
    guest_nickname: str | None = Field(default=None, description="Set when a guest ordered it from the QR code")

    # Computed here rather than read, so rows fresh from INSERT ... RETURNING serialize like ORM objects.
    @computed_field  # type: ignore[prop-decorator]
    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_paid(self) -> bool:
        return self.paid_quantity >= self.quantity

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


class PaymentItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_id: int
    quantity: int
    amount: int


class RefundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    payment_id: int
    order_id: int
    amount: int
    reason: str
    method: str
    created_by_id: int
    created_at: datetime


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    method: str = Field(description="A payment method's code")
    amount: int = Field(description="Applied to the bill, minor units")
    tip: int
    tendered: int | None
    change_due: int
    reference: str | None
    split_part: str | None
    created_by_id: int
    created_at: datetime
    item_ids: list[int] = Field(description="Items with units covered by this payment (none for an amount)")
    items: list[PaymentItemRead]
    refunds: list[RefundRead]
    refunded: int


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
    total: int = Field(description="What the guest owes: live items less discounts, plus service charge and tax")
    paid_total: int = Field(description="Payments less refunds (tips excluded)")
    due: int = Field(description="The balance: total - paid_total")


class OrderRead(OrderHeadRead):
    fired_course: int = Field(description="Courses up to this one are with the kitchen; later ones are held")
    cancelled_by_id: int | None
    cancel_reason: str | None
    updated_at: datetime
    items: list[OrderItemRead]
    payments: list[PaymentRead]
    tips_total: int
    refunded_total: int
    merged_into_id: int | None = Field(description="Set on an order merged into another")
    totals: OrderTotalsRead
    discounts: list[DiscountRead] = Field(description="Every discount given, removed ones included")


class PaymentRecordedRead(BaseModel):
    """A new payment (with its change) and the order after it."""

    model_config = ConfigDict(from_attributes=True)

    payment: PaymentRead
    order: OrderRead


class DiscountRecordedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    discount: DiscountRead
    order: OrderRead


class RefundRecordedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    refund: RefundRead
    order: OrderRead


class SplitPartItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_id: int
    quantity: int
    amount: int = Field(description="This part's share of the line")
    shared: bool = Field(description="An unseated line shared among the seats")


class SplitPartRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    label: str
    amount: int
    items: list[SplitPartItemRead]


class SplitRead(BaseModel):
    """Payable parts of the balance, computed now and not stored; even and seat parts sum to it exactly."""

    model_config = ConfigDict(from_attributes=True)

    order_id: int
    mode: Literal["items", "seats", "even", "amount"]
    total: int
    paid_total: int
    due: int
    parts: list[SplitPartRead]
    remaining: int = Field(description="The balance left once every part is paid")


class OrderSummaryRead(OrderHeadRead):
    item_count: int = Field(description="Sum of quantities of live items")
