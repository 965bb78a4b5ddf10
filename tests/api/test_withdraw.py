"""Withdrawal before an initiative runs, activating a start-up innovation from its draft (issue 10:
"Withdrawal before active stays possible"; a start-up innovation asks nobody to follow), and web
refusals that say who may do what."""

from __future__ import annotations

import html

import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import AuditEntry, FollowRequest, Initiative, MediationCase, Notification, User
from innovatieregister.services import initiatives
from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput
from tests import flows

LEAD, FOLLOWER, PROVIDER, MEDIATOR = "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl"


def _requests(db, initiative_id) -> dict[int, str]:
    return {r.id: r.state.value for r in db.session.scalars(
        sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative_id))}


def _told(db, initiative_id) -> set[str]:
    return set(db.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id).where(
        Notification.message.like("%is ingetrokken door de leidende verzekeraar%"))))


def test_the_lead_withdraws_an_open_initiative_after_a_confirmation_step(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, FOLLOWER, "follow")
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/intrekken"
    assert "Intrekken" in client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)

    empty = client.post(url, data={"reasons": "  "})
    assert empty.status_code == 422 and 'id="reasons-error"' in empty.get_data(as_text=True)
    confirm = client.post(url, data={"reasons": "Geen draagvlak in de regio."})
    text = confirm.get_data(as_text=True)
    with app.app_context():
        requests_before = _requests(demo, initiative_id)
        assert demo.session.get(Initiative, initiative_id).status == "open"  # nothing before the confirmation
    live = sum(1 for state in requests_before.values() if state in ("open", "decided"))
    assert confirm.status_code == 200 and "Ja, intrekken" in text and f"{live} verzoeken" in text

    done = client.post(url, data={"reasons": "Geen draagvlak in de regio.", "confirmed": "ja"})
    assert done.status_code == 302
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert (initiative.status, initiative.ended_on, initiative.end_reasons) == (
            "withdrawn", flows.TODAY, "Geen draagvlak in de regio.")
        assert set(_requests(demo, initiative_id).values()) == {"cancelled"}
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.withdraw"))
        assert sorted(entry.after["cancelled_requests"]) == sorted(requests_before)
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "follow_request.cancel")) == len(requests_before)
        told = _told(demo, initiative_id)
    # Every insurer asked and every provider involved hears of it; the lead did it.
    assert {FOLLOWER, "cz@demo.nl", "dsw@demo.nl", PROVIDER, "ouderenzorg@demo.nl"} <= told and LEAD not in told
    # Withdrawn is final: no second withdrawal, no decisions.
    again = client.post(url, data={"reasons": "Nog eens.", "confirmed": "ja"}, follow_redirects=True)
    assert "Vanuit 'Ingetrokken' kan: niets meer" in html.unescape(again.get_data(as_text=True))


def test_withdrawing_in_mediation_ends_the_live_cases_with_it(app, demo, api_as):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "in_mediation"
    refused = api_as(FOLLOWER).post(f"/api/v1/initiatives/{initiative_id}/withdraw", json={"reasons": "x"})
    assert refused.status_code == 403
    missing = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/withdraw", json={"reasons": ""})
    assert missing.status_code == 422 and "reasons" in missing.get_json()["errors"]
    response = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/withdraw", json={"reasons": "Afgeblazen."})
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "withdrawn"
        # Straight from mediation to withdrawn: the case ending did not move it back to open first.
        statuses = [e.after.get("status") for e in demo.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.object_type == "Initiative",
                                        AuditEntry.object_id == str(initiative_id)).order_by(AuditEntry.seq))]
        assert statuses[-2:] == ["in_mediation", "withdrawn"]
        assert MEDIATOR in _told(demo, initiative_id)


def test_a_running_initiative_cannot_be_withdrawn_it_is_ended(app, demo, api_as):
    initiative_id = flows.activate_observation_beds(app, demo)
    refused = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/withdraw", json={"reasons": "Te laat."})
    assert refused.status_code == 409 and "beëindigen" in refused.get_json()["detail"]
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "active"


