"""One row per job slot that ran: its primary key is what makes a slot run once across replicas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from cloud_backend.db import Base


class JobRun(Base):
    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The interval number since the epoch (floor(time / interval)): the same in every replica.
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    runner: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
