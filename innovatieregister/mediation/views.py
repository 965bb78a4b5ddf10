"""The mediator's workspace and the parties' side of mediation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from innovatieregister import clock, inputs, policies, visibility
from innovatieregister.initiatives.forms import ConfirmForm
from innovatieregister.models import Finding, MediationReason
from innovatieregister.models.mediation import MEDIATION_LABELS
from innovatieregister.policies import allow, any_user, is_mediator
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, audit_trail, initiatives, mediation

bp = Blueprint("mediation", __name__)


def _problems(error) -> str:
    return " ".join([error.message, *error.details])


def _act(case_id: int, action, success: str):
    """Run one mediation use case from a form; show its refusal, never a 500."""
    try:
        action()
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    except (Invalid, Conflict) as refused:
        flash(_problems(refused), "error")
    else:
        flash(success, "success")
    return redirect(url_for("mediation.case", case_id=case_id))


@bp.route("/bemiddeling/")
@allow(any_user)
def queue():
    return render_template("mediation/queue.html", rows=mediation.queue_for(current_user, clock.today()),
                           labels=MEDIATION_LABELS)


@bp.route("/initiatieven/<int:initiative_id>/bemiddeling", methods=["GET", "POST"])
@allow(any_user)
def ask(initiative_id: int):
    try:
        view = initiatives.get_view(current_user, initiative_id, clock.today())
    except NotFound:
        abort(404)
    problems = ""
    if request.method == "POST":
        try:
            case = mediation.request_mediation(current_user, initiative_id, request.form.get("reason", ""),
                                               request.form.get("statement", ""),
                                               inputs.form_id("request"))
        except NotFound:
            abort(404)
        except (Invalid, Conflict) as refused:
            problems = _problems(refused)
        else:
            flash("Bemiddeling aangevraagd.", "success")
            return redirect(url_for("mediation.case", case_id=case.id))
    return render_template("mediation/ask.html", view=view, problems=problems, reasons=list(MediationReason),
                           labels=MEDIATION_LABELS, confirm=ConfirmForm()), 422 if problems else 200


@bp.route("/bemiddeling/<int:case_id>")
@allow(any_user)
def case(case_id: int):
    try:
        view = mediation.case_view(current_user, case_id)
        initiative = initiatives.get_view(current_user, view.case.initiative_id, clock.today())
    except NotFound:
        abort(404)
    return render_template("mediation/case.html", view=view, initiative=initiative, labels=MEDIATION_LABELS,
                           findings=list(Finding), confirm=ConfirmForm(),
                           parties=mediation.party_organisations(view.case) if view.is_mediator else [])


@bp.route("/bemiddeling/<int:case_id>/oppakken", methods=["POST"])
@allow(is_mediator)
def take(case_id: int):
    return _act(case_id, lambda: mediation.take(current_user, case_id), "De zaak is in behandeling genomen.")


@bp.route("/bemiddeling/<int:case_id>/zienswijze", methods=["POST"])
@allow(is_mediator)
def ask_statement(case_id: int):
    return _act(case_id, lambda: mediation.request_statement(
        current_user, case_id, request.form.get("party", ""), request.form.get("question", ""), clock.today()),
        "De zienswijze is gevraagd.")


@bp.route("/bemiddeling/<int:case_id>/notitie", methods=["POST"])
@allow(is_mediator)
def note(case_id: int):
    return _act(case_id, lambda: mediation.add_note(current_user, case_id, request.form.get("body", "")),
                "De notitie is opgeslagen.")


@bp.route("/bemiddeling/<int:case_id>/bevinding", methods=["POST"])
@allow(is_mediator)
def finding(case_id: int):
    return _act(case_id, lambda: mediation.record_finding(
        current_user, case_id, request.form.get("finding", ""), request.form.get("reasoning", ""),
        clock.today(), clock.now()), "De bevinding is vastgelegd.")


@bp.route("/bemiddeling/<int:case_id>/intrekken", methods=["POST"])
@allow(any_user)
def withdraw(case_id: int):
    return _act(case_id, lambda: mediation.withdraw(current_user, case_id, clock.now()),
                "De bemiddeling is ingetrokken.")


@bp.route("/bemiddeling/zienswijzen/<int:statement_id>", methods=["POST"])
@allow(any_user)
def answer(statement_id: int):
    try:
        statement = mediation.answer_statement(current_user, statement_id, request.form.get("answer", ""),
                                               clock.now())
    except NotFound:
        abort(404)
    except (Invalid, Conflict) as refused:
        flash(_problems(refused), "error")
        return redirect(request.referrer if _same_site(request.referrer) else url_for("mediation.queue"))
    flash("Uw zienswijze is verstuurd naar de bemiddelaar.", "success")
    return redirect(url_for("mediation.case", case_id=statement.case_id))


def _same_site(url: str | None) -> bool:
    from innovatieregister.auth.views import safe_next

    return bool(url) and safe_next(url) == url


@bp.route("/bemiddeling/<int:case_id>/tijdlijn")
@allow(any_user)
def timeline(case_id: int):
    try:
        view = mediation.case_view(current_user, case_id)
    except NotFound:
        abort(404)
    refs = [("MediationCase", [case_id])]
    if policies.is_mediator(current_user) and view.case.follow_request_id:
        refs.append(("FollowRequest", [view.case.follow_request_id]))
    entries = [e for e in audit_trail.timeline(refs, hidden_actions=visibility.hidden_audit_actions(current_user))
               if visibility.sees_case_entry(current_user, e)]
    return render_template("mediation/timeline.html", view=view, entries=entries, label_of=audit_trail.label_of)
