"""/api/orders."""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.db import TavoloRoute

router = APIRouter(prefix="/api/orders", tags=["orders"], route_class=TavoloRoute)
