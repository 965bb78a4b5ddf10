"""Start-up and scale-up, and evaluated success driving spreading, through the web (issue 10)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, FollowRequest, Initiative, Organisation
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput, register
from tests import flows


def _start_up_draft(app, demo) -> int:
    with app.app_context():
        providers = demo.session.scalars(sa.select(Organisation.id).where(
            Organisation.code.in_(["ZH-TWENTE", "VVT-TWENTE"]))).all()
        return register(flows.user(demo, "menzis@demo.nl"), InitiativeInput(
            title="Slimme medicijndoos", region_code="ZK22", kind="innovation", phase="start_up",
            provider_ids=providers, cost_lines=[CostLineInput("ict", "Doosjes", "5000.00")]), flows.TODAY).id


def _requests(app, demo, initiative_id: int) -> int:
    with app.app_context():
        return demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(
            FollowRequest.initiative_id == initiative_id))


def test_a_start_up_innovation_shows_why_it_is_not_opened_and_opening_it_is_refused(app, client, auth, demo):
    draft = _start_up_draft(app, demo)
    auth.login("menzis@demo.nl")
    page = client.get(f"/initiatieven/{draft}").get_data(as_text=True)
    assert "opstartfase kent geen volgplicht" in page
    assert "Open voor besluiten</button>" not in page  # no button that can only be refused
    refused = client.post(f"/initiatieven/{draft}/openen", follow_redirects=True)
    html = refused.get_data(as_text=True)
    assert "onderscheidend vermogen op innovatie in de opstartfase en afstemming in de opschalingsfase" in html
    assert _requests(app, demo, draft) == 0
    with app.app_context():
        assert demo.session.get(Initiative, draft).status == "concept"
    # A scale-up innovation keeps its button.
    observation_beds = flows.observation_beds_id(app, demo)
    assert "Open voor besluiten</button>" in client.get(f"/initiatieven/{observation_beds}").get_data(as_text=True)


def test_the_lead_confirms_the_move_to_scale_up_and_the_region_is_asked(app, client, auth, demo):
    running = flows.monitored_innovation_id(app, demo)
    auth.login("menzis@demo.nl")
    page = client.get(f"/initiatieven/{running}").get_data(as_text=True)
    assert f'href="/initiatieven/{running}/opschalen"' in page
    confirm = client.get(f"/initiatieven/{running}/opschalen").get_data(as_text=True)
    assert "Op koers" in confirm and "Na twee jaar zijn de heropnames gedaald" in confirm  # what it rests on
    assert "Bevestig: naar de opschalingsfase" in confirm and "volgverzoek" in confirm
    assert _requests(app, demo, running) == 0  # looking changes nothing
    done = client.post(f"/initiatieven/{running}/opschalen")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/initiatieven/{running}")
    after = client.get(f"/initiatieven/{running}").get_data(as_text=True)
    assert "is in de opschalingsfase" in after and "Opschalingsfase" in after
    assert f'href="/initiatieven/{running}/opschalen"' not in after
    assert _requests(app, demo, running) > 0
    timeline = client.get(f"/initiatieven/{running}/tijdlijn").get_data(as_text=True)
    assert "Naar de opschalingsfase: het volgbeleid is van toepassing" in timeline


def test_the_confirmation_page_says_why_a_move_is_not_possible_and_offers_none(app, client, auth, demo):
    running = flows.monitored_innovation_id(app, demo)
    flows.add_evaluation(app, demo, running, "behind")
    auth.login("menzis@demo.nl")
    page = client.get(f"/initiatieven/{running}/opschalen").get_data(as_text=True)
    assert "Nog niet mogelijk" in page and "de laatste evaluatie zegt &#39;Achter op schema&#39;" in page
    assert "Bevestig: naar de opschalingsfase" not in page
    refused = client.post(f"/initiatieven/{running}/opschalen")
    assert refused.status_code == 409 and "Achter op schema" in refused.get_data(as_text=True)
    assert _requests(app, demo, running) == 0
    flows.add_evaluation(app, demo, running, "on_track", "baseline")  # later, but it measures no result
    page = client.get(f"/initiatieven/{running}/opschalen").get_data(as_text=True)
    assert "<strong>Achter op schema</strong> (periodieke meting" in page
    assert "Bevestig: naar de opschalingsfase" not in page


def _registry_row(html: str, title: str) -> str:
    return re.search(rf">{title}</a>.*?</tr>", html, re.S).group(0)


def test_the_registry_shows_the_latest_verdict_and_filters_on_evaluated_success(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    auth.login("achmea@demo.nl")  # a lead elsewhere, party to neither
    page = client.get("/register/").get_data(as_text=True)
    row = _registry_row(page, "Thuismonitoring hartfalen Twente")
    assert "Op koers" in row and "3 van 3 doelen gemeten, gemiddeld" in row and "van de weg naar de streefwaarde" in row
    assert "nog niet geëvalueerd" in _registry_row(page, "Observatiebedden Twente")
    successful = client.get("/register/?evaluatie=succesvol").get_data(as_text=True)
    assert "Thuismonitoring hartfalen Twente" in successful and "Observatiebedden Twente" not in successful
    assert "(1 initiatieven)" in successful
    unknown = client.get("/register/?evaluatie=ja&fase=start_up", follow_redirects=True).get_data(as_text=True)
    assert "Onbekende evaluatie" in unknown and "Thuismonitoring hartfalen Twente" in unknown  # shown without it


def test_the_adoption_page_shows_the_origins_evaluations(app, client, auth, demo):
    running = flows.monitored_innovation_id(app, demo)
    auth.login("vgz@demo.nl")
    page = client.get(f"/register/{running}").get_data(as_text=True)
    evaluations = page.split('id="evaluations-title"')[1].split("</section>")[0]
    assert "Op koers" in evaluations and "Periodieke meting" in evaluations
    assert "Na twee jaar zijn de heropnames gedaald van 24% naar 18,9%" in evaluations
    assert "confirm_without_positive_evaluation" not in page  # successful: nothing to confirm


def test_adopting_an_unproven_innovation_needs_the_checkbox_and_the_draft_says_so(app, client, auth, demo):
    running = flows.monitored_innovation_id(app, demo)
    flows.add_evaluation(app, demo, running, "not_achieved")
    auth.login("vgz@demo.nl")
    page = client.get(f"/register/{running}").get_data(as_text=True)
    assert 'type="checkbox"' in page and "niet positief geëvalueerd" in page
    with app.app_context():
        count = demo.session.scalar(sa.select(sa.func.count(Initiative.id)))
    refused = client.post(f"/register/{running}/overnemen", data={"region": "ZK16"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    field = html.split('class="field checkbox field-error"')[1].split("</div>")[0]  # the message at its field
    assert "Deze innovatie is niet positief geëvalueerd" in field and "Doelen niet behaald" in field
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == count
    adopted = client.post(f"/register/{running}/overnemen",
                          data={"region": "ZK16", "confirm_without_positive_evaluation": "y"})
    assert adopted.status_code == 302
    copy = int(re.search(r"/initiatieven/(\d+)/bewerken", adopted.headers["Location"]).group(1))
    assert "Overgenomen zonder positieve evaluatie" in client.get(f"/initiatieven/{copy}").get_data(as_text=True)
    with app.app_context():
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.adopt",
                                                                AuditEntry.object_id == str(copy)))
        assert entry.after["adopted_without_positive_evaluation"] is True
