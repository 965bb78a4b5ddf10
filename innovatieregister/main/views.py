"""The dashboard, its work lists whole, and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from innovatieregister import clock, inputs
from innovatieregister.glossary import TERMS
from innovatieregister.policies import allow, any_user, public
from innovatieregister.services.dashboard import dashboard_for, work_list

bp = Blueprint("main", __name__)


@bp.route("/")
@allow(any_user)
def dashboard():
    return render_template("main/dashboard.html", board=dashboard_for(current_user, clock.today()),
                           today=clock.today())


@bp.route("/werk/<key>")
@allow(any_user)
def work_list_page(key: str):
    listed, page = work_list(current_user, key, inputs.page_number(), clock.today())
    return render_template("main/work_list.html", listed=listed, page=page)


@bp.route("/gezondheid")
@public
def health():
    return {"status": "ok"}


@bp.route("/woordenlijst")
@public
def glossary():
    return render_template("main/glossary.html", terms=TERMS)
