"""The figures of a region, of its insurers and of the country through the API (issue 12): the
same service, the same visibility and the same policies as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask import request
from flask_login import current_user

from innovatieregister import clock, limits
from innovatieregister.api import bp, money
from innovatieregister.policies import allow, any_user, may_see_insurer_figures, may_see_national_overview
from innovatieregister.services import Invalid, dashboards

RATIO_PLACES = Decimal("0.0001")


def ratio(value: Fraction | None) -> str | None:
    """An exact fraction (coverage, follow rate, a median) as a decimal string with four places."""
    if value is None:
        return None
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(RATIO_PLACES))


def _only(*names: str) -> dict[str, str]:
    """The query parameters, each named by the document and of bounded length; 422 otherwise."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise Invalid("Onbekende parameter.", {name[:limits.CODE] or "(leeg)": [
            f"Deze bron kent alleen {', '.join(names) or 'geen parameters'}."] for name in unknown})
    args = request.args.to_dict()
    for name, value in args.items():
        if not value or len(value) > limits.CODE:
            raise Invalid("Ongeldige parameter.", {name: [limits.too_long("De waarde", limits.CODE)
                                                          if value else "Geef een waarde."]})
    return args


def totals_json(totals: dashboards.Totals) -> dict:
    return {"initiatives": totals.count, "annual_budget": money(totals.funded_budget),
            "committed": money(totals.committed), "gap": money(totals.gap), "coverage": ratio(totals.coverage)}


@bp.route("/regions/<code>/dashboard")
@allow(any_user)
def region_dashboard(code: str):
    _only()
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
def insurer_dashboard():
    args = _only("region")
    today: date = clock.today()
    region = dashboards.find_region(args["region"]) if "region" in args else None
    if region is None and not may_see_national_overview(current_user):
        raise Invalid("Geef een regio.", {"region": ["Kies een regio waar uw verzekeraar leidt."]})
    return {"region": region.code if region else None,
            "items": [insurer_json(f) for f in dashboards.insurer_figures(current_user, today, region)]}


@bp.route("/dashboards/national")
@allow(may_see_national_overview)
def national_dashboard():
    args = _only("sort")
    sort, descending = dashboards.parse_sort(args.get("sort"))
    rows = dashboards.national_overview(current_user, clock.today(), sort, descending)
    return {"sort": ("-" if descending else "") + sort, "items": [
        {"region": r.region.code, "name": r.region.name, **totals_json(r.totals),
         "stalled_gap": money(r.stalled.gap), "in_mediation": r.in_mediation,
         "median_working_days_to_decision": ratio(r.median_days)} for r in rows]}

