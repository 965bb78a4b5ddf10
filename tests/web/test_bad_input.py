"""Bad input, through the web and the API: refused with a Dutch message, nothing changed, never a 500.
And when the database does fail, the error page rolls back first and asks it nothing more."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from innovatieregister import limits
from innovatieregister.models import AuditEntry, Decision, FollowRequest, Initiative, MediatorNote
from tests import flows
from tests.api.conftest import check_contract
from tests.conftest import count_rows

ROOT = Path(__file__).resolve().parents[2]
HUGE = "99999999999999999999"


def _tokens(app, demo, email: str) -> dict:
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        _, raw = create_token(flows.user(demo, email), "test", clock.now())
    return {"Authorization": f"Bearer {raw}"}


def _changes(app, demo) -> tuple[int, ...]:
    with app.app_context():
        return tuple(count_rows(demo, model) for model in (Initiative, Decision, FollowRequest, AuditEntry))


# Integers beyond the columns ------------------------------------------------------------------

@pytest.mark.parametrize("path", [f"/initiatieven/{HUGE}", "/initiatieven/2147483648", "/initiatieven/0",
                                  f"/initiatieven/{'9' * 5000}", "/register/2147483648",
                                  f"/bemiddeling/{HUGE}/tijdlijn"])
def test_an_id_beyond_the_id_column_is_a_dutch_404_page(client, auth, demo, path):
    auth.login("menzis@demo.nl")
    response = client.get(path)
    assert response.status_code == 404 and "Niet gevonden" in response.get_data(as_text=True)


def test_every_route_bounds_its_integer_ids(app):
    from werkzeug.routing.converters import NumberConverter

    from innovatieregister.inputs import IdConverter

    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()
                  if isinstance(c, NumberConverter)]
    assert len(converters) > 10 and all(isinstance(c, IdConverter) and c.max == limits.ID_MAX and c.min == 1
                              for c in converters)


@pytest.mark.parametrize("path", ["/api/v1/initiatives/2147483648", f"/api/v1/initiatives/{HUGE}/cost-shares",
                                  "/api/v1/adoption-requests/2147483648/decision"])
def test_an_id_beyond_the_id_column_is_a_404_problem_in_the_api(app, client, demo, path):
    method = "POST" if path.endswith("decision") else "GET"
    response = client.open(path, method=method, json={"decision": "follow"}, headers=_tokens(app, demo, "vgz@demo.nl"))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("page", [HUGE, "2147483648", "-3", "twee", "0"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, auth, demo, page):
    auth.login("menzis@demo.nl")
    assert client.get(f"/initiatieven/?pagina={page}").status_code == 200
    assert client.get(f"/register/?pagina={page}").status_code == 200


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", f"page={HUGE}", "page=0", "page=x",
                                   "status=", "status=bestaat_niet", f"region={'x' * 61}"])
def test_api_list_parameters_outside_the_document_are_a_422(app, client, demo, query):
    response = client.get(f"/api/v1/initiatives?{query}", headers=_tokens(app, demo, "menzis@demo.nl"))
    check_contract("GET", "/api/v1/initiatives", response)
    assert response.status_code == 422
    assert response.get_json()["errors"]


def test_an_adoption_volume_beyond_the_column_is_a_422(app, client, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    headers = _tokens(app, demo, "ziekenhuis@demo.nl")
    before = _changes(app, demo)
    response = client.post(f"/api/v1/initiatives/{initiative_id}/adoption-requests", headers=headers,
                           json={"insurer": "ASR", "impact": {"description": "Beddagen", "volume": 2**31,
                                                              "unit": "bed_days", "by": "2027-12-31"}})
    check_contract("POST", f"/api/v1/initiatives/{initiative_id}/adoption-requests", response)
    assert response.status_code == 422 and "impact-volume" in response.get_json()["errors"]
    assert _changes(app, demo) == before


# Control characters ---------------------------------------------------------------------------

def test_a_nul_byte_in_a_form_field_is_refused_in_dutch_naming_the_field_and_stores_nothing(
        app, client, auth, demo):
    auth.login("menzis@demo.nl")
    before = _changes(app, demo)
    response = client.post("/initiatieven/nieuw", data={"title": "Bedden", "description": "Acht\x00bedden",
                                                        "region": "ZK22", "kind": "innovation"},
                           headers={"Referer": "http://localhost/initiatieven/nieuw"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # The label the person saw, not the internal key; and a way back to the form.
    assert "<li>Beschrijving: Het veld bevat een teken dat niet is toegestaan" in html
    assert "description:" not in html
    assert '<a href="/initiatieven/nieuw">Terug naar het formulier</a>' in html
    assert _changes(app, demo) == before


def test_a_nul_byte_in_a_row_or_a_prefixed_form_is_named_by_its_label(client, auth, demo):
    auth.login("menzis@demo.nl")
    row = client.post("/initiatieven/nieuw", data={"title": "Bedden", "cost_lines-1-description": "a\x00"})
    assert row.status_code == 422 and "<li>Omschrijving (regel 1): Het veld" in row.get_data(as_text=True)
    auth.login("beheerder@demo.nl")
    prefixed = client.post("/beheer/criteria", data={"new-code": "x", "new-name": "b\x00"},
                           headers={"Referer": "https://elders.example/beheer/criteria"})
    html = prefixed.get_data(as_text=True)
    assert prefixed.status_code == 422 and "<li>Naam: Het veld" in html
    assert "Terug naar het formulier" not in html  # never a link back to another site


@pytest.mark.parametrize("path", ["/initiatieven/?regio=ZK%0022", "/register/?q=bed%00den", "/inloggen?next=%00"])
def test_a_nul_byte_in_a_query_string_is_refused(client, auth, demo, path):
    auth.login("menzis@demo.nl")
    response = client.get(path)
    assert response.status_code == 422 and "niet is toegestaan" in response.get_data(as_text=True)


def test_a_nul_byte_at_log_in_is_refused_not_sent_to_the_database(client, demo):
    response = client.post("/inloggen", data={"email": "menzis@demo.nl\x00", "password": "x"})
    assert response.status_code == 422


def test_a_nul_byte_anywhere_in_an_api_body_is_a_422_naming_the_field(app, client, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    headers = _tokens(app, demo, "dsw@demo.nl")
    before = _changes(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/decision"
    response = client.post(path, headers=headers, json={
        "decision": "decline", "arguments": [{"criterion": "financial", "strength": 2, "explanation": "Geen\x00geld"}]})
    check_contract("POST", path, response)
    assert response.status_code == 422
    assert "arguments-1-explanation" in response.get_json()["errors"]
    assert _changes(app, demo) == before


# Lengths and keys -----------------------------------------------------------------------------

def test_an_idempotency_key_longer_than_its_column_is_a_422(app, client, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    headers = _tokens(app, demo, "dsw@demo.nl")
    before = _changes(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/decision"
    response = client.post(path, json={"decision": "follow"}, headers={**headers, "Idempotency-Key": "k" * 65})
    check_contract("POST", path, response)
    assert response.status_code == 422 and "Idempotency-Key" in response.get_json()["errors"]
    assert _changes(app, demo) == before


def test_a_form_idempotency_key_longer_than_its_column_is_refused(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    before = _changes(app, demo)
    response = client.post(f"/initiatieven/{initiative_id}/besluit",
                           data={"decision": "follow", "idempotency_key": "k" * 65})
    assert response.status_code == 422
    assert _changes(app, demo) == before


def test_a_200000_character_explanation_is_refused_in_the_api(app, client, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    headers = _tokens(app, demo, "dsw@demo.nl")
    before = _changes(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/decision"
    response = client.post(path, headers=headers, json={
        "decision": "decline", "arguments": [{"criterion": "financial", "strength": 2, "explanation": "x" * 200_000}]})
    check_contract("POST", path, response)
    assert response.status_code == 422
    assert "te lang (maximaal 5000 tekens)" in " ".join(response.get_json()["errors"]["arguments-1-explanation"])
    assert _changes(app, demo) == before


def test_follow_conditions_over_the_limit_are_refused(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    before = _changes(app, demo)
    response = client.post(f"/initiatieven/{initiative_id}/besluit",
                           data={"decision": "follow", "conditions": "x" * (limits.TEXT + 1)})
    assert response.status_code == 422 and "De voorwaarden is te lang" in response.get_data(as_text=True)
    assert _changes(app, demo) == before


def test_a_criterion_name_over_200_characters_is_refused_next_to_the_field(app, client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = client.post("/beheer/criteria", data={"new-code": "lang", "new-name": "x" * 201, "new-weight": "1"})
    assert response.status_code == 422
    assert "De naam is te lang (maximaal 200 tekens)." in response.get_data(as_text=True)


def test_a_mediator_note_over_the_limit_is_refused(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    page = client.post(f"/bemiddeling/{case_id}/notitie", data={"body": "x" * (limits.TEXT + 1)},
                       follow_redirects=True).get_data(as_text=True)
    assert "De notitie is te lang" in page
    with app.app_context():
        assert count_rows(demo, MediatorNote) == 0


def test_deeply_nested_json_is_a_422_problem_not_a_crash(app, client, demo):
    body = "[" * 100_000 + "]" * 100_000  # Python's parser recurses on this until it gives up
    for path in ("/api/v1/initiatives", "/api/v1/initiatives/1/decision"):
        response = client.post(path, data=body, content_type="application/json",
                               headers=_tokens(app, demo, "menzis@demo.nl"))
        assert response.status_code == 422 and response.mimetype == "application/problem+json", path
    nested = "diep"
    for _ in range(limits.JSON_DEPTH):
        nested = [nested]
    headers = _tokens(app, demo, "menzis@demo.nl")
    too_deep = client.post("/api/v1/initiatives", json={"title": nested}, headers=headers)
    assert too_deep.status_code == 422 and list(too_deep.get_json()["errors"]) == ["body"]
    deep_enough = client.post("/api/v1/initiatives", json={"title": nested[0]}, headers=headers)
    assert deep_enough.status_code == 422 and "body" not in deep_enough.get_json()["errors"]


# Enum query parameters ------------------------------------------------------------------------

@pytest.mark.parametrize("parameter", ["soort", "fase", "bewijs"])
def test_an_unknown_registry_filter_is_named_in_dutch_and_left_out(client, auth, demo, parameter):
    auth.login("menzis@demo.nl")
    response = client.get(f"/register/?{parameter}=x&regio=ZK22")
    assert response.status_code == 302
    assert f"{parameter}=" not in response.headers["Location"] and "regio=ZK22" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "een filter heeft een onbekende waarde" in page and "kies uit" in page


# Long words wrap ------------------------------------------------------------------------------

def test_the_stylesheet_wraps_long_words_in_the_content():
    css = (ROOT / "innovatieregister" / "static" / "style.css").read_text("utf-8")
    rule = re.search(r"(^|\n)main, \.messages \{([^}]*)\}", css)
    assert rule and "overflow-wrap: anywhere" in rule.group(2)


# A database error -----------------------------------------------------------------------------

def test_a_database_error_rolls_back_shows_a_generic_page_with_headers_and_the_next_request_works(
        app, client, auth, demo, monkeypatch):
    from innovatieregister.extensions import db
    from innovatieregister.services import initiatives

    auth.login("menzis@demo.nl")
    initiative_id = flows.observation_beds_id(app, demo)
    failing = "SELECT no_such_column FROM initiatives"
    statements: list[str] = []
    failed_at: list[int] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def broken_get_view(*args, **kwargs):
        failed_at.append(len(statements))
        db.session.execute(sa.text(failing))  # on PostgreSQL the transaction is aborted from here on

    monkeypatch.setattr(initiatives, "get_view", broken_get_view)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(f"/initiatieven/{initiative_id}")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html and "Traceback" not in html and "no_such_column" not in html
    assert statements[failed_at[0]:] == [failing]  # the page and its headers asked the database nothing more
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert header in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    monkeypatch.undo()
    assert client.get(f"/initiatieven/{initiative_id}").status_code == 200


def test_a_c1_control_character_is_refused_like_a_nul(app, client, demo):
    """U+0085 (NEXT LINE) and the other C1 controls hide what a text says, as C0 ones do."""
    initiative_id = flows.open_observation_beds(app, demo)
    headers = _tokens(app, demo, "dsw@demo.nl")
    before = _changes(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/decision"
    response = client.post(path, headers=headers, json={"decision": "follow", "conditions": "Alleen\u0085als"})
    check_contract("POST", path, response)
    assert response.status_code == 422 and "conditions" in response.get_json()["errors"]
    assert _changes(app, demo) == before


def _initiative_body(**changes) -> dict:
    body = {"title": "Wijkverpleging Twente", "region": "ZK22", "kind": "jzojp_intervention", "phase": "scale_up",
            "providers": [], "cross_institution_justification": "Eén zorggroep voor de hele regio.",
            "cost_lines": [{"category": "staff", "description": "Verpleging", "amount": "100.00"}]}
    return {**body, **changes}


def test_a_date_far_outside_the_registers_years_is_refused_at_its_field(app, client, demo):
    headers = _tokens(app, demo, "menzis@demo.nl")
    before = _changes(app, demo)
    goal = {"metric": "Verkeerde beddagen", "baseline": "400", "target": "100", "target_date": "1900-01-01",
            "category": "capacity"}
    response = client.post("/api/v1/initiatives", headers=headers, json=_initiative_body(goals=[goal]))
    check_contract("POST", "/api/v1/initiatives", response)
    assert response.status_code == 422
    assert "tussen 2000 en 2100" in " ".join(response.get_json()["errors"]["goals-1-target_date"])
    assert _changes(app, demo) == before


def test_more_cost_lines_or_goals_than_the_form_can_show_are_refused(app, client, demo):
    from innovatieregister import limits

    headers = _tokens(app, demo, "menzis@demo.nl")
    before = _changes(app, demo)
    line = {"category": "staff", "description": "Verpleging", "amount": "1.00"}
    response = client.post("/api/v1/initiatives", headers=headers,
                           json=_initiative_body(cost_lines=[line] * (limits.COST_LINES + 1)))
    assert response.status_code == 422
    goal = {"metric": "Beddagen", "baseline": "4", "target": "1", "target_date": "2028-01-01", "category": "costs"}
    response = client.post("/api/v1/initiatives", headers=headers,
                           json=_initiative_body(goals=[goal] * (limits.GOALS + 1)))
    assert response.status_code == 422 and "goals" in response.get_json()["errors"]
    assert _changes(app, demo) == before


def test_saving_the_edit_form_keeps_every_cost_line_and_goal_the_api_made(app, client, auth, demo):
    """The form shows a row for every stored line, however many the API sent (up to the limit)."""
    headers = _tokens(app, demo, "menzis@demo.nl")
    lines = [{"category": "staff", "description": f"Regel {i}", "amount": "100.00"} for i in range(1, 8)]
    goals = [{"metric": f"Doel {i}", "baseline": "4", "target": "1", "target_date": "2028-01-01", "category": "quality"}
             for i in range(1, 6)]
    created = client.post("/api/v1/initiatives", headers=headers,
                          json=_initiative_body(cost_lines=lines, goals=goals))
    assert created.status_code == 201, created.get_json()
    initiative_id = created.get_json()["id"]
    auth.login("menzis@demo.nl")
    page = client.get(f"/initiatieven/{initiative_id}/bewerken").get_data(as_text=True)
    assert 'name="cost_lines-6-description"' in page and 'name="goals-4-metric"' in page
    assert client.post(f"/initiatieven/{initiative_id}/bewerken", data=_as_posted(app, demo, initiative_id)
                       ).status_code == 302
    shown = client.get(f"/api/v1/initiatives/{initiative_id}", headers=headers).get_json()
    assert [c["description"] for c in shown["cost_lines"]] == [f"Regel {i}" for i in range(1, 8)]
    assert [g["metric"] for g in shown["goals"]] == [f"Doel {i}" for i in range(1, 6)]


def _as_posted(app, db, initiative_id: int) -> dict:
    """What the browser sends back when the edit form is saved unchanged: every field as the form shows it."""
    from wtforms import FieldList

    from innovatieregister.initiatives.forms import InitiativeForm
    from innovatieregister.models import Initiative

    with app.test_request_context():
        form = InitiativeForm(meta={"csrf": False})
        form.fill_from(db.session.get(Initiative, initiative_id))
        data = {}
        for field in form:
            rows = [sub for entry in field for sub in entry.form] if isinstance(field, FieldList) else [field]
            for sub in rows:
                if sub.data not in (None, False, []):
                    data[sub.name] = sub.data
        db.session.remove()
    return data
