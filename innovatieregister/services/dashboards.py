"""Figures of a region, of its insurers and of the whole country (issue 12), computed only from
what the viewer may see: every query is narrowed by visibility.py's clauses (initiatives, their
status as the viewer may see it, decisions), so a hidden decision counts as undecided in every
total, exactly as on an initiative's own page.

Each figure links to the list of initiatives behind it; that list is narrowed by the same
clauses and classifiers as the figure (`list_filters`), so the list holds what the figure counts.

Money follows the initiative page: an initiative's committed part is the sum of the shares
(domain/allocation.py, frozen key) of the insurers the viewer sees following, the lead included;
the gap is the rest. A constant number of queries, whatever the number of initiatives.

At national scale (issue 15) two things fixed once known are stored rather than recomputed for
every row on every page: each request's first decision, its Dutch date and the working days to it
(services/decision_times.py), so the per-insurer figures and the medians are grouped SQL counts;
and each initiative's committed part with every follower counted (services/committed.py), which
is what the national overview's viewers (the mediator, admins: they see every decision) see, so
its totals are sums per region. Both are kept in the flush that moves them and checked by
`flask registry check`. Other viewers' money figures are still computed per initiative, as they see it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import QueryableAttribute

from innovatieregister import visibility
from innovatieregister.domain.allocation import InsurerState, co_funded
from innovatieregister.domain.workflow import UNDECIDED_REQUEST_STATES, FollowRequestState, InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import (
    Decision,
    DecisionKind,
    FollowRequest,
    Initiative,
    MarketShareSet,
    Organisation,
    OrganisationKind,
    Region,
    RequestKind,
    User,
)
from innovatieregister.models.base import Money
from innovatieregister.models.regional_plan import RegionalTheme
from innovatieregister.policies import is_insurer_staff, may_see_national_overview
from innovatieregister.services import Invalid, NotAllowed, NotFound
from innovatieregister.services.co_funding import annual_budget_column, counted_co_funding_column
from innovatieregister.services.market_shares import markets_of_sets
from innovatieregister.services.regions import led_regions

ZERO = Decimal("0.00")
# Whose funding counts in the money figures: opened for decisions (the key is frozen) and neither
# withdrawn nor ended. A start-up innovation the lead runs alone has no key and no shares.
NOT_FUNDING = (InitiativeState.CONCEPT, InitiativeState.WITHDRAWN, InitiativeState.ENDED)


class Stall(StrEnum):
    """Why euros are stuck (issue 12): open past a deadline, partially funded, in mediation."""

    PAST_DEADLINE = "termijn"
    PARTIAL = "gedeeltelijk"
    MEDIATION = "bemiddeling"


STALL_LABELS = {Stall.PAST_DEADLINE: _l("Open en termijn verstreken zonder besluit"),
                Stall.PARTIAL: _l("Gedeeltelijk gefinancierd"),
                Stall.MEDIATION: _l("In bemiddeling")}


class Facet(StrEnum):
    """Which of an insurer's follow requests a per-insurer figure counts (?verzoek=)."""

    ASKED = "gevraagd"
    DECIDED = "besloten"
    FOLLOWS = "gevolgd"
    DECLINES = "afgewezen"
    IN_TIME = "optijd"
    LATE = "telaat"
    OVERDUE = "verlopen"
    INSUFFICIENT = "onvoldoende"


FACET_LABELS = {Facet.ASKED: _l("gevraagd"), Facet.DECIDED: _l("besloten"), Facet.FOLLOWS: _l("gevolgd"),
                Facet.DECLINES: _l("afgewezen"), Facet.IN_TIME: _l("op tijd besloten"),
                Facet.LATE: _l("te laat besloten"), Facet.OVERDUE: _l("nu over de termijn"),
                Facet.INSUFFICIENT: _l("afwijzing onvoldoende onderbouwd")}

ANY_STALL = "alle"  # ?vastgelopen=alle: stalled for any reason
FUNDING_SCOPE = "lopend"  # ?financiering=lopend: the initiatives the money figures cover
NO_THEME = "geen"


# The clauses, shared by the figures and the list behind them ----------------------------------------

def funding_scope_clause() -> sa.ColumnElement[bool]:
    return sa.and_(Initiative.market_share_set_id.is_not(None), Initiative.status.notin_(NOT_FUNDING))


