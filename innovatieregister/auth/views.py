"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from innovatieregister import clock
from innovatieregister.auth.forms import LoginForm
from innovatieregister.policies import allow, any_user, public
from innovatieregister.security import start_session
from innovatieregister.services import accounts

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else (another host, a scheme) goes home."""
    default = url_for("main.dashboard")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, clock.now())
        except accounts.LoginRefused as refused:
            error = refused.message
        else:
            session.clear()  # a new session at log-in: nothing carries over from before
            login_user(user)
            start_session()
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), 401 if error else 200


@bp.route("/uitloggen", methods=["POST"])
@allow(any_user)
def logout():
    accounts.log_out(current_user)
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))
