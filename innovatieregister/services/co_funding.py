"""Co-funding (issue 11): municipalities and care offices pledge an amount per year before an
initiative opens; the co-funder confirms or declines; at opening the confirmed pledges are frozen
with the key and the unconfirmed ones lapse. The insurers' part is the budget less the confirmed
co-funding (domain.allocation.co_funded): every figure of funding asks `fair_shares` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.allocation import CoFunded, InsurerState, co_funded
from innovatieregister.domain.funding import LIVE_PLEDGE_STATES, PledgeState
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.formatting import euro
from innovatieregister.labels import label
from innovatieregister.models import (
    CoFundingPledge,
    CostLine,
    FollowRequest,
    Initiative,
    Organisation,
    OrganisationKind,
    User,
)
from innovatieregister.models.base import Money
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.notifications import Said, notify_organisations

CO_FUNDER_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.CARE_OFFICE)


@dataclass
class PledgeInput:
    organisation: str  # the co-funder's code (ignored when editing: a pledge keeps its co-funder)
    amount_per_year: str | Decimal
    conditions: str = ""
    pro_rata: bool = False


# Reading ---------------------------------------------------------------------------------------

def counted_co_funding(initiative_ids: list[int]) -> dict[int, list[tuple[str, Decimal]]]:
    """Per initiative: the co-funding that counts, (co-funder's name, amount per year), in one
    query. Confirmed pledges only: before opening the ones confirmed so far (a preview), after
    opening the frozen ones (nothing about a pledge changes after opening)."""
    counted: dict[int, list[tuple[str, Decimal]]] = {i: [] for i in initiative_ids}
    if initiative_ids:
        rows = db.session.execute(
            sa.select(CoFundingPledge.initiative_id, Organisation.name, CoFundingPledge.amount_per_year)
            .join(Organisation, Organisation.id == CoFundingPledge.organisation_id)
            .where(CoFundingPledge.initiative_id.in_(initiative_ids), CoFundingPledge.state == PledgeState.CONFIRMED)
            .order_by(CoFundingPledge.initiative_id, CoFundingPledge.id))
        for initiative_id, name, amount in rows:
            counted[initiative_id].append((name, amount))
    return counted


def annual_budget_column() -> sa.ColumnElement[Decimal]:
    """Initiative.annual_budget as SQL (the sum of its cost lines; exact on both databases)."""
    return sa.type_coerce(sa.select(sa.func.coalesce(sa.func.sum(CostLine.amount), 0))
                          .where(CostLine.initiative_id == Initiative.id).scalar_subquery(), Money())


def counted_co_funding_column() -> sa.ScalarSelect:
    """counted_co_funding as SQL, summed per initiative (for lists that aggregate many at once)."""
    return (sa.select(sa.func.coalesce(sa.func.sum(CoFundingPledge.amount_per_year), 0))
            .where(CoFundingPledge.initiative_id == Initiative.id, CoFundingPledge.state == PledgeState.CONFIRMED)
            .scalar_subquery())


def counted_of(pledges: list[CoFundingPledge]) -> list[tuple[str, Decimal]]:
    """counted_co_funding of one initiative from its pledges, already read."""
    return [(p.organisation.name, p.amount_per_year) for p in pledges if p.state == PledgeState.CONFIRMED]


class Budgeted(Protocol):
    """What a funding is computed from: an Initiative, or its figures read as plain columns."""

    @property
    def id(self) -> int: ...

    @property
    def annual_budget(self) -> Decimal: ...


def fair_shares(initiative: Budgeted, weights: Mapping[int, int], decisions: Mapping[int, InsurerState],
                co_funding: list[tuple[str, Decimal]] | None = None) -> CoFunded[int]:
    """The one computation of an initiative's funding (its page, the API, the dashboards, activation's
    rule and mediation's "op het spel"): the whole budget, its confirmed co-funding, and the insurers'
    part split by market share. `co_funding`: from counted_co_funding, when read for many at once."""
    if co_funding is None:
        co_funding = counted_co_funding([initiative.id])[initiative.id]
    return co_funded(initiative.annual_budget, co_funding, weights, decisions)


def live_total(initiative_id: int, leaving_out: int | None = None) -> Decimal:
    """The sum of the live pledges (proposed and confirmed): it may not exceed the budget."""
    return Decimal(db.session.execute(sa.select(sa.func.coalesce(sa.func.sum(CoFundingPledge.amount_per_year), 0))
                                      .where(CoFundingPledge.initiative_id == initiative_id,
                                             CoFundingPledge.state.in_(LIVE_PLEDGE_STATES),
                                             CoFundingPledge.id != (leaving_out or -1))).scalar_one())


def pledges_of(initiative_id: int) -> list[CoFundingPledge]:
    """Every pledge of an initiative (history included), oldest first. Seen with the initiative."""
    return list(db.session.scalars(
        sa.select(CoFundingPledge).where(CoFundingPledge.initiative_id == initiative_id)
        .options(joinedload(CoFundingPledge.organisation)).order_by(CoFundingPledge.id)))


WAITING_ORDER = (CoFundingPledge.created_at, CoFundingPledge.id)  # the longest waiting first


def waiting_query(user: User) -> sa.Select:
    """The pledges waiting for the user's organisation to confirm or decline (its dashboard); for
    co-funders' staff (services/dashboard.py asks only for them)."""
    return (sa.select(CoFundingPledge).join(Initiative, Initiative.id == CoFundingPledge.initiative_id)
            .where(CoFundingPledge.organisation_id == user.organisation_id,
                   CoFundingPledge.state == PledgeState.PROPOSED, Initiative.status == InitiativeState.CONCEPT)
            .options(joinedload(CoFundingPledge.initiative)))


def co_funder_choices() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.kind.in_(CO_FUNDER_KINDS))
                                   .order_by(Organisation.name)))


