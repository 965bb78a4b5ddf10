"""Shared savings of an initiative (issue 11, part 3): the agreement, each settled year's savings
and their split, as a page and as CSV/XLSX (`?formaat=csv|xlsx`)."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.domain.funding import SavingsPartyKind
from innovatieregister.domain.savings import DIRECTION_LABELS
from innovatieregister.exports import Column, Kind, export_response, requested_format
from innovatieregister.formatting import quantity
from innovatieregister.labels import label
from innovatieregister.policies import allow, any_user
from innovatieregister.savings.forms import AgreementForm
from innovatieregister.services import Conflict, Invalid, savings
from innovatieregister.services.savings import INSURERS, AgreementInput, GateInput, KeyPartInput, SavingsView

bp = Blueprint("savings", __name__, url_prefix="/initiatieven/<int:initiative_id>")

def columns() -> list[Column]:
    """The export's columns, headed in the reader's language."""
    return [Column(_("Jaar"), Kind.INTEGER), Column(_("Nacalculatie (versie)"), Kind.INTEGER), Column(_("Stand")),
            Column(_("Basislijn"), Kind.EURO), Column(_("Werkelijke kosten"), Kind.EURO),
            Column(_("Kwaliteitspoort gehaald")), Column(_("Besparing"), Kind.EURO), Column(_("Reden")),
            Column(_("Regel")), Column(_("Partij")), Column(_("Code")), Column(_("Percentage"), Kind.DECIMAL),
            Column(_("Bedrag"), Kind.EURO)]


def party_name(line_or_part) -> str:
    """A key party or a result line as people name it."""
    if line_or_part.organisation is not None:
        return line_or_part.organisation.name
    return label(SavingsPartyKind.INSURERS)


def export_rows(view: SavingsView) -> Iterator[list[object]]:
    """One row per line of every year's result (history included), as the viewer may see them."""
    for year in view.years:
        r = year.result
        head = [r.year, year.settlement.version, _("Definitief") if year.current else _("Vervangen door correctie"),
                r.baseline, r.realised_cost, r.gate_met, r.savings, r.reason]
        party_lines = [line for line in r.lines if line.kind.value == "party"]
        for line in party_lines:
            yield head + [_("Partij"), party_name(line), line.organisation.code if line.organisation else INSURERS,
                          line.percentage, line.amount]
        for line in year.insurer_lines:
            yield head + [_("Zorgverzekeraar (deel van de verzekeraars)"), party_name(line),
                          line.organisation.code if line.organisation else None, None, line.amount]


def export(view: SavingsView, fmt: str):
    return export_response(fmt, f"besparingen-initiatief-{view.initiative.id}", columns(), export_rows(view),
                           sheet=_("Gedeelde besparingen"))


def _form_for(view: SavingsView) -> AgreementForm:
    """The form filled with the stored agreement: a row per goal that can be a gate, the key's parties."""
    agreement = view.agreement
    minimums = {g.goal_id: quantity(g.minimum_value, grouped=False) for g in agreement.gates} if agreement else {}
    key = [{"party": p.organisation.code if p.organisation else INSURERS,
            "percentage": quantity(p.percentage, grouped=False)} for p in agreement.key_parts] if agreement else []
    form = AgreementForm(formdata=None, data={
        "baseline_annual_cost": f"{agreement.baseline_annual_cost:.2f}".replace(".", ",") if agreement else "",
        "explanation": agreement.explanation if agreement else "",
        "gates": [{"goal_id": str(g.id), "minimum_value": minimums.get(g.id, "")} for g in view.gate_choices],
        "key": key})
    while len(form.key) < min(len(key) + 1, form.key.max_entries) or len(form.key) < form.key.min_entries:
        form.key.append_entry()
    return form


def _render(view: SavingsView, form: AgreementForm, problems=(), status: int = 200, key_errors=()):
    if view.may_edit:  # only the lead's form offers the parties
        choices = [("", "—"), (INSURERS, label(SavingsPartyKind.INSURERS))] + [
            (o.code, f"{o.name} ({o.kind_label.lower()})") for o in savings.key_parties(view.initiative)]
        for row in form.key:
            row.form.party.choices = choices
    goals = {str(g.id): g for g in view.initiative.goals}
    return render_template("savings/page.html", view=view, form=form, problems=list(problems), goals=goals,
                           key_errors=list(key_errors), directions=DIRECTION_LABELS,
                           party_name=party_name), status


@bp.route("/besparingen", methods=["GET", "POST"])
@allow(any_user)
def page(initiative_id: int):
    view = savings.view(current_user, initiative_id, clock.today())
    fmt = requested_format()
    if fmt is not None:
        return export(view, fmt)
    if request.method != "POST":
        return _render(view, _form_for(view))
    form = AgreementForm()
    if not form.validate():
        return _render(view, form, [_("De besparingsafspraak is niet opgeslagen.")], 422)
    data = AgreementInput(
        form.baseline_annual_cost.data or "", form.explanation.data or "",
        [GateInput(row.goal_id.data, row.minimum_value.data) for row in form._filled("gates")],
        [KeyPartInput(row.party.data or "", row.percentage.data) for row in form._filled("key")])
    try:
        savings.save_agreement(current_user, initiative_id, data)
    except (Invalid, Conflict) as error:
        rest = form.show_errors(error.field_errors)
        return _render(view, form, [error.message, *rest], error.status,
                       key_errors=error.field_errors.get("key", ()))  # the key as a whole: at its fieldset
    flash(_("De besparingsafspraak is opgeslagen."), "success")
    return redirect(url_for("savings.page", initiative_id=initiative_id))