def _past_deadline_clause(user: User, today: date) -> sa.ColumnElement[bool]:
    """A request the viewer may see (decisions rule) still without a decision after its deadline."""
    return sa.exists().where(FollowRequest.initiative_id == Initiative.id,
                             FollowRequest.state.in_(UNDECIDED_REQUEST_STATES), FollowRequest.deadline < today,
                             visibility.decisions_clause(user, today))


def stall_clause(user: User, today: date, stall: Stall) -> sa.ColumnElement[bool]:
    """Stalled as the viewer may see it (the status as shown to them, the requests they may see)."""
    status = visibility.status_column(user, today)
    if stall == Stall.PARTIAL:
        return status == InitiativeState.PARTIALLY_FUNDED
    if stall == Stall.MEDIATION:
        return status == InitiativeState.IN_MEDIATION
    return sa.and_(status == InitiativeState.OPEN, _past_deadline_clause(user, today))


def theme_column() -> QueryableAttribute[int | None]:
    """The theme of the region's plan an initiative serves (regional agreements)."""
    return Initiative.theme_id


def _theme_title_column() -> sa.ColumnElement:
    """The theme's current title, read with the initiative (no query of its own)."""
    return sa.select(RegionalTheme.title).where(RegionalTheme.id == Initiative.theme_id).scalar_subquery()


def theme_clause(theme: str) -> sa.ColumnElement[bool]:
    """?thema=: `geen` (no theme) or a theme's id."""
    if theme == NO_THEME:
        return theme_column().is_(None)
    if theme.isascii() and theme.isdigit() and len(theme) <= 10:
        return theme_column() == int(theme)
    raise Invalid(_("Onbekend thema."), {"thema": [_("Kies een thema uit de lijst.")]})


# Per initiative ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InitiativeFigures:
    id: int
    region_id: int
    status: InitiativeState  # as the viewer may see it
    budget: Decimal
    in_scope: bool  # its funding counts (funding_scope_clause)
    committed: Decimal
    stall: Stall | None
    theme_id: int | None
    theme_name: str | None

    @property
    def gap(self) -> Decimal:
        return self.budget - self.committed if self.in_scope else ZERO


def committed_of(budget: Decimal, co_funding: Decimal, weights: Mapping[int, int], funders: Iterable[int]) -> Decimal:
    """An initiative's committed part, over the whole budget: its confirmed co-funding and the shares
    (its frozen key's weights) of the funders (its lead and the insurers seen following; issue 11)."""
    if not sum(weights.values()):
        return ZERO
    states = {i: InsurerState.FOLLOWS for i in funders if i in weights}
    return co_funded(budget, [("medefinanciering", co_funding)], weights, states).committed


def _initiative_figures(user: User, today: date, *where: sa.ColumnElement[bool]) -> list[InitiativeFigures]:
    """Every initiative the viewer sees (narrowed by `where`) with its figures: three queries."""
    status = visibility.status_column(user, today).label("status")
    budget = annual_budget_column().label("budget")
    rows = db.session.execute(
        sa.select(Initiative.id, Initiative.region_id, Initiative.lead_insurer_id, Initiative.market_share_set_id,
                  status, budget, funding_scope_clause().label("in_scope"),
                  _past_deadline_clause(user, today).label("past_deadline"), theme_column().label("theme"),
                  _theme_title_column().label("theme_title"),
                  sa.type_coerce(counted_co_funding_column(), Money()).label("co_funding"))
        .where(visibility.initiative_clause(user), *where)).all()
    scoped = [r for r in rows if r.in_scope]
    followers: dict[int, set[int]] = defaultdict(set)
    if scoped:
        # The followers the viewer may see: one follow standing on any of an insurer's requests.
        for initiative_id, insurer_id in db.session.execute(
                sa.select(FollowRequest.initiative_id, FollowRequest.insurer_id).distinct()
                .join(Decision, sa.and_(Decision.follow_request_id == FollowRequest.id, Decision.standing.is_(True)))
                .join(Initiative, Initiative.id == FollowRequest.initiative_id)
                .where(Decision.kind == DecisionKind.FOLLOW, visibility.decisions_clause(user, today),
                       visibility.initiative_clause(user), funding_scope_clause(), *where)):
            followers[initiative_id].add(insurer_id)
    sets = {s.id: s for s in db.session.scalars(sa.select(MarketShareSet).where(
        MarketShareSet.id.in_({r.market_share_set_id for r in scoped})))} if scoped else {}
    # The weights of each frozen key, once: the same few keys serve thousands of initiatives.
    weights_of = {key: market.insured_by_insurer_id() for key, market in markets_of_sets(
        list({(sets[r.market_share_set_id], r.region_id) for r in scoped})).items()}
    result = []
    for r in rows:
        committed = ZERO
        if r.in_scope:
            committed = committed_of(r.budget, r.co_funding, weights_of[(r.market_share_set_id, r.region_id)],
                                     followers[r.id] | {r.lead_insurer_id})
        stall = (Stall.PARTIAL if r.status == InitiativeState.PARTIALLY_FUNDED
                 else Stall.MEDIATION if r.status == InitiativeState.IN_MEDIATION
                 else Stall.PAST_DEADLINE if r.status == InitiativeState.OPEN and r.past_deadline else None)
        result.append(InitiativeFigures(r.id, r.region_id, InitiativeState(r.status), r.budget, bool(r.in_scope),
                                        committed, stall, r.theme, r.theme_title))
    return result


