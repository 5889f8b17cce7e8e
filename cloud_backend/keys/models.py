"""Lease-signing keys. One `current` signs; a `next` is published ahead so appliances learn it; `retired` ones
are kept for the record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base
from shared.clock import utcnow

KEY_STATES = ("next", "current", "retired")


class SigningKeyRecord(Base):
    __tablename__ = "signing_keys"
    __table_args__ = (
        CheckConstraint("state IN ('next', 'current', 'retired')", name="state"),
        # At most one current and one next key, even when two replicas generate one at the same first start.
        Index(
            "uq_signing_keys_one_current",
            "state",
            unique=True,
            sqlite_where=text("state = 'current'"),
            postgresql_where=text("state = 'current'"),
        ),
        Index(
            "uq_signing_keys_one_next",
            "state",
            unique=True,
            sqlite_where=text("state = 'next'"),
            postgresql_where=text("state = 'next'"),
        ),
    )

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Unencrypted: whoever reads this table can sign leases, so the database is the secret (backups too).
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
