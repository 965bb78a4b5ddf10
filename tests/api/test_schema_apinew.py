"""The new routes of issue 14 are declared with the schema layer: the document's operation holds
the model's request and response schemas, and the model refuses what it does not describe."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.api.openapi import document
from innovatieregister.models import ApiToken, MediatorNote, User
from tests import flows

DOC = document()


def _schema(ref: dict) -> dict:
    return DOC["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def _body_schema(path: str) -> dict:
    return _schema(DOC["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"])


def test_the_document_has_the_models_request_and_response_schemas():
    note = _body_schema("/mediation-cases/{case_id}/notes")
    assert note["required"] == ["body"] and note["additionalProperties"] is False
    assert note["properties"]["body"]["maxLength"] == limits.TEXT
    assert set(_body_schema("/users")["properties"]["role"]["description"].split(", ")) == {
        "insurer_staff", "provider_staff", "mediator", "admin", "co_funder_staff"}
    token = _body_schema("/tokens")["properties"]["name"]
    assert token["maxLength"] == limits.TOKEN_NAME
    made = DOC["paths"]["/tokens"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert set(_schema(made)["required"]) == {"token", "secret"}
    page = DOC["paths"]["/notifications"]["get"]
    assert {p["name"]: p["schema"].get("maximum") for p in page["parameters"]}["per_page"] == limits.PER_PAGE_MAX
    listed = _schema(page["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"items", "unread", "next", "total"} <= set(listed["required"])
    case = _schema(DOC["paths"]["/mediation-cases/{case_id}"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"])
    assert case["additionalProperties"] is False and "notes" in case["properties"]
    finding = _schema(_body_schema("/mediation-cases/{case_id}/finding")["properties"]["finding"])
    assert finding["enum"] == ["decline_upheld", "follow_required", "settled"]


def test_a_refused_note_changes_nothing(app, demo, api_as):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _statement = flows.mediation_on_dsw(app, demo)
    mediator = api_as("bemiddelaar@demo.nl")
    for sent, key in (({"body": 12}, "body"), ({}, "body"), ({"body": "x", "private": True}, "private"),
                      ({"body": "x" * (limits.TEXT + 1)}, "body")):
        refused = mediator.post(f"/api/v1/mediation-cases/{case_id}/notes", json=sent)
        assert refused.status_code == 422 and refused.get_json()["errors"][key], sent
    assert mediator.post(f"/api/v1/mediation-cases/{case_id}/notes", json=["x"]).status_code == 422
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(MediatorNote.id))) == 0


def test_a_refused_token_or_user_changes_nothing(app, demo, api_as):
    vgz, admin = api_as("vgz@demo.nl"), api_as("beheerder@demo.nl")
    with app.app_context():
        before = (demo.session.scalar(sa.select(sa.func.count(ApiToken.id))),
                  demo.session.scalar(sa.select(sa.func.count(User.id))))
    assert vgz.post("/api/v1/tokens", json={"name": 1}).get_json()["errors"]["name"]
    assert vgz.post("/api/v1/tokens", json={"name": "x", "user": 3}).get_json()["errors"]["user"]  # a forged owner
    refused = admin.post("/api/v1/users", json={"email": "a@vgz.nl", "role": "insurer_staff"})
    assert refused.status_code == 422 and refused.get_json()["errors"]["organisation"]
    assert admin.post("/api/v1/users/1/password", json={"password": 123456789012}).get_json()["errors"]["password"]
    with app.app_context():
        assert before == (demo.session.scalar(sa.select(sa.func.count(ApiToken.id))),
                          demo.session.scalar(sa.select(sa.func.count(User.id))))
