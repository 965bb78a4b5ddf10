"""The figures of a region, of its insurers and of the country (issue 12), checked against answers
worked out by hand on a fixture built for round numbers.

The fixture: a market-share set for Apeldoorn/Zutphen (ZK03) with Menzis 500, VGZ 300, CZ 150 and
DSW 50 insured (1,000 in all), so every share of a budget in whole hundreds is exact: Menzis 50%,
VGZ 30%, CZ 15%, DSW 5%. Menzis and VGZ lead (80% together). Menzis registers five initiatives:

  A  € 1.000 open;        CZ declines (insufficiently), VGZ follows on day 2; DSW has not decided
  B  € 2.000 partially;   CZ follows, VGZ declines weightily on day 2, DSW follows on day 2; deadlines passed
  C  €   400 concept
  D  €   100 open;        CZ follows; then every deadline of D lies in the past (VGZ, DSW overdue)
  E  €   200 mediation;   VGZ follows, DSW declines insufficiently on day 2; the lead asks for mediation

Day 0 is Monday 7 December 2026 (Amsterdam), day 2 Wednesday 9 December: two working days.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import FollowRequest, Initiative, Organisation
from innovatieregister.services import deadlines, decisions, initiatives, mediation
from innovatieregister.services.audit import Actor
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from innovatieregister.services.market_shares import import_market_shares
from tests import flows

LEAD, VGZ, CZ, DSW, MEDIATOR, ADMIN = ("menzis@demo.nl", "vgz@demo.nl", "cz@demo.nl", "dsw@demo.nl",
                                       "bemiddelaar@demo.nl", "beheerder@demo.nl")
REGION = "ZK03"
BUDGETS = {"A": "1000.00", "B": "2000.00", "C": "400.00", "D": "100.00", "E": "200.00"}


def _request(db, initiative_id: int, code: str) -> FollowRequest:
    return db.session.scalar(sa.select(FollowRequest).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                             .where(FollowRequest.initiative_id == initiative_id, Organisation.code == code))


@pytest.fixture
def region(app, demo, frozen_clock):
    """The five initiatives of the module's docstring; returns their ids by letter."""
    with app.app_context():
        import_market_shares(f"regio,verzekeraar,verzekerden\n{REGION},MENZIS,500\n{REGION},VGZ,300\n"
                             f"{REGION},CZ,150\n{REGION},DSW,50\n", flows.TODAY - timedelta(days=30),
                             "Testcijfers", Actor.command("test"), illustrative=True)
        lead = flows.user(demo, LEAD)
        ids = {}
        for letter, amount in BUDGETS.items():
            initiative = initiatives.register(lead, InitiativeInput(
                title=f"Cijferproef {letter}", region_code=REGION, kind="jzojp_intervention", phase="scale_up",
                # The demo's providers give care in Twente and Nijmegen, not here (the region rule).
                cross_institution_justification="Testcijfers: zonder zorgaanbieders in deze regio.",
                cost_lines=[CostLineInput("staff", "Personeel", amount)]), flows.TODAY)
            ids[letter] = initiative.id
            if letter != "C":
                initiatives.open_for_decisions(lead, initiative.id, flows.TODAY, clock.now())

        def decide(email, letter, kind, arguments=()):
            decisions.decide(flows.user(demo, email), ids[letter], kind, "", list(arguments), None, clock.today())

        decide(CZ, "A", "decline", flows.NOT_WEIGHTY)
        decide(CZ, "B", "follow")
        decide(CZ, "D", "follow")
        decide(VGZ, "E", "follow")
        frozen_clock.advance(timedelta(days=2))
        assert clock.today() == flows.TODAY + timedelta(days=2)
        decide(VGZ, "A", "follow")
        decide(VGZ, "B", "decline", flows.WEIGHTY)
        decide(DSW, "B", "follow")
        decide(DSW, "E", "decline", flows.NOT_WEIGHTY)
        for code in ("VGZ", "CZ", "DSW"):
            request = _request(demo, ids["B"], code)
            deadlines.pass_deadline(request.id, request.deadline + timedelta(days=1))
            _request(demo, ids["D"], code).deadline = flows.TODAY - timedelta(days=1)
        demo.session.commit()
        mediation.request_mediation(lead, ids["E"], "insufficient_decline", "DSW onderbouwt onvoldoende.",
                                    _request(demo, ids["E"], "DSW").id)
        assert demo.session.get(Initiative, ids["B"]).status == "partially_funded"
        assert demo.session.get(Initiative, ids["E"]).status == "in_mediation"
    return ids


