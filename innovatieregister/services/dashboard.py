"""What a user sees first: the work of their own organisation, its own role's first (issue 13).

Each role has its work lists (WORK_LISTS): what waits for it, as a count and the first few items
(PREVIEW), each a link to its object, and a link to the whole list, paginated (its own page, or
/werk/<key> for the lists that have none). A list's count and its first rows are read in one query
(a window count), so the dashboard makes a fixed number of queries whatever the data holds; every
list reads through visibility.py's clauses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from innovatieregister import clock, visibility
from innovatieregister.domain.lifecycle import AWAITING_FINAL
from innovatieregister.domain.workflow import FollowRequestState, InitiativeState, MediationState
from innovatieregister.extensions import db
from innovatieregister.formatting import datum, euro
from innovatieregister.labels import label
from innovatieregister.models import (
    CoFundingPledge,
    Decision,
    DecisionKind,
    FollowRequest,
    Initiative,
    MarketShareSet,
    MediationCase,
    MonitoringMoment,
    Organisation,
    Region,
    RequestKind,
    StatementRequest,
    User,
)
from innovatieregister.models.mediation import LIVE_CASE_STATES
from innovatieregister.paging import PER_PAGE, PREVIEW, Page, counted
from innovatieregister.policies import (
    is_admin,
    is_co_funder_staff,
    is_insurer_staff,
    is_mediator,
    is_provider_staff,
)
from innovatieregister.services import NotFound, adoption, co_funding, decisions
from innovatieregister.services.conditions import JUDGED_WHILE
from innovatieregister.services.lifecycle import flagged_count, reminder_horizon
from innovatieregister.services.regions import RegionOverview, list_regions


@dataclass
class WorkItem:
    """One row of a work list: a link to its object, a short note, and whether it is late."""

    title: str
    endpoint: str
    args: dict
    note: str = ""
    overdue: bool = False


@dataclass
class WorkList:
    key: str
    title: str
    intro: str  # what the list holds and in which order
    empty: str  # said when it holds nothing
    noun: str  # what it holds, plural (the pagination's "(27 zaken)")
    items: list[WorkItem]
    total: int
    more: tuple[str, dict]  # the endpoint (and its arguments) of the whole list


@dataclass
class Dashboard:
    lists: list[WorkList] = field(default_factory=list)  # the role's own work, most pressing first
    led_regions: list[RegionOverview] | None = None  # insurers: where they lead
    flagged: int | None = None  # the mediator: initiatives that meet a stop criterion
    counts: dict[str, int] = field(default_factory=dict)  # admins: the registry's size


@dataclass(frozen=True)
class _Spec:
    """A work list: for whom, its rows (a select whose first column is the object), their order,
    and how a row shows. `page`: the whole list's own page, when it has one (else /werk/<key>)."""

    key: str
    noun: str
    title: str
    intro: str
    empty: str
    applies: Callable[[User], bool]
    query: Callable[[User, date], sa.Select]
    order: Callable[[date], tuple]
    item: Callable[[sa.Row, date], WorkItem]
    page: tuple[str, dict] | None = None


# Requests --------------------------------------------------------------------------------------

_REQUEST_STATE = {FollowRequestState.OPEN: "nog geen besluit",
                  FollowRequestState.DECIDED: "besloten, te wijzigen tot de termijn",
                  FollowRequestState.OVERDUE: "termijn verstreken zonder besluit"}


def _request_item(row: sa.Row, today: date) -> WorkItem:
    r: FollowRequest = row[0]
    adopting = r.kind == RequestKind.ADOPTION
    return WorkItem(
        r.initiative.title + (" (overnameverzoek)" if adopting else ""),
        "adoption.decide" if adopting else "decisions.decide",
        {"request_id": r.id} if adopting else {"initiative_id": r.initiative_id},
        f"termijn {datum(r.deadline)} · {r.initiative.region.name} · {_REQUEST_STATE.get(r.state, '')}",
        r.deadline < today or r.state == FollowRequestState.OVERDUE)


def _decision_text(kind: DecisionKind | None, conditions: str, weighty: bool | None) -> str:
    if kind == DecisionKind.FOLLOW:
        return "volgt onder voorwaarden" if conditions else "volgt"
    if kind == DecisionKind.DECLINE:
        return "wijst af" + ("" if weighty else " (onvoldoende onderbouwd)")
    return ""


def _adoption_item(row: sa.Row, today: date) -> WorkItem:
    r: FollowRequest = row[0]
    live = r.state in (FollowRequestState.OPEN, FollowRequestState.DECIDED)
    decided = _decision_text(row.kind, row.conditions or "", row.weighty) or "nog geen besluit"
    return WorkItem(r.initiative.title, "initiatives.detail", {"initiative_id": r.initiative_id},
                    f"aan {r.insurer.name} · termijn {datum(r.deadline)} · {decided}",
                    live and r.deadline < today)


