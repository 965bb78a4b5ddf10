"""The user's own page: API tokens and notifications."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from innovatieregister import clock
from innovatieregister.initiatives.forms import ConfirmForm
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, NotFound, mail, tokens
from innovatieregister.services import notifications as notification_service

bp = Blueprint("account", __name__)


class TokenForm(FlaskForm):
    name = StringField("Naam van het token (bijv. 'script inkoop')")


@bp.route("/profiel", methods=["GET", "POST"])
@allow(any_user)
def profile():
    form = TokenForm()
    new_token = None
    problems: list[str] = []
    if form.is_submitted():
        try:
            _, new_token = tokens.create_token(current_user, form.name.data or "")
        except Invalid as invalid:
            problems = invalid.details
    return render_template("account/profile.html", form=form, new_token=new_token, problems=problems,
                           tokens=tokens.tokens_of(current_user), confirm=ConfirmForm(),
                           preferences=mail.preferences_of(current_user), kind_labels=mail.KIND_LABELS), \
        422 if problems else 200


@bp.route("/profiel/meldingen", methods=["POST"])
@allow(any_user)
def mail_preferences():
    mail.set_preferences(current_user, set(request.form.getlist("email")) & set(mail.KIND_LABELS))
    flash("Uw e-mailvoorkeuren zijn opgeslagen.", "success")
    return redirect(url_for("account.profile"))


@bp.route("/profiel/tokens/<int:token_id>/intrekken", methods=["POST"])
@allow(any_user)
def revoke(token_id: int):
    try:
        tokens.revoke_token(current_user, token_id, clock.now())
    except NotFound:
        abort(404)
    flash("Het token is ingetrokken.", "success")
    return redirect(url_for("account.profile"))


@bp.route("/meldingen")
@allow(any_user)
def notifications():
    return render_template("account/notifications.html",
                           items=notification_service.recent(current_user, 50), confirm=ConfirmForm())


@bp.route("/meldingen/gelezen", methods=["POST"])
@allow(any_user)
def mark_read():
    notification_service.mark_all_read(current_user, clock.now())
    return redirect(url_for("account.notifications"))
