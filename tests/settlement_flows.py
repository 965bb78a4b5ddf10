"""Steps to reach a settlement of the observation beds (issue 11), shared by the settlement tests.
They go through the services (or, for what part 1 of issue 11 builds, set the rows directly)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.funding import PledgeState, SettlementBasis
from innovatieregister.models import Initiative, Organisation
from innovatieregister.models.funding import CoFundingPledge
from innovatieregister.services import settlements
from tests import flows

LEAD, FOLLOWER, PROVIDER, MUNICIPALITY, CARE_OFFICE = (
    "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl")
YEAR = flows.TODAY.year


def active_beds(app, db, declines: str | None = None, pledge: str | None = None, pro_rata: bool = False,
                basis: SettlementBasis = SettlementBasis.MARKET_SHARE) -> int:
    """The observation beds, activated today; with `pledge`, Gemeente Enschede's confirmed pledge
    frozen at opening (part 1 of issue 11 freezes it; here the row is written as it would be)."""
    initiative_id = flows.activate_observation_beds(app, db, declines)
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        initiative.settlement_basis = basis
        # The demo's own pledges (Enschede confirmed, the care office waiting) make way for this test's.
        db.session.execute(sa.delete(CoFundingPledge).where(CoFundingPledge.initiative_id == initiative_id))
        if pledge:
            municipality = db.session.scalar(sa.select(Organisation).where(Organisation.code == "GEM-ENSCHEDE"))
            db.session.add(CoFundingPledge(initiative_id=initiative_id, organisation_id=municipality.id,
                                           amount_per_year=Decimal(pledge), pro_rata=pro_rata,
                                           state=PledgeState.CONFIRMED, frozen_at=initiative.opened_at))
        db.session.commit()
    return initiative_id


def propose(app, db, initiative_id: int, actual_cost: str = "998000.00", **more) -> int:
    with app.app_context():
        settlement = settlements.propose(flows.user(db, LEAD), initiative_id, settlements.SettlementInput(
            YEAR, actual_cost=actual_cost, **more), clock.today(), clock.now())
        return settlement.id
