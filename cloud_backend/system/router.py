"""/health: liveness for nginx, Docker and the demo."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from cloud_backend import __version__

router = APIRouter(tags=["system"])


class HealthRead(BaseModel):
    status: str
    version: str


@router.get("/health", response_model=HealthRead)
async def health() -> HealthRead:
    """Liveness (does not touch the database)."""
    return HealthRead(status="ok", version=__version__)
