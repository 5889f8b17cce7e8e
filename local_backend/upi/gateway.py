"""The UPI gateway behind a small interface: Razorpay QR codes for real money, an in-memory fake for demo and tests.

Every method blocks on the network (the Razorpay SDK is synchronous, built on `requests`): call them from a worker
thread, never on the event loop. Each Razorpay call carries the configured timeout (the SDK has none) and runs
without the SDK's retries: the poller owns retrying, with backoff, so one slow call never stacks up behind another.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from local_backend.config import Settings
from shared.clock import utcnow

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

# Razorpay reports a QR payment as captured once the money is ours; authorized/failed/refunded are not credits.
CREDITED = "captured"


class GatewayUnavailable(Exception):
    """The gateway could not be reached or answered with an error (timeout, connection, 5xx, garbage)."""


class GatewayRejected(GatewayUnavailable):
    """The gateway answered 4xx: wrong keys, UPI QR not enabled on the account, a closed QR, bad input."""


@dataclass(frozen=True, slots=True)
class QrCreated:
    qr_id: str
    image_url: str | None
    payload: str | None
    """The upi:// string to encode (Razorpay sends it as `image_content` where that feature is enabled)."""


@dataclass(frozen=True, slots=True)
class Credit:
    payment_id: str
    amount: int
    status: str

    @property
    def credited(self) -> bool:
        return self.status == CREDITED


class UpiGateway(Protocol):
    name: str

    def create_qr(self, *, amount: int, description: str, notes: dict[str, str], close_by: datetime) -> QrCreated:
        """A single-use UPI QR for exactly `amount` minor units that stops accepting money at `close_by`."""
        ...

    def payments_for(self, qr_id: str) -> list[Credit]:
        """Every payment made to the QR so far (credited or not)."""
        ...

    def close_qr(self, qr_id: str) -> None:
        """Stop the QR accepting money; closing a closed QR is not an error."""
        ...

    def probe(self) -> None:
        """A cheap authenticated call: raises GatewayUnavailable when the gateway cannot be used."""
        ...


def _notes(notes: dict[str, str]) -> dict[str, str]:
    # Razorpay takes at most 15 notes of 256 characters each.
    return {str(k)[:40]: str(v)[:256] for k, v in list(notes.items())[:15]}


class RazorpayUpiGateway:
    name = "razorpay"

    def __init__(
        self, key_id: str, key_secret: str, *, timeout: float, session: requests.Session | None = None
    ) -> None:
        # Imported here: the SDK and `requests` cost the appliance ~5 MB, and most sites never configure Razorpay.
        import razorpay

        self.timeout = timeout
        self.client = razorpay.Client(session=session, auth=(key_id, key_secret))
        self.client.set_app_details({"title": "Tavolo", "version": "1"})

    def _call(self, what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        import requests
        from razorpay.errors import BadRequestError, GatewayError, ServerError

        try:
            return call(*args, timeout=self.timeout, **kwargs)
        except BadRequestError as exc:
            raise GatewayRejected(f"Razorpay refused to {what}: {exc}") from exc
        except (GatewayError, ServerError) as exc:
            raise GatewayUnavailable(f"Razorpay failed to {what}: {exc}") from exc
        except requests.RequestException as exc:
            # Timeouts, refused connections, TLS errors, and a non-JSON error page (JSONDecodeError is one too).
            raise GatewayUnavailable(f"Razorpay could not be reached to {what}: {type(exc).__name__}") from exc
        except ValueError as exc:
            raise GatewayUnavailable(f"Razorpay answered {what} with something unreadable") from exc

    def create_qr(self, *, amount: int, description: str, notes: dict[str, str], close_by: datetime) -> QrCreated:
        body = {
            "type": "upi_qr",
            "name": description[:80],
            "usage": "single_use",
            "fixed_amount": True,
            "payment_amount": amount,
            "description": description[:255],
            "close_by": int(close_by.timestamp()),
            "notes": _notes(notes),
        }
        answer = self._call("create a UPI QR", self.client.qrcode.create, body)
        if not isinstance(answer, dict) or not isinstance(answer.get("id"), str):
            raise GatewayUnavailable("Razorpay answered the QR creation without an id")
        payload = answer.get("image_content")
        image_url = answer.get("image_url")
        return QrCreated(
            qr_id=answer["id"],
            image_url=image_url if isinstance(image_url, str) else None,
            payload=payload if isinstance(payload, str) and payload else None,
        )

    def payments_for(self, qr_id: str) -> list[Credit]:
        answer = self._call("list the QR's payments", self.client.qrcode.fetch_all_payments, qr_id)
        items = answer.get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise GatewayUnavailable("Razorpay answered the payments list without items")
        credits = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("amount"), int):
                credits.append(Credit(payment_id=item["id"], amount=item["amount"], status=str(item.get("status"))))
        return credits

    def close_qr(self, qr_id: str) -> None:
        try:
            self._call("close the QR", self.client.qrcode.close, qr_id)
        except GatewayRejected as exc:
            # Razorpay closes a paid single-use QR itself, and one past close_by; refusing to close it again is fine.
            log.info("Razorpay did not close QR %s (%s); treating it as closed", qr_id, exc)

    def probe(self) -> None:
        self._call("list QR codes", self.client.qrcode.all, {"count": 1})