def _adoption_requests(user: User, today: date) -> sa.Select:
    # The standing decision on each, where the user may see it (visibility.decisions_clause).
    standing = sa.and_(Decision.follow_request_id == FollowRequest.id, Decision.standing.is_(True),
                       visibility.decisions_clause(user, today))
    return (adoption.adoption_requests_query(user)
            .add_columns(Decision.kind, Decision.conditions, Decision.weighty)
            .outerjoin_from(FollowRequest, Decision, standing))


# Decisions that came in on the lead's initiatives while they are being decided.
_DECIDING = (InitiativeState.OPEN, InitiativeState.PARTIALLY_FUNDED, InitiativeState.FULLY_FUNDED,
             InitiativeState.IN_MEDIATION)


def _decisions_in(user: User, today: date) -> sa.Select:
    return (sa.select(Decision).join(FollowRequest, FollowRequest.id == Decision.follow_request_id)
            .join(Initiative, Initiative.id == FollowRequest.initiative_id)
            .where(Initiative.lead_insurer_id == user.organisation_id, Initiative.status.in_(_DECIDING),
                   Decision.standing.is_(True), visibility.decisions_clause(user, today))
            .options(joinedload(Decision.follow_request).joinedload(FollowRequest.insurer),
                     joinedload(Decision.follow_request).joinedload(FollowRequest.initiative)))


def _decision_item(row: sa.Row, today: date) -> WorkItem:
    d: Decision = row[0]
    r = d.follow_request
    what = "overnameverzoek" if r.kind == RequestKind.ADOPTION else "volgverzoek"
    return WorkItem(r.initiative.title, "initiatives.detail", {"initiative_id": r.initiative_id},
                    f"{r.insurer.name} {_decision_text(d.kind, d.conditions, d.weighty)} ({what}) · "
                    f"{datum(d.decided_at)}")


def _conditions(user: User, today: date) -> sa.Select:
    """Follows with conditions on the lead's initiatives that the lead has not judged (issue 13), while
    they can still be judged (services/conditions.JUDGED_WHILE)."""
    return (_decisions_in(user, today)
            .where(Initiative.status.in_(JUDGED_WHILE), Decision.kind == DecisionKind.FOLLOW,
                   sa.func.length(sa.func.trim(sa.func.coalesce(Decision.conditions, ""))) > 0,
                   Decision.conditions_verdict.is_(None)))


def _conditions_item(row: sa.Row, today: date) -> WorkItem:
    d: Decision = row[0]
    r = d.follow_request
    return WorkItem(r.initiative.title, "decisions.judge_conditions", {"request_id": r.id},
                    f"{r.insurer.name} volgt onder voorwaarden · {datum(d.decided_at)}")


# Initiatives -----------------------------------------------------------------------------------

_NEXT_STEP = {InitiativeState.CONCEPT: "concept: maak het af en stel het open voor besluiten",
              InitiativeState.FULLY_FUNDED: "volledig gefinancierd: activeer het",
              InitiativeState.PARTIALLY_FUNDED: "deels gefinancierd: activeer het met het tekort, of vraag "
                                                "bemiddeling"}


def _shown(user: User, today: date, *where) -> sa.Select:
    """Initiatives with their status as the user may see it (visibility.status_column)."""
    return (sa.select(Initiative, visibility.status_column(user, today).label("shown"))
            .where(visibility.initiative_clause(user), *where).options(joinedload(Initiative.region)))


def _steps(user: User, today: date) -> sa.Select:
    return _shown(user, today, Initiative.lead_insurer_id == user.organisation_id,
                  Initiative.status.in_(list(_NEXT_STEP)))


def _step_item(row: sa.Row, today: date) -> WorkItem:
    i: Initiative = row[0]
    return WorkItem(i.title, "initiatives.detail", {"initiative_id": i.id},
                    f"{i.region.name} · {_NEXT_STEP[i.status]}")


def _initiative_item(row: sa.Row, today: date) -> WorkItem:
    i: Initiative = row[0]
    return WorkItem(i.title, "initiatives.detail", {"initiative_id": i.id},
                    f"{i.region.name} · {label(InitiativeState(row.shown))}")


def _newest_first(today: date) -> tuple:
    return Initiative.created_at.desc(), Initiative.id.desc()


