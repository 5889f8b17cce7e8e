"""`Idempotency-Key` support for every write: a replay returns the first response and changes nothing.

The record is written in the same transaction as the write it describes (see TavoloRoute), so a crash
can never leave a write without its record or a record without its write.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy import delete
from sqlalchemy.orm import Session

from local_backend.system.models import IdempotencyRecord
from shared.clock import ensure_utc, utcnow
from shared.errors import BadRequest, Unprocessable
from shared.security import TokenError, decode_token

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128
KEEP_FOR = timedelta(days=7)
# A stored refresh answer holds live tokens: replay it only to the client retrying a lost answer, moments
# later. After that the retired refresh token is just being reused, and the normal reuse check must see it.
SHORT_REPLAY = {"/api/auth/refresh": timedelta(seconds=60), "/api/kitchen/screens": timedelta(seconds=60)}


class IdempotencyKeyInvalid(BadRequest):
    code = "IDEMPOTENCY_KEY_INVALID"
    default_detail = "Idempotency-Key must be 1-128 printable characters"


class IdempotencyKeyReused(Unprocessable):
    code = "IDEMPOTENCY_KEY_REUSED"
    default_detail = "This Idempotency-Key was already used for a different request"


class Idempotency:
    def __init__(self, secret_key: str) -> None:
        self._secret = secret_key

    def _caller(self, request: Request) -> str:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return "-"
        try:
            return str(decode_token(auth[7:].strip(), secret=self._secret).get("sub", "-"))
        except TokenError:
            return "-"

    async def _fingerprint(self, request: Request) -> str:
        body = await request.body()
        digest = hashlib.sha256()
        for part in (request.method, request.url.path, request.url.query, self._caller(request)):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(body)
        return digest.hexdigest()

    @staticmethod
    def _key(request: Request) -> str | None:
        key = request.headers.get(HEADER)
        if key is None:
            return None
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise IdempotencyKeyInvalid()
        return key

    async def replay(self, request: Request, session: Session) -> Response | None:
        """The stored response if this key was seen with the same request; raises if with another."""
        key = self._key(request)
        if key is None:
            return None
        record = session.get(IdempotencyRecord, key)
        if record is None:
            request.state.idempotency = (key, await self._fingerprint(request))
            return None
        if record.fingerprint != await self._fingerprint(request):
            raise IdempotencyKeyReused()
        window = SHORT_REPLAY.get(request.url.path)
        if window is not None and ensure_utc(record.created_at) < utcnow() - window:
            session.delete(record)
            session.flush()
            request.state.idempotency = (key, record.fingerprint)
            return None
        return Response(
            content=record.body,
            status_code=record.status_code,
            media_type=record.content_type,
            headers={"Idempotent-Replayed": "true"},
        )

    async def store(self, request: Request, session: Session, response: Response) -> None:
        pending = getattr(request.state, "idempotency", None)
        body = getattr(response, "body", None)
        if pending is None or not isinstance(body, bytes | memoryview):
            return
        key, fingerprint = pending
        session.add(
            IdempotencyRecord(
                key=key,
                fingerprint=fingerprint,
                status_code=response.status_code,
                content_type=response.media_type or "application/json",
                body=bytes(body).decode("utf-8", errors="replace"),
            )
        )
        session.flush()


def purge_expired(session: Session) -> int:
    """Forget records older than a week; clients retry within minutes, not days."""
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR))
    return int(getattr(result, "rowcount", 0) or 0)
