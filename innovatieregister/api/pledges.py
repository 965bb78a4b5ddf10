"""Co-funding through the API (issue 11): the lead's pledges before opening, the co-funder's answer.
The same services and rules as the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import _body, _field, _money_field, bp, pledge_json
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, co_funding, initiatives
from innovatieregister.services.co_funding import PledgeInput


def _pledge_input(body: dict, new: bool) -> PledgeInput:
    errors: dict[str, list[str]] = {}
    organisation = _field(body, "organisation", str, errors, required=True, default="") if new else ""
    amount = _money_field(body, "amount_per_year", errors, required=True)
    conditions = _field(body, "conditions", str, errors, default="")
    pro_rata = _field(body, "pro_rata", bool, errors, default=False)
    # A pledge keeps its co-funder: an edit names none.
    unknown = sorted(set(body) - {"amount_per_year", "conditions", "pro_rata", *(("organisation",) if new else ())})
    for name in unknown:
        errors.setdefault(name[:60] or "(leeg)", []).append("Onbekend veld.")
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return PledgeInput(organisation or "", amount or "", conditions or "", pro_rata)


# One rule for both methods: with two, werkzeug answers an id out of range with a 405, not a 404.
@bp.route("/initiatives/<int:initiative_id>/co-funding", methods=["GET", "POST"])
@allow(any_user)
def co_funding_of(initiative_id: int):
    if request.method == "POST":
        pledge = co_funding.add_pledge(current_user, initiative_id, _pledge_input(_body(), new=True))
        return pledge_json(pledge), 201
    view = initiatives.get_view(current_user, initiative_id, clock.today())  # NotFound unless seen
    return {"items": [pledge_json(p) for p in view.pledges]}


@bp.route("/co-funding/<int:pledge_id>", methods=["PUT"])
@allow(any_user)
def edit_co_funding(pledge_id: int):
    return pledge_json(co_funding.edit_pledge(current_user, pledge_id, _pledge_input(_body(), new=False)))


@bp.route("/co-funding/<int:pledge_id>/withdraw", methods=["POST"])
@allow(any_user)
def withdraw_co_funding(pledge_id: int):
    return pledge_json(co_funding.withdraw_pledge(current_user, pledge_id))


@bp.route("/co-funding/<int:pledge_id>/decision", methods=["POST"])
@allow(any_user)
def decide_co_funding(pledge_id: int):
    body = _body()
    errors: dict[str, list[str]] = {}
    decision = _field(body, "decision", str, errors, required=True)
    reasons = _field(body, "reasons", str, errors, default="")
    if decision is not None and decision not in ("confirm", "decline"):
        errors.setdefault("decision", []).append("Kies confirm of decline.")
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    pledge = co_funding.decide_pledge(current_user, pledge_id, decision == "confirm", reasons or "", clock.now())
    return pledge_json(pledge)
