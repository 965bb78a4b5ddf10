"""Term and evaluation of an initiative ("Looptijd en evaluatie"): the page, the forms of each
life-cycle step, and the mediator's overview of initiatives that meet a stop criterion."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from innovatieregister import clock, inputs
from innovatieregister.account.forms import show_errors
from innovatieregister.domain.lifecycle import MOMENT_STATUS_LABELS, STOP_REASON_LABELS
from innovatieregister.domain.monitoring import LABELS, MeasurementKind
from innovatieregister.domain.workflow import InitiativeEvent, InvalidTransition, transition
from innovatieregister.errors import render_error
from innovatieregister.formatting import datum, quantity
from innovatieregister.initiatives.forms import CONFIRMED
from innovatieregister.labels import label
from innovatieregister.lifecycle.forms import (
    ActivateForm,
    EndForm,
    EvaluationForm,
    ExtendForm,
    WithdrawForm,
    calendar_form,
    chosen_ids,
)
from innovatieregister.policies import allow, any_user, is_insurer_staff, is_mediator
from innovatieregister.services import Conflict, Invalid, initiatives, lifecycle

bp = Blueprint("lifecycle", __name__)
IE = InitiativeEvent


def _lifecycle(initiative_id: int, listing: bool = False, view=None) -> lifecycle.Lifecycle:
    """The initiative's life cycle as the user may see it; 404 when they may not see it.
    `view`: the initiative's full view, where the page has loaded it (initiatives.get_view)."""
    return lifecycle.lifecycle_of(current_user, initiative_id, clock.today(), listing=listing,
                                  page=inputs.page_number(), cursor=inputs.page_cursor(),
                                  seen=(view.initiative, view.status) if view else None)


def _page(initiative_id: int):
    return redirect(url_for("lifecycle.page", initiative_id=initiative_id))


def _refusal(life: lifecycle.Lifecycle, event: InitiativeEvent):
    """None when the table lets this user take the step now; else 403 for the wrong party, or
    back to the page with the table's Dutch explanation."""
    try:
        transition(life.initiative.status, event, lifecycle.party_of(current_user, life.initiative))
    except InvalidTransition as refused:
        if refused.wrong_role:  # 403, with the table's word on who may do what from here
            return render_error(403, str(refused))
        flash(str(refused), "error")
        return _page(life.initiative.id)
    return None


def _step(life: lifecycle.Lifecycle, event: InitiativeEvent, form: FlaskForm, template: str, act, success: str,
          confirm=None, **context):
    """One life-cycle form: shown, checked, done. Bad input comes back with each Dutch message at
    its field (422) and nothing changed. With `confirm` (irreversible steps), a valid form first
    shows what will happen; only the confirmed form acts."""
    initiative_id = life.initiative.id
    if (refusal := _refusal(life, event)) is not None:
        return refusal
    problems: list[str] = []
    status = 200
    if form.is_submitted():
        try:
            if not form.validate():
                raise Invalid(_("Verbeter de gemarkeerde velden; er is niets gewijzigd."))
            if confirm is not None and form.confirmed.data != CONFIRMED:
                form.confirmed.data = CONFIRMED
                return render_template(template, life=life, form=form, plan=confirm(), confirming=True,
                                       title=label(event), **context)
            act()
        except (Invalid, Conflict) as refused:
            if confirm is not None:
                form.confirmed.data = ""  # back to the form: a corrected one is confirmed again
            problems = [refused.message, *show_errors(form, refused.field_errors)]
            status = refused.status
        else:
            flash(success, "success")
            return _page(initiative_id)
    return render_template(template, life=life, form=form, problems=problems, confirming=False,
                           title=label(event), **context), status


@bp.route("/initiatieven/<int:initiative_id>/looptijd")
@allow(any_user)
def page(initiative_id: int):
    return render_template("lifecycle/page.html", life=_lifecycle(initiative_id, listing=True), labels=LABELS,
                           moment_labels=MOMENT_STATUS_LABELS, stop_labels=STOP_REASON_LABELS)


@bp.route("/initiatieven/<int:initiative_id>/looptijd/activeren", methods=["GET", "POST"])
@allow(is_insurer_staff)
def activate(initiative_id: int):
    # The gap the lead accepts: the cost shares as the initiative page shows them.
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    life, funding = _lifecycle(initiative_id, view=view), view.funding
    form = ActivateForm()
    reasons = lambda: form.gap_acceptance_reasons.data or ""  # noqa: E731
    return _step(life, IE.ACTIVATE, form, "lifecycle/activate.html",
                 lambda: lifecycle.activate(current_user, initiative_id, reasons(), clock.today(), clock.now()),
                 _("Het initiatief is geactiveerd; de looptijd en de evaluatiekalender staan vast."),
                 confirm=lambda: lifecycle.preview_activation(current_user, initiative_id, reasons(), clock.today()),
                 labels=LABELS, funding=funding, waiting=lifecycle.awaiting_conditions(life.initiative))


