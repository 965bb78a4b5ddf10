"""Scheduled work: reminders only to the undecided and only once, escalation, catching up."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from innovatieregister.domain.calendar import add_working_days
from innovatieregister.jobs import run_due
from innovatieregister.models import (
    FollowRequest,
    Initiative,
    JobClaim,
    Notification,
    Organisation,
    OutboxMessage,
    User,
)
from tests import flows
from tests.conftest import statements_sent

UNDECIDED_WITH_USERS = {"achmea@demo.nl", "cz@demo.nl", "dsw@demo.nl", "asr@demo.nl"}


def _at(day) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _deadline(app, db, initiative_id):
    with app.app_context():
        return db.session.scalar(sa.select(FollowRequest.deadline).where(FollowRequest.initiative_id == initiative_id))


def _reminded(app, db) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                         .where(Notification.kind == "reminder.deadline")))


def _run(app, now):
    with app.app_context():
        from innovatieregister.extensions import db

        try:
            return run_due(now, include_mail=False)
        finally:
            db.session.remove()


@pytest.fixture
def opened(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    return initiative_id


def test_reminders_go_only_to_the_undecided_and_only_once(app, demo, opened):
    deadline = _deadline(app, demo, opened)
    too_early = add_working_days(deadline, -(app.config["REMINDER_WORKING_DAYS_BEFORE"] + 1))
    assert _run(app, _at(too_early))["remind_undecided"] == 0
    in_window = add_working_days(deadline, -2)
    report = _run(app, _at(in_window))
    assert report["remind_undecided"] == 8  # nine requests, VGZ has decided
    assert _reminded(app, demo) == sorted(UNDECIDED_WITH_USERS)
    assert _run(app, _at(in_window))["remind_undecided"] == 0
    assert _run(app, _at(in_window) + timedelta(days=1))["remind_undecided"] == 0
    assert _reminded(app, demo) == sorted(UNDECIDED_WITH_USERS)
    with app.app_context():
        mails = demo.session.scalars(sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "reminder.deadline")).all()
        assert sorted(mails) == sorted(UNDECIDED_WITH_USERS)  # and each by e-mail once


def two_schedulers_at_once(app, now) -> list[dict[str, int]]:
    """Two scheduler processes' passes at the same moment, started together; their reports."""
    barrier = threading.Barrier(2)
    reports = []

    def scheduler():
        barrier.wait()
        reports.append(_run(app, now))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(reports) == 2
    return reports


def test_two_schedulers_running_the_same_jobs_at_once_remind_each_insurer_once(app, demo, opened):
    reports = two_schedulers_at_once(app, _at(add_working_days(_deadline(app, demo, opened), -2)))
    assert sum(r["remind_undecided"] for r in reports) == 8
    assert _reminded(app, demo) == sorted(UNDECIDED_WITH_USERS)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(JobClaim.id))) == 8


def test_a_crash_half_way_and_a_restart_neither_duplicate_nor_skip(app, demo, opened, monkeypatch):
    from innovatieregister.services import deadlines

    now = _at(add_working_days(_deadline(app, demo, opened), -2))
    monkeypatch.setattr(deadlines, "REMINDER_BATCH", 3)  # eight reminders in batches of 3, 3 and 2
    real = deadlines.notify_each
    calls = {"n": 0}

    def crashes_in_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("process killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(deadlines, "notify_each", crashes_in_the_second_batch)
    with pytest.raises(RuntimeError):
        _run(app, now)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(JobClaim.id))) == 3  # the second batch rolled back whole
        claimed = set(demo.session.scalars(sa.select(FollowRequest.insurer_id).join(
            JobClaim, JobClaim.object_id == FollowRequest.id)))
        notified = set(demo.session.scalars(sa.select(User.organisation_id).join(
            Notification, Notification.user_id == User.id).where(Notification.kind == "reminder.deadline")))
        assert notified <= claimed  # no notification without its claim: nothing half-done
    monkeypatch.setattr(deadlines, "notify_each", real)
    assert _run(app, now)["remind_undecided"] == 5  # the restart does the rest
    assert _reminded(app, demo) == sorted(UNDECIDED_WITH_USERS)


