"""The JSON API (/api/v1): the UI's use cases, by bearer token, with the same policies.

Money is a string with two decimals; errors are application/problem+json.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from flask import Blueprint, request
from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api.schema import (
    Choice,
    DateIn,
    In,
    IsoDate,
    Money,
    MoneyIn,
    Out,
    PageQuery,
    Quantity,
    QuantityIn,
    Text,
    body,
    list_of,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.funding import FundingModel, PledgeState, RiskLevel, SettlementBasis
from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.domain.phase import InitiativeKind, Phase
from innovatieregister.domain.workflow import ShownState
from innovatieregister.exports import export_response, requested_format
from innovatieregister.extensions import csrf
from innovatieregister.models import (
    ConditionsVerdict,
    CostCategory,
    DecisionKind,
    EvidenceLevel,
    InnovationType,
    RequestKind,
)
from innovatieregister.policies import allow, any_user, public
from innovatieregister.services import (
    ServiceError,
    adoption,
    conditions,
    decisions,
    initiatives,
    regional_plans,
    statements,
)
from innovatieregister.services.criteria import list_criteria, weighty_threshold
from innovatieregister.services.decisions import ArgumentInput
from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput
from innovatieregister.services.regions import list_regions
from innovatieregister.services.standing import standing_decisions

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every call carries its own bearer token


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


# Serialisation ---------------------------------------------------------------------------------

def _market_json(market) -> dict | None:
    if market is None:
        return None
    return {"peildatum": market.share_set.peildatum.isoformat(), "source": market.share_set.source,
            "illustrative": market.share_set.illustrative}


def region_json(overview) -> dict:
    market = overview.market
    return {
        "code": overview.region.code, "name": overview.region.name, "kind": overview.region.kind,
        "lead_insurers": [{"code": o.code, "name": o.name} for o in (market.leads if market else [])],
        "market_shares": _market_json(market),
    }


def initiative_summary(initiative, status) -> dict:
    """`status`: as the viewer may see it (visibility.shown_status)."""
    return {
        "id": initiative.id, "title": initiative.title, "status": status.value,
        "adopted_from": initiative.adopted_from_id,
        "kind": initiative.kind.value, "phase": initiative.phase.value,
        "region": initiative.region.code, "lead_insurer": initiative.lead_insurer.code,
        "annual_budget": money(initiative.annual_budget),
    }


def initiative_json(view) -> dict:
    i = view.initiative
    refs = regional_plans.plan_references(i)
    return {
        **initiative_summary(i, view.status),
        "description": i.description,
        "innovation_type": i.innovation_type.value if i.innovation_type else None,
        "evidence_level": i.evidence_level.value,
        "providers": [{"code": p.provider.code, "name": p.provider.name} for p in i.providers],
        "cross_institution_justification": i.cross_institution_justification,
        "substitution_from": i.substitution_from, "substitution_to": i.substitution_to,
        "scale_down_plan": i.scale_down_plan, "replaces_existing_care": i.replaces_existing_care,
        "start_criteria": i.start_criteria, "stop_criteria": i.stop_criteria,
        "term_start": i.term_start.isoformat() if i.term_start else None,
        "term_end": i.term_end.isoformat() if i.term_end else None,
        "necessity_justification": i.necessity_justification,
        "evaluation_links": i.evaluation_links.splitlines(),
        "goals": [goal_json(g) for g in i.goals],
        "cost_lines": [{"category": c.category.value, "description": c.description,
                        "amount": money(c.amount), "basis": c.basis, "source": c.source}
                       for c in i.cost_lines],
        "decisions": [_request_json(r, refs=refs) for r in view.requests],
        "adopted_without_positive_evaluation": i.adopted_without_positive_evaluation,
        "funding_model": i.funding_model.value, "risk_level": i.risk_level,
        "settlement_basis": i.settlement_basis.value,
        "unit_price": money(i.unit_price) if i.unit_price is not None else None,
        "expected_volume": i.expected_volume,
        "co_funding": [pledge_json(p) for p in view.pledges],
        "theme": {"id": i.theme_id, "title": i.theme.title} if i.theme else None,
    }


def pledge_json(p) -> dict:
    """A co-funding pledge; `counts`: whether it counts in the fair shares now (confirmed). Before
    opening, a pledge still waiting for its co-funder says it will not count if it stays so."""
    waiting = p.state == PledgeState.PROPOSED
    return {"id": p.id, "initiative_id": p.initiative_id, "organisation": p.organisation.code,
            "organisation_name": p.organisation.name, "amount_per_year": money(p.amount_per_year),
            "conditions": p.conditions, "pro_rata": p.pro_rata, "state": p.state.value,
            "decision_reasons": p.decision_reasons, "frozen": p.frozen_at is not None,
            "counts": p.state == PledgeState.CONFIRMED,
            "note": "niet bevestigd: telt bij het openen niet mee" if waiting else None}


def quantity(value: Decimal | None) -> str | None:
    """A measured value in the API: a string, exact, without trailing zeros ("2.9")."""
    return None if value is None else f"{value.normalize():f}"


def goal_json(g) -> dict:
    return {"id": g.id, "metric": g.metric, "baseline": g.baseline, "target": g.target,
            "target_date": g.target_date.isoformat(), "category": g.category.value if g.category else None,
            "unit": g.unit, "baseline_value": quantity(g.baseline_value), "target_value": quantity(g.target_value)}


def _plan_reference_json(ref) -> dict | None:
    """The regional plan an argument on the regional-fit criterion refers to (issue 12)."""
    if ref is None:
        return None
    return {"region": ref.region_code, "version": ref.version, "theme": ref.theme_title}


def _request_json(r, decision=None, refs=None) -> dict:
    """A request and its standing decision, or `decision` (a version the caller recorded);
    `refs`: the initiative's regional_plans.plan_references."""
    out = {"request_id": r.request.id, "kind": r.request.kind.value,
           # A hidden request's deadline too: a deadline moved by a finding would tell of a decline.
           "insurer": r.request.insurer.code, "deadline": r.request.deadline.isoformat() if r.visible else None,
           "request_state": r.request_state,
           "state": r.state.value if r.visible else ShownState.HIDDEN.value, "decision": None}
    d = decision or r.standing
    if d is None:
        d = r.rejected_conditions  # a follow whose conditions the lead rejected: why the request is open again
    if r.visible and d is not None:
        out["decision"] = {
            "version": d.version, "standing": d.standing, "decision": d.kind.value, "conditions": d.conditions,
            "conditions_verdict": d.conditions_verdict.value if d.conditions_verdict else None,
            "conditions_reasons": d.conditions_reasons,
            "score": d.score, "threshold": d.threshold, "weighty": d.weighty,
            "insufficiently_substantiated": d.insufficiently_substantiated,
            "arguments": [{"criterion": a.criterion.code, "criterion_name": a.criterion_name,
                           "weight": a.weight, "strength": a.strength, "explanation": a.explanation,
                           "evidence": a.evidence_url,
                           "regional_plan": _plan_reference_json(refs and refs.for_argument(a, d.decided_at))}
                          for a in d.arguments],
        }
    return out


