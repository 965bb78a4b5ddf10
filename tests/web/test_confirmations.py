"""Irreversible steps ask first, without JavaScript: the page restates what will happen and only the
confirmed form acts (issue 13). Here: opening for decisions, recording a mediation finding and
withdrawing a mediation, a co-funder's decision on its pledge, contesting a settlement; activating, ending and withdrawing an initiative have theirs in tests/web/test_lifecycle*.py."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from innovatieregister.domain.calendar import add_working_days, written
from innovatieregister.domain.funding import PledgeState, SettlementState
from innovatieregister.models import (
    AuditEntry,
    CoFundingPledge,
    Decision,
    FollowRequest,
    Initiative,
    MediationCase,
    Notification,
    Organisation,
)
from innovatieregister.models.funding import Settlement, SettlementContest
from tests import flows
from tests.conftest import count_rows
from tests.settlement_flows import FOLLOWER, YEAR, active_beds, propose


def _text(response) -> str:
    """The page's text, tags left out."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def _case_on_dsw(app, demo) -> int:
    """The observation beds opened, DSW's decline too thin, the lead asked for mediation: the case's id."""
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    return flows.mediation_on_dsw(app, demo)[0]


def test_opening_for_decisions_restates_the_consequence_and_opens_only_when_confirmed(app, demo, client, auth):
    initiative_id = flows.observation_beds_id(app, demo)
    auth.login("menzis@demo.nl")
    deadline = add_working_days(flows.TODAY, app.config["DECISION_DEADLINE_WORKING_DAYS"])
    for response in (client.get(f"/initiatieven/{initiative_id}/openen"),
                     client.post(f"/initiatieven/{initiative_id}/openen")):  # the detail page's button
        page = _text(response)
        assert response.status_code == 200
        assert "niet terug te draaien" in page and f"uiterste besluitdatum {written(deadline)}" in page
        assert "9 verzekeraars krijgen een verzoek" in page  # every other insurer with insured in Twente
        assert "VGZ" in page and re.search(r'<input[^>]*name="confirmed"[^>]*value="ja"', response.get_data(as_text=True))
    with app.app_context():  # nothing happened yet
        assert demo.session.get(Initiative, initiative_id).status == "concept"
        assert count_rows(demo, FollowRequest) == 0
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "initiative.open")) == 0

    confirmed = client.post(f"/initiatieven/{initiative_id}/openen", data={"confirmed": "ja"})
    assert confirmed.status_code == 302
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "open"
        assert count_rows(demo, FollowRequest) == 9


def test_only_the_lead_sees_the_opening_confirmation(app, demo, client, auth):
    initiative_id = flows.observation_beds_id(app, demo)
    auth.login("vgz@demo.nl")
    assert client.get(f"/initiatieven/{initiative_id}/openen").status_code in (403, 404)


def test_a_finding_restates_its_consequence_and_is_recorded_only_when_confirmed(app, demo, client, auth):
    case_id = _case_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    posted = {"finding": "follow_required", "reasoning": "Budget weegt niet op tegen substitutie."}
    preview = client.post(f"/bemiddeling/{case_id}/bevinding", data=posted)
    page = _text(preview)
    deadline = add_working_days(flows.TODAY, app.config["MEDIATION_FOLLOW_UP_WORKING_DAYS"])
    assert preview.status_code == 200
    assert "niet terug te draaien" in page and "Volgen vereist" in page
    assert f"De verzekeraar moet uiterlijk {written(deadline)} zijn volgbesluit vastleggen" in page
    assert "Het verzoek aan DSW gaat weer open" in page and posted["reasoning"] in page
    with app.app_context():
        case = demo.session.get(MediationCase, case_id)
        assert case.state == "in_progress" and case.finding is None
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.message.like("Bevinding van de bemiddelaar%"))) == 0

    assert client.post(f"/bemiddeling/{case_id}/bevinding", data={**posted, "confirmed": "ja"}).status_code == 302
    with app.app_context():
        case = demo.session.get(MediationCase, case_id)
        assert case.state == "finding" and case.finding == "follow_required"
        assert case.follow_up_deadline == deadline


def test_a_finding_that_would_close_the_case_says_so(app, demo, client, auth):
    case_id = _case_on_dsw(app, demo)
    auth.login("bemiddelaar@demo.nl")
    page = _text(client.post(f"/bemiddeling/{case_id}/bevinding",
                             data={"finding": "decline_upheld", "reasoning": "Gegrond."}))
    assert "De afwijzing blijft staan." in page and "De zaak wordt gesloten." in page
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "in_progress"


