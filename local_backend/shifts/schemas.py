"""Wire shapes of cash shifts and cash movements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_CASH = 10**11  # a billion in major units: far above any drawer, far below SQLite's integer limit

Cash = Annotated[int, Field(ge=0, le=MAX_CASH, description="Minor units")]
PositiveCash = Annotated[int, Field(gt=0, le=MAX_CASH, description="Minor units")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
MovementKind = Literal["pay_in", "pay_out"]


class ShiftOpen(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)

    opening_float: Cash = Field(alias="float", description="Cash in the drawer when the shift starts, minor units")


class CashMovementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: MovementKind = Field(description="pay_in: cash put into the drawer; pay_out: cash taken out")
    amount: PositiveCash
    reason: Reason


class ShiftClose(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    counted_cash: Cash = Field(description="Cash counted in the drawer, minor units")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class CashMovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    shift_id: int
    kind: MovementKind
    amount: int
    reason: str
    created_by_id: int
    created_by_name: str
    created_at: datetime


class ShiftCashRead(BaseModel):
    """How the expected drawer is made up: float + cash payments + their tips - cash refunds + pay-ins - pay-outs."""

    model_config = ConfigDict(from_attributes=True)

    opening_float: int
    cash_payments: int = Field(description="Cash taken for bills (change given already netted out)")
    cash_tips: int
    cash_refunds: int
    pay_ins: int
    pay_outs: int
    expected: int


class ShiftSummaryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: Literal["open", "closed"]
    opening_float: int
    opened_at: datetime
    opened_by_id: int
    opened_by_name: str
    closed_at: datetime | None
    closed_by_id: int | None
    closed_by_name: str | None
    expected_cash: int | None = Field(description="Set at close")
    counted_cash: int | None
    variance: int | None = Field(description="counted - expected: negative when cash is missing")
    close_note: str | None


class ShiftRead(ShiftSummaryRead):
    cash: ShiftCashRead = Field(description="So far for an open shift; as it stood at close for a closed one")
    movements: list[CashMovementRead]
