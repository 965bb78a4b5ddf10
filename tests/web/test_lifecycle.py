"""The life cycle after the decision (issue 10), through the web and the API: every step for every
role (allowed and refused, nothing changed when refused), the confirmation step, bad input at the
field, the Dutch explanation of a step the state does not allow, and what each step writes."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import AuditEntry, Initiative, Notification, Organisation, User
from innovatieregister.models.monitoring import Evaluation, Measurement, MonitoringMoment, TermExtension
from innovatieregister.services import lifecycle
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from innovatieregister.services.tokens import create_token
from tests import flows
from tests.api.conftest import Api

LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER = (
    "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "ouderenzorg@demo.nl", "bemiddelaar@demo.nl",
    "beheerder@demo.nl", "inkoper@buitenstaander.test")
EVERYONE = [LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER, None]
EVALUATORS = {LEAD, PROVIDER, OTHER_PROVIDER}
REFUSED = {302, 401, 403, 404}


def _funded(app, db):
    return flows.fund_observation_beds(app, db)


def _active(app, db):
    return flows.activate_observation_beds(app, db)


def _evaluated(app, db, verdict="on_track"):
    initiative_id = _active(app, db)
    with app.app_context():
        lifecycle.record_evaluation(flows.user(db, LEAD), initiative_id,
                                    lifecycle.EvaluationInput("final", verdict, "Eindevaluatie."), clock.now())
    return initiative_id


def _baseline(db, initiative_id) -> MonitoringMoment:
    return db.session.scalar(sa.select(MonitoringMoment).where(
        MonitoringMoment.initiative_id == initiative_id, MonitoringMoment.kind == "baseline"))


# (step, setup, allowed, web path and form, API path and body); {id} and {baseline} filled in.
STEPS = [
    ("activate", _funded, {LEAD}, ("activeren", {"confirmed": "ja"}), ("activate", {})),
    ("calendar", _active, {LEAD}, ("kalender", {"moment_{baseline}": "2027-04-01"}),
     ("calendar", {"moments": [{"id": "{baseline}", "due_on": "2027-04-01"}]})),
    ("baseline", _active, EVALUATORS, ("evaluatie", {"kind": "baseline", "verdict": "on_track", "reasoning": "x"}),
     ("evaluations", {"kind": "baseline", "verdict": "on_track", "reasoning": "x"})),
    ("final", _active, EVALUATORS, ("evaluatie", {"kind": "final", "verdict": "achieved", "reasoning": "x"}),
     ("evaluations", {"kind": "final", "verdict": "achieved", "reasoning": "x"})),
    ("extend", _evaluated, {LEAD}, ("verlengen", {"new_end": "2031-12-07", "reasons": "In zicht."}),
     ("extend", {"new_end": "2031-12-07", "reasons": "In zicht."})),
    ("end", _active, {LEAD}, ("beeindigen", {"outcome": "care_returns", "reasons": "x", "confirmed": "ja"}),
     ("end", {"outcome": "care_returns", "reasons": "x"})),
]


def _fill(value, ids):
    if isinstance(value, str):
        return int(ids["baseline"]) if value == "{baseline}" else value.format(**ids)
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _life(db, initiative_id) -> tuple:
    """Everything a life-cycle step could change."""
    initiative = db.session.get(Initiative, initiative_id)
    return (initiative.status, initiative.term_start, initiative.term_end, initiative.ended_on,
            initiative.activated_at,
            tuple(db.session.execute(sa.select(MonitoringMoment.id, MonitoringMoment.due_on, MonitoringMoment.done_at)
                                     .where(MonitoringMoment.initiative_id == initiative_id)
                                     .order_by(MonitoringMoment.id)).all()),
            db.session.scalar(sa.select(sa.func.count(Evaluation.id))),
            db.session.scalar(sa.select(sa.func.count(TermExtension.id))),
            db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action != "user.login")))


@pytest.fixture
def outsider(app, demo):
    with app.app_context():
        demo.session.add(Organisation(kind="insurer", name="Buitenstaander Verzekeringen", code="BUITEN"))
        demo.session.commit()
        create_user(OUTSIDER, "x", "BUITEN", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))


def _password(email):
    return "demo-wachtwoord-2026" if email.endswith("@demo.nl") else "een-lang-wachtwoord"


@pytest.mark.parametrize("surface", ["web", "api"])
@pytest.mark.parametrize(("step", "setup", "allowed", "web", "api"), STEPS, ids=[s[0] for s in STEPS])
def test_every_step_for_every_role(app, demo, outsider, surface, step, setup, allowed, web, api):
    initiative_id = setup(app, demo)
    with app.app_context():
        baseline = _baseline(demo, initiative_id)
        ids = {"id": initiative_id, "baseline": baseline.id if baseline else 0}
        tokens = {email: create_token(flows.user(demo, email), "t", clock.now())[1] for email in EVERYONE if email}
        before = _life(demo, initiative_id)
    order = [who for who in EVERYONE if who not in allowed] + [min(allowed)]
    for who in order:
        client = app.test_client()
        if surface == "web":
            if who:
                client.post("/inloggen", data={"email": who, "password": _password(who)})
            response = client.post(f"/initiatieven/{initiative_id}/looptijd/{web[0]}", data=_fill(web[1], ids))
        else:
            headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
            response = Api(client, None).post(f"/api/v1/initiatives/{initiative_id}/{api[0]}",
                                              json=_fill(api[1], ids), headers=headers)
        with app.app_context():
            after = _life(demo, initiative_id)
        if who in allowed:
            assert response.status_code in ({302} if surface == "web" else {200, 201}), (who, response.data)
            assert after != before
        else:
            if who is not None and surface == "api":
                assert response.status_code in {403, 404}, (who, response.status_code)
            assert response.status_code in REFUSED, (who, response.status_code)
            assert after == before, who


def test_the_web_explains_a_step_the_state_does_not_allow_and_a_provider_may_not_end(app, demo, client, auth):
    initiative_id = _active(app, demo)
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}/looptijd/verlengen", follow_redirects=True)
    text = html.unescape(page.get_data(as_text=True))
    assert "'verlengen' is niet mogelijk vanuit 'Actief'" in text and "een betrokken zorgaanbieder" in text
    auth.login(PROVIDER)
    assert client.get(f"/initiatieven/{initiative_id}/looptijd/beeindigen").status_code == 403
    assert client.get(f"/initiatieven/{initiative_id}/looptijd/evaluatie").status_code == 200


def test_activation_asks_for_confirmation_and_shows_the_accepted_gap(app, demo, client, auth):
    initiative_id = flows.fund_observation_beds(app, demo, declines="DSW")
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/looptijd/activeren"
    with app.app_context():
        before = _life(demo, initiative_id)
    refused = client.post(url, data={"gap_acceptance_reasons": " "})
    assert refused.status_code == 422
    assert re.search(r'id="gap_acceptance_reasons-error">.*?leg uit waarom u het tekort accepteert',
                     refused.get_data(as_text=True), re.S)
    confirm = client.post(url, data={"gap_acceptance_reasons": "Wij dekken het tekort zelf."})
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Ja, activeren" in text and "Geaccepteerd financieringstekort" in text
    with app.app_context():
        assert _life(demo, initiative_id) == before  # nothing happens before the confirmation
        gap = lifecycle._gaps([demo.session.get(Initiative, initiative_id)], flows.user(demo, LEAD), flows.TODAY)
    dutch_gap = f"€ {gap[initiative_id]:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert dutch_gap in text
    done = client.post(url, data={"gap_acceptance_reasons": "Wij dekken het tekort zelf.", "confirmed": "ja"})
    assert done.status_code == 302
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert initiative.status == "active" and initiative.gap_acceptance_reasons == "Wij dekken het tekort zelf."
        # A start-up year, then three years (config), and the calendar: baseline, three yearly, final.
        assert (initiative.term_start, initiative.start_up_end, initiative.term_end) == (
            flows.TODAY, flows.TODAY.replace(year=2027), flows.TODAY.replace(year=2030))
        kinds = demo.session.execute(sa.select(MonitoringMoment.kind, MonitoringMoment.due_on)
                                     .where(MonitoringMoment.initiative_id == initiative_id)
                                     .order_by(MonitoringMoment.due_on)).all()
        assert [(str(k), d.isoformat()) for k, d in kinds] == [
            ("baseline", "2027-03-07"), ("periodic", "2027-12-07"), ("periodic", "2028-12-07"),
            ("periodic", "2029-12-07"), ("final", "2030-12-07")]
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.activate"))
        assert entry.after["gap"] == str(gap[initiative_id]) and entry.after["term_end"] == "2030-12-07"
        assert entry.before["status"] == "partially_funded"
        notified = set(demo.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                            .where(Notification.kind == "initiative.lifecycle")))
        assert {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER} <= notified and "dsw@demo.nl" not in notified
        told = demo.session.scalars(sa.select(Notification.message).where(Notification.kind == "initiative.lifecycle"))
        assert all(f"Het tekort van {dutch_gap} per jaar is geaccepteerd." in message for message in told)


def test_ending_asks_for_confirmation_and_closes_the_calendar(app, demo, client, auth):
    initiative_id = _active(app, demo)
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/looptijd/beeindigen"
    refused = client.post(url, data={"reasons": "", "outcome": "gone"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="outcome-error"' in text and 'id="reasons-error"' in text
    confirm = client.post(url, data={"reasons": "Geen effect.", "outcome": "scale_down_executed"})
    assert confirm.status_code == 200 and "Ja, beëindigen" in confirm.get_data(as_text=True)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "active"
    client.post(url, data={"reasons": "Geen effect.", "outcome": "scale_down_executed", "confirmed": "ja"})
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert (initiative.status, initiative.ended_on, initiative.end_outcome) == (
            "ended", flows.TODAY, "scale_down_executed")
        assert demo.session.scalar(sa.select(sa.func.count(MonitoringMoment.id)).where(  # nothing left to chase
            MonitoringMoment.initiative_id == initiative_id, MonitoringMoment.done_at.is_(None))) == 0


def test_ending_cancels_the_requests_still_open_and_tells_the_insurers_asked(app, demo, client, auth):
    """A scale-up asks the insurers while the innovation runs; ending it must not leave those
    requests open (to be followed, chased and escalated on an initiative that no longer runs)."""
    from innovatieregister.models import FollowRequest
    from innovatieregister.services import decisions, phase

    initiative_id = flows.monitored_innovation_id(app, demo)
    with app.app_context():
        phase.scale_up(flows.user(demo, LEAD), initiative_id, flows.TODAY)
        decisions.decide(flows.user(demo, FOLLOWER), initiative_id, "follow", "", [], None, flows.TODAY)
        lifecycle.record_evaluation(flows.user(demo, LEAD), initiative_id,
                                    lifecycle.EvaluationInput("final", "on_track", "Eindevaluatie."), clock.now())
        asked = {r.id: r.insurer_id for r in demo.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative_id))}
        live = [r.id for r in demo.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative_id, FollowRequest.state.in_(["open", "decided", "overdue"])))]
        undecided = demo.session.scalar(sa.select(FollowRequest).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(
            FollowRequest.initiative_id == initiative_id, Organisation.code == "CZ"))
        assert undecided.state == "open" and len(live) >= 2
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/looptijd/beeindigen"
    form = {"reasons": "Geen effect.", "outcome": "care_returns"}
    confirm = html.unescape(client.post(url, data=form).get_data(as_text=True))
    assert f"{len(live)} verzoeken om te volgen waarover nog besloten wordt, vervalt" in confirm
    assert client.post(url, data={**form, "confirmed": "ja"}).status_code in (302, 303)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "ended"
        states = dict(demo.session.execute(sa.select(FollowRequest.id, FollowRequest.state).where(
            FollowRequest.initiative_id == initiative_id)).all())
        assert {states[i] for i in live} == {"cancelled"}
        cancels = demo.session.scalars(sa.select(AuditEntry.object_id).where(
            AuditEntry.action == "follow_request.cancel")).all()
        assert sorted(int(c) for c in cancels) == sorted(live)
        told = set(demo.session.scalars(sa.select(User.organisation_id).join(
            Notification, Notification.user_id == User.id).where(Notification.message.contains("beëindigd"))))
        with_users = set(demo.session.scalars(sa.select(User.organisation_id).where(
            User.organisation_id.in_(asked.values()))))  # the others have nobody to tell
        assert undecided.insurer_id in with_users and with_users <= told
        token = create_token(flows.user(demo, "cz@demo.nl"), "t", clock.now())[1]
    follow = Api(app.test_client(), token).post(f"/api/v1/initiatives/{initiative_id}/decision",
                                                json={"decision": "follow"})
    assert follow.status_code == 409


def _measurement(db, initiative: Initiative) -> int:
    """A measurement of the initiative's first goal. MONITOR's service records measurements; this
    test only needs the rows, so it writes them directly."""
    goal = initiative.goals[0]
    row = Measurement(initiative_id=initiative.id, goal_id=goal.id, kind="final", measured_on=flows.TODAY,
                      value=Decimal("12.5"), unit="ligdagen", organisation_id=initiative.lead_insurer_id)
    db.session.add(row)
    db.session.commit()
    return row.id


def test_measured_values_are_shown_the_dutch_way_on_the_life_cycle_pages(app, demo, client, auth):
    initiative_id = _active(app, demo)
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        rows = [Measurement(initiative_id=initiative.id, goal_id=initiative.goals[0].id, kind="periodic",
                            measured_on=flows.TODAY, value=value, unit=unit, organisation_id=initiative.lead_insurer_id)
                for value, unit in ((Decimal("2890"), "dagen"), (Decimal("18.9"), "%"))]
        demo.session.add_all(rows)
        demo.session.commit()
        ids = [row.id for row in rows]
    auth.login(LEAD)
    choices = client.get(f"/initiatieven/{initiative_id}/looptijd/evaluatie").get_data(as_text=True)
    assert ": 2.890 dagen" in choices and ": 18,9 %" in choices
    assert client.post(f"/initiatieven/{initiative_id}/looptijd/evaluatie", data={
        "kind": "periodic", "verdict": "on_track", "reasoning": "Op koers.",
        "measurements": [str(i) for i in ids]}).status_code == 302
    page = client.get(f"/initiatieven/{initiative_id}/looptijd").get_data(as_text=True)
    assert ": 2.890 dagen" in page and ": 18,9 %" in page
    assert "E+" not in page and "18.9" not in page


def test_the_lead_adjusts_the_calendar_with_dutch_errors_at_the_field(app, demo, client, auth):
    initiative_id = _active(app, demo)
    with app.app_context():
        baseline = _baseline(demo, initiative_id).id
        before = _life(demo, initiative_id)
    auth.login(LEAD)
    url = f"/initiatieven/{initiative_id}/looptijd/kalender"
    refused = client.post(url, data={f"moment_{baseline}": "2035-01-01"})
    assert refused.status_code == 422
    assert re.search(rf'id="moment_{baseline}-error">.*?binnen de looptijd', refused.get_data(as_text=True), re.S)
    assert client.post(url, data={f"moment_{baseline}": "7-3-2027"}).status_code == 422
    with app.app_context():
        assert _life(demo, initiative_id) == before
    assert client.post(url, data={f"moment_{baseline}": "2027-04-01"}).status_code == 302
    with app.app_context():
        assert _baseline(demo, initiative_id).due_on.isoformat() == "2027-04-01"


def test_the_detail_page_offers_the_lifecycle_steps_the_viewer_may_take(app, demo, client, auth):
    initiative_id = _active(app, demo)
    buttons = {}
    for who in (LEAD, PROVIDER, FOLLOWER, MEDIATOR):
        auth.login(who)
        text = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
        buttons[who] = {label for label in ("Evaluatie vastleggen", "Evaluatiekalender aanpassen", "Beëindigen",
                                            "Activeren", "Verlengen") if f">{label}</a>" in text}
        assert "Looptijd en evaluatie" in text
    assert buttons == {LEAD: {"Evaluatie vastleggen", "Evaluatiekalender aanpassen", "Beëindigen"},
                       PROVIDER: {"Evaluatie vastleggen"}, FOLLOWER: set(), MEDIATOR: set()}


def test_the_lifecycle_page_shows_term_calendar_and_evaluations(app, demo, client, auth, frozen_clock):
    initiative_id = _active(app, demo)
    with app.app_context():
        lifecycle.record_evaluation(flows.user(demo, PROVIDER), initiative_id, lifecycle.EvaluationInput(
            "baseline", "behind", "Nulmeting: MERK-onderbouwing."), clock.now())
    frozen_clock.advance(timedelta(days=400))  # past the first periodic moment (7 December 2027)
    auth.login(FOLLOWER)
    text = client.get(f"/initiatieven/{initiative_id}/looptijd").get_data(as_text=True)
    assert "7 december 2030" in text and "MERK-onderbouwing" in text and "Achter op schema" in text
    rows = re.findall(r"<tr><td>([^<]+)</td><td>[^<]+</td>\s*<td class=\"moment-(\w+)\">", text)
    assert rows == [("Nulmeting", "done"), ("Periodieke meting", "overdue"), ("Periodieke meting", "planned"),
                    ("Periodieke meting", "planned"), ("Eindmeting", "planned")]


@pytest.mark.parametrize(("setup", "path", "data", "fields"), [
    (_active, "evaluatie", {"kind": "later", "verdict": "", "reasoning": " "}, ["kind"]),
    (_active, "evaluatie", {"kind": "baseline", "verdict": "great", "reasoning": " "}, ["verdict", "reasoning"]),
    (_active, "evaluatie", {"kind": "baseline", "verdict": "on_track", "reasoning": "x" * 5001}, ["reasoning"]),
    (_active, "evaluatie", {"kind": "periodic", "verdict": "on_track", "reasoning": "x", "measurements": "999999"},
     ["measurements"]),
    (_evaluated, "verlengen", {"new_end": "2030-12-07", "reasons": ""}, ["new_end", "reasons"]),
    (_evaluated, "verlengen", {"new_end": "7 december 2031", "reasons": "x"}, ["new_end"]),
])
def test_bad_input_gets_a_dutch_message_at_its_field_and_changes_nothing(app, demo, client, auth, setup, path,
                                                                         data, fields):
    initiative_id = setup(app, demo)
    auth.login(LEAD)
    with app.app_context():
        before = _life(demo, initiative_id)
    response = client.post(f"/initiatieven/{initiative_id}/looptijd/{path}", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for name in fields:
        assert re.search(rf'id="{name}-error"><span class="visually-hidden">Fout:</span> [A-Z]', text), name
    with app.app_context():
        assert _life(demo, initiative_id) == before


def test_the_life_cycle_page_shows_the_evaluations_a_page_at_a_time(app, client, auth, demo):
    from innovatieregister.paging import PER_PAGE

    initiative_id = flows.monitored_innovation_id(app, demo)
    flows.grow_life(app, demo, PER_PAGE, [initiative_id])  # with the demo's own: one more than a page
    auth.login(LEAD)
    first = client.get(f"/initiatieven/{initiative_id}/looptijd").get_data(as_text=True)
    assert first.count('<article class="evaluation">') == PER_PAGE
    assert f"Op koers ({PER_PAGE - 1})." in first  # the newest first
    next_page = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first).group(1))
    second = client.get(next_page).get_data(as_text=True)
    assert second.count('<article class="evaluation">') == 1 and "Op koers (" not in second  # the demo's own
