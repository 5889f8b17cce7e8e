"""Wire shapes for staff management; a PIN goes in, a PIN hash never comes out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# SQLite INTEGER is 64-bit: a larger id must be a 422, not an overflow inside the driver.
MAX_ID = 2**63 - 1

Username = Annotated[str, StringConstraints(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
# [0-9], not \d: the regex engine's \d also matches other scripts' digits.
Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")]
Role = Literal["waiter", "manager"]
UserId = Annotated[int, Field(ge=1, le=MAX_ID)]


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    display_name: DisplayName
    role: Role = "waiter"
    pin: Pin


class StaffUpdate(BaseModel):
    """Only the fields sent change; `null` leaves a field as it is."""

    model_config = ConfigDict(extra="forbid")

    username: Username | None = None
    display_name: DisplayName | None = None
    role: Role | None = None
    is_active: bool | None = None


class PinReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pin: Pin


class AssistantsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_ids: list[UserId] = Field(max_length=200)


class AssistantsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    waiter_id: int
    assistant_ids: list[int] = Field(description="Users who may serve this waiter's tables")


class StaffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    locked_until: datetime | None = Field(description="Set while a PIN lockout is in force, else null")
    assistant_ids: list[int] = Field(description="Users who assist this user (may serve their tables)")
    assists: list[int] = Field(description="Users whose tables this user may serve")
    created_at: datetime
