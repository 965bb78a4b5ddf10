"""The API's one input layer (api/schema.py): what a model refuses is a 422 problem naming each
field, in the caller's language, before any use case runs; and the document is generated from the
same models, for every route of the API."""

from __future__ import annotations

import re

import pytest

from innovatieregister.api.openapi import document
from tests import flows


def _problem(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize(("query", "field"), [
    ("per_page=101", "per_page"), ("page=0", "page"), ("page=abc", "page"), ("status=bestaat-niet", "status"),
    ("region=" + "X" * 200, "region"), ("zoek=iets", "zoek"), ("after=geen-cursor", "after"),
])
def test_a_refused_query_names_its_field(api_as, query, field):
    problem = _problem(api_as("menzis@demo.nl").get(f"/api/v1/initiatives?{query}"))
    assert list(problem["errors"]) == [field]
    assert all(message.strip() for message in problem["errors"][field])


def test_the_limit_is_said_in_the_callers_language(app, demo, api_as, english):
    dutch = _problem(api_as("menzis@demo.nl").get("/api/v1/initiatives?per_page=101"))["errors"]["per_page"]
    assert dutch == ["De waarde is ten hoogste 100."]
    flows.speaks(app, demo, "menzis@demo.nl", "en")
    said = _problem(api_as("menzis@demo.nl").get("/api/v1/initiatives?per_page=101"))["errors"]["per_page"]
    assert said == [english("De waarde is ten hoogste %(le)s.", le="100")] != dutch


def test_the_document_is_generated_from_the_models_and_lists_every_route(app):
    doc = document()
    listed = {(path, method) for path, operations in doc["paths"].items() for method in operations}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - listed == set()
    assert listed - routes == set()
    # The list's parameters are the model's fields, with the model's bounds.
    per_page = next(p for p in doc["paths"]["/initiatives"]["get"]["parameters"] if p["name"] == "per_page")
    from innovatieregister import limits
    assert per_page["schema"]["maximum"] == limits.PER_PAGE_MAX
    assert doc["paths"]["/regions"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RegionList"}