def cost_shares_json(view) -> dict:
    f = view.funding
    if f is None:
        raise ServiceError("Voor deze regio zijn geen marktaandelen bekend.", None)
    names = {s.insurer.id: s.insurer.code for s in view.market.shares}
    return {
        "total": money(f.total), "committed": money(f.committed), "gap": money(f.gap),
        "co_funding": money(f.co_funding), "insurers_total": money(f.insurers_total),
        "co_funders": [{"name": name, "amount": money(amount)} for name, amount in f.co_funders],
        "coverage": f"{Decimal(f.coverage.numerator) / Decimal(f.coverage.denominator):.4f}",
        "frozen": view.frozen,
        "market_shares": _market_json(view.market),
        "shares": [{"insurer": names[s.insurer], "insured": s.insured, "amount": money(s.amount),
                    "state": view.visible_state(s.insurer)} for s in f.shares],
    }


# Routes ----------------------------------------------------------------------------------------

@bp.route("/openapi.json")
@public
def openapi():
    from innovatieregister.api.openapi import document

    return document()


class Insurer(Out):
    code: str
    name: str


class MarketShares(Out):
    peildatum: IsoDate
    source: str
    illustrative: bool


class Region(Out):
    code: str
    name: str
    kind: str
    lead_insurers: list[Insurer]
    market_shares: MarketShares | None


