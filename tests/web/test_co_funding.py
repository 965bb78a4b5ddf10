"""Co-funding and the first exports on the web (issue 11): the co-funder answers in the app, the lead
is told before opening what will not count, the verdeelstaat and the decisions as CSV and XLSX that
a spreadsheet opens (and never runs), a large export streams, and the initiative prints on A4."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
from decimal import Decimal
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from innovatieregister.domain.funding import PledgeState
from innovatieregister.exports import Column, Kind, export_response
from innovatieregister.models import CoFundingPledge, Initiative, Organisation
from innovatieregister.services.decisions import ArgumentInput
from tests import flows
from tests.web.test_initiatives import REGISTRATION, _field_error, _providers

LEAD, GEMEENTE, ZORGKANTOOR = "menzis@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl"
INJECTION = '=HYPERLINK("http://evil.example","klik")'


def _care_office_pledge(app, db) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(CoFundingPledge.id).join(Organisation).where(
            Organisation.code == "ZKT-TWENTE"))


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _euro(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "."))


def test_the_co_funder_sees_its_waiting_pledge_and_confirms_it(app, client, auth, demo):
    beds = flows.observation_beds_id(app, demo)
    pledge = _care_office_pledge(app, demo)
    auth.login(ZORGKANTOOR)
    dashboard = client.get("/").get_data(as_text=True)
    assert "wachten" in dashboard and "Observatiebedden Twente" in dashboard and "€ 50.000,00" in dashboard
    page = client.get(f"/initiatieven/{beds}/medefinanciering").get_data(as_text=True)
    assert "Besluit vastleggen" in page
    # Declining without reasons: a Dutch message next to the field, nothing changed.
    refused = client.post(f"/medefinanciering/{pledge}/besluit", data={"decision": "decline", "reasons": ""})
    assert refused.status_code == 422
    assert "Geef de redenen waarom u afwijst." in _field_error(refused.get_data(as_text=True), f"reasons-{pledge}")
    with app.app_context():
        assert demo.session.get(CoFundingPledge, pledge).state == PledgeState.PROPOSED
    assert client.post(f"/medefinanciering/{pledge}/besluit",
                       data={"decision": "confirm", "confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(CoFundingPledge, pledge).state == PledgeState.CONFIRMED
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{beds}").get_data(as_text=True)
    assert "Zorgkantoor Twente (demo)" in page.split("Medefinanciers")[1]
    assert "Niet bevestigd: telt niet mee" not in page  # nothing waits any more


def test_the_lead_is_told_before_opening_what_will_not_count(app, client, auth, demo):
    beds = flows.observation_beds_id(app, demo)
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{beds}").get_data(as_text=True)
    warning = page.split("Niet bevestigd: telt niet mee")[1].split("</div>")[0]
    assert "Zorgkantoor Twente (demo)" in warning and "€ 50.000,00" in warning
    assert "Gemeente Enschede" not in warning  # confirmed: it counts
    # The preview already splits the budget less the confirmed co-funding.
    assert "€ 955.550,80" in page


def test_the_lead_adds_a_pledge_with_messages_next_to_the_fields(app, client, auth, demo):
    beds = flows.observation_beds_id(app, demo)
    auth.login(LEAD)
    too_much = client.post(f"/initiatieven/{beds}/medefinanciering", data={
        "organisation": "GEM-ENSCHEDE", "amount_per_year": "1.000.000,00"})
    assert too_much.status_code == 422
    html = too_much.get_data(as_text=True)
    assert "al een toezegging" in _field_error(html, "organisation")
    assert "niet te boven gaan" in _field_error(html, "amount_per_year")
    wrong = client.post(f"/initiatieven/{beds}/medefinanciering", data={"organisation": "", "amount_per_year": "abc"})
    assert "Kies een gemeente of zorgkantoor." in _field_error(wrong.get_data(as_text=True), "organisation")
    assert "geen bedrag" in _field_error(wrong.get_data(as_text=True), "amount_per_year")
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(CoFundingPledge.id))) == 2
    client.post(f"/medefinanciering/{_care_office_pledge(app, demo)}/intrekken")
    added = client.post(f"/initiatieven/{beds}/medefinanciering", data={
        "organisation": "ZKT-TWENTE", "amount_per_year": "75.000,00", "conditions": "Wlz", "pro_rata": "y"})
    assert added.status_code == 302
    with app.app_context():
        states = dict(demo.session.execute(sa.select(CoFundingPledge.amount_per_year, CoFundingPledge.state)).all())
        assert states[Decimal("75000.00")] == PledgeState.PROPOSED and states[Decimal("50000.00")] == "withdrawn"


def test_funding_terms_on_the_form_with_dutch_messages(app, client, auth, demo):
    auth.login(LEAD)
    data = {**REGISTRATION, "providers": _providers(app, demo), "funding_model": "price_volume",
            "unit_price": "361,49", "expected_volume": "", "risk_level": "2", "settlement_basis": "actual_use"}
    refused = client.post("/initiatieven/nieuw", data=data)
    assert refused.status_code == 422
    assert "verwachte volume" in _field_error(refused.get_data(as_text=True), "expected_volume")
    done = client.post("/initiatieven/nieuw", data={**data, "expected_volume": "2920"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Prijs × volume: € 361,49 × 2.920 eenheden per jaar" in page and "Niveau 2" in page
    assert "Werkelijk gebruik per verzekeraar" in page
    with app.app_context():
        created = demo.session.scalar(sa.select(Initiative).where(Initiative.title == REGISTRATION["title"]))
        assert created.annual_budget == flows.BUDGET and len(created.cost_lines) == 1
        assert created.cost_lines[0].basis == "€ 361,49 × 2.920"  # the derived line in Dutch figures
    edit = client.get(f"{done.headers['Location']}/bewerken").get_data(as_text=True)
    assert 'value="361,49"' in edit and 'value="2920"' in edit  # prefilled for editing the draft


def _opened_with_decisions(app, demo) -> int:
    beds = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions=INJECTION)
    flows.decide(app, demo, "dsw@demo.nl", "decline", [ArgumentInput("financial", 3, "Geheim-DSW-argument")])
    return beds


def test_the_verdeelstaat_as_csv_and_xlsx_adds_up_to_the_budget(app, client, auth, demo):
    beds = _opened_with_decisions(app, demo)
    auth.login(LEAD)
    rows = _csv_rows(client.get(f"/initiatieven/{beds}/verdeelstaat?formaat=csv"))
    assert rows[0] == ["Soort", "Partij", "Code", "Verzekerden", "Marktaandeel (%)", "Bedrag per jaar", "Stand"]
    co_funders = [r for r in rows if r[0] == "Medefinancier"]
    assert co_funders == [["Medefinancier", "Gemeente Enschede (demo)", "", "", "", "100000,00", "Bevestigd"]]
    insurers = [r for r in rows if r[0] == "Zorgverzekeraar"]
    assert len(insurers) == 10
    assert sum(_euro(r[5]) for r in insurers) == flows.INSURERS_PART
    # Each market share to four decimals, half up: together within ten half-units of 100%.
    assert abs(sum(Decimal(r[4].replace(",", ".")) for r in insurers) - 100) <= Decimal("0.0005")
    states = {r[2]: r[6] for r in insurers}
    # VGZ follows with conditions (issue 13: said so in the file too).
    assert states["VGZ"] == "volgt onder voorwaarden" and states["DSW"] == "wijst af"
    assert states["CZ"] == "nog geen besluit"
    totals = {r[1]: r[5] for r in rows if r[0] == "Totaal"}
    assert _euro(totals["Jaarbudget"]) == flows.BUDGET
    assert _euro(totals["Toegezegd"]) + _euro(totals["Financieringstekort"]) == flows.BUDGET

    xlsx = client.get(f"/initiatieven/{beds}/verdeelstaat?formaat=xlsx")
    assert xlsx.headers["Content-Disposition"] == f'attachment; filename="verdeelstaat-{beds}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data())).active
    amounts = [sheet.cell(row=r, column=6) for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value
               == "Zorgverzekeraar"]
    assert all(c.data_type == "n" and "€" in c.number_format for c in amounts)
    assert round(sum(Decimal(str(c.value)) for c in amounts), 2) == flows.INSURERS_PART


def test_the_decisions_export_shows_only_what_the_reader_may_see_and_runs_nothing(app, client, auth, demo):
    beds = _opened_with_decisions(app, demo)
    auth.login(LEAD)
    rows = _csv_rows(client.get(f"/initiatieven/{beds}/besluiten-export?formaat=csv"))
    vgz = next(r for r in rows if r[1] == "VGZ")
    assert vgz[8] == "'" + INJECTION  # conditions: shown as text, never run as a formula
    dsw = next(r for r in rows if r[1] == "DSW")
    assert dsw[7] == "wijst af" and dsw[13] and dsw[16] == "Geheim-DSW-argument"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/initiatieven/{beds}/besluiten-export?formaat=xlsx").get_data())).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.value, c.data_type) for c in cells] == [("'" + INJECTION, "s")]
    # Achmea has not decided: the others' decisions stay hidden in the file too, and so does the co-funder's.
    for email in ("achmea@demo.nl", GEMEENTE):
        auth.login(email)
        text = client.get(f"/initiatieven/{beds}/besluiten-export?formaat=csv").get_data(as_text=True)
        assert "Geheim-DSW-argument" not in text and "HYPERLINK" not in text
        assert "nog niet zichtbaar" in text


def test_a_large_export_streams_in_constant_memory(app):
    """The CSV is a generator over the rows: memory stays flat whatever their number."""
    columns = [Column("Partij"), Column("Bedrag", Kind.EURO)]

    def rows(n):
        return (("Verzekeraar " + str(i), Decimal(i) / 100) for i in range(n))

    def peak(n: int) -> tuple[int, int]:
        with app.test_request_context():
            response = export_response("csv", "groot", columns, rows(n))
            assert response.is_streamed
            tracemalloc.start()
            size = sum(len(chunk) for chunk in response.response)
            _, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return size, top

    small_size, small_peak = peak(20_000)
    large_size, large_peak = peak(200_000)
    assert large_size > 9 * small_size  # ten times the rows written
    assert large_peak < 2 * small_peak + 256 * 1024 and large_peak < 2 * 1024 * 1024  # not ten times the memory


def test_the_initiative_prints_on_a4_without_navigation(app, client, auth, demo):
    beds = flows.observation_beds_id(app, demo)
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{beds}").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/print.css" media="print">', page)
    css = client.get("/static/print.css").get_data(as_text=True)
    assert "size: A4" in css
    assert re.search(r"\.site-header nav[^{]*\{\s*display: none", css.replace("\n", " ")) or \
        ".site-header nav" in css.split("display: none")[0]
    assert re.search(r"tr, td, th \{[^}]*break-inside: avoid", css)
    assert 'content: " (" attr(href) ")"' in css
    assert Path(app.static_folder, "print.css").is_file()
