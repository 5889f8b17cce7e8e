"""/api/auth: login, refresh, logout, me, and managers' approvals for a waiter."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from local_backend.auth import approvals, service
from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser
from local_backend.auth.schemas import ApprovalIn, ApprovalRead, LoginIn, RefreshIn, TokenPair, UserRead
from local_backend.auth.throttle import LoginThrottled, LoginThrottleDep, client_address
from local_backend.db import DbSession, TavoloRoute, in_worker_thread
from local_backend.deps import HasherDep, SecretKeyDep, SettingsDep
from shared.errors import error_responses

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=TavoloRoute)


class LogoutIn(BaseModel):
    refresh_token: str | None = Field(default=None, max_length=2048)


@router.post(
    "/login",
    response_model=TokenPair,
    responses=error_responses(service.InvalidCredentials, service.PinLockedOut, LoginThrottled),
)
@in_worker_thread  # bcrypt / image work must not block the event loop
def login(
    body: LoginIn,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    hasher: HasherDep,
    secret_key: SecretKeyDep,
    throttle: LoginThrottleDep,
) -> Any:
    """Log in with username and PIN; five wrong PINs lock the user out for five minutes, and too many failures
    from one device (whatever the usernames) make it wait (429)."""
    return service.login(
        db,
        settings=settings,
        hasher=hasher,
        secret_key=secret_key,
        username=body.username,
        pin=body.pin,
        throttle=throttle,
        address=client_address(request),
    )


@router.post("/refresh", response_model=TokenPair, responses=error_responses(service.RefreshTokenInvalid))
def refresh(body: RefreshIn, db: DbSession, settings: SettingsDep, secret_key: SecretKeyDep) -> Any:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return service.refresh(db, settings=settings, secret_key=secret_key, token=body.refresh_token)


@router.post("/logout", status_code=204, responses=error_responses(*AUTH_ERRORS))
def logout(user: CurrentUser, db: DbSession, secret_key: SecretKeyDep, body: LogoutIn | None = None) -> None:
    """Revoke the refresh token (and its rotations)."""
    service.logout(db, secret_key=secret_key, user=user, token=body.refresh_token if body else None)


@router.get("/me", response_model=UserRead, responses=error_responses(*AUTH_ERRORS))
def me(user: CurrentUser) -> Any:
    """The logged-in user."""
    return user


@router.post(
    "/approvals",
    status_code=201,
    response_model=ApprovalRead,
    responses=error_responses(*AUTH_ERRORS, *approvals.GRANT_ERRORS),
)
@in_worker_thread
def grant_approval(body: ApprovalIn, user: CurrentUser, db: DbSession, settings: SettingsDep, hasher: HasherDep) -> Any:
    """A manager approves one action of the logged-in waiter with their PIN: a one-use token valid 5 minutes."""
    return approvals.grant(
        db,
        settings=settings,
        hasher=hasher,
        username=body.username,
        pin=body.pin,
        action=body.action,
        order_id=body.order_id,
        by=user,
    )
