"""Writing the audit trail: called inside the use case's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context

from innovatieregister.extensions import db
from innovatieregister.models import AuditEntry, User


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
    entry = AuditEntry(
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
    db.session.add(entry)
    db.session.flush()
    return entry
