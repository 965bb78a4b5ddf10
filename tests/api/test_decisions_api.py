"""A decision means what it says (issue 9 §3), through the API: one argument per criterion, a
binding "follow required" finding, and an Idempotency-Key that returns what it stored."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.domain.calendar import written
from innovatieregister.models import Decision
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from tests import flows
from tests.conftest import DEMO_PASSWORD

WEAK = {"criterion": "financial", "strength": 3, "explanation": "Geen budget in 2027."}  # 1 × 3 = 3 < 6


def test_the_same_criterion_twice_is_a_422_at_the_repeated_argument(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    dsw = api_as("dsw@demo.nl")
    twice = {"decision": "decline", "arguments": [
        WEAK, {"criterion": "insufficient_evidence", "strength": 1, "explanation": "Weinig effect."},
        {**WEAK, "explanation": "Ook geen budget in 2028."}]}
    response = dsw.post(f"/api/v1/initiatives/{initiative_id}/decision", json=twice)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert list(errors) == ["arguments-3"]
    assert "staat al bij argument 1" in errors["arguments-3"][0]
    assert flows.decision_versions(app, demo, "DSW") == []
    # Once, it is recorded with its own score: a weak decline stays weak.
    once = dsw.post(f"/api/v1/initiatives/{initiative_id}/decision", json={"decision": "decline", "arguments": [WEAK]})
    assert once.status_code == 201
    decision = once.get_json()["decision"]
    assert (decision["score"], decision["weighty"], decision["insufficiently_substantiated"]) == (3, False, True)


def _follow_required_on_dsw(app, demo) -> int:
    from innovatieregister import clock
    from innovatieregister.services import mediation

    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    with app.app_context():
        mediation.record_finding(flows.user(demo, "bemiddelaar@demo.nl"), case_id, "follow_required",
                                 "De financiële grond weegt niet op tegen de substitutie.", clock.today(), clock.now())
    return initiative_id


def test_after_follow_required_a_decline_is_a_409_naming_the_finding(app, api_as, demo):
    initiative_id = _follow_required_on_dsw(app, demo)
    dsw = api_as("dsw@demo.nl")
    weighty = {"decision": "decline", "arguments": [
        {"criterion": "insufficient_evidence", "strength": 3, "explanation": "Geen effectmeting."}]}
    refused = dsw.post(f"/api/v1/initiatives/{initiative_id}/decision", json=weighty)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    problem = refused.get_json()
    assert "'Volgen vereist'" in problem["detail"] and f"op {written(flows.TODAY)}" in problem["detail"]
    assert "De financiële grond weegt niet op tegen de substitutie." in problem["detail"]
    assert problem["errors"]["decision"] == [problem["detail"]]
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", True)]
    assert dsw.post(f"/api/v1/initiatives/{initiative_id}/decision", json={"decision": "follow"}).status_code == 201
    assert dsw.post(f"/api/v1/initiatives/{initiative_id}/decision", json=weighty).status_code == 409
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]


def test_a_replayed_idempotency_key_returns_the_version_it_stored(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    request_id = flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "DSW")  # a second request to DSW
    dsw = api_as("dsw@demo.nl")
    url = f"/api/v1/initiatives/{initiative_id}/decision"
    decline = {"decision": "decline", "arguments": [
        {"criterion": "insufficient_evidence", "strength": 2, "explanation": "Geen effectmeting."}]}
    first = dsw.post(url, json=decline, headers={"Idempotency-Key": "dsw-besluit-1"})
    assert first.status_code == 201
    assert dsw.post(url, json={"decision": "follow", "conditions": "Evaluatie na een jaar"},
                    headers={"Idempotency-Key": "dsw-besluit-2"}).status_code == 201

    replay = dsw.post(url, json=decline, headers={"Idempotency-Key": "dsw-besluit-1"})
    assert replay.status_code == 201
    stored = replay.get_json()["decision"]
    assert (stored["version"], stored["decision"], stored["standing"]) == (1, "decline", False)
    assert stored["arguments"] == first.get_json()["decision"]["arguments"]
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]

    # The same key with another body, for another request, or by someone else: 409, nothing stored.
    other_body = dsw.post(url, json={"decision": "follow"}, headers={"Idempotency-Key": "dsw-besluit-1"})
    assert other_body.status_code == 409 and "idempotency_key" in other_body.get_json()["errors"]
    other_request = dsw.post(f"/api/v1/adoption-requests/{request_id}/decision", json=decline,
                             headers={"Idempotency-Key": "dsw-besluit-1"})
    assert other_request.status_code == 409
    with app.app_context():
        create_user("collega@dsw.test", "Collega", "DSW", "insurer_staff", DEMO_PASSWORD, Actor.command("test"))
    colleague = api_as("collega@dsw.test").post(url, json=decline, headers={"Idempotency-Key": "dsw-besluit-1"})
    assert colleague.status_code == 409
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id)).where(
            Decision.follow_request_id == request_id)) == 0
