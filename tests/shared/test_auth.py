"""Bearer access tokens → a subject that must still be active at the token's version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.security import HTTPAuthorizationCredentials

from shared.auth import (
    AccessToken,
    NotAuthenticated,
    TokenExpiredError,
    TokenInvalid,
    TokenRevoked,
    read_access_token,
    still_valid,
)
from shared.security import create_token

SECRET = "auth-test-secret-long-enough-for-hs256-0123456789"


def bearer(claims: dict[str, Any], *, secret: str = SECRET, minutes: int = 24 * 60, kind: str = "access") -> Any:
    # Long-lived: parametrized tokens are made at collection time, possibly long before their test runs.
    token = create_token(claims, secret=secret, expires_in=timedelta(minutes=minutes), token_type=kind)
    return HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)


@dataclass
class Holder:
    is_active: bool = True
    token_version: int = 3


class TestReadingTheToken:
    def test_a_valid_token_names_its_subject_and_version(self) -> None:
        assert read_access_token(bearer({"sub": "7", "ver": 3}), secret_key=SECRET) == AccessToken(7, 3)

    def test_a_token_without_a_version_matches_no_subject_version(self) -> None:
        assert read_access_token(bearer({"sub": "7"}), secret_key=SECRET).version == -1

    def test_no_credentials_is_not_authenticated(self) -> None:
        with pytest.raises(NotAuthenticated):
            read_access_token(None, secret_key=SECRET)

    def test_an_expired_token_says_so(self) -> None:
        with pytest.raises(TokenExpiredError):
            read_access_token(bearer({"sub": "7", "ver": 3}, minutes=-1), secret_key=SECRET)

    @pytest.mark.parametrize(
        "credentials",
        [
            pytest.param(bearer({"sub": "7", "ver": 3}, secret="another-secret-" * 4), id="signed-elsewhere"),
            pytest.param(bearer({"sub": "7", "ver": 3}, kind="refresh"), id="a-refresh-token"),
            pytest.param(bearer({"ver": 3}), id="no-subject"),
            pytest.param(bearer({"sub": "seven", "ver": 3}), id="subject-not-an-id"),
            pytest.param(bearer({"sub": "7", "ver": "new"}), id="version-not-a-number"),
            pytest.param(HTTPAuthorizationCredentials(scheme="Bearer", credentials="not.a.jwt"), id="garbage"),
        ],
    )
    def test_a_token_that_cannot_be_trusted_is_invalid(self, credentials: Any) -> None:
        with pytest.raises(TokenInvalid):
            read_access_token(credentials, secret_key=SECRET)

    def test_a_role_is_checked_only_when_asked_for(self) -> None:
        waiter = bearer({"sub": "7", "ver": 3, "role": "waiter"})
        assert read_access_token(waiter, secret_key=SECRET).subject_id == 7
        with pytest.raises(TokenInvalid):
            read_access_token(waiter, secret_key=SECRET, role="sysadmin")
        assert read_access_token(bearer({"sub": "7", "role": "sysadmin"}), secret_key=SECRET, role="sysadmin")


class TestTheSubject:
    def test_an_active_subject_at_the_tokens_version_is_the_caller(self) -> None:
        holder = Holder()
        assert still_valid(holder, AccessToken(7, 3)) is holder

    @pytest.mark.parametrize(
        "holder",
        [
            pytest.param(None, id="gone"),
            pytest.param(Holder(is_active=False), id="deactivated"),
            pytest.param(Holder(token_version=4), id="version-bumped"),
        ],
    )
    def test_a_subject_that_moved_on_revokes_the_token(self, holder: Holder | None) -> None:
        with pytest.raises(TokenRevoked):
            still_valid(holder, AccessToken(7, 3))
