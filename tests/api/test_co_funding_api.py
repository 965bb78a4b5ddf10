"""Co-funding and the exports through the API (issue 11), every response checked against the document."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from innovatieregister.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from tests import flows

LEAD, GEMEENTE, ZORGKANTOOR = "menzis@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl"


def test_the_lead_adds_a_pledge_and_the_co_funder_answers(app, api_as, demo):
    beds = flows.observation_beds_id(app, demo)
    menzis, kantoor = api_as(LEAD), api_as(ZORGKANTOOR)
    listed = kantoor.get(f"/api/v1/initiatives/{beds}/co-funding").get_json()["items"]
    waiting = next(p for p in listed if p["organisation"] == "ZKT-TWENTE")
    assert waiting["state"] == "proposed" and not waiting["counts"]
    assert waiting["note"] == "niet bevestigd: telt bij het openen niet mee"
    # The initiative itself says so, with its funding terms.
    detail = menzis.get(f"/api/v1/initiatives/{beds}").get_json()
    assert detail["funding_model"] == "budget" and detail["risk_level"] == 1
    assert detail["settlement_basis"] == "market_share" and detail["unit_price"] is None
    assert [p["note"] for p in detail["co_funding"] if p["organisation"] == "ZKT-TWENTE"] == [waiting["note"]]

    refused = menzis.post(f"/api/v1/initiatives/{beds}/co-funding", json={
        "organisation": "ZKT-TWENTE", "amount_per_year": "10.00"})
    assert refused.status_code == 422 and "organisation" in refused.get_json()["errors"]  # it has a live one
    assert api_as("vgz@demo.nl").post(f"/api/v1/initiatives/{beds}/co-funding", json={
        "organisation": "ZKT-TWENTE", "amount_per_year": "10.00"}).status_code == 404  # a draft: not theirs
    assert kantoor.post(f"/api/v1/co-funding/{waiting['id']}/decision", json={"decision": "decline"}).status_code == 422
    assert api_as(GEMEENTE).post(f"/api/v1/co-funding/{waiting['id']}/decision",
                                 json={"decision": "confirm"}).status_code == 403
    confirmed = kantoor.post(f"/api/v1/co-funding/{waiting['id']}/decision", json={"decision": "confirm"})
    assert confirmed.status_code == 200 and confirmed.get_json()["state"] == "confirmed"
    shares = menzis.get(f"/api/v1/initiatives/{beds}/cost-shares").get_json()
    assert Decimal(shares["co_funding"]) == Decimal("150000.00")
    assert Decimal(shares["insurers_total"]) == flows.BUDGET - Decimal("150000.00")
    assert sum(Decimal(s["amount"]) for s in shares["shares"]) == Decimal(shares["insurers_total"])
    # The lead edits (the co-funder must confirm again) and withdraws.
    edited = menzis.call("PUT", f"/api/v1/co-funding/{waiting['id']}", json={"amount_per_year": "40000.00"})
    assert edited.get_json()["state"] == "proposed" and edited.get_json()["amount_per_year"] == "40000.00"
    assert menzis.call("PUT", f"/api/v1/co-funding/{waiting['id']}", json={
        "amount_per_year": "1.00", "organisation": "GEM-ENSCHEDE"}).status_code == 422  # a pledge keeps its co-funder
    withdrawn = menzis.post(f"/api/v1/co-funding/{waiting['id']}/withdraw")
    assert withdrawn.get_json()["state"] == "withdrawn"


def test_after_opening_the_pledges_are_frozen_and_nothing_changes(app, api_as, demo):
    beds = flows.observation_beds_id(app, demo)
    menzis = api_as(LEAD)
    opened = menzis.post(f"/api/v1/initiatives/{beds}/open").get_json()
    by_code = {p["organisation"]: p for p in opened["co_funding"]}
    assert by_code["GEM-ENSCHEDE"]["frozen"] and by_code["GEM-ENSCHEDE"]["counts"]
    assert by_code["ZKT-TWENTE"]["state"] == "lapsed" and not by_code["ZKT-TWENTE"]["counts"]
    assert menzis.post(f"/api/v1/initiatives/{beds}/co-funding", json={
        "organisation": "ZKT-TWENTE", "amount_per_year": "10.00"}).status_code == 409
    assert menzis.post(f"/api/v1/co-funding/{by_code['GEM-ENSCHEDE']['id']}/withdraw").status_code == 409


def test_the_fair_shares_and_decisions_come_as_csv_and_xlsx_by_accept(app, api_as, demo):
    beds = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions="=1+1")
    menzis = api_as(LEAD)
    as_csv = menzis.get(f"/api/v1/initiatives/{beds}/cost-shares", headers={"Accept": CSV_MEDIA_TYPE})
    assert as_csv.mimetype == CSV_MEDIA_TYPE and as_csv.is_streamed
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True).removeprefix("\ufeff")), delimiter=";"))
    assert sum(Decimal(r[5].replace(",", ".")) for r in rows if r[0] == "Zorgverzekeraar") == flows.INSURERS_PART
    as_xlsx = menzis.get(f"/api/v1/initiatives/{beds}/decisions", headers={"Accept": XLSX_MEDIA_TYPE})
    assert as_xlsx.mimetype == XLSX_MEDIA_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.get_data())).active
    vgz = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "VGZ")
    assert vgz[7] == "volgt onder voorwaarden" and vgz[8] == "'=1+1"
    listed = menzis.get(f"/api/v1/initiatives/{beds}/decisions").get_json()["items"]
    assert {d["insurer"]: d["state"] for d in listed}["VGZ"] == "follows"
    # An insurer that has not decided sees no other insurer's state, in JSON or in a file.
    achmea = api_as("achmea@demo.nl")
    assert {d["insurer"]: d["state"] for d in achmea.get(f"/api/v1/initiatives/{beds}/decisions").get_json()[
        "items"]}["VGZ"] == "hidden"
    text = achmea.get(f"/api/v1/initiatives/{beds}/decisions", headers={"Accept": CSV_MEDIA_TYPE}).get_data(
        as_text=True)
    assert "=1+1" not in text and "volgt" not in text
