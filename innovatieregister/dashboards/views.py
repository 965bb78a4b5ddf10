"""The figures of a region, of its insurers and of the country (issue 12), with their exports.

Every table downloads as CSV or XLSX with ?formaat=csv|xlsx (exports.py); the tables' rows are
built once here (`*_table`), for the page's download and the same columns in both formats.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from innovatieregister import clock, exports
from innovatieregister.exports import Column, Kind
from innovatieregister.formatting import percent
from innovatieregister.models.initiative import LABELS
from innovatieregister.policies import allow, may_see_insurer_figures, may_see_national_overview
from innovatieregister.services import Invalid, dashboards
from innovatieregister.services.regions import led_regions, region_choices

bp = Blueprint("dashboards", __name__, url_prefix="/cijfers")
bp.add_app_template_global(may_see_national_overview)  # the menu's link to the national overview

# The national overview's sortable columns (?sorteer=), as their headers say.
SORT_TITLES = {"regio": _l("Regio"), "dekking": _l("Dekking"), "vastgelopen": _l("Vastgelopen euro's"),
               "bemiddeling": _l("In bemiddeling"), "besluittijd": _l("Mediane besluittijd (werkdagen)")}


def export_format() -> str | None:
    """'csv' or 'xlsx' when the page is asked as a download (?formaat=); None for the page itself.
    Only the query parameter counts here: a browser's Accept header asks for the page."""
    if "formaat" not in request.args:
        return None
    fmt = exports.requested_format()
    if fmt is None or request.args["formaat"].lower() != fmt:
        raise Invalid(_("Onbekend formaat."), {"formaat": [_("Kies csv of xlsx.")]})
    return fmt


def one_decimal(fraction: Fraction | None, scale: int = 1) -> Decimal | None:
    """A fraction (times `scale`: 100 for a percentage) to one decimal for a spreadsheet cell;
    None stays an empty cell."""
    if fraction is None:
        return None
    value = fraction * scale
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"))


def bars(values: list[tuple[str, Fraction | Decimal | int | None, str]]) -> list[tuple[str, Fraction, str]]:
    """(label, value, text) as bars of a chart: each value as a fraction of the largest (drawing only)."""
    largest = max((Fraction(v) for _label, v, _text in values if v is not None), default=Fraction(0))
    return [(label, Fraction(v) / largest if v is not None and largest > 0 else Fraction(0), text)
            for label, v, text in values]


def insurer_table(figures: list[dashboards.InsurerFigures]):
    F = dashboards.Facet
    columns = [Column(_("Zorgverzekeraar")), Column(_("Code")), Column(_("Gevraagd"), Kind.INTEGER),
               Column(_("Besloten"), Kind.INTEGER), Column(_("Gevolgd"), Kind.INTEGER),
               Column(_("Afgewezen"), Kind.INTEGER), Column(_("Volgpercentage"), Kind.DECIMAL),
               Column(_("Mediane besluittijd (werkdagen)"), Kind.DECIMAL), Column(_("Op tijd"), Kind.INTEGER),
               Column(_("Te laat"), Kind.INTEGER), Column(_("Nu over de termijn"), Kind.INTEGER),
               Column(_("Onvoldoende onderbouwd"), Kind.INTEGER)]
    rows = [[f.insurer.name, f.insurer.code, f.counts[F.ASKED], f.counts[F.DECIDED], f.counts[F.FOLLOWS],
             f.counts[F.DECLINES], one_decimal(f.follow_rate, 100), one_decimal(f.median_days),
             f.counts[F.IN_TIME], f.counts[F.LATE], f.counts[F.OVERDUE], f.counts[F.INSUFFICIENT]] for f in figures]
    return columns, rows


