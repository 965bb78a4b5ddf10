"""Steps towards shared savings (issue 11, part 3), shared by the integration, web and API tests.

The settlement is part 2's use case; these tests make a final Settlement as rows, as the brief says,
with one line per insurer of the frozen key (the lead and VGZ fund, the others do not)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.funding import SettlementBasis, SettlementState
from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.models import Initiative, MarketShare, Measurement, Organisation
from innovatieregister.models.funding import Settlement, SettlementLine
from innovatieregister.services import savings
from innovatieregister.services.audit import Actor
from innovatieregister.services.savings import AgreementInput, GateInput, KeyPartInput
from tests import flows

LEAD, FUNDER, PROVIDER, MUNICIPALITY, CARE_OFFICE = (
    "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl")
BASELINE = Decimal("1200000.00")
YEAR = 2026  # the frozen clock's year: its measurements are not in the future
KEY = [("insurers", "50"), ("ZH-TWENTE", "30"), ("GEM-ENSCHEDE", "20")]


def measurable_draft(app, db) -> int:
    """The observation beds (a draft) with its goal in numbers: 2,900 wrong-bed days a year towards 1,500."""
    initiative_id = flows.observation_beds_id(app, db)
    with app.app_context():
        goal = db.session.get(Initiative, initiative_id).goals[0]
        goal.baseline_value, goal.target_value, goal.unit = Decimal("2900"), Decimal("1500"), "beddagen"
        db.session.commit()
    return initiative_id


def measurable_goal(app, db) -> tuple[int, int]:
    """The measurable draft and the id of its goal."""
    initiative_id = measurable_draft(app, db)
    with app.app_context():
        return initiative_id, db.session.get(Initiative, initiative_id).goals[0].id


def agreement_input(goal_id: int, minimum: str = "2000", key=KEY, baseline: str = "1.200.000,00") -> AgreementInput:
    return AgreementInput(baseline, "Vervangt klinische bedden.", [GateInput(goal_id, minimum)],
                          [KeyPartInput(party, percentage) for party, percentage in key])


def agreed(app, db, minimum: str = "2000") -> int:
    """The measurable draft with the savings agreement of KEY recorded by the lead."""
    initiative_id, goal_id = measurable_goal(app, db)
    with app.app_context():
        savings.save_agreement(flows.user(db, LEAD), initiative_id, agreement_input(goal_id, minimum))
    return initiative_id


def opened_with_agreement(app, db) -> int:
    """Agreed, then opened (which freezes the agreement), VGZ follows, DSW declines weightily."""
    initiative_id = agreed(app, db)
    flows.open_observation_beds(app, db)
    flows.decide(app, db, FUNDER, "follow")
    flows.decide(app, db, "dsw@demo.nl", "decline", flows.WEIGHTY)
    return initiative_id


def measure(app, db, initiative_id: int, value: str, on: date = date(YEAR, 11, 30)) -> None:
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        hospital = flows.user(db, PROVIDER)
        db.session.add(Measurement(initiative_id=initiative_id, goal_id=initiative.goals[0].id,
                                   kind=MeasurementKind.PERIODIC, measured_on=on, value=Decimal(value),
                                   organisation_id=hospital.organisation_id))
        db.session.commit()


def final_settlement(app, db, initiative_id: int, actual_cost: str, version: int = 1,
                     funders: tuple[str, ...] = ("MENZIS", "VGZ")) -> int:
    """A final settlement of YEAR as rows; an earlier version of the year becomes superseded."""
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        earlier = db.session.scalar(sa.select(Settlement).where(
            Settlement.initiative_id == initiative_id, Settlement.year == YEAR,
            Settlement.state == SettlementState.FINAL))
        if earlier is not None:
            earlier.state = SettlementState.SUPERSEDED
            db.session.flush()
        settlement = Settlement(
            initiative_id=initiative_id, year=YEAR, version=version, state=SettlementState.FINAL,
            basis=SettlementBasis.MARKET_SHARE, actual_cost=Decimal(actual_cost), co_funding=Decimal("0.00"),
            allocated=Decimal(actual_cost), uncovered=Decimal("0.00"), contest_deadline=date(YEAR, 12, 1),
            final_at=clock.now(), supersedes_id=earlier.id if earlier else None)
        for insurer_id, code, insured in db.session.execute(
                sa.select(Organisation.id, Organisation.code, MarketShare.insured)
                .join(Organisation, Organisation.id == MarketShare.insurer_id)
                .where(MarketShare.set_id == initiative.market_share_set_id,
                       MarketShare.region_id == initiative.region_id)):
            settlement.lines.append(SettlementLine(insurer_id=insurer_id, insured=insured, funds=code in funders,
                                                   allocated=Decimal("0.00"), advance=Decimal("0.00"),
                                                   balance=Decimal("0.00")))
        db.session.add(settlement)
        db.session.commit()
        return settlement.id


def settle(app, db, initiative_id: int, actual_cost: str, version: int = 1) -> int:
    """A final settlement of YEAR, and the savings hook part 2 calls when it becomes final."""
    settlement_id = final_settlement(app, db, initiative_id, actual_cost, version)
    with app.app_context():
        savings.on_settlement_final(db.session.get(Settlement, settlement_id), Actor.command("nacalculatie"))
    return settlement_id


def frozen_insured(app, db, initiative_id: int, codes: tuple[str, ...]) -> dict[str, int]:
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        return dict(db.session.execute(
            sa.select(Organisation.code, MarketShare.insured).join(Organisation, Organisation.id == MarketShare.insurer_id)
            .where(MarketShare.set_id == initiative.market_share_set_id, MarketShare.region_id == initiative.region_id,
                   Organisation.code.in_(codes))).all())
