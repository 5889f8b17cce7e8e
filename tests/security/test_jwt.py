"""Forged, confused, expired and misused tokens are refused by both services (and by the appliance's live socket).

Every token here is built the way an attacker would: from a real token's claims, re-signed, re-headed or edited.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jose import jwk, jwt
from starlette.websockets import WebSocketDisconnect

from shared.lease import LeaseInvalid, keys_from_jwks, verify_lease
from shared.security import create_token
from tests.cloud_backend.conftest import ADMIN
from tests.cloud_backend.conftest import TEST_SECRET as CLOUD_SECRET
from tests.conftest import MANAGER
from tests.conftest import TEST_SECRET as APPLIANCE_SECRET
from tests.security.conftest import appliance_settings, build_appliance, build_cloud, cloud_settings

OTHER_SECRET = "another-secret-key-that-is-long-enough-for-hs256-0123456789"
HOUR = timedelta(hours=1)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(obj: dict[str, Any]) -> str:
    return b64(json.dumps(obj, separators=(",", ":")).encode())


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.get_unverified_claims(token))


def rsa_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def hs256_by_hand(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 with any bytes as the key (python-jose itself refuses a PEM there, an attacker would not)."""
    signing_input = f"{segment(header)}.{segment(claims)}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@dataclass
class Service:
    """A running service, its key, a real access token and what the tokens are checked against."""

    client: TestClient
    secret: str
    token: str
    lease: str
    jwks: dict[str, Any]
    refresh: str | None = None

    @property
    def claims(self) -> dict[str, Any]:
        """A valid token's own claims, without the time ones (re-signing sets them)."""
        return {k: v for k, v in claims_of(self.token).items() if k not in ("iat", "exp", "typ")}

    def status(self, token: str, scheme: str = "Bearer") -> tuple[int, str]:
        response = self.client.get("/api/auth/me", headers={"Authorization": f"{scheme} {token}"})
        return response.status_code, response.json().get("code", "")


def _cloud_lease(client: TestClient, admin: dict[str, str]) -> tuple[str, dict[str, Any]]:
    body = {
        "name": "Taverna",
        "owner_name": "Owner",
        "contact_email": "owner@example.com",
        "license_expires_at": "2027-01-01T00:00:00+00:00",
    }
    site = client.post("/api/sites/", json=body, headers=admin).json()
    headers = {"X-Site-ID": site["site_id"], "X-Site-Key": site["secret_key"]}
    beat = client.post(
        "/api/heartbeat/", json={"version": "1", "uptime_seconds": 1, "nonce": "n" * 24}, headers=headers
    )
    assert beat.status_code == 200, beat.text
    return beat.json()["lease"], client.get("/.well-known/jwks.json").json()


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    app = build_cloud(cloud_settings(tmp_path_factory.mktemp("cloud")))
    with TestClient(app) as client:
        login = client.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
        token = login.json()["access_token"]
        lease, jwks = _cloud_lease(client, {"Authorization": f"Bearer {token}"})
        yield Service(client, CLOUD_SECRET, token, lease, jwks)


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory, cloud: Service) -> Iterator[Service]:
    app = build_appliance(appliance_settings(tmp_path_factory.mktemp("appliance")))
    with TestClient(app) as client:
        login = client.post("/api/auth/login", json={"username": MANAGER[0], "pin": MANAGER[1]}).json()
        yield Service(client, APPLIANCE_SECRET, login["access_token"], cloud.lease, cloud.jwks, login["refresh_token"])


@pytest.fixture(params=["appliance", "cloud"])
def service(request: pytest.FixtureRequest) -> Service:
    found: Service = request.getfixturevalue(request.param)
    return found


def sign(service: Service, claims: dict[str, Any], *, key: Any = None, alg: str = "HS256", **kw: Any) -> str:
    return str(jwt.encode(claims, key if key is not None else service.secret, algorithm=alg, **kw))


