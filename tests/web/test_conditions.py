"""A follow with conditions (issue 13): the lead accepts or rejects the conditions with reasons; a
rejection reopens the insurer's request with a new deadline. Web and API, audited, notified."""

from __future__ import annotations

import html
from datetime import date

import sqlalchemy as sa

from innovatieregister.models import (
    AuditEntry,
    Decision,
    FollowRequest,
    Initiative,
    Notification,
    Organisation,
    User,
)
from tests import flows

LEAD = "menzis@demo.nl"
# The observation beds open on Monday 7 December 2026: 20 Dutch working days later, skipping both
# Christmas days and New Year's Day, is Wednesday 6 January 2027 (counted by hand).
NEW_DEADLINE = date(2027, 1, 6)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _request(demo, initiative_id: int, code: str) -> FollowRequest:
    return demo.session.scalar(sa.select(FollowRequest).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                               .where(FollowRequest.initiative_id == initiative_id, Organisation.code == code))


def vgz_follows_on_conditions(app, demo) -> tuple[int, int]:
    """The observation beds opened; VGZ follows on flows.CONDITIONS. (initiative id, VGZ's request id)"""
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions=flows.CONDITIONS)
    with app.app_context():
        return initiative_id, _request(demo, initiative_id, "VGZ").id


def _notified(demo, code: str) -> list[str]:
    staff = sa.select(User.id).join(Organisation, Organisation.id == User.organisation_id).where(
        Organisation.code == code)
    return list(demo.session.scalars(sa.select(Notification.message).where(
        Notification.kind == "decision.conditions", Notification.user_id.in_(staff))))


def test_the_lead_rejects_the_conditions_and_the_request_opens_again_with_a_new_deadline(app, client, auth, demo):
    initiative_id = flows.fund_observation_beds(app, demo, conditions_of="VGZ")
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "fully_funded"
        request_id = _request(demo, initiative_id, "VGZ").id
    auth.login(LEAD)
    detail = _page(client.get(f"/initiatieven/{initiative_id}"))
    assert f"volgt onder voorwaarden: {flows.CONDITIONS}" in detail
    assert f"/verzoeken/{request_id}/voorwaarden" in detail
    form = _page(client.get(f"/verzoeken/{request_id}/voorwaarden"))
    assert flows.CONDITIONS in form and "6 januari 2027" in form  # the consequence, said before sending

    response = client.post(f"/verzoeken/{request_id}/voorwaarden", data={
        "verdict": "rejected", "reasons": "Een evaluatie na twaalf maanden past niet in de looptijd."})
    assert response.status_code == 302
    with app.app_context():
        follow_request = _request(demo, initiative_id, "VGZ")
        assert (follow_request.state, follow_request.deadline) == ("open", NEW_DEADLINE)
        versions = demo.session.scalars(sa.select(Decision).where(Decision.follow_request_id == request_id)).all()
        assert [(d.standing, d.conditions_verdict) for d in versions] == [(False, "rejected")]
        # A decision awaited again: no longer fully funded.
        assert demo.session.get(Initiative, initiative_id).status == "open"
        audited = demo.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "decision.conditions")).all()
        assert [(e.object_id, e.after["conditions_verdict"], e.after["state"]) for e in audited] == [
            (str(request_id), "rejected", "open")]
        assert any("Een evaluatie na twaalf maanden past niet" in m and "6 januari 2027" in m
                   for m in _notified(demo, "VGZ"))
    detail = _page(client.get(f"/initiatieven/{initiative_id}"))
    assert "Voorwaarden afgewezen" in detail and "past niet in de looptijd" in detail

    # The insurer sees why, and decides again: a new version, which stands.
    auth.login("vgz@demo.nl")
    assert "Voorwaarden afgewezen" in _page(client.get(f"/initiatieven/{initiative_id}"))
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    assert flows.decision_versions(app, demo, "VGZ")[-1][1:] == ("follow", True)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "fully_funded"


