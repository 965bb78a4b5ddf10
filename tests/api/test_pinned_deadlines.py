"""Deadlines pinned to the day (issue 9 §3), each expectation counted here independently of the
domain's calendar: with the `holidays` package's Dutch holidays, day by day.

The frozen clock starts at 23:30 UTC on Sunday 6 December 2026, already Monday 7 December in
Amsterdam; the decision deadline of 20 working days crosses Christmas and New Year's Day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa

from innovatieregister.jobs import run_due
from innovatieregister.models import FollowRequest, MediationCase, MediationReason, Notification, Organisation
from tests import flows

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def working_days_after(start: date, n: int) -> date:
    """The n-th day after `start` that is neither a weekend day nor a Dutch public holiday."""
    dutch_holidays = holidays.country_holidays("NL", years=[start.year, start.year + 1])
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in dutch_holidays:
            counted += 1
    return day


def amsterdam(day: date, hour: int, minute: int) -> datetime:
    """That wall-clock time in Amsterdam, as the UTC moment the clock gives."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


def _deadlines(app, db, initiative_id: int) -> dict[str, date]:
    with app.app_context():
        return dict(db.session.execute(
            sa.select(Organisation.code, FollowRequest.deadline)
            .join(Organisation, Organisation.id == FollowRequest.insurer_id)
            .where(FollowRequest.initiative_id == initiative_id)).all())


def _run(app, now: datetime) -> dict[str, int]:
    with app.app_context():
        from innovatieregister.extensions import db

        try:
            return run_due(now, include_mail=False)
        finally:
            db.session.remove()


def _open_through_the_web(app, client, auth, demo) -> int:
    initiative_id = flows.observation_beds_id(app, demo)
    auth.login("menzis@demo.nl")
    assert client.post(f"/initiatieven/{initiative_id}/openen", data={"confirmed": "ja"}).status_code == 302
    return initiative_id


def test_a_new_request_is_due_exactly_the_configured_number_of_working_days_later(app, client, auth, demo, api_as):
    n = app.config["DECISION_DEADLINE_WORKING_DAYS"]
    initiative_id = _open_through_the_web(app, client, auth, demo)
    expected = working_days_after(date(2026, 12, 7), n)  # the Dutch date at the frozen moment
    deadlines = _deadlines(app, demo, initiative_id)
    assert len(deadlines) == 9 and set(deadlines.values()) == {expected}
    if n == 20:  # by hand: Christmas Day and New Year's Day fall on Fridays and do not count
        assert expected == date(2027, 1, 6)
    # An adoption request is given the same term.
    response = api_as("ziekenhuis@demo.nl").post(f"/api/v1/initiatives/{initiative_id}/adoption-requests", json={
        "insurer": "DSW", "impact": {"description": "Minder verkeerde beddagen", "volume": 400,
                                     "unit": "bed_days", "by": "2027-12-31"}})
    assert response.status_code == 201 and response.get_json()["deadline"] == expected.isoformat()


def _states_seen_by(api, initiative_id: int) -> dict[str, str]:
    body = api.get(f"/api/v1/initiatives/{initiative_id}").get_json()
    return {r["insurer"]: r["state"] for r in body["decisions"]}


def test_nothing_escalates_on_the_deadline_day_and_others_decisions_show_only_after_it(
        app, client, auth, demo, api_as, frozen_clock):
    initiative_id = _open_through_the_web(app, client, auth, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    deadline = working_days_after(date(2026, 12, 7), app.config["DECISION_DEADLINE_WORKING_DAYS"])
    cz = api_as("cz@demo.nl")  # has not decided

    # Late on the deadline day in Amsterdam (already the next day nowhere that matters).
    last_minute = amsterdam(deadline, 23, 59)
    frozen_clock.set(last_minute)
    report = _run(app, last_minute)
    assert report["escalate_overdue"] == 0
    assert _states_seen_by(cz, initiative_id)["VGZ"] == "hidden"
    with app.app_context():
        assert set(demo.session.scalars(sa.select(FollowRequest.state).where(
            FollowRequest.initiative_id == initiative_id))) == {"open", "decided"}
        assert demo.session.scalar(sa.select(sa.func.count(MediationCase.id))) == 0
        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.kind == "escalation.overdue")) == 0

    # Two minutes later it is the next day in Amsterdam (still the deadline day in UTC).
    next_day = amsterdam(deadline + timedelta(days=1), 0, 1)
    assert next_day.astimezone(UTC).date() == deadline
    frozen_clock.set(next_day)
    report = _run(app, next_day)
    assert report["escalate_overdue"] == 9  # 8 undecided escalate, VGZ's follow becomes final
    assert _states_seen_by(cz, initiative_id)["VGZ"] == "follows"
    with app.app_context():
        states = dict(demo.session.execute(
            sa.select(Organisation.code, FollowRequest.state)
            .join(Organisation, Organisation.id == FollowRequest.insurer_id)
            .where(FollowRequest.initiative_id == initiative_id)).all())
        assert states.pop("VGZ") == "closed" and set(states.values()) == {"overdue"}
        assert set(demo.session.scalars(sa.select(MediationCase.reason))) == {MediationReason.DEADLINE_PASSED}


def test_the_follow_up_deadline_after_follow_required(app, client, auth, demo, frozen_clock):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    # The finding at 00:30 on Friday 18 December in Amsterdam (Thursday 23:30 in UTC).
    frozen_clock.set(amsterdam(date(2026, 12, 18), 0, 30))
    auth.login("bemiddelaar@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={
        "finding": "follow_required", "reasoning": "Volgen.", "confirmed": "ja"}).status_code == 302
    n = app.config["MEDIATION_FOLLOW_UP_WORKING_DAYS"]
    expected = working_days_after(date(2026, 12, 18), n)
    if n == 10:  # by hand: 21–24 December, 28–31 December, 4 and 5 January
        assert expected == date(2027, 1, 5)
    with app.app_context():
        case = demo.session.get(MediationCase, case_id)
        assert case.follow_up_deadline == expected and case.follow_request.deadline == expected

    last_minute = amsterdam(expected, 23, 59)
    report = _run(app, last_minute)
    assert (report["escalate_follow_ups"], report["escalate_overdue"]) == (0, 0)
    next_day = amsterdam(expected + timedelta(days=1), 0, 1)
    report = _run(app, next_day)
    assert (report["escalate_follow_ups"], report["escalate_overdue"]) == (1, 1)
    with app.app_context():
        case = demo.session.get(MediationCase, case_id)
        assert case.follow_request.state == "overdue" and case.state == "finding"
