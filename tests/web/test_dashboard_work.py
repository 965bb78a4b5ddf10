"""Each role's dashboard shows its own work first (issue 13): counts, the first few items, each a
link to its object, the late ones marked, and the whole list a link away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.domain.workflow import MediationState
from innovatieregister.models import (
    FollowRequest,
    MarketShareSet,
    MediationCase,
    MonitoringMoment,
    Organisation,
    StatementRequest,
)
from innovatieregister.services import mediation
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from innovatieregister.services.demo import illustrative_market_csv
from innovatieregister.services.market_shares import import_market_shares
from tests import flows


def _section(page: str, key: str) -> str:
    return page.split(f'<section aria-labelledby="werk-{key}">')[1].split("</section>")[0]


def _items(section: str) -> list[str]:
    return re.findall(r"<li><a href=.*?</li>", section, re.S)


def _request_of(db, code: str) -> FollowRequest:
    """The insurer's first request (its follow request, where an adoption request came later)."""
    return db.session.scalar(sa.select(FollowRequest).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                             .where(Organisation.code == code).order_by(FollowRequest.id).limit(1))


def test_an_insurer_sees_its_open_requests_soonest_first_the_overdue_marked(app, client, auth, demo):
    beds = flows.open_observation_beds(app, demo)
    flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "VGZ")  # a second request to VGZ, later deadline
    with app.app_context():
        request = _request_of(demo, "VGZ")
        request.deadline = flows.TODAY - timedelta(days=1)  # its deadline passed
        demo.session.commit()
    auth.login("vgz@demo.nl")
    page = client.get("/").get_data(as_text=True)
    items = _items(_section(page, "verzoeken"))
    assert "Wacht op ons besluit (2)" in page
    assert f'href="/initiatieven/{beds}/besluit"' in items[0] and "verstreken" in items[0]
    assert "/overnameverzoeken/" in items[1] and "overnameverzoek" in items[1] and "verstreken" not in items[1]
    assert 'href="/besluiten/"' in _section(page, "verzoeken")  # the whole list
    # Another insurer's request is not VGZ's work.
    auth.login("cz@demo.nl")
    assert "Wacht op ons besluit (1)" in client.get("/").get_data(as_text=True)


def test_the_lead_sees_its_drafts_the_decisions_in_and_the_moments_due(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    draft = _items(_section(client.get("/").get_data(as_text=True), "te-doen"))
    assert len(draft) == 1 and "Observatiebedden Twente" in draft[0] and "stel het open" in draft[0]
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions="Alleen met een evaluatie na een jaar.")
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    running = flows.monitored_innovation_id(app, demo)
    with app.app_context():
        demo.session.add(MonitoringMoment(initiative_id=running, kind=MeasurementKind.PERIODIC,
                                          due_on=flows.TODAY - timedelta(days=3)))
        demo.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Geen van onze initiatieven wacht op een stap van ons." in page  # opened: no longer a draft
    decided = _section(page, "besluiten-binnen")
    assert "Besluiten binnen op onze initiatieven (2)" in page
    assert re.search(r"DSW[^<]* wijst af \(onvoldoende onderbouwd\)", decided)
    assert re.search(r"VGZ[^<]* volgt onder voorwaarden", decided)
    moments = _items(_section(page, "evaluatiemomenten"))
    assert len(moments) == 1 and f'href="/initiatieven/{running}/looptijd"' in moments[0] and "verstreken" in moments[0]
    # Neither is another insurer's work.
    auth.login("vgz@demo.nl")
    page = client.get("/").get_data(as_text=True)
    assert "Besluiten binnen op onze initiatieven (0)" in page and "Evaluatiemomenten die aan de beurt zijn (0)" in page


def test_a_provider_sees_its_initiatives_and_its_adoption_requests_with_the_answer(app, client, auth, demo):
    beds = flows.open_observation_beds(app, demo)
    flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "VGZ")
    with app.app_context():
        adoption = demo.session.scalar(sa.select(FollowRequest.id).where(FollowRequest.kind == "adoption"))
    auth.login("vgz@demo.nl")
    client.post(f"/overnameverzoeken/{adoption}/besluit", data={"decision": "follow", "action": "confirm"})
    auth.login("ziekenhuis@demo.nl")
    page = client.get("/").get_data(as_text=True)
    requests = _items(_section(page, "overnameverzoeken"))
    assert len(requests) == 1 and f'href="/initiatieven/{beds}"' in requests[0]
    assert "aan VGZ" in requests[0] and "volgt" in requests[0]
    involved = _section(page, "betrokken")
    assert f'<li><a href="/initiatieven/{beds}">Observatiebedden Twente</a>' in involved
    # The other provider asked nothing.
    auth.login("ouderenzorg@demo.nl")
    assert "Onze overnameverzoeken (0)" in client.get("/").get_data(as_text=True)


