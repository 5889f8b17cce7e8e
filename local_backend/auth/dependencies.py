"""Who is calling: bearer access token → active user, and the role checks routes declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from local_backend.db import DbSession
from local_backend.deps import SecretKeyDep
from local_backend.staff import service as staff
from local_backend.staff.models import User
from shared.errors import Forbidden, Unauthorized
from shared.security import TokenError, TokenExpired, decode_token

bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/auth/login")


class NotAuthenticated(Unauthorized):
    code = "NOT_AUTHENTICATED"
    default_detail = "Log in first"


class TokenExpiredError(Unauthorized):
    code = "TOKEN_EXPIRED"
    default_detail = "Your session has expired"


class TokenInvalid(Unauthorized):
    code = "TOKEN_INVALID"
    default_detail = "Invalid token"


class TokenRevoked(Unauthorized):
    code = "TOKEN_REVOKED"
    default_detail = "This session is no longer valid"


class ManagerRequired(Forbidden):
    code = "MANAGER_REQUIRED"
    default_detail = "Only a manager may do this"


AUTH_ERRORS = (NotAuthenticated, TokenExpiredError, TokenInvalid, TokenRevoked)


async def current_user(
    db: DbSession,
    secret_key: SecretKeyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The active user behind the access token; deactivation or a PIN reset revokes tokens at once."""
    if credentials is None:
        raise NotAuthenticated()
    try:
        claims = decode_token(credentials.credentials, secret=secret_key, token_type="access")
    except TokenExpired as exc:
        raise TokenExpiredError() from exc
    except TokenError as exc:
        raise TokenInvalid() from exc
    try:
        user_id = int(claims["sub"])
        version = int(claims.get("ver", -1))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid() from exc
    # Every request authenticates: answer from the staff cache (invalidated by any committed change to users)
    # on the event loop, and only go to the database, in a worker thread, when it is stale.
    user = staff.cached_user(db, user_id)
    if user is None:
        user = await run_in_threadpool(staff.find_user, db, user_id)
    if user is None or not user.is_active or user.token_version != version:
        raise TokenRevoked()
    return user


async def require_manager(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_manager:
        raise ManagerRequired()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
ManagerUser = Annotated[User, Depends(require_manager)]
