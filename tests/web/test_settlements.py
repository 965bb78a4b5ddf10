"""Settlement (nacalculatie, issue 11) on the web: the page for each party, the lead's proposal
with bad input at the field (422, nothing stored), contest and mediation through the forms, the
CSV/XLSX exports opened as finance staff would, and the use upload's all-or-nothing messages."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from innovatieregister.domain.funding import SettlementBasis, SettlementState
from innovatieregister.models import MediationCase
from innovatieregister.models.funding import Settlement, SettlementContest, UseReport
from tests.settlement_flows import CARE_OFFICE, FOLLOWER, LEAD, MUNICIPALITY, PROVIDER, YEAR, active_beds, propose

D = Decimal


def _count(app, db, model, initiative_id) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(
            model.initiative_id == initiative_id))


def test_the_lead_proposes_on_the_page_and_bad_amounts_stay_at_their_field(app, demo, client, auth):
    initiative_id = active_beds(app, demo)
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}/nacalculatie")
    assert page.status_code == 200 and "Nacalculatie voorstellen" in page.text
    refused = client.post(f"/initiatieven/{initiative_id}/nacalculatie",
                          data={"year": str(YEAR), "actual_costs-0": "veel", "actual_costs-1": "1,00"})
    assert refused.status_code == 422
    assert 'aria-invalid="true" aria-describedby="actual_costs-0-error"' in refused.text
    assert 'id="actual_costs-0-error"' in refused.text
    assert _count(app, demo, Settlement, initiative_id) == 0
    with app.app_context():
        from innovatieregister.models import Initiative

        count = len(demo.session.get(Initiative, initiative_id).cost_lines)
    form = {"year": str(YEAR), **{f"actual_costs-{n}": "1.000,50" for n in range(count)}}
    done = client.post(f"/initiatieven/{initiative_id}/nacalculatie", data=form, follow_redirects=True)
    assert done.status_code == 200 and "Voorgesteld" in done.text
    with app.app_context():
        settlement = demo.session.scalar(sa.select(Settlement).where(Settlement.initiative_id == initiative_id))
        assert settlement.actual_cost == D("1000.50") * count
    # A follower sees it and may contest; a provider sees it without the contest form.
    auth.login(FOLLOWER)
    assert "Bezwaar maken" in client.get(f"/initiatieven/{initiative_id}/nacalculatie").text
    auth.login(PROVIDER)
    seen = client.get(f"/initiatieven/{initiative_id}/nacalculatie").text
    assert "Voorgesteld" in seen and "Bezwaar maken" not in seen and "Nacalculatie voorstellen" not in seen


def test_contest_and_mediation_through_the_forms(app, demo, client, auth):
    initiative_id = active_beds(app, demo, pledge="10000.00")
    settlement_id = propose(app, demo, initiative_id)
    auth.login(MUNICIPALITY)
    assert client.get(f"/initiatieven/{initiative_id}/nacalculatie").status_code == 200
    empty = client.post(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bezwaar", data={"reasons": ""})
    assert empty.status_code == 422 and 'id="reasons-error"' in empty.text
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(SettlementContest.id)).where(
            SettlementContest.settlement_id == settlement_id)) == 0
    client.post(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bezwaar",
                data={"reasons": "=SOM(A1) Wij betalen pro rata.", "confirmed": "ja"})
    auth.login(FOLLOWER)
    client.post(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bezwaar", data={"reasons": "Ook wij.", "confirmed": "ja"})
    auth.login(LEAD)
    client.post(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bemiddeling",
                data={"statement": "Wij verschillen van inzicht over de medefinanciering."})
    with app.app_context():
        demo.session.expire_all()
        assert demo.session.get(Settlement, settlement_id).state == SettlementState.CONTESTED
        case = demo.session.scalar(sa.select(MediationCase).where(MediationCase.settlement_id == settlement_id))
        assert case is not None and case.reason == "settlement_contested"
        case_id = case.id
    auth.login("bemiddelaar@demo.nl")
    assert "Nacalculatie betwist" in client.get("/bemiddeling/").text
    case_page = client.get(f"/bemiddeling/{case_id}").text
    assert f'href="/initiatieven/{initiative_id}/nacalculatie"' in case_page
    # A contesting insurer is a party to the case; another insurer is not. (The contesting municipality
    # is too, in visibility.sees_case; its case page shows the initiative, which a co-funder sees once
    # part 1 of issue 11 adds it to the initiative's visibility.)
    for email, status in ((FOLLOWER, 200), ("cz@demo.nl", 404)):
        auth.login(email)
        assert client.get(f"/bemiddeling/{case_id}").status_code == status, email


def test_exports_open_in_the_csv_module_and_openpyxl(app, demo, client, auth):
    initiative_id = active_beds(app, demo, declines="DSW", pledge="10000.00")
    settlement_id = propose(app, demo, initiative_id, "998000.00")
    auth.login(FOLLOWER)
    response = client.get(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/export?formaat=csv")
    assert response.status_code == 200 and response.is_streamed
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    with app.app_context():
        settlement = demo.session.get(Settlement, settlement_id)
        expected = {line.insurer.code: line for line in settlement.lines}
        for row in body:
            if row[header.index("Soort")] != "zorgverzekeraar":
                continue
            line = expected.pop(row[header.index("Code")])
            assert D(row[header.index("Toegerekend")].replace(",", ".")) == line.allocated
            if line.funds:
                assert D(row[header.index("Saldo (+ betaalt bij, − krijgt terug)")].replace(",", ".")) == line.balance
            else:
                assert D(row[header.index("Ongedekt")].replace(",", ".")) == line.allocated
        assert expected == {}
        xlsx = client.get(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/export?formaat=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
        values = list(sheet.iter_rows(values_only=True))
        column = values[0].index("Toegerekend")
        numbers = [row[column] for row in values[1:] if row[values[0].index("Soort")] == "zorgverzekeraar"]
        assert numbers and all(isinstance(n, int | float) for n in numbers)  # numbers, not text
        assert round(sum(numbers), 2) == float(settlement.allocated)
    # The insurer that declined is no party to the settlement, nor is a care office without a pledge.
    for email in ("dsw@demo.nl", CARE_OFFICE):
        auth.login(email)
        assert client.get(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/export?formaat=csv"
                          ).status_code == 404, email


def test_a_use_upload_reports_every_bad_line_and_stores_nothing(app, demo, client, auth):
    initiative_id = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE)
    auth.login(PROVIDER)
    bad = io.BytesIO(b"verzekeraar;eenheden\nMENZIS;drie\nXYZ;4\n")
    response = client.post(f"/initiatieven/{initiative_id}/nacalculatie/gebruik",
                           data={"use_year": str(YEAR), "file": (bad, "gebruik.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Regel 2" in response.text and "Regel 3" in response.text
    assert _count(app, demo, UseReport, initiative_id) == 0
    good = io.BytesIO(b"verzekeraar;eenheden\nMENZIS;3\nVGZ;1\n")
    client.post(f"/initiatieven/{initiative_id}/nacalculatie/gebruik",
                data={"use_year": str(YEAR), "file": (good, "gebruik.csv")}, content_type="multipart/form-data")
    assert _count(app, demo, UseReport, initiative_id) == 1
    auth.login(LEAD)
    assert "Bevestigen" in client.get(f"/initiatieven/{initiative_id}/nacalculatie").text