def _case(app, db, code: str, reason: str = "disagreement") -> int:
    with app.app_context():
        request = _request_of(db, code)
        return mediation.request_mediation(flows.user(db, "menzis@demo.nl"), request.initiative_id, reason,
                                           f"Over {code}.", request.id).id


def test_the_mediators_dashboard_lists_the_cases_by_urgency_and_the_overdue_statements(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)  # a finding reopens a decided request
    auth.login("bemiddelaar@demo.nl")
    empty = client.get("/").get_data(as_text=True)
    assert "Zaken in bemiddeling (0)" in empty and "Er loopt geen bemiddeling." in empty
    taken, untaken, late = _case(app, demo, "VGZ"), _case(app, demo, "CZ"), _case(app, demo, "DSW")
    with app.app_context():
        mediator = flows.user(demo, "bemiddelaar@demo.nl")
        mediation.take(mediator, taken)
        mediation.take(mediator, late)
        mediation.record_finding(mediator, late, "follow_required", "DSW moet volgen.", flows.TODAY, clock.now())
        hospital = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ZH-TWENTE"))
        demo.session.add_all([
            StatementRequest(case_id=taken, party_id=hospital, question="Uw zienswijze?", requested_by_id=mediator.id,
                             deadline=flows.TODAY - timedelta(days=2)),
            StatementRequest(case_id=taken, party_id=hospital, question="En nog een?", requested_by_id=mediator.id,
                             deadline=flows.TODAY + timedelta(days=5))])
        demo.session.commit()
        case = demo.session.get(MediationCase, late)
        follow_up = case.follow_up_deadline
        assert case.state == MediationState.FINDING
    page = client.get("/").get_data(as_text=True)
    cases = _items(_section(page, "zaken"))
    assert [int(re.search(r"/bemiddeling/(\d+)", c).group(1)) for c in cases] == [untaken, taken, late]
    assert "nog niet opgepakt" in cases[0] and "in behandeling" in cases[1]
    overdue = _items(_section(page, "zienswijzen-verlopen"))
    assert len(overdue) == 1 and f"/bemiddeling/{taken}" in overdue[0] and "verstreken" in overdue[0]
    # Once the follow required is late, that case comes first, marked.
    assert "verstreken" not in " ".join(cases)
    with app.app_context():
        demo.session.get(MediationCase, late).follow_up_deadline = flows.TODAY - timedelta(days=1)
        demo.session.commit()
    cases = _items(_section(client.get("/").get_data(as_text=True), "zaken"))
    assert f"/bemiddeling/{late}" in cases[0] and "verstreken" in cases[0] and follow_up is not None
    # The whole list, in the same order.
    whole = client.get("/werk/zaken").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'<li><a href="/bemiddeling/(\d+)"', whole)] == [late, untaken, taken]


