"""The mediation queue and the timelines read less (issue 15), and say the same: for every user, each
queue row says what the case itself says, as the case page computes it per case, and a timeline
reads the initiative as its page shows it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister import clock, visibility
from innovatieregister.domain.workflow import LIVE_MEDIATION_STATES
from innovatieregister.models import FollowRequest, Initiative, MediationCase, Organisation, User
from innovatieregister.policies import is_mediator
from innovatieregister.services import NotFound, initiatives, mediation
from tests import flows


def _cases(app, db) -> None:
    """Beside the settled pilot's overdue case: on the opened beds, VGZ and CZ follow, DSW's decline is
    weak and the lead takes it to mediation (a case about DSW's share), and Achmea, undecided and
    before its deadline, disagrees (a case about its own share), as does the hospital (a case about the gap)."""
    initiative_id = flows.open_observation_beds(app, db)
    flows.decide(app, db, "vgz@demo.nl", "follow")
    flows.decide(app, db, "cz@demo.nl", "follow")
    flows.decide(app, db, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        dsw = db.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(
            Organisation.code == "DSW", FollowRequest.initiative_id == initiative_id))
        mediation.request_mediation(flows.user(db, "menzis@demo.nl"), initiative_id, "insufficient_decline",
                                    "DSW onderbouwt de afwijzing onvoldoende.", dsw)
        mediation.request_mediation(flows.user(db, "achmea@demo.nl"), initiative_id, "disagreement",
                                    "Wij zien de noodzaak niet.")
        mediation.request_mediation(flows.user(db, "ziekenhuis@demo.nl"), initiative_id, "disagreement",
                                    "De bedden moeten er komen.")


def test_each_row_says_what_its_case_says_for_every_user(app, settled_demo):
    db = settled_demo
    _cases(app, db)
    with app.app_context():
        today = clock.today()
        kinds = set()
        for user in db.session.scalars(sa.select(User).order_by(User.id)).all():
            rows = mediation.queue_for(user, today, per_page=100).items
            seen = sa.select(MediationCase).where(visibility.case_clause(user))
            if is_mediator(user):
                seen = seen.where(MediationCase.state.in_(LIVE_MEDIATION_STATES))
            expected = db.session.scalars(seen.order_by(MediationCase.opened_at, MediationCase.id)).all()
            assert [r.case.id for r in rows] == [c.id for c in expected], user.email
            for row in rows:
                case, request = row.case, row.case.follow_request
                view = initiatives.get_view(user, case.initiative_id, today)
                assert row.stake == mediation.stake_of(case, view.funding), (user.email, case.id)
                assert (row.title, row.region) == (case.initiative.title, case.initiative.region.name)
                assert (row.insurer, row.insurer_code) == (
                    (request.insurer.name, request.insurer.code) if request else (None, None))
                kinds.add((case.reason, row.stake.insurer is None))
            # One case as the API reads it (stake_for), closed ones too: the same as its page.
            for case in db.session.scalars(sa.select(MediationCase).where(visibility.case_clause(user))):
                funding = initiatives.get_view(user, case.initiative_id, today).funding
                assert mediation.stake_for(user, case, today) == mediation.stake_of(case, funding), user.email
        # The rows compared: cases about an insurer's share and about the gap.
        print(kinds)
        assert {("insufficient_decline", False), ("disagreement", False), ("disagreement", True)} <= kinds


def test_a_timeline_reads_the_initiative_as_its_page_shows_it_to_every_user(app, settled_demo):
    """initiatives.timeline_view (what a timeline asks: the requests whose decisions the user sees,
    whether the mediation shows) says what get_view says, and refuses whom get_view refuses."""
    db = settled_demo
    _cases(app, db)
    with app.app_context():
        today = clock.today()
        compared = refused = 0
        for user in db.session.scalars(sa.select(User).order_by(User.id)).all():
            for initiative_id in db.session.scalars(sa.select(Initiative.id).order_by(Initiative.id)).all():
                try:
                    full = initiatives.get_view(user, initiative_id, today)
                except NotFound:
                    with pytest.raises(NotFound):
                        initiatives.timeline_view(user, initiative_id, today)
                    refused += 1
                    continue
                light = initiatives.timeline_view(user, initiative_id, today)
                assert light.initiative.id == initiative_id
                assert sorted(light.visible_request_ids) == sorted(r.request.id for r in full.requests if r.visible)
                assert light.sees_mediation == full.sees_mediation, (user.email, initiative_id)
                compared += 1
        assert compared and refused
