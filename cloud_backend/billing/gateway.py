"""Razorpay behind a small interface: the SDK-backed gateway for production, an in-memory one for demos.

The SDK (razorpay 2.x) is synchronous, built on `requests`, retries nothing and has no default timeout, so
every call passes one and runs in a worker thread (the routes that use it are plain `def`). Its errors lose
the HTTP status: `BadRequestError` is Razorpay refusing the request (a 4xx), `ServerError`/`GatewayError` and
anything from `requests` mean it could not answer; both become 502s with their own code.

Creating a link is idempotent on `reference_id`: Razorpay refuses a second link with the same reference, and
then the link that already has it is looked up and returned. That covers a link created at Razorpay whose
answer (or our commit) was lost: the retry gets that link instead of an error or a second link.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import requests

from shared.errors import AppError

log = logging.getLogger(__name__)


class BillingNotConfigured(AppError):
    status_code = 503
    code = "BILLING_NOT_CONFIGURED"
    default_detail = "Razorpay billing is not configured on this cloud"


class PaymentGatewayUnavailable(AppError):
    status_code = 502
    code = "PAYMENT_GATEWAY_UNAVAILABLE"
    default_detail = "Razorpay did not answer; try again"


class PaymentGatewayRejected(AppError):
    status_code = 502
    code = "PAYMENT_GATEWAY_REJECTED"
    default_detail = "Razorpay refused the request"


@dataclass(frozen=True, slots=True)
class PaymentLinkRequest:
    amount: int
    currency: str
    reference_id: str
    description: str
    expire_by: datetime
    notes: dict[str, str]
    customer_name: str
    customer_email: str


@dataclass(frozen=True, slots=True)
class PaymentLink:
    id: str
    short_url: str
    amount: int
    currency: str
    reference_id: str
    status: str
    notes: dict[str, str]


class RazorpayGateway(Protocol):
    def create_payment_link(self, request: PaymentLinkRequest) -> PaymentLink:
        """The new link, or the existing one if a link with this reference_id was already created."""
        ...


def _notes(value: Any) -> dict[str, str]:
    # Razorpay answers `[]` for "no notes" and may give numbers back as numbers.
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def parse_link(data: Any) -> PaymentLink:
    """A payment link entity from Razorpay's JSON (the create answer, a fetch, a webhook payload)."""
    if not isinstance(data, dict):
        raise ValueError("not a payment link entity")
    link_id, short_url, amount = data.get("id"), data.get("short_url"), data.get("amount")
    if not isinstance(link_id, str) or not link_id or not isinstance(short_url, str) or not isinstance(amount, int):
        raise ValueError("payment link without id, short_url or amount")
    return PaymentLink(
        id=link_id,
        short_url=short_url,
        amount=amount,
        currency=str(data.get("currency") or ""),
        reference_id=str(data.get("reference_id") or ""),
        status=str(data.get("status") or ""),
        notes=_notes(data.get("notes")),
    )


class _Refused(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class SdkGateway:
    """The real gateway: the razorpay SDK with a timeout on every call."""

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        *,
        timeout: float,
        session: requests.Session | None = None,
        base_url: str | None = None,
    ) -> None:
        import razorpay

        options = {"base_url": base_url} if base_url else {}
        self._client = razorpay.Client(session=session, auth=(key_id, key_secret), **options)
        self._client.set_app_details({"title": "Tavolo cloud"})
        self._timeout = timeout

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        from razorpay.errors import BadRequestError, GatewayError, ServerError

        try:
            return method(*args, timeout=self._timeout)
        except BadRequestError as exc:
            raise _Refused(str(exc) or "Razorpay refused the request") from exc
        except (ServerError, GatewayError) as exc:  # Razorpay's 5xx (or an error code the SDK does not know)
            log.warning("razorpay failed: %s: %s", type(exc).__name__, exc)
            raise PaymentGatewayUnavailable() from exc
        except (requests.RequestException, ValueError) as exc:
            # requests' own errors (connection, timeout) and a non-JSON answer (an HTML 502 from a proxy).
            log.warning("razorpay unreachable: %s", exc)
            raise PaymentGatewayUnavailable() from exc

    def create_payment_link(self, request: PaymentLinkRequest) -> PaymentLink:
        body = {
            "amount": request.amount,
            "currency": request.currency,
            "accept_partial": False,
            "reference_id": request.reference_id,
            "description": request.description,
            "expire_by": int(request.expire_by.timestamp()),
            "customer": {"name": request.customer_name, "email": request.customer_email},
            # The sysadmin sends the link; Razorpay mailing the owner on its own would surprise them.
            "notify": {"sms": False, "email": False},
            "reminder_enable": False,
            "notes": request.notes,
        }
        try:
            created = self._call(self._client.payment_link.create, body)
        except _Refused as refused:
            existing = self._find(request.reference_id)
            if existing is None:
                raise PaymentGatewayRejected(f"Razorpay refused the payment link: {refused.description}") from None
            log.info("payment link %s already had reference %s: reusing it", existing.id, request.reference_id)
            return existing
        try:
            return parse_link(created)
        except ValueError as exc:
            raise PaymentGatewayUnavailable("Razorpay answered without a payment link") from exc

    def _find(self, reference_id: str) -> PaymentLink | None:
        try:
            found = self._call(self._client.payment_link.all, {"reference_id": reference_id})
        except _Refused:
            return None
        links = found.get("payment_links") if isinstance(found, dict) else None
        for data in links if isinstance(links, list) else []:
            try:
                link = parse_link(data)
            except ValueError:
                continue
            if link.reference_id == reference_id:
                return link
        return None


class InMemoryGateway:
    """A Razorpay that keeps its links in memory (demos, and tests of what sits above the gateway)."""

    def __init__(self) -> None:
        self.links: dict[str, PaymentLink] = {}
        self.received: list[PaymentLinkRequest] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def create_payment_link(self, request: PaymentLinkRequest) -> PaymentLink:
        with self._lock:
            self.received.append(request)
            for link in self.links.values():
                if link.reference_id == request.reference_id:
                    return link
            link_id = f"plink_fake{next(self._ids):06d}{secrets.token_hex(3)}"
            link = PaymentLink(
                id=link_id,
                short_url=f"https://rzp.example/{link_id}",
                amount=request.amount,
                currency=request.currency,
                reference_id=request.reference_id,
                status="created",
                notes=dict(request.notes),
            )
            self.links[link_id] = link
            return link
