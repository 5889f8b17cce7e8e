"""Failed logins per client address, in memory: the appliance is one process, and a restart forgetting them is fine.

The per-user lockout (service.check_pin) stops guessing one user's PIN; this stops one device cycling through
usernames, which would otherwise try every user's PIN and lock the whole staff out in the middle of service.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from local_backend.deps import SettingsDep
from shared.errors import TooManyRequests

# A LAN has a few dozen devices; beyond this many addresses, those with no failure left in the window are dropped.
MAX_TRACKED_ADDRESSES = 4096


class LoginThrottled(TooManyRequests):
    code = "LOGIN_THROTTLED"
    default_detail = "Too many failed logins from this device; try again later"


class AddressThrottle:
    """At most `max_failures` failed logins per address within a sliding `window_seconds`."""

    def __init__(
        self, *, max_failures: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # logins run in worker threads

    def retry_after(self, address: str | None) -> float | None:
        """Seconds until this address may try again; None if it may now."""
        if address is None:
            return None
        now = self._clock()
        with self._lock:
            times = self._failures.get(address)
            if times is None:
                return None
            self._expire(times, now)
            if len(times) < self.max_failures:
                return None
            return times[len(times) - self.max_failures] + self.window - now

    def failed(self, address: str | None) -> None:
        if address is None:
            return
        now = self._clock()
        with self._lock:
            times = self._failures.setdefault(address, deque())
            self._expire(times, now)
            times.append(now)
            if len(self._failures) > MAX_TRACKED_ADDRESSES:
                self._prune(now)

    def _expire(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def _prune(self, now: float) -> None:
        for address in [a for a, times in self._failures.items() if not times or times[-1] <= now - self.window]:
            del self._failures[address]

    def check(self, address: str | None) -> None:
        """Raise LoginThrottled (429 with Retry-After) while the address is over its limit."""
        wait = self.retry_after(address)
        if wait is not None:
            seconds = max(1, int(wait + 0.999))
            raise LoginThrottled(
                f"Too many failed logins from this device; try again in {(seconds + 59) // 60} min",
                headers={"Retry-After": str(seconds)},
            )


async def get_login_throttle(request: Request, settings: SettingsDep) -> AddressThrottle:
    """The app's throttle, made on first use (on the event loop, so only once)."""
    state = request.app.state
    throttle: AddressThrottle | None = getattr(state, "login_throttle", None)
    if throttle is None:
        throttle = AddressThrottle(
            max_failures=settings.login_address_max_failures,
            window_seconds=settings.login_address_window_minutes * 60,
        )
        state.login_throttle = throttle
    return throttle


def client_address(request: Request) -> str | None:
    """The caller's address (behind a proxy, uvicorn's FORWARDED_ALLOW_IPS decides whom to believe)."""
    return request.client.host if request.client else None


LoginThrottleDep = Annotated[AddressThrottle, Depends(get_login_throttle)]
