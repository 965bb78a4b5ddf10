"""The life cycle's scheduled work (issue 10): remind before a monitoring moment, escalate an
overdue one, flag the stop criteria. Each selects ids by an indexed query and hands every one to
its service, which claims it under a unique key (services.lifecycle)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from innovatieregister.domain.calendar import dutch_date
from innovatieregister.domain.lifecycle import AWAITING_FINAL
from innovatieregister.extensions import db
from innovatieregister.models import Initiative
from innovatieregister.models.monitoring import MonitoringMoment
from innovatieregister.services import lifecycle


def _waiting_moments(*conditions) -> list[int]:
    """Moments not yet evaluated (ix_monitoring_moments_due: done_at, due_on) of initiatives that
    still await their evaluations."""
    return list(db.session.scalars(
        sa.select(MonitoringMoment.id).join(Initiative, Initiative.id == MonitoringMoment.initiative_id)
        .where(MonitoringMoment.done_at.is_(None), *conditions, Initiative.status.in_(list(AWAITING_FINAL)))
        .order_by(MonitoringMoment.due_on, MonitoringMoment.id)))


def escalate_overdue_evaluations(now: datetime) -> int:
    today = dutch_date(now)
    return sum(lifecycle.escalate_moment(moment_id, today)
               for moment_id in _waiting_moments(MonitoringMoment.due_on < today))


def remind_evaluations(now: datetime) -> int:
    today = dutch_date(now)
    due = _waiting_moments(MonitoringMoment.due_on >= today,
                           MonitoringMoment.due_on <= lifecycle.reminder_horizon(today))
    return sum(lifecycle.remind_moment(moment_id, today) for moment_id in due)


def flag_stop_criteria(now: datetime) -> int:
    today = dutch_date(now)
    due = db.session.scalars(sa.select(Initiative.id).where(lifecycle.stop_clause(today))
                             .order_by(Initiative.id)).all()
    return sum(lifecycle.flag_stop_criteria(initiative_id, today) for initiative_id in due)


# Escalate before reminding, as the other jobs do.
JOBS = {
    "escalate_overdue_evaluations": escalate_overdue_evaluations,
    "remind_evaluations": remind_evaluations,
    "flag_stop_criteria": flag_stop_criteria,
}
