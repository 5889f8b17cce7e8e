"""PIN/password hashing and JWT helpers shared by the appliance and the cloud."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from jose import ExpiredSignatureError, JWTError, jwt
from passlib.context import CryptContext

from shared.clock import utcnow

JWT_ALGORITHM = "HS256"
_REQUIRED_CLAIMS = {"require_exp": True, "require_iat": True, "require_sub": True}


class TokenError(Exception):
    """A token that cannot be trusted: bad signature, wrong type, malformed."""


class TokenExpired(TokenError):
    """A token whose signature is good but whose time is up."""


class SecretHasher:
    """Hashes PINs and passwords with bcrypt at a cost chosen per backend.

    A PIN has little entropy, so the lockout is what protects it; the cost is tuned so a login stays fast
    on a Raspberry Pi (rounds 10 ≈ 65 ms on the dev machine, ≈ 250 ms on a Pi 4).
    """

    def __init__(self, rounds: int = 10) -> None:
        self._ctx = CryptContext(schemes=["bcrypt"], bcrypt__rounds=rounds, deprecated="auto")
        # A hash to verify against when the user does not exist, so timing does not reveal usernames.
        self._dummy = self._ctx.hash(secrets.token_hex(8))

    def hash(self, secret: str) -> str:
        return str(self._ctx.hash(secret))

    def verify(self, secret: str, hashed: str | None) -> bool:
        if not hashed:
            self._ctx.verify(secret, self._dummy)
            return False
        try:
            return bool(self._ctx.verify(secret, hashed))
        except (ValueError, TypeError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        return bool(self._ctx.needs_update(hashed))


def create_token(claims: dict[str, Any], *, secret: str, expires_in: timedelta, token_type: str = "access") -> str:
    """Sign a JWT with `typ` and time claims set; callers pass sub and their own claims."""
    now = utcnow()
    payload = {
        **claims,
        "typ": token_type,
        "iat": int(now.timestamp()),
        "exp": int((now + expires_in).timestamp()),
    }
    return str(jwt.encode(payload, secret, algorithm=JWT_ALGORITHM))


def decode_token(token: str, *, secret: str, token_type: str = "access") -> dict[str, Any]:
    """Verify signature, expiry and type; always pins the algorithm (python-jose trusts the header otherwise)."""
    try:
        # python-jose checks `exp` only when present: a token without one would never expire, so demand it.
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options=_REQUIRED_CLAIMS)
    except ExpiredSignatureError as exc:
        raise TokenExpired("token expired") from exc
    except (JWTError, ValueError, TypeError, AttributeError) as exc:
        raise TokenError("invalid token") from exc
    if claims.get("typ") != token_type:
        raise TokenError("wrong token type")
    return claims


def new_secret(nbytes: int = 32) -> str:
    """A random URL-safe secret (keys, refresh token ids)."""
    return secrets.token_urlsafe(nbytes)


def sha256_hex(value: str) -> str:
    """Digest for secrets stored only as a hash (refresh tokens, site keys)."""
    return hashlib.sha256(value.encode()).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
