"""The mediator's workspace and the parties' side of mediation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from innovatieregister import clock, inputs, limits
from innovatieregister.account.forms import show_errors
from innovatieregister.admin.views import render_what_if
from innovatieregister.extensions import db
from innovatieregister.initiatives.forms import CONFIRMED, ConfirmForm
from innovatieregister.mediation.forms import (
    AnswerForm,
    FindingForm,
    MediationRequestForm,
    NoteForm,
    StatementRequestForm,
    answer_form,
)
from innovatieregister.models import RequestKind, StatementRequest
from innovatieregister.models.mediation import MEDIATION_LABELS
from innovatieregister.policies import allow, any_user, is_mediator
from innovatieregister.services import (
    Conflict,
    Invalid,
    ServiceError,
    audit_trail,
    initiatives,
    mediation,
    regional_plans,
    what_if,
)

bp = Blueprint("mediation", __name__)


def _problems(error) -> str:
    return " ".join([error.message, *error.details])


def _act(case_id: int, action, success: str, **posted: FlaskForm):
    """Run one mediation use case from a form; never a 500. A refused form comes back with what was
    typed and each message next to its field (422); a refused button is a message at the top."""
    try:
        action()
    except (Invalid, Conflict) as refused:
        if posted:
            return _case_page(case_id, refused, **posted)
        flash(_problems(refused), "error")
    else:
        flash(success, "success")
    return redirect(url_for("mediation.case", case_id=case_id))


@bp.route("/bemiddeling/")
@allow(any_user)
def queue():
    return render_template("mediation/queue.html",
                           page=mediation.queue_for(current_user, clock.today(), inputs.page_number(),
                                                      cursor=inputs.page_cursor()),
                           labels=dict(MEDIATION_LABELS.items()))  # translated once, not once a row


@bp.route("/initiatieven/<int:initiative_id>/bemiddeling", methods=["GET", "POST"])
@allow(any_user)
def ask(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    form = MediationRequestForm()
    form.request.choices = [("", "—")] + [
        (str(r.request.id), (_("%(insurer)s (overnameverzoek) — %(state)s", insurer=r.request.insurer.name,
                                state=r.state_label) if r.request.kind == RequestKind.ADOPTION
                             else f"{r.request.insurer.name} — {r.state_label}"))
        for r in view.mediation_requests]
    problems: list[str] = []
    if form.is_submitted():
        try:
            case = mediation.request_mediation(current_user, initiative_id, form.reason.data or "",
                                               form.statement.data or "", inputs.form_id("request"))
        except (Invalid, Conflict) as refused:
            show_errors(form, refused.field_errors)
            problems = [refused.message, *refused.details]
        else:
            flash(_("Bemiddeling aangevraagd."), "success")
            return redirect(url_for("mediation.case", case_id=case.id))
    return render_template("mediation/ask.html", view=view, form=form, problems=problems), \
        422 if problems else 200


@bp.route("/bemiddeling/<int:case_id>")
@allow(any_user)
def case(case_id: int):
    return _case_page(case_id)


def _case_page(case_id: int, refused: ServiceError | None = None, answered: int | None = None,
               **posted: FlaskForm):
    """The case page. After a refusal the posted form keeps its input, with the messages next to
    its fields and above the page (422); the page's other forms start empty."""
    view = mediation.case_view(current_user, case_id)
    initiative = initiatives.get_view(current_user, view.case.initiative_id, clock.today())
    forms = {name: posted.get(name) or form_class(formdata=None) for name, form_class in (
        ("statement_form", StatementRequestForm), ("finding_form", FindingForm), ("note_form", NoteForm))}
    parties = mediation.party_organisations(view.case) if view.is_mediator else []
    forms["statement_form"].party.choices = [(p.code, p.name) for p in parties]
    if "statement_form" not in posted:  # proposed: the default term; the mediator may choose another
        forms["statement_form"].deadline.data = limits.date_input(mediation.default_statement_deadline(clock.today()))
    answers = {s.id: answer_form(s.id, posted=s.id == answered) for s in view.statements}
    problems: list[str] = []
    if refused is not None:
        target = answers[answered] if answered in answers else next(iter(posted.values()), None)
        if target is not None:
            show_errors(target, refused.field_errors)
        problems = [refused.message, *refused.details]
    return render_template("mediation/case.html", view=view, initiative=initiative, labels=MEDIATION_LABELS,
                           stake=mediation.stake_of(view.case, initiative.funding),
                           plan_refs=regional_plans.plan_references(initiative.initiative), confirm=ConfirmForm(),
                           answers=answers, problems=problems, **forms), \
        422 if problems else 200


