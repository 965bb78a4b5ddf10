"""A region's plan (regiobeeld and multi-year agreements): read by every user, kept by its leads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.policies import allow, any_user
from innovatieregister.regional_plans.forms import PlanForm
from innovatieregister.services import Conflict, Invalid, regional_plans

bp = Blueprint("regional_plans", __name__, url_prefix="/regios")


def _plan(code: str, number: int | None = None) -> regional_plans.PlanView:
    return regional_plans.get_plan(current_user, code, clock.today(), number)


@bp.route("/<code>/plan")
@allow(any_user)
def show(code: str):
    return render_template("regional_plans/plan.html", view=_plan(code))


@bp.route("/<code>/plan/versies/<int:number>")
@allow(any_user)
def version(code: str, number: int):
    return render_template("regional_plans/plan.html", view=_plan(code, number))


@bp.route("/<code>/plan/bewerken", methods=["GET", "POST"])
@allow(any_user)  # the leads of the region and admins: the service asks policies.can_edit_regional_plan
def edit(code: str):
    view = _plan(code)
    if not view.may_edit:
        abort(403)
    form = PlanForm()
    if not form.is_submitted() and view.plan is not None:
        form.fill_from(view.plan)
    elif not form.is_submitted():
        form.based_on_version.data = "0"
    problems: list[str] = []
    if form.is_submitted():
        try:
            saved = regional_plans.save_plan(current_user, view.region.code, form.to_input(), clock.today())
        except Invalid as invalid:
            problems = [invalid.message, *form.show_errors(invalid.field_errors)]
        except Conflict as conflict:
            problems = [conflict.message]
        else:
            flash(_("Het regioplan is opgeslagen als versie %(n)s.", n=saved.version), "success")
            return redirect(url_for("regional_plans.show", code=view.region.code))
    return render_template("regional_plans/form.html", view=view, form=form, problems=problems), \
        422 if problems else 200
