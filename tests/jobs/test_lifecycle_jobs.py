"""The life cycle's scheduled work (issue 10): a monitoring moment is reminded before it falls due
and escalated when it passes without its evaluation, a met stop criterion is flagged, each exactly
once, also with two schedulers running at the same moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.models import AuditEntry, Initiative, InitiativeProvider, JobClaim, Notification, User
from innovatieregister.models.monitoring import MonitoringMoment
from innovatieregister.services import lifecycle
from tests import flows
from tests.jobs.test_jobs import _at, _run, two_schedulers_at_once

LEAD, MEDIATOR, FUNDER, DECLINER = "menzis@demo.nl", "bemiddelaar@demo.nl", "vgz@demo.nl", "dsw@demo.nl"


def _notified(app, db, kind: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                         .where(Notification.kind == kind)))


def _users_of_lead_and_providers(app, db, initiative_id) -> list[str]:
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        organisations = [initiative.lead_insurer_id, *db.session.scalars(sa.select(InitiativeProvider.provider_id)
                                                                          .where(InitiativeProvider.initiative_id == initiative_id))]
        return sorted(db.session.scalars(sa.select(User.email).where(User.organisation_id.in_(organisations))))


def _baseline_due(app, db, initiative_id):
    with app.app_context():
        return db.session.scalar(sa.select(MonitoringMoment.due_on).where(
            MonitoringMoment.initiative_id == initiative_id, MonitoringMoment.kind == "baseline"))


@pytest.fixture
def active(app, demo):
    """The observation beds, active with DSW's share as an accepted gap (DSW funds nothing).

    The demo's running innovation is ended first, so the counts below are the observation beds' alone."""
    with app.app_context():
        lifecycle.end(flows.user(demo, LEAD), flows.monitored_innovation_id(app, demo), "Afgerond in de demo.",
                      "continues_as_regular", clock.today())
    return flows.activate_observation_beds(app, demo, declines="DSW")


def test_a_monitoring_moment_is_reminded_once_in_its_window(app, demo, active):
    due = _baseline_due(app, demo, active)
    window = app.config["EVALUATION_REMINDER_WORKING_DAYS"]
    assert _run(app, _at(add_working_days(due, -(window + 1))))["remind_evaluations"] == 0
    in_window = add_working_days(due, -3)
    assert _run(app, _at(in_window))["remind_evaluations"] == 1
    expected = _users_of_lead_and_providers(app, demo, active)
    assert _notified(app, demo, "reminder.evaluation") == expected and len(expected) >= 3
    assert _run(app, _at(in_window))["remind_evaluations"] == 0
    assert _run(app, _at(in_window + timedelta(days=1)))["remind_evaluations"] == 0
    assert _notified(app, demo, "reminder.evaluation") == expected


def test_a_moment_evaluated_in_time_is_neither_reminded_nor_escalated(app, demo, active):
    with app.app_context():
        lifecycle.record_evaluation(flows.user(demo, "ziekenhuis@demo.nl"), active, lifecycle.EvaluationInput(
            "baseline", "on_track", "Nulmeting gedaan."), clock.now())
    due = _baseline_due(app, demo, active)
    report = _run(app, _at(add_working_days(due, -3)))
    assert report["remind_evaluations"] == 0
    assert _run(app, _at(due + timedelta(days=1)))["escalate_overdue_evaluations"] == 0


def test_an_early_periodic_evaluation_does_not_use_up_next_years_moment(app, demo, active, frozen_clock):
    with app.app_context():
        first_periodic = demo.session.scalar(sa.select(MonitoringMoment).where(
            MonitoringMoment.initiative_id == active, MonitoringMoment.kind == "periodic")
            .order_by(MonitoringMoment.due_on))
        due, moment_id = first_periodic.due_on, first_periodic.id
        # Months before the moment: an extra evaluation, the moment stays open.
        early = lifecycle.record_evaluation(flows.user(demo, LEAD), active, lifecycle.EvaluationInput(
            "periodic", "on_track", "Tussentijds beeld."), clock.now())
        assert early.moment_id is None and demo.session.get(MonitoringMoment, moment_id).done_at is None
    assert _run(app, _at(add_working_days(due, -3)))["remind_evaluations"] == 1  # so its reminder still comes
    frozen_clock.set(_at(add_working_days(due, -3)))
    with app.app_context():
        in_time = lifecycle.record_evaluation(flows.user(demo, LEAD), active, lifecycle.EvaluationInput(
            "periodic", "on_track", "Jaarlijkse evaluatie."), clock.now())
        assert in_time.moment_id == moment_id
    assert _run(app, _at(due + timedelta(days=1)))["escalate_overdue_evaluations"] == 0


def test_an_overdue_moment_escalates_once_to_the_parties_the_funders_and_the_mediator(app, demo, active):
    due = _baseline_due(app, demo, active)
    # The scheduler was down through the reminder window: the first run after the date escalates.
    report = _run(app, _at(due + timedelta(days=2)))
    assert report["escalate_overdue_evaluations"] == 1 and report["remind_evaluations"] == 0
    told = _notified(app, demo, "escalation.evaluation_overdue")
    assert {LEAD, MEDIATOR, FUNDER, "ziekenhuis@demo.nl", "ouderenzorg@demo.nl"} <= set(told)
    assert DECLINER not in told  # DSW funds nothing
    assert _run(app, _at(due + timedelta(days=3)))["escalate_overdue_evaluations"] == 0
    assert _notified(app, demo, "escalation.evaluation_overdue") == told
    with app.app_context():
        entries = demo.session.execute(sa.select(AuditEntry.action, AuditEntry.object_id).where(
            AuditEntry.action == "initiative.evaluation_overdue")).all()
    assert entries == [("initiative.evaluation_overdue", str(active))]


def test_a_moved_moment_is_escalated_again_for_its_new_date(app, demo, active):
    due = _baseline_due(app, demo, active)
    assert _run(app, _at(due + timedelta(days=1)))["escalate_overdue_evaluations"] == 1
    with app.app_context():
        moment = demo.session.scalar(sa.select(MonitoringMoment).where(
            MonitoringMoment.initiative_id == active, MonitoringMoment.kind == "baseline"))
        moved_to = due + timedelta(days=30)
        lifecycle.adjust_calendar(flows.user(demo, LEAD), active, {moment.id: moved_to.isoformat()},
                                  due + timedelta(days=1))
    assert _run(app, _at(due + timedelta(days=2)))["escalate_overdue_evaluations"] == 0
    assert _run(app, _at(moved_to + timedelta(days=1)))["escalate_overdue_evaluations"] == 1


def test_two_schedulers_at_once_escalate_and_flag_exactly_once(app, demo, active):
    with app.app_context():
        term_end = demo.session.get(Initiative, active).term_end
    reports = two_schedulers_at_once(app, _at(term_end + timedelta(days=1)))  # every moment overdue, the term past
    assert sum(r["escalate_overdue_evaluations"] for r in reports) == 5  # baseline, three yearly, final
    assert sum(r["flag_stop_criteria"] for r in reports) == 1
    with app.app_context():
        claims = dict(demo.session.execute(sa.select(JobClaim.kind, sa.func.count(JobClaim.id))
                                           .group_by(JobClaim.kind)).all())
        assert claims["evaluation_overdue"] == 5 and claims["stop_criteria"] == 1
    assert _notified(app, demo, "initiative.stop_criteria").count(MEDIATOR) == 1
    assert _notified(app, demo, "escalation.evaluation_overdue").count(MEDIATOR) == 5


def test_the_stop_criteria_are_flagged_once_each_and_listed_for_the_mediator(app, demo, active, client, auth,
                                                                            frozen_clock):
    with app.app_context():
        term_end = demo.session.get(Initiative, active).term_end
    after_term = _at(term_end + timedelta(days=1))
    assert _run(app, after_term)["flag_stop_criteria"] == 1
    assert _run(app, after_term + timedelta(days=1))["flag_stop_criteria"] == 0
    told = _notified(app, demo, "initiative.stop_criteria")
    assert {LEAD, FUNDER, MEDIATOR} <= set(told) and DECLINER not in told

    frozen_clock.set(after_term)
    auth.login(MEDIATOR)
    assert "1 initiatief met een bereikt stopcriterium" in client.get("/").get_data(as_text=True)
    overview = client.get("/looptijd/stopcriteria").get_data(as_text=True)
    assert "Observatiebedden Twente" in overview and "De looptijd is voorbij zonder eindevaluatie" in overview

    # A final evaluation saying "not achieved" is the other criterion: flagged once more, by itself.
    with app.app_context():
        lifecycle.record_evaluation(flows.user(demo, LEAD), active, lifecycle.EvaluationInput(
            "final", "not_achieved", "Geen effect gemeten."), clock.now())
    assert _run(app, after_term + timedelta(days=2))["flag_stop_criteria"] == 1
    assert _run(app, after_term + timedelta(days=3))["flag_stop_criteria"] == 0
    overview = client.get("/looptijd/stopcriteria").get_data(as_text=True)
    assert "De eindevaluatie zegt: doelen niet behaald" in overview
    assert "De looptijd is voorbij" not in overview

    # Ended: nothing left to stop, so nothing listed.
    with app.app_context():
        lifecycle.end(flows.user(demo, LEAD), active, "Doelen niet behaald.", "care_returns", clock.today())
    assert "Geen initiatieven met een bereikt stopcriterium" in client.get("/looptijd/stopcriteria").get_data(
        as_text=True)
    assert _run(app, after_term + timedelta(days=4))["flag_stop_criteria"] == 0


def test_the_stop_clause_agrees_with_the_domain_rule(app, demo, active, frozen_clock):
    """services.lifecycle.stop_clause is domain.lifecycle.stop_reasons in SQL."""
    from innovatieregister.domain.lifecycle import stop_reasons

    with app.app_context():
        term_end = demo.session.get(Initiative, active).term_end
    for day in (term_end, term_end + timedelta(days=1)):
        with app.app_context():
            initiative = demo.session.get(Initiative, active)
            in_sql = demo.session.scalar(sa.select(sa.func.count(Initiative.id)).where(
                Initiative.id == active, lifecycle.stop_clause(day)))
            assert bool(in_sql) == bool(stop_reasons(initiative.status, initiative.term_end, None, day))
