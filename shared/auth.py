"""Bearer access tokens → who is calling: the decoding and checks both backends' auth dependencies share.

Each backend looks the subject up in its own table (staff on the appliance, sysadmins in the cloud); a token
names its subject (`sub`) and the subject's token version (`ver`), and bumping the version (logout
everywhere, deactivation, a password reset) revokes every token issued before.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import Unauthorized
from shared.security import TokenError, TokenExpired, decode_token

bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/auth/login")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


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


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A valid, unexpired access token's subject id and the token version it was issued at."""

    subject_id: int
    version: int


class TokenHolder(Protocol):
    """What a token's subject must say for the token to still count."""

    @property
    def is_active(self) -> bool: ...

    @property
    def token_version(self) -> int: ...


H = TypeVar("H", bound=TokenHolder)


def read_access_token(
    credentials: HTTPAuthorizationCredentials | None,
    *,
    secret_key: str,
    role: str | None = None,
    roles: Collection[str] | None = None,
) -> AccessToken:
    """Decode the bearer access token; with `role` (or `roles`), the token must carry that `role` claim (one of them).

    The role check keeps one service's tokens out of the other even if an operator gave both the same SECRET_KEY.
    """
    if credentials is None:
        raise NotAuthenticated()
    try:
        claims = decode_token(credentials.credentials, secret=secret_key, token_type="access")
    except TokenExpired as exc:
        raise TokenExpiredError() from exc
    except TokenError as exc:
        raise TokenInvalid() from exc
    try:
        token = AccessToken(subject_id=int(claims["sub"]), version=int(claims.get("ver", -1)))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid() from exc
    if role is not None and claims.get("role") != role:
        raise TokenInvalid()
    if roles is not None and claims.get("role") not in roles:
        raise TokenInvalid()
    return token


def still_valid(holder: H | None, token: AccessToken) -> H:
    """The token's subject, if it still exists, is active and has not revoked the token since."""
    if holder is None or not holder.is_active or holder.token_version != token.version:
        raise TokenRevoked()
    return holder
