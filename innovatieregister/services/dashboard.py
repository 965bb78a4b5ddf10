"""What a user sees first: the work of their own organisation, as counts and the first few
items of each list (the lists themselves are paginated on their own pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from innovatieregister import visibility
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import (
    CoFundingPledge,
    Initiative,
    InitiativeProvider,
    MarketShareSet,
    Organisation,
    OrganisationKind,
    Region,
    User,
)
from innovatieregister.paging import PREVIEW, Page, paginate
from innovatieregister.policies import is_admin, is_co_funder_staff, is_mediator
from innovatieregister.services import co_funding, decisions, mediation
from innovatieregister.services.initiatives import shown_statuses
from innovatieregister.services.regions import RegionOverview, list_regions


@dataclass
class Dashboard:
    led_regions: list[RegionOverview] = field(default_factory=list)
    initiatives: Page | None = None  # led (insurer) or involved in (provider): the first few
    queue: Page | None = None  # waiting for our decision (insurer): the first few
    cases: Page | None = None  # the mediator's live cases: the first few
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, InitiativeState] = field(default_factory=dict)  # as the user may see them
    pledges: list[CoFundingPledge] | None = None  # waiting for our confirmation (co-funder)


def _initiatives(query: sa.Select) -> Page:
    return paginate(query.options(sa.orm.joinedload(Initiative.region), sa.orm.selectinload(Initiative.cost_lines)),
                    1, PREVIEW, order=(Initiative.created_at, Initiative.id), descending=True)


def dashboard_for(user: User, today: date) -> Dashboard:
    board = Dashboard()
    org = user.organisation
    if org.kind == OrganisationKind.INSURER:
        board.led_regions = [
            overview for overview in list_regions(today)
            if overview.market and org in overview.market.leads
        ]
        board.initiatives = _initiatives(sa.select(Initiative).where(Initiative.lead_insurer_id == org.id))
        board.queue = decisions.queue(user, 1, PREVIEW)
    elif is_co_funder_staff(user):
        board.pledges = co_funding.waiting_for(user)
        board.initiatives = _initiatives(sa.select(Initiative).where(visibility.initiative_clause(user)))
    elif org.kind == OrganisationKind.PROVIDER:
        board.initiatives = _initiatives(
            sa.select(Initiative).join(InitiativeProvider, InitiativeProvider.initiative_id == Initiative.id)
            .where(InitiativeProvider.provider_id == org.id))
    if board.initiatives is not None:
        board.statuses = shown_statuses(user, [i.id for i in board.initiatives.items], today)
    if is_mediator(user):
        board.cases = mediation.queue_for(user, today, 1, PREVIEW)
    if is_admin(user):
        board.counts = {
            "regio's": db.session.scalar(sa.select(sa.func.count(Region.id))),
            "organisaties": db.session.scalar(sa.select(sa.func.count(Organisation.id))),
            "gebruikers": db.session.scalar(sa.select(sa.func.count(User.id))),
            "sets marktaandelen": db.session.scalar(sa.select(sa.func.count(MarketShareSet.id))),
        }
    return board
