"""Scheduled work: plain functions of `now`, callable from tests, `flask jobs run-due` (for
cron users) and the one scheduler process (`flask scheduler run`). Web workers never run them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from innovatieregister.domain.calendar import add_working_days, dutch_date
from innovatieregister.domain.workflow import RUNNING_STATES, STILL_DECIDING, FollowRequestState, MediationState
from innovatieregister.extensions import db
from innovatieregister.jobs import lifecycle
from innovatieregister.models import FollowRequest, Initiative, MediationCase, StatementRequest
from innovatieregister.services import deadlines, mail, publication, settlements


def remind_undecided(now: datetime) -> int:
    """Remind insurers that have not decided, a set number of working days before the deadline."""
    today = dutch_date(now)
    horizon = add_working_days(today, current_app.config["REMINDER_WORKING_DAYS_BEFORE"])
    due = db.session.scalars(sa.select(FollowRequest.id).where(
        FollowRequest.state == FollowRequestState.OPEN, FollowRequest.deadline >= today,
        FollowRequest.deadline <= horizon, deadlines.unclaimed("reminder", FollowRequest, FollowRequest.deadline),
    ).order_by(FollowRequest.deadline, FollowRequest.id)).all()
    batch = deadlines.REMINDER_BATCH
    return sum(deadlines.remind(due[i:i + batch], today) for i in range(0, len(due), batch))


def escalate_overdue(now: datetime) -> int:
    """Mark passed deadlines: undecided requests overdue (escalated), decided ones final."""
    today = dutch_date(now)
    due = db.session.scalars(sa.select(FollowRequest.id).where(
        FollowRequest.state.in_(STILL_DECIDING),
        FollowRequest.deadline < today).order_by(FollowRequest.deadline, FollowRequest.id)).all()
    batch = deadlines.DEADLINE_BATCH
    return sum(deadlines.pass_deadlines(due[i:i + batch], today) for i in range(0, len(due), batch))


def warn_term_ends(now: datetime) -> int:
    """Warn leads before an initiative's term ends."""
    today = dutch_date(now)
    horizon = add_working_days(today, current_app.config["TERM_END_WARNING_WORKING_DAYS"])
    due = db.session.scalars(sa.select(Initiative.id).where(
        Initiative.status.in_(RUNNING_STATES),
        Initiative.term_end >= today, Initiative.term_end <= horizon,
        deadlines.unclaimed("term_end", Initiative, Initiative.term_end))).all()
    return sum(deadlines.warn_term_end(initiative_id, today) for initiative_id in due)


def remind_statements(now: datetime) -> int:
    """Remind parties of statements due in mediation."""
    today = dutch_date(now)
    horizon = add_working_days(today, current_app.config["REMINDER_WORKING_DAYS_BEFORE"])
    due = db.session.scalars(sa.select(StatementRequest.id).where(
        StatementRequest.answered_at.is_(None), StatementRequest.deadline >= today,
        StatementRequest.deadline <= horizon,
        deadlines.unclaimed("statement_reminder", StatementRequest, StatementRequest.deadline))).all()
    return sum(deadlines.remind_statement(statement_id, today) for statement_id in due)


def escalate_follow_ups(now: datetime) -> int:
    """A 'follow required' finding whose follow-up deadline passed without a follow."""
    today = dutch_date(now)
    due = db.session.scalars(sa.select(MediationCase.id).where(
        MediationCase.state == MediationState.FINDING, MediationCase.follow_up_deadline < today,
        deadlines.unclaimed("follow_up_missed", MediationCase, MediationCase.follow_up_deadline))).all()
    return sum(deadlines.escalate_follow_up(case_id, today) for case_id in due)


def publish_scheduled(now: datetime) -> int:
    """Publish the initiatives whose publication date has come (issue 12), each exactly once."""
    today = dutch_date(now)
    due = db.session.scalars(sa.select(Initiative.id).where(
        publication.due_clause(today), deadlines.unclaimed("publish", Initiative, Initiative.publish_on))
        .order_by(Initiative.publish_on, Initiative.id)).all()
    return sum(publication.publish_due(initiative_id, today, now) for initiative_id in due)


def finalise_settlements(now: datetime) -> int:
    """A proposed settlement whose contest period passed without a contest becomes final (issue 11)."""
    today = dutch_date(now)
    return sum(settlements.finalise(settlement_id, today, now) for settlement_id in settlements.due_for_final(today))


def send_mail(now: datetime) -> int:
    return mail.deliver_due(now).sent


# In this order: a reminder for a deadline that has passed meanwhile is pointless.
JOBS = {
    "escalate_overdue": escalate_overdue,
    "remind_undecided": remind_undecided,
    "warn_term_ends": warn_term_ends,
    "remind_statements": remind_statements,
    "escalate_follow_ups": escalate_follow_ups,
    "finalise_settlements": finalise_settlements,
    **lifecycle.JOBS,
    "publish_scheduled": publish_scheduled,
}


def run_due(now: datetime, include_mail: bool = True) -> dict[str, int]:
    """Every job once; each catches up on everything that fell due, however long ago."""
    jobs = {**JOBS, **({"send_mail": send_mail} if include_mail else {})}
    return {name: job(now) for name, job in jobs.items()}
