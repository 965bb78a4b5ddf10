"""The JSON API (/api/v1): the UI's use cases, by bearer token, with the same policies.

Money is a string with two decimals; errors are application/problem+json.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from flask import Blueprint, request
from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, inputs, limits
from innovatieregister.api.schema import (
    IsoDate,
    Money,
    Out,
    PageQuery,
    Text,
    list_of,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.funding import PledgeState
from innovatieregister.errors import problem
from innovatieregister.exports import export_response, requested_format
from innovatieregister.extensions import csrf
from innovatieregister.paging import PER_PAGE, decode
from innovatieregister.policies import allow, any_user, public
from innovatieregister.services import (
    Invalid,
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


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    return problem(error.status, error.message, error.field_errors or None)


def _body() -> dict:
    body = inputs.json_body()
    if not isinstance(body, dict):
        raise ServiceError("De body is geen JSON-object (Content-Type: application/json).")
    return body


def _field(body: dict, name: str, kind: type, errors: dict, default=None, required=False):
    value = body.get(name, default)
    if value is None:
        if required:
            errors.setdefault(name, []).append("Dit veld is verplicht.")
        return default
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        errors.setdefault(name, []).append(f"Verwacht: {_TYPE_NAMES.get(kind, kind.__name__)}.")
        return default
    return value


_TYPE_NAMES = {str: "tekst", int: "geheel getal", list: "lijst", bool: "true of false", dict: "object"}
# An amount in the API: plain digits and at most two decimals, as the document says (the web form
# also reads Dutch notation, for people).
MONEY_INPUT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
# A measured value in the API: a decimal point and at most four decimals (limits.MEASUREMENT_ABS_MAX
# bounds it; the service says so).
QUANTITY_INPUT = re.compile(r"^-?\d{1,13}(\.\d{1,4})?$")


def _texts(obj: dict, names: tuple[str, ...], key: str, errors: dict) -> dict[str, str]:
    """The text properties of one object in a list (a cost line, a goal, an argument, the impact):
    each a string when present, '' when absent; any other type is an error at `key-name`."""
    values = {}
    for name in names:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            errors.setdefault(f"{key}-{name}" if key else name, []).append("Verwacht: tekst.")
        values[name] = value if isinstance(value, str) else ""
    return values


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
           "state": r.state.value if r.visible else "hidden", "decision": None}
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
    region: Text(limits.CODE) | None = None  # type: ignore[valid-type]
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


PAGE_ARGS = ("page", "per_page", "after", "before")


def _page_args(*also: str) -> dict:
    """`page` and `per_page` of an API list, each in the range the document gives, and the
    keyset cursor of a `next` or `previous` link (`after`, `before`); 422 otherwise, and for
    a parameter the document does not name (`also`: the list's own filters)."""
    unknown = sorted(set(request.args) - {*PAGE_ARGS, *also})
    if unknown:
        raise Invalid("Onbekende parameter.", {name[:limits.CODE] or "(leeg)": [
            f"Deze lijst kent alleen {', '.join((*also, *PAGE_ARGS))}."] for name in unknown})
    args = {"page": _int_arg("page", 1, limits.PAGE_MAX),
            "per_page": _int_arg("per_page", PER_PAGE, limits.PER_PAGE_MAX), "cursor": None}
    for name, backwards in (("after", False), ("before", True)):
        if name in request.args:
            args["cursor"] = decode(request.args[name], backwards)
            if args["cursor"] is None:
                raise Invalid("Ongeldige parameter.", {
                    name: ["Gebruik de link `next` of `previous` van een eerdere pagina."]})
    return args


def _int_arg(name: str, default: int, high: int) -> int:
    """An integer query parameter in 1..high, as the document says; 422 otherwise."""
    value = request.args.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)) or not 1 <= int(value) <= high:
        raise Invalid("Ongeldige parameter.", {name: [limits.out_of_range("De waarde", 1, high)]})
    return int(value)


