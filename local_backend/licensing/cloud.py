"""One heartbeat to the licensing cloud: send a fresh nonce, get back a lease, verify it.

Every way this can go wrong ends as a HeartbeatFailure with a code and a sentence a manager can act on; nothing
here raises anything else into the app.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from local_backend import __version__
from shared.lease import Lease, LeaseInvalid, verify_lease
from shared.wire import SITE_ID_HEADER, SITE_KEY_HEADER, HeartbeatIn

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
HEARTBEAT_PATH = "/api/heartbeat/"


@dataclass(frozen=True)
class SiteConfig:
    site_id: str
    site_key: str
    cloud_url: str

    @property
    def heartbeat_url(self) -> str:
        return self.cloud_url.rstrip("/") + HEARTBEAT_PATH


@dataclass(frozen=True)
class Accepted:
    lease: Lease
    token: str
    renewal_url: str | None = None


class HeartbeatFailure(Exception):
    """A heartbeat that brought no acceptable lease."""

    def __init__(self, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


def _cloud_detail(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail[:200] if isinstance(detail, str) else None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 24 * 3600.0)


async def exchange(
    config: SiteConfig,
    *,
    uptime_seconds: float,
    trusted: Mapping[str, Mapping[str, Any]],
    newer_than: datetime | None,
) -> Accepted:
    """Heartbeat once; the lease if it is valid, for this site and nonce, and not older than `newer_than`."""
    nonce = secrets.token_urlsafe(24)
    body = HeartbeatIn(version=__version__, uptime_seconds=max(0, int(uptime_seconds)), nonce=nonce)
    url = config.heartbeat_url
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
            response = await client.post(
                url,
                json=body.model_dump(),
                headers={SITE_ID_HEADER: config.site_id, SITE_KEY_HEADER: config.site_key},
            )
    except httpx.TimeoutException as exc:
        raise HeartbeatFailure("CLOUD_UNREACHABLE", f"The licensing cloud at {config.cloud_url} timed out") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise HeartbeatFailure(
            "CLOUD_UNREACHABLE", f"Cannot reach the licensing cloud at {config.cloud_url} ({type(exc).__name__})"
        ) from exc

    if response.status_code == 401:
        detail = _cloud_detail(response) or "unknown site or wrong key"
        raise HeartbeatFailure("SITE_AUTH_FAILED", f"The licensing cloud refused the site ID or key: {detail}")
    if response.status_code == 429:
        retry = _retry_after(response)
        wait = f"; retry in {int(retry)} s" if retry is not None else ""
        raise HeartbeatFailure("HEARTBEAT_RATE_LIMITED", f"Too many heartbeats{wait}", retry_after=retry)
    if response.status_code != 200:
        said = _cloud_detail(response)
        if response.is_redirect:  # e.g. http:// behind a proxy that redirects to https://: CLOUD_URL is wrong
            said = f"redirected to {response.headers.get('location', '?')[:200]} (check CLOUD_URL)"
        raise HeartbeatFailure(
            "CLOUD_ERROR", f"The licensing cloud answered {response.status_code}" + (f": {said}" if said else "")
        )
    try:
        answer = response.json()
    except ValueError as exc:
        raise HeartbeatFailure("BAD_RESPONSE", "The licensing cloud's answer is not JSON (check CLOUD_URL)") from exc
    token = answer.get("lease") if isinstance(answer, dict) else None
    if not isinstance(token, str):
        raise HeartbeatFailure("BAD_RESPONSE", "The licensing cloud's answer carries no lease (check CLOUD_URL)")
    try:
        lease = verify_lease(token, trusted, site_id=config.site_id, nonce=nonce)
    except LeaseInvalid as exc:
        log.warning("refused a lease from %s: %s", url, exc)
        raise HeartbeatFailure("LEASE_INVALID", f"The lease from the licensing cloud was refused: {exc}") from exc
    # Equal is fine: server time has one-second resolution, and the nonce already proves the answer is fresh.
    if newer_than is not None and lease.server_time < newer_than:
        raise HeartbeatFailure(
            "LEASE_STALE", "The lease from the licensing cloud is older than the one this appliance holds"
        )
    return Accepted(lease=lease, token=token, renewal_url=_renewal_url(answer.get("renewal_url")))


def _renewal_url(value: object) -> str | None:
    """The cloud's payment link, shown to managers: only a plain https (or loopback http) URL is passed on."""
    if not isinstance(value, str) or len(value) > 500 or any(ord(c) < 33 or ord(c) == 127 for c in value):
        return None
    if value.startswith("https://") or value.startswith(("http://127.0.0.1", "http://localhost")):
        return value
    return None
