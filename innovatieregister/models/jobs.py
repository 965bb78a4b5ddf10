"""What the scheduler needs: claims that make every job idempotent, and the single-runner lease."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from innovatieregister.models.base import Base, UTCDateTime, utcnow


class JobClaim(Base):
    """'This was done': one row per (kind, object, due moment). Claimed in the same transaction
    as the notification it sends, so a second scheduler, a crash or a re-run sends nothing twice."""

    __tablename__ = "job_claims"
    __table_args__ = (sa.UniqueConstraint("kind", "object_type", "object_id", "due_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[int]
    due_key: Mapped[str] = mapped_column(sa.String(40))  # e.g. the deadline it was due for
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SchedulerLease(Base):
    """On SQLite the lease is this row; on PostgreSQL an advisory lock (see jobs/lease.py)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
