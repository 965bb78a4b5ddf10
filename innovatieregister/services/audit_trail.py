"""Reading the audit trail: verifying the chain, and timelines built from it."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from innovatieregister.domain.audit_chain import Break, verify
from innovatieregister.extensions import db
from innovatieregister.models import AuditEntry


def _in_order(batch: int = 1000) -> Iterator[dict]:
    last_seq = 0
    while True:
        rows = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.seq > last_seq)
                                  .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield row.chain_fields()
        last_seq = rows[-1].seq
        db.session.expunge_all()


def verify_chain() -> tuple[int, Break | None]:
    """Check the whole chain; return how many entries were read and the first break, if any."""
    count = 0

    def counted():
        nonlocal count
        for entry in _in_order():
            count += 1
            yield entry

    broken = verify(counted())
    return count, broken


def timeline(object_refs: list[tuple[str, list[int]]], hidden_actions=frozenset()) -> list[AuditEntry]:
    """The entries about these objects, oldest first, e.g. [("Initiative", [7]), ("FollowRequest", [3, 4])],
    without the actions the viewer may not see (visibility.hidden_audit_actions)."""
    clauses = [sa.and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_([str(i) for i in ids]))
               for kind, ids in object_refs if ids]
    if not clauses:
        return []
    query = sa.select(AuditEntry).where(sa.or_(*clauses))
    if hidden_actions:
        query = query.where(AuditEntry.action.notin_(list(hidden_actions)))
    return list(db.session.scalars(query.order_by(AuditEntry.seq)))


ACTION_LABELS = {
    "initiative.create": "Geregistreerd als concept",
    "initiative.update": "Concept gewijzigd",
    "initiative.open": "Opengesteld voor besluiten",
    "initiative.adopt": "Overgenomen uit een andere regio",
    "initiative.fully_funded": "Volledig gefinancierd",
    "initiative.status": "Status gewijzigd",
    "decision.record": "Besluit vastgelegd",
    "adoption_request.create": "Overnameverzoek verstuurd",
    "follow_request.overdue": "Termijn verstreken zonder besluit",
    "follow_request.closed": "Besluit definitief (termijn verstreken)",
    "follow_request.reopened": "Opnieuw open na bevinding van de bemiddelaar",
    "mediation.open": "Bemiddeling aangevraagd",
    "mediation.take": "In behandeling bij de bemiddelaar",
    "mediation.statement_request": "Zienswijze gevraagd",
    "mediation.statement_answer": "Zienswijze gegeven",
    "mediation.note": "Notitie van de bemiddelaar",  # shown to the mediator only
    "mediation.finding": "Bevinding van de bemiddelaar",
    "mediation.close": "Bemiddeling gesloten",
    "mediation.withdraw": "Bemiddeling ingetrokken",
}


def label_of(action: str) -> str:
    return ACTION_LABELS.get(action, action)