class Criterion(Out):
    code: str
    name: str
    explanation: str
    weight: int


InitiativeStatusName = Literal["concept", "open", "fully_funded", "partially_funded", "in_mediation", "active",
                               "evaluated", "extended", "ended", "withdrawn"]


class InitiativeSummary(Out):
    id: int
    title: str
    adopted_from: int | None = Field(description="the initiative this one was adopted from")
    status: InitiativeStatusName = Field(description=(
        "as the caller may see it: an insurer that may not yet see the others' decisions, and is no party "
        "to the case, sees in_mediation as open"))
    kind: Literal["jzojp_intervention", "innovation"]
    phase: Literal["start_up", "scale_up"]
    region: str
    lead_insurer: str
    annual_budget: Money


class InitiativeQuery(PageQuery):
    region: Text(limits.CODE) | None = None
    status: InitiativeStatusName | None = None


@bp.route("/regions")
@allow(any_user)
@operation(resp=responses(list_of(Region)))
def regions():
    """Regio's met hun leidende verzekeraars"""
    return {"items": [region_json(o) for o in list_regions(clock.today())]}


@bp.route("/criteria")
@allow(any_user)
@operation(resp=responses(list_of(Criterion, threshold=(int, ...))))
def criteria():
    """De catalogus van afwijzingscriteria en de drempel"""
    return {"threshold": weighty_threshold(),
            "items": [{"code": c.code, "name": c.name, "explanation": c.explanation, "weight": c.weight}
                      for c in list_criteria(active_only=True)]}


@bp.route("/initiatives")
@allow(any_user)
@operation(query=InitiativeQuery, resp=responses(page_of(InitiativeSummary)))
def list_initiatives():
    """Initiatieven die de aanroeper mag zien"""
    args: InitiativeQuery = query()
    page = initiatives.list_for(current_user, args.region or None, args.status, **args.paging(),
                                today=clock.today())
    return listing(page, [initiative_summary(i, page.statuses[i.id]) for i in page.items])


# The initiative: what it is, its money, its goals and the decisions on it -------------------------

class Provider(Out):
    code: str
    name: str


class CostLine(Out):
    category: CostCategory
    description: str
    amount: Money
    basis: str
    source: str


class Goal(Out):
    id: int = Field(description="the goal's id, for measurements")
    metric: str
    baseline: str
    target: str
    target_date: IsoDate
    category: OutcomeCategory | None = Field(description="null: registered before goals had a category")
    unit: str
    baseline_value: Quantity | None
    target_value: Quantity | None


class PlanReference(Out):
    region: str
    version: int | None = Field(description="the version of the region's plan that stood when decided; null: none yet")
    theme: str | None = Field(description="the theme the initiative serves, if any")


class Argument(Out):
    criterion: str
    criterion_name: str
    weight: int
    strength: int = Field(ge=1, le=3)
    explanation: str
    evidence: str
    regional_plan: PlanReference | None = Field(
        description="on the criterion no_regional_fit: the regional plan the argument refers to")


class Decision(Out):
    version: int
    standing: bool = Field(description="false: a later version stands now, or none does since the lead rejected "
                                       "this follow's conditions (conditions_verdict)")
    decision: DecisionKind
    conditions: str
    conditions_verdict: ConditionsVerdict | None = Field(
        description="the lead's verdict on the conditions; null: none yet (or none)")
    conditions_reasons: str
    score: int | None
    threshold: int | None
    weighty: bool | None
    insufficiently_substantiated: bool
    arguments: list[Argument]


