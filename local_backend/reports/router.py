"""/api/reports."""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.db import TavoloRoute

router = APIRouter(prefix="/api/reports", tags=["reports"], route_class=TavoloRoute)