def test_after_downtime_the_first_run_catches_up_and_escalates(app, demo, opened):
    deadline = _deadline(app, demo, opened)
    # The scheduler was down through the reminder window and the deadline: no reminder now,
    # but every passed deadline escalates.
    report = _run(app, _at(deadline + timedelta(days=10)))
    assert report == {"escalate_overdue": 9, "remind_undecided": 0, "warn_term_ends": 0,
                      "remind_statements": 0, "escalate_follow_ups": 0,
                      "escalate_overdue_evaluations": 0, "remind_evaluations": 0, "flag_stop_criteria": 0,
                      "publish_scheduled": 0, "finalise_settlements": 0}
    with app.app_context():
        states = dict(demo.session.execute(sa.select(Organisation.code, FollowRequest.state).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(FollowRequest.initiative_id == opened)).all())
        assert states.pop("VGZ") == "closed" and set(states.values()) == {"overdue"}
        # Every overdue request lands in the mediator's queue by itself; the initiative is in mediation.
        assert demo.session.get(Initiative, opened).status == "in_mediation"
        from innovatieregister.services.mediation import queue_for

        queue = queue_for(flows.user(demo, "bemiddelaar@demo.nl"), flows.TODAY).items
        assert sorted(r.case.follow_request.insurer.code for r in queue) == sorted(c for c in states if c != "VGZ")
        assert all(r.case.reason == "deadline_passed" and r.at_stake > 0 for r in queue)
        mediator = flows.user(demo, "bemiddelaar@demo.nl")
        escalations = demo.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == mediator.id, Notification.kind == "escalation.overdue")).all()
        assert len(escalations) == 8
        lead = flows.user(demo, "menzis@demo.nl")
        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == lead.id, Notification.kind == "escalation.overdue")) == 8
    assert _run(app, _at(deadline + timedelta(days=11)))["escalate_overdue"] == 0


def test_term_end_warnings_go_once(app, demo):
    with app.app_context():
        initiative = demo.session.get(Initiative, flows.observation_beds_id(app, demo))
        initiative.status = "active"
        demo.session.commit()
        term_end = initiative.term_end
    assert _run(app, _at(add_working_days(term_end, -5)))["warn_term_ends"] == 1
    assert _run(app, _at(add_working_days(term_end, -4)))["warn_term_ends"] == 0


def test_jobs_run_due_and_scheduler_once_commands(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0 and "escalate_overdue: 0" in result.output
    once = runner.invoke(args=["scheduler", "run", "--once"])
    assert once.exit_code == 0 and "remind_undecided" in once.output


def _statements_of_a_pass(app, db, now) -> tuple[dict, list[str]]:
    """One pass of the jobs, with every SQL statement it sent."""
    with statements_sent(app, db) as statements:
        report = _run(app, now)
    return report, statements


def test_a_pass_after_the_reminders_went_out_does_not_look_at_them_again(app, demo, opened):
    now = _at(add_working_days(_deadline(app, demo, opened), -2))
    assert _run(app, now)["remind_undecided"] == 8
    report, statements = _statements_of_a_pass(app, demo, now)
    assert report["remind_undecided"] == 0
    # One selection per job (and SQLite's BEGIN), nothing per claimed reminder.
    assert len(statements) <= len(report) + 1, statements


def test_a_reminder_costs_a_small_constant_number_of_statements(app, demo, opened):
    deadline = _deadline(app, demo, opened)
    _, idle = _statements_of_a_pass(app, demo, _at(add_working_days(deadline, -10)))
    report, busy = _statements_of_a_pass(app, demo, _at(add_working_days(deadline, -2)))
    assert report["remind_undecided"] == 8
    # For the eight together: begin, the requests with their initiative's title, the claims, the
    # users with their e-mail wish, the notifications, the e-mails.
    assert len(busy) - len(idle) <= 7, busy  # (SQLite: a second BEGIN, for the write)