RequestStateName = Literal["open", "decided", "overdue", "closed", "cancelled"]


class FollowRequestDecision(Out):
    request_id: int
    kind: RequestKind
    insurer: str
    # null (deadline) and 'hidden' (request_state, state): another insurer's request while the
    # caller may not yet see its decision.
    deadline: IsoDate | None
    request_state: Literal[RequestStateName, "hidden"]
    state: Literal["follows", "declines", "undecided", "hidden"] = Field(
        description="hidden: the caller may not see this decision yet (decisions stay independent).")
    decision: Decision | None


class CoFundingPledge(Out):
    id: int
    initiative_id: int
    organisation: str = Field(description="the co-funder's code")
    organisation_name: str
    amount_per_year: Money
    conditions: str
    pro_rata: bool
    state: PledgeState
    decision_reasons: str
    frozen: bool = Field(description="frozen with the key at opening")
    counts: bool = Field(description="counts in the fair shares (confirmed)")
    note: str | None = Field(description="set while waiting: at opening it will not count")


class Theme(Out):
    id: int
    title: str


class Initiative(InitiativeSummary):
    description: str
    innovation_type: InnovationType | None
    evidence_level: EvidenceLevel
    providers: list[Provider]
    cross_institution_justification: str
    substitution_from: str
    substitution_to: str
    scale_down_plan: str
    replaces_existing_care: bool
    start_criteria: str
    stop_criteria: str
    term_start: IsoDate | None
    term_end: IsoDate | None
    necessity_justification: str
    evaluation_links: list[str]
    goals: list[Goal]
    cost_lines: list[CostLine]
    decisions: list[FollowRequestDecision]
    adopted_without_positive_evaluation: bool = Field(
        description="adopted (insurer axis) although the origin was not evaluated successfully, as the adopting "
                    "insurer confirmed")
    funding_model: FundingModel
    risk_level: int = Field(ge=1, le=3, description="KPMG's levels 1–3")
    settlement_basis: SettlementBasis
    unit_price: Money | None = Field(description="price × volume only")
    expected_volume: int | None = Field(description="price × volume only")
    co_funding: list[CoFundingPledge] = Field(
        description="every pledge; before opening, one not confirmed says it will not count")
    theme: Theme | None = Field(description="the theme of the region's plan it serves (/regions/{code}/plan)")


class CostLineIn(In):
    category: Choice(CostCategory)
    description: Text(limits.LINE, min_length=1)
    amount: MoneyIn
    basis: Text(limits.LINE) = ""
    source: Text(limits.LINE) = ""

    def to_input(self) -> CostLineInput:
        return CostLineInput(self.category.value, self.description, self.amount, self.basis, self.source)


class GoalIn(In):
    metric: Text(limits.LINE, min_length=1)
    baseline: Text(limits.GOAL_VALUE, min_length=1)
    target: Text(limits.GOAL_VALUE, min_length=1)
    target_date: DateIn
    category: Choice(OutcomeCategory)
    unit: Text(limits.UNIT) = ""
    baseline_value: QuantityIn | None = None
    target_value: QuantityIn | None = None

    def to_input(self) -> GoalInput:
        return GoalInput(self.metric, self.baseline, self.target, self.target_date, self.category.value, self.unit,
                         self.baseline_value, self.target_value)


