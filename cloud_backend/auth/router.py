"""/api/auth: sysadmin login and the current sysadmin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from cloud_backend.auth import service
from cloud_backend.auth.dependencies import AUTH_ERRORS, CurrentSysadmin
from cloud_backend.auth.schemas import LoginIn, SysadminRead, TokenOut
from cloud_backend.db import DbSession
from cloud_backend.deps import HasherDep, NowDep, SecretKeyDep, SettingsDep, client_ip
from shared.errors import error_responses

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/login",
    response_model=TokenOut,
    responses=error_responses(service.InvalidCredentials, service.LoginThrottled),
)
def login(
    body: LoginIn,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    hasher: HasherDep,
    secret_key: SecretKeyDep,
    now: NowDep,
) -> Any:
    """Log in with username and password; repeated failures (per username, per address) are throttled (429)."""
    return service.login(
        db,
        settings=settings,
        hasher=hasher,
        secret_key=secret_key,
        username=body.username,
        password=body.password,
        ip=client_ip(request),
        now=now,
    )


@router.get("/me", response_model=SysadminRead, responses=error_responses(*AUTH_ERRORS))
def me(admin: CurrentSysadmin) -> Any:
    """The logged-in sysadmin."""
    return admin