@dataclass
class Totals:
    """Initiatives counted, their annual budget, and (for those in the funding scope) committed and gap."""

    count: int = 0
    budget: Decimal = ZERO
    funded_budget: Decimal = ZERO  # the budget of those whose funding counts
    committed: Decimal = ZERO

    def add(self, figures: InitiativeFigures) -> None:
        self.count += 1
        self.budget += figures.budget
        if figures.in_scope:
            self.funded_budget += figures.budget
            self.committed += figures.committed

    @property
    def gap(self) -> Decimal:
        return self.funded_budget - self.committed

    @property
    def coverage(self) -> Fraction | None:
        """Committed / budget of the funding scope (None when there is nothing to fund)."""
        if not self.funded_budget:
            return None
        return Fraction(self.committed) / Fraction(self.funded_budget)


def _totals(figures: Iterable[InitiativeFigures]) -> Totals:
    totals = Totals()
    for f in figures:
        totals.add(f)
    return totals


# The region page -------------------------------------------------------------------------------------

@dataclass
class ThemeRow:
    theme_id: int | None
    name: str
    totals: Totals

    @property
    def key(self) -> str:
        return NO_THEME if self.theme_id is None else str(self.theme_id)


@dataclass
class RegionDashboard:
    region: Region
    by_state: list[tuple[InitiativeState, Totals]]  # the states that hold initiatives, in the workflow's order
    funding: Totals  # the funding scope
    stalled: list[tuple[Stall, Totals]]  # the reasons that hold initiatives
    themes: list[ThemeRow]

    @property
    def stalled_gap(self) -> Decimal:
        return sum((t.gap for _stall, t in self.stalled), ZERO)


def find_region(code: str) -> Region:
    region = db.session.scalar(sa.select(Region).where(Region.code == code.upper()[:20]))
    if region is None:
        raise NotFound(_("Regio '%(code)s' bestaat niet.", code=code[:20]))
    return region


def region_dashboard(user: User, region: Region, today: date) -> RegionDashboard:
    """The region's initiatives as the viewer may see them: by state, their budget, committed, gap
    and coverage, the euros stalled, and per theme."""
    figures = _initiative_figures(user, today, Initiative.region_id == region.id)
    by_state = {state: Totals() for state in InitiativeState}
    stalled = {stall: Totals() for stall in Stall}
    themes: dict[int | None, Totals] = {}
    names = {f.theme_id: f.theme_name for f in figures if f.theme_id is not None and f.theme_name is not None}
    for f in figures:
        by_state[f.status].add(f)
        if f.stall is not None:
            stalled[f.stall].add(f)
        if f.in_scope:
            themes.setdefault(f.theme_id, Totals()).add(f)
    theme_rows = sorted((ThemeRow(t, names.get(t, _("Zonder thema")) if t is not None else _("Zonder thema"), totals)
                         for t, totals in themes.items()), key=lambda row: (row.theme_id is None, row.name))
    # Only what holds initiatives: a row "in mediation: 0" would still name a state this viewer may
    # not learn of (visibility.sees_mediation), and says nothing.
    return RegionDashboard(region, [(s, t) for s, t in by_state.items() if t.count],
                           _totals(f for f in figures if f.in_scope),
                           [(s, t) for s, t in stalled.items() if t.count], theme_rows)