def get_pledge(user: User, pledge_id: int) -> CoFundingPledge:
    """A pledge the user may see (with its initiative); NotFound otherwise."""
    pledge = db.session.get(CoFundingPledge, pledge_id)
    if pledge is None or not visibility.sees_initiative(user, pledge.initiative, _asked(pledge.initiative_id)):
        raise NotFound(_("Deze toezegging bestaat niet."))
    return pledge


# Writing ---------------------------------------------------------------------------------------

def snapshot(pledge: CoFundingPledge) -> dict:
    return {"initiative": pledge.initiative_id, "organisation": pledge.organisation.code,
            "amount_per_year": str(pledge.amount_per_year), "conditions": pledge.conditions,
            "pro_rata": pledge.pro_rata, "state": str(pledge.state), "decision_reasons": pledge.decision_reasons,
            "frozen_at": pledge.frozen_at.isoformat() if pledge.frozen_at else None}


def _asked(initiative_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(FollowRequest.insurer_id).where(
        FollowRequest.initiative_id == initiative_id)))


def _initiative_for_lead(user: User, initiative_id: int) -> Initiative:
    initiative = db.session.scalar(sa.select(Initiative).where(Initiative.id == initiative_id)
                                   .with_for_update(of=Initiative))
    if initiative is None or not visibility.sees_initiative(user, initiative, _asked(initiative_id)):
        raise NotFound(_("Dit initiatief bestaat niet."))
    if not policies.is_lead_staff(user, initiative):
        raise NotAllowed(_("Alleen de leidende verzekeraar legt medefinanciering vast."))
    if not policies.can_manage_pledges(user, initiative):
        raise Conflict(_("Na het openen voor besluiten verandert er niets meer aan de medefinanciering."))
    return initiative


def _pledge_for_lead(user: User, pledge_id: int) -> CoFundingPledge:
    pledge = db.session.get(CoFundingPledge, pledge_id)
    if pledge is None:
        raise NotFound(_("Deze toezegging bestaat niet."))
    _initiative_for_lead(user, pledge.initiative_id)
    if pledge.state not in LIVE_PLEDGE_STATES:
        raise Conflict(_("Deze toezegging is al afgewezen of ingetrokken; voeg zo nodig een nieuwe toe."))
    return pledge


