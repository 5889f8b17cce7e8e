"""Request-scoped access to the app's settings, helpers and clock (no module globals, so tests can run many apps).

`async def` on purpose: FastAPI runs sync dependencies in a worker thread, a hop that costs more than the
attribute lookup itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from cloud_backend.config import Settings
from shared.security import SecretHasher

Clock = Callable[[], datetime]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_hasher(request: Request) -> SecretHasher:
    hasher: SecretHasher = request.app.state.hasher
    return hasher


async def get_secret_key(request: Request) -> str:
    key: str = request.app.state.secret_key
    return key


async def get_now(request: Request) -> datetime:
    """The request's 'now' from the app's clock (tests move it instead of sleeping)."""
    clock: Clock = request.app.state.clock
    return clock()


def client_ip(request: Request) -> str | None:
    """The caller's address (uvicorn applies X-Forwarded-For from FORWARDED_ALLOW_IPS, i.e. nginx)."""
    return request.client.host if request.client else None


SettingsDep = Annotated[Settings, Depends(get_settings)]
HasherDep = Annotated[SecretHasher, Depends(get_hasher)]
SecretKeyDep = Annotated[str, Depends(get_secret_key)]
NowDep = Annotated[datetime, Depends(get_now)]
