"""/api/license: the license status (any staff), activation and sync (manager).

Activation and sync wait for the cloud (up to 10 s), so these routes are not TavoloRoute routes: a write route
holds the app's single writer for its whole run, and every order would wait behind the cloud. They authenticate
on a short read session, call the cloud holding nothing, and write through the group writer afterwards.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import auth_read_session
from local_backend.licensing.cloud import SiteConfig
from local_backend.licensing.dependencies import get_license
from local_backend.licensing.errors import ACTIVATION_ERRORS, CloudUrlRequired
from local_backend.licensing.manager import LicenseManager
from local_backend.licensing.schemas import LicenseActivate, LicenseRead
from local_backend.staff.models import User
from shared.errors import error_responses

router = APIRouter(prefix="/api/license", tags=["license"], dependencies=[Depends(auth_read_session)])

LicenseDep = Annotated[LicenseManager, Depends(get_license)]


async def _manager_then_release(request: Request, user: ManagerUser) -> User:
    # End the read transaction before waiting on the cloud; the user's loaded fields stay usable.
    request.state.db.close()
    return user


CloudCaller = Annotated[User, Depends(_manager_then_release)]


@router.get("", response_model=LicenseRead, responses=error_responses(*AUTH_ERRORS))
async def license_status(_: CurrentUser, manager: LicenseDep) -> Any:
    """The license state, why, and how heartbeats are going (any staff; never license-gated)."""
    return manager.public(manager.current())


@router.post(
    "/activate",
    response_model=LicenseRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *ACTIVATION_ERRORS),
)
async def activate(body: LicenseActivate, user: CloudCaller, manager: LicenseDep) -> Any:
    """Heartbeat with this site ID and key; saved (replacing the current ones) only if the cloud accepts them."""
    cloud_url = str(body.cloud_url) if body.cloud_url else (manager.config.cloud_url if manager.config else None)
    cloud_url = cloud_url or manager.settings.cloud_url
    if not cloud_url:
        raise CloudUrlRequired()
    config = SiteConfig(site_id=body.site_id, site_key=body.site_key, cloud_url=cloud_url.rstrip("/"))
    return manager.public(await manager.activate(config, by=user))


@router.post("/sync", response_model=LicenseRead, responses=error_responses(*AUTH_ERRORS, ManagerRequired))
async def sync(user: CloudCaller, manager: LicenseDep) -> Any:
    """Heartbeat now and answer the resulting status; a failure shows in `last_error` (manager)."""
    return manager.public(await manager.heartbeat(by=user))
