"""What happens when time passes: reminders, overdue requests, final decisions, term ends.

Each object is claimed under a unique key (kind, object, due moment) in the same transaction
that changes its state and queues its notification: a second scheduler, a crash half-way or a
re-run after downtime neither duplicates nor skips anything. Reminders and passed deadlines go
in batches, one transaction each (a batch rolls back whole): at national scale a commit per
object, each waiting for the disk, was most of a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import QueryableAttribute

from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import (
    STILL_DECIDING,
    FollowRequestEvent,
    FollowRequestState,
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    MediationState,
    Party,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.models import (
    FollowRequest,
    Initiative,
    InitiativeProvider,
    JobClaim,
    MediationCase,
    Organisation,
    StatementRequest,
)
from innovatieregister.models.base import utcnow
from innovatieregister.services import write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.mediation import escalate_overdue_request, mediator_organisations
from innovatieregister.services.notifications import Said, notify_each, notify_organisations
from innovatieregister.services.standing import everyone_follows

SYSTEM = Actor(label="register: termijnbewaking")
# Objects per transaction: reminders are a few rows each; a passed deadline is ~18 statements and
# holds SQLite's write lock, so fewer.
REMINDER_BATCH = 500
DEADLINE_BATCH = 50


def claim(kind: str, obj, due_key: str) -> bool:
    """Record that this is done; False when it already was (by this or another process)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = db.session.execute(
        insert(JobClaim.__table__).values(kind=kind, object_type=type(obj).__name__, object_id=obj.id,
                                          due_key=due_key, claimed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["kind", "object_type", "object_id", "due_key"])
        .returning(JobClaim.__table__.c.id)).first()
    return inserted is not None


def unclaimed(kind: str, model: Any, due: sa.ColumnElement[Any] | QueryableAttribute[Any]) -> sa.ColumnElement[bool]:
    """SQL: no claim yet for (kind, this row, its due moment), so a pass leaves alone what an
    earlier pass did; through the claims' unique index. The due key is the date in ISO form,
    as `claim` writes it (`due.isoformat()`). Were a database to render dates otherwise, only the
    skipping would be lost: the claim itself still keeps each item exactly-once."""
    claims = JobClaim.__table__
    return ~sa.exists().where(claims.c.kind == kind, claims.c.object_type == model.__name__,
                              claims.c.object_id == model.id, claims.c.due_key == sa.cast(due, sa.String))


def _locked_request(request_id: int) -> FollowRequest | None:
    return db.session.scalar(sa.select(FollowRequest).where(FollowRequest.id == request_id)
                             .with_for_update(of=FollowRequest))


