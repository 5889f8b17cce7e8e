"""/api/waiters."""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.db import TavoloRoute

router = APIRouter(prefix="/api/waiters", tags=["staff"], route_class=TavoloRoute)
