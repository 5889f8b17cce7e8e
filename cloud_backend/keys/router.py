"""/.well-known/jwks.json: the public lease-signing keys (current and next)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from cloud_backend.keys.service import KeyRing

router = APIRouter(tags=["keys"])

JWKS_MAX_AGE = 300


@router.get("/.well-known/jwks.json", response_model=dict[str, Any])
async def jwks(request: Request, response: Response) -> Any:
    """The lease-signing public keys (JWK Set, ES256, kid = RFC 7638 thumbprint); cacheable for five minutes."""
    ring: KeyRing = request.app.state.keyring
    signer = await run_in_threadpool(ring.signer)
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
    return signer.jwks()