def _draft(db, kind: str, phase: str, budget: str = "12000.00") -> int:
    providers = [p.id for p in initiatives.provider_choices() if p.code in ("ZH-TWENTE", "VVT-TWENTE")]
    return initiatives.register(flows.user(db, LEAD), InitiativeInput(
        title="Proef", region_code="ZK22", kind=kind, phase=phase, provider_ids=providers,
        innovation_type="digital" if kind == "innovation" else None,
        cost_lines=[CostLineInput("ict", "Platform", budget)],
        goals=[GoalInput("Heropnames", "12", "8", "2028-12-31", "quality")]), flows.TODAY).id


def test_a_start_up_innovation_is_activated_from_its_draft_and_nothing_else_is(app, demo, api_as):
    with app.app_context():
        start_up = _draft(demo, "innovation", "start_up")
        scale_up = _draft(demo, "innovation", "scale_up")
        intervention = _draft(demo, "jzojp_intervention", "scale_up")
        no_budget = _draft(demo, "innovation", "start_up", budget="0.00")
    lead = api_as(LEAD)
    for refused_id in (scale_up, intervention):
        refused = lead.post(f"/api/v1/initiatives/{refused_id}/activate", json={})
        assert refused.status_code == 409 and "opent het eerst voor besluiten" in refused.get_json()["detail"]
    unfunded = lead.post(f"/api/v1/initiatives/{no_budget}/activate", json={})
    assert unfunded.status_code == 409 and "jaarbudget" in unfunded.get_json()["detail"]
    assert api_as(PROVIDER).post(f"/api/v1/initiatives/{start_up}/activate", json={}).status_code == 403
    done = lead.post(f"/api/v1/initiatives/{start_up}/activate", json={})
    assert done.status_code == 200 and done.get_json()["status"] == "active"
    with app.app_context():
        assert [demo.session.get(Initiative, i).status.value for i in (scale_up, intervention, no_budget)] == [
            "concept"] * 3
        started = demo.session.get(Initiative, start_up)
        assert started.activated_at == clock.now() and started.term_end is not None
        assert demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(
            FollowRequest.initiative_id == start_up)) == 0  # nobody was asked to follow


def test_only_a_start_up_draft_offers_activation(app, demo, api_as, client, auth):
    with app.app_context():
        start_up = _draft(demo, "innovation", "start_up")
        intervention = _draft(demo, "jzojp_intervention", "scale_up")
    lead = api_as(LEAD)
    assert "activate" in lead.get(f"/api/v1/initiatives/{start_up}/calendar").get_json()["may"]
    assert "activate" not in lead.get(f"/api/v1/initiatives/{intervention}/calendar").get_json()["may"]
    auth.login(LEAD)
    assert "/looptijd/activeren" in client.get(f"/initiatieven/{start_up}").get_data(as_text=True)
    assert "/looptijd/activeren" not in client.get(f"/initiatieven/{intervention}").get_data(as_text=True)


def test_a_step_refused_on_the_web_says_who_may_do_it(app, demo, client, auth):
    """The issue: every step the table refuses gets a Dutch message saying who may do what from here;
    for the wrong party too, not just a bare 'no access'."""
    initiative_id = flows.activate_observation_beds(app, demo)
    auth.login(FOLLOWER)  # an insurer that funds it, not the lead
    refused = client.post(f"/initiatieven/{initiative_id}/looptijd/beeindigen",
                          data={"reasons": "x", "outcome": "care_returns", "confirmed": "ja"})
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 403 and "mag niet door de aangesproken verzekeraar" in text
    assert "leidende verzekeraar: beëindigen" in text
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "active"
    # The monitor, too: the mediator sees the initiative but enters no measurements.
    auth.login(MEDIATOR)
    goal = demo_goal(app, demo, initiative_id)
    measured = client.post(f"/initiatieven/{initiative_id}/monitor/metingen", data={
        "meting-goal": str(goal), "meting-kind": "baseline", "meting-measured_on": "2026-12-01",
        "meting-value": "2900"})
    assert measured.status_code == 403 and "Alleen de leidende verzekeraar en de betrokken zorgaanbieders" in \
        html.unescape(measured.get_data(as_text=True))


def demo_goal(app, db, initiative_id) -> int:
    with app.app_context():
        return db.session.get(Initiative, initiative_id).goals[0].id
