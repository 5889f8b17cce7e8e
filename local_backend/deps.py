"""Request-scoped access to the app's settings and helpers (no module globals, so tests can run many apps).

These are `async def` on purpose: FastAPI runs sync dependencies in a worker thread, a hop that costs more
than the attribute lookup itself on the hot path.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from local_backend.config import Settings
from shared.deps import HasherDep as HasherDep
from shared.deps import SecretKeyDep as SecretKeyDep
from shared.deps import get_hasher as get_hasher
from shared.deps import get_secret_key as get_secret_key


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