def _get(client, auth, email, path):
    auth.login(email)
    response = client.get(path)
    assert response.status_code == 200, (email, path, response.status_code)
    return response


def _api(app, demo, client, email, path):
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        token = create_token(flows.user(demo, email), "cijfers", clock.now())[1]
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, (email, path, response.status_code, response.get_data(as_text=True))
    from tests.api.conftest import check_contract

    check_contract("GET", path, response)
    return response.get_json()


def _titles(html: str) -> set[str]:
    return {letter for letter in BUDGETS if f"Cijferproef {letter}<" in html}


# The region ---------------------------------------------------------------------------------------

def test_the_region_figures_as_the_lead_sees_them(app, demo, client, region):
    # Committed per initiative: Menzis' 50% plus the followers' shares (VGZ 30%, CZ 15%, DSW 5%).
    committed = {"A": 500 + 300, "B": 1000 + 300 + 100, "D": 50 + 15, "E": 100 + 60}
    budget = 1000 + 2000 + 100 + 200
    figures = _api(app, demo, client, LEAD, f"/api/v1/regions/{REGION}/dashboard")
    assert figures["funding"] == {"initiatives": 4, "annual_budget": f"{budget}.00",
                                  "committed": f"{sum(committed.values())}.00",
                                  "gap": f"{budget - sum(committed.values())}.00",
                                  "coverage": f"{Decimal(sum(committed.values())) / budget:.4f}"}
    assert {row["status"]: (row["initiatives"], row["annual_budget"]) for row in figures["by_status"]} == {
        "concept": (1, "400.00"), "open": (2, "1100.00"), "partially_funded": (1, "2000.00"),
        "in_mediation": (1, "200.00")}
    assert {row["reason"]: (row["initiatives"], row["gap"]) for row in figures["stalled"]} == {
        "termijn": (1, f"{100 - committed['D']}.00"), "gedeeltelijk": (1, f"{2000 - committed['B']}.00"),
        "bemiddeling": (1, f"{200 - committed['E']}.00")}
    assert figures["stalled_gap"] == f"{100 - committed['D'] + 2000 - committed['B'] + 200 - committed['E']}.00"
    assert [(t["theme"], t["initiatives"]) for t in figures["themes"]] == [(None, 4)]


def test_every_region_figure_links_to_the_initiatives_behind_it(app, demo, client, auth, region):
    page = _get(client, auth, LEAD, f"/regios/{REGION}").get_data(as_text=True)
    # The chart says what it shows in words too: its title and a description with every figure.
    assert '<svg role="img" aria-labelledby="states-title states-desc"' in page
    # An open initiative by its own label (issue 13; it read as a mediation case's "Aangevraagd").
    assert "Open voor besluiten: 2." in page and "In bemiddeling: 1." in page and "Aangevraagd" not in page
    expected = {
        f"/initiatieven/?regio={REGION}&amp;financiering=lopend": {"A", "B", "D", "E"},
        f"/initiatieven/?regio={REGION}&amp;status=open": {"A", "D"},
        f"/initiatieven/?regio={REGION}&amp;status=concept": {"C"},
        f"/initiatieven/?regio={REGION}&amp;vastgelopen=termijn": {"D"},
        f"/initiatieven/?regio={REGION}&amp;vastgelopen=gedeeltelijk": {"B"},
        f"/initiatieven/?regio={REGION}&amp;vastgelopen=bemiddeling": {"E"},
        f"/initiatieven/?regio={REGION}&amp;vastgelopen=alle": {"B", "D", "E"},
    }
    for link, letters in expected.items():
        assert f'href="{link}"' in page, link
        assert _titles(client.get(link.replace("&amp;", "&")).get_data(as_text=True)) == letters, link


