"""/api/settings: the site's settings (read by every app, changed by managers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.deps import SettingsDep
from local_backend.settings import service
from local_backend.settings.schemas import SiteSettingsRead, SiteSettingsUpdate
from shared.errors import error_responses

router = APIRouter(prefix="/api/settings", tags=["settings"], route_class=TavoloRoute)


@router.get("", response_model=SiteSettingsRead, responses=error_responses(*AUTH_ERRORS))
def get_settings(_: CurrentUser, db: DbSession) -> Any:
    """The restaurant's name, timezone, currency, tax mode, service charge, receipt footer and day-close hour."""
    return service.current(db)


@router.put(
    "",
    response_model=SiteSettingsRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, service.InvalidTimezone, service.UnknownPrinter),
)
def update_settings(body: SiteSettingsUpdate, user: ManagerUser, db: DbSession, env: SettingsDep) -> Any:
    """Change some settings (manager); only the fields sent change, and the change is audit-logged."""
    return service.update(db, data=body, env=env, by=user)
