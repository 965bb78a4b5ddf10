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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp  # a word that is a noun here and a verb elsewhere ("besluiten")
from sqlalchemy.orm import joinedload

from innovatieregister import clock, visibility
from innovatieregister.domain.lifecycle import AWAITING_FINAL
from innovatieregister.domain.workflow import (
    LIVE_MEDIATION_STATES,
    STILL_DECIDING,
    FollowRequestState,
    InitiativeState,
    MediationState,
)
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
from innovatieregister.paging import PER_PAGE, PREVIEW, Page, capped_counts, counted, narrowed
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
    capped: bool = False  # the total is a lower bound (paging.COUNT_CAP): there are more


@dataclass
class Dashboard:
    lists: list[WorkList] = field(default_factory=list)  # the role's own work, most pressing first
    led_regions: list[RegionOverview] | None = None  # insurers: where they lead
    flagged: int | None = None  # the mediator: initiatives that meet a stop criterion
    counts: dict[str, int] = field(default_factory=dict)  # admins: the registry's size


@dataclass(frozen=True)
class _Spec:
    """A work list: for whom, its rows (a select whose first column is the object), their order,
    and how a row shows. `page`: the whole list's own page, when it has one (else /werk/<key>).
    `shown`: what a row shows besides its object, added only to the rows read (not to the count)."""

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
    shown: Callable[[sa.Select, User, date], sa.Select] | None = None
    count: Callable[[User], sa.Select | None] | None = None  # a cheaper select of the same rows, to count

    def rows(self, query: sa.Select, user: User, today: date) -> sa.Select:
        return self.shown(query, user, today) if self.shown else query

    def to_count(self, query: sa.Select, user: User) -> sa.Select:
        cheaper = self.count(user) if self.count else None
        return query if cheaper is None else cheaper


# Requests --------------------------------------------------------------------------------------

_REQUEST_STATE = {FollowRequestState.OPEN: _l("nog geen besluit"),
                  FollowRequestState.DECIDED: _l("besloten, te wijzigen tot de termijn"),
                  FollowRequestState.OVERDUE: _l("termijn verstreken zonder besluit")}


def _request_item(row: sa.Row, today: date) -> WorkItem:
    r: FollowRequest = row[0]
    adopting = r.kind == RequestKind.ADOPTION
    return WorkItem(
        _("%(title)s (overnameverzoek)", title=r.initiative.title) if adopting else r.initiative.title,
        "adoption.decide" if adopting else "decisions.decide",
        {"request_id": r.id} if adopting else {"initiative_id": r.initiative_id},
        _("termijn %(date)s · %(region)s · %(state)s", date=datum(r.deadline), region=r.initiative.region.name,
          state=_REQUEST_STATE.get(r.state, "")),
        r.deadline < today or r.state == FollowRequestState.OVERDUE)


def _decision_text(kind: DecisionKind | None, conditions: str, weighty: bool | None) -> str:
    if kind == DecisionKind.FOLLOW:
        return _("volgt onder voorwaarden") if conditions else _("volgt")
    if kind == DecisionKind.DECLINE:
        return _("wijst af") if weighty else _("wijst af (onvoldoende onderbouwd)")
    return ""


def _adoption_item(row: sa.Row, today: date) -> WorkItem:
    r: FollowRequest = row[0]
    live = r.state in STILL_DECIDING
    decided = _decision_text(row.kind, row.conditions or "", row.weighty) or _("nog geen besluit")
    return WorkItem(r.initiative.title, "initiatives.detail", {"initiative_id": r.initiative_id},
                    _("aan %(insurer)s · termijn %(date)s · %(decided)s", insurer=r.insurer.name,
                      date=datum(r.deadline), decided=decided),
                    live and r.deadline < today)


def _adoption_requests(user: User, today: date) -> sa.Select:
    query = adoption.adoption_requests_query(user)
    if query is None:  # the work list asks provider staff only, who have a side in them
        raise RuntimeError("no adoption requests for this user")
    return query