def test_the_region_tables_download_with_the_same_figures(app, demo, client, auth, region):
    response = _get(client, auth, LEAD, f"/regios/{REGION}?formaat=csv&tabel=vastgelopen")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["Vastgelopen", "Initiatieven", "Jaarbudget", "Toegezegd", "Tekort"]
    assert [(r[1], r[4]) for r in rows[1:]] == [("1", "35,00"), ("1", "600,00"), ("1", "40,00")]
    xlsx = _get(client, auth, LEAD, f"/regios/{REGION}?formaat=xlsx&tabel=status")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet") and xlsx.get_data()[:2] == b"PK"
    assert client.get(f"/regios/{REGION}?formaat=pdf").status_code == 422
    assert client.get(f"/regios/{REGION}?formaat=csv&tabel=geheim").status_code == 422


def test_an_insurer_that_has_not_decided_counts_the_hidden_decisions_as_undecided(app, demo, client, region):
    """DSW has not decided on A (deadline ahead): VGZ's follow there is hidden from it. On E, DSW
    declined, so it sees everything (and, a party to the case, the mediation)."""
    figures = _api(app, demo, client, DSW, f"/api/v1/regions/{REGION}/dashboard")
    committed = {"A": 500, "B": 1000 + 300 + 100, "D": 50 + 15, "E": 100 + 60}
    assert figures["funding"]["committed"] == f"{sum(committed.values())}.00"
    # CZ on E has not decided and is no party to the case: E shows as open, VGZ's follow hidden.
    figures = _api(app, demo, client, CZ, f"/api/v1/regions/{REGION}/dashboard")
    assert {row["status"]: row["initiatives"] for row in figures["by_status"]} == {"open": 3, "partially_funded": 1}
    assert figures["funding"]["committed"] == f"{800 + 1400 + 65 + 100}.00"
    assert {row["reason"] for row in figures["stalled"]} == {"termijn", "gedeeltelijk"}


# Per insurer --------------------------------------------------------------------------------------

# By hand from the docstring: (asked, decided, follows, declines, in time, late, overdue now,
# insufficiently substantiated, follow rate, median working days to a first decision).
PER_INSURER = {
    "VGZ": (4, 3, 2, 1, 3, 0, 1, 0, "0.6667", "2.0000"),  # A and B on day 2, E on day 0: median 2
    "CZ": (4, 3, 2, 1, 2, 1, 0, 1, "0.6667", "0.0000"),  # D decided after the deadline that was moved back
    "DSW": (4, 2, 1, 1, 2, 0, 1, 1, "0.5000", "2.0000"),
}
FACETS = ("asked", "decided", "follows", "declines", "in_time", "late", "overdue", "insufficient")


@pytest.mark.parametrize("email", [LEAD, MEDIATOR, ADMIN])
def test_the_figures_per_insurer(app, demo, client, region, email):
    figures = _api(app, demo, client, email, f"/api/v1/dashboards/insurers?region={REGION}")
    found = {item["insurer"]: (*(item[f] for f in FACETS), item["follow_rate"],
                               item["median_working_days_to_decision"]) for item in figures["items"]}
    assert found == PER_INSURER


def test_every_per_insurer_figure_links_to_its_initiatives(app, demo, client, auth, region):
    page = _get(client, auth, LEAD, f"/cijfers/verzekeraars?regio={REGION}").get_data(as_text=True)
    expected = {("CZ", "telaat"): {"D"}, ("CZ", "onvoldoende"): {"A"}, ("DSW", "onvoldoende"): {"E"},
                ("DSW", "verlopen"): {"D"}, ("VGZ", "verlopen"): {"D"}, ("VGZ", "gevolgd"): {"A", "E"},
                ("VGZ", "afgewezen"): {"B"}, ("DSW", "besloten"): {"B", "E"}}
    for (code, facet), letters in expected.items():
        link = f"/initiatieven/?verzekeraar={code}&amp;verzoek={facet}&amp;regio={REGION}"
        assert f'href="{link}"' in page, link
        assert _titles(client.get(link.replace("&amp;", "&")).get_data(as_text=True)) == letters, link
    assert client.get("/initiatieven/?verzekeraar=VGZ&verzoek=geheim").status_code == 302  # refused, said why
    download = client.get(f"/cijfers/verzekeraars?regio={REGION}&formaat=csv").get_data(as_text=True)
    rows = {r[1]: r for r in csv.reader(io.StringIO(download.lstrip("\ufeff")), delimiter=";")}
    assert rows["VGZ"][2:6] == ["4", "3", "2", "1"] and rows["VGZ"][6] == "66,7"


