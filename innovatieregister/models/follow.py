"""Following an initiative (issue 12): a user keeps track of one they are no party to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.initiative import Initiative


class Follow(Base):
    """One user follows one initiative; at most once (a database constraint, not a check)."""

    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "initiative_id"),  # also the "Gevolgd" list, newest first by id
        sa.Index("ix_follows_initiative", "initiative_id"),  # who to tell when the initiative changes
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    initiative: Mapped[Initiative] = relationship()


class FollowNotice(Base):
    """'This follower was told of this event': one row per (user, audit entry), claimed in the
    transaction that notifies, so an event reported twice (in one transaction, or by a job that
    runs again) is told once. The audit entry is the event: every state change has exactly one."""

    __tablename__ = "follow_notices"
    __table_args__ = (sa.UniqueConstraint("user_id", "audit_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The audit entry's place in the chain (AuditEntry.seq, unique); no foreign key: the trail is
    # append-only and never joined from here.
    audit_seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