# Per insurer ------------------------------------------------------------------------------------------

# The follow requests the per-insurer figures count, and their facets in SQL. Each request's first
# decision (its Dutch date and the working days to it) is stored on it (services/decision_times.py),
# so the figures are grouped aggregates, not every request through Python.
_STANDING = sa.orm.aliased(Decision, name="fig_standing")


def _counted_requests(user: User, today: date, *columns: sa.ColumnElement | QueryableAttribute,
                      region_id: int | None = None, insurer_id: int | None = None,
                      with_standing: bool = True) -> sa.Select:
    """The follow requests (not adoption requests: that is another axis) whose decisions the viewer
    may see (visibility.decisions_clause), on initiatives they see, cancelled ones left out, with
    their standing decision (if any) joined as _STANDING (at most one: uq_decisions_standing, so
    leaving it out when no column needs it counts the same rows)."""
    standing = _STANDING
    query = sa.select(*columns).select_from(FollowRequest).join(Initiative,
                                                                Initiative.id == FollowRequest.initiative_id)
    if with_standing:
        query = query.outerjoin(standing, sa.and_(standing.follow_request_id == FollowRequest.id,
                                                  standing.standing.is_(True)))
    query = (query
             .where(FollowRequest.kind == RequestKind.FOLLOW, FollowRequest.state != FollowRequestState.CANCELLED,
                    visibility.decisions_clause(user, today), visibility.initiative_clause(user)))
    if region_id is not None:
        query = query.where(Initiative.region_id == region_id)
    if insurer_id is not None:
        query = query.where(FollowRequest.insurer_id == insurer_id)
    return query


def facet_clause(facet: Facet, today: date) -> sa.ColumnElement[bool]:
    """Whether a counted request (_counted_requests) has this facet: asked; decided in time or late
    (its first decision's Dutch date against its deadline); a standing follow or decline, the decline
    judged insufficiently substantiated; overdue now (no decision, past its deadline)."""
    standing = _STANDING
    return {
        Facet.ASKED: sa.true(),
        Facet.DECIDED: standing.kind.is_not(None),
        Facet.FOLLOWS: standing.kind == DecisionKind.FOLLOW,
        Facet.DECLINES: standing.kind == DecisionKind.DECLINE,
        Facet.INSUFFICIENT: sa.and_(standing.kind == DecisionKind.DECLINE,
                                    sa.or_(standing.weighty.is_(None), standing.weighty.is_(False))),
        Facet.IN_TIME: FollowRequest.first_decided_on <= FollowRequest.deadline,
        Facet.LATE: FollowRequest.first_decided_on > FollowRequest.deadline,
        Facet.OVERDUE: sa.and_(standing.kind.is_(None), FollowRequest.state.in_(UNDECIDED_REQUEST_STATES),
                               FollowRequest.deadline < today),
    }[facet]


def median_of_counts(counts: Mapping[int, int]) -> Fraction | None:
    """The median of values given as {value: how often} (statistics.median of the values written
    out): None without values."""
    n = sum(counts.values())
    if not n:
        return None
    low_at, high_at = (n - 1) // 2, n // 2
    low: int | None = None
    high: int | None = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_at:
            low = value
        if seen > high_at:
            high = value
            break
    assert low is not None and high is not None  # n > 0: both positions lie within the counts
    return Fraction(low + high, 2)


@dataclass
class InsurerFigures:
    insurer: Organisation
    counts: dict[Facet, int] = field(default_factory=dict)
    median_days: Fraction | None = None

    @property
    def follow_rate(self) -> Fraction | None:
        """Follows / standing decisions (None before any decision)."""
        decided = self.counts.get(Facet.DECIDED, 0)
        return Fraction(self.counts.get(Facet.FOLLOWS, 0), decided) if decided else None


