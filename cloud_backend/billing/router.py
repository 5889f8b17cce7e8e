"""Renewals of a site's license (sysadmin) and Razorpay's webhook (signature-checked, no JWT)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from cloud_backend.auth.dependencies import AUTH_ERRORS, CurrentSysadmin
from cloud_backend.billing import service
from cloud_backend.billing.gateway import PaymentGatewayUnavailable, RazorpayGateway
from cloud_backend.billing.schemas import RenewalCreate, RenewalRead, WebhookAck
from cloud_backend.db import DbSession
from cloud_backend.deps import NowDep, SettingsDep, client_ip
from cloud_backend.sites import service as sites
from cloud_backend.sites.router import SiteId
from shared.errors import PayloadTooLarge, error_responses

router = APIRouter(tags=["billing"])

# Razorpay's events are a few kilobytes; anything near this is not from Razorpay.
MAX_WEBHOOK_BYTES = 256 * 1024


async def get_gateway(request: Request, settings: SettingsDep) -> RazorpayGateway:
    """The app's Razorpay gateway, built on first use (a test or demo may have set `app.state.razorpay_gateway`)."""
    gateway: RazorpayGateway | None = getattr(request.app.state, "razorpay_gateway", None)
    if gateway is None:
        gateway = service.make_gateway(settings)
        request.app.state.razorpay_gateway = gateway
    return gateway


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature covers these bytes, not a re-serialization."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


GatewayDep = Annotated[RazorpayGateway, Depends(get_gateway)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="Retrying with the same key returns the renewal the first attempt made",
    ),
]


@router.post(
    "/api/sites/{site_id}/renewals",
    response_model=RenewalRead,
    status_code=201,
    responses={
        200: {"model": RenewalRead, "description": "This request was already made: the renewal it made"},
        **error_responses(*AUTH_ERRORS, sites.SiteNotFound, PaymentGatewayUnavailable, *service.RENEWAL_ERRORS),
    },
)
def create_renewal(
    site_id: SiteId,
    body: RenewalCreate,
    admin: CurrentSysadmin,
    gateway: GatewayDep,
    request: Request,
    response: Response,
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Renew the license: a Razorpay payment link for `months` (201), or the one this request already made (200)."""
    renewal, created = service.create_renewal(
        db,
        gateway,
        site=sites.get(db, site_id),
        months=body.months,
        settings=settings,
        now=now,
        idempotency_key=idempotency_key,
        who=sites.Who(admin=admin, ip=client_ip(request)),
    )
    if not created:
        response.status_code = 200
    return renewal


@router.get(
    "/api/sites/{site_id}/renewals",
    response_model=list[RenewalRead],
    responses=error_responses(*AUTH_ERRORS, sites.SiteNotFound),
)
def list_renewals(
    site_id: SiteId,
    _: CurrentSysadmin,
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Any:
    """The site's renewals and their payments, newest first; page with `before_id`."""
    site = sites.get(db, site_id)
    return service.list_renewals(db, site_id=site.site_id, limit=limit, before_id=before_id)


@router.post(
    "/api/billing/razorpay/webhook",
    response_model=WebhookAck,
    responses=error_responses(PayloadTooLarge, *service.WEBHOOK_ERRORS),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A Razorpay event, signed: X-Razorpay-Signature is the HMAC-SHA256 of these bytes",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def razorpay_webhook(
    body: Annotated[bytes, Depends(raw_body)],
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
    x_razorpay_signature: Annotated[str | None, Header()] = None,
    x_razorpay_event_id: Annotated[str | None, Header()] = None,
) -> Any:
    """Razorpay's webhook (signed raw body): a paid renewal link extends the site's license, once per link."""
    # Nothing touches the database before the signature is checked.
    service.verify_signature(body, x_razorpay_signature, service.webhook_secret(settings))
    event_id = service.checked_event_id(x_razorpay_event_id)
    return service.handle_event(db, event_id=event_id, body=body, now=now)
