"""The user's own page: password, API tokens, notifications and the initiatives they follow."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh as refresh_language
from flask_login import current_user, login_user, logout_user

from innovatieregister import clock, inputs
from innovatieregister.account.forms import LanguageForm, PasswordForm, TokenForm, show_errors
from innovatieregister.initiatives.forms import ConfirmForm
from innovatieregister.policies import allow, any_user
from innovatieregister.security import start_session
from innovatieregister.services import Invalid, accounts, follows, mail, tokens
from innovatieregister.services import notifications as notification_service

bp = Blueprint("account", __name__)


@bp.route("/profiel", methods=["GET", "POST"])
@allow(any_user)
def profile():
    form = TokenForm()
    new_token = None
    problems: list[str] = []
    if form.is_submitted():
        try:
            _made, new_token = tokens.create_token(current_user, form.name.data or "", clock.now())
        except Invalid as invalid:
            show_errors(form, invalid.field_errors)
            problems = invalid.details
    return _profile(form, new_token, problems, LanguageForm(formdata=None, language=current_user.language))


def _profile(form: TokenForm, new_token: str | None, problems: list[str], language_form: LanguageForm):
    return render_template("account/profile.html", form=form, new_token=new_token, problems=problems,
                           language_form=language_form,
                           tokens=tokens.tokens_of(current_user), confirm=ConfirmForm(), now=clock.now(),
                           preferences=mail.preferences_of(current_user), kind_labels=mail.KIND_LABELS), \
        422 if problems else 200


@bp.route("/profiel/taal", methods=["POST"])
@allow(any_user)
def language():
    form = LanguageForm()
    try:
        accounts.set_language(current_user, form.language.data or "")
    except Invalid as invalid:
        show_errors(form, invalid.field_errors)
        return _profile(TokenForm(formdata=None), None, [], form)[0], 422
    refresh_language()  # the confirmation is said in the language just chosen
    flash(_("Uw taal is opgeslagen."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/profiel/wachtwoord", methods=["GET", "POST"])
@allow(any_user)
def password():
    form = PasswordForm()
    problems: list[str] = []
    if form.is_submitted():
        try:
            user = accounts.change_password(current_user, form.current_password.data or "",
                                            form.new_password.data or "", form.repeat_password.data or "",
                                            clock.now())
        except Invalid as invalid:
            problems = [invalid.message, *show_errors(form, invalid.field_errors)]
        else:
            # Every other session and token has ended (the session version moved on); this one
            # goes on as a fresh session under the new version.
            session.clear()
            login_user(user)
            start_session()
            flash(_("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd en uw API-tokens ingetrokken."),
                  "success")
            return redirect(url_for("account.profile"))
    if session.get("_user_id") != current_user.get_id():
        # Too many wrong current passwords locked the account and ended every session, this one too.
        logout_user()
        session.clear()
        flash(_("Te vaak een onjuist wachtwoord: het account is tijdelijk geblokkeerd."), "error")
        return redirect(url_for("auth.login"))
    return render_template("account/password.html", form=form, problems=problems,
                           min_length=accounts.MIN_PASSWORD_LENGTH), 422 if problems else 200


@bp.route("/profiel/meldingen", methods=["POST"])
@allow(any_user)
def mail_preferences():
    mail.set_preferences(current_user, set(request.form.getlist("email")) & set(mail.KIND_LABELS))
    flash(_("Uw e-mailvoorkeuren zijn opgeslagen."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/profiel/tokens/<int:token_id>/intrekken", methods=["POST"])
@allow(any_user)
def revoke(token_id: int):
    tokens.revoke_token(current_user, token_id, clock.now())
    flash(_("Het token is ingetrokken."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/meldingen")
@allow(any_user)
def notifications():
    return render_template("account/notifications.html",
                           page=notification_service.page_of(current_user, inputs.page_number(),
                                                             cursor=inputs.page_cursor()),
                           confirm=ConfirmForm())


@bp.route("/meldingen/gelezen", methods=["POST"])
@allow(any_user)
def mark_read():
    notification_service.mark_all_read(current_user, clock.now())
    return redirect(url_for("account.notifications"))


# Following an initiative (issue 12) --------------------------------------------------------------

# Where the follow button sends the user back to (a fixed choice: never a URL from the request).
_BACK = {"register": "adoption.entry", "initiatief": "initiatives.detail"}


def _back(initiative_id: int):
    target = _BACK.get(request.form.get("terug", ""))
    return redirect(url_for(target, initiative_id=initiative_id) if target else url_for("account.following"))


@bp.route("/initiatieven/<int:initiative_id>/volgen", methods=["POST"])
@allow(any_user)
def follow(initiative_id: int):
    follows.follow(current_user, initiative_id)
    flash(_("U volgt dit initiatief: u krijgt een melding van elke statuswijziging en evaluatie "
            "(per e-mail naar keuze, zie Profiel)."), "success")
    return _back(initiative_id)


@bp.route("/initiatieven/<int:initiative_id>/ontvolgen", methods=["POST"])
@allow(any_user)
def unfollow(initiative_id: int):
    follows.unfollow(current_user, initiative_id)
    flash(_("U volgt dit initiatief niet meer."), "success")
    return _back(initiative_id)


@bp.route("/gevolgd")
@allow(any_user)
def following():
    return render_template("account/following.html", confirm=ConfirmForm(),
                           page=follows.followed_by(current_user, clock.today(), inputs.page_number(),
                                                    cursor=inputs.page_cursor()))