def insurer_figures(user: User, today: date, region: Region | None) -> list[InsurerFigures]:
    """Per insurer asked: follow rate, median decision time, in time vs late, overdue now and
    declines judged insufficiently substantiated, from the requests the viewer may see: one grouped
    query (per insurer and days to decision) and the insurers."""
    if not sees_insurer_figures(user, region, today):
        raise NotAllowed(_("Alleen de leidende verzekeraars van de regio, de bemiddelaar en beheerders zien de "
                           "cijfers per verzekeraar."))
    facets = list(Facet)
    counted = _counted_requests(
        user, today, FollowRequest.insurer_id, FollowRequest.decision_days, sa.func.count(),
        *(sa.func.sum(sa.case((facet_clause(facet, today), 1), else_=0)) for facet in facets),
        region_id=region.id if region else None).group_by(FollowRequest.insurer_id, FollowRequest.decision_days)
    counts: dict[int, dict[Facet, int]] = {}
    days: dict[int, dict[int, int]] = defaultdict(dict)
    for insurer_id, decision_days, requests, *sums in db.session.execute(counted):
        totals = counts.setdefault(insurer_id, {facet: 0 for facet in Facet})
        for facet, n in zip(facets, sums, strict=True):
            totals[facet] += int(n)
        if decision_days is not None:
            days[insurer_id][decision_days] = requests
    insurers = {o.id: o for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.INSURER))}
    result = [InsurerFigures(insurers[insurer_id], totals, median_of_counts(days[insurer_id]))
              for insurer_id, totals in counts.items()]
    return sorted(result, key=lambda f: f.insurer.name)


def sees_insurer_figures(user: User, region: Region | None, today: date) -> bool:
    """The leads of the region (issue 12: they answer for it), the mediator and admins; only those
    two across all regions."""
    if may_see_national_overview(user):
        return True
    return region is not None and is_insurer_staff(user) and region.id in {r.id for r in led_regions(user, today)}


# The country ---------------------------------------------------------------------------------------

@dataclass
class RegionRow:
    region: Region
    totals: Totals
    stalled: Totals
    in_mediation: int
    median_days: Fraction | None


SORTS = {
    "regio": lambda row: (row.region.name,),
    "dekking": lambda row: (row.totals.coverage is None, row.totals.coverage or 0, row.region.name),
    "vastgelopen": lambda row: (row.stalled.gap, row.region.name),
    "bemiddeling": lambda row: (row.in_mediation, row.region.name),
    "besluittijd": lambda row: (row.median_days is None, row.median_days or 0, row.region.name),
}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """?sorteer=: a column name, '-' in front for descending."""
    value = value or "regio"
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SORTS:
        raise Invalid(_("Onbekende sortering."),
                      {"sorteer": [_("Kies uit %(choices)s (met '-' voor aflopend).", choices=", ".join(SORTS))]})
    return key, descending


def national_overview(user: User, today: date, sort: str = "regio", descending: bool = False) -> list[RegionRow]:
    """The regions side by side: coverage, stalled euros, initiatives in mediation and the median
    time to decision, from what the viewer sees."""
    if not may_see_national_overview(user):
        raise NotAllowed(_("Het landelijk overzicht is voor de bemiddelaar en beheerders."))
    # They see every decision (visibility.decisions_clause), so each initiative's committed part is
    # the one stored with every follower counted (services/committed.py): the totals are sums per region.
    in_scope, stalled = funding_scope_clause(), sa.or_(*(stall_clause(user, today, s) for s in Stall))
    budget = annual_budget_column()

    def count(where: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((where, 1)))

    def money(where: sa.ColumnElement[bool],
              amount: sa.ColumnElement | QueryableAttribute) -> sa.ColumnElement[Decimal]:
        return sa.type_coerce(sa.func.coalesce(sa.func.sum(sa.case((where, amount))), sa.literal_column("0")), Money())

    totals: dict[int, tuple[Totals, Totals, int]] = {}
    for (region_id, scoped, scoped_budget, scoped_committed, stuck_count, stuck_budget, stuck_scoped_budget,
         stuck_committed, in_mediation) in db.session.execute(
            sa.select(Initiative.region_id, count(in_scope), money(in_scope, budget),
                      money(in_scope, Initiative.committed_all), count(stalled), money(stalled, budget),
                      money(sa.and_(stalled, in_scope), budget),
                      money(sa.and_(stalled, in_scope), Initiative.committed_all),
                      count(visibility.status_column(user, today) == InitiativeState.IN_MEDIATION))
            .where(visibility.initiative_clause(user)).group_by(Initiative.region_id)):
        totals[region_id] = (Totals(scoped, scoped_budget, scoped_budget, scoped_committed),
                             Totals(stuck_count, stuck_budget, stuck_scoped_budget, stuck_committed), in_mediation)
    days_per_region: dict[int, dict[int, int]] = defaultdict(dict)
    for region_id, days, requests in db.session.execute(
            _counted_requests(user, today, Initiative.region_id, FollowRequest.decision_days, sa.func.count(),
                              with_standing=False)
            .where(FollowRequest.decision_days.is_not(None))
            .group_by(Initiative.region_id, FollowRequest.decision_days)):
        days_per_region[region_id][days] = requests
    rows = []
    for region in db.session.scalars(sa.select(Region)):
        funding, stuck, in_mediation = totals.get(region.id, (Totals(), Totals(), 0))
        rows.append(RegionRow(region, funding, stuck, in_mediation, median_of_counts(days_per_region[region.id])))
    rows.sort(key=lambda row: row.region.name)
    rows.sort(key=SORTS[sort], reverse=descending)
    return rows


