"""Conditions of a follow through the API (issue 13): the lead's verdict, validated against the document."""

from __future__ import annotations

from tests.web.test_conditions import LEAD, NEW_DEADLINE, vgz_follows_on_conditions


def test_the_api_judges_conditions_and_shows_the_verdict(app, demo, api_as):
    initiative_id, request_id = vgz_follows_on_conditions(app, demo)
    lead = api_as(LEAD)
    path = f"/api/v1/follow-requests/{request_id}/conditions"
    assert api_as("vgz@demo.nl").post(path, json={"verdict": "accepted", "reasons": "x"}).status_code == 403
    refused = lead.post(path, json={"verdict": "maybe", "reasons": ""})
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"verdict", "reasons"}
    response = lead.post(path, json={"verdict": "rejected", "reasons": "Twaalf maanden is te laat."})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["request_state"], body["deadline"]) == ("open", NEW_DEADLINE.isoformat())
    assert (body["decision"]["standing"], body["decision"]["conditions_verdict"],
            body["decision"]["conditions_reasons"]) == (False, "rejected", "Twaalf maanden is te laat.")
    # The insurer reads the verdict on its own request.
    items = api_as("vgz@demo.nl").get(f"/api/v1/initiatives/{initiative_id}/decisions").get_json()["items"]
    own = next(i for i in items if i["insurer"] == "VGZ")
    assert (own["request_state"], own["decision"]["conditions_verdict"]) == ("open", "rejected")
    assert lead.post(path, json={"verdict": "accepted", "reasons": "x"}).status_code == 409  # nothing left


def test_the_api_refuses_activation_while_conditions_wait(app, demo, api_as):
    from innovatieregister.models import Initiative
    from tests import flows

    initiative_id = flows.fund_observation_beds(app, demo, conditions_of="VGZ")
    refused = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/activate", json={})
    assert refused.status_code == 409 and "wachten op uw oordeel" in refused.get_json()["detail"]
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "fully_funded"