class InitiativeIn(In):
    """cost_lines: at least one, except for price_volume, whose budget is unit_price × expected_volume
    (one cost line 'prijs × volume' is kept for it)."""

    # The shape and bounds only: the rules (a known region and providers, the term, the cross-institution
    # rule, ...) are the service's, for the forms and the API alike.

    title: Text(limits.TITLE, min_length=1)
    region: Text(limits.CODE, description="CBS code, e.g. ZK22")
    kind: Choice(InitiativeKind)
    phase: Choice(Phase)
    innovation_type: Choice(InnovationType) | None = None
    providers: list[Text(limits.CODE)] = Field(
        [], max_length=limits.PROVIDERS, description="provider codes")
    cross_institution_justification: Text(limits.TEXT) = ""
    substitution_from: Text(limits.TEXT) = ""
    substitution_to: Text(limits.TEXT) = ""
    scale_down_plan: Text(limits.TEXT) = ""
    replaces_existing_care: bool = False
    start_criteria: Text(limits.TEXT) = ""
    stop_criteria: Text(limits.TEXT) = ""
    necessity_justification: Text(limits.TEXT) = ""
    evaluation_links: list[Text(limits.URL, pattern="^https?://")] = Field(
        [], max_length=limits.EVALUATION_LINKS)
    cost_lines: list[CostLineIn] = Field([], max_length=limits.COST_LINES)
    goals: list[GoalIn] = Field([], max_length=limits.GOALS)
    description: Text(limits.TEXT) = ""
    evidence_level: Choice(EvidenceLevel) = EvidenceLevel.NONE
    term_start: DateIn | None = None
    term_end: DateIn | None = None
    funding_model: Choice(FundingModel) = FundingModel.BUDGET
    risk_level: int = Field(RiskLevel.NONE.value, ge=1, le=3, description=(
        "1: no risk for the providers; 2: shared savings; 3: shared savings and losses"))
    settlement_basis: Choice(SettlementBasis) = SettlementBasis.MARKET_SHARE
    unit_price: MoneyIn | None = Field(None, description="price × volume: required, more than 0")
    expected_volume: int | None = Field(None, ge=1, le=limits.VOLUME_MAX, description="price × volume: required")
    theme: int | None = Field(None, ge=1, le=limits.ID_MAX, description=(
        "a theme of the region's current plan (RegionalPlan.themes[].id)"))

    def to_input(self, provider_ids: dict[str, int], idempotency_key: str | None) -> InitiativeInput:
        """The service's input; `provider_ids` by code. An unknown code becomes an id no provider
        has, so the service refuses it with its own message (it knows the providers)."""
        return InitiativeInput(
            title=self.title, region_code=self.region, kind=self.kind.value, phase=self.phase.value,
            provider_ids=[provider_ids.get(code, -1) for code in self.providers],
            cost_lines=[line.to_input() for line in self.cost_lines], goals=[goal.to_input() for goal in self.goals],
            innovation_type=self.innovation_type.value if self.innovation_type else None,
            evidence_level=self.evidence_level.value, replaces_existing_care=self.replaces_existing_care,
            term_start=self.term_start, term_end=self.term_end,  # type: ignore[arg-type]  # text: the service parses it
            evaluation_links=self.evaluation_links, idempotency_key=idempotency_key,
            funding_model=self.funding_model.value, risk_level=self.risk_level,
            settlement_basis=self.settlement_basis.value, unit_price=self.unit_price,
            expected_volume=self.expected_volume, theme_id=self.theme,
            **{name: getattr(self, name) for name in initiatives.TEXT_FIELDS})


def _initiative(initiative_id: int) -> dict:
    return initiative_json(initiatives.get_view(current_user, initiative_id, clock.today()))


def _created(initiative_id: int):
    return _initiative(initiative_id), 201, {"Location": f"/api/v1/initiatives/{initiative_id}"}


@bp.route("/initiatives", methods=["POST"])
@allow(any_user)
@operation(json=InitiativeIn, resp=responses(Initiative, 201), idempotent=True)
def create_initiative():
    """Registreer een concept (alleen een leidende verzekeraar van de regio)"""
    data: InitiativeIn = body()
    provider_ids = {p.code: p.id for p in initiatives.provider_choices()}
    created = initiatives.register(current_user, data.to_input(provider_ids, request.headers.get("Idempotency-Key")),
                                   clock.today())
    return _created(created.id)


