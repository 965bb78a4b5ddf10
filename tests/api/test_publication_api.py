"""The lead's publication step through the API (issue 12): publish now, on a date, or take it out."""

from __future__ import annotations

from tests import flows

LEAD, VGZ = "menzis@demo.nl", "vgz@demo.nl"


def test_the_lead_publishes_through_the_api(app, demo, api_as):
    initiative_id = flows.open_observation_beds(app, demo)
    assert api_as(VGZ).post(f"/api/v1/initiatives/{initiative_id}/publication", json={}).status_code == 403
    bad = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/publication", json={"publish_on": "morgen"})
    assert bad.status_code == 422 and "publish_on" in bad.get_json()["errors"]
    scheduled = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/publication",
                                  json={"publish_on": "2027-01-04"})
    assert scheduled.status_code == 200 and scheduled.get_json()["publish_on"] == "2027-01-04"
    cancelled = api_as(LEAD).call("DELETE", f"/api/v1/initiatives/{initiative_id}/publication")
    assert cancelled.get_json() == {"initiative_id": initiative_id, "published_at": None, "publish_on": None}
    now = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/publication", json={"publish_on": None})
    assert now.status_code == 200 and now.get_json()["published_at"]
    assert app.test_client().get(f"/api/v1/public/initiatives/{initiative_id}").status_code == 200
