"""Shared savings through the API (issue 11, part 3): the agreement (read, and replaced by the lead
before opening) and each settled year's savings, as JSON or, by Accept, CSV/XLSX."""

from __future__ import annotations

import re

from flask import request
from flask_login import current_user

from innovatieregister import clock, limits
from innovatieregister.api import MONEY_INPUT, QUANTITY_INPUT, _body, _field, bp, money, quantity
from innovatieregister.domain.savings import direction
from innovatieregister.exports import requested_format
from innovatieregister.policies import allow, any_user
from innovatieregister.savings.views import export, party_name
from innovatieregister.services import Invalid, savings
from innovatieregister.services.savings import (
    INSURERS,
    KEY_PARTS,
    AgreementInput,
    GateInput,
    KeyPartInput,
    SavingsView,
)

PERCENTAGE = re.compile(r"^\d{1,3}(\.\d{1,4})?$")  # as the document says (openapi.PERCENTAGE_INPUT)


def _party_json(p) -> dict:
    return {"party": p.party.value, "organisation": p.organisation.code if p.organisation else None,
            "name": party_name(p), "percentage": quantity(p.percentage)}


def agreement_json(view: SavingsView) -> dict:
    a = view.agreement
    return {"may_edit": view.may_edit, "agreement": None if a is None else {
        "baseline_annual_cost": money(a.baseline_annual_cost), "explanation": a.explanation,
        "frozen": a.frozen_at is not None, "frozen_at": a.frozen_at.isoformat() if a.frozen_at else None,
        "gates": [{"goal_id": g.goal_id, "metric": g.goal.metric, "unit": g.goal.unit,
                   "direction": direction(g.goal.baseline_value, g.goal.target_value).value,
                   "minimum_value": quantity(g.minimum_value)} for g in a.gates],
        "key": [_party_json(p) for p in a.key_parts]}}


def savings_json(view: SavingsView) -> dict:
    return {"items": [{
        "year": y.result.year, "settlement": y.settlement.id, "settlement_version": y.settlement.version,
        "current": y.current, "baseline": money(y.result.baseline), "realised_cost": money(y.result.realised_cost),
        "gate_met": y.result.gate_met, "savings": money(y.result.savings), "reason": y.result.reason,
        "parties": [{**_party_json(line), "amount": money(line.amount)}
                    for line in y.result.lines if line.kind.value == "party"],
        "insurers": [{"insurer": line.organisation.code, "amount": money(line.amount)} for line in y.insurer_lines],
    } for y in view.years]}


def _rows(body: dict, name: str, fields: tuple[str, ...], errors: dict, least: int, most: int) -> list[dict]:
    """A list of objects in the body; a wrong type is an error at `name` or `name-n-field`."""
    rows = _field(body, name, list, errors, default=[])
    if len(rows) > most or len(rows) < least:
        errors.setdefault(name, []).append(f"Van {least} tot en met {most} regels.")
        return []
    checked = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.setdefault(f"{name}-{n}", []).append(f"Verwacht: een object met {', '.join(fields)}.")
            continue
        checked.append(row)
    return checked


def _agreement_input(body: dict) -> AgreementInput:
    errors: dict[str, list[str]] = {}
    baseline = _field(body, "baseline_annual_cost", str, errors, required=True)
    if baseline is not None and not MONEY_INPUT.match(baseline):
        errors.setdefault("baseline_annual_cost", []).append('Een bedrag met een punt, bijv. "1250000.00".')
    explanation = _field(body, "explanation", str, errors, default="")
    if explanation and len(explanation) > limits.TEXT:
        errors.setdefault("explanation", []).append(limits.too_long("De toelichting", limits.TEXT))
    if "key" not in body:
        errors.setdefault("key", []).append("Dit veld is verplicht.")
    gates, key = [], []
    for n, row in enumerate(_rows(body, "gates", ("goal_id", "minimum_value"), errors, 0, limits.GOALS), start=1):
        goal_id, minimum = row.get("goal_id"), row.get("minimum_value")
        if not isinstance(goal_id, int) or isinstance(goal_id, bool) or not 1 <= goal_id <= limits.ID_MAX:
            errors.setdefault(f"gates-{n}-goal_id", []).append("Verwacht: het id van een doel (geheel getal).")
        if not isinstance(minimum, str) or not QUANTITY_INPUT.match(minimum):
            errors.setdefault(f"gates-{n}-minimum_value", []).append(
                'Een getal als tekst met een punt en hoogstens vier decimalen, bijv. "2.9".')
        gates.append(GateInput(goal_id, minimum))
    for n, row in enumerate(_rows(body, "key", ("party", "percentage"), errors, 1, KEY_PARTS), start=1):
        party, organisation, percentage = row.get("party"), row.get("organisation"), row.get("percentage")
        if party not in ("insurers", "organisation"):
            errors.setdefault(f"key-{n}-party", []).append("Verwacht: insurers of organisation.")
        if (party == "organisation" or organisation is not None) and (
                not isinstance(organisation, str) or len(organisation) > limits.CODE):
            errors.setdefault(f"key-{n}-organisation", []).append("Verwacht: de code van de organisatie.")
        if not isinstance(percentage, str) or not PERCENTAGE.match(percentage):
            errors.setdefault(f"key-{n}-percentage", []).append('Een percentage als tekst, bijv. "37.5".')
        key.append(KeyPartInput(INSURERS if party == "insurers" else str(organisation or ""), percentage))
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return AgreementInput(baseline, explanation or "", gates, key)


# One rule per path for both methods: an id out of range is then a 404, not a 405 from the other rule.
@bp.route("/initiatives/<int:initiative_id>/savings-agreement", methods=["GET", "PUT"])
@allow(any_user)
def savings_agreement(initiative_id: int):
    if request.method == "PUT":
        data = _agreement_input(_body())
        savings.save_agreement(current_user, initiative_id, data)
    return agreement_json(savings.view(current_user, initiative_id, clock.today()))


@bp.route("/initiatives/<int:initiative_id>/savings")
@allow(any_user)
def initiative_savings(initiative_id: int):
    view = savings.view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt is not None:
        return export(view, fmt)
    return savings_json(view)
