"""Wire shapes of purchase orders: quantities in the stock item's base unit (g, ml or pc), costs in minor units per
kg, per l or per piece, as everywhere in the inventory. Inputs forbid unknown fields and are strict about types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from local_backend.inventory.schemas import MAX_LINES, StockQuantity, Unit, UnitCost
from local_backend.menu.schemas import LongText, RowId

PurchaseOrderStatus = Literal["draft", "sent", "received", "cancelled"]
EmailStatus = Literal["queued", "sent", "failed", "cancelled"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _distinct_items(lines: list[Any]) -> list[Any]:
    ids = [line.stock_item_id for line in lines]
    if len(ids) != len(set(ids)):
        raise ValueError("the same stock item appears twice: give it once with the whole quantity")
    return lines


class PurchaseOrderLineIn(_Input):
    stock_item_id: RowId
    quantity: StockQuantity
    unit_cost: UnitCost | None = Field(
        default=None, description="Minor units per kg, per l or per piece; default: the item's cost now"
    )


Lines = Annotated[list[PurchaseOrderLineIn], Field(max_length=MAX_LINES), AfterValidator(_distinct_items)]


class PurchaseOrderCreate(_Input):
    supplier_id: RowId | None = Field(default=None, description="null: no supplier yet (pick one before sending)")
    note: LongText | None = None
    lines: Lines = Field(default_factory=list)


class PurchaseOrderUpdate(_Input):
    """A draft's given fields; `lines` replaces every line."""

    supplier_id: RowId | None = None
    note: LongText | None = None
    lines: Lines | None = None

    @model_validator(mode="after")
    def _lines_not_null(self) -> PurchaseOrderUpdate:
        if "lines" in self.model_fields_set and self.lines is None:
            raise ValueError("may not be null: lines")
        return self


class SendRequest(_Input):
    email: bool = Field(
        default=False, description="Also email it to the supplier (queued until the SMTP server takes it)"
    )


class ReceiveLineIn(_Input):
    stock_item_id: RowId
    quantity: StockQuantity
    unit_cost: UnitCost | None = Field(default=None, description="Default: the order line's cost")


class ReceiveRequest(_Input):
    note: LongText | None = None
    lines: (
        Annotated[list[ReceiveLineIn], Field(min_length=1, max_length=MAX_LINES), AfterValidator(_distinct_items)]
        | None
    ) = Field(default=None, description="What actually came (leave items out that did not); default: the order")


class PrintRequest(_Input):
    printer_id: RowId | None = Field(default=None, description="Default: the site's report printer, else the first")


class PurchaseOrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stock_item_id: int
    name: str
    unit: Unit
    quantity: int = Field(description="Base units (g, ml or pc)")
    unit_cost: int | None = Field(description="Minor units per kg, per l or per piece; null: unknown")
    cost: int | None = Field(description="quantity x unit_cost in minor units; null when the cost is unknown")


class EmailRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    to_address: str
    subject: str
    status: EmailStatus
    attempts: int
    last_error: str | None = Field(description="Why the last attempt did not go out (server unreachable, refused)")
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None


class PurchaseOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    supplier_id: int | None
    supplier_name: str | None
    supplier_email: str | None
    status: PurchaseOrderStatus
    note: str | None
    created_by_id: int | None = Field(description="null: drafted by the appliance when items ran low")
    created_at: datetime
    sent_at: datetime | None
    received_at: datetime | None
    cancelled_at: datetime | None
    received_delivery_id: int | None
    email_status: EmailStatus | None = Field(description="The latest email's status; null: never emailed")
    email: EmailRead | None = Field(description="The latest email")
    lines: list[PurchaseOrderLineRead]
    total_cost: int | None = Field(description="Sum of the lines' costs; null when one cost is unknown")


class PrintRead(BaseModel):
    job_id: int
    printer_id: int
    printer_name: str
