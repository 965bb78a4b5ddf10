"""Settlement (nacalculatie, issue 11) through the API: propose (and correct) a year, read the
settlements as JSON or, with `Accept: text/csv` or the XLSX media type, as the export finance staff
file; contest, withdraw a contest, take it to mediation; use reports. The same services and rules as
the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from typing import Annotated, Literal

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import AfterValidator, Field

from innovatieregister import clock, limits
from innovatieregister.api import bp, money
from innovatieregister.api.schema import (
    In,
    IsoDate,
    IsoDateTime,
    Money,
    MoneyIn,
    Out,
    Text,
    YearIn,
    body,
    list_of,
    operation,
    responses,
)
from innovatieregister.domain.funding import SettlementBasis, SettlementState, UseReportState
from innovatieregister.domain.workflow import MediationState
from innovatieregister.exports import export_response, requested_format
from innovatieregister.models.mediation import MediationReason
from innovatieregister.policies import allow, any_user
from innovatieregister.services import settlements
from innovatieregister.settlements.export import columns, settlement_table

# Out ---------------------------------------------------------------------------------------------

class SettlementCoFunder(Out):
    organisation: str
    pledged: Money
    counted: Money


class SettlementLine(Out):
    insurer: str
    insured: int
    units: int | None
    allocated: Money
    advance: Money
    balance: Money = Field(description="allocated − advance for a funder: positive it pays, negative it gets back")
    funds: bool


class SettlementCostLine(Out):
    description: str
    budgeted: Money
    actual: Money


class SettlementContest(Out):
    id: int
    organisation: str
    reasons: str
    created_at: IsoDateTime
    resolved_at: IsoDateTime | None
    resolution: str


class Settlement(Out):
    id: int
    period: str
    version: int
    state: SettlementState
    basis: SettlementBasis
    actual_cost: Money
    actual_volume: int | None
    unit_price: Money | None
    co_funding: Money
    allocated: Money
    uncovered: Money = Field(description="the parts of insurers that do not fund: never moved to the funders")
    co_funders: list[SettlementCoFunder]
    lines: list[SettlementLine]
    cost_lines: list[SettlementCostLine]
    contests: list[SettlementContest]
    proposed_at: IsoDateTime
    contest_deadline: IsoDate
    final_at: IsoDateTime | None
    supersedes: int | None
    explanation: str


class UseLine(Out):
    insurer: str
    units: int


class UseReport(Out):
    id: int
    period: str
    state: UseReportState
    organisation: str
    filename: str
    reasons: str
    use: list[UseLine]


class SettlementMediation(Out):
    id: int
    state: MediationState
    reason: MediationReason
    settlement: int


# In ----------------------------------------------------------------------------------------------

class UseLineIn(In):
    insurer: Text(limits.CODE, min_length=1, description="code of an insurer of the frozen key")  # type: ignore
    units: int = Field(ge=0, le=settlements.UNITS_MAX)


def _once_each(lines: list[UseLineIn]) -> list[UseLineIn]:
    seen: set[str] = set()
    for line in lines:
        if line.insurer.upper() in seen:
            raise ValueError(_("%(code)s staat er twee keer in.", code=line.insurer))
        seen.add(line.insurer.upper())
    return lines


# The units per insurer, each insurer once (in any case: codes are compared upper-case).
UseIn = Annotated[list[UseLineIn], Field(max_length=settlements.USE_LINES_MAX), AfterValidator(_once_each)]


def _use(lines: list[UseLineIn] | None) -> dict[str, int] | None:
    """[{"insurer": "ACHMEA", "units": 412}, …] as insurer code → units, as the service takes it."""
    return None if lines is None else {line.insurer.upper(): line.units for line in lines}


class UseReportIn(In):
    period: YearIn = Field(description="a year of the term")
    use: UseIn


class SettlementIn(In):
    period: YearIn = Field(description="a year of the term")
    actual_cost: MoneyIn | None = None
    cost_lines: list[MoneyIn] | None = Field(None, max_length=limits.COST_LINES)
    actual_volume: int | None = Field(None, ge=0, le=settlements.VOLUME_MAX)
    use: UseIn | None = None
    explanation: Text(limits.TEXT) = ""  # type: ignore[valid-type]

    def to_input(self) -> settlements.SettlementInput:
        actual_costs: list[object] | None = None if self.cost_lines is None else list(self.cost_lines)
        return settlements.SettlementInput(self.period, actual_cost=self.actual_cost, actual_costs=actual_costs,
                                           actual_volume=self.actual_volume, use=_use(self.use),
                                           explanation=self.explanation)


class ContestIn(In):
    reasons: Text(limits.TEXT, min_length=1)  # type: ignore[valid-type]


class MediationIn(In):
    statement: Text(limits.TEXT, min_length=1)  # type: ignore[valid-type]


class UseReportDecision(In):
    decision: Literal["confirm", "reject"]
    reasons: Text(limits.TEXT) = ""  # type: ignore[valid-type]


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


# Routes ------------------------------------------------------------------------------------------
# One rule per path for both methods: with two, werkzeug answers an id out of range with a 405, not a 404.

class InitiativeSettlements(MethodView):
    @operation(resp=responses(list_of(Settlement)), exports=True, name="initiative_settlements")
    def get(self, initiative_id: int):
        """De nacalculaties die de aanroeper mag zien, elke versie"""
        found = settlements.settlements_of(current_user, initiative_id)
        if fmt := requested_format():
            rows = [row for s in found for row in settlement_table(s)[1]]
            return export_response(fmt, f"nacalculaties-{initiative_id}", columns(), rows, sheet="Nacalculaties")
        return {"items": [settlement_json(s) for s in found]}

    @operation(json=SettlementIn, resp=responses(Settlement, 201), name="propose_settlement")
    def post(self, initiative_id: int):
        """Stel de nacalculatie van een jaar voor (penvoerder); opnieuw voor hetzelfde jaar is een correctie
        (nieuwe versie)

        Werkelijke kosten als één bedrag (actual_cost), per kostenregel in de volgorde van het initiatief
        (cost_lines), of bij prijs × volume het werkelijke volume (actual_volume). Bij verrekening op werkelijk
        gebruik: use per verzekeraar, of de bevestigde gebruiksopgave van het jaar."""
        data: SettlementIn = body()
        settlement = settlements.propose(current_user, initiative_id, data.to_input(), clock.today(), clock.now())
        return settlement_json(settlement), 201


bp.add_url_rule("/initiatives/<int:initiative_id>/settlements",
                view_func=allow(any_user)(InitiativeSettlements.as_view("initiative_settlements")))


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>")
@allow(any_user)
@operation(resp=responses(Settlement), exports=True)
def initiative_settlement(initiative_id: int, settlement_id: int):
    """Eén nacalculatie"""
    settlement = settlements.settlement_of(current_user, initiative_id, settlement_id)
    if fmt := requested_format():
        columns, rows, name = settlement_table(settlement)
        return export_response(fmt, name, columns, rows, sheet=f"Nacalculatie {settlement.year}")
    return settlement_json(settlement)


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/contest", methods=["POST"])
@allow(any_user)
@operation(json=ContestIn, resp=responses(Settlement, 201))
def contest_settlement(initiative_id: int, settlement_id: int):
    """Maak bezwaar (financierende verzekeraar of medefinancier), binnen de bezwaartermijn"""
    data: ContestIn = body()
    settlements.settlement_of(current_user, initiative_id, settlement_id)
    settlements.contest(current_user, settlement_id, data.reasons, clock.today(), clock.now())
    return settlement_json(settlements.settlement_of(current_user, initiative_id, settlement_id)), 201


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/contest/withdraw", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Settlement))
def withdraw_settlement_contest(initiative_id: int, settlement_id: int):
    """Trek het bezwaar van de eigen organisatie in"""
    settlement = settlements.settlement_of(current_user, initiative_id, settlement_id)
    own = settlements.open_contest_of(current_user, settlement)
    settlements.withdraw_contest(current_user, own.id, clock.today(), clock.now())
    return settlement_json(settlements.settlement_of(current_user, initiative_id, settlement_id))


@bp.route("/initiatives/<int:initiative_id>/settlements/<int:settlement_id>/mediation", methods=["POST"])
@allow(any_user)
@operation(json=MediationIn, resp=responses(SettlementMediation, 201))
def settlement_mediation(initiative_id: int, settlement_id: int):
    """Breng een betwiste nacalculatie naar de bemiddelaar (penvoerder of wie bezwaar maakte)"""
    data: MediationIn = body()
    settlements.settlement_of(current_user, initiative_id, settlement_id)
    case = settlements.to_mediation(current_user, settlement_id, data.statement)
    return {"id": case.id, "state": case.state.value, "reason": case.reason.value, "settlement": settlement_id}, 201


class UseReports(MethodView):
    @operation(resp=responses(list_of(UseReport)), name="use_reports")
    def get(self, initiative_id: int):
        """Gebruiksopgaven (penvoerder en betrokken zorgaanbieders; verrekening op gebruik)"""
        page = settlements.settlements_page(current_user, initiative_id, clock.today())
        return {"items": [use_report_json(r) for r in page.reports]}

    @operation(json=UseReportIn, resp=responses(UseReport, 201), name="record_use")
    def post(self, initiative_id: int):
        """Leg het gebruik per verzekeraar vast: van de penvoerder bevestigd, van een zorgaanbieder ingediend
        ter bevestiging"""
        data: UseReportIn = body()
        report = settlements.record_use(current_user, initiative_id, data.period, _use(data.use) or {},
                                        clock.today(), clock.now())
        return use_report_json(report), 201


bp.add_url_rule("/initiatives/<int:initiative_id>/use-reports",
                view_func=allow(any_user)(UseReports.as_view("use_reports")))


@bp.route("/use-reports/<int:report_id>/decision", methods=["POST"])
@allow(any_user)
@operation(json=UseReportDecision, resp=responses(UseReport))
def use_report_decision(report_id: int):
    """De penvoerder bevestigt een gebruiksopgave of wijst haar af (met redenen)"""
    data: UseReportDecision = body()
    report = settlements.decide_use_report(current_user, report_id, data.decision == "confirm", data.reasons,
                                           clock.now())
    return use_report_json(report)
