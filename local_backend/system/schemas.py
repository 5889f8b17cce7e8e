"""Wire shapes of system endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class HealthRead(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    db: Literal["ok", "error"]
    uptime_seconds: float


class SiteInfoRead(BaseModel):
    """What every app needs to present the restaurant before anyone logs in."""

    restaurant_name: str
    currency: str = Field(description="ISO 4217 code; every amount in the API is in its minor unit")
    timezone: str = Field(description="IANA zone used for shifts and reports")
    version: str
