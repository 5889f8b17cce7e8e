"""Wire shapes for sysadmin login and the current sysadmin."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cloud_backend.types import NO_CONTROL

MAX_PASSWORD_BYTES = 72  # bcrypt's limit: it refuses (rather than truncates) anything longer


def _bcrypt_sized(value: str) -> str:
    if len(value.encode()) > MAX_PASSWORD_BYTES:
        raise ValueError(f"at most {MAX_PASSWORD_BYTES} bytes")
    return value


Password = Annotated[
    str, Field(min_length=1, max_length=MAX_PASSWORD_BYTES, pattern=NO_CONTROL), AfterValidator(_bcrypt_sized)
]


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=NO_CONTROL)
    password: Password


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class SysadminRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
