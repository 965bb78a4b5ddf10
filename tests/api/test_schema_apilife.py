"""The life cycle, the monitors, the figures and the public register on the schema layer (issue 14):
the models refuse a bad body or query per field and change nothing, refuse what they do not know,
and are what the OpenAPI document says."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.api.openapi import document
from innovatieregister.models import Measurement
from innovatieregister.models.monitoring import Evaluation, ProcessLogEntry
from tests.monitor_flows import LEAD, goal_id, running

MEDIATOR = "bemiddelaar@demo.nl"
DOC = document()


def _count(app, db, model, initiative_id) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                 .where(model.initiative_id == initiative_id))


def _errors(response) -> dict:
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert all(messages and all(messages) for messages in errors.values())  # each key says why
    return errors


def test_a_list_of_measurements_is_refused_at_the_row_and_field_at_fault_and_stores_none(app, demo, api_as):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    api = api_as(LEAD)
    path = f"/api/v1/initiatives/{initiative_id}/measurements"
    good = {"goal_id": goal, "kind": "periodic", "measured_on": "2026-01-01", "value": "2200"}
    assert set(_errors(api.post(path, json=[good, {**good, "value": 2100}]))) == {"2-value"}  # a number: text
    assert set(_errors(api.post(path, json=[good, {**good, "goal_id": "1"}]))) == {"2-goal_id"}  # strict
    assert set(_errors(api.post(path, json=[good, {**good, "colour": "red"}]))) == {"2-colour"}  # unknown
    assert set(_errors(api.post(path, json={**good, "colour": "red"}))) == {"colour"}  # one object: no row
    assert set(_errors(api.post(path, json={**good, "kind": "yearly"}))) == {"kind"}
    too_many = [good] * (limits.MEASUREMENTS_PER_UPLOAD + 1)
    assert set(_errors(api.post(path, json=too_many))) == {"body"}
    assert _count(app, demo, Measurement, initiative_id) == 0


def test_an_evaluation_and_a_process_entry_refused_by_their_models_change_nothing(app, demo, api_as):
    initiative_id = running(app, demo)
    api = api_as(LEAD)
    evaluations = f"/api/v1/initiatives/{initiative_id}/evaluations"
    before = _count(app, demo, Evaluation, initiative_id)
    good = {"kind": "periodic", "verdict": "on_track", "reasoning": "Op koers."}
    assert set(_errors(api.post(evaluations, json={**good, "verdict": "great"}))) == {"verdict"}
    assert set(_errors(api.post(evaluations, json={**good, "reasoning": "x" * (limits.TEXT + 1)}))) == {"reasoning"}
    assert set(_errors(api.post(evaluations, json={**good, "measurements": [0]}))) == {"measurements-1"}
    assert set(_errors(api.post(evaluations, json={**good, "score": 8}))) == {"score"}
    assert _count(app, demo, Evaluation, initiative_id) == before
    log = f"/api/v1/initiatives/{initiative_id}/process-log"
    before = _count(app, demo, ProcessLogEntry, initiative_id)
    entry = {"occurred_on": "2026-01-01", "kind": "intervention", "text": ""}
    assert set(_errors(api.post(log, json=entry))) == {"text"}
    assert set(_errors(api.post(log, json={**entry, "text": "Triage.", "by": "me"}))) == {"by"}
    assert _count(app, demo, ProcessLogEntry, initiative_id) == before
    assert api.post(log, json={**entry, "text": "Triage."}).status_code == 201  # the same body, right, is taken


def test_the_figures_and_the_public_register_refuse_an_unknown_or_bad_query(app, demo, api_as):
    mediator = api_as(MEDIATOR)
    assert set(_errors(mediator.get("/api/v1/dashboards/national?sort=prijs"))) == {"sort"}
    assert mediator.get("/api/v1/dashboards/national?sort=-dekking").get_json()["sort"] == "-dekking"
    assert set(_errors(mediator.get("/api/v1/regions/ZK22/dashboard?jaar=2026"))) == {"jaar"}
    anonymous = api_as(None)
    assert set(_errors(anonymous.get("/api/v1/public/initiatives?theme=0"))) == {"theme"}
    assert set(_errors(anonymous.get("/api/v1/public/initiatives?sorteer=titel"))) == {"sorteer"}


def test_a_path_with_two_methods_is_one_rule_an_id_out_of_range_is_not_found(app, demo, api_as):
    api = api_as(LEAD)
    for path in ("calendar", "evaluations", "measurements", "process-log", "documents", "publication"):
        for method in ("GET", "POST", "DELETE") if path == "publication" else ("GET", "POST"):
            if method == "GET" and path == "publication":
                continue
            response = api.call(method, f"/api/v1/initiatives/{limits.ID_MAX + 1}/{path}", json={})
            assert response.status_code == 404, (method, path, response.status_code)


def _schema(operation: dict, status: str = "200", media: str = "application/json") -> str:
    return operation["responses"][status]["content"][media]["schema"]["$ref"].rsplit("/", 1)[1]


def _body(operation: dict, media: str = "application/json") -> str:
    return operation["requestBody"]["content"][media]["schema"]["$ref"].rsplit("/", 1)[1]


@pytest.mark.parametrize(("path", "method", "body", "status", "answer"), [
    ("/initiatives/{initiative_id}/activate", "post", "ActivateIn", "200", "Lifecycle"),
    ("/initiatives/{initiative_id}/calendar", "get", None, "200", "Lifecycle"),
    ("/initiatives/{initiative_id}/calendar", "post", "CalendarIn", "200", "Lifecycle"),
    ("/initiatives/{initiative_id}/evaluations", "post", "EvaluationIn", "201", "Evaluation"),
    ("/initiatives/{initiative_id}/evaluations", "get", None, "200", "EvaluationPage"),
    ("/initiatives/{initiative_id}/end", "post", "EndIn", "200", "Lifecycle"),
    ("/initiatives/{initiative_id}/measurements", "post", "MeasurementsIn", "201", "MeasurementsOut"),
    ("/initiatives/{initiative_id}/process-log", "post", "ProcessEntryIn", "201", "ProcessLogEntry"),
    ("/initiatives/{initiative_id}/documents", "get", None, "200", "DocumentPage"),
    ("/initiatives/{initiative_id}/publication", "post", "PublishIn", "200", "Publication"),
    ("/initiatives/{initiative_id}/publication", "delete", None, "200", "Publication"),
    ("/public/initiatives", "get", None, "200", "PublicInitiativePage"),
    ("/dashboards/national", "get", None, "200", "NationalDashboard"),
])
def test_the_document_says_what_the_models_read_and_write(path, method, body, status, answer):
    operation = DOC["paths"][path][method]
    assert _schema(operation, status) == answer
    assert answer in DOC["components"]["schemas"]
    if body:
        assert _body(operation) == body
        schema = DOC["components"]["schemas"][body]
        if body == "MeasurementsIn":  # one or a list of them
            schema = DOC["components"]["schemas"]["MeasurementIn"]
        assert schema["additionalProperties"] is False
    else:
        assert "requestBody" not in operation


def test_the_document_says_the_other_media_types_the_public_routes_and_the_limits():
    measurements = DOC["paths"]["/initiatives/{initiative_id}/measurements"]["post"]
    assert set(measurements["requestBody"]["content"]) == {"application/json", "text/csv"}
    assert "413" in measurements["responses"]
    upload = DOC["paths"]["/initiatives/{initiative_id}/documents"]["post"]
    assert _body(upload, "multipart/form-data") == "DocumentForm"
    form = DOC["components"]["schemas"]["DocumentForm"]
    assert form["required"] == ["file"] and form["properties"]["file"]["format"] == "binary"
    download = DOC["paths"]["/documents/{document_id}/content"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in download and "application/json" not in download
    for path in ("/public/initiatives", "/public/initiatives/{initiative_id}"):
        assert DOC["paths"][path]["get"]["security"] == []  # no token: the route is @public
        assert "304" in DOC["paths"][path]["get"]["responses"]
    assert "security" not in DOC["paths"]["/dashboards/national"]["get"]  # the bearer token of the whole API
    schemas = DOC["components"]["schemas"]
    assert schemas["EvaluationIn"]["properties"]["reasoning"]["maxLength"] == limits.TEXT
    assert schemas["EvaluationIn"]["properties"]["measurements"]["maxItems"] == limits.EVALUATION_MEASUREMENTS
    assert schemas["CalendarIn"]["properties"]["moments"]["maxItems"] >= 1
    assert schemas["MeasurementIn"]["properties"]["unit"]["maxLength"] == limits.UNIT
