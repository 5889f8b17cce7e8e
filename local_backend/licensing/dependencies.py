"""The license guard for opening orders and adding items: in memory, no database, no signature check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from local_backend.licensing.errors import REFUSALS
from local_backend.licensing.manager import LicenseManager


def get_license(request: Request) -> LicenseManager:
    manager: LicenseManager = request.app.state.license
    return manager


async def require_license(request: Request) -> None:
    """Refuse new orders and items when the license is restricted (402) or locked (423).

    `async` so it runs on the event loop: a sync dependency would cost a worker-thread hop on the hot path.
    """
    status = get_license(request).current()
    if not status.allows_orders:
        raise REFUSALS[status.code.value](status.reason)


LicenseRequired = Annotated[None, Depends(require_license)]