def _checked(initiative: Initiative, data: PledgeInput, pledge: CoFundingPledge | None) -> tuple[Organisation, dict]:
    """The pledge's fields, checked; errors keyed by field."""
    from innovatieregister.services.initiatives import positive_amount

    errors: dict[str, list[str]] = {}
    organisation: Organisation | None
    if pledge is not None:
        organisation = pledge.organisation
    else:
        code = limits.checked_text(data.organisation, limits.CODE, "organisation", errors, _("De medefinancier"))
        organisation = db.session.scalar(sa.select(Organisation).where(
            Organisation.code == code.upper(), Organisation.kind.in_(CO_FUNDER_KINDS))) if code else None
        if organisation is None and "organisation" not in errors:
            errors["organisation"] = [_("Kies een gemeente of zorgkantoor.")]
    amount = positive_amount(data.amount_per_year, "amount_per_year", _("Het bedrag per jaar"), errors)
    conditions = limits.checked_text(data.conditions, limits.TEXT, "conditions", errors, _("De voorwaarden"))
    if organisation is not None and pledge is None and db.session.scalar(sa.select(CoFundingPledge.id).where(
            CoFundingPledge.initiative_id == initiative.id, CoFundingPledge.organisation_id == organisation.id,
            CoFundingPledge.state.in_(LIVE_PLEDGE_STATES))):
        errors.setdefault("organisation", []).append(
            _("%(organisation)s heeft al een toezegging op dit initiatief; wijzig die.",
              organisation=organisation.name))
    if amount is not None:
        room = initiative.annual_budget - live_total(initiative.id, leaving_out=pledge.id if pledge else None)
        if amount > room:
            errors.setdefault("amount_per_year", []).append(
                _("De toezeggingen samen mogen het jaarbudget (%(budget)s) niet te boven gaan: "
                  "hier kan nog hoogstens %(room)s bij.", budget=euro(initiative.annual_budget),
                  room=euro(max(room, Decimal("0.00")))))
    if errors or organisation is None:  # the errors name a missing co-funder
        raise Invalid(_("De toezegging is niet opgeslagen. Verbeter de gemarkeerde velden."), errors)
    return organisation, {"amount_per_year": amount, "conditions": conditions, "pro_rata": bool(data.pro_rata)}


def _tell_co_funder(pledge: CoFundingPledge, initiative: Initiative, message: Said) -> None:
    notify_organisations([pledge.organisation_id], "co_funding.update", message, f"/initiatieven/{initiative.id}")


def add_pledge(user: User, initiative_id: int, data: PledgeInput) -> CoFundingPledge:
    """The lead adds a pledge of a municipality or care office, before opening; the co-funder is asked."""
    with write_transaction():
        initiative = _initiative_for_lead(user, initiative_id)
        organisation, values = _checked(initiative, data, None)
        pledge = CoFundingPledge(initiative_id=initiative.id, organisation=organisation, created_by_id=user.id,
                                 state=PledgeState.PROPOSED, **values)
        db.session.add(pledge)
        db.session.flush()
        record(Actor(user=user), "co_funding.add", pledge, after=snapshot(pledge))
        _tell_co_funder(pledge, initiative,
                        Said("%(lead)s vraagt u %(amount)s per jaar mee te financieren voor '%(title)s'. "
                             "Bevestig of wijs af.", lead=initiative.lead_insurer.name,
                             amount=euro(pledge.amount_per_year), title=initiative.title))
    return pledge


def edit_pledge(user: User, pledge_id: int, data: PledgeInput) -> CoFundingPledge:
    """The lead changes a live pledge before opening; a confirmed one must be confirmed again."""
    with write_transaction():
        pledge = _pledge_for_lead(user, pledge_id)
        before = snapshot(pledge)
        _checked_pledge, values = _checked(pledge.initiative, data, pledge)
        for name, value in values.items():
            setattr(pledge, name, value)
        pledge.state, pledge.decided_by_id, pledge.decided_at, pledge.decision_reasons = (
            PledgeState.PROPOSED, None, None, "")
        db.session.flush()
        record(Actor(user=user), "co_funding.edit", pledge, before=before, after=snapshot(pledge))
        _tell_co_funder(pledge, pledge.initiative,
                        Said("De toezegging voor '%(title)s' is gewijzigd (%(amount)s per jaar). Bevestig of wijs af.",
                             title=pledge.initiative.title, amount=euro(pledge.amount_per_year)))
    return pledge


def withdraw_pledge(user: User, pledge_id: int) -> CoFundingPledge:
    with write_transaction():
        pledge = _pledge_for_lead(user, pledge_id)
        before = snapshot(pledge)
        pledge.state = PledgeState.WITHDRAWN
        db.session.flush()
        record(Actor(user=user), "co_funding.withdraw", pledge, before=before, after=snapshot(pledge))
        _tell_co_funder(pledge, pledge.initiative,
                        Said("%(lead)s heeft de toezegging voor '%(title)s' ingetrokken.",
                             lead=pledge.initiative.lead_insurer.name, title=pledge.initiative.title))
    return pledge


