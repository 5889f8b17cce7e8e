"""The renewal job: a payment link for each site whose license runs out within RENEWAL_AUTO_DAYS_BEFORE days.

Off unless RENEWAL_AUTO_DAYS_BEFORE > 0. One link per site and paid-through date: the Idempotency-Key is that
date, so a slot that runs again (another replica, a retry after a failed commit) finds or re-adopts the same
link, and a paid renewal moves the date on. A site that already has an open link (one a sysadmin sent) is
left alone. A Razorpay failure for one site is logged and retried at the next slot; it does not stop the others.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud_backend.billing import service
from cloud_backend.billing.gateway import RazorpayGateway
from cloud_backend.config import Settings
from cloud_backend.jobs.runner import Job
from cloud_backend.sites.models import Site
from shared.errors import AppError

log = logging.getLogger(__name__)


def build_jobs(settings: Settings, gateway: RazorpayGateway | None = None) -> list[Job]:
    """The billing jobs enabled by the settings (none by default)."""
    if settings.renewal_auto_days_before <= 0:
        return []
    state: dict[str, RazorpayGateway] = {"gateway": gateway} if gateway is not None else {}

    def renewal_links(db: Session, now: datetime) -> dict[str, Any]:
        try:
            service.price(settings, settings.renewal_auto_months)
            gw = state.get("gateway") or state.setdefault("gateway", service.make_gateway(settings))
        except AppError as exc:
            return {"skipped": exc.detail}
        return create_due_links(db, gw, settings=settings, now=now)

    return [Job("renewal_links", settings.jobs_interval_seconds, renewal_links)]


def create_due_links(db: Session, gateway: RazorpayGateway, *, settings: Settings, now: datetime) -> dict[str, Any]:
    horizon = now + timedelta(days=settings.renewal_auto_days_before)
    sites = db.scalars(
        select(Site)
        .where(Site.deleted_at.is_(None), Site.license_expires_at > now, Site.license_expires_at <= horizon)
        .order_by(Site.site_id)
    ).all()
    created, failed = [], []
    for site in sites:
        if service.open_renewal(db, site.site_id, now=now) is not None:
            continue
        try:
            with db.begin_nested():
                _, new = service.create_renewal(
                    db,
                    gateway,
                    site=site,
                    months=settings.renewal_auto_months,
                    settings=settings,
                    now=now,
                    idempotency_key=f"auto:{site.license_expires_at.isoformat()}",
                )
        except (AppError, IntegrityError) as exc:
            log.warning("renewal link for %s not created: %s", site.site_id, exc)
            failed.append(site.site_id)
            continue
        if new:
            created.append(site.site_id)
    return {"created": created, "failed": failed}
