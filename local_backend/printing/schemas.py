"""Wire shapes of printers, their live status, print jobs with their attempt log, and printer alerts.

Inputs forbid unknown fields, are strict about types and bound every value: nothing a client sends can reach the
database or a printer unchecked.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from local_backend.partial import PartialUpdate
from local_backend.printing.escpos import CODE_PAGES, UnknownCodePage, code_page

MAX_ID = 2**31 - 1
MAX_FAILOVER_SECONDS = 3600
KNOWN_CODE_PAGES = ", ".join(sorted(CODE_PAGES))

JobKind = Literal["kitchen", "void", "bill", "receipt", "test", "report"]
JobStatus = Literal["pending", "printing", "printed", "failed", "cancelled"]
AlertKind = Literal["printer_failing", "paper_out", "failover", "test_failed"]
PrinterState = Literal["unknown", "online", "offline", "paper_out", "inactive"]
BillKind = Literal["bill", "receipt"]
UnroutedReason = Literal["no_zone", "unknown_printer", "inactive_printer"]

_HOSTNAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")


def _encodable(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); they cannot be stored as UTF-8, so refuse them here.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode") from exc
    return value.strip()


def _host(value: str) -> str:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        pass
    if _HOSTNAME.match(value):
        return value.lower()
    raise ValueError("must be an IPv4/IPv6 address or a host name")


def _known_code_page(value: str) -> str:
    try:
        return code_page(value).name
    except UnknownCodePage as exc:
        raise ValueError(str(exc)) from exc


RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PrinterName = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"\S"), AfterValidator(_encodable)]
Host = Annotated[
    str,
    StringConstraints(min_length=1, max_length=253),
    AfterValidator(_host),
    Field(description="IPv4/IPv6 address or host name of the printer", examples=["192.168.1.50"]),
]
Port = Annotated[int, Field(ge=1, le=65535)]
CodePageName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32),
    AfterValidator(_known_code_page),
    Field(description=f"One of {KNOWN_CODE_PAGES} (common aliases such as PC737 are accepted)"),
]
Slot = Annotated[int, Field(ge=0, le=255, description="The `ESC t n` number of the page on this printer")]
Columns = Annotated[int, Field(ge=16, le=96, description="Characters per line in the normal font (80 mm: 48)")]
FailoverSeconds = Annotated[int, Field(ge=0, le=MAX_FAILOVER_SECONDS)]
KdsMinutes = Annotated[int, Field(ge=1, le=240, description="Kitchen display timer threshold, minutes")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PrinterCreate(_Input):
    name: PrinterName
    ip_address: Host
    port: Port = 9100
    code_page: CodePageName = "cp737"
    code_page_slot: Slot | None = Field(default=None, description="Defaults to the page's usual slot (cp737: 29)")
    columns: Columns = 48
    backup_printer_id: RowId | None = Field(default=None, description="Prints this printer's jobs when it fails")
    is_active: bool = True
    failover_seconds: FailoverSeconds = Field(
        default=30, description="How long the printer may fail before its jobs move to the backup printer"
    )
    kds_warn_minutes: KdsMinutes = 5
    kds_late_minutes: KdsMinutes = 10


class PrinterUpdate(PartialUpdate):
    """Only the fields sent change; `backup_printer_id: null` removes the backup, `code_page_slot: null` (or a new
    code page without a slot) selects the page's usual slot."""

    _not_null: ClassVar[frozenset[str]] = frozenset(
        {
            "name",
            "ip_address",
            "port",
            "code_page",
            "columns",
            "is_active",
            "failover_seconds",
            "kds_warn_minutes",
            "kds_late_minutes",
        }
    )

    name: PrinterName | None = None
    ip_address: Host | None = None
    port: Port | None = None
    code_page: CodePageName | None = None
    code_page_slot: Slot | None = None
    columns: Columns | None = None
    backup_printer_id: RowId | None = None
    is_active: bool | None = None
    failover_seconds: FailoverSeconds | None = None
    kds_warn_minutes: KdsMinutes | None = None
    kds_late_minutes: KdsMinutes | None = None


class PrinterStatusRead(BaseModel):
    """What the appliance last saw of a printer (kept in memory, refreshed by every job and idle poll)."""

    model_config = ConfigDict(from_attributes=True)

    printer_id: int
    name: str
    is_active: bool
    state: PrinterState
    online: bool | None = Field(description="None until the printer was first reached")
    paper_out: bool | None
    paper_near_end: bool | None
    queue_length: int = Field(description="Jobs waiting for or being printed on this printer")
    last_error: str | None
    last_success_at: datetime | None
    last_checked_at: datetime | None


class PrinterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    ip_address: str
    port: int
    code_page: str
    code_page_slot: int
    columns: int
    backup_printer_id: int | None
    is_active: bool
    failover_seconds: int
    kds_warn_minutes: int
    kds_late_minutes: int
    created_at: datetime
    updated_at: datetime
    status: PrinterStatusRead


class UnroutedProductRead(BaseModel):
    """A product whose items would not print anywhere."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    category_id: int
    category_name: str
    printer_zone_id: int | None = Field(description="The zone it points to (its own, else its category's)")
    reason: UnroutedReason


class PrintAttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    printer_id: int | None
    printer_name: str
    started_at: datetime
    duration_ms: int
    ok: bool
    error: str | None
    on_backup: bool
    reprint: bool


class PrintJobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: JobKind
    status: JobStatus
    mark: str | None = Field(description="NEW, ADDED, FIRE or VOID for kitchen tickets")
    reprint: bool
    on_backup: bool
    printer_id: int | None = Field(description="The zone (printer) the job was sent to")
    zone_name: str | None
    target_printer_id: int | None = Field(description="Where it prints: the zone's printer or its backup")
    printed_by_printer_id: int | None
    reprint_of_id: int | None
    order_id: int | None
    created_by_id: int | None
    item_ids: list[int]
    created_at: datetime
    attempt_count: int
    last_error: str | None
    printed_at: datetime | None
    replaced: list[str] = Field(description="Characters the code page lacks, printed transliterated")
    attempts: list[PrintAttemptRead]


class PrintAlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: AlertKind
    printer_id: int | None
    printer_name: str
    job_id: int | None
    order_id: int | None
    sent_by_id: int | None
    message: str
    created_at: datetime
    cleared_at: datetime | None = Field(description="Set when the job printed or the paper is back")
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None


class BillPrint(_Input):
    order_id: RowId
    kind: BillKind = "bill"
