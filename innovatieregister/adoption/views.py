"""Spreading what works: adoption requests (provider axis), adopting (insurer axis), the registry."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, inputs, policies
from innovatieregister.account.forms import show_errors
from innovatieregister.adoption.forms import AdoptForm, AdoptionRequestForm
from innovatieregister.decisions.views import render_decision_form
from innovatieregister.domain.monitoring import LABELS as MONITORING_LABELS
from innovatieregister.domain.phase import RESULT_KINDS, adoption_needs_confirmation
from innovatieregister.domain.workflow import ShownState
from innovatieregister.extensions import db
from innovatieregister.formatting import euro
from innovatieregister.initiatives.forms import CONFIRMED, ConfirmForm
from innovatieregister.models import EvidenceLevel, FollowRequest, InitiativeKind, Phase, RequestKind
from innovatieregister.policies import allow, any_user, is_insurer_staff, is_provider_staff
from innovatieregister.services import Conflict, Invalid, NotAllowed, adoption, follows, initiatives, phase
from innovatieregister.services.regions import led_regions, region_choices
from innovatieregister.services.standing import standing_decisions

bp = Blueprint("adoption", __name__)


@bp.route("/initiatieven/<int:initiative_id>/overnameverzoek", methods=["GET", "POST"])
@allow(is_provider_staff)
def new_request(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    if view.funding is None or not view.frozen or view.market is None:  # funding comes with its key
        abort(404)
    form = AdoptionRequestForm()
    amounts = {share.insurer: share.amount for share in view.funding.shares}
    form.insurer.choices = [("", _("— kies —"))] + [
        (s.insurer.code, _("%(insurer)s (aandeel %(amount)s per jaar)", insurer=s.insurer.name,
                           amount=euro(amounts[s.insurer.id])))
        for s in view.market.shares
        if s.insured > 0 and s.insurer.id != view.initiative.lead_insurer_id
        and view.visible_state(s.insurer.id) != ShownState.FOLLOWS]
    problems: list[str] = []
    plan = None
    if form.is_submitted():
        impact = adoption.Impact(form.impact_description.data or "", form.impact_volume.data,
                                 form.impact_unit.data or "", form.impact_by.data, form.evidence.data or "")
        # Irreversible (the insurer is asked, with a deadline): the page first restates the request;
        # only its confirm button sends it.
        confirmed = request.form.get("confirmed") == CONFIRMED
        send = adoption.request_adoption if confirmed else adoption.preview_request
        try:
            plan = send(current_user, initiative_id, form.insurer.data or "", impact, clock.today())
        except (Invalid, Conflict, NotAllowed) as refused:
            # Each message next to its field, and all of them in the summary above the form.
            show_errors(form, refused.field_errors)
            problems = [refused.message, *refused.details]
        else:
            if confirmed:
                flash(_("Het overnameverzoek is verstuurd."), "success")
                return redirect(url_for("initiatives.detail", initiative_id=initiative_id))
    return render_template("adoption/request_form.html", form=form, view=view, problems=problems, plan=plan,
                           share=amounts.get(plan.insurer.id) if plan else None, confirmed=CONFIRMED), \
        422 if problems else 200


@bp.route("/overnameverzoeken/")
@allow(any_user)
def index():
    page = adoption.adoption_requests_for(current_user, inputs.page_number(), cursor=inputs.page_cursor())
    return render_template("adoption/index.html", page=page,
                           standing=standing_decisions([r.id for r in page.items], current_user, clock.today()))


@bp.route("/overnameverzoeken/<int:request_id>/besluit", methods=["GET", "POST"])
@allow(is_insurer_staff)
def decide(request_id: int):
    own = db.session.get(FollowRequest, request_id)
    if own is None or own.kind != RequestKind.ADOPTION or not policies.can_decide(current_user, own):
        abort(404)
    return render_decision_form(own)


@bp.route("/register/")
@allow(any_user)
def registry():
    args = request.args
    try:
        page = adoption.registry(args.get("q"), args.get("soort") or None, args.get("fase") or None,
                                         args.get("bewijs") or None, args.get("regio") or None,
                                         inputs.page_number(),
                                         viewer=current_user, today=clock.today(),
                                         evaluation=args.get(adoption.EVALUATION_FILTER[0]) or None)
    except Invalid as invalid:
        # An unknown filter value: say so, and show the register without it.
        flash(" ".join([invalid.message, *invalid.details]), "error")
        kept: dict[str, Any] = {k: v for k, v in args.items() if k not in invalid.field_errors}
        return redirect(url_for("adoption.registry", **kept))
    ids = [s.initiative.id for s in page.items]
    return render_template("adoption/registry.html", page=page,
                           regions=region_choices(),
                           kinds=list(InitiativeKind), phases=list(Phase), levels=list(EvidenceLevel),
                           evaluation_filter=adoption.EVALUATION_FILTER,
                           evaluations=phase.latest_evaluations(ids), goals=phase.goals_at_a_glance(ids))


@bp.route("/register/<int:initiative_id>")
@allow(any_user)
def entry(initiative_id: int):
    return _entry_page(initiative_id, AdoptForm(formdata=None))


def _entry_page(initiative_id: int, form: AdoptForm, problems: list[str] | None = None):
    spread = adoption.registry_entry(initiative_id, viewer=current_user, today=clock.today())
    led = [r for r in led_regions(current_user, clock.today()) if r.id != spread.initiative.region_id]
    form.region.choices = [(r.code, r.name) for r in led]
    evaluations = phase.evaluations_of(initiative_id)
    needs_confirmation = adoption_needs_confirmation(spread.initiative.kind,
                                                     evaluations[0].verdict if evaluations else None)
    return render_template("adoption/entry.html", spread=spread, form=form, led=led, problems=problems or [],
                           evaluations=evaluations, needs_confirmation=needs_confirmation,
                           verdict_labels=MONITORING_LABELS, copies=adoption.ADOPTION_COPIES,
                           leaves_empty=adoption.ADOPTION_LEAVES_EMPTY,
                           following=follows.follows(current_user, initiative_id)), \
        422 if problems else 200


@bp.route("/register/<int:initiative_id>/overnemen", methods=["POST"])
@allow(is_insurer_staff)
def adopt(initiative_id: int):
    form = AdoptForm()
    try:
        copy = adoption.adopt(current_user, initiative_id, form.region.data or "", clock.today(),
                              confirm_without_positive_evaluation=bool(form.confirm_without_positive_evaluation.data))
    except (Invalid, Conflict, NotAllowed) as refused:
        show_errors(form, refused.field_errors)
        return _entry_page(initiative_id, form, [refused.message, *refused.details])
    flash(_("Overgenomen als concept in uw regio. Hieronder staat wat is overgenomen en wat u zelf invult."), "success")
    return redirect(url_for("initiatives.edit", initiative_id=copy.id))


# Start-up and scale-up ---------------------------------------------------------------------------

@bp.route("/initiatieven/<int:initiative_id>/opschalen", methods=["GET", "POST"])
@allow(is_insurer_staff)
def scale_up(initiative_id: int):
    """The lead confirms the move to scale-up on a page that says what follows from it."""
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    if not policies.is_lead_staff(current_user, view.initiative):
        abort(403)
    form = ConfirmForm()
    problem = phase.scale_up_problem(view.initiative)
    if form.is_submitted():
        try:
            phase.scale_up(current_user, initiative_id, clock.today())
        except (Conflict, NotAllowed) as refused:
            problem = refused.message
        else:
            flash(_("'%(title)s' is in de opschalingsfase; de andere verzekeraars in %(region)s is gevraagd "
                    "te volgen.", title=view.initiative.title, region=view.initiative.region.name), "success")
            return redirect(url_for("initiatives.detail", initiative_id=initiative_id))
    latest = phase.evaluations_of(initiative_id, limit=1, kinds=RESULT_KINDS)  # what the move rests on
    return render_template("adoption/scale_up.html", view=view, form=form, problem=problem,
                           latest=latest[0] if latest else None, verdict_labels=MONITORING_LABELS), \
        409 if form.is_submitted() else 200
