"""The mediation cycle for every role: request, statements, private notes, finding, follow-up."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from innovatieregister.domain.calendar import add_working_days
from innovatieregister.jobs import run_due
from innovatieregister.models import (
    Decision,
    FollowRequest,
    Initiative,
    MediationCase,
    Notification,
    Organisation,
    StatementRequest,
)
from tests import flows


def _dsw_request(app, db) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(Organisation.code == "DSW"))


def _setup(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    return initiative_id, _dsw_request(app, demo)


def test_the_whole_mediation_cycle(app, client, auth, demo):
    initiative_id, dsw_request = _setup(app, demo)
    # The lead asks for mediation on the decline flagged "onvoldoende onderbouwd".
    auth.login("menzis@demo.nl")
    assert client.get(f"/initiatieven/{initiative_id}/bemiddeling").status_code == 200
    response = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "insufficient_decline", "request": dsw_request,
        "statement": "DSW wijst af op alleen financiële gronden."})
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "in_mediation"

    # The mediator's queue shows it with what is at stake; the mediator takes it.
    auth.login("bemiddelaar@demo.nl")
    queue = client.get("/bemiddeling/").get_data(as_text=True)
    assert f"Zaak {case_id}" in queue and "Afwijzing onvoldoende onderbouwd" in queue and "€ " in queue
    page = client.get(f"/bemiddeling/{case_id}").get_data(as_text=True)
    assert "Financiële overwegingen: 1 × 3 = 3" in page and "3 / 6" in page  # arguments side by side
    assert client.post(f"/bemiddeling/{case_id}/oppakken").status_code == 302
    assert client.post(f"/bemiddeling/{case_id}/zienswijze", data={
        "party": "DSW", "question": "Welke financiële grond precies?"}).status_code == 302
    assert client.post(f"/bemiddeling/{case_id}/zienswijze", data={
        "party": "ZH-TWENTE", "question": "Hoeveel patiënten van DSW gebruiken de bedden?"}).status_code == 302
    assert client.post(f"/bemiddeling/{case_id}/notitie", data={"body": "GEHEIME NOTITIE: DSW twijfelt"}).status_code == 302
    with app.app_context():
        statements = {s.party.code: s for s in demo.session.scalars(sa.select(StatementRequest))}
        from innovatieregister import clock

        assert statements["DSW"].deadline == add_working_days(
            clock.today(), app.config["STATEMENT_DEADLINE_WORKING_DAYS"])

    # Parties answer in the app; each sees only its own statement request, never the notes.
    auth.login("dsw@demo.nl")
    dsw_page = client.get(f"/bemiddeling/{case_id}").get_data(as_text=True)
    assert "Welke financiële grond precies?" in dsw_page and "Hoeveel patiënten" not in dsw_page
    assert "GEHEIME NOTITIE" not in dsw_page
    assert "GEHEIME NOTITIE" not in client.get(f"/bemiddeling/{case_id}/tijdlijn").get_data(as_text=True)
    assert client.post(f"/bemiddeling/zienswijzen/{statements['DSW'].id}", data={
        "answer": "Ons budget voor 2027 is volledig belegd."}).status_code == 302
    assert client.post(f"/bemiddeling/zienswijzen/{statements['ZH-TWENTE'].id}", data={"answer": "x"}).status_code == 404
    auth.login("ziekenhuis@demo.nl")
    assert client.post(f"/bemiddeling/zienswijzen/{statements['ZH-TWENTE'].id}", data={
        "answer": "Ongeveer 4% van de patiënten is bij DSW verzekerd."}).status_code == 302

    # A party can neither take findings nor write mediation records.
    auth.login("menzis@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={"finding": "settled", "reasoning": "x"}).status_code == 403
    assert client.post(f"/bemiddeling/{case_id}/notitie", data={"body": "x"}).status_code == 403

    # The finding: follow required. The request reopens with a deadline; the parties see it.
    auth.login("bemiddelaar@demo.nl")
    page = client.get(f"/bemiddeling/{case_id}").get_data(as_text=True)
    assert "Ons budget voor 2027" in page and "4% van de patiënten" in page
    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={
        "finding": "follow_required", "reasoning": "Financiële gronden wegen niet op tegen substitutie.",
        "confirmed": "ja"}
    ).status_code == 302
    with app.app_context():
        case = demo.session.get(MediationCase, case_id)
        request = demo.session.get(FollowRequest, dsw_request)
        assert case.state == "finding" and case.finding == "follow_required"
        assert request.state == "open" and request.deadline == case.follow_up_deadline
        # The mediator decided nothing: DSW's decline still stands until DSW itself decides.
        assert demo.session.scalar(sa.select(Decision.kind).where(
            Decision.follow_request_id == dsw_request, Decision.standing.is_(True))) == "decline"
    auth.login("dsw@demo.nl")
    seen = client.get(f"/bemiddeling/{case_id}").get_data(as_text=True)
    assert "Bevinding: Volgen vereist" in seen and "Financiële gronden wegen niet op" in seen
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={"decision": "follow", "action": "decide"}).status_code == 302
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "closed"
        assert demo.session.get(Initiative, initiative_id).status == "open"  # other requests still run


def test_a_missed_follow_up_escalates_once(app, demo):
    initiative_id, _ = _setup(app, demo)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    with app.app_context():
        from innovatieregister import clock
        from innovatieregister.services import mediation

        mediation.record_finding(flows.user(demo, "bemiddelaar@demo.nl"), case_id, "follow_required", "Volgen.",
                                 flows.TODAY, clock.now())
        deadline = demo.session.get(MediationCase, case_id).follow_up_deadline
    late = datetime.combine(deadline + timedelta(days=1), time(9), tzinfo=UTC)
    with app.app_context():
        assert run_due(late, include_mail=False)["escalate_follow_ups"] == 1
        assert run_due(late, include_mail=False)["escalate_follow_ups"] == 0
        lead = flows.user(demo, "menzis@demo.nl")
        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == lead.id, Notification.message.like("%volgen vereist%"))) == 1


def test_statement_reminders_go_once_and_only_while_unanswered(app, demo):
    _setup(app, demo)
    case_id, statement_id = flows.mediation_on_dsw(app, demo, ask_statement_of="DSW")
    with app.app_context():
        deadline = demo.session.get(StatementRequest, statement_id).deadline
    soon = datetime.combine(add_working_days(deadline, -1), time(9), tzinfo=UTC)
    with app.app_context():
        assert run_due(soon, include_mail=False)["remind_statements"] == 1
        assert run_due(soon, include_mail=False)["remind_statements"] == 0


def test_a_finding_that_upholds_the_decline_closes_the_case(app, client, auth, demo):
    initiative_id, _ = _setup(app, demo)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={"finding": "decline_upheld", "reasoning": ""}
                       ).status_code == 422
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "in_progress"  # no reasoning: refused
    client.post(f"/bemiddeling/{case_id}/bevinding", data={"finding": "decline_upheld", "reasoning": "Gegrond.",
                                                           "confirmed": "ja"})
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "closed"
        assert demo.session.get(Initiative, initiative_id).status == "open"


def test_who_may_ask_and_on_what(app, client, auth, demo):
    initiative_id, dsw_request = _setup(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.WEIGHTY)
    with app.app_context():
        asr_request = demo.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(Organisation.code == "ASR"))
    auth.login("ziekenhuis@demo.nl")
    weighty = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "insufficient_decline", "request": asr_request, "statement": "x"})
    assert weighty.status_code == 422 and "geen afwijzing die als onvoldoende onderbouwd" in weighty.get_data(as_text=True)
    not_overdue = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "deadline_passed", "request": dsw_request, "statement": "x"})
    assert not_overdue.status_code == 422
    no_why = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={"reason": "disagreement", "statement": ""})
    assert no_why.status_code == 422
    assert client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "insufficient_decline", "request": dsw_request, "statement": "x"}).status_code == 302
    twice = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "insufficient_decline", "request": dsw_request, "statement": "x"})
    assert twice.status_code == 422 and "loopt al een bemiddeling" in twice.get_data(as_text=True)
    auth.login("bemiddelaar@demo.nl")  # the mediator never decides purchasing
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={"decision": "follow", "action": "decide"}).status_code == 403
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(MediationCase.id))) == 1


def test_the_party_that_asked_may_withdraw(app, client, auth, demo):
    initiative_id, _ = _setup(app, demo)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    auth.login("ziekenhuis@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/intrekken").status_code == 403
    assert client.post(f"/bemiddeling/{case_id}/intrekken", data={"confirmed": "ja"}).status_code == 403
    auth.login("menzis@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/intrekken", data={"confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "withdrawn"
        assert demo.session.get(Initiative, initiative_id).status == "open"
