"""The shared-savings page (issue 11, part 3): the lead records the agreement with Dutch messages next
to the fields; the parties and the co-funders the key names see each year's savings; CSV and XLSX."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from innovatieregister.models.funding import SavingsAgreement, SavingsResult
from tests.savings_flows import (
    CARE_OFFICE,
    LEAD,
    MUNICIPALITY,
    PROVIDER,
    measurable_goal,
    measure,
    opened_with_agreement,
    settle,
)


def _form(goal_id: int, percentages=("50", "30", "20")) -> dict:
    parties = ("insurers", "ZH-TWENTE", "GEM-ENSCHEDE")
    data = {"baseline_annual_cost": "1.200.000,00", "explanation": "Vervangt klinische bedden.",
            "gates-0-goal_id": str(goal_id), "gates-0-minimum_value": "2000"}
    for n, (party, percentage) in enumerate(zip(parties, percentages, strict=True)):
        data[f"key-{n}-party"], data[f"key-{n}-percentage"] = party, percentage
    return data


def _agreement(app, db, initiative_id):
    with app.app_context():
        return db.session.scalar(sa.select(SavingsAgreement).where(SavingsAgreement.initiative_id == initiative_id))


def test_the_lead_records_the_agreement_on_the_page(app, demo, client, auth):
    initiative_id, goal_id = measurable_goal(app, demo)
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}")
    assert f"/initiatieven/{initiative_id}/besparingen" in page.get_data(as_text=True)
    form = client.get(f"/initiatieven/{initiative_id}/besparingen")
    assert form.status_code == 200 and "Afspraak vastleggen" in form.get_data(as_text=True)
    response = client.post(f"/initiatieven/{initiative_id}/besparingen", data=_form(goal_id))
    assert response.status_code == 302
    shown = client.get(f"/initiatieven/{initiative_id}/besparingen").get_data(as_text=True)
    assert "€ 1.200.000,00" in shown and "hoogstens 2.000 beddagen" in shown
    assert "Gemeente Enschede (demo)" in shown and "20%" in shown
    assert _agreement(app, demo, initiative_id).baseline_annual_cost == Decimal("1200000.00")


def test_a_key_that_does_not_add_up_to_100_gets_a_dutch_message_next_to_the_field(app, demo, client, auth):
    initiative_id, goal_id = measurable_goal(app, demo)
    auth.login(LEAD)
    response = client.post(f"/initiatieven/{initiative_id}/besparingen", data=_form(goal_id, ("50", "30", "19,5")))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    # In the key's fieldset, not only above the form.
    assert re.search(r'<p class="error" id="key-error">[^<]*<span[^>]*>Fout:</span> De percentages van de '
                     r'verdeelsleutel tellen op tot 99,5 %; dat moet precies 100 % zijn\.</p>', body)
    response = client.post(f"/initiatieven/{initiative_id}/besparingen", data=_form(goal_id, ("50", "30", "twintig")))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="key-2-percentage-error"' in body and "geen getal" in body  # at the third row's cell
    assert _agreement(app, demo, initiative_id) is None


def test_a_provider_sees_the_agreement_but_may_not_record_it(app, demo, client, auth):
    initiative_id, goal_id = measurable_goal(app, demo)
    auth.login(PROVIDER)
    page = client.get(f"/initiatieven/{initiative_id}/besparingen")
    assert page.status_code == 200 and "Afspraak vastleggen" not in page.get_data(as_text=True)
    assert client.post(f"/initiatieven/{initiative_id}/besparingen", data=_form(goal_id)).status_code == 403
    assert _agreement(app, demo, initiative_id) is None


def _settled(app, demo) -> int:
    initiative_id = opened_with_agreement(app, demo)
    measure(app, demo, initiative_id, "1900")
    settle(app, demo, initiative_id, "998000.00")
    return initiative_id


def test_the_parties_and_the_named_co_funder_see_the_years_savings(app, demo, client, auth):
    initiative_id = _settled(app, demo)
    for email in (LEAD, PROVIDER, MUNICIPALITY):
        auth.login(email)
        body = client.get(f"/initiatieven/{initiative_id}/besparingen").get_data(as_text=True)
        assert "€ 202.000,00" in body and "€ 40.400,00" in body, email  # the savings; the municipality's 20 %
        auth.logout()
    auth.login(CARE_OFFICE)  # a co-funder the key does not name
    assert client.get(f"/initiatieven/{initiative_id}/besparingen").status_code == 404


def test_the_export_opens_in_the_csv_module_and_openpyxl_with_the_stored_figures(app, demo, client, auth):
    initiative_id = _settled(app, demo)
    with app.app_context():
        result = demo.session.scalar(sa.select(SavingsResult))
        stored = sorted(line.amount for line in result.lines)
    auth.login(LEAD)
    response = client.get(f"/initiatieven/{initiative_id}/besparingen?formaat=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], rows[1:]
    amount = header.index("Bedrag")
    assert sorted(Decimal(r[amount].replace(",", ".")) for r in lines) == stored
    assert {r[header.index("Partij")] for r in lines} >= {"Zorgverzekeraars samen", "Gemeente Enschede (demo)",
                                                          "Menzis", "VGZ"}
    response = client.get(f"/initiatieven/{initiative_id}/besparingen?formaat=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    amount = values[0].index("Bedrag")
    assert sorted(Decimal(str(r[amount])).quantize(Decimal("0.01")) for r in values[1:]) == stored
    assert all(isinstance(r[amount], int | float) for r in values[1:])  # numbers, not text
    assert "€" in sheet.cell(row=2, column=amount + 1).number_format


def test_an_insurer_that_may_not_see_the_others_decisions_sees_no_insurers_part(app, demo, client, auth):
    initiative_id = _settled(app, demo)
    auth.login("achmea@demo.nl")  # asked, undecided, its deadline still runs
    body = client.get(f"/initiatieven/{initiative_id}/besparingen").get_data(as_text=True)
    assert "€ 202.000,00" in body and "— VGZ" not in body and "— Menzis" not in body
    auth.logout()
    auth.login(LEAD)
    assert "— VGZ" in client.get(f"/initiatieven/{initiative_id}/besparingen").get_data(as_text=True)


def test_the_page_and_the_api_make_as_many_queries_for_five_versions_of_a_year_as_for_one(app, demo, client, auth):
    from tests.conftest import statements_sent
    from tests.web.test_query_counts import MAX_QUERIES

    initiative_id = _settled(app, demo)
    auth.login(LEAD)
    urls = [f"/initiatieven/{initiative_id}/besparingen", f"/initiatieven/{initiative_id}/besparingen?formaat=csv"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with statements_sent(app, demo, queries_only=True) as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        return found

    one = counts()
    for version in range(2, 6):  # four corrections, each with its own result and lines
        settle(app, demo, initiative_id, f"{990000 + version}.00", version=version)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(SavingsResult)) == 5
    assert counts() == one
    assert max(one) <= MAX_QUERIES
