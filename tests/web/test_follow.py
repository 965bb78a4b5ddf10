"""Following an initiative (issue 12): a user from another region follows an initiative from the
register and hears of its status changes and evaluations, in the app and by e-mail, once each,
and never of what the visibility rule hides from them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.extensions import db as _db
from innovatieregister.jobs import run_due
from innovatieregister.models import (
    AuditEntry,
    Follow,
    FollowNotice,
    Initiative,
    Notification,
    Organisation,
    OutboxMessage,
)
from innovatieregister.services import follows, lifecycle, mail, write_transaction
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from tests import flows
from tests.conftest import count_rows

ELSEWHERE = "inkoper@elders.test"  # an insurer with no insured in Twente: never a party there
PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def elsewhere(app, demo):
    with app.app_context():
        demo.session.add(Organisation(kind="insurer", name="Elders Verzekeringen", code="ELDERS"))
        demo.session.commit()
        create_user(ELSEWHERE, "Inkoper Elders", "ELDERS", "insurer_staff", PASSWORD, Actor.command("t"))
    return ELSEWHERE


def _follow(app, db, email: str, initiative_id: int) -> None:
    with app.app_context():
        follows.follow(flows.user(db, email), initiative_id)


def _told(app, db, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == flows.user(db, email).id, Notification.kind == follows.KIND)
            .order_by(Notification.id)))


def _mailed(app, db, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage.body).where(
            OutboxMessage.to_address == email, OutboxMessage.kind == follows.KIND).order_by(OutboxMessage.id)))


def test_a_user_from_another_region_follows_from_the_register_and_hears_of_a_withdrawal(
        app, demo, client, auth, elsewhere):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login(elsewhere, PASSWORD)
    entry = client.get(f"/register/{initiative_id}").get_data(as_text=True)
    assert ">Volgen</button>" in entry
    response = client.post(f"/initiatieven/{initiative_id}/volgen", data={"terug": "register"})
    assert response.status_code == 302 and response.location.endswith(f"/register/{initiative_id}")
    assert "Niet meer volgen" in client.get(f"/register/{initiative_id}").get_data(as_text=True)
    assert "Observatiebedden Twente" in client.get("/gevolgd").get_data(as_text=True)
    assert _told(app, demo, elsewhere) == []  # following is no news of the initiative

    with app.app_context():
        lifecycle.withdraw(flows.user(demo, "menzis@demo.nl"), initiative_id, "Geen locatie gevonden.",
                           flows.TODAY, clock.now())
    told = _told(app, demo, elsewhere)
    assert told == ["'Observatiebedden Twente', dat u volgt: de status is nu 'ingetrokken'."]
    assert len(_mailed(app, demo, elsewhere)) == 1 and told[0] in _mailed(app, demo, elsewhere)[0]
    page = client.get("/meldingen").get_data(as_text=True)
    assert f'href="/register/{initiative_id}"' in page


def test_unfollowing_stops_the_news(app, demo, client, auth, elsewhere):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login(elsewhere, PASSWORD)
    client.post(f"/initiatieven/{initiative_id}/volgen")
    response = client.post(f"/initiatieven/{initiative_id}/ontvolgen")
    assert response.status_code == 302 and response.location.endswith("/gevolgd")
    assert "U volgt nog geen initiatieven" in client.get("/gevolgd").get_data(as_text=True)
    with app.app_context():
        lifecycle.withdraw(flows.user(demo, "menzis@demo.nl"), initiative_id, "Geen locatie.", flows.TODAY,
                           clock.now())
    assert _told(app, demo, elsewhere) == []


def test_following_twice_is_one_follow_and_a_draft_cannot_be_followed(app, demo, client, auth, elsewhere):
    draft_id = flows.observation_beds_id(app, demo)
    auth.login(elsewhere, PASSWORD)
    with app.app_context():
        before = count_rows(demo, Follow)  # the demo's own follow
    assert client.post(f"/initiatieven/{draft_id}/volgen").status_code == 404
    with app.app_context():
        assert count_rows(demo, Follow) == before
    flows.open_observation_beds(app, demo)
    client.post(f"/initiatieven/{draft_id}/volgen")
    client.post(f"/initiatieven/{draft_id}/volgen")
    with app.app_context():
        assert count_rows(demo, Follow) == before + 1
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "initiative.follow",
            AuditEntry.actor_user_id == flows.user(demo, elsewhere).id)) == 1


def test_an_event_handed_over_twice_is_told_once(app, demo, elsewhere):
    """The unique key per (follower, event): a second hand-over of the same audit entry (a retry)
    notifies nobody again, in the app or by e-mail."""
    initiative_id = flows.open_observation_beds(app, demo)
    _follow(app, demo, elsewhere, initiative_id)
    with app.app_context():
        lifecycle.withdraw(flows.user(demo, "menzis@demo.nl"), initiative_id, "Geen locatie.", flows.TODAY,
                           clock.now())
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.withdraw"))
        with write_transaction():
            assert follows.tell_followers(entry) == 0
        assert count_rows(demo, FollowNotice) == 1
    assert len(_told(app, demo, elsewhere)) == 1 and len(_mailed(app, demo, elsewhere)) == 1


def _run(app, now):
    with app.app_context():
        try:
            return run_due(now, include_mail=False)
        finally:
            _db.session.remove()


def test_a_job_that_runs_again_tells_each_follower_once(app, demo, elsewhere):
    """Every insurer decides (DSW declines weightily); the deadline passes and the scheduler closes
    the requests: partially funded. Two more passes, as after a restart, tell nothing new."""
    initiative_id = flows.open_observation_beds(app, demo)
    _follow(app, demo, elsewhere, initiative_id)
    _follow(app, demo, "cz@demo.nl", initiative_id)  # an insurer asked follows too
    with app.app_context():
        from innovatieregister.models import FollowRequest, User
        from innovatieregister.services import decisions

        requests = demo.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative_id)).all()
        for request in requests:
            staff = demo.session.scalar(sa.select(User).where(User.organisation_id == request.insurer_id))
            if staff is None:
                staff = create_user(f"staf@{request.insurer.code.lower()}.test", "Staf", request.insurer.code,
                                    "insurer_staff", PASSWORD, Actor.command("t"))
            kind, arguments = ("decline", flows.WEIGHTY) if request.insurer.code == "DSW" else ("follow", [])
            decisions.decide(staff, initiative_id, kind, "", list(arguments), None, flows.TODAY)
        deadline = max(r.deadline for r in requests)
    after = clock.now() + (deadline - flows.TODAY + timedelta(days=2))
    for _ in range(3):
        _run(app, after)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "partially_funded"
    expected = ["'Observatiebedden Twente', dat u volgt: de status is nu 'deels gefinancierd'."]
    assert _told(app, demo, elsewhere) == expected
    assert _told(app, demo, "cz@demo.nl") == expected


def test_a_follower_is_never_told_of_a_mediation_hidden_from_them(app, demo, elsewhere):
    initiative_id = flows.open_observation_beds(app, demo)
    for email in (elsewhere, "achmea@demo.nl", "menzis@demo.nl"):  # achmea: asked, still undecided
        _follow(app, demo, email, initiative_id)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    flows.mediation_on_dsw(app, demo)
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "in_mediation"
    assert _told(app, demo, elsewhere) == [] and _mailed(app, demo, elsewhere) == []
    assert _told(app, demo, "achmea@demo.nl") == []
    # The lead sees the mediation: it is news to them.
    assert _told(app, demo, "menzis@demo.nl") == [
        "'Observatiebedden Twente', dat u volgt: de status is nu 'in bemiddeling'."]


def test_a_follower_hears_of_an_evaluation_and_may_keep_it_out_of_their_mail(app, demo, client, auth, elsewhere):
    running = flows.monitored_innovation_id(app, demo)
    auth.login(elsewhere, PASSWORD)
    client.post(f"/initiatieven/{running}/volgen")
    others = [kind for kind in mail.KIND_LABELS if kind != follows.KIND]
    client.post("/profiel/meldingen", data={"email": others})  # e-mail for everything but this
    with app.app_context():
        lifecycle.record_evaluation(flows.user(demo, "ziekenhuis@demo.nl"), running, lifecycle.EvaluationInput(
            "periodic", "behind", "De heropnames dalen trager dan gepland."), clock.now())
    assert _told(app, demo, elsewhere) == [
        "'Thuismonitoring hartfalen Twente', dat u volgt: er is een evaluatie vastgelegd (periodieke meting: achter op schema)."]
    assert _mailed(app, demo, elsewhere) == []


def test_a_final_evaluation_is_one_event_told_once_with_its_status_change(app, demo, elsewhere):
    """One transaction, one audit entry, two things to tell (the evaluation and the status it
    moves the initiative to): one notification that names both."""
    running = flows.monitored_innovation_id(app, demo)
    _follow(app, demo, elsewhere, running)
    with app.app_context():
        lifecycle.record_evaluation(flows.user(demo, "menzis@demo.nl"), running, lifecycle.EvaluationInput(
            "final", "achieved", "De doelen zijn gehaald."), clock.now())
    assert _told(app, demo, elsewhere) == [
        "'Thuismonitoring hartfalen Twente', dat u volgt: de status is nu 'geëvalueerd' en er is een evaluatie "
        "vastgelegd (eindmeting: doelen behaald)."]
