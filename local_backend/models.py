"""Imports every domain's models so metadata (Alembic, tests) sees all tables."""

from local_backend.analytics.models import SalesRollup
from local_backend.audit.models import AuditEvent
from local_backend.auth.models import RefreshToken
from local_backend.db import Base
from local_backend.guest.models import GuestCartLine, GuestSession, GuestSubmission
from local_backend.inventory.models import (
    Delivery,
    DeliveryLine,
    RecipeLine,
    StockItem,
    StockMovement,
    Supplier,
)
from local_backend.kitchen.models import KitchenScreen, KitchenTicket
from local_backend.licensing.models import LicenseKey, LicenseLease, LicenseRecord
from local_backend.menu.models import (
    Category,
    PreferenceChoice,
    PreferenceSet,
    Product,
    ProductIngredient,
    ProductOption,
)
from local_backend.orders.models import Order, OrderItem, Payment
from local_backend.printing.models import PrintAlert, PrintAttempt, Printer, PrintJob
from local_backend.purchasing.models import EmailOutbox, PurchaseOrder, PurchaseOrderLine
from local_backend.reports.models import DayClose
from local_backend.settings.models import SiteSettings
from local_backend.shifts.models import CashMovement, Shift
from local_backend.staff.models import User, WaiterAssistant
from local_backend.system.models import IdempotencyRecord, SystemState
from local_backend.tables.models import Table, TableGroup
from local_backend.upi.models import UpiRequest

__all__ = [
    "AuditEvent",
    "Base",
    "CashMovement",
    "Category",
    "DayClose",
    "Delivery",
    "DeliveryLine",
    "EmailOutbox",
    "GuestCartLine",
    "GuestSession",
    "GuestSubmission",
    "IdempotencyRecord",
    "KitchenScreen",
    "KitchenTicket",
    "LicenseKey",
    "LicenseLease",
    "LicenseRecord",
    "Order",
    "OrderItem",
    "Payment",
    "PreferenceChoice",
    "PreferenceSet",
    "PrintAlert",
    "PrintAttempt",
    "PrintJob",
    "Printer",
    "Product",
    "ProductIngredient",
    "ProductOption",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "RecipeLine",
    "RefreshToken",
    "SalesRollup",
    "Shift",
    "SiteSettings",
    "StockItem",
    "StockMovement",
    "Supplier",
    "SystemState",
    "Table",
    "TableGroup",
    "UpiRequest",
    "User",
    "WaiterAssistant",
]
