"""Co-funding through the API (issue 11): the lead's pledges before opening, the co-funder's answer.
The same services and rules as the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from typing import Literal

from flask.views import MethodView
from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp, pledge_json
from innovatieregister.api.schema import In, Money, MoneyIn, Out, Text, body, list_of, operation, responses
from innovatieregister.domain.funding import PledgeState
from innovatieregister.policies import allow, any_user
from innovatieregister.services import co_funding, initiatives
from innovatieregister.services.co_funding import PledgeInput


class CoFundingPledge(Out):
    id: int
    initiative_id: int
    organisation: str = Field(description="the co-funder's code")
    organisation_name: str
    amount_per_year: Money
    conditions: str
    pro_rata: bool
    state: PledgeState
    decision_reasons: str
    frozen: bool = Field(description="frozen with the key at opening")
    counts: bool = Field(description="counts in the fair shares (confirmed)")
    note: str | None = Field(description="set while waiting: at opening it will not count")


class PledgeChange(In):
    """A pledge as the lead edits it: it keeps its co-funder, so no organisation."""

    amount_per_year: MoneyIn = Field(examples=["100000.00"],
                                     description="more than 0; all live pledges together at most the budget")
    conditions: Text(limits.TEXT) = ""  # type: ignore[valid-type]
    pro_rata: bool = Field(False, description="in a settlement the pledge counts in proportion to actual / "
                                              "budgeted cost")

    def to_input(self, organisation: str = "") -> PledgeInput:
        return PledgeInput(organisation, self.amount_per_year, self.conditions, self.pro_rata)


class NewPledge(PledgeChange):
    organisation: Text(limits.CODE, description="code of a municipality or care office")  # type: ignore[valid-type]


class PledgeDecision(In):
    decision: Literal["confirm", "decline"]
    reasons: Text(limits.TEXT, description="required when declining") = ""  # type: ignore[valid-type]


# One rule for both methods: with two, werkzeug answers an id out of range with a 405, not a 404.
class CoFundingOf(MethodView):
    @operation(resp=responses(list_of(CoFundingPledge)), name="co_funding_of")
    def get(self, initiative_id: int):
        """Toezeggingen van medefinanciers (gemeenten, zorgkantoren)"""
        view = initiatives.get_view(current_user, initiative_id, clock.today())  # NotFound unless seen
        return {"items": [pledge_json(p) for p in view.pledges]}

    @operation(json=NewPledge, resp=responses(CoFundingPledge, 201), name="add_co_funding")
    def post(self, initiative_id: int):
        """De leidende verzekeraar voegt een toezegging toe (alleen vóór het openen)"""
        data: NewPledge = body()
        return pledge_json(co_funding.add_pledge(current_user, initiative_id, data.to_input(data.organisation))), 201


bp.add_url_rule("/initiatives/<int:initiative_id>/co-funding",
                view_func=allow(any_user)(CoFundingOf.as_view("co_funding_of")))


@bp.route("/co-funding/<int:pledge_id>", methods=["PUT"])
@allow(any_user)
@operation(json=PledgeChange, resp=responses(CoFundingPledge))
def edit_co_funding(pledge_id: int):
    """De leidende verzekeraar wijzigt een toezegging (vóór het openen; opnieuw te bevestigen)"""
    data: PledgeChange = body()
    return pledge_json(co_funding.edit_pledge(current_user, pledge_id, data.to_input()))


@bp.route("/co-funding/<int:pledge_id>/withdraw", methods=["POST"])
@allow(any_user)
@operation(resp=responses(CoFundingPledge))
def withdraw_co_funding(pledge_id: int):
    """De leidende verzekeraar trekt een toezegging in (vóór het openen)"""
    return pledge_json(co_funding.withdraw_pledge(current_user, pledge_id))


@bp.route("/co-funding/<int:pledge_id>/decision", methods=["POST"])
@allow(any_user)
@operation(json=PledgeDecision, resp=responses(CoFundingPledge))
def decide_co_funding(pledge_id: int):
    """De medefinancier bevestigt of wijst af (met redenen)"""
    data: PledgeDecision = body()
    pledge = co_funding.decide_pledge(current_user, pledge_id, data.decision == "confirm", data.reasons, clock.now())
    return pledge_json(pledge)
