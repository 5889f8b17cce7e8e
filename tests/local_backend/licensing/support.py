"""Licensing test helpers: a clock the tests move, and a licensing cloud faked at the httpx boundary (respx)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from shared.lease import LeaseState, SigningKey, jwks, sign_lease
from shared.wire import SITE_ID_HEADER, SITE_KEY_HEADER, HeartbeatIn

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CLOUD_URL = "https://cloud.tavolo.test"
HEARTBEAT_URL = CLOUD_URL + "/api/heartbeat/"
SITE_ID = "site_kafeneio01"
SITE_KEY = "sk_" + "k" * 43


class MovableClock:
    """Wall clock and uptime that only move when a test says so; `set_wall` moves the wall clock alone.

    `true` is the real time (what the cloud's clock reads), whatever the appliance's wall clock was set to.
    """

    def __init__(self, start: datetime = START) -> None:
        self.wall = start
        self.true = start
        self.mono = 1_000.0
        self.boot = "boot-1"

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def boot_id(self) -> str:
        return self.boot

    def advance(self, **delta: float) -> None:
        """Time passes: both clocks move."""
        step = timedelta(**delta)
        self.wall += step
        self.true += step
        self.mono += step.total_seconds()

    def set_wall(self, moment: datetime) -> None:
        """Someone sets the clock: neither uptime nor the true time move."""
        self.wall = moment

    def reboot(self) -> None:
        self.boot = f"boot-{uuid.uuid4()}"
        self.mono = 3.0


def jwks_json(*keys: SigningKey) -> str:
    return json.dumps(jwks([k.public for k in keys]))


@dataclass
class FakeCloud:
    """Answers heartbeats like the real cloud: 401 for a wrong ID/key, else 200 with a signed lease.

    The cloud's clock reads the true time (plus `time_offset`), whatever the appliance's clock was set to.
    """

    key: SigningKey
    clock: MovableClock
    site_id: str = SITE_ID
    site_key: str = SITE_KEY
    state: LeaseState = LeaseState.ACTIVE
    lock_reason: str | None = None
    paid_days: float = 60
    interval_hours: float = 6
    grace_hours: float = 24
    keys_claim: list[SigningKey] | None = None
    time_offset: timedelta = timedelta(0)
    requests: list[dict[str, Any]] = field(default_factory=list)
    respond: Callable[[httpx.Request, dict[str, Any]], httpx.Response] | None = None
    paid_through: datetime | None = None
    renewal_url: str | None = None

    def __post_init__(self) -> None:
        if self.paid_through is None:
            self.paid_through = self.clock.true + timedelta(days=self.paid_days)

    @property
    def server_time(self) -> datetime:
        return self.clock.true + self.time_offset

    def lease(self, nonce: str, **overrides: Any) -> str:
        now = self.server_time
        fields: dict[str, Any] = {
            "key": self.key,
            "site_id": self.site_id,
            "state": self.state,
            "lock_reason": self.lock_reason,
            "paid_through": self.paid_through,
            "lease_expires_at": now + timedelta(hours=self.interval_hours + self.grace_hours),
            "server_time": now,
            "nonce": nonce,
            "keys": [k.public for k in (self.keys_claim if self.keys_claim is not None else [self.key])],
            **overrides,
        }
        return sign_lease(**fields)

    def answer(self, token: str) -> httpx.Response:
        now = self.server_time
        return httpx.Response(
            200,
            json={
                "licensed": self.state is LeaseState.ACTIVE,
                "locked": self.state is LeaseState.LOCKED,
                "lock_reason": self.lock_reason,
                "expires_at": (self.paid_through or now).isoformat(),
                "lease_expires_at": (now + timedelta(hours=self.interval_hours + self.grace_hours)).isoformat(),
                "server_time": now.isoformat(),
                "heartbeat_interval_seconds": int(self.interval_hours * 3600),
                "lease": token,
                "renewal_url": self.renewal_url,
            },
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        HeartbeatIn.model_validate(body)  # the appliance sends what the cloud expects
        self.requests.append({"headers": dict(request.headers), "body": body})
        if self.respond is not None:
            return self.respond(request, body)
        if request.headers.get(SITE_ID_HEADER) != self.site_id or request.headers.get(SITE_KEY_HEADER) != self.site_key:
            return httpx.Response(401, json={"detail": "Unknown site or wrong key", "code": "SITE_AUTH_FAILED"})
        return self.answer(self.lease(body["nonce"]))


def wait_until(predicate: Callable[[], object], *, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll (bounded) for something the app does in the background."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def tamper_claims(token: str, **claims: Any) -> str:
    """The same token with edited claims and the original signature (what editing the database can do)."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    edited = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{edited}.{signature}"