def _moments(user: User, today: date) -> sa.Select:
    # The lead evaluates; the providers involved are reminded with it (services/lifecycle.remind_moment).
    whose = (Initiative.lead_insurer_id == user.organisation_id if is_insurer_staff(user)
             else visibility.initiative_clause(user))
    return (sa.select(MonitoringMoment).join(Initiative, Initiative.id == MonitoringMoment.initiative_id)
            .where(whose, visibility.initiative_clause(user), MonitoringMoment.done_at.is_(None),
                   MonitoringMoment.due_on <= reminder_horizon(today), Initiative.status.in_(list(AWAITING_FINAL)))
            .options(joinedload(MonitoringMoment.initiative)))


def _moment_item(row: sa.Row, today: date) -> WorkItem:
    m: MonitoringMoment = row[0]
    return WorkItem(m.initiative.title, "lifecycle.page", {"initiative_id": m.initiative_id},
                    f"{label(m.kind)}, uiterlijk {datum(m.due_on)}", m.due_on < today)


# Mediation -------------------------------------------------------------------------------------

def _statements(user: User, today: date, *where) -> sa.Select:
    return (sa.select(StatementRequest).join(MediationCase, MediationCase.id == StatementRequest.case_id)
            .where(visibility.statement_clause(user), visibility.case_clause(user),
                   StatementRequest.answered_at.is_(None), MediationCase.state.in_(LIVE_CASE_STATES), *where)
            .options(joinedload(StatementRequest.case).joinedload(MediationCase.initiative),
                     joinedload(StatementRequest.party)))


def _statement_item(row: sa.Row, today: date) -> WorkItem:
    s: StatementRequest = row[0]
    return WorkItem(s.case.initiative.title, "mediation.case", {"case_id": s.case_id},
                    f"zaak {s.case_id} · zienswijze van {s.party.name}, uiterlijk {datum(s.deadline)}",
                    s.deadline < today)


def _by_deadline(today: date) -> tuple:
    return StatementRequest.deadline, StatementRequest.id


def _urgency(today: date) -> sa.ColumnElement[int]:
    """A live case's urgency, most urgent first: a 'follow required' whose deadline passed without
    the follow (the mediator holds the insurer to it), then a case nobody has taken up, then those in
    progress, then those whose follow-up still runs."""
    return sa.case((sa.and_(MediationCase.state == MediationState.FINDING, MediationCase.follow_up_deadline < today),
                    0), (MediationCase.state == MediationState.OPEN, 1),
                   (MediationCase.state == MediationState.IN_PROGRESS, 2), else_=3)


_CASE_STATE = {MediationState.OPEN: "nog niet opgepakt", MediationState.IN_PROGRESS: "in behandeling",
               MediationState.FINDING: "bevinding vastgelegd, het volgbesluit loopt"}


def _cases(user: User, today: date) -> sa.Select:
    return (sa.select(MediationCase).where(visibility.case_clause(user), MediationCase.state.in_(LIVE_CASE_STATES))
            .options(joinedload(MediationCase.initiative),
                     joinedload(MediationCase.follow_request).joinedload(FollowRequest.insurer)))


def _case_item(row: sa.Row, today: date) -> WorkItem:
    c: MediationCase = row[0]
    late = (c.state == MediationState.FINDING and c.follow_up_deadline is not None
            and c.follow_up_deadline < today)
    about = f" · {c.follow_request.insurer.name}" if c.follow_request is not None else ""
    state = (f"volgbesluit was uiterlijk {datum(c.follow_up_deadline)} nodig" if late
             else _CASE_STATE.get(c.state, ""))
    return WorkItem(f"Zaak {c.id}: {c.initiative.title}", "mediation.case", {"case_id": c.id},
                    f"{label(c.reason).lower()}{about} · sinds {datum(c.opened_at)} · {state}", late)


# Co-funders and admins -------------------------------------------------------------------------

def _pledge_item(row: sa.Row, today: date) -> WorkItem:
    p: CoFundingPledge = row[0]
    return WorkItem(p.initiative.title, "cofunding.page", {"initiative_id": p.initiative_id},
                    f"{euro(p.amount_per_year)} per jaar · wacht op uw bevestiging")


def _pending_sets(user: User, today: date) -> sa.Select:
    # Imported with a peildatum still to come: they take effect then (market_shares.markets_in_force).
    return sa.select(MarketShareSet).where(MarketShareSet.peildatum > today)


def _set_item(row: sa.Row, today: date) -> WorkItem:
    s: MarketShareSet = row[0]
    return WorkItem(f"Marktaandelen per {datum(s.peildatum)}", "admin.market_share_sets", {},
                    f"gaan in op {datum(s.peildatum)} · bron: {s.source} · ingelezen {datum(s.imported_at)}")


