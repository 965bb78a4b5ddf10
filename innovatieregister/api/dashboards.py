"""The figures of a region, of its insurers and of the country through the API (issue 12): the
same service, the same visibility and the same policies as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field, StringConstraints, create_model

from innovatieregister import clock, limits
from innovatieregister.api import InitiativeStatusName, bp, money
from innovatieregister.api.schema import Money, Out, Query, Text, operation, query, responses
from innovatieregister.policies import allow, any_user, may_see_insurer_figures, may_see_national_overview
from innovatieregister.services import Invalid, dashboards

RATIO_PLACES = Decimal("0.0001")
Ratio = Annotated[Annotated[str, StringConstraints(pattern=r"^\d+\.\d{4}$")] | None, Field(
    description="exact fraction to four decimals; null when there is nothing to divide by")]
Count = Annotated[int, Field(ge=0)]
# The national overview's columns (services/dashboards.SORTS), '-' in front: descending.
SortName = Literal["regio", "dekking", "vastgelopen", "bemiddeling", "besluittijd",
                   "-regio", "-dekking", "-vastgelopen", "-bemiddeling", "-besluittijd"]


def ratio(value: Fraction | None) -> str | None:
    """An exact fraction (coverage, follow rate, a median) as a decimal string with four places."""
    if value is None:
        return None
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(RATIO_PLACES))


class FundingTotals(Out):
    initiatives: Count
    annual_budget: Money
    committed: Money
    gap: Money
    coverage: Ratio


class StatusTotals(Out):
    status: InitiativeStatusName
    initiatives: Count
    annual_budget: Money


class StalledTotals(FundingTotals):
    reason: dashboards.Stall = Field(description="open past a deadline without a decision, partially funded, "
                                                 "in mediation")


class ThemeTotals(FundingTotals):
    theme: int | None
    name: str


class RegionDashboard(Out):
    region: str
    funding: FundingTotals = Field(description="initiatives opened for decisions, not withdrawn or ended")
    by_status: list[StatusTotals]
    stalled: list[StalledTotals]
    stalled_gap: Money
    themes: list[ThemeTotals]


# One count per facet of services/dashboards.Facet.
InsurerFigures = create_model(  # type: ignore[call-overload]
    "InsurerFigures", __base__=Out, insurer=(str, ...), name=(str, ...),
    **{facet.name.lower(): (Count, ...) for facet in dashboards.Facet},
    follow_rate=(Ratio, ...), median_working_days_to_decision=(Ratio, ...))


class InsurerDashboard(Out):
    region: str | None
    items: list[InsurerFigures]  # type: ignore[valid-type]


class RegionFigures(FundingTotals):
    region: str
    name: str
    stalled_gap: Money
    in_mediation: Count
    median_working_days_to_decision: Ratio


class NationalDashboard(Out):
    sort: str
    items: list[RegionFigures]


class InsurerQuery(Query):
    region: Text(limits.CODE, min_length=1) | None = None  # type: ignore[valid-type]


class NationalQuery(Query):
    sort: SortName | None = Field(None, description="a column; '-' in front: descending")


def totals_json(totals: dashboards.Totals) -> dict:
    return {"initiatives": totals.count, "annual_budget": money(totals.funded_budget),
            "committed": money(totals.committed), "gap": money(totals.gap), "coverage": ratio(totals.coverage)}


@bp.route("/regions/<code>/dashboard")
@allow(any_user)
@operation(query=Query, resp=responses(RegionDashboard))
def region_dashboard(code: str):
    """Cijfers van een regio: per status, budget, toegezegd, tekort, dekking, vastgelopen, per thema"""
    today = clock.today()
    board = dashboards.region_dashboard(current_user, dashboards.find_region(code[:limits.CODE]), today)
    return {
        "region": board.region.code,
        "funding": totals_json(board.funding),
        "by_status": [{"status": state.value, "initiatives": t.count, "annual_budget": money(t.budget)}
                      for state, t in board.by_state],
        "stalled": [{"reason": stall.value, **totals_json(t)} for stall, t in board.stalled],
        "stalled_gap": money(board.stalled_gap),
        "themes": [{"theme": row.theme_id, "name": row.name, **totals_json(row.totals)} for row in board.themes],
    }


def insurer_json(f: dashboards.InsurerFigures) -> dict:
    counts = {facet.name.lower(): f.counts[facet] for facet in dashboards.Facet}
    return {"insurer": f.insurer.code, "name": f.insurer.name, **counts,
            "follow_rate": ratio(f.follow_rate), "median_working_days_to_decision": ratio(f.median_days)}


@bp.route("/dashboards/insurers")
@allow(may_see_insurer_figures)
@operation(query=InsurerQuery, resp=responses(InsurerDashboard))
def insurer_dashboard():
    """Per verzekeraar: volgpercentage, mediane besluittijd, op tijd/te laat, over de termijn, onvoldoende
    onderbouwde afwijzingen (leidende verzekeraars van de regio, bemiddelaar, beheer)

    Follow requests whose decisions the caller may see. Without `region` only for the mediator and admins
    (all regions)."""
    args: InsurerQuery = query()
    today: date = clock.today()
    region = dashboards.find_region(args.region) if args.region else None
    if region is None and not may_see_national_overview(current_user):
        raise Invalid(_("Geef een regio."), {"region": [_("Kies een regio waar uw verzekeraar leidt.")]})
    return {"region": region.code if region else None,
            "items": [insurer_json(f) for f in dashboards.insurer_figures(current_user, today, region)]}


@bp.route("/dashboards/national")
@allow(may_see_national_overview)
@operation(query=NationalQuery, resp=responses(NationalDashboard))
def national_dashboard():
    """De regio's naast elkaar (bemiddelaar en beheer), sorteerbaar"""
    args: NationalQuery = query()
    sort, descending = dashboards.parse_sort(args.sort)
    rows = dashboards.national_overview(current_user, clock.today(), sort, descending)
    return {"sort": ("-" if descending else "") + sort, "items": [
        {"region": r.region.code, "name": r.region.name, **totals_json(r.totals),
         "stalled_gap": money(r.stalled.gap), "in_mediation": r.in_mediation,
         "median_working_days_to_decision": ratio(r.median_days)} for r in rows]}
