"""Errors of the license: the guard's refusals (402/423) and failed activations."""

from __future__ import annotations

from shared.errors import AppError, BadRequest, Locked, PaymentRequired, TooManyRequests, Unprocessable


class LicenseLocked(Locked):
    code = "LICENSE_LOCKED"
    default_detail = "The license is locked: new orders are refused; open bills can still be settled"


class LicenseExpired(PaymentRequired):
    code = "LICENSE_EXPIRED"
    default_detail = "The license has expired: new orders are refused; open bills can still be settled"


class LeaseExpired(PaymentRequired):
    code = "LEASE_EXPIRED"
    default_detail = "The appliance has not reached the licensing cloud for too long: new orders are refused"


class ClockSuspect(PaymentRequired):
    code = "CLOCK_SUSPECT"
    default_detail = "The clock was set back: new orders are refused until the license syncs"


class TrialEnded(PaymentRequired):
    code = "TRIAL_ENDED"
    default_detail = "The trial has ended: activate a license to take new orders"


# What the guard raises, by the status code it found.
REFUSALS: dict[str, type[AppError]] = {
    cls.code: cls for cls in (LicenseLocked, LicenseExpired, LeaseExpired, ClockSuspect, TrialEnded)
}
LICENSE_ERRORS = tuple(REFUSALS.values())


class ActivationFailed(BadRequest):
    code = "LICENSE_ACTIVATION_FAILED"
    default_detail = "The licensing cloud did not accept this site ID and key"


class CloudUnreachable(AppError):
    status_code = 503
    code = "CLOUD_UNREACHABLE"
    default_detail = "The licensing cloud cannot be reached"


class CloudBadResponse(AppError):
    status_code = 502
    code = "CLOUD_BAD_RESPONSE"
    default_detail = "The licensing cloud gave an unusable answer"


class CloudRateLimited(TooManyRequests):
    code = "HEARTBEAT_RATE_LIMITED"
    default_detail = "Too many heartbeats: try again shortly"


class CloudUrlRequired(Unprocessable):
    code = "CLOUD_URL_REQUIRED"
    default_detail = "Give the licensing cloud's URL (no CLOUD_URL is configured)"


ACTIVATION_ERRORS = (ActivationFailed, CloudUnreachable, CloudBadResponse, CloudRateLimited, CloudUrlRequired)


def activation_error(code: str, message: str, retry_after: float | None = None) -> AppError:
    """The API error for a heartbeat that failed during activation."""
    if code == "CLOUD_UNREACHABLE":
        return CloudUnreachable(message)
    if code in ("CLOUD_ERROR", "BAD_RESPONSE"):
        return CloudBadResponse(message)
    if code == "HEARTBEAT_RATE_LIMITED":
        headers = {"Retry-After": str(int(retry_after))} if retry_after is not None else None
        return CloudRateLimited(message, headers=headers)
    return ActivationFailed(message)
