"""The dashboard and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.policies import allow, any_user, is_mediator, public
from innovatieregister.services.dashboard import dashboard_for
from innovatieregister.services.lifecycle import flagged_count

bp = Blueprint("main", __name__)


@bp.route("/")
@allow(any_user)
def dashboard():
    board = dashboard_for(current_user, clock.today())
    flagged = flagged_count(current_user, clock.today()) if is_mediator(current_user) else None
    return render_template("main/dashboard.html", board=board, flagged=flagged)


@bp.route("/gezondheid")
@public
def health():
    return {"status": "ok"}
