"""/api/settings: the site's settings (read by every app, changed by managers) and the receipt logo."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute, in_worker_thread
from local_backend.deps import SettingsDep
from local_backend.settings import logo, service
from local_backend.settings.schemas import SiteSettingsRead, SiteSettingsUpdate
from shared.errors import BadRequest, error_responses

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


@router.put(
    "/logo",
    response_model=SiteSettingsRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, BadRequest, *logo.UPLOAD_ERRORS),
)
@in_worker_thread  # image decoding and dithering must not block the event loop
def upload_logo(
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP, at most 2 MB")],
    user: ManagerUser,
    db: DbSession,
    env: SettingsDep,
) -> Any:
    """Set the receipt logo (manager): stored fitted to 80 mm paper and dithered to black and white; bills and
    receipts print it at the top."""
    data = logo.read_upload(file.file, env.max_image_bytes)
    logo.set_logo(db, data=data, env=env, by=user)
    return service.current(db)


@router.get(
    "/logo",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The logo as it prints"},
        304: {"description": "Not modified"},
        **error_responses(logo.LogoNotSet),
    },
)
def get_logo(request: Request, db: DbSession, env: SettingsDep) -> Response:
    """The receipt logo as stored for printing, a 1-bit PNG (public, like product images: it is on every bill)."""
    data, version = logo.logo_bytes(db, media_dir=env.media_dir)
    headers = {"Cache-Control": "no-cache", "ETag": f'"{version}"'}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type="image/png", headers=headers)


@router.delete("/logo", status_code=204, responses=error_responses(*AUTH_ERRORS, ManagerRequired))
def delete_logo(user: ManagerUser, db: DbSession, env: SettingsDep) -> Response:
    """Remove the receipt logo (manager); bills print without one."""
    logo.remove_logo(db, env=env, by=user)
    return Response(status_code=204)
