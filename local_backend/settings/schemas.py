"""Wire shapes of the site settings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from local_backend.partial import PartialUpdate

TaxMode = Literal["inclusive", "exclusive"]
GuestOrdering = Literal["off", "confirm", "direct"]
GuestSends = Annotated[int, Field(ge=1, le=60)]
GuestItems = Annotated[int, Field(ge=1, le=200)]
RestaurantName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
TimezoneName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Field(description="IANA zone, e.g. Europe/Athens; business days and report times use it"),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$"),
    Field(description="ISO 4217 code; amounts are integers in its minor unit"),
]
BasisPoints = Annotated[int, Field(ge=0, le=10_000, description="Basis points of the bill: 1000 = 10 %")]
Hour = Annotated[int, Field(ge=0, le=23)]
Footer = Annotated[str, StringConstraints(max_length=500)]


class SiteSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    restaurant_name: str
    timezone: str
    currency: str
    tax_mode: TaxMode = Field(description="Whether menu prices include tax")
    service_charge_bp: int = Field(description="Service charge in basis points of the bill (0: none)")
    receipt_footer: str
    auto_day_close_hour: int | None = Field(
        description="Local hour at which the previous business day closes automatically; null: never"
    )
    report_printer_id: int | None = Field(description="Printer for X/Z reports; null: the first active printer")
    logo_updated_at: datetime | None = Field(
        description="When the receipt logo was set (GET /api/settings/logo); null: no logo"
    )
    guest_ordering: GuestOrdering = Field(
        description="Guest QR ordering: off, confirm (a waiter accepts each submission) or direct (to the kitchen)"
    )
    guest_max_sends_per_minute: int = Field(description="Submissions a table's guests may send per minute")
    guest_max_items_per_send: int = Field(description="Most items (total quantity) in one guest submission")
    guest_payments: bool = Field(description="Guests may pay their share by UPI from the table's code (if UPI is on)")
    updated_at: datetime | None


class SiteSettingsUpdate(PartialUpdate):
    """Only the fields sent change; `auto_day_close_hour` and `report_printer_id` may be set to null."""

    _not_null: ClassVar[frozenset[str]] = frozenset(
        {
            "restaurant_name",
            "timezone",
            "currency",
            "tax_mode",
            "service_charge_bp",
            "receipt_footer",
            "guest_ordering",
            "guest_max_sends_per_minute",
            "guest_max_items_per_send",
            "guest_payments",
        }
    )

    restaurant_name: RestaurantName | None = None
    timezone: TimezoneName | None = None
    currency: CurrencyCode | None = None
    tax_mode: TaxMode | None = None
    service_charge_bp: BasisPoints | None = None
    receipt_footer: Footer | None = None
    auto_day_close_hour: Hour | None = None
    report_printer_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    guest_ordering: GuestOrdering | None = None
    guest_max_sends_per_minute: GuestSends | None = None
    guest_max_items_per_send: GuestItems | None = None
    guest_payments: bool | None = None
