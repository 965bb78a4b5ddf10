"""A refused form comes back as it was typed, each message next to its field, with a 422."""

from __future__ import annotations

import html as html_lib
import re

import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.models import FollowRequest, MediationCase, MediatorNote, StatementRequest
from tests import flows
from tests.conftest import count_rows
from tests.web.test_adoption import IMPACT


def _error_next_to(html: str, field_id: str) -> str:
    """The message shown next to a field (the `field` macro's `<id>-error`), '' when none."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return html_lib.unescape(found.group(1)) if found else ""


def _marked(html: str, field_id: str) -> bool:
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    return bool(tag) and 'aria-invalid="true"' in tag.group(0)


def _textarea(html: str, field_id: str) -> str:
    found = re.search(rf'<textarea[^>]*\bid="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', html, re.S)
    return html_lib.unescape(found.group(1)).strip() if found else ""


def _adoptions(app, demo) -> int:
    with app.app_context():
        return demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(FollowRequest.kind == "adoption"))


# 1. The adoption request -----------------------------------------------------------------------

def test_a_refused_adoption_request_marks_each_field_and_keeps_what_was_typed(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("ziekenhuis@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/overnameverzoek",
                           data={**IMPACT, "insurer": "ASR", "impact_volume": "veel", "impact_by": "volgend jaar"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef een aantal van 1 tot en met" in _error_next_to(html, "impact_volume") and _marked(html, "impact_volume")
    assert "dd-mm-jjjj" in _error_next_to(html, "impact_by") and _marked(html, "impact_by")
    assert _error_next_to(html, "impact_description") == "" and not _marked(html, "impact_description")
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "Verbeter de gemarkeerde velden" in summary and "Geef een aantal" in summary  # the summary stays
    assert _textarea(html, "impact_description") == IMPACT["impact_description"]
    assert 'value="veel"' in html and '<option selected value="ASR">' in html
    assert _adoptions(app, demo) == 0


def test_an_adoption_request_to_the_lead_is_refused_next_to_the_insurer(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("ziekenhuis@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/overnameverzoek", data={**IMPACT, "insurer": "MENZIS"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "heeft deze afspraak zelf gemaakt" in _error_next_to(html, "insurer") and _marked(html, "insurer")
    assert _adoptions(app, demo) == 0


# 2. Mediation ----------------------------------------------------------------------------------

def _case(app, demo, ask_statement_of: str | None = None) -> tuple[int, int | None]:
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    return flows.mediation_on_dsw(app, demo, ask_statement_of=ask_statement_of)


def test_a_refused_mediator_note_comes_back_typed_next_to_its_field(app, client, auth, demo):
    case_id, _ = _case(app, demo)
    auth.login("bemiddelaar@demo.nl")
    typed = "x" * (limits.TEXT + 1)
    response = client.post(f"/bemiddeling/{case_id}/notitie", data={"body": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De notitie is te lang" in _error_next_to(html, "body") and _marked(html, "body")
    assert _textarea(html, "body") == typed
    assert "Geen notitie opgeslagen." in html.split('class="error-summary"')[1]
    with app.app_context():
        assert count_rows(demo, MediatorNote) == 0


def test_a_refused_statement_request_and_finding_keep_their_input(app, client, auth, demo):
    case_id, _ = _case(app, demo)
    auth.login("bemiddelaar@demo.nl")
    asked = client.post(f"/bemiddeling/{case_id}/zienswijze", data={"party": "ZZ", "question": "Hoeveel bedden?"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422
    assert "Kies een partij" in _error_next_to(html, "party") and _marked(html, "party")
    assert _textarea(html, "question") == "Hoeveel bedden?" and _error_next_to(html, "question") == ""
    assert _textarea(html, "reasoning") == "" and _textarea(html, "body") == ""  # the other forms start empty

    found = client.post(f"/bemiddeling/{case_id}/bevinding", data={"finding": "decline_upheld", "reasoning": " "})
    html = found.get_data(as_text=True)
    assert found.status_code == 422
    assert "Onderbouw de bevinding." in _error_next_to(html, "reasoning") and _marked(html, "reasoning")
    assert re.search(r'<input checked[^>]*value="decline_upheld"', html)
    bad_choice = client.post(f"/bemiddeling/{case_id}/bevinding", data={"reasoning": "Gegrond."}).get_data(as_text=True)
    assert "Kies een bevinding." in _error_next_to(bad_choice, "finding") and _textarea(bad_choice, "reasoning") == "Gegrond."
    with app.app_context():
        assert count_rows(demo, StatementRequest) == 0
        assert demo.session.get(MediationCase, case_id).state == "in_progress"


def test_a_refused_answer_comes_back_typed_and_never_shows_the_notes(app, client, auth, demo):
    case_id, statement_id = _case(app, demo, ask_statement_of="DSW")
    auth.login("bemiddelaar@demo.nl")
    client.post(f"/bemiddeling/{case_id}/notitie", data={"body": "GEHEIME NOTITIE"})
    auth.login("dsw@demo.nl")
    typed = "y" * (limits.TEXT + 1)
    response = client.post(f"/bemiddeling/zienswijzen/{statement_id}", data={"answer": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    field_id = f"answer-{statement_id}"
    assert "De zienswijze is te lang" in _error_next_to(html, field_id) and _marked(html, field_id)
    assert _textarea(html, field_id) == typed
    assert "GEHEIME NOTITIE" not in html and "Notities" not in html
    with app.app_context():
        assert demo.session.get(StatementRequest, statement_id).answered_at is None


def test_a_refused_request_for_mediation_marks_the_statement_and_keeps_the_choices(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    auth.login("menzis@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/bemiddeling",
                           data={"reason": "insufficient_decline", "statement": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Leg uit waarom" in _error_next_to(html, "statement") and _marked(html, "statement")
    assert '<option selected value="insufficient_decline">' in html
    with app.app_context():
        assert count_rows(demo, MediationCase) == 0


# The other forms -------------------------------------------------------------------------------

def test_a_refused_token_name_and_criterion_are_marked_next_to_their_fields(client, auth, demo):
    auth.login("menzis@demo.nl")
    token = client.post("/profiel", data={"name": ""})
    assert token.status_code == 422 and "Geef het token een naam" in _error_next_to(token.get_data(as_text=True), "name")
    auth.login("beheerder@demo.nl")
    criterion = client.post("/beheer/criteria", data={"new-code": "lang", "new-name": "x" * 201, "new-weight": "1"})
    html = criterion.get_data(as_text=True)
    assert criterion.status_code == 422 and "De naam is te lang" in _error_next_to(html, "new-name")
    assert _marked(html, "new-name")


def test_a_refused_threshold_comes_back_typed_next_to_its_field(client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = client.post("/beheer/drempel", data={"t-threshold": "nul"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "geheel getal van 1 tot en met 100" in _error_next_to(html, "t-threshold") and 'value="nul"' in html


def test_a_refused_adoption_into_a_region_is_marked_next_to_the_region(app, client, auth, demo):
    source_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")
    response = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK22"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "loopt al in Twente" in _error_next_to(html, "region") and _marked(html, "region")
    assert "Niet overgenomen." in html.split('class="error-summary"')[1]
