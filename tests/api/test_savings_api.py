"""Shared savings in the API (issue 11, part 3): GET|PUT the agreement, GET the savings as JSON, CSV
and XLSX; every response checked against the OpenAPI document (tests/api/conftest.py)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from innovatieregister.exports import XLSX_MEDIA_TYPE
from innovatieregister.models import Initiative
from tests.savings_flows import LEAD, PROVIDER, measurable_draft, measure, opened_with_agreement, settle

BODY = {"baseline_annual_cost": "1200000.00", "explanation": "Vervangt klinische bedden.",
        "key": [{"party": "insurers", "percentage": "50"},
                {"party": "organisation", "organisation": "ZH-TWENTE", "percentage": "30"},
                {"party": "organisation", "organisation": "GEM-ENSCHEDE", "percentage": "20"}]}


def _goal_id(app, demo, initiative_id):
    with app.app_context():
        return demo.session.get(Initiative, initiative_id).goals[0].id


def test_the_lead_puts_the_agreement_and_reads_it_back(app, demo, api_as):
    initiative_id = measurable_draft(app, demo)
    lead = api_as(LEAD)
    assert lead.get(f"/api/v1/initiatives/{initiative_id}/savings-agreement").get_json() == {
        "may_edit": True, "agreement": None}
    body = {**BODY, "gates": [{"goal_id": _goal_id(app, demo, initiative_id), "minimum_value": "2000"}]}
    response = lead.call("PUT", f"/api/v1/initiatives/{initiative_id}/savings-agreement", json=body)
    assert response.status_code == 200
    agreement = response.get_json()["agreement"]
    assert agreement["baseline_annual_cost"] == "1200000.00" and not agreement["frozen"]
    assert agreement["gates"][0]["direction"] == "at_most" and agreement["gates"][0]["minimum_value"] == "2000"
    assert [(p["organisation"], p["percentage"]) for p in agreement["key"]] == [
        (None, "50"), ("ZH-TWENTE", "30"), ("GEM-ENSCHEDE", "20")]
    assert api_as(PROVIDER).get(f"/api/v1/initiatives/{initiative_id}/savings-agreement").get_json()[
        "agreement"] == agreement


def test_a_key_of_99_percent_is_a_422_with_the_error_at_the_key(app, demo, api_as):
    initiative_id = measurable_draft(app, demo)
    body = {**BODY, "key": [{"party": "insurers", "percentage": "99"}]}
    response = api_as(LEAD).call("PUT", f"/api/v1/initiatives/{initiative_id}/savings-agreement", json=body)
    assert response.status_code == 422
    assert "precies 100 %" in response.get_json()["errors"]["key"][0]
    response = api_as(PROVIDER).call("PUT", f"/api/v1/initiatives/{initiative_id}/savings-agreement", json=BODY)
    assert response.status_code == 403
    assert api_as(LEAD).get(f"/api/v1/initiatives/{initiative_id}/savings-agreement").get_json()["agreement"] is None


def test_the_savings_as_json_csv_and_xlsx(app, demo, api_as):
    initiative_id = opened_with_agreement(app, demo)
    measure(app, demo, initiative_id, "1900")
    settlement_id = settle(app, demo, initiative_id, "998000.00")
    lead = api_as(LEAD)
    [year] = lead.get(f"/api/v1/initiatives/{initiative_id}/savings").get_json()["items"]
    assert (year["settlement"], year["savings"], year["gate_met"], year["current"]) == (
        settlement_id, "202000.00", True, True)
    assert sum(Decimal(p["amount"]) for p in year["parties"]) == Decimal(year["savings"])
    insurers_part = next(Decimal(p["amount"]) for p in year["parties"] if p["party"] == "insurers")
    assert sum(Decimal(i["amount"]) for i in year["insurers"]) == insurers_part
    assert {i["insurer"] for i in year["insurers"]} == {"MENZIS", "VGZ"}

    response = lead.get(f"/api/v1/initiatives/{initiative_id}/savings", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert sorted(Decimal(r["Bedrag"].replace(",", ".")) for r in rows) == sorted(
        [Decimal(p["amount"]) for p in year["parties"]] + [Decimal(i["amount"]) for i in year["insurers"]])
    response = lead.get(f"/api/v1/initiatives/{initiative_id}/savings", headers={"Accept": XLSX_MEDIA_TYPE})
    assert response.mimetype == XLSX_MEDIA_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.max_row == len(rows) + 1