def _initiative_input(body: dict) -> InitiativeInput:
    errors: dict[str, list[str]] = {}
    lines = _field(body, "cost_lines", list, errors, default=[])
    goals = _field(body, "goals", list, errors, default=[])
    providers = _field(body, "providers", list, errors, default=[])
    links = _field(body, "evaluation_links", list, errors, default=[])
    text = {name: _field(body, name, str, errors, default="") for name in (
        "description", "substitution_from", "substitution_to", "scale_down_plan", "start_criteria",
        "stop_criteria", "necessity_justification", "cross_institution_justification")}
    data = InitiativeInput(
        title=_field(body, "title", str, errors, required=True) or "",
        region_code=_field(body, "region", str, errors, required=True) or "",
        kind=_field(body, "kind", str, errors, required=True) or "",
        phase=_field(body, "phase", str, errors, required=True) or "",
        innovation_type=_field(body, "innovation_type", str, errors),
        evidence_level=_field(body, "evidence_level", str, errors, default="none"),
        replaces_existing_care=_field(body, "replaces_existing_care", bool, errors, default=False),
        term_start=_field(body, "term_start", str, errors), term_end=_field(body, "term_end", str, errors),
        provider_ids=[],
        evaluation_links=[x if isinstance(x, str) else "" for x in links],
        idempotency_key=request.headers.get("Idempotency-Key") or None,
        funding_model=_field(body, "funding_model", str, errors, default="budget"),
        risk_level=_field(body, "risk_level", int, errors, default=1),
        settlement_basis=_field(body, "settlement_basis", str, errors, default="market_share"),
        unit_price=_money_field(body, "unit_price", errors),
        expected_volume=_field(body, "expected_volume", int, errors),
        theme_id=_field(body, "theme", int, errors),
        **text,
    )
    data.provider_ids = _provider_ids(providers, errors)
    for i, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            errors.setdefault(f"cost_lines-{i}", []).append(
                f"Kostenregel {i}: een object met category, description en amount.")
            continue
        row = _texts(line, ("category", "description", "amount", "basis", "source"), f"cost_lines-{i}", errors)
        if not MONEY_INPUT.match(row["amount"]):
            errors.setdefault(f"cost_lines-{i}-amount", []).append(
                f"Kostenregel {i}: het bedrag is tekst met hoogstens twee decimalen, bijv. \"12.50\".")
        data.cost_lines.append(CostLineInput(**row))
    for i, goal in enumerate(goals, start=1):
        if not isinstance(goal, dict):
            errors.setdefault(f"goals-{i}", []).append(f"Doel {i}: een object.")
            continue
        texts = _texts(goal, ("metric", "baseline", "target", "target_date", "category", "unit"), f"goals-{i}",
                       errors)
        numbers = {name: _quantity(goal, name, f"goals-{i}-{name}", errors)
                   for name in ("baseline_value", "target_value")}
        data.goals.append(GoalInput(**texts, **numbers))
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return data


def _money_field(body: dict, name: str, errors: dict, required: bool = False) -> str | None:
    """An amount as MONEY_INPUT says ("12.50"), or None when absent."""
    value = _field(body, name, str, errors, required=required)
    if value is not None and not MONEY_INPUT.match(value):
        errors.setdefault(name, []).append('Een bedrag als tekst met hoogstens twee decimalen, bijv. "12.50".')
        return None
    return value


def _quantity(obj: dict, name: str, key: str, errors: dict) -> Decimal | None:
    """An optional measured value of a JSON object: a string as QUANTITY_INPUT says (the point is
    always the decimal sign here, unlike in Dutch forms), or null."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not QUANTITY_INPUT.match(value):
        errors.setdefault(key, []).append('Een getal als tekst met een punt en hoogstens vier decimalen, bijv. "2.9".')
        return None
    return Decimal(value)


def _provider_ids(codes: list, errors: dict) -> list[int]:
    from innovatieregister.services.initiatives import provider_choices

    by_code = {p.code: p.id for p in provider_choices()}
    unknown = [c for c in codes if not isinstance(c, str) or c not in by_code]
    if unknown:
        errors.setdefault("providers", []).append(f"Onbekende zorgaanbieder(s): {', '.join(map(str, unknown))}.")
    return [by_code[c] for c in codes if isinstance(c, str) and c in by_code]


@bp.route("/initiatives", methods=["POST"])
@allow(any_user)
def create_initiative():
    initiative = initiatives.register(current_user, _initiative_input(_body()), clock.today())
    view = initiatives.get_view(current_user, initiative.id, clock.today())
    return initiative_json(view), 201, {"Location": f"/api/v1/initiatives/{initiative.id}"}


@bp.route("/initiatives/<int:initiative_id>")
@allow(any_user)
def get_initiative(initiative_id: int):
    return initiative_json(initiatives.get_view(current_user, initiative_id, clock.today()))


@bp.route("/initiatives/<int:initiative_id>/open", methods=["POST"])
@allow(any_user)
def open_initiative(initiative_id: int):
    initiatives.open_for_decisions(current_user, initiative_id, clock.today(), clock.now())
    return initiative_json(initiatives.get_view(current_user, initiative_id, clock.today()))


@bp.route("/initiatives/<int:initiative_id>/cost-shares")
@allow(any_user)
def cost_shares(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt:  # the fair-share statement (verdeelstaat) for finance staff
        return export_response(fmt, f"verdeelstaat-{initiative_id}", statements.FAIR_SHARE_COLUMNS,
                               statements.fair_share_rows(view), sheet="Verdeelstaat")
    return cost_shares_json(view)


@bp.route("/initiatives/<int:initiative_id>/decisions")
@allow(any_user)
def list_decisions(initiative_id: int):
    """The decisions on an initiative with their arguments, as far as the caller may see them."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt:
        return export_response(fmt, f"besluiten-{initiative_id}", statements.DECISION_COLUMNS,
                               statements.decision_rows(view), sheet="Besluiten")
    return {"items": [_request_json(r) for r in view.requests]}


