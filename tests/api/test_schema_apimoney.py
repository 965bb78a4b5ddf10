"""The money routes on the schema layer (issue 14): settlements, shared savings, co-funding and the
regional plan read their bodies through pydantic models, which refuse per field (422, nothing stored)
and write the OpenAPI document, so the document says what the code accepts and answers."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.api.openapi import document
from innovatieregister.api.pledges import CoFundingPledge, NewPledge
from innovatieregister.api.savings import SavingsAgreementIn
from innovatieregister.api.schema import YEAR_PATTERN
from innovatieregister.api.settlements import Settlement as SettlementModel
from innovatieregister.api.settlements import SettlementIn
from innovatieregister.domain.funding import SettlementBasis
from innovatieregister.models import CoFundingPledge as Pledge
from innovatieregister.models.funding import SavingsAgreement, Settlement
from innovatieregister.models.regional_plan import RegionalPlanVersion
from innovatieregister.services.savings import KEY_PARTS
from tests import flows
from tests.savings_flows import measurable_draft
from tests.settlement_flows import LEAD, YEAR, active_beds

SETTLEMENTS = "/initiatives/{initiative_id}/settlements"


def _count(app, db, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _component(ref: dict) -> dict:
    return document()["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_a_refused_settlement_says_which_field_and_stores_nothing(app, demo, api_as):
    initiative_id = active_beds(app, demo)
    lead = api_as(LEAD)
    url = f"/api/v1/initiatives/{initiative_id}/settlements"
    for body, field in (
            ({"period": str(YEAR), "cost_lines": ["1.00", "1,00"]}, "cost_lines-2"),  # rows from 1
            ({"period": str(YEAR), "actual_volume": "3"}, "actual_volume"),  # strict: text is no number
            ({"period": YEAR, "actual_cost": "1.00"}, "period"),  # a year is text ("2027")
            ({"period": str(YEAR), "use": [{"insurer": "ACHMEA", "units": -1}]}, "use-1-units"),
            ({"period": str(YEAR), "actual_cost": "1.00", "bedrag": "1.00"}, "bedrag")):  # unknown field
        refused = lead.post(url, json=body)
        assert refused.status_code == 422, (body, refused.json)
        assert refused.json["errors"][field] and all(refused.json["errors"][field]), (body, refused.json)
    assert _count(app, demo, Settlement) == 0
    # One rule for GET and POST: an id out of range is not found, never "method not allowed".
    assert lead.post("/api/v1/initiatives/0/settlements", json={"period": str(YEAR)}).status_code == 404


def test_an_insurer_named_twice_in_the_use_is_refused_not_overwritten(app, demo, api_as):
    on_use = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE)
    twice = api_as(LEAD).post(f"/api/v1/initiatives/{on_use}/settlements", json={
        "period": str(YEAR), "actual_cost": "1000.00", "use": [
            {"insurer": "ACHMEA", "units": 1}, {"insurer": "MENZIS", "units": 1}, {"insurer": "achmea", "units": 2}]})
    assert twice.status_code == 422 and "achmea" in twice.json["errors"]["use"][0], twice.json
    assert _count(app, demo, Settlement) == 0


def test_a_refused_savings_agreement_says_which_field_and_stores_nothing(app, demo, api_as):
    initiative_id = measurable_draft(app, demo)
    lead = api_as(LEAD)
    url = f"/api/v1/initiatives/{initiative_id}/savings-agreement"
    key = [{"party": "insurers", "percentage": "100"}]
    for body, field in (
            ({"baseline_annual_cost": "1000.00", "key": []}, "key"),  # at least one party
            ({"baseline_annual_cost": "1000.00", "key": [{"party": "insurers", "percentage": "50%"}]},
             "key-1-percentage"),
            ({"baseline_annual_cost": "1000.00", "key": [{"party": "everyone", "percentage": "100"}]}, "key-1-party"),
            ({"baseline_annual_cost": "1000.00", "key": key, "gates": [{"goal_id": "1", "minimum_value": "2"}]},
             "gates-1-goal_id"),
            ({"baseline_annual_cost": 1000, "key": key}, "baseline_annual_cost"),  # money is text
            ({"baseline_annual_cost": "1000.00", "key": key, "owner": "MENZIS"}, "owner")):
        refused = lead.call("PUT", url, json=body)
        assert refused.status_code == 422 and refused.json["errors"][field][0], (body, refused.json)
    assert _count(app, demo, SavingsAgreement) == 0
    assert lead.get(url).json["agreement"] is None


def test_a_refused_pledge_or_plan_says_which_field_and_stores_nothing(app, demo, api_as):
    beds = flows.observation_beds_id(app, demo)
    menzis = api_as(LEAD)
    pledges = _count(app, demo, Pledge)
    for body, field in (({"organisation": "GEM-ENSCHEDE", "amount_per_year": "10,00"}, "amount_per_year"),
                        ({"organisation": "GEM-ENSCHEDE", "amount_per_year": "10.00", "pro_rata": "yes"}, "pro_rata"),
                        ({"amount_per_year": "10.00"}, "organisation")):
        refused = menzis.post(f"/api/v1/initiatives/{beds}/co-funding", json=body)
        assert refused.status_code == 422 and refused.json["errors"][field][0], (body, refused.json)
    assert _count(app, demo, Pledge) == pledges

    plan = menzis.get("/api/v1/regions/ZK22/plan").json
    theme = {k: plan["themes"][0][k] for k in ("id", "title", "description", "start_year", "end_year", "goals")}
    versions = _count(app, demo, RegionalPlanVersion)
    for changed, field in (({"start_year": limits.DATE_MIN.year - 1}, "themes-1-start_year"),
                           ({"goals": [{**theme["goals"][0], "metric": "x" * (limits.LINE + 1)}]},
                            "themes-1-goals-1-metric"),
                           ({"colour": "blue"}, "themes-1-colour")):
        refused = menzis.call("PUT", "/api/v1/regions/ZK22/plan", json={
            "regiobeeld": plan["regiobeeld"], "based_on_version": plan["version"], "themes": [{**theme, **changed}]})
        assert refused.status_code == 422 and refused.json["errors"][field][0], (changed, refused.json)
    assert _count(app, demo, RegionalPlanVersion) == versions


def test_the_document_takes_the_bodies_and_answers_from_the_models():
    doc = document()
    post = doc["paths"][SETTLEMENTS]["post"]
    body = _component(post["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == set(SettlementIn.model_fields) and body["required"] == ["period"]
    assert body["additionalProperties"] is False and body["properties"]["period"]["pattern"] == YEAR_PATTERN
    answer = _component(post["responses"]["201"]["content"]["application/json"]["schema"])
    assert set(answer["properties"]) == set(SettlementModel.model_fields) == set(answer["required"])
    # The list answers JSON or the export; the id in the path is bounded as the app's converter bounds it.
    listing = doc["paths"][SETTLEMENTS]["get"]
    assert set(listing["responses"]["200"]["content"]) >= {"application/json", "text/csv"}
    assert [p["schema"] for p in listing["parameters"] if p["name"] == "initiative_id"] == [
        {"type": "integer", "minimum": 1, "maximum": limits.ID_MAX}]
    assert post["operationId"] != listing["operationId"]

    savings = doc["paths"]["/initiatives/{initiative_id}/savings-agreement"]["put"]
    body = _component(savings["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == set(SavingsAgreementIn.model_fields)
    assert (body["properties"]["key"]["minItems"], body["properties"]["key"]["maxItems"]) == (1, KEY_PARTS)

    pledge = doc["paths"]["/initiatives/{initiative_id}/co-funding"]["post"]
    body = _component(pledge["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == set(NewPledge.model_fields)
    answer = _component(pledge["responses"]["201"]["content"]["application/json"]["schema"])
    assert set(answer["properties"]) == set(CoFundingPledge.model_fields)
    code = doc["paths"]["/regions/{code}/plan"]["put"]["parameters"][0]
    assert code["schema"]["maxLength"] == limits.CODE
