"""When each request was first decided, stored on the request (issue 15).

The per-insurer figures and the national overview (services/dashboards.py) count decisions in
time and late and take the median time to a first decision in Dutch working days. Converting
every request's moments to Dutch dates and counting working days per row on every page grows
with the country; both numbers are fixed once the first decision exists (a later version never
moves the first, a request's creation never moves). So FollowRequest.first_decided_on and
decision_days are written in the flush that writes a request's first decision (`_keep_touched`,
an `after_flush` listener: new decisions, or one moved to another request), and the figures
aggregate them in SQL. `flask registry check` recomputes them and compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innovatieregister.domain.calendar import dutch_date, working_days_between
from innovatieregister.extensions import db
from innovatieregister.models import Decision, FollowRequest
from innovatieregister.services import lock_in_order


def first_decision(asked_at: datetime, first_at: datetime | None) -> tuple[date | None, int | None]:
    """(the Dutch date of the first decision, Dutch working days from the request to it)."""
    if first_at is None:
        return None, None
    decided_on = dutch_date(first_at)
    return decided_on, working_days_between(dutch_date(asked_at), decided_on)


def _fresh(request_ids: Iterable[int] | None, connection: sa.Connection) -> sa.Result:
    """(request id, stored date, stored days, created_at, first decided_at) per request."""
    first = sa.select(sa.func.min(Decision.decided_at)).where(
        Decision.follow_request_id == FollowRequest.id).scalar_subquery()
    query = sa.select(FollowRequest.id, FollowRequest.first_decided_on, FollowRequest.decision_days,
                      FollowRequest.created_at, sa.type_coerce(first, Decision.decided_at.type))
    if request_ids is not None:
        query = query.where(FollowRequest.id.in_(sorted(request_ids)))
    return connection.execute(query.order_by(FollowRequest.id))


def recompute(request_ids: Iterable[int] | None = None, connection: sa.Connection | None = None) -> int:
    """Store the first decision's date and days on these requests (None: all) where they differ;
    how many were written."""
    connection = connection or db.session.connection()
    values = []
    for request_id, stored_on, stored_days, asked_at, first_at in _fresh(request_ids, connection).all():
        decided_on, days = first_decision(asked_at, first_at)
        if (stored_on, stored_days) != (decided_on, days):
            values.append({"r": request_id, "on": decided_on, "days": days})
    if values:
        table = FollowRequest.__table__
        connection.execute(table.update().where(table.c.id == sa.bindparam("r"))
                           .values(first_decided_on=sa.bindparam("on"), decision_days=sa.bindparam("days")), values)
    return len(values)


def mismatches() -> list[tuple[int, tuple[date | None, int | None], tuple[date | None, int | None]]]:
    """(request, stored, recomputed) wherever the stored first decision differs from a fresh one."""
    return [(request_id, (stored_on, stored_days), fresh)
            for request_id, stored_on, stored_days, asked_at, first_at in _fresh(None, db.session.connection())
            if (stored_on, stored_days) != (fresh := first_decision(asked_at, first_at))]


# Kept in the same flush -----------------------------------------------------------------------

_DECISION_FIELDS = ("follow_request_id", "decided_at")


def _keep_touched(session: Session, _context) -> None:
    """After a flush: recompute the requests a decision written (or moved) in it belongs to, and
    those whose creation moment changed, in the same transaction."""
    requests: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        state = sa.inspect(obj)
        whole = obj in session.new or obj in session.deleted
        if isinstance(obj, Decision):
            for name in _DECISION_FIELDS:
                history = state.attrs[name].history
                if whole or history.has_changes():
                    requests.add(obj.follow_request_id)
                    requests.update(v for v in state.attrs.follow_request_id.history.deleted if v)
        elif isinstance(obj, FollowRequest) and not whole and state.attrs.created_at.history.has_changes():
            requests.add(obj.id)
    requests.discard(None)
    if requests:
        # Two first decisions written at once on one request then cannot both store their own as the first.
        connection = session.connection()
        lock_in_order(connection, FollowRequest.__table__, requests)
        recompute(requests, connection)


if not sa.event.contains(Session, "after_flush", _keep_touched):
    sa.event.listen(Session, "after_flush", _keep_touched)
