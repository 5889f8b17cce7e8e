"""Request-scoped access to what both apps keep on `app.state` (no module globals, so tests can run many apps).

`async def` on purpose: FastAPI runs sync dependencies in a worker thread, a hop that costs more than the
attribute lookup itself on the hot path.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.security import SecretHasher


async def get_hasher(request: Request) -> SecretHasher:
    hasher: SecretHasher = request.app.state.hasher
    return hasher


async def get_secret_key(request: Request) -> str:
    key: str = request.app.state.secret_key
    return key


HasherDep = Annotated[SecretHasher, Depends(get_hasher)]
SecretKeyDep = Annotated[str, Depends(get_secret_key)]
