"""Log-in sessions, the policy gate in front of every route, and security headers."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from innovatieregister import clock, policies
from innovatieregister.domain.text import N_
from innovatieregister.extensions import login_manager
from innovatieregister.policies import PUBLIC

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# What a user whose password an administrator chose may do before choosing their own.
_BEFORE_OWN_PASSWORD = {"account.password", "auth.logout"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Log in om deze pagina te zien.")
    login_manager.localize_callback = _  # said in the reader's language when it is flashed
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_user_id: str):
        from innovatieregister.services.accounts import load_user

        if request.blueprint == "api":
            return None  # the API authenticates by token only: a cookie cannot be forged into a call
        return load_user(session_user_id)

    @login_manager.request_loader
    def _load_user_from_token(req):
        from innovatieregister.services.tokens import user_for_token

        if req.blueprint != "api":
            return None
        scheme, _sep, raw = req.headers.get("Authorization", "").partition(" ")
        return user_for_token(raw.strip(), clock.now()) if scheme.lower() == "bearer" else None

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.blueprint == "api":
            abort(401)
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))

    app.jinja_env.globals["is_admin"] = policies.is_admin
    app.jinja_env.globals["unread_notifications"] = _unread_notifications
    app.before_request(_assign_request_id)
    app.before_request(_enforce_session_timeouts)
    app.before_request(_enforce_policy)
    app.after_request(_security_headers)


def _unread_notifications() -> str:
    """The badge's text: the count, "99+" past the cap, empty when nothing is unread."""
    from innovatieregister.services.notifications import UNREAD_CAP, unread_count

    count = unread_count(current_user) if current_user.is_authenticated else 0
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count) if count else ""


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def start_session() -> None:
    """Called right after log-in: a fresh session with its own clock."""
    now = clock.now().timestamp()
    session.permanent = True
    session["login_at"] = now
    session["seen_at"] = now


def _enforce_session_timeouts():
    if not current_user.is_authenticated or request.blueprint == "api":
        return None
    config = current_app.config
    now = clock.now()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]).total_seconds()
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"]).total_seconds()
    if now.timestamp() - login_at > absolute or now.timestamp() - seen_at > idle:
        logout_user()
        session.clear()
        flash(_("Uw sessie is verlopen. Log opnieuw in."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    session["seen_at"] = now.timestamp()
    return None


def _enforce_policy():
    """Deny by default: every endpoint must declare a policy (policies.public / allow)."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    policy = getattr(view, "policy", None)
    if policy is None:
        abort(403)
    if policy == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policy(current_user):
        abort(403)
    if current_user.must_change_password and request.endpoint not in _BEFORE_OWN_PASSWORD:
        # A password an administrator handed over opens nothing, on the web or by token, until
        # the user has replaced it.
        if request.blueprint == "api":
            from innovatieregister.errors import problem

            return problem(403, _("Kies eerst uw eigen wachtwoord (Profiel); tot dan werkt de API niet voor u."))
        flash(_("Kies eerst uw eigen wachtwoord."), "info")
        return redirect(url_for("account.password"))
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Request-ID"] = g.get("request_id", "")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # An error page may have set it already: then the user need not be loaded (no query after a DB error).
    if "Cache-Control" not in headers and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response
