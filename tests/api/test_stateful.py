"""The API fuzzed as sequences of calls (schemathesis' stateful phase): an id one call returns is
fed to the next (links inferred from the document's response schemas and path parameters), so the
fuzzing reaches past "404 Not Found" into the resources it made itself. The same checks as
tests/api/test_fuzz.py on every step; bounded and derandomized, so it repeats and stays short.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests import flows
from tests.api.test_fuzz import CHECKS, TALLY, schema

SCENARIOS = 30
STEPS = 6


def _token(app, demo, email: str) -> str:
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        _, raw = create_token(flows.user(demo, email), "stateful", clock.now())
    return raw


def test_call_sequences_keep_the_document(app, demo):
    flows.open_observation_beds(app, demo)
    headers = {"Authorization": f"Bearer {_token(app, demo, 'achmea@demo.nl')}"}
    machine = schema.as_state_machine()
    steps = {"count": 0, "linked": 0}

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def step(self, input):
            steps["linked"] += input.transition is not None
            return super().step(input)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def call(self, case, **kwargs):
            return case.call(app=app, **kwargs)

        def after_call(self, response, case):
            steps["count"] += 1
            TALLY["cases"] += 1
            TALLY["server_errors"] += response.status_code >= 500

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(settings=settings(max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None,
                                   derandomize=True, database=None, suppress_health_check=list(HealthCheck)))
    assert steps["count"] >= SCENARIOS  # it really called the API, a sequence per scenario
    assert steps["linked"] > 0, "no call took its input from an earlier answer: the document links nothing"
    print(f"API stateful: {steps['count']} calls, {steps['linked']} of them fed by an earlier answer")
