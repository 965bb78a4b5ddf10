"""The API fuzzed from its own OpenAPI document (schemathesis): every operation, valid and invalid
input, as a demo insurer and a demo provider. No answer is a server error, every status is one the
document lists, every body matches its schema, and input the document forbids is refused.

Bounded and derandomized, so the run is repeatable and takes well under a minute per database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from innovatieregister.api.openapi import document
from tests import flows

EXAMPLES = 25  # per operation and user
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]

# The document as the app serves it (the same function behind /api/v1/openapi.json): a module-level
# schema, because schemathesis' fixture loader does not work with this pytest.
schema = schemathesis.openapi.from_dict(document())

TALLY = {"cases": 0, "server_errors": 0}  # printed at the end of the run (tests/api/conftest.py)


@pytest.fixture(params=["menzis@demo.nl", "ziekenhuis@demo.nl"])
def token(app, demo, request):
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    flows.open_observation_beds(app, demo)  # an open initiative, so ids 1.. lead somewhere
    with app.app_context():
        _, raw = create_token(flows.user(demo, request.param), "fuzz", clock.now())
    return raw


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_document_whatever_it_is_sent(case, token, app):
    response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
    TALLY["cases"] += 1
    TALLY["server_errors"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS, headers={"Authorization": f"Bearer {token}"})
