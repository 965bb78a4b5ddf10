"""The region list and a region's market shares and lead insurers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from innovatieregister import clock
from innovatieregister.policies import allow, any_user
from innovatieregister.services import NotFound
from innovatieregister.services.regions import list_regions, region_detail

bp = Blueprint("regions", __name__, url_prefix="/regios")


@bp.route("/")
@allow(any_user)
def index():
    return render_template("regions/index.html", regions=list_regions(clock.today()))


@bp.route("/<code>")
@allow(any_user)
def detail(code: str):
    try:
        overview, municipalities = region_detail(code, clock.today())
    except NotFound:
        abort(404)
    return render_template("regions/detail.html", overview=overview,
                           municipalities=municipalities)
