"""Settlement (nacalculatie, issue 11) through the API: propose (and correct) a year, read the
settlements as JSON or, with `Accept: text/csv` or the XLSX media type, as the export finance staff
file; contest, withdraw a contest, take it to mediation; use reports. The same services and rules as
the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, limits
from innovatieregister.api import MONEY_INPUT, _body, _field, bp, money
from innovatieregister.exports import export_response, requested_format
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, settlements
from innovatieregister.settlements.export import columns, settlement_table


def settlement_json(s) -> dict:
    return {
        "id": s.id, "period": str(s.year), "version": s.version, "state": s.state.value, "basis": s.basis.value,
        "actual_cost": money(s.actual_cost), "actual_volume": s.actual_volume,
        "unit_price": money(s.unit_price) if s.unit_price is not None else None,
        "co_funding": money(s.co_funding), "allocated": money(s.allocated), "uncovered": money(s.uncovered),
        "co_funders": [{"organisation": c.organisation.code, "pledged": money(c.pledged), "counted": money(c.counted)}
                       for c in s.co_funding_lines],
        "lines": [{"insurer": line.insurer.code, "insured": line.insured, "units": line.units,
                   "allocated": money(line.allocated), "advance": money(line.advance),
                   "balance": money(line.balance), "funds": line.funds} for line in s.lines],
        "cost_lines": [{"description": c.description, "budgeted": money(c.budgeted), "actual": money(c.actual)}
                       for c in s.cost_lines],
        "contests": [{"id": c.id, "organisation": c.organisation.code, "reasons": c.reasons,
                      "created_at": c.created_at.isoformat(),
                      "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
                      "resolution": c.resolution} for c in s.contests],
        "proposed_at": s.proposed_at.isoformat(), "contest_deadline": s.contest_deadline.isoformat(),
        "final_at": s.final_at.isoformat() if s.final_at else None, "supersedes": s.supersedes_id,
        "explanation": s.explanation,
    }


def use_report_json(r) -> dict:
    return {"id": r.id, "period": str(r.year), "state": r.state.value, "organisation": r.organisation.code,
            "filename": r.filename, "reasons": r.decision_reasons,
            "use": [{"insurer": line.insurer.code, "units": line.units} for line in r.lines]}


def _period(body: dict, errors: dict, name: str = "period") -> str:
    value = _field(body, name, str, errors, required=True) or ""
    if value and (len(value) != 4 or not value.isdigit()):
        errors.setdefault(name, []).append("Een jaar van vier cijfers, bijvoorbeeld \"2027\".")
    return value


def _use(body: dict, errors: dict) -> dict[str, int] | None:
    """[{"insurer": "ACHMEA", "units": 412}, …] as insurer code → units; None when absent."""
    items = _field(body, "use", list, errors)
    if items is None:
        return None
    if len(items) > settlements.USE_LINES_MAX:
        errors.setdefault("use", []).append(f"Hoogstens {settlements.USE_LINES_MAX} regels.")
        return None
    use: dict[str, int] = {}
    for n, item in enumerate(items):
        key = f"use-{n}"
        if not isinstance(item, dict):
            errors.setdefault(key, []).append("Verwacht: een object met insurer en units.")
            continue
        insurer = _field(item, "insurer", str, errors, required=True)
        units = _field(item, "units", int, errors, required=True)
        if isinstance(insurer, str) and not 1 <= len(insurer) <= limits.CODE:
            errors.setdefault(key, []).append(limits.too_long("De verzekeraarscode", limits.CODE))
        elif isinstance(units, int) and not 0 <= units <= settlements.UNITS_MAX:
            errors.setdefault(key, []).append(limits.out_of_range("Het aantal eenheden", 0, settlements.UNITS_MAX))
        elif isinstance(insurer, str) and isinstance(units, int):
            if insurer.upper() in use:
                errors.setdefault(key, []).append(f"{insurer} staat er twee keer in.")
            use[insurer.upper()] = units
    return use


def _money(value, name: str, errors: dict):
    if value is not None and (not isinstance(value, str) or not MONEY_INPUT.match(value)):
        errors.setdefault(name, []).append('Een bedrag als tekst met hoogstens twee decimalen, bijv. "998000.00".')
        return None
    return value


@bp.route("/initiatives/<int:initiative_id>/settlements", methods=["GET", "POST"])
@allow(any_user)
def initiative_settlements(initiative_id: int):
    if request.method == "GET":
        found = settlements.settlements_of(current_user, initiative_id)
        if fmt := requested_format():
            rows = [row for s in found for row in settlement_table(s)[1]]
            return export_response(fmt, f"nacalculaties-{initiative_id}", columns(), rows, sheet="Nacalculaties")
        return {"items": [settlement_json(s) for s in found]}
    errors: dict[str, list[str]] = {}
    body = _body()
    period = _period(body, errors)
    actual_cost = _money(body.get("actual_cost"), "actual_cost", errors)
    cost_lines = _field(body, "cost_lines", list, errors)
    if cost_lines is not None:
        if len(cost_lines) > limits.COST_LINES:
            errors.setdefault("cost_lines", []).append(f"Hoogstens {limits.COST_LINES} kostenregels.")
        cost_lines = [_money(v, f"actual_costs-{n}", errors) for n, v in enumerate(cost_lines[:limits.COST_LINES])]
    actual_volume = _field(body, "actual_volume", int, errors)
    if isinstance(actual_volume, int) and not 0 <= actual_volume <= settlements.VOLUME_MAX:
        errors.setdefault("actual_volume", []).append(limits.out_of_range("Het volume", 0, settlements.VOLUME_MAX))
    explanation = _field(body, "explanation", str, errors, default="")
    use = _use(body, errors)
    if errors:
        raise Invalid(_(settlements.REFUSED), errors)
    settlement = settlements.propose(current_user, initiative_id, settlements.SettlementInput(
        period, actual_cost=actual_cost, actual_costs=cost_lines, actual_volume=actual_volume, use=use,
        explanation=explanation), clock.today(), clock.now())
    return settlement_json(settlement), 201


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>")
@allow(any_user)
def initiative_settlement(initiative_id: int, settlement_id: int):
    settlement = settlements.settlement_of(current_user, initiative_id, settlement_id)
    if fmt := requested_format():
        columns, rows, name = settlement_table(settlement)
        return export_response(fmt, name, columns, rows, sheet=f"Nacalculatie {settlement.year}")
    return settlement_json(settlement)


def _reasons(name: str) -> str:
    errors: dict[str, list[str]] = {}
    value = _field(_body(), name, str, errors, required=True)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return value


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/contest", methods=["POST"])
@allow(any_user)
def contest_settlement(initiative_id: int, settlement_id: int):
    settlements.settlement_of(current_user, initiative_id, settlement_id)
    settlements.contest(current_user, settlement_id, _reasons("reasons"), clock.today(), clock.now())
    return settlement_json(settlements.settlement_of(current_user, initiative_id, settlement_id)), 201


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/contest/withdraw", methods=["POST"])
@allow(any_user)
def withdraw_settlement_contest(initiative_id: int, settlement_id: int):
    settlement = settlements.settlement_of(current_user, initiative_id, settlement_id)
    own = settlements.open_contest_of(current_user, settlement)
    settlements.withdraw_contest(current_user, own.id, clock.today(), clock.now())
    return settlement_json(settlements.settlement_of(current_user, initiative_id, settlement_id))


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/mediation", methods=["POST"])
@allow(any_user)
def settlement_mediation(initiative_id: int, settlement_id: int):
    settlements.settlement_of(current_user, initiative_id, settlement_id)
    case = settlements.to_mediation(current_user, settlement_id, _reasons("statement"))
    return {"id": case.id, "state": case.state.value, "reason": case.reason.value, "settlement": settlement_id}, 201


@bp.route("/initiatives/<int:initiative_id>/use-reports", methods=["GET", "POST"])
@allow(any_user)
def use_reports(initiative_id: int):
    if request.method == "GET":
        page = settlements.settlements_page(current_user, initiative_id, clock.today())
        return {"items": [use_report_json(r) for r in page.reports]}
    errors: dict[str, list[str]] = {}
    body = _body()
    period = _period(body, errors)
    use = _use(body, errors)
    if use is None and "use" not in errors:
        errors["use"] = ["Dit veld is verplicht."]
    if errors:
        raise Invalid("Het gebruik is niet vastgelegd; er is niets gewijzigd.", errors)
    report = settlements.record_use(current_user, initiative_id, period, use, clock.today(), clock.now())
    return use_report_json(report), 201


@bp.route("/use-reports/<int:report_id>/decision", methods=["POST"])
@allow(any_user)
def use_report_decision(report_id: int):
    errors: dict[str, list[str]] = {}
    body = _body()
    decision = _field(body, "decision", str, errors, required=True)
    reasons = _field(body, "reasons", str, errors, default="")
    if decision is not None and decision not in ("confirm", "reject"):
        errors.setdefault("decision", []).append("Kies confirm of reject.")
    if errors:
        raise Invalid("Er is niets gewijzigd.", errors)
    report = settlements.decide_use_report(current_user, report_id, decision == "confirm", reasons, clock.now())
    return use_report_json(report)
