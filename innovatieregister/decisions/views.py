"""The queue 'Wacht op ons besluit' and the decision form."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from innovatieregister import clock, inputs
from innovatieregister.account.forms import show_errors
from innovatieregister.decisions.forms import ConditionsForm, DecisionForm
from innovatieregister.formatting import datum
from innovatieregister.labels import label
from innovatieregister.models import DecisionKind, RequestKind
from innovatieregister.policies import allow, is_insurer_staff
from innovatieregister.services import (
    Conflict,
    Invalid,
    NotAllowed,
    conditions,
    decisions,
    initiatives,
    regional_plans,
)
from innovatieregister.services.criteria import deciding_criteria

bp = Blueprint("decisions", __name__)

CONFIRM = "confirm"  # the decision form's button that records an adoption decision once restated
DECISION_KINDS = {kind.value for kind in DecisionKind}


@bp.route("/besluiten/")
@allow(is_insurer_staff)
def queue():
    page = decisions.queue(current_user, inputs.page_number(), cursor=inputs.page_cursor())
    return render_template("decisions/queue.html", page=page, today=clock.today())


@bp.route("/initiatieven/<int:initiative_id>/besluit", methods=["GET", "POST"])
@allow(is_insurer_staff)
def decide(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    if view.own_request is None:
        abort(404)
    return render_decision_form(view.own_request, view)


def render_decision_form(follow_request, view=None):
    """The decision page for one request (a follow request or an adoption request): preview the
    weight without JavaScript, or record the decision through the one decision service."""
    criteria, threshold = deciding_criteria()
    form = DecisionForm(criteria=criteria)
    if view is None:
        view = initiatives.get_view(current_user, follow_request.initiative_id, clock.today())
    problems: list[str] = []
    assessment = None
    confirming = False
    if form.is_submitted():
        arguments = form.argument_inputs()
        assessment = decisions.preview(arguments)
        action = request.form.get("action")
        if action == "preview":
            form.show_errors(decisions.repeated_arguments(arguments))
        elif (follow_request.kind == RequestKind.ADOPTION and action != CONFIRM
              and form.decision.data in DECISION_KINDS):
            # Irreversible (it is announced to the provider and the lead, and a follow may close the
            # request): the page first restates the decision; only the confirm button records it.
            confirming = True
        else:
            recorded, problems = _record(follow_request, form, arguments)
            if recorded is not None:
                return recorded
    status = 422 if problems else 200
    return render_template("decisions/form.html", form=form, view=view, follow_request=follow_request,
                           problems=problems, assessment=assessment, threshold=threshold,
                           confirming=confirming, confirm_action=CONFIRM,
                           follow_required=decisions.follow_required(follow_request.id),
                           plan_ref=regional_plans.current_plan_reference(view.initiative),
                           regional_fit=next((c.name for c in form.criteria if c.code == regional_plans.REGIONAL_FIT),
                                             None)), status


def _record(follow_request, form: DecisionForm, arguments) -> tuple[Response | None, list[str]]:
    """Record the decision through the one decision service: the redirect to the initiative, or
    the problems to show on the form."""
    try:
        decision = decisions.decide_on_request(current_user, follow_request.id, form.decision.data or "",
                                               form.conditions.data, arguments, form.idempotency_key.data,
                                               clock.today())
    except Invalid as invalid:
        problems = [invalid.message, *invalid.details]
        form.show_errors(invalid.field_errors)
    except Conflict as refused:
        if "idempotency_key" in refused.field_errors:
            # This form was sent before with another choice: a new key lets a deliberate
            # second submission record this one as a new version.
            form.idempotency_key.data = uuid.uuid4().hex
            problems = [_("Dit formulier is al eerder verzonden, met een ander besluit. Controleer uw "
                          "keuze en leg het opnieuw vast: het wordt dan een nieuwe versie.")]
        else:
            problems = [refused.message]
            form.show_errors(refused.field_errors)
    except NotAllowed as refused:
        problems = [refused.message]
    else:
        if decision.standing:
            flash(_("Uw besluit is vastgelegd."), "success")
        else:  # the form was sent again: what it recorded then, not what stands now
            flash(_("Dit formulier was al verwerkt: het legde versie %(version)s vast (%(kind)s, %(date)s). "
                    "Inmiddels staat een latere versie.", version=decision.version,
                    kind=label(decision.kind).lower(), date=datum(decision.decided_at, time=False)), "info")
        return redirect(url_for("initiatives.detail", initiative_id=follow_request.initiative_id)), []
    return None, problems


@bp.route("/verzoeken/<int:request_id>/voorwaarden", methods=["GET", "POST"])
@allow(is_insurer_staff)
def judge_conditions(request_id: int):
    """The lead accepts or rejects a follower's conditions, with reasons. The page states what a
    rejection does before anything is sent: no JavaScript, nothing happens without the choice."""
    follow_request = conditions.lead_request(current_user, request_id)
    try:
        decision = conditions.to_judge(follow_request)
    except Conflict as refused:
        flash(refused.message, "error")
        return redirect(url_for("initiatives.detail", initiative_id=follow_request.initiative_id))
    form = ConditionsForm()
    problems: list[str] = []
    if form.is_submitted():
        try:
            conditions.judge(current_user, request_id, form.verdict.data or "", form.reasons.data or "",
                             clock.today(), clock.now())
        except (Invalid, Conflict) as refused:
            problems = [refused.message, *show_errors(form, refused.field_errors)]
        else:
            flash(_("Uw oordeel over de voorwaarden is vastgelegd en aan de verzekeraar gemeld."), "success")
            return redirect(url_for("initiatives.detail", initiative_id=follow_request.initiative_id))
    return render_template("decisions/conditions.html", form=form, follow_request=follow_request,
                           decision=decision, new_deadline=conditions.new_deadline(clock.today()),
                           problems=problems), 422 if problems else 200