@bp.route("/initiatives/<int:initiative_id>")
@allow(any_user)
@operation(resp=responses(Initiative))
def get_initiative(initiative_id: int):
    """Eén initiatief met zijn besluiten, voor zover de aanroeper ze mag zien"""
    return _initiative(initiative_id)


@bp.route("/initiatives/<int:initiative_id>/open", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Initiative))
def open_initiative(initiative_id: int):
    """Open voor besluiten: zet de verdeelsleutel vast en stuur volgverzoeken"""
    initiatives.open_for_decisions(current_user, initiative_id, clock.today(), clock.now())
    return _initiative(initiative_id)


class CoFunder(Out):
    name: str
    amount: Money


class Share(Out):
    insurer: str
    insured: int
    amount: Money
    state: Literal["follows", "declines", "undecided", "hidden"] = Field(
        description="hidden: the caller may not see this decision yet (decisions stay independent).")


class CostShares(Out):
    total: Money
    committed: Money
    gap: Money
    co_funding: Money = Field(description="the confirmed co-funding (frozen at opening)")
    insurers_total: Money = Field(description="total − co_funding: split over the insurers by market share")
    co_funders: list[CoFunder]
    coverage: str = Field(pattern=r"^\d\.\d{4}$",
                          description="committed (co-funding and the insurers that fund) / the whole budget")
    frozen: bool = Field(description="false before the initiative opens: a preview")
    market_shares: MarketShares | None
    shares: list[Share]


@bp.route("/initiatives/<int:initiative_id>/cost-shares")
@allow(any_user)
@operation(resp=responses(CostShares), exports=True)
def cost_shares(initiative_id: int):
    """Eerlijk aandeel per verzekeraar, medefinanciers, toegezegd, tekort en dekking

    With Accept: text/csv or the XLSX media type: the fair-share statement (verdeelstaat) as a file."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt:  # the fair-share statement (verdeelstaat) for finance staff
        return export_response(fmt, f"verdeelstaat-{initiative_id}", statements.FAIR_SHARE_COLUMNS,
                               statements.fair_share_rows(view), sheet="Verdeelstaat")
    return cost_shares_json(view)


@bp.route("/initiatives/<int:initiative_id>/decisions")
@allow(any_user)
@operation(resp=responses(list_of(FollowRequestDecision)), exports=True)
def list_decisions(initiative_id: int):
    """De besluiten met hun argumenten, voor zover de aanroeper ze mag zien

    With Accept: text/csv or the XLSX media type: one row per argument of every version the caller may see."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt:
        return export_response(fmt, f"besluiten-{initiative_id}", statements.DECISION_COLUMNS,
                               statements.decision_rows(view), sheet="Besluiten")
    return {"items": [_request_json(r) for r in view.requests]}


class FollowRequest(Out):
    initiative_id: int
    initiative: str
    region: str
    deadline: IsoDate
    overdue: bool
    request_state: RequestStateName
    decision: DecisionKind | None
    version: int | None


@bp.route("/follow-requests")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(FollowRequest)))
def follow_requests():
    """Openstaande volgverzoeken aan de eigen organisatie, dichtstbijzijnde termijn eerst"""
    args: PageQuery = query()
    today: date = clock.today()
    page = decisions.queue(current_user, **args.paging())
    return listing(page, [{
        "initiative_id": item.request.initiative_id, "initiative": item.request.initiative.title,
        "region": item.request.initiative.region.code, "deadline": item.request.deadline.isoformat(),
        "overdue": item.request.deadline < today, "request_state": item.request.state.value,
        "decision": item.standing.kind.value if item.standing else None,
        "version": item.standing.version if item.standing else None,
    } for item in page.items])


class ArgumentIn(In):
    criterion: Text(limits.CODE)
    strength: int = Field(ge=1, le=3)
    explanation: Text(limits.TEXT, min_length=1)
    evidence: Text(limits.URL) = ""


