"""Shared savings (issue 11, part 3) through the services: the agreement before opening, frozen at
opening, kept through an edit of the draft; each final settlement's savings, gate and split."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa

from innovatieregister.domain.funding import SavingsLineKind, SettlementState
from innovatieregister.models import AuditEntry, Initiative, Organisation
from innovatieregister.models.funding import SavingsAgreement, SavingsGate, SavingsResult, Settlement
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, initiatives, savings
from innovatieregister.services.audit import Actor
from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput
from tests import flows
from tests.savings_flows import (
    BASELINE,
    LEAD,
    PROVIDER,
    agreed,
    agreement_input,
    final_settlement,
    frozen_insured,
    measurable_goal,
    measure,
    opened_with_agreement,
    settle,
)


def _agreement(db, initiative_id: int) -> SavingsAgreement | None:
    return db.session.scalar(sa.select(SavingsAgreement).where(SavingsAgreement.initiative_id == initiative_id))


def _result(db, settlement_id: int) -> SavingsResult:
    return db.session.scalar(sa.select(SavingsResult).where(SavingsResult.settlement_id == settlement_id))


def _codes(db, lines) -> dict[str, Decimal]:
    return {(db.session.get(Organisation, line.organisation_id).code if line.organisation_id else "insurers"): line.amount
            for line in lines}


def test_the_lead_records_the_agreement_of_a_draft(app, demo):
    initiative_id = agreed(app, demo)
    with app.app_context():
        agreement = _agreement(demo, initiative_id)
        assert agreement.baseline_annual_cost == BASELINE and agreement.frozen_at is None
        assert [(g.goal.metric, g.minimum_value) for g in agreement.gates] == [
            ("Verkeerde-beddagen in Ziekenhuis Twente per jaar", Decimal("2000"))]
        assert sorted((p.organisation.code if p.organisation else "insurers", p.percentage)
                      for p in agreement.key_parts) == [("GEM-ENSCHEDE", 20), ("ZH-TWENTE", 30), ("insurers", 50)]


@pytest.mark.parametrize(("key", "field", "message"), [
    ([("insurers", "50"), ("ZH-TWENTE", "49,99")], "key", "tellen op tot 99,99 %; dat moet precies 100 % zijn"),
    ([("insurers", "50"), ("ZH-TWENTE", "50,0001")], "key", "tellen op tot 100,0001 %"),
    ([("insurers", "100"), ("insurers", "0")], "key-2-party", "staat al in de verdeelsleutel"),
    ([("insurers", "50"), ("CZ", "50")], "key-2-party", "Kies de zorgverzekeraars samen"),  # an insurer by name
    ([("insurers", "50"), ("VVT-TWENTE", "veel")], "key-2-percentage", "geen getal"),
    ([("insurers", "150")], "key-1-percentage", "hoogstens 100"),
])
def test_a_key_that_is_not_exactly_100_or_names_a_wrong_party_is_refused_and_saves_nothing(
        app, demo, key, field, message):
    initiative_id, goal_id = measurable_goal(app, demo)
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            savings.save_agreement(flows.user(demo, LEAD), initiative_id, agreement_input(goal_id, key=key))
        assert any(message in m for m in refused.value.field_errors[field]), refused.value.field_errors
        assert _agreement(demo, initiative_id) is None


def test_a_gate_needs_a_goal_with_a_direction_and_a_number(app, demo):
    initiative_id = flows.observation_beds_id(app, demo)  # its goal has no numbers
    with app.app_context():
        goal_id = demo.session.get(Initiative, initiative_id).goals[0].id
        with pytest.raises(Invalid) as refused:
            savings.save_agreement(flows.user(demo, LEAD), initiative_id, agreement_input(goal_id))
        assert "geen nulmeting en streefwaarde" in refused.value.field_errors["gates-1-goal_id"][0]
        with pytest.raises(Invalid) as refused:
            savings.save_agreement(flows.user(demo, LEAD), initiative_id, agreement_input(goal_id, baseline="0"))
        assert "groter dan € 0" in refused.value.field_errors["baseline_annual_cost"][0]
        assert _agreement(demo, initiative_id) is None


def test_only_the_lead_records_it_and_whoever_does_not_see_the_draft_is_told_nothing(app, demo):
    initiative_id, goal_id = measurable_goal(app, demo)
    with app.app_context():
        with pytest.raises(NotAllowed):
            savings.save_agreement(flows.user(demo, PROVIDER), initiative_id, agreement_input(goal_id))
        with pytest.raises(NotFound):
            savings.save_agreement(flows.user(demo, "vgz@demo.nl"), initiative_id, agreement_input(goal_id))
        assert _agreement(demo, initiative_id) is None


def test_opening_freezes_the_agreement(app, demo):
    initiative_id = opened_with_agreement(app, demo)
    with app.app_context():
        agreement = _agreement(demo, initiative_id)
        assert agreement.frozen_at is not None
        assert demo.session.scalar(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "SavingsAgreement", AuditEntry.action == "savings.agreement_freeze"))
        goal_id = agreement.gates[0].goal_id
        with pytest.raises(Conflict):
            savings.save_agreement(flows.user(demo, LEAD), initiative_id, agreement_input(goal_id, baseline="1,00"))
        assert _agreement(demo, initiative_id).baseline_annual_cost == BASELINE


def _edit(db, initiative_id: int, goals: list[GoalInput]) -> None:
    initiative = db.session.get(Initiative, initiative_id)
    initiatives.update_draft(flows.user(db, LEAD), initiative_id, InitiativeInput(
        title=initiative.title, region_code=initiative.region.code, kind=initiative.kind.value,
        phase=initiative.phase.value, provider_ids=[p.provider_id for p in initiative.providers],
        cost_lines=[CostLineInput(c.category.value, c.description, str(c.amount)) for c in initiative.cost_lines],
        goals=goals), flows.TODAY)


def test_editing_the_draft_keeps_the_gate_on_the_goal_with_the_same_metric(app, demo):
    initiative_id = agreed(app, demo)
    with app.app_context():
        old_goal_id = demo.session.get(Initiative, initiative_id).goals[0].id
        _edit(demo, initiative_id, [
            GoalInput("Heropnames binnen 30 dagen", "12%", "8%", "2028-12-31", "quality",
                      baseline_value="12", target_value="8"),
            GoalInput("Verkeerde-beddagen in Ziekenhuis Twente per jaar", "2.900", "1.400", "2028-12-31",
                      "capacity", baseline_value="2900", target_value="1400")])
        demo.session.expire_all()
        goals = demo.session.get(Initiative, initiative_id).goals
        gate = _agreement(demo, initiative_id).gates[0]
        assert old_goal_id not in [g.id for g in goals]  # the edit made new goal rows
        assert gate.goal_id == goals[1].id and gate.minimum_value == 2000


@pytest.mark.parametrize("goals", [
    [],  # the gate goal is gone
    [GoalInput("Verkeerde-beddagen in Ziekenhuis Twente per jaar", "2.900", "1.500", "2028-12-31",
               "capacity")],  # no numbers
])
def test_an_edit_that_takes_away_a_gate_goal_is_refused_with_a_message_at_the_goals(app, demo, goals):
    initiative_id = agreed(app, demo)
    with app.app_context():
        goal_ids = [g.id for g in demo.session.get(Initiative, initiative_id).goals]
        with pytest.raises(Invalid) as refused:
            _edit(demo, initiative_id, goals)
        assert "kwaliteitspoort van de besparingsafspraak" in refused.value.field_errors["goals"][0]
        demo.session.expire_all()
        assert [g.id for g in demo.session.get(Initiative, initiative_id).goals] == goal_ids
        assert [g.goal_id for g in demo.session.scalars(sa.select(SavingsGate))] == goal_ids


def test_savings_of_a_final_year_are_split_by_the_key_and_over_the_funders_by_the_frozen_key(app, demo):
    initiative_id = opened_with_agreement(app, demo)
    measure(app, demo, initiative_id, "1900")  # at most 2,000 wrong-bed days: the gate is met
    settlement_id = settle(app, demo, initiative_id, "998000.00")
    insured = frozen_insured(app, demo, initiative_id, ("MENZIS", "VGZ"))
    with app.app_context():
        result = _result(demo, settlement_id)
        savings_amount = BASELINE - Decimal("998000.00")
        assert result.gate_met and result.savings == savings_amount and result.reason == ""
        parties = _codes(demo, [line for line in result.lines if line.kind == SavingsLineKind.PARTY])
        assert parties == {"insurers": Decimal("101000.00"), "ZH-TWENTE": Decimal("60600.00"),
                           "GEM-ENSCHEDE": Decimal("40400.00")}
        assert sum(parties.values()) == savings_amount
        insurers = _codes(demo, [line for line in result.lines if line.kind == SavingsLineKind.INSURER])
        assert set(insurers) == {"MENZIS", "VGZ"}  # DSW declined: no part of the savings
        assert sum(insurers.values()) == parties["insurers"]
        total = sum(insured.values())
        for code, amount in insurers.items():
            assert abs(Fraction(amount) - Fraction(parties["insurers"]) * insured[code] / total) < Fraction(1, 100)


@pytest.mark.parametrize(("value", "cost", "reason"), [
    ("2100", "998000.00", "Kwaliteitspoort niet gehaald: Verkeerde-beddagen in Ziekenhuis Twente per jaar: "
                          "gemeten 2.100, vereist hoogstens 2.000."),
    (None, "998000.00", "Kwaliteitspoort niet gehaald: Verkeerde-beddagen in Ziekenhuis Twente per jaar: "
                        "geen meting in 2026."),
    ("1900", "1250000.00", "Geen besparing: de werkelijke kosten (€ 1.250.000,00) zijn niet lager dan de "
                           "basislijn (€ 1.200.000,00)."),
])
def test_no_savings_when_the_gate_fails_or_the_cost_is_not_lower_with_the_reason(app, demo, value, cost, reason):
    initiative_id = opened_with_agreement(app, demo)
    if value is not None:
        measure(app, demo, initiative_id, value)
    settlement_id = settle(app, demo, initiative_id, cost)
    with app.app_context():
        result = _result(demo, settlement_id)
        assert result.savings == 0 and result.reason == reason
        assert all(line.amount == 0 for line in result.lines)


def test_a_corrected_settlement_gets_its_own_result_and_the_old_one_stays_as_history(app, demo, auth, client):
    initiative_id = opened_with_agreement(app, demo)
    measure(app, demo, initiative_id, "1900")
    first = settle(app, demo, initiative_id, "998000.00")
    corrected = settle(app, demo, initiative_id, "1100000.00", version=2)
    with app.app_context():
        assert demo.session.get(Settlement, first).state == SettlementState.SUPERSEDED
        assert _result(demo, first).savings == Decimal("202000.00")
        assert _result(demo, corrected).savings == Decimal("100000.00")
        view = savings.view(flows.user(demo, LEAD), initiative_id, flows.TODAY)
        assert [(y.settlement.version, y.current, y.result.savings) for y in view.years] == [
            (2, True, Decimal("100000.00")), (1, False, Decimal("202000.00"))]


def test_the_hook_computes_once_per_settlement_and_only_on_a_final_one(app, demo):
    initiative_id = opened_with_agreement(app, demo)
    settlement_id = settle(app, demo, initiative_id, "998000.00")
    with app.app_context():
        settlement = demo.session.get(Settlement, settlement_id)
        assert savings.on_settlement_final(settlement, Actor.command("opnieuw")).id == _result(demo, settlement_id).id
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(SavingsResult)) == 1
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "savings.compute")) == 1
        settlement.state = SettlementState.PROPOSED
        demo.session.commit()
        with pytest.raises(Conflict):
            savings.on_settlement_final(settlement, Actor.command("te vroeg"))


def test_no_agreement_no_savings(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    settlement_id = final_settlement(app, demo, initiative_id, "998000.00")
    with app.app_context():
        assert savings.on_settlement_final(demo.session.get(Settlement, settlement_id), Actor.command("t")) is None
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(SavingsResult)) == 0


def test_a_settlement_made_final_by_the_scheduler_computes_the_years_savings(app, demo, frozen_clock):
    """The wiring: no hand call of the hook; propose, let the contest period pass, and the
    scheduler's final step computes the savings in its own transaction, once."""
    from datetime import timedelta

    from innovatieregister import clock
    from innovatieregister.jobs import run_due
    from tests.settlement_flows import active_beds, propose

    agreed(app, demo)
    initiative_id = active_beds(app, demo)
    measure(app, demo, initiative_id, "1900")
    settlement_id = propose(app, demo, initiative_id, "998000.00")
    with app.app_context():
        assert _result(demo, settlement_id) is None  # proposed is not final: nothing computed yet
        deadline = demo.session.get(Settlement, settlement_id).contest_deadline
    frozen_clock.advance(timedelta(days=(deadline - clock.today()).days + 1))
    with app.app_context():
        assert [run_due(clock.now(), include_mail=False)["finalise_settlements"] for _ in range(2)] == [1, 0]
        demo.session.expire_all()
        result = _result(demo, settlement_id)
        assert result is not None and result.savings == BASELINE - Decimal("998000.00")
        parties = [line.amount for line in result.lines if line.kind == SavingsLineKind.PARTY]
        insurers = [line.amount for line in result.lines if line.kind == SavingsLineKind.INSURER]
        assert sum(parties) == result.savings and sum(insurers) == result.savings / 2  # the key gives them 50 %
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "savings.compute")) == 1
