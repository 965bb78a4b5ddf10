"""Mediation through the API (issue 14): each role does what the web lets it, and nothing else;
every answer is checked against the document (conftest.Api)."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import (
    AuditEntry,
    FollowRequest,
    MediationCase,
    MediatorNote,
    Organisation,
    StatementRequest,
)
from tests import flows

LEAD, DSW, PROVIDER, MEDIATOR, UNDECIDED = ("menzis@demo.nl", "dsw@demo.nl", "ziekenhuis@demo.nl",
                                            "bemiddelaar@demo.nl", "achmea@demo.nl")
NOTE = "Alleen voor mij: DSW lijkt te schikken."


def _audited(demo, action: str) -> int:
    return demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == action))


def _dsw_declined(app, demo) -> int:
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, DSW, "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        return demo.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(Organisation.code == "DSW"))


def _case(app, demo, ask_statement_of: str | None = None) -> tuple[int, int | None]:
    """The lead's case on DSW's insufficiently substantiated decline, taken by the mediator."""
    _dsw_declined(app, demo)
    return flows.mediation_on_dsw(app, demo, ask_statement_of=ask_statement_of)


def test_a_case_from_request_to_finding_through_the_api(app, demo, api_as):
    request_id = _dsw_declined(app, demo)
    initiative_id = flows.observation_beds_id(app, demo)
    lead, mediator, dsw = api_as(LEAD), api_as(MEDIATOR), api_as(DSW)

    asked = lead.post(f"/api/v1/initiatives/{initiative_id}/mediation", json={
        "reason": "insufficient_decline", "statement": "DSW onderbouwt onvoldoende.", "request": request_id})
    assert asked.status_code == 201, asked.get_json()
    case = asked.get_json()
    assert (case["state"], case["insurer"], case["opened_by"], case["notes"]) == ("open", "DSW", "MENZIS", None)
    assert asked.headers["Location"] == f"/api/v1/mediation-cases/{case['id']}"
    case_path = f"/api/v1/mediation-cases/{case['id']}"

    # Only the mediator mediates.
    assert lead.post(f"{case_path}/take").status_code == 403
    taken = mediator.post(f"{case_path}/take")
    assert taken.status_code == 200 and taken.get_json()["state"] == "in_progress"
    assert {p["code"] for p in taken.get_json()["parties"]} >= {"MENZIS", "DSW"}
    assert mediator.post(f"{case_path}/take").status_code == 409  # taken already

    statement = mediator.post(f"{case_path}/statements", json={"party": "DSW", "question": "Waarom?"})
    assert statement.status_code == 201 and statement.get_json()["party"] == "DSW"
    statement_id = statement.get_json()["id"]
    note = mediator.post(f"{case_path}/notes", json={"body": NOTE})
    assert note.status_code == 201 and note.get_json()["body"] == NOTE

    # DSW answers the statement asked of it; the lead may not answer it for DSW.
    assert lead.post(f"/api/v1/mediation-statements/{statement_id}/answer", json={"answer": "x"}).status_code == 404
    own = dsw.get(case_path).get_json()
    assert [(s["id"], s["may_answer"]) for s in own["statements"]] == [(statement_id, True)]
    answered = dsw.post(f"/api/v1/mediation-statements/{statement_id}/answer", json={"answer": "Te duur."})
    assert answered.status_code == 200 and answered.get_json()["answer"] == "Te duur."
    assert dsw.post(f"/api/v1/mediation-statements/{statement_id}/answer",
                    json={"answer": "Nog eens."}).status_code == 409

    # A party never sees the mediator's notes, nor that there are any; the mediator does.
    for party in (lead, dsw):
        seen = party.get(case_path)
        assert seen.status_code == 200 and seen.get_json()["notes"] is None and seen.get_json()["parties"] is None
        assert NOTE not in seen.get_data(as_text=True)
        assert NOTE not in party.get(f"{case_path}/timeline").get_data(as_text=True)
    assert [n["body"] for n in mediator.get(case_path).get_json()["notes"]] == [NOTE]

    finding = mediator.post(f"{case_path}/finding", json={"finding": "follow_required", "reasoning": "Volg."})
    assert finding.status_code == 200
    assert (finding.get_json()["state"], finding.get_json()["finding"]) == ("finding", "follow_required")
    assert finding.get_json()["follow_up_deadline"] is not None
    with app.app_context():
        for action in ("mediation.open", "mediation.take", "mediation.statement_request", "mediation.note",
                       "mediation.statement_answer", "mediation.finding", "follow_request.reopened"):
            assert _audited(demo, action) == 1, action


def test_the_case_list_holds_what_the_web_queue_shows_each_role(app, demo, api_as):
    case_id, _statement = _case(app, demo)
    listed = {email: [c["id"] for c in api_as(email).get("/api/v1/mediation-cases").get_json()["items"]]
              for email in (MEDIATOR, LEAD, DSW, PROVIDER, UNDECIDED, "beheerder@demo.nl")}
    assert listed == {MEDIATOR: [case_id], LEAD: [case_id], DSW: [case_id], PROVIDER: [case_id],
                      UNDECIDED: [], "beheerder@demo.nl": []}
    row = api_as(LEAD).get("/api/v1/mediation-cases").get_json()["items"][0]
    assert (row["insurer"], row["at_stake_of"]) == ("DSW", "DSW") and row["at_stake"] is not None


def test_an_undecided_insurer_reads_nothing_of_a_case(app, demo, api_as):
    """Achmea has not decided: a case about DSW's decline would tell it how DSW decided."""
    case_id, statement_id = _case(app, demo, ask_statement_of="ZH-TWENTE")
    achmea = api_as(UNDECIDED)
    for path in (f"/api/v1/mediation-cases/{case_id}", f"/api/v1/mediation-cases/{case_id}/timeline"):
        assert achmea.get(path).status_code == 404
    assert achmea.post(f"/api/v1/mediation-statements/{statement_id}/answer", json={"answer": "x"}).status_code == 404
    assert achmea.post(f"/api/v1/mediation-cases/{case_id}/withdraw").status_code == 404


