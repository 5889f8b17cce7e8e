"""/api/products."""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.db import TavoloRoute

router = APIRouter(prefix="/api/products", tags=["menu"], route_class=TavoloRoute)