def test_only_the_regions_leads_see_its_figures_per_insurer(app, demo, client, auth, region):
    auth.login(CZ)  # CZ does not lead Apeldoorn/Zutphen
    assert client.get(f"/cijfers/verzekeraars?regio={REGION}").status_code == 403
    auth.login(VGZ)  # VGZ does, with Menzis
    assert client.get(f"/cijfers/verzekeraars?regio={REGION}").status_code == 200


# The country --------------------------------------------------------------------------------------

def test_the_national_overview_side_by_side_and_sorted(app, demo, client, auth, region):
    figures = _api(app, demo, client, MEDIATOR, "/api/v1/dashboards/national?sort=-vastgelopen")
    assert len(figures["items"]) == 31
    first = figures["items"][0]
    assert first["region"] == REGION  # the only region with stalled euros
    assert (first["initiatives"], first["committed"], first["stalled_gap"], first["in_mediation"]) == (
        4, f"{800 + 1400 + 65 + 160}.00", f"{35 + 600 + 40}.00", 1)
    # All decisions in ZK03: 0, 0, 0, 0 (day 0) and 2, 2, 2, 2 (day 2): median 1.
    assert first["median_working_days_to_decision"] == "1.0000"
    names = [i["name"] for i in _api(app, demo, client, MEDIATOR, "/api/v1/dashboards/national?sort=regio")["items"]]
    assert names == sorted(names)
    page = _get(client, auth, ADMIN, "/cijfers/landelijk?sorteer=-dekking").get_data(as_text=True)
    assert "<svg" in page and "<title" in page and 'aria-sort="descending"' in page
    assert f'href="/initiatieven/?regio={REGION}&amp;vastgelopen=alle"' in page
    assert client.get("/cijfers/landelijk?sorteer=geheim").status_code == 422
    download = client.get("/cijfers/landelijk?sorteer=-vastgelopen&formaat=csv").get_data(as_text=True)
    assert download.lstrip("\ufeff").splitlines()[1].startswith("Apeldoorn/Zutphen;ZK03;4;3300,00;2425,00;875,00")



def test_the_menu_leads_the_mediator_and_admins_to_the_national_overview(app, demo, client, auth):
    for email, shown in ((MEDIATOR, True), (ADMIN, True), (LEAD, False), ("ziekenhuis@demo.nl", False)):
        page = _get(client, auth, email, "/").get_data(as_text=True)
        assert ('href="/cijfers/landelijk"' in page) is shown, email


def test_the_region_figures_per_theme_of_the_regional_plan(app, demo, client, auth):
    """Twente's plan: the observation beds (open) serve "Passende zorg", the home monitoring no theme.
    Per theme: the initiatives, their budget, and the link to the list behind it."""
    from innovatieregister.models.regional_plan import RegionalTheme
    from innovatieregister.services.demo import OBSERVATION_THEME

    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        budget = initiative.annual_budget
        theme_id = demo.session.scalar(sa.select(RegionalTheme.id).where(RegionalTheme.title == OBSERVATION_THEME))
        assert initiative.theme_id == theme_id
    figures = _api(app, demo, client, "menzis@demo.nl", "/api/v1/regions/ZK22/dashboard")  # the beds' lead
    auth.login("menzis@demo.nl")
    served = [t for t in figures["themes"] if t["theme"] == theme_id]
    assert [(t["name"], t["initiatives"], t["annual_budget"]) for t in served] == [(OBSERVATION_THEME, 1, str(budget))]
    listed = client.get(f"/initiatieven/?regio=ZK22&thema={theme_id}").get_data(as_text=True)
    assert "Observatiebedden Twente" in listed and "Thuismonitoring hartfalen" not in listed