def _checked_decision(user: User, pledge: CoFundingPledge, confirm: bool, reasons: str) -> str:
    """The refusals of a co-funder's decision (the same for its confirmation step); the reasons, checked."""
    if not policies.can_decide_pledge(user, pledge):
        raise NotAllowed(_("Alleen de medefinancier zelf bevestigt of wijst een toezegging af."))
    if pledge.state != PledgeState.PROPOSED or pledge.initiative.status != InitiativeState.CONCEPT:
        raise Conflict(_("Over deze toezegging is al beslist (%(state)s).", state=_label(pledge.state)))
    errors: dict[str, list[str]] = {}
    reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De redenen"),
                                  required=None if confirm else _("Geef de redenen waarom u afwijst."))
    if errors:
        raise Invalid(_("Er is niets vastgelegd. Verbeter de gemarkeerde velden."), errors)
    return reasons


def preview_pledge_decision(user: User, pledge_id: int, confirm: bool, reasons: str) -> tuple[CoFundingPledge, str]:
    """The decision checked, not taken (its confirmation step): the pledge and the reasons."""
    pledge = get_pledge(user, pledge_id)
    return pledge, _checked_decision(user, pledge, confirm, reasons)


def decide_pledge(user: User, pledge_id: int, confirm: bool, reasons: str, now: datetime) -> CoFundingPledge:
    """The co-funder confirms its pledge, or declines it with reasons, before the initiative opens."""
    with write_transaction():
        pledge = db.session.scalar(sa.select(CoFundingPledge).where(CoFundingPledge.id == pledge_id)
                                   .with_for_update(of=CoFundingPledge))
        if pledge is None or not visibility.sees_initiative(user, pledge.initiative, _asked(pledge.initiative_id)):
            raise NotFound(_("Deze toezegging bestaat niet."))
        reasons = _checked_decision(user, pledge, confirm, reasons)
        before = snapshot(pledge)
        pledge.state = PledgeState.CONFIRMED if confirm else PledgeState.DECLINED
        pledge.decided_by_id, pledge.decided_at, pledge.decision_reasons = user.id, now, reasons
        db.session.flush()
        record(Actor(user=user), "co_funding.confirm" if confirm else "co_funding.decline", pledge,
               before=before, after=snapshot(pledge))
        initiative = pledge.initiative
        said = Said(N_("%(organisation)s bevestigt: %(amount)s per jaar voor '%(title)s'.") if confirm else
                    N_("%(organisation)s wijst af: %(amount)s per jaar voor '%(title)s'."),
                    organisation=user.organisation.name, amount=euro(pledge.amount_per_year), title=initiative.title)
        notify_organisations([initiative.lead_insurer_id], "co_funding.update", said, f"/initiatieven/{initiative.id}")
    return pledge


def freeze_at_opening(initiative: Initiative, actor: Actor, now: datetime) -> None:
    """At opening (in the opening's transaction): confirmed pledges are frozen with the key; those
    still waiting lapse (they do not count) and their co-funder is told."""
    for pledge in db.session.scalars(sa.select(CoFundingPledge).where(
            CoFundingPledge.initiative_id == initiative.id, CoFundingPledge.state.in_(LIVE_PLEDGE_STATES))):
        before = snapshot(pledge)
        if pledge.state == PledgeState.CONFIRMED:
            pledge.frozen_at = now
            action = "co_funding.freeze"
        else:
            pledge.state = PledgeState.LAPSED
            action = "co_funding.lapse"
            _tell_co_funder(pledge, initiative, Said("'%(title)s' is geopend zonder uw bevestiging: uw toezegging "
                                                     "telt niet mee.", title=initiative.title))
        db.session.flush()
        record(actor, action, pledge, before=before, after=snapshot(pledge))


def unconfirmed(initiative_id: int) -> list[CoFundingPledge]:
    """Pledges still waiting for their co-funder: at opening they will not count (the lead is told)."""
    return [p for p in pledges_of(initiative_id) if p.state == PledgeState.PROPOSED]


def _label(state: PledgeState) -> str:
    return label(state).lower()
