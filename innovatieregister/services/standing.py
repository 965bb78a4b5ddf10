"""Where each insurer stands on funding each initiative, all decisions counted.

One function for every place that needs it (closing decisions, leaving mediation, what is
at stake): the lead funds its own share; an insurer asked more than once stands where
domain.allocation.combined_state puts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

import sqlalchemy as sa

from innovatieregister import visibility
from innovatieregister.domain.allocation import InsurerState, combined_state
from innovatieregister.extensions import db
from innovatieregister.models import Decision, FollowRequest, Initiative, User


def standing_decisions(request_ids: list[int], seen_by: User | None = None,
                       today: date | None = None) -> dict[int, Decision]:
    """The one standing decision of each of these requests that has one (one query); with
    `seen_by`, only those that user may see on `today`."""
    if not request_ids:
        return {}
    query = sa.select(Decision).where(Decision.follow_request_id.in_(request_ids), Decision.standing.is_(True))
    if seen_by is not None:
        query = query.join(FollowRequest, FollowRequest.id == Decision.follow_request_id).where(
            visibility.decisions_clause(seen_by, today))
    return {d.follow_request_id: d for d in db.session.scalars(query)}


class Led(Protocol):
    """An initiative, or its figures read as plain columns: its id and its lead."""

    @property
    def id(self) -> int: ...

    @property
    def lead_insurer_id(self) -> int: ...


def insurer_states(initiatives: Sequence[Led], seen_by: User | None = None,
                   today: date | None = None) -> dict[int, dict[int, InsurerState]]:
    """Per initiative id: per insurer id, its funding state (one query for any number, of
    plain rows: a page of the mediation queue asks it for every case on the page).

    With `seen_by`, only the decisions that user may see on `today` count (visibility): an
    insurer whose decisions are hidden from them is left out, i.e. counts as undecided."""
    ids = [i.id for i in initiatives]
    query = (sa.select(FollowRequest.initiative_id, FollowRequest.insurer_id, Decision.kind)
             .outerjoin(Decision, sa.and_(Decision.follow_request_id == FollowRequest.id, Decision.standing.is_(True)))
             .where(FollowRequest.initiative_id.in_(ids)))
    if seen_by is not None:
        query = query.where(visibility.decisions_clause(seen_by, today))
    collected: dict[int, dict[int, list[InsurerState]]] = {i.id: {} for i in initiatives}
    for initiative_id, insurer_id, kind in (db.session.execute(query) if ids else ()):
        collected[initiative_id].setdefault(insurer_id, []).append(Decision.state_of(kind))
    result = {}
    for initiative in initiatives:
        states = {insurer: combined_state(s) for insurer, s in collected[initiative.id].items()}
        states[initiative.lead_insurer_id] = InsurerState.FOLLOWS
        result[initiative.id] = states
    return result


def everyone_follows(initiative: Initiative) -> bool:
    """True when every insurer asked funds its share (and at least one was asked)."""
    states = insurer_states([initiative])[initiative.id]
    return len(states) > 1 and all(s == InsurerState.FOLLOWS for s in states.values())
