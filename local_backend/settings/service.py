"""Site settings: read by every domain through `current(db)`, changed by managers, audit-logged.

The environment (RESTAURANT_NAME, TIMEZONE, CURRENCY) seeds the row when the appliance first starts; from then on
the database is the truth, so a manager can rename the restaurant or fix its timezone without touching the Pi.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.config import Settings
from local_backend.events import Audience, publish_after_commit
from local_backend.printing import service as printing
from local_backend.settings.models import SITE_ROW_ID, SiteSettings
from local_backend.settings.schemas import SiteSettingsUpdate
from local_backend.staff.models import User
from shared.errors import Unprocessable


class InvalidTimezone(Unprocessable):
    code = "INVALID_TIMEZONE"
    default_detail = "Not an IANA timezone name (e.g. Europe/Athens)"


class UnknownPrinter(Unprocessable):
    code = "UNKNOWN_PRINTER"
    default_detail = "No such printer"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings as plain values, safe to hand to any domain or thread."""

    restaurant_name: str
    timezone: str
    currency: str
    tax_mode: str = "inclusive"
    service_charge_bp: int = 0
    receipt_footer: str = ""
    auto_day_close_hour: int | None = None
    report_printer_id: int | None = None
    updated_at: datetime | None = None
    logo_path: str | None = None
    logo_updated_at: datetime | None = None
    guest_ordering: str = "confirm"
    guest_max_sends_per_minute: int = 3
    guest_max_items_per_send: int = 30
    guest_payments: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_FALLBACK = Settings.model_fields


def _from_row(row: SiteSettings) -> SiteConfig:
    return SiteConfig(
        restaurant_name=row.restaurant_name,
        timezone=row.timezone,
        currency=row.currency,
        tax_mode=row.tax_mode,
        service_charge_bp=row.service_charge_bp,
        receipt_footer=row.receipt_footer,
        auto_day_close_hour=row.auto_day_close_hour,
        report_printer_id=row.report_printer_id,
        updated_at=row.updated_at,
        logo_path=row.logo_path,
        logo_updated_at=row.logo_updated_at,
        guest_ordering=row.guest_ordering,
        guest_max_sends_per_minute=row.guest_max_sends_per_minute,
        guest_max_items_per_send=row.guest_max_items_per_send,
        guest_payments=row.guest_payments,
    )


def _built_in() -> SiteConfig:
    # Only before the first start seeded the row (a service called from a bare script): the code's defaults.
    return SiteConfig(
        restaurant_name=str(_FALLBACK["restaurant_name"].default),
        timezone=str(_FALLBACK["timezone"].default),
        currency=str(_FALLBACK["currency"].default),
    )


def current(db: Session) -> SiteConfig:
    """The site's settings now (one primary-key read)."""
    row = db.get(SiteSettings, SITE_ROW_ID)
    return _from_row(row) if row is not None else _built_in()


def _row(db: Session, env: Settings) -> tuple[SiteSettings, bool]:
    row = db.get(SiteSettings, SITE_ROW_ID)
    if row is not None:
        return row, False
    row = SiteSettings(
        id=SITE_ROW_ID,
        restaurant_name=env.restaurant_name,
        timezone=env.timezone,
        currency=env.currency,
        tax_mode="inclusive",
        service_charge_bp=0,
        receipt_footer="",
        guest_ordering="confirm",
        guest_max_sends_per_minute=3,
        guest_max_items_per_send=30,
        guest_payments=True,
    )
    db.add(row)
    db.flush()
    return row, True


def seed(db: Session, env: Settings) -> bool:
    """At startup: create the settings row from the environment if there is none; True if it was created."""
    return _row(db, env)[1]


@functools.cache
def _zone_names() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def is_timezone(name: str) -> bool:
    """An IANA zone the system knows (not a file path or a POSIX TZ string that ZoneInfo might also accept)."""
    return name in _zone_names()


def update(db: Session, *, data: SiteSettingsUpdate, env: Settings, by: User) -> SiteConfig:
    """Change the fields sent; the change is audit-logged with old and new values."""
    fields = data.model_dump(exclude_unset=True)
    if "timezone" in fields and not is_timezone(fields["timezone"]):
        raise InvalidTimezone(f"{fields['timezone']!r} is not an IANA timezone name (e.g. Europe/Athens)")
    if fields.get("report_printer_id") is not None:
        try:
            printing.get_printer(db, fields["report_printer_id"])
        except printing.PrinterNotFound as exc:
            raise UnknownPrinter(f"No printer with id {fields['report_printer_id']}") from exc
    row, _ = _row(db, env)
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(row, name)
        if old != value:
            setattr(row, name, value)
            changes[name] = [old, value]
    if changes:
        row.updated_by_id = by.id
        db.flush()
        audit.record(
            db, action="settings.updated", entity_type="site_settings", entity_id=row.id, actor=by, data=changes
        )
        announce(db, changes)
    return _from_row(row)


def announce(db: Session, fields: Iterable[str]) -> None:
    """Every app refreshes the settings it shows (the restaurant's name, its currency), after commit."""
    publish_after_commit(db, "settings.updated", {"fields": sorted(fields)}, Audience.everyone())
