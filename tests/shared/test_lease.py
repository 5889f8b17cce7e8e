"""The lease format: signed by the cloud's key, verified only against trusted keys, for one site and one nonce."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt

from shared.lease import (
    LeaseInvalid,
    LeaseState,
    SigningKey,
    jwks,
    keys_from_jwks,
    sign_lease,
    thumbprint,
    verify_lease,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NONCE = "n" * 24


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="module")
def other() -> SigningKey:
    return SigningKey.generate()


def lease(key: SigningKey, **overrides: object) -> str:
    fields: dict[str, object] = {
        "key": key,
        "site_id": "site-1",
        "state": LeaseState.ACTIVE,
        "lock_reason": None,
        "paid_through": NOW + timedelta(days=30),
        "lease_expires_at": NOW + timedelta(hours=30),
        "server_time": NOW,
        "nonce": NONCE,
        **overrides,
    }
    return sign_lease(**fields)  # type: ignore[arg-type]


class TestKeys:
    def test_the_key_id_is_the_rfc7638_thumbprint(self, key: SigningKey) -> None:
        # RFC 7638 §3.1's example is RSA; for EC the same rule applies to crv, kty, x, y in that order.
        assert key.kid == thumbprint(key.public)
        assert len(key.kid) == 43
        assert "d" not in key.public

    def test_a_jwks_round_trips_and_kids_are_recomputed_not_trusted(self, key: SigningKey) -> None:
        document = jwks([key.public])
        forged = {"keys": [{**key.public, "kid": "whatever"}]}
        assert list(keys_from_jwks(document)) == [key.kid]
        assert list(keys_from_jwks(forged)) == [key.kid]

    def test_a_key_that_is_not_p256_is_refused(self) -> None:
        with pytest.raises(LeaseInvalid):
            keys_from_jwks({"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]})
        with pytest.raises(ValueError, match="P-256"):
            SigningKey("not a pem")


class TestVerify:
    def test_a_lease_from_a_trusted_key_says_what_the_cloud_signed(self, key: SigningKey) -> None:
        found = verify_lease(lease(key, keys=[key.public]), keys_from_jwks([key.public]), site_id="site-1", nonce=NONCE)
        assert found.state is LeaseState.ACTIVE
        assert found.paid_through == NOW + timedelta(days=30)
        assert found.lease_expires_at == NOW + timedelta(hours=30)
        assert found.server_time == NOW
        assert found.kid == key.kid
        assert [k["kid"] for k in found.keys] == [key.kid]

    def test_a_locked_lease_carries_its_reason(self, key: SigningKey) -> None:
        token = lease(key, state=LeaseState.LOCKED, lock_reason="unpaid invoice")
        found = verify_lease(token, keys_from_jwks([key.public]), site_id="site-1")
        assert (found.state, found.lock_reason) == (LeaseState.LOCKED, "unpaid invoice")

    def test_an_untrusted_key_proves_nothing(self, key: SigningKey, other: SigningKey) -> None:
        with pytest.raises(LeaseInvalid, match="does not trust"):
            verify_lease(lease(other), keys_from_jwks([key.public]), site_id="site-1")

    def test_a_forged_kid_in_the_header_does_not_help(self, key: SigningKey, other: SigningKey) -> None:
        token = jwt.encode(
            {"sub": "site-1", "iss": "tavolo-cloud"},
            other.private_pem,
            algorithm="ES256",
            headers={"kid": key.kid, "typ": "tavolo-lease+jwt"},
        )
        with pytest.raises(LeaseInvalid, match="signature"):
            verify_lease(token, keys_from_jwks([key.public]), site_id="site-1")

    def test_an_edited_payload_breaks_the_signature(self, key: SigningKey) -> None:
        head, body, sig = lease(key).split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["lease_end"] += 365 * 24 * 3600
        edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        with pytest.raises(LeaseInvalid):
            verify_lease(f"{head}.{edited}.{sig}", keys_from_jwks([key.public]), site_id="site-1")

    def test_another_sites_lease_or_another_heartbeats_lease_is_refused(self, key: SigningKey) -> None:
        trusted = keys_from_jwks([key.public])
        with pytest.raises(LeaseInvalid, match="another site"):
            verify_lease(lease(key), trusted, site_id="site-2")
        with pytest.raises(LeaseInvalid, match="another heartbeat"):
            verify_lease(lease(key), trusted, site_id="site-1", nonce="m" * 24)

    def test_an_hs256_token_made_with_the_public_key_is_refused(self, key: SigningKey) -> None:
        # The classic confusion attack: sign with HMAC using the public key as the secret.
        token = jwt.encode({"sub": "site-1"}, "x" * 32, algorithm="HS256", headers={"kid": key.kid})
        with pytest.raises(LeaseInvalid):
            verify_lease(token, keys_from_jwks([key.public]), site_id="site-1")

    @pytest.mark.parametrize("token", ["", "a.b", "a.b.c", "...", "x" * 5000])
    def test_garbage_is_invalid_not_a_crash(self, key: SigningKey, token: str) -> None:
        with pytest.raises(LeaseInvalid):
            verify_lease(token, keys_from_jwks([key.public]), site_id="site-1")

    def test_an_expired_lease_still_verifies_time_is_judged_by_the_appliance(self, key: SigningKey) -> None:
        old = lease(key, server_time=NOW - timedelta(days=400), lease_expires_at=NOW - timedelta(days=399))
        assert verify_lease(old, keys_from_jwks([key.public]), site_id="site-1").lease_expires_at < NOW
