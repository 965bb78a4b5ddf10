"""Regional agreements through the API (issue 12), every response checked against the document."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import RegionalPlanVersion
from tests import flows
from tests.api.test_phase_api import START_UP

PLAN = "/api/v1/regions/ZK22/plan"


def _as_input(plan: dict) -> dict:
    return {"regiobeeld": plan["regiobeeld"], "based_on_version": plan["version"],
            "themes": [{k: t[k] for k in ("id", "title", "description", "start_year", "end_year", "goals")}
                       for t in plan["themes"]]}


def test_everyone_reads_the_plan_and_its_versions(api_as):
    for email in ("ziekenhuis@demo.nl", "cz@demo.nl", "bemiddelaar@demo.nl"):
        body = api_as(email).get(PLAN).get_json()
        assert body["version"] == body["current_version"] == 1 and body["may_edit"] is False
        assert body["lead_insurers"] == ["MENZIS", "ACHMEA"]
        assert len(body["themes"]) == 4 and all(t["goals"] for t in body["themes"])
        assert [v["version"] for v in body["versions"]] == [1]
    empty = api_as("cz@demo.nl").get("/api/v1/regions/ZK27/plan").get_json()
    assert empty["version"] is None and empty["themes"] == [] and empty["versions"] == []
    assert api_as("cz@demo.nl").get("/api/v1/regions/ZK99/plan").status_code == 404
    assert api_as("cz@demo.nl").get(f"{PLAN}/versions/2").status_code == 404


def test_a_lead_puts_a_new_version_and_the_earlier_stays(app, demo, api_as):
    menzis = api_as("menzis@demo.nl")
    plan = menzis.get(PLAN).get_json()
    assert plan["may_edit"] is True
    body = _as_input(plan)
    body["regiobeeld"] = "Herzien regiobeeld."
    body["themes"][0]["title"] = "Passende zorg"
    body["themes"].append({"title": "Acute zorg", "start_year": 2027, "end_year": 2030, "goals": [
        {"metric": "Aanrijtijd", "baseline": "91%", "target": "95%", "target_date": "2030-12-31"}]})
    saved = menzis.call("PUT", PLAN, json=body)
    assert saved.status_code == 200
    new = saved.get_json()
    assert new["version"] == 2 and new["regiobeeld"] == "Herzien regiobeeld." and new["organisation"] == "MENZIS"
    assert new["themes"][0]["id"] == plan["themes"][0]["id"] and new["themes"][0]["title"] == "Passende zorg"
    assert [v["version"] for v in new["versions"]] == [2, 1]
    old = menzis.get(f"{PLAN}/versions/1").get_json()
    assert old["version"] == 1 and old["current_version"] == 2 and old["themes"] == plan["themes"]
    stale = menzis.call("PUT", PLAN, json={**body, "regiobeeld": "Nog eens.", "based_on_version": 1})
    assert stale.status_code == 409 and "based_on_version" in stale.get_json()["errors"]
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(RegionalPlanVersion.id))) == 2


def test_others_are_refused_and_bad_input_gets_errors_per_field(app, demo, api_as):
    plan = api_as("cz@demo.nl").get(PLAN).get_json()
    assert api_as("cz@demo.nl").call("PUT", PLAN, json=_as_input(plan)).status_code == 403
    assert api_as("ziekenhuis@demo.nl").call("PUT", PLAN, json=_as_input(plan)).status_code == 403
    menzis = api_as("menzis@demo.nl")
    body = _as_input(plan)
    body["themes"][1].update({"start_year": "2023", "end_year": 2020})
    body["themes"][2]["goals"] = []
    refused = menzis.call("PUT", PLAN, json=body)
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert "themes-2-start_year" in errors  # a year is a number, not text
    assert errors["themes-3-goals"]  # a theme has at least one goal (the schema says so, with a message)
    body["themes"][1]["start_year"] = 2023
    body["themes"][2]["goals"] = plan["themes"][2]["goals"]
    errors = menzis.call("PUT", PLAN, json=body).get_json()["errors"]
    assert "eindjaar" in errors["themes-2-end_year"][0]  # the service's rule: not before the start year
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(RegionalPlanVersion.id))) == 1


def test_an_initiative_links_to_a_theme_and_a_regional_fit_argument_names_the_plan(app, demo, api_as):
    menzis = api_as("menzis@demo.nl")
    theme = menzis.get(PLAN).get_json()["themes"][2]
    created = menzis.post("/api/v1/initiatives", json={**START_UP, "theme": theme["id"]})
    assert created.status_code == 201
    assert created.get_json()["theme"] == {"id": theme["id"], "title": theme["title"]}
    wrong = menzis.post("/api/v1/initiatives", json={**START_UP, "theme": 999_999})
    assert wrong.status_code == 422 and "theme" in wrong.get_json()["errors"]

    beds = flows.open_observation_beds(app, demo)
    decided = api_as("dsw@demo.nl").post(f"/api/v1/initiatives/{beds}/decision", json={
        "decision": "decline", "arguments": [
            {"criterion": "no_regional_fit", "strength": 2, "explanation": "Past niet."},
            {"criterion": "financial", "strength": 1, "explanation": "Duur."}]})
    assert decided.status_code == 201
    arguments = decided.get_json()["decision"]["arguments"]
    assert arguments[0]["regional_plan"] == {"region": "ZK22", "version": 1,
                                             "theme": "Passende zorg: de juiste zorg op de juiste plek"}
    assert arguments[1]["regional_plan"] is None
    shown = menzis.get(f"/api/v1/initiatives/{beds}").get_json()
    dsw = next(d for d in shown["decisions"] if d["insurer"] == "DSW")
    assert dsw["decision"]["arguments"][0]["regional_plan"]["version"] == 1
