"""Wire shapes of alerts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class AlertKind(StrEnum):
    SITE_STALE = "site_stale"
    LICENSE_EXPIRING = "license_expiring"


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site_id: str
    kind: AlertKind
    message: str
    data: dict[str, Any]
    created_at: datetime
