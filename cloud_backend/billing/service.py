"""Renewals: create a site's payment link (once per request, however often it is retried), list them, and apply
Razorpay's webhooks (once per event, and a renewal paid at most once whatever order the events come in).

Creating a renewal calls Razorpay inside the request's transaction, serialized per site (an advisory lock on
PostgreSQL; SQLite's writer lock already does it). The `reference_id` sent to Razorpay is derived from what
makes two requests "the same", so a retry whose first attempt never committed asks Razorpay for the same
reference and gets the link it already made (gateway.py) instead of a second one:
- with an `Idempotency-Key` header: the site and the key;
- without: the site, the number of renewals it already has, months and price. An open (unpaid, unexpired)
  renewal for the same months and price is returned as it is, so a double click makes one link.

Webhooks are authenticated by the HMAC of the raw body (the event-id header is not signed, so a replayed body
with a new id must be harmless too: the renewal's own state makes a payment count once).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud_backend.audit import service as audit
from cloud_backend.billing.gateway import (
    BillingNotConfigured,
    PaymentGatewayRejected,
    PaymentLink,
    PaymentLinkRequest,
    RazorpayGateway,
    SdkGateway,
    parse_link,
)
from cloud_backend.billing.models import Renewal, WebhookEvent
from cloud_backend.billing.schemas import MAX_MONTHS, RenewalStatus, WebhookAck, WebhookOutcome
from cloud_backend.config import Settings
from cloud_backend.sites.models import Site
from cloud_backend.sites.service import Who
from shared.errors import BadRequest, Unprocessable

log = logging.getLogger(__name__)

SYSTEM = "system"
RAZORPAY = "razorpay"
# An open link this close to its expiry is not handed out again: the restaurant would find it dead.
STILL_OPEN_FOR = timedelta(hours=1)
_EVENT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_SERIALIZE = text("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.renewal.' || :site, 0))")
_ADOPTED_STATUS = {"expired": RenewalStatus.EXPIRED, "cancelled": RenewalStatus.CANCELLED}
_CLOSING_EVENTS = {"payment_link.expired": RenewalStatus.EXPIRED, "payment_link.cancelled": RenewalStatus.CANCELLED}


class IdempotencyKeyReused(Unprocessable):
    code = "IDEMPOTENCY_KEY_REUSED"
    default_detail = "This Idempotency-Key was already used for a renewal of another length"


class WebhookSignatureInvalid(BadRequest):
    code = "WEBHOOK_SIGNATURE_INVALID"
    default_detail = "X-Razorpay-Signature does not match the body"


class WebhookEventIdMissing(BadRequest):
    code = "WEBHOOK_EVENT_ID_MISSING"
    default_detail = "X-Razorpay-Event-Id is missing"


class WebhookEventIdInvalid(BadRequest):
    code = "WEBHOOK_EVENT_ID_INVALID"
    default_detail = "X-Razorpay-Event-Id must be 1-64 letters, digits or _.:-"


class WebhookPayloadInvalid(BadRequest):
    code = "WEBHOOK_PAYLOAD_INVALID"
    default_detail = "The webhook body is not a Razorpay event"


RENEWAL_ERRORS = (BillingNotConfigured, PaymentGatewayRejected, IdempotencyKeyReused)
WEBHOOK_ERRORS = (
    BillingNotConfigured,
    WebhookSignatureInvalid,
    WebhookEventIdMissing,
    WebhookEventIdInvalid,
    WebhookPayloadInvalid,
)


def make_gateway(settings: Settings) -> RazorpayGateway:
    """The SDK gateway for the configured keys; 503 BILLING_NOT_CONFIGURED without them."""
    secret = settings.razorpay_key_secret.get_secret_value() if settings.razorpay_key_secret else ""
    if not settings.razorpay_key_id or not secret:
        raise BillingNotConfigured("RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are not set")
    return SdkGateway(
        settings.razorpay_key_id,
        secret,
        timeout=settings.razorpay_timeout_seconds,
        base_url=settings.razorpay_base_url,
    )


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months later, the day clamped to the month's length (31 Jan + 1 month = 28/29 Feb)."""
    years, month_index = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def price(settings: Settings, months: int) -> tuple[int, str]:
    """Amount (minor units) and currency of a renewal; 503 when no price is configured."""
    if settings.renewal_price_per_month is None:
        raise BillingNotConfigured("RENEWAL_PRICE_PER_MONTH is not set")
    return settings.renewal_price_per_month * months, settings.renewal_currency