def timed(service: Service, **extra: Any) -> dict[str, Any]:
    """The valid token's claims with fresh time claims (and `extra` on top)."""
    now = claims_of(service.token)["iat"]
    return {**service.claims, "typ": "access", "iat": now, "exp": now + 3600, **extra}


def public_pem(jwks: dict[str, Any]) -> str:
    return str(jwk.construct(jwks["keys"][0], algorithm="ES256").public_key().to_pem().decode())


Forgery = Callable[[Service], str]

FORGERIES: dict[str, tuple[Forgery, str]] = {
    "alg none": (lambda s: f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(timed(s))}.", "TOKEN_INVALID"),
    "alg None with the real signature kept": (
        lambda s: f"{segment({'alg': 'None'})}.{s.token.split('.')[1]}.{s.token.split('.')[2]}",
        "TOKEN_INVALID",
    ),
    "HS512 with the real key": (lambda s: sign(s, timed(s), alg="HS512"), "TOKEN_INVALID"),
    "HS384 with the real key": (lambda s: sign(s, timed(s), alg="HS384"), "TOKEN_INVALID"),
    "RS256 with an attacker's key": (lambda s: sign(s, timed(s), key=rsa_private_pem(), alg="RS256"), "TOKEN_INVALID"),
    "RS256 header on an HS256 signature": (
        lambda s: _reheaded(sign(s, timed(s)), {"alg": "RS256", "typ": "JWT"}),
        "TOKEN_INVALID",
    ),
    "HS256 keyed with the published lease key (PEM)": (
        lambda s: hs256_by_hand({"alg": "HS256", "typ": "JWT"}, timed(s), public_pem(s.jwks).encode()),
        "TOKEN_INVALID",
    ),
    "HS256 keyed with the published JWKS document": (
        lambda s: sign(s, timed(s), key=json.dumps(s.jwks)),
        "TOKEN_INVALID",
    ),
    "the cloud's ES256 lease": (lambda s: s.lease, "TOKEN_INVALID"),
    "expired": (
        lambda s: create_token(s.claims, secret=s.secret, expires_in=-timedelta(seconds=5)),
        "TOKEN_EXPIRED",
    ),
    "signed with another key": (
        lambda s: create_token(s.claims, secret=OTHER_SECRET, expires_in=HOUR),
        "TOKEN_INVALID",
    ),
    "a refresh token": (
        lambda s: create_token(s.claims, secret=s.secret, expires_in=HOUR, token_type="refresh"),
        "TOKEN_INVALID",
    ),
    "payload edited, signature kept": (
        lambda s: _repayloaded(s.token, {**claims_of(s.token), "sub": "2", "role": "manager"}),
        "TOKEN_INVALID",
    ),
    "no exp": (lambda s: sign(s, {k: v for k, v in timed(s).items() if k != "exp"}), "TOKEN_INVALID"),
    "no sub": (lambda s: sign(s, {k: v for k, v in timed(s).items() if k != "sub"}), "TOKEN_INVALID"),
    "sub of nobody": (lambda s: sign(s, timed(s, sub="999999")), "TOKEN_REVOKED"),
    "an old token version": (lambda s: sign(s, timed(s, ver=-5)), "TOKEN_REVOKED"),
    "garbage": (lambda s: "not.a.jwt", "TOKEN_INVALID"),
    "two segments": (lambda s: ".".join(s.token.split(".")[:2]), "TOKEN_INVALID"),
}


def _reheaded(token: str, header: dict[str, Any]) -> str:
    _, payload, signature = token.split(".")
    return f"{segment(header)}.{payload}.{signature}"


def _repayloaded(token: str, claims: dict[str, Any]) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{segment(claims)}.{signature}"


class TestForgedTokensAreRefused:
    def test_the_real_token_works(self, service: Service) -> None:
        assert service.status(service.token) == (200, "")

    @pytest.mark.parametrize("name", FORGERIES)
    def test_is_401(self, service: Service, name: str) -> None:
        forge, code = FORGERIES[name]
        assert service.status(forge(service)) == (401, code)

    def test_a_token_outside_the_bearer_scheme_is_not_read(self, service: Service) -> None:
        assert service.status(service.token, scheme="Basic") == (401, "NOT_AUTHENTICATED")
        assert service.status("", scheme="Bearer") == (401, "NOT_AUTHENTICATED")