def test_bad_input_is_refused_per_field_and_changes_nothing(app, demo, api_as):
    case_id, _statement = _case(app, demo)
    mediator = api_as(MEDIATOR)
    with app.app_context():
        before = (demo.session.scalar(sa.select(sa.func.count(StatementRequest.id))),
                  demo.session.scalar(sa.select(sa.func.count(MediatorNote.id))),
                  demo.session.get(MediationCase, case_id).state)
    cases = [
        (f"/api/v1/mediation-cases/{case_id}/statements", {"party": "DSW", "question": "x", "deadline": "morgen"},
         "deadline"),
        (f"/api/v1/mediation-cases/{case_id}/statements", {"party": "CZ", "question": "x"}, "party"),  # no party
        (f"/api/v1/mediation-cases/{case_id}/statements", {"party": "DSW", "question": "x", "cc": "VGZ"}, "cc"),
        (f"/api/v1/mediation-cases/{case_id}/notes", {"body": ""}, "body"),
        (f"/api/v1/mediation-cases/{case_id}/notes", {"body": "x" * 5001}, "body"),
        (f"/api/v1/mediation-cases/{case_id}/finding", {"finding": "verdict", "reasoning": "x"}, "finding"),
        (f"/api/v1/mediation-cases/{case_id}/finding", {"finding": "settled", "reasoning": 7}, "reasoning"),
    ]
    for path, sent, key in cases:
        refused = mediator.post(path, json=sent)
        assert refused.status_code == 422, (path, sent, refused.get_json())
        assert refused.get_json()["errors"][key], (path, sent)
    with app.app_context():
        assert before == (demo.session.scalar(sa.select(sa.func.count(StatementRequest.id))),
                          demo.session.scalar(sa.select(sa.func.count(MediatorNote.id))),
                          demo.session.get(MediationCase, case_id).state)


def test_only_the_party_that_asked_withdraws(app, demo, api_as):
    case_id, _statement = _case(app, demo)
    path = f"/api/v1/mediation-cases/{case_id}/withdraw"
    assert api_as(PROVIDER).post(path).status_code == 403
    assert api_as(MEDIATOR).post(path).status_code == 403
    withdrawn = api_as(LEAD).post(path)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    with app.app_context():
        assert _audited(demo, "mediation.withdraw") == 1


def test_the_timelines_follow_the_web_rules(app, demo, api_as):
    case_id, _statement = _case(app, demo)
    initiative_id = flows.observation_beds_id(app, demo)
    lead = api_as(LEAD)
    page = lead.get(f"/api/v1/initiatives/{initiative_id}/timeline?per_page=2")
    assert page.status_code == 200
    body = page.get_json()
    assert len(body["items"]) == 2 and body["next"] and body["total"] > 2
    following = lead.get(body["next"]).get_json()
    assert following["items"] and following["items"][0] != body["items"][0]
    whats = [e["what"] for e in lead.get(f"/api/v1/mediation-cases/{case_id}/timeline").get_json()["items"]]
    assert whats and all(isinstance(w, str) and w for w in whats)
    # The undecided insurer reads the initiative's timeline without a sign of the mediation.
    achmea = api_as(UNDECIDED).get(f"/api/v1/initiatives/{initiative_id}/timeline?per_page=100")
    assert achmea.status_code == 200 and "bemiddeling" not in achmea.get_data(as_text=True).lower()
    assert "bemiddeling" in lead.get(f"/api/v1/initiatives/{initiative_id}/timeline?per_page=100").get_data(
        as_text=True).lower()
    # A draft's timeline is not found by whoever may not see the draft.
    assert api_as(UNDECIDED).get("/api/v1/initiatives/999999/timeline").status_code == 404
