"""Administration: market-share imports and the user list."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from innovatieregister.admin.forms import MarketShareImportForm
from innovatieregister.policies import allow, is_admin
from innovatieregister.services import Conflict, Invalid, accounts, market_shares
from innovatieregister.services.audit import Actor

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.route("/marktaandelen", methods=["GET", "POST"])
@allow(is_admin)
def market_share_sets():
    form = MarketShareImportForm()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems = ["Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8)."]
        else:
            try:
                share_set = market_shares.import_market_shares(
                    text, form.peildatum.data, form.source.data, Actor(user=current_user)
                )
            except Invalid as invalid:
                problems = [invalid.message, *invalid.field_errors.get("file", [])]
            except Conflict as conflict:
                problems = [conflict.message]
            else:
                flash(f"Marktaandelen met peildatum {share_set.peildatum:%d-%m-%Y} geïmporteerd.",
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
    return render_template("admin/users.html", users=accounts.list_users())
