"""What a user sees first: the work of their own organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import (
    Initiative,
    InitiativeProvider,
    MarketShareSet,
    Organisation,
    OrganisationKind,
    Region,
    User,
)
from innovatieregister.policies import is_admin
from innovatieregister.services.initiatives import shown_statuses
from innovatieregister.services.regions import RegionOverview, list_regions


@dataclass
class Dashboard:
    led_regions: list[RegionOverview] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, InitiativeState] = field(default_factory=dict)  # as the user may see them


def dashboard_for(user: User, today: date) -> Dashboard:
    board = Dashboard()
    org = user.organisation
    if org.kind == OrganisationKind.INSURER:
        board.led_regions = [
            overview for overview in list_regions(today)
            if overview.market and org in overview.market.leads
        ]
        board.initiatives = list(db.session.scalars(
            sa.select(Initiative).where(Initiative.lead_insurer_id == org.id)
            .options(sa.orm.joinedload(Initiative.region), sa.orm.selectinload(Initiative.cost_lines))
            .order_by(Initiative.created_at.desc())
        ))
    elif org.kind == OrganisationKind.PROVIDER:
        board.initiatives = list(db.session.scalars(
            sa.select(Initiative)
            .join(InitiativeProvider, InitiativeProvider.initiative_id == Initiative.id)
            .where(InitiativeProvider.provider_id == org.id)
            .options(sa.orm.joinedload(Initiative.region), sa.orm.selectinload(Initiative.cost_lines))
            .order_by(Initiative.created_at.desc())
        ))
    board.statuses = shown_statuses(user, [i.id for i in board.initiatives], today)
    if is_admin(user):
        board.counts = {
            "regio's": db.session.scalar(sa.select(sa.func.count(Region.id))),
            "organisaties": db.session.scalar(sa.select(sa.func.count(Organisation.id))),
            "gebruikers": db.session.scalar(sa.select(sa.func.count(User.id))),
            "sets marktaandelen": db.session.scalar(sa.select(sa.func.count(MarketShareSet.id))),
        }
    return board
