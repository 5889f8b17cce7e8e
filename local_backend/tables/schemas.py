"""Wire shapes of the floor: sections, tables, and each table's live state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# SQLite INTEGER is 64-bit: a larger id must be a 422, not an overflow inside the driver.
MAX_ID = 2**63 - 1
MAX_TABLE_NUMBER = 9999
MAX_BATCH = 200
# Floor-plan canvas bounds in grid units; generous, but bounded so nothing overflows.
MIN_POS, MAX_POS = -100_000, 100_000

TableNumber = Annotated[int, Field(ge=1, le=MAX_TABLE_NUMBER)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Seats = Annotated[int, Field(ge=0, le=50)]
Pos = Annotated[int, Field(ge=MIN_POS, le=MAX_POS)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
SortOrder = Annotated[int, Field(ge=-100_000, le=100_000)]
TableState = Literal["free", "open", "partially_paid", "paid"]


class TableCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: TableNumber
    label: Label | None = Field(default=None, description='Defaults to "T{number}"')
    seats: Seats = 4
    group_id: Id | None = None
    pos_x: Pos = 0
    pos_y: Pos = 0


class TableBatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # 30 characters leaves room for the 4-digit number within the 40-character label.
    prefix: Annotated[str, StringConstraints(max_length=30)] = "T"
    count: Annotated[int, Field(ge=1, le=MAX_BATCH)]
    start: Annotated[int, Field(ge=1, le=MAX_TABLE_NUMBER)] = 1
    seats: Seats = 4
    group_id: Id | None = None

    @model_validator(mode="after")
    def _fits_numbering(self) -> TableBatchCreate:
        if self.start + self.count - 1 > MAX_TABLE_NUMBER:
            raise ValueError(f"start + count - 1 must not exceed {MAX_TABLE_NUMBER}")
        return self


class TableUpdate(BaseModel):
    """Only the fields sent change; `group_id: null` takes the table out of its section."""

    model_config = ConfigDict(extra="forbid")

    number: TableNumber | None = None
    label: Label | None = None
    seats: Seats | None = None
    group_id: Id | None = None
    pos_x: Pos | None = None
    pos_y: Pos | None = None
    is_active: bool | None = None


class TablePosition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Id
    pos_x: Pos
    pos_y: Pos


class TablePositions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    positions: list[TablePosition] = Field(max_length=1000)


class TableRead(BaseModel):
    """A table and its live state (from its active order, if any)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    label: str
    seats: int
    group_id: int | None
    group_name: str | None
    is_active: bool
    pos_x: int
    pos_y: int
    state: TableState
    order_id: int | None
    waiter_id: int | None
    waiter_name: str | None
    assistant_ids: list[int] = Field(description="Who else may serve this table (the owner's assistants)")
    guests: int | None
    total: int = Field(description="Minor units; 0 for a free table")
    paid_total: int
    due: int
    item_count: int
    opened_at: datetime | None
    is_mine: bool = Field(description="The caller owns the open order or assists its owner")
    by_guests: bool = Field(
        default=False,
        description="Guests opened the order from the table's QR code and no waiter has taken it yet "
        "(POST /api/orders/{id}/take)",
    )


class TableGroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: GroupName
    sort_order: SortOrder = 0


class TableGroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: GroupName | None = None
    sort_order: SortOrder | None = None


class TableGroupRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sort_order: int
    table_count: int = Field(description="Active tables in this section")
    created_at: datetime