def claim_each(kind: str, model, keys: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """`claim` for many (object id, due key) at once; those this call claimed (not done before)."""
    if not keys:
        return set()
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    claims = JobClaim.__table__
    now = utcnow()
    inserted = db.session.execute(
        insert(claims).values([{"kind": kind, "object_type": model.__name__, "object_id": object_id,
                                "due_key": due_key, "claimed_at": now} for object_id, due_key in keys])
        .on_conflict_do_nothing(index_elements=["kind", "object_type", "object_id", "due_key"])
        .returning(claims.c.object_id, claims.c.due_key)).all()
    return {(object_id, due_key) for object_id, due_key in inserted}


def remind(request_ids: Sequence[int], today: date) -> int:
    """Remind the insurers that have not decided yet, each once per deadline; one transaction
    for the lot (the requests with their initiative's title, the claims, the users, the
    notifications and the e-mails: one statement each). How many were reminded."""
    with write_transaction():
        found = db.session.execute(
            sa.select(FollowRequest.id, FollowRequest.insurer_id, FollowRequest.initiative_id, FollowRequest.kind,
                      FollowRequest.deadline, Initiative.title)
            .join(Initiative, Initiative.id == FollowRequest.initiative_id)
            .where(FollowRequest.id.in_(request_ids), FollowRequest.state == FollowRequestState.OPEN,
                   FollowRequest.deadline >= today)
            .order_by(FollowRequest.deadline, FollowRequest.id).with_for_update(of=FollowRequest)).all()
        claimed = claim_each("reminder", FollowRequest, [(r.id, r.deadline.isoformat()) for r in found])
        due = [r for r in found if (r.id, r.deadline.isoformat()) in claimed]
        # Each in its recipient's language (services/notifications.Said).
        notify_each([([r.insurer_id], "reminder.deadline",
                      Said(N_("Herinnering: uw besluit op het overnameverzoek '%(title)s' moet uiterlijk %(date)s "
                              "binnen zijn.") if r.kind == "adoption" else
                           N_("Herinnering: uw besluit op het verzoek om te volgen '%(title)s' moet uiterlijk "
                              "%(date)s binnen zijn."), title=r.title, date=r.deadline),
                      f"/initiatieven/{r.initiative_id}")
                     for r in due])
        return len(due)


def pass_deadlines(request_ids: Sequence[int], today: date) -> int:
    """pass_deadline for each, in one transaction; how many passed."""
    with write_transaction():
        return sum(pass_deadline(request_id, today) for request_id in request_ids)


def pass_deadline(request_id: int, today: date) -> bool:
    """A passed deadline is never silent: no decision escalates, a decision becomes final."""
    with write_transaction():
        request = _locked_request(request_id)
        if request is None or request.deadline >= today or request.state not in (
                FollowRequestState.OPEN, FollowRequestState.DECIDED):
            return False
        if not claim("deadline", request, request.deadline.isoformat()):
            return False
        before = request.state
        request.state = transition(request.state, FollowRequestEvent.DEADLINE_PASSED, Party.SYSTEM)
        db.session.flush()
        initiative = db.session.get_one(Initiative, request.initiative_id)
        if request.state == FollowRequestState.OVERDUE:
            record(SYSTEM, "follow_request.overdue", request,
                   before={"state": str(before)}, after={"state": str(request.state),
                                                          "deadline": request.deadline.isoformat()})
            providers = db.session.scalars(sa.select(InitiativeProvider.provider_id).where(
                InitiativeProvider.initiative_id == initiative.id)).all()
            insurer = db.session.get_one(Organisation, request.insurer_id)
            notify_organisations(
                [initiative.lead_insurer_id, *providers, *mediator_organisations(), request.insurer_id],
                "escalation.overdue",
                Said(N_("%(insurer)s heeft niet besloten over '%(title)s' vóór de termijn van %(date)s. Het "
                        "verzoek staat nu bij de bemiddelaar."), insurer=insurer.name, title=initiative.title,
                     date=request.deadline),
                f"/initiatieven/{initiative.id}")
            escalate_overdue_request(request)
        else:
            record(SYSTEM, "follow_request.closed", request, before={"state": str(before)},
                   after={"state": str(request.state)})
        settle_when_decisions_close(initiative)
        return True


def settle_when_decisions_close(initiative: Initiative) -> None:
    """When no request can change any more, an open initiative is (partially) funded."""
    if initiative.status != InitiativeState.OPEN:
        return
    requests = db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative.id)).all()
    if any(r.state in STILL_DECIDING for r in requests):
        return
    everyone = everyone_follows(initiative)
    event = InitiativeEvent.ALL_FOLLOWED if everyone else InitiativeEvent.DECISIONS_CLOSED_WITH_GAP
    try:
        new_state = transition(initiative.status, event, Party.SYSTEM)
    except InvalidTransition:
        return
    before, initiative.status = initiative.status, new_state
    db.session.flush()
    record(SYSTEM, "initiative.status", initiative, before={"status": str(before)}, after={"status": str(new_state)})
    notify_organisations([initiative.lead_insurer_id], "decision.recorded",
                         Said(N_("De besluitvorming over '%(title)s' is gesloten: volledig gefinancierd.")
                              if everyone else
                              N_("De besluitvorming over '%(title)s' is gesloten: deels gefinancierd."),
                              title=initiative.title), f"/initiatieven/{initiative.id}")


def warn_term_end(initiative_id: int, today: date) -> bool:
    with write_transaction():
        initiative = db.session.get(Initiative, initiative_id)
        if initiative is None or initiative.term_end is None or initiative.term_end < today:
            return False
        if not claim("term_end", initiative, initiative.term_end.isoformat()):
            return False
        notify_organisations([initiative.lead_insurer_id], "initiative.term_ending",
                             Said(N_("De looptijd van '%(title)s' eindigt op %(date)s. Evalueer, verleng of "
                                     "beëindig het initiatief."), title=initiative.title, date=initiative.term_end),
                             f"/initiatieven/{initiative.id}")
        return True


def remind_statement(statement_id: int, today: date) -> bool:
    """Remind a party whose statement (zienswijze) is due and not yet given."""
    with write_transaction():
        statement = db.session.get(StatementRequest, statement_id)
        if statement is None or statement.answered_at is not None or statement.deadline < today:
            return False
        if not claim("statement_reminder", statement, statement.deadline.isoformat()):
            return False
        notify_organisations([statement.party_id], "mediation.update",
                             Said(N_("Herinnering: de bemiddelaar wacht op uw zienswijze, uiterlijk %(date)s."),
                                  date=statement.deadline), f"/bemiddeling/{statement.case_id}")
        return True


def escalate_follow_up(case_id: int, today: date) -> bool:
    """'Follow required' and the follow-up deadline passed without a follow: escalate."""
    with write_transaction():
        case = db.session.get(MediationCase, case_id)
        if (case is None or case.state != MediationState.FINDING or case.follow_up_deadline is None
                or case.follow_up_deadline >= today or case.follow_request is None):
            return False
        if not claim("follow_up_missed", case, case.follow_up_deadline.isoformat()):
            return False
        insurer = db.session.get_one(Organisation, case.follow_request.insurer_id)
        record(SYSTEM, "mediation.follow_up_missed", case, after={"deadline": case.follow_up_deadline.isoformat()})
        notify_organisations([case.initiative.lead_insurer_id, insurer.id, *mediator_organisations()],
                             "escalation.overdue",
                             Said(N_("%(insurer)s heeft na de bevinding 'volgen vereist' niet gevolgd vóór %(date)s "
                                     "('%(title)s')."), insurer=insurer.name, date=case.follow_up_deadline,
                                  title=case.initiative.title),
                             f"/bemiddeling/{case.id}")
        return True
