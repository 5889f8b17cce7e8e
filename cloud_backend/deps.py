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
from shared.deps import HasherDep as HasherDep
from shared.deps import SecretKeyDep as SecretKeyDep
from shared.deps import get_hasher as get_hasher
from shared.deps import get_secret_key as get_secret_key

Clock = Callable[[], datetime]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_now(request: Request) -> datetime:
    """The request's 'now' from the app's clock (tests move it instead of sleeping)."""
    clock: Clock = request.app.state.clock
    return clock()


def client_ip(request: Request) -> str | None:
    """The caller's address (uvicorn applies X-Forwarded-For from FORWARDED_ALLOW_IPS, i.e. nginx)."""
    return request.client.host if request.client else None


SettingsDep = Annotated[Settings, Depends(get_settings)]
NowDep = Annotated[datetime, Depends(get_now)]
