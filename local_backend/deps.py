"""Request-scoped access to the app's settings and helpers (no module globals, so tests can run many apps).

These are `async def` on purpose: FastAPI runs sync dependencies in a worker thread, a hop that costs more
than the attribute lookup itself on the hot path.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from local_backend.config import Settings
from shared.security import SecretHasher


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_hasher(request: Request) -> SecretHasher:
    hasher: SecretHasher = request.app.state.hasher
    return hasher


async def get_secret_key(request: Request) -> str:
    key: str = request.app.state.secret_key
    return key


SettingsDep = Annotated[Settings, Depends(get_settings)]
HasherDep = Annotated[SecretHasher, Depends(get_hasher)]
SecretKeyDep = Annotated[str, Depends(get_secret_key)]