def _attention(user: User, today: date) -> sa.Select:
    # Accounts that cannot be used yet or now: a password still to choose, or locked after failed log-ins.
    return (sa.select(User).where(User.disabled_at.is_(None), sa.or_(
        User.must_change_password.is_(True), User.locked_until > clock.now())).options(joinedload(User.organisation)))


def _user_item(row: sa.Row, today: date) -> WorkItem:
    u: User = row[0]
    why = "kiest nog een eigen wachtwoord" if u.must_change_password else \
        f"geblokkeerd na mislukte pogingen, tot {datum(u.locked_until)}"
    return WorkItem(u.name, "admin.user", {"user_id": u.id}, f"{u.organisation.name} · {why}")


def _newest_user(today: date) -> tuple:
    return User.created_at.desc(), User.id.desc()


def _involved(user: User, today: date) -> sa.Select:
    return _shown(user, today)


def _led(user: User, today: date) -> sa.Select:
    return _shown(user, today, Initiative.lead_insurer_id == user.organisation_id)


# Per role, the most pressing first.
WORK_LISTS: tuple[_Spec, ...] = (
    # Insurers
    _Spec("verzoeken", "verzoeken", "Wacht op ons besluit",
          "Verzoeken aan ons om te volgen of over te nemen, de vroegste termijn eerst.",
          "Er wacht niets op uw besluit.", is_insurer_staff,
          lambda user, today: decisions.queue_query(user), lambda today: decisions.QUEUE_ORDER, _request_item,
          ("decisions.queue", {})),
    _Spec("voorwaarden", "besluiten", "Voorwaarden die op ons oordeel wachten",
          "Verzekeraars die ons initiatief volgen onder voorwaarden: aanvaard of wijs af, met redenen. De "
          "oudste eerst.", "Er wachten geen voorwaarden op ons oordeel.", is_insurer_staff, _conditions,
          lambda today: (Decision.decided_at, Decision.id), _conditions_item),
    _Spec("te-doen", "initiatieven", "Onze initiatieven die een stap van ons vragen",
          "Concepten om open te stellen en gefinancierde initiatieven om te activeren, het oudste eerst.",
          "Geen van onze initiatieven wacht op een stap van ons.", is_insurer_staff, _steps,
          lambda today: (Initiative.created_at, Initiative.id), _step_item),
    _Spec("besluiten-binnen", "besluiten", "Besluiten binnen op onze initiatieven",
          "De besluiten van de andere verzekeraars op onze initiatieven die nog in de besluitvorming zijn, "
          "het nieuwste eerst.", "Er zijn nog geen besluiten binnen.", is_insurer_staff, _decisions_in,
          lambda today: (Decision.decided_at.desc(), Decision.id.desc()), _decision_item),
    _Spec("evaluatiemomenten", "evaluatiemomenten", "Evaluatiemomenten die aan de beurt zijn",
          "Metingen en evaluaties van de evaluatiekalender die nu of binnenkort moeten, de vroegste eerst.",
          "Er is geen evaluatiemoment aan de beurt.", lambda u: is_insurer_staff(u) or is_provider_staff(u),
          _moments, lambda today: (MonitoringMoment.due_on, MonitoringMoment.id), _moment_item),
    _Spec("zienswijzen", "zienswijzen", "Zienswijzen die de bemiddelaar van ons vraagt",
          "Vragen van de bemiddelaar die wij nog moeten beantwoorden, de vroegste termijn eerst.",
          "De bemiddelaar wacht niet op een zienswijze van ons.",
          lambda u: is_insurer_staff(u) or is_provider_staff(u), _statements, _by_deadline, _statement_item),
    _Spec("geleid", "initiatieven", "Initiatieven die wij leiden", "Al onze initiatieven, het nieuwste eerst.",
          "Wij leiden nog geen initiatieven.", is_insurer_staff, _led, _newest_first, _initiative_item,
          ("initiatives.index", {})),
    # Providers
    _Spec("betrokken", "initiatieven", "Initiatieven waarbij wij betrokken zijn", "Het nieuwste eerst.",
          "Wij zijn nog bij geen initiatief betrokken.", is_provider_staff, _involved, _newest_first,
          _initiative_item, ("initiatives.index", {})),
    _Spec("overnameverzoeken", "overnameverzoeken", "Onze overnameverzoeken",
          "Onze verzoeken aan verzekeraars om een afspraak over te nemen, de vroegste termijn eerst.",
          "Wij hebben nog geen overname gevraagd.", is_provider_staff, _adoption_requests,
          lambda today: adoption.ADOPTION_REQUESTS_ORDER, _adoption_item, ("adoption.index", {})),
    # The mediator
    _Spec("zaken", "zaken", "Zaken in bemiddeling",
          "De dringendste eerst: een vereist volgbesluit waarvan de termijn verstreek, dan zaken die nog niemand "
          "oppakte, dan die in behandeling zijn; binnen elke groep de oudste eerst.",
          "Er loopt geen bemiddeling.", is_mediator, _cases,
          lambda today: (_urgency(today), MediationCase.opened_at, MediationCase.id), _case_item),
    _Spec("zienswijzen-verlopen", "zienswijzen", "Zienswijzen over de termijn",
          "Gevraagde zienswijzen die niet op tijd zijn gegeven, de langst verlopen eerst.",
          "Elke gevraagde zienswijze is op tijd gegeven of heeft nog tijd.", is_mediator,
          lambda user, today: _statements(user, today, StatementRequest.deadline < today), _by_deadline,
          _statement_item),
    # Co-funders
    _Spec("toezeggingen", "toezeggingen", "Toezeggingen die op onze bevestiging wachten",
          "Bevestig of wijs af; alleen een bevestigde toezegging telt mee. De langst wachtende eerst.",
          "Er wacht geen toezegging op uw bevestiging.", is_co_funder_staff,
          lambda user, today: co_funding.waiting_query(user), lambda today: co_funding.WAITING_ORDER, _pledge_item),
    _Spec("meebetalen", "initiatieven", "Initiatieven waaraan wij (zouden) meebetalen", "Het nieuwste eerst.",
          "Nog geen initiatieven.", is_co_funder_staff, _involved, _newest_first, _initiative_item,
          ("initiatives.index", {})),
    # Admins
    _Spec("gebruikers", "gebruikers", "Gebruikers die aandacht vragen",
          "Accounts die nog een eigen wachtwoord moeten kiezen of na mislukte pogingen geblokkeerd zijn, het "
          "nieuwste eerst.", "Geen account vraagt aandacht.", is_admin, _attention, _newest_user, _user_item,
          ("admin.users", {})),
    _Spec("marktaandelen", "sets marktaandelen", "Marktaandelen die nog ingaan",
          "Ingelezen marktaandelen met een peildatum die nog moet komen, de eerstvolgende eerst.",
          "Er wacht geen set marktaandelen.", is_admin, _pending_sets,
          lambda today: (MarketShareSet.peildatum, MarketShareSet.id), _set_item, ("admin.market_share_sets", {})),
)
_BY_KEY = {spec.key: spec for spec in WORK_LISTS}