def _with_standing_decision(query: sa.Select, user: User, today: date) -> sa.Select:
    # The standing decision on each, where the user may see it (visibility.decisions_clause).
    standing = sa.and_(Decision.follow_request_id == FollowRequest.id, Decision.standing.is_(True),
                       visibility.decisions_clause(user, today))
    return (query.add_columns(Decision.kind, Decision.conditions, Decision.weighty)
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
    what = _("overnameverzoek") if r.kind == RequestKind.ADOPTION else _("volgverzoek")
    return WorkItem(r.initiative.title, "initiatives.detail", {"initiative_id": r.initiative_id},
                    _("%(insurer)s %(decision)s (%(what)s) · %(date)s", insurer=r.insurer.name,
                      decision=_decision_text(d.kind, d.conditions, d.weighty), what=what,
                      date=datum(d.decided_at)))


def _conditions(user: User, today: date) -> sa.Select:
    """Follows with conditions on the lead's initiatives that the lead has not judged (issue 13), while
    they can still be judged (services/conditions.JUDGED_WHILE)."""
    return (_decisions_in(user, today)
            .where(Initiative.status.in_(JUDGED_WHILE), Decision.kind == DecisionKind.FOLLOW,
                   Decision.id.in_(_UNJUDGED)))


# Conditions are stored stripped (limits.checked_text), so "has conditions" is `<> ''`, said as the partial
# index ix_decisions_conditions_unjudged says it. As a subquery it leads the plan: the few unjudged first, not
# every decision on the lead's initiatives.
_unjudged = sa.orm.aliased(Decision, name="unjudged")
_UNJUDGED = sa.select(_unjudged.id).where(_unjudged.conditions_verdict.is_(None), _unjudged.conditions != "")


def _conditions_item(row: sa.Row, today: date) -> WorkItem:
    d: Decision = row[0]
    r = d.follow_request
    return WorkItem(r.initiative.title, "decisions.judge_conditions", {"request_id": r.id},
                    _("%(insurer)s volgt onder voorwaarden · %(date)s", insurer=r.insurer.name,
                      date=datum(d.decided_at)))


# Initiatives -----------------------------------------------------------------------------------

_NEXT_STEP = {InitiativeState.CONCEPT: _l("concept: maak het af en stel het open voor besluiten"),
              InitiativeState.FULLY_FUNDED: _l("volledig gefinancierd: activeer het"),
              InitiativeState.PARTIALLY_FUNDED: _l("deels gefinancierd: activeer het met het tekort, of vraag "
                                                   "bemiddeling")}


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
                    _("%(kind)s, uiterlijk %(date)s", kind=label(m.kind), date=datum(m.due_on)), m.due_on < today)


# Mediation -------------------------------------------------------------------------------------

def _statements(user: User, today: date, *where) -> sa.Select:
    return (sa.select(StatementRequest).join(MediationCase, MediationCase.id == StatementRequest.case_id)
            .where(visibility.statement_clause(user), visibility.case_clause(user),
                   StatementRequest.answered_at.is_(None), MediationCase.state.in_(LIVE_MEDIATION_STATES), *where)
            .options(joinedload(StatementRequest.case).joinedload(MediationCase.initiative),
                     joinedload(StatementRequest.party)))


