"""Wire shapes for login, tokens and the current user."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    pin: str = Field(min_length=1, max_length=32)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=2048)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Literal["waiter", "manager"]
    is_active: bool
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    user: UserRead


class ApprovalIn(BaseModel):
    """A manager's username and PIN typed on the waiter's phone, and what they approve."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    pin: str = Field(min_length=1, max_length=32)
    action: Literal["discount", "remove_discount", "void"]
    order_id: int | None = Field(default=None, ge=1, le=2_147_483_647, description="Limit the approval to one order")


class ApprovalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    approval_token: str = Field(description="Send as X-Manager-Approval; one use")
    manager: UserRead
    action: Literal["discount", "remove_discount", "void"]
    order_id: int | None
    expires_in: int = Field(description="Seconds until the approval expires")
