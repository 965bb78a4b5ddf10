"""The JSON API: the observation-bed cycle, errors, and the contract with its OpenAPI document."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa

from innovatieregister.models import Decision, Initiative
from tests import flows

NEW = {
    "title": "Observatiebedden Twente-Zuid", "region": "ZK22", "kind": "jzojp_intervention", "phase": "scale_up",
    "providers": ["ZH-TWENTE", "VVT-TWENTE"], "innovation_type": "organisational",
    "cost_lines": [{"category": "care", "description": "8 bedden", "amount": "1055550.80",
                    "basis": "€ 361,49 × 365 × 8"}],
    "goals": [{"metric": "Verkeerde-beddagen", "baseline": "2900", "target": "1500", "target_date": "2028-12-31",
               "category": "capacity"}],
    "term_start": "2027-01-01", "term_end": "2030-01-01",
}


def test_the_openapi_document_is_public_and_is_openapi_3_1(api_as):
    response = api_as(None).client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"] == "3.1.0"


def test_without_a_token_every_call_is_a_401_problem(api_as):
    anonymous = api_as(None)
    for path in ("/api/v1/regions", "/api/v1/initiatives", "/api/v1/follow-requests"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = api_as(None)
    bad.token = "ir_not-a-real-token"
    assert bad.get("/api/v1/regions").status_code == 401


def test_a_revoked_token_stops_working(app, api_as, demo):
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token, revoke_token

    with app.app_context():
        token, raw = create_token(flows.user(demo, "cz@demo.nl"), "kort", clock.now())
        token_id = token.id
    api = api_as(None)
    api.token = raw
    assert api.get("/api/v1/regions").status_code == 200
    with app.app_context():
        revoke_token(flows.user(demo, "cz@demo.nl"), token_id, clock.now())
    assert api.get("/api/v1/regions").status_code == 401


def test_regions_carry_their_leads_and_criteria_their_weights(api_as):
    api = api_as("vgz@demo.nl")
    regions = api.get("/api/v1/regions").get_json()["items"]
    assert len(regions) == 31
    twente = next(r for r in regions if r["code"] == "ZK22")
    assert [lead["code"] for lead in twente["lead_insurers"]] == ["MENZIS", "ACHMEA"]
    assert twente["market_shares"]["illustrative"] is True
    criteria = api.get("/api/v1/criteria").get_json()
    assert criteria["threshold"] == 6
    assert {c["code"]: c["weight"] for c in criteria["items"]}["financial"] == 1


def test_the_observation_bed_cycle_through_the_api(app, api_as, demo):
    menzis = api_as("menzis@demo.nl")
    created = menzis.post("/api/v1/initiatives", json=NEW, headers={"Idempotency-Key": "reg-1"})
    assert created.status_code == 201
    initiative_id = created.get_json()["id"]
    assert created.get_json()["annual_budget"] == "1055550.80" and created.get_json()["status"] == "concept"
    again = menzis.post("/api/v1/initiatives", json=NEW, headers={"Idempotency-Key": "reg-1"})
    assert again.get_json()["id"] == initiative_id  # the same key registers nothing new

    preview = menzis.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()
    assert preview["frozen"] is False
    opened = menzis.post(f"/api/v1/initiatives/{initiative_id}/open")
    assert opened.status_code == 200 and opened.get_json()["status"] == "open"
    assert len(opened.get_json()["decisions"]) == 9

    vgz = api_as("vgz@demo.nl")
    queue = vgz.get("/api/v1/follow-requests").get_json()["items"]
    assert [item["initiative_id"] for item in queue] == [initiative_id]
    assert queue[0]["decision"] is None

    for email in ("achmea@demo.nl", "vgz@demo.nl", "cz@demo.nl"):
        response = api_as(email).post(f"/api/v1/initiatives/{initiative_id}/decision", json={"decision": "follow"})
        assert response.status_code == 201 and response.get_json()["state"] == "follows"
    weighty = api_as("dsw@demo.nl").post(f"/api/v1/initiatives/{initiative_id}/decision", json={
        "decision": "decline", "arguments": [
            {"criterion": "insufficient_evidence", "strength": 2, "explanation": "Geen effectmeting."},
            {"criterion": "overcapacity", "strength": 1, "explanation": "Genoeg bedden.",
             "evidence": "https://example.org/capaciteit"}]})
    assert weighty.status_code == 201
    assert weighty.get_json()["decision"]["score"] == 8 and weighty.get_json()["decision"]["weighty"] is True
    weak = api_as("asr@demo.nl").post(f"/api/v1/initiatives/{initiative_id}/decision", json={
        "decision": "decline", "arguments": [{"criterion": "financial", "strength": 3, "explanation": "Budget."}]})
    assert weak.get_json()["decision"]["insufficiently_substantiated"] is True

    shares = menzis.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()
    assert shares["frozen"] is True and shares["total"] == "1055550.80"
    assert shares["market_shares"]["peildatum"] == "2022-01-01"
    by_insurer = {s["insurer"]: s for s in shares["shares"]}
    assert sum(Decimal(s["amount"]) for s in shares["shares"]) == Decimal("1055550.80")
    total_insured = sum(s["insured"] for s in shares["shares"])
    for s in shares["shares"]:
        exact = Fraction(Decimal("1055550.80")) * s["insured"] / total_insured
        assert abs(Fraction(Decimal(s["amount"])) - exact) < Fraction(1, 100)
    followers = {"MENZIS", "ACHMEA", "VGZ", "CZ"}
    assert {k for k, s in by_insurer.items() if s["state"] == "follows"} == followers
    assert {k for k, s in by_insurer.items() if s["state"] == "declines"} == {"DSW", "ASR"}
    committed = sum(Decimal(by_insurer[k]["amount"]) for k in followers)
    assert Decimal(shares["committed"]) == committed
    assert Decimal(shares["gap"]) == Decimal("1055550.80") - committed
    assert shares["coverage"] == f"{committed / Decimal('1055550.80'):.4f}"

    detail = api_as("ziekenhuis@demo.nl").get(f"/api/v1/initiatives/{initiative_id}").get_json()
    flagged = {d["insurer"] for d in detail["decisions"] if d["decision"] and d["decision"]["insufficiently_substantiated"]}
    assert flagged == {"ASR"}


def test_decisions_stay_independent_in_the_api(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "achmea@demo.nl", "follow")
    cz = api_as("cz@demo.nl")
    before = {s["insurer"]: s["state"] for s in cz.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()["shares"]}
    assert before["ACHMEA"] == "hidden" and before["CZ"] == "undecided"
    committed_before = Decimal(cz.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()["committed"])
    cz.post(f"/api/v1/initiatives/{initiative_id}/decision", json={"decision": "follow"})
    after = cz.get(f"/api/v1/initiatives/{initiative_id}/cost-shares").get_json()
    assert {s["insurer"]: s["state"] for s in after["shares"]}["ACHMEA"] == "follows"
    # Before deciding, the totals did not give Achmea's follow away either.
    menzis_only = next(Decimal(s["amount"]) for s in after["shares"] if s["insurer"] == "MENZIS")
    assert committed_before == flows.CO_FUNDING + menzis_only  # Enschede's pledge and the lead


def test_bad_input_is_a_422_with_per_field_messages_and_changes_nothing(app, api_as, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    vgz = api_as("vgz@demo.nl")
    cases = [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "decline"}, "arguments"),
        ({"decision": "decline", "arguments": [{"criterion": "nope", "strength": 2, "explanation": "x"}]}, "arguments-1"),
        # The schema refuses these before the service: the key names the argument's field.
        ({"decision": "decline", "arguments": [{"criterion": "financial", "strength": 5, "explanation": "x"}]},
         "arguments-1-strength"),
        ({"decision": "decline", "arguments": [{"criterion": "financial", "strength": "2", "explanation": "x"}]},
         "arguments-1-strength"),
        ({"decision": "decline", "arguments": [{"criterion": "financial", "strength": 2, "explanation": ""}]},
         "arguments-1-explanation"),
        ({"decision": "follow", "arguments": [{"criterion": "financial", "strength": 2, "explanation": "x"}]}, "arguments"),
        ({"decision": 7}, "decision"),
    ]
    for body, field in cases:
        response = vgz.post(f"/api/v1/initiatives/{initiative_id}/decision", json=body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"], (body, response.get_json())
    not_json = vgz.post(f"/api/v1/initiatives/{initiative_id}/decision", data="{", content_type="application/json")
    assert not_json.status_code == 422 and "body" in not_json.get_json()["errors"]
    menzis = api_as("menzis@demo.nl")
    bad = menzis.post("/api/v1/initiatives", json={**NEW, "cost_lines": [{"category": "care", "description": "x",
                                                                        "amount": "1.001"}]})
    assert bad.status_code == 422 and "cost_lines-1-amount" in bad.get_json()["errors"]
    wrong_types = menzis.post("/api/v1/initiatives", json={**NEW, "title": 5, "providers": "ZH-TWENTE"})
    assert set(wrong_types.get_json()["errors"]) >= {"title", "providers"}
    assert menzis.get("/api/v1/initiatives?page=x").status_code == 422
    assert menzis.get("/api/v1/initiatives?status=bestaat-niet").status_code == 422
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == flows.DEMO_INITIATIVES


def test_a_non_lead_cannot_register_or_open_through_the_api(app, api_as, demo):
    initiative_id = flows.observation_beds_id(app, demo)
    vgz = api_as("vgz@demo.nl")
    refused = vgz.post("/api/v1/initiatives", json=NEW)
    assert refused.status_code == 403
    assert "Menzis, Achmea" in refused.get_json()["detail"]
    assert vgz.post(f"/api/v1/initiatives/{initiative_id}/open").status_code == 404  # a draft is not theirs to see
    provider = api_as("ziekenhuis@demo.nl")
    assert provider.post(f"/api/v1/initiatives/{initiative_id}/open").status_code == 403
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "concept"


def test_list_filters_and_pages(app, api_as, demo):
    flows.open_observation_beds(app, demo)
    menzis = api_as("menzis@demo.nl")
    for i in range(3):
        menzis.post("/api/v1/initiatives", json={**NEW, "title": f"Extra {i}"})
    page = menzis.get("/api/v1/initiatives?per_page=2&page=2").get_json()
    assert page["total"] == flows.DEMO_INITIATIVES + 3 and len(page["items"]) == 2 and page["page"] == 2
    open_only = menzis.get("/api/v1/initiatives?status=open&region=ZK22").get_json()
    assert [i["title"] for i in open_only["items"]] == ["Observatiebedden Twente"]
    assert menzis.get("/api/v1/initiatives?region=ZK09").get_json()["total"] == 0
    # Another insurer sees only what it is a party to: the opened one, not the drafts.
    assert api_as("vgz@demo.nl").get("/api/v1/initiatives").get_json()["total"] == 1
    assert api_as("ziekenhuis@demo.nl").get("/api/v1/initiatives").get_json()["total"] == flows.DEMO_INITIATIVES + 3


def test_the_contract_check_itself_catches_a_response_that_drifts_from_the_document(app):
    import pytest
    from jsonschema import ValidationError

    from tests.api.conftest import check_contract

    with app.test_request_context():
        from flask import jsonify

        drifted = jsonify({"total": 1055550.8, "committed": "0.00"})  # money as a float, fields missing
        drifted.status_code = 200
        with pytest.raises(ValidationError):
            check_contract("GET", "/api/v1/initiatives/1/cost-shares", drifted)
        undocumented = jsonify({})
        undocumented.status_code = 418
        with pytest.raises(AssertionError):
            check_contract("GET", "/api/v1/regions", undocumented)
