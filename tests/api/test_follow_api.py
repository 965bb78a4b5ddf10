"""Following through the API (issue 12): POST/DELETE /initiatives/{id}/follow, GET /following;
every response checked against the OpenAPI document."""

from __future__ import annotations

from tests import flows


def test_follow_list_and_unfollow(app, demo, api_as):
    initiative_id = flows.open_observation_beds(app, demo)
    running = flows.monitored_innovation_id(app, demo)
    api = api_as("cz@demo.nl")
    assert api.get("/api/v1/following").get_json()["items"] == []
    for followed in (running, initiative_id, initiative_id):  # the second follow changes nothing
        response = api.post(f"/api/v1/initiatives/{followed}/follow")
        assert response.status_code == 200 and response.get_json() == {"initiative": followed, "following": True}
    listed = api.get("/api/v1/following").get_json()
    assert [i["id"] for i in listed["items"]] == [initiative_id, running] and listed["total"] == 2
    # What anyone sees in the register, nothing a party alone sees (budget, shares, decisions).
    assert "annual_budget" not in listed["items"][0] and listed["items"][0]["status"] == "open"
    response = api.call("DELETE", f"/api/v1/initiatives/{initiative_id}/follow")
    assert response.get_json() == {"initiative": initiative_id, "following": False}
    assert [i["id"] for i in api.get("/api/v1/following").get_json()["items"]] == [running]
    assert api.call("DELETE", f"/api/v1/initiatives/{initiative_id}/follow").status_code == 200


def test_a_draft_cannot_be_followed_nor_an_unknown_initiative(app, demo, api_as):
    api = api_as("cz@demo.nl")
    assert api.post(f"/api/v1/initiatives/{flows.observation_beds_id(app, demo)}/follow").status_code == 404
    assert api.post("/api/v1/initiatives/999999/follow").status_code == 404
    assert api.get("/api/v1/following?per_page=101").status_code == 422
    assert api.get("/api/v1/following").get_json()["items"] == []
