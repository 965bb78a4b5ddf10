"""Both axes of spreading through the API, with the contract checked on every response."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from innovatieregister.models import FollowRequest, Initiative
from tests import flows

IMPACT = {"description": "Verkeerde-beddagen naar observatiebedden", "volume": 400, "unit": "bed_days",
          "by": "2027-12-31"}


def test_provider_axis_through_the_api(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.WEIGHTY)
    menzis = api_as("menzis@demo.nl")
    before = menzis.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()
    dsw_share = next(Decimal(s["amount"]) for s in before["shares"] if s["insurer"] == "DSW")

    provider = api_as("ouderenzorg@demo.nl")
    forged = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                           json={"insurer": "DSW", "impact": IMPACT, "requested_by": "ZH-TWENTE"})
    assert forged.status_code == 422 and list(forged.get_json()["errors"]) == ["requested_by"]  # no such field
    created = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                            json={"insurer": "DSW", "impact": IMPACT, "evidence": "https://example.org/x"})
    assert created.status_code == 201
    request = created.get_json()
    assert request["requested_by"] == "VVT-TWENTE"  # the caller's own organisation
    assert request["insurer"] == "DSW" and request["decision"] is None
    assert provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                         json={"insurer": "DSW", "impact": IMPACT}).status_code == 409

    dsw = api_as("dsw@demo.nl")
    assert [r["id"] for r in dsw.get("/api/v1/adoption-requests").get_json()["items"]] == [request["id"]]
    assert [r["id"] for r in menzis.get("/api/v1/adoption-requests").get_json()["items"]] == [request["id"]]
    assert api_as("vgz@demo.nl").get("/api/v1/adoption-requests").get_json()["items"] == []
    assert api_as("cz@demo.nl").post(f"/api/v1/adoption-requests/{request['id']}/decision",
                                      json={"decision": "follow"}).status_code == 404
    decided = dsw.post(f"/api/v1/adoption-requests/{request['id']}/decision", json={"decision": "follow"})
    assert decided.status_code == 201 and decided.get_json()["kind"] == "adoption"

    after = menzis.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()
    assert Decimal(before["gap"]) - Decimal(after["gap"]) == dsw_share
    assert next(s["state"] for s in after["shares"] if s["insurer"] == "DSW") == "follows"


def test_adoption_request_input_errors_are_422_per_field(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    provider = api_as("ziekenhuis@demo.nl")
    bad = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                        json={"insurer": "ASR", "impact": {**IMPACT, "volume": -3, "unit": "x"}})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"impact-volume", "impact-unit"}  # the schema's, per nested field
    # A date is text to the schema; the service reads it and says why not, at its own key.
    for by in ("nooit", "2026-01-01"):  # no date; a date in the past
        late = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                             json={"insurer": "ASR", "impact": {**IMPACT, "by": by}})
        assert late.status_code == 422 and set(late.get_json()["errors"]) == {"impact_by"}, by
    missing = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests", json={"insurer": "ASR"})
    assert missing.status_code == 422 and "impact" in missing.get_json()["errors"]
    nobody = provider.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                           json={"insurer": "ONBEKEND", "impact": IMPACT})
    assert nobody.status_code == 422
    insurer = api_as("vgz@demo.nl").post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                                         json={"insurer": "ASR", "impact": IMPACT})
    assert insurer.status_code == 403
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(FollowRequest.kind == "adoption")) == 0


def test_insurer_axis_through_the_api(app, api_as, demo):
    source_id = flows.open_observation_beds(app, demo)
    assert api_as("dsw@demo.nl").post(f"/api/v1/initiatives/{source_id}/adopt", json={"region": "ZK16"}).status_code == 403
    vgz = api_as("vgz@demo.nl")
    adopted = vgz.post(f"/api/v1/initiatives/{source_id}/adopt", json={"region": "ZK16"})
    assert adopted.status_code == 201
    copy = adopted.get_json()
    assert copy["adopted_from"] == source_id and copy["region"] == "ZK16" and copy["lead_insurer"] == "VGZ"
    assert copy["annual_budget"] == "0.00" and copy["providers"] == []
    assert vgz.post(f"/api/v1/initiatives/{copy['id']}/open").status_code == 409  # not yet cross-institution
    with app.app_context():
        assert demo.session.get(Initiative, copy["id"]).status == "concept"
    assert vgz.post(f"/api/v1/initiatives/{source_id}/adopt", json={}).status_code == 422


def test_a_request_without_an_expected_impact_is_listed_as_the_columns_allow(app, api_as, demo):
    """The impact's volume, unit and date are nullable columns (requests from before they were
    asked for have none); the answer says null for them instead of failing its own model."""
    from innovatieregister.extensions import db

    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.WEIGHTY)
    created = api_as("ouderenzorg@demo.nl").post(f"/api/v1/initiatives/{initiative_id}/adoption-requests",
                                                 json={"insurer": "DSW", "impact": IMPACT})
    assert created.status_code == 201
    with app.app_context():
        db.session.execute(sa.update(FollowRequest).where(FollowRequest.id == created.get_json()["id"])
                           .values(impact_volume=None, impact_unit=None, impact_by=None))
        db.session.commit()
    listed = api_as("dsw@demo.nl").get("/api/v1/adoption-requests")  # checked against the document
    assert listed.status_code == 200
    assert listed.get_json()["items"][0]["impact"] == {
        "description": IMPACT["description"], "volume": None, "unit": None, "by": None}
