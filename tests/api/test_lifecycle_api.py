"""The life cycle through the API (issue 10): the Dutch explanation of a step the state does not
allow, evaluations resting on the initiative's own measurements, extension. Every response is checked
against the OpenAPI document (tests/api/conftest.py)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innovatieregister.models import Initiative
from innovatieregister.models.monitoring import TermExtension
from tests import flows
from tests.web.test_lifecycle import LEAD, PROVIDER, _active, _evaluated, _funded, _life, _measurement


@pytest.mark.parametrize(("setup", "step", "body", "now_label", "who_may"), [
    (_active, "extend", {"new_end": "2031-12-07", "reasons": "x"}, "Actief", "de leidende verzekeraar: beëindigen"),
    (_evaluated, "evaluations", {"kind": "baseline", "verdict": "on_track", "reasoning": "x"}, "Geëvalueerd",
     "de leidende verzekeraar: verlengen"),
    (_funded, "end", {"outcome": "care_returns", "reasons": "x"}, "Volledig gefinancierd",
     "de leidende verzekeraar: activeren"),
])
def test_a_step_the_state_does_not_allow_says_in_dutch_who_may_do_what(app, demo, api_as, setup, step, body,
                                                                       now_label, who_may):
    initiative_id = setup(app, demo)
    response = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/{step}", json=body)
    assert response.status_code == 409
    detail = response.get_json()["detail"]
    assert f"Vanuit '{now_label}' kan:" in detail and who_may in detail
    assert not re.search(r"'(active|evaluated|fully_funded|extend|evaluate_interim|end)'", detail)


def test_a_final_evaluation_rests_on_the_initiatives_own_measurements(app, demo, api_as):
    from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput, register

    initiative_id = _active(app, demo)
    provider = api_as(PROVIDER)
    with app.app_context():
        other = register(flows.user(demo, LEAD), InitiativeInput(
            title="Ander initiatief", region_code="ZK22", kind="innovation", phase="scale_up",
            cross_institution_justification="x", cost_lines=[CostLineInput("ict", "x", "1.00")],
            goals=[GoalInput("Ligdagen", "10", "5", "2028-01-01", "capacity")]), flows.TODAY)
        own_id, foreign_id = _measurement(demo, demo.session.get(Initiative, initiative_id)), _measurement(demo, other)
        before = _life(demo, initiative_id)
    for forged in ([own_id, foreign_id], [own_id, own_id], ["1"], [0]):
        refused = provider.post(f"/api/v1/initiatives/{initiative_id}/evaluations", json={
            "kind": "final", "verdict": "achieved", "reasoning": "x", "measurements": forged})
        # the list itself (the service) or the item at fault (the schema: measurements-1)
        assert refused.status_code == 422, forged
        assert {key.split("-")[0] for key in refused.get_json()["errors"]} == {"measurements"}, forged
    with app.app_context():
        assert _life(demo, initiative_id) == before
    done = provider.post(f"/api/v1/initiatives/{initiative_id}/evaluations", json={
        "kind": "final", "verdict": "achieved", "reasoning": "Doelen gehaald.", "measurements": [own_id]})
    assert done.status_code == 201 and done.get_json()["measurements"] == [own_id]
    listed = provider.get(f"/api/v1/initiatives/{initiative_id}/evaluations").get_json()["items"]
    assert [(e["kind"], e["verdict"], e["organisation"]) for e in listed] == [("final", "achieved", "ZH-TWENTE")]
    calendar = provider.get(f"/api/v1/initiatives/{initiative_id}/calendar").get_json()
    assert calendar["status"] == "evaluated"
    # The final moment is done; the moments not evaluated by then lapsed with the term.
    assert [(m["kind"], m["status"]) for m in calendar["calendar"]] == [("final", "done")]


def test_an_extension_needs_a_positive_final_evaluation_and_moves_the_end(app, demo, api_as):
    initiative_id = _evaluated(app, demo, verdict="not_achieved")
    lead = api_as(LEAD)
    refused = lead.post(f"/api/v1/initiatives/{initiative_id}/extend", json={"new_end": "2031-12-07", "reasons": "x"})
    assert refused.status_code == 422 and "evaluation" in refused.get_json()["errors"]
    empty = lead.post(f"/api/v1/initiatives/{initiative_id}/extend", json={"new_end": "2031-12-07", "reasons": ""})
    assert empty.status_code == 422 and set(empty.get_json()["errors"]) == {"reasons"}  # the schema: required
    bad = lead.post(f"/api/v1/initiatives/{initiative_id}/extend", json={"new_end": "2030-12-07", "reasons": "x"})
    assert bad.status_code == 422 and "new_end" in bad.get_json()["errors"]  # the service: the rule



@pytest.mark.parametrize("verdict", ["achieved", "not_achieved"])
def test_a_baseline_evaluation_says_on_track_or_behind_nothing_achieved_yet(app, demo, api_as, verdict):
    initiative_id = _active(app, demo)
    path = f"/api/v1/initiatives/{initiative_id}/evaluations"
    lead = api_as(LEAD)
    with app.app_context():
        before = _life(demo, initiative_id)
    refused = lead.post(path, json={"kind": "baseline", "verdict": verdict, "reasoning": "x"})
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"verdict"}
    assert "nog niets behaald of niet behaald" in refused.get_json()["errors"]["verdict"][0]
    with app.app_context():
        assert _life(demo, initiative_id) == before
    for kind, allowed in (("baseline", "behind"), ("periodic", verdict)):
        assert lead.post(path, json={"kind": kind, "verdict": allowed, "reasoning": "x"}).status_code == 201


@pytest.mark.parametrize(("verdict", "extend_offered"), [("not_achieved", False), ("behind", False),
                                                         ("on_track", True), ("achieved", True)])
def test_extension_is_offered_only_after_a_final_evaluation_that_allows_it(app, demo, api_as, verdict,
                                                                           extend_offered):
    initiative_id = _evaluated(app, demo, verdict=verdict)
    may = api_as(LEAD).get(f"/api/v1/initiatives/{initiative_id}/calendar").get_json()["may"]
    assert ("extend" in may) == extend_offered and "end" in may


def test_an_extension_moves_the_end_and_plans_the_extra_years(app, demo, api_as):
    initiative_id = _evaluated(app, demo, verdict="on_track")
    done = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/extend",
                             json={"new_end": "2032-06-01", "reasons": "In zicht."})
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "extended" and body["term_end"] == "2032-06-01"
    assert body["extensions"][0]["previous_end"] == "2030-12-07"
    assert [(m["kind"], m["due_on"]) for m in body["calendar"] if m["status"] != "done"] == [
        ("periodic", "2031-12-07"), ("final", "2032-06-01")]
    with app.app_context():
        extension = demo.session.scalar(sa.select(TermExtension))
        assert extension.evaluation.verdict == "on_track" and extension.reasons == "In zicht."


def test_activation_keeps_the_term_the_insurers_decided_on(app, demo, api_as):
    """The demo registered the observation beds for 1 January 2027 to 1 January 2030."""
    initiative_id = flows.fund_observation_beds(app, demo, registered_term=True)
    with app.app_context():
        registered = (demo.session.get(Initiative, initiative_id).term_start,
                      demo.session.get(Initiative, initiative_id).term_end)
    activated = api_as(LEAD).post(f"/api/v1/initiatives/{initiative_id}/activate", json={}).get_json()
    assert (activated["term_start"], activated["term_end"]) == tuple(d.isoformat() for d in registered)
    assert activated["start_up_end"] == registered[0].replace(year=registered[0].year + 1).isoformat()
    assert activated["calendar"][-1]["due_on"] == registered[1].isoformat()  # the final evaluation at its end
