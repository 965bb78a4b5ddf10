"""The registry's stored spread (services/spread.py): kept in the flush that moves it, and the
ranking read down it equals the viewer's own ranking over every original."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import Initiative, Organisation, User
from innovatieregister.services import adoption, decisions, initiatives, spread
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from tests import flows

pytestmark = pytest.mark.usefixtures("demo")


def _stored(db, initiative_id: int) -> tuple[int, int]:
    row = db.session.execute(sa.select(Initiative.spread_regions, Initiative.spread_insurers)
                             .where(Initiative.id == initiative_id)).one()
    return tuple(row)


def test_the_stored_spread_follows_every_decision_and_adoption_in_the_same_transaction(app, demo):
    source_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        assert _stored(demo, source_id) == (1, 1)  # Twente, its lead
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "cz@demo.nl", "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        assert _stored(demo, source_id) == (1, 2)  # a decline funds nothing
    flows.decide(app, demo, "cz@demo.nl", "follow")  # a new version replaces the standing decline
    with app.app_context():
        assert _stored(demo, source_id) == (1, 3)
        copy = adoption.adopt(flows.user(demo, "vgz@demo.nl"), source_id, "ZK16", flows.TODAY)
        assert _stored(demo, source_id) == (1, 3)  # a draft copy has not spread
        demo.session.get(Initiative, copy.id)
        assert spread.mismatches() == []
    with app.app_context():
        # Every original, recomputed from scratch, agrees with what the flushes stored.
        assert spread.mismatches() == []
        assert demo.session.scalar(sa.select(sa.func.count()).where(Initiative.adopted_from_id.is_(None),
                                                                   Initiative.spread_insurers == 0)) == 0


def test_the_check_command_finds_and_fixes_a_stored_spread_that_drifted(app, demo):
    source_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["registry", "check"]).exit_code == 0
    with app.app_context():
        demo.session.execute(sa.update(Initiative).where(Initiative.id == source_id).values(spread_insurers=9))
        demo.session.commit()
    wrong = runner.invoke(args=["registry", "check"])
    assert wrong.exit_code == 1 and f"Initiatief {source_id}: opgeslagen 1 regio's, 9 verzekeraars" in wrong.output
    assert runner.invoke(args=["registry", "check", "--fix"]).exit_code == 0
    with app.app_context():
        assert _stored(demo, source_id) == (1, 2)


def test_every_viewer_gets_its_own_ranking_page_by_page(app, demo, monkeypatch):
    # Menzis leads the observation beds; VGZ and CZ follow; Achmea has not decided and may not
    # see their follows, so for Achmea the beds rank as one funder: below a second initiative
    # that VGZ follows and Achmea declined (Achmea sees that follow), above it by the bound.
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "cz@demo.nl", "follow")
    with app.app_context():
        providers = demo.session.scalars(sa.select(Organisation.id).where(
            Organisation.code.in_(["ZH-TWENTE", "VVT-TWENTE"]))).all()
        second = initiatives.register(flows.user(demo, "menzis@demo.nl"), InitiativeInput(
            title="Tweede initiatief", region_code="ZK22", kind="jzojp_intervention", phase="scale_up",
            provider_ids=providers, cost_lines=[CostLineInput("ict", "Platform", "1000.00")]), flows.TODAY).id
        initiatives.open_for_decisions(flows.user(demo, "menzis@demo.nl"), second, flows.TODAY, clock.now())
        decisions.decide(flows.user(demo, "vgz@demo.nl"), second, "follow", "", [], None, flows.TODAY)
        decisions.decide(flows.user(demo, "achmea@demo.nl"), second, "decline", "", flows.NOT_WEIGHTY, None,
                         flows.TODAY)
    monkeypatch.setattr(spread, "FIRST_CHUNK", 1)  # read down the bound one original at a time
    differs = False
    with app.app_context():
        originals = sa.select(Initiative).where(Initiative.adopted_from_id.is_(None),
                                                Initiative.status.notin_(spread.NOT_SPREAD))
        total = demo.session.scalar(sa.select(sa.func.count()).select_from(originals.subquery()))
        assert total >= 2
        for viewer in demo.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)).all():
            counts = spread.family_counts(viewer, flows.TODAY)
            own = sorted(demo.session.execute(
                sa.select(counts.c.origin, counts.c.regions, counts.c.insurers)
                .where(counts.c.origin.in_(originals.with_only_columns(Initiative.id)))).all(),
                key=lambda row: (-row.regions, -row.insurers, row.origin))
            bound = demo.session.execute(originals.with_only_columns(Initiative.id).order_by(
                Initiative.spread_regions.desc(), Initiative.spread_insurers.desc(), Initiative.id)).scalars().all()
            differs |= [row.origin for row in own] != bound
            pages = [adoption.registry(page=page, per_page=1, viewer=viewer, today=flows.TODAY).items
                     for page in range(1, total + 1)]
            assert [(s.initiative.id, s.regions, s.insurers_following) for [s] in pages] == [tuple(row) for row in own], \
                viewer.email
    assert differs  # some viewer's ranking is not the bound's order: the walk had to read on
