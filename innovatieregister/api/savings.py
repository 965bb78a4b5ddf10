"""Shared savings through the API (issue 11, part 3): the agreement (read, and replaced by the lead
before opening) and each settled year's savings, as JSON or, by Accept, CSV/XLSX."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp, money, quantity
from innovatieregister.api.schema import (
    In,
    IsoDateTime,
    Money,
    MoneyIn,
    Out,
    PercentageIn,
    Quantity,
    QuantityIn,
    Text,
    body,
    list_of,
    operation,
    responses,
)
from innovatieregister.domain.funding import SavingsPartyKind
from innovatieregister.domain.savings import Direction, direction
from innovatieregister.exports import requested_format
from innovatieregister.policies import allow, any_user
from innovatieregister.savings.views import export, party_name
from innovatieregister.services import savings
from innovatieregister.services.savings import (
    INSURERS,
    KEY_PARTS,
    AgreementInput,
    GateInput,
    KeyPartInput,
    SavingsView,
)


class SavingsParty(Out):
    party: SavingsPartyKind
    organisation: str | None = Field(description="its code; null for the insurers as a group")
    name: str
    percentage: Quantity


class SavingsGate(Out):
    goal_id: int
    metric: str
    unit: str
    direction: Direction | None = Field(description=(
        "the goal's direction: the value must be at least / at most the minimum; null when the goal's "
        "baseline and target no longer say which way is better (the gate then cannot be met)"))
    minimum_value: Quantity


class SavingsTerms(Out):
    baseline_annual_cost: Money
    explanation: str
    frozen: bool
    frozen_at: IsoDateTime | None
    gates: list[SavingsGate]
    key: list[SavingsParty]


class SavingsAgreement(Out):
    may_edit: bool = Field(description="the caller may replace it now (the lead, before opening)")
    agreement: SavingsTerms | None


class SavingsPartyAmount(SavingsParty):
    amount: Money


class SavingsInsurerAmount(Out):
    insurer: str
    amount: Money


class SavingsYear(Out):
    year: int
    settlement: int
    settlement_version: int
    current: bool = Field(description="false: its settlement was superseded by a correction")
    baseline: Money
    realised_cost: Money
    gate_met: bool
    savings: Money
    reason: str = Field(description="why there are no savings (empty when there are)")
    parties: list[SavingsPartyAmount]
    insurers: list[SavingsInsurerAmount] = Field(
        description="the insurers' part over the funders, as far as the caller may see who funds")


class SavingsGateIn(In):
    goal_id: int = Field(ge=1, le=limits.ID_MAX, description="a goal of this initiative with a numeric baseline "
                                                             "and target")
    minimum_value: QuantityIn


class SavingsKeyPartIn(In):
    party: SavingsPartyKind = Field(strict=False)  # its value as JSON has it: strict wants the enum itself
    organisation: Text(limits.CODE, description=(  # type: ignore[valid-type]
        "with party organisation: the code of a provider involved, a municipality or a care office")) | None = None
    percentage: PercentageIn

    def to_input(self) -> KeyPartInput:
        return KeyPartInput(INSURERS if self.party == SavingsPartyKind.INSURERS else self.organisation or "",
                            self.percentage)


class SavingsAgreementIn(In):
    baseline_annual_cost: MoneyIn = Field(description="the yearly cost of the care being replaced; more than 0")
    explanation: Text(limits.TEXT) = ""  # type: ignore[valid-type]
    gates: list[SavingsGateIn] = Field([], max_length=limits.GOALS)
    key: list[SavingsKeyPartIn] = Field(min_length=1, max_length=KEY_PARTS,
                                        description="the percentages add up to exactly 100")

    def to_input(self) -> AgreementInput:
        return AgreementInput(self.baseline_annual_cost, self.explanation,
                              [GateInput(g.goal_id, g.minimum_value) for g in self.gates],
                              [part.to_input() for part in self.key])


def _party_json(p) -> dict:
    return {"party": p.party.value, "organisation": p.organisation.code if p.organisation else None,
            "name": party_name(p), "percentage": quantity(p.percentage)}


def agreement_json(view: SavingsView) -> dict:
    a = view.agreement
    return {"may_edit": view.may_edit, "agreement": None if a is None else {
        "baseline_annual_cost": money(a.baseline_annual_cost), "explanation": a.explanation,
        "frozen": a.frozen_at is not None, "frozen_at": a.frozen_at.isoformat() if a.frozen_at else None,
        "gates": [{"goal_id": g.goal_id, "metric": g.goal.metric, "unit": g.goal.unit,
                   "direction": direction(g.goal.baseline_value, g.goal.target_value),
                   "minimum_value": quantity(g.minimum_value)} for g in a.gates],
        "key": [_party_json(p) for p in a.key_parts]}}


def _insurer_code(line) -> str:
    if line.organisation is None:  # an insurer's share always names its insurer
        raise RuntimeError(f"savings line {line.id} names no insurer")
    return line.organisation.code


def savings_json(view: SavingsView) -> dict:
    return {"items": [{
        "year": y.result.year, "settlement": y.settlement.id, "settlement_version": y.settlement.version,
        "current": y.current, "baseline": money(y.result.baseline), "realised_cost": money(y.result.realised_cost),
        "gate_met": y.result.gate_met, "savings": money(y.result.savings), "reason": y.result.reason,
        "parties": [{**_party_json(line), "amount": money(line.amount)}
                    for line in y.result.lines if line.kind.value == "party"],
        "insurers": [{"insurer": _insurer_code(line), "amount": money(line.amount)} for line in y.insurer_lines],
    } for y in view.years]}


# One rule per path for both methods: an id out of range is then a 404, not a 405 from the other rule.
class SavingsAgreementOf(MethodView):
    @operation(resp=responses(SavingsAgreement), name="savings_agreement")
    def get(self, initiative_id: int):
        """De afspraak over gedeelde besparingen (basislijn, kwaliteitspoort, verdeelsleutel)"""
        return agreement_json(savings.view(current_user, initiative_id, clock.today()))

    @operation(json=SavingsAgreementIn, resp=responses(SavingsAgreement), name="save_savings_agreement")
    def put(self, initiative_id: int):
        """Leg de afspraak vast of vervang haar (leidende verzekeraar, vóór het openen)"""
        data: SavingsAgreementIn = body()
        savings.save_agreement(current_user, initiative_id, data.to_input())
        return agreement_json(savings.view(current_user, initiative_id, clock.today()))


bp.add_url_rule("/initiatives/<int:initiative_id>/savings-agreement",
                view_func=allow(any_user)(SavingsAgreementOf.as_view("savings_agreement")))


@bp.route("/initiatives/<int:initiative_id>/savings")
@allow(any_user)
@operation(resp=responses(list_of(SavingsYear)), exports=True)
def initiative_savings(initiative_id: int):
    """De gedeelde besparing per jaar met haar verdeling; CSV of XLSX met de Accept-header"""
    view = savings.view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt is not None:
        return export(view, fmt)
    return savings_json(view)