def test_a_party_sees_only_the_statements_asked_of_its_own_organisation(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case, _ = flows.mediation_on_dsw(app, demo, ask_statement_of="ZH-TWENTE")
    auth.login("ziekenhuis@demo.nl")
    asked = _items(_section(client.get("/").get_data(as_text=True), "zienswijzen"))
    assert len(asked) == 1 and f"/bemiddeling/{case}" in asked[0]
    for email in ("menzis@demo.nl", "ouderenzorg@demo.nl", "dsw@demo.nl"):
        auth.login(email)
        assert "Zienswijzen die de bemiddelaar van ons vraagt (0)" in client.get("/").get_data(as_text=True), email


def test_the_admin_sees_the_accounts_and_market_shares_that_wait(app, client, auth, demo):
    with app.app_context():
        create_user("nieuw@zorg.test", "Nina Nieuw", "VGZ", "insurer_staff", "een-lang-wachtwoord-2026",
                    Actor.command("test"), must_change_password=True)
        import_market_shares(illustrative_market_csv(), flows.TODAY + timedelta(days=40), "Vektis (test)",
                             Actor.command("test"))
        pending = demo.session.scalar(sa.select(MarketShareSet.id).where(MarketShareSet.peildatum > flows.TODAY))
    auth.login("beheerder@demo.nl")
    page = client.get("/").get_data(as_text=True)
    users = _items(_section(page, "gebruikers"))
    assert len(users) == 1 and "Nina Nieuw" in users[0] and "eigen wachtwoord" in users[0]
    shares = _items(_section(page, "marktaandelen"))
    assert len(shares) == 1 and "Vektis (test)" in shares[0] and pending is not None


@pytest.mark.parametrize(("email", "key"), [("vgz@demo.nl", "zaken"), ("bemiddelaar@demo.nl", "verzoeken"),
                                            ("ziekenhuis@demo.nl", "gebruikers"), ("beheerder@demo.nl", "onbekend")])
def test_a_work_list_of_another_role_is_not_found(client, auth, demo, email, key):
    auth.login(email)
    assert client.get(f"/werk/{key}").status_code == 404


def test_the_demos_mediator_has_a_case_and_an_overdue_statement_on_the_dashboard(app, client, auth, settled_demo):
    """Issue 13: the mediator's dashboard of the demo (`make run`) is not empty."""
    auth.login("bemiddelaar@demo.nl")
    page = client.get("/").get_data(as_text=True)
    cases = _items(_section(page, "zaken"))
    assert len(cases) == 1 and "Observatiebedden Twente — pilot Enschede" in cases[0] and "in behandeling" in cases[0]
    overdue = _items(_section(page, "zienswijzen-verlopen"))
    assert len(overdue) == 1 and "verstreken" in overdue[0]
    with app.app_context():
        case = settled_demo.session.scalar(sa.select(MediationCase))
        assert f"/bemiddeling/{case.id}" in overdue[0]
        party = case.follow_request.insurer.name
    assert party in overdue[0]
    # The case is the lead's and the providers' too; no other insurer with an account learns of it.
    auth.login("menzis@demo.nl")
    assert client.get(f"/bemiddeling/{case.id}").status_code == 200
    auth.login("vgz@demo.nl")
    assert client.get(f"/bemiddeling/{case.id}").status_code == 404


def test_the_lead_sees_the_conditions_that_wait_for_its_judgement_until_it_judges(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions=flows.CONDITIONS)
    flows.decide(app, demo, "cz@demo.nl", "follow")  # a follow without conditions waits for nothing
    with app.app_context():
        vgz = _request_of(demo, "VGZ").id
    auth.login("menzis@demo.nl")
    page = client.get("/").get_data(as_text=True)
    items = _items(_section(page, "voorwaarden"))
    assert "Voorwaarden die op ons oordeel wachten (1)" in page
    assert len(items) == 1 and f'href="/verzoeken/{vgz}/voorwaarden"' in items[0] and "VGZ" in items[0]
    auth.login("vgz@demo.nl")  # not the lead: not its work
    assert "Voorwaarden die op ons oordeel wachten (0)" in client.get("/").get_data(as_text=True)
    auth.login("menzis@demo.nl")
    assert client.post(f"/verzoeken/{vgz}/voorwaarden", data={
        "verdict": "accepted", "reasons": "Evaluatie na twaalf maanden past."}).status_code == 302
    assert "Voorwaarden die op ons oordeel wachten (0)" in client.get("/").get_data(as_text=True)


def test_past_the_count_cap_a_list_says_more_than_and_links_to_the_whole_list(app, client, auth, demo, monkeypatch):
    """The dashboard counts each list only up to paging.COUNT_CAP (a lead of thousands of initiatives would
    otherwise be counted through the visibility clause on every visit); past it the heading says so."""
    from functools import partial

    from innovatieregister.paging import capped_counts
    from innovatieregister.services import dashboard

    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    monkeypatch.setattr(dashboard, "capped_counts", partial(capped_counts, cap=1))
    auth.login("menzis@demo.nl")
    section = _section(client.get("/").get_data(as_text=True), "besluiten-binnen")
    assert "Besluiten binnen op onze initiatieven (meer dan 1)" in section
    assert len(_items(section)) == 2  # the rows are not capped, only the count
    assert "Alle bekijken" in section and "Alle 1 bekijken" not in section

