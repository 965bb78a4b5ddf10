"""The audit trail: one appended entry per state change, in the same transaction.

Entries are never updated or deleted: the ORM refuses (below) and so does the database
(triggers, migrations 0004 and 0008, TRUNCATE too on PostgreSQL). Each entry is linked into
a keyed hash chain (domain.audit_chain); checkpoints outside the database show a cut-off end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from innovatieregister.models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # position in the chain: 1, 2, 3, ...
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    actor_label: Mapped[str] = mapped_column(sa.String(254))  # e-mail, or the command that acted
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(80))
    object_id: Mapped[str] = mapped_column(sa.String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    entry_hash: Mapped[str] = mapped_column(sa.String(64))
    # 1: unkeyed SHA-256 (entries from before migration 0008); 2: HMAC with the key named by key_id.
    chain_version: Mapped[int] = mapped_column(server_default="1")
    key_id: Mapped[str | None] = mapped_column(sa.String(16))

    def chain_fields(self) -> dict[str, Any]:
        return {"id": self.id, "seq": self.seq, "occurred_at": self.occurred_at,
                "actor_user_id": self.actor_user_id, "actor_organisation_id": self.actor_organisation_id,
                "actor_label": self.actor_label, "action": self.action, "object_type": self.object_type,
                "object_id": self.object_id, "before": self.before, "after": self.after,
                "request_id": self.request_id, "chain_version": self.chain_version, "key_id": self.key_id,
                "prev_hash": self.prev_hash, "entry_hash": self.entry_hash}


class AuditEntryIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditEntryIsAppendOnly("audit entries are never updated")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditEntryIsAppendOnly("audit entries are never deleted")
