"""Co-funding (issue 11): pledges before opening, confirmation by the co-funder, freezing at opening,
and the one fair-share computation (budget less confirmed co-funding) everywhere funding is used."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.funding import PledgeState
from innovatieregister.models import AuditEntry, CoFundingPledge, Initiative, Notification, Organisation, User
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, co_funding, initiatives, lifecycle
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from innovatieregister.services.co_funding import PledgeInput
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from innovatieregister.services.mediation import _gaps
from tests import flows

LEAD, GEMEENTE, ZORGKANTOOR = "menzis@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl"
ENSCHEDE = Decimal("100000.00")


def _pledge(db, code: str) -> CoFundingPledge:
    return db.session.scalar(sa.select(CoFundingPledge).join(Organisation).where(
        Organisation.code == code, CoFundingPledge.state.in_(["proposed", "confirmed"])))


def _notices(db, email: str) -> list[str]:
    user = flows.user(db, email)
    return list(db.session.scalars(sa.select(Notification.message).where(Notification.user_id == user.id)))


def test_the_demo_beds_have_a_confirmed_and_a_waiting_pledge(ctx, demo):
    assert _pledge(demo, "GEM-ENSCHEDE").state == PledgeState.CONFIRMED
    assert _pledge(demo, "GEM-ENSCHEDE").amount_per_year == ENSCHEDE
    assert _pledge(demo, "ZKT-TWENTE").state == PledgeState.PROPOSED


def test_before_opening_the_preview_counts_only_the_confirmed_pledges(ctx, demo):
    beds = demo.session.scalar(sa.select(Initiative.id).where(Initiative.title == "Observatiebedden Twente"))
    view = initiatives.get_view(flows.user(demo, LEAD), beds, flows.TODAY)
    f = view.funding
    assert f.total == flows.BUDGET
    assert f.co_funders == (("Gemeente Enschede (demo)", ENSCHEDE),)  # not the zorgkantoor's waiting one
    assert f.insurers_total == flows.BUDGET - ENSCHEDE
    assert sum(s.amount for s in f.shares) == flows.BUDGET - ENSCHEDE
    lead_share = next(s.amount for s in f.shares if s.insurer == view.initiative.lead_insurer_id)
    assert f.committed == ENSCHEDE + lead_share  # the lead funds its own share
    assert f.committed + f.gap == flows.BUDGET


def test_opening_freezes_the_confirmed_pledge_and_lapses_the_waiting_one(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        enschede = demo.session.scalar(sa.select(CoFundingPledge).join(Organisation).where(
            Organisation.code == "GEM-ENSCHEDE"))
        twente = demo.session.scalar(sa.select(CoFundingPledge).join(Organisation).where(
            Organisation.code == "ZKT-TWENTE"))
        assert enschede.state == PledgeState.CONFIRMED and enschede.frozen_at == clock.now()
        assert twente.state == PledgeState.LAPSED and twente.frozen_at is None
        assert any("telt niet mee" in m for m in _notices(demo, ZORGKANTOOR))
        actions = set(demo.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "CoFundingPledge")))
        assert {"co_funding.freeze", "co_funding.lapse"} <= actions
        # After opening nothing about pledges changes.
        lead = flows.user(demo, LEAD)
        with pytest.raises(Conflict):
            co_funding.add_pledge(lead, initiative_id, PledgeInput("ZKT-TWENTE", "10.00"))
        with pytest.raises(Conflict):
            co_funding.edit_pledge(lead, enschede.id, PledgeInput("", "10.00"))
        with pytest.raises(Conflict):
            co_funding.withdraw_pledge(lead, enschede.id)
        with pytest.raises(Conflict):
            co_funding.decide_pledge(flows.user(demo, ZORGKANTOOR), twente.id, True, "", clock.now())
        assert co_funding.counted_co_funding([initiative_id])[initiative_id] == [("Gemeente Enschede (demo)", ENSCHEDE)]


def test_the_co_funder_confirms_or_declines_its_own_pledge_only(ctx, demo):
    pledge = _pledge(demo, "ZKT-TWENTE")
    with pytest.raises(NotAllowed):  # another co-funder that sees the initiative
        co_funding.decide_pledge(flows.user(demo, GEMEENTE), pledge.id, True, "", clock.now())
    with pytest.raises(NotFound):  # an insurer asked nothing yet: a draft is not theirs to see
        co_funding.decide_pledge(flows.user(demo, "vgz@demo.nl"), pledge.id, True, "", clock.now())
    with pytest.raises(Invalid) as refused:
        co_funding.decide_pledge(flows.user(demo, ZORGKANTOOR), pledge.id, False, "  ", clock.now())
    assert "reasons" in refused.value.field_errors
    demo.session.expire_all()
    assert _pledge(demo, "ZKT-TWENTE").state == PledgeState.PROPOSED
    co_funding.decide_pledge(flows.user(demo, ZORGKANTOOR), pledge.id, False, "Geen Wlz-budget meer.", clock.now())
    demo.session.expire_all()
    declined = demo.session.get(CoFundingPledge, pledge.id)
    assert declined.state == PledgeState.DECLINED and declined.decision_reasons == "Geen Wlz-budget meer."
    assert any("wijst af" in m for m in _notices(demo, LEAD))


def test_the_lead_adds_edits_and_withdraws_within_the_budget(ctx, demo):
    lead = flows.user(demo, LEAD)
    beds = demo.session.scalar(sa.select(Initiative.id).where(Initiative.title == "Observatiebedden Twente"))
    twente = _pledge(demo, "ZKT-TWENTE")
    co_funding.withdraw_pledge(lead, twente.id)
    room = flows.BUDGET - ENSCHEDE
    for data, field in ((PledgeInput("ZKT-TWENTE", str(room + Decimal("0.01"))), "amount_per_year"),
                        (PledgeInput("ZKT-TWENTE", "0"), "amount_per_year"),
                        (PledgeInput("VGZ", "10.00"), "organisation"),
                        (PledgeInput("GEM-ENSCHEDE", "10.00"), "organisation"),  # already has a live one
                        (PledgeInput("ZKT-TWENTE", "10.00", "x" * 5001), "conditions")):
        with pytest.raises(Invalid) as refused:
            co_funding.add_pledge(lead, beds, data)
        assert field in refused.value.field_errors, data
    added = co_funding.add_pledge(lead, beds, PledgeInput("zkt-twente", str(room), "Wlz", True))
    assert added.state == PledgeState.PROPOSED and added.amount_per_year == room and added.pro_rata
    assert any("mee te financieren" in m for m in _notices(demo, ZORGKANTOOR))
    with pytest.raises(NotAllowed):
        co_funding.add_pledge(flows.user(demo, "ziekenhuis@demo.nl"), beds, PledgeInput("ZKT-TWENTE", "1.00"))
    # Editing a confirmed pledge asks its co-funder again.
    enschede = _pledge(demo, "GEM-ENSCHEDE")
    co_funding.edit_pledge(lead, enschede.id, PledgeInput("", "90000"))
    demo.session.expire_all()
    assert demo.session.get(CoFundingPledge, enschede.id).state == PledgeState.PROPOSED
    # The budget cannot drop below the live pledges.
    with pytest.raises(Invalid) as refused:
        initiatives.update_draft(lead, beds, InitiativeInput(
            title="Observatiebedden Twente", region_code="ZK22", kind="jzojp_intervention", phase="scale_up",
            provider_ids=[p.provider_id for p in demo.session.get(Initiative, beds).providers],
            cost_lines=[CostLineInput("care", "Minder bedden", "100000.00")]), flows.TODAY)
    assert "cost_lines" in refused.value.field_errors


def test_a_co_funder_sees_only_what_it_has_a_pledge_on_and_no_decision(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    with app.app_context():
        other = Organisation(kind="municipality", name="Gemeente Elders", code="GEM-ELDERS")
        demo.session.add(other)
        demo.session.commit()
        create_user("wethouder@elders.test", "x", "GEM-ELDERS", "co_funder_staff", "een-lang-wachtwoord",
                    Actor.command("t"))
        outsider = demo.session.scalar(sa.select(User).where(User.email == "wethouder@elders.test"))
        assert initiatives.list_for(outsider, today=flows.TODAY).items == []
        with pytest.raises(NotFound):
            initiatives.get_view(outsider, initiative_id, flows.TODAY)
        for email in (GEMEENTE, ZORGKANTOOR):  # confirmed (frozen) and lapsed: both took part
            who = flows.user(demo, email)
            assert [i.id for i in initiatives.list_for(who, today=flows.TODAY).items] == [initiative_id]
            view = initiatives.get_view(who, initiative_id, flows.TODAY)
            assert view.requests and not any(r.visible for r in view.requests)  # VGZ's follow stays hidden
            lead_share = next(s.amount for s in view.funding.shares if s.insurer == view.initiative.lead_insurer_id)
            assert view.funding.committed == ENSCHEDE + lead_share


def test_activation_and_mediation_count_the_co_funding(app, demo):
    """What is at stake in mediation and the gap accepted at activation: the same co-funded figure as
    the initiative page (the budget less the co-funding, over the insurers)."""
    initiative_id = flows.fund_observation_beds(app, demo, declines="DSW")
    with app.app_context():
        lead = flows.user(demo, LEAD)
        view = initiatives.get_view(lead, initiative_id, flows.TODAY)
        initiative = demo.session.get(Initiative, initiative_id)
        assert view.funding.co_funding == ENSCHEDE
        gap = _gaps([initiative], lead, flows.TODAY)[initiative_id]
        assert gap == view.funding.gap
        dsw = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "DSW"))
        assert gap == next(s.amount for s in view.funding.shares if s.insurer == dsw)
        plan = lifecycle.preview_activation(lead, initiative_id, "DSW volgt niet; wij dragen het tekort.", flows.TODAY)
        assert plan.gap == view.funding.gap


def test_price_times_volume_keeps_one_derived_cost_line(ctx, demo):
    lead = flows.user(demo, LEAD)
    hospital, vvt = (demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == c))
                     for c in ("ZH-TWENTE", "VVT-TWENTE"))
    data = InitiativeInput(title="Observatiebedden prijs × volume", region_code="ZK22", kind="jzojp_intervention",
                           phase="scale_up", provider_ids=[hospital, vvt],
                           cost_lines=[CostLineInput("care", "genegeerd", "1.00")],
                           funding_model="price_volume", unit_price="361,49", expected_volume="2920",
                           risk_level="2", settlement_basis="actual_use")
    created = initiatives.register(lead, data, flows.TODAY)
    assert created.annual_budget == Decimal("361.49") * 2920 == flows.BUDGET
    assert [(c.description, c.amount) for c in created.cost_lines] == [("prijs × volume", flows.BUDGET)]
    assert (created.unit_price, created.expected_volume, created.risk_level) == (Decimal("361.49"), 2920, 2)
    assert created.settlement_basis.value == "actual_use"
    for changes, field in (({"expected_volume": None}, "expected_volume"), ({"expected_volume": "0"}, "expected_volume"),
                           ({"unit_price": "-1"}, "unit_price"), ({"unit_price": None}, "unit_price"),
                           ({"risk_level": "4"}, "risk_level"), ({"funding_model": "gratis"}, "funding_model"),
                           ({"settlement_basis": "lot"}, "settlement_basis"),
                           ({"unit_price": "999999999999.99", "expected_volume": "100"}, "expected_volume")):
        bad = InitiativeInput(**{**data.__dict__, "idempotency_key": None, **changes})
        with pytest.raises(Invalid) as refused:
            initiatives.register(lead, bad, flows.TODAY)
        assert field in refused.value.field_errors, changes


def test_a_start_up_activated_from_its_draft_freezes_its_pledges_as_opening_would(app, demo):
    """A start-up innovation is never opened (no duty to follow), so activation is where the money is
    fixed: the confirmed pledge is frozen and counts, the waiting one lapses and its co-funder is told."""
    with app.app_context():
        lead = flows.user(demo, LEAD)
        providers = demo.session.scalars(sa.select(Organisation.id).where(
            Organisation.code.in_(["ZH-TWENTE", "VVT-TWENTE"]))).all()
        start_up = initiatives.register(lead, InitiativeInput(
            title="Proef thuismonitoring", region_code="ZK22", kind="innovation", phase="start_up",
            innovation_type="digital", provider_ids=providers,
            cost_lines=[CostLineInput("ict", "Platform", "50000.00")]), flows.TODAY).id
        confirmed = co_funding.add_pledge(lead, start_up, PledgeInput("GEM-ENSCHEDE", "10000.00")).id
        waiting = co_funding.add_pledge(lead, start_up, PledgeInput("ZKT-TWENTE", "5000.00")).id
        co_funding.decide_pledge(flows.user(demo, GEMEENTE), confirmed, True, "", clock.now())
        lifecycle.activate(lead, start_up, "", flows.TODAY, clock.now())
        demo.session.expire_all()
        assert demo.session.get(CoFundingPledge, confirmed).frozen_at == clock.now()
        lapsed = demo.session.get(CoFundingPledge, waiting)
        assert lapsed.state == PledgeState.LAPSED and lapsed.frozen_at is None
        assert co_funding.counted_co_funding([start_up])[start_up] == [("Gemeente Enschede (demo)", Decimal("10000.00"))]
        assert any("telt niet mee" in m for m in _notices(demo, ZORGKANTOOR))