@dataclass
class _FakeQr:
    qr_id: str
    amount: int
    notes: dict[str, str]
    close_by: datetime
    closed: bool = False
    payments: list[Credit] = field(default_factory=list)


class FakeUpiGateway:
    """In memory, for the demo and tests: QRs that only `pay()` (the fake pay route) ever pays. Moves no money."""

    name = "fake"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._qrs: dict[str, _FakeQr] = {}
        self._ids = itertools.count(1)
        self.down = False
        """Set to make every call fail as an unreachable gateway would."""

    def _check(self) -> None:
        if self.down:
            raise GatewayUnavailable("the fake UPI gateway is down")

    def create_qr(self, *, amount: int, description: str, notes: dict[str, str], close_by: datetime) -> QrCreated:
        self._check()
        with self._lock:
            qr_id = f"qr_fake{next(self._ids):06d}{secrets.token_hex(3)}"
            self._qrs[qr_id] = _FakeQr(qr_id=qr_id, amount=amount, notes=dict(notes), close_by=close_by)
        payload = f"upi://pay?pa=tavolo.fake@upi&pn=Tavolo&tr={qr_id}&am={amount // 100}.{amount % 100:02d}&cu=INR"
        return QrCreated(qr_id=qr_id, image_url=None, payload=payload)

    def payments_for(self, qr_id: str) -> list[Credit]:
        self._check()
        with self._lock:
            qr = self._qrs.get(qr_id)
            return list(qr.payments) if qr is not None else []

    def close_qr(self, qr_id: str) -> None:
        self._check()
        with self._lock:
            qr = self._qrs.get(qr_id)
            if qr is not None:
                qr.closed = True

    def probe(self) -> None:
        self._check()

    def pay(self, qr_id: str, *, payment_id: str | None = None) -> Credit | None:
        """A guest pays the QR (its fixed amount); None if there is no such open QR. Works while `down`."""
        with self._lock:
            qr = self._qrs.get(qr_id)
            if qr is None or qr.closed or utcnow() >= qr.close_by:
                return None
            credit = Credit(
                payment_id=payment_id or f"pay_fake{secrets.token_hex(7)}", amount=qr.amount, status=CREDITED
            )
            qr.payments.append(credit)
            qr.closed = True  # single use, as Razorpay's
            return credit

    def adopt(self, qr_id: str, *, amount: int, close_by: datetime) -> None:
        """Know a QR created by an earlier process (the fake keeps nothing across restarts)."""
        with self._lock:
            self._qrs.setdefault(qr_id, _FakeQr(qr_id=qr_id, amount=amount, notes={}, close_by=close_by))


def build_gateway(settings: Settings) -> UpiGateway | None:
    """The configured gateway, or None when UPI is not set up (no Razorpay keys)."""
    if settings.upi_gateway == "fake":
        log.warning(
            "UPI_GATEWAY=fake: UPI payments go to an in-memory FAKE gateway that moves NO money "
            "(demo and tests only; set UPI_GATEWAY=razorpay with real keys in production)"
        )
        return FakeUpiGateway()
    key_secret = settings.razorpay_key_secret.get_secret_value() if settings.razorpay_key_secret else ""
    if not settings.razorpay_key_id or not key_secret:
        return None
    return RazorpayUpiGateway(settings.razorpay_key_id, key_secret, timeout=settings.razorpay_timeout_seconds)
