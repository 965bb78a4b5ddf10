"""Registering, editing, opening and reading initiatives."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, inputs, policies
from innovatieregister.domain.phase import opening_refusal
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.initiatives.forms import CONFIRMED, ConfirmForm, InitiativeForm
from innovatieregister.policies import allow, any_user, is_insurer_staff
from innovatieregister.services import (
    Conflict,
    Invalid,
    NotAllowed,
    adoption,
    audit_trail,
    dashboards,
    follows,
    initiatives,
    regional_plans,
)
from innovatieregister.services.lifecycle import steps_for
from innovatieregister.services.regions import choices_and_led_regions, region_choices

bp = Blueprint("initiatives", __name__, url_prefix="/initiatieven")


def _form(initiative=None) -> InitiativeForm:
    # The themes of the regions the user's insurer leads: where it may register (and the draft's own).
    regions, led = choices_and_led_regions(current_user, clock.today())
    if initiative is not None and initiative.region not in led:
        led.append(initiative.region)
    # A draft offers the providers of its own region (an adopted draft: of the new region, issue 13).
    providers = (initiatives.provider_choices(initiative.region, [p.provider_id for p in initiative.providers])
                 if initiative is not None else initiatives.provider_choices())
    form = InitiativeForm(regions=regions, providers=providers, themes=regional_plans.theme_choices(led))
    if initiative is not None and request.method == "GET":
        form.fill_from(initiative)
    return form


@bp.route("/")
@allow(any_user)
def index():
    try:
        # The filters a dashboard's figure links to (services/dashboards.py) narrow the same list.
        figure_filters = dashboards.list_filters(current_user, clock.today(), request.args)
        page = initiatives.list_for(current_user, request.args.get("regio") or None,
                                    request.args.get("status") or None,
                                    inputs.page_number(), today=clock.today(), cursor=inputs.page_cursor(),
                                    also=figure_filters)
    except Invalid as invalid:
        flash(invalid.message, "error")
        return redirect(url_for("initiatives.index"))
    return render_template("initiatives/index.html", page=page, states=list(InitiativeState),
                           regions=region_choices(), figure_filter=dashboards.describe_filters(request.args))


@bp.route("/nieuw", methods=["GET", "POST"])
@allow(is_insurer_staff)
def new():
    form = _form()
    problems: list[str] = []
    if form.is_submitted():
        try:
            initiative = initiatives.register(current_user, form.to_input(), clock.today())
        except Invalid as invalid:
            problems = [invalid.message, *form.show_errors(invalid.field_errors)]
        except NotAllowed as refused:
            problems = [refused.message]
        except Conflict as conflict:
            problems = [conflict.message]
        else:
            flash(_("Het initiatief is als concept opgeslagen."), "success")
            return redirect(url_for("initiatives.detail", initiative_id=initiative.id))
    return render_template("initiatives/form.html", form=form, problems=problems,
                           title=_("Nieuw initiatief registreren")), 422 if problems else 200


@bp.route("/<int:initiative_id>")
@allow(any_user)
def detail(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    adoptions = adoption.adoptions_of(initiative_id)
    return render_template("initiatives/detail.html", view=view, adoptions=adoptions,
                           adoption_statuses=initiatives.shown_statuses(
                               current_user, [a.id for a in adoptions], clock.today()),
                           confirm=ConfirmForm(),
                           phase_note=opening_refusal(view.initiative.kind, view.initiative.phase),
                           lifecycle_steps=steps_for(current_user, view.initiative),
                           can_edit=policies.can_edit_initiative(current_user, view.initiative),
                           plan_refs=regional_plans.plan_references(view.initiative),
                           is_lead=policies.is_lead_staff(current_user, view.initiative),
                           following=follows.follows(current_user, initiative_id))


@bp.route("/<int:initiative_id>/bewerken", methods=["GET", "POST"])
@allow(is_insurer_staff)
def edit(initiative_id: int):
    view = initiatives.get_view(current_user, initiative_id, clock.today())
    if not policies.can_edit_initiative(current_user, view.initiative):
        abort(403)
    form = _form(view.initiative)
    problems: list[str] = []
    if form.is_submitted():
        try:
            initiatives.update_draft(current_user, initiative_id, form.to_input(), clock.today())
        except Invalid as invalid:
            problems = [invalid.message, *form.show_errors(invalid.field_errors)]
        except (NotAllowed, Conflict) as refused:
            problems = [refused.message]
        else:
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return redirect(url_for("initiatives.detail", initiative_id=initiative_id))
    # An adopted draft says what came from its origin and what the lead fills in (issue 13).
    return render_template("initiatives/form.html", form=form, problems=problems,
                           title=_("Concept bewerken: %(title)s", title=view.initiative.title),
                           origin=view.initiative.adopted_from,
                           copies=adoption.ADOPTION_COPIES, leaves_empty=adoption.ADOPTION_LEAVES_EMPTY), \
        422 if problems else 200


@bp.route("/<int:initiative_id>/openen", methods=["GET", "POST"])
@allow(is_insurer_staff)
def open_for_decisions(initiative_id: int):
    """Irreversible: the page first restates what opening does; only the confirmed form opens."""
    form = ConfirmForm()
    try:
        if not (form.validate_on_submit() and form.confirmed.data == CONFIRMED):
            plan = initiatives.preview_opening(current_user, initiative_id, clock.today())
            if plan.refusal is not None and request.method == "POST":
                raise Conflict(plan.refusal)  # the detail page's button: back there with the reason
            form.confirmed.data = CONFIRMED
            return render_template("initiatives/open.html", plan=plan, form=form)
        initiative = initiatives.open_for_decisions(current_user, initiative_id, clock.today(), clock.now())
    except Conflict as conflict:
        flash(conflict.message, "error")
    else:
        flash(_("'%(title)s' is open voor besluiten; de andere verzekeraars in de regio hebben een verzoek "
                "ontvangen.", title=initiative.title), "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative_id))


@bp.route("/<int:initiative_id>/tijdlijn")
@allow(any_user)
def timeline(initiative_id: int):
    view = initiatives.timeline_view(current_user, initiative_id, clock.today())
    page = audit_trail.initiative_timeline(current_user, view, page=inputs.page_number(),
                                           cursor=inputs.page_cursor())
    return render_template("initiatives/timeline.html", view=view, page=page, lines=audit_trail.lines(page.items))
