"""/api/tables."""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.db import TavoloRoute

router = APIRouter(prefix="/api/tables", tags=["tables"], route_class=TavoloRoute)
