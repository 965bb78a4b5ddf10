"""Writing the audit trail: called inside the use case's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from innovatieregister.domain.audit_chain import GENESIS, KEYED, Keyring, keyed_hash
from innovatieregister.extensions import db
from innovatieregister.models import AuditEntry, User
from innovatieregister.models.base import utcnow

# Any 64-bit number unique to this lock; PostgreSQL holds it until the transaction ends.
CHAIN_LOCK = 7_402_118_221


def _lock_chain() -> None:
    """Serialise appends so the chain never forks. SQLite's write transactions already are
    (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def keyring() -> Keyring:
    """The audit keys from the configuration (the environment; never the database)."""
    config = current_app.config
    previous = config.get("AUDIT_PREVIOUS_KEYS") or ()
    if isinstance(previous, str):  # set as in the environment: comma-separated
        previous = [key.strip() for key in previous.split(",") if key.strip()]
    return Keyring.of(config["AUDIT_KEY"], previous)


def keyed_link(fields: dict[str, Any], prev_hash: str) -> dict[str, Any]:
    """The chain columns of a new entry with these fields: keyed with the current key."""
    keys = keyring()
    return {"chain_version": KEYED, "key_id": keys.current_id, "prev_hash": prev_hash,
            "entry_hash": keyed_hash(fields, prev_hash, keys.current, keys.current_id)}


def iso(moment: date | None) -> str | None:
    """A date or time as an audit entry stores it (ISO 8601); None stays None."""
    return moment.isoformat() if moment else None


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user (acting for their own organisation) or a command."""

    user: User | None = None
    label: str | None = None

    @classmethod
    def command(cls, name: str) -> Actor:
        return cls(label=f"command: {name}")

    @property
    def organisation_id(self) -> int | None:
        return self.user.organisation_id if self.user else None

    @property
    def display(self) -> str:
        return self.user.email if self.user else (self.label or "onbekend")


def record(
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry for a state change of `obj`.

    `obj` is a flushed model instance, or a (type, id) pair for what has no row of its
    own. Written in the caller's transaction, so the change and its entry commit together.
    """
    object_type, object_id = obj if isinstance(obj, tuple) else (type(obj).__name__, obj.id)
    _lock_chain()
    last = db.session.execute(
        sa.select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.entry_hash) if last else (1, GENESIS)
    entry = AuditEntry(
        seq=seq,
        occurred_at=utcnow(),
        actor_user_id=actor.user.id if actor.user else None,
        actor_organisation_id=actor.organisation_id,
        actor_label=actor.display,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    for column, value in keyed_link(entry.chain_fields(), prev_hash).items():
        setattr(entry, column, value)
    db.session.add(entry)
    db.session.flush()
    if object_type == "Initiative":
        # One entry is one event: its followers hear of a status change or an evaluation in this
        # same transaction, each once (issue 12).
        from innovatieregister.services.follows import tell_followers

        tell_followers(entry)
    return entry