def _preview(spec: _Spec, user: User, today: date) -> WorkList:
    """The first PREVIEW rows and the list's count, in one query."""
    query = spec.query(user, today)
    rows = db.session.execute(query.add_columns(sa.func.count().over().label("total"))
                              .order_by(*spec.order(today)).limit(PREVIEW)).all()
    return WorkList(spec.key, spec.title, spec.intro, spec.empty, spec.noun, [spec.item(row, today) for row in rows],
                    rows[0].total if rows else 0, spec.page or ("main.work_list_page", {"key": spec.key}))


def dashboard_for(user: User, today: date) -> Dashboard:
    board = Dashboard(lists=[_preview(spec, user, today) for spec in WORK_LISTS if spec.applies(user)])
    if is_insurer_staff(user):
        board.led_regions = [o for o in list_regions(today)
                             if o.market and user.organisation_id in {lead.id for lead in o.market.leads}]
    if is_mediator(user):
        board.flagged = flagged_count(user, today)
    if is_admin(user):
        board.counts = dict(zip(("regio's", "organisaties", "gebruikers", "sets marktaandelen"), db.session.execute(
            sa.select(*(sa.select(sa.func.count()).select_from(model).scalar_subquery()
                        for model in (Region, Organisation, User, MarketShareSet)))).one(), strict=True))
    return board


def work_list(user: User, key: str, page: int, today: date, per_page: int = PER_PAGE) -> tuple[WorkList, Page]:
    """A work list whole, a page at a time (by number: some orders are computed, no index holds them)."""
    spec = _BY_KEY.get(key)
    if spec is None or not spec.applies(user):
        raise NotFound("Deze lijst bestaat niet.")
    query = spec.query(user, today)
    result = counted(query, page, per_page)
    if not result.beyond:
        rows = db.session.execute(query.order_by(*spec.order(today)).limit(result.per_page)
                                  .offset(result.offset)).all()
        result.items = [spec.item(row, today) for row in rows]
    return WorkList(spec.key, spec.title, spec.intro, spec.empty, spec.noun, result.items, result.total,
                    ("main.work_list_page", {"key": key})), result