def test_the_lead_accepts_the_conditions_and_the_follow_stands_with_them(app, client, auth, demo):
    initiative_id, request_id = vgz_follows_on_conditions(app, demo)
    auth.login(LEAD)
    response = client.post(f"/verzoeken/{request_id}/voorwaarden", data={
        "verdict": "accepted", "reasons": "Wij evalueren toch na twaalf maanden."})
    assert response.status_code == 302
    with app.app_context():
        follow_request = _request(demo, initiative_id, "VGZ")
        assert follow_request.state == "decided"
        standing = demo.session.scalar(sa.select(Decision).where(
            Decision.follow_request_id == request_id, Decision.standing.is_(True)))
        assert standing.conditions_verdict == "accepted"
        assert any("aanvaardt de voorwaarden" in m for m in _notified(demo, "VGZ"))
    detail = _page(client.get(f"/initiatieven/{initiative_id}"))
    assert "Voorwaarden aanvaard" in detail and "Wij evalueren toch na twaalf maanden." in detail
    assert f"/verzoeken/{request_id}/voorwaarden" not in detail  # judged once
    exported = client.get(f"/initiatieven/{initiative_id}/besluiten-export?formaat=csv").get_data(as_text=True)
    vgz = next(line for line in exported.splitlines() if ";VGZ;" in line)
    assert vgz.endswith(";aanvaard: Wij evalueren toch na twaalf maanden.")
    again = client.post(f"/verzoeken/{request_id}/voorwaarden", data={"verdict": "rejected", "reasons": "x"})
    assert again.status_code == 302
    with app.app_context():
        assert _request(demo, initiative_id, "VGZ").state == "decided"


def test_a_verdict_without_reasons_is_refused_next_to_the_field_and_changes_nothing(app, client, auth, demo):
    initiative_id, request_id = vgz_follows_on_conditions(app, demo)
    auth.login(LEAD)
    response = client.post(f"/verzoeken/{request_id}/voorwaarden", data={"verdict": "rejected", "reasons": "  "})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="reasons-error"' in page and "Geef de redenen van uw oordeel" in page
    response = client.post(f"/verzoeken/{request_id}/voorwaarden", data={"reasons": "Geen keuze."})
    assert response.status_code == 422 and 'id="verdict-error"' in _page(response)
    with app.app_context():
        assert _request(demo, initiative_id, "VGZ").state == "decided"
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.seq)).where(
            AuditEntry.action == "decision.conditions")) == 0


def test_only_the_lead_judges_and_not_a_follow_without_conditions(app, client, auth, demo):
    initiative_id, vgz = vgz_follows_on_conditions(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "follow")
    with app.app_context():
        dsw = _request(demo, initiative_id, "DSW").id
    auth.login("vgz@demo.nl")
    assert client.post(f"/verzoeken/{vgz}/voorwaarden", data={"verdict": "accepted", "reasons": "x"}
                       ).status_code in (403, 404)
    auth.login(LEAD)
    response = client.get(f"/verzoeken/{dsw}/voorwaarden")
    assert response.status_code == 302  # nothing to judge: back to the initiative, with the reason
    assert "Er liggen geen voorwaarden van DSW" in _page(client.get(response.location))
    with app.app_context():
        assert _request(demo, initiative_id, "VGZ").state == "decided"



def test_activation_waits_for_the_lead_to_judge_the_conditions(app, client, auth, demo):
    initiative_id = flows.fund_observation_beds(app, demo, conditions_of="VGZ")
    with app.app_context():
        vgz = _request(demo, initiative_id, "VGZ")
        request_id, vgz_name = vgz.id, vgz.insurer.name
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/looptijd/activeren"
    assert f"Activeren kan pas als u de voorwaarden van {vgz_name} hebt beoordeeld" in _page(client.get(url))
    refused = client.post(url)
    page = _page(refused)
    assert refused.status_code == 409
    assert f"de voorwaarden van {vgz_name} wachten op uw oordeel" in page and "Ja, activeren" not in page
    assert client.post(url, data={"confirmed": "ja"}).status_code == 409
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "fully_funded"
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "initiative.activate")) == 0
    client.post(f"/verzoeken/{request_id}/voorwaarden", data={"verdict": "accepted", "reasons": "Akkoord."})
    assert "Ja, activeren" in _page(client.post(url))  # judged: the confirmation step, then active
    assert client.post(url, data={"confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "active"
