"""Settlement (nacalculatie, issue 11) through the API, every response checked against the OpenAPI
document: the issue's example body, the settlement as JSON and as CSV/XLSX by Accept, contest and
its withdrawal, mediation, use reports, and bad input per field with nothing stored."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from innovatieregister.domain.funding import SettlementBasis
from innovatieregister.exports import XLSX_MEDIA_TYPE
from innovatieregister.models.funding import Settlement
from tests.settlement_flows import FOLLOWER, LEAD, MUNICIPALITY, PROVIDER, YEAR, active_beds

D = Decimal


def _count(app, db, initiative_id) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Settlement.id)).where(Settlement.initiative_id == initiative_id))


def test_the_issues_example_on_actual_use(app, demo, api_as):
    initiative_id = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE, pledge="10000.00")
    lead = api_as(LEAD)
    body = {"period": str(YEAR), "actual_cost": "998000.00",
            "use": [{"insurer": "ACHMEA", "units": 412}, {"insurer": "MENZIS", "units": 588}]}
    created = lead.post(f"/api/v1/initiatives/{initiative_id}/settlements", json=body)
    assert created.status_code == 201, created.json
    s = created.json
    assert (s["period"], s["actual_cost"], s["co_funding"], s["state"]) == (str(YEAR), "998000.00", "10000.00",
                                                                            "proposed")
    lines = {line["insurer"]: line for line in s["lines"]}
    assert D(lines["ACHMEA"]["allocated"]) == D("988000.00") * 412 / 1000
    assert D(lines["MENZIS"]["allocated"]) == D("988000.00") * 588 / 1000
    assert sum(D(line["allocated"]) for line in s["lines"]) == D(s["allocated"]) == D("988000.00")
    for line in s["lines"]:
        assert D(line["balance"]) == (D(line["allocated"]) - D(line["advance"]) if line["funds"] else 0)
    # Every funding party and the co-funder read it; its JSON and export agree.
    for email in (FOLLOWER, MUNICIPALITY):
        read = api_as(email).get(f"/api/v1/initiatives/{initiative_id}/settlements/{s['id']}")
        assert read.status_code == 200 and read.json["lines"] == s["lines"]
    exported = api_as(FOLLOWER).get(f"/api/v1/initiatives/{initiative_id}/settlements/{s['id']}",
                                    headers={"Accept": "text/csv"})
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    assert {r["Code"]: r["Toegerekend"] for r in rows if r["Soort"] == "zorgverzekeraar"} == {
        code: line["allocated"].replace(".", ",") for code, line in lines.items()}
    listed = api_as(FOLLOWER).get(f"/api/v1/initiatives/{initiative_id}/settlements", headers={"Accept": XLSX_MEDIA_TYPE})
    sheet = openpyxl.load_workbook(io.BytesIO(listed.data)).active
    header = [c.value for c in sheet[1]]
    totals = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[header.index("Partij")] ==
              "Totaal zorgverzekeraars"]
    assert totals and totals[0][header.index("Toegerekend")] == 988000


def test_bad_input_per_field_and_nothing_stored(app, demo, api_as):
    initiative_id = active_beds(app, demo)
    with app.app_context():
        from innovatieregister.models import Initiative

        one_too_many = ["1.00"] * (len(demo.session.get(Initiative, initiative_id).cost_lines) + 1)
    lead = api_as(LEAD)
    for body, field in (({"period": "27", "actual_cost": "1.00"}, "period"),
                        ({"period": str(YEAR), "actual_cost": "1,00"}, "actual_cost"),
                        ({"period": str(YEAR), "actual_cost": "1.00", "use": [{"insurer": "ACHMEA", "units": 1}]},
                         "use"),
                        ({"period": str(YEAR - 1), "actual_cost": "1.00"}, "year"),
                        ({"period": str(YEAR), "cost_lines": one_too_many}, "actual_costs")):
        refused = lead.post(f"/api/v1/initiatives/{initiative_id}/settlements", json=body)
        assert refused.status_code == 422 and field in refused.json["errors"], (body, refused.json)
    assert _count(app, demo, initiative_id) == 0
    # Others may not propose: a follower is refused, a co-funder without a pledge does not see it.
    assert api_as(FOLLOWER).post(f"/api/v1/initiatives/{initiative_id}/settlements",
                                 json={"period": str(YEAR), "actual_cost": "1.00"}).status_code == 403
    assert api_as(MUNICIPALITY).post(f"/api/v1/initiatives/{initiative_id}/settlements",
                                     json={"period": str(YEAR), "actual_cost": "1.00"}).status_code == 404
    assert _count(app, demo, initiative_id) == 0


def test_contest_withdraw_and_mediation(app, demo, api_as):
    initiative_id = active_beds(app, demo)
    sid = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/settlements",
                            json={"period": str(YEAR), "actual_cost": "1000000.00"}).json["id"]
    base = f"/api/v1/initiatives/{initiative_id}/settlements/{sid}"
    follower = api_as(FOLLOWER)
    assert follower.post(f"{base}/contest", json={"reasons": ""}).status_code == 422
    contested = follower.post(f"{base}/contest", json={"reasons": "Te hoog."})
    assert contested.status_code == 201 and contested.json["state"] == "contested"
    assert follower.post(f"{base}/contest", json={"reasons": "Nog eens."}).status_code == 409
    withdrawn = follower.post(f"{base}/contest/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "proposed"
    assert follower.post(f"{base}/mediation", json={"statement": "x"}).status_code == 409  # not contested
    follower.post(f"{base}/contest", json={"reasons": "Toch te hoog."})
    case = api_as(LEAD).post(f"{base}/mediation", json={"statement": "Wij komen er niet uit."})
    assert case.status_code == 201 and case.json["reason"] == "settlement_contested"


def test_use_reports_of_a_provider_confirmed_by_the_lead(app, demo, api_as):
    initiative_id = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE)
    provider = api_as(PROVIDER)
    report = provider.post(f"/api/v1/initiatives/{initiative_id}/use-reports",
                           json={"period": str(YEAR), "use": [{"insurer": "VGZ", "units": 7}]})
    assert report.status_code == 201 and report.json["state"] == "submitted"
    assert provider.post(f"/api/v1/use-reports/{report.json['id']}/decision",
                         json={"decision": "confirm"}).status_code == 403
    lead = api_as(LEAD)
    assert lead.post(f"/api/v1/use-reports/{report.json['id']}/decision",
                     json={"decision": "reject"}).status_code == 422  # reasons required
    confirmed = lead.post(f"/api/v1/use-reports/{report.json['id']}/decision", json={"decision": "confirm"})
    assert confirmed.json["state"] == "confirmed"
    assert [r["state"] for r in lead.get(f"/api/v1/initiatives/{initiative_id}/use-reports").json["items"]] == [
        "confirmed"]
    s = lead.post(f"/api/v1/initiatives/{initiative_id}/settlements",
                  json={"period": str(YEAR), "actual_cost": "700.00"}).json
    assert {line["insurer"]: line["allocated"] for line in s["lines"] if line["units"]} == {"VGZ": "700.00"}
