"""The schema layer on the initiative, decision and follow-request routes: what the models refuse
never reaches the service (422 at the field's key, nothing stored), an unknown field is refused,
and the document's operations carry the models' request and response schemas."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.api.openapi import document
from innovatieregister.models import Decision, Initiative
from tests import flows
from tests.api.test_api import NEW

LINE = {"category": "care", "description": "8 bedden", "amount": "1055550.80"}


def _count(app, demo, model) -> int:
    with app.app_context():
        return demo.session.scalar(sa.select(sa.func.count(model.id)))


def _refused(response, *keys: str) -> dict:
    assert response.status_code == 422 and response.mimetype == "application/problem+json", response.get_json()
    errors = response.get_json()["errors"]
    assert set(errors) == set(keys), errors
    assert all(messages and all(messages) for messages in errors.values())  # each key says why
    return errors


def test_a_refused_initiative_is_a_422_at_the_rows_field_and_stores_nothing(app, api_as, demo):
    menzis = api_as("menzis@demo.nl")
    cases = [
        ({**NEW, "cost_lines": [LINE, {**LINE, "amount": "12,50"}]}, "cost_lines-2-amount"),  # not the API's notation
        ({**NEW, "cost_lines": [{**LINE, "category": "beds"}]}, "cost_lines-1-category"),
        ({**NEW, "goals": [{**NEW["goals"][0], "target_value": 2}]}, "goals-1-target_value"),  # a number, not text
        ({**NEW, "title": "x" * (limits.TITLE + 1)}, "title"),
        ({**NEW, "risk_level": True}, "risk_level"),  # strict: no bool for an integer
        ({**NEW, "cost_lines": [LINE] * (limits.COST_LINES + 1)}, "cost_lines"),
        ({**NEW, "lead_insurer": "VGZ"}, "lead_insurer"),  # not a field of the input: refused, not ignored
    ]
    for body, key in cases:
        _refused(menzis.post("/api/v1/initiatives", json=body), key)
    assert _count(app, demo, Initiative) == flows.DEMO_INITIATIVES


def test_an_unknown_provider_is_the_services_refusal(app, api_as, demo):
    """The model knows no providers: the service does, and says so at `providers`."""
    menzis = api_as("menzis@demo.nl")
    body = {**NEW, "providers": ["ZH-TWENTE", "VVT-TWENTE", "BESTAAT-NIET"]}  # two known: cross-institution
    errors = _refused(menzis.post("/api/v1/initiatives", json=body), "providers")
    assert "Kies alleen bestaande zorgaanbieders." in errors["providers"]
    assert _count(app, demo, Initiative) == flows.DEMO_INITIATIVES


def test_a_refused_decision_is_a_422_and_records_nothing(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    vgz = api_as("vgz@demo.nl")
    path = f"/api/v1/initiatives/{initiative_id}/decision"
    argument = {"criterion": "financial", "strength": 2, "explanation": "Budget."}
    _refused(vgz.post(path, json={"decision": "decline", "arguments": [argument, {**argument, "strength": True}]}),
             "arguments-2-strength")
    _refused(vgz.post(path, json={"decision": "decline", "arguments": [argument] * 11}), "arguments")
    _refused(vgz.post(path, json={"decision": "follow", "insurer": "CZ"}), "insurer")  # acts for its own insurer only
    assert _count(app, demo, Decision) == 0


def test_a_list_refuses_a_page_size_past_the_limit_and_an_unknown_parameter(api_as):
    vgz = api_as("vgz@demo.nl")
    _refused(vgz.get(f"/api/v1/follow-requests?per_page={limits.PER_PAGE_MAX + 1}"), "per_page")
    _refused(vgz.get("/api/v1/adoption-requests?insurer=VGZ"), "insurer")
    assert vgz.get(f"/api/v1/following?per_page={limits.PER_PAGE_MAX}").status_code == 200


def _schema(name: str) -> dict:
    return document()["components"]["schemas"][name]


def _body_and_answer(path: str, method: str, status: str) -> tuple[str, str]:
    operation = document()["paths"][path][method]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    answer = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return body, answer


def test_the_document_describes_the_routes_from_their_models():
    assert _body_and_answer("/initiatives", "post", "201") == ("InitiativeIn", "Initiative")
    assert _body_and_answer("/initiatives/{initiative_id}/decision", "post", "201") == (
        "DecisionIn", "FollowRequestDecision")
    assert _body_and_answer("/adoption-requests/{request_id}/decision", "post", "201") == (
        "DecisionIn", "FollowRequestDecision")
    initiative_in = _schema("InitiativeIn")
    assert initiative_in["additionalProperties"] is False
    assert set(initiative_in["required"]) == {"title", "region", "kind", "phase"}
    assert initiative_in["properties"]["title"]["maxLength"] == limits.TITLE
    assert initiative_in["properties"]["cost_lines"]["maxItems"] == limits.COST_LINES
    assert _schema("CostLineIn")["properties"]["description"]["maxLength"] == limits.LINE
    assert _schema("ArgumentIn")["properties"]["strength"] | {"minimum": 1, "maximum": 3} == \
        _schema("ArgumentIn")["properties"]["strength"]
    # Registering and deciding honour an Idempotency-Key, and say so.
    for path in ("/initiatives", "/initiatives/{initiative_id}/decision"):
        names = [p["name"] for p in document()["paths"][path]["post"]["parameters"]]
        assert "Idempotency-Key" in names, path
    follow_requests = document()["paths"]["/follow-requests"]["get"]
    per_page = next(p for p in follow_requests["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == limits.PER_PAGE_MAX
    # An id in a path is 1 to 2**31 - 1, as inputs.IdConverter matches it: anything else is a 404.
    initiative_id = document()["paths"]["/initiatives/{initiative_id}"]["get"]["parameters"][0]
    assert (initiative_id["name"], initiative_id["schema"]["minimum"], initiative_id["schema"]["maximum"]) == (
        "initiative_id", 1, limits.ID_MAX)
    # Nothing is described twice: the hand-written inputs these models replace are gone.
    assert not {"InitiativeInput", "DecisionInput", "AdoptionRequestInput", "WhatIfInput"} & set(
        document()["components"]["schemas"])