def _statement_item(row: sa.Row, today: date) -> WorkItem:
    s: StatementRequest = row[0]
    return WorkItem(s.case.initiative.title, "mediation.case", {"case_id": s.case_id},
                    _("zaak %(case)s · zienswijze van %(party)s, uiterlijk %(date)s", case=s.case_id,
                      party=s.party.name, date=datum(s.deadline)),
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


_CASE_STATE = {MediationState.OPEN: _l("nog niet opgepakt"), MediationState.IN_PROGRESS: _l("in behandeling"),
               MediationState.FINDING: _l("bevinding vastgelegd, het volgbesluit loopt")}


def _cases(user: User, today: date) -> sa.Select:
    return (sa.select(MediationCase).where(visibility.case_clause(user), MediationCase.state.in_(LIVE_MEDIATION_STATES))
            .options(joinedload(MediationCase.initiative),
                     joinedload(MediationCase.follow_request).joinedload(FollowRequest.insurer)))


def _case_item(row: sa.Row, today: date) -> WorkItem:
    c: MediationCase = row[0]
    late = (c.state == MediationState.FINDING and c.follow_up_deadline is not None
            and c.follow_up_deadline < today)
    about = f" · {c.follow_request.insurer.name}" if c.follow_request is not None else ""
    state = (_("volgbesluit was uiterlijk %(date)s nodig", date=datum(c.follow_up_deadline)) if late
             else _CASE_STATE.get(c.state, ""))
    return WorkItem(_("Zaak %(case)s: %(title)s", case=c.id, title=c.initiative.title), "mediation.case",
                    {"case_id": c.id},
                    _("%(reason)s%(about)s · sinds %(date)s · %(state)s", reason=label(c.reason).lower(), about=about,
                      date=datum(c.opened_at), state=state), late)


# Co-funders and admins -------------------------------------------------------------------------

def _pledge_item(row: sa.Row, today: date) -> WorkItem:
    p: CoFundingPledge = row[0]
    return WorkItem(p.initiative.title, "cofunding.page", {"initiative_id": p.initiative_id},
                    _("%(amount)s per jaar · wacht op uw bevestiging", amount=euro(p.amount_per_year)))


def _pending_sets(user: User, today: date) -> sa.Select:
    # Imported with a peildatum still to come: they take effect then (market_shares.markets_in_force).
    return sa.select(MarketShareSet).where(MarketShareSet.peildatum > today)


def _set_item(row: sa.Row, today: date) -> WorkItem:
    s: MarketShareSet = row[0]
    return WorkItem(_("Marktaandelen per %(date)s", date=datum(s.peildatum)), "admin.market_share_sets", {},
                    _("gaan in op %(date)s · bron: %(source)s · ingelezen %(imported)s", date=datum(s.peildatum),
                      source=s.source, imported=datum(s.imported_at)))


def _attention(user: User, today: date) -> sa.Select:
    # Accounts that cannot be used yet or now: a password still to choose, or locked after failed log-ins.
    return (sa.select(User).where(User.disabled_at.is_(None), sa.or_(
        User.must_change_password.is_(True), User.locked_until > clock.now())).options(joinedload(User.organisation)))


def _user_item(row: sa.Row, today: date) -> WorkItem:
    u: User = row[0]
    why = _("kiest nog een eigen wachtwoord") if u.must_change_password else \
        _("geblokkeerd na mislukte pogingen, tot %(date)s", date=datum(u.locked_until))
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
    _Spec("verzoeken", _l("verzoeken"), _l("Wacht op ons besluit"),
          _l("Verzoeken aan ons om te volgen of over te nemen, de vroegste termijn eerst."),
          _l("Er wacht niets op uw besluit."), is_insurer_staff,
          lambda user, today: decisions.queue_query(user), lambda today: decisions.QUEUE_ORDER, _request_item,
          ("decisions.queue", {})),
    _Spec("voorwaarden", _lp("lijst", "besluiten"), _l("Voorwaarden die op ons oordeel wachten"),
          _l("Verzekeraars die ons initiatief volgen onder voorwaarden: aanvaard of wijs af, met redenen. De "
          "oudste eerst."), _l("Er wachten geen voorwaarden op ons oordeel."), is_insurer_staff, _conditions,
          lambda today: (Decision.decided_at, Decision.id), _conditions_item),
    _Spec("te-doen", _l("initiatieven"), _l("Onze initiatieven die een stap van ons vragen"),
          _l("Concepten om open te stellen en gefinancierde initiatieven om te activeren, het oudste eerst."),
          _l("Geen van onze initiatieven wacht op een stap van ons."), is_insurer_staff, _steps,
          lambda today: (Initiative.created_at, Initiative.id), _step_item),
    _Spec("besluiten-binnen", _lp("lijst", "besluiten"), _l("Besluiten binnen op onze initiatieven"),
          _l("De besluiten van de andere verzekeraars op onze initiatieven die nog in de besluitvorming zijn, "
          "het nieuwste eerst."), _l("Er zijn nog geen besluiten binnen."), is_insurer_staff, _decisions_in,
          lambda today: (Decision.decided_at.desc(), Decision.id.desc()), _decision_item),
    _Spec("evaluatiemomenten", _l("evaluatiemomenten"), _l("Evaluatiemomenten die aan de beurt zijn"),
          _l("Metingen en evaluaties van de evaluatiekalender die nu of binnenkort moeten, de vroegste eerst."),
          _l("Er is geen evaluatiemoment aan de beurt."), lambda u: is_insurer_staff(u) or is_provider_staff(u),
          _moments, lambda today: (MonitoringMoment.due_on, MonitoringMoment.id), _moment_item),
    _Spec("zienswijzen", _l("zienswijzen"), _l("Zienswijzen die de bemiddelaar van ons vraagt"),
          _l("Vragen van de bemiddelaar die wij nog moeten beantwoorden, de vroegste termijn eerst."),
          _l("De bemiddelaar wacht niet op een zienswijze van ons."),
          lambda u: is_insurer_staff(u) or is_provider_staff(u), _statements, _by_deadline, _statement_item),
    _Spec("geleid", _l("initiatieven"), _l("Initiatieven die wij leiden"),
          _l("Al onze initiatieven, het nieuwste eerst."),
          _l("Wij leiden nog geen initiatieven."), is_insurer_staff, _led, _newest_first, _initiative_item,
          ("initiatives.index", {})),
    # Providers
    _Spec("betrokken", _l("initiatieven"), _l("Initiatieven waarbij wij betrokken zijn"),
          _l("Het nieuwste eerst."),
          _l("Wij zijn nog bij geen initiatief betrokken."), is_provider_staff, _involved, _newest_first,
          _initiative_item, ("initiatives.index", {}), count=visibility.linked_initiative_ids),
    _Spec("overnameverzoeken", _l("overnameverzoeken"), _l("Onze overnameverzoeken"),
          _l("Onze verzoeken aan verzekeraars om een afspraak over te nemen, de vroegste termijn eerst."),
          _l("Wij hebben nog geen overname gevraagd."), is_provider_staff, _adoption_requests,
          lambda today: adoption.ADOPTION_REQUESTS_ORDER, _adoption_item, ("adoption.index", {}),
          _with_standing_decision, adoption.adoption_requests_to_count),
    # The mediator
    _Spec("zaken", _l("zaken"), _l("Zaken in bemiddeling"),
          _l("De dringendste eerst: een vereist volgbesluit waarvan de termijn verstreek, dan zaken die nog niemand "
          "oppakte, dan die in behandeling zijn; binnen elke groep de oudste eerst."),
          _l("Er loopt geen bemiddeling."), is_mediator, _cases,
          lambda today: (_urgency(today), MediationCase.opened_at, MediationCase.id), _case_item),
    _Spec("zienswijzen-verlopen", _l("zienswijzen"), _l("Zienswijzen over de termijn"),
          _l("Gevraagde zienswijzen die niet op tijd zijn gegeven, de langst verlopen eerst."),
          _l("Elke gevraagde zienswijze is op tijd gegeven of heeft nog tijd."), is_mediator,
          lambda user, today: _statements(user, today, StatementRequest.deadline < today), _by_deadline,
          _statement_item),
    # Co-funders
    _Spec("toezeggingen", _l("toezeggingen"), _l("Toezeggingen die op onze bevestiging wachten"),
          _l("Bevestig of wijs af; alleen een bevestigde toezegging telt mee. De langst wachtende eerst."),
          _l("Er wacht geen toezegging op uw bevestiging."), is_co_funder_staff,
          lambda user, today: co_funding.waiting_query(user), lambda today: co_funding.WAITING_ORDER, _pledge_item),
    _Spec("meebetalen", _l("initiatieven"), _l("Initiatieven waaraan wij (zouden) meebetalen"),
          _l("Het nieuwste eerst."),
          _l("Nog geen initiatieven."), is_co_funder_staff, _involved, _newest_first, _initiative_item,
          ("initiatives.index", {}), count=visibility.linked_initiative_ids),
    # Admins
    _Spec("gebruikers", _l("gebruikers"), _l("Gebruikers die aandacht vragen"),
          _l("Accounts die nog een eigen wachtwoord moeten kiezen of na mislukte pogingen geblokkeerd zijn, het "
          "nieuwste eerst."), _l("Geen account vraagt aandacht."), is_admin, _attention, _newest_user, _user_item,
          ("admin.users", {})),
    _Spec("marktaandelen", _l("sets marktaandelen"), _l("Marktaandelen die nog ingaan"),
          _l("Ingelezen marktaandelen met een peildatum die nog moet komen, de eerstvolgende eerst."),
          _l("Er wacht geen set marktaandelen."), is_admin, _pending_sets,
          lambda today: (MarketShareSet.peildatum, MarketShareSet.id), _set_item, ("admin.market_share_sets", {})),
)
_BY_KEY = {spec.key: spec for spec in WORK_LISTS}