def reference_for(site_id: str, basis: str) -> str:
    # Razorpay allows 40 characters; a site id alone may take 32, so the reference is a digest.
    return "tvr_" + hashlib.sha256(f"{site_id}\n{basis}".encode()).hexdigest()[:32]


def _serialize(db: Session, site_id: str) -> None:
    """One renewal at a time per site, across replicas, without locking the site row heartbeats update."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(_SERIALIZE, {"site": site_id})


def open_renewal(
    db: Session, site_id: str, *, now: datetime, months: int | None = None, amount: int | None = None
) -> Renewal | None:
    stmt = (
        select(Renewal)
        .where(Renewal.site_id == site_id, Renewal.status == RenewalStatus.CREATED.value)
        .where((Renewal.expire_by.is_(None)) | (Renewal.expire_by > now + STILL_OPEN_FOR))
        .order_by(Renewal.id.desc())
        .limit(1)
    )
    if months is not None:
        stmt = stmt.where(Renewal.months == months)
    if amount is not None:
        stmt = stmt.where(Renewal.amount == amount)
    return db.scalar(stmt)


def create_renewal(
    db: Session,
    gateway: RazorpayGateway,
    *,
    site: Site,
    months: int,
    settings: Settings,
    now: datetime,
    idempotency_key: str | None = None,
    who: Who | None = None,
) -> tuple[Renewal, bool]:
    """The renewal for this request and whether it is new; an earlier one when this request was already made."""
    amount, currency = price(settings, months)
    _serialize(db, site.site_id)
    if idempotency_key is not None:
        earlier = db.scalar(
            select(Renewal).where(Renewal.site_id == site.site_id, Renewal.idempotency_key == idempotency_key)
        )
        if earlier is not None:
            if earlier.months != months:
                raise IdempotencyKeyReused()
            return earlier, False
        basis = f"key:{idempotency_key}"
    else:
        earlier = open_renewal(db, site.site_id, now=now, months=months, amount=amount)
        if earlier is not None and earlier.currency == currency:
            return earlier, False
        count = db.scalar(select(func.count()).select_from(Renewal).where(Renewal.site_id == site.site_id))
        basis = f"seq:{count}:{months}:{amount}:{currency}"
    reference = reference_for(site.site_id, basis)
    expire_by = now + timedelta(days=settings.renewal_link_valid_days)
    link = gateway.create_payment_link(
        PaymentLinkRequest(
            amount=amount,
            currency=currency,
            reference_id=reference,
            description=f"Tavolo license renewal, {months} month{'s' if months > 1 else ''}: {site.name}"[:2048],
            expire_by=expire_by,
            notes={"site_id": site.site_id, "months": str(months)},
            customer_name=site.owner_name,
            customer_email=site.contact_email,
        )
    )
    _check_terms(link, site_id=site.site_id, months=months, amount=amount, reference=reference)
    known = db.scalar(select(Renewal).where(Renewal.payment_link_id == link.id))
    if known is not None:  # the link was already recorded from its webhook
        return known, False
    renewal = Renewal(
        site_id=site.site_id,
        months=months,
        amount=amount,
        currency=currency,
        reference_id=reference,
        idempotency_key=idempotency_key,
        payment_link_id=link.id,
        short_url=link.short_url,
        # A link found rather than made may have run out meanwhile; it is never "paid" without its webhook.
        status=_ADOPTED_STATUS.get(link.status, RenewalStatus.CREATED).value,
        expire_by=expire_by,
        created_at=now,
        updated_at=now,
        created_by_id=who.admin.id if who is not None else None,
        created_by=who.admin.display_name if who is not None else SYSTEM,
    )
    db.add(renewal)
    db.flush()
    audit.record(
        db,
        action="billing.renewal_create",
        actor=who.admin if who is not None else None,
        actor_name=None if who is not None else SYSTEM,
        ip=who.ip if who is not None else None,
        site_id=site.site_id,
        at=now,
        data={
            "renewal_id": renewal.id,
            "months": months,
            "amount": amount,
            "currency": currency,
            "payment_link_id": link.id,
            "reference_id": reference,
        },
    )
    return renewal, True


def _check_terms(link: PaymentLink, *, site_id: str, months: int, amount: int, reference: str) -> None:
    """A link found by its reference must be the one this request would have made."""
    if link.notes.get("site_id") != site_id or link.notes.get("months") != str(months) or link.amount != amount:
        raise PaymentGatewayRejected(f"Razorpay already has a payment link {link.id} for reference {reference}")


def list_renewals(db: Session, *, site_id: str, limit: int = 100, before_id: int | None = None) -> Sequence[Renewal]:
    """Newest first; page with `before_id`."""
    stmt = select(Renewal).where(Renewal.site_id == site_id).order_by(Renewal.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(Renewal.id < before_id)
    return db.scalars(stmt).all()


# -- webhooks --------------------------------------------------------------------------------------------------------


def webhook_secret(settings: Settings) -> str:
    secret = settings.razorpay_webhook_secret.get_secret_value() if settings.razorpay_webhook_secret else ""
    if not secret:
        raise BillingNotConfigured("RAZORPAY_WEBHOOK_SECRET is not set")
    return secret


def verify_signature(body: bytes, signature: str | None, secret: str) -> None:
    """X-Razorpay-Signature is the hex HMAC-SHA256 of the raw body; compared in constant time."""
    if not signature:
        raise WebhookSignatureInvalid("X-Razorpay-Signature is missing")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    # Headers arrive as latin-1 text, so this never fails, whatever a caller sends.
    if not hmac.compare_digest(expected, signature.strip().encode("latin-1")):
        raise WebhookSignatureInvalid()


def checked_event_id(event_id: str | None) -> str:
    if event_id is None or not event_id.strip():
        raise WebhookEventIdMissing()
    event_id = event_id.strip()
    if not _EVENT_ID.fullmatch(event_id):
        raise WebhookEventIdInvalid()
    return event_id


def _parse(body: bytes) -> tuple[str, dict[str, Any]]:
    try:
        event = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise WebhookPayloadInvalid() from exc
    kind = event.get("event") if isinstance(event, dict) else None
    if not isinstance(kind, str) or not kind or len(kind) > 64:
        raise WebhookPayloadInvalid("The webhook body has no event type")
    payload = event.get("payload")
    return kind, payload if isinstance(payload, dict) else {}


def _entity(payload: dict[str, Any], name: str) -> dict[str, Any]:
    wrapper = payload.get(name)
    entity = wrapper.get("entity") if isinstance(wrapper, dict) else None
    return entity if isinstance(entity, dict) else {}


@dataclass
class _Result:
    outcome: WebhookOutcome
    detail: str
    renewal: Renewal | None = None
    link_id: str | None = None


def handle_event(db: Session, *, event_id: str, body: bytes, now: datetime) -> WebhookAck:
    """Apply one verified delivery once: its record and its effect commit together, or neither does."""
    kind, payload = _parse(body)
    record = WebhookEvent(event_id=event_id, event=kind, received_at=now, outcome=WebhookOutcome.IGNORED.value)
    try:
        # A concurrent delivery of the same event waits here on the key until the first one commits.
        with db.begin_nested():
            db.add(record)
            db.flush()
    except IntegrityError:
        return WebhookAck(event_id=event_id, outcome=WebhookOutcome.DUPLICATE, detail="already processed")
    if kind == "payment_link.paid":
        result = _paid(db, payload, event_id=event_id, now=now)
    elif kind in _CLOSING_EVENTS:
        result = _closed(db, payload, _CLOSING_EVENTS[kind], now=now)
    else:
        result = _Result(WebhookOutcome.IGNORED, f"{kind} is not handled")
    record.outcome = result.outcome.value
    record.detail = result.detail[:200]
    record.payment_link_id = result.link_id
    if result.renewal is not None:
        record.renewal_id = result.renewal.id
        record.site_id = result.renewal.site_id
    log.info("razorpay event %s (%s): %s, %s", event_id, kind, result.outcome.value, result.detail)
    return WebhookAck(event_id=event_id, outcome=result.outcome, detail=result.detail)


def _locked_renewal(db: Session, link_id: str) -> Renewal | None:
    # Row lock: a second "paid" for the same link (another event id) waits here and then sees it paid.
    return db.scalar(select(Renewal).where(Renewal.payment_link_id == link_id).with_for_update())


def _paid(db: Session, payload: dict[str, Any], *, event_id: str, now: datetime) -> _Result:
    try:
        link = parse_link(_entity(payload, "payment_link"))
    except ValueError:
        return _Result(WebhookOutcome.IGNORED, "no payment link in the payload")
    entity = _entity(payload, "payment_link")
    renewal = _locked_renewal(db, link.id) or _renewal_from_notes(db, link, now=now)
    if renewal is None:
        log.warning("razorpay paid link %s matches no renewal or site (notes %s)", link.id, link.notes)
        return _Result(WebhookOutcome.IGNORED, "no renewal or site for this payment link", link_id=link.id)
    if renewal.status == RenewalStatus.PAID.value:
        return _Result(WebhookOutcome.IGNORED, "already paid", renewal, link.id)
    site = db.scalar(select(Site).where(Site.site_id == renewal.site_id).with_for_update())
    if site is None:  # the foreign key makes this impossible; kept out of the 500s anyway
        return _Result(WebhookOutcome.IGNORED, "the renewal's site is gone", renewal, link.id)
    payment = _entity(payload, "payment")
    previous = site.license_expires_at
    site.license_expires_at = add_months(max(now, previous), renewal.months)
    site.updated_at = now
    amount_paid = entity.get("amount_paid")
    renewal.status = RenewalStatus.PAID.value
    renewal.paid_at = now
    renewal.updated_at = now
    renewal.amount_paid = amount_paid if isinstance(amount_paid, int) else link.amount
    renewal.razorpay_payment_id = str(payment["id"])[:64] if isinstance(payment.get("id"), str) else None
    renewal.extended_from = previous
    renewal.extended_to = site.license_expires_at
    audit.record(
        db,
        action="billing.renewal_paid",
        actor_name=RAZORPAY,
        site_id=site.site_id,
        at=now,
        data={
            "renewal_id": renewal.id,
            "months": renewal.months,
            "amount_paid": renewal.amount_paid,
            "currency": renewal.currency,
            "payment_link_id": link.id,
            "payment_id": renewal.razorpay_payment_id,
            "event_id": event_id,
            "from": previous.isoformat(),
            "to": site.license_expires_at.isoformat(),
        },
    )
    return _Result(
        WebhookOutcome.APPLIED, f"license extended to {site.license_expires_at.isoformat()}", renewal, link.id
    )


def _renewal_from_notes(db: Session, link: PaymentLink, *, now: datetime) -> Renewal | None:
    """A paid link this cloud has no record of (its creation's commit was lost, or it was made by hand in the
    Razorpay dashboard) still pays for the site its notes name: the money was received."""
    site_id, months_text = link.notes.get("site_id"), link.notes.get("months", "")
    months = int(months_text) if months_text.isdigit() else 0
    if not site_id or not 1 <= months <= MAX_MONTHS or db.get(Site, site_id) is None:
        return None
    renewal = Renewal(
        site_id=site_id,
        months=months,
        amount=link.amount,
        currency=link.currency[:3] or "INR",
        reference_id=(link.reference_id or f"rzp:{link.id}")[:40],
        payment_link_id=link.id,
        short_url=link.short_url[:500],
        status=RenewalStatus.CREATED.value,
        created_at=now,
        updated_at=now,
        created_by=RAZORPAY,
    )
    try:
        with db.begin_nested():
            db.add(renewal)
            db.flush()
    except IntegrityError:
        # Another event for this link recorded it first (or its reference is taken): use what is there.
        return _locked_renewal(db, link.id)
    return renewal


def _closed(db: Session, payload: dict[str, Any], status: RenewalStatus, *, now: datetime) -> _Result:
    try:
        link = parse_link(_entity(payload, "payment_link"))
    except ValueError:
        return _Result(WebhookOutcome.IGNORED, "no payment link in the payload")
    renewal = _locked_renewal(db, link.id)
    if renewal is None:
        return _Result(WebhookOutcome.IGNORED, "no renewal for this payment link", link_id=link.id)
    if renewal.status != RenewalStatus.CREATED.value:
        # Out of order (expired after paid) or repeated: the first final state stands.
        return _Result(WebhookOutcome.IGNORED, f"already {renewal.status}", renewal, link.id)
    renewal.status = status.value
    renewal.updated_at = now
    return _Result(WebhookOutcome.APPLIED, f"renewal {status.value}", renewal, link.id)