@bp.route("/initiatieven/<int:initiative_id>/looptijd/kalender", methods=["GET", "POST"])
@allow(is_insurer_staff)
def calendar(initiative_id: int):
    life = _lifecycle(initiative_id)
    pending = [m for m in life.moments if m.moment.done_at is None]
    form = calendar_form(pending)
    dates = lambda: {m.moment.id: form[f"moment_{m.moment.id}"].data or "" for m in pending}  # noqa: E731
    return _step(life, IE.ADJUST_CALENDAR, form, "lifecycle/calendar.html",
                 lambda: lifecycle.adjust_calendar(current_user, initiative_id, dates(), clock.today()),
                 _("De evaluatiekalender is aangepast."), pending=pending, labels=LABELS,
                 moment_labels=MOMENT_STATUS_LABELS)


@bp.route("/initiatieven/<int:initiative_id>/looptijd/evaluatie", methods=["GET", "POST"])
@allow(any_user)
def evaluate(initiative_id: int):
    life = _lifecycle(initiative_id)
    form = EvaluationForm()
    measurements, documents = lifecycle.evidence_choices(initiative_id)
    form.measurements.choices = [(str(m.id), f"{m.goal.metric} — {label(m.kind).lower()} "
                                             f"{datum(m.measured_on)}: {quantity(m.value)} {m.unit}")
                                 for m in measurements]
    form.documents.choices = [(str(d.id), f"{d.title} ({d.filename})") for d in documents]
    data = lambda: lifecycle.EvaluationInput(  # noqa: E731
        form.kind.data or "", form.verdict.data or "", form.reasoning.data or "",
        chosen_ids(form.measurements.data), chosen_ids(form.documents.data))
    # A final evaluation is a step of its own in the table (it moves the state); the same parties
    # may take it wherever they may record a baseline or periodic one.
    event = IE.EVALUATE if form.kind.data == MeasurementKind.FINAL else IE.EVALUATE_INTERIM
    return _step(life, event, form, "lifecycle/evaluate.html",
                 lambda: lifecycle.record_evaluation(current_user, initiative_id, data(), clock.now()),
                 _("De evaluatie is vastgelegd."), labels=LABELS)


@bp.route("/initiatieven/<int:initiative_id>/looptijd/verlengen", methods=["GET", "POST"])
@allow(is_insurer_staff)
def extend(initiative_id: int):
    life = _lifecycle(initiative_id)
    form = ExtendForm()
    return _step(life, IE.EXTEND, form, "lifecycle/extend.html",
                 lambda: lifecycle.extend(current_user, initiative_id, form.new_end.data or "",
                                          form.reasons.data or ""),
                 _("De looptijd is verlengd."), labels=LABELS)


@bp.route("/initiatieven/<int:initiative_id>/looptijd/beeindigen", methods=["GET", "POST"])
@allow(is_insurer_staff)
def end(initiative_id: int):
    life = _lifecycle(initiative_id)
    form = EndForm()
    reasons, outcome = (lambda: form.reasons.data or ""), (lambda: form.outcome.data or "")
    return _step(life, IE.END, form, "lifecycle/end.html",
                 lambda: lifecycle.end(current_user, initiative_id, reasons(), outcome(), clock.today()),
                 _("Het initiatief is beëindigd."),
                 confirm=lambda: lifecycle.preview_end(current_user, initiative_id, reasons(), outcome()),
                 labels=LABELS)


@bp.route("/initiatieven/<int:initiative_id>/intrekken", methods=["GET", "POST"])
@allow(is_insurer_staff)
def withdraw(initiative_id: int):
    life = _lifecycle(initiative_id)
    form = WithdrawForm()
    reasons = lambda: form.reasons.data or ""  # noqa: E731 (read when the step runs)
    return _step(life, IE.WITHDRAW, form, "lifecycle/withdraw.html",
                 lambda: lifecycle.withdraw(current_user, initiative_id, reasons(), clock.today(), clock.now()),
                 _("Het initiatief is ingetrokken."),
                 confirm=lambda: lifecycle.preview_withdraw(current_user, initiative_id, reasons()))


@bp.route("/looptijd/stopcriteria")
@allow(is_mediator)
def flagged():
    return render_template("lifecycle/flagged.html",
                           page=lifecycle.flagged(current_user, inputs.page_number(), clock.today()),
                           stop_labels=STOP_REASON_LABELS)
