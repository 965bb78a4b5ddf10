"""Start-up and scale-up through the API, with the contract checked on every response."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import FollowRequest
from tests import flows

START_UP = {"title": "Slimme medicijndoos", "region": "ZK22", "kind": "innovation", "phase": "start_up",
            "providers": ["ZH-TWENTE", "VVT-TWENTE"],
            "cost_lines": [{"category": "ict", "description": "Doosjes", "amount": "5000.00"}]}


def test_opening_a_start_up_innovation_is_a_409_with_the_policys_reason(app, api_as, demo):
    menzis = api_as("menzis@demo.nl")
    created = menzis.post("/api/v1/initiatives", json=START_UP)
    assert created.status_code == 201 and created.get_json()["phase"] == "start_up"  # registering stays possible
    refused = menzis.post(f"/api/v1/initiatives/{created.get_json()['id']}/open")
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert "opstartfase kent geen volgplicht" in refused.get_json()["detail"]
    assert menzis.get(f"/api/v1/initiatives/{created.get_json()['id']}").get_json()["status"] == "concept"


def test_the_lead_moves_a_successful_innovation_to_scale_up(app, api_as, demo):
    running = flows.monitored_innovation_id(app, demo)
    assert api_as("ziekenhuis@demo.nl").post(f"/api/v1/initiatives/{running}/scale-up").status_code == 403
    assert api_as("vgz@demo.nl").post(f"/api/v1/initiatives/{running}/scale-up").status_code == 404
    menzis = api_as("menzis@demo.nl")
    moved = menzis.post(f"/api/v1/initiatives/{running}/scale-up")
    assert moved.status_code == 200
    body = moved.get_json()
    assert (body["phase"], body["status"]) == ("scale_up", "active")
    with app.app_context():
        asked = set(demo.session.scalars(sa.select(FollowRequest.insurer_id).where(
            FollowRequest.initiative_id == running)))
    assert len(asked) == len(body["decisions"]) > 0  # every insurer asked shows as a request
    again = menzis.post(f"/api/v1/initiatives/{running}/scale-up")
    assert again.status_code == 409 and "al in de opschalingsfase" in again.get_json()["detail"]
    # Now it carries the duty to follow: VGZ has a request and sees it.
    assert api_as("vgz@demo.nl").get(f"/api/v1/initiatives/{running}").status_code == 200


def test_adopting_an_unproven_innovation_through_the_api_needs_the_confirmation_field(app, api_as, demo):
    running = flows.monitored_innovation_id(app, demo)
    flows.add_evaluation(app, demo, running, "behind")
    vgz = api_as("vgz@demo.nl")
    refused = vgz.post(f"/api/v1/initiatives/{running}/adopt", json={"region": "ZK16"})
    assert refused.status_code == 422
    assert "niet positief geëvalueerd" in refused.get_json()["errors"]["confirm_without_positive_evaluation"][0]
    wrong_type = vgz.post(f"/api/v1/initiatives/{running}/adopt",
                          json={"region": "ZK16", "confirm_without_positive_evaluation": "ja"})
    assert wrong_type.status_code == 422 and "confirm_without_positive_evaluation" in wrong_type.get_json()["errors"]
    adopted = vgz.post(f"/api/v1/initiatives/{running}/adopt",
                       json={"region": "ZK16", "confirm_without_positive_evaluation": True})
    assert adopted.status_code == 201
    assert adopted.get_json()["adopted_without_positive_evaluation"] is True
    assert adopted.get_json()["adopted_from"] == running