def test_withdrawing_a_mediation_asks_first(app, demo, client, auth):
    case_id = _case_on_dsw(app, demo)
    auth.login("menzis@demo.nl")
    asked = client.post(f"/bemiddeling/{case_id}/intrekken")
    assert asked.status_code == 200 and "niet terug te draaien" in _text(asked)
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "in_progress"
    assert client.post(f"/bemiddeling/{case_id}/intrekken", data={"confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(MediationCase, case_id).state == "withdrawn"


def test_the_opening_page_says_why_opening_cannot_be_done(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("menzis@demo.nl")
    page = client.get(f"/initiatieven/{initiative_id}/openen")
    assert page.status_code == 200
    assert "Openen kan nu niet" in _text(page) and "niet mogelijk vanuit" in _text(page)
    assert "Ja, open voor besluiten" not in _text(page)


def _pledge_of(demo, code: str) -> int:
    return demo.session.scalar(sa.select(CoFundingPledge.id).join(Organisation).where(Organisation.code == code))


def _audited(demo, action: str) -> int:
    return demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_a_co_funder_confirms_its_pledge_only_after_the_confirmation_step(app, demo, client, auth):
    flows.observation_beds_id(app, demo)
    with app.app_context():
        pledge_id = _pledge_of(demo, "ZKT-TWENTE")
    auth.login("zorgkantoor@demo.nl")
    asked = client.post(f"/medefinanciering/{pledge_id}/besluit", data={"decision": "confirm"})
    page = _text(asked)
    assert asked.status_code == 200
    assert "niet terug te draaien" in page and "€ 50.000,00 per jaar" in page and "Ja, bevestigen" in page
    assert re.search(r'<input[^>]*name="confirmed"[^>]*value="ja"', asked.get_data(as_text=True))
    with app.app_context():  # nothing happened yet
        assert demo.session.get(CoFundingPledge, pledge_id).state == PledgeState.PROPOSED
        assert _audited(demo, "co_funding.confirm") == 0
    assert client.post(f"/medefinanciering/{pledge_id}/besluit",
                       data={"decision": "confirm", "confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(CoFundingPledge, pledge_id).state == PledgeState.CONFIRMED


def test_declining_a_pledge_restates_the_reasons_and_refuses_none_before_asking(app, demo, client, auth):
    flows.observation_beds_id(app, demo)
    with app.app_context():
        pledge_id = _pledge_of(demo, "ZKT-TWENTE")
    auth.login("zorgkantoor@demo.nl")
    # Without reasons there is nothing to confirm: the message is next to the field at once.
    assert client.post(f"/medefinanciering/{pledge_id}/besluit", data={"decision": "decline"}).status_code == 422
    asked = client.post(f"/medefinanciering/{pledge_id}/besluit",
                        data={"decision": "decline", "reasons": "Geen Wlz-budget meer."})
    page = _text(asked)
    assert asked.status_code == 200 and "niet terug te draaien" in page
    assert "Geen Wlz-budget meer." in page and "Ja, afwijzen" in page
    with app.app_context():
        assert demo.session.get(CoFundingPledge, pledge_id).state == PledgeState.PROPOSED
    assert client.post(f"/medefinanciering/{pledge_id}/besluit", data={
        "decision": "decline", "reasons": "Geen Wlz-budget meer.", "confirmed": "ja"}).status_code == 302
    with app.app_context():
        pledge = demo.session.get(CoFundingPledge, pledge_id)
        assert pledge.state == PledgeState.DECLINED and pledge.decision_reasons == "Geen Wlz-budget meer."


def test_contesting_a_settlement_asks_first(app, demo, client, auth):
    initiative_id = active_beds(app, demo, pledge="10000.00")
    settlement_id = propose(app, demo, initiative_id)
    auth.login(FOLLOWER)
    url = f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bezwaar"
    asked = client.post(url, data={"reasons": "De kosten zijn te hoog."})
    page = _text(asked)
    assert asked.status_code == 200
    assert f"Bezwaar maken tegen de nacalculatie {YEAR}" in page and "De kosten zijn te hoog." in page
    assert "Ja, bezwaar maken" in page
    with app.app_context():
        assert demo.session.get(Settlement, settlement_id).state == SettlementState.PROPOSED
        assert count_rows(demo, SettlementContest) == 0
    assert client.post(url, data={"reasons": "De kosten zijn te hoog.", "confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.get(Settlement, settlement_id).state == SettlementState.CONTESTED
        assert count_rows(demo, SettlementContest) == 1


def test_a_contest_without_reasons_is_refused_before_the_confirmation_step(app, demo, client, auth):
    initiative_id = active_beds(app, demo, pledge="10000.00")
    settlement_id = propose(app, demo, initiative_id)
    auth.login(FOLLOWER)
    refused = client.post(f"/initiatieven/{initiative_id}/nacalculatie/{settlement_id}/bezwaar", data={"reasons": ""})
    assert refused.status_code == 422 and 'id="reasons-error"' in refused.text and "Ja, bezwaar maken" not in refused.text
def _adoption_request_to_asr(app, demo) -> int:
    """The observation beds opened; ASR declined too thinly; the hospital asks ASR to adopt the deal."""
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.NOT_WEIGHTY)
    return flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "ASR")


def _decisions_on(demo, request_id: int) -> int:
    return demo.session.scalar(sa.select(sa.func.count()).select_from(Decision).where(
        Decision.follow_request_id == request_id))


def test_an_adoption_decision_restates_itself_and_is_recorded_only_when_confirmed(app, demo, client, auth):
    request_id = _adoption_request_to_asr(app, demo)
    auth.login("asr@demo.nl")
    url = f"/overnameverzoeken/{request_id}/besluit"
    asked = client.post(url, data={"decision": "follow", "conditions": "Jaarlijkse evaluatie.", "action": "decide"})
    page = _text(asked)
    assert asked.status_code == 200
    assert "Controleer uw besluit" in page and "niet terug te draaien" in page
    assert "U neemt de afspraak over" in page and "Jaarlijkse evaluatie." in page
    assert "Ziekenhuis Twente (demo)" in page and "Menzis" in page  # who hears of it
    assert re.search(r'<button[^>]*form="decision-form"[^>]*value="confirm"', asked.get_data(as_text=True))
    # The form keeps what was chosen, so the confirm button sends it again.
    assert re.search(r'<input[^>]*checked[^>]*value="follow"|<input[^>]*value="follow"[^>]*checked',
                     asked.get_data(as_text=True))
    with app.app_context():
        assert _decisions_on(demo, request_id) == 0
        assert demo.session.get(FollowRequest, request_id).state == "open"

    declined = _text(client.post(url, data={"decision": "decline", "action": "decide"}))
    assert "U wijst het overnameverzoek af" in declined and "niet terug te draaien" in declined
    with app.app_context():
        assert _decisions_on(demo, request_id) == 0

    assert client.post(url, data={"decision": "follow", "action": "confirm"}).status_code == 302
    with app.app_context():
        assert _decisions_on(demo, request_id) == 1


def test_a_follow_decision_is_no_adoption_and_needs_no_confirmation(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")
    assert client.post(f"/initiatieven/{initiative_id}/besluit",
                       data={"decision": "follow", "action": "decide"}).status_code == 302


def test_an_adoption_request_restates_itself_and_is_sent_only_when_confirmed(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("ziekenhuis@demo.nl")
    url = f"/initiatieven/{initiative_id}/overnameverzoek"
    posted = {"insurer": "ASR", "impact_description": "Verkeerde-beddagen naar observatiebedden",
              "impact_volume": "400", "impact_unit": "bed_days", "impact_by": "31-12-2027"}
    asked = client.post(url, data=posted)
    page = _text(asked)
    deadline = add_working_days(flows.TODAY, app.config["DECISION_DEADLINE_WORKING_DAYS"])
    assert asked.status_code == 200
    assert "Controleer uw verzoek" in page and "niet terug te draaien" in page
    assert f"ASR krijgt het verzoek de afspraak over te nemen en besluit uiterlijk {written(deadline)}" in page
    assert re.search(r'<button[^>]*form="adoption-request-form"[^>]*name="confirmed"[^>]*value="ja"',
                     asked.get_data(as_text=True))
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(FollowRequest).where(
            FollowRequest.kind == "adoption")) == 0

    assert client.post(url, data={**posted, "confirmed": "ja"}).status_code == 302
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(FollowRequest).where(
            FollowRequest.kind == "adoption")) == 1
