"""Razorpay's payment-link API faked over `responses`, webhook signing, and a cloud configured for billing.

The SDK under test is the real one: `FakeRazorpay` answers its HTTP requests like Razorpay does (links by
reference_id, a refused duplicate reference, a search by reference) and can fail on demand.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from cloud_backend.config import Settings
from tests.cloud_backend.conftest import RegisteredSite, make_settings

KEY_ID = "rzp_test_tavolo"
KEY_SECRET = "rzp-key-secret-for-tests"
WEBHOOK_SECRET = "whsec-tavolo-tests-0123456789"
PRICE = 150_000
_LINKS = re.compile(r"^https://api\.razorpay\.com/v1/payment_links/?(\?.*)?$")

Register = Callable[..., RegisteredSite]


def billing_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "razorpay_key_id": KEY_ID,
        "razorpay_key_secret": KEY_SECRET,
        "razorpay_webhook_secret": WEBHOOK_SECRET,
        "renewal_price_per_month": PRICE,
        "razorpay_timeout_seconds": 2,
    }
    values.update(overrides)
    return make_settings(database_url, tmp_path, **values)


@dataclass
class FakeRazorpay:
    """Razorpay's payment-link API over `responses`: what it received, what it holds, and failures to inject."""

    mock: responses.RequestsMock
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: list[dict[str, Any]] = field(default_factory=list)
    # Every create request's JSON body and headers, in order.
    received: list[requests.PreparedRequest] = field(default_factory=list)
    # Each create takes the next failure, if any: ("status", code, body) | ("raise", exception) | ("lost",).
    failures: list[tuple[Any, ...]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def install(self) -> FakeRazorpay:
        self.mock.add_callback(responses.POST, _LINKS, callback=self._create)
        self.mock.add_callback(responses.GET, _LINKS, callback=self._search)
        return self

    @property
    def create_requests(self) -> list[dict[str, Any]]:
        return [_json(r) for r in self.received]

    def _create(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.received.append(request)
        body = _json(request)
        if self.failures:
            failure = self.failures.pop(0)
            if failure[0] == "status":
                return failure[1], {}, failure[2] if isinstance(failure[2], str) else json.dumps(failure[2])
            if failure[0] == "raise":
                raise failure[1]
            # "lost": Razorpay made the link, but its answer never arrived.
            self._store(body)
            raise requests.exceptions.ConnectionError("connection reset by peer")
        for link in self.links.values():
            if link["reference_id"] == body["reference_id"]:
                return 400, {}, json.dumps(refusal("Payment Link with this reference_id already exists"))
        return 200, {}, json.dumps(self._store(body))

    def _store(self, body: dict[str, Any]) -> dict[str, Any]:
        link_id = f"plink_T{next(self._ids):010d}"
        link = {
            "id": link_id,
            "short_url": f"https://rzp.io/i/{link_id[-6:]}",
            "amount": body["amount"],
            "amount_paid": 0,
            "currency": body["currency"],
            "reference_id": body["reference_id"],
            "description": body.get("description", ""),
            "expire_by": body.get("expire_by"),
            "notes": body.get("notes") or [],
            "accept_partial": body.get("accept_partial", False),
            "status": "created",
            "created_at": 1_795_000_000,
        }
        self.links[link_id] = link
        self.created.append(link)
        return link

    def _search(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(request.url or "").query)
        wanted = query.get("reference_id", [None])[0]
        found = [link for link in self.links.values() if wanted is None or link["reference_id"] == wanted]
        return 200, {}, json.dumps({"payment_links": found, "count": len(found)})


def _json(request: requests.PreparedRequest) -> Any:
    body = request.body
    return json.loads(body if isinstance(body, str | bytes) else b"{}")


def refusal(description: str) -> dict[str, Any]:
    return {"error": {"code": "BAD_REQUEST_ERROR", "description": description, "source": "NA", "step": "NA"}}


# -- webhooks -------------------------------------------------------------------------------------------------------


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def link_event(kind: str, link: dict[str, Any], *, payment_id: str = "pay_T0001", **changes: Any) -> dict[str, Any]:
    """A Razorpay payment_link.* event for a link as Razorpay holds it (shape of Razorpay's webhook payloads)."""
    entity = {**link, **changes}
    payload: dict[str, Any] = {"payment_link": {"entity": entity}}
    if kind == "payment_link.paid":
        entity["status"] = "paid"
        entity["amount_paid"] = entity["amount"]
        payload["order"] = {"entity": {"id": "order_T0001", "amount": entity["amount"], "status": "paid"}}
        payload["payment"] = {
            "entity": {
                "id": payment_id,
                "amount": entity["amount"],
                "currency": entity["currency"],
                "status": "captured",
            }
        }
    return {
        "entity": "event",
        "account_id": "acc_T0001",
        "event": kind,
        "contains": list(payload),
        "payload": payload,
        "created_at": 1_795_000_100,
    }


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode()


def deliver(
    client: Any,
    event: dict[str, Any] | bytes,
    *,
    event_id: str | bytes | None = "evt_T0001",
    signature: str | bytes | None = None,
    secret: str = WEBHOOK_SECRET,
    sign_it: bool = True,
) -> Any:
    """POST a webhook the way Razorpay does: raw JSON bytes, their signature and the event id."""
    body = event if isinstance(event, bytes) else encode(event)
    headers: dict[str, Any] = {"Content-Type": "application/json"}
    if sign_it:
        headers["X-Razorpay-Signature"] = signature if signature is not None else sign(body, secret)
    if event_id is not None:
        headers["X-Razorpay-Event-Id"] = event_id
    return client.post("/api/billing/razorpay/webhook", content=body, headers=headers)
