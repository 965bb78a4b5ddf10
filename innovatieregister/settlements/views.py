"""Settlement (nacalculatie, issue 11) on the web: the page per initiative with every year of the
term, the lead's proposal (and corrections), the use per insurer, contests and mediation, and the
exports (CSV/XLSX) of a settlement. The forms are dynamic (a field per cost line and per insurer),
so the service's per-field errors are shown at the field names it uses; CSRF is checked globally."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, limits
from innovatieregister.domain.funding import FundingModel, SettlementBasis
from innovatieregister.exports import export_response, requested_format
from innovatieregister.initiatives.forms import CONFIRMED
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Conflict, Invalid, settlements
from innovatieregister.settlements.export import settlement_table

bp = Blueprint("settlements", __name__)


def _page(initiative_id: int, errors: dict | None = None, problems: list[str] | None = None, status: int = 200):
    page = settlements.settlements_page(current_user, initiative_id, clock.today())
    return render_template("settlements/page.html", page=page, errors=errors or {},
                           problems=problems or [], values=request.form, FundingModel=FundingModel,
                           SettlementBasis=SettlementBasis), status


def _act(initiative_id: int, act, success: str, anchor: str = ""):
    """One form: done and back to the page, or the page again with the Dutch messages at the fields
    (422) and nothing changed; 403 for whoever may not, 404 for whoever may not see it."""
    try:
        done = act()
    except Invalid as refused:
        return _page(initiative_id, refused.field_errors, [refused.message], 422)
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        if isinstance(done, str):  # a confirmation step: the page that asks first
            return done
        flash(success, "success")
    return redirect(url_for("settlements.page", initiative_id=initiative_id) + anchor)


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie")
@allow(any_user)
def page(initiative_id: int):
    return _page(initiative_id)


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie", methods=["POST"])
@allow(any_user)
def propose(initiative_id: int):
    form = request.form
    costs: list[object] = [form[f"actual_costs-{n}"] for n in range(limits.COST_LINES) if f"actual_costs-{n}" in form]
    use = {key.removeprefix("units-"): value for key, value in form.items() if key.startswith("units-")}
    data = settlements.SettlementInput(
        form.get("year", ""), actual_cost=form.get("actual_cost"), actual_costs=costs or None,
        actual_volume=form.get("actual_volume"), use=use or None, explanation=form.get("explanation", ""))
    return _act(initiative_id, lambda: settlements.propose(current_user, initiative_id, data, clock.today(),
                                                           clock.now()),
                _("De nacalculatie is voorgesteld; de partijen zijn op de hoogte gebracht."))


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/gebruik", methods=["POST"])
@allow(any_user)
def record_use(initiative_id: int):
    upload = request.files.get("file")
    year = request.form.get("use_year", "")

    def act():
        if upload is not None and upload.filename:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise Invalid(_("Het bestand is niet ingelezen; er is niets gewijzigd."), {
                    "file": [_("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).")]}) from None
            return settlements.import_use(current_user, initiative_id, year, text, upload.filename, clock.today(),
                                          clock.now())
        use = {k.removeprefix("use-"): v for k, v in request.form.items() if k.startswith("use-") and v.strip()}
        return settlements.record_use(current_user, initiative_id, year, use, clock.today(), clock.now())

    return _act(initiative_id, act, _("Het gebruik is vastgelegd."), "#gebruik")


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/gebruik/<int:report_id>", methods=["POST"])
@allow(any_user)
def decide_use(initiative_id: int, report_id: int):
    confirm = request.form.get("decision") == "confirm"
    return _act(initiative_id, lambda: settlements.decide_use_report(
        current_user, report_id, confirm, request.form.get("reasons", ""), clock.now()),
        _("De gebruiksopgave is bevestigd.") if confirm else _("De gebruiksopgave is afgewezen."), "#gebruik")


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/<int:settlement_id>/bezwaar", methods=["POST"])
@allow(any_user)
def contest(initiative_id: int, settlement_id: int):
    """The page first restates the contest and what it does; only the confirmed form contests."""
    _own(initiative_id, settlement_id)
    reasons = request.form.get("reasons", "")

    def ask_first() -> str:
        settlement, checked = settlements.preview_contest(current_user, settlement_id, reasons, clock.today())
        return render_template("settlements/contest.html", settlement=settlement, reasons=checked,
                               confirmed=CONFIRMED)

    if request.form.get("confirmed") != CONFIRMED:
        return _act(initiative_id, ask_first, "")
    return _act(initiative_id, lambda: settlements.contest(
        current_user, settlement_id, reasons, clock.today(), clock.now()),
        _("Uw bezwaar is vastgelegd; de penvoerder is op de hoogte gebracht."))


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/bezwaar/<int:contest_id>/intrekken", methods=["POST"])
@allow(any_user)
def withdraw_contest(initiative_id: int, contest_id: int):
    return _act(initiative_id, lambda: settlements.withdraw_contest(current_user, contest_id, clock.today(),
                                                                    clock.now()),
                _("Uw bezwaar is ingetrokken."))


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/<int:settlement_id>/bemiddeling", methods=["POST"])
@allow(any_user)
def to_mediation(initiative_id: int, settlement_id: int):
    _own(initiative_id, settlement_id)
    return _act(initiative_id, lambda: settlements.to_mediation(
        current_user, settlement_id, request.form.get("statement", "")),
        _("Bemiddeling is aangevraagd; de bemiddelaar ziet de zaak in de wachtrij."))


@bp.route("/initiatieven/<int:initiative_id>/nacalculatie/<int:settlement_id>/export")
@allow(any_user)
def export(initiative_id: int, settlement_id: int):
    settlement = _own(initiative_id, settlement_id)
    columns, rows, name = settlement_table(settlement)
    return export_response(requested_format("csv"), name, columns, rows,
                           sheet=_("Nacalculatie %(year)s", year=settlement.year))


def _own(initiative_id: int, settlement_id: int):
    """The settlement of this initiative the user may see; 404 otherwise."""
    return settlements.settlement_of(current_user, initiative_id, settlement_id)
