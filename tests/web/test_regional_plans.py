"""Regional agreements on the web (issue 12): read by all, kept by the leads in versions; the
initiative form links to a theme; a decline on "no fit with the regional plan" shows the plan."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister.models import Initiative, RegionalPlanVersion
from innovatieregister.services import regional_plans
from innovatieregister.services.decisions import ArgumentInput
from innovatieregister.services.regional_plans import PlanInput
from tests import flows
from tests.web.test_initiatives import REGISTRATION, _providers

pytestmark = pytest.mark.usefixtures("demo")
PLAN = "/regios/ZK22/plan"
FIRST_THEME = "Passende zorg: de juiste zorg op de juiste plek"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _form_data(page: str) -> dict[str, str]:
    """The plan form as the browser would send it unchanged: every input, textarea and hidden field."""
    data = {}
    for name, value in re.findall(r'<input[^>]*?id="[^"]*"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', page):
        data.setdefault(name, html.unescape(value))
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(value).lstrip("\n")
    data.pop("dropped", None)
    return {k: v for k, v in data.items() if not k.endswith("-dropped")}


@pytest.mark.parametrize("email", ["cz@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl", "menzis@demo.nl"])
def test_everyone_reads_the_plan_with_its_themes_goals_and_history(client, auth, email):
    auth.login(email)
    page = _text(client.get(PLAN))
    assert "Regiobeeld" in page and "vergrijst" in page
    assert FIRST_THEME in page and "Periode 2023–2027" in page
    assert "Verkeerde-beddagen in de Twentse ziekenhuizen per jaar" in page  # a SMART goal
    assert "versie 1" in page
    assert ("Nieuwe versie opstellen" in page) is (email == "menzis@demo.nl")


def test_a_lead_saves_a_new_version_through_the_form_and_the_old_one_stays_readable(app, demo, client, auth):
    auth.login("achmea@demo.nl")  # the second lead of Twente
    form = client.get(f"{PLAN}/bewerken")
    assert form.status_code == 200
    data = _form_data(_text(form))
    assert data["based_on_version"] == "1" and data["themes-0-title"] == FIRST_THEME
    data.update({"regiobeeld": "Twente 2027: minder handen, meer ouderen.", "note": "Acute zorg toegevoegd",
                 "themes-4-title": "Acute zorg", "themes-4-start_year": "2027", "themes-4-end_year": "2030",
                 "themes-4-goals-0-metric": "Aanrijtijd ambulance binnen 15 minuten", "themes-4-goals-0-baseline": "91%",
                 "themes-4-goals-0-target": "95%", "themes-4-goals-0-target_date": "2030-12-31",
                 "themes-3-dropped": "y"})  # the fourth theme is dropped
    saved = client.post(f"{PLAN}/bewerken", data=data)
    assert saved.status_code == 302
    page = _text(client.get(PLAN))
    assert "Twente 2027: minder handen" in page and "Acute zorg" in page and "Aanrijtijd ambulance" in page
    assert "Arbeidsmarkt" not in page.split("Versies")[0]  # dropped from the current version
    assert "versie 2" in page and "(geldt)" in page
    old = _text(client.get(f"{PLAN}/versies/1"))
    assert "Arbeidsmarkt: minder administratie" in old and "Acute zorg" not in old.split("Versies")[0]
    assert "U leest versie 1" in old
    again = client.post(f"{PLAN}/bewerken", data=data)  # the same form sent twice: no third version
    assert again.status_code == 302
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(RegionalPlanVersion.id))) == 2


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(app, demo, client, auth):
    auth.login("menzis@demo.nl")
    data = _form_data(_text(client.get(f"{PLAN}/bewerken")))
    data.update({"themes-1-start_year": "2030", "themes-1-end_year": "2024", "themes-2-goals-0-target": ""})
    refused = client.post(f"{PLAN}/bewerken", data=data)
    assert refused.status_code == 422
    page = _text(refused)
    error = re.search(r'<p class="error" id="themes-1-end_year-error">(.*?)</p>', page, re.S)
    assert error and "eindjaar ligt niet voor het beginjaar" in error.group(1)
    assert re.search(r'id="themes-2-goals-0-target-error">.*?streefwaarde', page, re.S)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(RegionalPlanVersion.id))) == 1


@pytest.mark.parametrize("email", ["cz@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl"])
def test_others_may_not_edit(app, demo, client, auth, email):
    auth.login(email)
    assert client.get(f"{PLAN}/bewerken").status_code == 403
    assert client.post(f"{PLAN}/bewerken", data={"regiobeeld": "x"}).status_code == 403


def test_the_initiative_form_offers_the_themes_and_the_page_shows_the_one_chosen(app, demo, client, auth):
    with app.app_context():
        theme = regional_plans.themes_of_region(regional_plans.region_by_code("ZK22").id)[2]
        theme_id, theme_title = theme.theme_id, theme.title
    auth.login("menzis@demo.nl")
    form = _text(client.get("/initiatieven/nieuw"))
    assert f'<option value="{theme_id}">{theme_title}</option>' in form
    assert 'optgroup label="Twente (ZK22)"' in form
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, "providers": _providers(app, demo),
                                                        "theme": str(theme_id)})
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert f"#thema-{theme_id}\">{theme_title}</a>" in page
    # and the plan page lists it under its theme, for its lead
    plan = _text(client.get(PLAN))
    section = plan.split(f'id="thema-{theme_id}"')[1].split("</article>")[0]
    assert REGISTRATION["title"] in section


def test_a_theme_of_another_region_is_refused_next_to_the_field(app, demo, client, auth):
    with app.app_context():
        menzis = flows.user(demo, "menzis@demo.nl")
        regional_plans.save_plan(flows.user(demo, "beheerder@demo.nl"), "ZK27", PlanInput("Limburg.", [
            regional_plans.ThemeInput("Limburgs thema", 2025, 2027, goals=[
                regional_plans.GoalInput("m", "1", "2", "2027-12-31")])]), flows.TODAY)
        limburg = regional_plans.themes_of_region(regional_plans.region_by_code("ZK27").id)[0].theme_id
        assert menzis is not None
    auth.login("menzis@demo.nl")
    refused = client.post("/initiatieven/nieuw", data={**REGISTRATION, "providers": _providers(app, demo),
                                                       "theme": str(limburg)})
    assert refused.status_code == 422
    assert re.search(r'id="theme-error">.*?thema uit het regioplan van de gekozen regio', _text(refused), re.S)
    with app.app_context():
        assert demo.session.scalar(sa.select(Initiative.id).where(Initiative.title == REGISTRATION["title"])) is None


def test_a_draft_of_the_lead_is_not_listed_on_the_plan_for_others(app, demo, client, auth):
    auth.login("cz@demo.nl")
    page = _text(client.get(PLAN))
    assert "Observatiebedden Twente" not in page  # the demo's draft, linked to the first theme
    auth.login("menzis@demo.nl")
    assert "Observatiebedden Twente" in _text(client.get(PLAN))


def test_a_decline_on_regional_fit_shows_the_plan_version_it_was_made_under(app, demo, client, auth, frozen_clock):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    form = _text(client.get(f"/initiatieven/{initiative_id}/besluit"))
    hint = re.search(r'<p class="hint">Het criterium.*?</p>', form, re.S).group(0)
    assert "Past niet bij het regioplan" in hint and "regioplan Twente</a>" in hint and FIRST_THEME in hint
    assert 'href="/regios/ZK22/plan"' in hint  # the plan as it stands: what a decision made now refers to
    flows.decide(app, demo, "dsw@demo.nl", "decline", [ArgumentInput("no_regional_fit", 3, "Past niet in ons beeld.")])
    frozen_clock.advance(timedelta(hours=1))
    with app.app_context():  # the plan changes after the decision
        regional_plans.save_plan(flows.user(demo, "menzis@demo.nl"), "ZK22", PlanInput("Herzien.", [
            regional_plans.ThemeInput("Nieuw thema", 2027, 2030, goals=[
                regional_plans.GoalInput("m", "1", "2", "2030-12-31")])]), flows.TODAY)
    for email in ("dsw@demo.nl", "menzis@demo.nl"):
        auth.login(email)
        page = _text(client.get(f"/initiatieven/{initiative_id}"))
        row = re.search(r"<tr><td>Past niet bij het regioplan.*?</tr>", page, re.S).group(0)
        assert "Verwijst naar:" in row and 'href="/regios/ZK22/plan/versies/1"' in row
        assert "regioplan Twente, versie 1" in row and FIRST_THEME in row
    # Another criterion carries no reference.
    assert page.count("Verwijst naar:") == 1


def test_the_mediator_sees_the_plan_a_regional_fit_decline_refers_to(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", [ArgumentInput("no_regional_fit", 1, "Past niet.")])
    with app.app_context():
        from innovatieregister.services import mediation

        request_id = demo.session.scalar(sa.text(
            "SELECT fr.id FROM follow_requests fr JOIN organisations o ON o.id = fr.insurer_id WHERE o.code = 'DSW'"))
        case = mediation.request_mediation(flows.user(demo, "menzis@demo.nl"), initiative_id, "insufficient_decline",
                                           "Onvoldoende onderbouwd.", request_id)
        case_id = case.id
    auth.login("bemiddelaar@demo.nl")
    page = _text(client.get(f"/bemiddeling/{case_id}"))
    assert "Verwijst naar:" in page and "regioplan Twente, versie 1" in page and FIRST_THEME in page