@bp.route("/verzekeraars")
@allow(may_see_insurer_figures)
def insurers():
    today = clock.today()
    code = request.args.get("regio") or None
    led = led_regions(current_user, today)
    if code is None and not (may_see_national_overview(current_user)):
        if not led:
            abort(403)
        code = led[0].code
    region = dashboards.find_region(code) if code else None
    figures = dashboards.insurer_figures(current_user, today, region)
    fmt = export_format()
    if fmt:
        columns, rows = insurer_table(figures)
        return exports.export_response(fmt, f"verzekeraars-{region.code if region else 'landelijk'}", columns, rows,
                                       sheet=_("Per verzekeraar"))
    choices = region_choices() if may_see_national_overview(current_user) else led
    follow_bars = bars([(f.insurer.name, f.follow_rate, percent(f.follow_rate) if f.follow_rate is not None else "—")
                        for f in figures])
    return render_template("dashboards/insurers.html", figures=figures, region=region, choices=choices,
                           follow_bars=follow_bars,
                           Facet=dashboards.Facet, all_regions=may_see_national_overview(current_user))


def national_table(rows: list[dashboards.RegionRow]):
    columns = [Column(_("Regio")), Column(_("Code")), Column(_("Initiatieven"), Kind.INTEGER),
               Column(_("Jaarbudget"), Kind.EURO), Column(_("Toegezegd"), Kind.EURO), Column(_("Tekort"), Kind.EURO),
               Column(_("Dekking (%)"), Kind.DECIMAL), Column(_("Vastgelopen euro's"), Kind.EURO),
               Column(_("In bemiddeling"), Kind.INTEGER), Column(_("Mediane besluittijd (werkdagen)"), Kind.DECIMAL)]
    return columns, [[r.region.name, r.region.code, r.totals.count, r.totals.funded_budget, r.totals.committed,
                      r.totals.gap, one_decimal(r.totals.coverage, 100), r.stalled.gap, r.in_mediation,
                      one_decimal(r.median_days)] for r in rows]


@bp.route("/landelijk")
@allow(may_see_national_overview)
def national():
    sort, descending = dashboards.parse_sort(request.args.get("sorteer"))
    fmt = export_format()
    rows = dashboards.national_overview(current_user, clock.today(), sort, descending)
    if fmt:
        columns, table = national_table(rows)
        return exports.export_response(fmt, "landelijk-overzicht", columns, table, sheet=_("Landelijk"))
    coverage_bars = bars([(r.region.name, r.totals.coverage,
                           percent(r.totals.coverage) if r.totals.coverage is not None else "—") for r in rows])
    return render_template("dashboards/national.html", rows=rows, coverage_bars=coverage_bars, sort=sort,
                           descending=descending, sort_titles=SORT_TITLES)


def region_tables(board: dashboards.RegionDashboard) -> dict[str, tuple[list[Column], list[list]]]:
    """The region page's tables by ?tabel= name."""
    money = [Column(_("Jaarbudget"), Kind.EURO), Column(_("Toegezegd"), Kind.EURO), Column(_("Tekort"), Kind.EURO),
             Column(_("Dekking (%)"), Kind.DECIMAL)]

    def amounts(t: dashboards.Totals) -> list:
        return [t.funded_budget, t.committed, t.gap, one_decimal(t.coverage, 100)]

    return {
        "status": ([Column(_("Status")), Column(_("Initiatieven"), Kind.INTEGER), Column(_("Jaarbudget"), Kind.EURO)],
                   [[str(LABELS[state]), t.count, t.budget] for state, t in board.by_state]),
        "vastgelopen": ([Column(_("Vastgelopen")), Column(_("Initiatieven"), Kind.INTEGER), *money],
                        [[str(dashboards.STALL_LABELS[s]), t.count, *amounts(t)] for s, t in board.stalled]),
        "thema": ([Column(_("Thema")), Column(_("Initiatieven"), Kind.INTEGER), *money],
                  [[row.name, row.totals.count, *amounts(row.totals)] for row in board.themes]),
    }


def region_page(code: str):
    """The region page's figures (regions.detail renders them with the region's market): the
    page, or one of its tables as a download (?formaat=&tabel=)."""
    today = clock.today()
    region = dashboards.find_region(code)
    board = dashboards.region_dashboard(current_user, region, today)
    fmt = export_format()
    if fmt:
        tables = region_tables(board)
        name = request.args.get("tabel", "status")
        if name not in tables:
            raise Invalid(_("Onbekende tabel."), {"tabel": [_("Kies uit %(choices)s.", choices=", ".join(tables))]})
        columns, rows = tables[name]
        return board, exports.export_response(fmt, f"regio-{region.code}-{name}", columns, rows, sheet=name)
    return board, None