@bp.route("/follow-requests")
@allow(any_user)
def follow_requests():
    today: date = clock.today()
    page = decisions.queue(current_user, **_page_args())
    return listing(page, [{
        "initiative_id": item.request.initiative_id, "initiative": item.request.initiative.title,
        "region": item.request.initiative.region.code, "deadline": item.request.deadline.isoformat(),
        "overdue": item.request.deadline < today, "request_state": item.request.state.value,
        "decision": item.standing.kind.value if item.standing else None,
        "version": item.standing.version if item.standing else None,
    } for item in page.items])


def _decision_body() -> tuple[str, str, list[ArgumentInput]]:
    body = _body()
    errors: dict[str, list[str]] = {}
    kind = _field(body, "decision", str, errors, required=True)
    conditions = _field(body, "conditions", str, errors, default="")
    raw_arguments = _field(body, "arguments", list, errors, default=[])
    arguments = []
    for i, a in enumerate(raw_arguments, start=1):
        if not isinstance(a, dict):
            errors.setdefault(f"arguments-{i}", []).append(f"Argument {i}: een object.")
            continue
        strength = a.get("strength")
        if not isinstance(strength, int) or isinstance(strength, bool):
            errors.setdefault(f"arguments-{i}", []).append(f"Argument {i}: de sterkte is 1, 2 of 3.")
            continue
        texts = _texts(a, ("criterion", "explanation", "evidence"), f"arguments-{i}", errors)
        arguments.append(ArgumentInput(texts["criterion"], strength, texts["explanation"], texts["evidence"]))
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return kind, conditions, arguments


def _decided(initiative_id: int, decision):
    """The decision version the call recorded, or stored under its Idempotency-Key before."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    return _request_json(next(r for r in view.requests if r.request.id == decision.follow_request_id),
                         decision, regional_plans.plan_references(view.initiative)), 201


@bp.route("/initiatives/<int:initiative_id>/decision", methods=["POST"])
@allow(any_user)
def decide(initiative_id: int):
    kind, conditions, arguments = _decision_body()
    decision = decisions.decide(current_user, initiative_id, kind, conditions, arguments,
                                request.headers.get("Idempotency-Key"), clock.today())
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


@bp.route("/initiatives/<int:initiative_id>/adoption-requests", methods=["POST"])
@allow(any_user)
def request_adoption(initiative_id: int):
    body = _body()
    errors: dict[str, list[str]] = {}
    insurer = _field(body, "insurer", str, errors, required=True)
    impact = _field(body, "impact", dict, errors, required=True) or {}
    evidence = _field(body, "evidence", str, errors, default="")
    texts = _texts(impact, ("description", "unit", "by"), "impact", errors)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    volume = impact.get("volume")
    created = adoption.request_adoption(current_user, initiative_id, insurer, adoption.Impact(
        texts["description"], volume if isinstance(volume, int) and not isinstance(volume, bool) else None,
        texts["unit"], texts["by"], evidence), clock.today())
    return adoption_json(created, None), 201


@bp.route("/adoption-requests")
@allow(any_user)
def adoption_requests():
    page = adoption.adoption_requests_for(current_user, **_page_args())
    standing = standing_decisions([r.id for r in page.items], current_user, clock.today())
    return listing(page, [adoption_json(r, standing.get(r.id)) for r in page.items])


@bp.route("/adoption-requests/<int:request_id>/decision", methods=["POST"])
@allow(any_user)
def decide_adoption(request_id: int):
    kind, conditions, arguments = _decision_body()
    decision = decisions.decide_on_request(current_user, request_id, kind, conditions, arguments,
                                           request.headers.get("Idempotency-Key"), clock.today())
    return _decided(decision.follow_request.initiative_id, decision)


@bp.route("/follow-requests/<int:request_id>/conditions", methods=["POST"])
@allow(any_user)
def judge_conditions(request_id: int):
    """The lead accepts or rejects the conditions of the standing follow on a request (issue 13)."""
    body = _body()
    errors: dict[str, list[str]] = {}
    verdict = _field(body, "verdict", str, errors, required=True)
    reasons = _field(body, "reasons", str, errors, required=True)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    decision = conditions.judge(current_user, request_id, verdict, reasons, clock.today(), clock.now())
    view = initiatives.get_view(current_user, decision.follow_request.initiative_id, clock.today())
    return _request_json(next(r for r in view.requests if r.request.id == request_id), decision,
                         regional_plans.plan_references(view.initiative))


@bp.route("/initiatives/<int:initiative_id>/adopt", methods=["POST"])
@allow(any_user)
def adopt(initiative_id: int):
    errors: dict[str, list[str]] = {}
    body = _body()
    region = _field(body, "region", str, errors, required=True)
    confirmed = _field(body, "confirm_without_positive_evaluation", bool, errors, default=False)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    copy = adoption.adopt(current_user, initiative_id, region, clock.today(),
                          confirm_without_positive_evaluation=confirmed)
    view = initiatives.get_view(current_user, copy.id, clock.today())
    return initiative_json(view), 201, {"Location": f"/api/v1/initiatives/{copy.id}"}


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