class DecisionIn(In):
    decision: Choice(DecisionKind)
    conditions: Text(limits.TEXT) = ""
    arguments: list[ArgumentIn] = Field([], max_length=10)

    def arguments_input(self) -> list[ArgumentInput]:
        return [ArgumentInput(a.criterion, a.strength, a.explanation, a.evidence) for a in self.arguments]


def _decided(initiative_id: int, decision):
    """The decision version the call recorded, or stored under its Idempotency-Key before."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    return _request_json(next(r for r in view.requests if r.request.id == decision.follow_request_id),
                         decision, regional_plans.plan_references(view.initiative)), 201


@bp.route("/initiatives/<int:initiative_id>/decision", methods=["POST"])
@allow(any_user)
@operation(json=DecisionIn, resp=responses(FollowRequestDecision, 201), idempotent=True)
def decide(initiative_id: int):
    """Leg het besluit van de eigen verzekeraar vast (nieuwe versie)"""
    data: DecisionIn = body()
    decision = decisions.decide(current_user, initiative_id, data.decision.value, data.conditions,
                                data.arguments_input(), request.headers.get("Idempotency-Key"), clock.today())
    return _decided(initiative_id, decision)


# Spreading what works ----------------------------------------------------------------------------

def adoption_json(r, standing) -> dict:
    return {
        "id": r.id, "initiative_id": r.initiative_id, "initiative": r.initiative.title,
        "region": r.initiative.region.code, "insurer": r.insurer.code,
        "requested_by": r.requesting_provider.code if r.requesting_provider else None,
        "deadline": r.deadline.isoformat(), "request_state": r.state.value, "insured": r.insured,
        "impact": {"description": r.impact_description, "volume": r.impact_volume, "unit": r.impact_unit,
                   "by": r.impact_by.isoformat() if r.impact_by else None},
        "evidence": r.evidence_url,
        "decision": standing.kind.value if standing else None,
    }


ImpactUnit = Literal["patients", "bed_days"]  # models.decision.IMPACT_UNITS


class AdoptionImpact(Out):
    """What the provider expects (an adoption request made by a lead's adoption has none)."""

    description: str
    volume: int | None
    unit: ImpactUnit | None
    by: IsoDate | None


class AdoptionRequest(Out):
    id: int
    initiative_id: int
    initiative: str
    region: str
    insurer: str = Field(description="the insurer asked to adopt")
    requested_by: str | None = Field(description="the provider that asks")
    deadline: IsoDate
    request_state: RequestStateName
    insured: int = Field(description="the insurer's insured in the frozen allocation key")
    impact: AdoptionImpact
    evidence: str
    decision: DecisionKind | None


class ImpactIn(In):
    description: Text(limits.TEXT, min_length=1)
    volume: int = Field(ge=1, le=limits.IMPACT_VOLUME_MAX)
    unit: ImpactUnit
    by: DateIn = Field(description="today or later; jjjj-mm-dd, of dd-mm-jjjj")


class AdoptionRequestIn(In):
    insurer: Text(limits.CODE, description="code of the insurer asked to adopt")
    impact: ImpactIn
    evidence: Text(limits.URL) = ""


@bp.route("/initiatives/<int:initiative_id>/adoption-requests", methods=["POST"])
@allow(any_user)
@operation(json=AdoptionRequestIn, resp=responses(AdoptionRequest, 201))
def request_adoption(initiative_id: int):
    """Een betrokken zorgaanbieder vraagt een verzekeraar de afspraak over te nemen"""
    data: AdoptionRequestIn = body()
    impact = data.impact
    created = adoption.request_adoption(current_user, initiative_id, data.insurer, adoption.Impact(
        impact.description, impact.volume, impact.unit, impact.by, data.evidence), clock.today())
    return adoption_json(created, None), 201


@bp.route("/adoption-requests")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(AdoptionRequest)))
def adoption_requests():
    """Overnameverzoeken van, aan of over de eigen organisatie"""
    args: PageQuery = query()
    page = adoption.adoption_requests_for(current_user, **args.paging())
    standing = standing_decisions([r.id for r in page.items], current_user, clock.today())
    return listing(page, [adoption_json(r, standing.get(r.id)) for r in page.items])


