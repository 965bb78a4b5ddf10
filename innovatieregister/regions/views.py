"""The region list, and a region's page: its figures (issue 12), market shares and lead insurers."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.dashboards.views import bars, region_page
from innovatieregister.formatting import number
from innovatieregister.models.initiative import LABELS
from innovatieregister.policies import allow, any_user
from innovatieregister.services import dashboards
from innovatieregister.services.regions import list_regions, region_detail

bp = Blueprint("regions", __name__, url_prefix="/regios")


@bp.route("/")
@allow(any_user)
def index():
    return render_template("regions/index.html", regions=list_regions(clock.today()))


@bp.route("/<code>")
@allow(any_user)
def detail(code: str):
    """The page, or one of its figures' tables as a download (?formaat=csv|xlsx&tabel=)."""
    board, download = region_page(code)
    if download is not None:
        return download
    today = clock.today()
    overview, municipalities = region_detail(code, today)
    return render_template("regions/detail.html", overview=overview, municipalities=municipalities, board=board,
                           stall_labels=dashboards.STALL_LABELS,
                           state_bars=bars([(LABELS[s], t.count, number(t.count)) for s, t in board.by_state]),
                           sees_insurer_figures=dashboards.sees_insurer_figures(current_user, board.region, today))

