"""The site's settings: one typed row, so the database itself rejects a value no code path may store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow

TAX_MODES = ("inclusive", "exclusive")
GUEST_ORDERING_MODES = ("off", "confirm", "direct")
SITE_ROW_ID = 1


class SiteSettings(Base):
    """Seeded from the environment at first boot; from then on managers change it (PUT /api/settings)."""

    __tablename__ = "site_settings"
    __table_args__ = (
        CheckConstraint(f"id = {SITE_ROW_ID}", name="single_row"),
        CheckConstraint("tax_mode IN ('inclusive', 'exclusive')", name="tax_mode_valid"),
        CheckConstraint("service_charge_bp BETWEEN 0 AND 10000", name="service_charge_valid"),
        CheckConstraint(
            "auto_day_close_hour IS NULL OR auto_day_close_hour BETWEEN 0 AND 23", name="auto_close_hour_valid"
        ),
        CheckConstraint("length(currency) = 3", name="currency_code"),
        CheckConstraint("guest_ordering IN ('off', 'confirm', 'direct')", name="guest_ordering_valid"),
        CheckConstraint("guest_max_sends_per_minute BETWEEN 1 AND 60", name="guest_sends_valid"),
        CheckConstraint("guest_max_items_per_send BETWEEN 1 AND 200", name="guest_items_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=SITE_ROW_ID)
    restaurant_name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    tax_mode: Mapped[str] = mapped_column(String(16), default="inclusive")
    # Basis points of the bill (1000 = 10 %); 0 is no service charge.
    service_charge_bp: Mapped[int] = mapped_column(default=0)
    receipt_footer: Mapped[str] = mapped_column(Text, default="")
    # Local hour (site timezone) at which the previous business day is closed automatically; None: never.
    auto_day_close_hour: Mapped[int | None] = mapped_column(default=None)
    # Where X/Z reports print when the request names no printer.
    report_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id", ondelete="SET NULL"), default=None)
    # The receipt logo, ready to print (settings/logo.py): a path under media_dir, and when it was set.
    logo_path: Mapped[str | None] = mapped_column(String(255), default=None)
    logo_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    # Guest QR ordering: off, confirm (a waiter accepts each submission) or direct (straight to the kitchen).
    guest_ordering: Mapped[str] = mapped_column(String(8), default="confirm")
    guest_max_sends_per_minute: Mapped[int] = mapped_column(default=3)
    guest_max_items_per_send: Mapped[int] = mapped_column(default=30)
    # Whether guests may pay their share by UPI from the table's code (when UPI is set up).
    guest_payments: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