def _key(query: sa.Select) -> tuple:
    """A work list's unique key, the last of each order: its object's id (paging.narrowed)."""
    return (query.column_descriptions[0]["entity"].id,)


def _previews(specs: list[_Spec], user: User, today: date) -> list[WorkList]:
    """Each list's first PREVIEW rows, and all the lists' counts (capped) in one query. The rows
    are read by LIMIT alone, their keys sorted first: a count in the same query would compute every
    row, visible status and eager joins included, for the lead of thousands of initiatives."""
    queries = [spec.query(user, today) for spec in specs]
    counts = capped_counts([spec.to_count(query, user) for spec, query in zip(specs, queries, strict=True)])
    lists = []
    for spec, query, (total, capped) in zip(specs, queries, counts, strict=True):
        rows = db.session.execute(narrowed(query, _key(query), spec.order(today), PREVIEW,
                                           rows=spec.rows(query, user, today))).all() if total else []
        lists.append(WorkList(spec.key, spec.title, spec.intro, spec.empty, spec.noun,
                              [spec.item(row, today) for row in rows], total,
                              spec.page or ("main.work_list_page", {"key": spec.key}), capped))
    return lists


def dashboard_for(user: User, today: date) -> Dashboard:
    board = Dashboard(lists=_previews([spec for spec in WORK_LISTS if spec.applies(user)], user, today))
    if is_insurer_staff(user):
        board.led_regions = [o for o in list_regions(today)
                             if o.market and user.organisation_id in {lead.id for lead in o.market.leads}]
    if is_mediator(user):
        board.flagged = flagged_count(user, today)
    if is_admin(user):
        names = (_("regio's"), _("organisaties"), _("gebruikers"), _("sets marktaandelen"))
        board.counts = dict(zip(names, db.session.execute(
            sa.select(*(sa.select(sa.func.count()).select_from(model).scalar_subquery()
                        for model in (Region, Organisation, User, MarketShareSet)))).one(), strict=True))
    return board


def work_list(user: User, key: str, page: int, today: date, per_page: int = PER_PAGE) -> tuple[WorkList, Page]:
    """A work list whole, a page at a time (by number: some orders are computed, no index holds them)."""
    spec = _BY_KEY.get(key)
    if spec is None or not spec.applies(user):
        raise NotFound(_("Deze lijst bestaat niet."))
    query = spec.query(user, today)
    result = counted(spec.to_count(query, user), page, per_page)
    if not result.beyond:
        rows = db.session.execute(narrowed(query, _key(query), spec.order(today), result.per_page, result.offset,
                                           rows=spec.rows(query, user, today))).all()
        result.items = [spec.item(row, today) for row in rows]
    return WorkList(spec.key, spec.title, spec.intro, spec.empty, spec.noun, result.items, result.total,
                    ("main.work_list_page", {"key": key})), result