@bp.route("/adoption-requests/<int:request_id>/decision", methods=["POST"])
@allow(any_user)
@operation(json=DecisionIn, resp=responses(FollowRequestDecision, 201), idempotent=True)
def decide_adoption(request_id: int):
    """De aangesproken verzekeraar besluit over een overnameverzoek"""
    data: DecisionIn = body()
    decision = decisions.decide_on_request(current_user, request_id, data.decision.value, data.conditions,
                                           data.arguments_input(), request.headers.get("Idempotency-Key"),
                                           clock.today())
    return _decided(decision.follow_request.initiative_id, decision)


class ConditionsVerdictIn(In):
    verdict: Choice(ConditionsVerdict)
    reasons: Text(limits.TEXT, min_length=1)


@bp.route("/follow-requests/<int:request_id>/conditions", methods=["POST"])
@allow(any_user)
@operation(json=ConditionsVerdictIn, resp=responses(FollowRequestDecision))
def judge_conditions(request_id: int):
    """De leidende verzekeraar aanvaardt of wijst de voorwaarden van een volgbesluit af, met
    redenen; afwijzen zet het verzoek weer open met een nieuwe termijn"""
    data: ConditionsVerdictIn = body()
    decision = conditions.judge(current_user, request_id, data.verdict.value, data.reasons, clock.today(),
                                clock.now())
    view = initiatives.get_view(current_user, decision.follow_request.initiative_id, clock.today())
    return _request_json(next(r for r in view.requests if r.request.id == request_id), decision,
                         regional_plans.plan_references(view.initiative))


class AdoptIn(In):
    region: Text(limits.CODE)
    confirm_without_positive_evaluation: bool = Field(False, description=(
        "required (true) to adopt an innovation whose latest evaluation is not positive; the draft then says so "
        "(adopted_without_positive_evaluation)"))


@bp.route("/initiatives/<int:initiative_id>/adopt", methods=["POST"])
@allow(any_user)
@operation(json=AdoptIn, resp=responses(Initiative, 201))
def adopt(initiative_id: int):
    """Neem het initiatief over in een regio waar de eigen verzekeraar leidt"""
    data: AdoptIn = body()
    copy = adoption.adopt(current_user, initiative_id, data.region, clock.today(),
                          confirm_without_positive_evaluation=data.confirm_without_positive_evaluation)
    return _created(copy.id)


# The life cycle's routes live in their own module, on this blueprint (issue 10).
# The use cases of the UI that the API did not yet cover (issue 14), declared with operation().
from innovatieregister.api import admin as _admin  # noqa: E402, F401
from innovatieregister.api import audit as _audit  # noqa: E402, F401
from innovatieregister.api import dashboards as _dashboards  # noqa: E402, F401  (issue 12's figures)
from innovatieregister.api import following, spreading, what_if  # noqa: E402, F401  (their routes join this blueprint)
from innovatieregister.api import lifecycle as _lifecycle  # noqa: E402,F401
from innovatieregister.api import market_shares as _market_shares  # noqa: E402, F401
from innovatieregister.api import mediation as _mediation  # noqa: E402, F401

# The monitors (issue 10) and co-funding (issue 11) register their routes on this blueprint.
from innovatieregister.api import monitoring as _monitoring  # noqa: E402, F401
from innovatieregister.api import notifications as _notifications  # noqa: E402, F401
from innovatieregister.api import plans as _plans  # noqa: E402, F401  (regional agreements, issue 12)
from innovatieregister.api import pledges as _pledges  # noqa: E402, F401

# The public register (issue 12) registers its routes on this blueprint.
from innovatieregister.api import public_register as _public_register  # noqa: E402, F401

# Shared savings (issue 11, part 3) register their routes on this blueprint.
from innovatieregister.api import savings as _savings  # noqa: E402, F401
from innovatieregister.api import settlements as _settlements  # noqa: E402, F401
