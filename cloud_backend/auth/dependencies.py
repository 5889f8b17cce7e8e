"""Who is calling: bearer access token → active sysadmin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cloud_backend.auth import service
from cloud_backend.auth.models import Sysadmin
from cloud_backend.db import DbSession
from cloud_backend.deps import SecretKeyDep
from shared.errors import Unauthorized
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


AUTH_ERRORS = (NotAuthenticated, TokenExpiredError, TokenInvalid, TokenRevoked)


def current_sysadmin(
    db: DbSession,
    secret_key: SecretKeyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Sysadmin:
    """The active sysadmin behind the access token; deactivation revokes tokens at once."""
    if credentials is None:
        raise NotAuthenticated()
    try:
        claims = decode_token(credentials.credentials, secret=secret_key, token_type="access")
    except TokenExpired as exc:
        raise TokenExpiredError() from exc
    except TokenError as exc:
        raise TokenInvalid() from exc
    try:
        sysadmin_id = int(claims["sub"])
        version = int(claims.get("ver", -1))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid() from exc
    if claims.get("role") != "sysadmin":
        raise TokenInvalid()
    admin = service.find(db, sysadmin_id)
    if admin is None or not admin.is_active or admin.token_version != version:
        raise TokenRevoked()
    return admin


CurrentSysadmin = Annotated[Sysadmin, Depends(current_sysadmin)]