# The list behind a figure --------------------------------------------------------------------------------

def list_filters(user: User, today: date, args: Mapping[str, str]) -> list[sa.ColumnElement[bool]]:
    """The initiatives list's filters that the figures link to: ?financiering=lopend,
    ?vastgelopen=<Stall>|alle, ?thema=, and ?verzekeraar=<code>&verzoek=<Facet> (an insurer's requests
    as the per-insurer figures count them, with ?regio= when given). Invalid on a bad value."""
    clauses = []
    if (scope := args.get("financiering")) is not None:
        if scope != FUNDING_SCOPE:
            raise Invalid(_("Onbekend filter."), {"financiering": [_("Gebruik %(value)s.", value=FUNDING_SCOPE)]})
        clauses.append(funding_scope_clause())
    if (stall := args.get("vastgelopen")) is not None:
        if stall == ANY_STALL:
            clauses.append(sa.or_(*(stall_clause(user, today, s) for s in Stall)))
        elif stall in {s.value for s in Stall}:
            clauses.append(stall_clause(user, today, Stall(stall)))
        else:
            raise Invalid(_("Onbekend filter."), {"vastgelopen": [
                _("Kies uit %(choices)s of %(any)s.", choices=", ".join(Stall), any=ANY_STALL)]})
    if (theme := args.get("thema")) is not None:
        clauses.append(theme_clause(theme))
    code, facet = args.get("verzekeraar"), args.get("verzoek")
    if code is not None or facet is not None:
        insurer = db.session.scalar(sa.select(Organisation).where(
            Organisation.code == (code or "")[:40].upper(), Organisation.kind == OrganisationKind.INSURER))
        if insurer is None:
            raise Invalid(_("Onbekende verzekeraar."), {"verzekeraar": [_("Kies een zorgverzekeraar.")]})
        if facet not in {f.value for f in Facet}:
            raise Invalid(_("Onbekend filter."), {"verzoek": [_("Kies uit %(choices)s.", choices=", ".join(Facet))]})
        region = find_region(args["regio"]) if args.get("regio") else None
        ids = sorted(db.session.scalars(_counted_requests(
            user, today, FollowRequest.initiative_id, region_id=region.id if region else None,
            insurer_id=insurer.id).where(facet_clause(Facet(facet), today)).distinct()))
        clauses.append(Initiative.id.in_(ids))
    return clauses


FILTER_NAMES = ("financiering", "vastgelopen", "thema", "verzekeraar", "verzoek")


def describe_filters(args: Mapping[str, str]) -> str:
    """The figure's filters a list shows, in words (the form keeps region and status)."""
    parts = []
    if args.get("financiering") == FUNDING_SCOPE:
        parts.append(_("met financiering (open gesteld, niet ingetrokken of beëindigd)"))
    if (stall := args.get("vastgelopen")) == ANY_STALL:
        parts.append(_("vastgelopen"))
    elif stall in {s.value for s in Stall}:
        parts.append(_("vastgelopen: %(why)s", why=STALL_LABELS[Stall(stall)].lower()))
    if (theme := args.get("thema")) is not None:
        parts.append(_("zonder thema") if theme == NO_THEME else _("thema %(theme)s", theme=theme[:10]))
    if args.get("verzekeraar") and args.get("verzoek") in {f.value for f in Facet}:
        parts.append(_("verzoek aan %(insurer)s: %(facet)s", insurer=args["verzekeraar"][:40],
                       facet=FACET_LABELS[Facet(args["verzoek"])]))
    return "; ".join(parts)
