"""/api/sites: register, list, read, update, extend, lock, unlock, rotate the key, deregister (sysadmin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from cloud_backend.auth.dependencies import AUTH_ERRORS, CurrentSysadmin
from cloud_backend.auth.models import Sysadmin
from cloud_backend.db import DbSession
from cloud_backend.deps import NowDep, SettingsDep, client_ip
from cloud_backend.sites import service
from cloud_backend.sites.schemas import (
    ExtendIn,
    LockIn,
    SiteCreate,
    SiteCreated,
    SiteDetail,
    SiteKeyOut,
    SiteRead,
    SiteSort,
    SiteStatus,
    SiteSummary,
    SiteUpdate,
)
from cloud_backend.types import NO_CONTROL, SITE_ID_PATTERN
from shared.errors import error_responses

router = APIRouter(prefix="/api/sites", tags=["sites"])

SiteId = Annotated[str, Path(pattern=SITE_ID_PATTERN, description="The site's public id (site_…)")]
NOT_FOUND = error_responses(*AUTH_ERRORS, service.SiteNotFound)


def _who(admin: Sysadmin, request: Request) -> service.Who:
    return service.Who(admin=admin, ip=client_ip(request))


@router.post("/", response_model=SiteCreated, status_code=201, responses=error_responses(*AUTH_ERRORS))
def register(
    body: SiteCreate, admin: CurrentSysadmin, request: Request, db: DbSession, settings: SettingsDep, now: NowDep
) -> Any:
    """Register a site; the answer holds its secret key, shown this once (only a hash is kept)."""
    site, key = service.register(db, data=body, who=_who(admin, request), settings=settings, now=now)
    return SiteCreated(**service.read(site, now=now, settings=settings).model_dump(), secret_key=key)


@router.get("/", response_model=list[SiteRead], responses=error_responses(*AUTH_ERRORS))
def list_sites(
    _: CurrentSysadmin,
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
    status: SiteStatus | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_CONTROL, description="Part of name, owner, email or site id")
    ] = None,
    sort: SiteSort = SiteSort.NAME,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Registered sites with their status: active, locked, expired, never_seen or stale."""
    return service.list_sites(db, settings=settings, now=now, status=status, q=q, sort=sort, limit=limit, offset=offset)


@router.get("/summary", response_model=SiteSummary, responses=error_responses(*AUTH_ERRORS))
def summary(_: CurrentSysadmin, db: DbSession, settings: SettingsDep, now: NowDep) -> Any:
    """How many registered sites are in each status."""
    return service.summary(db, settings=settings, now=now)


@router.get("/{site_id}", response_model=SiteDetail, responses=NOT_FOUND)
def get_site(site_id: SiteId, _: CurrentSysadmin, db: DbSession, settings: SettingsDep, now: NowDep) -> Any:
    """One site with its last heartbeat (time, address, version, uptime), recent heartbeats and alerts."""
    return service.detail(db, service.get(db, site_id), settings=settings, now=now)


@router.put("/{site_id}", response_model=SiteRead, responses=NOT_FOUND)
def update_site(
    site_id: SiteId,
    body: SiteUpdate,
    admin: CurrentSysadmin,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
) -> Any:
    """Change a site's details, grace hours or paid-through date (extending is a PUT of license_expires_at)."""
    site = service.update(
        db, service.get(db, site_id, for_update=True), changes=body, who=_who(admin, request), now=now
    )
    return service.read(site, now=now, settings=settings)


@router.post("/{site_id}/extend", response_model=SiteRead, responses=NOT_FOUND)
def extend_site(
    site_id: SiteId,
    body: ExtendIn,
    admin: CurrentSysadmin,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
) -> Any:
    """Add days to the paid-through date (counted from now if it has passed)."""
    site = service.extend(
        db, service.get(db, site_id, for_update=True), days=body.days, who=_who(admin, request), now=now
    )
    return service.read(site, now=now, settings=settings)


@router.post(
    "/{site_id}/lock",
    response_model=SiteRead,
    responses=error_responses(*AUTH_ERRORS, service.SiteNotFound, service.AlreadyLocked),
)
def lock_site(
    site_id: SiteId,
    body: LockIn,
    admin: CurrentSysadmin,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    now: NowDep,
) -> Any:
    """Lock a site with a reason: its next lease says locked and the appliance stops taking new orders."""
    site = service.lock(
        db, service.get(db, site_id, for_update=True), reason=body.reason, who=_who(admin, request), now=now
    )
    return service.read(site, now=now, settings=settings)


@router.post(
    "/{site_id}/unlock",
    response_model=SiteRead,
    responses=error_responses(*AUTH_ERRORS, service.SiteNotFound, service.NotLocked),
)
def unlock_site(
    site_id: SiteId, admin: CurrentSysadmin, request: Request, db: DbSession, settings: SettingsDep, now: NowDep
) -> Any:
    """Unlock a site; its next heartbeat gets an active lease again (if paid)."""
    site = service.unlock(db, service.get(db, site_id, for_update=True), who=_who(admin, request), now=now)
    return service.read(site, now=now, settings=settings)


@router.post("/{site_id}/rotate-key", response_model=SiteKeyOut, responses=NOT_FOUND)
def rotate_key(site_id: SiteId, admin: CurrentSysadmin, request: Request, db: DbSession, now: NowDep) -> Any:
    """Issue a new secret key (shown this once); the old key stops working at once."""
    site = service.get(db, site_id, for_update=True)
    key = service.rotate_key(db, site, who=_who(admin, request), now=now)
    return SiteKeyOut(site_id=site.site_id, secret_key=key)


@router.delete("/{site_id}", status_code=204, responses=NOT_FOUND)
def deregister_site(site_id: SiteId, admin: CurrentSysadmin, request: Request, db: DbSession, now: NowDep) -> None:
    """Deregister a site: its key stops working at once and it is no longer listed (its history is kept)."""
    service.deregister(db, service.get(db, site_id, for_update=True), who=_who(admin, request), now=now)
