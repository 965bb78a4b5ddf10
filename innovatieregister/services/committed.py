"""What is committed of each initiative's budget, stored on it for the national overview (issue 15).

The figures (services/dashboards.py) compute an initiative's committed part as the viewer sees it:
the shares of the insurers the viewer sees following. Only the mediator and admins see the national
overview, and they see every decision (visibility.decisions_clause), so for them it is the
committed part with every follower counted. That is stored as Initiative.committed_all (None
outside the funding scope), computed by the same function (dashboards.committed_of), and kept in
the flush that moves it (`_keep_touched`, an `after_flush` listener): a cost line, a co-funding
pledge, a decision, a request or the initiative itself (status, key, region, lead) written or
removed. The market shares of a key never change once imported (a new peildatum is a new set).
The national overview then sums it per region in SQL instead of apportioning every initiative of
the country in Python. `flask registry check` recomputes it and compares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innovatieregister.extensions import db
from innovatieregister.models import CoFundingPledge, CostLine, Decision, DecisionKind, FollowRequest, Initiative
from innovatieregister.models.base import Money
from innovatieregister.models.market_share import MarketShare
from innovatieregister.services import lock_in_order
from innovatieregister.services.co_funding import annual_budget_column, counted_co_funding_column
from innovatieregister.services.dashboards import committed_of, funding_scope_clause


def _fresh(initiative_ids: Iterable[int] | None, connection: sa.Connection) -> list[tuple[int, Decimal | None,
                                                                                          Decimal | None]]:
    """(initiative, stored, recomputed) for these initiatives (None: all), in three queries."""
    query = sa.select(Initiative.id, Initiative.region_id, Initiative.lead_insurer_id, Initiative.market_share_set_id,
                      funding_scope_clause().label("in_scope"), annual_budget_column().label("budget"),
                      sa.type_coerce(counted_co_funding_column(), Money()).label("co_funding"),
                      Initiative.committed_all)
    ids = None if initiative_ids is None else sorted(initiative_ids)
    if ids is not None:
        query = query.where(Initiative.id.in_(ids))
    rows = connection.execute(query.order_by(Initiative.id)).all()
    scoped = [r for r in rows if r.in_scope]
    followers: dict[int, set[int]] = defaultdict(set)
    weights: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    if scoped:
        # Every insurer with a standing follow on any of its requests: the followers whoever sees
        # every decision sees (dashboards._initiative_figures for the mediator and admins).
        follows = (sa.select(FollowRequest.initiative_id, FollowRequest.insurer_id).distinct()
                   .join(Decision, sa.and_(Decision.follow_request_id == FollowRequest.id, Decision.standing.is_(True)))
                   .where(Decision.kind == DecisionKind.FOLLOW))
        if ids is not None:
            follows = follows.where(FollowRequest.initiative_id.in_([r.id for r in scoped]))
        for initiative_id, insurer_id in connection.execute(follows):
            followers[initiative_id].add(insurer_id)
        for set_id, region_id, insurer_id, insured in connection.execute(
                sa.select(MarketShare.set_id, MarketShare.region_id, MarketShare.insurer_id, MarketShare.insured)
                .where(sa.tuple_(MarketShare.set_id, MarketShare.region_id).in_(
                    sorted({(r.market_share_set_id, r.region_id) for r in scoped})))):
            weights[(set_id, region_id)][insurer_id] = insured
    return [(r.id, r.committed_all,
             committed_of(r.budget, r.co_funding, weights[(r.market_share_set_id, r.region_id)],
                          followers[r.id] | {r.lead_insurer_id}) if r.in_scope else None)
            for r in rows]


def recompute(initiative_ids: Iterable[int] | None = None, connection: sa.Connection | None = None) -> int:
    """Store the committed part on these initiatives (None: all) where it differs; how many were written."""
    connection = connection or db.session.connection()
    values = [{"i": initiative_id, "c": fresh}
              for initiative_id, stored, fresh in _fresh(initiative_ids, connection) if stored != fresh]
    if values:
        table = Initiative.__table__
        # updated_at given as itself: a figure moving is no edit of the initiative.
        connection.execute(table.update().where(table.c.id == sa.bindparam("i"))
                           .values(committed_all=sa.bindparam("c", type_=Money()), updated_at=table.c.updated_at),
                           values)
    return len(values)


def mismatches() -> list[tuple[int, Decimal | None, Decimal | None]]:
    """(initiative, stored, recomputed) wherever the stored committed part differs from a fresh one."""
    return [row for row in _fresh(None, db.session.connection()) if row[1] != row[2]]


# Kept in the same flush -----------------------------------------------------------------------

_FIELDS = {Initiative: ("status", "market_share_set_id", "region_id", "lead_insurer_id"),
           CostLine: ("amount", "initiative_id"),
           CoFundingPledge: ("state", "amount_per_year", "initiative_id"),
           FollowRequest: ("initiative_id", "insurer_id"),
           Decision: ("standing", "kind", "follow_request_id")}


def _keep_touched(session: Session, _context) -> None:
    """After a flush: recompute the initiatives whose committed part something written in it may
    move, in the same transaction."""
    initiatives: set[int] = set()
    requests: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        fields = _FIELDS.get(type(obj))
        if fields is None:
            continue
        state = sa.inspect(obj)
        moved = [state.attrs[name].history for name in fields]
        if not (obj in session.new or obj in session.deleted or any(h.has_changes() for h in moved)):
            continue
        link = {Initiative: "id", Decision: "follow_request_id"}.get(type(obj), "initiative_id")
        found = requests if isinstance(obj, Decision) else initiatives
        found.add(getattr(obj, link))
        if link in fields:  # moved from another one: that one too
            found.update(state.attrs[link].history.deleted)
    if requests:
        initiatives.update(session.connection().scalars(sa.select(FollowRequest.initiative_id).where(
            FollowRequest.id.in_([r for r in requests if r is not None]))))
    initiatives.discard(None)
    if initiatives:
        connection = session.connection()
        lock_in_order(connection, Initiative.__table__, initiatives)  # a concurrent decision waits
        recompute(initiatives, connection)


if not sa.event.contains(Session, "after_flush", _keep_touched):
    sa.event.listen(Session, "after_flush", _keep_touched)
