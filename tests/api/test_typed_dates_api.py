"""The API reads a date typed dd-mm-jjjj as well as ISO, and answers in ISO (issue 13)."""

from __future__ import annotations

from datetime import date

from innovatieregister.models import Measurement
from tests.monitor_flows import PROVIDER, goal_id, running


def test_the_api_takes_a_dutch_date_and_answers_in_iso(app, demo, api_as):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    api = api_as(PROVIDER)
    made = api.post(f"/api/v1/initiatives/{initiative_id}/measurements",
                    json={"goal_id": goal, "kind": "periodic", "measured_on": "30-06-2026", "value": "2900"})
    assert made.status_code == 201 and made.get_json()["measured_on"] == "2026-06-30"
    with app.app_context():
        assert demo.session.get(Measurement, made.get_json()["id"]).measured_on == date(2026, 6, 30)
