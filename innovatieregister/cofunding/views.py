"""Co-funding on the web: the lead's pledges before opening, the co-funder's answer, and the
fair-share statement and decisions as CSV or XLSX (exports.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, policies
from innovatieregister.cofunding.forms import PledgeDecisionForm, PledgeForm, show_errors
from innovatieregister.exports import export_response, requested_format
from innovatieregister.formatting import amount
from innovatieregister.initiatives.forms import CONFIRMED, ConfirmForm
from innovatieregister.policies import allow, any_user, is_co_funder_staff, is_insurer_staff
from innovatieregister.services import Conflict, Invalid, NotAllowed, co_funding, initiatives, statements
from innovatieregister.services.co_funding import PledgeInput

bp = Blueprint("cofunding", __name__)


def _view(initiative_id: int):
    return initiatives.get_view(current_user, initiative_id, clock.today())


def _input(form: PledgeForm) -> PledgeInput:
    return PledgeInput(form.organisation.data or "", form.amount_per_year.data or "", form.conditions.data or "",
                       bool(form.pro_rata.data))


@bp.route("/initiatieven/<int:initiative_id>/medefinanciering", methods=["GET", "POST"])
@allow(any_user)
def page(initiative_id: int):
    """The pledges of an initiative; the lead adds one here (before opening), the co-funder answers."""
    view = _view(initiative_id)
    may_manage = policies.can_manage_pledges(current_user, view.initiative)
    # Only the lead adds pledges: the co-funders to choose from are read for the lead alone.
    form = PledgeForm(co_funders=co_funding.co_funder_choices() if may_manage else [])
    problems: list[str] = []
    if form.is_submitted():
        if not may_manage:  # the lead after opening: too late; anyone else: not theirs
            abort(409 if policies.is_lead_staff(current_user, view.initiative) else 403)
        problems = _saved(form, lambda: co_funding.add_pledge(current_user, initiative_id, _input(form)))
        if not problems:
            flash(_("De toezegging is toegevoegd; de medefinancier is gevraagd te bevestigen."), "success")
            return redirect(url_for("cofunding.page", initiative_id=initiative_id))
    return render_template("cofunding/page.html", view=view, pledges=view.pledges,
                           form=form, may_manage=may_manage, problems=problems, confirm=ConfirmForm(),
                           decision_form=PledgeDecisionForm()), 422 if problems else 200


def _saved(form: PledgeForm, save) -> list[str]:
    """Run the service; the problems to show (per-field messages next to their fields), none if saved."""
    try:
        save()
    except Invalid as invalid:
        return [invalid.message, *show_errors(form, invalid.field_errors)]
    except (NotAllowed, Conflict) as refused:
        return [refused.message]
    return []


def _own_pledge(pledge_id: int):
    return co_funding.get_pledge(current_user, pledge_id)


@bp.route("/medefinanciering/<int:pledge_id>/wijzigen", methods=["GET", "POST"])
@allow(is_insurer_staff)
def edit(pledge_id: int):
    pledge = _own_pledge(pledge_id)
    if not policies.can_manage_pledges(current_user, pledge.initiative):
        abort(403)
    form = PledgeForm(co_funders=[pledge.organisation], data=None if request.method == "POST" else {
        "organisation": pledge.organisation.code, "amount_per_year": amount(pledge.amount_per_year),
        "conditions": pledge.conditions, "pro_rata": pledge.pro_rata})
    problems: list[str] = []
    if form.is_submitted():
        problems = _saved(form, lambda: co_funding.edit_pledge(current_user, pledge_id, _input(form)))
        if not problems:
            flash(_("De toezegging is gewijzigd; de medefinancier is gevraagd opnieuw te bevestigen."), "success")
            return redirect(url_for("cofunding.page", initiative_id=pledge.initiative_id))
    return render_template("cofunding/edit.html", pledge=pledge, form=form, problems=problems), \
        422 if problems else 200


@bp.route("/medefinanciering/<int:pledge_id>/intrekken", methods=["POST"])
@allow(is_insurer_staff)
def withdraw(pledge_id: int):
    pledge = _own_pledge(pledge_id)
    try:
        co_funding.withdraw_pledge(current_user, pledge_id)
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        flash(_("De toezegging is ingetrokken."), "success")
    return redirect(url_for("cofunding.page", initiative_id=pledge.initiative_id))


@bp.route("/medefinanciering/<int:pledge_id>/besluit", methods=["POST"])
@allow(is_co_funder_staff)
def decide(pledge_id: int):
    """Irreversible: the page first restates the decision and what it does; only the confirmed form decides."""
    pledge = _own_pledge(pledge_id)
    form = PledgeDecisionForm()
    try:
        if form.decision.data not in ("confirm", "decline"):
            raise Invalid(_("Er is niets vastgelegd. Verbeter de gemarkeerde velden."),
                          {"decision": [_("Kies bevestigen of afwijzen.")]})
        confirm = form.decision.data == "confirm"
        if form.confirmed.data != CONFIRMED:
            _pledge, reasons = co_funding.preview_pledge_decision(current_user, pledge_id, confirm,
                                                                  form.reasons.data or "")
            form.confirmed.data = CONFIRMED
            return render_template("cofunding/decide.html", pledge=pledge, form=form, confirming=confirm,
                                   reasons=reasons)
        co_funding.decide_pledge(current_user, pledge_id, confirm, form.reasons.data or "", clock.now())
    except Invalid as invalid:
        problems = [invalid.message, *show_errors(form, invalid.field_errors)]
        view = _view(pledge.initiative_id)
        return render_template("cofunding/page.html", view=view, pledges=view.pledges,
                               form=PledgeForm(co_funders=[]), may_manage=False, problems=problems,
                               confirm=ConfirmForm(), decision_form=form), 422
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        flash(_("Uw besluit is vastgelegd; de leidende verzekeraar is op de hoogte gebracht."), "success")
    return redirect(url_for("cofunding.page", initiative_id=pledge.initiative_id))


@bp.route("/initiatieven/<int:initiative_id>/verdeelstaat")
@allow(any_user)
def fair_share_statement(initiative_id: int):
    return _export(initiative_id, "verdeelstaat", _("Verdeelstaat"), statements.FAIR_SHARE_COLUMNS,
                   statements.fair_share_rows)


@bp.route("/initiatieven/<int:initiative_id>/besluiten-export")
@allow(any_user)
def decisions_export(initiative_id: int):
    return _export(initiative_id, "besluiten", _("Besluiten"), statements.DECISION_COLUMNS, statements.decision_rows)


def _export(initiative_id: int, name: str, sheet: str, columns, rows_of):
    """A table of the initiative as the reader may see it, as CSV (default) or XLSX (?formaat=xlsx)."""
    view = _view(initiative_id)
    return export_response(requested_format("csv"), f"{name}-{initiative_id}", columns, rows_of(view), sheet=sheet)
