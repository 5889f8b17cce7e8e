"""Printers (each one is a kitchen/bar zone), the durable print queue, its attempt log and printer alerts.

A print job snapshots everything its ticket needs (`payload`, JSON) when it is queued, so a later menu, table or
staff edit never changes a ticket waiting in the queue. The bytes are rendered only when the job is sent, for the
printer that actually prints it (a backup may have another code page or paper width).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow

JOB_KINDS = ("kitchen", "void", "bill", "receipt", "test", "report")
JOB_STATUSES = ("pending", "printing", "printed", "failed", "cancelled")
UNFINISHED_STATUSES = ("pending", "printing")
ALERT_KINDS = ("printer_failing", "paper_out", "failover", "test_failed")


class Printer(Base):
    """A network ESC/POS printer; products and categories route their items to it through `printer_zone_id`."""

    __tablename__ = "printers"
    __table_args__ = (
        CheckConstraint("port BETWEEN 1 AND 65535", name="port_valid"),
        CheckConstraint("code_page_slot BETWEEN 0 AND 255", name="slot_valid"),
        CheckConstraint("columns BETWEEN 16 AND 96", name="columns_valid"),
        CheckConstraint("failover_seconds >= 0", name="failover_not_negative"),
        CheckConstraint("backup_printer_id IS NULL OR backup_printer_id != id", name="backup_not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    ip_address: Mapped[str] = mapped_column(String(253))
    port: Mapped[int] = mapped_column(default=9100)
    code_page: Mapped[str] = mapped_column(String(16), default="cp737")
    # The `ESC t n` number of that page on this printer's firmware (makers number them differently).
    code_page_slot: Mapped[int] = mapped_column(default=29)
    columns: Mapped[int] = mapped_column(default=48)
    backup_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id", ondelete="SET NULL"), default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    # How long the printer may fail before its queue moves to the backup printer.
    failover_seconds: Mapped[int] = mapped_column(default=30)
    # Kitchen display timers of this zone: a ticket turns amber after `warn`, red after `late` minutes.
    kds_warn_minutes: Mapped[int] = mapped_column(default=5, server_default="5")
    kds_late_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (
        # The workers' queue read: the oldest unfinished job of one printer.
        Index("ix_print_jobs_queue", "target_printer_id", "status", "id"),
        # Queue lengths (phones poll printer status) and startup recovery read the few unfinished jobs only.
        Index("ix_print_jobs_status", "status", "target_printer_id"),
        # A printer's last success after a restart: one index probe per printer, however long the history.
        Index("ix_print_jobs_printed_by", "printed_by_printer_id", "printed_at"),
        CheckConstraint(f"kind IN {JOB_KINDS}", name="kind_valid"),
        CheckConstraint(f"status IN {JOB_STATUSES}", name="status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The zone (printer) the job was sent to; kept for history when that printer is deleted.
    printer_id: Mapped[int | None] = mapped_column(
        ForeignKey("printers.id", ondelete="SET NULL"), index=True, default=None
    )
    # Where it prints now: the zone's printer, or its backup after a failover.
    target_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id", ondelete="SET NULL"), default=None)
    on_backup: Mapped[bool] = mapped_column(default=False)
    # The ticket says REPRINT: asked for again, or an earlier attempt may have printed part of it.
    reprint: Mapped[bool] = mapped_column(default=False)
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id", ondelete="SET NULL"), default=None)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True, default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempt_count: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    printed_at: Mapped[datetime | None] = mapped_column(default=None)
    printed_by_printer_id: Mapped[int | None] = mapped_column(
        ForeignKey("printers.id", ondelete="SET NULL"), default=None
    )
    # Characters the printer's code page lacks, printed transliterated (never dropped silently).
    replaced: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    attempts: Mapped[list[PrintAttempt]] = relationship(
        back_populates="job", lazy="raise", order_by="PrintAttempt.id", cascade="all, delete-orphan"
    )


class PrintAttempt(Base):
    """One try at printing a job: which printer, when, how long, and what went wrong."""

    __tablename__ = "print_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("print_jobs.id", ondelete="CASCADE"), index=True)
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id", ondelete="SET NULL"), default=None)
    printer_name: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    ok: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    on_backup: Mapped[bool] = mapped_column(default=False)
    reprint: Mapped[bool] = mapped_column(default=False)

    job: Mapped[PrintJob] = relationship(back_populates="attempts", lazy="raise")


class PrintAlert(Base):
    """Something staff must see: a printer failing a job, out of paper, or a job moved to the backup printer.

    Cleared (not deleted) when the job prints or the paper is back, so the history stays; acknowledging only
    records that someone saw it.
    """

    __tablename__ = "print_alerts"
    __table_args__ = (
        Index("ix_print_alerts_open", "cleared_at", "id"),
        CheckConstraint(f"kind IN {ALERT_KINDS}", name="kind_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    printer_id: Mapped[int | None] = mapped_column(
        ForeignKey("printers.id", ondelete="SET NULL"), index=True, default=None
    )
    printer_name: Mapped[str] = mapped_column(String(80))
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("print_jobs.id", ondelete="CASCADE"), index=True, default=None
    )
    order_id: Mapped[int | None] = mapped_column(default=None)
    # Who sent the job: a waiter sees the alerts of their own tickets.
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