class TestTokensStayWithTheirService:
    """Even with one SECRET_KEY on both (a misconfiguration), a token works only where it was issued."""

    def test_a_sysadmin_token_signed_with_the_appliance_key_is_refused_there(self, appliance: Service) -> None:
        sub = claims_of(appliance.token)["sub"]
        forged = create_token({"sub": sub, "ver": 0, "role": "sysadmin"}, secret=appliance.secret, expires_in=HOUR)
        assert appliance.status(forged) == (401, "TOKEN_INVALID")

    def test_a_manager_token_signed_with_the_cloud_key_is_refused_there(self, cloud: Service) -> None:
        sub = claims_of(cloud.token)["sub"]
        forged = create_token({"sub": sub, "ver": 0, "role": "manager"}, secret=cloud.secret, expires_in=HOUR)
        assert cloud.status(forged) == (401, "TOKEN_INVALID")

    def test_each_services_real_token_is_refused_by_the_other(self, appliance: Service, cloud: Service) -> None:
        assert appliance.status(cloud.token) == (401, "TOKEN_INVALID")
        assert cloud.status(appliance.token) == (401, "TOKEN_INVALID")

    def test_the_appliances_refresh_token_is_not_an_access_token(self, appliance: Service) -> None:
        assert appliance.refresh is not None
        assert appliance.status(appliance.refresh) == (401, "TOKEN_INVALID")

    def test_an_access_token_cannot_refresh(self, appliance: Service) -> None:
        response = appliance.client.post("/api/auth/refresh", json={"refresh_token": appliance.token})
        assert (response.status_code, response.json()["code"]) == (401, "REFRESH_TOKEN_INVALID")


class TestTheLiveSocketRefusesForgedTokens:
    @pytest.mark.parametrize(
        "name", ["alg none", "HS512 with the real key", "expired", "signed with another key", "a refresh token"]
    )
    def test_closes_with_4401(self, appliance: Service, name: str) -> None:
        forge, _ = FORGERIES[name]
        with (
            appliance.client.websocket_connect(f"/ws/events?token={forge(appliance)}") as socket,
            pytest.raises(WebSocketDisconnect) as closed,
        ):
            socket.receive_text()
        assert closed.value.code == 4401

    def test_the_real_token_connects(self, appliance: Service) -> None:
        with appliance.client.websocket_connect(f"/ws/events?token={appliance.token}") as socket:
            assert socket.receive_json()["type"] == "snapshot"


class TestLeasesAcceptOnlyTheCloudsSignature:
    def _site(self, cloud: Service) -> str:
        return str(claims_of(cloud.lease)["sub"])

    def test_the_real_lease_verifies(self, cloud: Service) -> None:
        assert verify_lease(cloud.lease, keys_from_jwks(cloud.jwks), site_id=self._site(cloud))

    @pytest.mark.parametrize("alg", ["none", "HS256"])
    def test_a_lease_re_signed_with_a_symmetric_or_no_algorithm_is_invalid(self, cloud: Service, alg: str) -> None:
        header = jwt.get_unverified_header(cloud.lease)
        claims = claims_of(cloud.lease)
        if alg == "none":
            forged = f"{segment({**header, 'alg': 'none'})}.{segment(claims)}."
        else:
            forged = hs256_by_hand({**header, "alg": "HS256"}, claims, public_pem(cloud.jwks).encode())
        with pytest.raises(LeaseInvalid):
            verify_lease(forged, keys_from_jwks(cloud.jwks), site_id=self._site(cloud))


def test_forgeries_cover_the_brief(tmp_path: Path) -> None:
    # Wrong algorithm, expired, another key, wrong type, tampered: each kind has a case above.
    names = " ".join(FORGERIES)
    for kind in ("none", "HS512", "RS256", "expired", "another key", "refresh", "edited"):
        assert kind in names
