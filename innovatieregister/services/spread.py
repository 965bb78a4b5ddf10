"""How far each registered initiative has spread: regions, and insurers that fund it.

Per original (an initiative not adopted from another) its family is itself and every copy
adopted from it that is past its draft and not withdrawn. The registry ranks originals by the
regions their family runs in, then by the insurers funding it (its leads and every insurer
with a standing follow) AS THE VIEWER MAY SEE THEM: an insurer still deciding must not learn
from a count or a rank who follows (visibility.decisions_clause), so no stored number serves
every viewer.

What is stored instead (Initiative.spread_regions / spread_insurers, on the original) is the
count with every funder seen, kept in the flush that moves it (`_recount_touched`, an
`after_flush` listener: new or changed initiatives, decisions and requests). A viewer never sees
more funders than that, so it bounds the viewer's count from above, and `ranked` walks the
originals down that bound (an index) and computes the viewer's exact count only for the few it
reads, until nothing further down can rank higher. `flask registry check` recomputes the stored
columns and compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innovatieregister import visibility
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import Decision, FollowRequest, Initiative, User
from innovatieregister.models.decision import DecisionKind
from innovatieregister.services import lock_in_order

# Drafts and withdrawn initiatives do not count as having spread anywhere.
NOT_SPREAD = (InitiativeState.CONCEPT, InitiativeState.WITHDRAWN)
# Originals read in the registry's first chunk, at least: a page and some to spare, as most viewers
# see most funders and one chunk then suffices.
FIRST_CHUNK = 40


def family_counts(viewer: User | None, today: date | None, origin_ids: Iterable[int] | None = None) -> sa.Subquery:
    """Per original (column `origin`): the regions it runs in (`regions`) and the insurers that
    fund it (`insurers`: the leads, and every insurer with a standing follow), as `viewer` may
    see them (None: every one, the stored bound), in one grouped pass; only `origin_ids` if given."""
    family = sa.func.coalesce(Initiative.adopted_from_id, Initiative.id)
    members = sa.select(family.label("origin"), Initiative.id.label("member"), Initiative.region_id,
                        Initiative.lead_insurer_id).where(
        sa.or_(Initiative.adopted_from_id.is_(None), Initiative.status.notin_(NOT_SPREAD)))
    if origin_ids is not None:
        origin_ids = list(origin_ids)
        members = members.where(sa.or_(Initiative.id.in_(origin_ids), Initiative.adopted_from_id.in_(origin_ids)))
    family_rows = members.subquery()
    follows = (sa.select(family_rows.c.origin, sa.null(), FollowRequest.insurer_id)
               .join(FollowRequest, FollowRequest.initiative_id == family_rows.c.member)
               .join(Decision, Decision.follow_request_id == FollowRequest.id)
               .where(Decision.standing.is_(True), Decision.kind == DecisionKind.FOLLOW))
    if viewer is not None:
        follows = follows.where(visibility.decisions_clause(viewer, today))
    rows = sa.union_all(
        sa.select(family_rows.c.origin, family_rows.c.region_id, family_rows.c.lead_insurer_id.label("insurer")),
        follows,
    ).subquery()
    return sa.select(rows.c.origin, sa.func.count(sa.distinct(rows.c.region_id)).label("regions"),
                     sa.func.count(sa.distinct(rows.c.insurer)).label("insurers")).group_by(rows.c.origin).subquery()


def _rank(regions: int, insurers: int, origin: int) -> tuple[int, int, int]:
    """The registry's order: most regions, then most insurers, then the oldest first."""
    return -regions, -insurers, origin


