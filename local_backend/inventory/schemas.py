"""Wire shapes of the inventory: suppliers, stock items, movements, recipes, deliveries, counts and the forecast.

Quantities are integers in the item's base unit (g, ml or pc); `unit_cost` is minor units per kg, per l or per
piece. Inputs forbid unknown fields, are strict about types and bound every number, like the menu's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from local_backend.menu.schemas import MAX_OPTIONS, LongText, Name, RowId
from local_backend.partial import PartialUpdate, StrictInput

# Fields named `date` would shadow the type inside their class body.
_Date = date

Unit = Literal["g", "ml", "pc"]
MovementKind = Literal["sale", "return", "delivery", "count", "adjustment", "waste", "opening"]
ForecastStatus = Literal["critical", "warning", "ok"]

# A tonne in grams a thousand times over: far beyond any kitchen, and far from SQLite's integer limits.
MAX_STOCK = 1_000_000_000
# What one unit of a product may use of one stock item (a kilo of grams is 1,000).
MAX_RECIPE_QUANTITY = 1_000_000
MAX_UNIT_COST = 100_000_000
MAX_LINES = 200
MAX_RECIPE_LINES = 50

StockQuantity = Annotated[int, Field(ge=1, le=MAX_STOCK, description="Base units (g, ml or pc)")]
SignedStock = Annotated[int, Field(ge=-MAX_STOCK, le=MAX_STOCK, description="Base units (g, ml or pc)")]
Level = Annotated[int, Field(ge=0, le=MAX_STOCK, description="Base units (g, ml or pc)")]
UnitCost = Annotated[int, Field(ge=0, le=MAX_UNIT_COST, description="Minor units per kg, per l or per piece")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[0-9+()./ -]+$")
]


def _distinct_stock_items(lines: list[Any]) -> list[Any]:
    ids = [line.stock_item_id for line in lines]
    if len(ids) != len(set(ids)):
        raise ValueError("the same stock item appears twice: give it once with the whole quantity")
    return lines


# Suppliers


class SupplierCreate(StrictInput):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    notes: LongText | None = None
    is_active: bool = True


class SupplierUpdate(PartialUpdate):
    _not_null = frozenset({"name", "is_active"})

    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    notes: LongText | None = None
    is_active: bool | None = None


class SupplierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str | None
    phone: str | None
    notes: str | None
    is_active: bool
    created_at: datetime


# Stock items


class StockItemCreate(StrictInput):
    name: Name
    unit: Unit = Field(description="The base unit every quantity of this item is in: g, ml or pc (kg/l are display)")
    on_hand: SignedStock = Field(default=0, description="Opening stock; recorded as an `opening` movement")
    critical_level: Level = Field(default=0, description="At or below it the item is low (alert, order suggestion)")
    unit_cost: UnitCost | None = Field(
        default=None, description="Minor units per kg, per l or per piece; null: unknown"
    )
    supplier_id: RowId | None = None
    is_active: bool = True


class StockItemUpdate(PartialUpdate):
    """Partial update; on_hand changes only through deliveries, counts, waste and adjustments (the ledger)."""

    _not_null = frozenset({"name", "unit", "critical_level", "is_active"})

    name: Name | None = None
    unit: Unit | None = Field(default=None, description="Only while the item has no movement and is in no recipe")
    critical_level: Level | None = None
    unit_cost: UnitCost | None = None
    supplier_id: RowId | None = None
    is_active: bool | None = None


class StockItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    unit: Unit
    on_hand: int = Field(description="Base units; may be negative (sales are never refused for stock)")
    critical_level: int
    unit_cost: int | None = Field(description="Minor units per kg, per l or per piece; null: unknown")
    supplier_id: int | None
    is_active: bool
    is_low: bool = Field(description="on_hand is at or below critical_level")
    created_at: datetime


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    stock_item_id: int
    kind: MovementKind
    delta: int = Field(description="Base units; negative takes stock out")
    on_hand_after: int
    order_item_id: int | None
    delivery_id: int | None
    reason: str | None
    user_id: int | None
    at: datetime


# Recipes


class RecipeLineIn(StrictInput):
    stock_item_id: RowId
    quantity: int = Field(ge=1, le=MAX_RECIPE_QUANTITY, description="Base units one unit of the product uses")


RecipeLines = Annotated[list[RecipeLineIn], Field(max_length=MAX_RECIPE_LINES), AfterValidator(_distinct_stock_items)]


class RecipeOptionIn(StrictInput):
    option_id: RowId
    lines: RecipeLines


def _distinct_options(options: list[RecipeOptionIn]) -> list[RecipeOptionIn]:
    ids = [option.option_id for option in options]
    if len(ids) != len(set(ids)):
        raise ValueError("the same option appears twice")
    return options


class RecipeIn(StrictInput):
    """The whole recipe of a product: it replaces the previous one (empty lists remove it)."""

    lines: RecipeLines = Field(default_factory=list)
    options: Annotated[list[RecipeOptionIn], Field(max_length=MAX_OPTIONS), AfterValidator(_distinct_options)] = Field(
        default_factory=list, description="What each option uses on top of the product's lines"
    )


class RecipeLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stock_item_id: int
    name: str
    unit: Unit
    quantity: int
    unit_cost: int | None


class RecipeOptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    option_id: int
    name: str
    lines: list[RecipeLineRead]


class RecipeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    lines: list[RecipeLineRead]
    options: list[RecipeOptionRead]
    cost: int | None = Field(
        description="What one unit costs in stock from its lines (minor units); null without a recipe or a cost"
    )


# Deliveries


class DeliveryLineIn(StrictInput):
    stock_item_id: RowId
    quantity: StockQuantity
    unit_cost: UnitCost | None = Field(default=None, description="Becomes the item's unit_cost when given")


class DeliveryCreate(StrictInput):
    supplier_id: RowId | None = None
    note: LongText | None = None
    lines: Annotated[
        list[DeliveryLineIn], Field(min_length=1, max_length=MAX_LINES), AfterValidator(_distinct_stock_items)
    ]


class DeliveryLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stock_item_id: int
    quantity: int
    unit_cost: int | None


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    supplier_id: int | None
    note: str | None
    received_by_id: int | None
    received_at: datetime
    lines: list[DeliveryLineRead]


# Counts, waste and adjustments


class CountLineIn(StrictInput):
    stock_item_id: RowId
    counted: SignedStock


class CountCreate(StrictInput):
    reason: Reason = Field(description="Why the figures change (weekly count, found a case in the cellar); audited")
    lines: Annotated[
        list[CountLineIn], Field(min_length=1, max_length=MAX_LINES), AfterValidator(_distinct_stock_items)
    ]


class CountLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stock_item_id: int
    name: str
    previous: int
    counted: int
    delta: int


class WasteCreate(StrictInput):
    stock_item_id: RowId
    quantity: StockQuantity
    reason: Reason


class AdjustmentCreate(StrictInput):
    stock_item_id: RowId
    delta: SignedStock = Field(description="Base units to add (negative: take out)")
    reason: Reason

    @model_validator(mode="after")
    def _not_zero(self) -> AdjustmentCreate:
        if self.delta == 0:
            raise ValueError("an adjustment of 0 changes nothing")
        return self


# Forecast


class ForecastRowRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stock_item_id: int
    name: str
    unit: Unit
    on_hand: int
    critical_level: int
    day: _Date = Field(description="The day forecast (site timezone)")
    forecast: int = Field(
        description="Expected use that day: the mean net use (sales less returns) of the same weekday over the last "
        "4 weeks, rounded up to a whole base unit"
    )
    days: int = Field(ge=0, le=4, description="Same weekdays averaged (fewer than 4 for an item newer than 4 weeks)")
    status: ForecastStatus = Field(description="critical: on_hand < forecast; warning: < 1.5 x forecast; else ok")
    suggested_order: int = Field(description="max(0, ceil(1.5 x forecast + critical_level - on_hand))")
    supplier_id: int | None
