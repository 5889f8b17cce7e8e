"""PIN hashing and token helpers."""

from datetime import timedelta

import pytest

from shared.security import SecretHasher, TokenError, TokenExpired, create_token, decode_token


class TestHashing:
    def test_a_pin_verifies_only_against_its_own_hash(self):
        hasher = SecretHasher(rounds=4)
        hashed = hasher.hash("1234")
        assert hashed != "1234"
        assert hasher.verify("1234", hashed)
        assert not hasher.verify("1235", hashed)
        assert not hasher.verify("1234", None)
        assert not hasher.verify("1234", "not-a-hash")


class TestTokens:
    def test_a_token_round_trips_with_its_type(self):
        token = create_token({"sub": "7"}, secret="k" * 40, expires_in=timedelta(minutes=5))
        assert decode_token(token, secret="k" * 40)["sub"] == "7"
        with pytest.raises(TokenError):
            decode_token(token, secret="k" * 40, token_type="refresh")

    def test_an_expired_token_is_told_apart(self):
        token = create_token({"sub": "7"}, secret="k" * 40, expires_in=timedelta(seconds=-1))
        with pytest.raises(TokenExpired):
            decode_token(token, secret="k" * 40)

    def test_an_unsigned_token_is_refused(self):
        from jose import jwt

        unsigned = jwt.encode({"sub": "1", "typ": "access"}, "", algorithm="HS256").rsplit(".", 1)[0] + "."
        with pytest.raises(TokenError):
            decode_token(unsigned, secret="k" * 40)
