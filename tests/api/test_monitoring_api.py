"""The monitors through the API (issue 10): measurements (one, a list, a CSV), the process log and
documents, every response checked against the OpenAPI document."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from innovatieregister.models import Measurement
from tests.monitor_flows import FUNDER, LEAD, OTHER_PROVIDER, OUTSIDER, PDF, PROVIDER, goal_id, outsider, running


def _count(app, db, initiative_id) -> int:
    """This initiative's measurements (the demo's running innovation has its own)."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Measurement)
                                 .where(Measurement.initiative_id == initiative_id))


def test_measurements_one_a_list_and_a_csv(app, demo, api_as):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    api = api_as(PROVIDER)
    path = f"/api/v1/initiatives/{initiative_id}/measurements"
    one = api.post(path, json={"goal_id": goal, "kind": "baseline", "measured_on": "2025-06-30", "value": "2900"})
    assert one.status_code == 201 and one.get_json()["value"] == "2900" and one.get_json()["unit"] == "beddagen"
    listed = api.post(path, json=[{"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "2200.5"},
                                  {"goal_id": goal, "kind": "periodic", "measured_on": "2026-02-01", "value": "2100"}])
    assert listed.status_code == 201 and [m["value"] for m in listed.get_json()["items"]] == ["2200.5", "2100"]
    csv = api.post(path, data=f"doel,soort,datum,waarde\n{goal},periodiek,2026-03-01,\"2000,25\"\n",
                   content_type="text/csv")
    assert csv.status_code == 201 and csv.get_json()["items"][0]["value"] == "2000.25"
    page = api.get(f"{path}?per_page=2&page=2").get_json()
    assert page["total"] == 4 and [m["measured_on"] for m in page["items"]] == ["2026-01-01", "2025-06-30"]
    assert api.get(f"{path}?goal_id={goal + 1000}").get_json()["total"] == 0


def test_a_list_with_one_bad_measurement_stores_none_and_names_it(app, demo, api_as):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    api = api_as(LEAD)
    path = f"/api/v1/initiatives/{initiative_id}/measurements"
    response = api.post(path, json=[
        {"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "2200"},
        {"goal_id": goal, "kind": "periodic", "measured_on": "2099-01-01", "value": "2100"},
        {"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "2,1"}])
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"3-value"}  # the shape first: the value's notation
    response = api.post(path, json=[
        {"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "2200"},
        {"goal_id": goal, "kind": "periodic", "measured_on": "2099-01-01", "value": "2100"}])
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"2-measured_on"}
    bad_csv = api.post(path, data=f"doel;soort;datum;waarde\n{goal};eind;2026-01-01;veel\n", content_type="text/csv")
    assert bad_csv.status_code == 422 and bad_csv.get_json()["errors"]["file"][0].startswith("Regel 2:")
    assert _count(app, demo, initiative_id) == 0


def test_a_measurement_in_another_unit_than_the_goals_is_refused_at_its_unit(app, demo, api_as):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)  # measured in beddagen
    api = api_as(LEAD)
    path = f"/api/v1/initiatives/{initiative_id}/measurements"
    one = api.post(path, json={"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "9999",
                               "unit": "euro"})
    assert one.status_code == 422 and "niet die van het doel" in one.get_json()["errors"]["unit"][0]
    listed = api.post(path, json=[{"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "1"},
                                  {"goal_id": goal, "kind": "final", "measured_on": "2026-01-02", "value": "2",
                                   "unit": "%"}])
    assert listed.status_code == 422 and set(listed.get_json()["errors"]) == {"2-unit"}
    csv = api.post(path, data=f"doel;soort;datum;waarde;eenheid\n{goal};eind;2026-01-01;1;euro\n",
                   content_type="text/csv")
    assert csv.status_code == 422 and csv.get_json()["errors"]["file"][0].startswith("Regel 2:")
    assert _count(app, demo, initiative_id) == 0


def test_the_process_log_and_who_writes_in_it(app, demo, api_as):
    initiative_id = running(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/process-log"
    entry = {"occurred_on": "2026-01-01", "kind": "agreement", "text": "Afspraak over de triage."}
    assert api_as(FUNDER).post(path, json=entry).status_code == 201
    assert api_as("achmea@demo.nl").post(path, json=entry).status_code == 403  # asked, does not fund
    assert api_as(outsider(app, demo, initiative_id)).post(path, json=entry).status_code == 404
    assert api_as(LEAD).post(path, json={**entry, "kind": "roddel"}).status_code == 422
    listed = api_as(LEAD).get(path).get_json()
    assert [(e["kind"], e["organisation"]) for e in listed["items"]] == [("agreement", "VGZ")]
    # Achmea has not decided: VGZ's entry would tell it that VGZ follows (tests/web/test_visibility.py).
    assert api_as("achmea@demo.nl").get(path).get_json()["total"] == 0


def test_documents_upload_list_and_download(app, demo, api_as):
    initiative_id = running(app, demo)
    api = api_as(PROVIDER)
    path = f"/api/v1/initiatives/{initiative_id}/documents"
    created = api.post(path, data={"file": (io.BytesIO(PDF), "eind.pdf"), "kind": "evaluation_report",
                                   "title": "Eindevaluatie"}, content_type="multipart/form-data")
    assert created.status_code == 201
    document = created.get_json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest() and document["content_type"] == "application/pdf"
    refused = api.post(path, data={"file": (io.BytesIO(b"MZ\x90\x00\x03 program"), "eind.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "geen PDF" in refused.get_json()["errors"]["file"][0]
    assert api.post(path, json={"title": "zonder bestand"}).status_code == 422
    assert [d["title"] for d in api_as("achmea@demo.nl").get(path).get_json()["items"]] == ["Eindevaluatie"]
    download = api_as(LEAD).get(document["content"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    stranger = api_as(outsider(app, demo, initiative_id))
    assert stranger.get(document["content"]).status_code == 404
    assert stranger.get(path).status_code == 404


def test_an_oversize_upload_is_a_413_problem(app, demo, api_as):
    initiative_id = running(app, demo)
    response = api_as(LEAD).post(
        f"/api/v1/initiatives/{initiative_id}/documents", content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)), "groot.csv")})
    assert response.status_code == 413 and "hoogstens 10 MB" in response.get_json()["detail"]


def test_goals_show_their_ids_for_measurements(app, demo, api_as):
    initiative_id = running(app, demo)
    goals = api_as(PROVIDER).get(f"/api/v1/initiatives/{initiative_id}").get_json()["goals"]
    assert [(g["id"], g["category"], g["baseline_value"], g["target_value"]) for g in goals] == [
        (goal_id(app, demo, initiative_id), "capacity", "2900", "1500")]


API_WRITES = {  # the same rule as the web (tests/web/test_monitoring.py WRITES)
    "measurements": {LEAD, PROVIDER, OTHER_PROVIDER},
    "process-log": {LEAD, PROVIDER, OTHER_PROVIDER, FUNDER},
    "documents": {LEAD, PROVIDER, OTHER_PROVIDER},
}


@pytest.mark.parametrize("what", sorted(API_WRITES))
@pytest.mark.parametrize("who", [LEAD, PROVIDER, OTHER_PROVIDER, FUNDER, "achmea@demo.nl", "bemiddelaar@demo.nl",
                                 "beheerder@demo.nl", OUTSIDER])
def test_every_api_write_for_every_role(app, demo, api_as, what, who):
    initiative_id = running(app, demo)
    outsider(app, demo, initiative_id)
    path = f"/api/v1/initiatives/{initiative_id}/{what}"
    if what == "measurements":
        call = {"json": {"goal_id": goal_id(app, demo, initiative_id), "kind": "periodic", "measured_on": "2026-01-01",
                         "value": "2200"}}
    elif what == "process-log":
        call = {"json": {"occurred_on": "2026-01-01", "kind": "intervention", "text": "Triage aan de voordeur."}}
    else:
        call = {"data": {"file": (io.BytesIO(PDF), "rapport.pdf")}, "content_type": "multipart/form-data"}
    response = api_as(who).post(path, **call)
    expected = 201 if who in API_WRITES[what] else 404 if who == OUTSIDER else 403
    assert response.status_code == expected, (who, response.get_json())


@pytest.mark.parametrize("listed", ["measurements", "process-log", "documents", "evaluations"])
def test_the_monitor_and_evaluation_lists_page_like_every_api_list(app, demo, api_as, listed):
    from innovatieregister import limits
    from tests import flows

    initiative_id = flows.monitored_innovation_id(app, demo)
    flows.grow_life(app, demo, 3, [initiative_id])  # at least three of each
    api = api_as(LEAD)
    path = f"/api/v1/initiatives/{initiative_id}/{listed}"
    unknown = api.get(f"{path}?sort=id")
    assert unknown.status_code == 422 and "sort" in unknown.get_json()["errors"]
    assert api.get(f"{path}?per_page={limits.PER_PAGE_MAX + 1}").status_code == 422
    first = api.get(f"{path}?per_page=2").get_json()
    assert len(first["items"]) == 2 and first["total"] >= 3 and first["total_capped"] is False
    assert first["previous"] is None and first["next"] is not None
    second = api.get(first["next"]).get_json()  # keyset: from the last row of the first page on
    assert second["items"] and second["previous"] is not None
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}
