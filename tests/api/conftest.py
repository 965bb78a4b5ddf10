"""An API client that checks every response against the OpenAPI document."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from innovatieregister.api.openapi import document
from tests import flows

DOC = document()
REGISTRY = Registry().with_resource("urn:openapi", Resource(contents=DOC, specification=DRAFT202012))


def _template_for(path: str) -> str:
    for template in DOC["paths"]:
        pattern = "^/api/v1" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path.split("?")[0]):
            return template
    raise AssertionError(f"{path} is not described in the OpenAPI document")


def _pointer(*parts: str) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def check_contract(method: str, path: str, response) -> None:
    template = _template_for(path)
    operation = DOC["paths"][template].get(method.lower())
    assert operation is not None, f"{method} {path} is not described"
    status = str(response.status_code)
    documented = operation["responses"].get(status)
    assert documented is not None, f"{method} {path} answered {status}, which is not described"
    location = ("paths", template, method.lower(), "responses", status)
    if "$ref" in documented:
        name = documented["$ref"].rsplit("/", 1)[1]
        documented, location = DOC["components"]["responses"][name], ("components", "responses", name)
    media_type = response.mimetype
    assert media_type in documented["content"], (media_type, list(documented["content"]))
    if not media_type.endswith("json"):
        return  # a file (a document's download): its type is checked above, its bytes are its own
    # Validate against the schema where it stands in the document, so its $refs resolve.
    schema = {"$ref": "urn:openapi#" + _pointer(*location, "content", media_type, "schema")}
    Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker()).validate(response.get_json())


class Api:
    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def call(self, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        check_contract(method, path, response)
        return response

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, **kw):
        return self.call("POST", path, **kw)


@pytest.fixture
def api_as(app, demo):
    """api_as(email) → an Api client with a fresh token for that demo user."""
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    def make(email: str | None) -> Api:
        if email is None:
            return Api(app.test_client(), None)
        with app.app_context():
            _, raw = create_token(flows.user(demo, email), "test", clock.now())
        return Api(app.test_client(), raw)

    return make


def pytest_terminal_summary(terminalreporter):
    """How much the fuzz run tried (tests/api/test_fuzz.py), so CI logs show it per database."""
    import sys

    fuzz = sys.modules.get("tests.api.test_fuzz")
    if fuzz is not None and fuzz.TALLY["cases"]:
        terminalreporter.write_line(
            f"API fuzz: {fuzz.TALLY['cases']} cases, {fuzz.TALLY['server_errors']} server errors")
