"""Administration: market-share imports, users, and the criteria catalogue."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, inputs, limits
from innovatieregister.account.forms import show_errors
from innovatieregister.admin.forms import (
    CriterionForm,
    MarketShareImportForm,
    PasswordResetForm,
    ThresholdForm,
    UserForm,
)
from innovatieregister.formatting import datum
from innovatieregister.initiatives.forms import ConfirmForm
from innovatieregister.models.organisation import ROLE_LABELS
from innovatieregister.policies import allow, is_admin
from innovatieregister.services import Conflict, Invalid, NotFound, accounts, market_shares, what_if
from innovatieregister.services import criteria as criteria_service
from innovatieregister.services.audit import Actor

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.route("/marktaandelen", methods=["GET", "POST"])
@allow(is_admin)
def market_share_sets():
    form = MarketShareImportForm()
    problems: list[str] = []
    status = 200
    # TypedDate has checked the peildatum: it parses.
    if form.validate_on_submit() and (peildatum := limits.parse_date(form.peildatum.data)) is not None:
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems = [_("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).")]
        else:
            try:
                share_set = market_shares.import_market_shares(
                    text, peildatum, form.source.data, Actor(user=current_user)
                )
            except Invalid as invalid:
                problems = [invalid.message, *invalid.field_errors.get("file", [])]
            except Conflict as conflict:
                problems = [conflict.message]
            else:
                flash(_("Marktaandelen met peildatum %(date)s geïmporteerd.", date=datum(share_set.peildatum)),
                      "success")
                return redirect(url_for("admin.market_share_sets"))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("admin/market_shares.html", form=form, problems=problems,
                           sets=market_shares.list_sets()), status


@bp.route("/gebruikers")
@allow(is_admin)
def users():
    return render_template("admin/users.html", page=accounts.users_page(inputs.page_number()))


def _user_form() -> UserForm:
    form = UserForm()
    form.organisation.choices = [(o.code, f"{o.name} ({o.kind_label})") for o in accounts.organisation_choices()]
    form.role.choices = [(role.value, label) for role, label in ROLE_LABELS.items()]
    return form


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@allow(is_admin)
def new_user():
    form = _user_form()
    problems: list[str] = []
    if form.is_submitted():
        chosen = form.password.data or ""
        password = chosen or accounts.generate_password()
        try:
            user = accounts.create_user(form.email.data or "", (form.name.data or "").strip(),
                                        form.organisation.data or "", form.role.data or "", password,
                                        Actor(user=current_user), must_change_password=True)
        except (Invalid, Conflict, NotFound) as error:
            problems = [error.message, *show_errors(form, error.field_errors)]
        else:
            # Shown once, on this response only (no redirect): it is never stored.
            return render_template("admin/user.html", user=user, confirm=ConfirmForm(),
                                   reset_form=PasswordResetForm(), new_password=None if chosen else password,
                                   created=True), 201
    return render_template("admin/user_form.html", form=form, problems=problems), 422 if problems else 200


def _user_page(user_id: int, status: int = 200, **extra):
    user = accounts.get_user(user_id)
    return render_template("admin/user.html", user=user, confirm=ConfirmForm(),
                           reset_form=extra.pop("reset_form", None) or PasswordResetForm(), **extra), status


@bp.route("/gebruikers/<int:user_id>")
@allow(is_admin)
def user(user_id: int):
    return _user_page(user_id)


@bp.route("/gebruikers/<int:user_id>/blokkeren", methods=["POST"])
@allow(is_admin)
def disable_user(user_id: int):
    try:
        user = accounts.disable_user(current_user, user_id, clock.now())
    except Conflict as conflict:
        flash(conflict.message, "error")
    else:
        flash(_("%(email)s is geblokkeerd; alle sessies en API-tokens zijn beëindigd.", email=user.email), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/gebruikers/<int:user_id>/deblokkeren", methods=["POST"])
@allow(is_admin)
def enable_user(user_id: int):
    user = accounts.enable_user(current_user, user_id, clock.now())
    flash(_("%(email)s kan weer inloggen.", email=user.email), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
@allow(is_admin)
def reset_password(user_id: int):
    form = PasswordResetForm()
    chosen = form.password.data or ""
    try:
        _user, password = accounts.reset_password(current_user, user_id, chosen, clock.now())
    except Conflict as conflict:
        flash(conflict.message, "error")
        return redirect(url_for("admin.user", user_id=user_id))
    except Invalid as invalid:
        problems = [invalid.message, *show_errors(form, invalid.field_errors)]
        return _user_page(user_id, 422, reset_form=form, problems=problems)
    # Shown once, on this response only.
    return _user_page(user_id, new_password=None if chosen else password, reset=True)


def _int_or_none(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _save_criterion(form: CriterionForm, criterion_id: int | None) -> list[str]:
    weight = _int_or_none(form.weight.data)
    try:
        criteria_service.save_criterion(Actor(user=current_user), form.code.data, form.name.data,
                                form.explanation.data, weight if weight is not None else -1,
                                bool(form.active.data), criterion_id)
    except Invalid as invalid:
        show_errors(form, invalid.field_errors)
        return invalid.details
    return []


@bp.route("/criteria", methods=["GET", "POST"])
@allow(is_admin)
def criteria():
    form = CriterionForm(prefix="new")
    threshold_form = ThresholdForm(prefix="t", data={"threshold": str(criteria_service.weighty_threshold())})
    problems = _save_criterion(form, None) if form.is_submitted() else []
    if form.is_submitted() and not problems:
        flash(_("Het criterium is toegevoegd."), "success")
        return redirect(url_for("admin.criteria"))
    return _criteria_page(form, threshold_form, problems)


def _criteria_page(form: CriterionForm, threshold_form: ThresholdForm, problems: list[str]):
    return render_template("admin/criteria.html", form=form, threshold_form=threshold_form,
                           problems=problems, criteria=criteria_service.list_criteria()), \
        422 if problems or threshold_form.threshold.errors else 200


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@allow(is_admin)
def criterion(criterion_id: int):
    current = next((c for c in criteria_service.list_criteria() if c.id == criterion_id), None)
    if current is None:
        abort(404)
    form = CriterionForm()
    if not form.is_submitted():
        form.process(obj=current, data={"weight": str(current.weight)})
    problems = _save_criterion(form, criterion_id) if form.is_submitted() else []
    if form.is_submitted() and not problems:
        flash(_("Het criterium is gewijzigd. Vastgelegde afwegingen houden het gewicht waarmee ze zijn "
                "gemaakt."), "success")
        return redirect(url_for("admin.criteria"))
    return render_template("admin/criterion.html", form=form, criterion=current,
                           problems=problems), 422 if problems else 200


@bp.route("/drempel", methods=["POST"])
@allow(is_admin)
def threshold():
    form = ThresholdForm(prefix="t")
    value = _int_or_none(form.threshold.data)
    try:
        criteria_service.set_threshold(Actor(user=current_user), value if value is not None else 0)
    except Invalid as invalid:
        # The page again, the typed value kept and the message next to it.
        show_errors(form, invalid.field_errors)
        return _criteria_page(CriterionForm(prefix="new", formdata=None), form, [])
    flash(_("De drempel is nu %(value)s. Vastgelegde afwegingen houden hun drempel.", value=value), "success")
    return redirect(url_for("admin.criteria"))


# What if (issue 12): GET only, nothing stored -----------------------------------------------------

WEIGHT_PREFIX, THRESHOLD_ARG = "gewicht-", "drempel"


def render_what_if(reassess, **page):
    """The 'what if' page: the proposal from the query string (`gewicht-<code>`, `drempel`; what is
    left out stays as in force), `reassess(proposal, page_number)` for the result, or the form again
    with the messages next to the fields (422). `page`: the template's heading and context."""
    weights = {k[len(WEIGHT_PREFIX):]: v for k, v in request.args.items() if k.startswith(WEIGHT_PREFIX)}
    criteria = criteria_service.list_criteria()
    proposal = current = what_if.current_proposal(criteria)
    errors: dict[str, list[str]] = {}
    try:
        proposal = what_if.proposal_from(weights, request.args.get(THRESHOLD_ARG), current)
    except Invalid as invalid:
        errors = invalid.field_errors
    result = None if errors else reassess(proposal, inputs.page_number())
    values = {**{f"weight-{code}": str(w) for code, w in proposal.weights.items()},
              "threshold": str(proposal.threshold),
              **{f"weight-{code}": v for code, v in weights.items()},
              **({"threshold": request.args[THRESHOLD_ARG]} if THRESHOLD_ARG in request.args else {})}
    return render_template("admin/what_if.html", result=result, errors=errors, values=values,
                           criteria=criteria, current=current,
                           weight_prefix=WEIGHT_PREFIX, threshold_arg=THRESHOLD_ARG, **page), \
        422 if errors else 200


@bp.route("/criteria/wat-als")
@allow(is_admin)
def what_if_criteria():
    return render_what_if(lambda proposal, number: what_if.reassess(current_user, proposal, clock.today(),
                                                                    page=number),
                          heading=_("Wat als de gewichten of de drempel anders waren?"),
                          scope=_("alle staande afwijzingen"), back=url_for("admin.criteria"),
                          back_label=_("Criteria"))