@bp.route("/bemiddeling/<int:case_id>/oppakken", methods=["POST"])
@allow(is_mediator)
def take(case_id: int):
    return _act(case_id, lambda: mediation.take(current_user, case_id), _("De zaak is in behandeling genomen."))


@bp.route("/bemiddeling/<int:case_id>/zienswijze", methods=["POST"])
@allow(is_mediator)
def ask_statement(case_id: int):
    form = StatementRequestForm()
    return _act(case_id, lambda: mediation.request_statement(
        current_user, case_id, form.party.data or "", form.question.data or "", clock.today(),
        form.deadline.data or ""),
        _("De zienswijze is gevraagd."), statement_form=form)


@bp.route("/bemiddeling/<int:case_id>/notitie", methods=["POST"])
@allow(is_mediator)
def note(case_id: int):
    form = NoteForm()
    return _act(case_id, lambda: mediation.add_note(current_user, case_id, form.body.data or ""),
                _("De notitie is opgeslagen."), note_form=form)


@bp.route("/bemiddeling/<int:case_id>/bevinding", methods=["POST"])
@allow(is_mediator)
def finding(case_id: int):
    """Irreversible: a valid finding first shows what it will do; only the confirmed form records it."""
    form = FindingForm()
    if form.confirmed.data != CONFIRMED:
        try:
            plan = mediation.preview_finding(current_user, case_id, form.finding.data or "",
                                             form.reasoning.data or "", clock.today())
        except (Invalid, Conflict) as refused:
            return _case_page(case_id, refused, finding_form=form)
        form.confirmed.data = CONFIRMED
        return render_template("mediation/finding.html", plan=plan, form=form, labels=MEDIATION_LABELS)
    return _act(case_id, lambda: mediation.record_finding(
        current_user, case_id, form.finding.data or "", form.reasoning.data or "",
        clock.today(), clock.now()), _("De bevinding is vastgelegd."), finding_form=form)


@bp.route("/bemiddeling/<int:case_id>/intrekken", methods=["POST"])
@allow(any_user)
def withdraw(case_id: int):
    """Irreversible: the page first says what withdrawing ends; only the confirmed form withdraws."""
    form = ConfirmForm()
    if form.confirmed.data != CONFIRMED:
        view = mediation.case_view(current_user, case_id)
        if not view.may_withdraw:
            abort(403)
        form.confirmed.data = CONFIRMED
        return render_template("mediation/withdraw.html", view=view, form=form, labels=MEDIATION_LABELS)
    return _act(case_id, lambda: mediation.withdraw(current_user, case_id, clock.now()),
                _("De bemiddeling is ingetrokken."))


@bp.route("/bemiddeling/zienswijzen/<int:statement_id>", methods=["POST"])
@allow(any_user)
def answer(statement_id: int):
    form = AnswerForm()
    try:
        statement = mediation.answer_statement(current_user, statement_id, form.answer.data or "", clock.now())
    except (Invalid, Conflict) as refused:
        # Refused only after the service found the statement addressed to this user's organisation.
        return _case_page(db.session.get_one(StatementRequest, statement_id).case_id, refused, answered=statement_id)
    flash(_("Uw zienswijze is verstuurd naar de bemiddelaar."), "success")
    return redirect(url_for("mediation.case", case_id=statement.case_id))


@bp.route("/bemiddeling/<int:case_id>/tijdlijn")
@allow(any_user)
def timeline(case_id: int):
    view = mediation.case_view(current_user, case_id, with_notes=False)
    page = audit_trail.case_timeline(current_user, view, page=inputs.page_number(), cursor=inputs.page_cursor())
    return render_template("mediation/timeline.html", view=view, page=page,
                           lines=audit_trail.lines(page.items, details=False))


@bp.route("/bemiddeling/<int:case_id>/wat-als")
@allow(is_mediator)
def what_if_case(case_id: int):
    """What if (issue 12): the declines on the case's initiative under other weights; nothing stored."""
    case = mediation.case_view(current_user, case_id).case
    return render_what_if(lambda proposal, number: what_if.reassess_case(current_user, case_id, proposal,
                                                                         clock.today(), page=number),
                          heading=_("Zaak %(n)s: wat als de gewichten of de drempel anders waren?", n=case.id),
                          scope=_("de staande afwijzingen van '%(title)s'", title=case.initiative.title),
                          back=url_for("mediation.case", case_id=case.id), back_label=_("Zaak %(n)s", n=case.id))