def ranked(originals: sa.Select, viewer: User, today: date, offset: int, limit: int) -> list[tuple[int, int, int]]:
    """(origin id, regions, insurers as the viewer sees them) of `originals` (a select of
    Initiative, filtered) ranked as the registry ranks them, rows offset..offset+limit.

    Walks the originals in the order of their stored bound (Initiative.spread_*), in growing
    chunks, computing the viewer's own counts for what it read. It may stop once the bound of the
    last original read ranks no higher than the page's last place: every original further down
    has a bound (so a count) ranking below it."""
    want = offset + limit
    bound = originals.with_only_columns(Initiative.id, Initiative.spread_regions, Initiative.spread_insurers) \
        .order_by(Initiative.spread_regions.desc(), Initiative.spread_insurers.desc(), Initiative.id)
    seen: list[tuple[int, int, int]] = []
    read, chunk = 0, max(want + want // 2, FIRST_CHUNK)
    while True:
        rows = db.session.execute(bound.limit(chunk).offset(read)).all()
        read += len(rows)
        if rows:
            counts = family_counts(viewer, today, [row.id for row in rows])
            exact = {origin: (regions, insurers) for origin, regions, insurers in db.session.execute(
                sa.select(counts.c.origin, counts.c.regions, counts.c.insurers))}
            seen += [(origin, *exact.get(origin, (1, 1))) for origin, _regions, _insurers in rows]
        seen.sort(key=lambda s: _rank(s[1], s[2], s[0]))
        if len(rows) < chunk:
            break  # all read
        last = rows[-1]
        if len(seen) >= want and _rank(last.spread_regions, last.spread_insurers, last.id) >= _rank(
                seen[want - 1][1], seen[want - 1][2], seen[want - 1][0]):
            break
        chunk *= 2
    return seen[offset:want]


def recount(origin_ids: Iterable[int] | None = None, connection: sa.Connection | None = None) -> int:
    """Store the bound (every funder counted) on these originals (None: all); how many were written."""
    connection = connection or db.session.connection()
    counts = family_counts(None, None, origin_ids)
    values = [{"o": origin, "r": regions, "i": insurers} for origin, regions, insurers in connection.execute(
        sa.select(counts.c.origin, counts.c.regions, counts.c.insurers))]
    table = Initiative.__table__
    if values:
        # updated_at given as itself: a count moving is no edit of the initiative.
        connection.execute(table.update().where(table.c.id == sa.bindparam("o"), table.c.adopted_from_id.is_(None))
                           .values(spread_regions=sa.bindparam("r"), spread_insurers=sa.bindparam("i"),
                                   updated_at=table.c.updated_at), values)
    return len(values)


def mismatches() -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
    """(original, stored, recomputed) wherever the stored bound differs from a fresh count."""
    counts = family_counts(None, None)
    rows = db.session.execute(
        sa.select(Initiative.id, Initiative.spread_regions, Initiative.spread_insurers,
                  counts.c.regions, counts.c.insurers)
        .join(counts, counts.c.origin == Initiative.id).where(Initiative.adopted_from_id.is_(None))
        .order_by(Initiative.id))
    return [(origin, (sr, si), (r, i)) for origin, sr, si, r, i in rows if (sr, si) != (r, i)]


# Kept in the same flush -----------------------------------------------------------------------

_INITIATIVE_FIELDS = ("status", "adopted_from_id", "region_id", "lead_insurer_id")
_DECISION_FIELDS = ("standing", "kind", "follow_request_id")
_REQUEST_FIELDS = ("initiative_id", "insurer_id")


def _changed(obj, fields: tuple[str, ...]) -> list:
    """The values, old and new, of `fields` that this flush changes on `obj` (empty: none)."""
    state = sa.inspect(obj)
    values = []
    for name in fields:
        history = state.attrs[name].history
        if history.has_changes():
            values += [*history.deleted, *history.added]
    return values


def _recount_touched(session: Session, _context) -> None:
    """After a flush: recount the originals whose family an initiative, a decision or a request
    written in it moved, in the same transaction."""
    initiatives, requests, origins = set(), set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        whole = obj in session.new or obj in session.deleted
        if isinstance(obj, Initiative):
            if whole or _changed(obj, _INITIATIVE_FIELDS):
                origins.add(obj.adopted_from_id or obj.id)
                origins.update(v for v in sa.inspect(obj).attrs.adopted_from_id.history.deleted if v)
        elif isinstance(obj, Decision):
            if whole or _changed(obj, _DECISION_FIELDS):
                requests.add(obj.follow_request_id)
                requests.update(v for v in sa.inspect(obj).attrs.follow_request_id.history.deleted if v)
        elif isinstance(obj, FollowRequest):
            if whole:
                initiatives.add(obj.initiative_id)
            else:
                initiatives.update(v for v in (_changed(obj, ("initiative_id",)) or
                                               ([obj.initiative_id] if _changed(obj, _REQUEST_FIELDS) else [])) if v)
    if not (initiatives or requests or origins):
        return
    connection = session.connection()
    if requests:
        initiatives.update(connection.scalars(sa.select(FollowRequest.initiative_id).where(
            FollowRequest.id.in_([r for r in requests if r]))))
    if initiatives:
        origins.update(connection.scalars(sa.select(sa.func.coalesce(Initiative.adopted_from_id, Initiative.id))
                                          .where(Initiative.id.in_(initiatives))))
    origins.discard(None)
    if origins:
        lock_in_order(connection, Initiative.__table__, origins)  # a concurrent decision on the family waits
        recount(origins, connection)


if not sa.event.contains(Session, "after_flush", _recount_touched):
    sa.event.listen(Session, "after_flush", _recount_touched)
