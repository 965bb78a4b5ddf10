"""The mediator's forms (issue 13): a statement's deadline chosen by the mediator (proposed: the
usual term; bounded), empty forms refused next to their field, and "op het spel" as the contested
insurer's share, not the whole gap."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from fractions import Fraction

import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.formatting import euro
from innovatieregister.models import MediatorNote, Notification, Organisation, StatementRequest, User
from innovatieregister.services.initiatives import get_view
from tests import flows
from tests.web.test_form_errors import _error_next_to, _marked

MEDIATOR = "bemiddelaar@demo.nl"
# Monday 7 December 2026 + 10 working days (STATEMENT_DEADLINE_WORKING_DAYS), counted by hand.
PROPOSED = date(2026, 12, 21)


def _case(app, demo) -> int:
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    return case_id


def _statements(app, demo) -> list[date]:
    with app.app_context():
        return list(demo.session.scalars(sa.select(StatementRequest.deadline)))


def test_the_mediator_chooses_the_statement_deadline(app, client, auth, demo):
    case_id = _case(app, demo)
    auth.login(MEDIATOR)
    page = client.get(f"/bemiddeling/{case_id}").get_data(as_text=True)
    proposed = re.search(r'<input[^>]*\bid="deadline"[^>]*>', page).group(0)
    assert f'value="{limits.date_input(PROPOSED)}"' in proposed  # the usual term, proposed
    response = client.post(f"/bemiddeling/{case_id}/zienswijze", data={
        "party": "DSW", "question": "Welke financiële grond precies?", "deadline": "2027-01-15"})
    assert response.status_code == 302
    assert _statements(app, demo) == [date(2027, 1, 15)]
    with app.app_context():
        dsw = sa.select(User.id).join(Organisation, Organisation.id == User.organisation_id).where(
            Organisation.code == "DSW")
        told = demo.session.scalars(sa.select(Notification.message).where(
            Notification.kind == "mediation.update", Notification.user_id.in_(dsw))).all()
        assert any("uiterlijk 15 januari 2027" in m for m in told)
    # Left empty, the usual term applies (as before the field existed, and for scripts).
    assert client.post(f"/bemiddeling/{case_id}/zienswijze", data={
        "party": "ZH-TWENTE", "question": "Hoeveel patiënten?", "deadline": ""}).status_code == 302
    assert sorted(_statements(app, demo)) == [PROPOSED, date(2027, 1, 15)]


def test_a_deadline_in_the_past_too_far_ahead_or_no_date_is_refused_next_to_the_field(app, client, auth, demo):
    case_id = _case(app, demo)
    auth.login(MEDIATOR)
    for typed, message in (("2026-12-07", "Kies een termijn na vandaag"),  # today: no time to answer
                           ("2026-11-30", "Kies een termijn na vandaag"),
                           ("2027-03-10", "uiterlijk 9 maart 2027"),  # 93 days ahead: beyond about three months
                           ("morgen", "Vul de termijn in als datum")):
        response = client.post(f"/bemiddeling/{case_id}/zienswijze", data={
            "party": "DSW", "question": "Welke grond?", "deadline": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, typed
        assert message in _error_next_to(page, "deadline") and _marked(page, "deadline"), typed
        assert f'value="{typed}"' in page  # what was typed comes back
    assert _statements(app, demo) == []
    # The last day of the range is fine.
    assert client.post(f"/bemiddeling/{case_id}/zienswijze", data={
        "party": "DSW", "question": "Welke grond?", "deadline": "2027-03-09"}).status_code == 302


def test_empty_statement_and_note_forms_get_a_message_next_to_the_field(app, client, auth, demo):
    case_id = _case(app, demo)
    auth.login(MEDIATOR)
    asked = client.post(f"/bemiddeling/{case_id}/zienswijze", data={"party": "DSW", "question": "", "deadline": ""})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 422
    assert "Formuleer de vraag aan de partij." in _error_next_to(page, "question") and _marked(page, "question")
    noted = client.post(f"/bemiddeling/{case_id}/notitie", data={"body": "  "})
    page = noted.get_data(as_text=True)
    assert noted.status_code == 422
    assert "De notitie is leeg." in _error_next_to(page, "body") and _marked(page, "body")
    assert _statements(app, demo) == []
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(MediatorNote.id))) == 0


def _cell(queue: str, case_id: int) -> str:
    row = re.search(rf'Zaak {case_id}</a>.*?</tr>', queue, re.S).group(0)
    return html_lib.unescape(re.findall(r'<td class="num">(.*?)</td>', row, re.S)[0])


def test_at_stake_is_the_contested_insurers_share_not_the_whole_gap(app, client, auth, demo):
    case_id = _case(app, demo)
    with app.app_context():
        view = get_view(flows.user(demo, MEDIATOR), flows.observation_beds_id(app, demo), flows.TODAY)
        dsw = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "DSW"))
        share = next(s.amount for s in view.funding.shares if s.insurer == dsw)
        gap = view.funding.gap
    # DSW's part of the insurers' budget by the frozen key, to the cent (checked against the exact share).
    exact = flows.exact_shares(app, demo, flows.observation_beds_id(app, demo))["DSW"]
    assert abs(exact - Fraction(share)) < Fraction(1, 100)
    assert share < gap
    for email in (MEDIATOR, "menzis@demo.nl"):
        auth.login(email)
        cell = _cell(client.get("/bemiddeling/").get_data(as_text=True), case_id)
        assert euro(share) in cell and "aandeel van DSW" in cell and euro(gap) not in cell, email
        case_page = html_lib.unescape(client.get(f"/bemiddeling/{case_id}").get_data(as_text=True))
        assert f"<dt>Op het spel</dt><dd>{euro(share)}</dd>" in case_page, email
