"""The license lease: a short statement signed by the cloud (ES256) that an appliance decides from while offline.

One lease answers one heartbeat. It names the site, the license state the cloud decided (active, locked,
expired), the lock reason, the paid-through date, when the lease ends (server time + heartbeat interval + the
site's grace), the server's time and the nonce the appliance sent, so an old lease cannot be replayed as an
answer to a new heartbeat. Its `keys` claim lists the cloud's signing keys (current and next): an appliance that
trusts the signer learns the next key from a lease it already trusts, so the cloud can rotate keys without an
appliance release and without the appliance ever trusting a key it only read from a file or a URL.

python-jose is used with `algorithms=[ES256]` always (it would otherwise trust the token's own header) and with
its time checks off: an expired lease still proves what the cloud said, and the appliance judges time itself
(wall clock, a high-water mark and elapsed uptime).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import JWTError, jwk, jwt

LEASE_ALGORITHM = "ES256"
LEASE_TYPE = "tavolo-lease+jwt"
LEASE_ISSUER = "tavolo-cloud"
NONCE_MIN_LENGTH = 16
NONCE_MAX_LENGTH = 128


class LeaseState(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    EXPIRED = "expired"


class LeaseInvalid(Exception):
    """A lease that proves nothing: malformed, signed by an untrusted key, or for another site or heartbeat."""


# ---------------------------------------------------------------------------------------------------------------
# Keys


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(public_jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint of an EC public key: the key id, stable for the key whatever else the JWK carries."""
    canonical = json.dumps(
        {"crv": public_jwk["crv"], "kty": public_jwk["kty"], "x": public_jwk["x"], "y": public_jwk["y"]},
        separators=(",", ":"),
        sort_keys=True,
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk(key: Mapping[str, Any]) -> dict[str, Any]:
    """The public members of an EC JWK, with its thumbprint as `kid` (what JWKS publishes and leases carry)."""
    try:
        members = {"kty": key["kty"], "crv": key["crv"], "x": key["x"], "y": key["y"]}
    except KeyError as exc:
        raise LeaseInvalid(f"not an EC public key: missing {exc.args[0]}") from exc
    if members["kty"] != "EC" or members["crv"] != "P-256":
        raise LeaseInvalid("lease keys are EC P-256")
    return {**members, "alg": LEASE_ALGORITHM, "use": "sig", "kid": thumbprint(members)}


@dataclass(frozen=True)
class SigningKey:
    """A lease-signing private key (the cloud's), with its public JWK and key id."""

    private_pem: str
    public: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        try:
            key = jwk.construct(self.private_pem, LEASE_ALGORITHM)
        except Exception as exc:
            raise ValueError("not an EC P-256 private key in PEM") from exc
        object.__setattr__(self, "public", public_jwk(key.public_key().to_dict()))

    @property
    def kid(self) -> str:
        return str(self.public["kid"])

    @classmethod
    def generate(cls) -> SigningKey:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return cls(pem)


def jwks(keys: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A JWK Set of public keys."""
    return {"keys": [public_jwk(k) for k in keys]}


def keys_from_jwks(document: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Public keys by kid from a JWK Set (or a bare list of JWKs); the kid is recomputed, never taken on trust."""
    entries = document.get("keys", []) if isinstance(document, Mapping) else document
    if not isinstance(entries, Sequence):
        raise LeaseInvalid("a JWK Set has a list of keys")
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise LeaseInvalid("a JWK is an object")
        key = public_jwk(entry)
        out[key["kid"]] = key
    return out


# ---------------------------------------------------------------------------------------------------------------
# Leases


def _epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _moment(value: Any, name: str) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LeaseInvalid(f"lease claim {name} is not a time")
    return datetime.fromtimestamp(value, UTC)


@dataclass(frozen=True, slots=True)
class Lease:
    """What the cloud decided, as of `server_time`, valid until `lease_expires_at`."""

    site_id: str
    state: LeaseState
    lock_reason: str | None
    paid_through: datetime
    lease_expires_at: datetime
    server_time: datetime
    nonce: str
    kid: str
    keys: tuple[dict[str, Any], ...] = ()
    """The cloud's signing keys (current and next) as of this lease."""

    def claims(self) -> dict[str, Any]:
        return {
            "iss": LEASE_ISSUER,
            "sub": self.site_id,
            "state": self.state.value,
            "lock_reason": self.lock_reason,
            "paid_through": _epoch(self.paid_through),
            "lease_end": _epoch(self.lease_expires_at),
            "iat": _epoch(self.server_time),
            "nonce": self.nonce,
            "keys": [public_jwk(k) for k in self.keys],
        }


def sign_lease(
    *,
    key: SigningKey,
    site_id: str,
    state: LeaseState,
    lock_reason: str | None,
    paid_through: datetime,
    lease_expires_at: datetime,
    server_time: datetime,
    nonce: str,
    keys: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Sign a lease with the cloud's current key; its kid goes in the header."""
    lease = Lease(
        site_id=site_id,
        state=state,
        lock_reason=lock_reason,
        paid_through=paid_through,
        lease_expires_at=lease_expires_at,
        server_time=server_time,
        nonce=nonce,
        kid=key.kid,
        keys=tuple(dict(k) for k in keys),
    )
    token: str = jwt.encode(
        lease.claims(), key.private_pem, algorithm=LEASE_ALGORITHM, headers={"kid": key.kid, "typ": LEASE_TYPE}
    )
    return token


def lease_kid(token: str) -> str | None:
    """The key id a lease says it was signed with (unverified: only to pick the key)."""
    try:
        header = jwt.get_unverified_header(token)
    except JWTError:
        return None
    kid = header.get("kid")
    return kid if isinstance(kid, str) else None


def verify_lease(
    token: str,
    trusted: Mapping[str, Mapping[str, Any]],
    *,
    site_id: str,
    nonce: str | None = None,
) -> Lease:
    """The lease, if a trusted key signed it for this site (and, when given, in answer to this nonce).

    `trusted` maps kid → public JWK (see keys_from_jwks). Time is not judged here."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise LeaseInvalid("not a lease")
    kid = lease_kid(token)
    if kid is None or kid not in trusted:
        raise LeaseInvalid("signed by a key this appliance does not trust")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != LEASE_ALGORITHM or header.get("typ") != LEASE_TYPE:
            raise LeaseInvalid("not a lease")
        claims = jwt.decode(
            token,
            dict(trusted[kid]),
            algorithms=[LEASE_ALGORITHM],
            issuer=LEASE_ISSUER,
            options={"verify_aud": False, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except JWTError as exc:
        raise LeaseInvalid(f"bad lease signature or claims: {exc}") from exc
    if claims.get("sub") != site_id:
        raise LeaseInvalid("the lease is for another site")
    if nonce is not None and claims.get("nonce") != nonce:
        raise LeaseInvalid("the lease answers another heartbeat")
    try:
        state = LeaseState(str(claims.get("state")))
    except ValueError as exc:
        raise LeaseInvalid("unknown lease state") from exc
    reason = claims.get("lock_reason")
    keys = claims.get("keys", [])
    if not isinstance(keys, list):
        raise LeaseInvalid("lease keys are a list")
    lease_nonce = claims.get("nonce")
    if not isinstance(lease_nonce, str):
        raise LeaseInvalid("the lease has no nonce")
    return Lease(
        site_id=site_id,
        state=state,
        lock_reason=reason if isinstance(reason, str) else None,
        paid_through=_moment(claims.get("paid_through"), "paid_through"),
        lease_expires_at=_moment(claims.get("lease_end"), "lease_end"),
        server_time=_moment(claims.get("iat"), "iat"),
        nonce=lease_nonce,
        kid=kid,
        keys=tuple(keys_from_jwks(keys).values()),
    )
