"""A decision means what it says (issue 9 §3), on the decision form: one argument per criterion,
a binding "follow required" finding, and a resubmitted form that returns what it stored."""

from __future__ import annotations

import html
import re

from innovatieregister.domain.calendar import written
from innovatieregister.models import MediationCase
from tests import flows


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _argument_group(page: str, number: int) -> str:
    """The HTML of one argument row on the form, from its heading to the next one."""
    return page.split(f'id="arg-{number}"')[1].split('id="arg-')[0]


def test_the_same_criterion_twice_is_refused_next_to_the_argument_and_nothing_is_stored(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    # Financial alone scores 1 × 3 = 3 (threshold 6); named twice it would pass as weighty.
    response = client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide",
        "arguments-0-criterion": "financial", "arguments-0-strength": "3",
        "arguments-0-explanation": "Geen budget in 2027.",
        "arguments-2-criterion": "financial", "arguments-2-strength": "3",
        "arguments-2-explanation": "Ook geen budget in 2028."})
    assert response.status_code == 422
    page = _page(response)
    message = "het criterium 'Financiële overwegingen' staat al bij argument 1"
    # The message sits with argument 3 (the row the user filled), tied to its criterion field.
    third = _argument_group(page, 3)
    assert message in third and 'aria-invalid="true"' in third and "arguments-2-criterion-error" in third
    assert message not in _argument_group(page, 1)
    assert "Argument 3:" in third  # named by the row the user sees, not by its place among filled rows
    # Re-rendered as sent (nothing lost), and the preview counts the criterion once.
    assert "Ook geen budget in 2028." in page
    assert "Gewogen score: 3 tegen drempel 6" in re.sub(r"</?strong>", "", page)
    assert flows.decision_versions(app, demo, "DSW") == []


def test_a_follow_required_finding_leaves_the_insurer_only_its_follow(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={
        "finding": "follow_required", "reasoning": "Budgetkrapte weegt niet op tegen minder verkeerde bedden.",
        "confirmed": "ja"}
    ).status_code == 302

    auth.login("dsw@demo.nl")
    form = _page(client.get(f"/initiatieven/{initiative_id}/besluit"))
    assert "Uw organisatie kan alleen volgen" in form  # said before anything is sent
    refused = client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide", "arguments-0-criterion": "insufficient_evidence",
        "arguments-0-strength": "3", "arguments-0-explanation": "Nog steeds geen effectmeting."})
    assert refused.status_code == 422
    page = _page(refused)
    # Named: the finding, its date (the frozen day in Amsterdam) and the mediator's reasoning.
    assert f"de bevinding 'Volgen vereist' vastgelegd (zaak {case_id}" in page
    assert f"op {written(flows.TODAY)}" in page
    assert "Budgetkrapte weegt niet op tegen minder verkeerde bedden." in page
    assert 'id="decision-error"' in page
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", True)]  # nothing stored

    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "follow", "action": "decide"}).status_code == 302
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "closed"
    # The case closed by the follow it demanded: that does not free the insurer to decline again.
    again = client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide", "arguments-0-criterion": "insufficient_evidence",
        "arguments-0-strength": "3", "arguments-0-explanation": "Toch niet."})
    assert again.status_code == 422 and "Volgen vereist" in _page(again)
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]


def test_a_decline_upheld_binds_nothing(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    client.post(f"/bemiddeling/{case_id}/bevinding", data={"finding": "decline_upheld", "reasoning": "Gegrond.",
                                                           "confirmed": "ja"})
    auth.login("dsw@demo.nl")
    assert "kan alleen volgen" not in _page(client.get(f"/initiatieven/{initiative_id}/besluit"))
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide", "arguments-0-criterion": "insufficient_evidence",
        "arguments-0-strength": "2", "arguments-0-explanation": "Geen effectmeting."}).status_code == 302


def _form_key(client, initiative_id: int) -> str:
    form = client.get(f"/initiatieven/{initiative_id}/besluit").get_data(as_text=True)
    return re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form).group(1)


def test_a_resubmitted_form_returns_the_version_it_stored_not_the_one_that_stands(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    decline = {"decision": "decline", "action": "decide", "arguments-0-criterion": "insufficient_evidence",
               "arguments-0-strength": "2", "arguments-0-explanation": "Geen effectmeting.",
               "idempotency_key": _form_key(client, initiative_id)}
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data=decline).status_code == 302
    follow = {"decision": "follow", "action": "decide", "idempotency_key": _form_key(client, initiative_id)}
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data=follow).status_code == 302
    client.get("/")  # read the two confirmations

    # The first form again (a resubmit from the browser's history): nothing new, and it says
    # what it recorded then, not that the follow standing now was recorded.
    replay = client.post(f"/initiatieven/{initiative_id}/besluit", data=decline, follow_redirects=True)
    page = _page(replay)
    assert "Dit formulier was al verwerkt: het legde versie 1 vast (afwijzen" in page
    assert "Uw besluit is vastgelegd." not in page
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]

    # The same form sent with another choice is not taken for the first: nothing is stored, and
    # the re-rendered form carries a new key, so a deliberate second submission records it.
    changed = client.post(f"/initiatieven/{initiative_id}/besluit", data={**decline, "arguments-0-strength": "3"})
    assert changed.status_code == 422 and "al eerder verzonden, met een ander besluit" in _page(changed)
    assert flows.decision_versions(app, demo, "DSW") == [(1, "decline", False), (2, "follow", True)]
    new_key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"',
                        changed.get_data(as_text=True)).group(1)
    assert new_key != decline["idempotency_key"]
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        **decline, "arguments-0-strength": "3", "idempotency_key": new_key}).status_code == 302
    assert flows.decision_versions(app, demo, "DSW")[-1] == (3, "decline", True)


def test_the_preview_marks_a_repeated_criterion_and_counts_it_once(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "preview",
        "arguments-0-criterion": "financial", "arguments-0-strength": "3", "arguments-0-explanation": "a",
        "arguments-1-criterion": "financial", "arguments-1-strength": "3", "arguments-1-explanation": "b"})
    assert response.status_code == 200
    page = _page(response)
    assert "staat al bij argument 1" in _argument_group(page, 2)
    assert "Gewogen score: 3 tegen drempel 6" in re.sub(r"</?strong>", "", page)
