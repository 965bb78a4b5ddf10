"""A SMART goal's outcome category, unit and numeric baseline and target (issue 10), on the
registration form, in the API, and filled from plain-number goal texts by migration 0011."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.models import Initiative, SmartGoal
from tests import flows
from tests.api.conftest import check_contract
from tests.web.test_initiatives import REGISTRATION, _field_error, _providers

GOAL = {"goals-0-metric": "Verkeerde-beddagen per week", "goals-0-baseline": "2,9 per week",
        "goals-0-target": "1,5 per week", "goals-0-baseline_value": "2,9", "goals-0-target_value": "1.234,5",
        "goals-0-unit": "dagen per week", "goals-0-category": "capacity", "goals-0-target_date": "2028-12-31"}


def _goals(app, db, title: str) -> list[SmartGoal]:
    with app.app_context():
        initiative = db.session.scalar(sa.select(Initiative).where(Initiative.title == title))
        return [(g.category, g.unit, g.baseline_value, g.target_value) for g in initiative.goals] if initiative else []


def test_the_form_takes_the_category_unit_and_numbers_in_dutch_notation(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, **GOAL, "providers": _providers(app, demo)})
    assert response.status_code == 302
    assert _goals(app, demo, REGISTRATION["title"]) == [
        (OutcomeCategory.CAPACITY, "dagen per week", Decimal("2.9"), Decimal("1234.5"))]
    edit = client.get(response.headers["Location"] + "/bewerken").get_data(as_text=True)
    assert 'value="2,9"' in edit and 'value="1234,5"' in edit  # shown as typed back, ungrouped


def test_bad_goal_numbers_and_a_missing_category_are_refused_at_their_fields(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    bad = {**GOAL, "goals-0-category": "", "goals-0-baseline_value": "veel", "goals-0-target_value": "1,23456",
           "goals-0-unit": "x" * 41}
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, **bad, "providers": _providers(app, demo)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "kies de uitkomstcategorie" in _field_error(html, "goals-0-category")
    assert "&#39;veel&#39; is geen getal" in _field_error(html, "goals-0-baseline_value")
    assert "meer dan 4 decimalen" in _field_error(html, "goals-0-target_value")
    assert "Maximaal 40 tekens" in _field_error(html, "goals-0-unit") or "te lang" in _field_error(html, "goals-0-unit")
    assert _goals(app, demo, REGISTRATION["title"]) == []


def test_a_value_beyond_the_measurement_bound_is_refused(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, **GOAL, "goals-0-target_value": "1" + "0" * 13,
                                                        "providers": _providers(app, demo)})
    assert response.status_code == 422
    assert "buiten het bereik" in _field_error(response.get_data(as_text=True), "goals-0-target_value")


def test_the_api_takes_and_shows_the_goal_measures(app, client, demo):
    from tests.web.test_bad_input import _initiative_body, _tokens

    headers = _tokens(app, demo, "menzis@demo.nl")
    goal = {"metric": "Verkeerde-beddagen", "baseline": "2,9", "target": "1,5", "target_date": "2028-12-31",
            "category": "capacity", "unit": "per week", "baseline_value": "2.9", "target_value": "1.5"}
    created = client.post("/api/v1/initiatives", headers=headers, json=_initiative_body(goals=[goal]))
    check_contract("POST", "/api/v1/initiatives", created)
    assert created.status_code == 201
    [shown] = created.get_json()["goals"]
    assert {k: shown[k] for k in ("category", "unit", "baseline_value", "target_value")} == {
        "category": "capacity", "unit": "per week", "baseline_value": "2.9", "target_value": "1.5"}
    for wrong, field in (({"baseline_value": "2,9"}, "goals-1-baseline_value"), ({"target_value": 1.5}, "goals-1-target_value"),
                         ({"category": "geluk"}, "goals-1-category"), ({"category": None}, "goals-1-category")):
        refused = client.post("/api/v1/initiatives", headers=headers,
                              json=_initiative_body(goals=[{**goal, **wrong}]))
        check_contract("POST", "/api/v1/initiatives", refused)
        assert refused.status_code == 422 and field in refused.get_json()["errors"], (wrong, refused.get_json())


def test_an_adopted_copy_sets_its_own_goal_measures(app, demo):
    """Issue 13: the origin's goals (metrics that name its hospital, its baselines and targets) stay
    behind; the adopting lead sets the goals of its own region."""
    from innovatieregister.services import adoption

    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        source = demo.session.get(Initiative, initiative_id)
        source.goals[0].category, source.goals[0].target_value = OutcomeCategory.CAPACITY, Decimal("1.5")
        demo.session.commit()
        copy = adoption.adopt(flows.user(demo, "vgz@demo.nl"), initiative_id, "ZK16", flows.TODAY)
        assert copy.goals == [] and len(demo.session.get(Initiative, initiative_id).goals) == 1
